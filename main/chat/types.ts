/**
 * The public face of the chat engine: what every host (Electron main, the CLI,
 * the UI test host) drives and listens to. Events mirror the JSON lines of
 * `bin/lanchat peer --json` one to one, so a host only serialises them.
 */

import type { Mode } from '../core/limits.js'
import type { ChatMessage, WireAction } from '../core/message.js'
import type { Reaction } from '../core/edits.js'
import type { FileManifest } from '../core/file.js'
import type { PeerBuild } from '../core/build.js'
import type { PresenceView } from './live.js'

export type { PresenceView, OwnPresence } from './live.js'
export type { PresenceState } from '../net/live-codec.js'

export type { Mode, UserMode } from '../core/limits.js'

/**
 * A message as users and hosts see it: the message's own fields (no
 * signature, no chain link) and how this node got it.
 */
export interface MessageView extends Pick<ChatMessage, 'id' | 'room' | 'author' | 'name' | 'text' | 'lamport' | 'sentAt'> {
  /** A short fingerprint of the author's peer id, to tell apart two authors who use one name. */
  fingerprint?: string
  /** Ids of the messages the author had delivered when it sent this one. */
  deps: string[]
  /** The message this one answers, if any (also one of `deps`). */
  replyTo?: string
  /** Server sequence number (client-server mode only). */
  seq?: number
  /**
   * The author's own number of it: each author numbers its messages 1, 2, 3…
   * across all rooms, each linked to the one before (ChatMessage.seq). What
   * an author wrote later has a higher number, whatever its Lamport time.
   */
  authorSeq?: number
  /** Client mode: sent while the hub was unreachable (or not yet answered); resent on reconnect. */
  pending?: boolean
  /** Ours, refused by a hub for good (why, in words): listed by `unsent` until sent again or discarded. */
  unsent?: string
  /** Local wall clock when this peer delivered it. */
  deliveredAt?: number
  /**
   * It came live from an author whose clock runs this far behind ours (ms; negative: ahead), as
   * its claims and messages showed: its time is shown on our clock (writtenAt); `sentAt` stays as said.
   */
  clockOff?: number
  /** Which peer handed it to us ('' for our own). */
  via?: string
  /** Number of relays it passed before reaching us (0 = straight from the author). */
  hops?: number
  /**
   * Its author forked its chain: two different messages under one number (a
   * copied or restored profile, or a key that signs two versions). Every
   * branch is kept and shown; the UI marks the author.
   */
  forked?: boolean
  /** A direct message's recipient: the conversation is with whichever of `author` and `to` is not us. */
  to?: string
  /** A private message (direct, or a private room's), opened for us: hosts show a lock. */
  private?: boolean
  /**
   * Ours, written in an invite-only room after its creator had removed us
   * (before we heard): the members refuse it, so it reached nobody. Hosts
   * say so where they would say it was delivered.
   */
  refused?: boolean
  /**
   * Still sealed: the engine opens it (and then drops this) or, when it is
   * not for us, does not show it at all. Only a hub's own view keeps it unset
   * and `private` true, with an empty text.
   */
  sealed?: Uint8Array
  /** The file or image the message shares (its `text` names it). */
  file?: FileView
  /** Its author changed its text since (`versions` lists the earlier ones). */
  edited?: boolean
  /** Its author deleted it: `text` is empty, and hosts show a placeholder. */
  deleted?: boolean
  /** Emoji on it and who put each there (peer ids, sorted), the emoji sorted too. */
  reactions?: Reaction[]
  /**
   * Pinned in its conversation, for everyone there: `by`, the peer id of the author of the pin that
   * decides it (the latest in Lamport, author order); `at`, that pin's sentAt (ms); `lamport`, its
   * Lamport time (a room's pins are listed by it, alike on every peer). Absent: not pinned.
   */
  pinned?: { by: string, at: number, lamport: number }
  /**
   * When this person saved it for later (ms): set in the saved list and in save's answer only
   * (the list is theirs alone; nothing of it goes to anyone). Absent: not saved, or not told here.
   */
  savedAt?: number
  /**
   * An edit, delete or reaction of another message: the engine takes it in
   * and never shows it (hosts see `message:updated` for its target instead).
   */
  action?: WireAction
  /**
   * A change of an invite-only room's members or name, said in the room by
   * its author (`text` is empty): shown as a line of the timeline, never
   * counted as unread. Only in a history asked `notes` and in `note` events.
   */
  note?: RoomNote
}

