import type { CausalLog } from '../core/causal.js'
import type { ChatMessage } from '../core/message.js'
import type { Frame } from '../net/codec.js'
import type { Transport } from '../net/transport.js'
import { withVouchers, type AnswerQueue, type Answering } from './answers.js'
import type { Receipts } from './receipts.js'
import type { Requests } from './requests.js'
import type { Counters } from './stats.js'
import type { LiveLink } from './live-link.js'
import type { EngineEvent, MessageView } from './types.js'
import type { UnverifiedBuffer } from './unverified.js'
import { verifyBy, verifyMessages } from './verify.js'

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
  accept: (message: ChatMessage, via: string, hops: number, own: boolean) => MessageView | undefined
  /** A peer's digest of its state: when it differs from ours, ask with our vector. */
  digestFrom: (peerId: string, digest: string) => void
  /** A peer's sync says it has our own chain up to `seq`. */
  ownAdvertised: (seq: number) => void
  /** Our peer id. */
  readonly self: string
  /** Commit what accept delivered (one transaction), then announce it: before any relay. */
  settle: () => void
  answering: () => Answering
  emit: (e: EngineEvent) => void
  log: (line: string) => void
  /** Typing and presence: from the peer on this link only, never relayed. */
  readonly live: LiveLink
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
      const fresh = frame.messages.filter(r => !ctx.causal.has(r.message.id) && !ctx.unverified.has(r.message.id))
      if (fresh.length === 0) return
      const hops = new Map(fresh.map(r => [r.message.id, r.hops]))
      const { ok, bad, unverified } = await verifyMessages(fresh.map(r => r.message), m => ctx.causal.heldSuccessor(m.id)?.author === m.author)
      for (const b of bad) ctx.log(`refused message ${b.message.id.slice(0, 12)} via ${peerId}: ${b.reason}`)
      for (const m of unverified) ctx.unverified.add(m, peerId, hops.get(m.id) ?? 0)
      const relay: ChatMessage[] = []
      for (const m of ok) {
        // A verified message vouches for the unsigned ones of its chain that waited for it.
        for (const w of ctx.unverified.takeChain(m)) {
          if (ctx.causal.has(w.message.id)) continue
          ctx.accept(w.message, w.via, w.hops, false)
          if (ctx.causal.has(w.message.id)) relay.push(w.message)
        }
        if (ctx.causal.has(m.id)) continue
        ctx.accept(m, peerId, hops.get(m.id) ?? 0, false)
        if (ctx.causal.has(m.id)) relay.push(m)
      }
      ctx.settle()
      if (relay.length > 0) {
        const out = withVouchers(ctx.answering(), relay).map(m => ({ message: m, hops: (hops.get(m.id) ?? 0) + 1 }))
        if (chat.broadcast({ type: 'messages', messages: out }, peerId) > 0) ctx.counters.relayed += relay.length
      }
      const missing = ctx.causal.missing().slice(0, 1024)
      if (missing.length > 0 && chat.send(peerId, { type: 'want', ids: missing })) ctx.requests.wantSent(peerId, missing)
      return
    }
    case 'sync':
      // A digest alone: the periodic check. Only a difference costs anything.
      if (frame.digest !== undefined && frame.vector.size === 0) {
        ctx.digestFrom(peerId, frame.digest)
        return
      }
      ctx.requests.advertised(peerId, frame.vector)
      ctx.ownAdvertised(frame.vector.get(ctx.self) ?? 0)
      ctx.answers.sync(peerId, frame.vector, frame.forks, frame.heads)
      return
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
      for (const to of ctx.receipts.routesFor(fresh, peerId)) chat.send(to, frame)
      return
    }
    case 'typing':
      ctx.live.heardTyping(peerId, '', frame)
      return
    case 'presence':
      // Offline is a closed link, not something a connected peer says.
      if (frame.state !== 'offline') ctx.live.heardPresence(peerId, '', { type: 'presence', state: frame.state })
      return
    default:
      frame satisfies never
  }
}
