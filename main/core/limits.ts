/** Limits and names shared by every transport and host (the IPC contract and the schemas read them here). */

/** Longest message text, in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 64 * 1024
/**
 * Sealed text (a private message): the 24-byte nonce, the ciphertext (as long
 * as the text) and the 16-byte tag.
 */
export const SEAL_OVERHEAD = 24 + 16
export const MAX_SEALED_BYTES = MAX_TEXT_BYTES + SEAL_OVERHEAD
/** Rooms whose name starts so are private conversations (a DM's room is `dm:` and a hash of the pair). */
export const DM_ROOM_PREFIX = 'dm:'
/** An invite-only room: `pr:` and a random id; its display name travels in the invite only. */
export const PRIVATE_ROOM_PREFIX = 'pr:'
/** Longest display name, in characters. */
export const MAX_NAME_LENGTH = 64
/** Longest status ("In a meeting until 3"), in characters. */
export const MAX_STATUS_LENGTH = 80
/** Longest room name, in characters. */
export const MAX_ROOM_LENGTH = 64
/** Most causal dependencies a message may name. */
export const MAX_DEPS = 32
/**
 * How far a message's Lamport time may run ahead of the newest message it
 * depends on. An honest sender's clock exceeds its causal past only by the
 * receive events it counted since, so a larger jump is a bad or broken peer
 * trying to drag every clock towards 2^53.
 */
export const MAX_CLOCK_JUMP = 1_000_000
/** A Lamport time at or beyond this is absurd whatever the context. */
export const MAX_LAMPORT = 2 ** 48
export const DEFAULT_ROOM = 'lobby'
/** Public rooms kept as joined: more than anyone joins on purpose (the oldest joins go first). */
export const MAX_JOINED_ROOMS = 1000
/**
 * Most public rooms an engine lists (every room a delivered message names), the
 * lobby always among them; past it the one listed longest goes (a new message in
 * it lists it again). A peer naming a new room in every message must not grow the
 * list without end, nor the check of it every message makes.
 */
export const MAX_LISTED_ROOMS = 1_000

/**
 * Most messages one person keeps saved for later (the engine refuses the next, SavedLimitError):
 * a list that is read whole each time it is shown must not grow without end.
 */
export const MAX_SAVED = 1_000

/**
 * Most kept in all, listed or not: one list serves both modes, and what one mode's history lacks
 * (the other's, an invite-only room left, a message the hub refused) is kept for the mode that has
 * it. It never counts toward MAX_SAVED, which the person could not bring down (nothing lists it
 * here); past this the oldest saved of those goes to make room, so the list still cannot grow
 * without end.
 */
export const MAX_SAVED_KEPT = 2 * MAX_SAVED

/** What a node is: a mesh peer, a hub's client, or the hub itself. */
export type Mode = 'p2p' | 'client' | 'server'
/** The architectures a user can run their own app in. */
export type UserMode = Exclude<Mode, 'server'>

/**
 * An interval for something every peer sends and every other peer handles
 * (presence renewals, delivery summaries): `base` in a small room, `perPeerMs`
 * for each of `peers` in a larger one, never more than `max` — so what each
 * peer handles a second stays about 1000 / perPeerMs whatever the room's size.
 */
export function growWithRoom (peers: number, perPeerMs: number, base: number, max: number): number {
  return Math.min(Math.max(base, max), Math.max(base, peers * perPeerMs))
}

/** Direct conversations kept listed across restarts before anyone wrote in them, at most (the oldest opened go first). */
export const MAX_KEPT_DIRECTS = 1000

/** A search opens at most the newest this many messages of each direct conversation or invite-only room (their text is sealed on disk, not indexed). */
export const SEALED_SEARCH_SCAN = 5_000
/** And at most this many in all, however many conversations there are. */
export const SEALED_SEARCH_TOTAL = 20_000
/**
 * When those find fewer hits than asked, a search reads further down each conversation, this many messages at a
 * time, opening them without keeping them (memory stays the same however long the conversation).
 */
export const SEALED_SEARCH_PAGE = 500
/**
 * And opens at most this many of those older messages, a message read and passed over unopened (by its author
 * or date, in the clear on disk) counting half of one. Measured on the 2-core test machine, in a DM of 100,000:
 * opening 20,000 of them (reading, opening, edits, matching) took 350-800 ms of the engine's thread, reading
 * 40,000 and opening none about 330 ms; so a search past what is kept takes about 200-400 ms at most.
 */
export const SEALED_SEARCH_DEEP = 10_000
/** What a search opened of the sealed conversations is let go after this long without another search (ms). */
export const SEALED_SEARCH_IDLE_MS = 5 * 60_000

/** The most messages an unread count read from the history says (a badge after a restart): past it, the count stops (shown "99+"). */
export const UNREAD_CAP = 100
/**
 * The most rows a start reads for its unread counts, all conversations together (each costs up to
 * UNREAD_CAP): a thousand rooms once opened must not hold the engine's thread for seconds.
 * Conversations past it (the least recent DMs, then rooms) count what arrives from then on.
 */
export const UNREAD_BUDGET = 10_000
