import { checkClockJump } from './clock.js'
import { HeldBack, LOCAL } from './held.js'
import { MAX_DEPS } from './limits.js'
import { EMPTY_INDEX, type DeliveredIndex } from './delivered.js'
import { forkStateOf, HEAD_CHARS, MAX_FORK_ENTRIES, sendFrom, xorIds, type ForkDigests, type ForkState, type HeadIds } from './forks.js'
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
  /** Authors found forked by what was delivered (or forked lower down than known): the owner records it. */
  forked: Array<{ author: string, floor: number }>
}

const NONE: readonly string[] = Object.freeze([])

export { MAX_HELD, MAX_HELD_PER_AUTHOR, MAX_HELD_PER_PEER } from './held.js'

/** What the log keeps of an author's newest delivered message. */
export interface AuthorLast { id: string; seq: number; lamport: number }

/** A head of the delivered history: a message nothing delivered after it depends on yet. */
interface Head { id: string; author: string; lamport: number }

/** Refused ids remembered (so a refused message is not taken in again); the oldest are forgotten past this. */
export const MAX_REFUSED = 10_000
/** Deliveries whose authors the log remembers for summaries kept up to date (changedSince). */
export const MAX_JOURNAL = 8192

/** Heads taken from the index when the log is made: more than a message may name (MAX_DEPS). */
const MAX_HEADS_AT_OPEN = 4 * MAX_DEPS

/**
 * Causal delivery (hold-back queue) over the delivered history.
 *
 * A message is delivered only after its author's previous message and every
 * message in `deps`. Until then it is held; `missing()` names what to fetch.
 *
 * Memory holds what deciding needs: each author's newest message (the
 * version vector), the heads, the hold-back queue, and the newest delivered
 * messages. Older delivered messages are in the DeliveredIndex (the
 * database): the owner commits what is delivered, then calls `trim()` to let
 * the log forget it. Catch-up is a walk of each author's messages from the
 * requester's vector, read from the index a chunk at a time: its cost grows
 * with what is missing, and its memory with neither.
 */
export class CausalLog {
  readonly #index: DeliveredIndex
  /** Delivered messages not yet trimmed, in delivery order (the uncommitted ones among them). */
  readonly #recent = new Map<string, ChatMessage>()
  /** The same per author: the tail of each author's chain, in `seq` order. */
  readonly #recentByAuthor = new Map<string, ChatMessage[]>()
  readonly #last = new Map<string, AuthorLast>()
  readonly #held = new HeldBack()
  /** Missing id → ids of held messages waiting for it. */
  readonly #waiting = new Map<string, Set<string>>()
  readonly #rejected = new Set<string>()
  readonly #heads = new Map<string, Head>()
  /** Forked authors (two messages with one number): every branch is kept, and sync compares these. */
  readonly #forks = new Map<string, ForkState>()
  #maxLamport = 0
  #version = 0
  /** The author of each of the latest deliveries, oldest first: `#journal[i]` is delivery number `#journalBase + i + 1`. */
  #journal: string[] = []
  #journalBase = 0

