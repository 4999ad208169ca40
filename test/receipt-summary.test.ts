import type { PrivateKey } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import { REORDER_MS } from '../main/chat/delivery-summary.js'
import { signSync } from '../main/chat/verify.js'
import { decodeFrame, encodeFrame, type Frame } from '../main/net/codec.js'
import { FrameError } from '../main/net/errors.js'
import { MAX_SUMMARY_ENTRIES, decodeSummary, encodeSummary, summarySigned, type SummaryEntry } from '../main/net/summary-codec.js'
import { Attacker } from './helpers/attacker.js'
import { LanDirectory } from './helpers/directory.js'
import { cleanup, connect, startPeer, until, type TestPeer } from './helpers/peers.js'

/**
 * "Delivered to k of n" and the space-time diagram for everyone: each peer's
 * signed summary of what it delivered reaches every peer of a sparse mesh,
 * not only the authors; and a summary counts only when its peer signed it.
 */

afterEach(cleanup)

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const refuse = (reason: string): Error => new FrameError(reason)
const prefix = (id: string): string => id.slice(0, 16)

function summaryFrame (key: PrivateKey, by: string, serial: number, entries: SummaryEntry[]): Frame {
  const view = { by, serial, entries }
  const summary = encodeSummary(view)
  return { type: 'delivery-summaries', summaries: [{ summary, sig: signSync(key, summarySigned(summary)), view }] }
}

const byOf = (p: TestPeer, id: string): string[] => p.engine.receiptsOf(id).map(r => r.by).sort()

describe('the delivery summary on the wire', () => {
  it('round-trips, at about a dozen bytes a delivery', () => {
    const at = Date.now()
    const entries = Array.from({ length: 100 }, (_, i) => ({ prefix: (i * 7919).toString(16).padStart(16, '0'), lamport: 1_000 + 3 * i, at: at + 20 * i }))
    const view = { by: '12D3KooWExample', serial: at, entries }
    const bytes = encodeSummary(view)
    expect(decodeSummary(bytes, refuse)).toEqual(view)
    // 8 bytes of id, two small varints; a Receipt was ~50 bytes and a batch of them repeated nothing less.
    expect(bytes.byteLength / entries.length).toBeLessThan(12)
  })

  it('refuses an oversized summary, and one whose times do not match its ids', () => {
    const entries = Array.from({ length: MAX_SUMMARY_ENTRIES + 1 }, (_, i) => ({ prefix: i.toString(16).padStart(16, '0'), lamport: i, at: i }))
    expect(() => decodeSummary(encodeSummary({ by: 'x', serial: 1, entries }), refuse)).toThrow(FrameError)
    const one = encodeSummary({ by: 'x', serial: 1, entries: entries.slice(0, 1) })
    expect(() => decodeSummary(Uint8Array.from([...one, 0x22, 0x01, 0x00]), refuse)).toThrow(FrameError)
    const view = { by: 'x', serial: 1, entries }
    const frame = encodeFrame({ type: 'delivery-summaries', summaries: [{ summary: encodeSummary(view), sig: new Uint8Array(64), view }] })
    expect(() => decodeFrame(frame)).toThrow(FrameError)
  })
})

describe('delivery receipts in a sparse mesh', () => {
  it('every peer, not only the author, hears of every other peer\'s delivery', async () => {
    const N = 16
    const lan = new LanDirectory()
    const peers: TestPeer[] = []
    for (let i = 0; i < N; i += 8) {
      peers.push(...await Promise.all(Array.from({ length: Math.min(8, N - i) }, async (_, k) => await startPeer(`p${i + k}`, { peerDiscovery: [lan.discovery()] }))))
    }
    const links = (p: TestPeer): number => p.engine.peers().filter(v => v.connected).length
    await until('every peer linked', () => peers.every(p => links(p) >= 2), 30_000)
    const author = peers[0]!
    const sent = await author.engine.send('lobby', 'who got it?')
    await until('delivered everywhere', () => peers.every(p => p.delivered().includes('who got it?')), 30_000)
    // Most peers are not linked to most others: what they hear of, they hear through the mesh.
    const loneliest = peers.slice(1).reduce((a, b) => links(a) <= links(b) ? a : b)
    expect(links(loneliest)).toBeLessThan((N - 1) / 2)
    const everyone = peers.filter(q => q !== author).map(q => q.engine.peerId).sort().join()
    await until('every peer has the receipts of all the others', () => peers.every(p => byOf(p, sent.id).join() === everyone), 30_000)
    // Each counted once, with the Lamport time its peer delivered it at.
    const events = loneliest.events.filter(e => e.type === 'receipt' && e.id === sent.id)
    expect(events).toHaveLength(N - 1)
    for (const p of peers) for (const r of p.engine.receiptsOf(sent.id)) expect(r.lamport).toBeGreaterThan(sent.lamport)
  }, 120_000)
})

