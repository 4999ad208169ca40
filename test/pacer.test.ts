/**
 * What a downloader asks of one holder ahead (main/chat/pacer.ts), on a
 * clock the test moves: a little in pieces while a transfer starts, then
 * whole chunks and 512 KiB where the link is fast, pieces and a few
 * milliseconds of the link where it is slow.
 */
import { describe, expect, it } from 'vitest'
import { Pacer, SLOW_AHEAD_MS, SLOW_PIECE, START_WINDOW } from '../main/chat/pacer.js'
import { FILE_INFLIGHT_BYTES } from '../main/net/constants.js'

const CHUNK = 256 * 1024
const MiB = 1024 * 1024

/**
 * A downloader, a holder and the link between them, on a clock the test moves. The downloader asks
 * while what is in flight leaves room in the pacer's window; a request reaches the holder half a
 * round trip later, waits there behind what the link still has to send, goes out at the link's
 * rate and arrives half a round trip after. `run(mibPerS, ms, rttMs)` runs it for `ms`; `since()`
 * says, since its last call, the rate delivered and the longest a request waited at the holder
 * behind the link: what a chat frame written then would have waited. `most` is the largest window
 * asked ahead so far; `cpu.busy` the share of the time the event loop is busy, `cpu.holder` the
 * holder's, as its responses say.
 */
function simulated (chunk = CHUNK, pieces = true): {
  pacer: Pacer
  run: (mibPerS: number, ms: number, rttMs?: number) => void
  since: () => { mibPerS: number, waitMs: number }
  most: () => number
  cpu: { busy: number, holder: number }
} {
  const clock = { t: 0 }
  const cpu = { busy: 0.1, holder: 0.1 }
  const pacer = new Pacer(chunk, { now: () => clock.t, busy: () => cpu.busy, pieces })
  const flight: Array<{ asked: number, bytes: number, arrives: number }> = []
  let inFlight = 0
  let linkFreeAt = 0
  let most = pacer.window
  let delivered = 0
  let from = 0
  let waitMs = 0
  const run = (mibPerS: number, ms: number, rttMs = 0): void => {
    const perMs = mibPerS * MiB / 1000
    for (const end = clock.t + ms; clock.t < end;) {
      while (flight.length === 0 || inFlight + pacer.piece <= pacer.window) {
        const atHolder = clock.t + rttMs / 2
        const sent = Math.max(atHolder, linkFreeAt)
        waitMs = Math.max(waitMs, sent - atHolder)
        linkFreeAt = sent + pacer.piece / perMs
        flight.push({ asked: clock.t, bytes: pacer.piece, arrives: linkFreeAt + rttMs / 2 })
        inFlight += pacer.piece
      }
      const next = flight.shift()!
      clock.t = Math.max(clock.t, next.arrives)
      inFlight -= next.bytes
      delivered += next.bytes
      pacer.received(next.bytes, clock.t - next.asked, cpu.holder)
      most = Math.max(most, pacer.window)
    }
  }
  const since = (): { mibPerS: number, waitMs: number } => {
    const r = { mibPerS: delivered / MiB / ((clock.t - from) / 1000), waitMs }
    delivered = 0
    from = clock.t
    waitMs = 0
    return r
  }
  return { pacer, run, since, most: () => most, cpu }
}

/** How long one piece takes on a link of `mibPerS`, ms. */
const pieceMs = (mibPerS: number): number => SLOW_PIECE / (mibPerS * MiB / 1000)

