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
 * A pacer on a clock the test moves; `run` feeds it a response of one piece at a time for `ms`, at
 * `mibPerS`, or with a round trip of `rttMs`, at most a window per round trip. `most` is the largest
 * window it has asked ahead so far; `cpu.busy` is the share of the time the event loop is busy.
 */
function paced (chunk = CHUNK): { pacer: Pacer, run: (mibPerS: number, ms: number, rttMs?: number) => void, most: () => number, cpu: { busy: number } } {
  const clock = { t: 0 }
  const cpu = { busy: 0.1 }
  const pacer = new Pacer(chunk, () => clock.t, () => cpu.busy)
  let most = pacer.window
  const run = (mibPerS: number, ms: number, rttMs = 0): void => {
    for (const end = clock.t + ms; clock.t < end;) {
      const perMs = Math.min(mibPerS * MiB / 1000, rttMs > 0 ? pacer.window / rttMs : Infinity)
      clock.t += pacer.piece / perMs
      pacer.received(pacer.piece)
      most = Math.max(most, pacer.window)
    }
  }
  return { pacer, run, most: () => most, cpu }
}

describe('the pacer of a download', () => {
  it('starts with a little asked ahead in pieces, and keeps 512 KiB in whole chunks once the link shows it is fast', () => {
    const { pacer, run } = paced()
    expect([pacer.starting, pacer.piece, pacer.window]).toEqual([true, SLOW_PIECE, START_WINDOW])
    run(110, 3_000, 0.5)
    expect([pacer.starting, pacer.slow, pacer.piece, pacer.window]).toEqual([false, false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('never asks 512 KiB ahead of a slow link, not even while the transfer starts', () => {
    const { pacer, run, most } = paced()
    // 100 Mbit/s on a switch: the start window already fills the link, so one doubling shows the rate does not grow.
    run(11.3, 1_000, 1)
    expect([pacer.slow, pacer.piece]).toEqual([true, SLOW_PIECE])
    expect(most()).toBe(2 * START_WINDOW)
    expect(Math.abs(pacer.window - 11.3 * MiB / 1000 * SLOW_AHEAD_MS)).toBeLessThan(2 * 1024)
  })

  it('grows the start window while the round trip, not the link, holds the rate back', () => {
    const { pacer, run, most } = paced()
    // 100 Mbit/s with a 20 ms round trip: 64 KiB ahead gives 3 MiB/s, 256 KiB the whole link.
    for (let ms = 0; pacer.starting && ms < 2_000; ms += 10) run(11.3, 10, 20)
    expect(pacer.slow).toBe(true)
    expect(most()).toBeGreaterThanOrEqual(256 * 1024)
    // Sized by the link's rate (11.3 MiB/s for SLOW_AHEAD_MS), not by the 3 MiB/s of the first sample.
    expect(Math.abs(pacer.window - 11.3 * MiB / 1000 * SLOW_AHEAD_MS)).toBeLessThan(2 * 1024)
  })

  it('a link that is fast, but only with more asked ahead, gets whole chunks', () => {
    const { pacer, run } = paced()
    // 110 MiB/s with a 5 ms round trip: 64 KiB ahead gives 12.5 MiB/s, 512 KiB all of it.
    run(110, 1_000, 5)
    expect([pacer.starting, pacer.slow, pacer.piece, pacer.window]).toEqual([false, false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('asks for pieces and about SLOW_AHEAD_MS of the link on a slow one, and goes back when it gets fast', () => {
    const { pacer, run } = paced()
    run(11.3, 1_000)
    expect(pacer.slow).toBe(true)
    expect(pacer.piece).toBe(SLOW_PIECE)
    // 11.3 MiB/s for SLOW_AHEAD_MS (3 ms: about 35 KiB), what a chat frame can queue behind (512 KiB was 45 ms of it).
    expect(pacer.window).toBeGreaterThanOrEqual(2 * SLOW_PIECE)
    expect(Math.abs(pacer.window - 11.3 * MiB / 1000 * SLOW_AHEAD_MS)).toBeLessThan(2 * 1024)
    // Same rate with the smaller window: it stays.
    const before = pacer.window
    run(11.3, 2_000)
    expect(pacer.window).toBe(before)
    run(90, 1_000)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('doubles the window when the link gives much less than it did with the whole window asked ahead', () => {
    const { pacer, run } = paced()
    run(20, 1_000)
    const small = pacer.window
    // A round trip longer than the window covers: the rate falls to half of what the link gave.
    run(10, 1_000)
    expect(pacer.window).toBe(Math.min(FILE_INFLIGHT_BYTES, 2 * small))
    // The round trip is short again: the window comes back down to its target.
    run(20, 5_000)
    expect(pacer.window).toBe(small)
  })

  it('keeps whole chunks where the CPU, not the link, holds the rate down', () => {
    const { pacer, run, cpu } = paced()
    // Both ends on one busy machine: 19 MiB/s, the event loop busy most of the time.
    cpu.busy = 0.99
    run(19, 2_000, 0.5)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('goes back to whole chunks when a slow link\'s downloader becomes busy, and to pieces when it is idle again', () => {
    const { pacer, run, cpu } = paced()
    run(11.3, 1_000, 1)
    expect(pacer.slow).toBe(true)
    cpu.busy = 0.97
    run(11.3, 500, 1)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
    cpu.busy = 0.1
    run(11.3, 500, 1)
    expect([pacer.slow, pacer.piece]).toEqual([true, SLOW_PIECE])
  })

  it('never asks for pieces of chunks no larger than a piece', () => {
    const { pacer, run } = paced(SLOW_PIECE)
    run(1, 2_000)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, SLOW_PIECE, FILE_INFLIGHT_BYTES])
  })
})
