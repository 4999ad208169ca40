/**
 * End to end: what a room tells you about itself, through the UI in
 * Chromium. Coming back to a room where others wrote meanwhile shows a "New
 * messages" line above the first of them (also after a restart, and after
 * more than a page of them), and leaving and coming back with nothing new
 * shows none; a line out of view above has a button that goes to it; Members lists who is in the room with their
 * presence, following it while open; a mention in a muted room still counts.
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, startPeer } from '../helpers/peers.js'
import { chooseName, eventually, LAUNCHER, listenPort, listState, openPeer, send, useSession, type Peer } from './harness.js'
import { selfId } from './views.js'

const session = useSession()

const violations = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`))

/** An element's opacity, read in the page (the Node world has no DOM types). */
const opacity = (e: unknown): string => (globalThis as unknown as { getComputedStyle: (el: unknown) => { opacity: string } }).getComputedStyle(e).opacity

/** The id of the last message a peer's page has marked seen in `room` (kept in its settings). */
const seenIn = async (peer: Peer, room: string): Promise<string | undefined> => (await peer.host.call('snapshot')).settings.seen?.[room]?.id

/** Alice writes `text` in the lobby; Bob's page shows it and marks it seen. Its id. */
async function readByBob(a: Peer, b: Peer, text: string): Promise<string> {
  await send(a.page, text)
  await eventually(() => b.page.getByTestId('message').filter({ hasText: text }).count()).toBe(1)
  const id = (await b.host.call('history', { room: 'lobby' })).at(-1)!.id
  await eventually(() => seenIn(b, 'lobby')).toBe(id)
  return id
}

