import type { PrivateKey } from '@libp2p/interface'
import type { LamportClock } from '../core/clock.js'
import type { ChatMessage } from '../core/message.js'
import type { Receipt } from '../net/codec.js'
import type { Links, Transport } from '../net/transport.js'
import type { Page, RoomAuthor, SearchHit } from '../store/messages.js'
import type { Listeners } from './listeners.js'
import type { LiveLink } from './live-link.js'
import type { BuildNotices } from './builds.js'
import type { PresenceFrame, TypingFrame } from '../net/live-codec.js'
import type { Counters, FailureState, LinkStats, OrderedBy } from './stats.js'
import type { EngineEvent, MessageView } from './types.js'
import type { Narrowing } from '../core/search-query.js'
import type { SavedRow } from '../store/saved.js'
import type { UnsentRow } from '../store/unsent.js'

import { DEFAULT_ROOM, DM_ROOM_PREFIX, MAX_LISTED_ROOMS, PRIVATE_ROOM_PREFIX, type UserMode } from '../core/limits.js'

export type { UserMode }

/** Who this engine is: fixed for a data directory, whatever the architecture. */
export interface Identity {
  readonly peerId: string
  readonly key: PrivateKey
  /** The display name we go by now (the engine changes it on setName). */
  name: string
}

/** What every mode's store keeps for the engine (each mode keeps its own history). */
export interface EngineState {
  name?: string
  /** Our status in our own words, '' for none. */
  status?: string
  /** When it clears itself (ms), if it was set to. */
  statusUntil?: number
  clock: number
  rooms: string[]
  /** Peers we opened a direct conversation with (oldest first): listed after a restart even before anyone wrote. */
  directs?: string[]
  /** Conversations closed, by peer: the Lamport time of their newest message then (0: none). A newer one lists them again. */
  closedDirects?: Record<string, number>
}


export interface EngineStore {
  readonly state: EngineState
  /** Schedule a write of the state. */
  changed: () => void
  /** A stored message by id (a download names the message that shared the file). */
  message: (id: string) => ChatMessage | undefined
  /** The stored edits, deletes and reactions that point at any of these messages. */
  actionsOn: (ids: readonly string[]) => Iterable<ChatMessage>
  /** The stored edits, deletes, reactions and pins `author` wrote in `room`, over its whole history. */
  actionsBy: (room: string, author: string) => Iterable<ChatMessage>
  /** The messages a pin or an unpin written in `room` names, over its whole history (the store's pins table). */
  pinTargets: (room: string) => string[]
  /** Blank the searchable text of these messages (a deleted one and its edits). */
  redact: (ids: readonly string[]) => void
  /** Put a tombstone's message back as signed (its body hashes to its id); false when none is stored here. */
  restore: (m: ChatMessage) => boolean
  /** Whether any stored message, in any mode, still shares file `sha256` (a deleted one's file is removed unless one does). */
  sharesFile: (sha256: string) => boolean
  /** Whether `author` shared file `sha256` in a stored message that is not deleted, in any mode. */
  sharedBy: (sha256: string, author: string) => boolean
  /** People the user forgot, by peer id: when (ms); one list for both modes. Word that they are offline does not list them again. */
  forgotten: () => Record<string, number>
  setForgotten: (forgotten: Record<string, number>) => void
  /** Messages the person saved for later, newest saved first: one list for both modes (store/saved.ts). */
  saved: () => SavedRow[]
  /** When this one was saved (undefined: it is not), and how many are kept: each one look-up, not the list. */
  savedAt: (id: string) => number | undefined
  savedCount: () => number
  /** Save one (false: saved already); take one off (false: it was not saved). */
  save: (id: string, at: number) => boolean
  unsave: (id: string) => boolean
  /** Our own messages a hub refused for good, kept until sent again or discarded (store/unsent.ts). */
  keepUnsent: (m: ChatMessage, reason: string) => void
  unsent: () => UnsentRow[]
  dropUnsent: (id: string) => boolean
  /** Sealed messages a previous run committed and may never have taken in (killed before announcing them). */
  unsettled: () => string[]
  /** Those are taken in now. */
  settled: () => void
  close: () => void
}

