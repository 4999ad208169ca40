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
 * presence claims travel (presence-relay.ts).
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
 * summaries.heard(from, frame)                    // a delivery-summary frame: check, record, pass on
 * ```
 */
import type { Frame, Receipt } from '../net/codec.js'
import { ID_PREFIX_BYTES, MAX_SUMMARY_ENTRIES, encodeSummary, summarySigned, type DeliverySummaryFrame, type SummaryEntry } from '../net/summary-codec.js'
import { BoundedMap, MAX_TRACKED } from './receipts.js'
import { verifyBy } from './verify.js'

/** A peer's deliveries leave in one summary this long after the first of them, ms. */
export const SUMMARY_MS = 2_000
/** Summaries of one peer closer together than this are dropped unchecked (an honest peer sends one per SUMMARY_MS), ms. */
export const SUMMARY_GAP_MS = 500
/** Peers whose last summary we remember at most; the least recently heard go first. */
export const MAX_SUMMARY_PEERS = 10_000
/** Deliveries heard of messages we do not hold (yet) kept at most, all peers together; the oldest go first. */
export const MAX_WAITING = 20_000

export interface SummaryContext {
  self: () => string
  sign: (bytes: Uint8Array) => Uint8Array
  transport: { broadcast: (frame: Frame, except?: string) => number }
  /** A peer's delivery heard in a summary: recorded (and announced as an event) unless known already. */
  receipt: (r: Receipt) => void
  log: (line: string) => void
}

interface Waiting { by: string, lamport: number, at: number }

const prefixOf = (id: string): string => id.slice(0, 2 * ID_PREFIX_BYTES)

export class DeliverySummaries {
  #own: SummaryEntry[] = []
  #serial = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  /** Each peer's newest summary we took: its serial, and when (our clock). */
  readonly #held = new Map<string, { serial: number, heardAt: number }>()
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
    this.ctx.transport.broadcast({ type: 'delivery-summary', summary, sig: this.ctx.sign(summarySigned(summary)), view })
  }

  /** A summary from link `from`: if newer than the one we hold of its peer, and truly signed by it, pass it on and record what it says. */
  heard (from: string, frame: DeliverySummaryFrame): void {
    const { by, serial, entries } = frame.view
    if (by === this.ctx.self()) return
    const t = this.now()
    const held = this.#held.get(by)
    // Copies (one per link) and older ones are dropped here, before the signature check that costs.
    if (held !== undefined && (serial <= held.serial || t - held.heardAt < SUMMARY_GAP_MS)) return
    if (!verifyBy(by, summarySigned(frame.summary), frame.sig)) {
      this.ctx.log(`refused a delivery summary from ${from} in the name of ${by}: bad signature`)
      return
    }
    this.#held.delete(by)
    this.#held.set(by, { serial, heardAt: t })
    if (this.#held.size > MAX_SUMMARY_PEERS) this.#held.delete(this.#held.keys().next().value!)
    this.ctx.transport.broadcast(frame, from)
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
    this.#timer = undefined
    this.#own = []
    this.#held.clear()
    this.#waiting.clear()
    this.#waitingCount = 0
  }
}
