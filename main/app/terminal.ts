/**
 * The terminal chat of `bin/lanchat peer` (without --json): a typed line goes
 * to the current room, /commands do the rest, and events print as lines a
 * person reads. Commands become the same operations as the JSON contract.
 *
 * @example
 * ```ts
 * const term = new Terminal()
 * term.command('/join design')   // { cmd: 'join', operation: 'joinRoom', … }; lines now go to #design
 * term.command('hello')          // { cmd: 'send', operation: 'send', payload: { room: 'design', text: 'hello' } }
 * term.command('/frobnicate')    // throws CommandError: unknown command /frobnicate, try /help
 * ```
 */
import { revealOverrides } from '../core/markup.js'
import { HUB_SLOW_MS } from '../net/constants.js'
import type { ChatEvent, FileStorage, MessageView, PeerView, PresenceState, PrivateRoomView, StorageFigure } from '../chat/types.js'
import { ANSWERS_LATER, DEFAULT_MAX_FILE_MB, MAX_FILE_MB_CEILING, roomFromInput, STATUS_CLEAR_AFTER, untilLabel, writtenAt, type ErrorInfo } from '../../preload/contract.js'
import { CLOCK_OFF_MS, type EngineStats } from '../chat/stats.js'
import { DEFAULT_ROOM, DM_ROOM_PREFIX, MAX_KEPT_DIRECTS, MAX_LISTED_ROOMS, PRIVATE_ROOM_PREFIX } from '../core/limits.js'
import { isEmoji, normalizeRoom } from '../core/message.js'
import { formatBytes } from '../core/file.js'
import { fileKind } from '../core/file-kind.js'
import { hostPort, hostPorts, lostListenText } from '../net/connect-errors.js'
import { invitation } from '../core/invite.js'
import { buildLabel } from '../core/build.js'
import { noteSentence } from '../core/room-note.js'
import { roomsNamed as searchedRooms } from '../core/search-query.js'
import { onlyUnspaced, UNSPACED_SCAN_ROWS } from '../core/unspaced.js'
import { dmRoom } from '../chat/private.js'
import { MAX_PEOPLE } from '../chat/presence-relay.js'
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { CommandError, parseLine, roomsNamed, type Command } from './lines.js'
import { liveText, stamp } from './live-text.js'

export { stamp } from './live-text.js'
import { mentions } from '../core/mentions.js'

export const TERMINAL_HELP = `commands:
  (any text)        say it in the current room
  /join ROOM        join a room and type into it       /room ROOM   the same
  /rooms            the rooms known, * the current one /leave [#ROOM]  leave the current room, or #ROOM
                    (a room not joined prints one line when someone writes there, and mentions of you)
  /mute [#ROOM]     print a room's messages only when they mention you (the current room, or #ROOM)
  /unmute [#ROOM]   print all of its messages again    /members     who is in the current room, with presence
  /history [ROOM]   a room's newest 50, in order       /peers       who is known, who is connected
  /history @NAME    your direct conversation with NAME, newest 50 (/history more: the 50 before)
  /who              everyone online, away or offline (in client mode: the hub's other clients too)
  /dial ADDR        connect to ip:port or a multiaddr (/dial alone: what is tried in the background)
  /dial ADDR keep   try it in the background until it answers (/dial ADDR stop: no more)
  /connect NAME     link to a known peer now, at every address known of it, without waiting for the next try
  /name NAME        change your display name
  /block NAME       fold its messages (P2P: refuse it) /unblock NAME  undo (a name or a peer id)
  /forget NAME      stop listing a peer that left (and redialing it) until it is back; its messages stay
  /stats            what this node sees of the network /mode p2p | /mode client [ADDR]
  /dm NAME TEXT     a direct message, sealed for NAME alone (a display name or a peer id; /msg too)
  /dms              your direct-message conversations /close NAME  stop listing the one with NAME
  /private NAME     a new invite-only room, typed into from then on (prints its invite code)
  /private          your invite-only rooms (/room NAME types into one, /leave and /mute take NAME too;
                    two of one name: /room pr:…; #NAME is always the public room)
  /accept [CODE]    join an invite-only room (the last invitation, or CODE), typed into from then on
  /invite           an invite code for the current invite-only room
  /invite NAME      send the current invite-only room's invite to NAME in a direct message
  /remove NAME      remove a member from the current invite-only room (its creator only)
  /givekeys NAME    give the room's keys to a member who joined with an old invite (its creator only)
  /rename NAME      give the current invite-only room a new name (its creator only)
  /reply ID TEXT    answer a message (ID: the short id in its [brackets], or N: the Nth newest shown, 1 the last)
  /forward ID #ROOM [COMMENT]  send a message on to #ROOM, quoted, your COMMENT first (@NAME: to NAME;
                    an invite-only room by its name); a private one asks first (/forward yes sends it)
  /send yes         post an invite code held back from a public room (typed there, it is held: anyone could join)
  /edit ID TEXT     change your message's text          /delete ID   delete your message for everyone
  /react ID EMOJI   put an emoji on a message            /unreact ID EMOJI  take yours off
  /versions ID      a message's earlier texts
  /pin ID           pin a message for everyone here      /unpin ID    take the pin off
  /pins             the current room's pinned messages, newest pin first
  /save [ID]        save a message for later, for you alone (none: the last)  /unsave ID  take it off
  /saved            your saved messages, in every conversation, newest saved first
  /unsent           your messages a server refused, kept with why (type one again to send it)
  /unsent drop ID   forget one of them
  /search WORDS     find messages in every room and your DMs, newest first (/search #room WORDS or in:#room
                    among the words: one room; /search @NAME WORDS or in:@NAME: your DMs with NAME;
                    from:NAME or from:me: only theirs; has:file, has:image,
                    has:link, has:reply; before:, after:, on:2026-12-01; a OR b; -word)
  /file PATH [TEXT] share a file in the current room (TEXT: its caption; ~ is your home)
  /file @NAME PATH  send a file to NAME alone, sealed (a caption may follow, as above)
  /download [ID]    fetch a shared file (ID: its short id, or N: the Nth newest file; none: the last one)
  /cancel [ID]      stop a download (as /download names it)
  /storage [free]   the files kept here to serve others; free: take the copies of others' files
  /away             tell the others you are away       /back        and that you are back
  /status [TEXT]    your status in your own words, shown with your presence (/status clear takes it off;
                    /status TEXT for 30m|2h|1h30m|3d|today clears it then)
  /help             this list                          /quit        leave LAN Chat`

const isPrivateRoom = (room: string): boolean => room.startsWith(PRIVATE_ROOM_PREFIX)

/** A room typed as an argument, read as the window reads it (the contract's rule), then checked. */
const roomOf = (typed: string): string => normalizeRoom(roomFromInput(typed))

/** How long after the first link comes up, or the last one goes, others' presence is one crowd (ms). */
/** A link's end and its peer's "offline" this close together are one departure, told by the link's line. */
const SAME_DEPARTURE_MS = 10_000
/** A /dial answered within this long of its link coming up is the same link: its line is said with the answer. */
const DIAL_LINK_MS = 10_000
const CROWD_MS = 3_000
/** A stall of this process at least this long is a sleep (the computer's, or a stopped program): said when links ended in it (ms). */
export const ASLEEP_MS = 10_000
/** Links that end this soon after waking ended while this computer slept: one line for all of them (ms). */
const WAKE_LINKS_MS = 5_000
/** A crowd still coming keeps it one: each of its arrivals holds the quiet this much longer, up to CROWD_MAX_MS in all (ms). */
const CROWD_MORE_MS = 1_000
const CROWD_MAX_MS = 15_000

/**
 * Text as a terminal may print it: every control character but the line break and the tab
 * (an escape sequence that clears the screen, moves the cursor or retitles the window; a carriage
 * return or backspace that writes over what was printed; C1 codes some terminals obey too) shown
 * as a visible symbol (U+2400 on: `␛[2J`, `␍`), never obeyed; a direction override (which a
 * terminal that lays out right-to-left text obeys) as `⟨RLO⟩` (core/markup.ts). What others write
 * reaches the screen only through this.
 */
export function printable (text: string): string {
  // eslint-disable-next-line no-control-regex
  return revealOverrides(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, c => {
    const code = c.charCodeAt(0)
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? '\u2421' : '\ufffd'
  })
}

/** Two display names as people read them alike: case aside, an accent composed or decomposed. */
const sameName = (a: string, b: string): boolean => a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase()

/**
 * A message's text on the lines after its first, indented: a line break in it cannot start a
 * line that reads as another message (`[L99 …] boss: …`) or a notice (`* …`).
 */
export function indentLines (text: string): string {
  return text.replace(/\r?\n/g, '\n    ')
}

/**
 * A path as a person types it or drops it on a terminal: quoted ('/home/me/My File.pdf', as file
 * managers paste it), its spaces escaped (`My\ File.pdf`, as macOS's Terminal drops it), and with
 * `~` for their home, as a shell reads it.
 */
export function typedPath (typed: string): string {
  const t = typed.trim()
  const quoted = t.length >= 2 && (t[0] === '\'' || t[0] === '"') && t.at(-1) === t[0]
  const unquoted = quoted ? t.slice(1, -1) : t.replaceAll('\\ ', ' ')
  return unquoted === '~' ? homedir() : unquoted.startsWith('~/') ? join(homedir(), unquoted.slice(2)) : unquoted
}

/**
 * `/file`'s PATH and the words after it, its caption: a quoted path ends at its closing quote; an
 * unquoted one, which may hold spaces, is the longest start of the line that names a file here
 * (`~/My Notes.pdf the minutes`), else the whole line (the engine then says there is no such file).
 */
export function pathAndCaption (typed: string, exists: (path: string) => boolean = existsSync): { path: string, caption?: string } {
  const t = typed.trim()
  const close = t[0] === '\'' || t[0] === '"' ? t.indexOf(t[0], 1) : -1
  const split = (at: number): { path: string, caption?: string } => {
    const caption = t.slice(at).trim()
    return { path: typedPath(t.slice(0, at)), ...(caption !== '' ? { caption } : {}) }
  }
  if (close > 0) return split(close + 1)
  // Each place a word ends, longest first (an escaped space does not end one).
  const ends = [...t.matchAll(/(?<!\\)\s+/g)].map(m => m.index).reverse()
  for (const at of [t.length, ...ends]) if (exists(typedPath(t.slice(0, at)))) return split(at)
  return { path: typedPath(t) }
}


/**
 * Display names by peer id, each with when it was true. What the engine says now (a link, a rename,
 * presence, the peer list: a plain `set`) is true now; a message's name was true when it was
 * written, so an old one printed again does not take back a rename.
 */
class Names extends Map<string, string> {
  readonly #asOf = new Map<string, number>()

  /** `heard`: told of each peer named, after its name is kept (the terminal bounds what it keeps of peers). */
  constructor (private readonly heard: (peerId: string) => void = () => {}) { super() }

  override set (peerId: string, name: string): this {
    this.#asOf.set(peerId, Date.now())
    super.set(peerId, name)
    this.heard(peerId)
    return this
  }

  override delete (peerId: string): boolean {
    this.#asOf.delete(peerId)
    return super.delete(peerId)
  }

