/**
 * End to end: what a window left open says about time as the day turns, and
 * what peers in other time zones and with other clocks read.
 */
import { describe, expect, it } from 'vitest'
import { Attacker } from '../helpers/attacker.js'
import { LAUNCHER, chooseName, connectByAddress, eventually, listenPort, openPeer, peerCount, send, shownMessages, texts, useSession, type Peer } from './harness.js'

const session = useSession()

/** Alice, and Bob linked to her, whose page's clock the test moves (and in `timezoneId`, when given). */
async function alicePlusBobWithClock(timezoneId?: string): Promise<{ a: Peer; b: Peer }> {
  const a = await openPeer(session.browser)
  session.open.push(a)
  const b = await openPeer(session.browser, { fakeClock: true, ...(timezoneId !== undefined ? { timezoneId } : {}) })
  session.open.push(b)
  await chooseName(a.page, 'Alice')
  await chooseName(b.page, 'Bob')
  await connectByAddress(b.page, `127.0.0.1:${await listenPort(a.page)}`)
  await eventually(() => peerCount(b.page)).toBe('1 peer connected')
  return { a, b }
}

describe.skipIf(LAUNCHER === 'electron')('time in the window', () => {
  it('a window left open past midnight says Yesterday above the day before, and the day Alice was last seen, without a new message or a reload', async () => {
    const { a, b } = await alicePlusBobWithClock()
    await send(a.page, 'late one')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['late one'])
    const days = b.page.getByTestId('day-divider')
    expect(await days.allTextContents()).toEqual(['Today'])
    // Alice leaves: last seen at a time of today.
    session.open.splice(session.open.indexOf(a), 1)
    await a.close()
    const alice = b.page.getByTestId('peer').filter({ hasText: /^Alice/ }).getByRole('img')
    await eventually(async () => (await alice.getAttribute('aria-label')) ?? '').toMatch(/^offline, last seen \d\d:\d\d/)
    const todaysDate = await b.page.evaluate(() => new Date().toLocaleDateString([], { day: 'numeric', month: 'short' }))
    // What the link and the message brought (toasts, receipts, delivery summaries) is over: nothing new comes.
    await b.page.waitForTimeout(9_000)
    // Bob's window stays open while its clock passes his midnight.
    const beforeMidnight = await b.page.evaluate(() => { const d = new Date(); d.setHours(23, 59, 0, 0); return d.getTime() })
    await b.page.clock.pauseAt(beforeMidnight)
    await b.page.clock.runFor(1_000)
    expect(await days.allTextContents()).toEqual(['Today'])
    await b.page.clock.runFor(120_000)
    await eventually(() => days.allTextContents()).toEqual(['Yesterday'])
    // "last seen 08:10" would now read as this morning: it says the day.
    await eventually(() => alice.getAttribute('aria-label')).toBe(`offline, last seen ${todaysDate}`)
  })

  it('a message from a computer whose clock is a day and three hours ahead shows when it came, under Today, not on a day to come', async () => {
    const bob = await openPeer(session.browser, { timezoneId: 'Asia/Tokyo' })
    session.open.push(bob)
    await chooseName(bob.page, 'Bob')
    const port = await listenPort(bob.page)
    const ahead = await Attacker.connect(`/ip4/127.0.0.1/tcp/${port}`, 'Kenji')
    try {
      await ahead.send(await ahead.message('from a clock ahead', { name: 'Kenji', sentAt: Date.now() + 27 * 3_600_000 }))
      await eventually(async () => texts(await shownMessages(bob.page))).toEqual(['from a clock ahead'])
      expect(await bob.page.getByTestId('day-divider').allTextContents()).toEqual(['Today'])
      const shown = Date.parse((await bob.page.getByTestId('message').locator('time').first().getAttribute('datetime')) ?? '')
      expect(shown).toBeLessThanOrEqual(await bob.page.evaluate(() => Date.now()))
    } finally {
      await ahead.stop()
    }
  })

  it('a message from a computer whose clock is three days behind shows when it came, under Today, its own clock in the tooltip', async () => {
    const bob = await openPeer(session.browser)
    session.open.push(bob)
    await chooseName(bob.page, 'Bob')
    const port = await listenPort(bob.page)
    const behind = await Attacker.connect(`/ip4/127.0.0.1/tcp/${port}`, 'Greta')
    try {
      await behind.send(await behind.message('from a clock behind', { name: 'Greta', sentAt: Date.now() - 3 * 86_400_000 }))
      await eventually(async () => texts(await shownMessages(bob.page))).toEqual(['from a clock behind'])
      expect(await bob.page.getByTestId('day-divider').allTextContents()).toEqual(['Today'])
      const shown = Date.parse((await bob.page.getByTestId('message').locator('time').first().getAttribute('datetime')) ?? '')
      expect(shown).toBeGreaterThan(await bob.page.evaluate(() => Date.now() - 60_000))
      expect(await bob.page.getByTestId('lamport').first().getAttribute('title')).toMatch(/their clock was 3 days behind this one's/)
    } finally {
      await behind.stop()
    }
  })

  it('a laptop that flew to New York with the window open shows New York times beside the messages', async () => {
    const { a, b } = await alicePlusBobWithClock()
    await send(a.page, 'written before the flight')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['written before the flight'])
    const before = await b.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
    const time = b.page.getByTestId('message').locator('time').first()
    const sentAt = Date.parse((await time.getAttribute('datetime')) ?? '')
    const hhmm = (zone: string): string => new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(sentAt)
    expect(await time.textContent()).toBe(hhmm(before))
    // The system's time zone changes under the open window (as the OS does on landing).
    const cdp = await b.context.newCDPSession(b.page)
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: 'America/New_York' })
    await b.page.clock.runFor(61_000)
    await eventually(() => time.textContent()).toBe(hhmm('America/New_York'))
  })
})
