/**
 * Messages asked for again because their words were wiped here for a delete
 * that no longer counts: a member's delete taken in before we heard of its
 * removal from an invite-only room (Engine#retake). Those who heard first
 * never counted it and still hold the message; we ask the linked peers for it
 * by id (a `want`), and a peer that links later too, each one once. An answer
 * counts only when its body hashes to the id and its signature is the
 * author's (or it has none and a later message vouches for it): a peer that wiped it too answers
 * with its tombstone, a hostile one with anything else, and both are passed
 * over (the others' answers may still come). Bounded: at most MAX_REFETCHING
 * ids wait, each asks at most REFETCH_PEERS peers, and each is given up
 * REFETCH_FOR_MS after it was first asked for; nothing an answer says makes us
 * ask again. One nobody has any more stays deleted.
 *
 * @example
 * ```ts
 * const refetch = new Refetch({ want: (peer, ids) => transport.send(peer, { type: 'want', ids }), linked: () => transport.connectedPeers(), restore, log })
 * refetch.ask([id])              // the delete of `id` was taken back: its words are wanted again
 * refetch.linked(peerId)         // a new link: asked for what is still wanted
 * refetch.offered(peerId, m)     // a message that came: restored when it is the one asked for
 * ```
 */
import type { ChatMessage } from '../core/message.js'
import { bodyOf, hashBody } from '../net/codec.js'
import { verifyBy } from './verify.js'

/** Ids waiting for their words at most; one past it is not asked for. */
export const MAX_REFETCHING = 1024
/** Peers asked for one id at most. */
export const REFETCH_PEERS = 16
/** How long an id is waited for, from its first ask. */
export const REFETCH_FOR_MS = 10 * 60_000

export interface RefetchContext {
  /** Send `ids` as a want to `peerId`; false when it could not go. */
  want: (peerId: string, ids: string[]) => boolean
  /** The peers linked now. */
  linked: () => string[]
  /** The message as signed, its body hashing to its id: put back. */
  restore: (m: ChatMessage) => void
  /** Whether a later message of `m`'s author that we hold vouches for it (its chain names it): one unsigned may come so. */
  vouched: (m: ChatMessage) => boolean
  log: (line: string) => void
}

interface Wanted { asked: Set<string>, until: number }

export class Refetch {
  readonly #wanted = new Map<string, Wanted>()

  constructor (private readonly ctx: RefetchContext, private readonly now: () => number = () => performance.now()) {}

  /** Want these ids' words again: each linked peer is asked, once. An id already wanted is not asked anew. */
  ask (ids: Iterable<string>): void {
    this.#prune()
    const fresh: string[] = []
    for (const id of ids) {
      if (this.#wanted.has(id) || this.#wanted.size >= MAX_REFETCHING) continue
      this.#wanted.set(id, { asked: new Set(), until: this.now() + REFETCH_FOR_MS })
      fresh.push(id)
    }
    if (fresh.length === 0) return
    for (const peerId of this.ctx.linked()) this.#askOf(peerId, fresh)
  }

  /** A peer linked: asked for what is still wanted and it was not asked for. */
  linked (peerId: string): void {
    this.#prune()
    if (this.#wanted.size > 0) this.#askOf(peerId, [...this.#wanted.keys()])
  }

  /** Whether `id` is wanted again. */
  wants (id: string): boolean { return this.#wanted.has(id) }

  /**
   * A message from `peerId` whose id is wanted: restored when it is the
   * message itself, from a peer we asked. Anything else is passed over, and
   * the answers of the others are still waited for.
   */
  offered (peerId: string, m: ChatMessage): void {
    const w = this.#wanted.get(m.id)
    if (w === undefined || !w.asked.has(peerId)) return
    if (m.redacted === true || hashBody(bodyOf(m)) !== m.id) {
      this.ctx.log(`${peerId} answered for deleted message ${m.id.slice(0, 12)} without its words; waiting for others`)
      return
    }
    // The words are the author's (their hash is the id), the signature is whatever the peer sent: it is stored and
    // served again, so it must be the author's too (or none, where a later message vouches), or others refuse it from us.
    if (m.sig.byteLength > 0 ? !verifyBy(m.author, bodyOf(m), m.sig) : !this.ctx.vouched(m)) {
      this.ctx.log(`${peerId} answered for deleted message ${m.id.slice(0, 12)} with a signature not its author's; waiting for others`)
      return
    }
    this.#wanted.delete(m.id)
    this.ctx.restore(m)
  }

  /** A new mode, or the ordering stopped: nothing is wanted any more. */
  clear (): void { this.#wanted.clear() }

  get size (): number { return this.#wanted.size }

  #askOf (peerId: string, ids: readonly string[]): void {
    const asking = ids.filter(id => {
      const w = this.#wanted.get(id)
      return w !== undefined && !w.asked.has(peerId) && w.asked.size < REFETCH_PEERS
    })
    if (asking.length === 0 || !this.ctx.want(peerId, asking)) return
    for (const id of asking) this.#wanted.get(id)!.asked.add(peerId)
  }

  #prune (): void {
    const now = this.now()
    for (const [id, w] of this.#wanted) if (w.until <= now) this.#wanted.delete(id)
  }
}