  /** `name` as of `at` (ms): kept unless a newer one is known. */
  setAsOf (peerId: string, name: string, at: number): void {
    if (at < (this.#asOf.get(peerId) ?? -Infinity)) return
    super.set(peerId, name)
    this.#asOf.set(peerId, at)
    this.heard(peerId)
  }
}

/** What a typed line asks for: a command to run, or words for the person right away. */
export type Typed = { run: Command } | { say: string }

/** What the terminal asks the engine of, to print and refuse as the window does. */
export interface TerminalLookups {
  /** Why an invite code would not let us in (a room we left since, or that removed us), else undefined. */
  refusal?: (code: string) => string | undefined
  /** Whether a peer is blocked here. */
  blocked?: (peerId: string) => boolean
  /** Whether only people blocked here wrote in `room`: /rooms leaves it out unless it was joined, as the window does. */
  onlyBlocked?: (room: string) => boolean
  /** Whether a public room is known here (written in, or joined): a search of one that is not says so (default: known). */
  knownRoom?: (room: string) => boolean
  /**
   * An invite-only room's name as the engine knows it, for one the terminal has not been told of
   * (an event printed before the list of rooms was read at the start, or before /accept's answer).
   */
  privateRoomName?: (room: string) => string | undefined
  /** Our message `id` in `room` as it waits for the hub (client mode), opened: its pending event names it by id alone. */
  pendingMessage?: (id: string, room: string) => MessageView | undefined
  /** Whether our direct conversation with `peerId` is listed (/dms): /close of one that is not has nothing to close (default: listed). */
  dmListed?: (peerId: string) => boolean
  /** Whether message `id` is saved here: /unsave of one that is not has nothing to take off (default: saved). */
  saved?: (id: string) => boolean
  /** How many of our messages a server refused are kept (/unsent lists them): the banner says so when there are any (default: none). */
  unsent?: () => number
}

export class Terminal {
  /** Where a plain line goes. */
  room = DEFAULT_ROOM
  /** Whether peers are found on the LAN (mDNS): the banner says how others are reached. */
  lanDiscovery = true
  /** The largest file to send or download, in MB, as --max-file-mb set it: a file refused over it says so. */
  maxFileMb = DEFAULT_MAX_FILE_MB
  /** Display names of the peers met so far, to print names instead of ids (see #heardOf for how many). */
  readonly #names = new Names(peerId => { this.#heard(peerId) })
  /**
   * Every peer this terminal keeps something of (a name, a presence, a status, when it left), the
   * least recently heard of first. Keys cost nothing to make: a headless peer left running for weeks
   * next to one that cycles them would keep every one it ever heard of. Past MAX_PEOPLE (the
   * engine's own bound on people known) the least recently heard that no longer matter are forgotten.
   */
  readonly #heardOf = new Set<string>()
  /** Those a direct message printed here was with (the newest MAX_KEPT_DIRECTS): people of ours, forgotten last (#forgetPeers). */
  readonly #dmWith = new Set<string>()
  /** Shared files seen, by the short id printed with them: the newest MAX_SHORT_IDS (a peer may run for weeks). */
  readonly #files = new Map<string, string>()
  /** Messages seen, by the short id printed with them (to reply to them): the newest MAX_SHORT_IDS. */
  readonly #messages = new Map<string, string>()
  /** Printed messages' pinner ('' not pinned), by id: an update that changes it prints as a pin or an unpin. */
  readonly #pinnedBy = new Map<string, string>()
  /** How printed messages read (words, edited or deleted, reactions), by id: an update that changes none of it prints nothing. */
  readonly #looks = new Map<string, string>()
  /** Where each message printed is (its room; a direct one's other party): a reply goes there. The newest 2,000. */
  readonly #placeOf = new Map<string, { room: string, with?: string }>()
  /** The forward the engine refused until confirmed (a private message where others would read it): `/forward yes` sends it. */
  #forwardAsked: { id: string, room?: string, to?: string, comment?: string } | undefined
  /** The invite code held back from a public room (#post): `/send yes` posts it. */
  #held: { room: string, text: string, replyTo?: string } | undefined
  /** The private room being left (/leave): the list its answer carries, without it, is not printed. */
  #leavingPrivate: string | undefined
  /** Ids of the messages printed, oldest first (`/edit 1 …` is the newest). */
  readonly #recent: string[] = []
  /** When each download last printed its progress (one line a second is enough for a person). */
  readonly #printed = new Map<string, number>()
  /** In client mode (from the last `ready`): the one link is the hub. */
  #client = false
  /** The addresses the engine tries in the background until they answer, as its last 'dialing' event said. */
  #dialing: string[] = []
  /** Peers with a link up (their "joined" line printed). */
  readonly #linked = new Set<string>()
  /**
   * Links that came up again to someone whose arrival was said and who stayed here through other
   * peers (a rotation, a full peer's redirect, a dial): no line, since nobody joined. Kept by the link's remote ip:port for a
   * moment, so a /dial of that address can still say what it linked to.
   */
  readonly #quietLinks = new Map<string, { line: string, at: number }>()
  /** Peers whose "joined" line was printed and who have not left since (a link's end, or offline heard through others). */
  readonly #introduced = new Set<string>()
  /** When each link last came up: a /dial answered with a peer linked before it was typed reached someone already here. */
  readonly #linkedAt = new Map<string, number>()
  /** The oldest message the last /history printed, and its room: where /history more goes on from. */
  #historyOldest: { room: string, id: string } | undefined
  /** When the last /dial ADDR was typed. */
  #dialAsked = 0
  /** The peer last asked for by /connect, and when: its link's line is said even if it is a quiet one. */
  #connectAsked: { peerId: string, when: number } | undefined
  /** The ip:port last dialed by /dial, and when: its link's line is said even if it is a quiet one. */
  #dialed: { at: string, when: number } | undefined
  /** When each link ended: a goodbye heard just after it is the same departure its "left" line told. */
  readonly #leftAt = new Map<string, number>()
  /** When this process last woke from a sleep (see `woke`), how long it slept, and whether the links it lost were said. */
  #woke: { at: number, ms: number, said: boolean } | undefined
  /** Whether the history's change under what was printed (history:moved) was said since the last link came up. */
  #historyMovedSaid = false
  /** Everyone's presence as last heard, to print changes only. */
  readonly #presence = new Map<string, PresenceState>()
  /** Each person's status as last printed ('' for none), to print a change once. */
  readonly #statuses = new Map<string, string>()
  /** Ours, as the engine last said it. */
  #ownStatus = ''
  /** When ours clears itself (ms), if it was set to. */
  #ownStatusUntil: number | undefined
  /**
   * Until then, others' presence is a crowd arriving or leaving together (the first link brought
   * everyone's, the last link's end took them): the link's line says it, not one line each. The
   * peer whose link ended is still said.
   */
  #crowdUntil = 0
  #crowdEnd = 0
  #crowdExcept: string | undefined
  /** The ids of what was said to wait for the hub (messages, edits, reactions), so a switch of hub does not say it again. */
  readonly #pendingSaid = new Set<string>()
  /** Our messages printed whole as pending: numbered later, each is said in a line, not printed again. */
  readonly #pendingPrinted = new Set<string>()
  /** The code of the last invitation printed, for /accept alone. */
  #lastInvite: string | undefined
  /** The invite-only rooms as last printed, to print what changed next time. */
  readonly #privateRooms = new Map<string, KnownPrivateRoom>()
  /** Rooms muted with /mute (kept in the data directory: RoomPrefs): their messages print only when they mention you. */
  readonly muted = new Set<string>()
  /**
   * Public rooms joined (kept in the data directory: RoomPrefs): their messages print. Another
   * room's print one line the first time (mentions of you print whole), as a chat lists a room
   * one is not in without its chatter.
   */
  readonly joined = new Set<string>([DEFAULT_ROOM])
  /** Messages not printed, by public room not joined: said when the room is joined. */
  readonly #unjoined = new Map<string, number>()
  /** The mentions of us among them, printed as they came: joining prints them again in their place. */
  readonly #unjoinedMentions = new Map<string, number>()

  readonly #refusal: (code: string) => string | undefined
  readonly #blocked: (peerId: string) => boolean
  readonly #onlyBlocked: (room: string) => boolean
  readonly #knownRoom: (room: string) => boolean
  readonly #privateRoomName: (room: string) => string | undefined
  readonly #pendingMessage: (id: string, room: string) => MessageView | undefined
  readonly #dmListed: (peerId: string) => boolean
  readonly #saved: (id: string) => boolean
  readonly #unsent: () => number

  /**
   * `self`: our peer id; `selfName`: our display name (a mention of it prints even from a muted room);
   * `lookups`: what the terminal asks the engine (each answers as if nothing were known when left out).
   */
  constructor (
    private readonly self: () => string,
    private readonly selfName: () => string = () => '',
    lookups: TerminalLookups = {}
  ) {
    this.#refusal = lookups.refusal ?? (() => undefined)
    this.#blocked = lookups.blocked ?? (() => false)
    this.#onlyBlocked = lookups.onlyBlocked ?? (() => false)
    this.#knownRoom = lookups.knownRoom ?? (() => true)
    this.#privateRoomName = lookups.privateRoomName ?? (() => undefined)
    this.#pendingMessage = lookups.pendingMessage ?? (() => undefined)
    this.#dmListed = lookups.dmListed ?? (() => true)
    this.#saved = lookups.saved ?? (() => true)
    this.#unsent = lookups.unsent ?? (() => 0)
  }

  command (line: string): Typed {
    const trimmed = line.trim()
    if (!trimmed.startsWith('/')) return this.#post({ room: this.room, text: line })
    const [word = '', ...rest] = trimmed.split(/\s+/)
    const arg = rest.join(' ')
    const run = (c: Record<string, unknown>): Typed => ({ run: parseLine(JSON.stringify(c)) })
    switch (word) {
      case '/help': return { say: TERMINAL_HELP }
      // The invite code held back where everyone reads (#post), sent all the same: the window's Send anyway.
      case '/send': {
        const held = this.#held
        if (arg !== 'yes' || held === undefined) throw new CommandError('/send yes posts the invite code held back; a line without a / is sent as it is')
        this.#held = undefined
        return run({ cmd: 'send', ...held })
      }
      case '/join':
      case '/room':
        // `#design` as the notices print it, or `design`; `Design Team` as the window names it, design-team.
        if (arg === '') throw new CommandError(`usage: ${word} ROOM (a name: #design, or Design Team for #design-team)`)
        this.room = this.#roomArg(arg)
        return run({ cmd: 'join', room: this.room })
      case '/leave': {
        // As /room reads a room: one of our invite-only rooms by its name, `#name` the public one.
        const room = arg === '' ? this.room : this.#roomArg(arg)
        if (room === DEFAULT_ROOM) return { say: 'the lobby cannot be left; /room ROOM types elsewhere' }
        // A public room never joined: nothing to leave (and no "left" to print for it).
        if (!isPrivateRoom(room) && room !== this.room && !this.joined.has(room)) return { say: `you have not joined #${room}: nothing to leave (/rooms lists the rooms known, /join ROOM joins one)` }
        // A private room: typing moves to the lobby once it is left (its creator cannot leave it), and the
        // answer (the private rooms left) is not printed: the confirmation says what happened.
        if (isPrivateRoom(room)) this.#leavingPrivate = room
        else if (room === this.room) this.room = DEFAULT_ROOM
        return run({ cmd: 'leave', room })
      }
      case '/rooms': return run({ cmd: 'rooms' })
      case '/mute':
      case '/unmute': return run({ cmd: word.slice(1), room: arg === '' ? this.room : this.#roomArg(arg) })
      // /msg as IRC and most terminal chats spell it.
      case '/msg':
      case '/dm': {
        const body = /^\/(?:dm|msg)\s+([\s\S]*)$/.exec(trimmed)?.[1] ?? ''
        const { who, rest: text } = this.#nameFirst(body)
        // A known name and nothing after it is a message forgotten, not one to its first word.
        const nameAlone = [...this.#names.values()].some(n => sameName(n, body.trim()))
        if (who === '' || text === '' || nameAlone) throw new CommandError(`usage: ${word} NAME TEXT (NAME: a display name from /peers, or a peer id)`)
        return run({ cmd: 'send', to: this.#peerIdOf(who), text })
      }
      case '/dms': return run({ cmd: 'dms' })
      case '/close': {
        if (arg === '') throw new CommandError('usage: /close NAME (a display name from /peers, or a peer id)')
        const peerId = this.#peerIdOf(arg)
        // None listed (never written, or closed already): nothing is closed, as the window has no row to close.
        if (!this.#dmListed(peerId)) return { say: `you have no conversation with ${this.#name(peerId)} listed: nothing to close (/dms lists yours)` }
        return run({ cmd: 'close-dm', peerId })
      }
      case '/private': {
        if (arg === '') return run({ cmd: 'private-rooms' })
        // Typed to get back into a room one has, it would make a second one of the same name.
        // One that removed us is no room to type into: a new one may take its name.
        if (this.#privateNamed(arg).some(room => this.#privateRooms.get(room)?.removed !== true)) throw new CommandError(`you already have an invite-only room called "${arg}": /room ${arg} types into it (a new one needs another name)`)
        return run({ cmd: 'create-private', name: arg })
      }
      case '/accept': {
        // Alone: the last invitation printed (a code wraps over lines a terminal copies badly).
        const code = arg !== '' ? arg : this.#lastInvite
        if (code === undefined) throw new CommandError('no invitation received yet: /accept CODE joins with a code')
        return run({ cmd: 'accept', code })
      }
      case '/invite': {
        this.#inPrivate(word)
        if (arg === '') return run({ cmd: 'invite', room: this.room })
        const to = this.#peerIdOf(arg)
        // A member has the room already: nothing is sent (the window offers only those not in it).
        const known = this.#privateRooms.get(this.room)
        if (known?.members.includes(to) === true) {
          const keys = known.oldInvite.includes(to) && known.creator === this.self() ? ` (joined with an old invite: /givekeys ${this.#name(to)} gives them the keys)` : ''
          return { say: `${to === this.self() ? 'you are' : `${this.#name(to)} is`} in private room "${known.name}" already: no invite sent${keys}` }
        }
        return run({ cmd: 'invite', room: this.room, to })
      }
      case '/members': return run({ cmd: 'members', room: this.room })
      case '/who': return run({ cmd: 'presence' })
      case '/remove':
        this.#inPrivate(word)
        if (arg === '') throw new CommandError('usage: /remove NAME (a member of this invite-only room; /members lists them)')
        return run({ cmd: 'remove', room: this.room, peerId: this.#peerIdOf(arg) })
      case '/givekeys': {
        this.#inPrivate(word)
        if (arg === '') throw new CommandError('usage: /givekeys NAME (a member who joined with an old invite)')
        const peerId = this.#peerIdOf(arg)
        // Said by name here, and before asking: the engine's answer would name a peer id, or change nothing.
        // Only its creator hears of old invites (the engine refuses anyone else, in its own words).
        const known = this.#privateRooms.get(this.room)
        if (known?.creator !== this.self()) return run({ cmd: 'give-keys', room: this.room, peerId })
        if (!known.members.includes(peerId)) throw new CommandError(`${this.#name(peerId)} is not a member of "${known.name}": /invite ${this.#name(peerId)} sends them an invite`)
        if (!known.oldInvite.includes(peerId)) return { say: `${peerId === this.self() ? 'you hold' : `${this.#name(peerId)} already holds`} the keys of private room "${known.name}": nothing to give` }
        return run({ cmd: 'give-keys', room: this.room, peerId })
      }
      case '/rename':
        this.#inPrivate(word)
        if (arg === '') throw new CommandError('usage: /rename NAME (the new name of this invite-only room)')
        return run({ cmd: 'rename-private', room: this.room, name: arg })
      case '/history': {
        // more: the 50 before the oldest the last /history printed, in the same conversation.
        if (arg === 'more') {
          const last = this.#historyOldest
          if (last === undefined) throw new CommandError('/history more goes on from the last /history: there was none (or it printed nothing)')
          return run({ cmd: 'history', room: last.room, limit: 50, before: last.id, ...(isPrivateRoom(last.room) ? { notes: true } : {}) })
        }
        // @NAME: the direct conversation with NAME (its room is the pair's, as both ends compute it).
        if (arg.startsWith('@')) {
          const who = arg.slice(1).trim()
          if (who === '') throw new CommandError('usage: /history @NAME (your direct conversation with NAME)')
          return run({ cmd: 'history', room: dmRoom(this.self(), this.#peerIdOf(who)), limit: 50 })
        }
        // An invite-only room's joins, leaves, removals and renames print in their places, as the window shows them.
        const room = arg === '' ? this.room : this.#roomArg(arg)
        return run({ cmd: 'history', room, limit: 50, ...(isPrivateRoom(room) ? { notes: true } : {}) })
      }
      case '/dial': {
        // `keep`: an address not answering yet (a peer still starting, a laptop asleep) is tried until it does, as Connect's Keep trying.
        const [addr = '', then, ...more] = rest
        if (addr === '') {
          return { say: this.#dialing.length === 0 ? 'no address is being tried in the background: /dial ADDR connects to one (ip:port or a multiaddr), /dial ADDR keep tries it until it answers' : `trying in the background until they answer: ${this.#dialing.map(hostPort).join(', ')} (/dial ADDR stop: no more)` }
        }
        if (more.length > 0 || (then !== undefined && then !== 'keep' && then !== 'stop')) throw new CommandError('usage: /dial ADDR, or /dial ADDR keep to try it until it answers, /dial ADDR stop to stop that (ADDR: ip:port or a multiaddr)')
        this.#dialAsked = Date.now()
        return run({ cmd: 'dial', addr, ...(then === 'keep' ? { keepTrying: true } : then === 'stop' ? { stop: true } : {}) })
      }
      case '/connect': {
        if (arg === '') throw new CommandError('usage: /connect NAME (a peer known here, from /peers, or a peer id; /dial ADDR connects to an address)')
        const peerId = this.#peerIdOf(arg)
        this.#connectAsked = { peerId, when: Date.now() }
        return run({ cmd: 'connect', peerId })
      }
      case '/peers': return run({ cmd: 'peers' })
      case '/block':
      case '/unblock':
      case '/forget':
        // Alone, it names nobody: said as its usage, not as a peer called "" that was never seen.
        if (arg === '') throw new CommandError(`usage: ${word} NAME (a display name from /peers, or a peer id)`)
        return run({ cmd: word.slice(1), peerId: this.#peerIdOf(arg) })
      case '/name': return arg === '' ? { say: `you are "${this.selfName()}": /name NAME changes it` } : run({ cmd: 'name', name: arg })
      case '/stats': return run({ cmd: 'stats' })
      case '/mode': {
        const [mode = '', server, ...more] = rest
        if ((mode !== 'p2p' && mode !== 'client') || (mode === 'p2p' && server !== undefined) || more.length > 0) {
          throw new CommandError(`usage: /mode p2p, or /mode client [ADDR] (ADDR: the hub's ip:port; without it, the last hub used or one found on the LAN)${this.#client ? '; a client now' : '; peer to peer now'}`)
        }
        return run({ cmd: 'mode', mode, ...(server !== undefined ? { server } : {}) })
      }
      case '/reply': {
        const [id = '', ...words] = rest
        if (id === '' || words.length === 0) throw new CommandError('usage: /reply ID TEXT (ID: the short id printed with the message)')
        // In the original's conversation, wherever one is typing: a reply to a direct message stays direct.
        const replyTo = this.#messageId(id)
        const text = /^\/reply\s+\S+\s+([\s\S]*)$/.exec(trimmed)![1]!
        const place = this.#placeOf.get(replyTo)
        return place?.with !== undefined ? run({ cmd: 'send', to: place.with, replyTo, text }) : this.#post({ room: place?.room ?? this.room, replyTo, text })
      }
      case '/forward': {
        // Confirmed after the engine said who would read a private message: the one it refused, as it was.
        if (arg === 'yes') {
          const asked = this.#forwardAsked
          if (asked === undefined) throw new CommandError('no forward waits for a yes: /forward ID #ROOM (or @NAME) forwards a message')
          this.#forwardAsked = undefined
          return run({ cmd: 'forward', ...asked, confirm: true })
        }
        const [id = '', where = ''] = rest
        if (id === '' || where === '' || where === '#' || where === '@') throw new CommandError('usage: /forward ID #ROOM [COMMENT], or /forward ID @NAME [COMMENT] (ID: the short id printed with the message)')
        const message = this.#messageId(id)
        const after = /^\/forward\s+\S+\s+([\s\S]*)$/.exec(trimmed)![1]!
        if (where.startsWith('@')) {
          const { who, rest: comment } = this.#nameFirst(after.slice(1))
          return run({ cmd: 'forward', id: message, to: this.#peerIdOf(who), ...(comment !== '' ? { comment } : {}) })
        }
        const comment = after.slice(where.length).trim()
        // As /room reads a room: `#design` the public one, `Board` one of our invite-only rooms by its name (or its pr:… id).
        return run({ cmd: 'forward', id: message, room: this.#roomArg(where), ...(comment !== '' ? { comment } : {}) })
      }
      case '/edit': {
        const [id = '', ...words] = rest
        if (id === '' || words.length === 0) throw new CommandError('usage: /edit ID TEXT (ID: the short id printed with the message, or N: the Nth newest)')
        return run({ cmd: 'edit', id: this.#messageId(id), text: /^\/edit\s+\S+\s+([\s\S]*)$/.exec(trimmed)![1]! })
      }
      case '/delete':
        if (arg === '') throw new CommandError('usage: /delete ID (the short id printed with the message, or N: the Nth newest)')
        return run({ cmd: 'delete', id: this.#messageId(arg) })
      case '/react':
      case '/unreact': {
        const [id = '', emoji = ''] = rest
        if (id === '' || emoji === '') throw new CommandError(`usage: ${word} ID EMOJI`)
        // The rule every request is held to (core/message.ts), said with how it is typed; one taken off may be any that is on.
        if (word === '/react' && !isEmoji(emoji)) throw new CommandError(`"${emoji}" is not an emoji: ${word} ${id} 👍`)
        return run({ cmd: word.slice(1), id: this.#messageId(id), emoji })
      }
      case '/pin':
      case '/unpin':
        if (arg === '') throw new CommandError(`usage: ${word} ID (the short id printed with the message, or N: the Nth newest)`)
        return run({ cmd: 'pin', id: this.#messageId(arg), on: word === '/pin' })
      case '/pins': return run({ cmd: 'pins', room: this.room })
      // For oneself alone: nothing is sent. Without an ID, the last message shown (as N is counted).
      case '/save':
        return run({ cmd: 'save', id: this.#messageId(arg === '' ? '1' : arg), on: true })
      case '/unsave': {
        if (arg === '') throw new CommandError('usage: /unsave ID (the short id printed with the message or by /saved, or N: the Nth newest)')
        const id = this.#messageId(arg)
        // Never saved (or taken off already): nothing to take off, not "no longer saved".
        if (!this.#saved(id)) return { say: `[${id.slice(0, 8)}] was not saved: nothing to take off (/saved lists yours)` }
        return run({ cmd: 'save', id, on: false })
      }
      case '/saved': return run({ cmd: 'saved' })
      // What a hub refused for good, kept with why until sent again or dropped (the window's Send again and Discard).
      case '/unsent': {
        if (arg === '') return run({ cmd: 'unsent' })
        const [sub = '', id = ''] = rest
        if (sub !== 'drop' || id === '') throw new CommandError('usage: /unsent, or /unsent drop ID (the short id /unsent printed)')
        return run({ cmd: 'drop-unsent', id: this.#messageId(id) })
      }
      case '/versions':
        if (arg === '') throw new CommandError('usage: /versions ID (the short id printed with the message, or N: the Nth newest)')
        return run({ cmd: 'versions', id: this.#messageId(arg) })
      case '/search': {
        const inRoom = /^#(\S+)\s+([\s\S]+)$/.exec(arg)
        // @NAME: the direct messages with NAME (the engine reads it as in:@NAME).
        const withName = /^@(\S+)\s+([\s\S]+)$/.exec(arg)
        if (arg === '' || (arg.startsWith('#') && inRoom === null) || (arg.startsWith('@') && withName === null)) throw new CommandError('usage: /search WORDS, /search #ROOM WORDS, or /search @NAME WORDS')
        if (withName !== null) return run({ cmd: 'search', q: withName[2]!, room: `@${withName[1]!.toLowerCase()}` })
        if (inRoom === null) return run({ cmd: 'search', q: arg })
        const named = this.#searchedRoom(arg.slice(1))
        return run({ cmd: 'search', q: named?.q ?? inRoom[2]!, room: named?.room ?? roomOf(inRoom[1]!) })
      }
      case '/file': {
        if (arg === '') throw new CommandError('usage: /file PATH [CAPTION] (a file on this computer; ~ is your home), or /file @NAME PATH [CAPTION] for NAME alone')
        // @NAME: sealed for NAME alone, in your direct conversation (as /dm sends text there).
        if (arg.startsWith('@')) {
          const { who, rest } = this.#nameFirst(arg.slice(1))
          if (who === '' || rest === '') throw new CommandError('usage: /file @NAME PATH [CAPTION] (NAME: a display name from /peers, or a peer id)')
          const { path, caption } = pathAndCaption(rest)
          return run({ cmd: 'file', to: this.#peerIdOf(who), path, ...(caption !== undefined ? { text: caption } : {}) })
        }
        // Words after the path go with the file, as its caption.
        const { path, caption } = pathAndCaption(arg)
        return run({ cmd: 'file', room: this.room, path, ...(caption !== undefined ? { text: caption } : {}) })
      }
      case '/download': return run({ cmd: 'download', id: this.#fileId(arg) })
      case '/cancel': return run({ cmd: 'cancel', id: this.#fileId(arg) })
      case '/storage':
        if (arg !== '' && arg !== 'free') throw new CommandError('/storage says what files are kept here; /storage free takes the copies of others\' files')
        return run({ cmd: 'storage', ...(arg === 'free' ? { free: true } : {}) })
      case '/status':
        if (arg === '') {
          if (this.#ownStatus === '') return { say: 'you have no status: /status TEXT sets one (In a meeting until 3), seen with your presence' }
          return { say: `your status: "${this.#ownStatus}" (${this.#ownStatusUntil !== undefined ? `${untilLabel(this.#ownStatusUntil)}; ` : ''}/status clear takes it off)` }
        }
        return run(statusCommand(arg))
      case '/away': return run({ cmd: 'presence', state: 'away' })
      case '/back': return run({ cmd: 'presence', state: 'online' })
      case '/quit': return run({ cmd: 'quit' })
      default: throw new CommandError(`unknown command ${word}, try /help`)
    }
  }

  /**
   * A message for `room`, unless its whole text is an invite code and everyone who reads a public
   * room would read it: then held back, as the window's message box holds it (core/invite.ts reads
   * the code for both), until `/send yes`. Anything else sent drops what was held, as a changed
   * text drops the window's warning.
   */
  #post (message: { room: string, text: string, replyTo?: string }): Typed {
    const invite = isPrivateRoom(message.room) || message.room.startsWith(DM_ROOM_PREFIX) ? undefined : invitation(message.text)
    if (invite === undefined) {
      this.#held = undefined
      return { run: parseLine(JSON.stringify({ cmd: 'send', ...message })) }
    }
    this.#held = message
    return {
      say: `* not sent: this is the invite to the private room "${printable(invite.name)}": everyone who reads #${message.room} could join it and read what its members write. ` +
        'To invite one person, /invite NAME in that room sends it to them alone. (/send yes posts it all the same)'
    }
  }

  /**
   * A name and what follows it: a display name may have spaces (`/dm Ann Lee hi`), so the longest
   * name met that the line starts with, else its first word.
   */
  #nameFirst (typed: string): { who: string, rest: string } {
    // Composed, as names are compared (sameName): "José" typed either way finds the one sent the other way.
    const body = typed.normalize('NFC')
    const known = [...new Set([...this.#names.values()].map(n => n.normalize('NFC')))].filter(n => n !== '' && body.toLowerCase().startsWith(`${n.toLowerCase()} `))
    const name = known.sort((x, y) => y.length - x.length)[0]
    const who = name !== undefined ? body.slice(0, name.length) : body.split(/\s+/)[0] ?? ''
    return { who, rest: body.slice(who.length).trim() }
  }

  /** What to try next after a command failed, when there is something: an address that may answer later can be kept trying. */
  hint (cmd: Command, error: ErrorInfo): string | undefined {
    if (cmd.operation === 'forward' && error.name === 'ForwardConfirmError') {
      const { confirm: _confirm, ...asked } = cmd.payload as { id: string, room?: string, to?: string, comment?: string, confirm?: boolean }
      this.#forwardAsked = asked
      return '(/forward yes forwards it all the same; nothing was sent)'
    }
    // Over our own limit (not the hub's, which says so itself): the limit is this peer's --max-file-mb, and it can be raised.
    if ((cmd.operation === 'shareFile' || cmd.operation === 'download') && error.name === 'FileTooLargeError' && error.message.includes('; the limit is ')) {
      return `(that limit is this peer's own --max-file-mb, now ${this.maxFileMb}: start lanchat with a larger --max-file-mb N, up to ${MAX_FILE_MB_CEILING}, to ${cmd.operation === 'download' ? 'download' : 'send'} it)`
    }
    if (cmd.operation !== 'dial' || error.name !== 'ConnectError' || !ANSWERS_LATER.has(error.code ?? '')) return undefined
    const { address, keepTrying } = cmd.payload as { address: string, keepTrying?: boolean }
    if (keepTrying === true || this.#client) return undefined
    return `(not started there yet? /dial ${address} keep tries it until it answers)`
  }

  /** A confirmation for a command that answers nothing on its own. */
  confirm (cmd: Command, name: string, value?: unknown): string | undefined {
    switch (cmd.operation) {
      case 'forward': return (value as { truncated?: boolean } | undefined)?.truncated === true ? '* forwarded, its words cut to fit a message (they end in …)' : undefined
      case 'setName': return `* you are now "${name}"`
      case 'dropUnsent': return value === true ? `* [${(cmd.payload as { id: string }).id.slice(0, 8)}] is no longer kept` : `* [${(cmd.payload as { id: string }).id.slice(0, 8)}] was not kept: nothing to forget (/unsent lists them)`
      case 'save': {
        // Nothing goes out and no event comes back: said here, with the message's short id.
        const { id, on } = cmd.payload as { id: string, on: boolean }
        return on ? `* saved [${id.slice(0, 8)}] for later, for you alone (/saved lists them, /unsave ${id.slice(0, 8)} takes it off)` : `* [${id.slice(0, 8)}] is no longer saved`
      }
      case 'block': {
        const who = this.#name((cmd.payload as { peerId: string }).peerId)
        return `* blocked ${who}: ${this.#client ? 'their typing is not shown' : 'their link is refused'}, and what they write prints as one folded line (/unblock ${who} undoes it)`
      }
      case 'unblock': {
        const who = this.#name((cmd.payload as { peerId: string }).peerId)
        return `* unblocked ${who}: what they write prints again${this.#client ? '' : ', and they may link to you'}`
      }
      case 'forget': {
        const { peerId } = cmd.payload as { peerId: string }
        const who = this.#name(peerId)
        return `* forgot ${who}: no longer listed${this.#client ? '' : ' or redialed'} until they are back; their messages stay`
      }
      case 'setStatus': {
        const { status, until } = cmd.payload as { status: string, until?: number }
        this.#ownStatus = status.trim()
        this.#ownStatusUntil = this.#ownStatus === '' ? undefined : until
        return this.#ownStatus === '' ? '* you have no status now' : `* your status: "${this.#ownStatus}"${until !== undefined ? ` (${untilLabel(until)})` : ''}`
      }
      case 'switchMode': {
        const { mode, server } = cmd.payload as { mode: string, server?: string }
        // Without an address a client waits for a hub found on the LAN (or the last one it used): said, so nobody waits unknowingly.
        if (mode !== 'client' || server !== undefined) return undefined
        return this.lanDiscovery
          ? '* no hub address given: the last hub used, or one found on the LAN, is joined once it answers (/mode client ADDR names one; /stats says how it goes)'
          : '* no hub address given, and finding one on the LAN is off (--no-mdns): the last hub used, if any, is joined once it answers; /mode client ADDR names one'
      }
      case 'stopDialing': {
        const { stopped, dialing } = value as { stopped: boolean, dialing: string[] }
        const still = dialing.length === 0 ? '' : ` (still trying ${dialing.map(hostPort).join(', ')})`
        return `* ${stopped ? 'stopped trying' : 'was not trying'} ${(cmd.payload as { address: string }).address}${still}`
      }
      case 'dial': {
        const { keepTrying } = cmd.payload as { keepTrying?: boolean }
        const { multiaddr: at, peerId } = (value as { multiaddr?: string, peerId?: string } | undefined) ?? {}
        if (keepTrying === true && at !== undefined) return `* trying ${at} in the background until it answers (quietly: its link is told when it comes up)`
        if (at === undefined) return undefined
        // Someone linked here before this /dial (at another of their addresses, or this one): no link came up, so no line would say so.
        const since = peerId === undefined ? undefined : this.#linkedAt.get(peerId)
        if (peerId !== undefined && this.#linked.has(peerId) && since !== undefined && since < this.#dialAsked) return `* already linked to ${this.#name(peerId)} (${hostPort(at)} is theirs)`
        // The link it made, if it was to someone already here: its line was held back as a rotation's would be.
        const remote = hostPort(at)
        const quiet = this.#quietLinks.get(remote)
        this.#quietLinks.delete(remote)
        if (quiet !== undefined && Date.now() - quiet.at < DIAL_LINK_MS) return quiet.line
        this.#dialed = { at: remote, when: Date.now() }
        return undefined
      }
      case 'connectPeer': {
        const { peerId } = cmd.payload as { peerId: string }
        const who = this.#name(peerId)
        // Linked before it was asked: the engine had nothing to do, and no line said anything.
        const since = this.#linkedAt.get(peerId)
        if (this.#linked.has(peerId) && since !== undefined && since < (this.#connectAsked?.when ?? 0)) return `* already linked to ${who}`
        // Linked since: its line ("joined", or "linked to … again") said so.
        if (this.#linked.has(peerId)) return undefined
        return `* reached ${who}: the link comes up in a moment`
      }
      case 'closeDm': return `* closed the conversation with ${this.#name((cmd.payload as { peerId: string }).peerId)}: its history stays, and /dm opens it again`
      case 'createPrivateRoom':
      case 'joinInvite': {
        // A room one just made or joined is where one types next, as after /join.
        const room = value as { room: string, name: string } | undefined
        if (room === undefined) return undefined
        this.room = room.room
        return `* typing in private room "${room.name}" (${room.room})`
      }
      case 'joinRoom': {
        if (isPrivateRoom(this.room)) return `* typing in ${this.#where(this.room)}`
        this.joined.add(this.room)
        const missed = this.#unjoined.get(this.room) ?? 0
        this.#unjoined.delete(this.room)
        this.#unjoinedMentions.delete(this.room)
        return `* typing in #${this.room}${missed > 0 ? ` (${missed} message${missed === 1 ? '' : 's'} since you heard of it: the newest below)` : ''}`
      }
      case 'leavePrivateRoom': {
        const room = (cmd.payload as { room: string }).room
        const known = this.#privateRooms.get(room)
        const name = known?.name
        this.#privateRooms.delete(room)
        if (room === this.room) this.room = DEFAULT_ROOM
        // One that removed us: no member's invite lets us back, only its creator's.
        const back = known?.removed === true ? 'only its creator can invite you back' : 'a new invite lets you back'
        return `* you left ${name !== undefined ? `private room "${name}"` : room}: its keys are forgotten here, so it no longer opens (${back}); typing in ${this.#where(this.room)}`
      }
      case 'leaveRoom': {
        const room = normalizeRoom((cmd.payload as { room: string }).room)
        this.joined.delete(room)
        return `* left #${room}; typing in ${this.#where(this.room)}`
      }
      default: return undefined
    }
  }

  /**
   * What to run after a command answered: after joining a room with messages not printed, its
   * newest ones (at most 50), so joining is how one reads what the one-line notice announced.
   * Call before `confirm`, which forgets the count.
   */
  followUp (cmd: Command): Command | undefined {
    if (cmd.operation !== 'joinRoom' || isPrivateRoom(this.room)) return undefined
    const missed = this.#unjoined.get(this.room) ?? 0
    const mentions = this.#unjoinedMentions.get(this.room) ?? 0
    return missed > 0 ? parseLine(JSON.stringify({ cmd: 'history', room: this.room, limit: Math.min(50, missed + mentions) })) : undefined
  }

  #name (peerId: string): string { return this.#names.get(peerId) || peerId }

  /** How many peers this terminal keeps something of: at most about MAX_PEOPLE, however many keys it heard of. */
  get peersKept (): number { return this.#heardOf.size }

  /** Something of `peerId` was kept: it is the most recently heard of, and past the bound (a tenth over, a batch at a time) older ones go. */
  #heard (peerId: string): void {
    this.#heardOf.delete(peerId)
    this.#heardOf.add(peerId)
    if (this.#heardOf.size > MAX_PEOPLE * 1.1) this.#forgetPeers()
  }

  /**
   * Back to MAX_PEOPLE peers kept: the least recently heard of go, first those that no longer
   * matter here (offline, not linked, in none of our invite-only rooms nor direct conversations),
   * then, if made-up keys claiming to be online are that many, those online that are none of ours
   * (such a key may have taken the name of someone of ours gone home: /dm NAME must not find it
   * alone), then any but ourselves and those linked to us now.
   */
  #forgetPeers (): void {
    const self = this.self()
    const members = new Set([...this.#privateRooms.values()].flatMap(r => r.members))
    const ours = (id: string): boolean => members.has(id) || this.#dmWith.has(id)
    const matters = (id: string): boolean => {
      const state = this.#presence.get(id)
      return state === 'online' || state === 'away' || ours(id)
    }
    for (const spared of [matters, ours, () => false]) {
      for (const id of this.#heardOf) {
        if (this.#heardOf.size <= MAX_PEOPLE) return
        if (id === self || this.#linked.has(id) || spared(id)) continue
        this.#forgetPeer(id)
      }
    }
  }

  #forgetPeer (peerId: string): void {
    this.#heardOf.delete(peerId)
    this.#names.delete(peerId)
    this.#presence.delete(peerId)
    this.#statuses.delete(peerId)
    this.#leftAt.delete(peerId)
    this.#linkedAt.delete(peerId)
    this.#introduced.delete(peerId)
  }

  /** Our invite-only rooms whose name is `name`, case aside: those not removed from, else those that removed us (roomsNamed). */
  #privateNamed (name: string): string[] { return roomsNamed(this.#privateRooms, name) }

  /**
   * A room as typed after /room, /join or /history: one of our invite-only rooms by its name
   * (`/room Board`; its `pr:…` id works too), else a public room read as the window reads it.
   * `#board` is always the public one.
   */
  #roomArg (arg: string): string {
    if (!arg.trim().startsWith('#')) {
      const mine = this.#privateNamed(arg)
      if (mine.length === 1) return mine[0]!
      if (mine.length > 1) throw new CommandError(`${mine.length} of your invite-only rooms are called "${arg.trim()}": /private lists their ids, /room pr:… picks one`)
    }
    return roomOf(arg)
  }

  /**
   * `/search #Design Team budget`: the room a name of several words names, as the window names rooms
   * (design-team) and the engine reads an invite-only room's name: the most words that name a room known
   * here or one of ours, at least one word left to find; null when only the first word could.
   */
  #searchedRoom (typed: string): { room: string, q: string } | null {
    const words = typed.trim().split(/\s+/)
    const ours = [...this.#privateRooms].map(([id, r]) => ({ room: id, name: r.name }))
    for (let n = words.length - 1; n >= 2; n--) {
      const name = words.slice(0, n).join(' ')
      let room: string
      try { room = roomOf(name) } catch { continue }
      if (this.#knownRoom(room) || searchedRooms(name, ours).length > 0) return { room, q: words.slice(n).join(' ') }
    }
    return null
  }

  /** Others' presence for the next moment comes as a crowd (see #crowdUntil). */
  #crowd (except: string | undefined): void {
    this.#crowdUntil = Date.now() + CROWD_MS
    this.#crowdEnd = Date.now() + CROWD_MAX_MS
    this.#crowdExcept = except
  }

  /** A room where a line names it: `#lobby`, or an invite-only room by its name. */
  #short (room: string): string {
    const name = this.#privateName(room)
    return name !== undefined ? `(private "${name}")` : isPrivateRoom(room) ? `(private ${room})` : `#${room}`
  }

  /** An invite-only room's name: as last printed, else as the engine knows it; undefined for a public room or one unknown. */
  #privateName (room: string): string | undefined {
    if (!isPrivateRoom(room)) return undefined
    return this.#privateRooms.get(room)?.name ?? this.#privateRoomName(room)
  }

  /** A new link's line: an arrival, or (said only when it answers a /dial) a peer here all along through others. */
  #linkLine (e: Extract<ChatEvent, { type: 'peer:connect' }>): string | undefined {
    this.#names.set(e.peerId, e.name)
    const name = e.name || e.peerId
    // Someone whose arrival was said, still here through other links since (online or away): a new link, not an arrival.
    const state = this.#presence.get(e.peerId)
    const here = !this.#client && this.#introduced.has(e.peerId) && !this.#linked.has(e.peerId) && (state === 'online' || state === 'away')
    if (this.#linked.size === 0) this.#crowd(undefined)
    this.#linked.add(e.peerId)
    this.#linkedAt.set(e.peerId, Date.now())
    if (!here) {
      this.#introduced.add(e.peerId)
      return `* ${name} joined (${e.local} <-> ${e.remote})`
    }
    const line = `* linked to ${name} again (${e.local} <-> ${e.remote}); ${name} was here through other peers meanwhile`
    // The answer to a /dial of this address: said (whichever of the two comes first).
    const now = Date.now()
    if (this.#dialed?.at === e.remote && now - this.#dialed.when < DIAL_LINK_MS) return line
    if (this.#connectAsked?.peerId === e.peerId && now - this.#connectAsked.when < DIAL_LINK_MS) return line
    // A rotation or a redirect: links change every few minutes in a big mesh; /peers lists them.
    for (const [at, quiet] of this.#quietLinks) if (now - quiet.at > DIAL_LINK_MS) this.#quietLinks.delete(at)
    this.#quietLinks.set(e.remote, { line, at: now })
    return undefined
  }

  /** A room as the terminal names it: `#design`, or `private room "Board" (pr:…)`; an invite-only room whose name is not known here is not a #room. */
  #where (room: string): string {
    const name = this.#privateName(room)
    return name !== undefined ? `private room "${name}" (${room})` : isPrivateRoom(room) ? `an invite-only room (${room})` : `#${room}`
  }

  /**
   * A search that found nothing: where it looked (`/search #Board WORDS` names an invite-only room of ours by
   * its name, as the engine reads it), or that no room is known by the name typed.
   */
  #nothingFound (q: string, room: string | undefined): string {
    // Words written without spaces alone are read in the newest messages only, as the window says too.
    const further = onlyUnspaced(q) ? `: emoji and words written without spaces (Chinese, Japanese, Thai…) are looked for in the newest ${UNSPACED_SCAN_ROWS.toLocaleString('en-US')} messages; add a word written with spaces to search all of them` : ''
    if (room === undefined) return `(nothing found for "${q}"${further})`
    if (room.startsWith('@')) return `(nothing found for "${q}" in your direct messages with ${room.slice(1)}${further})`
    const open = isPrivateRoom(room) || room.startsWith(DM_ROOM_PREFIX) || this.#knownRoom(room)
    const named = open ? [] : searchedRooms(room, [...this.#privateRooms].map(([id, r]) => ({ room: id, name: r.name })))
    if (!open && named.length === 0) return `(no room #${room} is known here: /rooms lists them, /search WORDS looks in every room)`
    return `(nothing found for "${q}" in ${named.map(r => this.#where(r)).join(', ') || this.#where(room)}${further})`
  }

  /** A peer id, or the peer id of the one peer met under this display name (case aside). */
  /** The invite-only room's commands, typed in a public room: said what they are for. */
  #inPrivate (word: string): void {
    if (!isPrivateRoom(this.room)) throw new CommandError(`#${this.room} is open to everyone: ${word} is for an invite-only room (/private NAME makes one, /room NAME types into one of yours)`)
  }

  #peerIdOf (who: string): string {
    if (this.#names.has(who) || /^(12D3Koo|Qm)[1-9A-HJ-NP-Za-km-z]{40,}$/.test(who)) return who
    const ids = [...this.#names].filter(([, name]) => sameName(name, who)).map(([id]) => id)
    if (ids.length === 1) return ids[0]!
    if (ids.length === 0 && who !== '' && sameName(who, this.selfName())) throw new CommandError(`"${who}" is you: name someone else (/peers lists them)`)
    if (ids.length === 0) throw new CommandError(`no peer called "${who}" has been seen yet: /peers lists them (a peer id works too)`)
    throw new CommandError(`${ids.length} peers are called "${who}": use the peer id (/peers lists them)`)
  }

  /** A full message id from the short one printed with a file (or a full one). */
  #fileId (arg: string): string {
    const short = arg.trim().toLowerCase()
    // N, as for /reply: the Nth newest file shown (1, or nothing: the last one).
    const nth = short === '' ? 1 : /^\d{1,4}$/.test(short) ? Number(short) : undefined
    const files = [...this.#files.values()]
    const id = (nth !== undefined ? files.at(-nth) : undefined) ?? this.#files.get(short) ?? (/^[0-9a-f]{64}$/.test(short) ? short : undefined)
    if (id === undefined) throw new CommandError(`no shared file ${arg || '(none given)'}: use the id printed with it`)
    return id
  }

  /** A full message id from the short one printed with a message (or a full one). */
  #messageId (arg: string): string {
    const short = arg.trim().toLowerCase()
    // A short number counts back from the newest message shown (1 is the last); a short id is 8 hex digits.
    const nth = /^\d{1,4}$/.test(short) ? this.#recent.at(-Number(short)) : undefined
    const id = nth ?? this.#messages.get(short) ?? (/^[0-9a-f]{64}$/.test(short) ? short : undefined)
    if (id === undefined) throw new CommandError(`no message ${arg} seen yet: use the short id printed in its [brackets] (of the last ${MAX_SHORT_IDS.toLocaleString('en-US')} shown)`)
    return id
  }

  /**
   * This process did not run for `ms` (the computer slept, or the program was stopped): the links
   * that end in the next moments ended meanwhile, on the others' side, and are said as one line.
   */
  woke (ms: number): void {
    this.#woke = { at: Date.now(), ms, said: false }
  }

  /** The banner's line for what a server refused and is kept (a restart would give no other hint of it), or nothing. */
  #keptUnsent (): string {
    const n = this.#unsent()
    if (n === 0) return ''
    return n === 1 ? '\n1 message a server refused is kept: /unsent lists it' : `\n${n.toLocaleString('en-US')} messages a server refused are kept: /unsent lists them`
  }

  /** One event as the lines a person reads; undefined prints nothing. */
  format (e: ChatEvent): string | undefined {
    switch (e.type) {
      case 'ready':
        this.#client = e.mode === 'client'
        // A new architecture: whom we knew there says nothing about here (as the engine forgets them).
        this.#linked.clear()
        this.#presence.clear()
        this.#dialing = []
        this.#quietLinks.clear()
        this.#introduced.clear()
        this.#dialed = undefined
        this.#connectAsked = undefined
        this.#statuses.clear()
        this.#ownStatus = e.status ?? ''
        this.#ownStatusUntil = e.statusUntil
        if (e.mode === 'client') return `LAN Chat client "${e.name}" (${e.peerId}): talks to a hub only, listens on nothing\ntype a line to chat in ${this.#where(this.room)}; /help lists the commands${this.#keptUnsent()}`
        // ip:port, as a person types it into /dial or the app's Connect to address… (--json's ready event has the multiaddrs).
        return `LAN Chat peer "${e.name}" (${e.peerId})\nothers reach you at (/dial ADDRESS, or in the app: Connect to address…):\n  ${hostPorts(e.addrs).join('\n  ')}\n${this.lanDiscovery
          ? 'peers on this LAN join by themselves; /dial ip:port reaches one by address'
          : 'finding peers on the LAN is off: /dial ip:port connects to one, and the peers it is linked to come with it'}\ntype a line to chat in ${this.#where(this.room)}; /help lists the commands${this.#keptUnsent()}`
      case 'peer:connect': {
        this.#historyMovedSaid = false
        const line = this.#linkLine(e)
        // Another build, said once a peer a run: what they miss, or that ours is behind.
        if (e.notice === undefined) return line
        return `${line !== undefined ? `${line}\n` : ''}! ${e.notice}`
      }
      case 'peer:disconnect': {
        this.#linked.delete(e.peerId)
        this.#linkedAt.delete(e.peerId)
        // A link swapped for another, or a full peer sending us on: nobody left, and nobody reads as offline.
        // Said in --json (`staying`); on the screen it is noise, every few minutes in a big mesh.
        if (e.staying === true) return undefined
        this.#introduced.delete(e.peerId)
        // We hung up on a peer we blocked: /block said so, and it did not leave.
        if (this.#blocked(e.peerId)) return undefined
        this.#leftAt.set(e.peerId, Date.now())
        this.#heard(e.peerId)
        // Links that ended while this computer slept: the others did not leave, we did. One line for them all.
        if (this.#woke !== undefined && Date.now() - this.#woke.at < WAKE_LINKS_MS) {
          this.#crowd(undefined)
          if (this.#woke.said) return undefined
          this.#woke.said = true
          return `* LAN Chat did not run for ${sleptFor(this.#woke.ms)} (this computer asleep, or the program stopped): its links ended meanwhile, linking up again`
        }
        const left = `* ${this.#name(e.peerId)} left`
        if (this.#linked.size > 0) return left
        // The last link: everyone heard of through it reads as offline now.
        const others = [...this.#presence].filter(([id, state]) => state !== 'offline' && id !== e.peerId && id !== this.self()).length
        if (others === 0) return left
        this.#crowd(e.peerId)
        const them = others === 1 ? 'the 1 other' : `the ${others} others`
        return this.#client
          ? `${left}: ${them} on it read${others === 1 ? 's' : ''} as offline until it is back (/who)`
          : `${left}: ${them} heard of through it read${others === 1 ? 's' : ''} as offline until a link is back (/who)`
      }
      case 'message': {
        // Someone blocked writing in a room one is not in (a flood of rooms, say): not even a notice, as the window does not offer it.
        if (this.#elsewhere(e) && this.#blocked(e.author)) return undefined
        if (this.#notJoined(e)) {
          // Deleted before it came (catch-up brings it so): nothing there to read.
          if (e.deleted === true) return undefined
          const seen = (this.#unjoined.get(e.room) ?? 0) + 1
          // As many rooms as the engine lists (a peer naming a new room in each message must not grow it without end):
          // the one counted longest goes, and its next message is told again.
          if (seen === 1 && this.#unjoined.size >= MAX_LISTED_ROOMS) {
            const oldest = this.#unjoined.keys().next().value
            if (oldest !== undefined) { this.#unjoined.delete(oldest); this.#unjoinedMentions.delete(oldest) }
          }
          this.#unjoined.set(e.room, seen)
          return seen === 1 ? `* new messages in #${e.room}, a room you have not joined: /join ${e.room} to read them` : undefined
        }
        if (this.#elsewhere(e)) this.#unjoinedMentions.set(e.room, (this.#unjoinedMentions.get(e.room) ?? 0) + 1)
        if (this.#quiet(e)) return undefined
        const line = this.#line(e, stamp(writtenAt(e)))
        // Ours, printed whole while it waited: now numbered, said so, its words not printed twice (/history shows it so).
        if (e.seq !== undefined && this.#pendingPrinted.delete(e.id)) return `* your ${e.to !== undefined ? 'direct message' : 'message'} [${e.id.slice(0, 8)}] went out: the hub numbered it #${e.seq}`
        return line
      }
      case 'muted':
        this.muted.clear()
        for (const r of e.rooms) this.muted.add(r)
        return e.rooms.length === 0 ? '* no room is muted' : `* muted (only mentions of you print): ${e.rooms.map(r => this.#short(r)).join(', ')}`
      // A change of an invite-only room's members or name: its private-room event prints it, once, as it happens.
      case 'note': return undefined
      case 'message:updated': {
        // An edit or a reaction in a room not joined: its message was not printed either.
        if (this.#isPublic(e) && !this.joined.has(e.room)) return undefined
        const who = e.author === this.self() ? 'you' : e.name
        // A blocked peer's edit or delete: its message is folded, and so is this (a delete of a folded line is no news).
        if (e.author !== this.self() && this.#blocked(e.author)) return undefined
        // Someone's, written after the room removed them, printed before we heard: the members refuse it.
        if (e.refused === true && e.author !== this.self()) {
          const short = e.id.slice(0, 8)
          return this.#messages.get(short) === e.id ? `* [${short}] ${e.name}'s message in ${this.#where(e.room)} is taken back: they had been removed from the room before they wrote it` : undefined
        }
        // Ours, written after the room's creator had removed us: the members refused it.
        if (e.refused === true) return `! your message [${e.id.slice(0, 8)}] in ${this.#where(e.room)} reached nobody: you had been removed from the room before it arrived`
        const what = e.deleted === true ? 'message deleted' : `${indentLines(e.text)}${e.edited === true ? ' (edited)' : ''}`
        const before = this.#looks.get(e.id)
        this.#lookSeen(e)
        // A blocked peer's reactions count for nothing, as in the window's chips: theirs alone changes nothing one sees.
        const seen = this.#unblockedReactions(e)
        // A pin or an unpin says who pinned which message: the update itself says only how it reads now.
        const pin = this.#pinLine(e, `${who}: ${what}`)
        if (pin !== undefined) return pin ?? undefined
        // Nothing one would see changed (the same reaction again, a reaction taken back that was not there): nothing to say.
        if (before === looks(seen)) return undefined
        return `* [${e.id.slice(0, 8)}] ${who}: ${what}${reactionsText(seen)}`
      }
      case 'pins': {
        if (e.messages.length === 0) return `* nothing is pinned in ${this.#where(e.room)}`
        return e.messages.map(m => {
          const short = m.id.slice(0, 8)
          remember(this.#messages, short, m.id)
          this.#pinSeen(m)
          const mine = m.author === this.self()
          const author = mine ? 'you' : m.name
          const by = m.pinned === undefined ? '' : ` (pinned by ${this.#pinner(m.pinned.by)})`
          // Someone blocked: listed, its words folded as the window's Pinned list folds them.
          const text = !mine && this.#blocked(m.author) ? '(a message from someone you blocked)' : `${indentLines(m.text)}${m.edited === true ? ' (edited)' : ''}`
          return `* \u{1F4CC} [${short}] ${author}: ${text}${by}`
        }).join('\n')
      }
      // A script's list (the terminal says each refusal as it comes): each with why, its words indented.
      case 'unsent': {
        if (e.messages.length === 0) return '* nothing a server refused is kept'
        return e.messages.map(m => {
          const short = m.id.slice(0, 8)
          remember(this.#messages, short, m.id)
          return `* not sent [${short}] ${this.#where(m.room)}: ${indentLines(m.text)}\n  (${m.unsent ?? 'refused'}; /unsent drop ${short} forgets it)`
        }).join('\n')
      }
      case 'saved': {
        if (e.saved.length === 0) return '* nothing saved yet: /save [ID] saves a message for later, for you alone'
        return e.saved.map(m => {
          const short = m.id.slice(0, 8)
          remember(this.#messages, short, m.id)
          const mine = m.author === this.self()
          const where = m.to !== undefined ? `dm with ${this.#name(mine ? m.to : m.author)}` : this.#where(m.room)
          const text = m.deleted === true ? '(message deleted)' : !mine && this.#blocked(m.author) ? '(a message from someone you blocked)' : `${indentLines(m.text)}${m.edited === true ? ' (edited)' : ''}`
          return `* \u{1F516} [${short}] ${where}, ${mine ? 'you' : m.name}: ${text}`
        }).join('\n')
      }
      case 'saved-ids': {
        // Ids only (a script's light look): their short ids, which /unsave takes.
        for (const m of e.saved) remember(this.#messages, m.id.slice(0, 8), m.id)
        return e.saved.length === 0 ? '* nothing saved yet' : `* ${e.saved.length.toLocaleString('en-US')} saved: ${e.saved.map(m => `[${m.id.slice(0, 8)}]`).join(' ')} (/saved shows them)`
      }
      case 'versions': return e.versions.map((v, i) => `${i === 0 ? 'original' : `edit ${i}`} L${v.lamport}: ${indentLines(v.text)}`).join('\n') || '(deleted: no text is kept)'
      case 'pending': {
        // Said once: a switch to another hub announces what still waits again (for the new hub), which would read as a duplicate.
        if (this.#pendingSaid.has(e.id)) return undefined
        this.#pendingSaid.add(e.id)
        if (this.#pendingSaid.size > 2000) for (const old of [...this.#pendingSaid].slice(0, 1000)) this.#pendingSaid.delete(old)
        const where = e.room === this.room || e.room.startsWith(DM_ROOM_PREFIX) ? '' : ` in ${this.#where(e.room)}`
        // Linked, and silent (a hub whose computer sleeps keeps its link up until the pings run out), or gone.
        const later = e.slow === true
          ? `waits for the hub, which has not answered for ${HUB_SLOW_MS / 1000} s: it goes, in order, once the hub answers`
          : 'waits for the hub, which cannot be reached: it goes, in order, once the hub is back'
        // An edit, a delete or a reaction is not a message of its own: it names the message it acts on.
        const a = e.action
        if (a !== undefined) {
          const target = `[${a.target.slice(0, 8)}]`
          const what = a.kind === 'edit'
            ? `edit of ${target}`
            : a.kind === 'delete'
              ? `delete of ${target}`
              : a.kind === 'react'
                ? `reaction ${a.emoji ?? ''} to ${target}`
                : a.kind === 'pin' ? `pin of ${target}` : a.kind === 'unpin' ? `unpin of ${target}` : `taking back ${a.emoji ?? ''} from ${target}`
          return `… your ${what}${where} ${later}`
        }
        // One's own message the hub has not numbered yet: printed as a sent one is, marked pending (its number
        // comes later: said then in a line of its own), then said in words, with the short id the other lines use (/edit takes it).
        const short = e.id.slice(0, 8)
        remember(this.#messages, short, e.id)
        const what = e.room.startsWith(DM_ROOM_PREFIX) ? 'direct message' : 'message'
        const waiting = this.#pendingMessage(e.id, e.room)
        if (waiting !== undefined) {
          this.#pendingPrinted.add(e.id)
          if (this.#pendingPrinted.size > 2000) for (const old of [...this.#pendingPrinted].slice(0, 1000)) this.#pendingPrinted.delete(old)
        }
        return `${waiting !== undefined ? `${this.#line(waiting, stamp(writtenAt(waiting)))}\n` : ''}… your ${what}${where} ${later} [${short}]`
      }
      case 'history': {
        if (e.messages.length > 0) {
          this.#historyOldest = { room: e.room, id: e.messages[0]!.id }
          const lines = e.messages.map(m => this.#line(m, stamp(writtenAt(m)))).join('\n')
          // A full page: older ones may be there too.
          return e.messages.length >= 50 ? `${lines}\n(/history more: the 50 before these)` : lines
        }
        if (this.#historyOldest?.room === e.room) {
          this.#historyOldest = undefined
          return `(nothing older in ${this.#where(e.room)})`
        }
        if (e.room.startsWith(DM_ROOM_PREFIX)) return '(no messages yet)'
        // A room nobody wrote in that is named like someone met: it was the person that was meant.
        const person = [...new Set(this.#names.values())].find(n => n !== '' && roomFromInput(n) === e.room)
        return `(no messages in ${this.#where(e.room)}${person !== undefined ? `: /history @${person} reads your direct messages with ${person}` : ''})`
      }
      case 'search': return e.hits.map(h => {
        // Remembered like a shown message: /reply and /react take the short id of a hit too.
        remember(this.#messages, h.id.slice(0, 8), h.id)
        // A direct message or an invite-only room is found too (its text sealed on disk): said as such.
        const where = h.room.startsWith(DM_ROOM_PREFIX) ? '(dm)' : this.#short(h.room)
        const mine = h.author === this.self()
        // Someone blocked: found, in its place, its words folded as the window's search folds them.
        const text = !mine && this.#blocked(h.author) ? '(a message from someone you blocked)' : indentLines(h.snippet)
        return `${where} L${h.lamport} ${stamp(writtenAt(h))} ${mine ? 'you' : h.name}: ${text} [${h.id.slice(0, 8)}]`
      }).join('\n') || this.#nothingFound(e.q, e.room)
      case 'peers': return peersText(e.peers, this.#names) + (this.#client ? '\n(a client links to the hub alone: /who lists the people on it)' : '')
      case 'rooms': return [...e.rooms.filter(r => this.joined.has(r) || r === this.room || !this.#onlyBlocked(r)).map(r => {
        const missed = this.#unjoined.get(r) ?? 0
        const note = this.joined.has(r) || r === this.room ? '' : ` (not joined${missed > 0 ? `: ${missed} new` : ''})`
        return `${r === this.room ? '*' : ' '} #${r}${note}`
      }),
      // Typing into an invite-only room (which the list of public rooms leaves out): still said where.
      ...(e.rooms.includes(this.room) ? [] : [`* ${this.#where(this.room)} (/private lists your invite-only rooms)`])].join('\n')
      case 'dms': return e.dms.length === 0 ? '(no direct messages)' : `${e.dms.map(d => `@ ${d.name || '?'} ${d.peerId}`).join('\n')}\n(/history @NAME reads one, /dm NAME TEXT writes)`
      case 'private-room': {
        // Once a room was printed, a change prints as what changed (a join in a big room is one line, not the list).
        const before = this.#privateRooms.get(e.room)
        this.#privateRooms.set(e.room, known(e))
        const changes = before === undefined ? [] : privateRoomChanges(before, e, this.self(), m => (m === this.self() ? 'you' : this.#name(m)))
        // Heard again with nothing new (an event, then the command's answer; a member's message re-announcing it): printed once.
        if (before !== undefined && changes.length === 0 && e.invite === undefined) return undefined
        const text = changes.length > 0 ? changes.join('\n') : `* private room "${e.name}" (${e.room})${e.removed ? ', you were removed' : ''}: ${e.members.map(m => m === this.self() ? 'you' : this.#name(m)).join(', ')}`
        return `${text}${e.invite !== undefined ? `\n  invite code: ${e.invite}` : ''}`
      }
      case 'private-rooms':
        for (const r of e.rooms) this.#privateRooms.set(r.room, known(r))
        if (this.#leavingPrivate !== undefined) {
          const left = !e.rooms.some(r => r.room === this.#leavingPrivate)
          this.#leavingPrivate = undefined
          if (left) return undefined
        }
        return e.rooms.map(r => `🔒 ${r.name} ${r.room}${r.removed ? ' (removed)' : ''}`).join('\n') || '(no private rooms: /private NAME makes one)'
      // The room by its name, as every other line names it (its id alone meant nothing to the person who typed /invite).
      case 'invite': return e.to !== undefined ? `* invite to ${this.#where(e.room)} sent to ${this.#name(e.to)} in a direct message` : `invite code for ${this.#where(e.room)}:\n${e.code}`
      // No command of the terminal's asks this (/accept says why a code is refused): a JSON answer's words all the same.
      // Only a JSON command with a "ref" is answered so; the terminal's have none.
      case 'done': return undefined
      case 'invite-check': return e.refused !== undefined ? `! ${e.refused}` : `* the invite to private room "${e.name}" lets you in: /accept CODE joins`
      case 'stats': return statsText(e as unknown as EngineStats)
      case 'storage': return storageText(e)
      case 'error': return `! ${e.message}${e.code === 'OldInviteError' ? ' (/givekeys NAME, /remove NAME, typed in that room)' : ''}`
      case 'receipt': return undefined
      case 'peer:addresses': return undefined // /peers shows where each peer listens
      // A file over it is refused when shared, in words naming it.
      case 'server:limit': return undefined
      // The address printed at the start (and given to others) may be gone: a laptop that changed networks.
      // A fixed --listen address gone: nothing listens anywhere else, and the person is told what to do.
      case 'addresses': {
        const lost = e.lost !== undefined && e.lost.length > 0 ? lostListenText(e.lost, 'peers') : undefined
        const now = e.addrs.length === 0
          ? (lost !== undefined ? undefined : '* this computer has no network address now: nobody can reach you until it is back on a network')
          : `* this computer's network changed: others reach you at (/dial ADDRESS, or in the app: Connect to address…):\n  ${hostPorts(e.addrs).join('\n  ')}`
        return [lost, now].filter(l => l !== undefined).join('\n')
      }
      case 'dialing':
        this.#dialing = e.addresses
        return undefined // its link, once it answers, is the line that tells (/dial ADDR stop confirms in its own words)
      case 'peer:renamed':
        this.#names.set(e.peerId, e.name)
        return `* ${e.previousName || e.peerId} is now called "${e.name}" (${e.fingerprint})`
      case 'peer:name-clash':
      {
        // Our own key among them is said as ours: nobody knows their own fingerprint by heart.
        const mine = e.others.find(o => o.peerId === this.self())
        const rest = e.others.filter(o => o !== mine).map(o => o.fingerprint)
        const others = `the other${rest.length === 1 ? '' : 's'} ${rest.join(', ')}`
        if (mine !== undefined) return `! someone else is called "${e.name}", as you are: their key is ${e.fingerprint}, yours ${mine.fingerprint}${rest.length === 0 ? '' : `; ${others} too`} (/peers lists their ids)`
        return `! two people are called "${e.name}" here: this one is ${e.fingerprint}, ${others} (/peers lists their ids)`
      }
      case 'peer:forked':
        return `! ${this.#name(e.peerId)} (${e.fingerprint}) signed two different messages as number ${e.floor}: both are kept and shown, marked; its key may be in two places at once`
      case 'writes:paused': return `! ${e.message}`
      case 'writes:resumed': return '* the disk takes writes again: what waited goes on'
      // The hub refused it for a message it no longer has: the line it acted on is what history:moved says of.
      case 'pending:dropped': return undefined
      // Lines printed above may be of messages the hub no longer has: said once a link.
      case 'history:moved':
        if (this.#historyMovedSaid) return undefined
        this.#historyMovedSaid = true
        return '* the server\'s history is not the one printed here (its data restored from an older backup?): what it lacks is set aside, ours sent again; /history shows a room as it has it'
      // Progress prints from a second on: a small file is "downloading", then "saved", and never "0% from 0 peers".
      // A file saved already is not downloading: "saved" follows this answer.
      case 'download':
        if (e.saved === true) return undefined
        this.#printed.set(e.id, Date.now())
        return `* downloading ${e.name} (${formatBytes(e.size)})`
      case 'file:progress': {
        // A download a restart left unfinished goes on by itself: said once, with how much was kept.
        if (!this.#printed.has(e.id) && e.resumedFrom > 0 && !e.waiting) {
          this.#printed.set(e.id, Date.now())
          return `* going on with ${e.name} (${formatBytes(e.size)}) where it stopped: ${Math.floor((100 * e.resumedFrom) / Math.max(1, e.size))}% was kept`
        }
        // All of it is in once "saved" is printed (or what went wrong): a "100%, 0 s left" line would only come just before it.
        const last = this.#printed.get(e.id) ?? 0
        const percent = `${e.name}: ${Math.floor((100 * e.done) / Math.max(1, e.size))}%`
        // A stall is said at once (once a stall: the engine tells it once), not as "0 B/s".
        if (e.waiting) {
          this.#printed.set(e.id, Date.now())
          const whom = this.#client ? 'the hub' : 'someone who has it'
          return e.holders === 0 ? `* ${percent}, waiting for ${whom} to connect (what came is kept)` : `* ${percent}, waiting: nothing has come for a few seconds`
        }
        // A rate of 0 while not waiting is one not measured yet (the first chunk after a start or a stall): not "at 0 bytes/s".
        if (Date.now() - last < 1000 || e.done >= e.size || e.bytesPerSecond === 0) return undefined
        this.#printed.set(e.id, Date.now())
        const left = e.secondsLeft === null ? '' : `, ${e.secondsLeft} s left`
        // A client fetches from its hub alone, which stores what its clients share.
        const from = this.#client ? 'the hub' : `${e.holders} peer${e.holders === 1 ? '' : 's'}`
        return `* ${percent} at ${formatBytes(e.bytesPerSecond)}/s from ${from}${left}`
      }
      case 'file:done':
        this.#printed.delete(e.id)
        return `* saved ${e.name} to ${e.path}`
      // Only a window fetches a file to show it: nothing for a person at a terminal.
      case 'file:held': this.#printed.delete(e.id); return undefined
      case 'file:failed': {
        this.#printed.delete(e.id)
        // Nobody had it: the download is kept, with what came, to go on at the next start; said how to give it up.
        const short = e.id.slice(0, 8)
        return e.code === 'NoHolderError' ? `! ${e.name}: ${e.error} (kept for later: /download ${short} tries again, /cancel ${short} gives it up)` : `! ${e.name}: ${e.error}`
      }
      case 'peer:presence': {
        const before = this.#presence.get(e.peerId)
        this.#presence.set(e.peerId, e.state)
        if (e.state === 'offline') this.#introduced.delete(e.peerId)
        // Someone blocked: the engine shows no status of theirs (their words), and that is no news of them;
        // what was last printed stays, to compare with what shows again once they are unblocked.
        const blocked = e.peerId !== this.self() && this.#blocked(e.peerId)
        const statusBefore = blocked ? e.status ?? '' : this.#statuses.get(e.peerId)
        if (!blocked) this.#statuses.set(e.peerId, e.status ?? '')
        this.#heard(e.peerId)
        // Ours, as it now is (set here, or cleared when its time came): what /status alone says.
        if (e.peerId === this.self()) { this.#ownStatus = e.status ?? ''; this.#ownStatusUntil = e.status === undefined ? undefined : e.statusUntil }
        const now = Date.now()
        const quiet = now < this.#crowdUntil && e.peerId !== this.#crowdExcept
        // A classroom's hundred do not all arrive within the first seconds: while they keep coming, they are one crowd.
        if (quiet && e.peerId !== this.self()) this.#crowdUntil = Math.min(this.#crowdEnd, Math.max(this.#crowdUntil, now + CROWD_MORE_MS))
        const linked = this.#linked.has(e.peerId) || now - (this.#leftAt.get(e.peerId) ?? -Infinity) < SAME_DEPARTURE_MS
        return liveText(e, { room: this.room, self: this.self(), names: this.#names, ...(before !== undefined ? { before } : {}), ...(statusBefore !== undefined ? { statusBefore } : {}), linked, quiet })
      }
      case 'peer:typing':
        if (this.#blocked(e.peer)) return undefined
        return liveText(e, { room: this.room, self: this.self(), names: this.#names })
      case 'members':
      case 'presence': {
        const text = liveText(e, { room: this.room, self: this.self(), names: this.#names, where: room => this.#where(room) })
        // The creator's own mark: who joined with an invite from before the last change of members.
        const known = e.type === 'members' ? this.#privateRooms.get(e.room) : undefined
        const old = known?.oldInvite ?? []
        const invited = known?.invited ?? []
        if (text === undefined) return undefined
        const lines = [text]
        if (old.length > 0) lines.push(`  (with an invite from before its last change of members, reading nothing new: ${old.map(m => this.#name(m)).join(', ')}; /givekeys NAME or /remove NAME)`)
        // Sent an invite (/invite NAME), not heard join yet.
        if (invited.length > 0) lines.push(`  (invited, not joined yet: ${invited.map(m => this.#name(m)).join(', ')})`)
        return lines.join('\n')
      }
      // A script's answer (the terminal has /help): its commands, each with the fields it takes.
      case 'help': return Object.entries(e.commands).map(([cmd, fields]) => `  ${cmd}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`).join('\n')
      default: {
        // Every event has its words: a new one fails to compile here rather than print as JSON to a person.
        const unsaid: never = e
        return JSON.stringify(unsaid)
      }
    }
  }

  /** Who pinned, as a person reads it. */
  #pinner (peerId: string): string { return peerId === this.self() ? 'you' : this.#name(peerId) }

  /** Note how a printed message stands pinned (its pinner; '' not pinned), so a later update tells a pin apart from a reaction. */
  #pinSeen (m: MessageView): void {
    remember(this.#pinnedBy, m.id, m.pinned?.by ?? '')
  }

  /** Note how a printed message reads, so a later update that changes none of it prints nothing. */
  #lookSeen (m: MessageView): void {
    remember(this.#looks, m.id, looks(this.#unblockedReactions(m)))
  }

  /** `m` with the reactions of peers blocked here left out (a reaction only they gave, gone). */
  #unblockedReactions<M extends MessageView> (m: M): M {
    if (m.reactions === undefined || !m.reactions.some(r => r.by.some(id => id !== this.self() && this.#blocked(id)))) return m
    const reactions = m.reactions.map(r => ({ ...r, by: r.by.filter(id => id === this.self() || !this.#blocked(id)) })).filter(r => r.by.length > 0)
    return { ...m, reactions }
  }

  /**
   * An update's line when it changed a message's pin: `* 📌 ann pinned [ID] bob: text`, `* 📌 ann
   * unpinned [ID] …`; for a pin or an unpin of a message not printed here this session, which one by
   * its short id (its text would read as news); null (nothing printed) for a pin or an unpin that
   * changed nothing; undefined when the pin is as it was (another change: an edit, a reaction).
   */
  #pinLine (m: Extract<ChatEvent, { type: 'message:updated' }>, message: string): string | null | undefined {
    const before = this.#pinnedBy.get(m.id)
    const now = m.pinned?.by ?? ''
    this.#pinSeen(m)
    const short = m.id.slice(0, 8)
    const cause = m.cause?.kind === 'pin' || m.cause?.kind === 'unpin' ? m.cause : undefined
    // A pin that lost to a later unpin, an unpin of a message not pinned: nothing to say.
    if (cause !== undefined && (cause.kind === 'pin') !== (now !== '')) return null
    if (cause !== undefined && before === undefined) {
      remember(this.#messages, short, m.id)
      const whose = m.author === this.self() ? 'your' : `${m.name}'s`
      const where = m.to !== undefined ? ' in a direct message' : m.room !== this.room ? ` in ${this.#where(m.room)}` : ''
      return `* \u{1F4CC} ${this.#pinner(cause.by)} ${cause.kind === 'pin' ? 'pinned' : 'unpinned'} ${whose} message [${short}]${where}, not shown here`
    }
    if (now === (before ?? '')) return cause !== undefined ? null : undefined
    const change = now !== '' ? `${this.#pinner(now)} pinned` : cause !== undefined ? `${this.#pinner(cause.by)} unpinned` : 'unpinned:'
    return `* \u{1F4CC} ${change} [${short}] ${message}`
  }

  /** A message in a room open to everyone: not direct, not invite-only. */
  #isPublic (m: MessageView): boolean {
    return m.to === undefined && !m.room.startsWith(DM_ROOM_PREFIX) && !isPrivateRoom(m.room)
  }

  /** A message from someone else in a public room not joined nor typed into, that does not mention us. */
  #notJoined (m: MessageView): boolean {
    return this.#elsewhere(m) && !mentions(m.text, this.selfName(), [...this.#names.values()])
  }

  /** A message from someone else in a public room not joined nor typed into. */
  #elsewhere (m: MessageView): boolean {
    return this.#isPublic(m) && !this.joined.has(m.room) && m.room !== this.room && m.author !== this.self()
  }

  /** A message from someone else in a muted room we are not typing into, that does not mention us. */
  #quiet (m: MessageView): boolean {
    // A mention from someone blocked is none (their line is folded): it does not get through a mute.
    return m.room !== this.room && this.muted.has(m.room) && m.author !== this.self() && (this.#blocked(m.author) || !mentions(m.text, this.selfName(), [...this.#names.values()]))
  }

  /** `[#seq L7 10:42:01 ab12cd34] alice: hi` — the short id to reply with last, the hub's number in client mode, `pending` until it has one, the room when it is not the current one. */
  #line (m: MessageView, when?: string): string {
    const order = m.pending === true ? 'pending ' : m.seq !== undefined ? `#${m.seq} ` : ''
    const mine = m.author === this.self()
    // /history and catch-up bring old lines, signed with the name of their day: only a newer one renames.
    if (!mine && m.name !== '') this.#names.setAsOf(m.author, m.name, m.sentAt)
    const where = m.to !== undefined ? (mine ? `(dm to ${this.#name(m.to)}) ` : '(dm) ') : m.room !== this.room ? `${this.#short(m.room)} ` : ''
    const who = mine ? 'you' : m.name
    if (m.note !== undefined) return `[${order}L${m.lamport}${when !== undefined ? ` ${when}` : ''}] ${where}* ${noteSentence(m.note, who, id => id === this.self() ? 'you' : this.#name(id))}`
    const short = m.id.slice(0, 8)
    remember(this.#messages, short, m.id)
    this.#pinSeen(m)
    this.#lookSeen(m)
    if (this.#recent.at(-1) !== m.id) this.#recent.push(m.id)
    if (this.#recent.length > 1000) this.#recent.splice(0, 500)
    this.#placeOf.set(m.id, { room: m.room, ...(m.to !== undefined ? { with: mine ? m.to : m.author } : {}) })
    if (m.to !== undefined) {
      const other = mine ? m.to : m.author
      this.#dmWith.delete(other)
      this.#dmWith.add(other)
      if (this.#dmWith.size > MAX_KEPT_DIRECTS) this.#dmWith.delete(this.#dmWith.values().next().value!)
    }
    if (this.#placeOf.size > 2000) for (const old of [...this.#placeOf.keys()].slice(0, 1000)) this.#placeOf.delete(old)
    // A blocked peer's message keeps its place, folded as the window folds it.
    if (!mine && this.#blocked(m.author)) return `[${order}L${m.lamport}${when !== undefined ? ` ${when}` : ''} ${short}] ${where}(a message from ${who}, whom you blocked: /unblock ${who} shows theirs)`
    let text = m.deleted === true ? '(message deleted)' : m.edited === true ? `${indentLines(m.text)} (edited)` : indentLines(m.text)
    if (m.replyTo !== undefined) text = `(re ${m.replyTo.slice(0, 8)}) ${text}`
    const invite = m.deleted === true ? undefined : invitation(m.text)
    if (invite !== undefined && !mine) this.#lastInvite = m.text.trim()
    // One to a room we have left since (or that removed us) says so, not "/accept".
    const refused = invite !== undefined && !mine ? this.#refusal(m.text) : undefined
    // One to a room we are in already, reading it (a second invite): nothing to join, as the window offers "Open the room".
    const ours = invite !== undefined ? this.#privateRooms.get(invite.room) : undefined
    const inAlready = ours !== undefined && !ours.removed && !ours.unreadable
    if (invite !== undefined) {
      text = mine
        ? `(an invitation to the private room "${invite.name}")`
        : refused !== undefined
          ? `invited you to the private room "${invite.name}" (${refused})`
          : inAlready
            ? `invites you to the private room "${ours.name}", which you are in already: /room ${ours.name} types into it`
            : `invites you to the private room "${invite.name}": type /accept to join (its code: ${m.text.trim()})`
    }
    if (m.file !== undefined) {
      remember(this.#files, short, m.id)
      // With no caption the text is already "📎 name": the brackets then say only what the name does not.
      const bare = text === `📎 ${m.file.name}`
      text += ` [${bare ? '' : `${m.file.name}, `}${formatBytes(m.file.size)}, ${fileKind(m.file.mime, m.file.name).label}] /download ${short}`
    }
    const pinned = m.pinned !== undefined && m.deleted !== true ? ' \u{1F4CC}' : ''
    return `[${order}L${m.lamport}${when !== undefined ? ` ${when}` : ''} ${short}] ${where}${who}: ${text}${reactionsText(m)}${pinned}`
  }
}

/** What one sees of a message apart from its pin: its words, edited or deleted, and its reactions. */
function looks (m: MessageView): string {
  return JSON.stringify([m.deleted === true ? null : m.text, m.edited === true, reactionsText(m)])
}

/** `  👍 2 🎉 1` after a message with reactions. */
export function reactionsText (m: MessageView): string {
  // A deleted message shows no reactions, as in the window: they were on words no longer there.
  const r = m.deleted === true ? [] : m.reactions ?? []
  return r.length === 0 ? '' : `  ${r.map(x => `${x.emoji} ${x.by.length}`).join(' ')}`
}

/** Short ids kept to answer `/reply`, `/download` and the like: a peer left running for weeks on a busy LAN would otherwise keep every one it printed. */
export const MAX_SHORT_IDS = 10_000

/** `key` as the newest of `map` (an id printed again moves up), the oldest let go past MAX_SHORT_IDS. */
function remember (map: Map<string, string>, key: string, value: string): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > MAX_SHORT_IDS) map.delete(map.keys().next().value as string)
}

export function peersText (peers: PeerView[], names: Map<string, string>): string {
  for (const p of peers) if (p.name !== '') names.set(p.peerId, p.name)
  return peers.map(p => `${p.connected ? '●' : '○'} ${p.name || '?'} ${p.peerId}${p.blocked === true ? ' (blocked)' : ''}${p.build !== undefined ? ` [${buildLabel(p.build)}]` : ''} ${p.connections.map(c => `${c.local}<->${c.remote}`).join(' ')}`).join('\n') || '(no peers)'
}

/** The live messages the latency leaves out, in words: '' for none. */
function clockOffText (n: number | undefined): string {
  if (n === undefined || n === 0) return ''
  return `; ${n} more not counted: their author's clock is more than ${CLOCK_OFF_MS / 60_000} min off this one's`
}

export function statsText (s: EngineStats): string {
  const ms = (v: number | null): string => v === null ? '–' : `${v} ms`
  return [
    `mode ${s.mode}: ${s.order}`,
    `connections ${s.connections.length}${s.connections.length > 0 ? `: ${s.connections.map(c => `${c.name || c.peerId} ${c.local}<->${c.remote}`).join(', ')}` : ''}`,
    `sent ${s.sent}, received ${s.received}, relayed ${s.relayed}`,
    `delivery latency: last ${ms(s.latencyMs.last)}, median ${ms(s.latencyMs.p50)}, max ${ms(s.latencyMs.max)} (over ${s.latencyMs.count})${clockOffText(s.clockOff)}`,
    `state: ${s.failure.state} — ${s.failure.summary}`
  ].join('\n')
}

/** What the terminal keeps of an invite-only room, to print what changed rather than the whole room. */
interface KnownPrivateRoom { name: string, creator: string, members: string[], removed: boolean, oldInvite: string[], invited: string[], unreadable: boolean }

function known (r: PrivateRoomView): KnownPrivateRoom {
  return { name: r.name, creator: r.creator, members: [...r.members], removed: r.removed, oldInvite: [...r.oldInvite ?? []], invited: [...r.invited ?? []], unreadable: r.unreadable === true }
}

/** What changed in an invite-only room, one line each: keys given, keys awaited, its name, who joined, who left or was removed. */
function privateRoomChanges (before: KnownPrivateRoom, now: PrivateRoomView, self: string, nameOf: (peerId: string) => string): string[] {
  const lines: string[] = []
  // The creator gave keys to one who had joined with an old invite (/givekeys).
  for (const m of before.oldInvite) if (now.members.includes(m) && now.oldInvite?.includes(m) !== true) lines.push(`* ${nameOf(m)} holds the keys of private room "${now.name}" now`)
  if (now.unreadable === true && !before.unreadable && !now.removed) {
    lines.push(`* some messages in private room "${now.name}" do not open with your keys: if your invite is older than its last change of members, ask ${nameOf(now.creator)} for its key (they show when it comes)`)
  }
  if (now.name !== before.name) lines.push(`* private room "${before.name}" is now "${now.name}"`)
  if (now.removed && !before.removed) lines.push(`* you were removed from private room "${now.name}"`)
  for (const m of now.members) if (!before.members.includes(m)) lines.push(`* ${nameOf(m)} joined private room "${now.name}"`)
  for (const m of before.members) {
    if (m === self && now.removed) continue
    if (!now.members.includes(m)) lines.push(`* ${nameOf(m)} ${now.gone?.includes(m) === true ? 'was removed from' : 'left'} private room "${now.name}"`)
  }
  return lines
}

/** The longest a status may be set to last by `for` (a week): past it, "today" or no end is meant. */
const MAX_STATUS_MINUTES = 7 * 24 * 60

/** A stall's length as a person says it: `45 s`, `3 min`, `2 h 5 min`. */
export function sleptFor (ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const min = Math.round(s / 60)
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 === 0 ? '' : ` ${min % 60} min`}`
}

/** `2h`, `90m`, `1h30m`, `1 hour 30 minutes` in minutes; undefined for anything else. */
export function durationMinutes (typed: string): number | undefined {
  const d = /^(?:(\d+)\s*(?:d|days?))?\s*(?:(\d+)\s*(?:h|hrs?|hours?))?\s*(?:(\d+)\s*(?:m|mins?|minutes?))?$/i.exec(typed.trim())
  if (d === null || (d[1] === undefined && d[2] === undefined && d[3] === undefined)) return undefined
  return Number(d[1] ?? 0) * 1440 + Number(d[2] ?? 0) * 60 + Number(d[3] ?? 0)
}

/**
 * `/status` words as the JSON command: "clear" takes the status off; "Lunch for 1h" (any time in
 * days, hours and minutes: 30m, 2h, 1h30m, 3d; or today) sets "Lunch" to clear itself then, as the window's
 * "Clear after" offers. "Out for lunch" stays words: only a time after the last "for" is one.
 */
function statusCommand (arg: string): { cmd: 'status', text: string, until?: number } {
  if (arg.toLowerCase() === 'clear') return { cmd: 'status', text: '' }
  const timed = /^(.*\S)\s+for\s+(\S.*)$/i.exec(arg)
  if (timed === null) return { cmd: 'status', text: arg }
  const [, text = '', when = ''] = timed
  if (when.trim().toLowerCase() === 'today') return { cmd: 'status', text, until: STATUS_CLEAR_AFTER.today.until(new Date()) }
  const minutes = durationMinutes(when)
  if (minutes === undefined) return { cmd: 'status', text: arg }
  if (minutes < 1 || minutes > MAX_STATUS_MINUTES) throw new CommandError('a status clears itself after 1 minute to 7 days ("for 30m", "for 2h", "for 1h30m", "for 3d", "for today"); without "for" it stays until /status clear')
  return { cmd: 'status', text, until: Date.now() + minutes * 60_000 }
}

/** "2 you shared, 1.3 MiB", or "none you shared". */
const kept = (f: StorageFigure, what: string): string => f.files === 0 ? `none ${what}` : `${f.files} ${what}, ${formatBytes(f.bytes)}`

/**
 * What partial downloads hold: how many wait for someone who has the file (freeing gives them up),
 * and that they count with the copies of others' files against the limit on those.
 */
function partialNote (e: FileStorage): string {
  const waiting = e.partialWaiting?.files ?? 0
  const notes = [
    ...(waiting > 0 ? [`${waiting} waiting for someone who has the file: /storage free gives ${waiting === 1 ? 'it' : 'them'} up`] : []),
    ...(e.keepBytes !== undefined ? [`with the copies of others', ${formatBytes(e.others.bytes + e.partial.bytes)} of the ${formatBytes(e.keepBytes)} kept`] : [])
  ]
  return notes.length === 0 ? '' : ` (${notes.join('; ')})`
}

/** A storage answer in words: what is kept and why, and what freeing took. */
function storageText (e: { freed?: StorageFigure } & FileStorage): string {
  const parts = [
    `${kept(e.shared, 'you shared')}${e.shared.files > 0 ? ' (others download them from you)' : ''}`,
    `${kept(e.others, 'of others\'')}${e.others.files > 0 ? ' (kept to serve whoever asks)' : ''}`,
    ...(e.partial.files > 0 ? [`${kept(e.partial, 'partly downloaded')}${partialNote(e)}`] : [])
  ].join('; ')
  if (e.freed !== undefined) {
    if (e.freed.files === 0) return `* nothing to free; files kept here: ${parts}`
    return `* freed ${e.freed.files} file${e.freed.files === 1 ? '' : 's'} of others', ${formatBytes(e.freed.bytes)} (what you saved stays where you saved it); files kept here now: ${parts}`
  }
  return `* files kept here: ${parts}${e.others.files > 0 ? '\n  /storage free takes the copies of others\' files (what you saved stays where you saved it)' : ''}`
}

