/**
 * The one typed IPC contract between the UI and the main process.
 *
 * No electron import: main, the preload, the renderer (`import type`) and the
 * test host all read it. Commands are imperative (`send`), events past tense
 * or nouns from the engine (`message`, `peer:connect`, `status`).
 *
 * Every operation answers a `Result`, never a rejected promise: an Error that
 * crosses Electron's IPC or contextBridge loses its name, and the UI needs the
 * name to tell a bad address from a stopped engine.
 */
import type { DirectView, FileStorage, InviteCheck, PrivateRoomView, EngineEvent, MemberView, MessageView as EngineMessageView, MessageVersion, Mode, OwnPresence, PeerView, PresenceView, SavedMark, SearchHit, StorageFigure } from '../main/chat/types.js'
import type { EngineStats } from '../main/chat/stats.js'
import type { DemoState, LabState, SocketsReport, StatsReport, Trace, UserMode } from './views.js'

export type { DirectView, FileStorage, InviteCheck, StorageFigure, PrivateRoomView, EngineEvent, EngineStats, MemberView, MessageVersion, Mode, OwnPresence, PeerView, PresenceView, SavedMark, SearchHit }
export type * from './views.js'

/** A message as the UI gets it; `deliveredTo` (P2P) lists the peers whose receipts say they have it. */
export type MessageView = EngineMessageView & { deliveredTo?: string[] }

/** The engine's limits, said once in main/core: the composer shows the text limit before sending. */
export { MAX_TEXT_BYTES as MAX_MESSAGE_BYTES, MAX_NAME_LENGTH, MAX_STATUS_LENGTH, MAX_ROOM_LENGTH, DEFAULT_ROOM, MAX_JOINED_ROOMS, UNREAD_CAP } from '../main/core/limits.js'
/** Links in message text, said once in main/core (pure): the UI makes them clickable, main's schema checks them. */
export { findLinks, internationalHost, isWebLink, linkTitle } from '../main/core/links.js'
/** The formatting people type (code, bold, italic, struck, links), parsed once in main/core: the UI draws it, notifications read it plain. */
export { OVERRIDE_SHOWN, OVERRIDES, parseMarkup, previewText, revealOverrides, shownText, type Markup } from '../main/core/markup.js'
export { snippetParts } from '../main/core/snippet.js'
/** A forward's text (whose words, from where) and its confirm, said once in main/core: the window previews what the engine sends. */
export { forwardText, MAX_FORWARD_CAPTION_BYTES, MAX_FORWARD_COMMENT_BYTES, type ForwardPlace } from '../main/core/forward.js'
export { buildHint, buildLabel } from '../main/core/build.js'
export type { PeerBuild } from '../main/core/build.js'
/** Display names as people read them (look-alike letters, case, spacing): the window shows a key beside names two people share. */
export { nameKey } from '../main/core/lookalike.js'
/** Search words of scripts written without spaces: looked for in the newest rows only when alone. */
export { onlyUnspaced, UNSPACED_SCAN_ROWS } from '../main/core/unspaced.js'
/** An invite-only room named in a search (in:#q3-planning), compared as the engine compares it. */
export { personKey, roomsNamed } from '../main/core/search-query.js'
export { fileKind, type FileKind, type FileKindName } from '../main/core/file-kind.js'
/** Where a DNG keeps a preview the window can draw its thumbnail from (main/core reads it, the page draws it). */
export { jpegExifRanges, rawPreview, type RawPreview } from '../main/core/raw-preview.js'
/** Invite codes to private rooms, read once in main/core: the UI shows one sent as a message as an invitation to join. */
export { invitation, type Invitation } from '../main/core/invite.js'
export { noteSentence } from '../main/core/room-note.js'
export { spellcheckOn } from '../main/desktop/spellcheck.js'
/** The picture types the window shows itself, said once in main/core: anything else opens with the computer's own app. */
export { VIEWABLE_IMAGE } from '../main/core/file.js'
/** A file's size against a limit, said once in main/core: the window's refusal says the sizes as main's does (in bytes when they round alike). */
export { formatSizes } from '../main/core/file.js'
export { ANSWERS_LATER, hostPort, hostPorts } from '../main/net/connect-errors.js'
/** @mentions (parsing, matching, completing), said once in main/core: the UI completes and highlights, main notifies. */
export { complete, EVERYONE, findEveryone, findMentions, matchNames, mentionAt, mentionMarks, mentionOf, mentions, mentionsEveryone, type MentionMark } from '../main/core/mentions.js'

