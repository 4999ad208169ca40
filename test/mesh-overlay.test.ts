import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, startPeer, stopPeer, until, type TestPeer } from './helpers/peers.js'
import { LanDirectory } from './helpers/directory.js'

/**
 * A classroom on one LAN: every peer hears of every other (as mDNS tells
 * them), yet each keeps a few links, and messages still reach everyone —
 * through a partition and its heal, and after a fifth of the class leaves.
 */

const N = 50

async function classroom (n: number, opts: Parameters<typeof startPeer>[1] = {}): Promise<TestPeer[]> {
  const lan = new LanDirectory()
  const peers: TestPeer[] = []
  // Started a few at a time: fifty handshakes at once on two cores is a test of the machine.
  for (let i = 0; i < n; i += 10) {
    peers.push(...await Promise.all(Array.from({ length: Math.min(10, n - i) }, async (_, k) =>
      await startPeer(`p${i + k}`, { peerDiscovery: [lan.discovery()], ...opts }))))
  }
  return peers
}

function presenceOf (viewer: TestPeer, of: TestPeer): string | undefined {
  return viewer.engine.peers().find(v => v.peerId === of.engine.peerId)?.presence
}

function linkCounts (peers: TestPeer[]): number[] {
  return peers.map(p => p.engine.peers().filter(v => v.connected).length)
}

const has = (p: TestPeer, text: string): boolean => p.delivered().includes(text)

describe('a mesh of 50 peers that all know each other', () => {
  afterEach(cleanup)

  it('keeps a few links each, not 49, and every message reaches every peer', async () => {
    const peers = await classroom(N)
    await until('every peer linked', () => linkCounts(peers).every(k => k >= 2), 30_000)
    const senders = [peers[0]!, peers[17]!, peers[49]!]
    for (const [i, s] of senders.entries()) await s.engine.send('lobby', `hello ${i}`)
    await until('all delivered everywhere', () => peers.every(p => senders.every((_, i) => has(p, `hello ${i}`))), 60_000)
    const links = linkCounts(peers)
    expect(Math.max(...links)).toBeLessThanOrEqual(20)
    // A full mesh would be 49 each; the overlay keeps about twice its four dials.
    expect(links.reduce((a, b) => a + b, 0) / N).toBeLessThan(12)
    // One order everywhere.
    const order = peers[0]!.engine.history('lobby').map(m => m.id)
    for (const p of peers) expect(p.engine.history('lobby').map(m => m.id)).toEqual(order)
  }, 120_000)

  it('a partition into two halves chats on both sides and converges after the heal', async () => {
    const peers = await classroom(N)
    await until('every peer linked', () => linkCounts(peers).every(k => k >= 2), 30_000)
    const left = peers.slice(0, N / 2)
    const right = peers.slice(N / 2)
    for (const p of left) for (const q of right) await p.engine.cut(q.engine.peerId)
    for (const q of right) for (const p of left) await q.engine.cut(p.engine.peerId)
    await until('no link crosses', () => left.every(p => p.engine.peers().every(v => !v.connected || left.some(l => l.engine.peerId === v.peerId))), 30_000)
    await left[3]!.engine.send('lobby', 'from the left')
    await right[7]!.engine.send('lobby', 'from the right')
    await until('each half has its own', () => left.every(p => has(p, 'from the left')) && right.every(p => has(p, 'from the right')), 60_000)
    expect(left.some(p => has(p, 'from the right'))).toBe(false)
    expect(right.some(p => has(p, 'from the left'))).toBe(false)
    for (const p of peers) p.engine.heal()
    await until('converged', () => peers.every(p => has(p, 'from the left') && has(p, 'from the right')), 60_000)
    const order = peers[0]!.engine.history('lobby').map(m => m.id)
    for (const p of peers) expect(p.engine.history('lobby').map(m => m.id)).toEqual(order)
  }, 180_000)

  it('survives a fifth of the peers leaving at once', async () => {
    const peers = await classroom(N)
    await until('every peer linked', () => linkCounts(peers).every(k => k >= 2), 30_000)
    const leaving = peers.filter((_, i) => i % 5 === 2)
    const staying = peers.filter((_, i) => i % 5 !== 2)
    await Promise.all(leaving.map(stopPeer))
    await staying[0]!.engine.send('lobby', 'who is still here?')
    await staying[39]!.engine.send('lobby', 'me')
    await until('everyone left delivered both', () => staying.every(p => has(p, 'who is still here?') && has(p, 'me')), 60_000)
    expect(Math.min(...linkCounts(staying))).toBeGreaterThanOrEqual(1)
  }, 180_000)
})

describe('presence in a mesh where most peers are not linked', () => {
  afterEach(cleanup)

  it('everyone sees everyone online, away and then gone; swapping links does not read as leaving', async () => {
    // Links swapped every ~1.5 s here (every ~2 min by default), to see that a swap is not a departure.
    const peers = await classroom(20, { overlay: { rotateMs: 1_500 } })
    const everyoneSees = (state: string, who: TestPeer[], viewers = peers): boolean =>
      viewers.every(v => who.every(o => o === v || presenceOf(v, o) === state))
    await until('everyone sees the other 19 online', () => everyoneSees('online', peers), 60_000)
    // Not by links: most pairs have none.
    expect(peers.some(v => v.engine.peers().some(o => o.presence === 'online' && !o.connected))).toBe(true)
    const wentOffline = (p: TestPeer): string[] => p.events.flatMap(e => e.type === 'peer:presence' && e.state === 'offline' ? [e.peerId] : [])
    const before = peers.map(p => wentOffline(p).length)
    await new Promise(resolve => setTimeout(resolve, 5_000))
    // Links came and went meanwhile, yet nobody read anybody as gone.
    expect(peers.map(p => wentOffline(p).length)).toEqual(before)
    expect(everyoneSees('online', peers)).toBe(true)

    const [away, quitter] = [peers[5]!, peers[7]!]
    away.engine.setPresence('away')
    await until('everyone sees p5 away', () => everyoneSees('away', [away]), 20_000)
    await stopPeer(quitter)
    const rest = peers.filter(p => p !== quitter)
    await until('everyone sees p7 offline', () => everyoneSees('offline', [quitter], rest), 20_000)
    expect(rest.every(v => v.engine.peers().find(o => o.peerId === quitter.engine.peerId)?.lastSeen !== undefined)).toBe(true)
  }, 180_000)
})
