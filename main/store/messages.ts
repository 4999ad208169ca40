import type { DeliveredIndex } from '../core/delivered.js'
import type { ChatMessage } from '../core/message.js'
import { bodyOf, messageFromBody, redact } from '../net/codec.js'
import type { ChatDb } from './db.js'
import { firstWords, queryTerms, queryWords, sealedMatcher, termGroups, wordForms, type Term } from '../chat/sealed-search.js'
import { UNSPACED_SCAN_ROWS } from '../core/unspaced.js'
import { DATE_SLACK_MS, type Narrowing } from '../core/search-query.js'
import { writtenAt } from '../core/written-at.js'
import { PIN_ROWS_READ, PIN_TARGETS_READ } from '../core/edits.js'
import { bracketed, MATCH_CLOSE, MATCH_OPEN } from '../core/snippet.js'
import { MAX_PAGE, type Page, type RoomAuthor, type SearchHit } from '../chat/types.js'

export type { Page, RoomAuthor, SearchHit }

/** Whose messages: a P2P peer's, a client's (per hub), a hub's. */
export type Scope = 'p2p' | 'client' | 'hub'

/** A message as stored: its signed bytes and how it reached this node. */
export interface StoredMessage {
  message: ChatMessage
  /** The hub whose number `num` is (client mode; '' elsewhere and for pending messages). */
  hub?: string
  /** The hub's number (client and hub). */
  num?: number
  /** Client mode: sent, not yet numbered by a hub. */
  pending?: boolean
  deliveredAt?: number
  via?: string
  hops?: number
  /** How far its author's clock ran behind ours (ms; negative: ahead) as known when it came live; 0 or absent: not off, or caught up on (writtenAt). */
  clockOff?: number
}


interface Row { id: string, body: Uint8Array, sig: Uint8Array, num: number | null, pending: number, delivered_at: number, via: string, hops: number, hub: string, clock_off: number }

const COLUMNS = 'id, body, sig, num, pending, delivered_at, via, hops, hub, clock_off'
/** The same, of the `m` of a join. */
const JOINED_COLUMNS = COLUMNS.split(', ').map(c => `m.${c}`).join(', ')
/** Events on messages read in one go; more are read a row at a time (actionsOn). */
export const ACTIONS_AT_ONCE = 5_000

function fromRow (r: Row): StoredMessage {
  const message = messageFromBody(r.body, r.sig, true)
  // A body that does not hash to its row's id is a tombstone (redact): the id is the original's.
  if (message.id !== r.id) {
    message.id = r.id
    message.redacted = true
  }
  return {
    // Trusted: only verified messages are stored, and the id is the body's hash again (or a tombstone's).
    message,
    hub: r.hub,
    ...(r.num !== null ? { num: r.num } : {}),
    pending: r.pending === 1,
    // 0: not known (a message imported from before SQLite) — shown without a delivery time, not "1970".
    ...(r.delivered_at > 0 ? { deliveredAt: r.delivered_at } : {}),
    via: r.via,
    hops: r.hops,
    ...(r.clock_off !== 0 ? { clockOff: r.clock_off } : {})
  }
}

/**
 * The messages of one store in the data directory's database, with the
 * queries the engine needs: insert a batch (ignoring what is there already),
 * replay in delivery order, a window of a room in display order ((lamport,
 * author, id) in P2P, the hub's number for a client), look-ups by id, search.
 * Writes are the caller's to wrap in ChatDb.transaction (one per batch).
 */
/**
 * The rows that find an action (message `id`) by its target (actions: a page's messages find their edits,
 * reactions and pins), and a pin or an unpin by its room too (pins: pinTargets reads a room's without its
 * history). Written with the message (MessageTable.insert), or later for one an older build stored (ChatDb).
 */
export function indexAction (db: ChatDb, scope: string, hub: string, id: string, m: Pick<ChatMessage, 'room' | 'lamport' | 'action'>): void {
  const a = m.action
  if (a === undefined) return
  db.sql('INSERT OR IGNORE INTO actions (scope, hub, id, target) VALUES (?, ?, ?, ?)').run(scope, hub, id, a.target)
  if (a.kind !== 'pin' && a.kind !== 'unpin') return
  db.sql('INSERT OR IGNORE INTO pins (scope, hub, room, id, target, lamport, pinned) VALUES (?, ?, ?, ?, ?, ?, ?)').run(scope, hub, m.room, id, a.target, m.lamport, a.kind === 'pin' ? 1 : 0)
}

export class MessageTable {
  /** The row `noteSealed` last wrote (0: none; undefined: not read yet). */
  #noted: number | undefined
  /** What a previous run left noted, kept in every note until `settled` (0: nothing). */
  #carried: number | undefined
  constructor (readonly db: ChatDb, readonly scope: Scope) {}

  /**
   * Note, in the caller's transaction, where the sealed messages an insert
   * added begin (`from`, what `insert` returned: a direct message or a private room's: what may
   * carry a room's new key, a removal, a join), in place of the last
   * batch's, which have been announced by then; one number, written only
   * when it changes. The engine takes in what a message says only when it
   * announces it, after the commit: a kill -9 in between left a new key
   * stored and never taken. What stays noted is taken in at the next start
   * (`unsettled`, then `settled`).
   */
  noteSealed (from: number): void {
    const carried = this.#carriedRow()
    const row = carried > 0 ? carried : from
    if (row === this.#noted) return
    this.db.setJson(this.scope, 'unsettled', row)
    this.#noted = row
  }

  /** The messages from the first sealed one a previous run committed and may not have taken in (a crash before their announcement). */
  unsettled (): string[] {
    const from = this.#carriedRow()
    if (from === 0) return []
    return (this.db.sql('SELECT id FROM messages WHERE scope = ? AND n >= ? ORDER BY n').all(this.scope, from) as Array<{ id: string }>).map(r => r.id)
  }

  /** The engine took in what `unsettled` listed. */
  settled (): void {
    this.#carriedRow()
    this.#carried = 0
    if (this.#noted === 0) return
    this.db.setJson(this.scope, 'unsettled', 0)
    this.#noted = 0
  }

  #carriedRow (): number {
    if (this.#carried === undefined) {
      let kept: unknown
      // A damaged page under it: nothing to take in (the check after the start tells of the damage, and the next start repairs).
      try { kept = this.db.getJson(this.scope, 'unsettled') } catch { kept = undefined }
      this.#carried = Number.isSafeInteger(kept) && (kept as number) > 0 ? kept as number : 0
      this.#noted = this.#carried
    }
    return this.#carried
  }

  /** Add messages; one already stored (same hub, same id) is left as it is. The row of the first sealed one added (0: none), for noteSealed. */
  insert (items: readonly StoredMessage[]): number {
    const stmt = this.db.sql(`INSERT OR IGNORE INTO messages (scope, hub, num, pending, id, room, author, seq, lamport, text, delivered_at, via, hops, body, sig, clock_off)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    const file = this.db.sql('INSERT INTO files (n, sha) VALUES (?, ?)')
    let sealedFrom = 0
    for (const s of items) {
      const m = s.message
      indexAction(this.db, this.scope, s.hub ?? '', m.id, m)
      const row = stmt.run(this.scope, s.hub ?? '', s.num ?? null, s.pending === true ? 1 : 0, m.id, m.room, m.author, m.seq, m.lamport, m.text,
        s.deliveredAt ?? 0, s.via ?? '', s.hops ?? 0, bodyOf(m), m.sig, s.clockOff ?? 0)
      if (m.sealed !== undefined && row.changes === 1 && sealedFrom === 0) sealedFrom = Number(row.lastInsertRowid)
      // The file it shares, for sharing() and the store's sharesFile and sharedBy (a row already there was indexed with it).
      if (m.file !== undefined && row.changes === 1) file.run(row.lastInsertRowid, Buffer.from(m.file.sha256, 'hex'))
    }
    if (items.length > 0) this.db.textAdded(items.length)
    return sealedFrom
  }

  /** Own messages no hub has numbered yet (client mode; they are stored without a hub), in chain order (one a restored hub lost, taken back, before those written after it). */
  pending (): StoredMessage[] {
    return (this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE scope = ? AND hub = '' AND pending = 1 ORDER BY seq, n`).all(this.scope) as unknown as Row[]).map(fromRow)
  }


