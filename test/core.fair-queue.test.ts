import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FairQueue } from '../main/core/fair-queue.js'

/**
 * Issue 13, defect 11: the receive scheduler serves authors fairly. These
 * tests assert the order of service, with the time passed in: no clocks.
 */

const flood = (q: FairQueue<string>, key: string, n: number, now = 0, payer = key): void => {
  for (let i = 0; i < n; i++) q.push(key, `${key}-${i}`, `${key} ${i}`, { payer, now })
}

describe('FairQueue: one author\'s backlog never sits in front of another\'s fresh message', () => {
  it('with 10,000 of X queued, Y\'s message comes out in the first turn, and X\'s order is kept', () => {
    const q = new FairQueue<string>({ rate: 1_000_000, burst: 1_000_000, quantum: 64 })
    flood(q, 'x', 10_000)
    q.push('y', 'y-0', 'y 0', { now: 0 })
    const first = q.take(256, 0).map(t => t.item)
    expect(first).toContain('y 0')
    expect(first.indexOf('y 0')).toBeLessThanOrEqual(64)
    expect(q.queued('x')).toBeGreaterThan(9_000)
    // X's own order is FIFO across turns.
    const rest = [...first.filter(t => t.startsWith('x')), ...q.take(20_000, 0).map(t => t.item)]
    expect(rest).toEqual(Array.from({ length: 10_000 }, (_, i) => `x ${i}`))
  })

  it('a message arriving while X\'s backlog is served still goes out in the next turn', () => {
    const q = new FairQueue<string>({ rate: 1_000_000, burst: 1_000_000, quantum: 32 })
    flood(q, 'x', 5_000)
    q.take(256, 0)
    q.push('y', 'y-0', 'y 0', { now: 1 })
    const next = q.take(256, 1).map(t => t.item)
    expect(next.indexOf('y 0')).toBeGreaterThanOrEqual(0)
    expect(next.indexOf('y 0')).toBeLessThanOrEqual(32)
  })

  it('round robin: with k authors backlogged, each gets a quantum per turn', () => {
    const q = new FairQueue<string>({ rate: 1_000_000, burst: 1_000_000, quantum: 10 })
    for (const k of ['a', 'b', 'c']) flood(q, k, 100)
    const served = q.take(60, 0).map(t => t.key)
    expect(served.filter(k => k === 'a').length).toBe(20)
    expect(served.filter(k => k === 'b').length).toBe(20)
    expect(served.filter(k => k === 'c').length).toBe(20)
  })

  it('a payer out of tokens waits for its refill while the others are served; free items do not pay', () => {
    const q = new FairQueue<string>({ rate: 10, burst: 5 })
    flood(q, 'x', 20)
    q.push('y', 'y-0', 'y 0', { now: 0 })
    expect(q.take(100, 0).map(t => t.item)).toEqual(['x 0', 'x 1', 'x 2', 'x 3', 'x 4', 'y 0'])
    expect(q.readyIn(0)).toBe(100)
    expect(q.take(100, 50)).toEqual([])
    expect(q.take(100, 100).map(t => t.item)).toEqual(['x 5'])
    q.push('z', 'z-0', 'z 0', { now: 100, free: true, payer: 'x' })
    expect(q.readyIn(100)).toBe(0)
    expect(q.take(100, 100).map(t => t.item)).toEqual(['z 0'])
  })

  it('one author\'s budget is shared by its queues on every link', () => {
    const q = new FairQueue<string>({ rate: 1, burst: 4 })
    flood(q, 'a>x', 10, 0, 'x')
    flood(q, 'b>x', 10, 0, 'x')
    expect(q.take(100, 0)).toHaveLength(4)
  })

  it('through(): what a message depends on comes out at once, free, with the unsigned run up to its signed one', () => {
    const q = new FairQueue<string>({ rate: 1, burst: 1 })
    flood(q, 'x', 100)
    q.take(1, 0) // the budget is spent
    expect(q.through('x-3')).toEqual(['x 1', 'x 2', 'x 3'])
    expect(q.through('x-5', item => item !== 'x 7')).toEqual(['x 4', 'x 5', 'x 6', 'x 7'])
    expect(q.has('x-7')).toBe(false)
    expect(q.queued('x')).toBe(92)
  })

  it('bounded: past its share an author\'s newest are refused, past the total the biggest queue loses its newest', () => {
    const q = new FairQueue<string>({ rate: 1, burst: 1, maxPerKey: 10, maxItems: 15 })
    const refused = Array.from({ length: 12 }, (_, i) => q.push('x', `x-${i}`, 'x', { now: 0 })).flat()
    expect(refused).toEqual(['x-10', 'x-11'])
    const evicted = Array.from({ length: 6 }, (_, i) => q.push('y', `y-${i}`, 'y', { now: 0 })).flat()
    expect(evicted).toEqual(['x-9'])
    expect(q.size).toBe(15)
    expect(q.queued('y')).toBe(6)
  })

  it('property: everything pushed comes out exactly once, each key in its order, and no key waits more than one turn of the others', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 16 }), (pushes, quantum) => {
      const q = new FairQueue<string>({ rate: 1e9, burst: 1e9, quantum })
      const want = new Map<string, string[]>()
      let n = 0
      for (const [k, count] of pushes) {
        for (let i = 0; i < count; i++) {
          const id = `${n++}`
          q.push(`k${k}`, id, id, { now: 0 })
          want.set(`k${k}`, [...want.get(`k${k}`) ?? [], id])
        }
      }
      const got = new Map<string, string[]>()
      const order: string[] = []
      for (let t = q.take(7, 0); t.length > 0; t = q.take(7, 0)) {
        for (const { key, item } of t) { got.set(key, [...got.get(key) ?? [], item]); order.push(key) }
      }
      expect(got).toEqual(want)
      // A key is served more than a quantum in a row only once every other key is done.
      const last = new Map(order.map((k, i) => [k, i]))
      let run = 0
      order.forEach((k, i) => {
        run = i > 0 && order[i - 1] === k ? run + 1 : 1
        if (run > quantum) for (const [other, at] of last) if (other !== k) expect(at).toBeLessThan(i)
      })
    }))
  })
})
