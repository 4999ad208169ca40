import { MAX_CLOCK_JUMP, MAX_LAMPORT } from '../core/limits.js'
import type { ChatMessage } from '../core/message.js'
import { wireBytes } from '../net/codec.js'
import type { SequencedMessage } from '../net/hub-codec.js'
import { SequenceError } from './errors.js'
import { MAX_FRAME_BYTES } from '../net/constants.js'

/** Most bytes a delivery that is one run and the signature vouching for it may take: a frame, less headroom. */
const RUN_DELIVERY_BYTES = MAX_FRAME_BYTES - 64 * 1024

/** Unsigned and no tombstone: authentic to a client only with its signed successor in the same frame. */
const unvouched = (m: ChatMessage): boolean => m.sig.byteLength === 0 && m.redacted !== true

export interface Admission {
  item: SequencedMessage
  /** False when the message was already sequenced: a resend after an outage. */
  isNew: boolean
}

/**
 * The hub's total order: every message it admits gets the next sequence
 * number, so arrival order at the hub is the one order every client shows.
 * Pure logic (no I/O): the hub persists what `admit` returns.
 *
 * Messages arrive already verified (signature, shape). Admission adds what
 * only a central log can check: an author's messages come with rising
 * per-author numbers (a replay or an equivocation is refused), a reply names
 * a message the hub has, and a Lamport time cannot run absurdly ahead of
 * everything the hub has seen. Resending a message the hub already has is
 * harmless and returns its old number: that is what makes a client's
 * "send what is pending on reconnect" idempotent.
 */
/** Where the sequencer finds numbered messages that left memory: the hub's database (hub-store.ts). */
export interface SequencedIndex {
  /** The highest number stored (0: none). */
  lastSeq: () => number
  /** Each author's newest message (read once, at start). */
  lasts: () => Iterable<ChatMessage>
  byId: (id: string) => SequencedMessage | undefined
  /** Messages after number `seq`, in order, at most `limit`. */
  after: (seq: number, limit: number) => SequencedMessage[]
}

const EMPTY: SequencedIndex = { lastSeq: () => 0, lasts: () => [], byId: () => undefined, after: () => [] }

export class Sequencer {
  readonly #index: SequencedIndex
  /** Numbered messages not yet trimmed (the uncommitted ones among them), in number order. */
  #recent: SequencedMessage[] = []
  readonly #recentById = new Map<string, SequencedMessage>()
  readonly #lastByAuthor = new Map<string, { seq: number, lamport: number, id: string }>()
  #lastSeq: number
  #maxLamport = 0

