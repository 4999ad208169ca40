/**
 * The creator's rule for a member it hears of only after a change of members
 * (PrivateRooms, over a real key store on disk): owed the newer keys when its
 * message comes before the change in the room's order, not after. The order
 * is the hub's numbers when both have one, Lamport time otherwise; a removal
 * said in client–server mode and not numbered yet comes after whatever the
 * hub numbers before its return. The engine-level cases (P2P and
 * client–server, over real peers) are in private-rooms.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { associatedData, seal } from '../main/chat/private.js'
import { controlText, PrivateRooms, WAITING_MAX } from '../main/chat/private-rooms.js'
import type { MessageView } from '../main/chat/types.js'
import { writeFileSync } from 'node:fs'
import { INVITED_MAX, LEFT_MAX, RoomKeyStore } from '../main/store/room-keys.js'
import { cleanup, tempDir } from './helpers/peers.js'

afterEach(cleanup)

const ANN = 'ann-peer'
const BEN = 'ben-peer'

/** Ann's room; what she is told of (an old invite used: OldInviteError; anything else fails the test). */
function setup (): { rooms: PrivateRooms, room: string, late: string[], told: string[] } {
  const late: string[] = []
  const told: string[] = []
  const complain = (err: Error): void => {
    if (err.name !== 'OldInviteError') throw err
    told.push(err.message.split(' ')[0]!)
  }
  const rooms = new PrivateRooms(ANN, new RoomKeyStore(tempDir('lanchat-late-')), { complain, late: room => { late.push(room) } })
  const room = rooms.create('Crew')
  return { rooms, room, late, told }
}

/** `author`'s join, sealed with the room's key at `index`, as it reaches Ann. */
function joinOf (rooms: PrivateRooms, room: string, author: string, at: { lamport: number, seq?: number }, index = 0): void {
  const key = Buffer.from(rooms.keysOf(room)!.keys[index]!, 'hex')
  const view: MessageView = { id: `${author}-join`, room, author, name: author, text: '', lamport: at.lamport, sentAt: 0, deps: [], ...(at.seq !== undefined ? { seq: at.seq } : {}) }
  rooms.open(view, seal(key, controlText({ t: 'join' }), associatedData({ room, author })), true)
}

/** Ann removes Ben, as Memberships does: the removal as it went out (pending in client mode), then a new key. */
function removeBen (rooms: PrivateRooms, room: string, at: { lamport: number, pending?: boolean }): MessageView {
  const view: MessageView = { id: 'removal', room, author: ANN, name: 'ann', text: '', lamport: at.lamport, sentAt: 0, deps: [], ...(at.pending === true ? { pending: true } : {}) }
  rooms.owe(room)
  rooms.applyOwn(view, { t: 'remove', peer: BEN })
  rooms.rekey(room)
  return view
}

