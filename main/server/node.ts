import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import type { PrivateKey } from '@libp2p/interface'
import { mdns } from '@libp2p/mdns'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p } from 'libp2p'
import { HUB_SERVICE_TAG, MAX_CLIENTS } from './constants.js'

export type HubNode = Libp2p<{ identify: unknown, ping: unknown }>

export interface HubNodeOptions {
  privateKey: PrivateKey
  /** The hub listens here; a client passes [] and listens on nothing. */
  listen: string[]
  /**
   * 'announce': the hub answers mDNS queries for HUB_SERVICE_TAG.
   * 'find': a client asks for hubs but never answers, so it stays invisible.
   * 'off': no mDNS at all.
   */
  mdns: 'announce' | 'find' | 'off'
}

/**
 * A libp2p node for client-server mode: the same TCP + Noise + yamux stack as
 * the P2P mesh (the two modes differ in architecture only), without the chat
 * mesh protocol. The hub raises the connection limits so one LAN's worth of
 * clients, all dialing at once after a restart, is not refused.
 */
export async function createHubNode (opts: HubNodeOptions): Promise<HubNode> {
  return await createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen: opts.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: opts.mdns === 'off'
      ? []
      : [mdns({ serviceTag: HUB_SERVICE_TAG, broadcast: opts.mdns === 'announce', interval: opts.mdns === 'find' ? 2_000 : 10_000 })],
    connectionManager: {
      inboundConnectionThreshold: 10_000,
      maxIncomingPendingConnections: 512,
      maxConnections: MAX_CLIENTS + 64
    },
    connectionGater: {
      // A LAN hub: loopback and private addresses are the whole point.
      denyDialMultiaddr: () => false
    },
    services: {
      identify: identify(),
      ping: ping()
    }
  }) as HubNode
}
