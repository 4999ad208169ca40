/**
 * UI state as one reducer: what main told us (snapshot + events) plus what
 * only the window knows (active room, unread counts, optimistic sends).
 * Messages in a room are kept in the engine's display order, (lamport,
 * author); a late message with a small stamp is inserted where it belongs.
 */
import type { AppEvent, DemoState, DirectView, PrivateRoomView, EngineStatus, ErrorInfo, HubInfo, LabState, MenuCommand, MessageView, PeerView, Settings, Snapshot } from '../../preload/contract'
import { DEFAULT_ROOM, hostPorts } from '../../preload/contract'

/** sending: not yet accepted by the engine; pending: accepted, not yet delivered; failed: refused. */
export type DeliveryState = 'sending' | 'pending' | 'delivered' | 'failed'

export interface Entry {
  key: string
  message: MessageView
  own: boolean
  state: DeliveryState
  error?: string
}

/**
 * What the window holds of a room: a contiguous window of its history (the
 * newest page at first; older pages as the user scrolls up; a window around a
 * search hit), never the whole room. Live messages are added at its end, and
 * it is kept short (`keepNewest`, `trim`): a room left on screen all day in a
 * busy classroom would otherwise hold, and go through at every arrival, every
 * message of the day.
 */
export interface RoomState {
  entries: Entry[]
  loaded: boolean
  unread: number
  /** The messages counted in `unread` as they came (not those read from the history at a start): one deleted unread is uncounted. */
  unreadIds: string[]
  /**
   * Those of `unreadIds` still there when the room was opened (or the window got the focus): the "New messages"
   * line goes above the first of them too, wherever it sorts. One a peer back from away wrote on its clock of
   * then sorts above messages read since, where the line put by where the user left off would not show it.
   */
  arrived: string[]
  /** There may be older messages than the window's first (scrolling up loads them). */
  older: boolean
  /** The window ends before the newest message (a search hit's context): live messages are not placed in it. */
  newer: boolean
  /** The list's index of the first entry: it goes down as older pages are put in front, so the view does not jump. */
  first: number
  /** Counts windows loaded afresh (newest, around a hit): the list starts anew with each. */
  generation: number
  /** Times this window's oldest rows were let go while the list followed the newest (`trim`): the list is laid out anew, at its bottom. */
  trims: number
}

/** Messages a page of history holds. */
export const PAGE = 200
/** The list index of a freshly loaded window's first row (older pages count down from it). */
export const FIRST_INDEX = 10_000_000
/**
 * Rows the room on screen holds while its list follows the newest: past this many, the list lets the
 * oldest go (they load again on scrolling up). Each arrival costs the window in proportion to the
 * rows it holds, and each row about a kilobyte: a day of a busy room would otherwise be held whole.
 */
export const MAX_LIVE_ROWS = 1_000

/** Which window a history answer is: the newest page, one before or after the window, or around a message. */
export type Window = 'newest' | 'older' | 'newer' | 'around'

export interface Toast {
  id: number
  title: string
  message: string
}

export type Dialog = null | 'connect' | 'settings' | 'status' | 'pause' | 'new-room' | 'search' | 'private-room' | 'members' | 'room-members' | 'shortcuts' | 'switcher' | 'pins' | 'saved'
/** The tabs of the networking panel. */
export type Panel = 'sockets' | 'diagram' | 'contrast' | 'lab' | 'guide'
/** Each tab's name as the panel shows it: what the walkthrough's "Open …" buttons say too. */
export const PANEL_LABEL: Record<Panel, string> = { sockets: 'Sockets', diagram: 'Space-time', contrast: 'Contrast', lab: 'Partition lab', guide: 'Walkthrough' }
/** How the open room is ordered: the engine's order (Lamport, or the hub's in client mode), arrival, or the sender's clock. */
export type Order = 'lamport' | 'arrival' | 'sent'

