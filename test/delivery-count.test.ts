/**
 * "Delivered to k of n" (renderer/src/delivery.ts): in a DM or a private room only the receipts
 * of those who can read it count, not a relay's that only carried it sealed.
 */
import { describe, expect, it } from 'vitest'
import { deliveredCount, readersAt } from '../renderer/src/delivery'

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

  it('in a private room, a message written before a member was removed or left counts that member too; one written after does not', () => {
    const msg = (id: string, author = 'me') => ({ message: { id, author } })
    const entries = [
      msg('first'),
      { message: { id: 'n1', author: 'dan', note: { t: 'join' } } },
      msg('second'),
      { message: { id: 'n2', author: 'me', note: { t: 'remove', peer: 'carol' } } },
      msg('third'),
      { message: { id: 'n3', author: 'eve', note: { t: 'leave' } } },
      msg('last')
    ]
    const now = { of: 'members', ids: ['bob', 'dan'] } as const
    const then = readersAt(entries, now)
    const count = (id: string, by: string[]) => deliveredCount(by, 9, then.get(id) ?? now)
    // Carol and Eve read the first two as members; Dan, who joined later, reads them too (an invite carries the old keys).
    expect(count('first', ['bob', 'carol', 'eve', 'dan'])).toEqual({ k: 4, n: 4 })
    expect(count('second', ['bob', 'carol'])).toEqual({ k: 2, n: 4 })
    // After Carol's removal her receipt (she may still relay the sealed message) is no reading.
    expect(count('third', ['bob', 'carol', 'eve', 'dan'])).toEqual({ k: 3, n: 3 })
    expect(count('last', ['bob', 'carol', 'eve', 'dan'])).toEqual({ k: 2, n: 2 })
    // Outside a private room nothing changes.
    expect(readersAt(entries, undefined).size).toBe(0)
  })

  it('one invited back after a removal reads what came before and after, not what was written while it was out', () => {
    const msg = (id: string) => ({ message: { id, author: 'me' } })
    const entries = [
      msg('before'),
      { message: { id: 'n1', author: 'me', note: { t: 'remove', peer: 'carol' } } },
      msg('while out'),
      { message: { id: 'n2', author: 'me', note: { t: 'back', peer: 'carol' } } },
      { message: { id: 'n3', author: 'carol', note: { t: 'join' } } },
      msg('after')
    ]
    const now = { of: 'members', ids: ['bob', 'carol'] } as const
    const then = readersAt(entries, now)
    const count = (id: string, by: string[]) => deliveredCount(by, 9, then.get(id) ?? now)
    expect(count('before', ['bob', 'carol'])).toEqual({ k: 2, n: 2 })
    // Her receipt of what was sealed while she was out (she may relay it) is no reading.
    expect(count('while out', ['bob', 'carol'])).toEqual({ k: 1, n: 1 })
    expect(count('after', ['bob', 'carol'])).toEqual({ k: 2, n: 2 })
  })
})
