import type { TypedEventTarget } from '@libp2p/interface'
import type { Frame } from './codec.js'

/**
 * What the chat engine needs from a network, whatever its architecture:
 * the P2P mesh (every peer listens and dials) and the client-server link
 * (clients dial only the hub) both implement it, and one test suite runs
 * against both.
 */
export interface TransportEvents {
  /** A peer became reachable; `name` from its hello, the socket's 4-tuple. */
  'peer:connect': CustomEvent<{ peerId: string; name: string; local: string; remote: string }>
  /** The last connection to a peer closed. */
  'peer:disconnect': CustomEvent<{ peerId: string }>
  /** A decoded frame from a peer. */
  frame: CustomEvent<{ peerId: string; frame: Frame }>
  /** Input from a peer that was dropped, with why (logged, shown in stats). */
  'peer:misbehaved': CustomEvent<{ peerId: string; reason: string }>
}

export interface Transport extends TypedEventTarget<TransportEvents> {
  /** Queue a frame to one peer; false when it is not connected. */
  send(peerId: string, frame: Frame): boolean
  /** Queue a frame to every connected peer but `except`. Returns how many it went to. */
  broadcast(frame: Frame, except?: string): number
  connectedPeers(): string[]
  /** Resolves when what is queued for `peerId` has been handed to the socket. */
  drain(peerId: string): Promise<void>
}