describe('the pacer of a download', () => {
  it('starts with a little asked ahead in pieces, and keeps 512 KiB in whole chunks once the link shows it is fast', () => {
    const { pacer, run } = simulated()
    expect([pacer.starting, pacer.piece, pacer.window]).toEqual([true, SLOW_PIECE, START_WINDOW])
    run(110, 3_000, 0.5)
    expect([pacer.starting, pacer.slow, pacer.piece, pacer.window]).toEqual([false, false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('on a slow link asks for pieces, never 512 KiB ahead, and keeps the link busy with little queued in front of chat', () => {
    const { pacer, run, since, most } = simulated()
    // 100 Mbit/s on a switch: the start window already fills the link, so one doubling shows the rate does not grow.
    run(11.3, 1_000, 1)
    expect([pacer.slow, pacer.piece]).toEqual([true, SLOW_PIECE])
    expect(most()).toBe(2 * START_WINDOW)
    since()
    run(11.3, 3_000, 1)
    const { mibPerS, waitMs } = since()
    expect(mibPerS).toBeGreaterThan(0.95 * 11.3)
    // 512 KiB ahead was 45 ms of this link in front of every chat frame.
    expect(waitMs).toBeLessThanOrEqual(SLOW_AHEAD_MS + pieceMs(11.3))
  })

  for (const [what, mibPerS, rttMs] of [['a Wi-Fi', 20, 5], ['a long', 11.3, 20]] as const) {
    it(`fills a slow link with ${what} round trip (${mibPerS} MiB/s, ${rttMs} ms), and queues no more in front of chat`, () => {
      const { pacer, run, since, most } = simulated()
      run(mibPerS, 2_000, rttMs)
      expect(pacer.slow).toBe(true)
      // While starting, the window grew past the 64 KiB that covered only part of the round trip.
      expect(most()).toBeGreaterThan(START_WINDOW)
      since()
      run(mibPerS, 5_000, rttMs)
      const r = since()
      expect(r.mibPerS).toBeGreaterThan(0.95 * mibPerS)
      expect(r.waitMs).toBeLessThanOrEqual(SLOW_AHEAD_MS + pieceMs(mibPerS))
    })
  }

  it('a link that is fast, but only with more asked ahead, gets whole chunks', () => {
    const { pacer, run } = simulated()
    // 110 MiB/s with a 5 ms round trip: 64 KiB ahead gives 12.5 MiB/s, 512 KiB all of it.
    run(110, 1_000, 5)
    expect([pacer.starting, pacer.slow, pacer.piece, pacer.window]).toEqual([false, false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('goes back to whole chunks when the link gets fast', () => {
    const { pacer, run } = simulated()
    run(11.3, 1_000, 1)
    expect(pacer.slow).toBe(true)
    run(90, 1_000, 1)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('doubles the window when the round trip grows during a transfer, and brings it back when it shrinks', () => {
    const { pacer, run, since } = simulated()
    run(20, 1_000, 1)
    const small = pacer.window
    since()
    // The round trip grows to 10 ms after it was measured: the window no longer covers it.
    run(20, 3_000, 10)
    expect(pacer.window).toBeGreaterThan(small)
    run(20, 2_000, 10)
    expect(since().mibPerS).toBeGreaterThan(0.7 * 20)
    // The round trip is short again: the window comes back down, and so does what chat waits behind.
    run(20, 5_000, 1)
    expect(pacer.window).toBeLessThan(1.1 * small)
    since()
    run(20, 1_000, 1)
    expect(since().waitMs).toBeLessThanOrEqual(SLOW_AHEAD_MS + pieceMs(20))
  })

  it('keeps whole chunks where the CPU, not the link, holds the rate down', () => {
    const { pacer, run, cpu } = simulated()
    // Both ends on one busy machine: 19 MiB/s, the event loop busy nearly all the time.
    cpu.busy = 0.99
    run(19, 2_000, 0.5)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('goes back to whole chunks when pieces keep the downloader busy, and to pieces when it is idle again, a second later', () => {
    const { pacer, run, cpu } = simulated()
    // Two processes on one machine, the transfer started cold: slow at first, like a link.
    run(18, 1_000, 0.5)
    expect(pacer.slow).toBe(true)
    // Asking for pieces, a downloader waiting on its link is mostly idle; this one is busy most of the time.
    cpu.busy = 0.9
    run(18, 260, 0.5)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
    // Idle again at a link's rate: whole chunks are kept for a second (HOLD_MS), then pieces again.
    cpu.busy = 0.1
    run(18, 500, 0.5)
    expect(pacer.slow).toBe(false)
    run(18, 1_000, 0.5)
    expect([pacer.slow, pacer.piece]).toEqual([true, SLOW_PIECE])
  })

  it('a downloader busy between the two thresholds does not switch between pieces and whole chunks every sample', () => {
    const { pacer, run, cpu } = simulated()
    run(18, 1_000, 0.5)
    expect(pacer.slow).toBe(true)
    // A slow core on a 100 Mbit/s-class link: busy 0.87 whichever way it asks, above the share that sends
    // pieces back to whole chunks (0.85) and below the one that keeps whole chunks (0.9).
    cpu.busy = 0.87
    const spells: Array<{ slow: boolean, ms: number }> = []
    for (let t = 0; t < 20_000; t += 50) {
      run(18, 50, 0.5)
      const last = spells.at(-1)
      if (last?.slow === pacer.slow) last.ms += 50
      else spells.push({ slow: pacer.slow, ms: 50 })
    }
    // Each time pieces are left for a busy CPU, whole chunks are kept twice as long as the time before.
    const whole = spells.filter(s => !s.slow).map(s => s.ms)
    expect(spells.length).toBeLessThanOrEqual(12)
    for (let i = 1; i < whole.length - 1; i++) expect(whole[i]).toBeGreaterThan(1.5 * whole[i - 1]!)
    // Pieces are tried again now and then: the CPU may have been busy with something else.
    expect(spells.filter(s => s.slow).length).toBeGreaterThanOrEqual(3)
    // Idle for a long while in pieces, then busy for a moment (another program): a short hold again.
    cpu.busy = 0.1
    run(18, 40_000, 0.5)
    expect(pacer.slow).toBe(true)
    cpu.busy = 0.95
    run(18, 300, 0.5)
    expect(pacer.slow).toBe(false)
    cpu.busy = 0.1
    run(18, 1_500, 0.5)
    expect(pacer.slow).toBe(true)
  })

  it('asks a holder whose CPU sets the pace (it serves many at once) for whole chunks, and for pieces once it is idle', () => {
    const { pacer, run, cpu } = simulated()
    // This downloader gets 8 MiB/s, a share of a holder busy nearly all the time; it is idle itself.
    cpu.holder = 0.97
    run(8, 2_000, 0.5)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
    // The others finished: the holder is idle, and 8 MiB/s is now the link's. Pieces.
    cpu.holder = 0.2
    run(8, 600, 0.5)
    expect([pacer.slow, pacer.piece]).toEqual([true, SLOW_PIECE])
    // Saturated again while this one asks for pieces: whole chunks again.
    cpu.holder = 0.95
    run(8, 600, 0.5)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('goes back to whole chunks when the rate in pieces grows well past what was measured (a link\'s does not)', () => {
    const { pacer, run } = simulated()
    run(18, 1_000, 0.5)
    expect(pacer.slow).toBe(true)
    // The code warmed up, or another transfer ended: what looked like a link's rate was not.
    run(30, 600, 0.5)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('never asks for pieces of chunks no larger than a piece', () => {
    const { pacer, run } = simulated(SLOW_PIECE)
    run(1, 2_000, 1)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, SLOW_PIECE, FILE_INFLIGHT_BYTES])
  })

  it('asks a holder that answers whole chunks only for whole chunks, from the start and on a slow link', () => {
    const { pacer, run, most } = simulated(CHUNK, false)
    expect([pacer.piece, pacer.window]).toEqual([CHUNK, FILE_INFLIGHT_BYTES])
    run(1, 2_000, 1)
    expect([pacer.slow, pacer.piece, most()]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
  })
})
