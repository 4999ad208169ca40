import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Frame } from '../../main/net/codec.js'
import { encodeFrame } from '../../main/net/codec.js'
import { CHAT_PROTOCOL, HUB_PROTOCOL } from '../../main/net/constants.js'
import { HubEndpoint } from '../../main/net/hub-endpoint.js'
import { encodeHubFrame, type HubFrame } from '../../main/net/hub-codec.js'
import { HubLinkTransport } from '../../main/net/hub-link.js'
import { MeshTransport, type PeerBook } from '../../main/net/mesh.js'
import { createNode } from '../../main/net/node.js'
import type { Pair } from '../transport.adapter.js'
import { until } from './peers.js'

const ID = 'ab'.repeat(32)

/** What libp2p's connection monitor aborts a connection with when its ping goes unanswered (AbortSignal.timeout's reason). */
const pingTimedOut = (): Error => new DOMException('The operation was aborted due to timeout', 'TimeoutError')

/** A peer book that remembers nothing: no redial, so a test decides when links come back. */
const forgetful = (): PeerBook => ({ known: () => ({}), remember: () => [], forget: () => {}, blocked: () => [], setBlocked: () => {} })

/** Two mesh transports on loopback; either may dial. */
export async function meshPair (): Promise<Pair<Frame>> {
  const make = async (name: string): Promise<MeshTransport> => {
    const t = new MeshTransport({ privateKey: await generateKeyPair('Ed25519'), name: () => name, book: forgetful(), listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
    await t.start()
    return t
  }
  const [x, y] = [await make('x'), await make('y')]
  const end = (t: MeshTransport): Pair<Frame>['ends'][0] => ({
    peerId: t.node!.peerId.toString(), events: t, send: (p, f) => t.send(p, f), connectedPeers: () => t.connectedPeers(), stop: async () => { await t.stop() }
  })
  const ends: Pair<Frame>['ends'] = [end(x), end(y)]
  return {
    ends,
    starters: [0, 1],
    open: async (starter) => {
      const [from, to] = starter === 0 ? [x, y] : [y, x]
      await from.connect(to.addrs()[0]!)
      await until('mesh link up', () => x.connectedPeers().includes(ends[1].peerId) && y.connectedPeers().includes(ends[0].peerId))
    },
    hangUp: async () => { await x.disconnect(ends[1].peerId) },
    pingLost: async () => { for (const c of y.node!.getConnections()) c.abort(pingTimedOut()) },
    frame: n => ({ type: 'receipts', receipts: [{ id: ID, by: 'test', lamport: n, at: 0 }] }),
    numberOf: f => f.type === 'receipts' ? f.receipts[0]?.lamport : undefined,
    intruder: { addr: () => y.addrs()[0]!, protocol: CHAT_PROTOCOL, hello: encodeFrame({ type: 'hello', name: 'stranger', version: 1 }) },
    onBadFrame: 'skip',
    teardown: async () => { await Promise.all([x.stop(), y.stop()]) }
  }
}

/** A hub's client (end 0, the only one that can open the link) and the hub's endpoint (end 1). */
export async function hubPair (): Promise<Pair<HubFrame>> {
  const hubNode = await createNode({ role: 'hub', privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
  await hubNode.start()
  const hub = new HubEndpoint(hubNode, { hello: () => ({ type: 'hello', name: 'hub', version: 1, seq: 0 }), pace: async () => {} })
  await hub.start()
  const clientKey = await generateKeyPair('Ed25519')
  const client = new HubLinkTransport({
    privateKey: clientKey,
    hello: () => ({ type: 'hello', name: 'client', version: 1, seq: 0 }),
    knownHub: () => undefined
  })
  await client.start()
  const hubAddr = hubNode.getMultiaddrs()[0]!.toString()
  const clientId = peerIdFromPrivateKey(clientKey).toString()
  const ends: Pair<HubFrame>['ends'] = [
    { peerId: clientId, events: client, send: (p, f) => client.send(p, f), connectedPeers: () => client.connectedPeers(), stop: async () => { await client.stop() } },
    { peerId: hubNode.peerId.toString(), events: hub, send: (p, f) => hub.send(p, f), connectedPeers: () => hub.connectedPeers(), stop: async () => { await hub.stop(); await hubNode.stop() } }
  ]
  return {
    ends,
    starters: [0],
    open: async () => {
      client.heal()
      await client.connect(hubAddr)
      await until('hub link up', () => client.hub !== undefined && hub.connectedPeers().length === 1)
    },
    hangUp: async () => { await client.cut() },
    pingLost: async () => { for (const c of hubNode.getConnections()) c.abort(pingTimedOut()) },
    frame: n => ({ type: 'rejected', id: ID, reason: String(n) }),
    numberOf: f => f.type === 'rejected' ? Number(f.reason) : undefined,
    intruder: { addr: () => hubAddr, protocol: HUB_PROTOCOL, hello: encodeHubFrame({ type: 'hello', name: 'stranger', version: 1, seq: 0 }) },
    onBadFrame: 'close',
    teardown: async () => { await client.stop(); await hub.stop(); await hubNode.stop() }
  }
}
