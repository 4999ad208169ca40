/**
 * Pinned messages end to end, over real engines on loopback (and a real hub),
 * real SQLite: every peer shows the same pinned set, live, after a catch-up,
 * after a partition heals and after a restart; private conversations keep
 * the pin's words sealed; the limits hold, and a pin naming a message of
 * another room counts nowhere.
 */
import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../main/chat/engine.js'
import type { MessageView } from '../main/chat/types.js'
import type { ChatMessage, WireAction } from '../main/core/message.js'
import { MAX_PINNED, PIN_ROWS_READ, PIN_TARGETS_READ, PIN_TEXT } from '../main/core/edits.js'
import { PeerStore } from '../main/store/peer-store.js'
import { encodeBody, hashBody, UNSIGNED, withBody } from '../main/net/codec.js'
import { DB_FILE } from '../main/store/db.js'
import { cleanupHubs, startClient, startHub, stopClient } from './helpers/hub.js'
import { capture, filesOf, holds } from './helpers/plaintext.js'
import { cleanup, connect, lineUp, startPeer, startTrio, stopPeer, tempDir, until } from './helpers/peers.js'
import { forge } from './helpers/forge.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

const one = (e: Engine, id: string, room = 'lobby'): MessageView | undefined => e.history(room).find(m => m.id === id)
const pinnedIds = (e: Engine, room = 'lobby'): string[] => e.pins(room).map(m => m.id)

