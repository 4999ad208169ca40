import type { Frame, Receipt } from '../net/codec.js'
import { MAX_MESSAGES_PER_FRAME } from '../net/constants.js'
import type { Transport } from '../net/transport.js'

/** Most messages whose receipts (and route back) are remembered; older ones are forgotten first. */
export const MAX_TRACKED = 20_000
/**
 * Receipts wait this long and leave together: one frame per peer per tenth
 * of a second instead of one per delivered message, which the sender of a
 * busy room would otherwise pay once per receiver per message.
 */
export const RECEIPT_FLUSH_MS = 100

/** A receipt to send to one peer, or to every connected peer (`to` = EVERYONE). */
export interface Outgoing { receipt: Receipt; to: string }
export const EVERYONE = '*'

/**
 * Delivery receipts: which peer delivered which message, at what Lamport time.
 * They feed "delivered to k of n" and the space-time diagram's arrows.
 *
 * A peer sends its own receipts to every peer it is connected to, and passes
 * a receipt it hears on only back the way the message came (reverse-path
 * forwarding: each peer remembers who handed it each message). So the author
 * hears from every peer that delivered its message, also those it is not
 * connected to, and every peer hears of its neighbours' deliveries — in a LAN
 * where everyone is connected to everyone, that is all of them. Each peer
 * sends O(neighbours) receipts per message; flooding every receipt on to
 * everyone cost O(peers²) per message and missed the fan-out target
 * (BENCHMARKS.md). Receipts are live information: not signed, not stored; one
 * whose route is gone (the peer left, or the message was forgotten) goes no further.
 */
/**
 * A map that forgets its oldest key once it holds `max`. Evicts through a
 * ring of keys: `map.keys().next()` after many deletes walks over every
 * deleted slot first, which made 100k receipts quadratic (BENCHMARKS.md).
 */
class BoundedMap<V> {
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
  readonly #byMessage = new BoundedMap<Receipt[]>(MAX_TRACKED)
  /** Message id → the peer that handed it to us. */
  readonly #route = new BoundedMap<string>(MAX_TRACKED)
  #outbox: Outgoing[] = []
  #timer: NodeJS.Timeout | undefined

  /** `kept` hears every new receipt (the store keeps them across restarts). */
  constructor (private readonly flush: (out: Outgoing[]) => void, private readonly kept: (r: Receipt) => void = () => {}) {}

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
    list.push(r)
    return true
  }

  /** Remember that `via` handed us message `id`: receipts for it go back there. */
  routeVia (id: string, via: string): void {
    if (via !== '') this.#route.set(id, via)
  }

  /**
   * Queue our own receipt (`from` = '') to every neighbour, or one we heard
   * from peer `from` back towards the message's author (never back to `from`).
   * Those queued leave together every RECEIPT_FLUSH_MS.
   */
  announce (r: Receipt, from = ''): void {
    const to = from === '' ? EVERYONE : this.#route.get(r.id)
    if (to === undefined || to === from) return
    this.#outbox.push({ receipt: r, to })
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const out = this.#outbox
      this.#outbox = []
      if (out.length > 0) this.flush(out)
    }, RECEIPT_FLUSH_MS)
    this.#timer.unref()
  }

  /** Drop what is queued (on stop). */
  clear (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#outbox = []
  }

  of (id: string): Receipt[] {
    return [...(this.#byMessage.get(id) ?? [])]
  }
}

/** Send queued receipts, one frame per peer. */
export function sendReceipts (chat: Transport<Frame>, out: Outgoing[]): void {
  const everyone: Receipt[] = []
  const byPeer = new Map<string, Receipt[]>()
  for (const { receipt, to } of out) {
    if (to === EVERYONE) { everyone.push(receipt); continue }
    let list = byPeer.get(to)
    if (list === undefined) byPeer.set(to, list = [])
    list.push(receipt)
  }
  if (everyone.length > 0) {
    for (const peerId of chat.connectedPeers()) byPeer.set(peerId, [...everyone, ...(byPeer.get(peerId) ?? [])])
  }
  for (const [peerId, receipts] of byPeer) {
    for (let i = 0; i < receipts.length; i += MAX_MESSAGES_PER_FRAME) {
      chat.send(peerId, { type: 'receipts', receipts: receipts.slice(i, i + MAX_MESSAGES_PER_FRAME) })
    }
  }
}
