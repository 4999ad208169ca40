/**
 * The JSON-lines contract of `bin/lanchat` (README, "The headless peer"):
 * one command object a line in, one event object a line out. A command is
 * turned into an operation of the shared dispatch — so the CLI and the
 * desktop app validate alike and fail with the same errors — and the
 * operation's answer into the event the contract promises.
 *
 * @example
 * ```ts
 * const cmd = parseLine('{"cmd":"history"}')          // { cmd: 'history', operation: 'history', payload: { room: 'lobby' } }
 * const result = await dispatch(cmd.operation, cmd.payload)
 * const event = answerOf(cmd, result)                  // { type: 'history', room: 'lobby', messages: [...] }
 * ```
 */
import type { ChatEvent, ChatEventOf, FileStorage, InviteCheck, MemberView, MessageView, PresenceView, PrivateRoomView, SavedMark, StorageFigure } from '../chat/types.js'
import { DEFAULT_ROOM, DM_ROOM_PREFIX, PRIVATE_ROOM_PREFIX } from '../core/limits.js'
import { roomFromInput, type OperationName, type Result, type SearchHit, type StatsReport } from '../../preload/contract.js'

export class CommandError extends Error {
  static override readonly name = 'CommandError'
  override readonly name = 'CommandError'
}

/**
 * A script's own name for a command (`"ref"`: a string of at most 200
 * characters, or a number), given back on the event that answers it and on
 * its error, so an answer can be told from what arrives meanwhile (another
 * peer's message, a complaint about something received).
 */
export type Ref = string | number

function refFrom (fields: Fields): Ref | undefined {
  const ref = fields.ref
  if (ref === undefined) return undefined
  if ((typeof ref === 'string' && ref.length <= 200) || (typeof ref === 'number' && Number.isFinite(ref))) return ref
  throw new CommandError('"ref" is your name for the command, given back on its answer: a string of at most 200 characters or a number')
}

/** The `ref` of a line that failed before it became a command (when it has a valid one), for its error event. */
export function refOfLine (line: string): Ref | undefined {
  try {
    const json = JSON.parse(line) as unknown
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? refFrom(json as Fields) : undefined
  } catch { return undefined }
}

/** An event with the command's `ref`, when it had one. */
export function withRef<E extends ChatEvent> (event: E, ref: Ref | undefined): E & { ref?: Ref } {
  return ref === undefined ? event : { ...event, ref }
}

/** A command line, with the operation it runs ('quit' and 'help' are the host's own). */
export interface Command {
  cmd: string
  operation: OperationName | 'quit' | 'help'
  payload: unknown
  /** The room a history answer names (as the command gave it). */
  room?: string
  /** The script's name for the command, given back on its answer. */
  ref?: Ref
}

type Fields = Record<string, unknown>
const pick = (o: Fields, ...keys: string[]): Fields => Object.fromEntries(keys.filter(k => o[k] !== undefined).map(k => [k, o[k]]))

