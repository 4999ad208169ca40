/**
 * "Delivered to k of n" (renderer/src/delivery.ts): in a DM or a private room only the receipts
 * of those who can read it count, not a relay's that only carried it sealed.
 */
import { describe, expect, it } from 'vitest'
import { deliveredCount } from '../renderer/src/delivery'

describe('delivered to k of n', () => {
  it('a public room counts every peer that delivered it, of every peer known', () => {
    expect(deliveredCount(['bob'], 2)).toEqual({ k: 1, n: 2 })
    // A receipt from someone not (or no longer) in the peer list still counts: n is never below k.
    expect(deliveredCount(['bob', 'carol', 'dan'], 2)).toEqual({ k: 3, n: 3 })
  })

  it('a DM counts its one reader: a third peer that relayed it is not one of n, nor of k', () => {
    expect(deliveredCount([], 2, { of: 'dm', ids: ['bob'], name: 'Bob' })).toEqual({ k: 0, n: 1 })
    expect(deliveredCount(['carol'], 2, { of: 'dm', ids: ['bob'], name: 'Bob' })).toEqual({ k: 0, n: 1 })
    expect(deliveredCount(['carol', 'bob'], 2, { of: 'dm', ids: ['bob'], name: 'Bob' })).toEqual({ k: 1, n: 1 })
  })

  it('a private room counts its other members only', () => {
    expect(deliveredCount(['bob', 'relay'], 5, { of: 'members', ids: ['bob', 'cat'] })).toEqual({ k: 1, n: 2 })
    expect(deliveredCount(['cat', 'bob', 'relay'], 5, { of: 'members', ids: ['bob', 'cat'] })).toEqual({ k: 2, n: 2 })
  })
})