export interface State {
  phase: 'loading' | 'ready' | 'broken'
  fatal?: string
  settings: Settings
  status: EngineStatus
  peers: PeerView[]
  rooms: string[]
  /** Direct-message conversations (their rooms are never in `rooms`). */
  dms: DirectView[]
  /** Invite-only rooms we were let into (their `pr:` rooms are never in `rooms` either). */
  privateRooms: PrivateRoomView[]
  /** Rooms this person opened or wrote in; the others only came by on the network. */
  joined: string[]
  mdnsAvailable: boolean
  /** Spell checking would download dictionaries here (Snapshot.spellcheckDownloads). */
  spellcheckDownloads: boolean
  profile: string
  active: string
  /**
   * How many times a conversation was opened (each `select`, a search hit's and a new DM's
   * included): what tells that the user went somewhere, even to the room already on screen.
   */
  opened: number
  /** A message to show in its context (a search hit): the list scrolls to it and marks it. */
  reveal: string | null
  focused: boolean
  roomData: Record<string, RoomState>
  toasts: Toast[]
  dialog: Dialog
  /** Ids the engine reported as pending before `send` returned. */
  pendingIds: string[]
  /**
   * Who delivered each of our own messages, from receipts (P2P): the "delivered to k of n" under them.
   * Only our own: the engine tells of every receipt it takes (its own for each message it delivers,
   * others' it passes on), and keeping those would grow with every message of the session.
   */
  receipts: Record<string, string[]>
  hub: HubInfo | null
  lab: LabState
  demo: DemoState | null
  panel: Panel | null
  order: Order
  /** Why the engine cannot write (a full disk) while it cannot: shown as a banner until writes resume. */
  writesPaused: string | null
  /** The addresses the engine tries in the background until they answer (Connect's Keep trying). */
  dialing: string[]
  /** How many times the engine's history changed under what was read of it (history:moved): what is shown is read again. */
  historyMoves: number
}

export type Action =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'broken'; message: string }
  | { type: 'event'; event: AppEvent }
  | { type: 'history'; room: string; messages: MessageView[]; window: Window }
  /** `join: false`: a public room shown read-only, not joined (a search hit in a room this person left). */
  | { type: 'select'; room: string; join?: false }
  /** The room's list follows the newest and holds too many rows: let those before `from` (a row's key) go. */
  | { type: 'trim'; room: string; from: string }
  | { type: 'reveal'; room: string; id: string; join?: false }
  | { type: 'joined'; rooms: string[] }
  | { type: 'left'; room: string; rooms: string[] }
  | { type: 'dmClosed'; peerId: string; dms: DirectView[] }
  | { type: 'focus'; focused: boolean }
  /** `replyTo`: the message it answers, kept on the row so that one not sent can be sent again as the same reply. */
  | { type: 'sending'; room: string; key: string; text: string; name: string; author: string; replyTo?: string }
  | { type: 'sent'; room: string; key: string; message: MessageView }
  | { type: 'sendFailed'; room: string; key: string; error: string }
  /** A row of ours marked not sent goes (Discard, or Send again, which sends its text anew): the engine kept nothing of it. */
  | { type: 'discard'; room: string; key: string }
  /** Ours a hub refused for good, kept by the engine (`unsent`): each a Not sent row at the end of its room, unless shown already. */
  | { type: 'unsentKept'; messages: MessageView[] }
  | { type: 'toast'; title: string; message: string }
  | { type: 'dismiss'; id: number }
  | { type: 'dialog'; dialog: Dialog }
  | { type: 'panel'; panel: Panel | null }
  | { type: 'order'; order: Order }
  | { type: 'dms'; dms: DirectView[] }
  /** Unread counts read from the history at a start: they raise what the window counted meanwhile, never lower it. */
  | { type: 'unreadCounts'; counts: Record<string, number> }
  /** Someone blocked: what they wrote is no longer unread; `recount` (the engine's, without them) lowers the rooms it counted. */
  | { type: 'uncount'; authors: ReadonlySet<string>; recount?: { counts: Record<string, number>; rooms: readonly string[] } }
  | { type: 'openDm'; dm: DirectView }
  | { type: 'privateRooms'; rooms: PrivateRoomView[] }
  | { type: 'privateRoom'; room: PrivateRoomView }

export const initialState: State = {
  phase: 'loading',
  settings: { name: '', listenPort: 0, mdns: true, mode: 'p2p', server: '', hostServer: false, serverPort: 0 },
  status: { state: 'setup' },
  peers: [],
  rooms: [DEFAULT_ROOM],
  dms: [],
  privateRooms: [],
  joined: [DEFAULT_ROOM],
  mdnsAvailable: true,
  spellcheckDownloads: true,
  profile: 'default',
  active: DEFAULT_ROOM,
  opened: 0,
  reveal: null,
  focused: true,
  roomData: {},
  toasts: [],
  dialog: null,
  pendingIds: [],
  receipts: {},
  hub: null,
  lab: { mode: 'p2p', cut: [], since: null, merged: null },
  demo: null,
  panel: null,
  order: 'lamport',
  writesPaused: null,
  dialing: [],
  historyMoves: 0
}

let toastId = 0
/** The newest unread messages of a room a delete can take off its count (a room never opened in a flood keeps no more ids). */
const UNREAD_IDS = 500

const emptyRoom: RoomState = { entries: [], loaded: false, unread: 0, unreadIds: [], arrived: [], older: false, newer: false, first: FIRST_INDEX, generation: 0, trims: 0 }

/** A row on its way out or refused by the engine: kept whatever is let go (it is not in the history to load again). */
const unsent = (e: Entry): boolean => e.state === 'sending' || e.state === 'failed'

