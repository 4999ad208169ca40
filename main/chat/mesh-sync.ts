/**
 * The mesh's anti-entropy conversation with each linked peer, over the
 * causal log: a 32-byte digest of our state on every new link and every
 * sync interval; when digests differ, our digests per bucket (2 KiB); when
 * buckets differ, our vector for those buckets only, which the peer answers
 * with what we lack there (answers.ts) and echoes with its own, once per
 * interval. Nothing is asked while the intake still works through a
 * catch-up, or while the peer's answer to our last ask is still arriving
 * (it would only be asked for again).
 *
 * @example
 * ```ts
 * const sync = new MeshSync({ transport, causal: () => log, backlog: () => intake.answersWaiting, requests, ownAdvertised, self, intervalMs })
 * sync.ping(peerId)                   // a new link, or the interval
 * sync.digestFrom(peerId, digest)     // the peer's digest: ask with our buckets if it differs
 * ```
 */
import type { CausalLog } from '../core/causal.js'
import type { Frame } from '../net/codec.js'
import { SYNC_PART_ENTRIES } from '../net/constants.js'
import type { Transport } from '../net/transport.js'
import type { Requests } from './requests.js'
import { differingBuckets, scopeBits } from './sync-buckets.js'
import { SyncDigest } from './sync-digest.js'
import { syncFrames } from './sync-parts.js'

/** Answers waiting in the intake past which a differing digest does not ask for a sync yet. */
export const DIGEST_ASK_BACKLOG = 1024

export interface MeshSyncContext {
  transport: Transport<Frame>
  causal: () => CausalLog
  /**
   * Messages waiting in the intake that answer our own requests: a catch-up
   * still being taken in, which asking again would only bring a second time.
   * (A backlog of live messages, such as a flooder's held to its rate, does
   * not stop a sync with a peer that has what we lack.)
   */
  backlog: () => number
  /**
   * Of those, the ones that came from `peerId`. While any wait, its answer is still being taken in:
   * our reader of it may have paused for them (the intake's READ_PAUSE_AT), and the next batch,
   * already on the wire, came in no sooner than its gap (Requests.answering) would have it.
   */
  answersFrom?: (peerId: string) => number
  requests: Pick<Requests, 'syncSent' | 'answering'>
  /** A peer's state equals ours: it has our own chain exactly as far as we do (own-chain.ts waits for that word). */
  ownAdvertised: (seq: number) => void
  self: () => string
  intervalMs: number
}

export class MeshSync {
  readonly #digest: SyncDigest
  /** When we last sent each peer a vector for some buckets. */
  readonly #scopedAt = new Map<string, number>()

  constructor (private readonly ctx: MeshSyncContext) {
    this.#digest = new SyncDigest(ctx.intervalMs)
  }

  /**
   * The periodic sync: only a digest of our whole state (32 bytes, whatever
   * the history). A peer whose state differs answers with its bucket
   * digests (digestFrom), and the usual exchange follows; peers in step
   * exchange nothing more. A new link starts with one too.
   */
  ping (peerId: string): void {
    this.ctx.transport.send(peerId, { type: 'sync', vector: new Map(), digest: this.#digest.of(this.ctx.causal()) })
  }

  /** A peer's digest: when it is not ours, ask with our bucket digests (at most twice per interval per peer). */
  digestFrom (peerId: string, digest: string): void {
    // Still working through what came (a catch-up of thousands): asking again now would only bring the same
    // messages a second time, and the answer would cost the peer a read of every author it has. Ask once it is done.
    if (this.ctx.backlog() > DIGEST_ASK_BACKLOG) return
    const causal = this.ctx.causal()
    if (digest === this.#digest.of(causal)) this.ctx.ownAdvertised(causal.last(this.ctx.self())?.seq ?? 0)
    if (this.#digest.shouldAsk(peerId, digest, causal)) this.#ask(peerId)
  }

  /** The peer's bucket digests: our vector for the buckets that differ. */
  bucketsFrom (peerId: string, theirs: Uint8Array): void {
    if (this.ctx.backlog() > DIGEST_ASK_BACKLOG) return
    const differ = differingBuckets(this.#digest.summary.buckets(this.ctx.causal()), theirs)
    if (differ.size > 0) this.#sendScoped(peerId, differ)
  }

  /** The peer's vector for some buckets: ours for the same, unless our word went out this interval. */
  scopedFrom (peerId: string, scope: Set<number>): void {
    if (this.ctx.backlog() > DIGEST_ASK_BACKLOG) return
    const last = this.#scopedAt.get(peerId)
    // Our own ask, or our answer to the peer's buckets, went out this interval: the peer has our word already.
    if (last === undefined || performance.now() - last > Math.max(1_000, this.ctx.intervalMs)) this.#sendScoped(peerId, scope)
  }

  forget (peerId: string): void {
    this.#digest.forget(peerId)
    this.#scopedAt.delete(peerId)
  }

  /**
   * Our state differs from the peer's: send our digests per bucket (2 KiB),
   * and it answers with its vector for the buckets that differ only
   * (sync-buckets.ts). The whole digest goes along, so a peer of an older
   * version reads the frame as the periodic check it knows.
   */
  #ask (peerId: string): void {
    const causal = this.ctx.causal()
    this.ctx.transport.send(peerId, { type: 'sync', vector: new Map(), digest: this.#digest.of(causal), buckets: this.#digest.summary.buckets(causal) })
  }

  /** Our vector for the authors of `scope`: a request (the peer answers what we lack there) and word of what we have. */
  #sendScoped (peerId: string, scope: Set<number>): void {
    // Its answer to our last one is still coming, or still being taken in: asking again now would bring what is on its way a second time.
    if (this.ctx.requests.answering(peerId) || (this.ctx.answersFrom?.(peerId) ?? 0) > 0) return
    const { vector, forks, heads } = this.#digest.summary.scoped(this.ctx.causal(), scope)
    // A vector past one frame's worth of authors goes in parts (sync-parts.ts).
    const sent = syncFrames(vector, forks, heads, SYNC_PART_ENTRIES, scopeBits(scope)).every(f => this.ctx.transport.send(peerId, f))
    if (!sent) return
    this.ctx.requests.syncSent(peerId, vector)
    this.#scopedAt.set(peerId, performance.now())
  }
}