describe('a member the creator hears of after a removal', () => {
  it('P2P: owed the new key when Ann sent it the invite, whatever its Lamport time; anyone else is asked about, however early its time', () => {
    const { rooms, room, late, told } = setup()
    joinOf(rooms, room, BEN, { lamport: 2 })
    rooms.invited(room, 'cat-peer')
    rooms.invited(room, 'fay-peer')
    expect(rooms.keysOf(room)!.invited).toEqual(['cat-peer', 'fay-peer'])
    removeBen(rooms, room, { lamport: 10 })
    joinOf(rooms, room, 'cat-peer', { lamport: 5 })
    // Eve's time says she joined before the removal; only she says so (a code Ben passed on, used while cut off, says the same).
    joinOf(rooms, room, 'eve-peer', { lamport: 1 })
    joinOf(rooms, room, 'dan-peer', { lamport: 11 })
    // Fay used the invite Ann sent her after the removal: Ann let her in.
    joinOf(rooms, room, 'fay-peer', { lamport: 30 })
    expect(rooms.keysOwed(room)).toEqual(['cat-peer', 'fay-peer'])
    expect(late).toEqual([room, room])
    // The invites sent are used: none is noted any more.
    expect(rooms.keysOf(room)!.invited).toBeUndefined()
    // Ann is told of the others, and decides.
    expect(rooms.oldInvites(room)).toEqual(['eve-peer', 'dan-peer'])
    expect(told).toEqual(['eve-peer', 'dan-peer'])
    rooms.keysSent(room, ['fay-peer'])
    expect(rooms.members(room)).toEqual([ANN, 'cat-peer', 'eve-peer', 'dan-peer', 'fay-peer'])
    rooms.keysSent(room, ['cat-peer'])
    expect(rooms.keysOwed(room)).toEqual([])
    expect(rooms.owingKeys()).toEqual([])
  })

  it('a join sealed with the newest key is owed nothing: it came with a new invite', () => {
    const { rooms, room, told } = setup()
    removeBen(rooms, room, { lamport: 10 })
    joinOf(rooms, room, 'cat-peer', { lamport: 5 }, 1)
    expect(rooms.keysOwed(room)).toEqual([])
    expect(rooms.oldInvites(room)).toEqual([])
    expect(told).toEqual([])
  })

  it('client–server: a removal not yet numbered comes after whatever the hub numbers meanwhile; once numbered, the numbers decide', () => {
    const { rooms, room } = setup()
    const removal = removeBen(rooms, room, { lamport: 10, pending: true })
    // Numbered by the hub before Ann's removal reached it, whatever its Lamport time.
    joinOf(rooms, room, 'cat-peer', { lamport: 40, seq: 7 })
    expect(rooms.keysOwed(room)).toEqual(['cat-peer'])
    // The removal comes back from the hub as number 9: a join numbered 12 came after it, one numbered 8 before.
    rooms.open({ ...removal, pending: false, seq: 9 }, seal(Buffer.from(rooms.keysOf(room)!.keys[0]!, 'hex'), controlText({ t: 'remove', peer: BEN }), associatedData({ room, author: ANN })), true)
    joinOf(rooms, room, 'dan-peer', { lamport: 3, seq: 12 })
    joinOf(rooms, room, 'eve-peer', { lamport: 50, seq: 8 })
    expect(rooms.keysOwed(room)).toEqual(['cat-peer', 'eve-peer'])
    expect(rooms.oldInvites(room)).toEqual(['dan-peer'])
  })

  it('a removal made in P2P mode, heard of late after a switch to client–server: it has no number, so only an invite Ann sent vouches', () => {
    const { rooms, room } = setup()
    rooms.invited(room, 'eve-peer')
    removeBen(rooms, room, { lamport: 10 })
    joinOf(rooms, room, 'cat-peer', { lamport: 12, seq: 3 })
    joinOf(rooms, room, 'dan-peer', { lamport: 4, seq: 4 })
    joinOf(rooms, room, 'eve-peer', { lamport: 13, seq: 5 })
    expect(rooms.keysOwed(room)).toEqual(['eve-peer'])
    expect(rooms.oldInvites(room)).toEqual(['cat-peer', 'dan-peer'])
  })

  it('an invite sent is noted once, not for a member, and taken back when it could not go; the newest INVITED_MAX are kept', () => {
    const { rooms, room } = setup()
    joinOf(rooms, room, BEN, { lamport: 2 })
    rooms.invited(room, BEN)
    rooms.invited(room, 'cat-peer')
    rooms.invited(room, 'cat-peer')
    expect(rooms.keysOf(room)!.invited).toEqual(['cat-peer'])
    rooms.uninvite(room, 'cat-peer')
    expect(rooms.keysOf(room)!.invited).toBeUndefined()
    for (let i = 0; i <= INVITED_MAX; i++) rooms.invited(room, `peer-${i}`)
    expect(rooms.keysOf(room)!.invited).toHaveLength(INVITED_MAX)
    expect(rooms.keysOf(room)!.invited![0]).toBe('peer-1')
  })

  it('one who joined with an old invite, then writes with the newest key (a new invite), is no longer marked; nor is one given the keys', () => {
    const { rooms, room } = setup()
    removeBen(rooms, room, { lamport: 10 })
    joinOf(rooms, room, 'cat-peer', { lamport: 11 })
    joinOf(rooms, room, 'dan-peer', { lamport: 12 })
    expect(rooms.oldInvites(room)).toEqual(['cat-peer', 'dan-peer'])
    const key = Buffer.from(rooms.keysOf(room)!.keys[1]!, 'hex')
    const view: MessageView = { id: 'cat-again', room, author: 'cat-peer', name: 'cat', text: '', lamport: 20, sentAt: 0, deps: [] }
    expect(rooms.open(view, seal(key, 'with the new invite', associatedData({ room, author: 'cat-peer' })), true)).toEqual({ text: 'with the new invite' })
    expect(rooms.oldInvites(room)).toEqual(['dan-peer'])
    rooms.giveKeys(room, ['dan-peer'])
    expect(rooms.oldInvites(room)).toEqual([])
    expect(rooms.keysOf(room)!.oldInvite).toBeUndefined()
    // Owed as a member heard of late is, until handed over (and at the next start if a crash comes first).
    expect(rooms.keysOwed(room)).toEqual(['dan-peer'])
  })

  it('what no key opens waits for one, at most WAITING_MAX messages, the oldest going first', () => {
    const complaints: string[] = []
    const rooms = new PrivateRooms('cat-peer', new RoomKeyStore(tempDir('lanchat-late-')), { complain: err => { complaints.push(err.name) } })
    const room = rooms.create('Crew')
    const stranger = Buffer.alloc(32, 7)
    for (let i = 0; i < WAITING_MAX + 5; i++) {
      const view: MessageView = { id: `m${i}`, room, author: 'ann-peer', name: 'ann', text: '', lamport: i + 1, sentAt: 0, deps: [] }
      const sealed = seal(stranger, `text ${i}`, associatedData({ room, author: 'ann-peer' }))
      expect(rooms.open({ ...view, sealed }, sealed, true)).toBeUndefined()
    }
    expect(complaints).toHaveLength(WAITING_MAX + 5)
    const held = rooms.takeWaiting(room)
    expect(held.map(v => v.id)).toEqual(Array.from({ length: WAITING_MAX }, (_, i) => `m${i + 5}`))
    expect(rooms.takeWaiting(room)).toEqual([])
  })
})