/** The rows from `from` on (and every unsent one): those before it are let go, to load again on scrolling up. */
function keepFrom(r: RoomState, from: number): RoomState {
  if (from <= 0) return r
  return { ...r, entries: r.entries.filter((e, i) => i >= from || unsent(e)), older: true }
}

/**
 * A room not on screen keeps its newest page, as one never opened does: opening it loads that page
 * again anyway (and only then decides where the user left off: history.ts, seen.ts), and what came
 * meanwhile is counted, not shown.
 */
function keepNewest(r: RoomState): RoomState {
  return r.entries.length > PAGE ? { ...keepFrom(r, r.entries.length - PAGE), loaded: false } : r
}

/** A direct-message room: listed under Direct messages, never among the rooms. */
export const isDmRoom = (room: string): boolean => room.startsWith('dm:') || room.startsWith('pr:')

/** The invite-only room a `pr:` room is, if we are in it. */
export const privateOf = (s: State, room: string): PrivateRoomView | undefined => s.privateRooms.find((r) => r.room === room)

/** Whether the room on screen is a public one this person is not in (left, say): read only, with Join. */
export const outside = (s: Pick<State, 'active' | 'joined'>): boolean => !isDmRoom(s.active) && !s.joined.includes(s.active)

const join = (s: State, room: string): State => (s.joined.includes(room) || isDmRoom(room) ? s : { ...s, joined: [...s.joined, room] })

/** The conversation a DM room is, if it is one of ours. */
export const dmOf = (s: State, room: string): DirectView | undefined => s.dms.find((d) => d.room === room)

/** A DM's conversation, listed once it is heard of (its name as the peers list or the message says). */
/** Conversations newest first, as the engine lists them (by when their newest message arrived here). */
export function byRecent(dms: readonly DirectView[]): DirectView[] {
  return [...dms].sort((x, y) => (y.lastAt ?? 0) - (x.lastAt ?? 0))
}

/** A message in a direct conversation: the conversation is listed (if it was not) and moves to the top. */
function noteDm(s: State, message: MessageView): State {
  if (message.to === undefined) return s
  const lastAt = message.deliveredAt ?? Date.now()
  const known = dmOf(s, message.room)
  if (known !== undefined) return (known.lastAt ?? 0) >= lastAt ? s : { ...s, dms: byRecent(s.dms.map((d) => (d === known ? { ...d, lastAt } : d))) }
  const self = selfId(s)
  const peerId = message.author === self ? message.to : message.author
  const name = s.peers.find((p) => p.peerId === peerId)?.name || (message.author === self ? '' : message.name)
  return { ...s, dms: byRecent([...s.dms, { peerId, name, fingerprint: message.author === self ? '' : message.fingerprint ?? '', room: message.room, lastAt }]) }
}

export const selfId = (s: State): string => (s.status.state === 'running' ? s.status.peerId : '')

/**
 * Display order: the hub's seq when both have one (client mode), else
 * (lamport, author); entries not yet stamped or numbered go last.
 */
function before(a: Entry, b: Entry): boolean {
  const sa = a.message.seq
  const sb = b.message.seq
  if (sa !== undefined && sb !== undefined) return sa < sb
  if (sa !== undefined || sb !== undefined) return sa !== undefined && a.state !== 'sending'
  const la = a.state === 'sending' ? Infinity : a.message.lamport
  const lb = b.state === 'sending' ? Infinity : b.message.lamport
  return la < lb || (la === lb && a.message.author < b.message.author)
}

function place(entries: Entry[], entry: Entry): Entry[] {
  const existing = entries.findIndex((e) => e.message.id === entry.message.id && e.state !== 'sending')
  const rest = existing === -1 ? entries : entries.filter((_, i) => i !== existing)
  let i = rest.length
  while (i > 0 && before(entry, rest[i - 1]!)) i--
  return [...rest.slice(0, i), entry, ...rest.slice(i)]
}

/**
 * Whether a message that just came belongs in the window held: not when it sorts before the window's
 * first row while older ones are not loaded (a peer back from away wrote it with its clock of then),
 * nor after the last row of a window that ends before the newest (a search hit's context). Put at an
 * edge there, it would hide the rows between it and the window, which paging from it would then skip;
 * left out, it comes with the page it belongs to. One that sorts among the rows held is shown there.
 */
function inWindow(r: RoomState, entry: Entry): boolean {
  if (!r.loaded) return true
  const settled = r.entries.filter((e) => !unsent(e))
  const first = settled[0]
  const last = settled.at(-1)
  if (r.older && first !== undefined && first.message.id !== entry.message.id && before(entry, first)) return false
  return !r.newer || (last !== undefined && before(entry, last))
}

