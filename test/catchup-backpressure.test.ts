import { afterEach, describe, expect, it } from 'vitest'
import { READ_PAUSE_AT } from '../main/chat/intake.js'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(cleanup)

describe('a long catch-up', () => {
  it('arrives whole and is sent once, however far it outruns the reader', async () => {
    const author = await startPeer('author')
    // More than a link's share of the intake queue (20,000), and past where its reader pauses.
    const total = 25_000
    expect(total).toBeGreaterThan(READ_PAUSE_AT)
    for (let i = 0; i < total; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, total - i) }, async (_, k) => await author.engine.send('lobby', `m${i + k}`)))
    }
    const sentBefore = author.engine.stats().wire.envelopes
    const late = await startPeer('late')
    await connect(late, author)
    await until('the whole history', () => late.engine.stats().received >= total, 120_000)
    // A message dropped for room and asked for again would have gone twice: before the reader paused,
    // 29,744 went for 25,000; and before a sync round waited for the answer on its way, 25,744 once in CI.
    const sent = author.engine.stats().wire.envelopes - sentBefore
    expect(sent).toBeGreaterThanOrEqual(total)
    expect(sent).toBeLessThan(total * 1.01)
    const texts = new Set(late.delivered())
    expect(texts.size).toBe(total)
    expect(texts.has('m0') && texts.has(`m${total - 1}`)).toBe(true)
  }, 180_000)
})

describe('a sync round during a catch-up', () => {
  it('does not ask again for what is already on its way', async () => {
    // Sync rounds every 100 ms: dozens of them fall while the catch-up is still arriving.
    const fast = { syncIntervalMs: 100 }
    const author = await startPeer('author', fast)
    const total = 8_000
    for (let i = 0; i < total; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, total - i) }, async (_, k) => await author.engine.send('lobby', `m${i + k}`)))
    }
    const sentBefore = author.engine.stats().wire.envelopes
    const late = await startPeer('late', fast)
    await connect(late, author)
    await until('the whole history', () => late.engine.stats().received >= total, 120_000)
    // A few more rounds once it is all in: still nothing more to send.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const sent = author.engine.stats().wire.envelopes - sentBefore
    expect(sent).toBeGreaterThanOrEqual(total)
    expect(sent).toBeLessThan(total * 1.01)
    expect(new Set(late.delivered()).size).toBe(total)
  }, 180_000)
})
