/**
 * People's colours (avatars, space-time lanes): from the peer id, one of a few hues that are
 * told apart at a glance, and spread evenly, so two people share one as rarely as can be.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hueOf, PERSON_HUES } from '../renderer/src/format'

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
/** What an Ed25519 libp2p peer id looks like: 12D3KooW and 44 base58 characters. */
const peerId = (): string => '12D3KooW' + Array.from(randomBytes(44), (b) => BASE58[b % 58]).join('')
const apart = (a: number, b: number): number => Math.min(Math.abs(a - b), 360 - Math.abs(a - b))

describe('a person\'s colour', () => {
  it('is the same for the same peer id, whatever its name', () => {
    const id = peerId()
    expect(hueOf(id)).toBe(hueOf(id))
  })

  it('is one of hues at least 20 degrees apart', () => {
    for (const [i, a] of PERSON_HUES.entries()) {
      for (const b of PERSON_HUES.slice(i + 1)) expect(apart(a, b), `${a} and ${b}`).toBeGreaterThanOrEqual(20)
    }
  })

  it('spreads peer ids evenly over them: two people share one about one time in ten', () => {
    const ids = Array.from({ length: 5000 }, peerId)
    const counts = new Map<number, number>()
    for (const id of ids) counts.set(hueOf(id), (counts.get(hueOf(id)) ?? 0) + 1)
    expect([...counts.keys()].sort((x, y) => x - y)).toEqual([...PERSON_HUES].sort((x, y) => x - y))
    const even = ids.length / PERSON_HUES.length
    for (const [hue, n] of counts) expect(Math.abs(n - even), `hue ${hue}: ${n} of ${ids.length}`).toBeLessThan(even * 0.25)
    let same = 0
    for (let i = 0; i + 1 < ids.length; i += 2) if (hueOf(ids[i]!) === hueOf(ids[i + 1]!)) same++
    expect(same / (ids.length / 2)).toBeLessThan(0.15)
  })
})
