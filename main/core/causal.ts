import { checkClockJump } from './clock.js'
import { HeldBack, LOCAL } from './held.js'
import { MAX_DEPS } from './limits.js'
import { compareMessages, type ChatMessage } from './message.js'

/** Per author, the highest sequence number delivered without gaps. */
export type VersionVector = Map<string, number>

export interface AddResult {
  /** Messages that became deliverable, in a causal order (dependencies first). */
  delivered: ChatMessage[]
  /** Messages refused, with why (bad clock, equivocation, refused dependency). */
  rejected: Array<{ message: ChatMessage; reason: string }>
  /**
   * Held-back messages let go for lack of room (the new one, or the
   * offender's entries evicted for it): forgotten, not refused, so they can
   * come again.
   */
  dropped: ChatMessage[]
  /** False when the message was already known (a duplicate). */
  isNew: boolean
}

const NONE: readonly string[] = Object.freeze([])

export { MAX_HELD, MAX_HELD_PER_AUTHOR, MAX_HELD_PER_PEER } from './held.js'

/**
 * Causal delivery (hold-back queue) and the delivered log it feeds.
 *
 * A message is delivered only after its author's previous message and every
 * message in `deps`. Until then it is held; `missing()` names what to fetch.
 * Delivered messages are kept per author in `seq` order, so catch-up is a walk
 * from the requester's version vector: its cost grows with what is missing,
 * not with the history.
 */
export class CausalLog {
  readonly #delivered = new Map<string, ChatMessage>()
  readonly #byAuthor = new Map<string, ChatMessage[]>()
  readonly #held = new HeldBack()
  /** Missing id → ids of held messages waiting for it. */
  readonly #waiting = new Map<string, Set<string>>()
  readonly #rejected = new Set<string>()
  readonly #heads = new Set<string>()
  #maxLamport = 0

