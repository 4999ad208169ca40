import type { CausalLog, VersionVector } from '../core/causal.js'
import type { ForkDigests, HeadIds } from '../core/forks.js'
import type { ChatMessage } from '../core/message.js'
import { wireBytes, type Frame, type Relayed } from '../net/codec.js'
import { BATCH_BYTES } from '../net/constants.js'
import type { Transport } from '../net/transport.js'

/**
 * Sending messages we already have to a peer: sync and want answers, and
 * relays. Authors sign only the newest message of a burst, so whatever we
 * send must carry, for every run it ends unsigned, the successors up to the
 * signature that vouches for it — otherwise the peer can never verify (and
 * so never deliver) it.
 */
export interface Answering {
  causal: CausalLog
  /** Our peer id: our own messages go out with 0 hops. */
  self: string
  /** False for our own messages not yet signed and written: persisted before announced. */
  shareable: (m: ChatMessage) => boolean
}

/**
 * `messages` plus, for each author whose last message among them is
 * unsigned, its successors up to the next signed one.
 */
export function withVouchers (a: Answering, messages: ChatMessage[]): ChatMessage[] {
  const last = new Map<string, ChatMessage>()
  for (const m of messages) if ((last.get(m.author)?.seq ?? 0) < m.seq) last.set(m.author, m)
  let out = messages
  for (let m of last.values()) {
    while (m.sig.byteLength === 0) {
      const next = a.causal.successor(m)
      if (next === undefined || !a.shareable(next)) break
      if (out === messages) out = [...messages]
      out.push(next)
      m = next
    }
  }
  return out
}

/**
 * Send messages (a sync or want answer) in frames of about BATCH_BYTES,
 * waiting for the socket between frames, then the signed successors of any
 * run left unsigned.
 */
export async function sendBatches (a: Answering, chat: Transport<Frame>, peerId: string, messages: Iterable<ChatMessage>): Promise<void> {
  let batch: Relayed[] = []
  let bytes = 0
  const last = new Map<string, ChatMessage>()
  const hops = (m: ChatMessage): number => m.author === a.self ? 0 : 1
  /** Add one; false once the link is gone. A frame goes when it holds about BATCH_BYTES. */
  const add = async (m: ChatMessage): Promise<boolean> => {
    batch.push({ message: m, hops: hops(m) })
    // Its bytes as sent (a private message's sealed text, a thumbnail, unknown fields): counted, or a batch of them runs past a frame.
    bytes += wireBytes(m)
    if (bytes < BATCH_BYTES && batch.length < 4000) return true
    if (!chat.send(peerId, { type: 'messages', messages: batch, answer: true })) return false
    await chat.drain(peerId)
    batch = []
    bytes = 0
    return true
  }
  for (const m of messages) {
    if (!a.shareable(m)) continue
    if ((last.get(m.author)?.seq ?? 0) < m.seq) last.set(m.author, m)
    if (!await add(m)) return
  }
  // The vouchers of many authors' unsigned tails (a want answer's) are cut as the rest: together they may be megabytes.
  const tail = [...last.values()].filter(m => m.sig.byteLength === 0)
  for (const m of withVouchers(a, tail).slice(tail.length)) if (!await add(m)) return
  if (batch.length > 0 && chat.send(peerId, { type: 'messages', messages: batch, answer: true })) await chat.drain(peerId)
}

/** Most wanted ids waiting for an answer per peer; a want past it waits for the next one. */
export const MAX_PENDING_WANTS = 4096

interface Pending { sync?: VersionVector, forks?: ForkDigests, heads?: HeadIds, only?: ((author: string) => boolean) | undefined, want?: Set<string> }

/**
 * The sync and want requests of each peer, answered one at a time. An
 * answer waits for its reader between frames (sendBatches), and the next one
 * starts only when it is done, so a peer that asks and does not read costs
 * one batch, not one per request. Requests that come meanwhile wait in one
 * slot each: a newer sync replaces an older one (it asks for the same or
 * less), wanted ids are merged.
 */
export class AnswerQueue {
  readonly #pending = new Map<string, Pending>()
  readonly #busy = new Set<string>()
  /** Per peer, while its answers run back to back: each author's highest number sent to it so far. */
  readonly #sent = new Map<string, Map<string, number>>()

