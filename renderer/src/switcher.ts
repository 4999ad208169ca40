/**
 * Where Ctrl/⌘+K can take you (components/SwitcherDialog.tsx), as Slack's and
 * Discord's quick switchers do: every conversation in the sidebar, people one
 * has no conversation with yet (a new DM), and a new room by the name typed.
 * Matches are by name, anywhere in it, case aside ("#…" rooms only, "@…"
 * people only); names that start with what was typed come first, then conversations with unread messages, then
 * the sidebar's order.
 *
 *   destinations('des', { rooms: ['lobby', 'design'], … })
 *   // [{ kind: 'room', room: 'design', label: 'design', … }, { kind: 'new-room', room: 'des', … }]
 */
import { normaliseRoom } from './format'

export type Destination =
  | { kind: 'room' | 'private' | 'dm'; key: string; label: string; room: string; unread: number }
  | { kind: 'person'; key: string; label: string; peerId: string; unread: 0 }
  | { kind: 'new-room'; key: string; label: string; room: string; unread: 0 }

export interface Places {
  /** Public rooms, in the sidebar's order. */
  rooms: readonly string[]
  privateRooms: ReadonlyArray<{ room: string; name: string }>
  dms: ReadonlyArray<{ room: string; peerId: string; name: string }>
  /** People one could write to (not us, not the hub). */
  people: ReadonlyArray<{ peerId: string; name: string }>
  unread: (room: string) => number
}

/** At most this many are listed. */
export const MAX_DESTINATIONS = 12

export function destinations(query: string, places: Places): Destination[] {
  const typed = query.trim()
  // "#…" asks for rooms only, "@…" for people only.
  const only = typed.startsWith('#') ? 'rooms' : typed.startsWith('@') ? 'people' : null
  const q = typed.replace(/^[#@]/, '').toLowerCase()
  const dmWith = new Set(places.dms.map((d) => d.peerId))
  const all: Destination[] = [
    ...places.rooms.map((room): Destination => ({ kind: 'room', key: `room:${room}`, label: room, room, unread: places.unread(room) })),
    ...places.privateRooms.map((r): Destination => ({ kind: 'private', key: `private:${r.room}`, label: r.name, room: r.room, unread: places.unread(r.room) })),
    ...places.dms.map((d): Destination => ({ kind: 'dm', key: `dm:${d.room}`, label: d.name, room: d.room, unread: places.unread(d.room) })),
    // Someone to write to for the first time is offered once a name is typed.
    ...(q === '' ? [] : places.people.filter((p) => !dmWith.has(p.peerId) && p.name !== '').map((p): Destination => ({ kind: 'person', key: `person:${p.peerId}`, label: p.name, peerId: p.peerId, unread: 0 })))
  ]
  const person = (d: Destination): boolean => d.kind === 'dm' || d.kind === 'person'
  const found = all
    .filter((d) => only === null || (only === 'people') === person(d))
    .map((d, order) => ({ d, order, at: d.label.toLowerCase().indexOf(q) }))
    .filter((x) => x.at >= 0)
    .sort((x, y) => Number(y.at === 0) - Number(x.at === 0) || Number(y.d.unread > 0) - Number(x.d.unread > 0) || x.order - y.order)
    .map((x) => x.d)
    .slice(0, MAX_DESTINATIONS)
  // A room nobody named yet: joining it creates it (the name as the room dialog makes it).
  const fresh = normaliseRoom(typed.replace(/^#/, ''))
  if (fresh !== '' && only !== 'people' && !/^(dm|pr):/.test(fresh) && !places.rooms.includes(fresh)) found.push({ kind: 'new-room', key: `new:${fresh}`, label: fresh, room: fresh, unread: 0 })
  return found
}

/**
 * What a key does in a list picked from a text box (Go to a conversation, Forward): ↑ and ↓ move the
 * highlight round the `count` rows (the row to highlight), Enter takes the highlighted one ('enter'),
 * anything else is the box's (undefined).
 */
export function listKey(key: string, count: number, active: number): number | 'enter' | undefined {
  if ((key === 'ArrowDown' || key === 'ArrowUp') && count > 0) return (active + (key === 'ArrowDown' ? 1 : count - 1)) % count
  if (key === 'Enter' && active >= 0) return 'enter'
  return undefined
}
