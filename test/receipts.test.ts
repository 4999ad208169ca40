import { afterEach, describe, expect, it } from 'vitest'
import { MAX_RECEIPTS_PER_MESSAGE, Receipts } from '../main/chat/receipts.js'
import { cleanupHubs, startHub } from './helpers/hub.js'
import { cleanup, connect, startPeer, stopPeer, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

describe('delivery receipts', () => {
  it('in a mesh every peer hears of every delivery: the author, and each delivering peer\'s neighbours', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    const c = await startPeer('c')
    await connect(a, b)
    await connect(b, c)
    await connect(c, a)
    const sent = await a.engine.send('lobby', 'who got it?')
    const by = (p: typeof a): string[] => p.engine.receiptsOf(sent.id).map(r => r.by).sort()
    const others = [b.engine.peerId, c.engine.peerId].sort()
    await until('a hears from b and c', () => by(a).length === 2)
    await until('b hears c, c hears b', () => by(b).length === 2 && by(c).length === 2)
    expect(by(a)).toEqual(others)
    expect(by(b)).toEqual(others)
    expect(by(c)).toEqual(others)
    // Each receipt once, however many ways it could have come.
    expect(a.events.filter(e => e.type === 'receipt' && e.id === sent.id)).toHaveLength(2)
  })

  it('each receive is its own event in Lamport time, also for messages taken in at once: max(local, sent) + 1, one after the other', async () => {
    const ann = await startPeer('ann')
    const bob = await startPeer('bob')
    await connect(bob, ann)
    // Six messages sent at once reach Bob together: one frame, one commit.
    const sent = await Promise.all(Array.from({ length: 6 }, (_, i) => ann.engine.send('lobby', `burst ${i}`)))
    const at = (id: string): number | undefined => ann.engine.receiptsOf(id).find(r => r.by === bob.engine.peerId)?.lamport
    await until('bob\'s receipts', () => sent.every(m => at(m.id) !== undefined))
    // Bob's clock started at 0: 1 -> 2, 2 -> 3, … (the space-time diagram draws each arrow to its own point).
    expect(sent.map(m => [m.lamport, at(m.id)])).toEqual(sent.map(m => [m.lamport, m.lamport + 1]))
    // Bob says the same of his own receives.
    expect(sent.map(m => bob.engine.receiptsOf(m.id).find(r => r.by === bob.engine.peerId)?.lamport)).toEqual(sent.map(m => m.lamport + 1))
  })
})

describe('delivery receipts are kept', () => {
  it('survive a round trip through client mode and a restart: "delivered to 1 of 1" stays true', async () => {
    const hub = await startHub()
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    const sent = await a.engine.send('lobby', 'did you get it?')
    await until('b\'s receipt', () => a.engine.receiptsOf(sent.id).some(r => r.by === b.engine.peerId))
    const before = a.engine.receiptsOf(sent.id)
    await a.engine.switchMode('client', hub.addr())
    expect(a.engine.receiptsOf(sent.id)).toEqual([])
    await a.engine.switchMode('p2p')
    expect(a.engine.receiptsOf(sent.id)).toEqual(before)
    await stopPeer(a)
    const again = await startPeer('a', { dataDir: a.dataDir })
    expect(again.engine.receiptsOf(sent.id)).toEqual(before)
    // Loaded from disk with the time it was delivered, not "delivered in 1970".
    expect(again.engine.history('lobby').find(m => m.id === sent.id)?.deliveredAt).toBeGreaterThanOrEqual(sent.sentAt)
  })
})

describe('receipts kept per message', () => {
  it('at most MAX_RECEIPTS_PER_MESSAGE for one message: keys minted to claim deliveries cannot grow it further, nor are they passed on', () => {
    const kept: string[] = []
    const receipts = new Receipts(() => {}, (r) => { kept.push(r.by) })
    const id = 'ab'.repeat(32)
    let fresh = 0
    for (let i = 0; i < 3_000; i++) if (receipts.record({ id, by: `peer-${i}`, lamport: i + 1, at: 0 })) fresh++
    expect(fresh).toBe(MAX_RECEIPTS_PER_MESSAGE)
    expect(receipts.of(id)).toHaveLength(MAX_RECEIPTS_PER_MESSAGE)
    expect(kept).toHaveLength(MAX_RECEIPTS_PER_MESSAGE)
    // Another message keeps its own.
    expect(receipts.record({ id: 'cd'.repeat(32), by: 'peer-1', lamport: 1, at: 0 })).toBe(true)
  })
})
