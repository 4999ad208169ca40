import { describe, expect, it } from 'vitest'
import { checkPins, type HeldMessage, type PinnedEntry } from './chaos/check.js'

// The chaos run's pins checker (test/chaos/check.ts) on hand-made answers: what it must flag, and what it must let pass.
const a: PinnedEntry = { id: 'aaaaaaaa1', by: 'peer-ann', at: 1_000, lamport: 7 }
const b: PinnedEntry = { id: 'bbbbbbbb2', by: 'peer-bob', at: 900, lamport: 5 }
const held = (pins: PinnedEntry[]): HeldMessage[] => [
  { id: 'aaaaaaaa1', deps: [], ...(pins.some(p => p.id === a.id) ? { pinnedBy: a.by } : {}) },
  { id: 'bbbbbbbb2', deps: [], ...(pins.some(p => p.id === b.id) ? { pinnedBy: b.by } : {}) },
  { id: 'cccccccc3', deps: [] }
]

describe('chaos pins checker', () => {
  it('passes processes that list the same pins in the same order, as their histories show them', () => {
    expect(checkPins(new Map([['p0', [a, b]], ['p1', [a, b]]]), new Map([['p0', held([a, b])], ['p1', held([a, b])]]), 50)).toEqual([])
  })

  it('flags a process that lists them in another order, or by another pin', () => {
    expect(checkPins(new Map([['p0', [a, b]], ['p1', [b, a]]]), new Map([['p0', held([a, b])], ['p1', held([a, b])]]), 50)).toHaveLength(1)
    expect(checkPins(new Map([['p0', [a]], ['p1', [{ ...a, by: 'peer-cat', lamport: 8 }]]]), new Map(), 50)).toHaveLength(1)
  })

  it('flags a pins list that leaves out what its own history shows pinned, or lists what it shows unpinned', () => {
    expect(checkPins(new Map([['p0', [a]]]), new Map([['p0', held([a, b])]]), 50)).toEqual(['bbbbbbbb@p0: shown pinned in its history, not in its pins'])
    const listedUnpinned = checkPins(new Map([['p0', [a, b]]]), new Map([['p0', held([a])]]), 50)
    expect(listedUnpinned).toHaveLength(1)
    expect(listedUnpinned[0]).toMatch(/^bbbbbbbb@p0: in its pins by .*bob, shown unpinned in its history$/)
  })

  it('lets a full list leave out older pins (it lists the newest only)', () => {
    expect(checkPins(new Map([['p0', [a]]]), new Map([['p0', held([a, b])]]), 1)).toEqual([])
  })
})