describe('a delivery summary counts only when its peer signed it', () => {
  it('forged, replayed and oversized summaries are refused; honest ones still travel', async () => {
    const logs: string[] = []
    const a = await startPeer('a')
    const b = await startPeer('b')
    const c = await startPeer('c', { log: line => { logs.push(line) } })
    await connect(a, b)
    await connect(b, c)
    const m1 = await a.engine.send('lobby', 'one')
    const m2 = await a.engine.send('lobby', 'two')
    const m3 = await a.engine.send('lobby', 'three')
    await until('c has all three', () => c.delivered().includes('three'))
    const ids = [b.engine.peerId, c.engine.peerId].sort()
    await until('every peer hears b and c', () => [a, b, c].every(p => [m1, m2, m3].every(m => byOf(p, m.id).join() === ids.join())), 15_000)

    const mallory = await Attacker.connect(c.addr())
    const serial = Date.now()
    // In b's name, signed by mallory's key.
    mallory.frame(summaryFrame(mallory.key, b.engine.peerId, serial, [{ prefix: prefix(m1.id), lamport: 777_777, at: 1 }]))
    // Its own, but more deliveries than a summary may hold.
    mallory.frame(summaryFrame(mallory.key, mallory.peerId, serial, Array.from({ length: MAX_SUMMARY_ENTRIES + 1 }, () => ({ prefix: prefix(m1.id), lamport: 888_888, at: 1 }))))
    // Its own, well formed: this one counts, at c and, passed on, at b and a.
    mallory.frame(summaryFrame(mallory.key, mallory.peerId, serial, [{ prefix: prefix(m1.id), lamport: 5, at: Date.now() }]))
    await until('mallory\'s own delivery heard everywhere', () => [a, b, c].every(p => p.engine.receiptsOf(m1.id).some(r => r.by === mallory.peerId)))
    for (const p of [a, b, c]) {
      expect(p.engine.receiptsOf(m1.id).find(r => r.by === mallory.peerId)?.lamport).toBe(5)
      expect(p.engine.receiptsOf(m1.id).some(r => r.lamport === 777_777)).toBe(false)
      expect(p.events.some(e => e.type === 'receipt' && (e.lamport === 777_777 || e.lamport === 888_888))).toBe(false)
    }
    expect(logs.some(l => /delivery summary .* bad signature/.test(l))).toBe(true)

    // A replay of one taken already, and one older than what a slower path explains: refused.
    await sleep(1_100)
    mallory.frame(summaryFrame(mallory.key, mallory.peerId, serial, [{ prefix: prefix(m2.id), lamport: 6, at: Date.now() }]))
    mallory.frame(summaryFrame(mallory.key, mallory.peerId, serial - REORDER_MS - 1, [{ prefix: prefix(m2.id), lamport: 6, at: Date.now() }]))
    await sleep(1_100)
    mallory.frame(summaryFrame(mallory.key, mallory.peerId, serial + 1, [{ prefix: prefix(m3.id), lamport: 7, at: Date.now() }]))
    await until('the newer one counted', () => [a, b, c].every(p => p.engine.receiptsOf(m3.id).some(r => r.by === mallory.peerId)))
    for (const p of [a, b, c]) expect(p.engine.receiptsOf(m2.id).some(r => r.by === mallory.peerId)).toBe(false)
    // Honest summaries still travel: c's message, heard delivered by a and b everywhere.
    const m4 = await c.engine.send('lobby', 'four')
    const others = [a.engine.peerId, b.engine.peerId].sort()
    await until('a and b heard everywhere', () => [a, b, c].every(p => byOf(p, m4.id).join() === others.join()), 15_000)
    await mallory.stop()
  }, 60_000)
})
