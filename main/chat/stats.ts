import type { Mode } from './types.js'

/** Who decided the order messages are shown in. */
export type OrderedBy = 'lamport' | 'server-seq'

export interface LinkStats {
  peerId: string
  name: string
  /** The TCP socket's two ends: with the protocol, its 4-tuple. */
  local: string
  remote: string
  direction: 'inbound' | 'outbound'
}

export interface FailureState {
  /** ok: all reachable; degraded: some peers down, the rest go on; down: nothing is delivered. */
  state: 'ok' | 'degraded' | 'down'
  /** One line for the UI, e.g. "server unreachable, 3 pending". */
  summary: string
  /** Client mode: whether the hub is connected. */
  serverReachable?: boolean
  /** Client mode: own messages waiting for the hub. */
  pending?: number
  /** P2P mode: known peers that are not connected. */
  peersDown?: string[]
}

export interface Figures {
  last: number | null
  avg: number | null
  p50: number | null
  max: number | null
  /** How many deliveries the figures cover (the most recent ones). */
  count: number
}

/**
 * The contrast figures of one node, the same shape in every mode so the UI
 * shows P2P and client-server side by side: `{"cmd":"stats"}` answers with
 * `{ type: 'stats', ...EngineStats }`.
 */
// A type alias, not an interface, so it is assignable to Record<string, unknown> (the stats command's type).
export type EngineStats = {
  mode: Mode
  orderedBy: OrderedBy
  /** How the order is made, in words. */
  order: string
  connections: LinkStats[]
  /** Messages this node authored. */
  sent: number
  /** Messages by others delivered here. */
  received: number
  /** Messages this node passed on to others (a P2P relay; the hub's fan-out). */
  relayed: number
  /** Relays a delivered message passed (0: straight from its author). */
  hops: Figures
  /** Delivery latency in ms: our wall clock at delivery minus the author's at sending. */
  latencyMs: Figures
  /**
   * Live messages left out of latencyMs because their author's clock and ours disagree by more
   * than CLOCK_OFF_MS (a clock set hours ahead, days behind, in 1970): that difference is the
   * clocks', not the network's.
   */
  clockOff: number
  /**
   * What this node put on the wire for chat since it started: the messages in
   * its frames (its own, relays, answers; a client's submits, the hub's fan-out)
   * and the frames' bytes (syncs and receipts included, before encryption), and
   * both per message it handled (sent + received): a message's cost here.
   */
  wire: { envelopes: number, bytes: number, perMessage: { envelopes: number | null, bytes: number | null } }
  failure: FailureState
}

/** The wire figures of EngineStats from what a transport counted and how many messages this node handled. */
export function wireFigures (sent: { envelopes: number, bytes: number }, handled: number): EngineStats['wire'] {
  return {
    envelopes: sent.envelopes,
    bytes: sent.bytes,
    perMessage: handled === 0
      ? { envelopes: null, bytes: null }
      : { envelopes: Math.round(sent.envelopes / handled * 100) / 100, bytes: Math.round(sent.bytes / handled) }
  }
}

const WINDOW = 1000

/**
 * A live message's wall-clock difference past this (either way) says that two clocks disagree,
 * not how long the network took, ms: a live delivery takes milliseconds to seconds (15 s at the
 * 99th percentile with 100 peers on one machine), and a clock hours or days off would have made the
 * median and the maximum read in days or years.
 */
export const CLOCK_OFF_MS = 5 * 60_000

function figures (values: number[], last: number | null): Figures {
  if (values.length === 0) return { last: null, avg: null, p50: null, max: null, count: 0 }
  const sorted = [...values].sort((a, b) => a - b)
  const sum = values.reduce((a, b) => a + b, 0)
  return {
    last,
    avg: Math.round(sum / values.length * 100) / 100,
    p50: sorted[Math.floor(sorted.length / 2)]!,
    max: sorted[sorted.length - 1]!,
    count: values.length
  }
}

/** Running counters behind EngineStats, over the last WINDOW deliveries. */
export class Counters {
  sent = 0
  received = 0
  relayed = 0
  /** Held-back messages let go for lack of room in the queue (fetched again by sync). */
  heldDropped = 0
  readonly #hops: number[] = []
  readonly #latency: number[] = []
  #lastHops: number | null = null
  #lastLatency: number | null = null
  #clockOff = 0

  /**
   * A message by someone else was delivered here. One we caught up on
   * (`caughtUp`: it answered our sync, or a hub sent it as what we missed) counts as received, but not in the
   * hops and latency: those say how the live network carries a message, and
   * its time since it was written is how long we were away.
   */
  delivered (hops: number, sentAt: number, deliveredAt: number, caughtUp = false): void {
    this.received++
    if (caughtUp) return
    this.#lastHops = hops
    this.#hops.push(hops)
    if (this.#hops.length > WINDOW) this.#hops.shift()
    const difference = deliveredAt - sentAt
    if (Math.abs(difference) > CLOCK_OFF_MS) {
      this.#clockOff++
      return
    }
    // A clock a little ahead of ours (under CLOCK_OFF_MS) reads as no time at all.
    const latency = Math.max(0, difference)
    this.#lastLatency = latency
    this.#latency.push(latency)
    if (this.#latency.length > WINDOW) this.#latency.shift()
  }

  figures (): { hops: Figures, latencyMs: Figures, clockOff: number } {
    return { hops: figures(this.#hops, this.#lastHops), latencyMs: figures(this.#latency, this.#lastLatency), clockOff: this.#clockOff }
  }
}