import type { RoomNote } from '../core/room-note.js'
export type { RoomNote }

/**
 * What changed a message (a `message:updated`): the kind of action (`unpin`, `unreact` for one taken off), its author's
 * peer id, and the action's own id: one of ours told `pending` (client mode, the hub out of reach) waits no more.
 */
export interface UpdateCause { kind: WireAction['kind'], by: string, id?: string }

/** One version of an edited message: the original, then each edit, oldest first. */
export interface MessageVersion { id: string, lamport: number, sentAt: number, text: string }

/** An invite-only room as hosts see it: its id (`pr:…`, what `send` and `history` take), name, creator and members. */
export interface PrivateRoomView {
  room: string; name: string; creator: string; members: string[]; removed: boolean
  /** Whom the creator removed: an invite no longer lets them back, so none is offered them. */
  gone?: string[]
  /** Who left it: off the list until they write there with a key made after they left (a new invite). */
  left?: string[]
  /** The creator's view only: members who joined with an invite from before the room's last change of members, and so read nothing new until it gives them its keys. */
  oldInvite?: string[]
  /** Whom we sent its invite in a direct message and have not heard join (so no window offers them another). */
  invited?: string[]
  /** Some messages that reached us in the room open with no key we hold (held until one comes: an invite older than the room's last change of members, or a key on its way). */
  unreadable?: true
}

/** A message saved for later, by id and when (ms) only: what the saved list's count and a row's mark need. */
export interface SavedMark { id: string; savedAt: number }

/** Whether an invite code would let us in (Engine.checkInvite): `refused` is why not, as joining with it would say. */
export interface InviteCheck { room: string; name: string; refused?: string }

/** A direct-message conversation: with whom, and the room its messages are in. */
export interface DirectView {
  peerId: string
  name: string
  fingerprint: string
  room: string
  /** When its newest message reached this peer (ms, this computer's clock); 0 when nobody wrote yet. The list is newest first. */
  lastAt?: number
}

/** What hosts see of a shared file: the manifest without its hashes, the thumbnail as a data: URL. */
export interface FileView {
  name: string
  size: number
  mime: string
  sha256: string
  thumbnail?: string
  /** In a history page: this peer saved it to its downloads, and it is still there (the window shows Saved, not Download). */
  saved?: boolean
  /**
   * In a history page, someone else's file: the whole of it is in this peer's own folder (fetched to
   * be shown, or downloaded before), so a picture shows full size without fetching anything.
   */
  held?: boolean
  /**
   * In a history page, someone else's file: this peer's download of it stopped, waiting for someone
   * who has the file, and is kept to go on (Cancel gives it up); `done` bytes of it are here.
   */
  waiting?: { done: number }
}

/** Fields every file event carries: which message's file. */
interface FileEventBase { id: string; room: string; sha256: string; name: string; size: number }

export type { ConnectionView, PeerView } from '../net/peers.js'
import type { PeerView } from '../net/peers.js'

/**
 * A window of a room in display order: the newest `limit` (or all), those
 * before or after a message (exclusive), or `limit` around one (the message
 * itself, about half before and half after: a search hit in context).
 */
export interface Page {
  before?: string, after?: string, around?: string, limit?: number
  /** With the invite-only room's notes among its messages (MessageView.note), as a window shows its timeline. */
  notes?: boolean
}
/** The longest page of a room's history (and the length of one asked for without a limit): older ones are paged with `before`. */
export const MAX_PAGE = 10_000

/** Someone who posted in a room: the name on their latest message there, and its Lamport time. */
export interface RoomAuthor { peerId: string, name: string, lamport: number }

/**
 * Someone in a room — a member of an invite-only room, or anyone who posted
 * in it — with their presence as far as it is known (`self`: us).
 */
