import { performance } from 'node:perf_hooks'
import { FILE_INFLIGHT_BYTES } from '../net/constants.js'
import { loopBusy } from '../net/loop-busy.js'

/** How long a rate sample lasts, ms. */
export const SAMPLE_MS = 250
/** A transfer starts with this much asked ahead, in pieces, and doubles it while the rate grows with it. */
export const START_WINDOW = 64 * 1024
/** How long a rate sample lasts while the transfer starts, ms. */
export const START_SAMPLE_MS = 50
/** While it starts, the window doubles as long as each doubling raises the rate by at least this much. */
export const START_GROWTH = 1.25
/** Below this rate (bytes per ms: 24 MiB/s, a 256 KiB chunk takes 10 ms) a holder's link counts as slow. */
export const SLOW_BELOW = 24 * 1024 * 1024 / 1000
/** Back to whole chunks above this rate (36 MiB/s). */
export const FAST_ABOVE = 36 * 1024 * 1024 / 1000
/** On a slow link, requests ask for pieces of this many bytes (a chunk is verified once all of its pieces are in). */
export const SLOW_PIECE = 16 * 1024
/** On a slow link, about this much of the link's time is asked ahead, ms: what a chat frame may wait behind. */
export const SLOW_AHEAD_MS = 3
/**
 * A rate sample during which this process's event loop, or the holder's, was busy (or, on Linux,
 * waiting for a core: loop-busy.ts) more than this share of the time was held back by a CPU, not
 * the link: whole chunks, which cost the CPU least, are kept. (Two engines in one process,
 * CPU-bound: 0.93-1. A downloader on a 100 Mbit/s link, alone on a slow core: up to 0.86 for
 * whole chunks. Six downloaders sharing one core: 0.96-1, their event loops alone 0.5-0.8.)
 */
export const CPU_BOUND = 0.9
/**
 * Asking for pieces, a downloader whose link sets the pace is not busy all the time (0.2-0.78 on the
 * bench's slowest host, a 100 Mbit/s link and one core; with the wait for a core counted, 0.28-0.73),
 * nor is its holder (0.15-0.47). Busier than this, the pieces' own cost is
 * what holds the rate down (two processes on one loopback, the transfer started in pieces and cold:
 * 0.75-0.89): back to whole chunks. The margin is thin; SLOW_GREW catches what this misses, and
 * taking a slow link for a busy one costs one sample of whole chunks before pieces again.
 */
export const SLOW_BUSY = 0.85
/**
 * Asking for pieces, a rate this much above the one the link was taken to have when they began shows
 * the link was not what held it (a link's rate does not grow; code warming up on a fast path does,
 * 18 to 29 MiB/s in three samples): back to whole chunks. Not less: a cold start on the 100 Mbit/s
 * link measured 9.3 of its 11.3 MiB/s.
 */
export const SLOW_GREW = 1.5
/**
 * Pieces left because an end was busy (or the rate grew) are not asked for again, whatever the
 * link looks like, for this long, doubled each time it happens again (up to HOLD_MAX_MS). The
 * two busy thresholds overlap on purpose (a busy share between SLOW_BUSY and CPU_BOUND leaves
 * pieces and does not keep whole chunks), so a downloader whose share sits in between would
 * otherwise switch every sample. Pieces kept 4 * HOLD_MS or more before they are left again
 * (a passing load, not a share that sits between the thresholds) start again from HOLD_MS.
 */
export const HOLD_MS = 1_000
export const HOLD_MAX_MS = 16_000

