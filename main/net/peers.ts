/** What the views show of peers and their sockets (types only: the renderer's type-check reads them). */

import type { PeerBuild } from '../core/build.js'

/** One TCP connection as the sockets panel shows it, 4-tuple first. */
export interface ConnectionView {
  /** Local ip:port of the TCP socket. */
  local: string
  /** Remote ip:port of the TCP socket. */
  remote: string
  /** 'outbound' when we dialed (active socket), 'inbound' when we accepted (passive). */
  direction: 'inbound' | 'outbound'
  /** Multiaddr of the remote end. */
  remoteAddr: string
  encryption: string
  multiplexer: string
  /** Protocol ids of the streams open on it. */
  streams: Array<{ protocol: string; direction: 'inbound' | 'outbound' }>
  openedAt: number
  /** Last measured round-trip time in ms, if any. */
  rtt?: number
  bytesIn?: number
  bytesOut?: number
}

export interface PeerView {
  peerId: string
  name: string
  /** A short fingerprint of the peer id (chat/views.ts), to tell apart peers who use one name. */
  fingerprint?: string
  connected: boolean
  blocked?: boolean
  addrs?: string[]
  connections: ConnectionView[]
  /** Online, away (idle or set by hand) or offline: the engine's LivePeople (chat/live.ts). */
  presence?: 'online' | 'away' | 'offline'
  /** When the peer was last connected (ms), for one that is offline. */
  lastSeen?: number
  /** The peer's status in its own words, when it set one. */
  status?: string
  /** When that status clears itself (ms), if it was set to. */
  statusUntil?: number
  /** A client's hub: the server, not a person (no direct messages). */
  hub?: true
  /** A connected peer's LAN Chat, as its hello said, and how it compares with ours (an older build says no version). */
  build?: PeerBuild
}
