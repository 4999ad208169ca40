import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { LamportClock } from '../core/clock.js'
import { checkText, normalizeName, normalizeRoom, normalizeStatus, type ChatMessage } from '../core/message.js'
import { MAX_FILE_BYTES_CEILING, type FileManifest } from '../core/file.js'
import { MAX_KEPT_DIRECTS, MAX_SAVED, MAX_SAVED_KEPT, SEALED_SEARCH_DEEP, SEALED_SEARCH_IDLE_MS, SEALED_SEARCH_PAGE, SEALED_SEARCH_SCAN, SEALED_SEARCH_TOTAL, UNREAD_CAP } from '../core/limits.js'
import { firstWords, sealedMatcher, tokenize, type Tokenized } from './sealed-search.js'
import { bracketed } from '../core/snippet.js'
import { DATE_SLACK_MS, narrowedTo, narrows, roomsNamed, searchQuery, whoIs, type Narrowed, type Narrowing } from '../core/search-query.js'
import { writtenAt } from '../core/written-at.js'
import type { Receipt } from '../net/codec.js'
import { UNSIGNED, encodeBody, hashBody, withBody } from '../net/codec.js'
import { parseTcpAddr } from '../net/addr.js'
import { toPeerConnectError } from '../net/connect-errors.js'
import { parseNetworkKey } from '../net/network-key.js'
import { loadOrCreateIdentity } from '../store/identity.js'
import { DataDirLock } from '../store/lock.js'
import type { Page, RoomAuthor, SearchHit } from '../store/messages.js'
import { parsePeerId } from '../net/addr.js'
import { PeerBlockedError } from '../net/errors.js'
import { BlockedRecipientError, ForwardConfirmError, MessageDeletedError, ModeError, NoFileError, NotListedError, NotSavedError, NotStartedError, PeerHereError, PinLimitError, SavedLimitError, UnknownMessageError, UnreadableMessageError } from './errors.js'
import { MAX_PINNED } from '../core/edits.js'
import { InvalidMessageError, InvalidSearchError } from '../core/errors.js'
import { FileTransfers, type FileOptions, type ShareOptions } from './files.js'
import { HubOrdering } from './hub-order.js'
import { LamportOrdering, type MeshOptions } from './lamport.js'
import { Listeners } from './listeners.js'
import { RoomSet, type EngineParts, type EngineStore, type Ordering, type UserMode } from './ordering.js'
import { Counters, wireFigures, type EngineStats } from './stats.js'
import type { ChatEngine, DirectView, EngineEvent, FileStorage, InviteCheck, MessageView, PeerView, SavedMark, SendOptions, StorageFigure } from './types.js'
import { MAX_PAGE } from './types.js'
import { Conversations, publicRoom } from './conversations.js'
import { isPrivateRoom, PrivateRooms, WAITING_MAX, type PrivateRoomView } from './private-rooms.js'
import { dmRoom, isDmRoom, type Readers } from './private.js'
import { forwardText, forwardWarning, MAX_FORWARD_CAPTION_BYTES, type ForwardPlace } from '../core/forward.js'
import { Memberships } from './memberships.js'
import { RoomKeyStore } from '../store/room-keys.js'
import { keptPeerTimes } from '../store/db.js'
import { libp2pLog } from '../net/log.js'
import { fingerprint, messageView } from './views.js'
import { nameKey } from '../core/lookalike.js'
import { EditBook, fillPage, type EditSource } from './edit-book.js'
import type { MessageAction } from '../core/edits.js'
import type { WireAction } from '../core/message.js'
import type { MessageVersion } from './types.js'
import { LivePeople, type OwnPresence, type PresenceView } from './live.js'
import { LiveLink } from './live-link.js'
import { BuildNotices } from './builds.js'
import { PADDED_LEVEL, peerBuild, type PeerBuild } from '../core/build.js'
import { FEATURE_LEVEL } from '../net/constants.js'
import { EngineFiles } from './engine-files.js'

/** A status read back from the data directory: one that no longer passes (a damaged file), or whose time to clear has come, is none. */
function keptStatus (status: string | undefined, until: number | undefined): string {
  if (until !== undefined && until <= Date.now()) return ''
  try {
    return normalizeStatus(status ?? '')
  } catch {
    return ''
  }
}

/** How far back a direct conversation is looked through for a message to read before it is taken to have none (see `dms`). */
const READABLE_LOOK_BACK = 1_000

/** A presence's status as peer and member views carry it. */
function statusOf (live: PresenceView): { status?: string, statusUntil?: number } {
  return live.status === undefined ? {} : { status: live.status, ...(live.statusUntil !== undefined ? { statusUntil: live.statusUntil } : {}) }
}

/**
 * What one who joins an invite-only room reads of its past to learn its
 * members and removals (Memberships.join): its newest messages, up to this
 * many. A member who neither joined nor wrote within them is listed when it
 * next writes; a removal older than them is still known to every member who
 * was in then, and the creator's keys changed with it.
 */
const MAX_LEARNED = 20_000
const LEARN_PAGE = 1_000

/** Longest a status may be set to clear itself after, ms: a week. */
export const MAX_STATUS_FOR_MS = 7 * 24 * 3600_000

/** When a status set now clears itself: a time to come within MAX_STATUS_FOR_MS, or never (undefined). */
function statusUntil (until: number | undefined): number | undefined {
  if (until === undefined) return undefined
  const now = Date.now()
  if (!Number.isSafeInteger(until) || until <= now || until > now + MAX_STATUS_FOR_MS) {
    throw new InvalidMessageError('A status clears itself at a time to come, within a week')
  }
  return until
}

export interface EngineOptions extends Omit<MeshOptions, 'dataDir'> {
  dataDir: string
  /** Display name; defaults to the stored one, then to "peer-<id suffix>". */
  name?: string
  /** Our status in our own words ("In a meeting until 3"); defaults to the stored one, then none. */
  status?: string
  /** The architecture to start in (default 'p2p'). */
  mode?: UserMode
  /** Client mode: the hub's multiaddr; without it the client finds a hub by mDNS. */
  server?: string
  /** Client mode: the backoff of dials of an unreachable hub (net/hub-link.ts; defaults HUB_RECONNECT_*), as `overlay.retry` is for P2P. */
  hubRetry?: { min: number, max: number }
  /** Where diagnostics go (the CLI sends them to stderr). */
  log?: (line: string) => void
  /** What a second process that finds this data directory in use is told holds it. */
  lockName?: string
  /** Files: where downloads go, the size limit, when a download with no holder gives up. */
  files?: FileOptions
  /** What a search opened of the sealed conversations is let go after this long without a search, ms (default SEALED_SEARCH_IDLE_MS). */
  sealedSearchIdleMs?: number
  /** Tests: a search keeps opened at most this many of each sealed conversation (default SEALED_SEARCH_SCAN). */
  sealedSearchScan?: number
  /** Tests: it reads older ones this many at a time (default SEALED_SEARCH_PAGE). */
  sealedSearchPage?: number
  /** Tests: and opens at most this many of them (default SEALED_SEARCH_DEEP). */
  sealedSearchDeep?: number
}

/** Walks below the kept messages of sealed conversations remembered (#olderWalks): the searches of one dialog, a few at a time. */
const MAX_OLDER_WALKS = 16

/** A search asks the index for at most this many times the hits wanted, to make up for hits of messages edited or deleted since. */
const MAX_SEARCH_REFILL = 8
/** Longest connectPeer waits, the peer reached, for its chat link (its hello) to come up. */
const CONNECT_LINK_WAIT_MS = 5_000

/**
 * Where a search of a sealed conversation goes on from: before the message `before` (at Lamport time
 * `lamport`), from its newest without one; none of it when what was read is the `whole` conversation.
 */
interface SealedCursor { room: string, before?: string, lamport?: number, whole?: boolean }
/** What a search keeps opened of a sealed conversation (#searchable): its newest `limit` messages read, those not deleted as `items`. */
interface SealedKept extends Omit<SealedCursor, 'room'> { limit: number, items: Array<{ view: MessageView, words: Tokenized }> }

/** A sealed conversation's message as a search hit (`dm`: with whom, when it is a DM of ours). */
function sealedHit (room: string, v: MessageView, marked: string, dm: { peerId: string, name: string } | undefined): SearchHit {
  return { room, id: v.id, author: v.author, name: v.name, lamport: v.lamport, sentAt: v.sentAt, ...(v.deliveredAt !== undefined ? { deliveredAt: v.deliveredAt } : {}), ...(v.clockOff !== undefined ? { clockOff: v.clockOff } : {}), snippet: bracketed(marked), marked, ...(v.seq !== undefined ? { seq: v.seq } : {}), ...(dm !== undefined ? { dm } : {}) }
}

/**
 * The chat engine every host drives, in either architecture. It owns what
 * both share — identity, the Lamport clock, composing and signing messages,
 * rooms, events, views and stats — and runs over an Ordering: Lamport order
 * over the P2P mesh, or the hub's sequence over the link to a hub. The
 * architecture can change while it runs (`switchMode`): listeners stay, the
 * identity stays, and each mode keeps its own history (a P2P history is
 * ordered by Lamport time and a hub's by its numbers; merging them would
 * reorder what users already saw).
 */
