/**
 * Typing and presence through the headless host: the JSON commands `typing`
 * and `presence` between two `bin/lanchat peer --json` processes, and the
 * terminal's /away, /back and how it prints them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MAX_SHORT_IDS, stamp, Terminal } from '../main/app/terminal.js'
import { parseLine, roomsNamed } from '../main/app/lines.js'
import { writeInvite } from '../main/core/invite.js'
import type { ChatEvent } from '../main/chat/types.js'
import { untilLabel } from '../preload/contract.js'
import { cleanup, tempDir } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat, type Proc } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
const peer = (name: string): Proc => lanchat(['peer', '--json', '--name', name, '--data', tempDir(`lanchat-${name}-`), ...LOOP])

describe('bin/lanchat peer --json: typing and presence', () => {
  it('sends typing, sets away, and lists everyone\'s presence', async () => {
    const alice = peer('alice')
    const ready = await alice.waitFor('ready', e => e.type === 'ready')
    const bob = peer('bob')
    const bobReady = await bob.waitFor('bob ready', e => e.type === 'ready')
    bob.send({ cmd: 'dial', addr: (ready.addrs as string[])[0] })
    await alice.waitFor('alice sees bob', e => e.type === 'peer:connect' && e.name === 'bob')

    bob.send({ cmd: 'typing', room: 'lobby' })
    expect(await alice.waitFor('typing', e => e.type === 'peer:typing')).toMatchObject({ room: 'lobby', peer: bobReady.peerId, name: 'bob' })

    alice.send({ cmd: 'presence', state: 'away' })
    expect(await alice.waitFor('own presence', e => e.type === 'peer:presence' && e.peerId === ready.peerId)).toMatchObject({ state: 'away' })
    expect(await bob.waitFor('alice away', e => e.type === 'peer:presence' && e.state === 'away')).toMatchObject({ peerId: ready.peerId, name: 'alice' })
    bob.send({ cmd: 'presence' })
    const list = await bob.waitFor('presence list', e => e.type === 'presence')
    expect(list.people).toEqual([expect.objectContaining({ peerId: ready.peerId, name: 'alice', state: 'away' })])

    alice.send({ cmd: 'presence', state: 'gone fishing' })
    expect(await alice.waitFor('refused', e => e.type === 'error')).toMatchObject({ code: 'InvalidRequestError' })

    // A status in her own words travels with her presence, and is in the list.
    alice.send({ cmd: 'status', text: 'In a meeting until 3' })
    expect(await bob.waitFor('alice\'s status', e => e.type === 'peer:presence' && e.status === 'In a meeting until 3')).toMatchObject({ peerId: ready.peerId, state: 'away' })
    bob.send({ cmd: 'presence' })
    expect((await bob.waitFor('presence list', e => e.type === 'presence' && (e.people as Array<{ status?: string }>)[0]?.status !== undefined)).people)
      .toEqual([expect.objectContaining({ peerId: ready.peerId, state: 'away', status: 'In a meeting until 3' })])
    alice.send({ cmd: 'status', text: 'x'.repeat(81) })
    expect(await alice.waitFor('too long', e => e.type === 'error' && /status/.test(String(e.message)))).toMatchObject({ code: 'InvalidRequestError' })
    alice.send({ cmd: 'status' })
    expect(await alice.waitFor('no text', e => e.type === 'error' && /needs a "text"/.test(String(e.message)))).toBeDefined()
    alice.send({ cmd: 'status', text: '' })
    await bob.waitFor('cleared', e => e.type === 'peer:presence' && e.peerId === ready.peerId && e.status === undefined)
    // One that clears itself says when, to bob too.
    const until = Date.now() + 3_600_000
    alice.send({ cmd: 'status', text: 'Lunch', until })
    expect(await bob.waitFor('lunch', e => e.type === 'peer:presence' && e.status === 'Lunch')).toMatchObject({ statusUntil: until })
  })
})

describe('the terminal', () => {
  it('has /away and /back, and prints typing in the current room and presence changes', () => {
    const term = new Terminal(() => 'me')
    expect(term.command('/away')).toMatchObject({ run: { operation: 'setPresence', payload: { state: 'away' } } })
    expect(term.command('/back')).toMatchObject({ run: { operation: 'setPresence', payload: { state: 'online' } } })
    expect(term.format({ type: 'peer:typing', room: 'lobby', peer: 'b', name: 'bob' })).toBe('… bob is typing')
    expect(term.format({ type: 'peer:typing', room: 'elsewhere', peer: 'b', name: 'bob' })).toBeUndefined()
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'away' })).toBe('* bob is away')
    expect(term.format({ type: 'peer:presence', peerId: 'me', name: 'me', state: 'away' })).toBe('* you are away')
    expect(term.format({ type: 'peer:presence', peerId: 'me', name: 'me', state: 'online' })).toBe('* you are back')
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'offline', lastSeen: Date.UTC(2026, 0, 1, 10, 42) })).toMatch(/^\* bob is offline \(last seen .+\)$/)
  })

  it('says a message waits for a hub that is linked and silent differently from one that cannot be reached', () => {
    const term = new Terminal(() => 'me', () => 'me')
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'client', addrs: [] })
    expect(term.format({ type: 'pending', id: 'ab12cd34'.padEnd(64, '0'), room: 'lobby', slow: true }))
      .toBe('… your message waits for the hub, which has not answered for 5 s: it goes, in order, once the hub answers [ab12cd34]')
    expect(term.format({ type: 'pending', id: 'ef56ab78'.padEnd(64, '0'), room: 'lobby' }))
      .toBe('… your message waits for the hub, which cannot be reached: it goes, in order, once the hub is back [ef56ab78]')
  })

  it('takes back a line printed before we heard its author had been removed from the room', () => {
    const term = new Terminal(() => 'me')
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    const message: ChatEvent & { type: 'message' } = { type: 'message', id: 'cd34ef56'.padEnd(64, '0'), room: 'lobby', author: 'cat', name: 'cat', text: 'still here', lamport: 9, sentAt: Date.now(), deps: [] }
    expect(term.format(message)).toMatch(/\] cat: still here$/)
    expect(term.format({ ...message, type: 'message:updated', text: '', refused: true })).toBe("* [cd34ef56] cat's message in #lobby is taken back: they had been removed from the room before they wrote it")
    // One never printed is not spoken of.
    expect(term.format({ ...message, id: 'ee'.repeat(32), type: 'message:updated', text: '', refused: true })).toBeUndefined()
  })

  it('folds a blocked peer\'s messages, edits and deletes, says nothing of its rooms, and does not print it typing; /block says what it does in either mode', () => {
    const blocked = new Set<string>()
    const term = new Terminal(() => 'me', () => 'me', { blocked: id => blocked.has(id), onlyBlocked: room => room === 'free-stuff' && blocked.has('tr') })
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'client', addrs: [] })
    term.format({ type: 'peers', peers: [{ peerId: 'tr', name: 'troll', addrs: [], connected: false, connections: [] }] } as never)
    const typed = term.command('/block troll')
    if (!('run' in typed)) throw new Error('not a command')
    expect(typed.run.payload).toEqual({ peerId: 'tr' })
    blocked.add('tr')
    expect(term.confirm(typed.run, 'me')).toBe('* blocked troll: their typing is not shown, and what they write prints as one folded line (/unblock troll undoes it)')
    const message: ChatEvent & { type: 'message' } = { type: 'message', id: 'ab12cd34'.padEnd(64, '0'), room: 'lobby', author: 'tr', name: 'troll', text: 'buy my stuff', lamport: 7, sentAt: Date.now(), deps: [], seq: 3 }
    expect(term.format(message)).toMatch(/^\[#3 L7 .+ ab12cd34\] \(a message from troll, whom you blocked: \/unblock troll shows theirs\)$/)
    expect(term.format({ ...message, type: 'message:updated', text: 'buy it now', edited: true })).toBeUndefined()
    // Nor a delete of one: nothing is printed for it.
    expect(term.format({ ...message, type: 'message:updated', text: '', deleted: true })).toBeUndefined()
    expect(term.format({ type: 'peer:typing', room: 'lobby', peer: 'tr', name: 'troll' })).toBeUndefined()
    expect(term.format({ type: 'peer:typing', room: 'lobby', peer: 'ok', name: 'kim' })).toBe('… kim is typing')
    // In a room one is not in, not even the one-line notice; someone else's message there gets it.
    expect(term.format({ ...message, room: 'free-stuff', text: '@me free stuff' })).toBeUndefined()
    // /rooms leaves out a room only he wrote in (as the engine says), unless it is joined.
    expect(term.format({ type: 'rooms', rooms: ['lobby', 'free-stuff', 'random'] })).toBe('* #lobby\n  #random (not joined)')
    term.joined.add('free-stuff')
    expect(term.format({ type: 'rooms', rooms: ['lobby', 'free-stuff'] })).toBe('* #lobby\n  #free-stuff')
    term.joined.delete('free-stuff')
    expect(term.format({ ...message, id: 'cd'.repeat(32), room: 'free-stuff', author: 'ok', name: 'kim', text: 'careful' })).toBe('* new messages in #free-stuff, a room you have not joined: /join free-stuff to read them')
    blocked.delete('tr')
    expect(term.format(message)).toMatch(/\] troll: buy my stuff$/)
    // Peer to peer the block refuses the link too, and says so.
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    const again = term.command('/block troll')
    if (!('run' in again)) throw new Error('not a command')
    expect(term.confirm(again.run, 'me')).toMatch(/^\* blocked troll: their link is refused, and/)
  })

  it('sets, shows and clears one\'s status with /status, and prints another\'s status as it changes', () => {
    const term = new Terminal(() => 'me')
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [], status: 'Back soon' })
    expect(term.command('/status')).toEqual({ say: 'your status: "Back soon" (/status clear takes it off)' })
    const set = term.command('/status In a meeting until 3')
    expect(set).toMatchObject({ run: { operation: 'setStatus', payload: { status: 'In a meeting until 3' } } })
    if (!('run' in set)) throw new Error('not a command')
    expect(term.confirm(set.run, 'me')).toBe('* your status: "In a meeting until 3"')
    // "for 30m", "1h", "4h" or "today" at the end sets when it clears itself, as the window's "Clear after" (any time in h and m too).
    const lunch = term.command('/status Out for lunch for 1h')
    if (!('run' in lunch)) throw new Error('not a command')
    const { status: words, until: ends } = lunch.run.payload as { status: string, until?: number }
    expect(words).toBe('Out for lunch')
    expect(Math.abs((ends ?? 0) - (Date.now() + 3_600_000))).toBeLessThan(5_000)
    expect(term.confirm(lunch.run, 'me')).toBe(`* your status: "Out for lunch" (${untilLabel(ends!)})`)
    expect(term.command('/status Out for lunch')).toMatchObject({ run: { payload: { status: 'Out for lunch' } } })
    expect((term.command('/status Out for lunch') as { run: { payload: object } }).run.payload).not.toHaveProperty('until')
    // Any time in hours and minutes, not only the window's four choices.
    const minutesOf = (typed: string): number => {
      const { status, until } = (term.command(typed) as { run: { payload: { status: string, until: number } } }).run.payload
      expect(status).toBe('Lunch')
      return Math.round((until - Date.now()) / 60_000)
    }
    expect(minutesOf('/status Lunch for 2h')).toBe(120)
    expect(minutesOf('/status Lunch for 90m')).toBe(90)
    expect(minutesOf('/status Lunch for 1h30m')).toBe(90)
    expect(minutesOf('/status Lunch for 1 hour 15 minutes')).toBe(75)
    // A week away, as the limit says it: in days.
    expect(minutesOf('/status Lunch for 3d')).toBe(3 * 1440)
    expect(minutesOf('/status Lunch for 1 day 2h')).toBe(1440 + 120)
    expect(() => term.command('/status Lunch for 8 days')).toThrow(/^a status clears itself after 1 minute to 7 days/)
    expect(() => term.command('/status Lunch for 200h')).toThrow(/^a status clears itself after 1 minute to 7 days/)
    // /status alone says until when, as the confirmation did.
    expect(term.command('/status')).toEqual({ say: `your status: "Out for lunch" (${untilLabel(ends!)}; /status clear takes it off)` })
    term.format({ type: 'peer:presence', peerId: 'me', name: 'me', state: 'online', status: 'Busy' })
    expect(term.command('/status')).toEqual({ say: 'your status: "Busy" (/status clear takes it off)' })
    const today = term.command('/status Working from home for today') as { run: { payload: { status: string, until: number } } }
    expect(today.run.payload.status).toBe('Working from home')
    expect(new Date(today.run.payload.until - 1).toDateString()).toBe(new Date().toDateString())
    const clear = term.command('/status clear')
    expect(clear).toMatchObject({ run: { operation: 'setStatus', payload: { status: '' } } })
    if (!('run' in clear)) throw new Error('not a command')
    expect(term.confirm(clear.run, 'me')).toBe('* you have no status now')
    expect(term.command('/status')).toEqual({ say: 'you have no status: /status TEXT sets one (In a meeting until 3), seen with your presence' })
    // Someone else's: with their arrival, as it changes, once, and when they take it off.
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'online', status: 'Out for lunch' })).toBe('* bob is online\n* bob: "Out for lunch"')
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'away', status: 'Out for lunch' })).toBe('* bob is away')
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'away', status: 'Back at 2' })).toBe('* bob: "Back at 2"')
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'online', status: 'Back at 2' })).toBe('* bob is back')
    // The engine's presence says all of it: no status there is none.
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'online' })).toBe('* bob has no status now')
    // Our own event says nothing more: /status confirmed it.
    expect(term.format({ type: 'peer:presence', peerId: 'me', name: 'me', state: 'online', status: 'Busy' })).toBeUndefined()
    // /who shows it after the presence.
    expect(term.format({ type: 'presence', people: [{ peerId: 'b', name: 'bob', state: 'away', status: 'Back at 2' }] })).toBe('◐ bob away — Back at 2')
    // One set to clear itself says until when, as the window does.
    const until = new Date(2026, 11, 4, 13, 30).getTime()
    const at = untilLabel(until)
    expect(at).toMatch(/^until (\w+ )?\d{1,2}:30/)
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'online', status: 'Lunch', statusUntil: until })).toBe(`* bob: "Lunch" (${at})`)
    expect(term.format({ type: 'presence', people: [{ peerId: 'b', name: 'bob', state: 'online', status: 'Lunch', statusUntil: until }] })).toBe(`● bob online — Lunch (${at})`)
    expect(untilLabel(until, new Date(2026, 11, 4, 9).getTime())).toMatch(/^until \d{1,2}:30/)
    expect(untilLabel(until, new Date(2026, 11, 3, 9).getTime())).toMatch(/^until \w+ \d{1,2}:30/)
  })

  it('says who comes and goes once each, and a crowd arriving or leaving with a link as one line', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const term = new Terminal(() => 'me')
      const presence = (peerId: string, state: 'online' | 'away' | 'offline'): string | undefined =>
        term.format({ type: 'peer:presence', peerId, name: peerId, state, ...(state === 'offline' ? { lastSeen: Date.now() } : {}) })
      // A client: the hub's link brings everyone on it at once; /who lists them, no line each.
      term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'client', addrs: [] })
      expect(term.format({ type: 'peer:connect', peerId: 'hub', name: 'hub', local: '127.0.0.1:5000', remote: '127.0.0.1:4001' })).toBe('* hub joined (127.0.0.1:5000 <-> 127.0.0.1:4001)')
      expect([presence('bob', 'online'), presence('cat', 'online')]).toEqual([undefined, undefined])
      // A crowd that keeps coming past the first seconds is still one: each arrival holds the quiet a second more.
      for (let i = 0; i < 5; i++) { vi.advanceTimersByTime(900); expect(presence(`p${i}`, 'online')).toBeUndefined() }
      // Later comings and goings are said, once each.
      vi.advanceTimersByTime(3_000)
      expect(presence('dan', 'online')).toBe('* dan is online')
      expect(presence('dan', 'online')).toBeUndefined()
      expect(presence('bob', 'away')).toBe('* bob is away')
      expect(presence('bob', 'online')).toBe('* bob is back')
      expect(presence('dan', 'offline')).toMatch(/^\* dan is offline \(last seen .+\)$/)
      expect(presence('dan', 'offline')).toBeUndefined()
      // The hub gone: one line for the seven still on it, not one each.
      expect(term.format({ type: 'peer:disconnect', peerId: 'hub' })).toBe('* hub left: the 7 others on it read as offline until it is back (/who)')
      expect([presence('bob', 'offline'), presence('cat', 'offline')]).toEqual([undefined, undefined])

      // Peer to peer: a link's "joined" says its peer is here; someone heard of through it later is said.
      term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
      vi.advanceTimersByTime(3_000)
      term.format({ type: 'peer:connect', peerId: 'bob', name: 'bob', local: '127.0.0.1:5000', remote: '127.0.0.1:4002' })
      expect([presence('bob', 'online'), presence('cat', 'online')]).toEqual([undefined, undefined])
      vi.advanceTimersByTime(3_000)
      expect(presence('eve', 'online')).toBe('* eve is online')
      // The last link ends: its peer is said to have left, and the two heard of through it in one line.
      expect(term.format({ type: 'peer:disconnect', peerId: 'bob' })).toBe('* bob left: the 2 others heard of through it read as offline until a link is back (/who)')
      // One departure, one line: the link's end said it, so its peer's "offline" just after is not said again.
      expect(presence('bob', 'offline')).toBeUndefined()
      expect([presence('cat', 'offline'), presence('eve', 'offline')]).toEqual([undefined, undefined])
      // A goodbye comes before the link's end: "left" alone says it.
      vi.advanceTimersByTime(60_000)
      term.format({ type: 'peer:connect', peerId: 'fay', name: 'fay', local: '127.0.0.1:5000', remote: '127.0.0.1:4003' })
      term.format({ type: 'peer:connect', peerId: 'gus', name: 'gus', local: '127.0.0.1:5000', remote: '127.0.0.1:4004' })
      vi.advanceTimersByTime(3_000)
      expect(presence('fay', 'online')).toBeUndefined()
      expect(presence('fay', 'offline')).toBeUndefined()
      expect(presence('gus', 'online')).toBeUndefined()
      expect(term.format({ type: 'peer:disconnect', peerId: 'fay' })).toBe('* fay left')
      // A link swapped for another (or a full peer sending us on) is no departure: nothing is said, and gus stays online.
      expect(term.format({ type: 'peer:disconnect', peerId: 'gus', staying: true })).toBeUndefined()
      expect(presence('gus', 'online')).toBeUndefined()
      // Gus, still on the LAN after his link was swapped, quits later: heard through others, that is news.
      expect(presence('gus', 'offline')).toMatch(/^\* gus is offline/)
      // Someone heard of through others is said to join at the first link to them, and no other
      // link to them says it again while they stay (a rotation brings one every few minutes).
      expect(presence('hal', 'online')).toBe('* hal is online')
      const halLink = { type: 'peer:connect', peerId: 'hal', name: 'hal', local: '127.0.0.1:5000', remote: '127.0.0.1:4005' } as const
      expect(term.format(halLink)).toBe('* hal joined (127.0.0.1:5000 <-> 127.0.0.1:4005)')
      expect(term.format({ type: 'peer:disconnect', peerId: 'hal', staying: true })).toBeUndefined()
      expect(term.format(halLink)).toBeUndefined()
      expect(term.format({ type: 'peer:disconnect', peerId: 'hal', staying: true })).toBeUndefined()
      // A link one asked for with /dial is said, whichever comes first, the link or the dial's answer.
      const dial = (addr: string): string | undefined => {
        const typed = term.command(`/dial ${addr}`)
        if (!('run' in typed)) throw new Error('not a command')
        return term.confirm(typed.run, 'me', { multiaddr: `/ip4/${addr.replace(':', '/tcp/')}` })
      }
      const again = '* linked to hal again (127.0.0.1:5000 <-> 127.0.0.1:4005); hal was here through other peers meanwhile'
      expect(term.format(halLink)).toBeUndefined()
      expect(dial('127.0.0.1:4005')).toBe(again)
      term.format({ type: 'peer:disconnect', peerId: 'hal', staying: true })
      expect(dial('127.0.0.1:4005')).toBeUndefined()
      expect(term.format(halLink)).toBe(again)
      // Hal quits: the link's end says it, as for anyone linked; back later, he joins again.
      expect(term.format({ type: 'peer:disconnect', peerId: 'hal' })).toMatch(/^\* hal left/)
      vi.advanceTimersByTime(60_000)
      expect(term.format(halLink)).toBe('* hal joined (127.0.0.1:5000 <-> 127.0.0.1:4005)')
      // Offline heard through others after a swapped link: the next link is an arrival too.
      term.format({ type: 'peer:disconnect', peerId: 'hal', staying: true })
      vi.advanceTimersByTime(3_000)
      expect(presence('hal', 'offline')).toMatch(/^\* hal is offline/)
      expect(presence('hal', 'online')).toBe('* hal is online')
      expect(term.format(halLink)).toBe('* hal joined (127.0.0.1:5000 <-> 127.0.0.1:4005)')
      term.format({ type: 'peer:disconnect', peerId: 'hal', staying: true })
      // Long after a link ended, a return and a later departure heard through others are news again.
      vi.advanceTimersByTime(60_000)
      expect(presence('fay', 'online')).toBe('* fay is online')
      expect(presence('fay', 'offline')).toMatch(/^\* fay is offline/)
    } finally {
      vi.useRealTimers()
    }
  })

  it('says when a message was written: the time today, the day and time before, the year too when not this one', () => {
    const now = new Date(2026, 11, 3, 15, 0).getTime()
    const at = (d: Date): string => d.toLocaleTimeString()
    const morning = new Date(2026, 11, 3, 9, 5, 7)
    expect(stamp(morning.getTime(), now)).toBe(at(morning))
    const yesterday = new Date(2026, 11, 2, 23, 59, 1)
    expect(stamp(yesterday.getTime(), now)).toBe(`${yesterday.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${at(yesterday)}`)
    const lastYear = new Date(2025, 11, 3, 15, 0)
    expect(stamp(lastYear.getTime(), now)).toContain('2025')
    // A history line carries it, as a live one does.
    const term = new Terminal(() => 'me')
    const line = term.format({ type: 'history', room: 'lobby', messages: [{ id: 'ab'.repeat(32), room: 'lobby', author: 'x', name: 'ann', text: 'from yesterday', lamport: 4, sentAt: yesterday.getTime(), deps: [] }] })
    expect(line).toBe(`[L4 ${stamp(yesterday.getTime())} abababab] ann: from yesterday`)
  })

  it('its banner says how others are reached: found on the LAN, or by address', () => {
    const ready: ChatEvent = { type: 'ready', peerId: 'me', name: 'pat', mode: 'p2p', addrs: ['/ip4/10.0.0.2/tcp/4001/p2p/me'] }
    const term = new Terminal(() => 'me')
    expect(term.format(ready)).toContain('\npeers on this LAN join by themselves; /dial ip:port reaches one by address\n')
    term.lanDiscovery = false
    expect(term.format(ready)).toContain('\nfinding peers on the LAN is off: /dial ip:port connects to one, and the peers it is linked to come with it\n')
  })

  it('says a rename, a name clash, a forked key and a full disk in words, never as JSON', () => {
    const term = new Terminal(() => 'me')
    term.format({ type: 'peer:connect', peerId: 'a', name: 'Ann', local: '127.0.0.1:5000', remote: '127.0.0.1:4001' })
    expect(term.format({ type: 'peer:renamed', peerId: 'a', name: 'Annie', previousName: 'Ann', fingerprint: '9bab·0d2d' })).toBe('* Ann is now called "Annie" (9bab·0d2d)')
    // The new name is the one commands take.
    expect(term.command('/dm Annie hi')).toMatchObject({ run: { operation: 'send', payload: { to: 'a', text: 'hi' } } })
    // A name typed with its accent composed finds one sent decomposed (e + U+0301), and the other way round.
    term.format({ type: 'peer:connect', peerId: 'j', name: 'Jose\u0301 García', local: '127.0.0.1:5001', remote: '127.0.0.1:4002' })
    expect(term.command('/dm José Garci\u0301a hola')).toMatchObject({ run: { operation: 'send', payload: { to: 'j', text: 'hola' } } })
    expect(term.format({ type: 'peer:name-clash', peerId: 'x', name: 'Annie', fingerprint: '1111·2222', others: [{ peerId: 'a', fingerprint: '9bab·0d2d' }] }))
      .toBe('! two people are called "Annie" here: this one is 1111·2222, the other 9bab·0d2d (/peers lists their ids)')
    // One's own name taken: said as one's own, with one's own key beside theirs.
    expect(term.format({ type: 'peer:name-clash', peerId: 'x', name: 'pat', fingerprint: '1111·2222', others: [{ peerId: 'me', fingerprint: 'e6f2·5de1' }] }))
      .toBe('! someone else is called "pat", as you are: their key is 1111·2222, yours e6f2·5de1 (/peers lists their ids)')
    expect(term.format({ type: 'peer:name-clash', peerId: 'x', name: 'pat', fingerprint: '1111·2222', others: [{ peerId: 'me', fingerprint: 'e6f2·5de1' }, { peerId: 'a', fingerprint: '9bab·0d2d' }] }))
      .toBe('! someone else is called "pat", as you are: their key is 1111·2222, yours e6f2·5de1; the other 9bab·0d2d too (/peers lists their ids)')
    expect(term.format({ type: 'peer:forked', peerId: 'a', fingerprint: '9bab·0d2d', floor: 7 })).toMatch(/^! Annie \(9bab·0d2d\) signed two different messages as number 7: both are kept/)
    expect(term.format({ type: 'writes:paused', message: 'the disk is full (/data/lanchat.db). Sending and receiving wait.' })).toBe('! the disk is full (/data/lanchat.db). Sending and receiving wait.')
    expect(term.format({ type: 'writes:resumed' })).toBe('* the disk takes writes again: what waited goes on')
  })

  it('keeps the newest name: an old line printed again (/history, catch-up) does not take back a rename', () => {
    const term = new Terminal(() => 'me')
    const before = Date.now() - 60_000
    term.format({ type: 'peer:connect', peerId: 'c', name: 'cat', local: '127.0.0.1:5000', remote: '127.0.0.1:4001' })
    term.format({ type: 'peer:renamed', peerId: 'c', name: 'kitty', previousName: 'cat', fingerprint: '9bab·0d2d' })
    const old = { id: 'ab'.repeat(32), room: 'lobby', author: 'c', name: 'cat', text: 'meow', lamport: 1, sentAt: before, deps: [] }
    expect(term.format({ type: 'history', room: 'lobby', messages: [old] })).toMatch(/\] cat: meow$/)
    expect(term.format({ type: 'peer:disconnect', peerId: 'c' })).toBe('* kitty left')
    expect(term.command('/dm kitty hi')).toMatchObject({ run: { payload: { to: 'c' } } })
    expect(() => term.command('/dm cat hi')).toThrow(/no peer called "cat"/)
    // A line written after the rename does rename, as a live message under a new name would.
    term.format({ type: 'message', ...old, id: 'cd'.repeat(32), name: 'tiger', sentAt: Date.now() + 1_000 })
    expect(term.command('/dm tiger hi')).toMatchObject({ run: { payload: { to: 'c' } } })
    // Someone known only from history: the newest line's name, whatever order they print in.
    term.format({ type: 'history', room: 'lobby', messages: [{ ...old, author: 'd', name: 'dan2', sentAt: before + 10 }, { ...old, id: 'ef'.repeat(32), author: 'd', name: 'dan', sentAt: before }] })
    expect(term.command('/dm dan2 hi')).toMatchObject({ run: { payload: { to: 'd' } } })
  })

  it('says why a command does nothing: /versions alone, leaving a room never joined, searching an unknown room, cancelling, giving keys or inviting a member in vain, fetching a file already saved', () => {
    const known = new Set(['lobby', 'design'])
    const term = new Terminal(() => 'me', () => 'me', { knownRoom: room => known.has(room) })
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    expect(() => term.command('/versions')).toThrow(/^usage: \/versions ID \(/)
    expect(term.command('/leave #nonexistent')).toEqual({ say: 'you have not joined #nonexistent: nothing to leave (/rooms lists the rooms known, /join ROOM joins one)' })
    term.joined.add('design')
    expect(term.command('/leave #design')).toMatchObject({ run: { operation: 'leaveRoom' } })
    // A search of a room nobody wrote in nor joined says so; of a known one, where nothing was found.
    expect(term.format({ type: 'search', q: 'hello', room: 'nosuchroom', hits: [] })).toBe('(no room #nosuchroom is known here: /rooms lists them, /search WORDS looks in every room)')
    expect(term.format({ type: 'search', q: 'hello', room: 'design', hits: [] })).toBe('(nothing found for "hello" in #design)')
    expect(term.format({ type: 'search', q: 'hello', hits: [] })).toBe('(nothing found for "hello")')
    // `/search @Bob WORDS`: the direct messages with Bob (the engine says when there are none).
    expect(term.command('/search @Bob hello there')).toMatchObject({ run: { payload: { q: 'hello there', room: '@bob' } } })
    expect(() => term.command('/search @bob')).toThrow(/^usage: \/search WORDS, \/search #ROOM WORDS, or \/search @NAME WORDS$/)
    expect(term.format({ type: 'search', q: 'hello', room: '@bob', hits: [] })).toBe('(nothing found for "hello" in your direct messages with bob)')
    // Words written without spaces alone are looked for only so far back: said, as the window says it.
    expect(term.format({ type: 'search', q: '预算', hits: [] })).toBe('(nothing found for "预算": emoji and words written without spaces (Chinese, Japanese, Thai…) are looked for in the newest 100,000 messages; add a word written with spaces to search all of them)')
    // `/search #Q3 Planning WORDS` searched an invite-only room of ours by its name: it is known, and said so.
    term.format({ type: 'private-rooms', rooms: [{ room: 'pr:0a1b', name: 'Q3 Planning', creator: 'me', members: ['me'], removed: false }] })
    expect(term.format({ type: 'search', q: 'hello', room: 'q3-planning', hits: [] })).toBe('(nothing found for "hello" in private room "Q3 Planning" (pr:0a1b))')
    // Its name as shown, spaces and all: the most words that name a room known here; else the first word.
    expect(term.command('/search #Q3 Planning hello there')).toMatchObject({ run: { payload: { q: 'hello there', room: 'q3-planning' } } })
    expect(term.command('/search #design team notes')).toMatchObject({ run: { payload: { q: 'team notes', room: 'design' } } })
    expect(term.command('/search #kitchen sink plans')).toMatchObject({ run: { payload: { q: 'sink plans', room: 'kitchen' } } })
    // A file saved already: the command's answer, which is no download starting, then "saved".
    const file = { id: 'ab'.repeat(32), room: 'lobby', sha256: 'cd'.repeat(32), name: 'fake.png', size: 8 }
    expect(term.format({ type: 'download', id: file.id, name: file.name, size: 8, sha256: file.sha256, saved: true })).toBeUndefined()
    expect(term.format({ type: 'file:done', ...file, path: '/tmp/fake.png', fetched: false })).toBe('* saved fake.png to /tmp/fake.png')
    // One fetched now is said as it starts, and saved once done.
    expect(term.format({ type: 'download', id: file.id, name: file.name, size: 8, sha256: file.sha256 })).toBe('* downloading fake.png (8 bytes)')
    expect(term.format({ type: 'file:done', ...file, path: '/tmp/fake.png', fetched: true })).toBe('* saved fake.png to /tmp/fake.png')
    // In an invite-only room: keys to one who holds them, or to one who is no member, by name.
    term.format({ type: 'peers', peers: [{ peerId: 'b', name: 'ben', addrs: [], connected: true, connections: [] }, { peerId: 'k', name: 'kitty', addrs: [], connected: true, connections: [] }] } as never)
    const room = `pr:${'1'.repeat(32)}`
    term.format({ type: 'private-room', room, name: 'Crew Two', creator: 'me', members: ['me', 'b'], removed: false, oldInvite: [] } as never)
    expect(term.command(`/room ${room}`)).toMatchObject({ run: { operation: 'joinRoom' } })
    expect(term.command('/givekeys ben')).toEqual({ say: 'ben already holds the keys of private room "Crew Two": nothing to give' })
    expect(() => term.command('/givekeys kitty')).toThrow('kitty is not a member of "Crew Two": /invite kitty sends them an invite')
    // An invite to a member: none is sent (the window offers none), and that is said.
    expect(term.command('/invite ben')).toEqual({ say: 'ben is in private room "Crew Two" already: no invite sent' })
    expect(term.command('/invite kitty')).toMatchObject({ run: { operation: 'invite', payload: { room, to: 'k' } } })
    term.format({ type: 'private-room', room, name: 'Crew Two', creator: 'me', members: ['me', 'b'], removed: false, oldInvite: ['b'] } as never)
    expect(term.command('/givekeys ben')).toMatchObject({ run: { operation: 'giveRoomKeys', payload: { peerId: 'b' } } })
    expect(term.command('/invite ben')).toEqual({ say: 'ben is in private room "Crew Two" already: no invite sent (joined with an old invite: /givekeys ben gives them the keys)' })
  })

  it('takes an invite-only room that removed us by its name, to read it, never the public room of that name, where a line would reach everyone', () => {
    const term = new Terminal(() => 'me')
    const room = `pr:${'2'.repeat(24)}`
    term.format({ type: 'private-room', room, name: 'Ops', creator: 'a', members: ['a'], removed: true, oldInvite: [] } as never)
    expect(term.command('/room Ops')).toMatchObject({ run: { operation: 'joinRoom', payload: { room } } })
    expect(term.command('/history Ops')).toMatchObject({ run: { payload: { room } } })
    // It is no room to type into: a new one may take its name.
    expect(term.command('/private Ops')).toMatchObject({ run: { operation: 'createPrivateRoom' } })
    // A script's room by name too.
    const names = { privateNamed: (name: string) => roomsNamed([[room, { name: 'Ops', removed: true }]], name) }
    expect(parseLine(JSON.stringify({ cmd: 'send', room: 'Ops', text: 'hi' }), names)).toMatchObject({ payload: { room } })
  })

  it('leaving an invite-only room that removed us says only its creator can let one back, not any new invite', () => {
    const term = new Terminal(() => 'me')
    const room = `pr:${'4'.repeat(24)}`
    term.format({ type: 'private-room', room, name: 'Ops', creator: 'a', members: ['a'], removed: true } as never)
    const leave = term.command(`/leave ${room}`)
    if (!('run' in leave)) throw new Error('not a command')
    expect(term.confirm(leave.run, 'me')).toBe('* you left private room "Ops": its keys are forgotten here, so it no longer opens (only its creator can invite you back); typing in #lobby')
  })

  it('an invitation to a room one is in already says so, not "type /accept to join"', () => {
    const term = new Terminal(() => 'me')
    const room = `pr:${'3'.repeat(24)}`
    term.format({ type: 'private-room', room, name: 'Tri', creator: 'a', members: ['a', 'me'], removed: false } as never)
    const code = writeInvite({ v: 1, room, name: 'Tri', creator: 'a', keys: ['ab'.repeat(32)] })
    const line = term.format({ type: 'message', id: 'cd'.repeat(32), room: 'dm:x', to: 'me', author: 'a', name: 'ann', text: code, lamport: 3, sentAt: Date.now(), deps: [] })
    expect(line).toMatch(/\] \(dm\) ann: invites you to the private room "Tri", which you are in already: \/room Tri types into it$/)
  })

  it('takes an emoji to react with, not a word; says one\'s name; confirms closing a conversation', () => {
    const term = new Terminal(() => 'me', () => 'ann')
    const id = 'ab'.repeat(32)
    term.format({ type: 'message', id, room: 'lobby', author: 'b', name: 'bob', text: 'hi', lamport: 1, sentAt: 0, deps: [] })
    expect(() => term.command('/react 1 hello')).toThrow('"hello" is not an emoji: /react 1 👍')
    for (const emoji of ['👍', '❤️', '☺', '🇫🇷', '1️⃣', '👩‍💻']) expect(term.command(`/react 1 ${emoji}`)).toMatchObject({ run: { operation: 'react', payload: { id, emoji } } })
    expect(term.command('/name')).toEqual({ say: 'you are "ann": /name NAME changes it' })
    const close = term.command('/close bob')
    if (!('run' in close)) throw new Error('not a command')
    expect(term.confirm(close.run, 'ann')).toBe('* closed the conversation with bob: its history stays, and /dm opens it again')
  })

  it('keeps the short ids of the newest messages and files it printed, not of every one since it started', () => {
    const term = new Terminal(() => 'me')
    const id = (n: number): string => n.toString(16).padStart(8, '0').repeat(8)
    const file = { name: 'a.txt', size: 2, mime: 'text/plain', sha256: 'c'.repeat(64) }
    const total = MAX_SHORT_IDS + 500
    for (let n = 1; n <= total; n++) term.format({ type: 'message', id: id(n), room: 'lobby', author: 'b', name: 'bob', text: `📎 ${file.name}`, lamport: n, sentAt: 0, deps: [], file })
    const reply = (short: string): unknown => term.command(`/reply ${short} ok`)
    // The first ones printed are let go, with the limit said; the newest are there, by short id or by count.
    expect(() => reply(id(1).slice(0, 8))).toThrow(`no message ${id(1).slice(0, 8)} seen yet: use the short id printed in its [brackets] (of the last 10,000 shown)`)
    expect(() => term.command(`/download ${id(500).slice(0, 8)}`)).toThrow(/^no shared file/)
    expect(reply(id(501).slice(0, 8))).toMatchObject({ run: { payload: { replyTo: id(501) } } })
    expect(reply('1')).toMatchObject({ run: { payload: { replyTo: id(total) } } })
    expect(term.command(`/download ${id(501).slice(0, 8)}`)).toMatchObject({ run: { payload: { id: id(501) } } })
    expect(term.command('/download')).toMatchObject({ run: { payload: { id: id(total) } } })
    // One printed again (a search hit, /history) is the newest again: kept.
    term.format({ type: 'search', q: 'x', hits: [{ id: id(501), room: 'lobby', author: 'b', name: 'bob', lamport: 501, sentAt: 0, snippet: 'x' }] })
    for (let n = total + 1; n <= total + 100; n++) term.format({ type: 'message', id: id(n), room: 'lobby', author: 'b', name: 'bob', text: 'hi', lamport: n, sentAt: 0, deps: [] })
    expect(reply(id(501).slice(0, 8))).toMatchObject({ run: { payload: { replyTo: id(501) } } })
    expect(() => reply(id(502).slice(0, 8))).toThrow(/^no message/)
  })
})
