/**
 * Received messages waiting to be delivered, one FIFO queue per key (the
 * engine's key: the link a message came by and its author), served round
 * robin: each turn takes at most `quantum` items from a queue before moving
 * on, so one author's backlog of thousands never sits in front of another
 * author's fresh message (issue 13, defect 11). An item may be charged to a
 * payer's token budget (its author, for a live push) or free (an answer to
 * our own request); a queue whose next item's payer is out of tokens waits
 * for the refill while the others are served. Bounded in items and bytes,
 * per queue and in all: past a bound the biggest queue loses its newest
 * items (the caller forgets them; sync fetches them again). Pure: the caller
 * passes the time.
 *
 *   const q = new FairQueue<string>({ rate: 500, burst: 5000 })
 *   q.push('bob>alice', 'id1', 'hello', { payer: 'alice', now: 0 })
 *   q.take(256, 0) // [{ key: 'bob>alice', item: 'hello' }]
 */

export interface FairLimits {
  /** Charged items an author may have served per second, and saved up. */
  rate: number
  burst: number
  /** Items taken from one author before the next author's turn. */
  quantum?: number
  maxPerKey?: number
  maxBytesPerKey?: number
  maxItems?: number
  maxBytes?: number
}

interface Entry<T> { id: string, item: T, free: boolean, bytes: number, payer: string }
interface Queue<T> { entries: Array<Entry<T>>, head: number, bytes: number }
interface Budget { tokens: number, last: number }

export const QUANTUM = 64

export class FairQueue<T> {
  readonly #limits: Required<FairLimits>
  readonly #queues = new Map<string, Queue<T>>()
  /** Authors with items, in round-robin order; #turn is whose turn is next. */
  #ring: string[] = []
  #turn = 0
  readonly #where = new Map<string, string>()
  readonly #budgets = new Map<string, Budget>()
  #bytes = 0

