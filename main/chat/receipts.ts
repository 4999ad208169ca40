import type { Receipt } from '../net/codec.js'

/** Most messages whose receipts are remembered; older ones are forgotten first. */
export const MAX_TRACKED = 20_000

/**
 * Delivery receipts: which peer delivered which message, at what Lamport time.
 * They feed "delivered to k of n" and the space-time diagram's arrows. Each
 * peer floods its own receipts (batched per tick) and passes on those it has
 * not seen, so an author learns about peers it is not connected to.
 * Receipts are live information: not signed, not stored.
 */
export class Receipts {
  readonly #byMessage = new Map<string, Map<string, Receipt>>()
  #outbox: Receipt[] = []
  #scheduled = false

  constructor (private readonly flush: (receipts: Receipt[]) => void) {}

  /** Record a receipt; true when it is new (and so worth passing on). */
  record (r: Receipt): boolean {
    let by = this.#byMessage.get(r.id)
    if (by === undefined) {
      if (this.#byMessage.size >= MAX_TRACKED) {
        const oldest = this.#byMessage.keys().next().value
        if (oldest !== undefined) this.#byMessage.delete(oldest)
      }
      this.#byMessage.set(r.id, by = new Map())
    }
    if (by.has(r.by)) return false
    by.set(r.by, r)
    return true
  }

  /** Queue a receipt to send; all queued in one tick leave in one frame. */
  announce (r: Receipt): void {
    this.#outbox.push(r)
    if (this.#scheduled) return
    this.#scheduled = true
    queueMicrotask(() => {
      this.#scheduled = false
      const out = this.#outbox
      this.#outbox = []
      if (out.length > 0) this.flush(out)
    })
  }

  of (id: string): Receipt[] {
    return [...(this.#byMessage.get(id)?.values() ?? [])]
  }
}
