import { encodeReceiptBatch, type Frame, type Receipt } from '../net/codec.js'
import { MAX_MESSAGES_PER_FRAME } from '../net/constants.js'
import type { Transport } from '../net/transport.js'

/** Most messages whose receipts (and route back) are remembered; older ones are forgotten first. */
export const MAX_TRACKED = 20_000
/**
 * Most receipts remembered for one message (one per peer that delivered it):
 * far more than a LAN's room, and a bound on what keys minted only to sign
 * receipts can make a peer hold (past it, more are neither kept nor passed on).
 */
export const MAX_RECEIPTS_PER_MESSAGE = 1_024
/**
 * Receipts wait this long and leave together: one frame per peer per tenth
 * of a second instead of one per delivered message, which the sender of a
 * busy room would otherwise pay once per receiver per message.
 */
export const RECEIPT_FLUSH_MS = 250
/**
 * A peer with at most this many links (a small LAN, where everyone is
 * linked to nearly everyone) sends its own receipts to all of them at once,
 * so every peer's space-time diagram has every arrow within a quarter of a
 * second; with more (a classroom's sparse mesh) its delivery summary
 * (delivery-summary.ts) carries them to everyone instead.
 */
export const RECEIPTS_TO_ALL_LINKS = 4

/**
 * Delivery receipts: which peer delivered which message, at what Lamport time.
 * They feed "delivered to k of n" and the space-time diagram's arrows.
 *
 * A peer with few links signs its own receipts, those of a quarter of a
 * second in one batch (one signature, not one per message), and sends the
 * batch to every link (sendReceipts). A batch it hears goes on, unchanged,
 * back the way its messages came (reverse-path forwarding: each peer
 * remembers who handed it each message), so an author hears of deliveries by
 * peers it is not linked to. In a sparse mesh every peer's signed summary of
 * its deliveries, flooded every few seconds (delivery-summary.ts), tells
 * everyone of every delivery, and no batch goes out: sending them back along
 * each route as well cost a class of 30 a tenth of its CPU (BENCHMARKS.md).
 *
 * A receipt counts only when its peer vouches for it: signed by that peer's
 * key, or unsigned (an older peer's frame) straight over that peer's own
 * connection. A peer cannot claim deliveries for another, or for an id that
 * is no peer. Receipts are live information: one whose route is gone (the
 * peer left, or the message was forgotten) goes no further.
 */
/**
 * A map that forgets its oldest key once it holds `max`. Evicts through a
 * ring of keys: `map.keys().next()` after many deletes walks over every
 * deleted slot first, which made 100k receipts quadratic (BENCHMARKS.md).
 */
export class BoundedMap<V> {
  readonly #map = new Map<string, V>()
  readonly #ring: string[] = []
  #next = 0

  constructor (readonly max: number) {}

  get (key: string): V | undefined { return this.#map.get(key) }

  set (key: string, value: V): void {
    if (!this.#map.has(key)) {
      if (this.#ring.length < this.max) this.#ring.push(key)
      else {
        this.#map.delete(this.#ring[this.#next]!)
        this.#ring[this.#next] = key
        this.#next = (this.#next + 1) % this.max
      }
    }
    this.#map.set(key, value)
  }
}

export class Receipts {
  readonly #byMessage: BoundedMap<Receipt[]>
  /** Message id → the peer that handed it to us. */
  readonly #route: BoundedMap<string>
  #own: Receipt[] = []
  #timer: NodeJS.Timeout | undefined

  /**
   * `flush` signs and sends our own receipts queued since the last flush;
   * `kept` hears every new receipt (the store keeps them across restarts);
   * the receipts of the newest `tracked` messages are remembered.
   */
  constructor (private readonly flush: (own: Receipt[]) => void, private readonly kept: (r: Receipt) => void = () => {}, tracked = MAX_TRACKED) {
    this.#byMessage = new BoundedMap<Receipt[]>(tracked)
    this.#route = new BoundedMap<string>(tracked)
  }

  /** Take back receipts kept before (no announcing, no keeping again). */
  restore (receipts: Iterable<Receipt>): void {
    for (const r of receipts) this.#add(r)
  }

  /** Record a receipt; true when it is new (and so worth passing on). */
  record (r: Receipt): boolean {
    if (!this.#add(r)) return false
    this.kept(r)
    return true
  }

  #add (r: Receipt): boolean {
    const list = this.#byMessage.get(r.id)
    if (list === undefined) {
      this.#byMessage.set(r.id, [r])
      return true
    }
    // A short list per message (one per peer in the room): a scan beats a Map each.
    for (const known of list) if (known.by === r.by) return false
    if (list.length >= MAX_RECEIPTS_PER_MESSAGE) return false
    list.push(r)
    return true
  }

  /** Remember that `via` handed us message `id`: receipts for it go back there. */
  routeVia (id: string, via: string): void {
    if (via !== '') this.#route.set(id, via)
  }

  /** Queue our own receipt; those queued leave together, signed, every RECEIPT_FLUSH_MS. */
  announce (r: Receipt): void {
    this.#own.push(r)
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const own = this.#own
      this.#own = []
      if (own.length > 0) this.flush(own)
    }, RECEIPT_FLUSH_MS)
    this.#timer.unref()
  }

  /** Where a signed batch heard from `from` goes on: back the way each of its new receipts' messages came. */
  routesFor (fresh: Receipt[], from: string): string[] {
    const to = new Set<string>()
    for (const r of fresh) {
      const via = this.#route.get(r.id)
      if (via !== undefined && via !== from) to.add(via)
    }
    return [...to]
  }

  /** Drop what is queued (on stop). */
  clear (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#own = []
  }

  of (id: string): Receipt[] {
    return [...(this.#byMessage.get(id) ?? [])]
  }
}

/**
 * Send our own receipts, signed in batches of at most a frame's worth, to
 * every link when we have few (RECEIPTS_TO_ALL_LINKS: a small LAN, where
 * that reaches nearly everyone at once). With more (a classroom's sparse
 * mesh) none go this way: the delivery summary (delivery-summary.ts) takes
 * them to every peer, the author included, within a few seconds. Sending
 * them back along each message's route as well cost a class of 30 a tenth
 * of its CPU in signature checks and doubled its p99 (BENCHMARKS.md), for an
 * author's tick a second or two sooner.
 */
export function sendReceipts (chat: Transport<Frame>, by: string, sign: (bytes: Uint8Array) => Uint8Array, own: Receipt[]): void {
  if (chat.connectedPeers().length > RECEIPTS_TO_ALL_LINKS) return
  for (let i = 0; i < own.length; i += MAX_MESSAGES_PER_FRAME) {
    const receipts = own.slice(i, i + MAX_MESSAGES_PER_FRAME)
    const batch = encodeReceiptBatch(by, receipts)
    chat.broadcast({ type: 'signed-receipts', by, receipts, batch, sig: sign(batch) })
  }
}