describe('the rooms one left, on disk', () => {
  it('rooms left are noted by their keys\' hashes, the newest LEFT_MAX kept; a file of them that cannot be read is started afresh', () => {
    const dir = tempDir('lanchat-left-')
    const store = new RoomKeyStore(dir)
    const fingerprint = 'ab'.repeat(32)
    for (let i = 0; i <= LEFT_MAX; i++) store.noteLeft(`pr:${i}`, { name: `room ${i}`, keys: [fingerprint] })
    const again = new RoomKeyStore(dir)
    expect(again.leftRoom('pr:0')).toBeUndefined()
    expect(again.leftRoom('pr:1')).toEqual({ name: 'room 1', keys: [fingerprint] })
    expect(again.leftRoom(`pr:${LEFT_MAX}`)).toEqual({ name: `room ${LEFT_MAX}`, keys: [fingerprint] })
    again.clearLeft('pr:1')
    expect(new RoomKeyStore(dir).leftRoom('pr:1')).toBeUndefined()
    writeFileSync(again.leftFile, '{"pr:2": {"name": "half writ')
    const afresh = new RoomKeyStore(dir)
    expect(afresh.leftRoom('pr:2')).toBeUndefined()
    afresh.noteLeft('pr:x', { name: 'x', keys: [fingerprint] })
    expect(new RoomKeyStore(dir).leftRoom('pr:x')).toEqual({ name: 'x', keys: [fingerprint] })
  })
})
