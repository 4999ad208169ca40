import type { ChatMessage } from '../core/message.js'

/** Most unsigned messages kept waiting for their signed successor. */
export const MAX_UNVERIFIED = 8_192
/** And at most this many bytes of text among them (a 64 KiB text each would be 512 MiB), a private message's sealed bytes counted. */
export const MAX_UNVERIFIED_BYTES = 16 * 1024 * 1024
/** One not vouched for within this long is dropped (a peer re-sends it with its head on the next sync). */
export const UNVERIFIED_TTL_MS = 60_000

export interface Waiting { message: ChatMessage, via: string, hops: number, at: number }

/**
 * Unsigned messages whose signed successor has not arrived yet (an author
 * signs only the newest message of a burst; a sync answer cut into frames can
 * put a run's head in the next frame). They are not delivered, not relayed,
 * not stored: they only wait here, bounded in count, bytes and time, oldest
 * dropped first, until a verified message links to them through `prev`. A
 * forged one (its id is the hash of what was sent, so no genuine successor
 * names it) just waits until it is dropped. A dropped genuine one is fetched
 * again: its successor, once delivered or held back, makes the engine ask.
 */
export class UnverifiedBuffer {
  readonly #items = new Map<string, Waiting>()
  /**
   * Ids in arrival order, from #head on (some already taken out). A queue of
   * our own: iterating a Map from the start after many deletes walks every
   * deleted slot, which a flood would turn quadratic.
   */
  #order: string[] = []
  #head = 0
  #bytes = 0

  get size (): number { return this.#items.size }
  get bytes (): number { return this.#bytes }
  has (id: string): boolean { return this.#items.has(id) }

  add (message: ChatMessage, via: string, hops: number, now = Date.now()): void {
    if (this.#items.has(message.id)) return
    this.#items.set(message.id, { message, via, hops, at: now })
    this.#order.push(message.id)
    this.#bytes += heldBytes(message)
    // Ids taken out by takeChain stay in the queue: squeeze them out before it outgrows the map.
    if (this.#order.length - this.#head > 2 * this.#items.size + 1024) {
      this.#order = this.#order.slice(this.#head).filter(id => this.#items.has(id))
      this.#head = 0
    }
    while (this.#items.size > MAX_UNVERIFIED || this.#bytes > MAX_UNVERIFIED_BYTES) this.#dropOldest()
  }

  /** The oldest entry still here, skipping ids taken out since. */
  #oldest (): Waiting | undefined {
    while (this.#head < this.#order.length) {
      const w = this.#items.get(this.#order[this.#head]!)
      if (w !== undefined) return w
      this.#head++
    }
    return undefined
  }

  #dropOldest (): void {
    const w = this.#oldest()
    if (w !== undefined) this.#remove(w.message.id, w)
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head)
      this.#head = 0
    }
  }

  /**
   * `m` was verified: take out the unsigned messages it vouches for, its
   * author's chain back from `m.prev` as far as it is here, oldest first.
   */
  takeChain (m: ChatMessage): Waiting[] {
    const chain: Waiting[] = []
    for (let w = this.#items.get(m.prev); w !== undefined && w.message.author === m.author; w = this.#items.get(w.message.prev)) {
      this.#remove(w.message.id, w)
      chain.push(w)
    }
    return chain.reverse()
  }

  /** Drop what waited longer than UNVERIFIED_TTL_MS. */
  expire (now = Date.now()): number {
    let n = 0
    for (let w = this.#oldest(); w !== undefined && now - w.at >= UNVERIFIED_TTL_MS; w = this.#oldest()) {
      this.#dropOldest()
      n++
    }
    return n
  }

  clear (): void {
    this.#items.clear()
    this.#order = []
    this.#head = 0
    this.#bytes = 0
  }

  #remove (id: string, w: Waiting): void {
    this.#items.delete(id)
    this.#bytes -= heldBytes(w.message)
  }
}

/** What a waiting message holds: its text, or a private one's sealed bytes (no text on the wire, up to 64 KiB padded). */
const heldBytes = (m: ChatMessage): number => m.text.length + (m.sealed?.byteLength ?? 0)
