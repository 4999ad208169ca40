/**
 * Screenshots of the networking views for the README (docs/view-*.png), from
 * a real session: three UI test hosts (three real engines on loopback), one
 * Chromium page each, everything done through the UI. Run with
 * `npm run screenshots:views` (it builds first).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { startTestHost, type TestHost } from './host.js'
import { launchChromium, named } from './screenshot.js'

type Tab = 'Sockets' | 'Space-time' | 'Contrast' | 'Partition lab' | 'Walkthrough'

const idle = (ms: number) => new Promise((done) => setTimeout(done, ms))

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^Message / })
  await box.fill(text)
  await box.press('Enter')
  await idle(150)
}

async function connect(page: Page, host: TestHost, peers: string): Promise<void> {
  const { status } = await host.call('snapshot')
  const addrs = status.state === 'running' ? status.addrs : []
  await page.getByRole('button', { name: 'Connect to address…' }).click()
  await page.getByRole('textbox', { name: 'Address', exact: true }).fill(`127.0.0.1:${/\/tcp\/(\d+)/.exec(addrs[0] ?? '')?.[1]}`)
  await page.getByRole('button', { name: 'Connect', exact: true }).click()
  await page.getByTestId('peer-count').filter({ hasText: peers }).waitFor({ timeout: 15_000 })
}

async function tab(page: Page, name: Tab): Promise<void> {
  if ((await page.getByRole('tablist', { name: 'Network views' }).count()) === 0) await page.getByRole('button', { name: 'Network' }).click()
  await page.getByRole('tab', { name }).click()
}

async function settings(page: Page, change: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click()
  await change()
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await page.getByRole('dialog', { name: 'Settings' }).waitFor({ state: 'hidden' })
}

export async function makeViewShots(outDir: string): Promise<string[]> {
  const dirs = await Promise.all(['a', 'b', 'c'].map((n) => mkdtemp(join(tmpdir(), `lanchat-views-${n}-`))))
  const hosts: TestHost[] = []
  const written: string[] = []
  const browser = await launchChromium()
  const shot = async (page: Page, name: string): Promise<void> => {
    await page.mouse.move(5, 700)
    await idle(400)
    const path = join(outDir, `view-${name}.png`)
    await page.screenshot({ path })
    written.push(path)
  }
  try {
    for (const dataDir of dirs) hosts.push(await startTestHost({ dataDir }))
    const pages: Page[] = []
    for (const host of hosts) {
      const context = await browser.newContext({ viewport: { width: 1360, height: 760 }, deviceScaleFactor: 1, colorScheme: 'light' })
      const page = await context.newPage()
      await page.goto(host.url)
      pages.push(page)
    }
    const [alice, bob, carol] = pages as [Page, Page, Page]
    await named(alice, 'Alice')
    await named(bob, 'Bob')
    await named(carol, 'Carol')
    await connect(bob, hosts[0]!, '1 peer connected')
    // Carol types Alice's address only: Alice tells her of Bob (peer exchange), and she links to him too.
    // (Waiting for "1 peer connected" first missed it, now and then, when that came within a poll.)
    await connect(carol, hosts[0]!, '2 peers connected')
    await say(alice, 'Standup in five minutes?')
    await say(bob, 'Sure, I will bring the coffee')
    await say(carol, 'On my way')

    // Partition lab: Alice cut off from everyone, both sides write, then heal.
    await tab(alice, 'Partition lab')
    await alice.getByRole('button', { name: /^Cut off/ }).click()
    await alice.getByTestId('peer-count').filter({ hasText: '0 peers connected' }).waitFor()
    await say(alice, 'Is anyone there? My Wi-Fi is acting up')
    await say(bob, 'Alice went quiet')
    await say(carol, 'Let us start without her')
    await shot(alice, 'lab-partitioned')
    await alice.getByRole('button', { name: 'Heal' }).click()
    await alice.getByTestId('merged').filter({ hasText: 'merged 2 messages' }).waitFor({ timeout: 15_000 })
    await shot(alice, 'lab-healed')

    await alice.getByLabel('Message order').selectOption('arrival')
    await tab(alice, 'Sockets')
    await shot(alice, 'sockets')
    await alice.getByLabel('Message order').selectOption('lamport')

    await tab(alice, 'Space-time')
    await alice.locator('[data-testid="send-event"] circle').last().click()
    await shot(alice, 'spacetime')

    // The lecture's example on three extra engines.
    await tab(alice, 'Walkthrough')
    await alice.getByTestId('walkthrough').getByRole('button', { name: '7', exact: true }).click()
    await alice.getByRole('button', { name: 'Start Sally, James and Henry' }).click()
    await alice.getByRole('heading', { name: '#causal-demo' }).waitFor()
    for (let step = 1; step <= 5; step++) {
      await alice.getByRole('button', { name: `Run step ${step}` }).click()
      await alice.locator('.demo-steps li.done').nth(step - 1).waitFor()
    }
    await alice.getByTestId('henry-order').locator('li').nth(2).waitFor({ timeout: 15_000 })
    await shot(alice, 'walkthrough')
    await tab(alice, 'Space-time')
    // Every delivery drawn: the three messages to each of the three others (the last receipts come in a summary, seconds later).
    await alice.getByText('3 messages, 9 deliveries').waitFor({ timeout: 20_000 })
    await alice.locator('[data-testid="send-event"] circle').last().click()
    await shot(alice, 'spacetime-causal')
    await tab(alice, 'Walkthrough')
    await alice.getByTestId('walkthrough').getByRole('button', { name: '7', exact: true }).click()
    await alice.getByRole('button', { name: 'Stop the three engines' }).click()
    await alice.locator('[data-room="lobby"]').click()

    // Client-server: Alice hosts the hub, Bob and Carol join it; then Carol is cut off from it.
    await settings(alice, () => alice.getByLabel('Host a server on this computer').check())
    const hub = (await hosts[0]!.call('snapshot')).hub!.addrs[0]!
    for (const page of [bob, carol]) {
      await settings(page, async () => {
        await page.getByLabel('Client–server').check()
        await page.getByLabel('Server address').fill(hub)
      })
    }
    await say(bob, 'Now the hub numbers every message')
    await say(carol, 'And it is the only one I talk to')
    await tab(alice, 'Contrast')
    await alice.getByTestId('hub-stats').filter({ hasText: '3 client sockets' }).waitFor({ timeout: 15_000 })
    await shot(alice, 'contrast')
    await tab(alice, 'Sockets')
    await shot(alice, 'sockets-hub')
    await tab(carol, 'Partition lab')
    await carol.getByRole('button', { name: 'Cut off from the hub' }).click()
    await say(carol, 'Hello? Anyone?')
    await carol.getByTestId('pending-banner').filter({ hasText: 'server unreachable, 1 pending' }).waitFor()
    await shot(carol, 'client-pending')
    return written
  } finally {
    await browser.close()
    for (const host of hosts) await host.close()
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  }
}
