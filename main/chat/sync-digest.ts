/**
 * The periodic sync's summary of a peer's whole state: SHA-256 over the
 * bucket digests of every author's highest number, newest id and fork
 * state (sync-buckets.ts). Peers exchange only
 * this every interval, so idle anti-entropy costs 32 bytes a peer whatever
 * the history; equal digests mean equal histories, and a difference starts
 * the full exchange (vectors, then what each lacks).
 *
 * @example
 * ```ts
 * const digest = new SyncDigest(interval)
 * send({ type: 'sync', vector: new Map(), digest: digest.of(causal) })
 * if (digest.shouldAsk(peerId, theirs, causal)) sendFullSync(peerId)
 * ```
 */
import type { CausalLog } from '../core/causal.js'
import { StateSummary } from './sync-buckets.js'

/** The longest wait between full exchanges with a peer whose digest keeps differing, in sync intervals. */
export const MAX_BACKOFF = 8

export class SyncDigest {
  readonly #asked = new Map<string, { at: number, gap: number }>()
  /** The last digest each peer sent. */
  readonly #theirs = new Map<string, string>()

  /**
   * `intervalMs`: the sync interval. A peer is asked for a full exchange at
   * most twice per interval, and while its digest keeps differing the wait
   * doubles, up to MAX_BACKOFF intervals: a peer still working through a
   * long catch-up differs for a while, and each full exchange costs both
   * sides a pass over every author (thousands of them in a large class).
   * Equal digests start it over.
   */
  constructor (private readonly intervalMs: number, readonly summary: StateSummary = new StateSummary()) {}

  /** The digest of `log`'s state (kept up to date by the summary as messages are delivered). */
  of (log: CausalLog): string {
    return this.summary.digest(log)
  }

  /**
   * A peer's digest came: whether to answer with our full vector. Only when
   * it differs from ours, we did not just ask, and it is the first digest of
   * this link (a peer that was away) or the same as the last one the peer
   * sent: a peer whose state moved since its last digest is receiving live
   * messages, which also reach us, and a message either side missed meanwhile
   * shows as a gap in its author's chain and is asked for by id. Under
   * steady chat the digests of a classroom differ at nearly every tick
   * (messages in flight), and a full vector of 10,000 authors on each link
   * every few seconds cost more than the chat.
   */
  shouldAsk (peerId: string, theirs: string, log: CausalLog): boolean {
    const previous = this.#theirs.get(peerId)
    this.#theirs.set(peerId, theirs)
    if (theirs === this.of(log)) {
      this.#asked.delete(peerId)
      return false
    }
    if (previous !== undefined && previous !== theirs) return false
    const now = performance.now()
    const last = this.#asked.get(peerId)
    if (last !== undefined && now - last.at < last.gap) return false
    const gap = last === undefined ? this.intervalMs / 2 : Math.min(last.gap * 2, this.intervalMs * MAX_BACKOFF)
    this.#asked.set(peerId, { at: now, gap })
    return true
  }

  forget (peerId: string): void {
    this.#asked.delete(peerId)
    this.#theirs.delete(peerId)
  }
}
