/**
 * The renderer is served from app://lanchat/, a privileged standard scheme,
 * instead of file://: the page gets a real origin (so the sender-frame check
 * and the CSP header apply; header CSPs are not applied to file://), and no
 * file outside out/renderer can be reached from it.
 *
 *   registerAppScheme()               // before app 'ready'
 *   serveApp(session.defaultSession)  // after it
 *   window.loadURL(APP_PAGE)
 */
import { protocol, type Session } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rendererFile } from '../app/renderer-files.js'

export const APP_SCHEME = 'app'
export const APP_HOST = 'lanchat'
export const APP_PAGE = `${APP_SCHEME}://${APP_HOST}/index.html`

const RENDERER_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '../renderer')

export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
  ])
}

export function serveApp(session: Session): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response(null, { status: 404 })
    const file = await rendererFile(RENDERER_DIR, url.pathname)
    return new Response(file.status === 200 ? new Uint8Array(file.body) : null, { status: file.status, headers: file.headers })
  })
}
