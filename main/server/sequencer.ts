import { MAX_CLOCK_JUMP, MAX_LAMPORT } from '../core/limits.js'
import type { ChatMessage } from '../core/message.js'
import type { SequencedMessage } from '../net/hub-codec.js'
import { SequenceError } from './errors.js'

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
export class Sequencer {
  readonly #items: SequencedMessage[] = []
  readonly #byId = new Map<string, SequencedMessage>()
  readonly #lastByAuthor = new Map<string, ChatMessage>()
  #maxLamport = 0

  get lastSeq (): number { return this.#items.length }
  get maxLamport (): number { return this.#maxLamport }
  get authors (): number { return this.#lastByAuthor.size }

  bySeq (seq: number): SequencedMessage | undefined { return this.#items[seq - 1] }
  byId (id: string): SequencedMessage | undefined { return this.#byId.get(id) }

  /** Check a message and give it the next number; throws SequenceError when refused. */
  admit (m: ChatMessage): Admission {
    const known = this.#byId.get(m.id)
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
      if (!this.#byId.has(d)) return `depends on ${d.slice(0, 12)}, which this hub does not have`
    }
    return undefined
  }

  /** Put back a message read from the hub's log; `seq` must be the next number. */
  restore (item: SequencedMessage): void {
    if (item.seq !== this.lastSeq + 1) throw new SequenceError(`log out of order: seq ${item.seq} after ${this.lastSeq}`)
    if (this.#byId.has(item.message.id)) throw new SequenceError(`log repeats ${item.message.id}`)
    this.#append(item.message)
  }

  /** Messages after `seq`, at most `limit` of them and about `maxBytes`, in order. */
  after (seq: number, limit: number, maxBytes = Infinity): SequencedMessage[] {
    const out: SequencedMessage[] = []
    let bytes = 0
    for (let i = Math.max(0, seq); i < this.#items.length && out.length < limit && bytes < maxBytes; i++) {
      const item = this.#items[i]!
      out.push(item)
      bytes += item.message.text.length * 3 + 200 + 33 * item.message.deps.length
    }
    return out
  }

  #append (m: ChatMessage): SequencedMessage {
    const item = { seq: this.#items.length + 1, message: m }
    this.#items.push(item)
    this.#byId.set(m.id, item)
    this.#lastByAuthor.set(m.author, m)
    if (m.lamport > this.#maxLamport) this.#maxLamport = m.lamport
    return item
  }
}
