/**
 * End to end: what is live about people, through the UI in Chromium. Typing
 * in the composer shows "Alice is typing…" under Bob's list until Alice's
 * message arrives; Alice setting herself away turns her dot in Bob's peer
 * list and next to her name to "away"; closing her app shows her offline
 * with when she was last seen. A link in a message opens through the host.
 */
import { describe, expect, it } from 'vitest'
import { eventually, send, useSession } from './harness.js'

const session = useSession()

describe('people', () => {
  it('shows who is typing until their message comes, and their presence in the peer list and next to their name', async () => {
    const { a, b } = await session.pair()
    const typing = b.page.getByTestId('typing')
    await expect(typing.textContent()).resolves.toBe('')
    await a.page.getByRole('textbox', { name: /^Message #/ }).pressSequentially('hello th', { delay: 20 })
    await eventually(() => typing.textContent()).toBe('Alice is typing…')
    // The line is a polite live region: screen readers hear it without losing their place.
    await expect(typing.getAttribute('role')).resolves.toBe('status')
    await send(a.page, 'hello there')
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'hello there' }).count()).toBe(1)
    await eventually(() => typing.textContent()).toBe('')

    // Presence: a dot with a label, in the peer list and next to her name on her message.
    const alice = b.page.getByTestId('peer').filter({ hasText: 'Alice' })
    await eventually(() => alice.getByRole('img', { name: 'online' }).count()).toBe(1)
    await a.page.getByRole('button', { name: /^You are online: set yourself away$/ }).click()
    await eventually(() => alice.getByRole('img', { name: 'away' }).count()).toBe(1)
    const byline = b.page.getByTestId('message').filter({ hasText: 'hello there' })
    await eventually(() => byline.getByRole('img', { name: 'away' }).count()).toBe(1)
    await a.page.getByRole('button', { name: /^You are away: set yourself online$/ }).click()
    await eventually(() => alice.getByRole('img', { name: 'online' }).count()).toBe(1)

    // Alice leaves: offline, with when she was last seen.
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    await eventually(async () => (await alice.getByRole('img').getAttribute('aria-label')) ?? '').toMatch(/^offline, last seen \d/)
  })

  it('makes http(s) links clickable and has the host open them, never the page; other schemes stay text', async () => {
    const { a, b } = await session.pair()
    await send(b.page, 'the notes: https://example.com/notes?id=7. not javascript:alert(1) nor file:///etc/passwd')
    const message = a.page.getByTestId('message').filter({ hasText: 'the notes' })
    await eventually(() => message.count()).toBe(1)
    const links = message.getByRole('link')
    await expect(links.count()).resolves.toBe(1)
    const url = a.page.url()
    await links.first().click()
    await eventually(() => a.host.opened()).toEqual(['https://example.com/notes?id=7'])
    // The window stayed where it was: nothing navigated, nothing was fetched.
    expect(a.page.url()).toBe(url)
  })
})
