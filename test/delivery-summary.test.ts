import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DeliverySummaries, MAX_WAITING, SUMMARY_BURST, SUMMARY_MAX_MS, SUMMARY_MS, SUMMARY_PER_PEER_MS, summaryDelay } from '../main/chat/delivery-summary.js'
import { signSync } from '../main/chat/verify.js'
import type { Frame, Receipt } from '../main/net/codec.js'
import { MAX_SUMMARY_ENTRIES, encodeSummary, summarySigned, type DeliverySummaryFrame, type SummaryEntry } from '../main/net/summary-codec.js'

/** The summaries' tables and relaying, without a network: links are names, frames are recorded. */

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
const idOf = (n: number): string => n.toString(16).padStart(16, '0') + 'ab'.repeat(24)

function summaries (links: string[]): { s: DeliverySummaries, sent: Array<{ to: string, frame: Frame }>, receipts: Receipt[] } {
  const sent: Array<{ to: string, frame: Frame }> = []
  const receipts: Receipt[] = []
  const s = new DeliverySummaries({
    self: () => 'me',
    sign: () => new Uint8Array(64),
    transport: { send: (to, frame) => { sent.push({ to, frame }); return true }, connectedPeers: () => links },
    receipt: r => { receipts.push(r) },
    log: () => {}
  })
  return { s, sent, receipts }
}

function signed (key: PrivateKey, serial: number, entries: SummaryEntry[]): DeliverySummaryFrame {
  const view = { by: peerIdFromPrivateKey(key).toString(), serial, entries }
  const summary = encodeSummary(view)
  return { type: 'delivery-summaries', summaries: [{ summary, sig: signSync(key, summarySigned(summary)), view }] }
}

describe('delivery summaries', () => {
  it('a summary heard from two links goes on only to the third, once', async () => {
    const { s, sent, receipts } = summaries(['l1', 'l2', 'l3'])
    s.known(idOf(1))
    const key = await generateKeyPair('Ed25519')
    const frame = signed(key, 10, [{ prefix: idOf(1).slice(0, 16), lamport: 3, at: 1_000 }])
    s.heard('l1', frame)
    s.heard('l2', frame)
    await sleep(1_600)
    expect(sent.map(x => x.to)).toEqual(['l3'])
    expect(receipts).toEqual([{ id: idOf(1), by: frame.summaries[0]!.view.by, lamport: 3, at: 1_000 }])
  })

  it('deliveries of messages not held yet wait in a bounded table, and count once the message is delivered', async () => {
    const { s, receipts } = summaries([])
    const keys = await Promise.all(Array.from({ length: Math.ceil(MAX_WAITING / MAX_SUMMARY_ENTRIES) + 1 }, async () => await generateKeyPair('Ed25519')))
    let n = 0
    for (const key of keys) {
      s.heard('l1', signed(key, 1, Array.from({ length: MAX_SUMMARY_ENTRIES }, () => ({ prefix: idOf(++n).slice(0, 16), lamport: n, at: n }))))
    }
    expect(s.waiting).toBeLessThanOrEqual(MAX_WAITING)
    expect(receipts).toEqual([])
    // The oldest went first; the newest still count when their message comes.
    s.known(idOf(1))
    s.known(idOf(n))
    expect(receipts).toEqual([{ id: idOf(n), by: peerIdFromPrivateKey(keys.at(-1)!).toString(), lamport: n, at: n }])
    s.clear()
  })

  it('one that came by a slower path still counts; a peer that signs summaries fast has most of them dropped unchecked', async () => {
    const { s, receipts } = summaries([])
    for (let n = 1; n <= 10; n++) s.known(idOf(n))
    const key = await generateKeyPair('Ed25519')
    const entry = (n: number): SummaryEntry[] => [{ prefix: idOf(n).slice(0, 16), lamport: n, at: n }]
    s.heard('l1', signed(key, 1_000, entry(1)))
    s.heard('l1', signed(key, 999, entry(2)))
    for (let n = 3; n <= 10; n++) s.heard('l1', signed(key, 1_000 + n, entry(n)))
    expect(receipts.map(r => r.lamport)).toEqual(Array.from({ length: SUMMARY_BURST }, (_, i) => i + 1))
    s.clear()
  })

  describe('in a large room', () => {
    afterEach(() => { vi.useRealTimers() })

    it('a peer that hears summaries from many others waits longer before signing its own, so checks stay bounded', async () => {
      const keys = await Promise.all(Array.from({ length: 50 }, async () => await generateKeyPair('Ed25519')))
      vi.useFakeTimers()
      const { s, sent } = summaries(['l1'])
      const ours = (): number => sent.filter(x => x.frame.type === 'delivery-summaries' && x.frame.summaries.some(o => o.view.by === 'me')).length
      for (const [i, key] of keys.entries()) s.heard('l1', signed(key, Date.now() + i, [{ prefix: idOf(i).slice(0, 16), lamport: i, at: i }]))
      s.announce({ id: idOf(100), by: 'me', lamport: 100, at: Date.now() })
      await vi.advanceTimersByTimeAsync(SUMMARY_MS + 1_600)
      expect(ours()).toBe(0)
      await vi.advanceTimersByTimeAsync(51 * SUMMARY_PER_PEER_MS - SUMMARY_MS)
      expect(ours()).toBe(1)
      s.clear()
    })

    it('alone or in a small room the wait is SUMMARY_MS, and never more than SUMMARY_MAX_MS', () => {
      expect(summaryDelay(0)).toBe(SUMMARY_MS)
      expect(summaryDelay(10)).toBe(SUMMARY_MS)
      expect(summaryDelay(99)).toBe(100 * SUMMARY_PER_PEER_MS)
      expect(summaryDelay(10_000)).toBe(SUMMARY_MAX_MS)
    })
  })
})
