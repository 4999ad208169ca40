/**
 * End to end, issue 10's layout and status defects: what the window shows
 * about the connection, the rooms and the panels, in real Chromium.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chooseName, eventually, openPeer, send, shownMessages, texts, useSession } from './harness.js'

const session = useSession()
const { open, pair } = session

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

describe('rooms', () => {
  it('shows the room name as it will be while typing, and lists rooms one has not joined apart', async () => {
    const { a, b } = await pair()
    await a.page.getByRole('button', { name: 'Create or join a room' }).click()
    await a.page.getByLabel('Room name').pressSequentially('Design Team!')
    const preview = a.page.getByTestId('room-preview')
    await eventually(() => preview.textContent()).toMatch(/^Room names are lowercase with - for spaces: You will join #design-team!/)
    await a.page.getByLabel('Room name').press('Enter')
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#design-team!')
    await send(a.page, 'Mockups are ready')

    // Bob did not join it: it is listed apart, with its unread count, not among his rooms.
    const others = b.page.getByRole('navigation', { name: 'Other rooms on the network' })
    const mine = b.page.getByRole('navigation', { name: 'Rooms', exact: true })
    await eventually(() => others.locator('[data-room="design-team!"]').getByLabel('1 unread').isVisible()).toBe(true)
    expect(await mine.locator('[data-room="design-team!"]').count()).toBe(0)
    // Opening it joins it.
    await others.locator('[data-room="design-team!"]').click()
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['Mockups are ready'])
    await eventually(() => mine.locator('[data-room="design-team!"]').count()).toBe(1)
    expect(await others.count()).toBe(0)
    // Still joined after a reload of the window.
    await b.page.locator('[data-room="lobby"]').click()
    await b.page.reload()
    await eventually(() => mine.locator('[data-room="design-team!"]').count()).toBe(1)
    expect(await others.count()).toBe(0)
  })
})