export interface MemberView {
  peerId: string
  name: string
  fingerprint: string
  state: 'online' | 'away' | 'offline'
  /** When they were last connected (ms), for someone offline. */
  lastSeen?: number
  /** Their status in their own words, when they set one. */
  status?: string
  /** When that status clears itself (ms), if it was set to. */
  statusUntil?: number
  /** Their LAN Chat as last heard, compared with ours (the people list's, PeerView's and PresenceView's); absent for us, and when none said it. */
  build?: PeerBuild
  self?: boolean
}

/** A search result: where the message is, who wrote it, and the text around the match. */
export interface SearchHit {
  room: string
  id: string
  author: string
  name: string
  lamport: number
  sentAt: number
  /** When it reached this peer (its time is shown as `writtenAt` says: never after this). */
  deliveredAt?: number
  /** How far its author's clock was off ours when it came live (MessageView.clockOff). */
  clockOff?: number
  /** The text around the match, the matched words in [brackets]. */
  snippet: string
  /** The same, the matched words between MATCH_OPEN and MATCH_CLOSE (core/snippet.ts): a text's own brackets are not taken for matches. */
  marked?: string
  /** The hub's number (client mode). */
  seq?: number
  /** In a direct conversation: with whom (to open it again when it was closed). */
  dm?: { peerId: string, name: string }
}

