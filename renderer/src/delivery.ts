/**
 * "Delivered to k of n" under one's own message, from the receipts the engine passes on.
 *
 * Every peer that stores a message sends a receipt for it, relays included: in a direct
 * conversation or a private room a peer that is not a reader still carries the sealed message on
 * (and the space-time diagram draws its delivery, dashed: carried sealed). Only those who can read it count there: the
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

/**
 * A private room's readers of each message in `entries` (the room's rows, oldest first): today's
 * members, and for a message written before someone was removed or left, that one too (a member
 * then, who read it). Someone who joined later reads it as well (an invite carries the room's old
 * keys), so a join takes no one out; one invited back after a removal does not read what was written
 * while it was out. Only messages that differ from today's list are in the map.
 *
 *   readersAt([msg(a), note(remove carol)], { of: 'members', ids: ['bob'] })   // Map { a → { of: 'members', ids: ['bob', 'carol'] } }
 */
export function readersAt(entries: ReadonlyArray<{ message: { id: string; author: string; note?: { t: string; peer?: string } } }>, readers: Readers | undefined): Map<string, Readers> {
  const out = new Map<string, Readers>()
  if (readers?.of !== 'members') return out
  const since = new Set<string>()
  // Invited back after a removal: a reader again from then on, not of what was written while out (its invite back carried no key of then).
  const returned = new Set<string>()
  for (let i = entries.length - 1; i >= 0; i--) {
    const { id, author, note } = entries[i]!.message
    if (note?.t === 'back' && note.peer !== undefined) returned.add(note.peer)
    else if (note?.t === 'remove' && note.peer !== undefined) {
      since.add(note.peer)
      returned.delete(note.peer)
    } else if (note?.t === 'leave') since.add(author)
    else if (note === undefined && since.size + returned.size > 0) out.set(id, { of: 'members', ids: [...new Set([...readers.ids, ...since])].filter((m) => !returned.has(m)) })
  }
  return out
}
