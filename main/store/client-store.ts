import type { ChatMessage } from '../core/message.js'
import type { SequencedMessage } from '../net/hub-codec.js'
import type { AppBuild } from '../core/build.js'
import { ChatDb, keptPeerTimes, keptDirects, readBlocked, readBuilds, readForgotten, readKnownName, writeBlocked, writeBuilds, writeForgotten } from './db.js'
import type { MessageTable } from './messages.js'
import { savedAt, savedCount, savedMessages, saveMessage, unsaveMessage, type SavedRow } from './saved.js'
import { dropUnsent, keepUnsent, unsentMessages, type UnsentRow } from './unsent.js'
import { MAX_KNOWN_PEERS } from './peer-store.js'

const SCOPE = 'client'

export interface ClientState {
  /** The hub whose numbers the shown history carries. */
  serverId?: string
  /** Last server address that worked, to redial after a restart. */
  serverAddr?: string
  /** The hub's name as it last said it: the peer list names it while it cannot be reached. */
  serverName?: string
  /**
   * The largest file that hub said it stores (bytes), as its last hello said: a file over it is
   * refused before hashing while the hub cannot be reached, until a new hello says otherwise.
   */
  serverMaxFileBytes?: number
  name?: string
  /** Our status in our own words, '' for none. */
  status?: string
  /** When it clears itself (ms), if it was set to. */
  statusUntil?: number
  clock: number
  /** Our newest own message (number and id): the next one chains on it. */
  chainSeq: number
  chainId: string
  rooms: string[]
  directs?: string[]
  closedDirects?: Record<string, number>
}

/**
 * What a client keeps in the data directory's database (the P2P peer's
 * messages are another scope of it: the two modes share the identity key and
 * nothing else): each hub's messages with that hub's numbers — a different
 * hub's history is kept apart, never merged — own messages still pending
 * (committed before they are submitted, so a kill -9 loses none), and a small
 * state.
 */
export class ClientStore {
  readonly messages: MessageTable
  /** Each peer's last known build, as the last run kept it (in either mode: one list for both): the list tags them before the hub tells them again. */
  readonly keptBuilds: Record<string, AppBuild>
  /** What to keep of the builds at the next write, once they changed. */
  #builds: (() => Record<string, AppBuild>) | undefined
  #timer: NodeJS.Timeout | undefined

  private constructor (readonly db: ChatDb, public state: ClientState) {
    this.messages = db.messages(SCOPE)
    this.keptBuilds = readBuilds(db, MAX_KNOWN_PEERS)
  }

  /** The peers' builds changed (the hub told one): `now` says them, written with the state (at most every 200 ms, and on close). */
  buildsChanged (now: () => Record<string, AppBuild>): void {
    this.#builds = now
    this.changed()
  }

  /** Open the client's part of `dataDir`'s database for the client whose peer id is `self`. */
  static open (dataDir: string, self: string, onLateProblem?: (problem: string) => void): { store: ClientStore, problems: string[] } {
    const { db, problems } = ChatDb.open(dataDir, onLateProblem)
    const raw = (db.getJson(SCOPE, 'state') ?? {}) as Partial<ClientState>
    const closedDirects = keptPeerTimes(raw.closedDirects)
    const directs = keptDirects(raw.directs)
    const state: ClientState = {
      ...(typeof raw.serverId === 'string' ? { serverId: raw.serverId } : {}),
      ...(typeof raw.serverAddr === 'string' ? { serverAddr: raw.serverAddr } : {}),
      ...(typeof raw.serverName === 'string' ? { serverName: raw.serverName.slice(0, 200) } : {}),
      ...(Number.isSafeInteger(raw.serverMaxFileBytes) && raw.serverMaxFileBytes! > 0 ? { serverMaxFileBytes: raw.serverMaxFileBytes! } : {}),
      ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
      ...(typeof raw.status === 'string' ? { status: raw.status } : {}),
      ...(Number.isSafeInteger(raw.statusUntil) ? { statusUntil: raw.statusUntil! } : {}),
      clock: Number.isSafeInteger(raw.clock) ? raw.clock! : 0,
      chainSeq: Number.isSafeInteger(raw.chainSeq) ? raw.chainSeq! : 0,
      chainId: typeof raw.chainId === 'string' ? raw.chainId : '',
      rooms: Array.isArray(raw.rooms) ? raw.rooms.filter(r => typeof r === 'string').slice(0, 1000) : ['lobby'],
      ...(directs !== undefined ? { directs } : {}),
      ...(closedDirects !== undefined ? { closedDirects } : {})
    }
    const store = new ClientStore(db, state)
    // The messages are the truth for the chain and the clock; the state may lag them.
    state.clock = Math.max(state.clock, store.messages.maxLamport())
    const last = store.messages.lastBy(self)
    if (last !== undefined && last.seq > state.chainSeq) {
      state.chainSeq = last.seq
      state.chainId = last.id
    }
    return { store, problems }
  }

  /** The name `peerId` had when peer to peer mode last met it (a blocked peer who never wrote to this hub). */
  knownName (peerId: string): string | undefined { return readKnownName(this.db, peerId) }

  /** The peers this person blocked (the same list as in P2P mode). */
  blocked (): string[] { return readBlocked(this.db) }
  setBlocked (peerIds: readonly string[]): void { writeBlocked(this.db, peerIds) }
  forgotten (): Record<string, number> { return readForgotten(this.db) }
  setForgotten (forgotten: Record<string, number>): void { writeForgotten(this.db, forgotten) }

