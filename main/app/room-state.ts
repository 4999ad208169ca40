/**
 * What the app keeps per room in its settings, and how it changes: muted
 * rooms (notifications read them), the public rooms joined, where the user left off in each room
 * (the "New messages" divider) and what was typed there and not sent. Each function answers the settings patch to
 * save, so every change goes through the one settings path (validated, atomic).
 *
 * @example
 * ```ts
 * await app.saveSettings(withMuted(app.settings, 'random', true))          // { muted: [..., 'random'] }
 * withJoined(app.settings, 'design', true)                                // { joined: ['lobby', ..., 'design'] }
 * const patch = withSeen(app.settings, 'lobby', { id, lamport: 42 })       // undefined: nothing new
 * withDraft(app.settings, 'lobby', 'half a thought')                       // { drafts: { ..., lobby: 'half a thought' } }
 * ```
 */
import type { SeenMark, Settings } from '../../preload/contract.js'
import type { Engine } from '../chat/engine.js'
import { UNREAD_BUDGET, UNREAD_CAP } from '../core/limits.js'
import { mentionOf } from '../core/mentions.js'
import { DEFAULT_ROOM } from '../core/limits.js'
import { NotListedError } from '../chat/errors.js'
import { isDmRoom } from '../chat/private.js'
import { isPrivateRoom } from '../chat/private-rooms.js'
import { MAX_DRAFT_ROOMS, MAX_JOINED_ROOMS, MAX_SEEN_ROOMS } from './schemas.js'

/**
 * Muting `room` is for a conversation listed here, as the window offers it only on one it lists: an
 * invite-only room we are in (else NotAMemberError, as a send there is), a direct conversation listed,
 * a public room the host lists (`listed`; the lobby always). Anything else is refused, named, and not
 * kept muted. Unmuting is never refused: a room left can be taken off the list.
 */
export function checkMutable (engine: Pick<Engine, 'privateRoom' | 'dms'>, room: string, listed: readonly string[]): void {
  if (isPrivateRoom(room)) {
    engine.privateRoom(room)
    return
  }
  if (isDmRoom(room)) {
    if (!engine.dms().some(d => d.room === room)) throw new NotListedError(`You have no direct conversation ${room} listed: nothing to mute.`)
    return
  }
  if (room !== DEFAULT_ROOM && !listed.includes(room)) throw new NotListedError(`You have not joined #${room}: join it before muting it.`)
}

/**
 * A whole muted list, as saveSettings is given one: each conversation it adds to `before` is checked
 * as muting it is (checkMutable), and the first that may not be muted refuses the whole save. Those
 * muted already stay, listed or not, as unmuting never asks.
 */
export function checkMutedList (engine: Pick<Engine, 'privateRoom' | 'dms'>, muted: readonly string[], before: readonly string[], listed: () => readonly string[]): void {
  const added = muted.filter(room => !before.includes(room))
  if (added.length === 0) return
  const rooms = listed()
  for (const room of added) checkMutable(engine, room, rooms)
}

export function withMuted (settings: Pick<Settings, 'muted'>, room: string, muted: boolean): Pick<Settings, 'muted'> {
  const rest = (settings.muted ?? []).filter(r => r !== room)
  return { muted: muted ? [...rest, room] : rest }
}

/** Joined rooms as kept: the lobby first, each once, the oldest joins forgotten past MAX_JOINED_ROOMS. */
export function joinedList (rooms: readonly string[]): string[] {
  const others = [...new Set(rooms)].filter(r => r !== DEFAULT_ROOM)
  return [DEFAULT_ROOM, ...others.slice(-(MAX_JOINED_ROOMS - 1))]
}

/**
 * The user joined (or left) the public room `room`, which stays listed under "Rooms" across
 * restarts whoever writes there. Undefined when that changes nothing. The lobby is never left.
 */
export function withJoined (settings: Pick<Settings, 'joined'>, room: string, on: boolean): Pick<Settings, 'joined'> | undefined {
  const before = settings.joined ?? [DEFAULT_ROOM]
  const joined = joinedList(on ? [...before, room] : before.filter(r => r !== room))
  return JSON.stringify(joined) === JSON.stringify(settings.joined) ? undefined : { joined }
}