function withRoom(s: State, room: string, change: (r: RoomState) => RoomState): State {
  return { ...s, roomData: { ...s.roomData, [room]: change(s.roomData[room] ?? emptyRoom) } }
}

/** Our message `id` will never be delivered: each row of it is marked failed with `why`, and it leaves the pending ones. */
function refusedOwn(s: State, id: string, why: string): State {
  const pendingIds = s.pendingIds.filter((p) => p !== id)
  let roomData = s.roomData
  for (const [room, r] of Object.entries(s.roomData)) {
    if (!r.entries.some((e) => e.own && e.message.id === id)) continue
    roomData = { ...roomData, [room]: { ...r, entries: r.entries.map((e) => (e.own && e.message.id === id ? { ...e, state: 'failed' as const, error: why } : e)) } }
  }
  return pendingIds.length === s.pendingIds.length && roomData === s.roomData ? s : { ...s, pendingIds, roomData }
}

function toast(s: State, title: string, message: string): State {
  return { ...s, toasts: [...s.toasts.slice(-3), { id: ++toastId, title, message }] }
}

/** What an engine error is about, by its code, in a toast's title. */
const ERROR_TITLES: Record<string, string> = {
  OldInviteError: 'Joined with an old invite',
  UnreadableMessageError: 'A message that does not open',
  NotAMemberError: 'Refused: not a member',
  NotRoomOwnerError: 'Refused: only the room\'s creator can'
}

function onMessage(s: State, message: MessageView): State {
  const own = message.author === selfId(s)
  // A blocked person's message is folded, not news; nor is a room it names that is not listed (main leaves those out).
  const blocked = s.peers.some((p) => p.peerId === message.author && p.blocked === true)
  const rooms = s.rooms.includes(message.room) || isDmRoom(message.room) || blocked ? s.rooms : [...s.rooms, message.room]
  // Receipts are kept for our own messages only: one starts their list.
  const receipts = own && s.receipts[message.id] === undefined ? { ...s.receipts, [message.id]: [] } : s.receipts
  // Nor does it list a direct conversation that is not (one closed stays closed, as the engine keeps it), nor move
  // one listed up; nor does one deleted before it came (catch-up brings it so): there is nothing to read in it.
  const listed = (blocked && !own) || message.deleted === true ? s : noteDm(s, message)
  const next = withRoom({ ...listed, rooms, receipts, pendingIds: s.pendingIds.filter((id) => id !== message.id) }, message.room, (r) => {
    const seen = r.entries.some((e) => e.message.id === message.id && e.state !== 'sending')
    // One deleted before it came (catch-up brings it so) is no news: a start would not count it either.
    const counted = !own && !seen && !blocked && message.deleted !== true && (message.room !== s.active || !s.focused)
    const unread = counted ? r.unread + 1 : r.unread
    // The engine announces our own message before `send` answers: it takes over
    // the optimistic row (same key), so the row neither flickers nor doubles.
    const optimistic = own ? r.entries.find((e) => e.state === 'sending' && e.message.text === message.text) : undefined
    const rest = optimistic === undefined ? r.entries : r.entries.filter((e) => e !== optimistic)
    const key = optimistic?.key ?? r.entries.find((e) => e.message.id === message.id)?.key ?? message.id
    const entry: Entry = { key, message, own, state: 'delivered' }
    // A window that ends before the newest message (a search hit's context) is not where a live one goes,
    // unless it sorts among its rows (inWindow). A room whose first page is still on its way keeps it (that page may have been read before it
    // came), the newest PAGE of them at most: a room never opened holds no more than that.
    const placed = optimistic !== undefined || inWindow(r, entry) ? place(rest, entry) : r.entries
    const updated = { ...r, entries: placed, unread, unreadIds: counted ? [...r.unreadIds, message.id].slice(-UNREAD_IDS) : r.unreadIds }
    // The room on screen keeps what comes (its list lets the oldest go itself: trim); any other keeps its newest page.
    if (r.loaded && message.room === s.active) return updated
    return r.loaded ? keepNewest(updated) : { ...updated, entries: placed.slice(-PAGE) }
  })
  return next
}

