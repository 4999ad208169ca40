import { describe, expect, it } from 'vitest'
import { SyncDigest } from '../main/chat/sync-digest.js'
import { SyncParts, syncFrames } from '../main/chat/sync-parts.js'
import { CausalLog } from '../main/core/causal.js'
import type { ForkDigests, HeadIds } from '../main/core/forks.js'
import { decodeFrame, encodeFrame, type Frame } from '../main/net/codec.js'
import { MAX_FRAME_BYTES, MAX_VECTOR_ENTRIES, SYNC_PART_ENTRIES } from '../main/net/constants.js'

/** A vector of `n` authors shaped like real peer ids, with heads and a few forks. */
function state (n: number): { vector: Map<string, number>, forks: ForkDigests, heads: HeadIds } {
  const vector = new Map<string, number>()
  const forks: ForkDigests = new Map()
  const heads: HeadIds = new Map()
  for (let i = 0; i < n; i++) {
    const author = `12D3KooW${String(i).padStart(44, '0')}`
    vector.set(author, i + 1)
    heads.set(author, (i % 2 ** 32).toString(16).padStart(16, '0'))
    if (i % 1000 === 0) forks.set(author, { floor: 1, count: 2, digest: 'ab'.repeat(32) })
  }
  return { vector, forks, heads }
}

type Sync = Extract<Frame, { type: 'sync' }>

describe('version vectors in parts', () => {
  it('a vector of 25,000 authors travels in frames the codec takes, and comes back whole in any order', () => {
    const s = state(25_000)
    const frames = syncFrames(s.vector, s.forks, s.heads)
    expect(frames).toHaveLength(Math.ceil(25_000 / SYNC_PART_ENTRIES))
    // Each part is a frame the other side decodes (one frame of the whole vector would be refused).
    expect(s.vector.size).toBeGreaterThan(MAX_VECTOR_ENTRIES)
    const wire = frames.map(f => encodeFrame(f))
    for (const bytes of wire) expect(bytes.byteLength).toBeLessThan(MAX_FRAME_BYTES)
    const decoded = wire.map(b => decodeFrame(b) as Sync).reverse()
    const parts = new SyncParts()
    const results = [...decoded, decoded[0]!].map(f => parts.add('peer', f))
    const whole = results.find(r => r !== undefined)
    expect(results.filter(r => r !== undefined)).toHaveLength(1)
    expect(whole?.vector).toEqual(s.vector)
    expect(whole?.heads).toEqual(s.heads)
    expect(whole?.forks).toEqual(s.forks)
    expect(parts.authors).toBe(0)
  })

  it('a small vector is one frame, as before', () => {
    const s = state(10)
    const frames = syncFrames(s.vector, s.forks, s.heads)
    expect(frames).toHaveLength(1)
    expect(frames[0]!.part).toBeUndefined()
    expect(new SyncParts().add('peer', frames[0]!)).toBe(frames[0])
  })

  it('holds a bounded number of authors: a new series replaces the peer\'s old one, the oldest peer\'s goes first', () => {
    const s = state(12_000)
    const parts = new SyncParts(10_000)
    const [a1, a2] = syncFrames(s.vector, s.forks, s.heads)
    const [b1] = syncFrames(s.vector, s.forks, s.heads)
    expect(parts.add('a', a1!)).toBeUndefined()
    expect(parts.add('a', a2!)).toBeUndefined()
    expect(parts.authors).toBe(2 * SYNC_PART_ENTRIES)
    // A peer that starts over: its unfinished series is dropped, not added to.
    const [a1again] = syncFrames(s.vector, s.forks, s.heads)
    parts.add('a', a1again!)
    expect(parts.authors).toBe(SYNC_PART_ENTRIES)
    // Another peer's parts push past the bound: the oldest series (a's) goes.
    parts.add('b', b1!)
    parts.add('c', syncFrames(s.vector, s.forks, s.heads)[0]!)
    expect(parts.authors).toBeLessThanOrEqual(10_000)
    parts.forget('b')
    parts.forget('c')
    parts.forget('a')
    expect(parts.authors).toBe(0)
  })
})

describe('asking for a full exchange when digests differ', () => {
  it('waits twice as long each time a peer still differs, and starts over once they agree', async () => {
    const log = new CausalLog()
    const digest = new SyncDigest(40)
    // Each ask's time is bracketed (just before and just after the call), so a pause of the test's
    // process between the call and its clock reading cannot shorten a gap measured here.
    const asks: Array<{ before: number, after: number }> = []
    const t0 = performance.now()
    while (performance.now() - t0 < 700) {
      const before = performance.now() - t0
      if (digest.shouldAsk('peer', 'f'.repeat(64), log)) asks.push({ before, after: performance.now() - t0 })
      await new Promise(resolve => setTimeout(resolve, 2))
    }
    // Gaps of 20, 40, 80, 160, 320 ms (capped at 8 intervals): about six asks in 0.7 s, not thirty-five.
    expect(asks.length).toBeGreaterThanOrEqual(3)
    expect(asks.length).toBeLessThanOrEqual(7)
    // The n-th wait is at least 20·2ⁿ ms (up to 8 intervals), however late the timer fired.
    asks.slice(1).forEach((t, i) => { expect(t.after - asks[i]!.before).toBeGreaterThanOrEqual(Math.min(20 * 2 ** i, 320)) })
    // Agreeing resets it. A new difference is live chat in flight, which also reaches us: asked about
    // only once the peer says the same digest again (its state stopped moving), and then at once.
    expect(digest.shouldAsk('peer', digest.of(log), log)).toBe(false)
    expect(digest.shouldAsk('peer', 'f'.repeat(64), log)).toBe(false)
    expect(digest.shouldAsk('peer', 'e'.repeat(64), log)).toBe(false)
    expect(digest.shouldAsk('peer', 'e'.repeat(64), log)).toBe(true)
  })
})