  get size (): number { return this.#delivered.size }
  get heldCount (): number { return this.#held.size }
  get maxLamport (): number { return this.#maxLamport }

  has (id: string): boolean { return this.#delivered.has(id) || this.#held.has(id) }
  isDelivered (id: string): boolean { return this.#delivered.has(id) }
  get (id: string): ChatMessage | undefined { return this.#delivered.get(id) ?? this.#held.get(id) }

  vector (): VersionVector {
    const v: VersionVector = new Map()
    for (const [author, list] of this.#byAuthor) v.set(author, list.length)
    return v
  }

  /**
   * A held-back message whose chain predecessor is `id` (it waits for it).
   * It was verified before it was taken in, so it vouches for `id`.
   */
  heldSuccessor (id: string): ChatMessage | undefined {
    for (const w of this.#waiting.get(id) ?? []) {
      const h = this.#held.get(w)
      if (h?.prev === id) return h
    }
    return undefined
  }

  /** The next message of `m`'s author that we have, delivered or held back. */
  successor (m: ChatMessage): ChatMessage | undefined {
    const next = this.#byAuthor.get(m.author)?.[m.seq]
    return next?.prev === m.id ? next : this.heldSuccessor(m.id)
  }

  /** The author's latest delivered message, if any. */
  last (author: string): ChatMessage | undefined {
    const list = this.#byAuthor.get(author)
    return list?.[list.length - 1]
  }

  /**
   * Dependencies for a new message by `author`: the current heads minus the
   * author's own previous message, newest first, at most MAX_DEPS.
   */
  depsFor (author: string): string[] {
    const prev = this.last(author)?.id
    return [...this.#heads]
      .filter(id => id !== prev)
      .map(id => this.#delivered.get(id)!)
      .sort((a, b) => compareMessages(b, a))
      .slice(0, MAX_DEPS)
      .map(m => m.id)
  }

  /** Ids that held messages wait for and nobody has given us yet. */
  missing (): string[] {
    return [...this.#waiting.keys()].filter(id => !this.has(id))
  }

  /**
   * Take in a message whose shape and signature were already checked, sent
   * to us by peer `from` (LOCAL: our own, or our log's). Returns what became
   * deliverable; never throws for a bad peer's message. Only a message that
   * must wait counts against the hold-back quotas: one deliverable now (our
   * own always is) goes in however full the queue is.
   */
  add (message: ChatMessage, from = LOCAL): AddResult {
    const result: AddResult = { delivered: [], rejected: [], dropped: [], isNew: false }
    if (this.has(message.id) || this.#rejected.has(message.id)) return result
    result.isNew = true
    const clash = this.#byAuthor.get(message.author)?.[message.seq - 1]
    if (clash !== undefined) {
      this.#reject(message, `equivocation: ${message.author} already sent seq ${message.seq}`, result)
      return result
    }
    if (this.#blockers(message).length > 0) {
      const evict = this.#held.room(from, message.author)
      if (evict === undefined) {
        result.dropped.push(message)
        return result
      }
      for (const id of evict) this.#evict(id, result)
    }
    this.#held.set(message, from)
    this.#tryDeliver(message, result)
    return result
  }

  /** Let a held message go for room: forgotten, so a later copy is taken in afresh. */
  #evict (id: string, result: AddResult): void {
    const m = this.#held.get(id)
    if (m === undefined) return
    this.#held.delete(id)
    for (const b of this.#blockers(m)) {
      const set = this.#waiting.get(b)
      set?.delete(id)
      if (set?.size === 0) this.#waiting.delete(b)
    }
    result.dropped.push(m)
  }

  /**
   * Re-deliver a message from this peer's own log at start. The log is in
   * delivery order, so its chain predecessor and dependencies are normally
   * delivered already: then it goes straight in, with none of the hold-back
   * bookkeeping. Returns false (and does nothing) otherwise, and the caller
   * takes the ordinary path through add().
   */
  restore (m: ChatMessage): boolean {
    if (this.#delivered.has(m.id) || this.#held.size > 0) return false
    const list = this.#byAuthor.get(m.author)
    const last = list?.[list.length - 1]
    if ((list?.length ?? 0) !== m.seq - 1 || (m.prev === '' ? last !== undefined : last?.id !== m.prev)) return false
    for (const d of m.deps) if (!this.#delivered.has(d)) return false
    this.#deliver(m)
    return true
  }

  /**
   * Messages the holder of `remote` lacks, in Lamport order (so dependencies
   * come first). streamMissing produces them one at a time, a merge of the
   * authors' lists: a catch-up of 100k messages never builds (and sorts) a
   * 100k array, and its cost grows with what is sent, not with the history.
   */
  missingFor (remote: VersionVector): ChatMessage[] {
    return [...this.streamMissing(remote)]
  }

  /** missingFor, one message at a time (what a sync answer uses). */
  * streamMissing (remote: VersionVector): Generator<ChatMessage> {
    const heap: Array<{ list: ChatMessage[], i: number }> = []
    for (const [author, list] of this.#byAuthor) {
      const have = remote.get(author) ?? 0
      if (have < list.length) heap.push({ list, i: have })
    }
    const less = (a: number, b: number): boolean => compareMessages(heap[a]!.list[heap[a]!.i]!, heap[b]!.list[heap[b]!.i]!) < 0
    const down = (at: number): void => {
      for (;;) {
        const l = 2 * at + 1
        const r = l + 1
        let min = at
        if (l < heap.length && less(l, min)) min = l
        if (r < heap.length && less(r, min)) min = r
        if (min === at) return
        const t = heap[at]!
        heap[at] = heap[min]!
        heap[min] = t
        at = min
      }
    }
    for (let k = (heap.length >> 1) - 1; k >= 0; k--) down(k)
    while (heap.length > 0) {
      const top = heap[0]!
      yield top.list[top.i++]!
      if (top.i >= top.list.length) {
        heap[0] = heap[heap.length - 1]!
        heap.pop()
      }
      if (heap.length > 0) down(0)
    }
  }

  /** What `m` still waits for; the shared empty list when nothing (the common case allocates nothing). */
  #blockers (m: ChatMessage): readonly string[] {
    let out: string[] | undefined
    if (m.prev !== '' && !this.#delivered.has(m.prev)) out = [m.prev]
    for (const d of m.deps) if (!this.#delivered.has(d)) (out ??= []).push(d)
    return out ?? NONE
  }

  #tryDeliver (first: ChatMessage, result: AddResult): void {
    const queue = [first]
    for (let q = 0; q < queue.length; q++) {
      const m = queue[q]!
      if (!this.#held.has(m.id)) continue
      const blockers = this.#blockers(m)
      if (blockers.length > 0) {
        for (const id of blockers) {
          if (this.#rejected.has(id)) {
            this.#reject(m, `depends on refused message ${id.slice(0, 12)}`, result)
            break
          }
          let set = this.#waiting.get(id)
          if (set === undefined) this.#waiting.set(id, set = new Set())
          set.add(m.id)
        }
        continue
      }
      const reason = this.#refusal(m)
      if (reason !== undefined) {
        this.#reject(m, reason, result)
        continue
      }
      this.#deliver(m)
      result.delivered.push(m)
      const waiters = this.#waiting.get(m.id)
      if (waiters !== undefined) {
        this.#waiting.delete(m.id)
        for (const id of waiters) {
          const w = this.#held.get(id)
          if (w !== undefined) queue.push(w)
        }
      }
    }
  }

  #refusal (m: ChatMessage): string | undefined {
    const list = this.#byAuthor.get(m.author) ?? []
    if (list.length !== m.seq - 1) return `gap: ${m.author} seq ${m.seq} after ${list.length}`
    if (m.prev !== '' && list[list.length - 1]?.id !== m.prev) return 'prev is not the author\'s previous message'
    let pastMax = m.prev === '' ? 0 : this.#delivered.get(m.prev)!.lamport
    for (const id of m.deps) pastMax = Math.max(pastMax, this.#delivered.get(id)!.lamport)
    try {
      checkClockJump(m.lamport, pastMax)
    } catch (err) {
      return (err as Error).message
    }
    if (m.replyTo !== undefined && !this.#delivered.has(m.replyTo)) return 'replyTo is unknown'
    return undefined
  }

  #deliver (m: ChatMessage): void {
    this.#held.delete(m.id)
    this.#delivered.set(m.id, m)
    let list = this.#byAuthor.get(m.author)
    if (list === undefined) this.#byAuthor.set(m.author, list = [])
    // Share the id strings of what it points to (equal by value): a 100k
    // history otherwise keeps every id twice, once as a later message's prev.
    if (m.prev !== '') m.prev = list[list.length - 1]!.id
    for (let i = 0; i < m.deps.length; i++) m.deps[i] = this.#delivered.get(m.deps[i]!)!.id
    list.push(m)
    if (m.prev !== '') this.#heads.delete(m.prev)
    for (const d of m.deps) this.#heads.delete(d)
    this.#heads.add(m.id)
    if (m.lamport > this.#maxLamport) this.#maxLamport = m.lamport
  }

  #reject (m: ChatMessage, reason: string, result: AddResult): void {
    const queue: Array<[ChatMessage, string]> = [[m, reason]]
    while (queue.length > 0) {
      const [r, why] = queue.shift()!
      this.#held.delete(r.id)
      this.#rejected.add(r.id)
      result.rejected.push({ message: r, reason: why })
      const waiters = this.#waiting.get(r.id)
      this.#waiting.delete(r.id)
      for (const id of waiters ?? []) {
        const w = this.#held.get(id)
        if (w !== undefined) queue.push([w, `depends on refused message ${r.id.slice(0, 12)}`])
      }
    }
  }
}

