import type { Receipt } from '../net/codec.js'
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

/** A receipt to send to one peer. */
export interface Outgoing { receipt: Receipt; to: string }

/**
 * Delivery receipts: which peer delivered which message, at what Lamport time.
 * They feed "delivered to k of n" and the space-time diagram's arrows.
 *
 * A receipt travels back the way its message came (reverse-path forwarding):
 * each peer remembers who handed it each message and sends the receipts it
 * makes or receives for that message to that peer only. So the author hears
 * from peers it is not connected to, and every relay on the way learns about
 * the peers downstream of it, at O(peers) receipts per message. Flooding them
 * to everyone cost O(peers²) and tripled fan-out latency to 20 peers
 * (BENCHMARKS.md). Receipts are live information: not signed, not stored; one
 * whose route is gone (the peer left, or the message was forgotten) is dropped.
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

  constructor (private readonly flush: (out: Outgoing[]) => void) {}

  /** Record a receipt; true when it is new (and so worth passing on). */
  record (r: Receipt): boolean {
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
   * Queue a receipt back towards the message's author (`from`: the peer that
   * told us, never sent it back). Those queued leave together every RECEIPT_FLUSH_MS.
   */
  announce (r: Receipt, from = ''): void {
    const to = this.#route.get(r.id)
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
export function sendReceipts (chat: Transport, out: Outgoing[]): void {
  const byPeer = new Map<string, Receipt[]>()
  for (const { receipt, to } of out) {
    let list = byPeer.get(to)
    if (list === undefined) byPeer.set(to, list = [])
    list.push(receipt)
  }
  for (const [peerId, receipts] of byPeer) {
    for (let i = 0; i < receipts.length; i += MAX_MESSAGES_PER_FRAME) {
      chat.send(peerId, { type: 'receipts', receipts: receipts.slice(i, i + MAX_MESSAGES_PER_FRAME) })
    }
  }
}
