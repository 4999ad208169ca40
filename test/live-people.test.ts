/**
 * LivePeople on its own, with a hand-driven clock: the typing limits at both
 * ends and presence coalescing (the last word wins), without sockets.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LivePeople, PRESENCE_MIN_GAP_MS, SAME_DEPARTURE_MS, TYPING_INTERVAL_MS } from '../main/chat/live.js'
import type { EngineEvent } from '../main/chat/types.js'
import { MAX_PEOPLE } from '../main/chat/presence-relay.js'

afterEach(() => { vi.useRealTimers() })

function people (): { live: LivePeople, events: EngineEvent[], tick: (ms: number) => void } {
  let now = 1_000_000
  const events: EngineEvent[] = []
  const live = new LivePeople(e => { events.push(e) }, () => now)
  return { live, events, tick: ms => { now += ms; vi.advanceTimersByTime(ms) } }
}

describe('LivePeople', () => {
  it('knows at most MAX_PEOPLE: past it the one offline the longest goes, never someone online', () => {
    vi.useFakeTimers()
    const { live, tick } = people()
    live.presence('here', 'Here', 'online')
    live.remembered('long-gone', 'Old', 1)
    for (let i = 0; i < MAX_PEOPLE + 500; i++) {
      live.presence(`minted-${i}`, 'x', 'offline', 10_000 + i)
      tick(1)
    }
    const ids = new Set(live.list().map(p => p.peerId))
    expect(ids.size).toBe(MAX_PEOPLE)
    expect(ids.has('here')).toBe(true)
    expect(ids.has('long-gone')).toBe(false)
    expect(ids.has('minted-0')).toBe(false)
    expect(ids.has(`minted-${MAX_PEOPLE + 499}`)).toBe(true)
    // Word of one that went lists them again.
    live.presence('long-gone', 'Old', 'online')
    expect(live.of('long-gone')?.state).toBe('online')
  })

  it('lets typing out once every 3 s, and takes a peer\'s typing at most every 2.5 s', () => {
    vi.useFakeTimers()
    const { live, events, tick } = people()
    expect(live.mayType()).toBe(true)
    tick(TYPING_INTERVAL_MS - 1)
    expect(live.mayType()).toBe(false)
    tick(1)
    expect(live.mayType()).toBe(true)
    expect([live.typing('bob', 'Bob', 'lobby'), live.typing('bob', 'Bob', 'lobby'), live.typing('carol', 'Carol', 'lobby')]).toEqual([true, false, true])
    tick(2_500)
    expect(live.typing('bob', 'Bob', 'lobby')).toBe(true)
    expect(events.filter(e => e.type === 'peer:typing')).toHaveLength(3)
  })

  it('drops a peer\'s status when its time comes, offline or not; one already over is none; a new word replaces its time', () => {
    vi.useFakeTimers()
    const { live, events, tick } = people()
    const statusOf = (): string | undefined => live.of('bob')?.status
    live.presence('bob', 'Bob', 'online', undefined, 'Lunch', 1_000_000 + 60_000)
    expect(live.of('bob')).toMatchObject({ status: 'Lunch', statusUntil: 1_060_000 })
    live.disconnected('bob')
    tick(59_999)
    expect(statusOf()).toBe('Lunch')
    tick(1)
    expect(statusOf()).toBeUndefined()
    expect(events.at(-1)).toEqual({ type: 'peer:presence', peerId: 'bob', name: 'Bob', fingerprint: expect.any(String), state: 'offline', lastSeen: 1_000_000 })
    // Heard after its time (a hub's word about someone gone): none.
    live.presence('carol', 'Carol', 'offline', 5, 'Away all week', 1_000)
    expect(live.of('carol')).not.toHaveProperty('status')
    // A new word replaces the old one's time: the old time clears nothing.
    live.presence('bob', 'Bob', 'online', undefined, 'Call', 1_060_000 + 1_000)
    live.presence('bob', 'Bob', 'online', undefined, 'Call')
    tick(5_000)
    expect(statusOf()).toBe('Call')
    // Our own status's time is the engine's to keep (it also stores and tells the clear): no timer here races it.
    const mine = new LivePeople(() => {}, () => 1_065_000, () => 'me')
    mine.presence('me', 'Me', 'online', undefined, 'Lunch', 1_065_000 + 1_000)
    vi.advanceTimersByTime(2_000)
    expect(mine.of('me')?.status).toBe('Lunch')
    // A time further off than any app sets (a wrong clock, a made-up frame): the words stay, without it.
    live.presence('dan', 'Dan', 'online', undefined, 'Sabbatical', 1_065_000 + 400 * 86_400_000)
    expect(live.of('dan')).toMatchObject({ status: 'Sabbatical' })
    expect(live.of('dan')).not.toHaveProperty('statusUntil')
  })

  it('tells a departure once when its goodbye and the link\'s end both say offline', () => {
    vi.useFakeTimers()
    const { live, events, tick } = people()
    live.connected('bob', 'Bob')
    live.presence('bob', 'Bob', 'offline', 1_000_000)
    tick(2)
    live.disconnected('bob')
    const offline = events.filter(e => e.type === 'peer:presence' && e.state === 'offline')
    expect(offline).toEqual([expect.objectContaining({ peerId: 'bob', lastSeen: 1_000_000 })])
    // What is asked later reads the later time, the link's end.
    expect(live.of('bob')).toMatchObject({ state: 'offline', lastSeen: 1_000_002 })
    // Back and gone again, or a last-seen someone would read differently: news.
    live.presence('bob', 'Bob', 'offline', 1_000_002 + SAME_DEPARTURE_MS)
    live.connected('bob', 'Bob')
    live.disconnected('bob')
    expect(events.filter(e => e.type === 'peer:presence' && e.state === 'offline')).toHaveLength(3)
  })

  it('a peer that fell asleep is told offline once: its claim running out later, with an older time, changes nothing', () => {
    vi.useFakeTimers()
    const { live, events, tick } = people()
    const claimHeard = 1_000_000
    live.connected('bob', 'Bob')
    // Bob's laptop sleeps half a minute after his last claim (one a minute); the link is dropped when its pings
    // have gone unanswered (45 s later, as it happened here).
    tick(75_000)
    live.disconnected('bob')
    // His claim's lease (150 s after it was heard) runs out 75 s after that: offline, last seen when the claim came.
    tick(75_000)
    live.presence('bob', 'Bob', 'offline', claimHeard)
    const offline = events.filter(e => e.type === 'peer:presence' && e.state === 'offline')
    expect(offline).toEqual([expect.objectContaining({ peerId: 'bob', lastSeen: claimHeard + 75_000 })])
    // "Last seen" does not go back to an earlier time.
    expect(live.of('bob')).toMatchObject({ state: 'offline', lastSeen: claimHeard + 75_000 })
  })

  it('coalesces a flood of presence changes, the last one winning, and an offline is not overtaken', () => {
    vi.useFakeTimers()
    const { live, events, tick } = people()
    for (let i = 0; i < 50; i++) live.throttled('bob', { name: 'Bob', state: i % 2 === 0 ? 'away' : 'online' })
    expect(events).toHaveLength(1)
    tick(PRESENCE_MIN_GAP_MS)
    expect(events.map(e => e.type === 'peer:presence' ? e.state : '')).toEqual(['away', 'online'])
    live.throttled('bob', { name: 'Bob', state: 'away' })
    live.disconnected('bob')
    tick(PRESENCE_MIN_GAP_MS * 2)
    expect(live.of('bob')?.state).toBe('offline')
  })

  it('news that says no status, overtaking news that set one within the gap, keeps that status', () => {
    vi.useFakeTimers()
    const { live, tick } = people()
    live.throttled('bob', { name: 'Bob', state: 'online' })
    // Within the second: a status, then a rename that says nothing of it (a hub's word of a new hello).
    live.throttled('bob', { name: 'Bob', state: 'online', status: 'in a meeting', statusUntil: 1_000_000 + 3_600_000 })
    live.throttled('bob', { name: 'Robert', state: 'online' })
    tick(PRESENCE_MIN_GAP_MS)
    expect(live.of('bob')).toMatchObject({ name: 'Robert', status: 'in a meeting' })
    expect(live.of('bob')?.statusUntil).toBe(1_000_000 + 3_600_000)
    // A status cleared ('') is said, and overtakes.
    live.throttled('bob', { name: 'Robert', state: 'online', status: '' })
    live.throttled('bob', { name: 'Robert', state: 'away' })
    tick(PRESENCE_MIN_GAP_MS)
    expect(live.of('bob')).toMatchObject({ state: 'away' })
    expect(live.of('bob')?.status).toBeUndefined()
  })
})