/** The architecture picked in Settings; switching it switches the running engine. */
export type ArchitectureMode = 'p2p' | 'client-server'

export interface Settings {
  /** Display name; '' until the first-run screen sets it. */
  name: string
  /** TCP port to listen on; 0 lets the OS choose. */
  listenPort: number
  /** Find peers on the LAN with mDNS. */
  mdns: boolean
  mode: ArchitectureMode
  /** Client–server: the hub's address (ip:port or multiaddr); '' finds one by mDNS (or keeps the last one). */
  server: string
  /** Run a hub in this app (client–server mode then uses it). */
  hostServer: boolean
  /** TCP port of the hosted hub; 0 picks a free one, which is then kept so clients can come back. */
  serverPort: number
  /**
   * "Only computers with this network key can connect": 64 hex digits, or
   * absent / '' for off (the default). The hosted hub uses it too.
   */
  networkKey?: string
  /** Where downloads are saved (an absolute folder); '' or absent: the system's Downloads folder. */
  downloadsDir?: string
  /** Images up to this many MB are fetched on their own when they are shown (not saved); 0: never. Absent: DEFAULT_AUTO_DOWNLOAD_IMAGES_MB. */
  autoDownloadImagesMB?: number
  /** Largest file to send or download, in MB (MiB); absent: DEFAULT_MAX_FILE_MB. A bigger one is refused before any of it is read or fetched. */
  maxFileMB?: number
  /** Copies of others' files LAN Chat keeps (to show and to pass them on), in GB (GiB): past it those fetched or shown longest ago go. Absent: DEFAULT_KEEP_OTHERS_GB. */
  keepOthersGB?: number
  /**
   * Files a server hosted in this app keeps for its clients, in GB (GiB): past it those served or
   * stored longest ago go, fetched again from whoever shared them when a client asks. 0 or absent:
   * no limit (as `bin/lanchat server`), the hub keeping 256 MB of its disk free all the same.
   */
  serverKeepFilesGB?: number
  /** Rooms whose messages do not notify (a message that mentions you still does). */
  muted?: string[]
  /**
   * The public rooms listed under "Rooms", the lobby first: joined by name or opened, until left.
   * Absent: only the lobby (or, once, what an older version's window kept for itself).
   */
  joined?: string[]
  /** "Other rooms on the network" is folded to its title in the sidebar (a busy LAN's list pushed the conversations down). */
  foldOtherRooms?: boolean
  /** The conversation on screen when the window last showed one: the next start opens it again, if it is still there. */
  lastRoom?: string
  /** Per room, the newest message the user has seen there: the "New messages" divider goes above the first after it. */
  seen?: Record<string, SeenMark>
  /**
   * Per public room, what was typed and not sent, so a restart keeps it. A DM's or an invite-only
   * room's draft is never here: their text is kept sealed on disk, so their drafts stay in memory.
   */
  drafts?: Record<string, string>
  /** Light or dark, or as the system says ('system', the default when absent). */
  theme?: Theme
  /** Which messages raise a desktop notification while the window is in the background; absent: 'all'. */
  notify?: NotifyLevel
  /** A notification shows the message's words; false: only who wrote and where (a shared or locked screen); absent: true. */
  notifyPreview?: boolean
  /**
   * Notifications paused (do not disturb): none shows or sounds until this time (ms since 1970), or
   * until the user resumes them ('resume'). A time past, or absent: not paused (see `notifyPaused`).
   */
  notifyPausedUntil?: number | 'resume'
  /** Underline misspelt words in the message box; absent: on only where no dictionary is downloaded for it (see Snapshot.spellcheckDownloads). */
  spellcheck?: boolean
  /** Closing the window hides it and the app runs on, with an icon in the system tray (the desktop app); absent: off. */
  keepRunning?: boolean
  /** Start the installed desktop app when the user logs in (main/desktop/login.ts); absent: off. */
  openAtLogin?: boolean
}

