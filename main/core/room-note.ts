/**
 * A private room's note (a join, a leave, a removal, a rename) in words, the
 * same in the window and the terminal. No Node APIs: the renderer imports
 * this through preload/contract.ts.
 *
 * @example
 * ```ts
 * noteSentence({ t: 'remove', peer: 'bob-id' }, 'You', id => 'Bob')   // 'You removed Bob'
 * noteSentence({ t: 'back', peer: 'bob-id' }, 'Ann', id => 'Bob')      // 'Ann invited Bob back'
 * ```
 */

/** What a room's note says its author did: joined, left, removed `peer` (the creator), renamed it `name` (the creator), invited `peer` back after removing it (the creator). */
export type RoomNote = { t: 'join' } | { t: 'leave' } | { t: 'remove', peer: string } | { t: 'rename', name: string } | { t: 'back', peer: string }

/** The note as a sentence: `who` did it ("You" or a name), `nameOf` names the one removed. */
export function noteSentence (note: RoomNote, who: string, nameOf: (peerId: string) => string): string {
  switch (note.t) {
    case 'join': return `${who} joined the room`
    case 'leave': return `${who} left the room`
    case 'remove': return `${who} removed ${nameOf(note.peer)}`
    case 'back': return `${who} invited ${nameOf(note.peer)} back`
    case 'rename': return `${who} renamed the room \u201c${note.name}\u201d`
  }
}
