import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, startPeer, stopPeer, until, type TestPeer } from './helpers/peers.js'
import { LanDirectory } from './helpers/directory.js'

/**
 * "Last seen" after a restart comes from the peer book: a link swapped for
 * another (the overlay's rotation) is the peer seen until then, not when that
 * link came up. The book also ages peers out by it.
 */
describe('the peer book after a swapped link', () => {
  afterEach(cleanup)

  it('keeps the swap as when the peer was last seen, read back after a restart', async () => {
    const lan = new LanDirectory()
    // One link dialed each, swapped every ~1.5 s here (four and ~2 min by default).
    const peers: TestPeer[] = []
    for (const name of ['a', 'b', 'c', 'd', 'e']) peers.push(await startPeer(name, { peerDiscovery: [lan.discovery()], overlay: { outbound: 1, rotateMs: 1_500 } }))
    const a = peers[0]!
    let swapped: { peerId: string, at: number } | undefined
    a.engine.on(e => {
      if (swapped === undefined && e.type === 'peer:disconnect' && e.staying === true) swapped = { peerId: e.peerId, at: Date.now() }
    })
    await until('a swaps a link away', () => swapped !== undefined, 60_000)
    // Stopped at once, before the overlay links that peer again.
    await stopPeer(a)
    const { peerId, at } = swapped!
    const again = await startPeer('a', { dataDir: a.dataDir })
    const seen = again.engine.peers().find(p => p.peerId === peerId)
    expect(seen?.presence).toBe('offline')
    expect(seen?.lastSeen).toBeGreaterThanOrEqual(at - 50)
  }, 90_000)
})