/** The rooms a user is in: joined ones and every room a delivered message names. */
export class RoomSet {
  #store: EngineStore | undefined
  /** The store's list as a set: each delivered message asks whether its room is listed. */
  #listed = new Set<string>()

  /** `onDirect` hears of DM rooms, which are never listed as rooms (the engine lists our conversations). */
  constructor (private readonly onDirect: (room: string) => void = () => {}) {}

  attach (store: EngineStore | undefined): void {
    this.#store = store
    this.#listed = new Set(store?.state.rooms ?? [])
  }

  note (room: string): void {
    if (room.startsWith(DM_ROOM_PREFIX)) { this.onDirect(room); return }
    // Invite-only rooms are listed from their keys, never because a relayed message named one.
    if (room.startsWith(PRIVATE_ROOM_PREFIX)) return
    const store = this.#store
    if (store === undefined || this.#listed.has(room)) return
    const rooms = store.state.rooms
    rooms.push(room)
    this.#listed.add(room)
    if (rooms.length > MAX_LISTED_ROOMS) {
      const [gone] = rooms.splice(rooms[0] === DEFAULT_ROOM ? 1 : 0, 1)
      if (gone !== undefined) this.#listed.delete(gone)
    }
    store.changed()
  }

  /** Leave a room: it is no longer listed (a new message in it lists it again). */
  leave (room: string): void {
    const store = this.#store
    if (store === undefined || !this.#listed.has(room)) return
    store.state.rooms = store.state.rooms.filter(r => r !== room)
    this.#listed.delete(room)
    store.changed()
  }

  list (): string[] { return [...(this.#store?.state.rooms ?? [])] }
}

/** What the engine hands the ordering it runs: collaborators with one role each. */
export interface EngineParts {
  readonly identity: Identity
  readonly clock: LamportClock
  readonly counters: Counters
  readonly rooms: RoomSet
  readonly events: Listeners<EngineEvent>
  readonly log: (line: string) => void
  /** Typing and presence: what the ordering's ephemeral frames are told to. */
  readonly live: LiveLink
  /** Peers' builds on their `peer:connect`, and the one notice a peer whose build differs is worth (builds.ts). */
  readonly builds: BuildNotices
  /**
   * A committed batch of messages is about to be announced one by one: the
   * edits, reactions and deletes on all of them can be read from the store in
   * one look (instead of one each, a tenth of a catch-up's main thread).
   */
  readonly announcing?: (messages: readonly ChatMessage[]) => void
  /** A message whose words were wiped here, asked for again (chat/refetch.ts), came back as signed. */
  readonly restored?: (m: ChatMessage) => void
  /**
   * Messages left the history shown or came back to it other than by delivery (a client's, set aside from
   * a restored hub's history, or submitted again): what edits, deletes and reactions add up to is read again.
   */
  readonly historyMoved?: () => void
  /** A hub refused one of our messages for good (`why`: what the person is told): kept to be shown *Not sent* until sent again or discarded. */
  readonly refused?: (m: ChatMessage, why: string) => void
}

/** Where a new own message goes in its author's chain, and what it depends on. */
export interface Placement { seq: number; prev: string; deps: string[] }

/**
 * The half of the engine that differs between the architectures: who orders
 * the messages and how they travel. Lamport ordering runs over the mesh
 * (every peer sorts by (lamport, author), messages are flooded and caught up
 * by version vectors); hub-sequence ordering runs over the hub link (the hub
 * numbers, the client submits, resends what is pending and shows the hub's
 * order). Composition, signing keys, the clock, rooms, events and views are
 * the engine's, once.
 */
export interface Ordering {
  readonly mode: UserMode
  readonly orderedBy: OrderedBy
  /** How the order is made, in words (the contrast panel). */
  readonly orderText: string
  /**
   * Whether people heard of only through the network (their presence) are
   * peers of ours to list, linked or not: in a mesh, yes (presence travels
   * further than our links); a client's one peer is its hub.
   */
  readonly listsHeardOf: boolean
  /** The links it keeps (what the views and the partition lab need; frames are its own business). */
  readonly transport: Pick<Transport<never>, 'connectedPeers' | 'addrs' | 'sentOnWire'> & Links
  /** Open this mode's store and load its history (no events, no network yet). */
  open: () => Promise<EngineStore>
  /** Start the transport (the name is known by now: it goes in the hello). */
  connect: () => Promise<void>
  /** Once `ready` is out: dial, resend, announce what is pending. */
  begin: () => void
  stop: () => Promise<void>
  /** Whether a message is in the history (a reply must name one). */
  isDelivered: (id: string) => boolean
  /** P2P: the highest number of an author's own chain delivered here (what a removal says it had: Control `upTo`). */
  lastOf?: (author: string) => number | undefined
  /** P2P: where an author's chain forked (the lowest number two of its messages share), if it did. */
  forkFloor?: (author: string) => number | undefined
  /** Reach a peer (the mesh) or pick the hub (a client). */
  /** The peer reached, when the transport knows (P2P); its chat link follows. */
  dial: (addr: string, options?: { signal?: AbortSignal }) => Promise<string | void>
  /** P2P: try `addr` again, quietly and with backoff, until it answers once (a client's hub link does so by itself). */
  keepDialing?: (addr: string) => void
  /** P2P: link to a known peer now, at every address known of it, its backoff notwithstanding (mesh.ts: connectPeer). */
  connectPeer?: (peerId: string) => Promise<void>
  /** P2P: the addresses tried in the background until they answer (named at start, or kept trying). */
  dialing?: () => string[]
  /** P2P: stop trying one of them; false when it was not being tried. */
  stopDialing?: (addr: string) => boolean
  /** Resolves when an own message may be placed (the mesh first learns how far its own chain went). */
  ready: () => Promise<void>
  place: (replyTo: string | undefined) => Placement
  /** An own message, hashed, not yet signed: resolves with its view once it is delivered (P2P) or pending (client). */
  submit: (m: ChatMessage) => Promise<MessageView>
  /** A room's messages in display order, read from the database: all of them, or a page. */
  history: (room: string, page?: Page) => MessageView[]
  /**
   * A room's messages below `before` in display order that arrived at or after `since` (ms), or at a time not known,
   * the newest `limit` of them, in display order (MessageTable.arrivedBelow).
   */
  arrivedBelow: (room: string, before: string, since: number, limit: number) => MessageView[]
  /** Full-text search over this mode's history, newest first. */
  /** `narrow`: what has:, before:, after: and on: ask of a message (core/search-query.ts), and the days and files they name; a row that is an edit or reaction is left to the caller. */
  search: (query: string, room?: string, limit?: number, authors?: readonly string[], narrow?: Narrowing) => SearchHit[]
  /** Who posted in a room of this mode's history, the latest first; without a room, anyone who wrote in it. */
  authors: (room?: string) => RoomAuthor[]
  /** Whether `room` has messages and only people blocked here wrote them (a room the window need not offer). */
  writtenOnlyByBlocked: (room: string) => boolean
  receiptsOf: (id: string) => Receipt[]
  links: () => LinkStats[]
  failure: () => FailureState
  /** Messages this node passed on to others. */
  relayed: () => number
  /** Figures only this mode has (client mode: the hub and its last number). */
  extras: () => Record<string, unknown>
  block: (peerId: string) => Promise<void>
  unblock: (peerId: string) => Promise<void>
  /** Blocked by this person (in P2P its link is refused too; a client has none to refuse). */
  isBlocked?: (peerId: string) => boolean
  /** Those blocked, with the name they last wrote under, when the transport's peer list does not hold them (a client lists only its hub). */
  blockedPeople?: () => Array<{ peerId: string, name: string }>
  forget: (peerId: string) => Promise<void>
  /** These messages became tombstones on disk (a delete): the copies in memory become tombstones too, so none is served with its text. */
  forgetText: (ids: readonly string[]) => void
  /** The display name changed (a client says hello again). */
  renamed: (name: string) => void
  /** Send an ephemeral frame (typing, presence): to every peer (a DM's typing: its other end), or to the hub. Never stored. False: no one to send it to. */
  sendLive: (frame: TypingFrame | PresenceFrame) => boolean
}