  /** Over the messages numbered before (the hub's database): only each author's newest comes into memory. */
  constructor (index: SequencedIndex = EMPTY) {
    this.#index = index
    this.#lastSeq = index.lastSeq()
    for (const m of index.lasts()) {
      this.#lastByAuthor.set(m.author, { seq: m.seq, lamport: m.lamport, id: m.id })
      if (m.lamport > this.#maxLamport) this.#maxLamport = m.lamport
    }
  }

  /** The author's newest accepted message: its number, id and Lamport time (a restored client goes on after it). */
  lastOf (author: string): { seq: number, head: string, lamport: number } | undefined {
    const last = this.#lastByAuthor.get(author)
    return last === undefined ? undefined : { seq: last.seq, head: last.id, lamport: last.lamport }
  }

  get lastSeq (): number { return this.#lastSeq }
  get maxLamport (): number { return this.#maxLamport }
  get authors (): number { return this.#lastByAuthor.size }
  /** Numbered messages still in memory. */
  get recentCount (): number { return this.#recent.length }

  bySeq (seq: number): SequencedMessage | undefined {
    const first = this.#recent[0]?.seq ?? Infinity
    return seq >= first ? this.#recent[seq - first] : this.#index.after(seq - 1, 1)[0]
  }

  byId (id: string): SequencedMessage | undefined { return this.#recentById.get(id) ?? this.#index.byId(id) }

  /** Check a message and give it the next number; throws SequenceError when refused. */
  admit (m: ChatMessage): Admission {
    const known = this.byId(m.id)
    if (known !== undefined) return { item: known, isNew: false }
    const reason = this.refusal(m)
    if (reason !== undefined) throw new SequenceError(reason)
    return { item: this.#append(m), isNew: true }
  }

  /** Why `m` would be refused, or undefined. */
  refusal (m: ChatMessage): string | undefined {
    const last = this.#lastByAuthor.get(m.author)
    if (last !== undefined && m.seq <= last.seq) {
      return `replay or equivocation: ${m.author} already sent its message ${last.seq}, this one claims ${m.seq}`
    }
    if (last !== undefined && m.lamport <= last.lamport) return `Lamport time ${m.lamport} does not advance on the author's previous ${last.lamport}`
    if (m.lamport >= MAX_LAMPORT || m.lamport > this.#maxLamport + MAX_CLOCK_JUMP) {
      return `Lamport time ${m.lamport} jumps too far ahead of the hub's ${this.#maxLamport} (limit ${MAX_CLOCK_JUMP})`
    }
    for (const d of m.deps) {
      if (this.byId(d) === undefined) return `depends on ${d.slice(0, 12)}, which this hub does not have`
    }
    return undefined
  }

  /**
   * Messages after `seq` up to `upTo`, at most `limit` of them and about `maxBytes`, in order: from the database, then memory.
   * Never ending on an unsigned message: a client takes one only with the signed successor that vouches for it in
   * the same frame, and drops it otherwise (for good: its cursor goes past it). The batch ends before the run
   * instead (a run not all committed yet waits for the rest), or, when the run is all of it, goes on to its signed
   * end (within a frame).
   */
  after (seq: number, limit: number, maxBytes = Infinity, upTo = Infinity): SequencedMessage[] {
    const out = this.#slice(seq, limit, maxBytes, upTo)
    let end = out.length
    while (end > 0 && unvouched(out[end - 1]!.message)) end--
    if (end > 0 || out.length === 0) return out.slice(0, end)
    let bytes = out.reduce((n, i) => n + wireBytes(i.message), 0)
    // Within `limit` in all: a client refuses a delivery of more messages whole (hub-codec.ts), and hangs up. Past it
    // (no honest run is: runs whose signed ends the hub refused, one after another), sent as it is, as past a frame.
    const more = this.#slice(out[out.length - 1]!.seq, limit - out.length, RUN_DELIVERY_BYTES - bytes, upTo)
    for (const item of more) {
      bytes += wireBytes(item.message)
      // Past a frame (no honest run is): sent as it is, the client drops what no signature in it vouches for.
      if (bytes > RUN_DELIVERY_BYTES) return out
      out.push(item)
      if (!unvouched(item.message)) return out
    }
    // Its signed end not numbered or committed yet: nothing now, the run goes whole once it is (a commit pumps again).
    const next = out[out.length - 1]!.seq + 1
    if (out.length >= limit) return next > upTo ? [] : out
    return next > upTo || next > this.#lastSeq ? [] : out
  }

  #slice (seq: number, limit: number, maxBytes: number, upTo: number): SequencedMessage[] {
    const first = this.#recent[0]?.seq ?? Infinity
    const from = seq + 1 >= first ? this.#recent.slice(seq + 1 - first, seq + 1 - first + limit) : this.#index.after(seq, Math.min(limit, first - 1 - seq))
    const out: SequencedMessage[] = []
    let bytes = 0
    for (const item of from) {
      if (bytes >= maxBytes || item.seq > upTo) break
      out.push(item)
      // Its bytes as sent (a private message's sealed text, a thumbnail, unknown fields), plus its number: counted, or a delivery runs past a frame.
      bytes += wireBytes(item.message)
    }
    return out
  }

  /** Forget numbered messages up to `durable` (committed) beyond the newest `keep`. */
  trim (durable: number, keep: number): void {
    let n = 0
    while (n < this.#recent.length - keep && this.#recent[n]!.seq <= durable) this.#recentById.delete(this.#recent[n++]!.message.id)
    if (n > 0) this.#recent = this.#recent.slice(n)
  }

  #append (m: ChatMessage): SequencedMessage {
    const item = { seq: ++this.#lastSeq, message: m }
    this.#recent.push(item)
    this.#recentById.set(m.id, item)
    this.#lastByAuthor.set(m.author, { seq: m.seq, lamport: m.lamport, id: m.id })
    if (m.lamport > this.#maxLamport) this.#maxLamport = m.lamport
    return item
  }
}
