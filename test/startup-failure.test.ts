// Startup failures are shown, not swallowed: a test host (the same Startup
// path as the Electron window) on a data dir whose settings file cannot be
// read still serves its page, and the page's first IPC call answers a
// StartupError saying where and what to do; once the file is fixed, the
// "Try again" reload (a new snapshot) opens the app. Driven over the host's
// IPC bridge as the preload would drive it, without a browser.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import type { Result, Snapshot } from '../preload/contract.js'
import { SETTINGS_FILE } from '../main/app/settings.js'
import { contentSecurityPolicy } from '../main/app/csp.js'
import { startTestHost, type TestHost } from './host/host.js'

let dir = ''
let host: TestHost | undefined
afterEach(async () => {
  await host?.close()
  host = undefined
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
  dir = ''
})

async function bridge(url: string): Promise<(channel: string, payload?: unknown) => Promise<Result<unknown>>> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/__bridge`, { headers: { origin: url } })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let id = 0
  return (channel, payload) => new Promise((resolve) => {
    const mine = ++id
    const onMessage = (data: unknown): void => {
      const reply = JSON.parse(String(data)) as { id?: number; result?: Result<unknown> }
      if (reply.id !== mine) return
      ws.off('message', onMessage)
      resolve(reply.result!)
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id: mine, channel, payload: payload ?? null }))
  })
}

describe('startup with an unreadable settings file', () => {
  it('serves the page, reports what to do on every call, and opens after Try again once the file is fixed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lanchat-startup-'))
    // A directory where the settings file should be: reading it fails (EISDIR), even as root.
    mkdirSync(join(dir, SETTINGS_FILE))
    host = await startTestHost({ dataDir: dir })

    expect(host.failure?.name).toBe('StartupError')
    await expect(host.call('snapshot')).rejects.toMatchObject({ name: 'StartupError' })
    const page = await fetch(host.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy('app'))
    expect(await page.text()).toContain('<div id="root">')

    const call = await bridge(host.url)
    const first = await call('lanchat:snapshot')
    expect(first.ok).toBe(false)
    if (first.ok) return
    expect(first.error.name).toBe('StartupError')
    expect(first.error.message).toContain(dir)
    expect(first.error.message).toMatch(/EISDIR/)
    expect(first.error.message).toMatch(/then press Try again\.$/)
    const send = await call('lanchat:send', { room: 'lobby', text: 'hello' })
    expect(send.ok ? 'sent' : send.error.name).toBe('StartupError')

    rmSync(join(dir, SETTINGS_FILE), { recursive: true })
    const again = await call('lanchat:snapshot')
    expect(again.ok).toBe(true)
    if (again.ok) expect((again.value as Snapshot).status).toEqual({ state: 'setup' })
    expect(host.failure).toBeUndefined()
  })
})
