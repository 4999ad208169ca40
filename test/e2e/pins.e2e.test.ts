/**
 * End to end: pinned messages through the UI in Chromium, real engines. A message's actions pin
 * it for everyone in the conversation; its row says who pinned it; the header's Pinned counts them
 * and lists them, newest pin first: a click shows the message in its context (as a search hit),
 * Unpin takes it off for everyone. A refusal of the engine is a toast in its words.
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { MAX_PAGE } from '../../main/chat/types.js'
import { cleanup, keepApart, startPeer, stopPeer, until, type TestPeer } from '../helpers/peers.js'
import { chooseName, eventually, leftRandom, listenPort, openPeer, send, tempDir, useSession } from './harness.js'

const session = useSession()

const row = (page: Page, text: string) => page.getByTestId('message').filter({ hasText: text })
const pinnedButton = (page: Page) => page.getByRole('button', { name: /^Pinned/ })
/** Whose pin the row says, '' when it says none. */
const markOf = async (page: Page, text: string): Promise<string> => (await row(page, text).getByTestId('pinned-mark').count()) === 0 ? '' : (await row(page, text).getByTestId('pinned-mark').textContent() ?? '').trim()

async function audit(page: Page, view: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations.flatMap((v) => v.nodes.map((n) => `${view}: ${v.id} at ${n.target.join(' ')}`))
}

