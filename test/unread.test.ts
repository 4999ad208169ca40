/**
 * Unread counts read from the history (what a window shows on its rows and
 * badge after a restart), over real engines on loopback: messages from others
 * after where the user left off; own and deleted ones do not count; a room
 * never opened counts only if it is a conversation of one's own (a DM, an
 * invite-only room); a mark from another history counts by Lamport time;
 * a start reads a bounded number of rows, DMs first; mentions of you among
 * them are counted as the window counts them live.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { unreadCounts } from '../main/app/room-state.js'
import { UNREAD_CAP } from '../main/core/limits.js'
import { unreadLabel } from '../renderer/src/format'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

describe('unread counts from the history', () => {
  it('counts what others wrote after the mark, not one\'s own or deleted ones, and DMs never opened', async () => {
    const alice = await startPeer('alice')
    const bob = await startPeer('bob')
    await connect(alice, bob)
    const read = await alice.engine.send('lobby', 'read by bob')
    await until('bob has it', () => bob.engine.history('lobby').length === 1)
    const mark = { id: read.id, lamport: read.lamport }
    await bob.engine.send('lobby', 'bob answers')
    await alice.engine.send('lobby', 'one')
    const gone = await alice.engine.send('lobby', 'deleted before bob read it')
    await alice.engine.send('lobby', 'two')
    await alice.engine.delete('lobby', gone.id)
    await alice.engine.send('random', 'in a room bob never opened')
    await alice.engine.send('', 'psst', { to: bob.engine.peerId })
    await until('bob has them all', () => bob.engine.history('lobby').filter(m => m.deleted === true).length === 1 && bob.engine.dms().length === 1 && bob.engine.history('random').length === 1)

    expect(bob.engine.unreadSince('lobby', mark)).toHaveLength(2)
    // Nothing seen yet there: everything from others.
    expect(bob.engine.unreadSince('lobby', undefined)).toHaveLength(3)
    // A mark this history does not have (another mode's): what is newer by Lamport time.
    expect(bob.engine.unreadSince('lobby', { id: 'f'.repeat(64), lamport: read.lamport }).map(m => m.text)).toEqual(['one', 'two'])
    expect(bob.engine.unreadSince('lobby', mark, 1)).toHaveLength(1)
    // Alice's own view: Bob's one message after the same mark.
    expect(alice.engine.unreadSince('lobby', mark).map(m => m.text)).toEqual(['bob answers'])

    const dm = bob.engine.dms()[0]!.room
    // Read to count: the DM and the rooms left off somewhere (not #random, never opened).
    const none = { unread: {}, mentions: {}, counted: [dm, 'lobby'] }
    expect(unreadCounts(bob.engine, { seen: { lobby: mark } })).toEqual({ ...none, unread: { lobby: 2, [dm]: 1 } })
    // Read to the end: nothing left, and the room is left out.
    const newest = bob.engine.history('lobby').at(-1)!
    expect(unreadCounts(bob.engine, { seen: { lobby: { id: newest.id, lamport: newest.lamport }, random: { id: 'f'.repeat(64), lamport: 0 } } })).toEqual({ unread: { random: 1, [dm]: 1 }, mentions: {}, counted: [dm, 'lobby', 'random'] })
    // A start reads a bounded number of rows: the DMs first, then rooms while some are left.
    expect(unreadCounts(bob.engine, { seen: { lobby: mark } }, UNREAD_CAP)).toEqual({ ...none, unread: { [dm]: 1 }, counted: [dm] })
    expect(unreadCounts(bob.engine, { seen: { lobby: mark } }, 2 * UNREAD_CAP)).toEqual({ ...none, unread: { [dm]: 1, lobby: 2 } })

    // Mentions among them, as the window counts them live: the name always, @everyone not in a muted room.
    await alice.engine.send('lobby', '@bob can you look?')
    await alice.engine.send('lobby', '@everyone lunch')
    await until('bob has the mentions', () => bob.engine.history('lobby').some(m => m.text === '@everyone lunch'))
    expect(unreadCounts(bob.engine, { seen: { lobby: mark } })).toEqual({ ...none, unread: { lobby: 4, [dm]: 1 }, mentions: { lobby: 2 } })
    expect(unreadCounts(bob.engine, { seen: { lobby: mark }, muted: ['lobby'] }).mentions).toEqual({ lobby: 1 })

    // Alice blocked: what she wrote counts toward nothing, her mentions and her DM included.
    await bob.engine.block(alice.engine.peerId)
    expect(bob.engine.isBlocked(alice.engine.peerId)).toBe(true)
    expect(unreadCounts(bob.engine, { seen: { lobby: mark } })).toEqual(none)
    // A room only she wrote in is one the window need not offer; the lobby, where Bob wrote too, is not.
    expect(bob.engine.writtenOnlyByBlocked('random')).toBe(true)
    expect(bob.engine.writtenOnlyByBlocked('lobby')).toBe(false)
    await bob.engine.unblock(alice.engine.peerId)
    expect(bob.engine.writtenOnlyByBlocked('random')).toBe(false)
    expect(unreadCounts(bob.engine, { seen: { lobby: mark } })).toEqual({ ...none, unread: { lobby: 4, [dm]: 1 }, mentions: { lobby: 2 } })
  })
})

describe('an unread count on a row', () => {
  it('says the number up to 99, then 99+ (where a count read at a start stops)', () => {
    expect([1, 99, 100, 1234].map(unreadLabel)).toEqual(['1', '99', '99+', '99+'])
    expect(UNREAD_CAP).toBeGreaterThan(99)
  })
})
