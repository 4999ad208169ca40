import type { ChatMessage } from './message.js'

/**
 * Where the causal log finds delivered messages that are no longer in
 * memory: in the app, the database (store/messages.ts); in tests, the
 * MemoryIndex below. The log keeps only the newest delivered messages, what
 * is held back, and per author its newest message, so its memory does not
 * grow with the history; whatever else it needs to decide (a dependency's
 * Lamport time, a message to answer a sync or a want) it reads from here.
 *
 * Everything the index holds was delivered (committed by the log's owner);
 * the log never writes to it.
 *
 * @example
 * ```ts
 * const index = new MemoryIndex()
 * const log = new CausalLog(index)
 * for (const m of log.add(message).delivered) index.put(m)   // what the owner commits
 * log.trim(0)                                                 // the log may forget them now
 * ```
 */
export interface DeliveredIndex {
  /** Each author's newest delivered message (read once, when the log is made). */
  lasts: () => Iterable<ChatMessage>
  get: (id: string) => ChatMessage | undefined
  /** A delivered message's Lamport time, or undefined when it is not delivered. */
  lamportOf: (id: string) => number | undefined
  /** The author's message number `seq`. */
  at: (author: string, seq: number) => ChatMessage | undefined
  /** The author's messages after number `after`, in order, at most `limit`. */
  after: (author: string, after: number, limit: number) => ChatMessage[]
  /** Every message of the author numbered in (after, upTo], all branches of a fork. */
  between: (author: string, after: number, upTo: number) => ChatMessage[]
  /** Forked authors, with the lowest number two of their messages share. */
  forks: () => Iterable<[string, number]>
  /** Ids of every message of the author (read when it turns out forked). */
  idsOf: (author: string) => Iterable<string>
}

/** Nothing delivered elsewhere: a log over it keeps all it delivers (unless trimmed). */
export const EMPTY_INDEX: DeliveredIndex = {
  lasts: () => [],
  get: () => undefined,
  lamportOf: () => undefined,
  at: () => undefined,
  after: () => [],
  between: () => [],
  forks: () => [],
  idsOf: () => []
}

/** An index in memory: the reference implementation, for tests and simulations. */
export class MemoryIndex implements DeliveredIndex {
  readonly #byId = new Map<string, ChatMessage>()
  /** Per author, per number, every message (two or more: a fork). */
  readonly #byAuthor = new Map<string, ChatMessage[][]>()
  readonly #forks = new Map<string, number>()

  get size (): number { return this.#byId.size }

  /** Commit a delivered message. */
  put (m: ChatMessage): void {
    if (this.#byId.has(m.id)) return
    this.#byId.set(m.id, m)
    let list = this.#byAuthor.get(m.author)
    if (list === undefined) this.#byAuthor.set(m.author, list = [])
    const at = (list[m.seq - 1] ??= [])
    at.push(m)
    if (at.length > 1) this.#forks.set(m.author, Math.min(this.#forks.get(m.author) ?? Infinity, m.seq))
  }

  lasts (): ChatMessage[] { return [...this.#byAuthor.values()].map(l => l[l.length - 1]![0]!) }
  get (id: string): ChatMessage | undefined { return this.#byId.get(id) }
  lamportOf (id: string): number | undefined { return this.#byId.get(id)?.lamport }
  at (author: string, seq: number): ChatMessage | undefined { return this.#byAuthor.get(author)?.[seq - 1]?.[0] }
  after (author: string, after: number, limit: number): ChatMessage[] {
    return (this.#byAuthor.get(author) ?? []).slice(after).flatMap(at => at ?? []).slice(0, limit)
  }

  between (author: string, after: number, upTo: number): ChatMessage[] {
    return (this.#byAuthor.get(author) ?? []).slice(after, upTo).flatMap(at => at ?? [])
  }

  forks (): Array<[string, number]> { return [...this.#forks] }
  idsOf (author: string): string[] { return (this.#byAuthor.get(author) ?? []).flatMap(at => (at ?? []).map(m => m.id)) }
}
