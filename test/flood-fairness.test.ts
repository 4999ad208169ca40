import { afterEach, describe, expect, it } from 'vitest'
import type { LamportOrdering } from '../main/chat/lamport.js'
import { cleanup, connect, keepApart, startPeer, until, type TestPeer } from './helpers/peers.js'

/**
 * Issue 13, defect 11, over real libp2p nodes: one author's flood waits in
 * its own queue at every peer; another author's fresh message, on the same
 * link behind the flood, is delivered and relayed in the next turn, while the
 * flood's backlog is still being served at the flooder's budget. Today's
 * order of service is asserted, not a time: before, the link was paused at
 * the budget and the fresh message came after the whole flood.
 */

afterEach(cleanup)

const FLOOD = 1000
/** Every peer allows an author 100 messages/s (burst 10); no periodic sync, which would bring the flood as answers. */
const slow = { ratePerSecond: 100, rateBurst: 10, syncIntervalMs: 600_000 }

const flooded = (p: TestPeer): number => p.delivered().filter(t => t.startsWith('flood ')).length

describe('defect 11: one author\'s flood does not hold back the others', () => {
  it('a fresh message behind a flood on one link is delivered and relayed before the flood is drained', async () => {
    // friend — r — v — w: r floods; friend's message reaches v over r's link, behind r's flood, and w through v.
    const r = await startPeer('r', slow)
    const friend = await startPeer('friend', slow)
    const v = await startPeer('v', slow)
    const w = await startPeer('w', { syncIntervalMs: 600_000 })
    // A line: nobody meets the others' other links (peer exchange would close it).
    await keepApart(friend, v)
    await keepApart(friend, w)
    await keepApart(r, w)
    await connect(friend, r)
    await connect(v, r)
    await connect(w, v)
    await Promise.all(Array.from({ length: FLOOD }, async (_, i) => await r.engine.send('lobby', `flood ${i}`)))
    // The friend has taken in only a little of the flood: its message depends on that little.
    await until('friend saw the start of the flood', () => flooded(friend) > 0)
    await friend.engine.send('lobby', 'fresh')

    await until('v delivered the fresh message', () => v.delivered().includes('fresh'), 20_000)
    const atV = flooded(v)
    await until('w delivered the fresh message', () => w.delivered().includes('fresh'), 20_000)
    const atW = flooded(w)
    // Served in its turn: most of the flood was still waiting at v, and had not reached w.
    expect(atV).toBeLessThan(FLOOD / 2)
    expect(atW).toBeLessThan(FLOOD / 2)
    expect((v.engine.ordering as LamportOrdering).intake.size).toBeGreaterThan(0)
    // Nothing is lost: the flood is slowed, then all of it is there, in one order.
    await until('the flood drained at w', () => flooded(w) === FLOOD, 60_000)
    expect(v.engine.history('lobby').map(m => m.id)).toEqual(w.engine.history('lobby').map(m => m.id))
  }, 90_000)
})
