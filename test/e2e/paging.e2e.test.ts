/**
 * End to end: a room far longer than a page. The window loads the newest
 * page, older ones as the user scrolls up, and a search hit in its context
 * with "Jump to newest" back; live messages wait outside a hit's context.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { MAX_LIVE_ROWS } from '../../renderer/src/store.js'
import { belowView, chooseName, listState, eventually, openPeer, shownMessages, texts, useSession, type Peer } from './harness.js'

const session = useSession()
const N = 1000

/** Scroll the list as a user does, with the wheel (the list tells a user's scroll from a burst's by the gesture). */
async function scrollList(page: Page, to: 'top' | 'bottom'): Promise<void> {
  const box = await page.getByTestId('virtuoso-scroller').boundingBox()
  if (box === null) throw new Error('no message list')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.wheel(0, to === 'top' ? -50_000 : 50_000)
}

/** Scroll towards one end until `text` is on screen; how many scrolls it took. */
async function scrollUntilShown(page: Page, to: 'top' | 'bottom', text: string): Promise<number> {
  for (let i = 1; i <= 40; i++) {
    await scrollList(page, to)
    await page.waitForTimeout(150)
    if (texts(await shownMessages(page)).includes(text)) return i
  }
  throw new Error(`${text} never came into view scrolling to the ${to}`)
}

/** How many rows the list holds: its last row's place in them, plus one (the list renders only those in view). */
async function rowsHeld(page: Page): Promise<number> {
  const last = await page.locator('[data-testid="virtuoso-item-list"] > [data-index]').last().getAttribute('data-index')
  return Number(last) + 1
}

/** `count` messages from `peer` into the lobby, in order, a hundred asked at a time (one after another each would take seconds). */
async function sendMany(peer: Peer, count: number, text: (i: number) => string): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, k) => peer.host.call('send', { room: 'lobby', text: text(i + k) }))
    await Promise.all(batch)
  }
}

const seenIn = async (peer: Peer, room: string): Promise<string | undefined> => (await peer.host.call('snapshot')).settings.seen?.[room]?.id

