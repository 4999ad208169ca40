/**
 * Makes docs/screenshot-files.png: two UI test hosts (two real engines on
 * loopback) in Chromium; Alice shares an image and a file through the UI,
 * Bob downloads the file. Run with `npm run screenshot:files`.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchChromium } from '../browser.js'
import { png } from '../helpers/png.js'
import { startTestHost, type TestHost } from './host.js'
import { named } from './screenshot.js'

async function say(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /^Message #/ })
  await box.fill(text)
  await box.press('Enter')
}

export async function makeFileShot(out: string): Promise<void> {
  const dirs = [await mkdtemp(join(tmpdir(), 'lanchat-shot-a-')), await mkdtemp(join(tmpdir(), 'lanchat-shot-b-'))]
  const hosts: TestHost[] = []
  const browser = await launchChromium()
  try {
    for (const dataDir of dirs) hosts.push(await startTestHost({ dataDir }))
    const pages: Page[] = []
    for (const host of hosts) {
      const context = await browser.newContext({ viewport: { width: 1120, height: 680 }, deviceScaleFactor: 1 })
      const page = await context.newPage()
      await page.goto(host.url)
      pages.push(page)
    }
    const [alice, bob] = pages as [Page, Page]
    await named(alice, 'Alice Martin')
    await named(bob, 'Bob Okafor')
    const { status } = await hosts[0]!.call('snapshot')
    const port = /\/tcp\/(\d+)/.exec(status.state === 'running' ? status.addrs[0] ?? '' : '')?.[1]
    await bob.getByRole('button', { name: 'Connect to address…' }).click()
    await bob.getByRole('textbox', { name: 'Address', exact: true }).fill(`127.0.0.1:${port}`)
    await bob.getByRole('button', { name: 'Connect', exact: true }).click()
    await alice.getByTestId('peer-count').filter({ hasText: '1 peer connected' }).waitFor({ timeout: 15_000 })

    // Attached, then sent with the words typed as its caption.
    await alice.getByTestId('file-input').setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: png(800, 500) })
    await say(alice, 'The view from the office roof last night')
    await bob.getByTestId('file-thumbnail').waitFor({ timeout: 15_000 })
    await say(bob, 'Wow!')
    await bob.getByTestId('file-input').setInputFiles({ name: 'quarterly-review.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(2_400_000, 7) })
    await say(bob, 'And here are the slides for tomorrow.')
    const card = alice.getByTestId('file-card').filter({ hasText: 'quarterly-review.pdf' })
    await card.waitFor({ timeout: 15_000 })
    await card.getByRole('button', { name: 'Download quarterly-review.pdf' }).click()
    await card.getByTestId('file-saved').waitFor({ timeout: 15_000 })
    await alice.mouse.move(700, 20)
    await alice.screenshot({ path: out })
  } finally {
    await browser.close()
    for (const host of hosts) await host.close()
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  }
}