export type ChatEvent =
  /** `status`: ours in our own words, when one is set; `statusUntil`: when it clears itself, if it was set to (ms). */
  | { type: 'ready'; peerId: string; fingerprint?: string; name: string; mode: Mode; addrs: string[]; status?: string; statusUntil?: number }
  /**
   * `build`: the peer's LAN Chat as its hello said, compared with ours; `notice`: the first link this run to a peer
   * whose build differs, what that means in words (what an older one misses, or that ours is behind).
   */
  | { type: 'peer:connect'; peerId: string; name: string; local: string; remote: string; build?: PeerBuild; notice?: string }
  /**
   * The history shown changed under what was read of it, not message by message (client mode: a hub restored
   * from an older backup lacks messages we held, which are set aside): what a window shows of it is read again.
   */
  | { type: 'history:moved' }
  /** `staying`: the link was swapped for another (rotation), or the peer was full and sent us on; it stays on the LAN. */
  | { type: 'peer:disconnect'; peerId: string; staying?: true }
  /** A known peer came back under another name than the one we knew it by. */
  | { type: 'peer:renamed'; peerId: string; name: string; previousName: string; fingerprint: string }
  /** A connected peer uses the display name of another connected peer (or ours): tell them apart by fingerprint. */
  | { type: 'peer:name-clash'; peerId: string; name: string; fingerprint: string; others: Array<{ peerId: string; fingerprint: string }> }
  /**
   * We listen at `addrs` now, not where `ready` (or the last of these) said: the computer's network changed.
   * `lost`: fixed addresses we were told to listen on (--listen 10.0.0.5:4000) that the computer no longer
   * has: nobody reaches us there until it has them again (we answer there again then).
   */
  | { type: 'addresses'; addrs: string[]; lost?: string[] }
  /** A peer now listens at `addrs` (it told us on connecting), not where we knew it: the peer list changes. */
  | { type: 'peer:addresses'; peerId: string; addrs: string[] }
  /** A peer's chain forked (two messages with one number `floor`): both branches are kept, the peer is marked. */
  | { type: 'peer:forked'; peerId: string; fingerprint: string; floor: number }
  | ({ type: 'message' } & MessageView)
  /**
   * An edit, delete, reaction or pin applied: the message's new view (text, edited, deleted, reactions, pinned);
   * hosts replace theirs. `cause`: the one action that changed it, and whose it was (absent when the view was
   * worked out again as a whole: a private room's removal heard, say).
   */
  | ({ type: 'message:updated'; cause?: UpdateCause } & MessageView)
  /** Our own message (or edit, delete, reaction: `action`) kept on disk until the hub, out of reach, numbers it. */
  /** Our message waits for the hub: it cannot be reached, or (`slow`) it is linked and has not numbered it for a few seconds. */
  | { type: 'pending'; id: string; room: string; action?: WireAction; slow?: boolean }
  /**
   * Our own edit, delete, reaction or pin told `pending` waits no more, and is not numbered: the hub refused it, quietly,
   * for it has the message it acts on no more (its data restored from an older backup). It shows on nothing.
   */
  | { type: 'pending:dropped'; id: string; room: string }
  /** Peer `peerId` delivered message `id` when its Lamport clock read `lamport` (its wall clock `at`). */
  | { type: 'receipt'; id: string; peerId: string; by: string; lamport: number; at: number }
  | { type: 'history'; room: string; messages: MessageView[] }
  /** An invite-only room's note as it arrives (a join, a leave, a removal, a rename): a line of its timeline, not a message. */
  | ({ type: 'note' } & MessageView)
  /** The original text and each edit of message `id`, oldest first. */
  | { type: 'versions'; id: string; versions: MessageVersion[] }
  | { type: 'search'; q: string; room?: string; hits: SearchHit[] }
  | { type: 'peers'; peers: PeerView[] }
  /** The addresses tried in the background until they answer changed (one kept trying, answered or stopped): all of them now. */
  | { type: 'dialing'; addresses: string[] }
  /** Client mode: the largest file the hub stores changed, as its hello said (bytes; absent: it says none). */
  | { type: 'server:limit'; maxFileBytes?: number }
  | { type: 'rooms'; rooms: string[] }
  | { type: 'dms'; dms: DirectView[] }
  /** An invite-only room (answering a command), or one whose name or members just changed by what was said in it. */
  | ({ type: 'private-room'; invite?: string } & PrivateRoomView)
  | { type: 'private-rooms'; rooms: PrivateRoomView[] }
  | { type: 'invite'; room: string; code: string; to?: string }
  | ({ type: 'invite-check' } & InviteCheck)
  /** A command with a `ref` and no answer of its own (send, file, edit, react…) was done: the message it made or changed, if any; `truncated`: a forward whose quoted words were cut to fit. */
  | { type: 'done'; cmd: string; id?: string; room?: string; truncated?: true }
  | { type: 'members'; room: string; members: MemberView[] }
  /** Answers a pins command: the room's pinned messages, newest pin first (each with `pinned`). */
  | { type: 'pins'; room: string; messages: MessageView[] }
  /** Answers a saved command: the messages this person saved for later, newest saved first (each with `savedAt`; a deleted one `deleted`). */
  | { type: 'saved'; saved: MessageView[] }
  /** Answers a saved-ids command: what saved lists, by id and when saved only, in its order. */
  | { type: 'saved-ids'; saved: SavedMark[] }
  /** Answers an unsent command: our own messages a hub refused for good, oldest first, each with why (`unsent`). */
  | { type: 'unsent'; messages: MessageView[] }
  | { type: 'muted'; rooms: string[] }
  /** Answers a script's help command: each command it may send, with the fields it takes (besides "cmd" and "ref"). */
  | { type: 'help'; commands: Record<string, readonly string[]> }
  /** `room`: the room the complaint is about, when it is one (a message no key of an invite-only room opens). */
  /** `id`: the message it is about, when one of ours is given up (the hub refused it): hosts take it away. */
  | { type: 'error'; message: string; code?: string; room?: string; id?: string }
  /** The disk refuses writes (full): sending and receiving wait, text kept, until `writes:resumed`. */
  | { type: 'writes:paused'; message: string }
  | { type: 'writes:resumed' }
  /**
   * A download moved on: `done` of `size` bytes, from `holders` peers at once, at `bytesPerSecond` over
   * the last 3 s; `dropped` served bad data. `waiting`: nothing has come for 3 s (told once a stall, as the
   * rate drops to 0; with `holders` 0, nobody who has the file is serving it) until it goes on or fails.
   */
  | ({ type: 'file:progress'; done: number; bytesPerSecond: number; secondsLeft: number | null; holders: number; dropped: string[]; resumedFrom: number; waiting: boolean } & FileEventBase)
  /** A fetch (`fetchFile`) is done: the whole file is verified in this peer's own folder, to be shown; it is saved nowhere else. */
  | ({ type: 'file:held' } & FileEventBase)
  /** A download is complete and verified at `path` (`fetched` false: it was here already). */
  | ({ type: 'file:done'; path: string; fetched: boolean } & FileEventBase)
  | ({ type: 'file:failed'; error: string; code: string } & FileEventBase)
  /** Answers a download command: it started (its progress follows). */
  | { type: 'download'; id: string; name: string; size: number; sha256: string; saved?: true }
  | { type: 'stats'; [key: string]: unknown }
  /** Answers a storage command: what the data directory keeps of files, and (`freed`) what freeing it took. */
  | ({ type: 'storage'; freed?: StorageFigure } & FileStorage)
  /** Someone is typing in `room` (ephemeral: never stored; the UI shows it for ~5 s or until their message). */
  | { type: 'peer:typing'; room: string; peer: string; name: string }
  /** Someone's presence changed (ours too, when we set it): online, away, or offline since `lastSeen`. */
  | ({ type: 'peer:presence' } & PresenceView)
  /** Answers a presence command: everyone whose presence we know. */
  | { type: 'presence'; people: PresenceView[] }

