import { afterEach, describe, expect, it } from 'vitest'
import { Attacker } from './helpers/attacker.js'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(cleanup)

const queued = (stats: unknown): number => (stats as { queuedBytes: number }).queuedBytes
const TEXT = 'x'.repeat(4000)

/**
 * Live sends respect the links' flow control: a sender faster than its
 * links slows down instead of queueing without bound — unless only a
 * minority of links is behind (one peer that does not read costs itself).
 */
describe('backpressure on live sends', () => {
  it('when its links do not take what it sends, the sender slows down and its queue stays bounded', async () => {
    const a = await startPeer('a')
    const sink = await Attacker.connect(a.addr(), 'sink', { read: false })
    await until('a sees the sink', () => a.engine.peers().some(p => p.peerId === sink.peerId && p.connected))
    let sent = 0
    let max = 0
    let stop = false
    const sending = (async () => {
      while (!stop) {
        await Promise.all(Array.from({ length: 50 }, async () => { await a.engine.send('lobby', TEXT); sent++ }))
        // Let timers run between bursts (without backpressure the sends never wait for anything).
        await new Promise(resolve => setImmediate(resolve))
      }
    })()
    const end = Date.now() + 6000
    while (Date.now() < end) {
      max = Math.max(max, queued(a.engine.stats()))
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    stop = true
    // 6 s of sending 4 KB messages as fast as possible: without backpressure, thousands queue up (tens of MB).
    expect(max).toBeLessThan(4 * 1024 * 1024)
    expect(sent).toBeLessThan(1500)
    await sink.stop()
    await sending
  }, 60_000)

  it('one peer that does not read does not slow the sender\'s chat with the others', async () => {
    const a = await startPeer('a')
    const friend = await startPeer('friend')
    await connect(friend, a)
    const sink = await Attacker.connect(a.addr(), 'sink', { read: false })
    await until('a sees the sink', () => a.engine.peers().some(p => p.peerId === sink.peerId && p.connected))
    const t0 = Date.now()
    for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 100 }, async (_, k) => await a.engine.send('lobby', `${i}-${k} ${TEXT}`)))
    await until('the friend has all 1000', () => friend.engine.stats().received >= 1000, 20_000)
    expect(Date.now() - t0).toBeLessThan(15_000)
    await sink.stop()
  }, 60_000)
})
