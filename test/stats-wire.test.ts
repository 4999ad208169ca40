/**
 * What a message costs on the wire, as the Contrast panel shows it: in a
 * mesh each peer passes each message on to its other neighbours; in
 * client–server a client sends its own once and the hub sends each to every
 * other client.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupHubs, startClient, startHub } from './helpers/hub.js'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

describe('message complexity in the stats', () => {
  it('a full mesh of four: a peer puts about two envelopes on the wire per message (its other neighbours); the sender three', async () => {
    const peers = await Promise.all(['a', 'b', 'c', 'd'].map(async n => await startPeer(n)))
    for (let i = 0; i < peers.length; i++) for (let j = i + 1; j < peers.length; j++) await connect(peers[i]!, peers[j]!)
    const [a, b] = peers as [typeof peers[0], typeof peers[0]]
    const before = { a: a.engine.stats().wire.envelopes, b: b.engine.stats().wire.envelopes }
    for (let i = 0; i < 20; i++) await a.engine.send('lobby', `m${i}`)
    await until('all have them', () => peers.every(p => p.engine.stats().received + p.engine.stats().sent >= 20))
    // Relays go on a little after delivery; give them their turn.
    await new Promise(resolve => setTimeout(resolve, 300))
    // The author sends each to its three neighbours; b passes each to the two others it did not get it from.
    expect(a.engine.stats().wire.envelopes - before.a).toBe(60)
    expect(b.engine.stats().wire.envelopes - before.b).toBe(40)
    expect(b.engine.stats().wire.perMessage.envelopes).toBe(2)
    expect(b.engine.stats().wire.perMessage.bytes).toBeGreaterThan(0)
  })

  it('client–server with three clients: a client one envelope per own message, the hub one per client per message', async () => {
    const h = await startHub()
    const clients = await Promise.all(['x', 'y', 'z'].map(async n => await startClient(n, h.addr())))
    await until('all connected', () => h.hub.stats().clients === 3)
    const [x] = clients
    for (let i = 0; i < 10; i++) await x!.engine.send('lobby', `m${i}`)
    await until('delivered to the others', () => clients.slice(1).every(c => c.delivered().length >= 10))
    expect(x!.engine.stats().wire.envelopes).toBe(10)
    expect(x!.engine.stats().wire.perMessage.envelopes).toBe(1)
    // Each numbered message goes to every client (the author learns its number too).
    expect(h.hub.stats().wire.envelopes).toBe(30)
    expect(h.hub.stats().wire.perMessage.envelopes).toBe(3)
  })
})
