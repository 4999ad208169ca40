/**
 * Baseline (b): what a libp2p user would reach for instead of writing a chat
 * protocol — @libp2p/gossipsub over tcp + noise + yamux (+ identify, which
 * gossipsub needs to learn that a peer speaks its protocol). Options are the
 * ones STACK.md records; everything else is gossipsub's default, so messages
 * are signed and verified (StrictSign) like LAN Chat's, but not persisted.
 *
 * One change for loopback: every node here shares 127.0.0.1, and gossipsub's
 * sybil defence (IP colocation score) graylists a sender's 11th and later peers
 * from one IP. On a LAN each peer has its own address, so 127.0.0.1 is
 * whitelisted from that penalty; nothing else in scoring changes.
 *
 * Topology: a star. Every receiver dials the sender; with floodPublish the
 * sender publishes straight to each subscriber.
 */
import { createLibp2p } from 'libp2p'
import type { Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { gossipsub } from '@libp2p/gossipsub'
import type { GossipSub } from '@libp2p/gossipsub'
import type { Topology } from '../lib/harness.js'
import { waitUntil } from '../lib/stats.js'

const TOPIC = 'bench-room'

type Node = Libp2p<{ pubsub: GossipSub, identify: ReturnType<ReturnType<typeof identify>> }>

async function node (): Promise<Node> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // Many dials from 127.0.0.1 in one burst: the default (5/s per IP) would refuse them.
    connectionManager: { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1000 },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        emitSelf: false,
        allowPublishToZeroTopicPeers: true,
        floodPublish: true,
        scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1']) }
      })
    }
  }) as Node
}

export async function gossipsubStar (receivers: number): Promise<Topology> {
  let deliver: () => void = () => {}
  const sender = await node()
  sender.services.pubsub.subscribe(TOPIC)
  const nodes: Node[] = [sender]
  const decoder = new TextDecoder()
  for (let r = 0; r < receivers; r++) {
    const receiver = await node()
    receiver.services.pubsub.subscribe(TOPIC)
    receiver.services.pubsub.addEventListener('message', (evt) => {
      if (evt.detail.topic === TOPIC && decoder.decode(evt.detail.data).length >= 0) deliver()
    })
    await receiver.dial(sender.getMultiaddrs())
    nodes.push(receiver)
  }
  await waitUntil(() => sender.services.pubsub.getSubscribers(TOPIC).length === receivers, () => `gossipsub subscriptions (${sender.services.pubsub.getSubscribers(TOPIC).length}/${receivers}, ${sender.getConnections().length} conns, ${sender.services.pubsub.getPeers().length} peers)`)
  const encoder = new TextEncoder()
  let nextId = 0
  return {
    receivers,
    async send (body) {
      await sender.services.pubsub.publish(TOPIC, encoder.encode(JSON.stringify({ id: nextId++, body })))
    },
    onDeliver (fn) { deliver = fn },
    connections: () => nodes.reduce((n, x) => n + x.getConnections().length, 0) / 2,
    async close () { await Promise.all(nodes.map((n) => n.stop())) }
  }
}
