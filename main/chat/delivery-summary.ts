/**
 * Deliveries beyond one's links. Receipts go back along each message's route
 * (receipts.ts), so in a sparse mesh the author hears of every delivery but
 * a peer in the middle hears only of those downstream of it: its "delivered
 * to k of n" and space-time diagram missed most arrows. So each peer also
 * signs, every SUMMARY_MS (longer in a large room: summaryDelay) and only
 * when it delivered something meanwhile, ONE
 * summary of what it delivered since its last one — 8 bytes of each
 * message's id, with the Lamport time and wall clock at delivery as small
 * varint differences (net/summary-codec.ts) — and every peer passes a summary
 * newer than the one it holds of that peer on to its other links, once, as
 * presence claims travel (presence-relay.ts). What a peer takes in it passes
 * on about a second later, all in one frame per link, and not to links that
 * gave it the same summary meanwhile.
 *
 * What it costs each peer is bounded whatever the traffic: about one frame of
 * summaries a second per link, and at most one signature check per other
 * peer per SUMMARY_MS / 2 (SUMMARY_BURST at once), since copies, replays and
 * old ones are dropped by serial before any check — not one check per
 * receipt per link, as when every receipt went to every link.
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
import { BATCH_BYTES } from '../net/constants.js'
import { ID_PREFIX_BYTES, MAX_SUMMARIES_PER_FRAME, MAX_SUMMARY_ENTRIES, encodeSummary, summarySigned, type DeliverySummaryFrame, type SignedSummary, type SummaryEntry } from '../net/summary-codec.js'
import { BoundedMap, MAX_TRACKED } from './receipts.js'
import { verifyBy } from './verify.js'
import { growWithRoom } from '../core/limits.js'

/** A peer's deliveries leave in one summary this long after the first of them, ms — in a small room (see summaryDelay). */
export const SUMMARY_MS = 2_000
/**
 * Every peer checks the signature of every other peer's summaries, so a LAN
 * of N peers signing one each SUMMARY_MS makes each check N / SUMMARY_MS a
 * second — and a class of 100 engines sharing one CPU in the benchmark spent
 * a third of it there. So a peer waits longer the more peers it hears
 * summaries from: SUMMARY_PER_PEER_MS for each, at least SUMMARY_MS and at
 * most SUMMARY_MAX_MS. Each peer then checks about 1000 / SUMMARY_PER_PEER_MS
 * summaries a second whatever the size of the room, and a receipt reaches
 * everyone within 2 s in a room of 20, within 10 s in a room of 100.
 */
export const SUMMARY_PER_PEER_MS = 100
export const SUMMARY_MAX_MS = 15_000
/** Peers heard from within this long count for the delay above, ms. */
const ACTIVE_PEER_MS = 60_000

/** How long a peer that hears summaries from `peers` others waits before it sends its own, ms (`base`: SUMMARY_MS). */
export function summaryDelay (peers: number, base = SUMMARY_MS): number {
  return growWithRoom(peers + 1, SUMMARY_PER_PEER_MS, base, SUMMARY_MAX_MS)
}
/**
 * Summaries of one peer we check at most: a burst of this many, then one per
 * SUMMARY_MS / 2 (an honest peer sends one per SUMMARY_MS; a burst is
 * summaries that came by paths of different speeds). More are dropped
 * unchecked; a forged one spends nothing of its peer's budget.
 */
export const SUMMARY_BURST = 3
/** A summary is taken only if not older than this before the newest of its peer we took (and not taken already), ms. */
export const REORDER_MS = 10_000
/** Serials of each peer remembered to drop copies and replays; an older one is dropped too. */
const SERIALS_KEPT = 8
/** Peers whose summaries we remember at most; the least recently heard go first. */
export const MAX_SUMMARY_PEERS = 10_000
/**
 * What we take in (or sign) waits about this long before it goes on (half to
 * one and a half times, at random), ms, all of it in one frame per link:
 * each link carries at most about one frame of summaries a second, however
 * many peers and messages, and copies that come meanwhile say which links
 * have it already. The randomness keeps neighbours from sending each other
 * the same summary at the same moment.
 */
export const RELAY_TICK_MS = 1_000
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
/** What we know of a peer's summaries: the serials we took (ascending), and its budget of checks. */
interface Held { serials: number[], tokens: number, at: number }
/** A summary on its way on, and the links that gave it to us meanwhile (they have it). */
interface Outgoing { s: SignedSummary, from: Set<string> }

