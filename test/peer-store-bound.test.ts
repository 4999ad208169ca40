/**
 * libp2p's peer store kept within a bound: a host opening connection after
 * connection under new keys (each an entry of about 12 KB, kept for hours)
 * does not grow it past the bound; the peers connected stay. Real libp2p
 * nodes as the app makes them, on loopback TCP.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterEach, describe, expect, it } from 'vitest'
import { createNode, type LanNode } from '../main/net/node.js'

const nodes: LanNode[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => { await n.stop() })) })

async function node (role: 'peer' | 'client', bound?: { max: number, sweepAfter: number }): Promise<LanNode> {
  const n = await createNode({ role, privateKey: await generateKeyPair('Ed25519'), listen: role === 'peer' ? ['/ip4/127.0.0.1/tcp/0'] : [], mdns: false, ...(bound !== undefined ? { peerStoreBound: bound } : {}) })
  await n.start()
  nodes.push(n)
  return n
}

describe('libp2p\'s peer store', () => {
  it('past its bound, the entries of peers gone are let go, a look every so many connections; a peer still connected is kept', async () => {
    const victim = await node('peer', { max: 40, sweepAfter: 20 })
    const addr = victim.getMultiaddrs()[0]!
    const stays = await node('client')
    await stays.dial(addr)
    for (let i = 0; i < 270; i++) {
      const passing = await createNode({ role: 'client', privateKey: await generateKeyPair('Ed25519'), listen: [], mdns: false })
      await passing.start()
      await passing.dial(addr)
      // Identify has told the victim of it (what makes its entry), then it goes.
      for (let t = 0; t < 100 && !(await victim.peerStore.has(passing.peerId)); t++) await new Promise(resolve => setTimeout(resolve, 5))
      await passing.stop()
      // One address may open 100 connections a second (the app's own gate): stay under it.
      await new Promise(resolve => setTimeout(resolve, 12))
    }
    // A look every 20 connections: about the bound and the 20 since the last, with room for a look
    // still under way (all 271 were kept before).
    expect((await victim.peerStore.all()).length).toBeLessThanOrEqual(80)
    await victim.services.peerStoreBound.sweep()
    expect((await victim.peerStore.all()).length).toBeLessThanOrEqual(40)
    const ids = (await victim.peerStore.all()).map(p => p.id.toString())
    expect(ids).toContain(stays.peerId.toString())
    expect(victim.getConnections(stays.peerId)).toHaveLength(1)
  }, 60_000)
})