/** Each JSON command: its operation and the request it makes of it. */
const COMMANDS: Record<string, (c: Fields) => Omit<Command, 'cmd'>> = {
  // With "to" (a peer id) a direct message, sealed for that peer alone; else to a room, the lobby by default.
  send: c => ({ operation: 'send', payload: c.to !== undefined ? pick(c, 'to', 'text', 'replyTo', 'room') : { room: c.room ?? DEFAULT_ROOM, ...pick(c, 'text', 'replyTo') } }),
  // To a room, or (with "to", a peer id) to one person; a DM's or an invite-only room's message going where others read it needs "confirm": true.
  forward: c => ({ operation: 'forward', payload: pick(c, 'id', 'room', 'to', 'comment', 'confirm') }),
  // Edits, deletes and reactions name their message by id; the room is where it is (a room given must be it).
  edit: c => ({ operation: 'edit', payload: pick(c, 'room', 'id', 'text') }),
  delete: c => ({ operation: 'delete', payload: pick(c, 'room', 'id') }),
  react: c => ({ operation: 'react', payload: pick(c, 'room', 'id', 'emoji', 'on') }),
  unreact: c => ({ operation: 'react', payload: { ...pick(c, 'room', 'id', 'emoji'), on: false } }),
  // A pin for everyone in the conversation ("on": false takes it off); the room's pinned messages, newest pin first.
  pin: c => ({ operation: 'pin', payload: { ...pick(c, 'room', 'id'), on: c.on ?? true } }),
  pins: c => ({ operation: 'pins', payload: { room: c.room ?? DEFAULT_ROOM } }),
  // Saved for later, for oneself alone ("on": false takes it off); every saved message, newest saved first.
  save: c => ({ operation: 'save', payload: { ...pick(c, 'id'), on: c.on ?? true } }),
  saved: () => ({ operation: 'saved', payload: undefined }),
  // The same by id and when saved only: a count, or marks, without the words.
  'saved-ids': () => ({ operation: 'savedIds', payload: undefined }),
  versions: c => ({ operation: 'versions', payload: pick(c, 'id') }),
  // Our own messages a hub refused for good, kept with why until sent again or discarded (drop-unsent).
  unsent: () => ({ operation: 'unsent', payload: undefined }),
  'drop-unsent': c => ({ operation: 'dropUnsent', payload: pick(c, 'id') }),
  dms: () => ({ operation: 'dms', payload: undefined }),
  'close-dm': c => ({ operation: 'closeDm', payload: pick(c, 'peerId') }),
  'create-private': c => ({ operation: 'createPrivateRoom', payload: pick(c, 'name') }),
  accept: c => ({ operation: 'joinInvite', payload: pick(c, 'code') }),
  // Whether a code would let us in, its keys not taken ("refused" says why not: a room we left or were removed from).
  'check-invite': c => ({ operation: 'checkInvite', payload: pick(c, 'code') }),
  invite: c => ({ operation: 'invite', payload: pick(c, 'room', 'to') }),
  members: c => ({ operation: 'members', payload: { room: c.room ?? DEFAULT_ROOM } }),
  'private-rooms': () => ({ operation: 'privateRooms', payload: undefined }),
  remove: c => ({ operation: 'removeMember', payload: pick(c, 'room', 'peerId') }),
  // To one who joined with an invite from before the room's last change of members (the creator is told of them).
  'give-keys': c => ({ operation: 'giveRoomKeys', payload: pick(c, 'room', 'peerId') }),
  'rename-private': c => ({ operation: 'renamePrivateRoom', payload: pick(c, 'room', 'name') }),
  // With "keepTrying": true (P2P) no attempt now, but again and again in the background until it answers; "stop": true stops that.
  dial: c => c.stop === true ? { operation: 'stopDialing', payload: { address: c.addr } } : { operation: 'dial', payload: { address: c.addr, ...pick(c, 'keepTrying') } },
  // A known peer, now, at every address known of it (P2P): for one that is back while its redials wait.
  connect: c => ({ operation: 'connectPeer', payload: pick(c, 'peerId') }),
  block: c => ({ operation: 'block', payload: pick(c, 'peerId') }),
  unblock: c => ({ operation: 'unblock', payload: pick(c, 'peerId') }),
  forget: c => ({ operation: 'forget', payload: pick(c, 'peerId') }),
  // A window of the room with "limit" and one of "before", "after", "around"; with "notes": true, an
  // invite-only room's joins, leaves, removals and renames among its messages (each with "note").
  history: c => ({ operation: 'history', payload: { room: c.room ?? DEFAULT_ROOM, ...pick(c, 'limit', 'before', 'after', 'around', 'notes') }, room: String(c.room ?? DEFAULT_ROOM) }),
  search: c => ({ operation: 'search', payload: pick(c, 'q', 'room', 'limit') }),
  peers: () => ({ operation: 'peers', payload: undefined }),
  rooms: () => ({ operation: 'rooms', payload: undefined }),
  join: c => ({ operation: 'joinRoom', payload: pick(c, 'room') }),
  // An invite-only room is left for good (its keys are forgotten); a public one is only no longer listed.
  leave: c => ({ operation: typeof c.room === 'string' && c.room.trim().toLowerCase().startsWith(PRIVATE_ROOM_PREFIX) ? 'leavePrivateRoom' : 'leaveRoom', payload: pick(c, 'room') }),
  // Muted rooms notify only for mentions (the app) and print only then (the terminal); JSON events are never held back.
  mute: c => ({ operation: 'muteRoom', payload: { room: c.room ?? DEFAULT_ROOM, muted: true } }),
  unmute: c => ({ operation: 'muteRoom', payload: { room: c.room ?? DEFAULT_ROOM, muted: false } }),
  name: c => ({ operation: 'setName', payload: pick(c, 'name') }),
  // Our status in our own words; "" takes it off.
  status: c => {
    if (typeof c.text !== 'string') throw new CommandError('"status" needs a "text": your status in your own words, "" to take it off')
    if (c.until !== undefined && typeof c.until !== 'number') throw new CommandError('"until" is when the status clears itself, in ms since 1970')
    return { operation: 'setStatus', payload: { status: c.text, ...(c.until !== undefined ? { until: c.until } : {}) } }
  },
  stats: () => ({ operation: 'stats', payload: undefined }),
  mode: c => ({ operation: 'switchMode', payload: pick(c, 'mode', 'server') }),
  // With `to` (a peer id) the file is sealed for that peer alone, in your direct conversation (as `send` with `to`).
  file: c => ({ operation: 'shareFile', payload: { room: c.room ?? DEFAULT_ROOM, ...pick(c, 'path', 'text', 'to') } }),
  download: c => ({ operation: 'download', payload: pick(c, 'id') }),
  cancel: c => ({ operation: 'cancelDownload', payload: pick(c, 'id') }),
  // What the data directory keeps of files; with "free": true, others' files kept here go first.
  storage: c => {
    if (c.free !== undefined && typeof c.free !== 'boolean') throw new CommandError('"free" is true (take the copies of others\' files kept here) or false')
    return { operation: c.free === true ? 'freeFileStorage' : 'fileStorage', payload: undefined }
  },
  // Ephemeral: "I am typing in this room" (at most one frame every 3 s goes out), and online/away (without a state: everyone's presence).
  typing: c => ({ operation: 'typing', payload: { room: c.room ?? DEFAULT_ROOM } }),
  presence: c => c.state === undefined ? { operation: 'presence', payload: undefined } : { operation: 'setPresence', payload: pick(c, 'state') },
  quit: () => ({ operation: 'quit', payload: undefined }),
  // The commands, each with the fields it takes: answered {"type":"help","commands":{…}}.
  help: () => ({ operation: 'help', payload: undefined })
}