/**
 * How much a downloader keeps asked of one holder and not yet received, and
 * in what pieces. What is asked ahead waits at the holder, in its socket and
 * on the link, in front of any chat frame written after it on the same
 * connection. On a fast link (or where the CPUs, not the wire, set the pace)
 * 512 KiB in whole chunks is a few milliseconds and keeps the holder busy.
 * On a slow one (an old switch, Wi-Fi) it is tens of milliseconds of chat
 * waiting (42 ms at 100 Mbit/s), so there the downloader asks for pieces
 * and keeps one round trip and SLOW_AHEAD_MS of the best rate it measured
 * asked ahead (the round trip keeps the link busy, the rest is what queues
 * on it, in front of chat): that rate is
 * not lowered by the smaller window (which would shrink the window
 * further), and if the rate falls well below it (the round trip needs more
 * in flight) the window doubles back up.
 *
 * Which of the two a link is, is not known when a transfer starts, and
 * 512 KiB asked ahead at once would already queue 42 ms on a slow link. So
 * a transfer starts as TCP does: START_WINDOW in pieces, doubled every
 * START_SAMPLE_MS while the rate grows with it (the window, not the link,
 * was the limit). It ends fast (whole chunks, 512 KiB) as soon as the rate
 * is high, or when the rate stops growing, by the best rate seen.
 *
 * A rate can also be low because a CPU, not the link, sets the pace (both
 * ends on one busy machine, or a holder that serves many downloaders at
 * once, each of which sees a share of its rate). Then what is asked ahead
 * does not queue on a wire, and pieces, which cost a response and its
 * frames each, only lower it further (to a third, in one process; a holder
 * spends about twice the CPU per MiB on pieces as on whole chunks). So a
 * sample during which this process's event loop, or the holder's (stamped
 * on each chunk it sends), was busy nearly all the time keeps, or goes back
 * to, whole chunks (a loop that waited for a core counts as busy: on a
 * machine whose cores are taken it is idle only because it cannot run); asking for pieces, which leave both ends mostly idle
 * when the link sets the pace, a busy end (SLOW_BUSY) goes back too, and so
 * does a download whose rate grew well past what it measured (SLOW_GREW):
 * a link's rate does not grow. Pieces left for either reason are not asked
 * for again for HOLD_MS, twice that the next time (an end whose busy share
 * sits between the two thresholds would otherwise switch every sample).
 *
 *   const pacer = new Pacer(m.chunkSize, { pieces: session.pieces })
 *   // ask while bytes in flight + next piece <= pacer.window, in pieces of pacer.piece bytes
 *   pacer.received(bytes, rttMs, holderBusy)   // each response
 */
export class Pacer {
  window = FILE_INFLIGHT_BYTES
  piece: number
  #phase: 'start' | 'fast' | 'slow' = 'start'
  /** What a slow link's window is sized by (bytes per ms): the best rate seen while starting, or the one a fast link fell to; raised by any better sample. */
  #reference = 0
  /** The rate the link was taken to have when pieces began. */
  #entered = 0
  /** While starting: the rate of the last sample, before the window doubled. */
  #last = 0
  #sampleStart: number | undefined
  #sampleBytes = 0
  #starved = 0
  /** The shortest time a response took since it was asked for, ms: the round trip with nothing queued. */
  #minRtt = Infinity
  /** The holder's busy share (0..1) on its latest response. */
  #holderBusy = 0
  /** Whole chunks until then (ms, on `now`), after pieces were left for a busy end or a growing rate. */
  #holdUntil = 0
  /** The last hold, ms (0: none yet). */
  #holdMs = 0
  /** When the current spell of pieces began. */
  #slowSince = 0
  /** Whether pieces can be asked for: the holder answers them, and a chunk is larger than one. */
  readonly #pieces: boolean
  readonly now: () => number
  readonly busy: () => number

