import type { CausalLog } from '../core/causal.js'
import type { ChatMessage } from '../core/message.js'
import type { Frame } from '../net/codec.js'
import type { Transport } from '../net/transport.js'
import { sendBatches, withVouchers, type Answering } from './answers.js'
import type { Receipts } from './receipts.js'
import type { Counters } from './stats.js'
import type { EngineEvent, MessageView } from './types.js'
import type { UnverifiedBuffer } from './unverified.js'
import { verifyMessages } from './verify.js'

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
  accept: (message: ChatMessage, via: string, hops: number, own: boolean) => MessageView | undefined
  /** Commit what accept delivered (one transaction), then announce it: before any relay. */
  settle: () => void
  answering: () => Answering
  emit: (e: EngineEvent) => void
  log: (line: string) => void
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
      const missing = ctx.causal.missing()
      if (missing.length > 0) chat.send(peerId, { type: 'want', ids: missing.slice(0, 1024) })
      return
    }
    case 'sync':
      await sendBatches(ctx.answering(), chat, peerId, ctx.causal.streamMissing(frame.vector))
      return
    case 'want':
      await sendBatches(ctx.answering(), chat, peerId, frame.ids.map(id => ctx.causal.get(id)).filter(m => m !== undefined && ctx.causal.isDelivered(m.id)) as ChatMessage[])
      return
    case 'receipts': {
      const fresh = frame.receipts.filter(r => ctx.receipts.record(r))
      for (const r of fresh) ctx.emit({ type: 'receipt', ...r, peerId: r.by })
      for (const r of fresh) ctx.receipts.announce(r, peerId)
      return
    }
    default:
      frame satisfies never
  }
}