describe('pins over the mesh', () => {
  it('a pin reaches every peer with who pinned it, an unpin takes it off, a late peer catches up, and a restart keeps the list', async () => {
    const [a, b, c] = await startTrio(['ann', 'ben', 'cat'])
    const early = await b.engine.send('lobby', 'the homework link: example.org/hw')
    for (let i = 0; i < 5; i++) await a.engine.send('lobby', `chatter ${i}`)
    await until('everyone has it all', () => [a, b, c].every(p => p.engine.history('lobby').length === 6))

    const view = await a.engine.pin('lobby', early.id)
    expect(view.pinned).toMatchObject({ by: a.engine.peerId })
    for (const p of [a, b, c]) {
      await until(`${p.engine.name} shows it pinned by ann`, () => one(p.engine, early.id)?.pinned?.by === a.engine.peerId)
      expect(pinnedIds(p.engine)).toEqual([early.id])
      expect(p.engine.pins('lobby')[0]).toMatchObject({ text: 'the homework link: example.org/hw', author: b.engine.peerId, pinned: { by: a.engine.peerId, at: view.pinned!.at } })
    }
    // Live: an update of the target, never the pin as a line of chat, nor in search.
    expect(b.events.some(e => e.type === 'message:updated' && e.id === early.id && e.pinned?.by === a.engine.peerId)).toBe(true)
    expect(b.delivered()).not.toContain(PIN_TEXT)
    expect(b.engine.history('lobby').some(m => m.text === PIN_TEXT)).toBe(false)
    expect(b.engine.search('pinned')).toEqual([])

    // Pinning what is pinned sends nothing.
    const raw = a.engine.ordering!.history('lobby').length
    await b.engine.pin('lobby', early.id)
    expect(a.engine.ordering!.history('lobby').length).toBe(raw)

    // Ben unpins (not the one who pinned it: anyone who writes here may).
    const after = await b.engine.pin('lobby', early.id, false)
    expect(after.pinned).toBeUndefined()
    for (const p of [a, b, c]) {
      await until(`${p.engine.name} shows it unpinned`, () => one(p.engine, early.id)?.pinned === undefined && p.engine.pins('lobby').length === 0)
    }
    // Pinned again by cat, then a peer who was not there catches up with the same list.
    await c.engine.pin('', early.id)
    const d = await startPeer('dan')
    await connect(d, b)
    await until('dan caught up with the pin', () => pinnedIds(d.engine).length === 1, 15_000)
    expect(d.engine.pins('lobby')[0]!.pinned!.by).toBe(c.engine.peerId)

    // After a restart the list comes from the store (no page was read yet).
    const dir = d.dataDir
    await stopPeer(d)
    const again = await startPeer('dan', { dataDir: dir })
    expect(again.engine.pins('lobby')).toMatchObject([{ id: early.id, pinned: { by: c.engine.peerId } }])
  }, 60_000)

  it('a pin and an unpin of one message made while two peers were cut off end alike on both: the later in (Lamport, author) order', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await connect(a, b)
    const m = await a.engine.send('lobby', 'the Wi-Fi password is on the fridge')
    await until('ben has it', () => one(b.engine, m.id) !== undefined)
    await a.engine.pin('lobby', m.id)
    await until('ben sees it pinned', () => one(b.engine, m.id)?.pinned !== undefined)

    await a.engine.cut(b.engine.peerId)
    await until('cut off', () => !a.engine.peers().some(p => p.peerId === b.engine.peerId && p.connected))
    // Ann pins again after unpinning; ben unpins: each side sees its own.
    await a.engine.pin('lobby', m.id, false)
    await a.engine.pin('lobby', m.id, true)
    await b.engine.pin('lobby', m.id, false)
    expect(one(a.engine, m.id)?.pinned).toBeDefined()
    expect(one(b.engine, m.id)?.pinned).toBeUndefined()
    const mine = (e: Engine): ChatMessage => e.ordering!.history('lobby').filter(v => v.author === e.peerId && v.action !== undefined).at(-1) as ChatMessage
    const [pa, pb] = [mine(a.engine), mine(b.engine)]
    const later = pa.lamport !== pb.lamport ? (pa.lamport > pb.lamport ? 'ann' : 'ben') : (pa.author > pb.author ? 'ann' : 'ben')

    a.engine.heal()
    await connect(a, b)
    const want = later === 'ann' ? a.engine.peerId : undefined
    for (const p of [a, b]) {
      await until(`${p.engine.name} ends with the later one`, () => one(p.engine, m.id)?.pinned?.by === want && p.engine.pins('lobby').length === (want === undefined ? 0 : 1), 20_000)
    }
  }, 60_000)

  it('lists a room\'s pins newest first by Lamport time, alike on peers whose clocks disagree, and keeps an old pin listed while others come and go', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await connect(a, b)
    const first = await a.engine.send('lobby', 'first')
    const second = await a.engine.send('lobby', 'second')
    await until('ben has both', () => one(b.engine, second.id) !== undefined)
    // Ben's pin comes after Ann's (he has delivered it), though his clock says it was sent an hour before.
    await a.engine.pin('lobby', second.id)
    await until('ben sees it pinned', () => one(b.engine, second.id)?.pinned !== undefined)
    const realNow = Date.now
    Date.now = () => realNow() - 3_600_000
    try {
      await b.engine.pin('lobby', first.id)
    } finally {
      Date.now = realNow
    }
    for (const p of [a, b]) await until(`${p.engine.name} lists ben's pin first`, () => pinnedIds(p.engine).join() === [first.id, second.id].join())

    // A term of weekly pins, each unpinned the week after: the two pinned for good stay listed.
    const weeks: string[] = []
    for (let i = 0; i < 300; i++) weeks.push((await b.engine.send('lobby', `homework ${i}`)).id)
    for (const id of weeks) {
      await b.engine.pin('lobby', id)
      await b.engine.pin('lobby', id, false)
    }
    await until('ann has all of it', () => a.engine.ordering!.history('lobby').length === 4 + 3 * weeks.length, 30_000)
    for (const p of [a, b]) expect(pinnedIds(p.engine)).toEqual([first.id, second.id])
  }, 90_000)

  it('a look at a room\'s pins weighs the newest pins only: thousands pinned and unpinned push older ones out of the list, not into every look', async () => {
    // Straight into the store (real SQLite), as a peer's pins would be kept: what a look reads back.
    const dir = tempDir('lanchat-pins-')
    const { store } = PeerStore.open(dir)
    try {
      let lamport = 0
      const keep = (action: WireAction): void => {
        const u = { room: 'lobby', author: 'mallory', name: 'mallory', text: PIN_TEXT, lamport: ++lamport, sentAt: lamport, seq: lamport, prev: '', deps: [], action }
        const body = encodeBody(u)
        store.insert([{ message: withBody({ ...u, id: hashBody(body), sig: UNSIGNED }, body) }])
      }
      const target = (i: number): string => i.toString(16).padStart(64, '0')
      keep({ kind: 'pin', target: target(0) })
      expect(store.pinTargets('lobby')).toEqual([target(0)])
      // More pins than a look weighs, each unpinned (an unpin is never a candidate): the newest PIN_TARGETS_READ are read.
      for (let i = 1; i <= PIN_TARGETS_READ + 5; i++) {
        keep({ kind: 'pin', target: target(i) })
        keep({ kind: 'unpin', target: target(i) })
      }
      const read = store.pinTargets('lobby')
      expect(read).toHaveLength(PIN_TARGETS_READ)
      expect(read[0]).toBe(target(PIN_TARGETS_READ + 5))
      expect(read).not.toContain(target(0))
      // One message pinned over and over is one candidate, and the rows read are bounded too.
      for (let i = 0; i < PIN_ROWS_READ; i++) keep({ kind: 'pin', target: target(1) })
      expect(store.pinTargets('lobby')).toEqual([target(1)])
    } finally {
      store.close()
    }
  })

  it('the 51st pin is refused, a deleted message is not pinned (and leaves the list), a pin of another room\'s message counts nowhere', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await connect(a, b)
    const ids: string[] = []
    for (let i = 0; i <= MAX_PINNED; i++) ids.push((await a.engine.send('lobby', `note ${i}`)).id)
    for (const id of ids.slice(0, MAX_PINNED)) await a.engine.pin('lobby', id)
    await expect(a.engine.pin('lobby', ids[MAX_PINNED]!)).rejects.toMatchObject({ name: 'PinLimitError', message: 'This conversation has 50 pinned messages: unpin one first.' })
    expect(a.engine.pins('lobby')).toHaveLength(MAX_PINNED)
    // Another room has its own 50.
    const elsewhere = await a.engine.send('other', 'elsewhere')
    await expect(a.engine.pin('other', elsewhere.id)).resolves.toMatchObject({ pinned: { by: a.engine.peerId } })
    // One unpinned makes room.
    await a.engine.pin('lobby', ids[0]!, false)
    await a.engine.pin('lobby', ids[MAX_PINNED]!)
    expect(a.engine.pins('lobby')[0]!.id).toBe(ids[MAX_PINNED])

    // A deleted message: not pinned, and no pin of it is taken.
    await a.engine.delete('lobby', ids[1]!)
    expect(pinnedIds(a.engine)).not.toContain(ids[1])
    expect(a.engine.pins('lobby')).toHaveLength(MAX_PINNED - 1)
    await expect(a.engine.pin('lobby', ids[1]!)).rejects.toMatchObject({ name: 'MessageDeletedError' })
    await expect(a.engine.pin('lobby', 'f'.repeat(64))).rejects.toMatchObject({ name: 'UnknownMessageError' })

    // Ben (a cheating build) writes a pin in #other naming a lobby message: nobody counts it.
    const target = ids[MAX_PINNED - 1]!
    await a.engine.pin('lobby', target, false)
    await until('ben has everything', () => b.engine.pins('lobby').length === MAX_PINNED - 2, 15_000)
    await forge(b.engine, 'other', { kind: 'pin', target }, PIN_TEXT)
    await until('ann has the forgery', () => a.engine.ordering!.history('other').length === b.engine.ordering!.history('other').length)
    // (The forger's own clock did not tick for it: the marker comes from ann.)
    await a.engine.send('lobby', 'after the forgery')
    await until('ben has the marker', () => b.engine.history('lobby').some(m => m.text === 'after the forgery'))
    for (const p of [a, b]) {
      expect(one(p.engine, target)?.pinned).toBeUndefined()
      expect(pinnedIds(p.engine)).not.toContain(target)
      expect(pinnedIds(p.engine, 'other')).toEqual([elsewhere.id])
    }
  }, 90_000)
})

