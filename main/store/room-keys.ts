import { join } from 'node:path'
import { readJson, writeFileAtomic } from './files.js'
import { StoreError } from './errors.js'

/** What this peer knows of one invite-only room. */
export interface RoomKeys {
  name: string
  /** The Lamport time of the creator's rename that gave `name` (absent: the name it was created with): a later rename wins. */
  renamed?: number
  /** Who created it: the one member who may remove others (and so hand out new keys). */
  creator: string
  /** Every key the room has had that we were given, oldest first, hex: the last one seals what we write. */
  keys: string[]
  /** We were removed: later keys never reach us. */
  removed?: boolean
  /** The Lamport time of that removal: what we wrote after it, not yet knowing, the members refuse. */
  removedAt?: number
  /** Members the creator removed, with the Lamport time of the removal: what they write later is refused. */
  gone?: Record<string, number>
  /**
   * Client–server: where each removal stands in the hub's order (its number,
   * or `waiting` for the creator's own not numbered yet). A removed member's
   * message is then refused by the hub's numbers, not by a Lamport time it
   * chose itself.
   */
  goneAt?: Record<string, { seq?: number, waiting?: true }>
  /** Client–server: the hub's number of our own removal (see `removedAt`). */
  removedSeq?: number
  /**
   * P2P: for each removed member, the highest number of its own chain
   * (ChatMessage.seq) the creator had when it removed it, as its removal
   * says. A message of theirs numbered above it was written after the
   * removal, whatever Lamport time it carries: a chain cannot be numbered
   * backwards, and a second message under a number it already used is a
   * fork every peer finds.
   */
  goneUpTo?: Record<string, number>
  /** P2P: that number for our own removal: what we wrote numbered above it, the members refuse. */
  removedUpTo?: number
  /**
   * The creator invited us back after our removal: the index in `keys` of
   * the key its invite carried. What we seal with it, or a later one, is not
   * refused (`removedAt` and the rest still say what we wrote while out).
   */
  removedBack?: number
  /**
   * Members in `gone` whom the creator invited back (a `back` in the room,
   * sealed with a key it made for that): the index in `keys` of that key and
   * the Lamport time of the `back`. What they seal with that key or a later
   * one is theirs again; what they sealed with an older one after their
   * removal stays refused. They are listed again once they join.
   */
  back?: Record<string, { key: number, lamport: number }>
  /** Earlier removals of members who were invited back and removed again: what they sealed with a key older than `key` after `lamport` (or `upTo`, `at`) stays refused. */
  earlier?: Record<string, Array<{ lamport: number, at?: { seq?: number, waiting?: true }, upTo?: number, key: number }>>
  /** Who joined or wrote in it (as delivered): with `creator`, minus `gone` and `left`, the member list, kept so it is never read back from the room's history. */
  seen?: string[]
  /** Members who left, with the Lamport time they said so: off the list until they write in it again (a new invite). */
  left?: Record<string, number>
  /**
   * For each member in `left`, the index in `keys` of the key its leave was
   * sealed with: it is back only with a message sealed with a later key
   * (which only a new invite gives it), so keys kept past leaving let it
   * neither write nor be listed again.
   */
  leftKey?: Record<string, number>
  /** For each member in `left`, the number of its leave in its own chain: what it seals later with a key it had is numbered above it. */
  leftSeq?: Record<string, number>
  /**
   * The creator owes the members a new key (someone was removed or left)
   * until it has handed one to each: set before the removal goes out, or
   * with the leave it heard, so a restart after a kill -9 in between hands
   * it over then.
   */
  rekeyOwed?: boolean
  /**
   * The creator's own record, by key index: the change (its removal of a
   * member, or a leave it heard) after which that key was no longer the
   * newest. A member it hears of only later, whose message sealed with that
   * key comes before the change in the room's order, was in before it and
   * is owed the newer keys; one after it used an invite the change made void.
   */
  retired?: Record<string, KeyChange>
  /** Members heard of late (see `retired`), or given the keys after an old invite, whom the creator still owes the newer keys, until sent. */
  keysOwedTo?: string[]
  /**
   * The creator's own record: members it first heard of sealing with a key a
   * change had retired, after that change (an invite made before a removal
   * or a leave, used after it). They read nothing written since; the creator
   * decides whether to give them the room's keys (Memberships.giveKeys) or
   * remove them, and no new key reaches them before it does.
   */
  oldInvite?: string[]
  /**
   * Whom we sent the room's invite in a direct message, who had not joined
   * when we last heard (at most INVITED_MAX, the newest kept). The creator's
   * record is what vouches for a member it hears of late in P2P (see
   * `retired`): a Lamport time is the joiner's own say, and a code passed on
   * by a removed member, used while cut off, would carry an early one.
   */
  invited?: string[]
  /**
   * Some message of the room reached us that no key we hold opens (it is in
   * the history, not shown): kept across a restart, so the room still says it
   * waits for a key; cleared when new keys come.
   */
  waitingForKey?: true
}

