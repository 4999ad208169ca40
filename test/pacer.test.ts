/**
 * What a downloader asks of one holder ahead (main/chat/pacer.ts), on a
 * clock the test moves: whole chunks and 512 KiB where the link is fast,
 * pieces and a few milliseconds of the link where it is slow.
 */
import { describe, expect, it } from 'vitest'
import { Pacer, SLOW_AHEAD_MS, SLOW_PIECE } from '../main/chat/pacer.js'
import { FILE_INFLIGHT_BYTES } from '../main/net/constants.js'

const CHUNK = 256 * 1024
const MiB = 1024 * 1024

/** A pacer on a clock the test moves; `run` feeds it a response of one piece at a time at `mibPerS`, for `ms`. */
function paced (chunk = CHUNK): { pacer: Pacer, run: (mibPerS: number, ms: number) => void } {
  const clock = { t: 0 }
  const pacer = new Pacer(chunk, () => clock.t)
  const run = (mibPerS: number, ms: number): void => {
    for (const end = clock.t + ms; clock.t < end; clock.t += pacer.piece / (mibPerS * MiB / 1000)) pacer.received(pacer.piece)
  }
  return { pacer, run }
}

describe('the pacer of a download', () => {
  it('keeps 512 KiB in whole chunks asked ahead where the link is fast', () => {
    const { pacer, run } = paced()
    expect([pacer.piece, pacer.window]).toEqual([CHUNK, FILE_INFLIGHT_BYTES])
    run(110, 3_000)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, CHUNK, FILE_INFLIGHT_BYTES])
  })

  it('asks for pieces and about SLOW_AHEAD_MS of the link on a slow one, and goes back when it gets fast', () => {
    const { pacer, run } = paced()
    run(11.3, 1_000)
    expect(pacer.slow).toBe(true)
    expect(pacer.piece).toBe(SLOW_PIECE)
    // 11.3 MiB/s for 5 ms: about 58 KiB, what a chat frame can queue behind (512 KiB was 45 ms of it).
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

  it('never asks for pieces of chunks no larger than a piece', () => {
    const { pacer, run } = paced(SLOW_PIECE)
    run(1, 2_000)
    expect([pacer.slow, pacer.piece, pacer.window]).toEqual([false, SLOW_PIECE, FILE_INFLIGHT_BYTES])
  })
})
