import { FILE_INFLIGHT_BYTES } from '../net/constants.js'

/** How long a rate sample lasts, ms; the first one is shorter, so a slow link is found soon. */
export const SAMPLE_MS = 250
export const FIRST_SAMPLE_MS = 100
/** Below this rate (bytes per ms: 24 MiB/s, a 256 KiB chunk takes 10 ms) a holder's link counts as slow. */
export const SLOW_BELOW = 24 * 1024 * 1024 / 1000
/** Back to whole chunks above this rate (36 MiB/s). */
export const FAST_ABOVE = 36 * 1024 * 1024 / 1000
/** On a slow link, requests ask for pieces of this many bytes (a chunk is verified once all of its pieces are in). */
export const SLOW_PIECE = 16 * 1024
/** On a slow link, about this much of the link's time is asked ahead, ms: what a chat frame may wait behind. */
export const SLOW_AHEAD_MS = 5

/**
 * How much a downloader keeps asked of one holder and not yet received, and
 * in what pieces. What is asked ahead waits at the holder, in its socket and
 * on the link, in front of any chat frame written after it on the same
 * connection. On a fast link (or where the CPUs, not the wire, set the pace)
 * 512 KiB in whole chunks is a few milliseconds and keeps the holder busy.
 * On a slow one (an old switch, Wi-Fi) it is tens of milliseconds of chat
 * waiting (42 ms at 100 Mbit/s), so there the downloader asks for pieces
 * and keeps about SLOW_AHEAD_MS of the rate it measured with the full
 * window asked ahead: that rate is not lowered by the smaller window (which
 * would shrink the window further), and if the rate falls well below it
 * (the round trip needs more in flight) the window doubles back up.
 *
 *   const pacer = new Pacer(m.chunkSize)
 *   // ask while bytes in flight + next piece <= pacer.window, in pieces of pacer.piece bytes
 *   pacer.received(bytes)   // each response
 */
export class Pacer {
  window = FILE_INFLIGHT_BYTES
  piece: number
  #slow = false
  /** The rate (bytes per ms) measured with the whole window asked ahead, when the link turned out slow. */
  #reference = 0
  #sampleStart: number | undefined
  #sampleBytes = 0
  #starved = 0
  #samples = 0

  constructor (readonly chunkSize: number, readonly now: () => number = () => performance.now()) {
    this.piece = chunkSize
  }

  get slow (): boolean { return this.#slow }

  /** `bytes` arrived from the holder (the first call starts the clock). */
  received (bytes: number): void {
    const now = this.now()
    if (this.#sampleStart === undefined) { this.#sampleStart = now; return }
    this.#sampleBytes += bytes
    const elapsed = now - this.#sampleStart
    if (elapsed < (this.#samples === 0 ? FIRST_SAMPLE_MS : SAMPLE_MS)) return
    this.#samples++
    this.#sample(this.#sampleBytes / elapsed)
    this.#sampleStart = now
    this.#sampleBytes = 0
  }

  #sample (rate: number): void {
    if (!this.#slow) {
      if (rate >= SLOW_BELOW || this.chunkSize <= SLOW_PIECE) return
      this.#slow = true
      this.#reference = rate
      this.piece = SLOW_PIECE
      this.window = this.#target()
      return
    }
    if (rate > FAST_ABOVE) {
      this.#slow = false
      this.piece = this.chunkSize
      this.window = FILE_INFLIGHT_BYTES
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

  #target (): number {
    return Math.min(FILE_INFLIGHT_BYTES, Math.max(2 * this.piece, Math.round(this.#reference * SLOW_AHEAD_MS)))
  }
}
