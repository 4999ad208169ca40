import { compareMessages } from './message.js'

interface Ordered { id: string; lamport: number; author: string }

/**
 * One room's messages in display order, (lamport, author). A message that
 * arrives late is inserted in its place; most arrive last and are appended.
 */
export class RoomHistory<T extends Ordered> {
  readonly #items: T[] = []

  get length (): number { return this.#items.length }

  /** Inserts and returns the index the message landed at. */
  insert (m: T): number {
    const items = this.#items
    let lo = 0
    let hi = items.length
    if (hi === 0 || compareMessages(items[hi - 1]!, m) < 0) {
      items.push(m)
      return hi
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareMessages(items[mid]!, m) < 0) lo = mid + 1
      else hi = mid
    }
    items.splice(lo, 0, m)
    return lo
  }

  all (): readonly T[] { return this.#items }

  /** The last `n` messages (for a first paint before the rest loads). */
  tail (n: number): T[] { return this.#items.slice(Math.max(0, this.#items.length - n)) }
}