/** Every message (but muted rooms'), only direct messages and mentions, or none. */
export type NotifyLevel = 'all' | 'mentions' | 'off'

export type Theme = 'system' | 'light' | 'dark'

/** A message seen in a room: its id, and its Lamport time for when it is no longer in the window. */
export interface SeenMark {
  id: string
  lamport: number
}

/**
 * When a status clears itself, as chat apps offer it: the time it is set to end, from now. The
 * window's "Clear after" and the terminal's `/status TEXT for 1h` offer the same.
 */
export const STATUS_CLEAR_AFTER = {
  never: { label: "Don't clear", until: (): undefined => undefined },
  '30m': { label: '30 minutes', until: (now: Date): number => now.getTime() + 30 * 60_000 },
  '1h': { label: '1 hour', until: (now: Date): number => now.getTime() + 3600_000 },
  '4h': { label: '4 hours', until: (now: Date): number => now.getTime() + 4 * 3600_000 },
  today: { label: 'Today', until: (now: Date): number => new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime() }
} as const

/**
 * How long notifications pause for, as Slack and Teams offer it: the time the pause ends, from
 * now; 'resume' for until the user turns them back on; `clock`: the label is followed by that
 * time, said as every time of day is (clockTime). "Until tomorrow" is 08:00 the next day.
 * Between midnight and 08:00 that is a whole working day away, not the end of the night one is
 * in: "Until this morning" (08:00 today) is offered beside it then (`offered`), and only then.
 */
export const NOTIFY_PAUSE_FOR = {
  '30m': { label: 'For 30 minutes', until: (now: Date): number => now.getTime() + 30 * 60_000 },
  '1h': { label: 'For 1 hour', until: (now: Date): number => now.getTime() + 3600_000 },
  '2h': { label: 'For 2 hours', until: (now: Date): number => now.getTime() + 2 * 3600_000 },
  morning: {
    label: 'Until this morning',
    until: (now: Date): number => new Date(now.getFullYear(), now.getMonth(), now.getDate(), 8).getTime(),
    offered: (now: Date): boolean => now.getHours() < 8,
    clock: true
  },
  tomorrow: { label: 'Until tomorrow', until: (now: Date): number => new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 8).getTime(), clock: true },
  resume: { label: 'Until I turn them back on', until: (): 'resume' => 'resume' }
} as const

/** Whether notifications are paused at `now` by Settings' `notifyPausedUntil` (a time past is no pause). */
export function notifyPaused(until: Settings['notifyPausedUntil'], now: number = Date.now()): boolean {
  return until === 'resume' || (until !== undefined && until > now)
}

/** When a message was written, as the window and the terminal show it (and a search by date reads it): said once in main/core. */
export { writtenAt } from '../main/core/written-at.js'

/** A time of day as the window and the terminal say it, the locale's way: "08:00", or "08:00 AM" where clocks have 12 hours. */
export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** When a status clears itself, as a person reads it (window and terminal): "until 13:30", or "until Fri 13:30" on another day. */
export function untilLabel(until: number, now: number = Date.now()): string {
  const when = new Date(until)
  const time = clockTime(until)
  return new Date(now).toDateString() === when.toDateString() ? `until ${time}` : `until ${when.toLocaleDateString([], { weekday: 'short' })} ${time}`
}

/**
 * A room name as a person types it, the way every host reads it: `#Design Team` is `design-team`
 * (lowercase, no leading #, spaces as -), so the window and the terminal join the same room. What
 * looks alike is one room: an accent typed composed or decomposed (NFC), a Turkish İ as i.
 */
