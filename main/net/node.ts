import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { mdns } from '@libp2p/mdns'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from 'libp2p'
import { chat, type ChatProtocol, type ChatProtocolInit } from './chat-protocol.js'

export interface NodeOptions {
  privateKey: PrivateKey
  listen: string[]
  mdns: boolean
  /** Asked before every dial and every inbound connection: true refuses the peer. */
  isBlocked: (peerId: PeerId) => boolean
  chat: ChatProtocolInit
}

export type LanNode = Libp2p<{ chat: ChatProtocol, identify: unknown, ping: unknown }>

/**
 * One libp2p node: listens and dials over TCP, every connection encrypted with
 * Noise and multiplexed with yamux, identify and ping for the socket panel,
 * and mDNS to find peers on the LAN.
 */
export async function createNode (opts: NodeOptions): Promise<LanNode> {
  return await createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen: opts.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: opts.mdns ? [mdns({ interval: 5_000 })] : [],
    connectionManager: {
      // A LAN party: many peers may dial us from one address at once.
      inboundConnectionThreshold: 1_000,
      maxIncomingPendingConnections: 256
    },
    connectionGater: {
      // Loopback and private addresses are the whole point of a LAN app.
      denyDialMultiaddr: () => false,
      denyDialPeer: (peerId) => opts.isBlocked(peerId),
      denyInboundEncryptedConnection: (peerId) => opts.isBlocked(peerId),
      denyOutboundEncryptedConnection: (peerId) => opts.isBlocked(peerId)
    },
    services: {
      identify: identify(),
      ping: ping(),
      chat: chat(opts.chat)
    }
  }) as LanNode
}
