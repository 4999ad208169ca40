/**
 * Helpers for the end-to-end UI tests: real engines in UI test hosts, driven
 * through the real UI in Chromium (found by ../browser.ts, driven by
 * playwright-core). Each peer gets its own browser context, like its own window.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../browser.js'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startTestHost, type TestHost, type TestHostOptions } from '../host/host.js'
import { launchElectron, LAUNCHER } from './electron-peer.js'

export { LAUNCHER } from './electron-peer.js'

/** Polls until the UI shows what is expected; generous, the machine is shared. */
export const eventually = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 })


const dirs: string[] = []
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lanchat-ui-${prefix}-`))
  dirs.push(dir)
  return dir
}
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise<void>((done) => server.close(() => done()))
  return port
}

export interface Peer {
  host: TestHost
  context: BrowserContext
  page: Page
  dataDir: string
  /** Uncaught page errors: a test fails if the UI threw. */
  errors: string[]
  close(): Promise<void>
}

/**
 * Starts a test host on `dataDir` and opens its page in a fresh browser
 * context — or, with LANCHAT_E2E=electron, the real Electron app on it.
 */
export async function openPeer(browser: Browser | undefined, options: Partial<TestHostOptions> & { dataDir?: string, localStorage?: Record<string, string>, timezoneId?: string, locale?: string, fakeClock?: boolean } = {}): Promise<Peer> {
  const { localStorage: stored, timezoneId, locale, fakeClock, ...hostOptions } = options
  const dataDir = options.dataDir ?? tempDir('peer')
  const errors: string[] = []
  if (LAUNCHER === 'electron') {
    if (stored !== undefined) throw new Error('localStorage is seeded only in Chromium pages')
    if (timezoneId !== undefined || locale !== undefined || fakeClock === true) throw new Error('a time zone, a locale and a clock are set only for Chromium pages')
    const { host, context, page } = await launchElectron({ ...hostOptions, dataDir })
    page.on('pageerror', (err) => errors.push(err.message))
    return { host, context, page, dataDir, errors, close: () => host.close() }
  }
  if (browser === undefined) throw new Error('no browser launched')
  const host = await startTestHost({ ...hostOptions, dataDir })
  // A window in another time zone than the machine's (`timezoneId`: an IANA name), or another locale (`locale`: en-US has 12-hour clocks).
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 }, ...(timezoneId !== undefined ? { timezoneId } : {}), ...(locale !== undefined ? { locale } : {}) })
  // A page whose clock the test moves (`page.clock`) from its first timer on: it runs as a real one until then.
  if (fakeClock === true) await context.clock.install()
  // What a window kept from an earlier run (each page load here is a new origin: the host's port).
  if (stored !== undefined) await context.addInitScript((items) => { for (const [k, v] of Object.entries(items)) (globalThis as unknown as { localStorage: { setItem: (k: string, v: string) => void } }).localStorage.setItem(k, v) }, stored)
  const page = await context.newPage()
  page.on('pageerror', (err) => errors.push(err.message))
  await page.goto(host.url)
  return {
    host,
    context,
    page,
    dataDir,
    errors,
    async close() {
      await context.close()
      await host.close()
    }
  }
}

/**
 * Let the page write to the clipboard (its Copy buttons): in Chromium, granted
 * as a browser would be asked; the real app grants it itself (main/index.ts),
 * which is what its run tests.
 */
export async function allowClipboard(peer: Peer): Promise<void> {
  if (LAUNCHER === 'host') await peer.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(peer.host.url).origin })
}

/**
 * What a Copy button put on the clipboard: in the real app the system's, read
 * by Electron's main; in Chromium the page's, read there (after allowClipboard).
 */
export async function clipboardOf(peer: Peer): Promise<string> {
  if (peer.host.clipboard !== undefined) return await peer.host.clipboard()
  return await peer.page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText: () => Promise<string> } } }).navigator.clipboard.readText())
}

export async function chooseName(page: Page, name: string): Promise<void> {
  await eventually(() => page.getByRole('heading', { name: 'Welcome to LAN Chat' }).isVisible()).toBe(true)
  await page.getByLabel('Display name').fill(name)
  await page.getByRole('button', { name: 'Start chatting' }).click()
  await eventually(() => page.getByTestId('self-name').textContent()).toBe(name)
}

/** The TCP port the page's status bar says the engine listens on. */
export async function listenPort(page: Page): Promise<number> {
  await eventually(() => page.getByTestId('listen-addrs').textContent()).toMatch(/^Listening on [\d.]+:\d+/)
  const text = (await page.getByTestId('listen-addrs').textContent()) ?? ''
  return Number(/^Listening on [\d.]+:(\d+)/.exec(text)![1])
}

export async function connectByAddress(page: Page, address: string): Promise<void> {
  await page.getByRole('button', { name: 'Connect to address…' }).click()
  await page.getByRole('textbox', { name: 'Address', exact: true }).fill(address)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
}

export async function peerCount(page: Page): Promise<string> {
  return (await page.getByTestId('peer-count').textContent()) ?? ''
}

/** Types into the composer wherever it points (#room, @name or an invite-only room) and sends. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^Message / })
  // Behind an open dialog the box is inert: fill "succeeds" and types nothing. Say so, not "Send stayed disabled".
  // One closing by itself (Connect to address, closed once the dial it started resolves, which may come after the
  // other end already counts the link) is waited for a moment.
  const dialogs = await expect.poll(() => page.getByRole('dialog').count(), { timeout: 5_000, interval: 50 }).toBe(0).then(() => 0, () => 1)
  if (dialogs > 0) throw new Error(`send("${text}"): a dialog is open (${(await page.getByRole('dialog').first().getAttribute('aria-label')) ?? 'unnamed'}), the composer behind it takes no typing`)
  await box.fill(text)
  // Enter does nothing while the engine is still starting (the box says so): wait until Send is enabled.
  await eventually(() => page.getByRole('button', { name: 'Send', exact: true }).isEnabled()).toBe(true)
  await box.press('Enter')
  // The composer empties once the UI has taken the message.
  await eventually(() => box.inputValue()).toBe('')
}

export interface Shown {
  author: string
  text: string
  lamport: string
  state: string
}

/** The messages the page shows, top to bottom (the list is virtualized: only rendered rows). */
/**
 * Bob joins #random, asks there (Alice has it), and leaves the room: he is back in the lobby and
 * #random is no longer kept as joined. Answers what the tests of a left room look at next.
 */
export async function leftRandom(a: Peer, b: Peer): Promise<{ heading: () => Promise<string | null>; rooms: ReturnType<Page['getByRole']>; joinedKept: () => Promise<boolean> }> {
  const heading = () => b.page.getByRole('heading', { level: 1 }).textContent()
  await b.page.getByRole('button', { name: 'Create or join a room' }).click()
  await b.page.getByLabel('Room name').fill('random')
  await b.page.getByRole('button', { name: 'Join room' }).click()
  await eventually(heading).toBe('#random')
  await send(b.page, 'who has the projector key?')
  await eventually(async () => (await a.host.call('history', { room: 'random' })).length).toBe(1)
  const rooms = b.page.getByRole('navigation', { name: 'Rooms', exact: true })
  await rooms.locator('[data-room="random"]').hover()
  await rooms.getByRole('button', { name: 'Leave #random' }).click()
  await eventually(heading).toBe('#lobby')
  const joinedKept = async (): Promise<boolean> => (await b.host.call('snapshot')).settings.joined?.includes('random') === true
  await eventually(joinedKept).toBe(false)
  return { heading, rooms, joinedKept }
}

export async function shownMessages(page: Page): Promise<Shown[]> {
  return page.getByTestId('message').evaluateAll((rows) =>
    rows.map((row) => {
      // Runs in the page; typed by hand since the Node world has no DOM types.
      const el = row as unknown as { dataset: Record<string, string | undefined>; querySelector(sel: string): { textContent: string | null } | null }
      return {
        author: el.dataset.author ?? '',
        text: el.querySelector('[data-testid="message-text"]')?.textContent ?? '',
        lamport: el.dataset.lamport ?? '',
        state: el.dataset.state ?? ''
      }
    })
  )
}

export const texts = (shown: Shown[]): string[] => shown.map((m) => m.text)

/** How many pixels of the message list are below its view (0 at its very bottom). */
export async function belowView(page: Page): Promise<number> {
  return page.locator('.virtuoso').evaluate((l) => {
    const el = l as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number }
    return el.scrollHeight - el.clientHeight - el.scrollTop
  })
}

/**
 * How many pixels of `target` (the first element it matches) are below the
 * visible part of the page's message list: 0 when all of it can be seen.
 */
export async function hiddenBelowList(page: Page, target: string): Promise<number> {
  return page.locator('.virtuoso').evaluate((l, sel) => {
    const el = (l as unknown as { querySelector: (s: string) => { getBoundingClientRect: () => { bottom: number } } | null; getBoundingClientRect: () => { bottom: number } })
    const t = el.querySelector(sel)
    if (t === null) return Infinity
    return Math.max(0, t.getBoundingClientRect().bottom - el.getBoundingClientRect().bottom)
  }, target)
}

/**
 * What a page's message list is doing, in words for a failure message: its
 * last rows, its jump buttons, a "New messages" line, and how much of it
 * is below the view (a list that stopped following the newest has some).
 */
export async function listState(page: Page): Promise<string> {
  const rows = texts(await shownMessages(page)).slice(-4).map((t) => (t.length > 60 ? `${t.slice(0, 57)}…` : t)).join(' | ')
  const buttons = await page.locator('button.jump').allTextContents()
  const dividers = await page.getByTestId('new-divider').count()
  const below = (await page.locator('.virtuoso').count()) === 1 ? `${Math.round(await belowView(page))} px of it below the view` : 'no list'
  return `the list showed ... ${rows}; jump buttons: ${JSON.stringify(buttons)}; "New messages" lines: ${dividers}; ${below}`
}

/** Two named peers, B connected to A by ip:port through the Connect dialog. */
export async function twoConnectedPeers(browser: Browser | undefined): Promise<{ a: Peer; b: Peer }> {
  // Named from the start and linked by the engine's own dial (the operation the Connect dialog calls): what
  // the welcome screen and the dialog do, other tests go through (chat, dialogs); here they are only the way in.
  const [a, b] = await Promise.all([openPeer(browser, { defaults: { name: 'Alice' } }), openPeer(browser, { defaults: { name: 'Bob' } })])
  const port = await listenPort(a.page)
  await b.host.call('dial', { address: `127.0.0.1:${port}` })
  try {
    await eventually(() => peerCount(a.page)).toBe('1 peer connected')
    await eventually(() => peerCount(b.page)).toBe('1 peer connected')
  } catch (err) {
    // Seen once in a full run and not again alone: say what each window was telling its user (a failed dial is a toast).
    const told = async (p: Page): Promise<string> => JSON.stringify(await p.locator('.toast').allTextContents())
    throw new Error(`${(err as Error).message}\nBob dialed 127.0.0.1:${port}; Alice's toasts ${await told(a.page)}, Bob's ${await told(b.page)}; Bob's dialog open: ${await b.page.getByRole('dialog').count()}`, { cause: err })
  }
  return { a, b }
}