describe('a room longer than a page', () => {
  it('loads older pages on scroll, shows a far search hit in context, and jumps back to the newest', async () => {
    const peer = await openPeer(session.browser)
    session.open.push(peer)
    await chooseName(peer.page, 'Alice')
    await sendMany(peer, N, (i) => i === 100 ? 'the needle' : `m${i}`)
    // A fresh window: the newest page only.
    await peer.page.reload()
    await eventually(async () => texts(await shownMessages(peer.page))).toContain(`m${N - 1}`)
    // Up to the very first message, a page at a time.
    expect(await scrollUntilShown(peer.page, 'top', 'm0')).toBeGreaterThan(1)

    // Back at the newest, then search for something 900 messages up.
    await peer.page.reload()
    await eventually(async () => texts(await shownMessages(peer.page))).toContain(`m${N - 1}`)
    await peer.page.keyboard.press('Control+f')
    await peer.page.getByLabel('Words to find').fill('needle')
    const hit = peer.page.getByTestId('search-hit')
    await eventually(() => hit.count()).toBe(1)
    await hit.first().click()
    const shown = peer.page.locator('[data-testid="message"][aria-current="true"]')
    await eventually(() => shown.isVisible()).toBe(true)
    await expect(shown.getByTestId('message-text').textContent()).resolves.toBe('the needle')
    expect(texts(await shownMessages(peer.page))).toContain('m99')
    const jump = peer.page.getByRole('button', { name: 'Jump to newest ↓' })
    await eventually(() => jump.isVisible()).toBe(true)

    // Something new arrives meanwhile: it is not put in the middle of the hit's context.
    await peer.host.call('send', { room: 'lobby', text: 'while you were reading' })
    await peer.page.waitForTimeout(300)
    expect(texts(await shownMessages(peer.page))).not.toContain('while you were reading')
    // "Jump to newest" goes back to the newest page, with it.
    await jump.click()
    await eventually(async () => texts(await shownMessages(peer.page))).toContain('while you were reading')
    await eventually(() => jump.isVisible()).toBe(false)

    // The hit again, on a page slowed down as on a busy machine (where the list, which thought it
    // still followed the newest, once left the hit's context for its bottom): shown, and it stays.
    // (Through the DevTools protocol, which Chromium and Electron's windows both speak.)
    const cdp = await peer.page.context().newCDPSession(peer.page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 })
    await peer.page.keyboard.press('Control+f')
    await peer.page.getByLabel('Words to find').fill('needle')
    await eventually(() => hit.count()).toBe(1)
    await hit.first().click()
    await eventually(() => shown.isVisible()).toBe(true)
    await peer.page.waitForTimeout(1_000)
    expect(await shown.isVisible()).toBe(true)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
    // Scrolling down from there reaches the newest, a page at a time (the next test reads it page by page).
    expect(await scrollUntilShown(peer.page, 'bottom', 'while you were reading')).toBeGreaterThan(1)
    await eventually(() => jump.isVisible()).toBe(false)
  }, 120_000)

  it('reading down from a search hit, each page comes below what is read: the reader is not carried to the newest; one\'s own message and, at the bottom, anyone\'s come into view', async () => {
    const peer = await openPeer(session.browser)
    session.open.push(peer)
    await chooseName(peer.page, 'Alice')
    await sendMany(peer, 800, (i) => i === 100 ? 'the needle' : `m${i}`)
    await peer.page.reload()
    await eventually(async () => texts(await shownMessages(peer.page))).toContain('m799')
    await peer.page.keyboard.press('Control+f')
    await peer.page.getByLabel('Words to find').fill('needle')
    await eventually(() => peer.page.getByTestId('search-hit').count()).toBe(1)
    await peer.page.getByTestId('search-hit').first().click()
    await eventually(async () => texts(await shownMessages(peer.page))).toContain('the needle')
    const scroller = peer.page.getByTestId('virtuoso-scroller')
    const box = (await scroller.boundingBox())!
    await peer.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    const numbers = async (): Promise<number[]> => texts(await shownMessages(peer.page)).flatMap((t) => /^m\d+$/.test(t) ? [Number(t.slice(1))] : [])
    const jump = peer.page.getByRole('button', { name: 'Jump to newest ↓' })
    const shown = async (text: string): Promise<boolean> => texts(await shownMessages(peer.page)).includes(text)
    // Down as a reader goes: to a little above the end of what is loaded, then a turn of the wheel
    // past it, which puts the next page below (a page is 200 messages, the last one reaches the
    // newest, and "Jump to newest" then goes).
    let turns = 0
    for (; await jump.count() > 0; turns++) {
      if (turns === 10) throw new Error('never reached the newest')
      await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight - el.clientHeight - 300 })
      await peer.page.waitForTimeout(200)
      const before = await numbers()
      await peer.page.mouse.wheel(0, 600)
      await peer.page.waitForTimeout(800)
      const after = await numbers()
      // What is on screen after the turn follows what was before it: no jump of a page or more.
      expect(Math.min(...after) - Math.max(...before), `turn ${turns}: ${before.join(',')} then ${after.join(',')}`).toBeLessThan(60)
    }
    expect(turns).toBeGreaterThan(1)
    expect(await shown('m799')).toBe(false)
    const write = async (text: string): Promise<void> => {
      const box = peer.page.getByRole('textbox', { name: 'Message #lobby' })
      await box.fill(text)
      await box.press('Enter')
    }
    // Writing while the newest page is still below: one's own message comes into view, as it always does.
    await write('written while reading')
    await eventually(() => shown('written while reading')).toBe(true)
    // And from further up too, once the reading is over.
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight - el.clientHeight - 4_000 })
    await peer.page.mouse.wheel(0, -100)
    await eventually(() => shown('written while reading')).toBe(false)
    await write('written from further up')
    await eventually(() => shown('written from further up')).toBe(true)
    // At the bottom the list follows the room: someone else's new message comes into view.
    await peer.host.call('send', { room: 'lobby', text: 'just now' })
    await eventually(() => shown('just now')).toBe(true)
  }, 120_000)

  it('scrolled far up by hand with nothing new, the way back down is one click; near the bottom it is not offered', async () => {
    const peer = await openPeer(session.browser)
    session.open.push(peer)
    await chooseName(peer.page, 'Alice')
    await sendMany(peer, 200, (i) => `line ${i}`)
    await eventually(async () => texts(await shownMessages(peer.page))).toContain('line 199')
    const jump = peer.page.getByRole('button', { name: 'Back to the newest ↓' })
    await expect(jump.count()).resolves.toBe(0)
    // A little way up: still near the newest, nothing offered.
    const box = (await peer.page.getByTestId('virtuoso-scroller').boundingBox())!
    await peer.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    // On a loaded machine the list may still be placing its last rows, and a wheel that comes while it follows
    // the newest is taken back: wheel again until it holds.
    await eventually(async () => {
      if (await belowView(peer.page) <= 100) await peer.page.mouse.wheel(0, -200)
      return belowView(peer.page)
    }).toBeGreaterThan(100)
    await expect(jump.count()).resolves.toBe(0)
    // Far up: offered, and it goes down to the newest.
    await scrollUntilShown(peer.page, 'top', 'line 0')
    await eventually(() => jump.isVisible()).toBe(true)
    await jump.click()
    await eventually(async () => texts(await shownMessages(peer.page))).toContain('line 199')
    await eventually(() => belowView(peer.page)).toBeLessThanOrEqual(1)
    await eventually(() => jump.count()).toBe(0)
  })

  it('a room left on screen while more than the list keeps come: it lets the oldest go, follows on, and loses nothing', async () => {
    const { a, b } = await session.pair()
    const total = MAX_LIVE_ROWS + 400
    await sendMany(a, total, (i) => `live ${i}`)
    const shown = async (text: string): Promise<boolean> => texts(await shownMessages(b.page)).includes(text)
    // Bob's list followed them to the newest, and holds no more than it keeps.
    await eventually(() => shown(`live ${total - 1}`)).toBe(true)
    await eventually(() => belowView(b.page)).toBeLessThanOrEqual(1).catch(async (err: unknown) => {
      // Seen once in a full CI run (6 rows below the view for 15 s), never alone nor at load 9: say what the list was doing.
      throw new Error(`${(err as Error).message}\n${await listState(b.page)}; it holds ${await rowsHeld(b.page)} rows`)
    })
    expect(await rowsHeld(b.page)).toBeLessThanOrEqual(MAX_LIVE_ROWS)
    // It goes on following.
    await a.host.call('send', { room: 'lobby', text: 'one more' })
    await eventually(() => shown('one more')).toBe(true)
    await eventually(() => belowView(b.page)).toBeLessThanOrEqual(1)
    // Up to the very first: what was let go loads again, a page at a time.
    expect(await scrollUntilShown(b.page, 'top', 'live 0')).toBeGreaterThan(1)
  }, 120_000)

  it('a "New messages" line near the bottom stays, with what came since it, when the oldest go', async () => {
    const { a, b } = await session.pair()
    const early = MAX_LIVE_ROWS - 100
    await sendMany(a, early, (i) => `early ${i}`)
    await eventually(async () => texts(await shownMessages(b.page))).toContain(`early ${early - 1}`)
    const newest = (await b.host.call('history', { room: 'lobby', limit: 1 })).at(-1)!.id
    await eventually(() => seenIn(b, 'lobby')).toBe(newest)
    // Bob switches to another application; 300 more come, and the list now holds more than it keeps.
    await b.page.evaluate('window.dispatchEvent(new Event("blur"))')
    await sendMany(a, 300, (i) => `late ${i}`)
    await eventually(async () => texts(await shownMessages(b.page))).toContain('late 299').catch(async (err: unknown) => {
      // Seen once in eleven runs here and not since: say what the list was doing, to tell a list that stopped following from a slow one.
      throw new Error(`${(err as Error).message}\n${await listState(b.page)}; it holds ${await rowsHeld(b.page)} rows`)
    })
    expect(await rowsHeld(b.page)).toBeLessThanOrEqual(MAX_LIVE_ROWS)
    // The line is kept above the first of them, and the button at the top counts them.
    const up = b.page.getByTestId('jump-to-new')
    await eventually(() => up.textContent()).toBe('↑ 300 new messages')
    await up.click()
    const divider = b.page.getByTestId('new-divider')
    await eventually(() => divider.isVisible()).toBe(true)
    await expect(b.page.locator('[data-testid="new-divider"] + [data-testid="message"] [data-testid="message-text"]').textContent()).resolves.toBe('late 0')
  }, 120_000)
})
