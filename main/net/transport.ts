import type { AbortOptions, TypedEventTarget } from '@libp2p/interface'
import type { FileProtocol } from './file-protocol.js'
import type { ConnectionView, PeerView } from './peers.js'
import type { WireCounts } from './frame-links.js'
import type { AppBuild } from '../core/build.js'

/** A peer on the other end of a link: its hello's name and build (`app`: absent from an older build) and the socket's 4-tuple. */
export interface PeerLink { peerId: string; name: string; local: string; remote: string; app?: AppBuild }

export interface TransportEvents<F> {
  /** A peer was found (mDNS) and could be connected. */
  'peer:candidate': CustomEvent<{ peerId: string; addrs: string[] }>
  /** A peer's first link is up and it has said hello. */
  'peer:connect': CustomEvent<PeerLink>
  /** A peer we knew under another name said hello under this one (the mesh's known peers). */
  'peer:renamed': CustomEvent<{ peerId: string; name: string; previousName: string }>
  /** A peer told us (identify) where it listens now, and that differs from what we knew. */
  'peer:addresses': CustomEvent<{ peerId: string; addrs: string[] }>
  /** Where this end listens changed (a network interface came, went or took another address): all of it now. */
  /** `lost`: a fixed address we listen on (--listen 10.0.0.5:4000) that the computer no longer has: nobody reaches us there until it is back. */
  'listening': CustomEvent<{ addrs: string[], lost?: string[] }>
  /** The last link to a peer closed. */
  /**
   * `staying`: the link was swapped for another and its peer stays on the LAN
   * (the mesh's rotation, on either side); `unheard`: we swapped it and hung up
   * ourselves because the peer did not hang up on reading that (it may read the
   * closing as our leaving).
   */
  'peer:disconnect': CustomEvent<{ peerId: string, staying?: boolean, unheard?: boolean }>
  /** A decoded frame from a connected peer (its hello too, after `peer:connect`). */
  frame: CustomEvent<{ peerId: string; frame: F }>
  /** Input from a peer that was dropped, with why (logged, shown in stats). */
  'peer:misbehaved': CustomEvent<{ peerId: string; reason: string }>
  /** The transport stopped: nothing more is delivered. */
  close: CustomEvent<undefined>
}

/**
 * What the chat engine needs from a network, whatever its architecture — in
 * the style of automerge-repo's NetworkAdapter: connect, send, disconnect,
 * and events. The P2P mesh (every peer listens and dials) and the hub link
 * (a client dials one hub) implement it over frames of their own protocol;
 * one adapter suite (test/transport.adapter.ts) runs against both.
 */
export interface Transport<F> extends TypedEventTarget<TransportEvents<F>> {
  start: () => Promise<void>
  /** Close every link; `close` is dispatched and nothing is delivered afterwards. */
  stop: () => Promise<void>
  /** Reach a peer (the mesh) or the hub (a client) at this address; the mesh says whom it reached (its link follows, with `peer:connect`). */
  connect: (addr: string, options?: AbortOptions) => Promise<string | void>
  /** Hang up on a peer. */
  disconnect: (peerId: string) => Promise<void>
  /** Queue a frame to one peer; false when it is not connected. */
  send: (peerId: string, frame: F) => boolean
  /** Queue a frame to every connected peer but `except` (one peer, or a set of them); how many it went to. */
  broadcast: (frame: F, except?: string | ReadonlySet<string>) => number
  connectedPeers: () => string[]
  /** Frames, chat messages in them and bytes this end has sent since it started (what a message costs on the wire). */
  sentOnWire: () => WireCounts
  /** Resolves when what is queued for `peerId` has been handed to the socket. */
  drain: (peerId: string) => Promise<void>
  /** Where this end listens (multiaddrs ending in /p2p/<id>); [] for a client. */
  addrs: () => string[]
}

/**
 * What the engine's views and the partition lab need of the links an
 * architecture keeps. `cut` refuses a peer ('*': everyone) until `heal`.
 */
export interface Links {
  peers: () => PeerView[]
  connections: (peerId: string) => ConnectionView[]
  cut: (peerId: string) => Promise<void>
  heal: () => void
  /** Measure the round trip to a peer (libp2p's ping, a stream on the same socket). */
  ping: (peerId: string, options?: AbortOptions) => Promise<number>
  /** The file protocol on the same node (undefined while stopped). */
  files: () => FileProtocol | undefined
}
