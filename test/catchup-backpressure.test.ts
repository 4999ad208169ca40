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
    // 29,744 went for 25,000. What may still go twice is what a sync round asks for while it is on its
    // way (on a loaded machine, a few percent: 744 once in CI), not what the reader had no room for.
    const sent = author.engine.stats().wire.envelopes - sentBefore
    expect(sent).toBeGreaterThanOrEqual(total)
    expect(sent).toBeLessThan(total * 1.05)
    const texts = new Set(late.delivered())
    expect(texts.size).toBe(total)
    expect(texts.has('m0') && texts.has(`m${total - 1}`)).toBe(true)
  }, 180_000)
})
