import { afterEach, describe, expect, it } from 'vitest'
import { cleanup as cleanupPeers, connect, startPeer, until } from './helpers/peers.js'
import { cleanupHubs, startClient, startHub, stopHub } from './helpers/hub.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanupPeers()
})

const N = 5000

function inMemory (stats: unknown): number {
  return (stats as { messagesInMemory: number }).messagesInMemory
}

/**
 * The history lives in the database: a peer keeps in memory each author's
 * newest message and the newest few thousand delivered, and reads the rest
 * back for a page of the UI, a catch-up or a want.
 */
describe('a history larger than what is kept in memory', () => {
  it('P2P: memory stays bounded, a restart loads nothing, and a newcomer still catches up on all of it in order', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(b, a)
    for (let i = 0; i < N; i += 500) {
      await Promise.all(Array.from({ length: 500 }, async (_, k) => await a.engine.send(k % 2 === 0 ? 'lobby' : 'kitchen', `m${i + k}`)))
    }
    await until('b has everything', () => b.delivered().length === N, 30_000)
    expect(inMemory(a.engine.stats())).toBeLessThanOrEqual(2048)
    expect(inMemory(b.engine.stats())).toBeLessThanOrEqual(2048)

    await a.engine.stop()
    await a.engine.start()
    expect(inMemory(a.engine.stats())).toBe(0)
    expect(a.engine.rooms()).toEqual(expect.arrayContaining(['lobby', 'kitchen']))
    // The newest page, and the one before it, come from the database in display order.
    const newest = a.engine.history('lobby', { limit: 200 })
    expect(newest.map(m => m.text)).toEqual(Array.from({ length: 200 }, (_, k) => `m${N - 400 + 2 * k}`))
    const older = a.engine.history('lobby', { before: newest[0]!.id, limit: 200 })
    expect(older.at(-1)!.text).toBe(`m${N - 402}`)

    // A newcomer gets all of it from the restarted peer, read back from its database.
    const c = await startPeer('c')
    await connect(c, a)
    await until('c caught up', () => c.delivered().length === N, 30_000)
    expect(c.engine.history('lobby').map(m => m.id)).toEqual(a.engine.history('lobby').map(m => m.id))
    expect(inMemory(c.engine.stats())).toBeLessThanOrEqual(2048)

    // The chain goes on after the restart: the others deliver what it sends next.
    await a.engine.send('lobby', 'after the restart')
    await until('b and c have it', () => b.delivered().includes('after the restart') && c.delivered().includes('after the restart'))
  }, 120_000)

  it('client-server: the hub keeps a bounded window, restarts without loading its log, and serves a new client all of it', async () => {
    const first = await startHub({ ratePerSecond: 100_000, rateBurst: 100_000 })
    const alice = await startClient('alice', first.addr())
    await until('alice joined', () => alice.engine.stats().connections.length > 0)
    for (let i = 0; i < N; i += 500) {
      await Promise.all(Array.from({ length: 500 }, async (_, k) => await alice.engine.send('lobby', `h${i + k}`)))
    }
    await until('the hub numbered everything', () => first.hub.lastSeq === N, 30_000)
    await until('the hub trimmed', () => inMemory(first.hub.stats()) <= 2048)

    const dataDir = first.dataDir
    await stopHub(first)
    const again = await startHub({ dataDir, ratePerSecond: 100_000, rateBurst: 100_000 })
    expect(again.hub.lastSeq).toBe(N)
    expect(inMemory(again.hub.stats())).toBe(0)
    expect(again.hub.history('lobby', { limit: 3 }).map(m => m.text)).toEqual([`h${N - 3}`, `h${N - 2}`, `h${N - 1}`])

    const bob = await startClient('bob', again.addr())
    await until('bob caught up', () => bob.delivered().length === N, 30_000)
    expect(bob.engine.history('lobby').map(m => m.seq)).toEqual(Array.from({ length: N }, (_, k) => k + 1))
  }, 120_000)
})