/** What every e2e file sets up: one Chromium for the file, and the peers a test opened. */
export interface Session {
  /** The Chromium of the file (undefined with LANCHAT_E2E=electron: each peer is an Electron app). */
  readonly browser: Browser | undefined
  /** Closed after each test, which fails if their pages threw. */
  readonly open: Peer[]
  /** Two peers connected to each other, closed after the test. */
  pair: () => Promise<{ a: Peer; b: Peer }>
  /** Alice and Bob as `pair`, then Carol, who types Alice's address only: each linked to the other two (peer exchange). */
  trio: () => Promise<{ a: Peer; b: Peer; c: Peer }>
}

/** Registers the file's hooks: launch the browser, close each test's peers, clean up at the end. */
/** One engine's view, for a failed test's output: its status, its links and the lobby's last messages. */
async function engineState(peer: Peer): Promise<string> {
  try {
    const { status } = await peer.host.call('snapshot')
    const peers = await peer.host.call('peers')
    const lobby = await peer.host.call('history', { room: 'lobby', limit: 5 })
    const links = peers.map((p) => `  ${p.name || '?'} ${p.peerId.slice(-6)} ${p.connected ? 'connected' : 'not connected'} ${p.presence ?? ''} ${(p.addrs ?? []).join(' ')}`)
    return [`engine of ${peer.dataDir}: ${JSON.stringify(status)}`, ...links, `  lobby: ${JSON.stringify(lobby.map((m) => m.text))}`, await pageState(peer.page)].join('\n')
  } catch (err) {
    return `engine of ${peer.dataDir}: ${(err as Error).message}`
  }
}

