/**
 * The terminal of `bin/lanchat peer` left running for weeks next to a peer that makes up keys:
 * what it keeps of peers (names, presence, statuses, departures) stays bounded, and the people
 * who matter (linked, online) are still named. The terminal is fed the events its engine emits.
 */
import { describe, expect, it } from 'vitest'
import { Terminal } from '../main/app/terminal.js'
import { MAX_PEOPLE } from '../main/chat/presence-relay.js'
import { dmRoom } from '../main/chat/private.js'
import type { ChatEvent } from '../main/chat/types.js'

const message = (author: string, name: string, n: number): ChatEvent => ({
  type: 'message', id: n.toString(16).padStart(64, '0'), room: 'lobby', author, name, text: 'buy now', lamport: n + 1, sentAt: Date.now(), deps: []
})

describe('the terminal next to a peer that makes up keys', () => {
  it('keeps at most about MAX_PEOPLE peers however many keys come and go, and still names a linked and an online one', () => {
    const term = new Terminal(() => 'me', () => 'me')
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    // Bob is linked to us and writes; cat is online through the mesh, with a status.
    term.format({ type: 'peer:connect', peerId: 'bob', name: 'bob', local: '127.0.0.1:5000', remote: '127.0.0.1:4002' })
    term.format({ type: 'peer:presence', peerId: 'bob', name: 'bob', state: 'online' })
    term.format(message('bob', 'bob', 0))
    term.format({ type: 'peer:presence', peerId: 'cat', name: 'cat', state: 'online', status: 'at lunch' })

    // Three times as many keys as the engine keeps people: each says it is here, writes, and goes.
    const fakes = 3 * MAX_PEOPLE
    for (let i = 1; i <= fakes; i++) {
      const id = `k${i}`
      term.format({ type: 'peer:presence', peerId: id, name: `fake${i}`, state: 'online', status: 'spam' })
      term.format(message(id, `fake${i}`, i))
      term.format({ type: 'peer:presence', peerId: id, name: `fake${i}`, state: 'offline', lastSeen: Date.now() })
    }

    expect(term.peersKept).toBeLessThanOrEqual(MAX_PEOPLE * 1.1)
    // The first made-up keys are forgotten: their names no longer find them.
    expect(() => term.command('/dm fake1 hi')).toThrow(/no peer called "fake1"/)
    // The latest are still known, as are bob (linked) and cat (online), by name.
    expect(term.command(`/dm fake${fakes} hi`)).toMatchObject({ run: { payload: { to: `k${fakes}` } } })
    expect(term.command('/dm bob hi')).toMatchObject({ run: { payload: { to: 'bob' } } })
    expect(term.command('/dm cat hi')).toMatchObject({ run: { payload: { to: 'cat' } } })
    // Cat's status is still known (not told again as new), and cat is named when going away without a name in the event.
    expect(term.format({ type: 'peer:presence', peerId: 'cat', name: '', state: 'away', status: 'at lunch' })).toBe('* cat is away')
    // Bob's link ends: named, and only cat (away) of everyone heard of is said to read as offline now.
    expect(term.format({ type: 'peer:disconnect', peerId: 'bob' })).toBe('* bob left: the 1 other heard of through it reads as offline until a link is back (/who)')
  })
})

describe('the terminal next to a peer that makes up keys claiming to be here', () => {
  it('still finds by name someone we wrote to who went home, not a made-up key that took their name', () => {
    const term = new Terminal(() => 'me', () => 'me')
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    // Alice wrote to us directly, then went home: offline, no link.
    term.format({ type: 'peer:presence', peerId: 'p-alice', name: 'alice', state: 'online' })
    term.format({ type: 'message', id: 'a'.repeat(64), room: dmRoom('me', 'p-alice'), to: 'me', author: 'p-alice', name: 'alice', text: 'see you tomorrow', lamport: 1, sentAt: Date.now(), deps: [] })
    term.format({ type: 'peer:presence', peerId: 'p-alice', name: 'alice', state: 'offline', lastSeen: Date.now() })
    // Then more keys than the terminal keeps peers of, all claiming to be here (their claims renewed): one calls itself alice.
    term.format({ type: 'peer:presence', peerId: 'k-alice', name: 'alice', state: 'online' })
    for (let i = 1; i <= 2 * MAX_PEOPLE; i++) term.format({ type: 'peer:presence', peerId: `k${i}`, name: `fake${i}`, state: 'online' })
    // It writes now and then, so it stays among the most recently heard of.
    term.format(message('k-alice', 'alice', 1))
    expect(term.peersKept).toBeLessThanOrEqual(MAX_PEOPLE * 1.1)
    // "/dm alice" must not go to the key that took her name: it still knows her (two alices: the id picks one).
    expect(() => term.command('/dm alice hi')).toThrow(/2 peers are called "alice"/)
    expect(term.command('/dm p-alice hi')).toMatchObject({ run: { payload: { to: 'p-alice' } } })
  })
})