  constructor (private readonly serve: (peerId: string, messages: Iterable<ChatMessage>) => Promise<void>,
    private readonly causal: () => CausalLog, private readonly log: (line: string) => void) {}

  /** `only`: the vector speaks of these authors only (a scoped sync, chat/sync-buckets.ts). */
  sync (peerId: string, vector: VersionVector, forks?: ForkDigests, heads?: HeadIds, only?: (author: string) => boolean): void {
    const p = this.#of(peerId)
    p.sync = vector
    p.forks = forks
    p.heads = heads
    p.only = only
    this.#run(peerId)
  }

  want (peerId: string, ids: string[]): void {
    const p = this.#of(peerId)
    p.want ??= new Set()
    for (const id of ids) if (p.want.size < MAX_PENDING_WANTS) p.want.add(id)
    this.#run(peerId)
  }

  /** The peer left: drop what it asked for (an answer under way ends when its link does). */
  forget (peerId: string): void {
    this.#pending.delete(peerId)
    this.#sent.delete(peerId)
  }
  clear (): void { this.#pending.clear() }

  /** Requests waiting, for the stats. */
  get waiting (): number { return this.#pending.size }

  #of (peerId: string): Pending {
    let p = this.#pending.get(peerId)
    if (p === undefined) this.#pending.set(peerId, p = {})
    return p
  }

  #run (peerId: string): void {
    if (this.#busy.has(peerId)) return
    this.#busy.add(peerId)
    void (async () => {
      try {
        for (let p = this.#pending.get(peerId); p !== undefined; p = this.#pending.get(peerId)) {
          this.#pending.delete(peerId)
          const causal = this.causal()
          const sent = this.#sent.get(peerId)
          const unsent = (m: ChatMessage): boolean => sent === undefined || causal.isForked(m.author) || m.seq > (sent.get(m.author) ?? 0)
          if (p.want !== undefined) {
            const wanted = [...p.want].map(id => causal.get(id)).filter(m => m !== undefined && causal.isDelivered(m.id) && unsent(m)) as ChatMessage[]
            await this.serve(peerId, this.#tracked(peerId, wanted)).catch(err => { this.log(`answer to ${peerId} failed: ${(err as Error).message}`) })
          }
          if (p.sync !== undefined) {
            const { vector, heads } = this.#past(peerId, causal, p.sync, p.heads, p.only)
            await this.serve(peerId, this.#tracked(peerId, causal.streamMissing(vector, p.forks, heads, p.only))).catch(err => { this.log(`answer to ${peerId} failed: ${(err as Error).message}`) })
          }
        }
      } finally {
        this.#busy.delete(peerId)
        this.#sent.delete(peerId)
      }
    })()
  }

  /**
   * A request that waited while an earlier answer ran was made before the
   * peer had read that answer: what the answer already sent it (in order, on
   * one link) counts as the peer's. A long catch-up now goes at the pace of
   * its reader (intake.ts, READ_PAUSE_AT), so a sync or want that comes
   * mid-stream waits behind it, and would otherwise send much of the stream
   * a second time. Forked authors are left as asked (their numbers do not
   * order them).
   */
  #past (peerId: string, causal: CausalLog, asked: VersionVector, heads: HeadIds | undefined, only: ((author: string) => boolean) | undefined): { vector: VersionVector, heads: HeadIds | undefined } {
    const sent = this.#sent.get(peerId)
    if (sent === undefined) return { vector: asked, heads }
    const vector = new Map(asked)
    const theirHeads = new Map(heads)
    for (const [author, seq] of sent) {
      if (seq <= (asked.get(author) ?? 0) || causal.isForked(author) || (only !== undefined && !only(author))) continue
      vector.set(author, seq)
      // Their head was the old one; ours, up to `seq`, is on its way.
      theirHeads.delete(author)
    }
    return { vector, heads: theirHeads }
  }

  /** The messages of an answer, each noted as sent to `peerId` as it goes. */
  * #tracked (peerId: string, messages: Iterable<ChatMessage>): Generator<ChatMessage> {
    let sent = this.#sent.get(peerId)
    if (sent === undefined) this.#sent.set(peerId, sent = new Map())
    for (const m of messages) {
      if (m.seq > (sent.get(m.author) ?? 0)) sent.set(m.author, m.seq)
      yield m
    }
  }
}
