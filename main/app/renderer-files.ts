/**
 * Serving the built renderer (out/renderer), shared by the Electron app's
 * app:// handler and the test host's HTTP server: the same files, content
 * types, CSP and refusals whichever way the page is loaded.
 */
import { readFile } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { contentSecurityPolicy } from './csp.js'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

export interface RendererResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** Headers every response carries, errors included. */
export function baseHeaders(): Record<string, string> {
  return { 'Content-Security-Policy': contentSecurityPolicy('app'), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }
}

export function contentType(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream'
}

/**
 * The file for a URL path ('/' is index.html). Paths are decoded first, so an
 * encoded '..' cannot climb out of `root` either; anything outside is 403.
 */
export async function rendererFile(root: string, urlPath: string): Promise<RendererResponse> {
  const headers = baseHeaders()
  let path: string
  try {
    path = decodeURIComponent(urlPath)
  } catch {
    return { status: 400, headers, body: Buffer.alloc(0) }
  }
  const base = resolve(root)
  const file = resolve(base, '.' + (path === '/' || path === '' ? '/index.html' : path))
  if (!file.startsWith(base + sep)) return { status: 403, headers, body: Buffer.alloc(0) }
  try {
    const body = await readFile(file)
    return { status: 200, headers: { ...headers, 'Content-Type': contentType(file) }, body }
  } catch {
    return { status: 404, headers, body: Buffer.alloc(0) }
  }
}
