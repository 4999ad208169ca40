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
  it('a full mesh of four: a peer puts at most two envelopes on the wire per message (its other neighbours); the sender three', async () => {
    const peers = await Promise.all(['a', 'b', 'c', 'd'].map(async n => await startPeer(n)))
    for (let i = 0; i < peers.length; i++) for (let j = i + 1; j < peers.length; j++) await connect(peers[i]!, peers[j]!)
    const [a, ...others] = peers as [typeof peers[0], ...typeof peers]
    const before = peers.map(p => p.engine.stats().wire.envelopes)
    for (let i = 0; i < 20; i++) await a.engine.send('lobby', `m${i}`)
    await until('all have them', () => peers.every(p => p.engine.stats().received + p.engine.stats().sent >= 20))
    // Relays go on a little after delivery; give them their turn.
    await new Promise(resolve => setTimeout(resolve, 300))
    const sent = peers.map((p, i) => p.engine.stats().wire.envelopes - before[i]!)
    // The author sends each to its three neighbours.
    expect(sent[0]).toBe(60)
    // The others pass each on to the two they did not get it from, less those that sent them a copy
    // meanwhile: each link between them carries each message once or twice, never back to the author.
    const relays = sent.slice(1).reduce((n, k) => n + k, 0)
    expect(relays).toBeGreaterThanOrEqual(3 * 20)
    expect(relays).toBeLessThanOrEqual(6 * 20)
    for (const p of others) {
      expect(p.engine.stats().wire.perMessage.envelopes).toBeLessThanOrEqual(2)
      expect(p.engine.stats().wire.perMessage.bytes).toBeGreaterThan(0)
    }
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