export function roomFromInput(input: string): string {
  return input.normalize('NFC').trim().toLowerCase().replace(/i\u0307/g, 'i').replace(/^#/, '').trim().replace(/\s+/g, '-')
}

/** Copies of others' files kept unless Settings say otherwise, GB (the engine's DEFAULT_KEEP_OTHERS_BYTES). */
export const DEFAULT_KEEP_OTHERS_GB = 5
/** The most Settings may keep of others' files, GB. */
export const MAX_KEEP_OTHERS_GB = 65536

/** Images up to this many MB download on their own unless Settings say otherwise. */
export const DEFAULT_AUTO_DOWNLOAD_IMAGES_MB = 10

/** Largest file to send or download unless Settings say otherwise: 2 GiB. */
export const DEFAULT_MAX_FILE_MB = 2048
/** The most Settings may allow (the engine's ceiling, 64 GiB). */
export const MAX_FILE_MB_CEILING = 65536

export interface ErrorInfo {
  /** The error class name, e.g. 'BadAddressError': what the UI branches on. */
  name: string
  /** A sentence a user can read. */
  message: string
  code?: string
}

/**
 * What the app keeps of files; `hub`: what the server hosted in it keeps for its clients (the
 * files shared through it), when one runs, with its limit in bytes (`keepBytes`; absent: none).
 */
export type AppFileStorage = FileStorage & { hub?: StorageFigure & { keepBytes?: number } }

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/** Where the engine is in its life; the UI draws the first-run screen on 'setup'. */
export type EngineStatus =
  | { state: 'setup' }
  | { state: 'starting' }
  /**
   * `fingerprint`: our key as people compare it ("3f9a·c21e"), as others see it beside our name;
   * `words`: our status in our own words ("In a meeting until 3"), '' for none; `wordsUntil`: when it clears itself (ms), if set to;
   * `serverMaxFileBytes`, client mode: the largest file the hub stores, as it last said (absent: it never said).
   */
  | { state: 'running'; peerId: string; fingerprint: string; name: string; mode: Mode; addrs: string[]; words: string; wordsUntil?: number; serverMaxFileBytes?: number }
  | { state: 'stopped' }
  | { state: 'failed'; error: ErrorInfo }

/** Everything the UI needs to draw its first frame. */
export interface Snapshot {
  settings: Settings
  status: EngineStatus
  rooms: string[]
  peers: PeerView[]
  /** Whether mDNS can really be turned on by this host (the test host keeps it off). */
  mdnsAvailable: boolean
  /** The profile this window belongs to ('default' unless started with --profile). */
  profile: string
  /** Problems found while starting (e.g. an unreadable settings file that was set aside). */
  warnings: ErrorInfo[]
  /** The hub this app hosts, if any. */
  hub: HubInfo | null
  lab: LabState
  /** The disk refuses writes (full) and why; null or absent: writes go through. */
  writesPaused?: string | null
  /** P2P: the addresses tried in the background until they answer (Connect's Keep trying, or named at start). */
  dialing?: string[]
  /** Spell checking here downloads dictionaries from Google's servers (Windows, Linux): off unless Settings turns it on. */
  spellcheckDownloads: boolean
}

export interface HubInfo {
  peerId: string
  addrs: string[]
}

/** What the application menu asks the UI to open. */
export type MenuCommand = 'connect' | 'settings' | 'new-room' | 'search' | 'shortcuts' | 'switcher' | 'saved'

/** Everything pushed from main to the UI on EVENT_CHANNEL. */
export type AppEvent =
  | EngineEvent
  | { type: 'status'; status: EngineStatus }
  | { type: 'rooms'; rooms: string[] }
  | { type: 'peers'; peers: PeerView[] }
  | { type: 'settings'; settings: Settings }
  | { type: 'command'; command: MenuCommand }
  /** Show this message in its conversation: the user clicked its desktop notification. */
  | { type: 'open'; room: string; id: string }
  | { type: 'hub'; hub: HubInfo | null }
  | { type: 'lab'; lab: LabState }
  | { type: 'demo'; demo: DemoState }

/** Request and response of each operation; `undefined` request = no argument. */
export interface Operations {
  snapshot: { request: undefined; response: Snapshot }
  /** First run and later renames: saves the name, starts the engine if it was waiting for one. */
  setName: { request: { name: string }; response: Snapshot }
  /** Our status in our own words ('' clears it), clearing itself at `until` (ms, within a week) if given: kept in the data directory, seen with our presence by everyone. */
  setStatus: { request: { status: string; until?: number }; response: Snapshot }
  /** To a room, or (`to`, a peer id) a direct message sealed for that peer alone. */
  send: { request: { room?: string; to?: string; text: string; replyTo?: string }; response: MessageView }
  /**
   * Forward message `id` to a room (`room`: public, invite-only, or a DM's) or to a person (`to`): a message of ours quoting it with
   * whose words they are and where they were written, `comment` first (core/forward.ts). A DM's or an invite-only room's message going
   * where others would read it is refused (ForwardConfirmError, whose message says who) unless `confirm`. A file is shared again from
   * the copy on this computer (NoFileError: download it first). `truncated`: its words were cut to fit.
   */
  forward: { request: { id: string; room?: string; to?: string; comment?: string; confirm?: boolean }; response: MessageView & { truncated?: true } }
  /** Change the text of an own message (`id`); answers its new view, and `message:updated` tells every window and peer. */
  edit: { request: { room?: string; id: string; text: string }; response: MessageView }
  /** Delete an own message for everyone, for good; answers its view (deleted, no text). */
  delete: { request: { room?: string; id: string }; response: MessageView }
  /** Put an emoji on a message (`on` false takes ours off); answers its view. */
  react: { request: { room?: string; id: string; emoji: string; on?: boolean }; response: MessageView }
  /** Pin a message for everyone in its conversation (`on` false unpins it); answers its view (`pinned` set or gone). PinLimitError past 50. */
  pin: { request: { room?: string; id: string; on: boolean }; response: MessageView }
  /** A conversation's pinned messages across its whole history, newest pin first (at most 50). */
  pins: { request: { room: string }; response: MessageView[] }
  /**
   * Save a message for later, for oneself alone (`on` false takes it off); answers its view (`savedAt` while saved). SavedLimitError past 1,000.
   * Taking off one this mode cannot show (the other mode's, an invite-only room left) works too, and answers null.
   */
  save: { request: { id: string; on: boolean }; response: MessageView | null }
  /** The messages saved for later, in every conversation, newest saved first (each with `savedAt`; one deleted since, `deleted`): whole, so only for the list itself. */
  saved: { request: undefined; response: MessageView[] }
  /** What `saved` lists, by id and when saved only, in its order: the count and each row's mark, without the messages' words. */
  savedIds: { request: undefined; response: SavedMark[] }
  /** The original text and each edit of a message, oldest first ([] once deleted). */
  versions: { request: { id: string }; response: MessageVersion[] }
  /** Our own messages a hub refused for good, oldest first, each as it read and why (`unsent`): shown *Not sent* until sent again or discarded. */
  unsent: { request: undefined; response: MessageView[] }
  /** One `unsent` listed was sent again or discarded: no longer kept (false: it was not). */
  dropUnsent: { request: { id: string }; response: boolean }
  /** Our direct-message conversations: with whom, and the room `history` takes for each. */
  dms: { request: undefined; response: DirectView[] }
  /** Start (or reopen) the direct messages with a peer: its conversation, to select and send to with `to`. */
  openDm: { request: { peerId: string }; response: DirectView }
  /** Stop listing the conversation with a peer until someone writes in it again (its history stays): the conversations listed now. */
  closeDm: { request: { peerId: string }; response: DirectView[] }
  /** A new invite-only room; answers it with the code that invites people. */
  createPrivateRoom: { request: { name: string }; response: PrivateRoomView & { invite: string } }
  /** Join an invite-only room with its code. */
  joinInvite: { request: { code: string }; response: PrivateRoomView }
  /** Whether a code would let us in, its keys not taken (an invitation card asks before it offers Join). */
  checkInvite: { request: { code: string }; response: InviteCheck }
  /** An invite code for a room we are in (it carries the room's keys); with `to`, also sent to that peer in a direct message. */
  invite: { request: { room: string; to?: string }; response: { room: string; code: string; to?: string } }
  /** Leave an invite-only room (not its creator): its members hear it, and its keys are forgotten here. The private rooms now. */
  leavePrivateRoom: { request: { room: string }; response: PrivateRoomView[] }
  /** An invite-only room with its members. */
  privateRoom: { request: { room: string }; response: PrivateRoomView }
  privateRooms: { request: undefined; response: PrivateRoomView[] }
  /** Who is in a room (an invite-only room's members; elsewhere whoever posted in it), us first, each with presence. */
  members: { request: { room: string }; response: MemberView[] }
  /** Remove a member (creator only): the room gets a new key the member never sees. */
  removeMember: { request: { room: string; peerId: string }; response: PrivateRoomView }
  /** Give the room's keys to a member who joined with an invite from before a change of members (creator only): it reads what is written from now on. */
  giveRoomKeys: { request: { room: string; peerId: string }; response: PrivateRoomView }
  /** Rename an invite-only room (its creator only): every member's list shows the new name. */
  renamePrivateRoom: { request: { room: string; name: string }; response: PrivateRoomView }
  /**
   * Connect to `address`, ip:port, host:port or a multiaddr, and answer the multiaddr dialed; a failure says why. `keepTrying` (P2P, after one did
   * not answer): no attempt now, but again and again in the background, until it answers once.
   */
  dial: { request: { address: string; keepTrying?: boolean }; response: { multiaddr: string; peerId?: string; name?: string } }
  /**
   * P2P: link to a known peer now, at every address known of it, without waiting out its redials' backoff (someone who knows it
   * is back); answered once its link is up, with the peers then. A failure says why (a ConnectError, as dial's; NoPeerAddressError:
   * no address of it is known).
   */
  connectPeer: { request: { peerId: string }; response: PeerView[] }
  /** Stop trying an address in the background (as `dialing` lists it, or as typed); answers whether it was being tried, and those still tried. */
  stopDialing: { request: { address: string }; response: { stopped: boolean; dialing: string[] } }
  /** A room in display order: all of it, the newest `limit`, `limit` before or after a message, or `limit` around one; with `notes`, a private room's joins, leaves, removals and renames among them (`note`). */
  history: { request: { room: string; before?: string; after?: string; around?: string; limit?: number; notes?: boolean }; response: MessageView[] }
  /** Full-text search of the running mode's history, newest first (optionally one room). */
  search: { request: { q: string; room?: string; limit?: number }; response: SearchHit[] }
  joinRoom: { request: { room: string }; response: string[] }
  /** Stop listing a room; answers the rooms left. */
  leaveRoom: { request: { room: string }; response: string[] }
  /** Mute a room (`muted` false: unmute): its messages stop notifying, except one that mentions you; answers every muted room. */
  muteRoom: { request: { room: string; muted: boolean }; response: string[] }
  /** The user has seen a room up to this message (kept in the settings; a mark never goes back in Lamport time). */
  markSeen: { request: { room: string } & SeenMark; response: null }
  /**
   * Unread counts from the history, by conversation: messages from others after where the user
   * left off (rooms seen before, every DM and invite-only room), at most 100 each (shown 99+),
   * and the mentions of you among them. What a window opening after a restart shows on its rows
   * and badge before anything new arrives.
   */
  unread: { request: undefined; response: { unread: Record<string, number>; mentions: Record<string, number>; counted: string[] } }
  /** What is typed in a public room and not sent yet ('' clears it); kept in the settings across restarts. */
  saveDraft: { request: { room: string; text: string }; response: null }
  /** The rooms this app is in, the lobby first. */
  rooms: { request: undefined; response: string[] }
  peers: { request: undefined; response: PeerView[] }
  block: { request: { peerId: string }; response: PeerView[] }
  unblock: { request: { peerId: string }; response: PeerView[] }
  /** Stop listing a peer (and, peer to peer, stop redialing it) until it is here again; its messages stay. The peers now. */
  forget: { request: { peerId: string }; response: PeerView[] }
  /** Switch the running engine's architecture (client: to `server`, or a hub found by mDNS). */
  switchMode: { request: { mode: UserMode; server?: string }; response: { mode: UserMode } }
  /** Saves settings; a changed port or discovery restarts the network. */
  saveSettings: { request: Partial<Settings>; response: Snapshot }
  /** The UI's unread total, for the window title and the dock/taskbar badge. */
  setUnread: { request: { count: number }; response: null }
  /** The contrast figures of the running mode, the last ones of the other mode, and the hosted hub's. */
  stats: { request: undefined; response: StatsReport }
  /** Every open connection (4-tuple, streams, bytes, RTT), and the hosted hub's one per client. */
  sockets: { request: undefined; response: SocketsReport }
  /** A room's recent messages with receipts and causal relations, for the space-time diagram. */
  trace: { request: { room: string }; response: Trace }
  /** Partition lab: cut this app off from one peer ('*': everyone, or the hub in client mode). */
  partition: { request: { peerId: string }; response: LabState }
  heal: { request: undefined; response: LabState }
  /** The Sally/James/Henry walkthrough on three extra local engines. */
  demo: { request: { action: 'start' | 'next' | 'stop' }; response: DemoState }
  /**
   * Keep a file attached to a public room's message box across a restart, by its path (the preload takes it
   * from the File the user picked or dropped: the page itself never names one); answers it as kept.
   */
  stageFile: { request: { room: string; path: string; mime?: string; thumbnail?: string; thumbnailMime?: string }; response: StagedFile }
  /**
   * Keep a pasted file's bytes (it has no path) across a restart, in pieces as uploadFile takes them: the first names
   * `room`, `name` and the whole `size`; each later one the `id` answered. Within MAX_STAGED_BYTES, MAX_STAGED_TOTAL_BYTES in all.
   */
  stageBytes: { request: { id?: string; room?: string; name?: string; size?: number; mime?: string; thumbnail?: string; thumbnailMime?: string; data: string }; response: StagedFile & { received: number } }
  /** The files kept attached (stageFile, stageBytes), oldest first; `gone` says why one can no longer be sent. */
  stagedFiles: { request: undefined; response: StagedFile[] }
  /** Stop keeping an attached file (sent from the window's own copy, or taken off). */
  unstage: { request: { id: string }; response: null }
  /** Send a kept attached file in its room as it was attached, `text` its caption (StagedFileGoneError when it is not there as it was). */
  sendStaged: { request: { room: string; id: string; text?: string }; response: MessageView }
  /** Share a file by its path on this computer (bin/lanchat; a window never names paths and is refused). */
  shareFile: { request: { room: string; path: string; text?: string; to?: string }; response: MessageView }
  /**
   * A file's bytes in pieces (base64, at most MAX_UPLOAD_PIECE bytes each); answers the upload's id and its size so far.
   * `size`, the whole file's, on the first piece: a file over the limit is refused before any of it is taken.
   */
  uploadFile: { request: { upload?: string; data: string; size?: number }; response: { upload: string; size: number } }
  /** Share a finished upload in a room; `thumbnail` (base64) is the preview the page made of an image. */
  sendFile: {
    request: { room: string; upload: string; name: string; mime?: string; thumbnail?: string; thumbnailMime?: string; text?: string }
    response: MessageView
  }
  /** Start downloading the file message `id` shares; `file:progress`, `file:done` and `file:failed` events follow. */
  download: { request: { id: string }; response: { id: string; name: string; size: number; sha256: string } }
  /**
   * Start fetching the file message `id` shares into LAN Chat's own folder only, to show it (a picture
   * the window shows without saving it to the downloads folder): `file:progress`, then `file:held` or
   * `file:failed`. `download` later saves it from there without fetching it again.
   */
  fetchFile: { request: { id: string }; response: { id: string; name: string; size: number; sha256: string } }
  /** Stop a download (or a fetch) and delete what it fetched. */
  cancelDownload: { request: { id: string }; response: { cancelled: boolean } }
  /** A finished download's path; the desktop host then shows it in its folder or opens it with the system's handler. */
  reveal: { request: { id: string; action: 'folder' | 'open' }; response: { path: string } }
  /** What the data directory keeps of files: those shared from here, copies of others' (served to others), partial downloads; and what a server hosted here keeps. */
  fileStorage: { request: undefined; response: AppFileStorage }
  /** Remove the copies of others' files kept here to serve them, and partial downloads nobody resumes; answers what went and what is left. */
  freeFileStorage: { request: undefined; response: { freed: StorageFigure; storage: AppFileStorage } }
  /** A saved picture (png, jpeg, gif, webp, avif, bmp; at most 32 MiB), base64, for the window's own full-size view: never a path, never anything to run. */
  image: { request: { id: string }; response: { name: string; mime: string; data: string } }
  /** "I am typing in this room" (a DM room: only its other end hears it); at most one every 3 s goes out, `sent` says whether this one did. */
  typing: { request: { room: string }; response: { sent: boolean } }
  /** Online or away (idle, or by hand); answers everyone's presence. */
  setPresence: { request: { state: OwnPresence }; response: PresenceView[] }
  /** Everyone whose presence the engine knows (a client: the hub's other clients). */
  presence: { request: undefined; response: PresenceView[] }
  /** Open an http(s) link in the system browser: the host's, after the scheme is checked; nothing else opens. */
  openLink: { request: { url: string }; response: { url: string } }
  /** How long the whole computer has had no keyboard or mouse input, ms (Electron's powerMonitor); null where the host cannot tell (a browser). */
  systemIdle: { request: undefined; response: { idleMs: number } | null }
}

/** Largest piece of an upload, in bytes (before base64). */
export const MAX_UPLOAD_PIECE = 512 * 1024

/** A pasted file kept attached across a restart is at most this big (a bigger one stays attached in the window only). */
export const MAX_STAGED_BYTES = 16 * 1024 * 1024
/** All pasted files kept attached across a restart take at most this much of the data directory. */
export const MAX_STAGED_TOTAL_BYTES = 64 * 1024 * 1024
/** Attached files kept across a restart, in all rooms. */
export const MAX_STAGED_FILES = 100

/** A file attached to a public room's message box, not sent yet, kept across a restart as the room's draft is. */
export interface StagedFile {
  id: string
  room: string
  name: string
  size: number
  mime?: string
  /** The preview the page made of an image (base64), sent with it. */
  thumbnail?: string
  thumbnailMime?: string
  /** Pasted (it had no path): its bytes are kept in the data directory. */
  pasted?: boolean
  /** Why it cannot be sent as it was attached: moved, deleted or changed since (it is never sent then). */
  gone?: string
}

export type OperationName = keyof Operations
export type RequestOf<K extends OperationName> = Operations[K]['request']
export type ResponseOf<K extends OperationName> = Operations[K]['response']

export const OPERATIONS = [
  'snapshot', 'setName', 'setStatus', 'send', 'forward', 'edit', 'delete', 'react', 'pin', 'pins', 'save', 'saved', 'savedIds', 'versions', 'unsent', 'dropUnsent', 'dms', 'openDm', 'closeDm', 'createPrivateRoom', 'joinInvite', 'checkInvite', 'invite', 'leavePrivateRoom', 'privateRoom', 'privateRooms', 'members', 'removeMember', 'giveRoomKeys', 'renamePrivateRoom', 'dial', 'connectPeer', 'stopDialing', 'history', 'search', 'joinRoom', 'leaveRoom', 'muteRoom', 'markSeen', 'unread', 'saveDraft', 'rooms', 'peers',
  'block', 'unblock', 'forget', 'switchMode', 'saveSettings', 'setUnread', 'stats', 'sockets', 'trace', 'partition', 'heal', 'demo',
  'stageFile', 'stageBytes', 'stagedFiles', 'unstage', 'sendStaged', 'shareFile', 'uploadFile', 'sendFile', 'download', 'fetchFile', 'cancelDownload', 'reveal', 'fileStorage', 'freeFileStorage', 'image', 'typing', 'setPresence', 'presence', 'openLink', 'systemIdle'
] as const satisfies readonly OperationName[]

// A compile error here means an operation is missing from OPERATIONS.
type _AllListed = Exclude<OperationName, (typeof OPERATIONS)[number]> extends never ? true : never
const _allListed: _AllListed = true
void _allListed

export const channelOf = <K extends OperationName>(op: K): `lanchat:${K}` => `lanchat:${op}`
export const EVENT_CHANNEL = 'lanchat:event'

/** What the page gives to keep an attached file by its path: the File itself, whose path only the preload reads. */
export type StageFileRequest = Omit<RequestOf<'stageFile'>, 'path'> & { file: File }

/** What the preload puts on `window.lanchat`: one function per operation plus the event feed. */
export type LanChatApi = {
  [K in Exclude<OperationName, 'stageFile'>]: RequestOf<K> extends undefined
    ? () => Promise<Result<ResponseOf<K>>>
    : (request: RequestOf<K>) => Promise<Result<ResponseOf<K>>>
} & {
  /** stageFile with the File picked or dropped, not a path: a page cannot name a file nobody picked. */
  stageFile(request: StageFileRequest): Promise<Result<StagedFile>>
  /** Subscribes to main's events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void
}
