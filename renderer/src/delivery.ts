/**
 * "Delivered to k of n" under one's own message, from the receipts the engine passes on.
 *
 * Every peer that stores a message sends a receipt for it, relays included: in a direct
 * conversation or a private room a peer that is not a reader still carries the sealed message on
 * (and the space-time diagram draws its delivery). Only those who can read it count there: the
 * other person of a DM, the other members of a private room. In a public room everyone can.
 *
 *   deliveredCount(['bob', 'carol'], 2, { of: 'dm', ids: ['bob'], name: 'Bob' })   // { k: 1, n: 1 }
 */

/** Who can read a conversation besides oneself, where not everyone can: a DM's other person (named), a private room's other members. */
export type Readers = { of: 'dm'; ids: readonly [string]; name: string } | { of: 'members'; ids: readonly string[] }

export function deliveredCount(by: readonly string[], peers: number, readers?: Readers): { k: number; n: number } {
  if (readers === undefined) return { k: by.length, n: Math.max(peers, by.length) }
  const k = new Set(by.filter((id) => readers.ids.includes(id))).size
  return { k, n: Math.max(readers.ids.length, k) }
}
