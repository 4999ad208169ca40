/**
 * What the networking views get from main: the contrast figures, the socket
 * panel, the space-time diagram's trace, the partition lab and the causal
 * walkthrough. Types only (no electron import), part of the IPC contract.
 */
import type { EngineStats } from '../main/chat/stats.js'
import type { PeerView } from '../main/chat/types.js'

export type { UserMode } from '../main/core/limits.js'
import type { UserMode } from '../main/core/limits.js'

export interface StatsReport {
  /** The running mode's figures, now. */
  current: EngineStats
  /** The last figures seen in each mode (the other mode's stay as they were when it stopped). */
  byMode: Partial<Record<UserMode, EngineStats & { at: number }>>
  /** The hub this app hosts: one connection per client. */
  hub: (EngineStats & { lastSeq: number; clients: number }) | null
}

export interface SocketsReport {
  mode: UserMode
  /** This app's peers with their connections (in client mode: the hub only). */
  self: PeerView[]
  /** The hosted hub's view: one socket per client, each accepted (passive). */
  hub: PeerView[] | null
  /** Noise's cipher on every connection, and whose implementation runs it here (main/net/noise-crypto.ts). */
  cipher: string
}

export interface TraceReceipt {
  /** The peer that delivered the message. */
  by: string
  /** Its Lamport clock right after delivering it. */
  lamport: number
  at: number
}

export interface TraceMessage {
  id: string
  author: string
  name: string
  text: string
  /** Its author deleted it: `text` is empty. */
  deleted?: boolean
  lamport: number
  sentAt: number
  deliveredAt?: number
  seq?: number
  /** Ids of shown messages in this one's causal past (reachable through deps). */
  past: string[]
  /** Ids of shown messages concurrent with this one: neither is in the other's causal past. */
  concurrent: string[]
  receipts: TraceReceipt[]
}

export interface Trace {
  room: string
  self: string
  mode: UserMode
  /** One vertical line each: this app first. */
  peers: Array<{ peerId: string; name: string }>
  /** The room's most recent messages in Lamport order. */
  messages: TraceMessage[]
  /** Messages of the room left out (only the most recent are drawn). */
  omitted: number
  /** The room has more than was read for the diagram: `omitted` is a lower bound. */
  omittedMore?: boolean
}

export interface LabState {
  mode: UserMode
  /** Peers this app is cut off from; '*' means everyone (in client mode: the hub). */
  cut: string[]
  since: number | null
  /** After a heal: how many messages written during the partition arrived here since. */
  merged: { count: number; at: number } | null
}

export interface DemoStep {
  title: string
  /** What to look for once the step has run. */
  explain: string
}

export interface DemoState {
  running: boolean
  /** Steps done so far (0 = not started). */
  done: number
  steps: DemoStep[]
  room: string
  /** Henry's deliveries in the order his engine made them. */
  henry: string[]
  /** The three engines: name and peer id. */
  peers: Array<{ name: string; peerId: string }>
}
