import { afterEach, describe, expect, it } from 'vitest'
import { cleanupHubs, startClient, startHub, type TestClient } from './helpers/hub.js'
import { cleanup, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

describe('one hub, 100 clients on this machine', () => {
  it('serves them all: each client\'s message reaches all 100 in the same seq order', async () => {
    const { addr, hub } = await startHub()
    const clients: TestClient[] = []
    // Join in groups of 10, as a LAN's worth of apps starting would.
    for (let g = 0; g < 10; g++) {
      clients.push(...await Promise.all(Array.from({ length: 10 }, async (_, i) => await startClient(`c${g * 10 + i}`, addr()))))
    }
    await until('all 100 joined', () => clients.every(c => c.engine.connected), 60_000)
    expect(hub.stats().clients).toBe(100)
    await Promise.all(clients.map(async (c, i) => { await c.engine.send('lobby', `hi from ${i}`) }))
    await until('100 messages at every client', () => clients.every(c => c.delivered().length === 100), 60_000)
    const order = clients[0]!.delivered().map(e => e.id)
    for (const c of clients) {
      expect(c.delivered().map(e => e.id)).toEqual(order)
      expect(c.delivered().map(e => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    }
  }, 180_000)
})