describe('pins taken in by an older build', () => {
  it('pins and unpins an older build stored (as lines of text: no pins table, no action rows) count once the peer is updated', async () => {
    const a = await startPeer('ann')
    let b = await startPeer('ben')
    await connect(a, b)
    const m = await b.engine.send('lobby', 'the homework link: example.org/hw')
    const gone = await b.engine.send('lobby', 'the old Wi-Fi password')
    await until('ann has them', () => one(a.engine, gone.id) !== undefined)
    const pinned = await a.engine.pin('lobby', m.id)
    await a.engine.pin('lobby', gone.id)
    await a.engine.pin('lobby', gone.id, false)
    await until('ben has the pins', () => one(b.engine, m.id)?.pinned !== undefined && b.engine.ordering!.history('lobby').length === 5)
    const pins = a.engine.ordering!.history('lobby').filter(v => v.action !== undefined).map(v => v.id)
    expect(pins).toHaveLength(3)
    // Ben's database as a build from before pins left it: it skipped field 15, so it kept each signed message as a
    // line of text, with no row in actions, and it knew no pins table (nor how far a look for them went).
    const dir = b.dataDir
    await stopPeer(b)
    const raw = new DatabaseSync(join(dir, DB_FILE))
    raw.exec('DROP TABLE pins')
    raw.exec("DELETE FROM meta WHERE scope = 'pins'")
    for (const id of pins) {
      raw.prepare('DELETE FROM actions WHERE id = ?').run(id)
      expect(raw.prepare('SELECT count(*) AS n FROM messages WHERE id = ?').get(id)).toEqual({ n: 1 })
    }
    raw.close()
    // Updated, ben shows what everyone else does: one pinned, the other unpinned.
    b = await startPeer('ben', { dataDir: dir })
    expect(pinnedIds(b.engine)).toEqual([m.id])
    expect(b.engine.pins('lobby')[0]!.pinned).toEqual(pinned.pinned)
    expect(one(b.engine, m.id)?.pinned?.by).toBe(a.engine.peerId)
    expect(one(b.engine, gone.id)?.pinned).toBeUndefined()
  }, 60_000)
})

