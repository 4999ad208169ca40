import type { ChatMessage } from '../core/message.js'
import type { AppBuild } from '../core/build.js'
import { ChatDb, keptPeerTimes, keptDirects, readBlocked, readBuilds, readForgotten, writeBlocked, writeBuilds, writeForgotten } from './db.js'
import type { MessageTable, StoredMessage } from './messages.js'
import { savedAt, savedCount, savedMessages, saveMessage, unsaveMessage, type SavedRow } from './saved.js'
import { dropUnsent, keepUnsent, unsentMessages, type UnsentRow } from './unsent.js'

export interface KnownPeer { addrs: string[], name: string, lastSeen: number }

export interface State {
  clock: number
  name?: string
  /** Our status in our own words, '' for none. */
  status?: string
  /** When it clears itself (ms), if it was set to. */
  statusUntil?: number
  rooms: string[]
  directs?: string[]
  closedDirects?: Record<string, number>
  blocked: string[]
  peers: Record<string, KnownPeer>
  /** The port the mesh listened on last, so addresses others saved stay good (unless --listen says otherwise). */
  port?: number
}

/** "Peer `by` delivered message `id` at Lamport time `lamport` (wall clock `at`)." */
export interface KeptReceipt { id: string; by: string; lamport: number; at: number }

const SCOPE = 'p2p'

/**
 * The peers kept in the book: the most recently seen this many. A classroom's teacher meets a
 * new class every hour; unbounded, the book would list and redial every student of the year.
 * One dropped is found again by mDNS, peer exchange or a dial, as a new peer is.
 */
export const MAX_KNOWN_PEERS = 1000
/** A peer not seen for this long is dropped from the book: at a start, and every AGE_OUT_EVERY_MS while running. */
export const KNOWN_PEER_MAX_AGE_MS = 180 * 24 * 3600_000
/** How often a running store drops the peers not seen for KNOWN_PEER_MAX_AGE_MS: an always-on desk runs for months. */
export const AGE_OUT_EVERY_MS = 24 * 3600_000

/** What a running age-out asks of its owner: whom not to drop (linked now, so seen now), and whom it dropped. */
export interface AgeOutHooks {
  linked: () => Iterable<string>
  dropped: (peerIds: string[]) => void
}

/**
 * What a P2P peer keeps in its data directory's database beside its identity
 * key (identity.ts): the delivered messages with their signed bytes (read
 * back a page or an author's chunk at a time, never all at once), a small
 * state (clock, name, rooms) and the known and blocked
 * peers. Messages are written in one transaction per batch, before anyone
 * hears of them; the state is written at most every 200 ms (the clock is
 * also recomputed from the messages on open, so a lagging state loses nothing).
 */
export class PeerStore {
  readonly messages: MessageTable
  /** Each peer's last known build, as the last run kept it (MAX_KNOWN_PEERS, those of peers that linked or wrote first: LivePeople.builds): the list tags it before it says it again. */
  readonly keptBuilds: Record<string, AppBuild>
  /** What to keep of the builds at the next write, once they changed. */
  #builds: (() => Record<string, AppBuild>) | undefined
  #timer: NodeJS.Timeout | undefined
  #receipts: KeptReceipt[] = []
  /** Receipts the engine reads back at a start (receipts(keep)): the table keeps about as many while it runs too. */
  #receiptsKept: number | undefined
  /** Receipts written since the table was last cut back to #receiptsKept. */
  #receiptsSinceTrim = 0
  /** The daily age-out of the book while running (cleared on close). */
  readonly #ageTimer: NodeJS.Timeout
  /** Set by the mesh once it runs: the age-out spares its links and tells it whom it dropped. */
  ageOutHooks: AgeOutHooks | undefined

  private constructor (readonly db: ChatDb, readonly state: State, ageOutEveryMs: number) {
    this.messages = db.messages(SCOPE)
    this.keptBuilds = readBuilds(db, MAX_KNOWN_PEERS)
    this.#ageTimer = setInterval(() => { this.ageOutPass() }, ageOutEveryMs)
    this.#ageTimer.unref()
  }

  /** The peers' builds changed: `now` says them, written with the state (at most every 200 ms, and on close). */
  buildsChanged (now: () => Record<string, AppBuild>): void {
    this.#builds = now
    this.changed()
  }