export class Engine implements ChatEngine {
  readonly #opts: EngineOptions
  readonly #log: (line: string) => void
  readonly #events: Listeners<EngineEvent>
  /** What the orderings emit into: messages pass through the conversations (opened, or not shown) on their way out. */
  readonly #inner: Listeners<EngineEvent>
  readonly #rooms = new RoomSet(room => { this.#conversations?.noteRoom(room) })
  #conversations: Conversations | undefined
  /** Edits, deletes and reactions: taken in as delivered, applied to every message shown. */
  #edits: EditBook | undefined
  #clock = new LamportClock()
  /** Sealed conversations opened for search (#searchable), by room: dropped when a message arrives or changes there. */
  readonly #sealedText = new Map<string, SealedKept>()
  /**
   * The last walks below what #sealedText keeps (#olderHits), by search: the search dialog asks again at every
   * message that arrives while it is open, and a walk costs a few hundred ms of this thread. What is written
   * later lands above the walk and only narrows what it must find; a walk is let go with #sealedText (a message
   * or a change in one of its conversations: a catch-up may bring older ones) and after the same quiet spell.
   */
  readonly #olderWalks = new Map<string, { rooms: ReadonlySet<string>, wanted: number, floor: number, hits: SearchHit[] }>()
  /** Per peer, the name clash last said of it (its name and whose it took), until it disconnects: said once, not again on each rename hello. */
  readonly #clashSaid = new Map<string, string>()
  /** Who we are; `name` changes with setName, the rest is fixed by the data directory. */
  #me: { peerId: string, key: PrivateKey, name: string, status?: string, statusUntil?: number } | undefined
  /** Clears our status when its time comes (statusUntil). */
  #statusTimer: ReturnType<typeof setTimeout> | undefined
  #mode: UserMode
  /** When what a search opened of the sealed conversations is let go. */
  #sealedIdle: ReturnType<typeof setTimeout> | undefined
  #server: string | undefined
  /** The P2P listen addresses with the port the OS gave last time, so known peers can redial us after a round trip through client mode. */
  #p2pListen: string[] | undefined
  /**
   * The addresses the last P2P run still tried until they answered (`dial` at start, Keep trying),
   * when it was switched away from: tried on, quietly, when P2P is back. The start's `dial` is for
   * the first run only: one that answered is a known peer since, redialed with the others, and one
   * that did not was said so at the start (its peer may well be switching too, not gone).
   */
  #stillDialing: string[] | undefined
  #ordering: Ordering | undefined
  #store: EngineStore | undefined
  /** Taking in what a crash left unannounced (#settleLeftovers): no complaints, no room events. */
  #settling = false
  /** Per invite-only room, what it judged its removed members and leavers by at the last change of members (#retake). */
  readonly #judgedAs = new Map<string, { keys: readonly string[], by: Map<string, string> }>()
  /** Messages taken in again (a key came, an invite back was heard), to announce if they open now (#retry). */
  readonly #retrying = new Map<string, MessageView>()
  #counters = new Counters()
  #switching: Promise<void> = Promise.resolve()
  #lock: DataDirLock | undefined
  #files: FileTransfers | undefined
  /** Set by setMaxFileBytes before the engine started. */
  #maxFileBytes: number | undefined
  #keepOthersBytes: number | undefined
  /** Typing and presence (live.ts): never stored, one for whichever mode runs. */
  readonly #live: LiveLink
  /** Whom this run was told runs another build (once a peer, whatever the mode). */
  readonly #builds = new BuildNotices()
  /** Sharing and downloading files (engine-files.ts). */
  readonly #fileOps: EngineFiles = new EngineFiles({
    running: () => this.#running(),
    files: () => this.#files!,
    message: id => this.#store?.message(id),
    deleted: id => this.#edits?.view(id)?.deleted === true,
    conversations: () => this.#conversations!,
    net: () => this.#net(),
    settled: async () => { await this.#switching.catch(() => {}) },
    compose: async (ordering, content, file) => await this.#compose(ordering, content, undefined, file),
    send: async (room, text, options) => await this.send(room, text, options)
  })

  constructor (opts: EngineOptions) {
    // A malformed network key fails here (NetworkKeyError), before anything opens.
    this.#opts = opts.networkKey === undefined ? opts : { ...opts, networkKey: parseNetworkKey(opts.networkKey) }
    // Without a log of the host's, diagnostics go to libp2p's logger: DEBUG=lanchat*,libp2p* shows ours and the stack's in one stream.
    this.#log = opts.log ?? libp2pLog('lanchat:engine')
    this.#events = new Listeners(this.#log)
    this.#inner = new Listeners(this.#log)
    this.#inner.on(e => {
      if (e.type === 'pending' && this.#isControl(e.id)) return
      if (e.type === 'pending' && e.action?.emoji !== undefined) { this.#events.emit({ ...e, action: this.#openedAction(e.id) ?? e.action }); return }
      if (e.type !== 'message') { this.#events.emit(e); return }
      const c = this.#conversations
      const shown = c === undefined ? e : c.reveal(e, true, true)
      if (shown === undefined) return
      const { type: _type, ...view } = shown as typeof e
      if (view.note !== undefined) { this.#events.emit({ ...view, type: 'note' }); return }
      const r = this.#edits?.delivered(view) ?? { shown: view }
      if ('shown' in r) this.#events.emit({ ...r.shown, type: 'message' })
      else if (r.updated !== undefined) this.#events.emit({ ...r.updated, type: 'message:updated', ...(r.cause !== undefined ? { cause: r.cause } : {}) })
      else this.#ownActionNumbered(view)
    })
    // What search opened of a sealed conversation goes stale with any message there (new, edited, deleted), or a new engine.
    this.#events.on(e => {
      if (e.type === 'message' || e.type === 'message:updated' || e.type === 'private-room') {
        this.#sealedText.delete(e.room)
        for (const [key, walk] of this.#olderWalks) if (walk.rooms.has(e.room)) this.#olderWalks.delete(key)
      } else if (e.type === 'ready' || e.type === 'history:moved') this.#forgetSealedText()
    })
    // After every listener has the connect: the clash is news about a peer they know of. A rename
    // while connected is checked too: connecting as "Mallory", then becoming "Alice", was said only as a rename.
    this.#events.on(e => {
      if (e.type === 'peer:connect' || e.type === 'peer:renamed') queueMicrotask(() => { this.#checkName(e.peerId, e.name) })
      else if (e.type === 'peer:disconnect') this.#clashSaid.delete(e.peerId)
    })
    this.#mode = opts.mode ?? 'p2p'
    this.#server = opts.server
    this.#live = new LiveLink(new LivePeople((e, previousName) => {
      this.#events.emit(e.type === 'peer:presence' ? this.#unworded(e) : e)
      // A client knows its fellow clients by presence alone: a new name there is their rename (P2P says it from the link's hello).
      if (e.type === 'peer:presence' && previousName !== undefined && this.#mode !== 'p2p' && e.peerId !== this.peerId) {
        this.#events.emit({ type: 'peer:renamed', peerId: e.peerId, name: e.name, previousName, fingerprint: fingerprint(e.peerId) })
      }
    }, undefined, () => this.peerId), {
      self: () => ({ peerId: this.peerId, name: this.name }),
      ordering: () => this.#ordering,
      dmPeer: room => this.#conversations?.peerOf(room),
      inPrivate: room => this.privateRooms().some(r => r.room === room && !r.removed),
      membersOf: room => this.privateRooms().find(r => r.room === room)?.members ?? []
    })
  }

  get peerId (): string { return this.#me?.peerId ?? '' }
  get name (): string { return this.#me?.name ?? '' }
  get mode (): UserMode { return this.#mode }
  /** Client mode: the largest file the hub stores, as it last said (undefined: P2P, or a hub that never said). */
  get serverMaxFileBytes (): number | undefined {
    const o = this.#ordering
    return o instanceof HubOrdering ? o.hubMaxFileBytes : undefined
  }
  /** Where the host sets the network key (EngineOptions), for what a failed dial says. */
  get networkKeySetting (): string | undefined { return this.#opts.networkKeySetting }
  get clock (): number { return this.#clock.time }
  /** The hub address client mode uses (undefined: found by mDNS). */
  get server (): string | undefined { return this.#server }
  /** Whether any peer (the hub, for a client) is connected. */
  get connected (): boolean { return (this.#ordering?.transport.connectedPeers().length ?? 0) > 0 }
  /** The running ordering (for benchmarks and tests that look inside). */
  get ordering (): Ordering | undefined { return this.#ordering }

  on (listener: (e: EngineEvent) => void): () => void { return this.#events.on(listener) }

  #running (): Ordering {
    if (this.#ordering === undefined || this.#store === undefined) throw new NotStartedError('the engine is not running')
    return this.#ordering
  }

  /**
   * Whether a stored message of ours is a control (an invite-only room's join, a removal, a new key):
   * never shown, so its wait for the hub is not told either (the terminal would call it "your message").
   */
  /** A stored action as we read it: a private reaction's emoji is in its sealed text (the plain field says SEALED_EMOJI). */
  #openedAction (id: string): WireAction | undefined {
    const m = this.#store?.message(id)
    return m === undefined ? undefined : this.#conversations?.reveal(messageView(m))?.action
  }

  /**
   * Announce `views` again, after what is being taken in now, as they read then: shown if they open (an
   * open window, the terminal and --json get them live), nothing if still not. A new key and the invite
   * back it came with, heard together, both name the returning member's words: each is announced once.
   */
  #retry (views: readonly MessageView[]): void {
    if (views.length === 0) return
    const first = this.#retrying.size === 0
    for (const view of views) if (!this.#retrying.has(view.id)) this.#retrying.set(view.id, view)
    if (!first) return
    setImmediate(() => {
      const again = [...this.#retrying.values()]
      this.#retrying.clear()
      for (const view of again) this.#inner.emit({ ...view, type: 'message' })
    })
  }

  #isControl (id: string): boolean {
    const m = this.#store?.message(id)
    const c = this.#conversations
    if (m === undefined || m.sealed === undefined || c === undefined) return false
    return c.reveal(messageView(m)) === undefined
  }

  /** Take the data directory (one running engine each), load the identity, start the mode. */
  async start (): Promise<void> {
    this.#lock = DataDirLock.acquire(this.#opts.dataDir, this.#opts.lockName ?? `lanchat ${process.argv.slice(2).join(' ')}`.trim())
    try {
      if (this.#me === undefined) {
        const key = await loadOrCreateIdentity(this.#opts.dataDir)
        this.#me = { peerId: peerIdFromPrivateKey(key).toString(), key, name: '' }
        const complain = (err: Error): void => {
          if (this.#settling) return
          const room = err instanceof UnreadableMessageError ? err.room : undefined
          this.#events.emit({ type: 'error', message: err.message, code: err.name, ...(room !== undefined ? { room } : {}) })
        }
        // A member left a room we created: the others get a new key (Memberships.rekey), as after a removal.
        // Once the message that said so is taken in (not from within its intake).
        const rekeyAfterLeaving = (room: string, peer: string): void => {
          // A leave a crash left untaken is taken in before the start hands over what is owed (#open): that covers it.
          if (this.#settling) return
          setImmediate(() => {
            (async () => { await this.#members().rekey(room) })().catch((err: unknown) => { this.#log(`new key for ${room} after ${peer} left: ${(err as Error).message}`) })
          })
        }
        // A room's name or members changed by what someone said in it: hosts update their lists.
        const changed = (room: string): void => {
          if (this.#settling) return
          const view = this.#conversations === undefined ? undefined : this.#members().view(room)
          if (view !== undefined) this.#events.emit({ type: 'private-room', ...view })
          // Removed: what we wrote since, not yet knowing, reached nobody; hosts that show it as sent are told.
          // So did our edits, deletes and reactions there: taken back, the messages they changed shown as the others show them.
          // Wherever in the room's history the message they changed is (a window may show an older page, and lists its pins).
          if (view?.removed === true) {
            const undone = new Set(this.#refusedActions(room))
            this.#edits?.retake(undone)
            this.#askAgain(undone)
            for (const m of this.history(room)) if (m.refused === true) this.#events.emit({ ...m, type: 'message:updated' })
            for (const id of undone) {
              const now = this.#edits?.view(id)
              if (now !== undefined) this.#events.emit({ ...now, type: 'message:updated' })
            }
          } else if (view !== undefined) this.#retake(view)
        }
        // Another member removed, heard now: what it wrote since and we showed is taken away.
        const removed = (room: string, peer: string): void => {
          if (!this.#settling) this.#refuseLater(room, peer)
        }
        // A member heard of late, who was in before a new key was made: handed the keys (the start hands over what a crash left owed).
        const late = (room: string): void => {
          if (this.#settling) return
          setImmediate(() => {
            (async () => { await this.#members().handOver(room) })().catch((err: unknown) => { this.#log(`keys of ${room} for a member heard of late: ${(err as Error).message}`) })
          })
        }
        // A room's new keys arrived: what no key opened before is taken in again, and announced if it opens now.
        // A restart lost what was held: what the new keys seal is also looked for among the room's newest messages.
        const keyed = (room: string, fresh: readonly string[]): void => {
          const rooms = this.#conversations?.rooms
          const held = rooms?.takeWaiting(room) ?? []
          const found = (this.#ordering?.history(room, { limit: WAITING_MAX }) ?? []).filter(view => rooms?.sealedWith(view, fresh) === true)
          const ids = new Set(found.map(view => view.id))
          this.#retry([...found, ...held.filter(view => !ids.has(view.id))])
        }
        // One the creator invited back, heard of only now: what it wrote on its return and came first is taken in (it is listed again),
        // and announced as it opens now, after the invite back (an open window shows it without reading the room again).
        const back = (room: string, peer: string): void => {
          const ordering = this.#ordering
          const opened = this.#conversations?.rooms.rejoined(room, peer, ordering === undefined ? [] : ordering.history(room).filter(view => view.author === peer)) ?? []
          if (!this.#settling) this.#retry(opened)
        }
        // Whose build opens a padded private text, as its hello or its own claim last said (unknown: not).
        const readers: Readers = { opensPadded: peer => (this.#live.people.buildOf(peer)?.level ?? 0) >= PADDED_LEVEL }
        const rooms = new PrivateRooms(this.#me.peerId, new RoomKeyStore(this.#opts.dataDir), { complain, left: rekeyAfterLeaving, changed, removed, late, keyed, back }, author => this.#ordering?.forkFloor?.(author), readers)
        this.#conversations = new Conversations(this.#me.peerId, key, rooms, complain, () => {
          const o = this.#ordering
          return o instanceof HubOrdering ? o.transport.peers()[0]?.peerId : undefined
        }, readers)
        const conversations = this.#conversations
        this.#edits = new EditBook(this.#me.peerId, () => this.#editSource(), view => conversations.reveal(view))
      }
      this.#files ??= new FileTransfers(this.#opts.dataDir, {
        ...this.#opts.files,
        ...(this.#maxFileBytes !== undefined ? { maxFileBytes: this.#maxFileBytes } : {}),
        ...(this.#keepOthersBytes !== undefined ? { keepOthersBytes: this.#keepOthersBytes } : {})
      }, this.#events, this.#log, sha256 => this.#ours(sha256), () => {
        // In client mode, the hub's largest file as it said in its hello: a bigger one is refused, not shared unstorable.
        const o = this.#ordering
        return o instanceof HubOrdering ? o.hubMaxFileBytes : undefined
      })
      await this.#open(this.#mode)
    } catch (err) {
      this.#lock.release()
      this.#lock = undefined
      throw err
    }
  }

  /** Make and open the ordering of `mode`; on failure nothing is left running. */
  async #open (mode: UserMode): Promise<void> {
    const me = this.#me!
    this.#counters = new Counters()
    this.#clock = new LamportClock()
    this.#live.people.clear()
    const parts: EngineParts = {
      identity: me, clock: this.#clock, counters: this.#counters, rooms: this.#rooms, events: this.#inner, log: this.#log, live: this.#live, builds: this.#builds,
      announcing: batch => { this.#edits?.preload(batch.flatMap(m => m.action === undefined ? [m.id] : [])) },
      restored: m => { this.#restored(m) },
      historyMoved: () => {
        this.#edits?.forget()
        this.#events.emit({ type: 'history:moved' })
      },
      refused: (m, why) => { this.#keepUnsent(m, why) }
    }
    const { dataDir, mdns, networkKey, networkKeySetting, hubRetry } = this.#opts
    const ordering: Ordering = mode === 'p2p'
      ? new LamportOrdering({ ...this.#opts, ...(this.#p2pListen !== undefined ? { listen: this.#p2pListen } : {}), ...(this.#stillDialing !== undefined ? { dial: [] } : {}) }, parts)
      : new HubOrdering({ dataDir, ...(this.#server !== undefined ? { server: this.#server } : {}), ...(mdns !== undefined ? { mdns } : {}), ...(networkKey !== undefined ? { networkKey } : {}), ...(networkKeySetting !== undefined ? { networkKeySetting } : {}), ...(hubRetry !== undefined ? { hubRetry } : {}) }, parts)
    const store = await ordering.open()
    try {
      me.name = normalizeName(me.name !== '' ? me.name : this.#opts.name ?? store.state.name ?? `peer-${me.peerId.slice(-6)}`)
      store.state.name = me.name
      // Said once at the first start (the options, else what was kept); a later mode keeps what was set since.
      if (me.status === undefined) {
        me.status = this.#opts.status !== undefined ? normalizeStatus(this.#opts.status) : keptStatus(store.state.status, store.state.statusUntil)
        if (this.#opts.status === undefined && me.status !== '' && store.state.statusUntil !== undefined) me.statusUntil = store.state.statusUntil
      }
      this.#keepStatus(store.state)
      this.#live.people.setStatus(me.status, me.statusUntil)
      this.#live.people.forgotten(store.forgotten(), forgotten => {
        // A full disk: kept in memory until the next change; forgetting is not worth an error.
        try { store.setForgotten(forgotten) } catch (err) { this.#log(`could not keep whom you forgot: ${(err as Error).message}`) }
      })
      this.#rooms.attach(store)
      this.#reopenDirects(store)
      this.#clock.advanceTo(store.state.clock)
      await ordering.connect()
    } catch (err) {
      this.#live.people.unhook()
      await ordering.stop().catch(() => {})
      store.close()
      this.#rooms.attach(undefined)
      throw err
    }
    this.#ordering = ordering
    this.#store = store
    this.#mode = mode
    this.#settleLeftovers(store)
    // What each invite-only room judges its removed members and leavers by as this mode starts, its edit book
    // empty: a change of members reads again the actions of those it judges otherwise (#retake), no others.
    this.#judgedAs.clear()
    for (const room of this.#conversations?.rooms.rooms() ?? []) this.#judgedAs.set(room, this.#judgement(room))
    // A message wiped here for a delete that counts no more, still wanted when the last run stopped (the asking
    // is kept in memory only): asked for again, or it would stay deleted here for good while the others show it.
    this.#askAgainAtStart(store)
    // A new key a removal or a leave owed the members when the last run died: handed over now (a leave just taken in, too).
    for (const room of this.#conversations?.rooms.owed() ?? []) {
      void this.#members().rekey(room).catch((err: unknown) => { this.#log(`new key for ${room}, owed since the last run: ${(err as Error).message}`) })
    }
    for (const room of this.#conversations?.rooms.owingKeys() ?? []) {
      void this.#members().handOver(room).catch((err: unknown) => { this.#log(`keys of ${room} for a member heard of late, owed since the last run: ${(err as Error).message}`) })
    }
    ordering.transport.files()?.serve(this.#files?.blobs)
    this.#events.emit({ type: 'ready', peerId: me.peerId, fingerprint: fingerprint(me.peerId), name: me.name, mode, addrs: this.addrs(), ...(me.status !== undefined && me.status !== '' ? { status: me.status } : {}), ...(me.statusUntil !== undefined ? { statusUntil: me.statusUntil } : {}) })
    this.#clearStatusLater()
    ordering.begin()
    if (mode === 'p2p') for (const addr of this.#stillDialing ?? []) ordering.keepDialing?.(addr)
    // Downloads a previous run (or mode) left unfinished go on by themselves.
    this.#fileOps.resume()
  }

  /**
   * What a kill -9 left committed and never taken in (between a commit and
   * its announcement): a room's new key, a removal, a join, a conversation
   * to list. Taken in now, as if announced, before the hosts hear `ready`:
   * quietly (it was news in the run that died, or is history now), and
   * never announced twice.
   */
  #settleLeftovers (store: EngineStore): void {
    const ids = store.unsettled()
    if (ids.length === 0) return
    this.#settling = true
    try {
      for (const id of ids) {
        const m = store.message(id)
        if (m !== undefined) this.#conversations?.reveal(messageView(m), true)
      }
    } finally {
      this.#settling = false
    }
    store.settled()
  }

  #net (): { files: () => ReturnType<Ordering['transport']['files']>, peers: () => string[] } {
    return { files: () => this.#ordering?.transport.files(), peers: () => this.#ordering?.transport.connectedPeers() ?? [] }
  }

  async stop (): Promise<void> {
    await this.#switching.catch(() => {})
    clearTimeout(this.#statusTimer)
    this.#statusTimer = undefined
    if (this.#sealedIdle !== undefined) clearTimeout(this.#sealedIdle)
    this.#sealedIdle = undefined
    this.#forgetSealedText()
    await this.#files?.stop()
    await this.#close()
    this.#stillDialing = undefined
    this.#lock?.release()
    this.#lock = undefined
  }

  async #close (): Promise<void> {
    const ordering = this.#ordering
    const store = this.#store
    this.#ordering = undefined
    this.#store = undefined
    // What the people list hears while no mode runs, or once the next one does, goes to no store closed here.
    this.#live.people.unhook()
    await ordering?.stop()
    if (store !== undefined) {
      store.state.clock = this.#clock.time
      store.close()
    }
    this.#rooms.attach(undefined)
    // Each mode has its own history, so its own conversations.
    this.#conversations?.forget()
    this.#edits?.forget()
  }

  /**
   * Change architecture without a restart. Resolves once the new mode runs
   * (its `ready` event is out). Switching to the mode that runs (with the
   * same hub) does nothing. If the new mode cannot start, the old one is
   * started again and the error is thrown.
   */
  async switchMode (mode: UserMode, server?: string): Promise<void> {
    const run = async (): Promise<void> => {
      if (server !== undefined) parseTcpAddr(server)
      if (mode === this.#mode && (mode === 'p2p' || server === undefined || server === this.#server)) return
      const old = this.#mode
      const oldServer = this.#server
      if (old === 'p2p') {
        this.#p2pListen = boundListen(this.#opts.listen, this.addrs())
        this.#stillDialing = this.dialing()
      }
      await this.#close()
      if (server !== undefined) this.#server = server
      try {
        await this.#open(mode).catch(async (err: unknown) => {
          // The port we had may be taken by now: any free one is better than no P2P.
          if (mode !== 'p2p' || this.#p2pListen === undefined) throw err
          this.#p2pListen = undefined
          await this.#open(mode)
        })
      } catch (err) {
        this.#server = oldServer
        await this.#open(old)
        throw err
      }
    }
    const p = this.#switching.catch(() => {}).then(run)
    this.#switching = p
    await p
  }

  /** Listening multiaddrs, each ending in /p2p/<peerId>; [] for a client. */
  addrs (): string[] { return this.#ordering?.transport.addrs() ?? [] }

  async send (room: string, text: string, options: SendOptions = {}): Promise<MessageView> {
    await this.#switching.catch(() => {})
    const ordering = this.#running()
    checkText(text)
    if (options.to !== undefined) this.#notBlocked(options.to)
    return await this.#compose(ordering, this.#conversations!.content(room, text, options.to), options.replyTo, options.file)
  }

  /**
   * Forward message `id` to a room (`target.room`: public, invite-only, or a DM's) or to a person
   * (`target.to`): an ordinary message of ours whose text names whose words it carries and where
   * they were written (core/forward.ts), `comment` first. A private message going where others
   * would read it is refused (ForwardConfirmError, saying who) unless `confirm`. A file goes again
   * through the file share (a photo's location taken out as ever), from the copy on this computer:
   * NoFileError when there is none. `truncated`: the words were cut to fit.
   */
  async forward (id: string, target: { room?: string, to?: string }, options: { comment?: string, confirm?: boolean } = {}): Promise<MessageView & { truncated?: true }> {
    await this.#switching.catch(() => {})
    this.#running()
    const view = this.#edits!.view(id)
    if (view === undefined || view.note !== undefined) throw new UnknownMessageError(`no message ${id} to forward`)
    if (view.deleted === true) throw new MessageDeletedError('That message was deleted: there is nothing to forward.')
    const room = target.room === undefined ? undefined : normalizeRoom(target.room)
    const to = target.to ?? (room === undefined ? undefined : this.#conversations!.peerOf(room))
    if (to === this.peerId) throw new InvalidMessageError('A message is forwarded to someone else, or to a room.')
    if (to !== undefined) this.#notBlocked(to)
    const from = this.#placeOf(view.room)
    const into = to !== undefined ? this.#placeOf(dmRoom(this.peerId, to), to) : this.#placeOf(room ?? '', undefined, true)
    const warning = forwardWarning({ from, to: into, self: this.peerId, author: view.author, name: view.name, text: view.text })
    if (warning !== undefined && options.confirm !== true) throw new ForwardConfirmError(warning)
    const made = forwardText({ name: view.name, from, text: view.text, ...(options.comment !== undefined ? { comment: options.comment } : {}), ...(view.file !== undefined ? { max: MAX_FORWARD_CAPTION_BYTES } : {}) })
    const sent = view.file !== undefined
      ? await this.#fileOps.withLocalCopy(id, async (path, file) => await this.sendFile(room ?? '', path, { ...file, text: made.text, ...(to !== undefined ? { to } : {}) }))
      : await this.send(room ?? '', made.text, to !== undefined ? { to } : {})
    return made.truncated ? { ...sent, truncated: true } : sent
  }

  /**
   * A conversation as a forward names it (core/forward.ts): a public room, a DM and with whom, an invite-only room and its members.
   * `readers`: where a forward goes, an invite-only room's members include those its invite was sent and who have not joined yet:
   * the code holds its keys, and they read what is in it once they join.
   */
  #placeOf (room: string, peer?: string, readers = false): ForwardPlace {
    if (isPrivateRoom(room)) {
      const r = this.privateRoom(room)
      return { kind: 'private', name: r.name, members: readers ? [...r.members, ...(r.invited ?? [])] : r.members }
    }
    const peerId = peer ?? (isDmRoom(room) ? this.#conversations!.peerOf(room) : undefined)
    if (peerId !== undefined) {
      const name = this.dms().find(d => d.peerId === peerId)?.name || this.peers().find(p => p.peerId === peerId)?.name || peerId.slice(-8)
      return { kind: 'dm', with: name, peerId }
    }
    if (isDmRoom(room)) throw new UnknownMessageError('That direct conversation is not one of ours.')
    return { kind: 'room', room: normalizeRoom(room) }
  }

  /** Writing to someone we blocked is refused (an edit, a delete or a reaction of ours still goes). */
  #notBlocked (to: string): void {
    if (!this.isBlocked(to)) return
    const name = this.peers().find(p => p.peerId === to)?.name
    throw new BlockedRecipientError(`You blocked ${name === undefined || name === '' ? to : name}: unblock them to write to them.`)
  }

  /** Change the text of an own message of `room` ('' : wherever it is); answers its new view. */
  async edit (room: string, target: string, text: string): Promise<MessageView> {
    return await this.#act(room, { kind: 'edit', target, text })
  }

  /** Delete an own message for everyone, for good; answers its view (deleted, no text). */
  async delete (room: string, target: string): Promise<MessageView> {
    return await this.#act(room, { kind: 'delete', target })
  }

  /** Put an emoji on a message (`on` false takes ours off); answers its view. */
  async react (room: string, target: string, emoji: string, on = true): Promise<MessageView> {
    return await this.#act(room, { kind: 'react', target, emoji, on })
  }

  /**
   * Pin a message of `room` ('' : wherever it is) for everyone in its conversation (`on` false unpins it);
   * answers its view. Pinning what is pinned, or unpinning what is not, sends nothing.
   */
  async pin (room: string, target: string, on = true): Promise<MessageView> {
    return await this.#act(room, { kind: 'pin', target, on })
  }

  /**
   * The pinned messages of `room` across its whole history (the store lists its pins by room, so
   * messages on no page loaded count too), dressed as every view, newest pin first: at most
   * MAX_PINNED, the newest, whatever others sent.
   */
  pins (room: string): MessageView[] {
    const store = this.#store
    const edits = this.#edits
    if (store === undefined || edits === undefined || this.#ordering === undefined) return []
    const name = normalizeRoom(room)
    const pinned = store.pinTargets(name).flatMap(id => {
      const v = edits.view(id)
      // A pin of a message of another room counts nowhere (core/edits.ts): nor is it listed here.
      return v !== undefined && v.room === name && v.pinned !== undefined && v.deleted !== true ? [v] : []
    })
    // By the deciding pin's Lamport time, as every peer has it (its sentAt is the pinner's clock), then its author.
    pinned.sort((a, b) => (b.pinned!.lamport - a.pinned!.lamport) || (a.pinned!.by < b.pinned!.by ? 1 : a.pinned!.by > b.pinned!.by ? -1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return this.#saved(pinned.slice(0, MAX_PINNED))
  }

  /**
   * Save a message for later (`on` false takes it off the list): this person's own list, in any
   * conversation, never sent to anyone and kept in the data directory (ids and when only: a sealed
   * message is opened from the history whenever it is shown). Answers its view, with `savedAt` while
   * saved. Saving what is saved keeps its time. UnknownMessageError for saving a message not in this
   * mode's history, MessageDeletedError for saving one deleted, SavedLimitError past MAX_SAVED listed
   * here. Taking one off always works while it is kept, even one this mode cannot show (the other
   * mode's, an invite-only room left, one the hub refused): the answer is then null, there being no
   * view of it here; NotSavedError for one known but not saved, UnknownMessageError for an id neither
   * kept nor known.
   */
  save (id: string, on = true): MessageView | null {
    this.#running()
    const store = this.#store!
    const view = this.#edits!.view(id)
    const held = store.savedAt(id)
    if (!on) {
      // Never saved (or taken off already): nothing to take off, and not "taken off".
      if (held === undefined && view !== undefined) throw new NotSavedError(`The message ${id} is not saved: nothing to take off.`)
      if (held !== undefined) store.unsave(id)
      if (view !== undefined) return view
      if (held !== undefined) return null
    }
    // Only what this mode's history has (the list shows no other).
    if (view === undefined) throw new UnknownMessageError(`There is no message ${id} here to ${on ? 'save' : 'unsave'}.`)
    if (!on) return view
    if (held !== undefined) return { ...view, savedAt: held }
    if (view.deleted === true) throw new MessageDeletedError('That message was deleted.')
    this.#roomToSave(store)
    const at = Date.now()
    store.save(id, at)
    return { ...view, savedAt: at }
  }

  /**
   * Room for one more saved message, or SavedLimitError. What counts is what this mode lists, which
   * the person can see and take off: one kept for a history this mode lacks (the other mode's, an
   * invite-only room left, a message the hub refused) is listed nowhere here, so it never stands in
   * the way; past MAX_SAVED_KEPT in all, the oldest saved of those goes. Below MAX_SAVED kept, one
   * count; only past it is the list read.
   */
  #roomToSave (store: EngineStore): void {
    if (store.savedCount() < MAX_SAVED) return
    const rows = store.saved()
    const hidden = rows.filter(r => this.#edits!.view(r.id) === undefined)
    if (rows.length - hidden.length >= MAX_SAVED) throw new SavedLimitError(`You have ${MAX_SAVED.toLocaleString('en-US')} saved messages: remove one from Saved first.`)
    // Newest saved first: the oldest of the unlisted ones go.
    for (let kept = rows.length; kept >= MAX_SAVED_KEPT && hidden.length > 0; kept--) store.unsave(hidden.pop()!.id)
  }

  /** Whether message `id` is on this person's saved list (in either mode's history, or in neither now). */
  isSaved (id: string): boolean { return this.#store?.savedAt(id) !== undefined }

  /**
   * The messages this person saved for later, newest saved first, each as history shows it (a
   * sealed one opened) with `savedAt`; one deleted since by its author stays listed, deleted, to be
   * taken off. One not in this mode's history (saved from the other mode's, or of an invite-only
   * room left since) is kept but not listed: it shows again where it can be read.
   */
  saved (): MessageView[] {
    const store = this.#store
    const edits = this.#edits
    if (store === undefined || edits === undefined || this.#ordering === undefined) return []
    return this.#saved(store.saved().flatMap(({ id, at }) => {
      const v = edits.view(id)
      return v === undefined ? [] : [{ ...v, savedAt: at }]
    }))
  }

  /**
   * What saved() lists, by id and when saved only, in its order: the count and each row's mark
   * without a message's words (a thousand long ones would be megabytes a window reads on each look).
   */
  savedIds (): SavedMark[] {
    const store = this.#store
    const edits = this.#edits
    if (store === undefined || edits === undefined || this.#ordering === undefined) return []
    return store.saved().flatMap(({ id, at }) => edits.view(id) === undefined ? [] : [{ id, savedAt: at }])
  }

  /**
   * Our own messages a hub refused for good, oldest first, each as it read and why (`unsent`): the window
   * shows them *Not sent* after a reload or a restart too, until sent again or discarded (`dropUnsent`).
   */
  unsent (): MessageView[] {
    const store = this.#store
    if (store === undefined || this.#ordering === undefined) return []
    // A private one opened as its history would be: one whose keys are gone (a room left since) is not listed.
    return store.unsent().flatMap(({ message, reason }) => {
      const shown = this.#conversations?.reveal(messageView(message))
      if (shown === undefined) return []
      const { sealed: _sealed, ...view } = shown
      return [{ ...view, unsent: reason }]
    })
  }

  /** One `unsent` listed, sent again or discarded: no longer kept (false: it was not). */
  dropUnsent (id: string): boolean {
    this.#running()
    return this.#store!.dropUnsent(id)
  }

  /** A hub refused `m` for good: its words kept, with why, unless it is no message to show (a control, an action) or shared a file. */
  #keepUnsent (m: ChatMessage, why: string): void {
    if (m.action !== undefined || m.file !== undefined || this.#conversations?.reveal(messageView(m)) === undefined) return
    try {
      this.#store?.keepUnsent(m, why)
    } catch (err) {
      this.#log(`could not keep the words of ${m.id.slice(0, 12)}, which the hub refused: ${(err as Error).message}`)
    }
  }

  /** The original text and each edit of a message, oldest first ([] once deleted). */
  versions (id: string): MessageVersion[] {
    this.#running()
    return this.#edits!.versions(id)
  }

  /** What the edit book reads and blanks: the store, and (for a delete) the ordering's copies in memory. */
  #editSource (): EditSource | undefined {
    const store = this.#store
    const ordering = this.#ordering
    if (store === undefined) return undefined
    return {
      message: id => store.message(id),
      actionsOn: ids => store.actionsOn(ids),
      redact: ids => {
        const files = ids.flatMap(id => { const f = store.message(id)?.file; return f === undefined ? [] : [{ id, sha256: f.sha256 }] })
        store.redact(ids)
        ordering?.forgetText(ids)
        // Its file goes with it: not fetched on, not served, not kept, unless another message shares the same bytes.
        for (const { id, sha256 } of files) {
          this.#files?.withdraw(id, sha256, () => store.sharesFile(sha256)).catch((err: unknown) => { this.#log(`could not remove the file of deleted message ${id.slice(0, 12)}: ${(err as Error).message}`) })
        }
      }
    }
  }

  /** An edit, delete or reaction: checked (edit-book.ts), then sent like a message whose deps hold its target. */
  /**
   * Edits, deletes and reactions one after another: each checks what is there before it goes out, so a
   * reaction taken off while the one putting it on was still being written (a quick double click) must
   * see it on, not find it absent and do nothing, leaving it on.
   */
  async #act (room: string, action: MessageAction): Promise<MessageView> {
    const run = this.#acting.then(async () => await this.#actNow(room, action))
    this.#acting = run.catch(() => {})
    return await run
  }

  #acting: Promise<unknown> = Promise.resolve()

  /**
   * Our own edit, delete, reaction or pin, shown as it was written (#actNow), now numbered by the hub: nothing changes
   * to show, but it was told waiting (`pending`) when the hub was out of reach. Its message's view is told again with
   * the action's id, so a host's count of what waits lets it go.
   */
  #ownActionNumbered (view: MessageView): void {
    const action = view.action
    if (action === undefined || view.seq === undefined || view.author !== this.peerId) return
    const now = this.#edits?.view(action.target)
    if (now === undefined || ((action.kind === 'pin' || action.kind === 'unpin') && now.room !== view.room)) return
    this.#events.emit({ ...now, type: 'message:updated', cause: { kind: action.kind, by: view.author, id: view.id } })
  }

  async #actNow (room: string, action: MessageAction): Promise<MessageView> {
    await this.#switching.catch(() => {})
    const ordering = this.#running()
    const edits = this.#edits!
    const out = edits.prepare(room === '' ? '' : normalizeRoom(room), action)
    let othersOn = false
    if (action.kind === 'react') {
      // A reaction put on twice, or taken off when it was not on, changes nothing: nothing goes out (every peer would store it, and a terminal print it again).
      const now = edits.view(action.target)
      const mine = (now?.reactions ?? []).filter(r => r.by.includes(this.peerId)).map(r => r.emoji)
      if (now !== undefined && mine.includes(action.emoji) === action.on) return now
      // Whether another of ours stays on: an older peer shows all of ours in a DM or invite-only room as one lock.
      othersOn = mine.some(e => e !== action.emoji)
    }
    if (action.kind === 'pin') {
      // Pinned again, or unpinned when it was not: nothing goes out, as for a reaction.
      const now = edits.view(action.target)
      if (now !== undefined && (now.pinned !== undefined) === action.on) return now
      if (action.on && this.pins(out.room).length >= MAX_PINNED) throw new PinLimitError(`This conversation has ${MAX_PINNED} pinned messages: unpin one first.`)
    }
    const conversations = this.#conversations!
    const sent = await this.#compose(ordering, conversations.contentIn(out.room, out.text), undefined, undefined, conversations.wireAction(out.room, out.wire, othersOn))
    const r = edits.delivered(sent)
    if ('updated' in r && r.updated !== undefined) this.#events.emit({ ...r.updated, type: 'message:updated', ...(r.cause !== undefined ? { cause: r.cause } : {}) })
    const view = edits.view(action.target)
    if (view === undefined) throw new UnknownMessageError(`no message ${action.target}`)
    return view
  }

  /** Stamp, place, hash and hand a message to the ordering; its view as this peer shows it. */
  async #compose (ordering: Ordering, content: { room: string, text: string, to?: string, sealed?: Uint8Array }, replyTo?: string, file?: FileManifest, action?: WireAction): Promise<MessageView> {
    if (replyTo !== undefined && !ordering.isDelivered(replyTo)) throw new UnknownMessageError(`no message ${replyTo} to reply to`)
    // A reply goes where its original is: one to a direct message posted in a public room would show there, to everyone.
    const original = replyTo === undefined ? undefined : this.#store?.message(replyTo)
    if (original !== undefined && original.room !== content.room) throw new InvalidMessageError(`A reply goes in the conversation of the message it answers (${where(original.room)}), not ${where(content.room)}.`)
    // Its author took it back: a reply would quote nothing (the window offers no Reply on one; the terminal and scripts are told).
    if (replyTo !== undefined && this.#edits?.view(replyTo)?.deleted === true) throw new MessageDeletedError('That message was deleted: there is nothing to reply to.')
    // Not before the ordering knows where our own chain stands (a restored data directory would fork it).
    await ordering.ready()
    const unsigned = {
      author: this.peerId, name: this.name, ...content,
      // A clock before 1970 (a dead clock battery, read in a zone east of Greenwich) stamps 1970: no peer takes a time
      // below 0, and one message refused would hold back every later one of this author's chain.
      lamport: this.#clock.tick(), sentAt: Math.max(0, Date.now()),
      // An action's target goes in its deps, as a reply's original does: causal delivery then holds it until the target is there.
      ...ordering.place(replyTo ?? action?.target),
      ...(replyTo !== undefined ? { replyTo } : {}),
      ...(file !== undefined ? { file } : {}),
      ...(action !== undefined ? { action } : {})
    }
    const body = encodeBody(unsigned)
    // Signed by the ordering when it leaves: the mesh signs only the newest message of a burst.
    const message: ChatMessage = withBody({ ...unsigned, id: hashBody(body), sig: UNSIGNED }, body)
    const view = await ordering.submit(message)
    // A client's message is sent once its hub numbers it (HubOrdering counts it then): one waiting for the hub is not.
    if (!(ordering instanceof HubOrdering)) this.#counters.sent++
    // A control (a join, a removal, a new key) is not shown: its view says only that it went out.
    const { sealed: _sealed, ...plain } = view
    const shown = this.#conversations!.reveal(view)
    if (shown === undefined) return { ...plain, text: '', private: true }
    return shown.action !== undefined ? shown : this.#edits!.dress(shown)
  }

  /**
   * Share a file in a room: it is hashed into the data directory (so it can
   * be served even if the original moves), and a message naming it goes out;
   * the bytes travel only to those who download it (engine-files.ts; a
   * private file is encrypted first).
   */
  async sendFile (room: string, path: string, options: ShareOptions & { text?: string, to?: string, signal?: AbortSignal } = {}): Promise<MessageView> {
    const to = options.to ?? this.#conversations?.peerOf(room)
    if (to !== undefined) this.#notBlocked(to)
    return await this.#fileOps.sendFile(room, path, options)
  }
  /** Download message `id`'s file from every peer that holds it; resolves with its path (`file:*` events tell the rest). */
  async download (id: string, dir?: string): Promise<string> { return await this.#fileOps.download(id, dir) }
  /** Start a download and answer at once with what is fetched (a message with no file throws now). */
  startDownload (id: string, dir?: string): { id: string, name: string, size: number, sha256: string, saved?: true } { return this.#fileOps.startDownload(id, dir) }
  /** Start fetching message `id`'s file into the data directory only, to show it (`file:held` once it is in). */
  startFetch (id: string): { id: string, name: string, size: number, sha256: string } { return this.#fileOps.startFetch(id) }
  /** Fetch message `id`'s file into the data directory only, to serve it to others. */
  async hold (id: string): Promise<void> { await this.#fileOps.hold(id) }
  /** Add bytes to an upload a window sends in pieces (it never names a path). */
  async upload (upload: string | undefined, bytes: Uint8Array, total?: number): Promise<{ upload: string, size: number }> { return await this.#fileOps.upload(upload, bytes, total) }
  /**
   * The largest file to send or download from now on (Settings change it
   * while the engine runs); downloads already running keep going.
   */
  setMaxFileBytes (bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_FILE_BYTES_CEILING) throw new RangeError(`a file size limit is 1 byte to ${MAX_FILE_BYTES_CEILING} bytes`)
    this.#maxFileBytes = bytes
    if (this.#files !== undefined) this.#files.maxFileBytes = bytes
  }

  /** Share a finished upload in a room, like `sendFile`. */
  async sendUpload (room: string, upload: string, options: ShareOptions & { name: string, text?: string, to?: string }): Promise<MessageView> { return await this.#fileOps.sendUpload(room, upload, options) }
  /** Where the finished download of message `id`'s file is; NoFileError when there is none. */
  downloadedPath (id: string): string {
    const path = this.#files?.deliveredPath(id)
    if (path === undefined) throw new NoFileError('that file has not been downloaded (or was moved)')
    return path
  }
  /** The saved picture of message `id`'s image file, for the window to show full size (NoFileError, in words, when it cannot). */
  async image (id: string): Promise<{ name: string, mime: string, bytes: Buffer }> { return await this.#fileOps.image(id) }
  /** The name message `id`'s file is shown by; undefined when there is no such file this peer can name. */
  fileName (id: string): string | undefined { return this.#fileOps.nameOf(id) }
  /** Stop a download, or give up one waiting for someone who has its file, and delete what it fetched; false when there was none. */
  async cancelDownload (id: string): Promise<boolean> { return await this.#files?.cancel(id, this.#fileOps.shownOf(id)) ?? false }
  /** Whether this node holds all of file `sha256` (it then serves it to others). */
  hasFile (sha256: string): boolean { return this.#files?.has(sha256) ?? false }

  /** What the data directory keeps of files: those this peer shared, whole copies of others', partial downloads. */
  async fileStorage (): Promise<FileStorage> {
    this.#running()
    return await this.#files!.storage()
  }

  /**
   * Free the disk of others' files this peer keeps to serve them (see
   * FileTransfers.free): the files it shared, and those in use, stay.
   */
  async freeFileStorage (): Promise<{ freed: StorageFigure, storage: FileStorage }> {
    this.#running()
    return await this.#files!.free(id => this.#fileOps.shownOf(id))
  }

  /**
   * How much of others' files to keep (see FileOptions.keepOthersBytes);
   * Settings change it while the engine runs, and a lower one takes effect at once.
   */
  setKeepOthersBytes (bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError('what is kept of others\' files is 0 or more bytes')
    this.#keepOthersBytes = bytes
    if (this.#files === undefined) return
    this.#files.keepOthersBytes = bytes
    this.#files.trim().catch((err: unknown) => { this.#log(`could not keep others' files within the limit: ${(err as Error).message}`) })
  }

  /** Whether this peer shared file `sha256` (a message of its own, in either mode, names it); with no store, taken as ours: nothing is removed. */
  #ours (sha256: string): boolean {
    const store = this.#store
    return store === undefined || store.sharedBy(sha256, this.peerId)
  }

  /**
   * Dial `addr`. Resolves once the connection is open, with the peer reached when known (P2P): its
   * chat link (hello, then `peer:connect`) comes a moment later, see `linkedTo`.
   */
  async dial (addr: string, options: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    await this.#switching.catch(() => {})
    if (this.#mode === 'client') this.#server = addr
    const peerId = await this.#running().dial(addr, options)
    return typeof peerId === 'string' ? peerId : undefined
  }

  /**
   * Link to a known peer now (P2P), at every address known of it and with its id, its backoff
   * (minutes, for one down long) notwithstanding: for someone who knows it is back. Resolves with
   * the chat link up (or the connection open, when its hello is slow: CONNECT_LINK_WAIT_MS), at once when
   * linked already. A dial that reached nobody is a ConnectError, in the words a dial of an address
   * gets; a peer of which no address is known, a NoPeerAddressError; in client mode, a ModeError.
   */
  async connectPeer (peerId: string): Promise<void> {
    await this.#switching.catch(() => {})
    parsePeerId(peerId)
    const ordering = this.#running()
    if (ordering.connectPeer === undefined) throw new ModeError('In client–server mode the app connects only to its hub, and tries it again by itself.')
    if (this.linkedTo(peerId)) return
    const link = this.#linkUp(peerId)
    try {
      await ordering.connectPeer(peerId)
    } catch (err) {
      link.cancel()
      if (err instanceof Error && ['NoPeerAddressError', 'PeerBlockedError', 'BadPeerIdError', 'NotStartedError'].includes(err.name)) throw err
      const peer = this.peers().find(p => p.peerId === peerId)
      throw toPeerConnectError(err, peer?.name || peerId, peer?.addrs ?? [], this.#opts.networkKeySetting)
    }
    await link.done
  }

  /**
   * Resolves once the chat link to `peerId` is up (its hello heard: `peers()` names it), it went down,
   * or CONNECT_LINK_WAIT_MS passed: a dial's answer waits for it, so what is sent next reaches them.
   */
  async linkUp (peerId: string): Promise<void> {
    await this.#linkUp(peerId).done
  }

  /** Resolves once the chat link to `peerId` is up, it went down, or CONNECT_LINK_WAIT_MS passed; `cancel` lets it go. */
  #linkUp (peerId: string): { done: Promise<void>, cancel: () => void } {
    let cancel = (): void => {}
    const done = new Promise<void>(resolve => {
      const timer = setTimeout(() => { cancel() }, CONNECT_LINK_WAIT_MS)
      const off = this.on(e => { if ((e.type === 'peer:connect' || e.type === 'peer:disconnect') && e.peerId === peerId) cancel() })
      cancel = () => { clearTimeout(timer); off(); resolve() }
      if (this.linkedTo(peerId)) cancel()
    })
    return { done, cancel: () => { cancel() } }
  }

  /** Whether the chat link to `peerId` is up (`peer:connect` was said): what is sent now goes to it. */
  linkedTo (peerId: string): boolean {
    return this.#ordering?.transport.connectedPeers().includes(peerId) ?? false
  }

  /**
   * Keep trying an address that did not answer (P2P): quietly, backing off
   * to every 30 s, until it answers once; from then on it is a known peer.
   * In client mode the app dials only its hub, whose link tries by itself.
   */
  keepDialing (addr: string): void {
    const ordering = this.#running()
    if (ordering.keepDialing === undefined) throw new Error('In client–server mode the app connects only to its hub, and tries it again by itself.')
    ordering.keepDialing(addr)
  }

  /** The addresses tried in the background until they answer (P2P; none in client mode). */
  dialing (): string[] {
    return this.#ordering?.dialing?.() ?? []
  }

  /** Stop trying `addr` in the background (as `dialing` lists it); false when it was not being tried. */
  stopDialing (addr: string): boolean {
    return this.#ordering?.stopDialing?.(addr) ?? false
  }

  async block (peerId: string): Promise<void> { await this.#switching.catch(() => {}); await this.#running().block(peerId); this.#retell(peerId) }
  async unblock (peerId: string): Promise<void> { await this.#switching.catch(() => {}); await this.#running().unblock(peerId); this.#retell(peerId) }

  /**
   * A presence as hosts are given it: a status is its peer's own words, so someone blocked here
   * has none shown, as their messages are folded (their state, online or away, still shows).
   */
  #unworded<P extends PresenceView> (view: P): P {
    if (view.status === undefined || view.peerId === this.peerId || !this.isBlocked(view.peerId)) return view
    const { status: _status, statusUntil: _until, ...rest } = view
    return rest as P
  }

  /** Someone just blocked or unblocked: hosts hear their presence anew, their status hidden or shown again. */
  #retell (peerId: string): void {
    const live = this.#live.people.of(peerId)
    if (live?.status !== undefined) this.#events.emit({ ...this.#unworded(live), type: 'peer:presence' })
  }
  /** Blocked here: hosts fold its messages and let them count toward nothing (in P2P its link is refused too). */
  isBlocked (peerId: string): boolean { return this.#ordering?.isBlocked?.(peerId) ?? false }

  /**
   * Hang up on a peer and drop it from the known peers, so it is no longer
   * redialed, counted as down or listed (unlike block, it comes back when it
   * is here again: a link, discovery, or word that it is online or away; word
   * from others that it is offline does not list it again). Its messages stay
   * in the history. A client has no link to drop: it stops listing it.
   * Someone here (linked, online or away) is refused: they would be listed
   * again at once, and the window offers it only for those who left. Someone
   * blocked is refused too: their row stays listed, as it is where they are
   * unblocked, and the window offers no Forget on it.
   */
  async forget (peerId: string): Promise<void> {
    parsePeerId(peerId)
    const known = this.peers().find(p => p.peerId === peerId)
    if (this.isBlocked(peerId)) {
      throw new PeerBlockedError(`${known?.name || peerId} is blocked: their row stays listed, as it is where they are unblocked; unblock them first to forget them`)
    }
    if (known !== undefined && (known.connected || (known.presence ?? 'offline') !== 'offline')) {
      throw new PeerHereError(`${known.name || peerId} is here now: only someone who has left can be forgotten (they would be listed again at once)`)
    }
    await this.#running().forget(peerId)
    this.#live.people.forget(peerId)
  }

  /**
   * The partition lab: hang up on `peerId` ('*': everyone; a client's only
   * link is the hub) and refuse it until `heal`. Both sides keep chatting; on
   * heal they reconnect and catch-up merges (P2P) or pending messages are
   * resent (client).
   */
  async cut (peerId: string): Promise<void> { await this.#running().transport.cut(peerId) }

  heal (): void { this.#ordering?.transport.heal() }

  /**
   * A room's messages in display order: (lamport, author) in P2P, the hub's
   * numbers in client mode: the newest MAX_PAGE unless `page` asks for
   * another window (the newest `limit`, or `limit` before, after or around a
   * message: what a UI scrolling up or jumping to a search hit wants).
   */
  history (room: string, page?: Page): MessageView[] {
    const ordering = this.#ordering
    if (ordering === undefined) return []
    const name = normalizeRoom(room)
    const notes = page?.notes === true
    const read = (p?: Page): { raw: MessageView[], shown: MessageView[] } => {
      const raw = ordering.history(name, p)
      const c = this.#conversations
      const shown = c === undefined ? raw : raw.flatMap(v => c.reveal(v, false, notes) ?? [])
      return { raw, shown: this.#saved(this.#edits?.page(shown) ?? shown) }
    }
    return fillPage(read, page)
  }

  /**
   * A page's file messages marked `saved` where this peer's download of them is still on disk,
   * someone else's `held` where the whole file is in this peer's own folder (after a restart too),
   * and `waiting` where a download of it stopped, waiting for someone who has it, and is kept.
   */
  #saved (views: MessageView[]): MessageView[] {
    const files = this.#files
    if (files === undefined) return views
    const self = this.peerId
    return views.map(v => {
      if (v.file === undefined) return v
      const saved = files.deliveredPath(v.id) !== undefined
      const held = v.author !== self && files.has(v.file.sha256)
      // A download that stopped for want of someone who has the file: a window opened since shows it waiting, with Cancel.
      const waiting = saved ? undefined : files.waitingDownload(v.id, () => this.#fileOps.shownOf(v.id)?.sealed === true)
      return saved || held || waiting !== undefined ? { ...v, file: { ...v.file, ...(saved ? { saved } : {}), ...(held ? { held } : {}), ...(waiting !== undefined ? { waiting } : {}) } } : v
    })
  }

  /**
   * The messages from others a conversation has after where the user left off (`mark`: the newest
   * message seen there), at most `cap`: what an unread badge counts after a restart (and the
   * mentions among them). Without a mark, every message from others (a conversation never
   * opened). Deleted ones are not. A mark whose message is not in this mode's history goes by
   * Lamport time.
   */
  unreadSince (room: string, mark: { id: string, lamport: number } | undefined, cap = UNREAD_CAP): MessageView[] {
    const ordering = this.#ordering
    if (ordering === undefined) return []
    const limit = Math.max(1, Math.min(cap, MAX_PAGE))
    const fromOthers = (ms: MessageView[]): MessageView[] => ms.filter(m => m.author !== this.peerId && m.deleted !== true)
    if (mark === undefined) return fromOthers(this.history(room, { limit }))
    if (ordering.isDelivered(mark.id)) return fromOthers(this.history(room, { after: mark.id, limit }))
    return fromOthers(this.history(room, { limit }).filter(m => m.lamport > mark.lamport))
  }

  /**
   * Our direct-message conversations: with whom, and the room to ask
   * `history` for. Relayed DMs between others are not listed.
   */
  dms (): DirectView[] {
    const ordering = this.#ordering
    const store = this.#store
    if (ordering === undefined || store === undefined) return []
    const all = this.#allDms()
    const closed = store.state.closedDirects ?? {}
    const opened = new Set(store.state.directs ?? [])
    // A message with words to read: not a tombstone, nor an edit, a delete or a reaction (which change others).
    const readable = (m: MessageView): boolean => m.action === undefined && m.deleted !== true && this.#edits?.view(m.id)?.deleted !== true
    const listed: DirectView[] = []
    for (const d of all) {
      const newest = this.#newestShown(ordering, d.room)
      // Nothing to read there (its only messages were deleted, before they came or since): not listed, unless the user opened it.
      // Looked for among the newest, then further back (a run of reactions may follow the last words).
      if (!opened.has(d.peerId) && this.#newestShown(ordering, d.room, readable) === undefined && this.#newestShown(ordering, d.room, readable, READABLE_LOOK_BACK) === undefined) continue
      // What someone blocked writes is no news (their messages are folded): it neither lists their conversation
      // again nor moves it up; unblocked, it does.
      const written = this.isBlocked(d.peerId) ? this.#newestShown(ordering, d.room, m => !this.isBlocked(m.author)) : newest
      const at = closed[d.peerId]
      if (at !== undefined) {
        if ((written?.lamport ?? 0) <= at) continue
        // Written in since it was closed: listed again, for good.
        delete closed[d.peerId]
        store.changed()
      }
      listed.push({ ...d, lastAt: written?.deliveredAt ?? written?.sentAt ?? 0 })
    }
    // Recent activity first, as chat apps list conversations; by when a message arrived here, so a peer's clock cannot pin it on top.
    return listed.sort((x, y) => (y.lastAt ?? 0) - (x.lastAt ?? 0))
  }

  /** Every direct conversation of ours, the closed ones too. */
  #allDms (): DirectView[] {
    const ordering = this.#ordering
    if (ordering === undefined) return []
    const names = new Map(this.peers().map(p => [p.peerId, p.name]))
    return this.#conversations?.list(room => ordering.history(room, { limit: 20 }), id => names.get(id) || undefined) ?? []
  }

  /**
   * Stop listing the conversation with `peerId` until someone writes in it
   * again (or it is opened again); its history stays. Kept across restarts.
   * The conversations listed now; NotListedError when it is not listed.
   */
  closeDm (peerId: string): DirectView[] {
    const ordering = this.#running()
    const store = this.#store!
    const room = this.#conversations!.open(peerId, undefined).room
    // None listed (never written, or closed already): nothing to close, as the window has no row to close.
    if (!this.dms().some(d => d.peerId === peerId)) throw new NotListedError(`You have no conversation with ${this.#nameOf(peerId) || peerId} listed: nothing to close.`)
    // Re-added last: the newest close is the one kept when the list is cut to its bound.
    const { [peerId]: _before, ...closed } = store.state.closedDirects ?? {}
    store.state.closedDirects = keptPeerTimes({ ...closed, [peerId]: this.#newestShown(ordering, room)?.lamport ?? 0 })
    if (store.state.directs !== undefined) store.state.directs = store.state.directs.filter(id => id !== peerId)
    store.changed()
    return this.dms()
  }

  /** The newest message shown in a conversation, if any: a room key handed over in it is never shown, so it does not count. */
  #newestShown (ordering: Ordering, room: string, counts: (m: MessageView) => boolean = () => true, limit = 20): MessageView | undefined {
    const views = ordering.history(room, { limit })
    for (let i = views.length - 1; i >= 0; i--) if (counts(views[i]!) && this.#conversations!.reveal(views[i]!) !== undefined) return views[i]!
    return undefined
  }

  /**
   * Messages whose text matches all of `query`'s words (the last as a prefix), newest first; optionally in one room.
   * Public rooms through the full-text index; our direct messages and invite-only rooms, whose text is sealed on
   * disk, opened in memory (sealed-search.ts): the newest SEALED_SEARCH_SCAN of each, SEALED_SEARCH_TOTAL in all,
   * kept; short of `limit` hits, older ones a page at a time, not kept, within SEALED_SEARCH_DEEP (#olderHits).
   */
  search (typed: string, room?: string, limit = 50): SearchHit[] {
    // from:NAME, from:@NAME, from:me: only what they wrote (core/search-query.ts); a name no one known has finds nothing.
    // in:#room among the words: that room, unless one is asked for.
    // has:file, has:image, has:link, has:reply, before:/after:/on: a day: what else a message must be; a date
    // that is none, or has: something unknown, is said in words (InvalidSearchError), never asked of the index.
    const parsed = searchQuery(typed)
    const { words: query, from, room: typedRoom } = parsed
    const narrow = narrows(parsed) ? (m: Narrowed): boolean => narrowedTo(parsed, m) : undefined
    const narrowing: Narrowing | undefined = narrow === undefined ? undefined : { test: narrow, has: parsed.has, since: parsed.since, until: parsed.until }
    const asked = room ?? typedRoom
    const { rooms: all, directs } = this.#sealedRooms()
    // in:@NAME (as Slack reads it): our direct messages with the people of that name, and nothing public.
    const withPeople = asked?.startsWith('@') === true ? this.#directsWith(asked.slice(1), directs) : undefined
    const only = asked === undefined || withPeople !== undefined ? undefined : normalizeRoom(asked)
    const authors = from.length === 0 ? undefined : this.#whoIs(from, only, directs)
    // Only operators (has:image in:#general): everything they allow, newest first.
    if (authors?.length === 0 || (query === '' && authors === undefined && narrow === undefined)) return []
    // A room named that is searched, and the invite-only rooms of ours shown by that name (in:#Board): their ids are not what people type.
    const byId = withPeople === undefined && (only === undefined || all.includes(only))
    const sealed = withPeople ?? (only === undefined ? all : byId ? [only] : roomsNamed(asked!, this.privateRooms()))
    const again = query === '' ? firstWords : sealedMatcher(query)
    // An edit's hit is judged by the message it edits, as it reads now (its file, its date, its links).
    const asShown = (hits: SearchHit[]): SearchHit[] => narrow === undefined ? hits : hits.filter(h => {
      const v = this.#edits?.view(h.id)
      // Dated as the hit is shown (writtenAt of its sentAt and deliveredAt).
      return v !== undefined && narrow({ text: v.text, file: v.file, replyTo: v.replyTo, sentAt: h.sentAt, deliveredAt: h.deliveredAt, clockOff: h.clockOff })
    })
    const shown = (raw: SearchHit[]): SearchHit[] => asShown(this.#edits?.hits(raw, again === undefined ? undefined : text => again(text)) ?? raw)
    // Hits of messages edited or deleted since are let go after the index's answer (and an edit's found words
    // lead to the message it edits): while that leaves fewer than asked and the index had more, ask it for more.
    let publicHits: SearchHit[] = []
    if (withPeople === undefined && (only === undefined || !byId)) {
      for (let asking = limit; ; asking *= 2) {
        const raw = this.#ordering?.search(query, only, asking, authors, narrowing) ?? []
        publicHits = shown(raw)
        if (publicHits.length >= limit || raw.length < asking || asking >= limit * MAX_SEARCH_REFILL) break
      }
    }
    // What a walk below the kept messages is remembered by: the search as typed, where, for how many, for whom.
    const walkKey = JSON.stringify([typed, asked ?? null, limit, authors ?? null])
    const hits = [...publicHits, ...this.#sealedHits(walkKey, query, sealed, directs, limit, publicHits, authors, narrowing)]
    this.#letGoLater()
    return hits.sort((a, b) => b.lamport - a.lamport || (a.author < b.author ? 1 : a.author > b.author ? -1 : 0)).slice(0, limit)
  }

  /** The direct conversations (`directs`) with the people `name` names (whoIs); InvalidSearchError when there is none. */
  #directsWith (name: string, directs: ReadonlyMap<string, { peerId: string, name: string }>): string[] {
    const people = new Set(whoIs(name, [...directs.values()]))
    const rooms = [...directs].filter(([, d]) => people.has(d.peerId)).map(([r]) => r)
    if (rooms.length === 0) throw new InvalidSearchError(name === '' ? 'in:@ takes a name: in:@ann searches your direct messages with Ann' : `in:@${name}: you have no direct messages with anyone called "${name}"`)
    return rooms
  }

  /**
   * Our conversations whose text is sealed: the direct messages listed, the closed ones
   * (closing hides a conversation, its history stays findable), then the invite-only rooms.
   */
  #sealedRooms (): { rooms: string[], directs: ReadonlyMap<string, { peerId: string, name: string }> } {
    if (this.#conversations === undefined) return { rooms: [], directs: new Map() }
    const listed = this.dms()
    const shown = new Set(listed.map(d => d.room))
    const all = [...listed, ...this.#allDms().filter(d => !shown.has(d.room))]
    return {
      rooms: [...all.map(d => d.room), ...this.privateRooms().map(r => r.room)],
      // A DM's hit says with whom (to open it again when it was closed).
      directs: new Map(all.map(d => [d.room, { peerId: d.peerId, name: d.name }]))
    }
  }

  /**
   * The people from:NAME names, as peer ids: us (`me`, or our name), the peers we know, everyone whose presence
   * we know, the other ends of our DMs and who wrote in the room searched. Each NAME adds its people.
   */
  #whoIs (names: readonly string[], room: string | undefined, directs: ReadonlyMap<string, { peerId: string, name: string }>): string[] {
    const people = [
      { peerId: this.peerId, name: this.name },
      ...this.peers(), ...this.presence(), ...directs.values(),
      ...(room !== undefined ? this.authors(room) : [])
    ]
    // Someone not known now (forgotten, long offline) is found among those who wrote here: asked only then.
    let everyone: RoomAuthor[] | undefined
    return [...new Set(names.flatMap(n => {
      if (n.toLowerCase() === 'me') return [this.peerId]
      const known = whoIs(n, people)
      return known.length > 0 ? known : whoIs(n, everyone ??= this.#ordering?.authors() ?? [])
    }))]
  }

  /**
   * The hits in sealed conversations: first among what #searchable keeps opened of each; when that finds fewer
   * than `limit`, further down each conversation (#olderHits), what could still be among the newest `limit`
   * with `found` (the public rooms' hits).
   */
  #sealedHits (walkKey: string, query: string, rooms: readonly string[], directs: ReadonlyMap<string, { peerId: string, name: string }>, limit: number, found: readonly SearchHit[], authors?: readonly string[], narrowing?: Narrowing): SearchHit[] {
    // No words (from: alone): every message of theirs, its first words for a snippet.
    const match = query === '' ? (words: string | Tokenized) => firstWords(typeof words === 'string' ? words : words.text) : sealedMatcher(query)
    if (match === undefined) return []
    const by = authors === undefined ? undefined : new Set(authors)
    const hits: SearchHit[] = []
    // Where each conversation's kept messages end: what is older is read from there on.
    const below: SealedCursor[] = []
    let budget = SEALED_SEARCH_TOTAL
    for (const room of rooms) {
      if (budget <= 0) { below.push({ room }); continue }
      const { items, ...cursor } = this.#searchable(room, Math.min(this.#opts.sealedSearchScan ?? SEALED_SEARCH_SCAN, budget))
      budget -= items.length
      below.push({ room, ...cursor })
      for (let i = items.length - 1; i >= 0 && hits.length < limit * 2; i--) {
        const { view: v, words } = items[i]!
        if (by !== undefined && !by.has(v.author)) continue
        if (narrowing !== undefined && !narrowing.test(v)) continue
        const marked = match(words)
        if (marked !== undefined) hits.push(sealedHit(room, v, marked, directs.get(room)))
      }
    }
    if (hits.length >= limit) return hits
    // A message older than the limit-th newest hit so far would not be shown: not opened.
    const newest = [...found, ...hits].map(h => h.lamport).sort((a, b) => b - a)
    const floor = newest.length >= limit ? newest[limit - 1]! : -Infinity
    const wanted = limit - hits.length
    // The same search below the same kept messages, asked again (at a message elsewhere): what was written since
    // is above the walk, and only asks for fewer hits, or newer ones, than it found.
    const key = `${walkKey}\n${below.map(b => b.room).join(' ')}`
    const walk = this.#olderWalks.get(key)
    if (walk !== undefined && wanted <= walk.wanted && floor >= walk.floor) return [...hits, ...walk.hits.filter(h => h.lamport >= floor).slice(0, wanted)]
    // Matched once each, on the text itself: cutting it into words first is for what is kept (a third slower).
    const older = this.#olderHits(below, wanted, floor, m => match(m.text), directs, by, narrowing)
    this.#olderWalks.delete(key)
    if (this.#olderWalks.size >= MAX_OLDER_WALKS) this.#olderWalks.delete(this.#olderWalks.keys().next().value!)
    this.#olderWalks.set(key, { rooms: new Set(below.map(b => b.room)), wanted, floor, hits: older })
    return [...hits, ...older]
  }

  /**
   * Up to `wanted` hits among the messages of sealed conversations older than what #searchable keeps (`below`:
   * where each one's kept messages end), read a page at a time (SEALED_SEARCH_PAGE), the conversation whose next
   * page is newest first, and opened one page at a time without being kept: memory does not grow with a
   * conversation's length. What is in the clear on each stored message is tested before it is opened: who wrote
   * it (`by`), when (`narrowing`'s days, writtenAt of sentAt and deliveredAt), and its Lamport time (`floor`:
   * below it, it would not be among the hits shown); a conversation is left where a whole page arrived before
   * the first day asked for, once what lies below it that arrived since (or when, not known) is read. At most SEALED_SEARCH_DEEP opened, a message read
   * and not opened counting half of one: a few hundred ms of the engine's thread (limits.ts).
   */
  #olderHits (below: SealedCursor[], wanted: number, floor: number, match: (v: MessageView) => string | undefined, directs: ReadonlyMap<string, { peerId: string, name: string }>, by: ReadonlySet<string> | undefined, narrowing: Narrowing | undefined): SearchHit[] {
    const ordering = this.#ordering
    const c = this.#conversations
    if (ordering === undefined || c === undefined) return []
    const pageSize = Math.max(1, this.#opts.sealedSearchPage ?? SEALED_SEARCH_PAGE)
    const since = narrowing?.since
    const until = narrowing?.until
    const oldest = since === undefined ? undefined : since - DATE_SLACK_MS
    const hits: SearchHit[] = []
    // Read unopened: one; opened: two (opening costs about as much again as reading, limits.ts).
    let spent = 0
    const budget = 2 * (this.#opts.sealedSearchDeep ?? SEALED_SEARCH_DEEP)
    const open = below.filter(b => b.whole !== true)
    // Enough once `wanted` are found and no conversation's next page can hold a newer one: a page of one read
    // first may reach much further back than another's next (a quiet spell), and its old hits are not the newest.
    const enough = (): boolean => {
      if (hits.length < wanted) return false
      const last = hits.map(h => h.lamport).sort((a, b) => b - a)[wanted - 1]!
      return open.every(c => (c.lamport ?? Infinity) < last)
    }
    while (!enough() && spent < budget && open.length > 0) {
      // The conversation whose next page is newest: hits come newest first across them all.
      let at = 0
      for (let i = 1; i < open.length; i++) if ((open[i]!.lamport ?? Infinity) > (open[at]!.lamport ?? Infinity)) at = i
      const cursor = open[at]!
      const raw = ordering.history(cursor.room, cursor.before === undefined ? { limit: pageSize } : { before: cursor.before, limit: pageSize })
      // A client's newest page ends with its pending messages, which are no place in the store's order.
      const stored = raw.filter(v => v.pending !== true)
      const judge = (read: readonly MessageView[]): void => {
        spent += read.length
        const candidates = read.filter(v => {
          if (v.action !== undefined || v.deleted === true || v.lamport < floor) return false
          if (by !== undefined && !by.has(v.author)) return false
          const when = writtenAt(v)
          return (since === undefined || when >= since) && (until === undefined || when < until)
        })
        spent += candidates.length
        const shown = candidates.flatMap(v => c.reveal(v) ?? [])
        const page = this.#edits?.page(shown) ?? shown
        for (let i = page.length - 1; i >= 0; i--) {
          const v = page[i]!
          // A file's message is found by its caption, or by its name without one, as #searchable finds it.
          if (v.deleted === true || (narrowing !== undefined && !narrowing.test(v))) continue
          const marked = match(v)
          if (marked !== undefined) hits.push(sealedHit(cursor.room, v, marked, directs.get(cursor.room)))
        }
      }
      judge(raw)
      const edge = stored[0]
      // A whole page that arrived before the first day asked for: what is older in the conversation's order arrived
      // before it too, save a message written offline (its Lamport time that of long ago) caught up on late, or one
      // whose arrival is not known (imported from before SQLite). Those are read, however far down, and the walk
      // leaves the conversation: nothing else older can be a hit (a message is never dated after it arrived).
      const before = oldest !== undefined && stored.length > 0 && stored.every(v => (v.deliveredAt ?? writtenAt(v)) < oldest)
      if (edge !== undefined && stored.length === pageSize && before) judge(ordering.arrivedBelow(cursor.room, edge.id, oldest, Math.max(0, Math.floor((budget - spent) / 2))))
      if (edge === undefined || stored.length < pageSize || before) open.splice(at, 1)
      else Object.assign(cursor, { before: edge.id, lamport: edge.lamport })
    }
    // Newest first across the conversations, as the search shows them (a remembered walk hands out its first).
    return hits.sort((a, b) => b.lamport - a.lamport || (a.author < b.author ? 1 : a.author > b.author ? -1 : 0))
  }

  /**
   * A sealed conversation's newest messages as shown (opened, edits applied, deleted and
   * file ones left out), cut into words: kept between searches (typing asks at each pause)
   * until something arrives or changes in it. With them, where they end (the oldest
   * message read, `before`) and whether they are the `whole` conversation.
   */
  #searchable (room: string, limit: number): { items: ReadonlyArray<{ view: MessageView, words: Tokenized }> } & Omit<SealedCursor, 'room'> {
    let kept = this.#sealedText.get(room)
    if (kept === undefined || kept.limit < limit) {
      // A file's message is found by its caption, or by its name without one, as the index finds a public one.
      const shown = this.history(room, { limit })
      const edge = shown[0]
      kept = {
        limit,
        items: shown.filter(v => v.deleted !== true).map(view => ({ view, words: tokenize(view.text) })),
        whole: shown.length < limit,
        ...(edge !== undefined ? { before: edge.id, lamport: edge.lamport } : {})
      }
      this.#sealedText.set(room, kept)
    }
    if (kept.limit === limit || kept.items.length <= limit) return kept
    // Kept for a search that could open more: its newest `limit`, older ones read from the oldest of them.
    const items = kept.items.slice(-limit)
    return { items, whole: false, before: items[0]!.view.id, lamport: items[0]!.view.lamport }
  }

  /** The opened text of sealed conversations is kept while searches come; after a quiet spell it goes (the next search opens it again). */
  #letGoLater (): void {
    if (this.#sealedIdle !== undefined) clearTimeout(this.#sealedIdle)
    this.#sealedIdle = undefined
    if (this.#sealedText.size === 0 && this.#olderWalks.size === 0) return
    this.#sealedIdle = setTimeout(() => {
      this.#sealedIdle = undefined
      this.#forgetSealedText()
    }, this.#opts.sealedSearchIdleMs ?? SEALED_SEARCH_IDLE_MS)
    this.#sealedIdle.unref?.()
  }

  #forgetSealedText (): void {
    this.#sealedText.clear()
    this.#olderWalks.clear()
  }

  /** How many messages of sealed conversations a search holds opened in memory now. */
  #sealedHeld (): number {
    let n = 0
    for (const kept of this.#sealedText.values()) n += kept.items.length
    return n
  }

  /** Who posted in a room, each once, the latest first: what a public room's member list is made of. */
  authors (room: string): RoomAuthor[] { return this.#ordering?.authors(normalizeRoom(room)) ?? [] }
  /** Whether `room` has messages and every one is by someone blocked here. */
  writtenOnlyByBlocked (room: string): boolean { return this.#ordering?.writtenOnlyByBlocked(normalizeRoom(room)) ?? false }

  rooms (): string[] { return this.#rooms.list() }

  /** A new invite-only room named `name`, with us as its creator and only member. */
  async createPrivateRoom (name: string): Promise<PrivateRoomView> { return await this.#members().create(name) }

  /** Join an invite-only room with its code (InvalidInviteError, or NotAMemberError when it removed us). */
  async joinInvite (code: string): Promise<PrivateRoomView> { return await this.#members().join(code) }

  /** What joining with `code` would do, its keys not taken: `refused` says why it no longer lets us in (a room we left or were removed from). */
  checkInvite (code: string): InviteCheck { return this.#members().check(code) }

  /** A code to invite someone with: it carries the room's keys, so share it only with whom you invite. */
  invite (room: string): string { return this.#members().invite(normalizeRoom(room)) }

  /** Send `room`'s invite code to `to` in a direct message, sealed for them alone (it shows there as an invitation): the code. */
  async sendInvite (room: string, to: string): Promise<string> {
    const name = normalizeRoom(room)
    const again = this.#members().view(name).invited?.includes(to) === true
    const code = await this.#members().inviteTo(name, to)
    try {
      await this.send('', code, { to })
    } catch (err) {
      if (!again) this.#members().uninvite(name, to)
      throw err
    }
    return code
  }

  /** Leave an invite-only room: its members hear it, and its keys are forgotten here (its history no longer opens). The rooms we are in now. */
  async leavePrivateRoom (room: string): Promise<PrivateRoomView[]> {
    await this.#members().leave(normalizeRoom(room))
    this.#sealedText.delete(normalizeRoom(room))
    for (const [key, walk] of this.#olderWalks) if (walk.rooms.has(normalizeRoom(room))) this.#olderWalks.delete(key)
    return this.privateRooms()
  }

  /** Rename an invite-only room (the creator only): every member's list shows the new name. */
  async renamePrivateRoom (room: string, name: string): Promise<PrivateRoomView> { return await this.#members().rename(normalizeRoom(room), name) }

  /** Remove a member (the creator only): the others get a new key the removed one never sees. */
  async removeMember (room: string, peerId: string): Promise<PrivateRoomView> { return await this.#members().remove(normalizeRoom(room), peerId) }

  /** Give the room's keys to a member who joined with an invite from before a change of members (the creator only). */
  async giveRoomKeys (room: string, peerId: string): Promise<PrivateRoomView> { return await this.#members().giveKeys(normalizeRoom(room), peerId) }

  /** An invite-only room we know: its name, creator and current members. */
  privateRoom (room: string): PrivateRoomView { return this.#members().view(normalizeRoom(room)) }

  /** The invite-only rooms we were let into (also those that removed us since). */
  privateRooms (): PrivateRoomView[] { return this.#conversations === undefined ? [] : this.#members().all() }

  /**
   * A room's members changed: an edit, delete, reaction or pin a removed member made after its
   * removal, taken in here before we heard of it, no longer counts, as it never did for those
   * who heard first (and one invited back counts again). The actions of each author the room now
   * judges otherwise by when they wrote (PrivateRooms.judged) are read in again, over the room's whole
   * history, and hosts told of each message shown otherwise now, however old: a window may show it on
   * an older page, and lists the room's pins (its count with them). Only those authors': every one
   * ever removed, read again at each rename, invite, join or key, would cost a room with many
   * removals (or one member who left after thousands of reactions) that whole history every time.
   */
  #retake (view: PrivateRoomView): void {
    const { room } = view
    const edits = this.#edits
    const store = this.#store
    const conversations = this.#conversations
    if (edits === undefined || store === undefined || conversations === undefined) return
    const now = this.#judgement(room)
    const before = this.#judgedAs.get(room)
    this.#judgedAs.set(room, now)
    // Which key opens a message is part of how it is judged: keys other than the same ones and more (a room left and joined again) judge all anew.
    const was = before !== undefined && before.keys.every((key, i) => now.keys[i] === key) ? before.by : undefined
    const targets = new Set<string>()
    for (const [author, by] of now.by) {
      if (was?.get(author) === by) continue
      for (const m of store.actionsBy(room, author)) if (m.action !== undefined) targets.add(m.action.target)
    }
    for (const now of edits.retake(targets)) this.#events.emit({ ...now, type: 'message:updated' })
    this.#askAgain(targets)
  }

  /** The targets of the actions of those each invite-only room judges otherwise (removed, left), asked for again where wiped (#askAgain). */
  #askAgainAtStart (store: EngineStore): void {
    const rooms = this.#conversations?.rooms
    if (rooms === undefined || !(this.#ordering instanceof LamportOrdering)) return
    const targets = new Set<string>()
    for (const room of rooms.rooms()) {
      for (const author of rooms.judged(room).keys()) {
        for (const m of store.actionsBy(room, author)) if (m.action !== undefined) targets.add(m.action.target)
      }
    }
    if (targets.size > 0) this.#askAgain(targets)
  }

  /**
   * Of these messages, those whose delete was taken back though their words were wiped here (a tombstone
   * is stored, and shows deleted) are asked for again from the peers (refetch.ts), once each: those who
   * never counted the delete still hold them. One nobody holds any more stays deleted.
   */
  #askAgain (targets: Iterable<string>): void {
    const ordering = this.#ordering
    if (!(ordering instanceof LamportOrdering)) return
    const wiped = this.#edits?.wiped(targets) ?? []
    if (wiped.length > 0) ordering.refetch.ask(wiped)
  }

  /**
   * A message asked for again (or an edit of it) came back as signed (its body hashes to its id): unless
   * its delete counts again meanwhile, it is put back in the store (its words searchable again, a sealed one sealed as it
   * came) and in memory (served as it is again), and hosts are told it with its text.
   */
  #restored (m: ChatMessage): void {
    const store = this.#store
    const edits = this.#edits
    const ordering = this.#ordering
    if (store === undefined || edits === undefined || !(ordering instanceof LamportOrdering)) return
    // The message itself, or one of its author's edits of it.
    if (m.action !== undefined && m.action.kind !== 'edit') return
    const target = m.action?.target ?? m.id
    if (edits.deletes(target) || !store.restore(m)) return
    ordering.restoreText(m)
    // Its events read in again: an edit's words count as written.
    edits.retake([target])
    const now = edits.view(target)
    if (now !== undefined) this.#events.emit({ ...now, type: 'message:updated' })
  }

  /**
   * The removal of `peer` from `room` is heard now: its messages from after the removal that
   * were shown here (in a mesh, one can arrive first) are told `refused`, once, so hosts take
   * them away, however old (read through the author's index, not the room's newest page). Its edits,
   * deletes and reactions were taken in and are left out here: #retake, right after, takes them back.
   */
  #refuseLater (room: string, peer: string): void {
    const edits = this.#edits
    const ordering = this.#ordering
    const conversations = this.#conversations
    // A hub delivers the removal and what follows it in one order: only a mesh shows one first.
    if (edits === undefined || conversations === undefined || !(ordering instanceof LamportOrdering)) return
    for (const raw of ordering.byAuthor(room, peer)) {
      if (raw.action !== undefined || edits.took(raw.id) || !conversations.rooms.afterRemoval(raw)) continue
      const { action: _action, ...rest } = raw
      this.#events.emit({ ...rest, text: '', type: 'message:updated', refused: true })
    }
  }

  /** What `room` judges its removed members and leavers by now (#retake), with the keys that say which key opens a message. */
  #judgement (room: string): { keys: readonly string[], by: Map<string, string> } {
    const rooms = this.#conversations?.rooms
    return { keys: rooms?.keysOf(room)?.keys ?? [], by: rooms?.judged(room) ?? new Map<string, string>() }
  }

  /** The messages that an edit, delete, reaction or pin of ours in `room` targets which reached nobody (we had been removed), over its whole history. */
  #refusedActions (room: string): string[] {
    const store = this.#store
    const conversations = this.#conversations
    if (store === undefined || conversations === undefined) return []
    return [...store.actionsBy(room, this.peerId)].flatMap(m => {
      const shown = conversations.reveal(messageView(m))
      return shown?.refused === true && shown.action !== undefined ? [shown.action.target] : []
    })
  }

  /** The name a peer goes by here, if known: what a refusal calls them. */
  #nameOf (peer: string): string | undefined {
    return this.#live.people.of(peer)?.name || this.#ordering?.transport.peers().find(p => p.peerId === peer)?.name
  }

  #members (): Memberships {
    const conversations = this.#conversations
    if (conversations === undefined) throw new NotStartedError('the engine is not running')
    return new Memberships(conversations, {
      self: this.peerId,
      send: async content => await this.#compose(this.#running(), content),
      lastOf: author => this.#ordering?.lastOf?.(author),
      nameOf: peer => this.#nameOf(peer),
      past: room => this.#pastOf(room)
    })
  }

  /** A room's stored messages, oldest first, as stored (sealed): the newest MAX_LEARNED of them, read a page at a time. */
  #pastOf (room: string): MessageView[] {
    const ordering = this.#ordering
    if (ordering === undefined) return []
    const pages: MessageView[][] = []
    let n = 0
    for (let page = ordering.history(room, { limit: LEARN_PAGE }); page.length > 0 && n < MAX_LEARNED;) {
      pages.unshift(page)
      n += page.length
      // A client's newest page ends with its pending messages; the page's first is in the store's order.
      if (page.length < LEARN_PAGE) break
      page = ordering.history(room, { before: page[0]!.id, limit: LEARN_PAGE })
    }
    return pages.flat()
  }

  /** The conversation with `peerId` (new or not): UnknownRecipientError when it cannot receive a DM. Kept listed across restarts. */
  openDm (peerId: string): DirectView {
    this.#running()
    // A client's peer list is the hub: its fellow clients are named by presence.
    const view = this.#conversations!.open(peerId, this.peers().find(p => p.peerId === peerId)?.name || this.#live.people.of(peerId)?.name || undefined)
    const state = this.#store!.state
    if (state.closedDirects?.[peerId] !== undefined) {
      delete state.closedDirects[peerId]
      this.#store!.changed()
    }
    if (state.directs?.includes(peerId) !== true) {
      state.directs = [...(state.directs ?? []), peerId].slice(-MAX_KEPT_DIRECTS)
      this.#store!.changed()
    }
    return view
  }

  /** The conversations opened in an earlier run are listed again, written in or not (one that no longer opens is dropped). */
  #reopenDirects (store: EngineStore): void {
    const ids = store.state.directs
    if (ids === undefined || this.#conversations === undefined) return
    const names = new Map(this.peers().map(p => [p.peerId, p.name]))
    const kept = ids.filter(id => {
      try { this.#conversations!.open(id, names.get(id) || undefined); return true } catch { return false }
    })
    if (kept.length !== ids.length) { store.state.directs = kept; store.changed() }
  }

  joinRoom (room: string): void {
    const name = normalizeRoom(room)
    // An invite-only room is entered with its invite; one we are in is simply there.
    if (isPrivateRoom(name)) { this.privateRoom(name); return }
    this.#rooms.note(publicRoom(name))
  }

  /** Stop listing a room (its history stays; a new message in it lists it again). */
  leaveRoom (room: string): void { this.#rooms.leave(normalizeRoom(room)) }

  /**
   * Every peer we know of: those the transport knows (linked, or known from
   * before) and, in a mesh, those only heard of through it (their presence
   * travels further than our links).
   */
  peers (): PeerView[] {
    // A build not said on a link of ours (a peer heard of through the mesh, or gone): its last known one, from its hello or its own claim.
    const built = (peerId: string): { build?: PeerBuild } => {
      const app = this.#live.people.buildOf(peerId)
      return app !== undefined ? { build: peerBuild(app, FEATURE_LEVEL) } : {}
    }
    const listed = (this.#ordering?.transport.peers() ?? []).map(p => {
      const live = this.#presenceOf(p.peerId)
      return { ...(p.build === undefined ? built(p.peerId) : {}), ...p, fingerprint: fingerprint(p.peerId), ...(live !== undefined ? { presence: live.state, ...(live.lastSeen !== undefined ? { lastSeen: live.lastSeen } : {}), ...statusOf(live) } : {}) }
    })
    const seen = new Set(listed.map(p => p.peerId))
    // A client's blocked people: listed (with the mark) where the window unblocks them.
    for (const { peerId, name } of this.#ordering?.blockedPeople?.() ?? []) {
      if (seen.has(peerId)) continue
      seen.add(peerId)
      const live = this.#presenceOf(peerId)
      listed.push({ peerId, name: live?.name || name, connected: false, blocked: true, connections: [], fingerprint: fingerprint(peerId), ...built(peerId), ...(live !== undefined ? { presence: live.state, ...(live.lastSeen !== undefined ? { lastSeen: live.lastSeen } : {}), ...statusOf(live) } : {}) })
    }
    if (this.#ordering?.listsHeardOf !== true) return listed
    for (const live of this.presence()) {
      if (seen.has(live.peerId) || live.peerId === this.peerId) continue
      listed.push({ peerId: live.peerId, name: live.name, connected: false, connections: [], fingerprint: fingerprint(live.peerId), ...built(live.peerId), presence: live.state, ...(live.lastSeen !== undefined ? { lastSeen: live.lastSeen } : {}), ...statusOf(live) })
    }
    return listed
  }

  /**
   * Say we are typing in `room` (a DM room: only its other end hears it). At
   * most once every 3 s: false when nothing went out. Never stored or synced.
   */
  typing (room: string): boolean { return this.#live.typing(normalizeRoom(room)) }

  /** Online or away (idle, or set by hand); peers hear it, hosts get our own `peer:presence`. */
  setPresence (state: OwnPresence): void { this.#running(); this.#live.setPresence(state) }

  /** Everyone whose presence we know (in client mode, the hub's other clients), us included once set. */
  presence (): PresenceView[] { return this.#live.people.list().map(v => this.#unworded(v)) }

  /** `peerId`'s presence as hosts are given it (see `#unworded`), if it is known. */
  #presenceOf (peerId: string): PresenceView | undefined {
    const live = this.#live.people.of(peerId)
    return live === undefined ? undefined : this.#unworded(live)
  }

  /**
   * A peer that just connected under the name of another connected peer, or
   * ours: say so (`peer:name-clash`), so the UI can show both fingerprints.
   * Names are compared as people read them (nameKey): case and spacing aside,
   * and a Cyrillic or Greek letter drawn like a Latin one read as that one.
   */
  #checkName (peerId: string, name: string): void {
    const key = nameKey
    if (key(name) === '') return
    const same = this.peers().filter(p => p.connected && p.peerId !== peerId && key(p.name) === key(name)).map(p => p.peerId)
    if (key(this.name) === key(name)) same.unshift(this.peerId)
    if (same.length === 0) {
      this.#clashSaid.delete(peerId)
      return
    }
    // Said once per name taken: a peer that comes back under another's name says hello (a connect) and is renamed at once.
    const said = `${key(name)}\n${same.join(',')}`
    if (this.#clashSaid.get(peerId) === said) return
    if (this.#clashSaid.size >= 10_000) this.#clashSaid.clear()
    this.#clashSaid.set(peerId, said)
    this.#events.emit({
      type: 'peer:name-clash', peerId, name, fingerprint: fingerprint(peerId),
      others: same.map(id => ({ peerId: id, fingerprint: fingerprint(id) }))
    })
  }

  /**
   * Our status in our own words, '' for none: kept in the data directory, and everyone who
   * sees our presence sees it (in a mesh, inside our signed presence claim).
   */
  async setStatus (status: string, options: { until?: number } = {}): Promise<void> {
    await this.#switching.catch(() => {})
    this.#running()
    const me = this.#me!
    const words = normalizeStatus(status)
    const until = words === '' ? undefined : statusUntil(options.until)
    me.status = words
    me.statusUntil = until
    this.#keepStatus(this.#store!.state)
    this.#store!.changed()
    this.#live.setStatus(me.status, me.statusUntil)
    this.#clearStatusLater()
  }

  /** Our status as set, '' for none. */
  get status (): string { return this.#me?.status ?? '' }
  /** When our status clears itself (ms), if it was set to. */
  get statusUntil (): number | undefined { return this.#me?.statusUntil }

  /** Our status into the kept state. */
  #keepStatus (state: { status?: string, statusUntil?: number }): void {
    const me = this.#me!
    state.status = me.status ?? ''
    if (me.statusUntil !== undefined) state.statusUntil = me.statusUntil
    else delete state.statusUntil
  }

  /** A status set to clear itself is cleared when its time comes (and is none at a start after it). */
  #clearStatusLater (): void {
    clearTimeout(this.#statusTimer)
    this.#statusTimer = undefined
    const until = this.#me?.statusUntil
    if (until === undefined) return
    // A timer's longest wait is about 24.8 days; a status lasts a week at most.
    this.#statusTimer = setTimeout(() => {
      this.#statusTimer = undefined
      if (this.#me?.statusUntil !== until || this.#store === undefined) return
      this.setStatus('').catch((err: unknown) => { this.#log(`could not clear the status: ${(err as Error).message}`) })
    }, Math.max(0, until - Date.now()))
    this.#statusTimer.unref?.()
  }

  async setName (name: string): Promise<void> {
    await this.#switching.catch(() => {})
    const ordering = this.#running()
    const me = this.#me!
    me.name = normalizeName(name)
    this.#store!.state.name = me.name
    this.#store!.changed()
    ordering.renamed(me.name)
  }

  /** Who delivered a message, as far as receipts have told us (P2P; none in client mode). */
  receiptsOf (id: string): Receipt[] { return this.#ordering?.receiptsOf(id) ?? [] }

  /** What a stored message (any: an edit, a reaction, a room's note too) depends on, its author's previous first, and its Lamport time. */
  causalOf (id: string): { deps: string[], lamport: number } | undefined {
    const m = this.#store?.message(id)
    return m === undefined ? undefined : { deps: m.prev === '' ? m.deps : [m.prev, ...m.deps], lamport: m.lamport }
  }

  /** The round trip to a connected peer, in ms. */
  async ping (peerId: string, options: { signal?: AbortSignal } = {}): Promise<number> {
    return await this.#running().transport.ping(peerId, options)
  }

  /** The contrast figures (see stats.ts), the same shape in every mode. */
  stats (): EngineStats & Record<string, unknown> {
    const o = this.#ordering
    return {
      mode: this.#mode,
      orderedBy: o?.orderedBy ?? (this.#mode === 'p2p' ? 'lamport' : 'server-seq'),
      order: o?.orderText ?? '',
      connections: o?.links() ?? [],
      sent: this.#counters.sent,
      received: this.#counters.received,
      relayed: o?.relayed() ?? 0,
      ...this.#counters.figures(),
      wire: wireFigures(o?.transport.sentOnWire() ?? { envelopes: 0, bytes: 0 }, this.#counters.sent + this.#counters.received),
      failure: o?.failure() ?? { state: 'down', summary: 'not running' },
      sealedSearchHeld: this.#sealedHeld(),
      ...o?.extras()
    }
  }
}

/** `listen` with each port 0 replaced by the port the engine got (from its multiaddrs). */
/** A conversation as an error names it: a public room by its name, a direct or invite-only one by what it is. */
function where (room: string): string {
  return isDmRoom(room) ? 'a direct conversation' : isPrivateRoom(room) ? 'an invite-only room' : `#${room}`
}

function boundListen (listen: string[] | undefined, addrs: string[]): string[] | undefined {
  const port = /\/tcp\/(\d+)/.exec(addrs[0] ?? '')?.[1]
  if (listen === undefined || port === undefined) return undefined
  return listen.map(a => a.replace(/\/tcp\/0(?=\/|$)/, `/tcp/${port}`))
}
