/**
 * Deliveries beyond one's links. Receipts go back along each message's route
 * (receipts.ts), so in a sparse mesh the author hears of every delivery but
 * a peer in the middle hears only of those downstream of it: its "delivered
 * to k of n" and space-time diagram missed most arrows. So each peer also
 * signs, every SUMMARY_MS and only when it delivered something meanwhile, ONE
 * summary of what it delivered since its last one — 8 bytes of each
 * message's id, with the Lamport time and wall clock at delivery as small
 * varint differences (net/summary-codec.ts) — and every peer passes a summary
 * newer than the one it holds of that peer on to its other links, once, as
 * presence claims travel (presence-relay.ts). What a peer takes in it passes
 * on a tenth of a second or so later, all in one frame per link, and not to links
 * that gave it the same summary meanwhile: a flood sends each summary over
 * every link, and that way most links carry it one way only, not both.
 *
 * What it costs each peer is bounded whatever the traffic: at most one
 * signature check per peer per SUMMARY_GAP_MS, since copies and older ones
 * are dropped before any check (by serial), not one per receipt per link.
 * A summary counts only when signed by the peer it names (a peer cannot
 * claim deliveries for another); the tables (peers heard of, ids known,
 * deliveries waiting for a message we do not hold yet) are bounded.
 *
 * @example
 * ```ts
 * const summaries = new DeliverySummaries({ self, sign, transport, receipt, log })
 * summaries.known(message.id)                     // a message delivered here (waiting receipts for it now count)
 * summaries.announce({ id, by: self, lamport, at }) // our own delivery: in the next summary
 * summaries.heard(from, frame)                    // a delivery-summaries frame: check, record, pass on
 * ```
 */
import type { Frame, Receipt } from '../net/codec.js'
import { ID_PREFIX_BYTES, MAX_SUMMARIES_PER_FRAME, MAX_SUMMARY_ENTRIES, encodeSummary, summarySigned, type DeliverySummaryFrame, type SignedSummary, type SummaryEntry } from '../net/summary-codec.js'
import { BoundedMap, MAX_TRACKED } from './receipts.js'
import { verifyBy } from './verify.js'

/** A peer's deliveries leave in one summary this long after the first of them, ms. */
export const SUMMARY_MS = 2_000
/** Summaries of one peer closer together than this are dropped unchecked (an honest peer sends one per SUMMARY_MS), ms. */
export const SUMMARY_GAP_MS = 500
/** Peers whose last summary we remember at most; the least recently heard go first. */
export const MAX_SUMMARY_PEERS = 10_000
/**
 * What we take in (or sign) waits about this long before it goes on (half to
 * two and a half times, at random), ms: copies that come meanwhile say which
 * links have it already. The randomness keeps neighbours from sending each
 * other the same summary at the same moment (16 peers: 70 copies of each
 * summary, against 107 for a plain flood and 61 links).
 */
export const RELAY_TICK_MS = 100
/** Deliveries heard of messages we do not hold (yet) kept at most, all peers together; the oldest go first. */
export const MAX_WAITING = 20_000

export interface SummaryContext {
  self: () => string
  sign: (bytes: Uint8Array) => Uint8Array
  transport: { send: (peerId: string, frame: Frame) => boolean, connectedPeers: () => string[] }
  /** A peer's delivery heard in a summary: recorded (and announced as an event) unless known already. */
  receipt: (r: Receipt) => void
  log: (line: string) => void
}

interface Waiting { by: string, lamport: number, at: number }
/** A peer's newest summary we took: its serial, when (our clock), and until it has gone on, the links that gave it to us. */
interface Held { serial: number, heardAt: number, from?: Set<string> }

const prefixOf = (id: string): string => id.slice(0, 2 * ID_PREFIX_BYTES)

export class DeliverySummaries {
  #own: SummaryEntry[] = []
  #serial = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  readonly #held = new Map<string, Held>()
  /** Taken in (or signed) since the last relay tick, to go on together. */
  #outgoing: Array<{ s: SignedSummary, held: Held }> = []
  #tick: ReturnType<typeof setTimeout> | undefined
  /** Id prefix → id of the messages delivered here lately. */
  readonly #ids = new BoundedMap<string>(MAX_TRACKED)
  /** Id prefix → deliveries heard of it before we had it. */
  readonly #waiting = new Map<string, Waiting[]>()
  #waitingCount = 0

  constructor (private readonly ctx: SummaryContext, private readonly now: () => number = Date.now, private readonly intervalMs = SUMMARY_MS) {}

  /** Message `id` was delivered here: summaries can name it now, and those that named it already count. */
  known (id: string): void {
    const prefix = prefixOf(id)
    this.#ids.set(prefix, id)
    const waiting = this.#waiting.get(prefix)
    if (waiting === undefined) return
    this.#waiting.delete(prefix)
    this.#waitingCount -= waiting.length
    for (const w of waiting) this.ctx.receipt({ id, ...w })
  }

