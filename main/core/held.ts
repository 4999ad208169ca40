import type { ChatMessage } from './message.js'

/** Most messages held back waiting for dependencies, all peers together. */
export const MAX_HELD = 20_000
/**
 * Most held back messages one sending peer, or one author, may have in the
 * queue. A quarter of it: one peer (or key) that sends messages hanging on
 * an id nobody has can fill its own share, never the whole queue.
 */
export const MAX_HELD_PER_PEER = 5_000
export const MAX_HELD_PER_AUTHOR = 5_000

/** The sender of messages from this peer's own log (replayed at start): no quota. */
export const LOCAL = ''

/**
 * The hold-back queue's entries, counted per sending peer and per author.
 * What does not fit is dropped, not refused: a dropped message is forgotten
 * (not remembered as bad), so the next sync fetches it again once there is
 * room — a full queue costs time, never a message or an honest peer.
 */
export class HeldBack {
  readonly #items = new Map<string, { message: ChatMessage, from: string }>()
  /** Sending peer → ids of its held messages, in arrival order. */
  readonly #byPeer = new Map<string, Set<string>>()
  readonly #byAuthor = new Map<string, number>()

  get size (): number { return this.#items.size }
  has (id: string): boolean { return this.#items.has(id) }
  get (id: string): ChatMessage | undefined { return this.#items.get(id)?.message }

  /** How many held messages `from` sent us. */
  fromPeer (from: string): number { return this.#byPeer.get(from)?.size ?? 0 }
  byAuthor (author: string): number { return this.#byAuthor.get(author) ?? 0 }

  /**
   * Whether a message from `from` by `author` may join the queue, and which
   * held ids must go first to make room: when the whole queue is full, the
   * newest entries of the peer that holds the most (the offender, usually).
   * Undefined: it may not (its sender or author is over quota).
   */
  room (from: string, author: string): string[] | undefined {
    if (from !== LOCAL && this.fromPeer(from) >= MAX_HELD_PER_PEER) return undefined
    if (from !== LOCAL && this.byAuthor(author) >= MAX_HELD_PER_AUTHOR) return undefined
    const over = this.#items.size + 1 - MAX_HELD
    if (over <= 0) return []
    let worst: Set<string> | undefined
    for (const [peer, ids] of this.#byPeer) if (peer !== LOCAL && ids.size > (worst?.size ?? 0)) worst = ids
    if (worst === undefined) return undefined
    return [...worst].slice(-over)
  }

  set (message: ChatMessage, from: string): void {
    if (this.#items.has(message.id)) return
    this.#items.set(message.id, { message, from })
    let ids = this.#byPeer.get(from)
    if (ids === undefined) this.#byPeer.set(from, ids = new Set())
    ids.add(message.id)
    this.#byAuthor.set(message.author, this.byAuthor(message.author) + 1)
  }

  delete (id: string): void {
    const item = this.#items.get(id)
    if (item === undefined) return
    this.#items.delete(id)
    const ids = this.#byPeer.get(item.from)
    ids?.delete(id)
    if (ids?.size === 0) this.#byPeer.delete(item.from)
    const n = this.byAuthor(item.message.author) - 1
    if (n > 0) this.#byAuthor.set(item.message.author, n)
    else this.#byAuthor.delete(item.message.author)
  }
}