  /**
   * Open the store; `problems` are for the user (a damaged database set aside, old files imported), as is
   * `onLateProblem` (damage found after the start). `ageOutEveryMs`: how often the book ages out while running.
   */
  static open (dataDir: string, onLateProblem?: (problem: string) => void, { ageOutEveryMs = AGE_OUT_EVERY_MS }: { ageOutEveryMs?: number } = {}): { store: PeerStore, problems: string[] } {
    const { db, problems } = ChatDb.open(dataDir, onLateProblem)
    const raw = db.getJson(SCOPE, 'state') as Partial<State> | undefined
    // Old and surplus peers go (never a blocked one: its row is where it is unblocked).
    db.transaction(() => {
      ageOutBook(db, Date.now(), new Set())
      pruneBook(db, MAX_KNOWN_PEERS)
    })
    const peers: Record<string, KnownPeer> = {}
    for (const r of db.sql('SELECT peer_id, addrs, name, last_seen FROM peers').all() as Array<{ peer_id: string, addrs: string, name: string, last_seen: number }>) {
      peers[r.peer_id] = { addrs: JSON.parse(r.addrs) as string[], name: r.name, lastSeen: r.last_seen }
    }
    const blocked = readBlocked(db)
    const closedDirects = keptPeerTimes(raw?.closedDirects)
    const directs = keptDirects(raw?.directs)
    const state: State = {
      clock: Number.isSafeInteger(raw?.clock) ? raw!.clock! : 0,
      ...(typeof raw?.name === 'string' ? { name: raw.name } : {}),
      ...(typeof raw?.status === 'string' ? { status: raw.status } : {}),
      ...(Number.isSafeInteger(raw?.statusUntil) ? { statusUntil: raw!.statusUntil! } : {}),
      rooms: Array.isArray(raw?.rooms) ? raw.rooms.filter(r => typeof r === 'string').slice(0, 1000) : ['lobby'],
      ...(directs !== undefined ? { directs } : {}),
      ...(closedDirects !== undefined ? { closedDirects } : {}),
      blocked,
      peers,
      ...(Number.isInteger(raw?.port) && raw!.port! > 0 && raw!.port! < 65536 ? { port: raw!.port! } : {})
    }
    return { store: new PeerStore(db, state, ageOutEveryMs), problems }
  }

  /**
   * The running age-out (its timer calls it): the peers not seen for KNOWN_PEER_MAX_AGE_MS leave the
   * book, as at a start, but for a blocked one (its row is where it is unblocked) and one linked now.
   * Those dropped are told to `ageOutHooks` (the mesh dials them no more) and returned.
   */
  ageOutPass (now = Date.now()): string[] {
    if (!this.db.isOpen) return []
    let gone: string[]
    try {
      gone = ageOutBook(this.db, now, new Set(this.ageOutHooks?.linked() ?? []))
    } catch {
      // A full or read-only disk: the next pass (or start) tries again; never an uncaught error from a timer.
      return []
    }
    for (const id of gone) delete this.state.peers[id]
    if (gone.length > 0) this.ageOutHooks?.dropped(gone)
    return gone
  }

  message (id: string): ChatMessage | undefined { return this.messages.get(id)?.message }

  actionsOn (ids: readonly string[]): Iterable<ChatMessage> { return this.messages.actionsOn(ids) }
  actionsBy (room: string, author: string): Iterable<ChatMessage> { return this.messages.actionsBy(room, author) }
  pinTargets (room: string): string[] { return this.messages.pinTargets(room) }

  redact (ids: readonly string[]): void { this.messages.redact(ids) }
  restore (m: ChatMessage): boolean { return this.messages.restore(m) }
  sharesFile (sha256: string): boolean { return this.db.sharesFile(sha256) }
  sharedBy (sha256: string, author: string): boolean { return this.db.sharedBy(sha256, author) }

