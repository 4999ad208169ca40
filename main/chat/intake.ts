import type { CausalLog } from '../core/causal.js'
import { FairQueue } from '../core/fair-queue.js'
import type { ChatMessage } from '../core/message.js'
import { wireBytes, type Frame, type Relayed } from '../net/codec.js'
import { BATCH_BYTES, MAX_MESSAGES_PER_FRAME, RATE_BURST, RATE_PER_SECOND } from '../net/constants.js'
import type { Transport } from '../net/transport.js'
import { withVouchers, type Answering } from './answers.js'
import type { Requests } from './requests.js'
import type { Counters } from './stats.js'
import type { MessageView } from './types.js'
import type { UnverifiedBuffer } from './unverified.js'
import { verifyMessagesSync } from './verify.js'

/** Most messages delivered in one step (one transaction, one relay frame per link) before other work gets a turn. */
export const INTAKE_SLICE = 64
/**
 * A link with this many messages waiting here is not read any further until
 * it is down to READ_AGAIN (ChatProtocol's pace): a catch-up of 100,000
 * messages arrives far faster than it is verified and committed, and past a
 * link's share of the queue (FairQueue's maxPerKey) the rest was dropped,
 * asked for again and sent a second time. Stopping the reader stops yamux's
 * window, so the sender's answer waits for the socket instead.
 */
export const READ_PAUSE_AT = 16_384
export const READ_AGAIN = 8_192
/** Most messages waiting here whose extra senders are remembered (a flood's dropped ones are forgotten oldest first). */
const MAX_HEARD = 8192

const unsigned = (a: Arrived): boolean => a.message.sig.byteLength === 0

/** A message waiting for its turn, and how it came. */
/** A message as it came; `asked`: it answers a sync or want of ours (a catch-up: it was written a while ago). */
/**
 * A message as a link gave it. `asked`: it came by a catch-up, ours (an answer
 * to our sync or want) or one on its way here (a relay said so): not live, so
 * not in the latency figures, and passed on as such.
 */
export interface Arrived { message: ChatMessage, via: string, hops: number, asked?: boolean }

/** What the intake hands its messages to: the Lamport ordering. */
export interface IntakeSink {
  readonly causal: CausalLog
  readonly unverified: UnverifiedBuffer
  readonly transport: Transport<Frame>
  readonly counters: Counters
  readonly requests: Requests
  accept: (message: ChatMessage, via: string, hops: number, own: boolean, asked?: boolean) => MessageView | undefined
  settle: () => void
  answering: () => Answering
  log: (line: string) => void
}

/**
 * The receive side's scheduler: messages from every link wait here in one
 * queue per link and author and are delivered round robin, INTAKE_SLICE at a
 * time, each slice verified, committed, announced and relayed before the
 * event loop reads more frames. Live pushes cost their author's budget
 * (`rate`/s, `burst` saved up: the mesh's per-author rate limit); answers to
 * our own sync and want requests are free, so a catch-up stays fast. A
 * flooding author's backlog waits in its own queues: everyone else's fresh
 * messages are served in the next turn, and what they depend on of the
 * backlog is delivered with them (`through`), so causal delivery never holds
 * them behind the whole flood. Signatures are checked when a message's turn
 * comes, not when it arrives: a slice of one author's chain costs one check
 * (its newest message vouches for the rest through the hash chain), so the
 * bigger the backlog, the cheaper each message — and a peer that forges
 * messages in someone else's name fills only its own link's queue.
 */
export class Intake {
  readonly #queue: FairQueue<Arrived>
  /** Message id → links that sent a copy while it waited here (see heard). */
  readonly #heard = new Map<string, Set<string>>()
  /** Messages waiting here per link, the link each came by, and the readers waiting for room (see roomFor). */
  readonly #perLink = new Map<string, number>()
  readonly #linkOf = new Map<string, { via: string, answer: boolean }>()
  /** Of the messages waiting, those that answer a sync or want we sent (`free`): a catch-up under way; and per link. */
  #answers = 0
  readonly #answersPerLink = new Map<string, number>()
  readonly #readers = new Map<string, { room: Promise<void>, resolve: () => void }>()
  #scheduled = false
  #timer: NodeJS.Timeout | undefined
  #warnedAt = -Infinity
  #droppedLogged = -Infinity

  constructor (private readonly sink: IntakeSink, limits: { rate?: number, burst?: number } = {}) {
    this.#queue = new FairQueue({ rate: limits.rate ?? RATE_PER_SECOND, burst: limits.burst ?? RATE_BURST })
  }