describe('pinned messages', () => {
  it('Alice pins Bob\'s message; Bob sees who pinned it and the count, opens it from Pinned in its context, and unpins it there for both', async () => {
    const { a, b } = await session.pair()
    await send(b.page, 'the wifi password is on the fridge')
    await send(a.page, 'thanks')
    await eventually(() => row(a.page, 'the wifi password').getAttribute('data-state')).toBe('delivered')
    // Nothing pinned: Pinned has no count.
    await expect(pinnedButton(b.page).textContent()).resolves.toBe('Pinned')

    const theirs = row(a.page, 'the wifi password')
    await theirs.hover()
    await theirs.getByRole('button', { name: 'Pin message' }).click()
    await eventually(() => markOf(a.page, 'the wifi password')).toBe('Pinned by you')
    await eventually(() => markOf(b.page, 'the wifi password')).toBe('Pinned by Alice')
    expect(await markOf(b.page, 'thanks')).toBe('')
    for (const page of [a.page, b.page]) await eventually(() => pinnedButton(page).textContent()).toBe('Pinned 1')
    // In a window of the size the app opens at, the room's name and the tools, Pinned with its count among them, share one row.
    await b.page.setViewportSize({ width: 1100, height: 720 })
    const middle = (selector: string) => b.page.locator(selector).evaluate((el) => { const r = el.getBoundingClientRect(); return r.top + r.height / 2 })
    expect(Math.abs(await middle('.chat-title') - await middle('.header-tools'))).toBeLessThan(6)
    // Its actions now offer Unpin instead.
    await theirs.hover()
    expect(await theirs.getByRole('button', { name: 'Unpin message' }).count()).toBe(1)

    // Bob's list: who wrote it, what it says, who pinned it; axe finds nothing on it or on the pinned row.
    await pinnedButton(b.page).click()
    const dialog = b.page.getByRole('dialog', { name: 'Pinned messages' })
    const items = dialog.getByTestId('pin')
    await eventually(() => items.count()).toBe(1)
    await expect(items.first().textContent()).resolves.toMatch(/^You .*the wifi password is on the fridge.*Pinned by Alice/)
    const found: string[] = []
    for (const colorScheme of ['light', 'dark'] as const) {
      await b.page.emulateMedia({ colorScheme })
      found.push(...await audit(b.page, `pins, ${colorScheme}`))
    }
    expect(found).toEqual([])
    // Escape closes it, and the keyboard is back on Pinned.
    await b.page.keyboard.press('Escape')
    await eventually(() => dialog.count()).toBe(0)
    expect(await pinnedButton(b.page).evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true)

    // Enter on the item shows the message in its context, marked as a search hit is, and closes the list.
    await b.page.keyboard.press('Enter')
    await eventually(() => items.count()).toBe(1)
    await items.first().getByRole('button', { name: /the wifi password/ }).focus()
    await b.page.keyboard.press('Enter')
    await eventually(() => dialog.count()).toBe(0)
    const shown = b.page.locator('[data-testid="message"][aria-current="true"]')
    await eventually(() => shown.getByTestId('message-text').textContent()).toBe('the wifi password is on the fridge')

    // Unpin from the list: the item, the marks and the counts go, on both pages.
    await pinnedButton(b.page).click()
    await items.first().getByRole('button', { name: 'Unpin your message' }).click()
    await eventually(() => dialog.getByTestId('no-pins').isVisible()).toBe(true)
    for (const page of [a.page, b.page]) {
      await eventually(() => markOf(page, 'the wifi password')).toBe('')
      await eventually(() => pinnedButton(page).textContent()).toBe('Pinned')
    }
  })

  it('a message of a direct conversation is pinned for both ends', async () => {
    const { a, b } = await session.pair()
    await a.page.getByRole('button', { name: 'Message Bob privately' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    await send(a.page, 'my locker code is 4711')
    await b.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ }).click()
    const mine = row(b.page, 'my locker code')
    await eventually(() => mine.getAttribute('data-state')).toBe('delivered')
    await mine.hover()
    await mine.getByRole('button', { name: 'Pin message' }).click()
    await eventually(() => markOf(a.page, 'my locker code')).toBe('Pinned by Bob')
    await eventually(() => markOf(b.page, 'my locker code')).toBe('Pinned by you')
    for (const page of [a.page, b.page]) await eventually(() => pinnedButton(page).textContent()).toBe('Pinned 1')
    // The lobby has nothing pinned.
    await b.page.locator('[data-room="lobby"]').click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    await eventually(() => pinnedButton(b.page).textContent()).toBe('Pinned')
  })

  it('in a room read without joining, a row names who pinned it and who reacted as everywhere else, not by a key', async () => {
    const { a, b } = await session.pair()
    const { heading } = await leftRandom(a, b)
    // Bob left #random; Alice pins his question there and reacts to it, and so does Bob (from his host).
    const question = (await a.host.call('history', { room: 'random' })).find((m) => m.text === 'who has the projector key?')!
    await a.host.call('pin', { room: 'random', id: question.id, on: true })
    await a.host.call('react', { room: 'random', id: question.id, emoji: '👍' })
    await b.host.call('react', { room: 'random', id: question.id, emoji: '👍' })
    await eventually(async () => (await b.host.call('history', { room: 'random' }))[0]?.reactions?.[0]?.by.length).toBe(2)
    // He opens it from a search hit: read only, with Join.
    await b.page.keyboard.press('Control+f')
    await b.page.getByLabel('Words to find').fill('projector')
    const hits = b.page.getByRole('dialog', { name: 'Search messages' }).getByTestId('search-hit')
    await eventually(() => hits.count()).toBe(1)
    await hits.first().click()
    await eventually(heading).toBe('#random')
    await eventually(() => b.page.getByTestId('not-joined').textContent()).toMatch(/^You left #random: /)
    await eventually(() => markOf(b.page, 'who has the projector key?')).toBe('Pinned by Alice')
    const chip = row(b.page, 'who has the projector key?').locator('.reactions .chip')
    // You first, then the others (the same words whichever key sorts first).
    const who = 'you, Alice'
    await eventually(() => chip.getAttribute('title')).toBe(who)
    expect(await chip.getAttribute('aria-label')).toBe(`👍 2: ${who}`)
    // Nothing to do there: the chip does not toggle his reaction.
    expect(await chip.isDisabled()).toBe(true)
    // Yet the keyboard reaches it, and with it who reacted (a disabled button is skipped by Tab and a screen reader's Tab alike).
    await chip.focus()
    expect(await chip.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)).toBe(true)
    await b.page.keyboard.press('Enter')
    await b.page.keyboard.press('Space')
    await b.page.waitForTimeout(500)
    expect(await chip.getAttribute('aria-label')).toBe(`👍 2: ${who}`)
    expect((await b.host.call('history', { room: 'random' }))[0]?.reactions?.[0]?.by.length).toBe(2)
  })

  it('Unpin from the keyboard deep in a long list leaves the keyboard on the next pin\'s Unpin, where the list was, not back at its top', async () => {
    const peer = await openPeer(session.browser)
    session.open.push(peer)
    await chooseName(peer.page, 'Pia')
    const page = peer.page
    for (let i = 1; i <= 20; i++) {
      const { id } = await peer.host.call('send', { room: 'lobby', text: `note ${i}` })
      await peer.host.call('pin', { room: 'lobby', id, on: true })
    }
    await eventually(() => pinnedButton(page).textContent()).toBe('Pinned 20')
    await pinnedButton(page).click()
    const dialog = page.getByRole('dialog', { name: 'Pinned messages' })
    const items = dialog.getByTestId('pin')
    await eventually(() => items.count()).toBe(20)
    // Newest pin first: the 16th item down is note 5. Unpin it with the keyboard.
    await items.nth(15).getByRole('button', { name: 'Unpin your message' }).focus()
    await page.keyboard.press('Enter')
    await eventually(() => items.count()).toBe(19)
    // The keyboard is on the Unpin of the pin that was below it (note 4), not on the list's first one.
    const focused = () => page.evaluate(`(() => { const el = document.activeElement; return el?.classList.contains('pin-unpin') ? el.closest('[data-testid="pin"]')?.querySelector('.pin-text')?.textContent : el?.textContent })()`)
    await eventually(focused).toBe('note 4')
    // The last item unpinned: the keyboard goes to the one above it, now the last.
    await items.last().getByRole('button', { name: 'Unpin your message' }).focus()
    await page.keyboard.press('Enter')
    await eventually(() => items.count()).toBe(18)
    await eventually(focused).toBe('note 2')
  })

  it('a removed member\'s pin and reaction, heard before the removal, on a message far older than the room\'s newest page: once the removal arrives, its row and Pinned read right without a reload', async () => {
    // Dan's engine takes them in and writes on, with the window closed; his window then opens on his data directory.
    const danDir = tempDir('dan')
    const a = await startPeer('Ann')
    const c = await startPeer('Cat')
    const d = await startPeer('Dan', { dataDir: danDir })
    try {
      const texts = (p: TestPeer, room: string): string[] => p.engine.history(room).map((m) => m.text)
      await c.engine.dial(a.addr())
      await d.engine.dial(a.addr())
      await until('linked', () => a.engine.peers().filter((p) => p.connected).length === 2)
      const { room } = await a.engine.createPrivateRoom('Long ago')
      const code = a.engine.invite(room)
      await c.engine.joinInvite(code)
      await d.engine.joinInvite(code)
      await until('three members', () => [a, d].every((p) => p.engine.privateRoom(room).members.length === 3))
      const earlier = await a.engine.send(room, 'the exam is in room 4')
      await until('all have it', () => [c, d].every((p) => texts(p, room).includes('the exam is in room 4')))
      // Ann, cut off from both, removes Cat; Cat, unaware, pins and reacts, and Dan takes both in.
      await keepApart(a, c)
      await keepApart(a, d)
      await until('ann alone', () => a.engine.peers().every((p) => !p.connected))
      await a.engine.removeMember(room, c.engine.peerId)
      await c.engine.pin(room, earlier.id)
      await c.engine.react(room, earlier.id, '🎉')
      await until('dan took both in', () => d.engine.pins(room).length === 1 && d.engine.history(room, { around: earlier.id, limit: 1 })[0]?.reactions?.length === 1)
      await keepApart(c, d)
      for (let i = 0; i <= MAX_PAGE; i++) await d.engine.send(room, `dan ${i}`)
      await stopPeer(d)

      const dan = await openPeer(session.browser, { dataDir: danDir })
      session.open.push(dan)
      const page = dan.page
      await chooseName(page, 'Dan')
      await page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Long ago/ }).click()
      await eventually(() => pinnedButton(page).textContent()).toBe('Pinned 1')
      // From Pinned, the message in its context: Cat's pin and reaction on its row.
      await pinnedButton(page).click()
      const dialog = page.getByRole('dialog', { name: 'Pinned messages' })
      await eventually(() => dialog.getByTestId('pin').count()).toBe(1)
      await dialog.getByTestId('pin').first().getByRole('button', { name: /the exam is in room 4/ }).click()
      await eventually(() => dialog.count()).toBe(0)
      const chip = row(page, 'the exam is in room 4').getByRole('button', { name: /^🎉/ })
      await eventually(() => markOf(page, 'the exam is in room 4')).toBe('Pinned by Cat')
      await eventually(() => chip.textContent()).toBe('🎉 1')

      // Ann comes back: Dan hears of the removal, and what Cat did after it goes, with no reload.
      a.engine.heal()
      await a.engine.dial(`/ip4/127.0.0.1/tcp/${await listenPort(page)}`)
      await eventually(() => pinnedButton(page).textContent()).toBe('Pinned')
      await eventually(() => markOf(page, 'the exam is in room 4')).toBe('')
      await eventually(() => chip.count()).toBe(0)
      await pinnedButton(page).click()
      await eventually(() => dialog.getByTestId('no-pins').isVisible()).toBe(true)
    } finally {
      await cleanup()
    }
  }, 120_000)

  it('a message pinned while this window was cut off comes pinned with catch-up: Pinned counts it without a reload', async () => {
    const dan = await openPeer(session.browser)
    session.open.push(dan)
    await chooseName(dan.page, 'Dan')
    const ann = await startPeer('Ann')
    try {
      const port = await listenPort(dan.page)
      await ann.engine.dial(`/ip4/127.0.0.1/tcp/${port}`)
      await ann.engine.send('lobby', 'before the cut')
      await eventually(() => row(dan.page, 'before the cut').count()).toBe(1)
      await dan.host.call('partition', { peerId: '*' })
      await until('cut off', () => ann.engine.peers().every((p) => !p.connected))
      const moved = await ann.engine.send('lobby', 'the exam moved to room 4')
      await ann.engine.pin('lobby', moved.id)
      await dan.host.call('heal')
      await ann.engine.dial(`/ip4/127.0.0.1/tcp/${port}`)
      await eventually(() => markOf(dan.page, 'the exam moved to room 4')).toBe('Pinned by Ann')
      await eventually(() => pinnedButton(dan.page).textContent()).toBe('Pinned 1')
    } finally {
      await cleanup()
    }
  })

  it('a 51st pin is refused in a toast with the engine\'s words', async () => {
    const peer = await openPeer(session.browser)
    session.open.push(peer)
    await chooseName(peer.page, 'Pia')
    const ids: string[] = []
    for (let i = 1; i <= 51; i++) ids.push((await peer.host.call('send', { room: 'lobby', text: `note ${i}` })).id)
    for (const id of ids.slice(0, 50)) await peer.host.call('pin', { room: 'lobby', id, on: true })
    await eventually(() => pinnedButton(peer.page).textContent()).toBe('Pinned 50')
    const last = row(peer.page, 'note 51')
    await eventually(() => last.getAttribute('data-state')).toBe('delivered')
    await last.hover()
    await last.getByRole('button', { name: 'Pin message' }).click()
    await eventually(() => peer.page.locator('.toast').filter({ hasText: 'Could not pin' }).textContent()).toContain('This conversation has 50 pinned messages: unpin one first.')
    expect(await markOf(peer.page, 'note 51')).toBe('')
    expect(await pinnedButton(peer.page).textContent()).toBe('Pinned 50')
  })
})