  constructor (index: DeliveredIndex = EMPTY_INDEX) {
    this.#index = index
    const lasts = [...index.lasts()]
    const named = new Set<string>()
    for (const m of lasts) {
      this.#last.set(m.author, { id: m.id, seq: m.seq, lamport: m.lamport })
      if (m.lamport > this.#maxLamport) this.#maxLamport = m.lamport
      for (const d of m.deps) named.add(d)
    }
    // Heads: authors' newest messages that no other newest message names. A
    // head depended on by an older message stays in (harmless: an extra,
    // delivered dependency); only the newest are kept, as only they are named.
    lasts.filter(m => !named.has(m.id)).sort((a, b) => compareMessages(b, a)).slice(0, MAX_HEADS_AT_OPEN)
      .forEach(m => this.#heads.set(m.id, { id: m.id, author: m.author, lamport: m.lamport }))
    for (const [author, floor] of index.forks()) this.#forks.set(author, forkStateOf(floor, index.idsOf(author)))
  }

  isForked (author: string): boolean { return this.#forks.has(author) }
  forkedAuthors (): string[] { return [...this.#forks.keys()] }

  /** What our sync says of each author's newest message. */
  headIds (): HeadIds {
    const out: HeadIds = new Map()
    for (const [author, last] of this.#last) out.set(author, last.id.slice(0, HEAD_CHARS))
    return out
  }

  /** A forked author's state (undefined: not forked). */
  forkOf (author: string): ForkState | undefined { return this.#forks.get(author) }

  /**
   * The authors of the deliveries after `version` (the `version` a summary
   * was made at), oldest first, repeats included: what a summary kept up to
   * date needs to look at again. Undefined when that is further back than
   * the log remembers (MAX_JOURNAL deliveries): look at every author.
   */
  changedSince (version: number): readonly string[] | undefined {
    if (version < this.#journalBase || version > this.#version) return undefined
    return this.#journal.slice(version - this.#journalBase)
  }

  /** What our sync says of forked authors (the first MAX_FORK_ENTRIES). */
  forkDigests (): ForkDigests {
    return new Map([...this.#forks].slice(0, MAX_FORK_ENTRIES))
  }

  /** Delivered messages (each author's chain has no gaps, so its length is its newest number). */
  get size (): number {
    let n = 0
    for (const l of this.#last.values()) n += l.seq
    return n
  }

  /** Counts deliveries: what a cached summary of the state (a digest) is checked against. */
  get version (): number { return this.#version }
  get heldCount (): number { return this.#held.size }
  /** Delivered messages still in memory. */
  get recentCount (): number { return this.#recent.size }
  get maxLamport (): number { return this.#maxLamport }

  has (id: string): boolean { return this.#held.has(id) || this.isDelivered(id) }
  isDelivered (id: string): boolean { return this.#recent.has(id) || this.#index.lamportOf(id) !== undefined }
  /** Held back, waiting for what it depends on. */
  isHeld (id: string): boolean { return this.#held.has(id) }

  /**
   * has(m.id), without asking the index for a message that cannot be there:
   * every delivered message of an author is numbered at most its newest
   * (over all its branches), so a higher number is new. That is every message
   * of a catch-up, which otherwise paid a database look-up each to learn so.
   */
  knows (m: ChatMessage): boolean {
    if (this.#held.has(m.id) || this.#recent.has(m.id)) return true
    const last = this.#last.get(m.author)
    if (last === undefined || m.seq > last.seq) return false
    return this.#index.lamportOf(m.id) !== undefined
  }
  get (id: string): ChatMessage | undefined { return this.#recent.get(id) ?? this.#held.get(id) ?? this.#index.get(id) }

  vector (): VersionVector {
    const v: VersionVector = new Map()
    for (const [author, last] of this.#last) v.set(author, last.seq)
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
    const next = this.#forks.has(m.author)
      ? this.#range(m.author, m.seq, m.seq + 1).find(n => n.prev === m.id)
      : this.#at(m.author, m.seq + 1)
    return next?.prev === m.id ? next : this.heldSuccessor(m.id)
  }

  /** The author's newest delivered message, if any. */
  last (author: string): AuthorLast | undefined {
    return this.#last.get(author)
  }

  /**
   * Dependencies for a new message by `author`: the current heads minus the
   * author's own previous message, newest first, at most MAX_DEPS.
   */
  depsFor (author: string): string[] {
    const prev = this.last(author)?.id
    return [...this.#heads.values()]
      .filter(h => h.id !== prev)
      .sort((a, b) => b.lamport - a.lamport || (b.author < a.author ? -1 : b.author > a.author ? 1 : 0))
      .slice(0, MAX_DEPS)
      .map(h => h.id)
  }

  /** Ids that held messages wait for and nobody has given us yet. */
  missing (): string[] {
    return [...this.#waiting.keys()].filter(id => !this.has(id))
  }

  /**
   * Forget delivered messages beyond the newest `keep`: the owner calls it
   * once what was delivered is committed to the index (never before: the log
   * would then lose what it forgot).
   */
  trim (keep: number): void {
    let over = this.#recent.size - keep
    if (over <= 0) return
    for (const [id, m] of this.#recent) {
      if (over-- <= 0) break
      this.#recent.delete(id)
      const list = this.#recentByAuthor.get(m.author)!
      // Delivery order is each author's order: the oldest in memory is the head of its list.
      list.shift()
      if (list.length === 0) this.#recentByAuthor.delete(m.author)
    }
  }

  /** The author's message `seq`, from memory or the index. */
  #at (author: string, seq: number): ChatMessage | undefined {
    const list = this.#recentByAuthor.get(author)
    const first = list?.[0]?.seq ?? Infinity
    return seq >= first ? list![seq - first] : this.#index.at(author, seq)
  }

  /** Up to `limit` of the author's messages after `after`, from the index and then memory. */
  #after (author: string, after: number, limit: number): ChatMessage[] {
    const list = this.#recentByAuthor.get(author)
    const first = list?.[0]?.seq ?? Infinity
    if (after + 1 >= first) return list!.slice(after + 1 - first, after + 1 - first + limit)
    const stored = this.#index.after(author, after, Math.min(limit, first - 1 - after))
    // Nothing stored (a commit that failed): go on with what memory has.
    return stored.length > 0 || list === undefined ? stored : list.slice(0, limit)
  }

  /** A forked author's messages numbered in (after, upTo], every branch, from the index and memory, in Lamport order. */
  #range (author: string, after: number, upTo: number): ChatMessage[] {
    const out = new Map<string, ChatMessage>()
    for (const m of this.#index.between(author, after, upTo)) out.set(m.id, m)
    for (const m of this.#recentByAuthor.get(author) ?? []) if (m.seq > after && m.seq <= upTo) out.set(m.id, m)
    return [...out.values()].sort(compareMessages)
  }

  /** Every id of an author's messages we have (when it is found forked). */
  #idsOf (author: string): Set<string> {
    const ids = new Set(this.#index.idsOf(author))
    for (const m of this.#recentByAuthor.get(author) ?? []) ids.add(m.id)
    return ids
  }

  #lamportOf (id: string): number | undefined {
    return this.#recent.get(id)?.lamport ?? this.#index.lamportOf(id)
  }

  /**
   * Take in a message whose shape and signature were already checked, sent
   * to us by peer `from` (LOCAL: our own, or our log's). Returns what became
   * deliverable; never throws for a bad peer's message. Only a message that
   * must wait counts against the hold-back quotas: one deliverable now (our
   * own always is) goes in however full the queue is.
   */
  add (message: ChatMessage, from = LOCAL): AddResult {
    const result: AddResult = { delivered: [], rejected: [], dropped: [], isNew: false, forked: [] }
    if (this.knows(message) || this.#rejected.has(message.id)) return result
    result.isNew = true
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
    this.#unwait(m)
    result.dropped.push(m)
  }

  /** A held message that goes (dropped or refused) no longer waits for what it lacked: `missing()` stops asking for it. */
  #unwait (m: ChatMessage): void {
    for (const b of this.#blockers(m)) {
      const set = this.#waiting.get(b)
      set?.delete(m.id)
      if (set?.size === 0) this.#waiting.delete(b)
    }
  }

  /**
   * Messages the holder of `remote` lacks, in Lamport order (so dependencies
   * come first). streamMissing produces them one at a time, a merge of the
   * authors' lists: a catch-up of 100k messages never builds (and sorts) a
   * 100k array, and its cost grows with what is sent, not with the history.
   */
  missingFor (remote: VersionVector, remoteForks?: ForkDigests, remoteHeads?: HeadIds): ChatMessage[] {
    return [...this.streamMissing(remote, remoteForks, remoteHeads)]
  }

  /**
   * missingFor, one message at a time (what a sync answer uses): each
   * author's messages are read from the index a chunk at a time, so memory
   * holds a chunk per author, never the whole answer. `only`: the authors the
   * remote vector speaks of (a vector for some buckets: the others are not
   * missing, just not spoken of).
   */
  * streamMissing (remote: VersionVector, remoteForks: ForkDigests = new Map(), remoteHeads: HeadIds = new Map(), only?: (author: string) => boolean): Generator<ChatMessage> {
    const gaps: Array<[string, number]> = []
    for (const [author, last] of this.#last) {
      if (only !== undefined && !only(author)) continue
      const heads = { ours: last.id, theirs: remoteHeads.get(author), seq: last.seq }
      const have = sendFrom(remote.get(author) ?? 0, this.#forks.get(author), remoteForks.get(author), heads)
      if (have < last.seq) gaps.push([author, have])
    }
    const chunk = Math.max(8, Math.min(512, Math.floor(8192 / Math.max(1, gaps.length))))
    // A chunk of an author: its next `chunk` numbers (every branch of a forked author), and where it ends.
    const next = (author: string, after: number): { list: ChatMessage[], upTo: number } => {
      if (!this.#forks.has(author)) {
        const list = this.#after(author, after, chunk)
        return { list, upTo: list[list.length - 1]?.seq ?? after }
      }
      const upTo = after + chunk
      return { list: this.#range(author, after, upTo), upTo }
    }
    const heap: Array<{ author: string, list: ChatMessage[], i: number, upTo: number }> = []
    for (const [author, have] of gaps) {
      const { list, upTo } = next(author, have)
      if (list.length > 0) heap.push({ author, list, i: 0, upTo })
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
      const m = top.list[top.i++]!
      yield m
      if (top.i >= top.list.length) {
        // The next chunk of this author, read after the consumer had the last one (it may have waited meanwhile).
        const more = top.upTo < (this.#last.get(top.author)?.seq ?? 0) ? next(top.author, top.upTo) : { list: [], upTo: top.upTo }
        top.list = more.list
        top.upTo = more.upTo
        top.i = 0
        if (top.list.length === 0) {
          heap[0] = heap[heap.length - 1]!
          heap.pop()
        }
      }
      if (heap.length > 0) down(0)
    }
  }

  /** What `m` still waits for; the shared empty list when nothing (the common case allocates nothing). */
  #blockers (m: ChatMessage): readonly string[] {
    let out: string[] | undefined
    if (m.prev !== '' && this.#last.get(m.author)?.id !== m.prev && !this.isDelivered(m.prev)) out = [m.prev]
    for (const d of m.deps) if (!this.isDelivered(d)) (out ??= []).push(d)
    return out ?? NONE
  }

  #tryDeliver (first: ChatMessage, result: AddResult): void {
    const queue = [first]
    for (let q = 0; q < queue.length; q++) {
      const m = queue[q]!
      if (!this.#held.has(m.id)) continue
      const blockers = this.#blockers(m)
      if (blockers.length > 0) {
        // One refused dependency refuses it, before it is listed as waiting for any of the others.
        const refused = blockers.find(id => this.#rejected.has(id))
        if (refused !== undefined) {
          this.#reject(m, `depends on refused message ${refused.slice(0, 12)}`, result)
          continue
        }
        for (const id of blockers) {
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
      this.#deliver(m, result)
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
    const last = this.#last.get(m.author)
    let pastMax = 0
    if (m.prev === '') {
      if (m.seq !== 1) return `gap: ${m.author} seq ${m.seq} names no previous message`
    } else if (last?.id === m.prev) {
      if (last.seq !== m.seq - 1) return `gap: ${m.author} seq ${m.seq} after ${last.seq}`
      pastMax = last.lamport
    } else {
      // Not the author's newest: a branch of a fork, built on an older message of the same author.
      const p = this.#recent.get(m.prev) ?? this.#index.get(m.prev)
      if (p === undefined || p.author !== m.author || p.seq !== m.seq - 1) return 'prev is not the author\'s previous message'
      pastMax = p.lamport
    }
    for (const id of m.deps) pastMax = Math.max(pastMax, this.#lamportOf(id) ?? 0)
    try {
      checkClockJump(m.lamport, pastMax)
    } catch (err) {
      return (err as Error).message
    }
    if (m.replyTo !== undefined && !this.isDelivered(m.replyTo)) return 'replyTo is unknown'
    return undefined
  }

  #deliver (m: ChatMessage, result?: AddResult): void {
    this.#version++
    this.#journal.push(m.author)
    if (this.#journal.length > MAX_JOURNAL) {
      const drop = this.#journal.length - MAX_JOURNAL / 2
      this.#journal.splice(0, drop)
      this.#journalBase += drop
    }
    const last = this.#last.get(m.author)
    const fork = this.#forks.get(m.author)
    if (last !== undefined && m.seq <= last.seq) {
      // A second message with a number already taken: the author forked. Both branches stay.
      if (fork === undefined) {
        const state = forkStateOf(m.seq, this.#idsOf(m.author))
        this.#forks.set(m.author, { ...state, count: state.count + 1, digest: xorIds(state.digest, m.id) })
        result?.forked.push({ author: m.author, floor: m.seq })
      } else {
        if (m.seq < fork.floor) result?.forked.push({ author: m.author, floor: m.seq })
        this.#forks.set(m.author, { floor: Math.min(fork.floor, m.seq), count: fork.count + 1, digest: xorIds(fork.digest, m.id) })
      }
    } else if (fork !== undefined) {
      this.#forks.set(m.author, { ...fork, count: fork.count + 1, digest: xorIds(fork.digest, m.id) })
    }
    this.#held.delete(m.id)
    this.#recent.set(m.id, m)
    let list = this.#recentByAuthor.get(m.author)
    if (list === undefined) this.#recentByAuthor.set(m.author, list = [])
    list.push(m)
    if (last === undefined || m.seq > last.seq) this.#last.set(m.author, { id: m.id, seq: m.seq, lamport: m.lamport })
    if (m.prev !== '') this.#heads.delete(m.prev)
    for (const d of m.deps) this.#heads.delete(d)
    this.#heads.set(m.id, { id: m.id, author: m.author, lamport: m.lamport })
    // Only the newest MAX_DEPS are ever named, so older heads would stay for good (one per author
    // whose newest message nobody named: each new key's first message): keep as many as a log opens with.
    if (this.#heads.size > 2 * MAX_HEADS_AT_OPEN) {
      const newest = [...this.#heads.values()].sort((a, b) => b.lamport - a.lamport || (b.author < a.author ? -1 : b.author > a.author ? 1 : 0)).slice(0, MAX_HEADS_AT_OPEN)
      this.#heads.clear()
      for (const h of newest) this.#heads.set(h.id, h)
    }
    if (m.lamport > this.#maxLamport) this.#maxLamport = m.lamport
  }

  #reject (m: ChatMessage, reason: string, result: AddResult): void {
    const queue: Array<[ChatMessage, string]> = [[m, reason]]
    while (queue.length > 0) {
      const [r, why] = queue.shift()!
      this.#unwait(r)
      this.#held.delete(r.id)
      this.#refuse(r.id)
      result.rejected.push({ message: r, reason: why })
      const waiters = this.#waiting.get(r.id)
      this.#waiting.delete(r.id)
      for (const id of waiters ?? []) {
        const w = this.#held.get(id)
        if (w !== undefined) queue.push([w, `depends on refused message ${r.id.slice(0, 12)}`])
      }
    }
  }

  #refuse (id: string): void {
    this.#rejected.add(id)
    if (this.#rejected.size > MAX_REFUSED) this.#rejected.delete(this.#rejected.values().next().value!)
  }
}