describe('pins in private conversations', () => {
  it('a DM\'s and an invite-only room\'s pins work, and the pin\'s words never travel or rest in the clear', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    await lineUp(a, b, c)
    const wire = capture(b)
    const dm = await a.engine.send('', 'the gate code is 8812', { to: c.engine.peerId })
    await until('cat has it', () => one(c.engine, dm.id, dm.room) !== undefined)
    await c.engine.pin(dm.room, dm.id)
    await until('ann sees cat\'s pin', () => pinnedIds(a.engine, dm.room).includes(dm.id))
    expect(one(a.engine, dm.id, dm.room)?.pinned?.by).toBe(c.engine.peerId)
    // The relay holds the pin message, and shows nothing of it.
    expect(b.engine.pins(dm.room)).toEqual([])

    const { room } = await a.engine.createPrivateRoom('Board')
    await c.engine.joinInvite(a.engine.invite(room))
    await until('ann sees cat join', () => a.engine.privateRoom(room).members.length === 2)
    const said = await a.engine.send(room, 'the board meets on Tuesday')
    await until('cat has it', () => one(c.engine, said.id, room) !== undefined)
    await c.engine.pin(room, said.id)
    await until('ann sees it pinned', () => pinnedIds(a.engine, room).includes(said.id))
    await a.engine.pin(room, said.id, false)
    await until('cat sees it unpinned', () => one(c.engine, said.id, room)?.pinned === undefined && c.engine.pins(room).length === 0)

    // The pin's words are sealed as any text of these conversations: not on the relay's wire, nor on any disk.
    expect(wire.length).toBeGreaterThan(0)
    expect(wire.some(f => holds(f, 'pinned a message'))).toBe(false)
    for (const p of [a, b, c]) expect(holds(filesOf(p.dataDir), 'pinned a message'), p.engine.name).toBe(false)
  }, 60_000)
})

describe('pins through a hub', () => {
  it('a client\'s pin reaches the others; a late client and a restarted one list it', async () => {
    const h = await startHub()
    const x = await startClient('xena', h.addr())
    let y = await startClient('yuri', h.addr())
    await until('both connected', () => x.engine.connected && y.engine.connected)
    const m = await x.engine.send('lobby', 'the meeting room is 4B')
    await until('yuri has it', () => one(y.engine, m.id) !== undefined && one(x.engine, m.id)?.pending !== true)
    await y.engine.pin('lobby', m.id)
    for (const c of [x, y]) await until(`${c.engine.name} lists it`, () => pinnedIds(c.engine).includes(m.id) && one(c.engine, m.id)?.pinned?.by === y.engine.peerId)
    const z = await startClient('zoe', h.addr())
    await until('zoe caught up with the pin', () => pinnedIds(z.engine).includes(m.id))
    const dir = y.dataDir
    await stopClient(y)
    y = await startClient('yuri', h.addr(), { dataDir: dir })
    expect(pinnedIds(y.engine)).toEqual([m.id])
    await x.engine.pin('lobby', m.id, false)
    for (const c of [x, y, z]) await until(`${c.engine.name} sees it unpinned`, () => c.engine.pins('lobby').length === 0)
  }, 60_000)
})
