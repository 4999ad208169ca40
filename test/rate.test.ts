/**
 * The token bucket that throttles a flooding peer: its waits end on time or at
 * the node's stop, and leave nothing behind on the long-lived stop signal (a
 * flood makes one wait per frame, for as long as the node runs).
 */
import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { TokenBucket, untilAborted } from '../main/net/rate.js'

describe('TokenBucket', () => {
  it('a throttled take leaves no listener on the signal it was given, wait after wait', async () => {
    const stop = new AbortController()
    const bucket = new TokenBucket(20_000, 1)
    let throttled = 0
    for (let i = 0; i < 300; i++) if (await bucket.take(1, stop.signal)) throttled++
    expect(throttled).toBeGreaterThan(250)
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0)
  })

  it('a wait ends when the signal aborts, without taking the tokens', async () => {
    const stop = new AbortController()
    const bucket = new TokenBucket(1, 1)
    expect(await bucket.take(1)).toBe(false)
    const started = performance.now()
    setTimeout(() => stop.abort(), 50)
    expect(await bucket.take(1, stop.signal)).toBe(true)
    // Ended by the abort, well before the second a token takes to come.
    expect(performance.now() - started).toBeLessThan(900)
    expect(bucket.tryTake(1)).toBe(false)
  })
})

describe('untilAborted', () => {
  it('takes its listener off the signal whichever comes first', async () => {
    const stop = new AbortController()
    for (let i = 0; i < 100; i++) await untilAborted(Promise.resolve(), stop.signal)
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0)
    let settled = false
    const never = new Promise<void>(() => {})
    const waiting = untilAborted(never, stop.signal).then(() => { settled = true })
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(settled).toBe(false)
    stop.abort()
    await waiting
    expect(settled).toBe(true)
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0)
    // Already aborted: it does not wait at all.
    await untilAborted(never, stop.signal)
  })
})