/** What the page shows, for a failed test's output: the conversation's name, and its rows with the New messages line. */
async function pageState(page: Page): Promise<string> {
  try {
    const heading = await page.getByRole('heading', { level: 1 }).first().textContent({ timeout: 1_000 })
    const rows = await page.locator('[data-testid="message"], [data-testid="new-divider"]').evaluateAll((els) =>
      els.map((el) => {
        const e = el as unknown as { dataset: Record<string, string | undefined>; querySelector(sel: string): { textContent: string | null } | null }
        return e.dataset.testid === 'new-divider' ? '--- new ---' : e.querySelector('[data-testid="message-text"]')?.textContent ?? ''
      }))
    return `  page: ${heading ?? '?'} ${JSON.stringify(rows)}`
  } catch (err) {
    return `  page: ${(err as Error).message.split('\n')[0] ?? ''}`
  }
}

export function useSession(): Session {
  let browser: Browser | undefined
  const open: Peer[] = []
  beforeAll(async () => {
    if (LAUNCHER === 'host') browser = await launchChromium()
  })
  afterEach(async (context) => {
    // A failed test says what each engine saw, to tell "never linked" from "linked but not caught up".
    if (context.task.result?.state === 'fail') for (const peer of open) console.error(await engineState(peer))
    for (const peer of open.splice(0)) {
      expect(peer.errors, 'uncaught errors in the page').toEqual([])
      await peer.close()
    }
  })
  afterAll(async () => {
    await browser?.close()
    removeTempDirs()
  })
  const session: Session = {
    get browser(): Browser | undefined {
      return browser
    },
    open,
    async pair() {
      const peers = await twoConnectedPeers(session.browser)
      open.push(peers.a, peers.b)
      return peers
    },
    async trio() {
      const { a, b } = await session.pair()
      const c = await openPeer(session.browser, { defaults: { name: 'Carol' } })
      open.push(c)
      await c.host.call('dial', { address: `127.0.0.1:${await listenPort(a.page)}` })
      for (const p of [a, b, c]) await eventually(() => peerCount(p.page)).toBe('2 peers connected')
      return { a, b, c }
    }
  }
  return session
}