function onEvent(s: State, event: AppEvent): State {
  switch (event.type) {
    case 'status':
      return { ...s, status: event.status }
    case 'settings':
      return { ...s, settings: event.settings }
    case 'rooms':
      return { ...s, rooms: event.rooms }
    case 'peers':
      return { ...s, peers: event.peers }
    case 'open':
      // A notification's click goes where a search hit does: a public room this person is not in
      // (left since the message came) opens read only, with Join, and is not joined behind their back.
      return reducer(s, { type: 'reveal', room: event.room, id: event.id, ...(!isDmRoom(event.room) && !s.joined.includes(event.room) ? { join: false as const } : {}) })
    case 'command':
      return { ...s, dialog: commandDialog(event.command) }
    case 'message': {
      const { type: _type, ...message } = event
      return onMessage(s, message)
    }
    case 'note': {
      // A change of a private room's members or name: a line in its timeline, never unread.
      const { type: _type, ...message } = event
      const entry: Entry = { key: message.id, message, own: message.author === selfId(s), state: 'delivered' }
      return withRoom(s, message.room, (r) => ({ ...r, entries: r.loaded && inWindow(r, entry) ? place(r.entries, entry) : r.entries }))
    }
    case 'message:updated': {
      // An edit, delete, reaction or pin: the message keeps its place and how it came; what it shows changes.
      // Or ours, refused by the members of a private room that had removed us.
      const { text, edited, deleted, reactions, pinned, refused } = event
      // Our own edit, delete or reaction told pending (the hub out of reach), now numbered: it waits no more.
      const waited = event.cause?.id
      const t = waited !== undefined && s.pendingIds.includes(waited) ? { ...s, pendingIds: s.pendingIds.filter((id) => id !== waited) } : s
      // Someone else's, written after the room removed them and shown before we heard: the members refuse it, so it goes.
      if (refused === true && event.author !== selfId(s)) return withRoom(t, event.room, (r) => ({ ...r, entries: r.entries.filter((e) => e.message.id !== event.id) }))
      // Deleted before it was read: it is no longer news (a start would not count it either).
      const uncount = deleted === true && event.author !== selfId(s)
      return withRoom(t, event.room, (r) => ({
        ...r,
        ...(uncount && r.unreadIds.includes(event.id) ? { unread: Math.max(0, r.unread - 1), unreadIds: r.unreadIds.filter((id) => id !== event.id) } : {}),
        entries: r.entries.map((e) => (e.message.id === event.id ? { ...e, message: { ...e.message, text, edited, deleted, reactions, pinned, ...(refused === true ? { refused } : {}) } } : e))
      }))
    }
    case 'pending':
      return withRoom({ ...s, pendingIds: [...s.pendingIds, event.id] }, event.room, (r) => ({
        ...r,
        entries: r.entries.map((e) => (e.message.id === event.id && e.state === 'delivered' ? { ...e, state: 'pending' } : e))
      }))
    case 'pending:dropped':
      return { ...s, pendingIds: s.pendingIds.filter((id) => id !== event.id) }
    case 'error': {
      // Ours, given up (the hub refused it): no longer pending, its row says it was not sent and why, as a send refused at once does.
      const told = event.id !== undefined ? refusedOwn(s, event.id, event.message) : s
      // A private room's message no key of ours opens: the room says so itself while any waits (App's banner), not a toast each.
      if (event.room !== undefined && told.privateRooms.some((r) => r.room === event.room)) return told
      // The same complaint while it still shows (one for each message of a burst) is said once.
      return told.toasts.some((t) => t.message === event.message) ? told : toast(told, ERROR_TITLES[event.code ?? ''] ?? 'Engine error', event.message)
    }
    case 'writes:paused':
      return { ...s, writesPaused: event.message }
    case 'writes:resumed':
      return { ...s, writesPaused: null }
    case 'dialing':
      return { ...s, dialing: event.addresses }
    case 'server:limit':
      return s // a 'status' event with it follows
    case 'peer:renamed':
      return toast(s, 'A peer changed its name', `"${event.previousName}" now calls itself "${event.name}" (key ${event.fingerprint})`)
    case 'peer:forked':
      return toast(s, 'A peer forked its history', `${event.fingerprint} sent two different messages as its message ${event.floor} (a copied profile, or a key used twice). Both are kept; its messages are marked.`)
    case 'peer:name-clash': {
      // One's own key is said as one's own: nobody knows their fingerprint by heart (a room's member list shows it beside "You").
      const mine = event.others.find((o) => o.peerId === selfId(s))
      const rest = event.others.filter((o) => o !== mine).map((o) => o.fingerprint)
      if (mine !== undefined) return toast(s, 'Someone has your name', `"${event.name}" (${event.fingerprint}) uses your name (your key is ${mine.fingerprint})${rest.length > 0 ? ` and that of ${rest.join(', ')}` : ''}: check the fingerprint before you trust it`)
      return toast(s, 'Two peers, one name', `"${event.name}" (${event.fingerprint}) uses the name of ${rest.join(', ')}: check the fingerprint before you trust it`)
    }
    case 'ready': {
      // A new engine (another architecture): each mode has its own history, so rooms reload.
      const switched = s.status.state === 'running' && s.status.mode !== event.mode
      const status: EngineStatus = { state: 'running', peerId: event.peerId, fingerprint: event.fingerprint ?? '', name: event.name, mode: event.mode, addrs: event.addrs, words: event.status ?? '', ...(event.statusUntil !== undefined ? { wordsUntil: event.statusUntil } : {}) }
      // A new engine has written nothing yet: it says so itself if its disk is full.
      return { ...s, status, pendingIds: [], writesPaused: null, dialing: [], ...(switched ? { roomData: {}, receipts: {}, dms: [] } : {}) }
    }
    case 'hub':
      return { ...s, hub: event.hub }
    case 'lab':
      return { ...s, lab: event.lab }
    case 'demo':
      return { ...s, demo: event.demo }
    case 'peer:connect':
      // Another build, said once a peer a run (the engine's words): what they miss, or that ours is behind.
      if (event.notice !== undefined) return toast(s, event.build?.compared === 'newer' ? 'A newer LAN Chat' : 'An older LAN Chat', event.notice)
      return s // a 'peers' event with the full list follows
    case 'peer:disconnect':
    case 'peer:addresses':
      return s // a 'peers' event with the full list follows
    case 'addresses': {
      // The computer's network changed: the status bar and Connect dialog show where others reach us now.
      const moved = s.status.state === 'running' ? { ...s, status: { ...s.status, addrs: event.addrs } } : s
      // A fixed address it listens on is gone: nothing else listens, and the person is told what to do.
      if (event.lost === undefined || event.lost.length === 0) return moved
      const at = hostPorts(event.lost).join(', ')
      return toast(moved, 'Nobody can reach you', `This computer no longer has the address LAN Chat listens on (${at}), so peers cannot reach you there. It answers there again once the computer is back on that network; to be reached where it is now, listen on every network (0.0.0.0) and restart.`)
    }
    case 'file:progress':
    case 'file:held':
    case 'file:done':
    case 'file:failed':
      return s
    case 'peer:typing':
    case 'peer:presence':
      return s // ephemeral: kept by their own hooks (people.ts); a 'peers' event follows presence
    case 'private-room': {
      // Renamed by its creator, someone joined or left, or we were removed: the list and dialogs follow.
      const { type: _type, invite: _invite, ...room } = event
      return reducer(s, { type: 'privateRoom', room })
    }
    case 'history:moved': {
      // Messages shown went from the history (a restored hub lacks them): every room's pages are read again, the
      // room on screen at once (historyMoves), the others when opened; their unread counts stay, and so do our
      // rows still going, pending or not sent: a refusal may come before the page, which would then not hold them.
      const roomData = Object.fromEntries(Object.entries(s.roomData).map(([room, r]) => [room, {
        ...emptyRoom, unread: r.unread, unreadIds: r.unreadIds, generation: r.generation,
        entries: r.entries.filter((e) => e.state === 'sending' || e.state === 'failed' || (e.own && e.state === 'pending'))
      }]))
      return { ...s, roomData, historyMoves: s.historyMoves + 1 }
    }
    case 'receipt': {
      // Of a message of ours the window shows or showed (its entry starts the list), by someone else.
      const by = s.receipts[event.id]
      return by === undefined || by.includes(event.by) || event.by === selfId(s) ? s : { ...s, receipts: { ...s.receipts, [event.id]: [...by, event.by] } }
    }
    default: {
      const never: never = event
      return never
    }
  }
}