  /** Messages saved for later: one list for both modes, as the blocked ones (saved.ts). */
  saved (): SavedRow[] { return savedMessages(this.db) }
  savedAt (id: string): number | undefined { return savedAt(this.db, id) }
  savedCount (): number { return savedCount(this.db) }
  keepUnsent (m: ChatMessage, reason: string): void { keepUnsent(this.db, m, reason) }
  unsent (): UnsentRow[] { return unsentMessages(this.db) }
  dropUnsent (id: string): boolean { return dropUnsent(this.db, id) }
  save (id: string, at: number): boolean { return saveMessage(this.db, id, at) }
  unsave (id: string): boolean { return unsaveMessage(this.db, id) }

  /** The hub whose history is shown ('' before the first hub). */
  get hub (): string { return this.state.serverId ?? '' }

  /** Own messages no hub has numbered yet, oldest first. */
  pending (): ChatMessage[] {
    return this.messages.pending().map(s => s.message)
  }

  /** A message of the current hub's history, or a pending own one. */
  message (id: string): ChatMessage | undefined {
    return this.messages.get(id, this.hub)?.message ?? this.messages.get(id, '')?.message
  }

  /** Edits, deletes and reactions on these messages: the current hub's and our pending ones. */
  * actionsOn (ids: readonly string[]): Generator<ChatMessage> {
    if (this.hub !== '') yield * this.messages.actionsOn(ids, this.hub)
    yield * this.messages.actionsOn(ids, '')
  }

  /** The actions `author` wrote in `room`: in the current hub's history, and our pending ones. */
  * actionsBy (room: string, author: string): Generator<ChatMessage> {
    if (this.hub !== '') yield * this.messages.actionsBy(room, author, this.hub)
    yield * this.messages.actionsBy(room, author, '')
  }

  /** The messages pinned or unpinned in `room`: by the current hub's history and our pending ones. */
  pinTargets (room: string): string[] {
    return [...new Set([...(this.hub !== '' ? this.messages.pinTargets(room, this.hub) : []), ...this.messages.pinTargets(room, '')])]
  }

  /** Only numbered messages: a pending one must reach the hub signed, as it was written. */
  sharesFile (sha256: string): boolean { return this.db.sharesFile(sha256) }
  sharedBy (sha256: string, author: string): boolean { return this.db.sharedBy(sha256, author) }

  redact (ids: readonly string[]): void {
    if (this.hub !== '') this.messages.redact(ids, this.hub)
  }

  /** A hub's history is the hub's: nothing is asked for again in client mode. */
  restore (m: ChatMessage): boolean { return this.hub !== '' && this.messages.restore(m, this.hub) }

  changed (): void {
    this.#timer ??= setTimeout(() => {
      // A full disk: the state waits for the next change; never an uncaught error from a timer (a hub's word of a build schedules one too).
      try { this.flush() } catch { this.#timer = undefined }
    }, 200)
  }

  flush (): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#builds !== undefined) {
      writeBuilds(this.db, this.#builds())
      this.#builds = undefined
    }
    this.db.setJson(SCOPE, 'state', this.state)
  }

  /** Commit an own message as pending before it is submitted or announced. */
  addPending (m: ChatMessage): void {
    this.db.transaction(() => { this.messages.insert([{ message: m, pending: true }]) })
  }

  /** Commit what the current hub numbered (one transaction); they stop being pending. */
  addDelivered (items: readonly SequencedMessage[], deliveredAt: number, via: string): void {
    const hub = this.hub
    this.db.transaction(() => {
      const stored = items.map(i => ({ message: i.message, hub, num: i.seq, deliveredAt, via, hops: 1, ...(i.clockOff !== undefined ? { clockOff: i.clockOff } : {}) }))
      const sealedFrom = this.messages.insert(stored)
      for (const i of items) this.messages.remove(i.message.id, '')
      this.messages.noteSealed(sealedFrom)
    })
  }

  unsettled (): string[] { return this.messages.unsettled() }
  settled (): void { this.messages.settled() }

  /**
   * The hub refused a pending message: it will never be delivered. One a restored hub lost, taken back, is set aside
   * again (true), apart from what it lost (`<hub>/refused-<time>`): `takeBack` does not read it, or every later link
   * would submit it again, to be refused and told Not sent once more.
   */
  cancel (id: string): boolean {
    return this.db.transaction(() => this.messages.unpend(id, `${this.hub}/refused-${Date.now()}`))
  }

  /**
   * Our own messages the current hub lost (its data restored from an older backup), pending again to be
   * submitted again, in chain order: those after number `after` of our chain (the hub's hello says how far
   * it has it), in what the hub lost set aside and, when `current`, in its history as we hold it too.
   */
  takeBack (self: string, after: number, current: boolean): ChatMessage[] {
    const hub = this.hub
    return hub === '' ? [] : this.db.transaction(() => this.messages.takeBack(self, after, hub, current))
  }

  /**
   * A different hub: its numbers mean nothing next to the old one's. The old
   * history stays in the database under its hub (set aside, not merged);
   * the new hub's is shown from now on. Pending messages stay pending.
   */
  /**
   * The current hub has only `num` numbers, fewer than we hold (its data restored from an older
   * backup): the messages it lost are set aside under a history of their own (`<hub>/lost-<time>`),
   * kept, not shown, so its numbers from `num` on are not mixed with them. How many.
   */
  setAsideAbove (num: number): number {
    return this.hub === '' ? 0 : this.messages.setAside(this.hub, num, `${this.hub}/lost-${Date.now()}`)
  }

  switchServer (serverId: string): void {
    this.state.serverId = serverId
    // The old hub's largest file says nothing of this one's: its hello tells.
    delete this.state.serverMaxFileBytes
    this.flush()
  }

  close (): void {
    if (!this.db.isOpen) return
    this.flush()
    this.db.close()
  }
}
