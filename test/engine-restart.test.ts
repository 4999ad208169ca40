import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(cleanup)

// A stopped engine lets its in-memory history go (libp2p's leftover timers
// would otherwise keep it alive); the same object started again reloads it.
describe('stop and start the same engine object (what a failed mode switch does)', () => {
  it('has the same history, once, and its chain and clock go on', async () => {
    const a = await startPeer('a')
    await Promise.all(['one', 'two', 'three'].map(t => a.engine.send('lobby', t)))
    const before = a.engine.history('lobby').map(m => m.id)
    const clock = a.engine.clock
    await a.engine.stop()
    await a.engine.start()
    expect(a.engine.history('lobby').map(m => m.id)).toEqual(before)
    expect(a.engine.clock).toBeGreaterThanOrEqual(clock)
    const b = await startPeer('b')
    await connect(b, a)
    const four = await a.engine.send('lobby', 'four')
    expect(four.deps).toContain(before[2])
    await until('b has all four', () => b.delivered().length === 4)
    expect(b.engine.history('lobby').map(m => m.text)).toEqual(['one', 'two', 'three', 'four'])
  })
})
