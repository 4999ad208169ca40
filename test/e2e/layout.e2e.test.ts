/**
 * End to end, issue 10's layout and status defects: what the window shows
 * about the connection, the rooms and the panels, in real Chromium.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chooseName, eventually, openPeer, useSession } from './harness.js'

const session = useSession()
const { open } = session

async function onePeer(name: string): Promise<Page> {
  const peer = await openPeer(session.browser)
  open.push(peer)
  await chooseName(peer.page, name)
  return peer.page
}

describe('the connection state', () => {
  it('the status bar and the banner agree when the server cannot be reached', async () => {
    const page = await onePeer('Ivy')
    await eventually(() => page.getByTestId('connection').textContent()).toBe('Online')
    await page.getByRole('button', { name: 'Settings' }).click()
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByLabel('Client–server').check()
    await dialog.getByLabel('Server address').fill('127.0.0.1:1')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => page.getByTestId('pending-banner').textContent()).toMatch(/^server unreachable/)
    await eventually(() => page.getByTestId('connection').textContent()).toBe('Server unreachable')
    expect(await page.locator('.chat-header').textContent()).toContain('hub unreachable')
  })
})