/**
 * The fields each command takes (besides "cmd" and "ref"). Any other is refused, named: a misspelt
 * field was dropped in silence, so `{"cmd":"send","peerId":…,"text":…}` (block's word, not send's
 * "to") posted the text in the lobby for everyone, and `"replyto"` sent a reply that was none.
 */
const FIELDS: Record<string, readonly string[]> = {
  send: ['room', 'to', 'text', 'replyTo'],
  forward: ['id', 'room', 'to', 'comment', 'confirm'],
  edit: ['room', 'id', 'text'],
  delete: ['room', 'id'],
  react: ['room', 'id', 'emoji', 'on'],
  unreact: ['room', 'id', 'emoji'],
  pin: ['room', 'id', 'on'],
  pins: ['room'],
  save: ['id', 'on'],
  saved: [],
  'saved-ids': [],
  versions: ['id'],
  unsent: [],
  'drop-unsent': ['id'],
  dms: [],
  'close-dm': ['peerId'],
  'create-private': ['name'],
  accept: ['code'],
  'check-invite': ['code'],
  invite: ['room', 'to'],
  members: ['room'],
  'private-rooms': [],
  remove: ['room', 'peerId'],
  'give-keys': ['room', 'peerId'],
  'rename-private': ['room', 'name'],
  dial: ['addr', 'keepTrying', 'stop'],
  connect: ['peerId'],
  block: ['peerId'],
  unblock: ['peerId'],
  forget: ['peerId'],
  history: ['room', 'limit', 'before', 'after', 'around', 'notes'],
  search: ['q', 'room', 'limit'],
  peers: [],
  rooms: [],
  join: ['room'],
  leave: ['room'],
  mute: ['room'],
  unmute: ['room'],
  name: ['name'],
  status: ['text', 'until'],
  stats: [],
  mode: ['mode', 'server'],
  file: ['room', 'path', 'text', 'to'],
  download: ['id'],
  cancel: ['id'],
  storage: ['free'],
  typing: ['room'],
  presence: ['state'],
  quit: [],
  help: []
}

