import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, connect, startPeer, texts, until } from './helpers/peers.js'

afterEach(cleanup)

describe('two peers on loopback', () => {
  it('deliver each other\'s messages in the same order with Lamport stamps', async () => {
    const alice = await startPeer('alice')
    const bob = await startPeer('bob')
    await connect(alice, bob)
    const connect4 = alice.events.find(e => e.type === 'peer:connect')
    expect(connect4).toMatchObject({ peerId: bob.engine.peerId, name: 'bob' })
    expect((connect4 as { local: string }).local).toMatch(/^127\.0\.0\.1:\d+$/)
    await alice.engine.send('lobby', 'hi bob')
    await until('bob has it', () => bob.delivered().includes('hi bob'))
    await bob.engine.send('lobby', 'hi alice')
    await until('alice has it', () => alice.delivered().includes('hi alice'))
    expect(texts(alice)).toEqual(['hi bob', 'hi alice'])
    expect(texts(bob)).toEqual(texts(alice))
    const [first, second] = bob.engine.history('lobby')
    expect(second!.lamport).toBeGreaterThan(first!.lamport)
    expect(second!.deps).toContain(first!.id)
  })
})
