/**
 * The second launcher of the end-to-end files: the real Electron app, started
 * by Playwright's Electron support (`_electron.launch`), chosen with
 * LANCHAT_E2E=electron. The same test files then drive the app's own window,
 * and `host.call` goes through the page's `window.lanchat` — the preload's API
 * over Electron's IPC — instead of the test host's bridge.
 *
 * Electron cannot be downloaded on the machines this project is developed on;
 * this launcher runs on GitHub's runners (.github/workflows/desktop.yml).
 */
import { join, resolve } from 'node:path'
import type { BrowserContext, ElectronApplication, Page } from 'playwright-core'
import { EVENT_CHANNEL, type OperationName, type RequestOf, type ResponseOf, type Result } from '../../preload/contract.js'
import type { TestHost, TestHostOptions } from '../host/host.js'

const root = resolve(import.meta.dirname, '../..')

/** Which app the e2e files drive: the UI test host in Chromium (default) or the real Electron app. */
export const LAUNCHER: 'host' | 'electron' = process.env.LANCHAT_E2E === 'electron' ? 'electron' : 'host'

export interface Launched { host: TestHost; context: BrowserContext; page: Page }

/** Start the Electron app on `options.dataDir`, with the test host's defaults (loopback, no mDNS). */
export async function launchElectron(options: TestHostOptions): Promise<Launched> {
  const { _electron } = await import('playwright-core')
  // The app reads these only when it is not packaged (main/index.ts): tests keep to loopback and their own folder.
  const testing = { dataDir: options.dataDir, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { mdns: false, ...options.defaults }, dial: options.dial ?? [], downloadsDir: options.downloadsDir ?? join(options.dataDir, 'downloads'), ...(options.stallMs !== undefined ? { stallMs: options.stallMs } : {}), ...(options.redialRetry !== undefined ? { redialRetry: options.redialRetry } : {}) }
  const app: ElectronApplication = await _electron.launch({
    args: [join(root, 'out/main/index.js'), '--profile', `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`],
    env: { ...process.env, LANCHAT_E2E_OPTIONS: JSON.stringify(testing) } as Record<string, string>
  })
  // Under the tests the app logs "Show in folder" and "Open" instead of doing them (main/index.ts).
  const revealed: Array<{ action: 'folder' | 'open'; path: string }> = []
  app.process().stdout?.on('data', (data: Buffer) => {
    for (const m of String(data).matchAll(/^reveal \((folder|open)\): (.*)$/gm)) revealed.push({ action: m[1] as 'folder' | 'open', path: m[2]! })
    for (const m of String(data).matchAll(/^openLink: (.*)$/gm)) opened.push(m[1]!)
  })
  const opened: string[] = []
  const page = await app.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  const host: TestHost = {
    url: page.url(),
    async call<K extends OperationName>(op: K, ...request: RequestOf<K> extends undefined ? [] : [RequestOf<K>]): Promise<ResponseOf<K>> {
      const result = await page.evaluate(async ([name, req]) => {
        const api = (globalThis as unknown as { lanchat: Record<string, (r?: unknown) => Promise<Result<unknown>>> }).lanchat
        return await api[name]!(req)
      }, [op, request[0]] as const)
      if (!result.ok) throw Object.assign(new Error(result.error.message), { name: result.error.name })
      return result.value as ResponseOf<K>
    },
    get failure() { return undefined },
    badge: async () => await app.evaluate(({ app: electronApp }) => electronApp.getBadgeCount()),
    clipboard: async () => await app.evaluate(({ clipboard }) => clipboard.readText()),
    revealed: () => [...revealed],
    opened: () => [...opened],
    async emit(event) {
      await app.evaluate(({ BrowserWindow }, [channel, payload]) => { BrowserWindow.getAllWindows()[0]?.webContents.send(channel, payload) }, [EVENT_CHANNEL, event] as const)
    },
    async close() { await app.close() }
  }
  return { host, context: app.context(), page }
}