/** What `{"cmd":"help"}` answers: each command a script may send, with the fields it takes (besides "cmd" and "ref"). */
export function helpAnswer (only?: readonly string[]): ChatEventOf<'help'> {
  return { type: 'help', commands: Object.fromEntries(Object.entries(FIELDS).filter(([cmd]) => only === undefined || only.includes(cmd))) }
}

/** How an unknown command's refusal ends: where the commands are listed. */
export const HELP_HINT = ': {"cmd":"help"} lists the commands'

/** Words a script may use for a field by analogy with another command: said with the one this command takes. */
const ALIASES: Record<string, readonly string[]> = {
  to: ['peerId', 'peer', 'recipient', 'dm', 'user'],
  peerId: ['to', 'peer', 'id', 'user'],
  text: ['message', 'msg', 'body', 'content'],
  replyTo: ['reply', 'replyId', 'inReplyTo', 'parent'],
  id: ['messageId', 'msgId', 'message'],
  addr: ['address', 'multiaddr', 'host'],
  q: ['query', 'search', 'text'],
  room: ['channel', 'conversation'],
  code: ['invite'],
  emoji: ['reaction']
}

/** Levenshtein distance with adjacent swaps (optimal string alignment). */
export function editDistance (a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i === 0 ? j : j === 0 ? i : 0))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The one of `names` a mistyped `typed` most likely meant: case aside, at most two letters added,
 * dropped, changed or swapped (one in a word of four letters or fewer: "foo" is not "room").
 */
export function nearest (typed: string, names: readonly string[]): string | undefined {
  let best: { name: string, d: number } | undefined
  const most = typed.length <= 4 ? 1 : 2
  for (const name of names) {
    const d = editDistance(typed.toLowerCase(), name.toLowerCase())
    if (d <= most && (best === undefined || d < best.d)) best = { name, d }
  }
  return best?.name
}

/** Refuse a field `cmd` does not take, naming it, what it may have meant, and what the command takes. */
function checkFields (cmd: string, given: Fields): void {
  const takes = FIELDS[cmd] ?? []
  const unknown = Object.keys(given).filter(k => k !== 'cmd' && k !== 'ref' && !takes.includes(k))
  if (unknown.length === 0) return
  const field = unknown[0]!
  const meant = nearest(field, takes) ?? takes.find(t => ALIASES[t]?.some(a => a.toLowerCase() === field.toLowerCase()))
  const said = unknown.map(k => JSON.stringify(k)).join(', ')
  const hint = meant !== undefined ? ` (did you mean "${meant}"?)` : ''
  const list = takes.length > 0 ? `it takes ${takes.map(t => `"${t}"`).join(', ')} (and "ref")` : 'it takes no field but "ref"'
  throw new CommandError(`"${cmd}" does not take ${said}${hint}: ${list}; nothing was done`)
}

