/**
 * Makes docs/screenshot.png from a real conversation: two UI test hosts (two
 * real engines on loopback), two Chromium pages, messages typed through the
 * UI. Run with `npm run screenshot` (it builds first).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchChromium } from '../browser.js'
import { startTestHost, type TestHost } from './host.js'

export { launchChromium }

/** Get past the first-run screen under this name. */
export async function named(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Display name' }).fill(name)
  await page.getByRole('button', { name: 'Start chatting' }).click()
  await page.getByTestId('self-name').filter({ hasText: name }).waitFor()
}

/** Type `text` into the open conversation's box and send it (a room's, "Message #lobby", or an invite-only room's, named as shown). */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^Message / })
  await box.fill(text)
  await box.press('Enter')
}

async function waitForCount(page: Page, count: number): Promise<void> {
  // Runs in the page (as a function: a string would need 'unsafe-eval', which the CSP forbids).
  await page.waitForFunction(
    (n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } })
      .document.querySelectorAll('[data-testid="message"][data-state="delivered"]').length === n,
    count,
    { timeout: 15_000 }
  )
}

/**
 * One test host (a real engine on loopback) per name, each with its own page in one Chromium,
 * past the first run under that name; `shoot` runs with them, and all of it is closed after.
 */
export async function withPeers(names: readonly string[], shoot: (peers: Array<{ host: TestHost; page: Page }>) => Promise<void>, colorScheme: 'light' | 'dark' = 'light'): Promise<void> {
  const dirs: string[] = []
  const hosts: TestHost[] = []
  const browser = await launchChromium()
  try {
    const peers: Array<{ host: TestHost; page: Page }> = []
    for (const name of names) {
      const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-shot-'))
      dirs.push(dataDir)
      const host = await startTestHost({ dataDir })
      hosts.push(host)
      const context = await browser.newContext({ viewport: { width: 1120, height: 680 }, deviceScaleFactor: 1, colorScheme })
      const page = await context.newPage()
      await page.goto(host.url)
      await named(page, name)
      peers.push({ host, page })
    }
    await shoot(peers)
  } finally {
    await browser.close()
    for (const host of hosts) await host.close()
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  }
}

export async function makeScreenshot(out: string, colorScheme: 'light' | 'dark' = 'light'): Promise<void> {
  await withPeers(['Alice Martin', 'Bob Okafor'], async ([a, b]) => {
    const [alice, bob] = [a!.page, b!.page]
    const hosts = [a!.host, b!.host]

    const { status } = await hosts[0]!.call('snapshot')
    const addrs = status.state === 'running' ? status.addrs : []
    const port = /\/tcp\/(\d+)/.exec(addrs[0] ?? '')?.[1]
    await bob.getByRole('button', { name: 'Connect to address…' }).click()
    await bob.getByRole('textbox', { name: 'Address', exact: true }).fill(`127.0.0.1:${port}`)
    await bob.getByRole('button', { name: 'Connect', exact: true }).click()
    await alice.getByTestId('peer-count').filter({ hasText: '1 peer connected' }).waitFor({ timeout: 15_000 })

    const lines: Array<[Page, string]> = [
      [alice, 'Hi Bob! Is the build green on your side?'],
      [bob, 'Yes, all tests pass. I am writing the release notes now.'],
      [alice, 'Great. Both our laptops show the same order, even though their clocks disagree by a few seconds.'],
      [bob, 'That is the Lamport stamp on the right of each message:\norder by (stamp, author), never by wall clock.'],
      [alice, 'Ship it!']
    ]
    for (const [i, [page, text]] of lines.entries()) {
      await say(page, text)
      await waitForCount(alice, i + 1)
      await waitForCount(bob, i + 1)
    }
    // Bob pins his line on the order, for everyone: Alice's row says so, and her header counts it.
    const stamp = bob.getByTestId('message').filter({ hasText: 'That is the Lamport stamp' })
    await stamp.hover()
    await stamp.getByRole('button', { name: 'Pin message' }).click()
    await alice.getByTestId('message').filter({ hasText: 'That is the Lamport stamp' }).getByTestId('pinned-mark').waitFor({ timeout: 15_000 })
    // Bob says what he is up to: his status shows under his name in Alice's peer list.
    await hosts[1]!.call('setStatus', { status: 'Writing the release notes' })
    await alice.getByTestId('peer-status').filter({ hasText: 'Writing the release notes' }).waitFor({ timeout: 15_000 })
    // A second room with something unread, so the sidebar shows it.
    await bob.getByRole('button', { name: 'Create or join a room' }).click()
    await bob.getByRole('textbox', { name: 'Room name' }).fill('design')
    await bob.getByRole('button', { name: 'Join room' }).click()
    await bob.getByRole('heading', { name: '#design' }).waitFor()
    await say(bob, 'New mockups are up')
    await alice.locator('[data-room="design"] .unread').waitFor({ timeout: 15_000 })
    await alice.getByRole('textbox', { name: /^Message #/ }).fill('Looking now')
    // Keep the pointer off the messages and the header, so nothing shows its hover state.
    await alice.mouse.move(640, 140)
    await alice.screenshot({ path: out })
  }, colorScheme)
}
