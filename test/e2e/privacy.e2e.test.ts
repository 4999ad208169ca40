/**
 * End to end, issue 16 ("Private conversations") through the real UI in
 * Chromium: the network key in Settings.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chooseName, connectByAddress, eventually, listenPort, openPeer, peerCount, useSession } from './harness.js'

const session = useSession()
const { open } = session

async function onePeer(name: string): Promise<Page> {
  const peer = await openPeer(session.browser)
  open.push(peer)
  await chooseName(peer.page, name)
  return peer.page
}

async function openSettings(page: Page): Promise<ReturnType<Page['getByRole']>> {
  await page.getByRole('button', { name: 'Settings' }).click()
  return page.getByRole('dialog', { name: 'Settings' })
}

describe('the network key', () => {
  it('a malformed key is refused and nothing changes; a generated key keeps out a peer without it, and the same key pasted lets it in', async () => {
    const a = await onePeer('Ada')
    const b = await onePeer('Bea')
    const portBefore = await listenPort(a)

    let dialog = await openSettings(a)
    await dialog.getByLabel('Only computers with this network key can connect').check()
    await dialog.getByLabel('Network key (64 hex digits)').fill('not a key')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.getByRole('alert').textContent()).toMatch(/network key/i)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    dialog = await openSettings(a)
    expect(await dialog.getByLabel('Only computers with this network key can connect').isChecked()).toBe(false)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(await listenPort(a)).toBe(portBefore)

    dialog = await openSettings(a)
    await dialog.getByLabel('Only computers with this network key can connect').check()
    await dialog.getByRole('button', { name: 'Generate' }).click()
    const key = await dialog.getByLabel('Network key (64 hex digits)').inputValue()
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.isVisible()).toBe(false)

    // Bea has no key: the handshake fails, and neither side shows a peer.
    const port = await listenPort(a)
    await connectByAddress(b, `127.0.0.1:${port}`)
    const connect = b.getByRole('dialog', { name: 'Connect to address' })
    await eventually(() => connect.getByRole('alert').isVisible()).toBe(true)
    await b.keyboard.press('Escape')
    expect(await peerCount(a)).not.toBe('1 peer connected')

    dialog = await openSettings(b)
    await dialog.getByLabel('Only computers with this network key can connect').check()
    await dialog.getByLabel('Network key (64 hex digits)').fill(key.toUpperCase())
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.isVisible()).toBe(false)
    await connectByAddress(b, `127.0.0.1:${port}`)
    await eventually(() => peerCount(a)).toBe('1 peer connected')
    await eventually(() => peerCount(b)).toBe('1 peer connected')
  })
})