/** What an unknown command may have meant: one misspelt, or the terminal's word for one. */
function unknownHint (cmd: string): string {
  const word = cmd.replace(/^\//, '')
  const meant = Object.hasOwn(COMMANDS, word) ? word : nearest(word, Object.keys(COMMANDS))
  return meant !== undefined ? ` (did you mean "${meant}"?)` : ''
}

/** Our invite-only rooms by name (see roomsNamed), for a script that names one. */
export interface RoomNames { privateNamed: (name: string) => string[] }

/**
 * The ids of the rooms among `rooms` (id and what is known of it) called `name`, case aside: how the
 * terminal and a script name one. Those that did not remove us; none doing so, those that did, which
 * are still ours to read (what is sent there is refused): the name is never the public room of that
 * name, where a line meant for the private room would go to everyone.
 */
export function roomsNamed (rooms: Iterable<readonly [string, { name: string, removed: boolean }]>, name: string): string[] {
  const wanted = name.trim().toLowerCase()
  const named = [...rooms].filter(([, r]) => r.name.toLowerCase() === wanted)
  const kept = named.filter(([, r]) => !r.removed)
  return (kept.length > 0 ? kept : named).map(([room]) => room)
}

/**
 * A room as a script names it, read as the window and the terminal read one:
 * `#Design` and `design` are the public room design (spaces become dashes);
 * with `rooms`, the name of one of our invite-only rooms is that room, as in
 * the terminal, so a script that names it does not post where everyone reads;
 * `#name` is always the public one. `pr:…` and `dm:…` ids are taken as given.
 */
export function readRoom (raw: string, rooms?: RoomNames): string {
  const text = raw.trim()
  const id = text.toLowerCase()
  if (id.startsWith(PRIVATE_ROOM_PREFIX) || id.startsWith(DM_ROOM_PREFIX)) return text
  if (rooms !== undefined && !text.startsWith('#')) {
    const mine = rooms.privateNamed(text)
    if (mine.length === 1) return mine[0]!
    if (mine.length > 1) throw new CommandError(`${mine.length} of your invite-only rooms are called "${text}": give its id ("room":"pr:…"; {"cmd":"private-rooms"} lists them)`)
  }
  return roomFromInput(text)
}

/**
 * Parse one input line, or throw CommandError saying what is wrong; with `rooms`, a room may be
 * named as one of our invite-only rooms is called (see readRoom).
 */
export function parseLine (line: string, rooms?: RoomNames): Command {
  let json: unknown
  try {
    // "\ud800" is valid JSON but not text: UTF-8 on the wire has no lone surrogate, so peers would read U+FFFD where we read it.
    json = JSON.parse(line, (_key, value: unknown) => typeof value === 'string' ? value.toWellFormed() : value)
  } catch {
    throw new CommandError(`not JSON: ${line.length > 80 ? line.slice(0, 80) + '…' : line}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CommandError('a command is a JSON object with a "cmd"')
  // A field set to null is one not given: a script's language writes an unset field so (Python's None, a JSON encoder's null).
  const given = Object.fromEntries(Object.entries(json).filter(([, value]) => value !== null)) as Fields
  const fields = typeof given.room === 'string' ? { ...given, room: readRoom(given.room, rooms) } : given
  const cmd = fields.cmd
  if (typeof cmd !== 'string') throw new CommandError('a command needs a "cmd" string')
  const make = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined
  if (make === undefined) throw new CommandError(`unknown command "${cmd}"${unknownHint(cmd)}${HELP_HINT}`)
  const ref = refFrom(fields)
  checkFields(cmd, given)
  return { cmd, ...make(fields), ...(ref !== undefined ? { ref } : {}) }
}

/** The event that answers a command, if the contract gives it one; an error event for a failure; with the command's `ref`. */
export function answerOf (cmd: Command, result: Result<unknown>): (ChatEvent & { ref?: Ref }) | undefined {
  const event = plainAnswerOf(cmd, result) ?? (cmd.ref !== undefined && result.ok ? doneOf(cmd, result.value) : undefined)
  return event === undefined ? undefined : withRef(event, cmd.ref)
}

/**
 * A command that has no answer of its own, asked with a `ref`, is still answered: a script that
 * waits for its ref is not left waiting, and learns the id of the message it sent (or changed).
 */
function doneOf (cmd: Command, value: unknown): ChatEvent {
  const m = value as { id?: unknown, room?: unknown, truncated?: unknown } | undefined
  const message = typeof m === 'object' && m !== null && typeof m.id === 'string' && typeof m.room === 'string' ? { id: m.id, room: m.room, ...(m.truncated === true ? { truncated: true as const } : {}) } : {}
  // A saved message taken off that this mode cannot show has no view to answer: its id is the one asked for.
  if (cmd.operation === 'save' && !('id' in message)) return { type: 'done', cmd: cmd.cmd, id: (cmd.payload as { id: string }).id }
  return { type: 'done', cmd: cmd.cmd, ...message }
}

function plainAnswerOf (cmd: Command, result: Result<unknown>): ChatEvent | undefined {
  if (!result.ok) return { type: 'error', message: result.error.message, code: result.error.name }
  const value = result.value
  switch (cmd.operation) {
    case 'history': return { type: 'history', room: cmd.room ?? DEFAULT_ROOM, messages: value as Extract<ChatEvent, { type: 'history' }>['messages'] }
    case 'versions': return { type: 'versions', id: (cmd.payload as { id: string }).id, versions: value as Extract<ChatEvent, { type: 'versions' }>['versions'] }
    case 'peers': return { type: 'peers', peers: value as Extract<ChatEvent, { type: 'peers' }>['peers'] }
    case 'dms':
    case 'closeDm': return { type: 'dms', dms: value as Extract<ChatEvent, { type: 'dms' }>['dms'] }
    case 'createPrivateRoom':
    case 'joinInvite':
    case 'privateRoom':
    case 'removeMember':
    case 'giveRoomKeys':
    case 'renamePrivateRoom': return { type: 'private-room', ...(value as PrivateRoomView & { invite?: string }) }
    case 'privateRooms':
    case 'leavePrivateRoom': return { type: 'private-rooms', rooms: value as PrivateRoomView[] }
    // The room as the engine names it (the schema trimmed and lowercased it).
    case 'members': return { type: 'members', room: (cmd.payload as { room: string }).room.trim().toLowerCase(), members: value as MemberView[] }
    case 'pins': return { type: 'pins', room: (cmd.payload as { room: string }).room.trim().toLowerCase(), messages: value as MessageView[] }
    case 'saved': return { type: 'saved', saved: value as MessageView[] }
    case 'savedIds': return { type: 'saved-ids', saved: value as SavedMark[] }
    case 'unsent': return { type: 'unsent', messages: value as MessageView[] }
    case 'invite': return { type: 'invite', ...(value as { room: string, code: string, to?: string }) }
    case 'checkInvite': return { type: 'invite-check', ...(value as InviteCheck) }
    case 'rooms':
    case 'leaveRoom':
    case 'joinRoom': return { type: 'rooms', rooms: value as string[] }
    case 'muteRoom': return { type: 'muted', rooms: value as string[] }
    case 'stopDialing': return { type: 'dialing', addresses: (value as { dialing: string[] }).dialing }
    case 'stats': return { type: 'stats', ...(value as StatsReport).current }
    case 'fileStorage': return { type: 'storage', ...(value as FileStorage) }
    case 'freeFileStorage': {
      const { freed, storage } = value as { freed: StorageFigure, storage: FileStorage }
      return { type: 'storage', freed, ...storage }
    }
    case 'download': return { type: 'download', ...(value as { id: string, name: string, size: number, sha256: string, saved?: true }) }
    // setPresence is told by our own peer:presence event.
    case 'presence': return { type: 'presence', people: value as PresenceView[] }
    case 'search': {
      const { q, room } = cmd.payload as { q: string, room?: string }
      // The window's marks are its own: a script reads the snippet's [brackets].
      return { type: 'search', q, ...(room !== undefined ? { room } : {}), hits: (value as SearchHit[]).map(({ marked: _marked, ...hit }) => hit) }
    }
    default: return undefined
  }
}
