import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from './csp.js'
import { rendererFile } from './renderer-files.js'

const parent = mkdtempSync(join(tmpdir(), 'lanchat-renderer-'))
const root = join(parent, 'renderer')
mkdirSync(join(root, 'assets'), { recursive: true })
writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>')
writeFileSync(join(root, 'assets/app.js'), 'console.log(1)')
writeFileSync(join(parent, 'secret.txt'), 'not for the page')
afterAll(() => rmSync(parent, { recursive: true, force: true }))

describe('serving the built renderer', () => {
  it('serves index.html for / and files with their type, all under the one CSP', async () => {
    const index = await rendererFile(root, '/')
    expect(index.status).toBe(200)
    expect(index.headers['Content-Type']).toBe('text/html; charset=utf-8')
    expect(String(index.body)).toContain('id="root"')
    expect(index.headers['Content-Security-Policy']).toBe(contentSecurityPolicy('app'))
    const js = await rendererFile(root, '/assets/app.js')
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8')
  })

  it('refuses to leave the renderer folder, however the path is spelled', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2E%2E/%2E%2E/secret.txt', '/..%2fsecret.txt']) {
      const res = await rendererFile(root, path)
      expect(res.status, path).toBe(403)
      expect(res.body.length).toBe(0)
    }
    expect((await rendererFile(root, '/%E0%A4%A')).status).toBe(400)
    expect((await rendererFile(root, '/missing.js')).status).toBe(404)
  })
})

describe('the CSP', () => {
  it('allows only our own scripts in the app, and never frame-ancestors in a meta tag', () => {
    expect(contentSecurityPolicy('app')).toMatch(/(^|; )script-src 'self'(;|$)/)
    expect(contentSecurityPolicy('app')).toContain("frame-ancestors 'none'")
    expect(contentSecurityPolicy('meta')).not.toContain('frame-ancestors')
    expect(contentSecurityPolicy('dev')).toMatch(/script-src 'self' 'unsafe-inline'/)
  })
})