  /** Our own delivery: it goes out in the summary SUMMARY_MS after the first one since the last summary. */
  announce (r: Receipt): void {
    this.#own.push({ prefix: prefixOf(r.id), lamport: r.lamport, at: r.at })
    // A catch-up of many thousands: only the newest MAX_SUMMARY_ENTRIES are told (receipts are live information).
    if (this.#own.length >= 2 * MAX_SUMMARY_ENTRIES) this.#own = this.#own.slice(-MAX_SUMMARY_ENTRIES)
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.flush()
    }, this.intervalMs)
    this.#timer.unref?.()
  }

  /** Sign what we delivered since the last summary, if anything, and send it to every link. */
  flush (): void {
    const entries = this.#own.slice(-MAX_SUMMARY_ENTRIES)
    this.#own = []
    if (entries.length === 0) return
    this.#serial = Math.max(this.now(), this.#serial + 1)
    const by = this.ctx.self()
    const view = { by, serial: this.#serial, entries }
    const summary = encodeSummary(view)
    this.#pass({ summary, sig: this.ctx.sign(summarySigned(summary)), view }, { serial: this.#serial, heardAt: this.now(), from: new Set() })
  }

  /** Send `s` on at the next tick, to every link that has not given it to us by then. */
  #pass (s: SignedSummary, held: Held): void {
    this.#outgoing.push({ s, held })
    if (this.#tick !== undefined) return
    this.#tick = setTimeout(() => {
      this.#tick = undefined
      this.#relay()
    }, RELAY_TICK_MS * (0.5 + 2 * Math.random()))
    this.#tick.unref?.()
  }

  #relay (): void {
    const out = this.#outgoing
    this.#outgoing = []
    for (const link of this.ctx.transport.connectedPeers()) {
      const summaries = out.filter(o => o.held.from?.has(link) !== true).map(o => o.s)
      for (let i = 0; i < summaries.length; i += MAX_SUMMARIES_PER_FRAME) {
        this.ctx.transport.send(link, { type: 'delivery-summaries', summaries: summaries.slice(i, i + MAX_SUMMARIES_PER_FRAME) })
      }
    }
    for (const o of out) delete o.held.from
  }

  /** Summaries from link `from`: each newer than the one we hold of its peer, and truly signed by it, is recorded and passed on. */
  heard (from: string, frame: DeliverySummaryFrame): void {
    for (const s of frame.summaries) this.#take(from, s)
  }

  #take (from: string, s: SignedSummary): void {
    const { by, serial, entries } = s.view
    if (by === this.ctx.self()) return
    const t = this.now()
    const held = this.#held.get(by)
    // A copy of the one we hold: that link has it, and need not hear it from us.
    if (held !== undefined && serial === held.serial) { held.from?.add(from); return }
    // Older ones are dropped here, before the signature check that costs.
    if (held !== undefined && (serial < held.serial || t - held.heardAt < SUMMARY_GAP_MS)) return
    if (!verifyBy(by, summarySigned(s.summary), s.sig)) {
      this.ctx.log(`refused a delivery summary from ${from} in the name of ${by}: bad signature`)
      return
    }
    const taken: Held = { serial, heardAt: t, from: new Set([from]) }
    this.#held.delete(by)
    this.#held.set(by, taken)
    if (this.#held.size > MAX_SUMMARY_PEERS) this.#held.delete(this.#held.keys().next().value!)
    this.#pass(s, taken)
    for (const { prefix, lamport, at } of entries) {
      const id = this.#ids.get(prefix)
      if (id !== undefined) this.ctx.receipt({ id, by, lamport, at })
      else this.#wait(prefix, { by, lamport, at })
    }
  }

  #wait (prefix: string, w: Waiting): void {
    const list = this.#waiting.get(prefix)
    if (list === undefined) this.#waiting.set(prefix, [w])
    else if (list.some(k => k.by === w.by)) return
    else list.push(w)
    this.#waitingCount++
    while (this.#waitingCount > MAX_WAITING) {
      const [oldest, gone] = this.#waiting.entries().next().value!
      this.#waiting.delete(oldest)
      this.#waitingCount -= gone.length
    }
  }

  /** Deliveries heard of messages we do not hold, all peers together. */
  get waiting (): number { return this.#waitingCount }

  /** Drop what is queued and held (on stop). */
  clear (): void {
    clearTimeout(this.#timer)
    clearTimeout(this.#tick)
    this.#timer = undefined
    this.#tick = undefined
    this.#outgoing = []
    this.#own = []
    this.#held.clear()
    this.#waiting.clear()
    this.#waitingCount = 0
  }
}