export type ChatEventType = ChatEvent['type']
export type ChatEventOf<T extends ChatEventType> = Extract<ChatEvent, { type: T }>

/** Events the engine emits on its own (the rest answer a command). */
export type EngineEvent = ChatEventOf<'ready' | 'peer:connect' | 'peer:disconnect' | 'peer:name-clash' | 'peer:renamed' | 'peer:addresses' | 'addresses' | 'peer:forked' | 'message' | 'note' | 'message:updated' | 'pending' | 'pending:dropped' | 'receipt' | 'error' | 'writes:paused' | 'writes:resumed' | 'file:progress' | 'file:held' | 'file:done' | 'file:failed' | 'peer:typing' | 'peer:presence' | 'private-room' | 'dialing' | 'server:limit' | 'history:moved'>

export interface SendOptions {
  replyTo?: string
  /** A direct message to this peer id: sealed for it alone, in the pair's DM room (the room given is ignored). */
  to?: string
  /** A file the message shares (from `Engine.sendFile`). */
  file?: FileManifest
}

export interface ChatEngine {
  readonly peerId: string
  readonly mode: Mode
  readonly name: string
  start(): Promise<void>
  stop(): Promise<void>
  /** Listening multiaddrs, each ending in /p2p/<peerId>. */
  addrs(): string[]
  send(room: string, text: string, options?: SendOptions): Promise<MessageView>
  /** The peer reached, when known (P2P). */
  dial(addr: string, options?: { signal?: AbortSignal }): Promise<string | undefined>
  block(peerId: string): Promise<void>
  unblock(peerId: string): Promise<void>
  /** Blocked here: hosts fold its messages and let them count toward nothing (in P2P its link is refused too). */
  isBlocked(peerId: string): boolean
  /** A room's messages in display order: (lamport, author). */
  history(room: string, page?: Page): MessageView[]
  rooms(): string[]
  joinRoom(room: string): void
  peers(): PeerView[]
  setName(name: string): Promise<void>
  on(listener: (event: EngineEvent) => void): () => void
}

/** A count of files and the bytes they take. */
export interface StorageFigure { files: number, bytes: number }

/** What the data directory keeps of files (see `FileTransfers.storage`). */
export interface FileStorage {
  /** Files this peer shared: kept, since others fetch them from here. */
  shared: StorageFigure
  /** Whole copies of others' files (downloaded, or held for others), which this peer serves to whoever asks. */
  others: StorageFigure
  /** Files partly downloaded: under way, or stopped and resumable. */
  partial: StorageFigure
  /**
   * A hub with a limit: the most bytes of files it keeps (`--keep-files-gb`); past it, the ones used longest ago are dropped.
   * A peer: the most bytes of others' files it keeps (Settings), whole copies and partial downloads counted together.
   */
  keepBytes?: number
  /** A peer: of `partial`, the downloads that stopped waiting for someone who has the file (they go on at the next start; Free space gives them up). */
  partialWaiting?: StorageFigure
  /** A hub: files it lacks and waits to fetch from whoever shared them (by their full sizes; what came of them is in `partial`). */
  waiting?: StorageFigure
  /** A hub: the largest file it stores (`--max-file-mb`); a larger one's message goes out, but nobody can download it through the hub. */
  maxFileBytes?: number
  /** A hub: the disk its files are on (bytes free to it, and in all). */
  disk?: { free: number, size: number }
}