const prefixOf = (id: string): string => id.slice(0, 2 * ID_PREFIX_BYTES)

export class DeliverySummaries {
  #own: SummaryEntry[] = []
  #serial = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  readonly #held = new Map<string, Held>()
  /** Taken in (or signed) since the last relay tick, to go on together; by `by` and serial. */
  #outgoing = new Map<string, Outgoing>()
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
    }, summaryDelay(this.#activePeers(), this.intervalMs))
    this.#timer.unref?.()
  }

  /** Peers whose summaries came lately (once per summary we sign: at most MAX_SUMMARY_PEERS to look at). */
  #activePeers (): number {
    const since = this.now() - ACTIVE_PEER_MS
    let n = 0
    for (const { at } of this.#held.values()) if (at >= since) n++
    return n
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
    this.#pass({ summary, sig: this.ctx.sign(summarySigned(summary)), view }, undefined)
  }

  /** Send `s` on at the next tick, to every link that has not given it to us by then. */
  #pass (s: SignedSummary, from: string | undefined): void {
    this.#outgoing.set(`${s.view.by} ${s.view.serial}`, { s, from: new Set(from === undefined ? [] : [from]) })
    if (this.#tick !== undefined) return
    this.#tick = setTimeout(() => {
      this.#tick = undefined
      this.#relay()
    }, RELAY_TICK_MS * (0.5 + Math.random()))
    this.#tick.unref?.()
  }

  #relay (): void {
    const out = [...this.#outgoing.values()]
    this.#outgoing.clear()
    for (const link of this.ctx.transport.connectedPeers()) {
      // Summaries from many frames and links go on together: cut by size too (one may be ~100 KB), or ten
      // large ones make a frame past the limit and the link drops.
      let frame: SignedSummary[] = []
      let bytes = 0
      for (const o of out) {
        if (o.from.has(link)) continue
        frame.push(o.s)
        bytes += o.s.summary.byteLength + o.s.sig.byteLength + 16
        if (frame.length >= MAX_SUMMARIES_PER_FRAME || bytes >= BATCH_BYTES) {
          this.ctx.transport.send(link, { type: 'delivery-summaries', summaries: frame })
          frame = []
          bytes = 0
        }
      }
      if (frame.length > 0) this.ctx.transport.send(link, { type: 'delivery-summaries', summaries: frame })
    }
  }

  /** Summaries from link `from`: each one new to us, recent and truly signed by its peer is recorded and passed on. */
  heard (from: string, frame: DeliverySummaryFrame): void {
    for (const s of frame.summaries) this.#take(from, s)
  }

  #take (from: string, s: SignedSummary): void {
    const { by, serial, entries } = s.view
    if (by === this.ctx.self()) return
    const held = this.#held.get(by) ?? { serials: [], tokens: SUMMARY_BURST, at: this.now() }
    // Copies (one per link), replays and old ones are dropped here, before the signature check that costs.
    if (held.serials.includes(serial)) {
      // A copy of one still on its way on: that link has it, and need not hear it from us.
      this.#outgoing.get(`${by} ${serial}`)?.from.add(from)
      return
    }
    const newest = held.serials.at(-1) ?? 0
    if (serial < newest - REORDER_MS || (held.serials.length === SERIALS_KEPT && serial < held.serials[0]!)) return
    const t = this.now()
    held.tokens = Math.min(SUMMARY_BURST, held.tokens + (t - held.at) / (this.intervalMs / 2))
    held.at = t
    if (held.tokens < 1) return
    if (!verifyBy(by, summarySigned(s.summary), s.sig)) {
      this.ctx.log(`refused a delivery summary from ${from} in the name of ${by}: bad signature`)
      return
    }
    held.tokens -= 1
    held.serials.push(serial)
    held.serials.sort((a, b) => a - b)
    if (held.serials.length > SERIALS_KEPT) held.serials.shift()
    this.#held.delete(by)
    this.#held.set(by, held)
    if (this.#held.size > MAX_SUMMARY_PEERS) this.#held.delete(this.#held.keys().next().value!)
    this.#pass(s, from)
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
    this.#outgoing.clear()
    this.#own = []
    this.#held.clear()
    this.#waiting.clear()
    this.#waitingCount = 0
  }
}