describe('rooms', () => {
  it('shows "New messages" above the first message that came while you were elsewhere, and not once you have seen them', async () => {
    const { a, b } = await session.pair()
    const lobby = b.page.locator('button[data-room="lobby"]')
    const random = b.page.locator('button[data-room="random"]')
    const divider = b.page.getByTestId('new-divider')
    await a.host.call('send', { room: 'random', text: 'somewhere else' })
    await send(a.page, 'before you left')
    const before = b.page.getByTestId('message').filter({ hasText: 'before you left' })
    await eventually(() => before.count()).toBe(1)
    // Bob looked at the lobby: it is marked seen up to that message.
    const seenId = (await a.host.call('history', { room: 'lobby' })).at(-1)!.id
    await eventually(() => seenIn(b, 'lobby')).toBe(seenId)
    await expect(divider.count()).resolves.toBe(0)

    await random.click()
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'somewhere else' }).count()).toBe(1)
    await send(a.page, 'while you were away')
    await send(a.page, 'and one more')
    await eventually(async () => (await b.host.call('history', { room: 'lobby' })).length).toBe(3)
    await lobby.click()
    // The line sits right above the first new message, and says what it is to a screen reader.
    await eventually(() => divider.count()).toBe(1)
    await expect(divider.textContent()).resolves.toBe('New messages')
    await expect(divider.getAttribute('role')).resolves.toBe('separator')
    await expect(b.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).resolves.toBe('while you were away')
    await expect(violations(b.page)).resolves.toEqual([])
    // It stays for the visit while Bob reads on; what the room shows is now seen.
    const newest = (await b.host.call('history', { room: 'lobby' })).at(-1)!.id
    await eventually(() => seenIn(b, 'lobby')).toBe(newest)
    await expect(divider.count()).resolves.toBe(1)

    // Away and back with nothing new: no line.
    await random.click()
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'somewhere else' }).count()).toBe(1)
    await lobby.click()
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'and one more' }).count()).toBe(1)
    await expect(divider.count()).resolves.toBe(0)
  })

  it('opens a room at the line when more came than fit on the screen', async () => {
    const { a, b } = await session.pair()
    await a.host.call('send', { room: 'random', text: 'somewhere else' })
    await send(a.page, 'the last one read')
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'the last one read' }).count()).toBe(1)
    await eventually(async () => (await seenIn(b, 'lobby')) !== undefined).toBe(true)
    await b.page.locator('button[data-room="random"]').click()
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'somewhere else' }).count()).toBe(1)
    for (let i = 1; i <= 40; i++) await a.host.call('send', { room: 'lobby', text: `news ${i}` })
    await eventually(async () => (await b.host.call('history', { room: 'lobby' })).length).toBe(41)
    await b.page.locator('button[data-room="lobby"]').click()
    // The list is virtualized: the line is on the page only because the list starts there.
    const divider = b.page.getByTestId('new-divider')
    await eventually(() => divider.isVisible()).toBe(true)
    await expect(b.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).resolves.toBe('news 1')
  })

  it('puts the line above what someone back from away wrote meanwhile, though it sorts above messages read since', async () => {
    const { a, b } = await session.pair()
    try {
      await a.host.call('send', { room: 'random', text: 'somewhere else' })
      const dan = await startPeer('Dan')
      await dan.engine.dial(`/ip4/127.0.0.1/tcp/${await listenPort(a.page)}`)
      await readByBob(a, b, 'before Dan left')
      // Dan is cut off and writes, on his clock of then; Bob reads what Alice writes meanwhile, then goes elsewhere.
      for (const p of [a, b]) await dan.engine.cut(await selfId(p))
      await dan.engine.send('lobby', 'Dan, written while away')
      await send(a.page, 'Alice, meanwhile')
      await readByBob(a, b, 'read by Bob since')
      await b.page.locator('button[data-room="random"]').click()
      await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#random')
      dan.engine.heal()
      await dan.engine.dial(`/ip4/127.0.0.1/tcp/${await listenPort(a.page)}`)
      const lobby = b.page.locator('button[data-room="lobby"]')
      await eventually(() => lobby.getByLabel('1 unread').count()).toBe(1)
      await lobby.click()
      await eventually(() => b.page.getByTestId('message').filter({ hasText: 'Dan, written while away' }).count()).toBe(1)
      await eventually(() => b.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).toBe('Dan, written while away')
    } finally {
      await cleanup()
    }
  })

  it('puts the line above what arrived while the window was in the background, in the room it shows', async () => {
    const { a, b } = await session.pair()
    const divider = b.page.getByTestId('new-divider')
    await send(a.page, 'seen in time')
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'seen in time' }).count()).toBe(1)
    await eventually(async () => (await seenIn(b, 'lobby')) !== undefined).toBe(true)
    // Bob switches to another application: the window loses the focus (what the OS tells it).
    await b.page.evaluate('window.dispatchEvent(new Event("blur"))')
    await send(a.page, 'while you looked elsewhere')
    await eventually(() => divider.count()).toBe(1)
    await expect(b.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).resolves.toBe('while you looked elsewhere')
    const newest = (await b.host.call('history', { room: 'lobby' })).at(-1)!.id
    await expect(seenIn(b, 'lobby')).resolves.not.toBe(newest)
    // Back in front: now it is seen; the line stays for this visit.
    await b.page.evaluate('window.dispatchEvent(new Event("focus"))')
    await eventually(() => seenIn(b, 'lobby')).toBe(newest)
    await expect(divider.count()).resolves.toBe(1)
  })

  it('draws a line put above what is already on screen without moving the list: a burst, then the window loses the focus', async () => {
    const { a, b } = await session.pair()
    await readByBob(a, b, 'read before the burst')
    // A burst lands in the room on screen, and Bob switches to another application before it
    // counts as seen (half a second): a "New messages" line goes above the burst's first
    // message, more rows up than fit on the screen. The list stays on the newest.
    // Sent all at once, as a burst comes: one after the other, on a loaded machine the first came more than half a second
    // before the rest and counted as seen, the line then going under them, in view (seen in full runs, never alone).
    await Promise.all(Array.from({ length: 30 }, async (_, i) => await a.host.call('send', { room: 'lobby', text: `burst ${i + 1}` })))
    const newest = b.page.getByTestId('message-text').filter({ hasText: /^burst 30$/ })
    await eventually(() => newest.count()).toBe(1).catch(async (err: unknown) => {
      // Seen once in a full CI run and never alone: say what Bob had, to tell a late delivery from a list that stopped following.
      const had = (await b.host.call('history', { room: 'lobby' })).filter((m) => m.text.startsWith('burst ')).length
      throw new Error(`${(err as Error).message}\nBob's engine had ${had} of 30; ${await listState(b.page)}`)
    })
    await b.page.evaluate('window.dispatchEvent(new Event("blur"))')
    // Nothing is to move: give the page a second to do what it would.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await expect(newest.isVisible()).resolves.toBe(true)
    await expect(b.page.getByRole('button', { name: /Jump to newest|new messages? ↓/ }).count()).resolves.toBe(0)
    // The line is there, above the burst, out of view: a button at the top says how many came and goes there.
    const divider = b.page.getByTestId('new-divider')
    await expect(divider.isVisible()).resolves.toBe(false)
    const up = b.page.getByTestId('jump-to-new')
    await eventually(() => up.textContent()).toMatch(/^↑ \d+ new messages$/)
    await expect(up.getAttribute('title')).resolves.toMatch(/^Up to the "New messages" line: \d+ came since you were last here$/)
    await up.click()
    await eventually(() => divider.isVisible()).toBe(true)
    await expect(b.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).resolves.toMatch(/^burst \d+$/)
    await eventually(() => up.count()).toBe(0)
    // Read from there down: the list stays put, and a new message is counted below instead of pulling it away.
    await a.host.call('send', { room: 'lobby', text: 'after the jump' })
    await eventually(() => b.page.getByRole('button', { name: /1 new message ↓/ }).count()).toBe(1)
    await expect(divider.isVisible()).resolves.toBe(true)
  })

  it('opens a room where you left off when more came than a page of it holds', async () => {
    const { a, b } = await session.pair()
    await readByBob(a, b, 'the last one read')
    await a.host.call('send', { room: 'random', text: 'somewhere else' })
    await b.page.locator('button[data-room="random"]').click()
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'somewhere else' }).count()).toBe(1)
    // More than the 200 rows a room opens with.
    for (let i = 1; i <= 260; i++) await a.host.call('send', { room: 'lobby', text: `news ${i}` })
    await eventually(async () => (await b.host.call('history', { room: 'lobby', limit: 500 })).length).toBe(261)
    await b.page.locator('button[data-room="lobby"]').click()
    // The line sits above the first of them, not above the first of the newest 200, and the list starts there.
    const divider = b.page.getByTestId('new-divider')
    await eventually(() => divider.isVisible()).toBe(true)
    await expect(b.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).resolves.toBe('news 1')
    // Reading on past the line (it was seen) offers no way back up to it. Scrolled a little at a
    // time until the line leaves the view (a target row further down can be overshot on a busy machine).
    const box = (await b.page.getByTestId('virtuoso-scroller').boundingBox())!
    await b.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await eventually(async () => {
      if (await divider.isVisible()) await b.page.mouse.wheel(0, 150)
      return await divider.isVisible()
    }).toBe(false)
    await expect(b.page.getByTestId('message-text').filter({ hasText: /^news \d+$/ }).first().isVisible()).resolves.toBe(true)
    // Nothing is to appear: give the page half a second to do what it would.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await expect(b.page.getByTestId('jump-to-new').count()).resolves.toBe(0)
    // The newest are a click away, and reading there marks the room seen.
    await b.page.getByRole('button', { name: 'Jump to newest ↓' }).click()
    await eventually(() => b.page.getByTestId('message-text').filter({ hasText: /^news 260$/ }).isVisible()).toBe(true)
    const newest = (await b.host.call('history', { room: 'lobby' })).at(-1)!.id
    await eventually(() => seenIn(b, 'lobby')).toBe(newest)
  })

  it('remembers where you left off across a restart of the app', async () => {
    const { a, b } = await session.pair()
    await readByBob(a, b, 'lobby before closing')
    await a.host.call('send', { room: 'random', text: 'read before closing' })
    await b.page.locator('button[data-room="random"]').click()
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'read before closing' }).count()).toBe(1)
    const readId = (await b.host.call('history', { room: 'random' })).at(-1)!.id
    await eventually(() => seenIn(b, 'random')).toBe(readId)
    // Back in the lobby when the app closes: the next start opens it.
    await b.page.locator('button[data-room="lobby"]').click()
    await eventually(async () => (await b.host.call('snapshot')).settings.lastRoom).toBe('lobby')

    session.open.splice(session.open.indexOf(b), 1)
    await b.close()
    await a.host.call('send', { room: 'random', text: 'sent while you were closed' })
    await send(a.page, 'lobby news')
    const again = await openPeer(session.browser, { dataDir: b.dataDir })
    session.open.push(again)
    await eventually(() => again.page.getByTestId('self-name').textContent()).toBe('Bob')
    // The lobby is on screen from the start; what catch-up brings there right after is still new.
    await eventually(() => again.page.getByTestId('new-divider').count()).toBe(1)
    await expect(again.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).resolves.toBe('lobby news')
    // Catch-up brings what was missed; then Bob opens the room.
    await eventually(async () => (await again.host.call('history', { room: 'random' })).map((m) => m.text)).toEqual(['read before closing', 'sent while you were closed'])
    await again.page.locator('button[data-room="random"]').click()
    await eventually(() => again.page.getByTestId('new-divider').count()).toBe(1)
    await expect(again.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).resolves.toBe('sent while you were closed')
  })

  it('keeps what was unread across a restart, mentions too: a room seen before and a DM never opened', async () => {
    const { a, b } = await session.pair()
    await a.host.call('send', { room: 'random', text: 'read before' })
    await b.page.locator('button[data-room="random"]').click()
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'read before' }).count()).toBe(1)
    const readId = (await b.host.call('history', { room: 'random' })).at(-1)!.id
    await eventually(() => seenIn(b, 'random')).toBe(readId)
    await b.page.locator('button[data-room="lobby"]').click()
    // Bob is in the lobby; three come in #random and Alice writes him directly: counted, not read.
    for (const text of ['one', '@Bob two?', 'three']) await a.host.call('send', { room: 'random', text })
    await a.host.call('send', { to: await selfId(b), text: 'a word in private' })
    const random = b.page.locator('button[data-room="random"] .unread')
    const dm = b.page.locator('button[data-dm] .unread')
    await eventually(() => random.textContent()).toBe('3')
    await eventually(() => dm.textContent()).toBe('1')
    await eventually(() => b.page.locator('button[data-room="random"] [data-testid="mention-count"]').textContent()).toBe('@1')

    // Closed and opened again: the same counts, before anything new arrives.
    session.open.splice(session.open.indexOf(b), 1)
    await b.close()
    const again = await openPeer(session.browser, { dataDir: b.dataDir })
    session.open.push(again)
    await eventually(() => again.page.locator('button[data-room="random"] .unread').textContent()).toBe('3')
    await eventually(() => again.page.locator('button[data-dm] .unread').textContent()).toBe('1')
    await expect(again.page.locator('button[data-room="random"] .unread').getAttribute('aria-label')).resolves.toBe('3 unread')
    // The mention among them too.
    await eventually(() => again.page.locator('button[data-room="random"] [data-testid="mention-count"]').textContent()).toBe('@1')
    // Read, it is gone, and stays gone after the next restart.
    await again.page.locator('button[data-room="random"]').click()
    await eventually(() => again.page.getByTestId('message').filter({ hasText: 'three' }).count()).toBe(1)
    const newest = (await again.host.call('history', { room: 'random' })).at(-1)!.id
    await eventually(() => seenIn(again, 'random')).toBe(newest)
    await again.page.locator('button[data-room="lobby"]').click()
    session.open.splice(session.open.indexOf(again), 1)
    await again.close()
    const third = await openPeer(session.browser, { dataDir: b.dataDir })
    session.open.push(third)
    await eventually(() => third.page.locator('button[data-dm] .unread').textContent()).toBe('1')
    await expect(third.page.locator('button[data-room="random"] .unread').count()).resolves.toBe(0)
    await expect(third.page.locator('button[data-room="random"] [data-testid="mention-count"]').count()).resolves.toBe(0)
    // Opened right after the start and read: marked at once, not after the seconds that belong to
    // catch-up in the room the app opened on (a DM glanced at and closed is not unread next time).
    await third.page.locator('button[data-dm]').click()
    await eventually(() => third.page.getByTestId('message').filter({ hasText: 'a word in private' }).count()).toBe(1)
    const dmRoom = (await third.host.call('dms'))[0]!.room
    const dmNewest = (await third.host.call('history', { room: dmRoom })).at(-1)!.id
    // (Marked about 0.4 s after the click here; 5.3 s when it waited for the start's catch-up.)
    await expect.poll(() => seenIn(third, dmRoom), { timeout: 3000, interval: 100 }).toBe(dmNewest)
  })

  it('lists the members of a room with their presence, and follows it while open', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'count me in')
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'count me in' }).count()).toBe(1)
    await b.page.getByRole('button', { name: 'Members', exact: true }).click()
    const dialog = b.page.getByRole('dialog', { name: 'Members' })
    const members = dialog.getByTestId('member')
    await eventually(() => members.count()).toBe(2)
    await expect(members.nth(0).textContent()).resolves.toMatch(/^ ?You/)
    await expect(dialog.textContent()).resolves.toContain('Everyone on the network: nobody leaves the lobby.')
    const alice = members.filter({ hasText: 'Alice' })
    await expect(alice.getByRole('img', { name: 'online' }).count()).resolves.toBe(1)
    await expect(violations(b.page)).resolves.toEqual([])

    await a.page.getByRole('button', { name: /^You are online: set yourself away$/ }).click()
    await eventually(() => alice.getByRole('img', { name: 'away' }).count()).toBe(1)
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    await eventually(async () => (await alice.getByRole('img').getAttribute('aria-label')) ?? '').toMatch(/^offline, last seen \d/)
  })

  it('still counts a mention of you in a room you muted', async () => {
    const { a, b } = await session.pair()
    await b.host.call('send', { room: 'random', text: 'a room to mute' })
    const random = a.page.locator('button[data-room="random"]')
    await random.click()
    await a.page.getByRole('button', { name: 'Mute room' }).click()
    await eventually(() => random.getByRole('img', { name: 'muted' }).count()).toBe(1)
    await a.page.locator('button[data-room="lobby"]').click()
    await b.host.call('send', { room: 'random', text: 'nothing for alice' })
    await b.host.call('send', { room: 'random', text: '@alice this one is for you' })
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@1')
    await expect(random.getByRole('img', { name: 'muted' }).count()).resolves.toBe(1)
    await expect(a.host.call('snapshot').then((s) => s.settings.muted)).resolves.toEqual(['random'])
    // Unmuted from the same button, in the room.
    await random.click()
    await a.page.getByRole('button', { name: 'Mute room' }).click()
    await eventually(() => random.getByRole('img', { name: 'muted' }).count()).toBe(0)
    await expect(a.page.getByRole('button', { name: 'Mute room' }).getAttribute('aria-pressed')).resolves.toBe('false')
    await expect(a.host.call('snapshot').then((s) => s.settings.muted)).resolves.toEqual([])
  })

  it('leaving a room takes it off the sidebar, back to the lobby, also after a restart; a new message in it lists it again under other rooms', async () => {
    const { a, b } = await session.pair()
    await b.page.getByRole('button', { name: 'Create or join a room' }).click()
    await b.page.getByLabel('Room name').fill('random')
    await b.page.getByRole('button', { name: 'Join room' }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#random')
    await send(b.page, 'anyone for lunch?')
    const rooms = b.page.getByRole('navigation', { name: 'Rooms', exact: true })
    // The lobby cannot be left: it has no ×.
    expect(await rooms.getByRole('button', { name: 'Leave #lobby' }).count()).toBe(0)
    // The × shows on the row under the pointer (and to the keyboard), not on every row.
    const leave = rooms.getByRole('button', { name: 'Leave #random' })
    expect(await leave.evaluate(opacity)).toBe('0')
    await rooms.locator('[data-room="random"]').hover()
    await eventually(() => leave.evaluate(opacity)).toBe('1')
    // A name too long for the row ends in "…" before the ×, not under it.
    const long = 'engineering-weekly-sync-and-planning'
    await b.host.call('joinRoom', { room: long })
    await b.page.locator(`button[data-room="${long}"]`).click()
    await rooms.locator(`[data-room="${long}"]`).hover()
    const box = async (sel: string) => (await rooms.locator('.room-row').filter({ has: b.page.locator(`[data-room="${long}"]`) }).locator(sel).boundingBox())!
    await eventually(async () => (await box('.room-name')).x + (await box('.room-name')).width <= (await box('.leave')).x).toBe(true)
    await b.page.locator('button[data-room="random"]').click()
    await rooms.locator('[data-room="random"]').hover()
    await leave.click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    await eventually(() => b.page.locator('[data-room="random"]').count()).toBe(0)

    await b.close()
    session.open.splice(session.open.indexOf(b), 1)
    const again = await openPeer(session.browser, { dataDir: b.dataDir })
    session.open.push(again)
    await eventually(() => again.page.getByTestId('self-name').textContent()).toBe('Bob')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await again.page.locator('[data-room="random"]').count()).toBe(0)

    // Alice answers there: the room is listed again, as a room on the network, with the message unread.
    await a.host.call('joinRoom', { room: 'random' })
    await a.host.call('send', { room: 'random', text: 'me!' })
    const other = again.page.getByRole('navigation', { name: 'Other rooms on the network' })
    await eventually(() => other.locator('[data-room="random"]').getByLabel('1 unread').isVisible()).toBe(true)
    expect(await again.page.getByRole('navigation', { name: 'Rooms', exact: true }).locator('[data-room="random"]').count()).toBe(0)
  })

  it('rooms joined stay under Rooms after a restart: one joined by name and still empty, one opened from other rooms, one only a blocked peer wrote in since', async () => {
    // Carol passes on what Bob writes once Alice has blocked him (she takes no link from him).
    const { a, b } = await session.trio()
    const mine = (p: Peer) => p.page.getByRole('navigation', { name: 'Rooms', exact: true })
    await a.page.getByRole('button', { name: 'Create or join a room' }).click()
    await a.page.getByLabel('Room name').fill('standup')
    await a.page.getByRole('button', { name: 'Join room' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#standup')
    await b.host.call('send', { room: 'deals', text: 'cheap phones' })
    const offered = a.page.getByRole('navigation', { name: 'Other rooms on the network' }).locator('button[data-room="deals"]')
    await eventually(() => offered.count()).toBe(1)
    await offered.click()
    await eventually(() => mine(a).locator('button[data-room="deals"]').count()).toBe(1)
    await eventually(async () => (await a.host.call('snapshot')).settings.joined).toEqual(['lobby', 'standup', 'deals'])

    // Alice blocks Bob and closes; Bob writes in #standup meanwhile: only he wrote there.
    await a.host.call('block', { peerId: await selfId(b) })
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    await b.host.call('send', { room: 'standup', text: 'buy my phones' })
    const again = await openPeer(session.browser, { dataDir: a.dataDir })
    session.open.push(again)
    await eventually(() => again.page.getByTestId('self-name').textContent()).toBe('Alice')
    await eventually(async () => (await again.host.call('history', { room: 'standup' })).map((m) => m.text)).toEqual(['buy my phones'])
    await eventually(() => mine(again).locator('button[data-room="standup"]').count()).toBe(1)
    await expect(mine(again).locator('button[data-room="deals"]').count()).resolves.toBe(1)

    // Left, it is gone after the next restart too.
    await mine(again).locator('[data-room="deals"]').hover()
    await mine(again).getByRole('button', { name: 'Leave #deals' }).click()
    await eventually(async () => (await again.host.call('snapshot')).settings.joined).toEqual(['lobby', 'standup'])
  })

  // The desktop app's window of earlier versions kept its joined rooms in its own storage.
  it.skipIf(LAUNCHER === 'electron')('takes over the rooms an earlier version\'s window kept for itself, once', async () => {
    const first = await openPeer(session.browser)
    session.open.push(first)
    await chooseName(first.page, 'Ann')
    await send(first.page, 'hello')
    await first.host.call('joinRoom', { room: 'kitchen' })
    await first.host.call('joinRoom', { room: 'design' })
    session.open.splice(session.open.indexOf(first), 1)
    await first.close()
    // As an earlier version left the settings: no joined rooms in them.
    const file = join(first.dataDir, 'app-settings.json')
    const { joined, ...settings } = JSON.parse(readFileSync(file, 'utf8')) as { joined?: string[] }
    expect(joined).toEqual(['lobby', 'kitchen', 'design'])
    writeFileSync(file, JSON.stringify(settings))

    const again = await openPeer(session.browser, { dataDir: first.dataDir, localStorage: { 'lanchat.joined.default': JSON.stringify(['lobby', 'kitchen', 'dm:x']) } })
    session.open.push(again)
    await eventually(() => again.page.getByTestId('self-name').textContent()).toBe('Ann')
    const mine = again.page.getByRole('navigation', { name: 'Rooms', exact: true })
    await eventually(() => mine.locator('button[data-room="kitchen"]').count()).toBe(1)
    await expect(mine.locator('button[data-room="design"]').count()).resolves.toBe(0)
    await eventually(async () => (await again.host.call('snapshot')).settings.joined).toEqual(['lobby', 'kitchen'])
    await eventually(() => again.page.evaluate(() => (globalThis as unknown as { localStorage: { length: number } }).localStorage.length)).toBe(0)
  })

  it('"Other rooms on the network" folds to its title and a count, and stays folded after a restart', async () => {
    const { a, b } = await session.pair()
    for (const room of ['books', 'carpool', 'football']) await a.host.call('send', { room, text: `hello ${room}` })
    const others = b.page.getByRole('navigation', { name: 'Other rooms on the network' })
    await eventually(() => others.locator('button[data-room]').count()).toBe(3)
    const fold = others.getByRole('button', { name: 'Other rooms', exact: true })
    await expect(fold.getAttribute('aria-expanded')).resolves.toBe('true')
    await fold.click()
    await eventually(() => others.locator('button[data-room]').count()).toBe(0)
    await expect(fold.getAttribute('aria-expanded')).resolves.toBe('false')
    await expect(others.getByTestId('other-rooms-count').textContent()).resolves.toBe('3')
    // A mention of Bob in a folded room still shows, on the title.
    await a.host.call('send', { room: 'carpool', text: '@Bob can you drive on Friday?' })
    await eventually(() => others.getByLabel(/mention/).count()).toBe(1)
    await expect(violations(b.page)).resolves.toEqual([])

    session.open.splice(session.open.indexOf(b), 1)
    await b.close()
    const again = await openPeer(session.browser, { dataDir: b.dataDir })
    session.open.push(again)
    await eventually(() => again.page.getByTestId('self-name').textContent()).toBe('Bob')
    const folded = again.page.getByRole('navigation', { name: 'Other rooms on the network' })
    await eventually(() => folded.getByTestId('other-rooms-count').textContent()).toBe('3')
    expect(await folded.locator('button[data-room]').count()).toBe(0)
    await folded.getByRole('button', { name: 'Other rooms', exact: true }).click()
    await eventually(() => folded.locator('button[data-room]').count()).toBe(3)
    await expect(folded.getByRole('button', { name: 'Other rooms', exact: true }).getAttribute('aria-expanded')).resolves.toBe('true')
  })

  it('opens the conversation that was on screen when the app closed: a direct one, a room; the lobby when that room was left', async () => {
    const { a, b } = await session.pair()
    const heading = (p: Peer) => p.page.getByRole('heading', { level: 1 })
    const restart = async (): Promise<Peer> => {
      const open = session.open.at(-1)!
      session.open.splice(session.open.indexOf(open), 1)
      await open.close()
      const again = await openPeer(session.browser, { dataDir: b.dataDir })
      session.open.push(again)
      await eventually(() => again.page.getByTestId('self-name').textContent()).toBe('Bob')
      return again
    }
    session.open.splice(session.open.indexOf(b), 1)
    session.open.push(b)
    await b.page.getByRole('button', { name: 'Message Alice privately' }).click()
    await eventually(() => heading(b).textContent()).toBe('@Alice')
    await eventually(async () => (await b.host.call('snapshot')).settings.lastRoom).toMatch(/^dm:/)

    let again = await restart()
    await eventually(() => heading(again).textContent()).toBe('@Alice')
    await a.host.call('send', { room: 'standup', text: 'in five' })
    await again.page.locator('button[data-room="standup"]').click()
    await eventually(() => heading(again).textContent()).toBe('#standup')
    await eventually(async () => (await again.host.call('snapshot')).settings.lastRoom).toBe('standup')

    again = await restart()
    await eventually(() => heading(again).textContent()).toBe('#standup')
    await eventually(() => again.page.getByTestId('message').filter({ hasText: 'in five' }).count()).toBe(1)
    // Left, with the app closed before the next start: the lobby.
    await again.host.call('leaveRoom', { room: 'standup' })
    again = await restart()
    await new Promise((resolve) => setTimeout(resolve, 500))
    await expect(heading(again).textContent()).resolves.toBe('#lobby')
  })

  // The engine's answer is held back on the test host's bridge: the Electron app has IPC there.
  it.skipIf(LAUNCHER === 'electron')('does not take the user away from a conversation they opened while the window was still finding the one it was left on, even the one on screen', async () => {
    const { b } = await session.pair()
    const heading = b.page.getByRole('heading', { level: 1 })
    await b.page.getByRole('button', { name: 'Message Alice privately' }).click()
    await eventually(() => heading.textContent()).toBe('@Alice')
    await eventually(async () => (await b.host.call('snapshot')).settings.lastRoom).toMatch(/^dm:/)
    // A slow start: the list of direct conversations, which tells the window the one it was left on is still there, comes late.
    let held: (() => void)[] = []
    await b.page.routeWebSocket(/\/__bridge$/, (ws) => {
      const app = ws.connectToServer()
      ws.onMessage((data) => {
        if ((JSON.parse(String(data)) as { channel?: string }).channel === 'lanchat:dms') held.push(() => app.send(data))
        else app.send(data)
      })
    })
    await b.page.reload()
    await eventually(() => b.page.getByTestId('self-name').textContent()).toBe('Bob')
    await eventually(() => held.length > 0).toBe(true)
    // Meanwhile the user clicks the lobby, the room the window shows first.
    await b.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /lobby/ }).click()
    for (const go of held) go()
    held = []
    await eventually(() => b.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ }).count()).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await heading.textContent()).toBe('#lobby')
    await eventually(async () => (await b.host.call('snapshot')).settings.lastRoom).toBe('lobby')
  })

  it('a room left or a direct conversation closed from the keyboard leaves it in the sidebar, not back at the page\'s top', async () => {
    const { a, b } = await session.pair()
    const focused = (): Promise<string> => b.page.evaluate<string>("(document.activeElement?.closest('nav')?.getAttribute('aria-label') ?? '') + ': ' + (document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '')")
    for (const room of ['design', 'random']) {
      await b.page.getByRole('button', { name: 'Create or join a room' }).click()
      await b.page.getByLabel('Room name').fill(room)
      await b.page.getByRole('button', { name: 'Join room' }).click()
      await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe(`#${room}`)
    }
    const rooms = b.page.getByRole('navigation', { name: 'Rooms', exact: true })
    await rooms.locator('[data-room="design"]').hover()
    await rooms.getByRole('button', { name: 'Leave #design' }).focus()
    await b.page.keyboard.press('Enter')
    await eventually(() => rooms.locator('[data-room="design"]').count()).toBe(0)
    // Its row went with the × that had the keyboard: the row now in its place has it.
    await eventually(focused).toMatch(/^Rooms: #\s*random/)
    // A direct conversation, the only one, closed: the keyboard goes to the conversation open.
    await b.page.getByRole('button', { name: 'Message Alice privately' }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Alice')
    await send(b.page, 'see you at 3')
    await eventually(async () => (await a.host.call('dms')).length).toBe(1)
    await b.page.locator('button[data-room="lobby"]').click()
    const dms = b.page.getByRole('navigation', { name: 'Direct messages' })
    await dms.locator('li').first().hover()
    await dms.getByRole('button', { name: 'Close the conversation with Alice' }).focus()
    await b.page.keyboard.press('Enter')
    await eventually(() => dms.getByRole('button').count()).toBe(0)
    await eventually(focused).toMatch(/^Rooms: #\s*lobby/)
  })
})