function commandDialog(command: MenuCommand): Dialog {
  switch (command) {
    case 'connect':
      return 'connect'
    case 'settings':
      return 'settings'
    case 'new-room':
      return 'new-room'
    case 'search':
      return 'search'
    case 'shortcuts':
      return 'shortcuts'
    case 'switcher':
      return 'switcher'
    case 'saved':
      return 'saved'
    default: {
      const never: never = command
      return never
    }
  }
}

export function reducer(s: State, action: Action): State {
  switch (action.type) {
    case 'snapshot': {
      const { settings, status, rooms, peers, mdnsAvailable, profile, warnings, hub, lab } = action.snapshot
      let next: State = { ...s, phase: 'ready', settings, status, rooms, peers, mdnsAvailable, spellcheckDownloads: action.snapshot.spellcheckDownloads, profile, hub, lab, writesPaused: action.snapshot.writesPaused ?? null, dialing: action.snapshot.dialing ?? [] }
      for (const w of warnings) next = toast(next, 'Warning', w.message)
      return next
    }
    case 'broken':
      return { ...s, phase: 'broken', fatal: action.message }
    case 'event':
      return onEvent(s, action.event)
    case 'history': {
      const self = selfId(s)
      const receipts = { ...s.receipts }
      for (const m of action.messages) {
        if (m.author === self) receipts[m.id] = [...new Set([...(receipts[m.id] ?? []), ...(m.deliveredTo ?? [])])]
      }
      const pending = new Set(s.pendingIds)
      const full = action.messages.length >= PAGE
      const toEntry = (m: MessageView): Entry => ({
        key: m.id,
        message: m,
        own: m.author === self,
        state: pending.has(m.id) || m.pending === true ? 'pending' : 'delivered'
      })
      return withRoom({ ...s, receipts }, action.room, (r) => {
        const have = new Set(r.entries.map((e) => e.message.id))
        switch (action.window) {
          case 'older': {
            const fresh = action.messages.filter((m) => !have.has(m.id)).map(toEntry)
            return { ...r, entries: [...fresh, ...r.entries], older: full, first: r.first - fresh.length }
          }
          case 'newer': {
            const fresh = action.messages.filter((m) => !have.has(m.id)).map(toEntry)
            const kept = r.entries.filter((e) => e.state !== 'sending' && e.state !== 'failed')
            const sending = r.entries.filter((e) => e.state === 'sending' || e.state === 'failed')
            return { ...r, entries: [...kept, ...fresh, ...sending], newer: full }
          }
          case 'newest':
          case 'around': {
            // A search hit being shown: a late answer for the newest page does not take its context away.
            const hit = s.reveal
            if (action.window === 'newest' && hit !== null && s.active === action.room && have.has(hit) && !action.messages.some((m) => m.id === hit)) return r
            const sending = r.entries.filter((e) => e.state === 'sending' || e.state === 'failed')
            const around = action.window === 'around'
            const page = action.messages.map(toEntry)
            // Live messages the page does not hold though it covers where they sort: the answer was read before they
            // came, and their events came first. Newer than the page, or inside it: one a peer back from away wrote,
            // on its clock of then, sorts among what was written meanwhile. One older than the page is left to the page before.
            const answered = new Set(action.messages.map((m) => m.id))
            const start = page[0]
            const later = around ? [] : r.entries.filter((e) => e.state !== 'sending' && e.state !== 'failed' && !answered.has(e.message.id) && (start === undefined || before(start, e)))
            const entries = [...later.reduce(place, page), ...(around ? [] : sending)]
            // The newest page of a room opened again, as it was shown (nothing came or went meanwhile): the list keeps
            // its layout. Laid out anew, a list shows no row for a few frames: a blink at every switch of room.
            const same = !around && r.loaded && !r.newer && entries.length === r.entries.length && entries.every((e, i) => e.key === r.entries[i]?.key)
            if (same) return { ...r, entries, older: full }
            return { ...r, loaded: true, entries, older: around || full, newer: around, first: FIRST_INDEX, generation: r.generation + 1, trims: 0 }
          }
          default: {
            const never: never = action.window
            return never
          }
        }
      })
    }
    case 'reveal':
      return { ...reducer(s, { type: 'select', room: action.room, ...(action.join === false ? { join: action.join } : {}) }), reveal: action.id }
    case 'select': {
      // The room left keeps its newest page only (see keepNewest).
      const left = action.room !== s.active && s.roomData[s.active] !== undefined ? withRoom(s, s.active, keepNewest) : s
      // Read only, not joined: asked for, or the room on screen already read so (its newest page, say).
      const reading = action.join === false || (action.room === s.active && outside(s))
      return withRoom({ ...(reading ? left : join(left, action.room)), active: action.room, opened: s.opened + 1, reveal: null, rooms: reading || s.rooms.includes(action.room) || isDmRoom(action.room) ? s.rooms : [...s.rooms, action.room] }, action.room, (r) => ({ ...r, unread: 0, unreadIds: [], arrived: r.unreadIds }))
    }
    case 'trim':
      return withRoom(s, action.room, (r) => {
        const from = r.entries.findIndex((e) => e.key === action.from)
        // A new list, numbered afresh, laid out at its bottom (MessageList): taking rows off the top of one that is shown would move it.
        return from > 0 && !r.newer ? { ...keepFrom(r, from), first: FIRST_INDEX, trims: r.trims + 1 } : r
      })
    case 'uncount': {
      let next = s
      for (const [room, r] of Object.entries(s.roomData)) {
        // Those counted as they came, by who wrote them (a room keeps its newest page at least, so their rows are there).
        const by = new Map(r.entries.map((e) => [e.message.id, e.message.author]))
        const off = r.unreadIds.filter((id) => action.authors.has(by.get(id) ?? ''))
        const recounted = action.recount?.rooms.includes(room) === true ? action.recount.counts[room] ?? 0 : Infinity
        const unread = Math.min(Math.max(0, r.unread - off.length), recounted)
        if (off.length === 0 && unread === r.unread) continue
        next = withRoom(next, room, (x) => ({ ...x, unread, unreadIds: x.unreadIds.filter((id) => !off.includes(id)) }))
      }
      return next
    }
    case 'unreadCounts': {
      let next = s
      for (const [room, n] of Object.entries(action.counts)) {
        // The room on screen in a window with the focus is being read.
        if (room === s.active && s.focused) continue
        next = withRoom(next, room, (r) => (n > r.unread ? { ...r, unread: n } : r))
      }
      return next
    }
    case 'dms':
      // What the engine lists wins; conversations heard of meanwhile stay.
      return { ...s, dms: byRecent([...action.dms, ...s.dms.filter((d) => !action.dms.some((e) => e.room === d.room))]) }
    case 'privateRooms':
      return { ...s, privateRooms: action.rooms }
    case 'privateRoom': {
      // In its place when known (a rename or a member change does not move it), else last.
      const known = s.privateRooms.some((r) => r.room === action.room.room)
      return { ...s, privateRooms: known ? s.privateRooms.map((r) => (r.room === action.room.room ? action.room : r)) : [...s.privateRooms, action.room] }
    }
    case 'openDm': {
      // A conversation just started goes on top; one that is listed keeps its place.
      const dms = dmOf(s, action.dm.room) === undefined ? byRecent([...s.dms, { ...action.dm, lastAt: Date.now() }]) : s.dms
      return reducer({ ...s, dms }, { type: 'select', room: action.dm.room })
    }
    case 'joined':
      return { ...s, joined: [...new Set([...s.joined, ...action.rooms])] }
    case 'dmClosed': {
      const closed = s.dms.find((d) => d.peerId === action.peerId)?.room
      const next: State = { ...s, dms: action.dms }
      return closed !== undefined && s.active === closed ? reducer(next, { type: 'select', room: DEFAULT_ROOM }) : next
    }
    case 'left': {
      // The room on screen goes too: back to the lobby.
      const next: State = { ...s, rooms: action.rooms, joined: s.joined.filter((r) => r !== action.room) }
      return s.active === action.room ? reducer(next, { type: 'select', room: DEFAULT_ROOM }) : next
    }
    case 'focus': {
      const next = { ...s, focused: action.focused }
      return action.focused ? withRoom(next, s.active, (r) => ({ ...r, unread: 0, unreadIds: [], arrived: [...r.arrived, ...r.unreadIds].slice(-UNREAD_IDS) })) : next
    }
    case 'sending': {
      const message: MessageView = { id: action.key, room: action.room, author: action.author, name: action.name, text: action.text, lamport: 0, sentAt: Date.now(), deps: [], ...(action.replyTo !== undefined ? { replyTo: action.replyTo } : {}) }
      return withRoom(join(s, action.room), action.room, (r) => ({ ...r, entries: [...r.entries, { key: action.key, message, own: true, state: 'sending' }] }))
    }
    case 'sent':
      return withRoom(s, action.room, (r) => {
        const without = r.entries.filter((e) => e.key !== action.key)
        const announced = r.entries.find((e) => e.message.id === action.message.id && e.state === 'delivered')
        const state: DeliveryState = announced !== undefined && !s.pendingIds.includes(action.message.id) ? 'delivered' : 'pending'
        // The delivered view (with the hub's seq in client mode) wins over what `send` answered.
        const message = announced?.message ?? action.message
        // Keep the optimistic key so React keeps the same row instead of remounting it.
        return { ...r, entries: place(without, { key: action.key, message, own: true, state }) }
      })
    case 'sendFailed':
      return withRoom(toast(s, 'Message not sent', action.error), action.room, (r) => ({
        ...r,
        entries: r.entries.map((e) => (e.key === action.key ? { ...e, state: 'failed', error: action.error } : e))
      }))
    case 'discard':
      return withRoom(s, action.room, (r) => ({ ...r, entries: r.entries.filter((e) => e.key !== action.key || e.state !== 'failed') }))
    case 'unsentKept':
      return action.messages.reduce((t, m) => withRoom(t, m.room, (r) => r.entries.some((e) => e.message.id === m.id) ? r : ({
        ...r,
        entries: [...r.entries, { key: m.id, message: m, own: true, state: 'failed' as const, error: m.unsent ?? 'Not sent' }]
      })), s)
    case 'toast':
      return toast(s, action.title, action.message)
    case 'dismiss':
      return { ...s, toasts: s.toasts.filter((t) => t.id !== action.id) }
    case 'dialog':
      return { ...s, dialog: action.dialog }
    case 'panel':
      return { ...s, panel: action.panel }
    case 'order':
      return { ...s, order: action.order }
    default: {
      const never: never = action
      return never
    }
  }
}

export function totalUnread(s: State): number {
  return Object.values(s.roomData).reduce((n, r) => n + r.unread, 0)
}

export type { ErrorInfo }