/** Invites sent and not yet used, kept per room (RoomKeys.invited): the oldest go first. */
export const INVITED_MAX = 500

/**
 * A room we left: its name then, and a SHA-256 of each key we had (hex), not
 * the keys, which are forgotten. An invite holding no other key was made
 * before we left: the creator refuses what we seal with those keys, so it
 * cannot bring us back.
 */
export interface LeftRoom {
  name: string
  keys: string[]
  /** It had removed us (we then forgot it): what we seal with those keys is refused all the same. */
  removed?: true
  /**
   * Its creator had invited us back after a removal (RoomKeys.removedBack):
   * the SHA-256 of the key we came back with, and our removal as we had it.
   * A new invite lets us in as one invited back again: the keys we had, and
   * those from that one on, none of while we were out.
   */
  back?: { key: string, removedAt?: number, removedSeq?: number, removedUpTo?: number }
}
/** Rooms left that are remembered so (the oldest go first). */
export const LEFT_MAX = 1000

/** Where a change of members stands in a room's order: the Lamport time and author (P2P), and the hub's number once it has one (client–server). */
export interface KeyChange {
  lamport: number
  author: string
  seq?: number
  /** Said in client–server mode and not numbered yet: whatever the hub numbers before its return comes before it. */
  waiting?: true
}

/**
 * The keys of the invite-only rooms this peer is in, in `private-rooms.json`
 * in the data directory (readable by its owner only, replaced atomically).
 * They are the secret of those rooms: whoever has this file reads them.
 */
export class RoomKeyStore {
  readonly file: string
  /** Rooms we left (LeftRoom), in `left-rooms.json` beside it. */
  readonly leftFile: string
  #rooms: Record<string, RoomKeys>
  #left: Record<string, LeftRoom>

  constructor (dataDir: string) {
    this.file = join(dataDir, 'private-rooms.json')
    this.leftFile = join(dataDir, 'left-rooms.json')
    const read = (file: string): unknown => {
      try {
        return readJson(file)
      } catch (err) {
        throw new StoreError(`Cannot read ${file}: ${(err as Error).message}`)
      }
    }
    const raw = read(this.file)
    this.#rooms = isRooms(raw) ? raw : {}
    // Only notes (the keys are in the other file): one that cannot be read is started afresh, not a reason to stop.
    let left: unknown
    try { left = read(this.leftFile) } catch { left = undefined }
    this.#left = isLeftRooms(left) ? left : {}
  }

  /** A room we left, if we did and have not joined it again. */
  leftRoom (room: string): LeftRoom | undefined { return this.#left[room] }

  noteLeft (room: string, left: LeftRoom): void {
    const kept = Object.entries(without(this.#left, room)).slice(-(LEFT_MAX - 1))
    this.#left = { ...Object.fromEntries(kept), [room]: left }
    save(this.leftFile, this.#left)
  }

  clearLeft (room: string): void {
    if (this.#left[room] === undefined) return
    this.#left = without(this.#left, room)
    save(this.leftFile, this.#left)
  }

  get (room: string): RoomKeys | undefined { return this.#rooms[room] }
  rooms (): string[] { return Object.keys(this.#rooms) }

  set (room: string, keys: RoomKeys): void {
    this.#rooms = { ...this.#rooms, [room]: keys }
    save(this.file, this.#rooms)
  }

  /** Forget a room's keys: what it holds can no longer be opened here. */
  delete (room: string): void {
    if (this.#rooms[room] === undefined) return
    this.#rooms = without(this.#rooms, room)
    save(this.file, this.#rooms)
  }
}

function without<T> (rooms: Record<string, T>, room: string): Record<string, T> {
  const { [room]: _gone, ...rest } = rooms
  return rest
}

/** One of the store's files, replaced atomically, readable by its owner only. */
function save (file: string, rooms: object): void {
  writeFileAtomic(file, JSON.stringify(rooms, null, 2) + '\n')
}

function isLeftRooms (x: unknown): x is Record<string, LeftRoom> {
  if (typeof x !== 'object' || x === null) return false
  return Object.values(x).every(r => typeof r === 'object' && r !== null && typeof (r as LeftRoom).name === 'string' &&
    Array.isArray((r as LeftRoom).keys) && (r as LeftRoom).keys.every(k => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k)) &&
    ((r as LeftRoom).back === undefined || (typeof (r as LeftRoom).back === 'object' && typeof (r as LeftRoom).back?.key === 'string')))
}

function isRooms (x: unknown): x is Record<string, RoomKeys> {
  if (typeof x !== 'object' || x === null) return false
  return Object.values(x).every(r => typeof r === 'object' && r !== null && typeof (r as RoomKeys).name === 'string' &&
    typeof (r as RoomKeys).creator === 'string' && Array.isArray((r as RoomKeys).keys) && (r as RoomKeys).keys.every(k => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k)))
}
