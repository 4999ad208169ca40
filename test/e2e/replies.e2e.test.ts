/**
 * End to end: replies through the UI in Chromium. "Reply" on a message puts
 * it above the composer; the reply goes out with the quote above it on both
 * peers, and clicking the quote shows the original in its context, paging
 * it in when it is far above the loaded window.
 */
import { describe, expect, it } from 'vitest'
import { eventually, listState, send, useSession } from './harness.js'

const session = useSession()

describe('replies', () => {
  it('a reply shows its original above it on both peers, and the quote jumps to the original', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'who brings the cake?')
    // Enough after it that the original is outside the newest page.
    for (let i = 0; i < 250; i++) await a.host.call('send', { room: 'lobby', text: `filler ${i}` })
    await eventually(async () => (await b.host.call('history', { room: 'lobby', limit: 500 })).length).toBe(251)
    const original = (await b.host.call('history', { room: 'lobby', limit: 500 })).find((m) => m.text === 'who brings the cake?')!

    // b answers the newest filler from the UI: the reply bar names it, Escape would drop it.
    const last = b.page.getByTestId('message').filter({ hasText: 'filler 249' })
    await eventually(() => last.isVisible()).toBe(true).catch(async (err: unknown) => {
      // Seen once in a full CI run (as a burst's last message in rooms.e2e): say what the list was doing.
      throw new Error(`${(err as Error).message}\nBob's engine had all 251; ${await listState(b.page)}`)
    })
    await last.hover()
    await last.getByRole('button', { name: /^Reply to / }).click()
    await expect(b.page.getByTestId('replying').textContent()).resolves.toContain('filler 249')
    await send(b.page, 'me, after that one')
    await eventually(() => b.page.getByTestId('replying').count()).toBe(0)
    for (const page of [a.page, b.page]) {
      const reply = page.getByTestId('message').filter({ hasText: 'me, after that one' })
      await eventually(() => reply.getByTestId('quote').textContent()).toContain('filler 249')
    }

    // A reply to a message far above: its quote is looked up, and a click pages the original in.
    await b.host.call('send', { room: 'lobby', text: 'I will', replyTo: original.id })
    const answer = a.page.getByTestId('message').filter({ hasText: 'I will' })
    await eventually(() => answer.getByTestId('quote').textContent()).toContain('who brings the cake?')
    // Not in the window (the newest page) until the click asks for it.
    await expect(a.page.getByTestId('message').filter({ hasText: /^who brings the cake\?$/ }).count()).resolves.toBe(0)
    await answer.getByTestId('quote').click()
    const shown = a.page.locator('[data-testid="message"][aria-current="true"]')
    await eventually(() => shown.getByTestId('message-text').textContent()).toBe('who brings the cake?')

    // The quote and the reply bar show a formatted original as it reads, markers gone, on one line.
    await send(a.page, '**Cake** at `3pm`,\n_sharp_')
    const formatted = b.page.getByTestId('message').filter({ hasText: 'Cake at 3pm' })
    await eventually(() => formatted.isVisible()).toBe(true)
    await formatted.hover()
    await formatted.getByRole('button', { name: /^Reply to / }).click()
    await expect(b.page.getByTestId('replying').locator('span').textContent()).resolves.toBe('Replying to Alice: Cake at 3pm, sharp')
    await send(b.page, 'on my way')
    // (Alice's list still shows the original far above; Bob's is at the newest.)
    const onMyWay = b.page.getByTestId('message').filter({ hasText: 'on my way' })
    await eventually(() => onMyWay.getByTestId('quote').textContent()).toBe('↪ Alice: Cake at 3pm, sharp')
  })

  it('a quote and the reply bar read as the original reads now: edited, then deleted, near or far above', async () => {
    const { a, b } = await session.pair()
    const far = await a.host.call('send', { room: 'lobby', text: 'lunch at noon' })
    for (let i = 0; i < 250; i++) await a.host.call('send', { room: 'lobby', text: `filler ${i}` })
    const near = await a.host.call('send', { room: 'lobby', text: 'standup moved' })
    await eventually(async () => (await b.host.call('history', { room: 'lobby', limit: 500 })).length).toBe(252)
    await b.host.call('send', { room: 'lobby', text: 'ok for lunch', replyTo: far.id })
    await b.host.call('send', { room: 'lobby', text: 'ok for standup', replyTo: near.id })
    // Opened again (as at a start): the far original is not in the loaded window, its quote is looked up.
    await b.page.reload()
    const quote = (text: string) => b.page.getByTestId('message').filter({ hasText: text }).getByTestId('quote')
    await eventually(() => quote('ok for lunch').textContent()).toBe('↪ Alice: lunch at noon')
    await eventually(() => quote('ok for standup').textContent()).toBe('↪ Alice: standup moved')
    const original = b.page.getByTestId('message').filter({ hasText: 'standup moved', hasNotText: 'ok for' })
    // (From the keyboard: the row sits just above the reply rows' quotes.)
    await original.getByRole('button', { name: /^Reply to / }).focus()
    await b.page.keyboard.press('Enter')
    await eventually(() => b.page.getByTestId('replying').locator('span').textContent()).toBe('Replying to Alice: standup moved')

    await a.host.call('edit', { id: far.id, text: 'lunch at one' })
    await a.host.call('edit', { id: near.id, text: 'standup at 10' })
    await eventually(() => quote('ok for lunch').textContent()).toBe('↪ Alice: lunch at one')
    await eventually(() => quote('ok for standup').textContent()).toBe('↪ Alice: standup at 10')
    await eventually(() => b.page.getByTestId('replying').locator('span').textContent()).toBe('Replying to Alice: standup at 10')

    // Deleted: the quote says so, it does not keep the words (nor show the name alone).
    await a.host.call('delete', { id: far.id })
    await a.host.call('delete', { id: near.id })
    await eventually(() => quote('ok for lunch').textContent()).toBe('↪ Alice: message deleted')
    await eventually(() => quote('ok for standup').textContent()).toBe('↪ Alice: message deleted')
    await eventually(() => b.page.getByTestId('replying').locator('span').textContent()).toBe('Replying to Alice: message deleted')
  })
})
