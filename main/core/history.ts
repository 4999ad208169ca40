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

  /** Add many at once (a history loaded from disk): one sort instead of an insert each. */
  insertAll (list: readonly T[]): void {
    const items = this.#items
    const start = items.length
    for (const m of list) items.push(m)
    // The log is in delivery order, which for one author (the common case) is display order already.
    for (let i = Math.max(1, start); i < items.length; i++) {
      if (compareMessages(items[i - 1]!, items[i]!) > 0) {
        items.sort(compareMessages)
        return
      }
    }
  }

  all (): readonly T[] { return this.#items }
}
