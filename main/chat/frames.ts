import type { CausalLog } from '../core/causal.js'
import type { Frame } from '../net/codec.js'
import type { Transport } from '../net/transport.js'
import type { AnswerQueue } from './answers.js'
import type { Receipts } from './receipts.js'
import type { Requests } from './requests.js'
import type { SyncParts } from './sync-parts.js'
import type { Counters } from './stats.js'
import type { Intake } from './intake.js'
import type { LiveLink } from './live-link.js'
import type { MeshSync } from './mesh-sync.js'
import type { PresenceRelay } from './presence-relay.js'
import type { DeliverySummaries } from './delivery-summary.js'
import type { EngineEvent } from './types.js'
import type { UnverifiedBuffer } from './unverified.js'
import type { Refetch } from './refetch.js'
import { verifyBy } from './verify.js'
import { bucketOf, scopeSet } from './sync-buckets.js'

/**
 * What a frame from a peer may touch: the Lamport ordering that owns it.
 * Read each time, not kept: stop() replaces the log and the receipts, and a
 * frame still being verified must see the new ones.
 */
export interface FrameContext {
  readonly transport: Transport<Frame>
  readonly causal: CausalLog
  readonly unverified: UnverifiedBuffer
  readonly receipts: Receipts
  readonly counters: Counters
  /** Our outstanding sync and want requests (what answers we take on the fast budget). */
  readonly requests: Requests
  /** The peers' requests, answered one at a time per peer. */
  readonly answers: AnswerQueue
  /** Messages waiting for their turn to be verified and delivered, per link and author. */
  readonly intake: Intake
  /** Vectors that come in parts, put back together before they are answered. */
  readonly syncParts: SyncParts
  /** The digest, bucket and vector exchange with each peer (mesh-sync.ts). */
  readonly sync: Pick<MeshSync, 'digestFrom' | 'bucketsFrom' | 'scopedFrom'>
  /** A peer's sync says it has our own chain up to `seq`. */
  ownAdvertised: (seq: number) => void
  /** Our peer id. */
  readonly self: string
  emit: (e: EngineEvent) => void
  log: (line: string) => void
  /** Typing and presence: from the peer on this link only, never relayed. */
  readonly live: LiveLink
  /** Signed presence claims, passed on through the mesh (presence-relay.ts). */
  readonly presence: PresenceRelay
  /** Signed delivery summaries, passed on through the mesh (delivery-summary.ts). */
  readonly summaries: DeliverySummaries
  /** Messages whose words were wiped here, asked for again (refetch.ts). */
  readonly refetch: Pick<Refetch, 'size' | 'wants' | 'offered'>
}

/**
 * The Lamport ordering's side of the chat protocol: verify and deliver what arrives,
 * relay it on, ask for what is missing, answer sync and want, pass receipts on.
 */
export async function onFrame (ctx: FrameContext, peerId: string, frame: Frame): Promise<void> {
  const chat = ctx.transport
  switch (frame.type) {
    case 'hello':
      return
    case 'messages': {
      // A message we hold as a tombstone and asked for again: known, so it goes no further than this.
      if (ctx.refetch.size > 0) for (const r of frame.messages) if (ctx.refetch.wants(r.message.id)) ctx.refetch.offered(peerId, r.message)
      const fresh = frame.messages.filter(r => {
        if (ctx.causal.knows(r.message) || ctx.unverified.has(r.message.id)) return false
        if (!ctx.intake.has(r.message.id)) return true
        // A copy of one waiting its turn: this link has it, so it is not relayed back there.
        ctx.intake.heard(r.message.id, peerId)
        return false
      })
      // Verified, delivered, committed and relayed by the intake, each link's and author's queue in turn (intake.ts).
      // An answer to a sync or a want is a catch-up (kept from before), also one past the answer window that is
      // no longer granted: not a live delivery (its lag is no clock behind, nor a latency), as a late one is not.
      const caughtUp = frame.answer === true
      if (fresh.length > 0) ctx.intake.push(fresh.map(r => ({ message: r.message, via: peerId, hops: r.hops, ...(r.late === true || caughtUp ? { asked: true } : {}) })), m => ctx.requests.takeGranted(m.id))
      return
    }
    case 'sync':
      // Digests per bucket: the peer's state differs from ours; it hears our vector for the buckets that differ.
      if (frame.buckets !== undefined && frame.vector.size === 0) {
        ctx.sync.bucketsFrom(peerId, frame.buckets)
        return
      }
      // A digest alone: the periodic check. Only a difference costs anything.
      if (frame.digest !== undefined && frame.vector.size === 0) {
        ctx.sync.digestFrom(peerId, frame.digest)
        return
      }
    {
      const whole = ctx.syncParts.add(peerId, frame)
      if (whole === undefined) return
      const scope = whole.scope !== undefined ? scopeSet(whole.scope) : undefined
      if (scope === undefined) ctx.requests.advertised(peerId, whole.vector)
      else ctx.requests.advertisedSome(peerId, whole.vector)
      const own = whole.vector.get(ctx.self)
      if (scope === undefined || own !== undefined) ctx.ownAdvertised(own ?? 0)
      ctx.answers.sync(peerId, whole.vector, whole.forks, whole.heads, scope === undefined ? undefined : author => scope.has(bucketOf(author)))
      if (scope !== undefined) ctx.sync.scopedFrom(peerId, scope)
      return
    }
    case 'want':
      ctx.answers.want(peerId, frame.ids)
      return
    case 'receipts': {
      // Unsigned (an older peer's): they count only from the peer they name, over its own link, and go no further.
      const direct = frame.receipts.filter(r => r.by === peerId)
      if (direct.length < frame.receipts.length) ctx.log(`refused ${frame.receipts.length - direct.length} unsigned receipt(s) from ${peerId} in another peer's name`)
      for (const r of direct) if (ctx.receipts.record(r)) ctx.emit({ type: 'receipt', ...r, peerId: r.by })
      return
    }
    case 'signed-receipts': {
      if (!verifyBy(frame.by, frame.batch, frame.sig)) {
        ctx.log(`refused receipts from ${peerId} in the name of ${frame.by}: bad signature`)
        return
      }
      const fresh = frame.receipts.filter(r => ctx.receipts.record(r))
      for (const r of fresh) ctx.emit({ type: 'receipt', ...r, peerId: r.by })
      // Passed on as it came (the signed batch and its signature, nothing added): never larger than the frame it came in.
      for (const to of ctx.receipts.routesFor(fresh, peerId)) chat.send(to, frame)
      return
    }
    case 'typing':
      ctx.live.heardTyping(peerId, '', frame)
      return
    case 'presence':
      // Offline is a closed link, not something a connected peer says.
      if (frame.state !== 'offline') ctx.live.heardPresence(peerId, '', { type: 'presence', state: frame.state, ...(frame.status !== undefined ? { status: frame.status, ...(frame.statusUntil !== undefined ? { statusUntil: frame.statusUntil } : {}) } : {}) })
      return
    case 'presence-news':
      ctx.presence.heard(peerId, frame)
      return
    case 'delivery-summaries':
      ctx.summaries.heard(peerId, frame)
      return
    case 'peers':
      // Peer exchange is the mesh's (net/mesh.ts), which keeps it from the engine.
      return
    default:
      frame satisfies never
  }
}