/**
 * The user has seen `room` up to `mark`. Undefined when that changes
 * nothing: the same message, or an older one — two windows may mark at once,
 * and a mark never goes back (Lamport time only grows along a room's order).
 * The rooms marked longest ago are forgotten past MAX_SEEN_ROOMS.
 */
export function withSeen (settings: Settings, room: string, mark: SeenMark): Pick<Settings, 'seen'> | undefined {
  const before = settings.seen?.[room]
  if (before !== undefined && (before.id === mark.id || before.lamport > mark.lamport)) return undefined
  const others = Object.entries(settings.seen ?? {}).filter(([r]) => r !== room).slice(-(MAX_SEEN_ROOMS - 1))
  return { seen: { ...Object.fromEntries(others), [room]: mark } }
}

/**
 * What is typed in `room` and not sent; '' drops it. Undefined when that changes nothing (the
 * window saves after a pause in typing and when it leaves a room, so the same text may come twice).
 * The drafts written longest ago are forgotten past MAX_DRAFT_ROOMS.
 */
export function withDraft (settings: Pick<Settings, 'drafts'>, room: string, text: string): Pick<Settings, 'drafts'> | undefined {
  const before = settings.drafts?.[room]
  if ((before ?? '') === text) return undefined
  const others = Object.entries(settings.drafts ?? {}).filter(([r]) => r !== room)
  if (text === '') return { drafts: Object.fromEntries(others) }
  return { drafts: { ...Object.fromEntries(others.slice(-(MAX_DRAFT_ROOMS - 1))), [room]: text } }
}

/**
 * Unread messages and mentions of you among them, by conversation (rooms with none left out);
 * `counted`: the conversations read to count them (with none unread too), so a window knows which
 * of its own counts these replace and which they say nothing of (a room never opened, one past the budget).
 */
export interface UnreadCounts { unread: Record<string, number>, mentions: Record<string, number>, counted: string[] }

/**
 * What is unread where, from the history and the seen marks: a public room counts once the user
 * has looked at it (a room never opened is not theirs to count: the lobby of a busy network on a
 * first run, another room's chatter), a direct conversation or an invite-only room always (one
 * never opened is all unread). Mentions count as the window counts them live: your name always,
 * @everyone and @here except in a muted room. DMs first, most recent first, then invite-only
 * rooms, then rooms, while `budget` rows are left to read.
 */
export function unreadCounts (engine: Pick<Engine, 'rooms' | 'dms' | 'privateRooms' | 'unreadSince' | 'name' | 'isBlocked' | 'peers'>, settings: Pick<Settings, 'seen' | 'muted'>, budget = UNREAD_BUDGET): UnreadCounts {
  const counts: UnreadCounts = { unread: {}, mentions: {}, counted: [] }
  let left = budget
  // The names of others, read once and only when a room has something unread: "@Anna K." is not a mention of Anna.
  let known: string[] | undefined
  const others = (): string[] => (known ??= engine.peers().map(p => p.name))
  const count = (room: string, always: boolean): void => {
    const mark = settings.seen?.[room]
    if ((mark === undefined && !always) || left < UNREAD_CAP) return
    left -= UNREAD_CAP
    counts.counted.push(room)
    // What a blocked peer wrote is folded in the window: it counts toward nothing.
    const unread = engine.unreadSince(room, mark, UNREAD_CAP).filter(m => !engine.isBlocked(m.author))
    if (unread.length > 0) counts.unread[room] = unread.length
    const muted = settings.muted?.includes(room) ?? false
    const mentions = engine.name === '' ? 0 : unread.filter(m => mentionOf(m.text, engine.name, muted, others()) !== undefined).length
    if (mentions > 0) counts.mentions[room] = mentions
  }
  for (const dm of engine.dms()) count(dm.room, true)
  for (const room of engine.privateRooms()) if (!room.removed) count(room.room, true)
  for (const room of engine.rooms()) count(room, false)
  return counts
}