  /**
   * `pieces`: false for a holder that answers whole chunks only (a build from before pieces), which
   * gets whole chunks from the start; `now`: the clock, ms; `busy`: the share of the time this
   * process's event loop was busy since its last call (both replaced in tests).
   */
  constructor (readonly chunkSize: number, opts: { pieces?: boolean, now?: () => number, busy?: (() => number) | undefined } = {}) {
    this.now = opts.now ?? (() => performance.now())
    this.busy = opts.busy ?? loopBusy()
    this.#pieces = opts.pieces !== false && chunkSize > SLOW_PIECE
    this.piece = chunkSize
    if (!this.#pieces) this.#phase = 'fast'
    else { this.piece = SLOW_PIECE; this.window = START_WINDOW }
  }

  /** Whether the link is known to be slow (pieces, a few ms ahead); false while starting and when fast. */
  get slow (): boolean { return this.#phase === 'slow' }
  get starting (): boolean { return this.#phase === 'start' }

  /**
   * `bytes` arrived from the holder (the first call starts the clock), `rttMs` after they were
   * asked for; `holderBusy`: the share of the time the holder's event loop was busy, as it said
   * (0..1; 0 from a holder that does not say).
   */
  received (bytes: number, rttMs?: number, holderBusy = 0): void {
    const now = this.now()
    if (rttMs !== undefined && rttMs < this.#minRtt) this.#minRtt = rttMs
    this.#holderBusy = Math.min(1, Math.max(0, holderBusy))
    if (this.#sampleStart === undefined) { this.#sampleStart = now; this.busy(); return }
    this.#sampleBytes += bytes
    const elapsed = now - this.#sampleStart
    if (elapsed < (this.#phase === 'start' ? START_SAMPLE_MS : SAMPLE_MS)) return
    const busy = Math.max(this.busy(), this.#holderBusy)
    this.#sample(this.#sampleBytes / elapsed, busy > (this.#phase === 'slow' ? SLOW_BUSY : CPU_BOUND), now)
    this.#sampleStart = now
    this.#sampleBytes = 0
  }

  #sample (rate: number, cpuBound: boolean, now: number): void {
    if (this.#phase === 'start') {
      this.#reference = Math.max(this.#reference, rate)
      if (rate > FAST_ABOVE || cpuBound) { this.#fast(); return }
      if (this.window < FILE_INFLIGHT_BYTES && rate >= START_GROWTH * this.#last) {
        // The window, not the link, held the rate back: ask twice as much ahead.
        this.#last = rate
        this.window = Math.min(FILE_INFLIGHT_BYTES, this.window * 2)
        return
      }
      // The rate stopped growing with the window: it is the link's.
      if (this.#reference >= SLOW_BELOW) this.#fast()
      else this.#slow(now)
      return
    }
    if (this.#phase === 'fast') {
      if (rate >= SLOW_BELOW || cpuBound || !this.#pieces || now < this.#holdUntil) return
      this.#reference = rate
      this.#slow(now)
      return
    }
    if (rate > FAST_ABOVE) { this.#fast(); return }
    if (cpuBound || rate > SLOW_GREW * this.#entered) {
      // The first time, or after pieces were kept a long while (a passing load): a short hold; otherwise twice the last.
      this.#holdMs = this.#holdMs === 0 || now - this.#slowSince >= 4 * HOLD_MS ? HOLD_MS : Math.min(HOLD_MAX_MS, this.#holdMs * 2)
      this.#holdUntil = now + this.#holdMs
      this.#fast()
      return
    }
    if (rate < 0.7 * this.#reference) {
      // Twice in a row well below what the link gave: the window is too small for the round trip.
      if (++this.#starved >= 2) { this.window = Math.min(FILE_INFLIGHT_BYTES, this.window * 2); this.#starved = 0 }
      return
    }
    this.#starved = 0
    // The link got faster: the window follows it.
    if (rate > this.#reference) this.#reference = rate
    this.window = Math.max(this.#target(), Math.min(this.window, Math.round(this.window * 0.75)))
  }

  /** Pieces, sized by the reference rate, which is what the link is taken to have from here on. */
  #slow (now: number): void {
    this.#phase = 'slow'
    this.#slowSince = now
    this.#entered = this.#reference
    this.piece = SLOW_PIECE
    this.window = this.#target()
  }

  #fast (): void {
    this.#phase = 'fast'
    this.piece = this.chunkSize
    this.window = FILE_INFLIGHT_BYTES
  }

  /** A round trip's worth of the rate (what keeps the link busy), and SLOW_AHEAD_MS more queued. */
  #target (): number {
    const rtt = Number.isFinite(this.#minRtt) ? this.#minRtt : 0
    return Math.min(FILE_INFLIGHT_BYTES, Math.max(2 * this.piece, Math.round(this.#reference * (rtt + SLOW_AHEAD_MS))))
  }
}
