import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import type { PeerDiscovery, PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { mdns } from '@libp2p/mdns'
import { ping, type Ping } from '@libp2p/ping'
import { preSharedKey } from '@libp2p/pnet'
import { tcp } from '@libp2p/tcp'
import { noiseCrypto } from './noise-crypto.js'
import { yamux } from '@libp2p/yamux'
import './yamux-window.js'
import { createLibp2p, type Libp2p, type Libp2pOptions } from 'libp2p'
import { chat, type ChatProtocol, type ChatProtocolInit } from './chat-protocol.js'
import { privateTag, swarmKeyOf } from './network-key.js'
import { files, type FileProtocol, type FileProtocolInit } from './file-protocol.js'
import { peerStoreBound, type PeerStoreBound, type PeerStoreBoundInit } from './peer-store-bound.js'
import { GENERIC_TAG_QUERY_MS, HUB_SERVICE_TAG, LANCHAT_PEER_SERVICE_TAG, PEER_SERVICE_TAG, INBOUND_PER_HOST_PER_SECOND, INBOUND_UPGRADE_TIMEOUT_MS, LINK_PING_INTERVAL_MS, LINK_PING_TIMEOUT_MS, PING_STREAMS, MAX_CLIENTS, MESH_MAX_CONNECTIONS, MESH_SPARE_CONNECTIONS, MAX_PENDING_INBOUND } from './constants.js'

/**
 * What a node is for. A mesh peer listens, dials and finds peers by mDNS; a
 * hub listens and answers mDNS under its own tag; a hub's client listens on
 * nothing and only asks mDNS for hubs, so it stays invisible.
 */
export type NodeRole = 'peer' | 'hub' | 'client'

export interface NodeOptions {
  role: NodeRole
  privateKey: PrivateKey
  listen: string[]
  mdns: boolean
  /** Asked before every dial and every inbound connection: true refuses the peer. */
  isBlocked?: (peerId: PeerId) => boolean
  /** The mesh's chat protocol (role 'peer' only). */
  chat?: ChatProtocolInit
  /**
   * The network key (network-key.ts): when set, every connection is wrapped
   * by the private-network protector before Noise, so only computers with the
   * same key complete a handshake. Checked here: a malformed one throws
   * NetworkKeyError before a node exists.
   */
  networkKey?: string
  /** Peer discovery besides mDNS (libp2p discovery modules: a static list, an in-process directory in tests). */
  peerDiscovery?: Libp2pOptions['peerDiscovery']
  /** The file protocol's options (every role runs it: peers, the hub and its clients serve and fetch files). */
  files?: FileProtocolInit
  /** libp2p's peer store's bound (peer-store-bound.ts; tests set a smaller one). */
  peerStoreBound?: PeerStoreBoundInit
  /** How often a link is pinged and how long a ping may take before the link is dropped (defaults LINK_PING_*; tests shorten them). */
  linkPing?: { intervalMs: number, timeoutMs: number }
}

// A type alias, not an interface: libp2p's ServiceMap wants an index signature.
export type NodeServices = { identify: unknown, ping: Ping, files: FileProtocol, peerStoreBound: PeerStoreBound, chat?: ChatProtocol }
export type LanNode = Libp2p<NodeServices>

/**
 * What a mesh peer lets in before a connection is authenticated. A socket
 * that has not finished Noise and yamux within INBOUND_UPGRADE_TIMEOUT_MS is
 * closed (on a LAN it takes milliseconds), and one address may open
 * INBOUND_PER_HOST_PER_SECOND a second, so one host holding idle sockets
 * has at most their product pending, well under the pending limit: a peer
 * from another address still gets in. Many peers may still dial us from one
 * address at once (a LAN party behind one box, or tests on loopback).
 */
const PEER_CONNECTIONS = {
  maxConnections: MESH_MAX_CONNECTIONS + MESH_SPARE_CONNECTIONS,
  inboundConnectionThreshold: INBOUND_PER_HOST_PER_SECOND,
  maxIncomingPendingConnections: MAX_PENDING_INBOUND,
  inboundUpgradeTimeout: INBOUND_UPGRADE_TIMEOUT_MS
}

/**
 * The one libp2p node factory, for peers, the hub and its clients alike:
 * TCP, every connection encrypted with Noise and multiplexed with yamux,
 * identify and ping (the socket panel's RTT), mDNS where the role wants it,
 * and the network key's protector under all of it when one is set.
 * The architectures differ in what runs on top, not in the stack.
 */
export async function createNode (opts: NodeOptions): Promise<LanNode> {
  const blocked = opts.isBlocked ?? (() => false)
  const psk = opts.networkKey === undefined ? undefined : swarmKeyOf(opts.networkKey)
  // The mDNS services are kept, to hear every answer (mdnsHeard) and announce the node at once when its addresses change (announceNow).
  const mdnsServices: Array<{ service: unknown, tag: string }> = []
  const mdnsFactories = (opts.mdns ? discovery(opts.role, opts.networkKey) : []).map(({ tag, factory }) =>
    (components: Parameters<typeof factory>[0]) => {
      const service = factory(components)
      mdnsServices.push({ service, tag })
      return service
    })
  // Every discovery module (mDNS and those given), to hear each of its answers (discoveryHeard).
  const discoveryServices: unknown[] = []
  const node = await createLibp2p({
    privateKey: opts.privateKey,
    addresses: { listen: opts.listen },
    transports: [tcp()],
    // Noise as it is, with its ChaCha20-Poly1305 keys imported once per key (noise-crypto.ts).
    connectionEncrypters: [noise({ crypto: noiseCrypto })],
    streamMuxers: [yamux()],
    ...(psk !== undefined ? { connectionProtector: preSharedKey({ psk }) } : {}),
    peerDiscovery: [...mdnsFactories, ...(opts.peerDiscovery ?? [])].map(factory => (components: Parameters<typeof factory>[0]) => {
      const service = factory(components)
      discoveryServices.push(service)
      return service
    }),
    connectionManager: opts.role === 'hub'
      // One LAN's worth of clients, all dialing at once after a restart, is not refused.
      ? { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 512, maxConnections: MAX_CLIENTS + 64 }
      : PEER_CONNECTIONS,
    // A busy peer is not a dead one (constants.ts).
    connectionMonitor: { pingInterval: opts.linkPing?.intervalMs ?? LINK_PING_INTERVAL_MS, pingTimeout: { minTimeout: opts.linkPing?.timeoutMs ?? LINK_PING_TIMEOUT_MS } },
    connectionGater: {
      // Loopback and private addresses are the whole point of a LAN app.
      denyDialMultiaddr: () => false,
      denyDialPeer: blocked,
      denyInboundEncryptedConnection: blocked,
      denyOutboundEncryptedConnection: blocked
    },
    services: {
      identify: identify(),
      // The connection monitor pings on the same protocol (up to three pings in flight when slow, see
      // LINK_PING_TIMEOUT_MS) and the socket panel on top: past the limit a ping fails at once, and a failed
      // monitor ping aborts the connection (libp2p's defaults are one outbound and two inbound).
      ping: ping({ maxOutboundStreams: PING_STREAMS, maxInboundStreams: PING_STREAMS }),
      files: files(opts.files),
      // Its peer store within a bound: every key that ever connected would otherwise stay (peer-store-bound.ts).
      peerStoreBound: peerStoreBound(opts.peerStoreBound),
      ...(opts.chat !== undefined ? { chat: chat(opts.chat) } : {})
    }
  }) as LanNode
  if (mdnsServices.length > 0) mdnsOf.set(node, mdnsServices)
  if (discoveryServices.length > 0) discoveryOf.set(node, discoveryServices)
  return node
}

/**
 * mDNS for a role, with the tag each instance asks and answers under. With a
 * network key the service tag is derived from it, so key holders ask and
 * answer among themselves and a computer without the key never learns our
 * address from mDNS to dial (a listener on the multicast group still sees the
 * announcements: mDNS is plain UDP — README, Privacy).
 *
 * A keyless peer asks and answers under LAN Chat's own tag, and, for builds
 * before it, also under libp2p's generic one (GENERIC_TAG_QUERY_MS). Two
 * instances, as @libp2p/mdns serves one tag each: what goes on the wire is
 * the same as one instance serving both would send (each question names one
 * tag, and older builds read only a packet's first question), at the cost of
 * a second UDP socket that decodes each mDNS packet again.
 */
function discovery (role: NodeRole, networkKey: string | undefined): Array<{ tag: string, factory: ReturnType<typeof mdns> }> {
  const keyed = (base: string): string => networkKey === undefined ? base : base.replace(/^_([a-z0-9-]+)\./, `_$1-${privateTag(networkKey)}.`)
  const one = (tag: string, init: Omit<Parameters<typeof mdns>[0] & object, 'serviceTag'>): { tag: string, factory: ReturnType<typeof mdns> } => ({ tag, factory: mdns({ serviceTag: tag, ...init }) })
  switch (role) {
    case 'peer': return networkKey === undefined
      ? [one(LANCHAT_PEER_SERVICE_TAG, { interval: 5_000 }), one(PEER_SERVICE_TAG, { interval: GENERIC_TAG_QUERY_MS })]
      : [one(keyed(PEER_SERVICE_TAG), { interval: 5_000 })]
    case 'hub': return [one(keyed(HUB_SERVICE_TAG), { broadcast: true, interval: 10_000 })]
    case 'client': return [one(keyed(HUB_SERVICE_TAG), { broadcast: false, interval: 2_000 })]
    default: return role satisfies never
  }
}

/** Each node's mDNS services and the tag each answers under (only nodes with mDNS on). */
const mdnsOf = new WeakMap<LanNode, Array<{ service: unknown, tag: string }>>()

/**
 * Calls `heard` with each mDNS answer from another node, every time (libp2p's
 * own `peer:discovery` says only a peer it had never seen): where that node
 * says it listens now. Nothing with mDNS off.
 */
export function mdnsHeard (node: LanNode, heard: (peerId: string, addrs: Multiaddr[]) => void): void {
  for (const { service } of mdnsOf.get(node) ?? []) {
    (service as Partial<PeerDiscovery>).addEventListener?.('peer', ({ detail }) => { heard(detail.id.toString(), detail.multiaddrs) })
  }
}

/** Each node's discovery modules: mDNS and those given (NodeOptions.peerDiscovery). */
const discoveryOf = new WeakMap<LanNode, unknown[]>()

/**
 * Calls `heard` with each answer of any of the node's discovery modules, every time: libp2p's own
 * `peer:discovery` says only a peer new to its peer store, so a peer that went away and is told of
 * again (mDNS hears it after a silence, a laptop back) would never be news.
 */
export function discoveryHeard (node: LanNode, heard: (peerId: string, addrs: Multiaddr[]) => void): void {
  for (const service of discoveryOf.get(node) ?? []) {
    (service as Partial<PeerDiscovery>).addEventListener?.('peer', ({ detail }) => { heard(detail.id.toString(), detail.multiaddrs) })
  }
}

/**
 * Tell the LAN at once by mDNS where `node` listens now, for a node whose
 * computer changed networks: libp2p only answers queries (a hub's clients
 * ask every 2 s, the hub itself every 10 s), so everyone listening would
 * hear it at the next one. Sent as the answer to a query is, multicast.
 * Answers whether it was said (not with mDNS off, or not running).
 */
export function announceNow (node: LanNode): boolean {
  let said = false
  for (const { service, tag } of mdnsOf.get(node) ?? []) {
    const s = service as { _onMdnsQuery?: (query: unknown) => void, isStarted?: () => boolean }
    if (typeof s._onMdnsQuery !== 'function' || s.isStarted?.() !== true) continue
    // As if the LAN had asked for our service: the answer is multicast to all with our addresses now.
    s._onMdnsQuery({ type: 'query', questions: [{ name: tag, type: 'PTR' }] })
    said = true
  }
  return said
}