  get size (): number { return this.#queue.size }
  /** Messages waiting here that answer our own requests (a catch-up still being taken in). */
  get answersWaiting (): number { return this.#answers }
  /** Of those, the ones that came from `via`: its answer is still being taken in. */
  answersFrom (via: string): number { return this.#answersPerLink.get(via) ?? 0 }
  has (id: string): boolean { return this.#queue.has(id) }

  /** Queue messages as they came (each author's oldest first); `free`: an answer we asked for. */
  push (arrived: Arrived[], free: (m: ChatMessage) => boolean): void {
    const now = performance.now()
    for (const a of arrived) {
      const m = a.message
      if (this.#queue.has(m.id)) continue
      const answer = free(m)
      this.#linkOf.set(m.id, { via: a.via, answer })
      this.#perLink.set(a.via, (this.#perLink.get(a.via) ?? 0) + 1)
      if (answer) {
        this.#answers++
        this.#answersPerLink.set(a.via, this.answersFrom(a.via) + 1)
      }
      // What it holds: its text, or a private one's sealed bytes (no text on the wire, up to 64 KiB padded).
      const dropped = this.#queue.push(`${a.via}>${m.author}`, m.id, answer ? { ...a, asked: true } : a, { free: answer, bytes: m.text.length + (m.sealed?.byteLength ?? 0) + 256, payer: m.author, now })
      for (const id of dropped) this.#left(id)
      if (dropped.length > 0) this.#noteDropped(dropped.length, a.via)
    }
    this.#schedule()
  }

  /**
   * Undefined when the reader of `via`'s link may go on; else a promise that
   * resolves once that link's messages waiting here are down to READ_AGAIN.
   */
  roomFor (via: string): Promise<void> | undefined {
    if ((this.#perLink.get(via) ?? 0) < READ_PAUSE_AT) return undefined
    let r = this.#readers.get(via)
    if (r === undefined) {
      let resolve!: () => void
      const room = new Promise<void>(done => { resolve = done })
      this.#readers.set(via, r = { room, resolve })
    }
    return r.room
  }

  /** A message left the queue (taken, pulled along, or dropped). */
  #left (id: string): void {
    const from = this.#linkOf.get(id)
    if (from === undefined) return
    this.#linkOf.delete(id)
    if (from.answer) {
      this.#answers--
      const left = this.answersFrom(from.via) - 1
      if (left > 0) this.#answersPerLink.set(from.via, left)
      else this.#answersPerLink.delete(from.via)
    }
    const via = from.via
    const n = (this.#perLink.get(via) ?? 1) - 1
    if (n > 0) this.#perLink.set(via, n)
    else this.#perLink.delete(via)
    if (n <= READ_AGAIN) this.#wake(via)
  }

  #wake (via: string): void {
    const r = this.#readers.get(via)
    if (r === undefined) return
    this.#readers.delete(via)
    r.resolve()
  }

  clear (): void {
    this.#queue.clear()
    this.#heard.clear()
    this.#perLink.clear()
    this.#linkOf.clear()
    this.#answers = 0
    this.#answersPerLink.clear()
    for (const via of [...this.#readers.keys()]) this.#wake(via)
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Serve on the next turn of the event loop: frames read in this one join the queues first. */
  #schedule (): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => { this.#scheduled = false; this.#step() })
  }

  #step (): void {
    const now = performance.now()
    const slice = this.#queue.take(INTAKE_SLICE, now)
    for (const { item } of slice) this.#left(item.message.id)
    if (slice.length > 0) this.deliver(slice.map(s => s.item))
    if (this.#queue.size === 0) return
    const wait = this.#queue.readyIn(performance.now())
    if (wait === 0 || wait === undefined) { this.#schedule(); return }
    this.#throttled()
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => { this.#timer = undefined; this.#step() }, wait)
    this.#timer.unref()
  }

  /**
   * Verify the messages and take them in (a message held back for one still
   * queued here brings that one's queue up to it along), commit them in one
   * transaction, then relay each to every link but the one it came by and ask
   * those links for what is still missing.
   */
  deliver (items: Arrived[]): void {
    const { causal, transport } = this.sink
    /** Messages to relay, grouped by the links that already have them (the one each came by, and any that sent a copy since). */
    const relay = new Map<string, { except: Set<string>, messages: ChatMessage[] }>()
    const vias = new Set<string>()
    const hops = new Map<string, number>()
    const late = new Set<string>()
    let work = this.#verified(items)
    while (work.length > 0) {
      const pulled: Arrived[] = []
      for (const { message: m, via, hops: h, asked } of work) {
        if (causal.knows(m)) continue
        this.sink.accept(m, via, h, false, asked)
        if (!causal.knows(m)) continue
        const except = this.#heard.get(m.id) ?? new Set<string>()
        this.#heard.delete(m.id)
        except.add(via)
        const key = [...except].sort().join(' ')
        let group = relay.get(key)
        if (group === undefined) relay.set(key, group = { except, messages: [] })
        group.messages.push(m)
        vias.add(via)
        hops.set(m.id, h)
        if (asked === true) late.add(m.id)
        if (!causal.isHeld(m.id)) continue
        // Held back: what it waits for may be here, behind a backlog. Deliver that now, not after the backlog.
        for (const dep of [m.prev, ...m.deps]) {
          if (dep === '' || !this.#queue.has(dep)) continue
          const through = this.#queue.through(dep, unsigned)
          for (const a of through) this.#left(a.message.id)
          pulled.push(...through)
        }
      }
      work = this.#verified(pulled)
    }
    this.sink.settle()
    for (const { except, messages } of relay.values()) {
      // What we caught up on goes on marked late: the next peer does not take it for a live delivery either.
      const out = withVouchers(this.sink.answering(), messages).map(m => ({ message: m, hops: (hops.get(m.id) ?? 0) + 1, ...(late.has(m.id) ? { late: true } : {}) }))
      // A slice gathers messages from many frames and links (and pulls along what they wait for): cut by size, or
      // a batch sent just under the limit, or several, makes one frame past it and each link we send it to drops.
      let sent = 0
      for (const frame of relayFrames(out)) sent = Math.max(sent, transport.broadcast({ type: 'messages', messages: frame }, except))
      if (sent > 0) this.sink.counters.relayed += messages.length
    }
    const missing = causal.missing().filter(id => !this.#queue.has(id)).slice(0, 1024)
    if (missing.length === 0) return
    for (const via of vias) if (via !== '' && transport.send(via, { type: 'want', ids: missing })) this.sink.requests.wantSent(via, missing)
  }

  /**
   * Another link sent a message that waits here already: when its turn
   * comes it is relayed to every link but those that have it. In a mesh
   * each peer hears a message from several links; under load most copies
   * come while the first waits its turn, and each not sent back saves both
   * ends an envelope.
   */
  heard (id: string, via: string): void {
    if (!this.#queue.has(id)) return
    let links = this.#heard.get(id)
    if (links === undefined) {
      if (this.#heard.size >= MAX_HEARD) this.#heard.delete(this.#heard.keys().next().value!)
      this.#heard.set(id, links = new Set())
    }
    links.add(via)
  }

  /**
   * The authentic ones, each after the unsigned ones of its chain that waited
   * for it; forged ones are logged, unsigned ones not yet vouched for wait in
   * the unverified buffer.
   */
  #verified (items: Arrived[]): Arrived[] {
    if (items.length === 0) return []
    const { causal, unverified } = this.sink
    // Fresh when queued, and nothing else delivers a queued message (a copy from another link is not queued twice).
    const byId = new Map(items.map(a => [a.message.id, a]))
    const { ok, bad, unverified: waiting } = verifyMessagesSync(items.map(a => a.message), m => causal.heldSuccessor(m.id)?.author === m.author)
    for (const b of bad) this.sink.log(`refused message ${b.message.id.slice(0, 12)} via ${byId.get(b.message.id)!.via}: ${b.reason}`)
    for (const m of waiting) { const a = byId.get(m.id)!; unverified.add(m, a.via, a.hops) }
    const out: Arrived[] = []
    for (const m of ok) {
      // A verified message vouches for the unsigned ones of its chain that waited for it.
      for (const w of unverified.takeChain(m)) out.push(w)
      out.push(byId.get(m.id)!)
    }
    return out
  }

  /** Authors waiting for their budget: logged now and then, not per message. */
  #throttled (): void {
    if (performance.now() - this.#warnedAt < 5_000) return
    this.#warnedAt = performance.now()
    this.sink.log(`rate limit: ${this.#queue.size} message(s) wait for their authors' budget`)
  }

  #noteDropped (n: number, via: string): void {
    this.sink.counters.heldDropped += n
    if (performance.now() - this.#droppedLogged < 5_000) return
    this.#droppedLogged = performance.now()
    this.sink.log(`intake queue: dropped ${n} message(s) for room (latest via ${via}); they are fetched again by sync`)
  }
}

/**
 * Messages cut into frames of about BATCH_BYTES each, counted by wireBytes: a frame passes it by at
 * most one message, whose body is at most MAX_BODY_BYTES, so it stays well under MAX_FRAME_BYTES.
 * An unsigned message and its voucher may land in different frames: they leave in one write, and a
 * receiver holds the unsigned one (UnverifiedBuffer) until its voucher comes, as for a sync answer.
 */
export function relayFrames (messages: Relayed[]): Relayed[][] {
  const frames: Relayed[][] = []
  let frame: Relayed[] = []
  let bytes = 0
  for (const r of messages) {
    frame.push(r)
    bytes += wireBytes(r.message)
    if (bytes >= BATCH_BYTES || frame.length >= MAX_MESSAGES_PER_FRAME) {
      frames.push(frame)
      frame = []
      bytes = 0
    }
  }
  if (frame.length > 0) frames.push(frame)
  return frames
}