  get (id: string, hub = ''): StoredMessage | undefined {
    const r = this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE scope = ? AND hub = ? AND id = ?`).get(this.scope, hub, id) as Row | undefined
    return r === undefined ? undefined : fromRow(r)
  }

  has (id: string, hub = ''): boolean {
    return this.db.sql('SELECT 1 FROM messages WHERE scope = ? AND hub = ? AND id = ?').get(this.scope, hub, id) !== undefined
  }

  remove (id: string, hub = ''): void {
    this.db.sql('DELETE FROM messages WHERE scope = ? AND hub = ? AND id = ?').run(this.scope, hub, id)
    this.db.sql('DELETE FROM actions WHERE scope = ? AND hub = ? AND id = ?').run(this.scope, hub, id)
    this.db.sql('DELETE FROM pins WHERE scope = ? AND hub = ? AND id = ?').run(this.scope, hub, id)
  }

  /**
   * The messages that may be pinned in `room` (of `hub`), over its whole history: each target of one of the
   * newest PIN_ROWS_READ pins (not unpins) once, the one pinned last (Lamport, then target) first, at most
   * PIN_TARGETS_READ. The caller judges each (the latest pin or unpin decides: core/edits.ts).
   */
  pinTargets (room: string, hub = ''): string[] {
    return (this.db.sql(`SELECT target FROM (SELECT target, lamport FROM pins WHERE scope = ? AND hub = ? AND room = ? AND pinned = 1
      ORDER BY lamport DESC, id DESC LIMIT ?) GROUP BY target ORDER BY max(lamport) DESC, target LIMIT ?`).all(this.scope, hub, room, PIN_ROWS_READ, PIN_TARGETS_READ) as Array<{ target: string }>).map(r => r.target)
  }

  /**
   * The stored edits, deletes and reactions (of `hub`) that point at any of
   * `ids`. Past ACTIONS_AT_ONCE they are read again a row at a time: a message
   * someone flooded with events is never held whole in memory.
   */
  * actionsOn (ids: readonly string[], hub = ''): Generator<ChatMessage> {
    if (ids.length === 0) return
    // One id (every message as it is delivered) is a plain look-up in actions_target: no JSON to parse.
    const one = ids.length === 1
    const text = `SELECT ${JOINED_COLUMNS} FROM actions a JOIN messages m ON m.scope = a.scope AND m.hub = a.hub AND m.id = a.id
      WHERE a.scope = ? AND a.hub = ? AND a.target ${one ? '= ?' : 'IN (SELECT value FROM json_each(?))'}`
    const key = one ? ids[0]! : JSON.stringify(ids)
    const rows = this.db.sql(`${text} LIMIT ${ACTIONS_AT_ONCE + 1}`).all(this.scope, hub, key) as unknown as Row[]
    if (rows.length <= ACTIONS_AT_ONCE) {
      for (const r of rows) yield fromRow(r).message
      return
    }
    // On a statement of its own: the shared one may be run again before this is done (the caller reads other messages' events).
    for (const r of this.db.fresh(text).iterate(this.scope, hub, key) as Iterable<Row>) yield fromRow(r).message
  }

  /**
   * The stored edits, deletes, reactions and pins (of `hub`) that `author` wrote in `room`, over its whole
   * history: what a change of a private room's members may make count differently (Engine#retake).
   * Read through the author's index (the room's would walk the whole room), a row at a time.
   */
  * actionsBy (room: string, author: string, hub = ''): Generator<ChatMessage> {
    const text = `SELECT ${JOINED_COLUMNS} FROM messages m INDEXED BY messages_author JOIN actions a ON a.scope = m.scope AND a.hub = m.hub AND a.id = m.id
      WHERE m.scope = ? AND m.author = ? AND m.hub = ? AND m.room = ?`
    for (const r of this.db.fresh(text).iterate(this.scope, author, hub, room) as Iterable<Row>) yield fromRow(r).message
  }

  /**
   * The messages (not edits, deletes, reactions or pins) of `hub` that `author` wrote in `room`, shown or
   * waiting, over its whole history, through the author's index, a row at a time: what a private
   * room's removal of `author`, heard late, may take away however old (Engine#refuseLater).
   */
  * messagesBy (room: string, author: string, hub = ''): Generator<StoredMessage> {
    const text = `SELECT ${COLUMNS} FROM messages m INDEXED BY messages_author
      WHERE m.scope = ? AND m.author = ? AND m.hub = ? AND m.room = ? AND m.pending = 0
        AND NOT EXISTS (SELECT 1 FROM actions a WHERE a.scope = m.scope AND a.hub = m.hub AND a.id = m.id)`
    for (const r of this.db.fresh(text).iterate(this.scope, author, hub, room) as Iterable<Row>) yield fromRow(r)
  }

  /**
   * Make these messages (a deleted one and its edits) tombstones on disk:
   * the signed body is replaced by one without its text, sealed text and file
   * (its row keeps the id, which the body no longer hashes to), the
   * signature and the `text` column go, and so does its full-text entry.
   * The database overwrites freed space with zeros (secure_delete), the
   * full-text index takes the words out of its pages (its own secure-delete),
   * and the WAL is emptied, so the words leave the files. The caller makes the in-memory copies alike
   * (codec.redact), so what this peer serves later is the tombstone.
   */
  redact (ids: readonly string[], hub = ''): void {
    if (ids.length === 0) return
    let changed = 0
    this.db.transaction(() => {
      const indexed = (this.db.sql("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE scope = 'fts' AND key = 'indexed'), 0) AS n").get() as { n: number }).n
      // The index takes words out of its pages on a delete, instead of marking them deleted (which leaves them on disk until a merge).
      this.db.sql("INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1)").run()
      for (const id of ids) {
        const r = this.db.sql(`SELECT n, text, ${COLUMNS} FROM messages WHERE scope = ? AND hub = ? AND id = ?`).get(this.scope, hub, id) as (Row & { n: number, text: string }) | undefined
        if (r === undefined) continue
        const m = fromRow(r).message
        if (m.redacted === true && r.text === '') continue
        redact(m)
        if (r.n <= indexed && r.text !== '') this.db.sql("INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', ?, ?)").run(r.n, r.text)
        this.db.sql("UPDATE messages SET text = '', body = ?, sig = ? WHERE n = ?").run(bodyOf(m), m.sig, r.n)
        changed++
      }
    })
    if (changed > 0) this.db.scrub()
  }


  /**
   * Put a tombstone's message back as it was signed (`m`, whose body hashes
   * to the id: the caller checked): its body, signature and `text` column,
   * its full-text entry (none for a sealed one, whose text column stays empty)
   * and the file it shares. What `redact` undid, for a delete that no longer
   * counts (chat/refetch.ts). False when the row is not a tombstone here.
   */
  restore (m: ChatMessage, hub = ''): boolean {
    let done = false
    this.db.transaction(() => {
      const r = this.db.sql(`SELECT n, ${COLUMNS} FROM messages WHERE scope = ? AND hub = ? AND id = ?`).get(this.scope, hub, m.id) as (Row & { n: number }) | undefined
      if (r === undefined || fromRow(r).message.redacted !== true) return
      this.db.sql('UPDATE messages SET text = ?, body = ?, sig = ? WHERE n = ?').run(m.text, bodyOf(m), m.sig, r.n)
      const indexed = (this.db.sql("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE scope = 'fts' AND key = 'indexed'), 0) AS n").get() as { n: number }).n
      if (r.n <= indexed && m.text !== '') this.db.sql('INSERT INTO messages_fts (rowid, text) VALUES (?, ?)').run(r.n, m.text)
      // After the update: the trigger on a new body takes the row's file out.
      if (m.file !== undefined) this.db.sql('INSERT OR IGNORE INTO files (n, sha) VALUES (?, ?)').run(r.n, Buffer.from(m.file.sha256, 'hex'))
      done = true
    })
    return done
  }

  /** The author's newest stored message, whatever the hub (a client's chain goes on across hubs). */
  lastBy (author: string): ChatMessage | undefined {
    const r = this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE scope = ? AND author = ? ORDER BY seq DESC LIMIT 1`).get(this.scope, author) as Row | undefined
    return r === undefined ? undefined : fromRow(r).message
  }

  maxLamport (): number {
    const r = this.db.sql('SELECT max(lamport) AS l FROM messages WHERE scope = ?').get(this.scope) as { l: number | null }
    return r.l ?? 0
  }

  /**
   * Moves `hub`'s messages numbered above `num` (with their edits', deletes' and pins' index rows) to
   * the history `to`, kept apart as another hub's is: the hub no longer has them. How many moved.
   */
  setAside (hub: string, num: number, to: string): number {
    return this.db.transaction(() => {
      const moved = this.db.sql('UPDATE messages SET hub = ? WHERE scope = ? AND hub = ? AND num > ?').run(to, this.scope, hub, num).changes
      if (moved > 0) {
        for (const table of ['actions', 'pins']) {
          this.db.sql(`UPDATE ${table} SET hub = ? WHERE scope = ? AND hub = ? AND id IN (SELECT id FROM messages WHERE scope = ? AND hub = ?)`).run(to, this.scope, hub, this.scope, to)
        }
      }
      return Number(moved)
    })
  }

  /**
   * `author`'s own messages with chain numbers above `after` that `hub` lost (its data restored from an older
   * backup): in its history (`current`) and in the ones set aside from it (`<hub>/lost-…`), each once, and not
   * one `hub` numbered again or one pending already. Made pending again (hub '', in this transaction), keeping
   * the number they had as a mark (see `unpend`), to be submitted again; in chain order. A tombstone (deleted:
   * no signature left to submit) stays where it is, and so do the actions on one.
   */
  takeBack (author: string, after: number, hub: string, current: boolean): ChatMessage[] {
    const lost = `${hub}/lost-`
    const rows = this.db.sql(`SELECT n, ${COLUMNS} FROM messages INDEXED BY messages_author WHERE scope = ? AND author = ? AND seq > ?
      AND (hub = ? OR substr(hub, 1, ?) = ?) ORDER BY seq, n DESC`).all(this.scope, author, after, current ? hub : lost, lost.length, lost) as unknown as Array<Row & { n: number }>
    const back: ChatMessage[] = []
    const skipped = new Set<string>()
    const taken = new Set<string>()
    for (const r of rows) {
      const m = fromRow(r).message
      if (taken.has(m.id) || (r.hub !== hub && this.has(m.id, hub)) || this.has(m.id, '')) continue
      if (m.redacted === true || m.sig.byteLength === 0 || (m.action !== undefined && skipped.has(m.action.target))) { skipped.add(m.id); continue }
      this.db.sql("UPDATE messages SET hub = '', pending = 1 WHERE n = ?").run(r.n)
      for (const table of ['actions', 'pins']) this.db.sql(`UPDATE ${table} SET hub = '' WHERE scope = ? AND hub = ? AND id = ?`).run(this.scope, r.hub, m.id)
      taken.add(m.id)
      back.push(m)
    }
    return back
  }

  /**
   * A pending message the hub refused: one `takeBack` made pending again (it has a number) goes back to the
   * history `to`, set aside as it was (true); any other is removed.
   */
  unpend (id: string, to: string): boolean {
    const r = this.db.sql("SELECT n, num FROM messages WHERE scope = ? AND hub = '' AND id = ?").get(this.scope, id) as { n: number, num: number | null } | undefined
    if (r === undefined || r.num === null) { this.remove(id, ''); return false }
    this.db.sql('UPDATE messages SET hub = ?, pending = 0 WHERE n = ?').run(to, r.n)
    for (const table of ['actions', 'pins']) this.db.sql(`UPDATE ${table} SET hub = ? WHERE scope = ? AND hub = '' AND id = ?`).run(to, this.scope, id)
    return true
  }

  /** The highest hub number stored for `hub` (0: none). */
  maxNum (hub: string): number {
    const r = this.db.sql('SELECT max(num) AS n FROM messages WHERE scope = ? AND hub = ? AND num IS NOT NULL').get(this.scope, hub) as { n: number | null }
    return r.n ?? 0
  }

  /**
   * Rooms that have messages (of `hub`): one index seek per room (a skip
   * over the room index), not a scan of every message.
   */
  rooms (hub = ''): string[] {
    const next = this.db.sql('SELECT room FROM messages WHERE scope = ? AND hub = ? AND room > ? ORDER BY room LIMIT 1')
    const out: string[] = []
    for (let r = next.get(this.scope, hub, '') as { room: string } | undefined; r !== undefined; r = next.get(this.scope, hub, r.room) as { room: string } | undefined) out.push(r.room)
    return out
  }

  /** Each author's newest message, one index seek per author (the causal log's vector at open). */
  * lasts (): Generator<ChatMessage> {
    const next = this.db.sql('SELECT author FROM messages WHERE scope = ? AND author > ? ORDER BY author LIMIT 1')
    for (let r = next.get(this.scope, '') as { author: string } | undefined; r !== undefined; r = next.get(this.scope, r.author) as { author: string } | undefined) {
      const m = this.lastBy(r.author)
      if (m !== undefined) yield m
    }
  }

  lamportOf (id: string, hub = ''): number | undefined {
    return (this.db.sql('SELECT lamport FROM messages WHERE scope = ? AND hub = ? AND id = ?').get(this.scope, hub, id) as { lamport: number } | undefined)?.lamport
  }

  /** The author's message number `seq`. */
  at (author: string, seq: number): ChatMessage | undefined {
    const r = this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE scope = ? AND author = ? AND seq = ?`).get(this.scope, author, seq) as Row | undefined
    return r === undefined ? undefined : fromRow(r).message
  }

  /** The author's messages after number `after`, in order, at most `limit`. */
  after (author: string, after: number, limit: number): ChatMessage[] {
    return (this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE scope = ? AND author = ? AND seq > ? ORDER BY seq LIMIT ?`)
      .all(this.scope, author, after, limit) as unknown as Row[]).map(r => fromRow(r).message)
  }

  /** Every message of the author numbered in (after, upTo]: all branches of a fork. */
  between (author: string, after: number, upTo: number): ChatMessage[] {
    return (this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE scope = ? AND author = ? AND seq > ? AND seq <= ? ORDER BY seq`)
      .all(this.scope, author, after, upTo) as unknown as Row[]).map(r => fromRow(r).message)
  }

  * idsOf (author: string): Generator<string> {
    for (const r of this.db.sql('SELECT id FROM messages WHERE scope = ? AND author = ?').iterate(this.scope, author) as Iterable<{ id: string }>) yield r.id
  }

  /** Authors found forked, with the lowest number two of their messages share. */
  forks (): Array<[string, number]> {
    return (this.db.sql('SELECT author, floor FROM forks WHERE scope = ?').all(this.scope) as Array<{ author: string, floor: number }>).map(r => [r.author, r.floor])
  }

  /** Record a fork (in the caller's transaction, with the messages that show it). */
  noteFork (author: string, floor: number): void {
    this.db.sql('INSERT INTO forks (scope, author, floor) VALUES (?, ?, ?) ON CONFLICT (scope, author) DO UPDATE SET floor = min(floor, excluded.floor)').run(this.scope, author, floor)
  }

  /** The delivered history as the causal log reads it (store of a P2P peer: hub ''). */
  index (): DeliveredIndex {
    return {
      lasts: () => this.lasts(),
      get: id => this.get(id)?.message,
      lamportOf: id => this.lamportOf(id),
      at: (author, seq) => this.at(author, seq),
      after: (author, after, limit) => this.after(author, after, limit),
      between: (author, after, upTo) => this.between(author, after, upTo),
      forks: () => this.forks(),
      idsOf: author => this.idsOf(author)
    }
  }

  /**
   * A room in display order: the newest `limit`, `limit` before or after a
   * message (exclusive), or `limit` around one (it, and about half on each
   * side). `byNum` orders by the hub's numbers (client mode) instead of
   * (lamport, author, id). Every window is an index range: its cost grows
   * with the page, not with the room, and no page is longer than MAX_PAGE
   * (the default), so no caller ever holds a whole room.
   */
  page (room: string, hub: string, byNum: boolean, page: Page = {}): StoredMessage[] {
    const limit = Math.min(page.limit ?? MAX_PAGE, MAX_PAGE)
    const key = byNum ? ['num'] : ['lamport', 'author', 'id']
    // `num IS NOT NULL` lets SQLite use the partial index of numbered rows.
    const where = `scope = ? AND hub = ? AND room = ? AND pending = 0${byNum ? ' AND num IS NOT NULL' : ''}`
    const base: Array<string | number> = [this.scope, hub, room]
    const cursorOf = (id: string): Array<string | number> | undefined => {
      const at = this.db.sql(`SELECT ${key.join(', ')} FROM messages WHERE scope = ? AND hub = ? AND id = ? AND room = ?`).get(this.scope, hub, id, room) as Record<string, string | number> | undefined
      return at === undefined ? undefined : key.map(k => at[k]!)
    }
    /** Up to `limit` rows on one side of `cursor` (or of the end), returned in display order. */
    const side = (dir: '<' | '>' | '>=', cursor: Array<string | number> | undefined, limit: number): StoredMessage[] => {
      const newestFirst = dir === '<'
      const order = key.map(k => newestFirst ? `${k} DESC` : k).join(', ')
      const cond = cursor === undefined ? '' : ` AND (${key.join(', ')}) ${dir} (${key.map(() => '?').join(', ')})`
      const rows = this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE ${where}${cond} ORDER BY ${order} LIMIT ?`)
        .all(...base, ...(cursor ?? []), limit) as unknown as Row[]
      if (newestFirst) rows.reverse()
      return rows.map(fromRow)
    }
    if (page.around !== undefined) {
      const at = cursorOf(page.around)
      if (at === undefined) return []
      const around = Math.min(page.limit ?? 200, MAX_PAGE)
      const before = side('<', at, Math.floor((around - 1) / 2))
      return [...before, ...side('>=', at, around - before.length)]
    }
    if (page.after !== undefined) {
      const at = cursorOf(page.after)
      return at === undefined ? [] : side('>', at, limit)
    }
    if (page.before !== undefined) {
      const at = cursorOf(page.before)
      return at === undefined ? [] : side('<', at, limit)
    }
    // The newest `limit`: the last rows, read newest first and turned round.
    return side('<', undefined, limit)
  }

  /**
   * The rows of `room` (of `hub`) below message `before` in display order (as `page` reads them) that arrived here at
   * or after `since` (ms), or whose arrival is not known (imported from before SQLite): the ones a walk down the room
   * by date cannot pass over where older rows arrived before that day (a message written offline, long ago by its
   * Lamport time, caught up on late). At most `limit`, the newest of them, returned in display order.
   */
  arrivedBelow (room: string, hub: string, byNum: boolean, before: string, since: number, limit: number): StoredMessage[] {
    const key = byNum ? ['num'] : ['lamport', 'author', 'id']
    const at = this.db.sql(`SELECT ${key.join(', ')} FROM messages WHERE scope = ? AND hub = ? AND id = ? AND room = ?`).get(this.scope, hub, before, room) as Record<string, string | number> | undefined
    if (at === undefined || limit <= 0) return []
    const rows = this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE scope = ? AND hub = ? AND room = ? AND pending = 0${byNum ? ' AND num IS NOT NULL' : ''}
      AND (${key.join(', ')}) < (${key.map(() => '?').join(', ')}) AND (delivered_at >= ? OR delivered_at = 0)
      ORDER BY ${key.map(k => `${k} DESC`).join(', ')} LIMIT ?`).all(this.scope, hub, room, ...key.map(k => at[k]!), since, limit) as unknown as Row[]
    return rows.reverse().map(fromRow)
  }

  /**
   * The newest message of `hub` that still shares file `sha256` (a deleted one
   * no longer does): a look-up in the files index, then, in a database from
   * before it, a scan of the older rows' signed bodies for the hash's 32 bytes.
   */
  sharing (sha256: string, hub = ''): StoredMessage | undefined {
    const sha = Buffer.from(sha256, 'hex')
    const indexed = this.db.sql(`SELECT ${JOINED_COLUMNS} FROM files f JOIN messages m ON m.n = f.n WHERE f.sha = ? AND m.scope = ? AND m.hub = ? ORDER BY f.n DESC LIMIT 1`)
      .get(sha, this.scope, hub) as Row | undefined
    if (indexed !== undefined) return fromRow(indexed)
    const before = this.db.filesScannedUpTo
    if (before === 0) return undefined
    const rows = this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE n <= ? AND scope = ? AND hub = ? AND instr(body, ?) > 0 ORDER BY n DESC LIMIT 8`)
      .all(before, this.scope, hub, sha) as unknown as Row[]
    // The 32 bytes could sit in another field (a quote, a text): the message must share the file itself.
    return rows.map(fromRow).find(s => s.message.file?.sha256 === sha256 && s.message.redacted !== true)
  }

  /** Messages of `hub` numbered after `num`, in number order, at most `limit` (a hub's catch-up). */
  byNum (num: number, limit: number, hub = ''): StoredMessage[] {
    return (this.db.sql(`SELECT ${COLUMNS} FROM messages WHERE scope = ? AND hub = ? AND num > ? ORDER BY num LIMIT ?`)
      .all(this.scope, hub, num, limit) as unknown as Row[]).map(fromRow)
  }

  /**
   * Who posted in a room of `hub`'s history, each once, the latest first (at
   * most `limit`), with the name their latest message there was signed with.
   * One pass over the room's index (it holds author and row number), not its rows.
   */
  authors (room: string | undefined, hub: string, limit = 500): RoomAuthor[] {
    if (room === undefined) return this.#everyone(hub, limit)
    const rows = this.db.sql(`SELECT author, MAX(n) AS n FROM messages WHERE scope = ? AND hub = ? AND room = ?
      GROUP BY author ORDER BY n DESC LIMIT ?`).all(this.scope, hub, room, limit) as unknown as Array<{ author: string, n: number }>
    const latest = this.db.sql('SELECT body, sig, lamport FROM messages WHERE n = ?')
    return rows.map(r => {
      const row = latest.get(r.n) as { body: Uint8Array, sig: Uint8Array, lamport: number }
      return { peerId: r.author, name: messageFromBody(row.body, row.sig, true).name, lamport: row.lamport }
    })
  }

  /**
   * Everyone who wrote anything here (at most `limit`), with the name of their newest message: one seek in the
   * author index per author, from one to the next, not a pass over the history. The hub is the newest's.
   */
  #everyone (hub: string, limit: number): RoomAuthor[] {
    const ids = this.db.sql(`WITH RECURSIVE a (id, k) AS (
        SELECT (SELECT min(author) FROM messages WHERE scope = ?), 1
        UNION ALL SELECT (SELECT min(author) FROM messages WHERE scope = ? AND author > a.id), k + 1 FROM a WHERE a.id IS NOT NULL AND k < ?)
      SELECT id FROM a WHERE id IS NOT NULL`).all(this.scope, this.scope, limit) as unknown as Array<{ id: string }>
    const newest = this.db.sql('SELECT body, sig, lamport FROM messages INDEXED BY messages_author WHERE scope = ? AND author = ? AND hub = ? ORDER BY seq DESC LIMIT 1')
    return ids.flatMap(({ id }) => {
      const row = newest.get(this.scope, id, hub) as { body: Uint8Array, sig: Uint8Array, lamport: number } | undefined
      return row === undefined ? [] : [{ peerId: id, name: messageFromBody(row.body, row.sig, true).name, lamport: row.lamport }]
    })
  }

  /**
   * Whether every message of `room` (of `hub`) is by one of `authors`, and there is one at all:
   * a room only people the user blocked wrote in. Stops at the first message by anyone else, so
   * it reads the whole room's index only when the answer is yes.
   */
  writtenOnlyBy (room: string, hub: string, authors: readonly string[]): boolean {
    if (authors.length === 0) return false
    const row = this.db.sql(`SELECT EXISTS (SELECT 1 FROM messages WHERE scope = ? AND hub = ? AND room = ?) AS any,
      EXISTS (SELECT 1 FROM messages WHERE scope = ? AND hub = ? AND room = ? AND author NOT IN (SELECT value FROM json_each(?))) AS others`)
      .get(this.scope, hub, room, this.scope, hub, room, JSON.stringify(authors)) as { any: number, others: number }
    return row.any === 1 && row.others === 0
  }

  /**
   * Full-text search over the text of `hub`'s messages (optionally one room), newest first.
   * `scanRows`: how far back a search of words written without spaces alone reads (see UNSPACED_SCAN_ROWS), and one
   * that `narrow`s (has:, before:…) or only leaves words out (-draft): the rows it reads, matched or not.
   * `narrow`: what else a message must be; an edit's or a reaction's row is kept, for the caller to judge by the message it is on.
   * A search that names days reads the rows that arrived about then, however far back (#window),
   * has:file or has:image without words or people only the rows that share a file (the files index), and
   * has:link without words only the rows that may hold a link (#linkRows, however far back),
   * and has:reply without words only the rows that may be replies (the replies index, however far back).
   */
  search (query: string, hub: string, room?: string, limit = 50, scanRows = UNSPACED_SCAN_ROWS, authors?: readonly string[], narrow?: Narrowing): SearchHit[] {
    // after: a day on or after before:'s: no message can be both.
    if (narrow?.since !== undefined && narrow.until !== undefined && narrow.since >= narrow.until) return []
    const { indexed, unspaced } = queryWords(query)
    const by = authors === undefined ? null : JSON.stringify(authors)
    if (unspaced.length > 0) return this.#searchUnspaced(query, indexed, unspaced, hub, room, limit, scanRows, by, narrow)
    const match = ftsQuery(query)
    const wordsOut = match === '' ? sealedMatcher(query) : undefined
    // Words alone take the index's path below as they always did: nothing more is read or joined for them.
    if (narrow !== undefined || wordsOut !== undefined) return this.#narrowed(match, wordsOut, hub, room, limit, scanRows, by, narrow)
    if (match === '') return by === null ? [] : this.#byAuthors(by, hub, room, limit)
    // What was added lately may not be in the index yet (it is built off the commit path).
    this.db.indexText()
    // Newest first in the index's own order (its rowid is the row's n): the index walks its matches from the
    // newest and stops at `limit`. Ordered by m.n instead, SQLite sorted every match first — 5 s for a common
    // word over 1M messages, against 0.1–0.2 s.
    const rows = this.db.sql(`SELECT m.room, m.id, m.author, m.lamport, m.num, m.body, m.sig, m.delivered_at, m.clock_off,
        snippet(messages_fts, 0, ?, ?, '…', 12) AS snippet
      FROM messages_fts JOIN messages m ON m.n = messages_fts.rowid
      WHERE messages_fts MATCH ? AND m.scope = ? AND m.hub = ? AND m.pending = 0 AND (? IS NULL OR m.room = ?) AND ${BY}
      ORDER BY messages_fts.rowid DESC LIMIT ?`).all(MATCH_OPEN, MATCH_CLOSE, match, this.scope, hub, room ?? null, room ?? null, by, by, limit) as unknown as Array<Row & { room: string, id: string, author: string, lamport: number, snippet: string }>
    return rows.map(r => {
      const m = messageFromBody(r.body, r.sig, true)
      return { room: r.room, id: r.id, author: r.author, name: m.name, lamport: r.lamport, sentAt: m.sentAt, ...(r.delivered_at > 0 ? { deliveredAt: r.delivered_at } : {}), ...(r.clock_off !== 0 ? { clockOff: r.clock_off } : {}), snippet: bracketed(r.snippet), marked: r.snippet, ...(r.num !== null ? { seq: r.num } : {}) }
    })
  }

  /**
   * A search with words of a script written without spaces (queryWords): those are looked for
   * anywhere in the text, the others through the index as usual. Without other words it reads the
   * rows newest first until it has `limit`, at most the newest `scanRows` of the store.
   */
  /**
   * What some people wrote (`by`: their peer ids as JSON), newest first, when a search names them and no words:
   * through the author index, each one's messages sorted by row (an author's few thousand, not the history).
   */
  #byAuthors (by: string, hub: string, room: string | undefined, limit: number): SearchHit[] {
    const rows = this.db.sql(`SELECT m.room, m.id, m.author, m.lamport, m.num, m.body, m.sig, m.delivered_at, m.clock_off, m.text FROM messages m INDEXED BY messages_author
      WHERE m.scope = ? AND m.author IN (SELECT value FROM json_each(?)) AND m.hub = ? AND m.pending = 0 AND m.text != '' AND (? IS NULL OR m.room = ?)
      ORDER BY m.n DESC LIMIT ?`).all(this.scope, by, hub, room ?? null, room ?? null, limit) as unknown as Array<Row & { room: string, id: string, author: string, lamport: number, text: string }>
    return rows.map(r => {
      const m = messageFromBody(r.body, r.sig, true)
      const marked = firstWords(r.text)
      return { room: r.room, id: r.id, author: r.author, name: m.name, lamport: r.lamport, sentAt: m.sentAt, ...(r.delivered_at > 0 ? { deliveredAt: r.delivered_at } : {}), ...(r.clock_off !== 0 ? { clockOff: r.clock_off } : {}), snippet: bracketed(marked), marked, ...(r.num !== null ? { seq: r.num } : {}) }
    })
  }

  /**
   * A search that asks more than words (`narrow`), or only words left out (`wordsOut`, sealedMatcher's): rows read
   * newest first a page at a time, the index's matches (`match`), or else every row (one person's, with from:;
   * only those that share a file, with has:file or has:image; those that may hold a link, with has:link; those that
   * may be replies, with has:reply), kept when
   * they are what is asked, until `limit` are.
   * At most `scanRows` rows are read above the rows a date names (#window) and as many from there down; the
   * reading stops where the rows arrived before the first day asked for.
   */
  #narrowed (match: string, wordsOut: ((text: string) => string | undefined) | undefined, hub: string, room: string | undefined, limit: number, scanRows: number, by: string | null, narrow?: Narrowing): SearchHit[] {
    const page = Math.min(Math.max(limit * 4, 200), 2_000)
    const head = 'SELECT m.n, m.room, m.id, m.author, m.lamport, m.num, m.body, m.sig, m.delivered_at, m.clock_off, m.text'
    const where = `m.scope = ? AND m.hub = ? AND m.pending = 0 AND m.text != '' AND (? IS NULL OR m.room = ?) AND ${BY}`
    type Found = Row & { n: number, room: string, id: string, author: string, lamport: number, text: string, snippet?: string }
    let read: (before: number) => Found[]
    if (match !== '') {
      this.db.indexText()
      const stmt = this.db.sql(`${head}, snippet(messages_fts, 0, ?, ?, '…', 12) AS snippet FROM messages_fts JOIN messages m ON m.n = messages_fts.rowid
        WHERE messages_fts MATCH ? AND messages_fts.rowid < ? AND ${where} ORDER BY messages_fts.rowid DESC LIMIT ?`)
      read = before => stmt.all(MATCH_OPEN, MATCH_CLOSE, match, before, this.scope, hub, room ?? null, room ?? null, by, by, page) as unknown as Found[]
    } else if (narrow?.has.includes('link') === true && (by !== null || wordsOut !== undefined || !narrow.has.some(h => h === 'file' || h === 'image'))) {
      read = this.#linkRows(head, where, hub, room, by, page)
    } else if (narrow?.has.includes('reply') === true) {
      // Only a row the replies index lists can be one (db.ts: messages_replies), however far back; without it (not made yet), a scan.
      const stmt = this.db.sql(`${head} FROM messages m ${this.db.searchIndexed ? 'INDEXED BY messages_replies' : 'NOT INDEXED'}
        WHERE ${MAY_REPLY} AND m.n < ? AND ${where} ORDER BY m.n DESC LIMIT ?`)
      read = before => stmt.all(before, this.scope, hub, room ?? null, room ?? null, by, by, page) as unknown as Found[]
    } else if (by !== null) {
      const stmt = this.db.sql(`${head} FROM messages m INDEXED BY messages_author
        WHERE m.author IN (SELECT value FROM json_each(?)) AND m.n < ? AND ${where} ORDER BY m.n DESC LIMIT ?`)
      read = before => stmt.all(by, before, this.scope, hub, room ?? null, room ?? null, by, by, page) as unknown as Found[]
    } else {
      const stmt = this.db.sql(`${head} FROM messages m NOT INDEXED WHERE m.n < ? AND ${where} ORDER BY m.n DESC LIMIT ?`)
      const every = (before: number, rows = page): Found[] => stmt.all(before, this.scope, hub, room ?? null, room ?? null, by, by, rows) as unknown as Found[]
      read = every
      if (wordsOut === undefined && narrow?.has.some(h => h === 'file' || h === 'image') === true) {
        // Only the rows that share a file can be one: the files index lists them by row. The rows stored before
        // it (a database from before schema 5, at or below filesScannedUpTo) are not in it: read as every row is.
        const listed = this.db.filesScannedUpTo
        const files = this.db.sql(`${head} FROM files f CROSS JOIN messages m NOT INDEXED ON m.n = f.n WHERE f.n < ? AND f.n > ? AND ${where} ORDER BY f.n DESC LIMIT ?`)
        read = before => {
          if (before <= listed + 1) return every(before)
          const rows = files.all(before, listed, this.scope, hub, room ?? null, room ?? null, by, by, page) as unknown as Found[]
          return rows.length === page || listed === 0 ? rows : [...rows, ...every(listed + 1, page - rows.length)]
        }
      }
    }
    const { top, oldest } = this.#window(narrow)
    const hits: SearchHit[] = []
    let before = Number.MAX_SAFE_INTEGER
    // Rows read above `top`, and from there down.
    let above = 0
    let below = 0
    while (hits.length < limit) {
      if (before > top && above >= scanRows) before = top
      if (below >= scanRows) break
      const rows = read(before)
      for (const r of rows) {
        if (r.n >= top) above++
        else below++
        const m = messageFromBody(r.body, r.sig, true)
        if (m.action === undefined && narrow?.test({ text: m.text, sentAt: m.sentAt, deliveredAt: r.delivered_at, clockOff: r.clock_off, file: m.file, replyTo: m.replyTo }) === false) continue
        const marked = r.snippet ?? (wordsOut !== undefined ? wordsOut(r.text) : firstWords(r.text))
        if (marked === undefined) continue
        hits.push({ room: r.room, id: r.id, author: r.author, name: m.name, lamport: r.lamport, sentAt: m.sentAt, ...(r.delivered_at > 0 ? { deliveredAt: r.delivered_at } : {}), ...(r.clock_off !== 0 ? { clockOff: r.clock_off } : {}), snippet: bracketed(marked), marked, ...(r.num !== null ? { seq: r.num } : {}) })
        if (hits.length === limit) break
      }
      if (rows.length < page) break
      before = rows.at(-1)!.n
      // Every row of the page that has an arrival time arrived before the first day asked for (less the slack):
      // they and all before them were written before it too (a message is never dated after it arrived).
      if (oldest !== undefined && rows.some(r => r.delivered_at > 0) && rows.every(r => r.delivered_at < oldest)) break
    }
    return hits
  }

  /**
   * has:link without words: reads the rows below `before` that may hold a web link, newest first, `page` at a time (a
   * superset, for narrowedTo to judge), however far back: those whose text says "http" (messages_http, db.ts). A link is
   * "http://" or "https://" after a character that is no ASCII letter, digit or _ (core/links.ts), so also one glued to
   * a word of a script written without spaces (詳細はhttps://…, or after an emoji), which the full-text index holds
   * inside the word before it ("詳細はhttps": FTS5 matches a word's beginning, never its end) and could not find.
   */
  #linkRows<T extends { n: number }> (head: string, where: string, hub: string, room: string | undefined, by: string | null, page: number): (before: number) => T[] {
    const stmt = this.db.sql(`${head} FROM messages m ${this.db.searchIndexed ? 'INDEXED BY messages_http' : 'NOT INDEXED'}
      WHERE ${MAY_LINK} AND m.n < ? AND ${where} ORDER BY m.n DESC LIMIT ?`)
    return before => stmt.all(before, this.scope, hub, room ?? null, room ?? null, by, by, page) as unknown as T[]
  }

  /**
   * Where the rows a search by date (`narrow.since`, `narrow.until`) can find are, in the order rows arrived:
   * `top`, the first row from which on each arrived, as far as the rows read tell, after the last day asked
   * for (MAX_SAFE_INTEGER: no such day); `oldest`, the arrival time before which none can be.
   *
   * A message is dated as it is shown (writtenAt): never after it arrived here, so a row that arrived before
   * `since` is not one, and rows are numbered as they arrive (the local clock, slack allowed for a step back:
   * `oldest`). A message dated before `until` may have arrived any time after, though (caught up on after days
   * offline, or a newcomer's whole history): `top` is found by the date of the rows, a binary search over
   * their numbers, one row read per step, and the rows above it are still read, newest first, as far as a
   * search without dates reads (the caller's scanRows): a message written before the days asked for that
   * arrived further up than that is the one not found.
   */
  #window (narrow: Narrowing | undefined): { top: number, oldest?: number } {
    const oldest = narrow?.since === undefined ? undefined : narrow.since - DATE_SLACK_MS
    if (narrow?.until === undefined) return oldest === undefined ? { top: Number.MAX_SAFE_INTEGER } : { top: Number.MAX_SAFE_INTEGER, oldest }
    const after = narrow.until + DATE_SLACK_MS
    // Any row will do to tell the time (any scope: one clock numbers them all); one read by its number is one seek.
    const bounds = this.db.sql('SELECT coalesce(min(n), 0) AS lo, coalesce(max(n), 0) AS hi FROM messages').get() as { lo: number, hi: number }
    const at = this.db.sql('SELECT n, body, sig, delivered_at, clock_off FROM messages WHERE n >= ? ORDER BY n LIMIT 1')
    let lo = bounds.lo
    let hi = bounds.hi + 1
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2)
      const r = at.get(mid) as { n: number, body: Uint8Array, sig: Uint8Array, delivered_at: number, clock_off: number } | undefined
      // No row at or after `mid` (an empty store).
      if (r === undefined) { hi = mid; continue }
      // A row dated earlier than it arrived (caught up on, a clock behind) moves `top` up: more is read, nothing missed.
      const when = writtenAt({ sentAt: messageFromBody(r.body, r.sig, true).sentAt, deliveredAt: r.delivered_at, clockOff: r.clock_off })
      if (when >= after) hi = mid
      else lo = r.n + 1
    }
    return oldest === undefined ? { top: lo } : { top: lo, oldest }
  }

  #searchUnspaced (query: string, indexed: readonly string[], unspaced: readonly string[], hub: string, room: string | undefined, limit: number, scanRows: number, by: string | null, narrow?: Narrowing): SearchHit[] {
    const contains = unspaced.map(() => CONTAINS).join(' AND ')
    const forms = unspaced.flatMap(w => wordForms(w))
    const match = ftsQuery(indexed.join(' '))
    const head = 'SELECT m.room, m.id, m.author, m.lamport, m.num, m.body, m.sig, m.delivered_at, m.clock_off, m.text'
    const where = `m.scope = ? AND m.hub = ? AND m.pending = 0 AND (? IS NULL OR m.room = ?) AND ${BY} AND ${contains}`
    let rows: Array<Row & { room: string, id: string, author: string, lamport: number, text: string }>
    if (match === '') {
      // Newest first down to a floor: a word with no hit in a million messages read them all, 2.5 s
      // of the engine's thread (BENCHMARKS.md) while chat waited.
      const floor = (this.db.sql('SELECT coalesce(max(n), 0) AS n FROM messages').get() as { n: number }).n - scanRows
      const stmt = this.db.sql(`${head} FROM messages m NOT INDEXED WHERE m.n > ? AND m.n < ? AND ${where} ORDER BY m.n DESC LIMIT ?`)
      const between = (from: number, to: number): typeof rows => stmt.all(from, to, this.scope, hub, room ?? null, room ?? null, by, by, ...forms, limit) as unknown as typeof rows
      // A day asked for further back (#window): as many rows again from where it ends, down.
      const { top } = this.#window(narrow)
      rows = top === Number.MAX_SAFE_INTEGER ? between(floor, top) : [...between(Math.max(floor, top - 1), Number.MAX_SAFE_INTEGER), ...between(top - 1 - scanRows, top)]
    } else {
      this.db.indexText()
      rows = this.db.sql(`${head} FROM messages_fts JOIN messages m ON m.n = messages_fts.rowid
        WHERE messages_fts MATCH ? AND ${where} ORDER BY messages_fts.rowid DESC LIMIT ?`)
        .all(match, this.scope, hub, room ?? null, room ?? null, by, by, ...forms, limit) as unknown as typeof rows
    }
    const snippetOf = sealedMatcher(query)
    // A word left out (-word) is not in the index's query when no other word is: the text is read for it here.
    const leftOut = termGroups(queryTerms(indexed.join(' '))).not.length > 0
    return rows.flatMap(r => {
      const m = messageFromBody(r.body, r.sig, true)
      // Asked for more (has:, a date): what is not that is let go here, after the words (fewer hits than `limit` then).
      if (m.action === undefined && narrow?.test({ text: m.text, sentAt: m.sentAt, deliveredAt: r.delivered_at, clockOff: r.clock_off, file: m.file, replyTo: m.replyTo }) === false) return []
      const found = snippetOf?.(r.text)
      if (found === undefined && leftOut) return []
      const marked = found ?? r.text.slice(0, 80)
      return [{ room: r.room, id: r.id, author: r.author, name: m.name, lamport: r.lamport, sentAt: m.sentAt, ...(r.delivered_at > 0 ? { deliveredAt: r.delivered_at } : {}), ...(r.clock_off !== 0 ? { clockOff: r.clock_off } : {}), snippet: bracketed(marked), marked, ...(r.num !== null ? { seq: r.num } : {}) }]
    })
  }
}

