import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(cleanup)

describe('delivery receipts', () => {
  it('in a mesh every peer hears of every delivery: the author, and each delivering peer\'s neighbours', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    const c = await startPeer('c')
    await connect(a, b)
    await connect(b, c)
    await connect(c, a)
    const sent = await a.engine.send('lobby', 'who got it?')
    const by = (p: typeof a): string[] => p.engine.receiptsOf(sent.id).map(r => r.by).sort()
    const others = [b.engine.peerId, c.engine.peerId].sort()
    await until('a hears from b and c', () => by(a).length === 2)
    await until('b hears c, c hears b', () => by(b).length === 2 && by(c).length === 2)
    expect(by(a)).toEqual(others)
    expect(by(b)).toEqual(others)
    expect(by(c)).toEqual(others)
    // Each receipt once, however many ways it could have come.
    expect(a.events.filter(e => e.type === 'receipt' && e.id === sent.id)).toHaveLength(2)
  })
})
