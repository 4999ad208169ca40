/**
 * Makes docs/screenshot-files.png: two UI test hosts (two real engines on
 * loopback) in Chromium; Alice shares an image and a file through the UI,
 * Bob downloads the file. Run with `npm run screenshot:files`.
 */
import { png } from '../helpers/png.js'
import { say, withPeers } from './screenshot.js'

export async function makeFileShot(out: string): Promise<void> {
  await withPeers(['Alice Martin', 'Bob Okafor'], async ([a, b]) => {
    const [alice, bob] = [a!.page, b!.page]
    const { status } = await a!.host.call('snapshot')
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
  })
}