  constructor (limits: FairLimits) {
    this.#limits = {
      quantum: QUANTUM,
      maxPerKey: 20_000,
      maxBytesPerKey: 16 * 1024 * 1024,
      maxItems: 100_000,
      maxBytes: 64 * 1024 * 1024,
      ...limits
    }
  }

  get size (): number { return this.#where.size }
  get bytes (): number { return this.#bytes }
  has (id: string): boolean { return this.#where.has(id) }
  /** Items waiting for `key`. */
  queued (key: string): number { const q = this.#queues.get(key); return q === undefined ? 0 : q.entries.length - q.head }

  /**
   * Queue an item at the end of its author's queue. Returns the ids dropped
   * to stay within bounds (possibly this one: its author is over its share).
   */
  push (key: string, id: string, item: T, { free = false, bytes = 0, payer = key, now }: { free?: boolean, bytes?: number, payer?: string, now: number }): string[] {
    if (this.#where.has(id)) return []
    const l = this.#limits
    let q = this.#queues.get(key)
    const n = q === undefined ? 0 : q.entries.length - q.head
    if (n + 1 > l.maxPerKey || (q?.bytes ?? 0) + bytes > l.maxBytesPerKey) return [id]
    if (q === undefined) {
      this.#queues.set(key, q = { entries: [], head: 0, bytes: 0 })
      this.#ring.push(key)
    }
    this.#budget(payer, now)
    q.entries.push({ id, item, free, bytes, payer })
    q.bytes += bytes
    this.#bytes += bytes
    this.#where.set(id, key)
    const dropped: string[] = []
    while (this.#where.size > l.maxItems || this.#bytes > l.maxBytes) dropped.push(this.#dropNewestOfBiggest())
    return dropped
  }

  /**
   * Up to `max` items, round robin over the authors that may be served now:
   * at most `quantum` from each per turn, the next call going on from the
   * author after the last one served.
   */
  take (max: number, now: number): Array<{ key: string, item: T }> {
    const out: Array<{ key: string, item: T }> = []
    // Authors passed over in a row because they are out of tokens: once all were, nothing more now.
    let idle = 0
    while (out.length < max && this.#ring.length > 0 && idle < this.#ring.length) {
      this.#turn %= this.#ring.length
      const key = this.#ring[this.#turn]!
      const got = this.#serve(key, Math.min(this.#limits.quantum, max - out.length), now)
      for (const item of got) out.push({ key, item })
      idle = got.length > 0 ? 0 : idle + 1
      // An emptied queue leaves the ring and its follower takes its place (and turn); otherwise the next author's turn.
      if (this.queued(key) === 0) this.#removeKey(key)
      else this.#turn++
    }
    this.#turn = this.#ring.length === 0 ? 0 : this.#turn % this.#ring.length
    return out
  }

  /**
   * The items of `id`'s queue up to and including it, free of charge: what a
   * message ready to deliver depends on. Then more while `more(last taken)`
   * (an unsigned message needs the signed one that vouches for it).
   */
  through (id: string, more: (item: T) => boolean = () => false): T[] {
    const key = this.#where.get(id)
    if (key === undefined) return []
    const q = this.#queues.get(key)!
    const out: T[] = []
    let reached = false
    while (q.head < q.entries.length) {
      if (reached && !more(out[out.length - 1]!)) break
      const e = this.#shift(q)
      out.push(e.item)
      if (e.id === id) reached = true
    }
    if (this.queued(key) === 0) this.#removeKey(key)
    return out
  }

  /** Ms until an author out of tokens may be served again (0: one may be now; undefined: nothing waits). */
  readyIn (now: number): number | undefined {
    let soonest: number | undefined
    for (const key of this.#ring) {
      const q = this.#queues.get(key)!
      const head = q.entries[q.head]
      if (head === undefined) continue
      if (head.free) return 0
      const b = this.#budget(head.payer, now)
      const wait = b.tokens >= 1 ? 0 : Math.ceil((1 - b.tokens) * 1000 / this.#limits.rate)
      if (wait === 0) return 0
      soonest = Math.min(soonest ?? Infinity, wait)
    }
    return soonest
  }

  clear (): void {
    this.#queues.clear()
    this.#ring = []
    this.#turn = 0
    this.#where.clear()
    this.#budgets.clear()
    this.#bytes = 0
  }

  #serve (key: string, max: number, now: number): T[] {
    const q = this.#queues.get(key)!
    const out: T[] = []
    while (out.length < max && q.head < q.entries.length) {
      const e = q.entries[q.head]!
      if (!e.free) {
        const b = this.#budget(e.payer, now)
        if (b.tokens < 1) break
        b.tokens--
      }
      out.push(this.#shift(q).item)
    }
    return out
  }

  #shift (q: Queue<T>): Entry<T> {
    const e = q.entries[q.head++]!
    q.bytes -= e.bytes
    this.#bytes -= e.bytes
    this.#where.delete(e.id)
    // A long queue served from its front: drop the served part now and then, not on every item.
    if (q.head > 1024 && q.head * 2 > q.entries.length) {
      q.entries = q.entries.slice(q.head)
      q.head = 0
    }
    return e
  }

  #removeKey (key: string): void {
    this.#queues.delete(key)
    const i = this.#ring.indexOf(key)
    if (i < 0) return
    this.#ring.splice(i, 1)
    // Whoever's turn was next keeps it.
    if (i < this.#turn) this.#turn--
  }

  /** A payer's budget, refilled for the time since; forgotten only once full again. */
  #budget (key: string, now: number): Budget {
    const { rate, burst } = this.#limits
    let b = this.#budgets.get(key)
    if (b === undefined) {
      if (this.#budgets.size > 10_000) this.#pruneBudgets(now)
      this.#budgets.set(key, b = { tokens: burst, last: now })
    }
    b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.last) * rate / 1000)
    b.last = now
    return b
  }

  #pruneBudgets (now: number): void {
    for (const [key, b] of this.#budgets) {
      if (b.tokens + (now - b.last) * this.#limits.rate / 1000 >= this.#limits.burst) this.#budgets.delete(key)
    }
  }

  #dropNewestOfBiggest (): string {
    let big: string | undefined
    let most = -1
    for (const key of this.#ring) {
      const n = this.queued(key)
      if (n > most) { most = n; big = key }
    }
    const q = this.#queues.get(big!)!
    const e = q.entries.pop()!
    q.bytes -= e.bytes
    this.#bytes -= e.bytes
    this.#where.delete(e.id)
    if (this.queued(big!) === 0) this.#removeKey(big!)
    return e.id
  }
}