  /** Schedule a write of the state (name, clock, rooms). */
  changed (): void {
    this.#timer ??= setTimeout(() => {
      // A full disk: the state waits for the next change (the clock is recomputed at start anyway); never an uncaught error.
      try { this.flush() } catch { this.#timer = undefined }
    }, 200)
  }

  flush (): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    const { clock, name, status, statusUntil, rooms, directs, closedDirects, port } = this.state
    if (this.#builds !== undefined) {
      writeBuilds(this.db, this.#builds())
      this.#builds = undefined
    }
    this.db.setJson(SCOPE, 'state', { clock, ...(name !== undefined ? { name } : {}), ...(status !== undefined ? { status } : {}), ...(statusUntil !== undefined ? { statusUntil } : {}), rooms, ...(directs !== undefined ? { directs } : {}), ...(closedDirects !== undefined ? { closedDirects } : {}), ...(port !== undefined ? { port } : {}) })
    this.#writeReceipts()
  }

  /** Keep `peer` in the book; the peers that made room for it (none, mostly), which the mesh stops redialing. */
  rememberPeer (peerId: string, peer: KnownPeer): string[] {
    const fresh = this.state.peers[peerId] === undefined
    this.state.peers[peerId] = peer
    this.db.sql('INSERT OR REPLACE INTO peers (peer_id, addrs, name, last_seen) VALUES (?, ?, ?, ?)').run(peerId, JSON.stringify(peer.addrs), peer.name, peer.lastSeen)
    // Past a tenth over the bound, the least recently seen go (a batch at a time, not one per newcomer).
    const dropped: string[] = []
    if (fresh && Object.keys(this.state.peers).length > MAX_KNOWN_PEERS * 1.1) {
      const kept = new Set(pruneBook(this.db, MAX_KNOWN_PEERS, [...this.ageOutHooks?.linked() ?? []]))
      for (const id of Object.keys(this.state.peers)) {
        if (kept.has(id)) continue
        delete this.state.peers[id]
        dropped.push(id)
      }
    }
    return dropped
  }

  forgetPeer (peerId: string): void {
    if (this.state.peers[peerId] === undefined) return
    const { [peerId]: _gone, ...rest } = this.state.peers
    this.state.peers = rest
    this.db.sql('DELETE FROM peers WHERE peer_id = ?').run(peerId)
  }

  setBlocked (peerIds: string[]): void {
    this.state.blocked = peerIds
    writeBlocked(this.db, peerIds)
  }

  /** Whom this person forgot: one list for both modes, as the blocked ones. */
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

  /** Commit these messages (one transaction) before returning: only then may they be announced. */
  insert (items: readonly StoredMessage[], forks: ReadonlyArray<{ author: string, floor: number }> = []): void {
    this.db.transaction(() => {
      const sealedFrom = this.messages.insert(items)
      for (const f of forks) this.messages.noteFork(f.author, f.floor)
      this.messages.noteSealed(sealedFrom)
    })
  }

  unsettled (): string[] { return this.messages.unsettled() }
  settled (): void { this.messages.settled() }

  /**
   * Keep a delivery receipt, so "delivered to k of n" and the space-time
   * diagram survive a restart and a switch of architecture. Written with the
   * state (at most every 200 ms, and on close), in one transaction.
   */
  keepReceipt (r: KeptReceipt): void {
    this.#receipts.push(r)
    this.changed()
  }

  /** The newest `keep` receipts, oldest first; older ones are deleted (the engine tracks as many). */
  receipts (keep: number): KeptReceipt[] {
    this.#receiptsKept = keep
    this.#trimReceipts(keep)
    // A receipt kept twice (the table has no unique index) is read once, where it was first kept.
    return (this.db.sql('SELECT id, by_peer, lamport, min(at) AS at FROM receipts GROUP BY id, by_peer ORDER BY min(n)').all() as Array<{ id: string, by_peer: string, lamport: number, at: number }>)
      .map(r => ({ id: r.id, by: r.by_peer, lamport: r.lamport, at: r.at }))
  }

  #writeReceipts (): void {
    const batch = this.#receipts
    if (batch.length === 0) return
    this.#receipts = []
    this.db.transaction(() => {
      const insert = this.db.sql('INSERT INTO receipts (id, by_peer, lamport, at) VALUES (?, ?, ?, ?)')
      for (const r of batch) insert.run(r.id, r.by, r.lamport, r.at)
      // A peer that runs for months keeps every peer's receipt of every message: only the newest `keep` are
      // ever read back, so the older go as it runs (a tenth over at most), not only at the next start.
      const keep = this.#receiptsKept
      this.#receiptsSinceTrim += batch.length
      if (keep !== undefined && this.#receiptsSinceTrim >= Math.max(1, Math.ceil(keep / 10))) this.#trimReceipts(keep)
    })
  }

  #trimReceipts (keep: number): void {
    this.#receiptsSinceTrim = 0
    this.db.sql('DELETE FROM receipts WHERE n <= (SELECT max(n) FROM receipts) - ?').run(keep)
  }

  /**
   * Write the state and close. The database closes even when the state cannot
   * be written (a full disk): the messages are committed already, and the
   * clock is recomputed from them at the next start.
   */
  close (): void {
    clearInterval(this.#ageTimer)
    if (!this.db.isOpen) return
    try {
      this.flush()
    } catch {
      // A full or read-only disk: reported on the writes that failed before; closing must not fail too.
    }
    this.db.close()
  }
}

/** Drop the peers not seen for KNOWN_PEER_MAX_AGE_MS before `now`, but the blocked and those in `spare`; the ids dropped. */
function ageOutBook (db: ChatDb, now: number, spare: ReadonlySet<string>): string[] {
  const old = (db.sql('SELECT peer_id FROM peers WHERE last_seen < ? AND peer_id NOT IN (SELECT peer_id FROM blocked)').all(now - KNOWN_PEER_MAX_AGE_MS) as Array<{ peer_id: string }>)
    .map(r => r.peer_id).filter(id => !spare.has(id))
  if (old.length === 0) return []
  db.transaction(() => {
    const drop = db.sql('DELETE FROM peers WHERE peer_id = ?')
    for (const id of old) drop.run(id)
  })
  return old
}

/**
 * Keep `max` peers of the book, and every blocked and every `linked` one; the ids kept. Those who wrote something we
 * keep go last, then the least recently seen: keys cost nothing to make, and a peer linking under a
 * thousand fresh ones must not push the people of our conversations out of the book.
 */
function pruneBook (db: ChatDb, max: number, linked: readonly string[] = []): string[] {
  // Those linked now are seen now (their last_seen says when the link came up): never the ones to go.
  db.sql(`DELETE FROM peers WHERE peer_id NOT IN (SELECT value FROM json_each(?)) AND peer_id NOT IN (
      SELECT p.peer_id FROM peers p
      ORDER BY EXISTS (SELECT 1 FROM messages m WHERE m.scope IN ('p2p', 'client') AND m.author = p.peer_id) DESC, p.last_seen DESC LIMIT ?)
    AND peer_id NOT IN (SELECT peer_id FROM blocked)`).run(JSON.stringify(linked), max)
  return (db.sql('SELECT peer_id FROM peers').all() as Array<{ peer_id: string }>).map(r => r.peer_id)
}