/** The row's text may hold a web link: the condition of the partial index messages_http (db.ts), as written there, for SQLite to use it. */
const MAY_LINK = "m.text LIKE '%http%'"

/** The row's body may hold a reply_to: the condition of the partial index messages_replies (db.ts), as written there, for SQLite to use it. */
const MAY_REPLY = "instr(m.body, X'5220') > 0"

/** The row is by one of the people a search names (a JSON list of peer ids), or it names none (NULL). */
const BY = '(? IS NULL OR m.author IN (SELECT value FROM json_each(?)))'

/** The text of a row contains a word: composed as typed, or decomposed. */
const CONTAINS = '(instr(m.text, ?) > 0 OR instr(m.text, ?) > 0)'

/**
 * A user's words as an FTS5 query: each word a phrase (no operator syntax), all of them required, the last one a prefix;
 * `a OR b` either, `-word` none (after the rest: FTS5 has no NOT alone). '' when no word is required (only words left out).
 */
export function ftsQuery (q: string): string {
  const typed = queryTerms(q)
  // The last word is a prefix, and so is its other spelling.
  const last = new Set<Term>(typed.length > 0 ? [typed.at(-1)!] : [])
  const terms = typed.flatMap(t => {
    const other = otherSpelling(t)
    if (other === undefined) return [t]
    if (last.has(t)) last.add(other)
    return [t, other]
  })
  const { groups, not } = termGroups(terms)
  // A "quoted phrase" is an FTS5 phrase: its words in a row, whole; the last word alone is a prefix.
  const phrase = (t: Term): string => `"${t.words.join(' ').replace(/"/g, '""')}"${!t.phrase && t.not !== true && last.has(t) ? '*' : ''}`
  // AND said: FTS5 takes two phrases side by side as both, but not a parenthesis and what follows it ("budget OR plan report").
  const wanted = groups.map(g => g.length === 1 ? phrase(g[0]!) : `(${g.map(phrase).join(' OR ')})`).join(' AND ')
  if (wanted === '' || not.length === 0) return wanted
  return `${groups.length === 1 && groups[0]!.length > 1 ? wanted : `(${wanted})`} NOT (${not.map(phrase).join(' OR ')})`
}

/**
 * A word written with ß, or with ss, as the other spelling: the index (unicode61) folds case and accents,
 * not ß, so "strasse" did not find "Straße" (nor the other way), as the sealed search's words do (fold).
 * Found either way: the other spelling OR'ed with it, or left out too (-straße).
 */
function otherSpelling (t: Term): Term | undefined {
  if (t.phrase || t.words.length !== 1) return undefined
  const word = t.words[0]!.toLowerCase()
  const other = word.includes('ß') ? word.replace(/ß/g, 'ss') : word.includes('ss') ? word.replace(/ss/g, 'ß') : undefined
  if (other === undefined) return undefined
  return t.not === true ? { words: [other], phrase: false, not: true } : { words: [other], phrase: false, or: true }
}
