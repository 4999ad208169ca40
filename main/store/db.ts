/**
 * The one database of a data directory: `<dataDir>/lanchat.db`, SQLite through
 * Node's built-in `node:sqlite` (no native module), in WAL mode. Every store
 * (the P2P peer, the client, the hub) keeps its part in it, told apart by a
 * `scope`; this file is the only one that opens it, checks it, sets a damaged
 * one aside and knows the schema.
 *
 * @example
 * ```ts
 * const { db, problems } = ChatDb.open(dataDir)   // problems: a damaged db set aside, files imported
 * db.transaction(() => { db.messages('p2p').insert([{ message }]) })
 * db.close()
 * ```
 */
import { chmodSync, closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { StoreError } from './errors.js'
import { makeDirs } from './files.js'
import { Checkpointer } from './checkpointer.js'
import { importLegacy } from './import.js'
import { indexAction, MessageTable, type Scope } from './messages.js'
import { messageFromBody } from '../net/codec.js'
import { MAX_KEPT_DIRECTS } from '../core/limits.js'
import { cleanAppVersion, cleanLevel, type AppBuild } from '../core/build.js'

export const DB_FILE = 'lanchat.db'
const VERSION = 6
/** Rows the full-text index takes in at a time, in the background: small enough not to hold up the event loop for long. */
const INDEX_CHUNK = 1000
/** The index waits this long after the last insert, so a catch-up is not slowed by indexing as it goes. */
const INDEX_QUIET_MS = 500
/** A statement that writes (its WAL pages wait for a checkpoint). */
const WRITES = /^\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b/i
/**
 * Files up to this size are checked (`PRAGMA quick_check`) before they are used: about 0.2 s,
 * some 60k messages. A larger one is checked on a thread after the start (a 1M-message file
 * took seconds to check, which every start paid before the first page showed).
 */
export const CHECK_AT_OPEN_BYTES = 64 * 1024 * 1024
/** Beside the database: damage a check found after the start, for the next start to act on. */
export const DAMAGE_MARK = '.damaged'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (scope, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
  n INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  hub TEXT NOT NULL DEFAULT '',
  num INTEGER,
  pending INTEGER NOT NULL DEFAULT 0,
  id TEXT NOT NULL,
  room TEXT NOT NULL,
  author TEXT NOT NULL,
  seq INTEGER NOT NULL,
  lamport INTEGER NOT NULL,
  text TEXT NOT NULL,
  delivered_at INTEGER NOT NULL DEFAULT 0,
  via TEXT NOT NULL DEFAULT '',
  hops INTEGER NOT NULL DEFAULT 0,
  body BLOB NOT NULL,
  sig BLOB NOT NULL,
  -- How far its author's clock ran behind ours (ms; negative: ahead) when it came live: its time is shown on ours.
  clock_off INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_id ON messages (scope, hub, id);
CREATE INDEX IF NOT EXISTS messages_room ON messages (scope, hub, room, lamport, author, id);
-- Only a hub's and a client's rows have numbers: a P2P row pays no write for this index.
CREATE INDEX IF NOT EXISTS messages_room_num ON messages (scope, hub, room, num) WHERE num IS NOT NULL;
-- A hub's whole order (what it sends a client that catches up), and a client's newest number.
CREATE INDEX IF NOT EXISTS messages_num ON messages (scope, hub, num) WHERE num IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_author ON messages (scope, author, seq);
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5 (text, content = 'messages', content_rowid = 'n');
-- Text is indexed after the commit, up to the row number kept in meta ('fts', 'indexed'): see ChatDb.indexText.
-- A deleted row leaves the index only if it was in it (a 'delete' of a row never indexed would damage it).
CREATE TRIGGER IF NOT EXISTS messages_fts_out AFTER DELETE ON messages
WHEN old.n <= coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE scope = 'fts' AND key = 'indexed'), 0) BEGIN
  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.n, old.text);
END;
-- Authors found forked (two messages with one number), with the lowest such number: see core/forks.ts.
-- Edits, deletes and reactions (core/edits.ts), by the message they point at: a page's messages find theirs.
CREATE TABLE IF NOT EXISTS actions (scope TEXT NOT NULL, hub TEXT NOT NULL, id TEXT NOT NULL, target TEXT NOT NULL, PRIMARY KEY (scope, hub, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS actions_target ON actions (scope, hub, target);
-- Pins and unpins (a kind of action), by the room they were written in: a room's pins across its whole history.
-- Added without a new schema version: an older build opens the file and ignores the table.
-- pinned: 1 for a pin, 0 for an unpin; a room's pins are read newest first by lamport (MessageTable.pinTargets).
CREATE TABLE IF NOT EXISTS pins (scope TEXT NOT NULL, hub TEXT NOT NULL, room TEXT NOT NULL, id TEXT NOT NULL, target TEXT NOT NULL, lamport INTEGER NOT NULL, pinned INTEGER NOT NULL, PRIMARY KEY (scope, hub, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pins_room ON pins (scope, hub, room, pinned, lamport);
-- Messages the person saved for later (saved.ts): theirs alone, one list for both modes, ids and when only (never words).
-- Added without a new schema version, as pins: an older build opens the file and ignores the table.
CREATE TABLE IF NOT EXISTS saved (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
-- Our own messages a hub refused for good, as signed (a private one sealed), and why: kept until sent again or discarded (unsent.ts).
CREATE TABLE IF NOT EXISTS unsent (id TEXT PRIMARY KEY, body BLOB NOT NULL, sig BLOB NOT NULL, sent_at INTEGER NOT NULL, reason TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS forks (scope TEXT NOT NULL, author TEXT NOT NULL, floor INTEGER NOT NULL, PRIMARY KEY (scope, author)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS peers (peer_id TEXT PRIMARY KEY, addrs TEXT NOT NULL, name TEXT NOT NULL, last_seen INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocked (peer_id TEXT PRIMARY KEY) WITHOUT ROWID;
-- Appended only, no index: a unique one on (id, by_peer) cost a random b-tree insert per receipt (an author that
-- catches a peer up on 100k messages keeps 100k receipts). A repeat is rare (the engine records a receipt once while
-- it tracks the message) and is folded when the newest are read back (PeerStore.receipts).
CREATE TABLE IF NOT EXISTS receipts (n INTEGER PRIMARY KEY, id TEXT NOT NULL, by_peer TEXT NOT NULL, lamport INTEGER NOT NULL, at INTEGER NOT NULL);
-- The message rows that share a file, by the file's SHA-256 (32 bytes), written with the row (MessageTable.insert).
-- A row deleted, or made a tombstone (its body replaced: redact), shares it no more.
CREATE TABLE IF NOT EXISTS files (n INTEGER PRIMARY KEY, sha BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS files_sha ON files (sha);
CREATE TRIGGER IF NOT EXISTS messages_files_out AFTER DELETE ON messages BEGIN DELETE FROM files WHERE n = old.n; END;
CREATE TRIGGER IF NOT EXISTS messages_files_redact AFTER UPDATE OF body ON messages BEGIN DELETE FROM files WHERE n = old.n; END;
`

/**
 * Indexes that only make searches quicker (MessageTable.search reads the same rows without them, by a scan).
 * Made apart from SCHEMA, and a failure to make them is no failure to open: on a full disk the first start after
 * an update still opens the history, to be read, and makes them at a later start.
 */
const SEARCH_INDEXES = `
-- The rows that may be replies, for has:reply (MessageTable.search): a reply's body holds field 10, reply_to, a message
-- id of 32 bytes: the bytes 0x52 (field 10, length-delimited) 0x20 (32), as the author's encoder writes them. Other bytes
-- may read so too (a few rows in a thousand): the caller judges each decoded. Partial, on a column every build writes:
-- SQLite keeps it up to date whichever build writes (no schema version, so older builds still open the file); made
-- once over an existing history at the first start that has it (about 0.3 s per million messages).
CREATE INDEX IF NOT EXISTS messages_replies ON messages (scope, hub) WHERE instr(body, X'5220') > 0;
-- The rows whose text says "http" (LIKE folds ASCII case, as core/links.ts does), for has:link: every web link's, also
-- one glued to the word before it (詳細はhttps://…), which the full-text index holds inside that word. The same kind of
-- index as messages_replies, read the same way; made once over an existing history (about 0.3 s per million messages).
CREATE INDEX IF NOT EXISTS messages_http ON messages (scope, hub) WHERE text LIKE '%http%';
`

/** How long a write waits for another connection's lock (SQLite's busy timeout), and how long while locked out. */
const BUSY_MS = 5000
const LOCKED_OUT_BUSY_MS = 50
const SQLITE_BUSY = 5

export class ChatDb {
  readonly path: string
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, StatementSync>()
  readonly #tables = new Map<Scope, MessageTable>()
  #indexTimer: NodeJS.Timeout | undefined
  #checkpointer: Checkpointer | undefined
  /** Rows stored before the files index (schema 5) are at or below this number: they are scanned (0: none). */
  #filesScannedUpTo = 0
  /** Whether SEARCH_INDEXES are there (they may not be made: a full disk); without them searches scan. */
  #searchIndexed = false
  /** A write found the database locked by another connection: writes wait LOCKED_OUT_BUSY_MS until one goes through. */
  #lockedOut = false

  private constructor (path: string, db: DatabaseSync) {
    this.path = path
    this.#db = db
  }

  /**
   * Open (or create) the data directory's database. A database that fails
   * `PRAGMA quick_check` is renamed aside and a fresh one made (peers refill
   * it by catch-up); `problems` says what happened, where, for the user. The
   * check reads every page, so a file over CHECK_AT_OPEN_BYTES is checked on
   * a thread after the start instead: damage found then is told through
   * `onLateProblem`, and the file is set aside at the next start. The files
   * of the stores before SQLite are imported once (import.ts).
   */
  static open (dataDir: string, onLateProblem?: (problem: string) => void): { db: ChatDb, problems: string[] } {
    const path = join(dataDir, DB_FILE)
    const problems: string[] = []
    try {
      makeDirs(dataDir, 0o700)
    } catch (err) {
      throw new StoreError(`Cannot create the data directory ${dataDir}: ${(err as Error).message}`)
    }
    ChatDb.#ownerOnly(path)
    let db = ChatDb.#connect(path)
    // A large file is checked after the start, on the checkpointer's thread (below); damage found then is set aside at the next.
    const marked = ChatDb.#marked(path)
    const large = !marked && ChatDb.#size(path) > CHECK_AT_OPEN_BYTES
    const damage = marked ? readFileSync(path + DAMAGE_MARK, 'utf8') : large ? undefined : ChatDb.#damage(db)
    if (damage !== undefined) {
      try { db.close() } catch { /* closing a damaged file may fail: it is set aside anyway */ }
      const aside = `${path}.damaged-${Date.now()}`
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix)
      }
      problems.push(`The message database ${path} was damaged (${damage}); it was set aside as ${aside} and a new one started: connected peers send the history again.`)
      rmSync(path + DAMAGE_MARK, { force: true })
      ChatDb.#ownerOnly(path)
      db = ChatDb.#connect(path)
    }
    const chat = new ChatDb(path, db)
    try {
      chat.#schema()
      problems.push(...importLegacy(chat, dataDir))
    } catch (err) {
      chat.close()
      throw ChatDb.#storeError(path, err)
    }
    chat.#checkpointer = new Checkpointer(path)
    if (large) {
      chat.#checkpointer.check(found => {
        if (found === undefined) return
        // Marked, so the next start sets it aside at once (without reading it all again).
        try { writeFileSync(path + DAMAGE_MARK, found) } catch { /* a full or read-only disk: the next start's check finds it again */ }
        onLateProblem?.(`The message database ${path} is damaged (${found}). LAN Chat sets it aside when it next starts and peers send the history again: restart it to repair now.`)
      })
    }
    return { db: chat, problems }
  }

  static #marked (path: string): boolean { return existsSync(path + DAMAGE_MARK) }

  /**
   * The history is its owner's to read: the database is made (or, made by an
   * older build, set) readable by its owner only, before SQLite opens it, and
   * SQLite gives its WAL and shared-memory files the database's mode. Where
   * modes mean nothing (Windows) or the file is not ours to change, it stays
   * as it is.
   */
  static #ownerOnly (path: string): void {
    try {
      closeSync(openSync(path, 'a', 0o600))
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(path + suffix) && (statSync(path + suffix).mode & 0o077) !== 0) chmodSync(path + suffix, 0o600)
      }
    } catch { /* opening it below says what is wrong, if anything is */ }
  }

  static #size (path: string): number {
    try { return statSync(path).size } catch { return 0 }
  }

  static #connect (path: string): DatabaseSync {
    let db: DatabaseSync | undefined
    try {
      db = new DatabaseSync(path)
      db.exec(`PRAGMA busy_timeout = ${BUSY_MS}`)
      // WAL with synchronous NORMAL: a commit survives a crash of the process (kill -9) at any moment.
      db.exec('PRAGMA journal_mode = WAL')
      db.exec('PRAGMA synchronous = NORMAL')
      // What is deleted or overwritten is zeroed, not left in free space: a deleted message's words leave the file (MessageTable.redact).
      db.exec('PRAGMA secure_delete = ON')
      // No checkpoint inside a commit: SQLite's automatic one (every 1,000 pages) synced the file in the
      // middle of the message path, 30–50 ms stalls that halved throughput. The Checkpointer runs them
      // on a thread of its own (checkpointer.ts).
      db.exec('PRAGMA wal_autocheckpoint = 0')
      // Under a burst that never pauses (a catch-up) the WAL grows: once checkpointed, the next write starts it
      // over, and the file is cut back to this size.
      db.exec('PRAGMA journal_size_limit = 67108864')
      return db
    } catch (err) {
      // "file is not a database" is damage, found by #damage on a connection that opened; anything else is the disk's.
      if (db !== undefined && /not a database|malformed|corrupt/i.test((err as Error).message)) return db
      try { db?.close() } catch { /* the error that matters is the one below */ }
      throw ChatDb.#storeError(path, err)
    }
  }

  static #damage (db: DatabaseSync): string | undefined {
    try {
      const rows = db.prepare('PRAGMA quick_check').all() as Array<{ quick_check: string }>
      const bad = rows.map(r => r.quick_check).filter(r => r !== 'ok')
      return bad.length === 0 ? undefined : bad.slice(0, 3).join('; ')
    } catch (err) {
      return (err as Error).message
    }
  }

  static #storeError (path: string, err: unknown): StoreError {
    if (err instanceof StoreError) return err
    const msg = (err as Error).message
    const hint = /readonly|read-only|unable to open|permission|access/i.test(msg)
      ? ' (is the directory writable?)'
      : /full|disk/i.test(msg) ? ' (is the disk full?)' : ''
    return new StoreError(`Cannot write the message database ${path}: ${msg}${hint}`)
  }

  #schema (): void {
    const version = (this.#db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version
    if (version > VERSION) throw new StoreError(`${this.path} was written by a newer LAN Chat (schema ${version}); this one reads ${VERSION}`)
    if (version === 1) {
      // Version 1 indexed text in the commit (a trigger): all of it is in the index already.
      this.#db.exec(`DROP TRIGGER IF EXISTS messages_fts_in; DROP TRIGGER IF EXISTS messages_fts_out;
        INSERT OR REPLACE INTO meta (scope, key, value) SELECT 'fts', 'indexed', coalesce(max(n), 0) FROM messages;`)
    }
    // Version 3 made the number index partial (and added messages_num).
    if (version > 0 && version < 3) this.#db.exec('DROP INDEX IF EXISTS messages_room_num')
    // Version 4 keeps receipts without a unique index.
    if (version > 0 && version < 4) this.#db.exec('DROP INDEX IF EXISTS receipts_id')
    // Version 6 keeps, with a message that came live, how far its author's clock was off ours (core/written-at.ts).
    // Asked of the table, not the version: a build killed between making its tables and numbering them left 0.
    const columns = version < 6 ? (this.#db.prepare('SELECT name FROM pragma_table_info(\'messages\')').all() as Array<{ name: string }>) : []
    if (columns.length > 0 && !columns.some(c => c.name === 'clock_off')) {
      this.#db.exec('ALTER TABLE messages ADD COLUMN clock_off INTEGER NOT NULL DEFAULT 0')
    }
    this.#db.exec(SCHEMA)
    try {
      this.#db.exec(SEARCH_INDEXES)
      this.#searchIndexed = true
    } catch {
      // A full disk, say: searches scan instead (MessageTable names no index that is not there), until a start that can write them.
    }
    // Version 5 indexes the files messages share. The rows stored before it are not in that index: they are
    // found by a scan of their bodies, as every row was before (rows up to this number; 0 in a database made
    // since). Reading every body to index them would hold up the first start after the update.
    if (version > 0 && version < 5) {
      this.#db.exec(`INSERT OR REPLACE INTO meta (scope, key, value) SELECT 'files', 'scanned-up-to', coalesce(max(n), 0) FROM messages`)
    }
    this.#filesScannedUpTo = (this.#db.prepare("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE scope = 'files' AND key = 'scanned-up-to'), 0) AS n").get() as { n: number }).n
    try {
      this.#findPins()
    } catch {
      // A full disk, say: the rows are read again at a start that can write what it finds.
    }
    // Written only when it changes: a database on a full disk still opens, to be read.
    if (version !== VERSION) this.#db.exec(`PRAGMA user_version = ${VERSION}`)
    this.textAdded()
  }

  /**
   * The pins and unpins a build from before them stored: it skipped field 15 (net/body.ts), so it kept each as a
   * line of text, with no row in actions or pins, and an updated peer would never count them (the others do). The
   * rows stored since the last start (the whole history, at the first start that has pins; then an older build's
   * rows too, if one ran in between) are read for a pin's bytes in SQLite, no body decoded but those; each found
   * is indexed as MessageTable.insert indexes one. (A body whose Pin lists `on` before `target`, which no build
   * writes, is not found here.)
   */
  #findPins (): void {
    const done = (this.#db.prepare("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE scope = 'pins' AND key = 'scanned-up-to'), 0) AS n").get() as { n: number }).n
    const last = (this.#db.prepare('SELECT coalesce(max(n), 0) AS n FROM messages').get() as { n: number }).n
    if (last <= done) return
    this.transaction(() => {
      // Field 15 (tag 0x7a) holding a Pin of 34 bytes (an unpin) or 36 (a pin), its target first (0x0a, 32 bytes).
      const found = this.#db.prepare(`SELECT scope, hub, id, body, sig FROM messages WHERE n > ? AND n <= ?
        AND (instr(body, X'7A220A20') > 0 OR instr(body, X'7A240A20') > 0)`).all(done, last) as Array<{ scope: string, hub: string, id: string, body: Uint8Array, sig: Uint8Array }>
      for (const r of found) {
        let m
        try {
          m = messageFromBody(r.body, r.sig, true)
        } catch {
          continue // the bytes were of something else
        }
        if (m.action?.kind === 'pin' || m.action?.kind === 'unpin') indexAction(this, r.scope, r.hub, r.id, m)
      }
      this.#pinsScanned(last)
    })
  }

  /** Rows up to `n` need no look for an older build's pins: read, or stored by this one (MessageTable.insert indexes them). */
  #pinsScanned (n: number): void {
    this.#db.prepare("INSERT INTO meta (scope, key, value) VALUES ('pins', 'scanned-up-to', ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value").run(String(n))
  }

  /**
   * Take the text of new messages into the full-text index, at most `limit`
   * rows, in one transaction; how many it took. Indexing is kept off the
   * commit path (it was most of a catch-up's cost): new text is indexed in
   * the background once inserts pause, and all of it before a search.
   */
  indexText (limit = Number.MAX_SAFE_INTEGER): number {
    return this.transaction(() => {
      const done = (this.sql("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE scope = 'fts' AND key = 'indexed'), 0) AS n").get() as { n: number }).n
      const last = (this.sql('SELECT max(n) AS n FROM (SELECT n FROM messages WHERE n > ? ORDER BY n LIMIT ?)').get(done, limit) as { n: number | null }).n
      if (last === null) return 0
      const taken = this.sql('INSERT INTO messages_fts (rowid, text) SELECT n, text FROM messages WHERE n > ? AND n <= ?').run(done, last).changes
      this.sql("INSERT INTO meta (scope, key, value) VALUES ('fts', 'indexed', ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value").run(String(last))
      return Number(taken)
    })
  }

  /**
   * Messages were added: checkpoint the WAL on the checkpointer's thread once
   * enough rows are in it, and index their text once inserts have paused (a
   * burst or a catch-up first).
   */
  textAdded (rows = 1): void {
    this.#checkpointer?.written(rows)
    clearTimeout(this.#indexTimer)
    this.#indexTimer = setTimeout(() => { this.#indexSome() }, INDEX_QUIET_MS)
    this.#indexTimer.unref()
  }

  #indexSome (): void {
    this.#indexTimer = undefined
    if (!this.#db.isOpen) return
    let taken: number
    try {
      taken = this.indexText(INDEX_CHUNK)
    } catch {
      return // the disk is full or read-only: search indexes what it can when asked
    }
    if (taken < INDEX_CHUNK) {
      this.#checkpointer?.idle()
      return
    }
    // More to do: the next chunk after other work had its turn.
    this.#indexTimer = setTimeout(() => { this.#indexSome() }, 0)
    this.#indexTimer.unref()
  }

  /**
   * Fold the WAL into the database and empty it, so nothing overwritten
   * (a deleted message's words) is left in old WAL frames. Best effort: a
   * checkpoint under way elsewhere leaves it for the next one.
   */
  scrub (): void {
    try {
      this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    } catch {
      // Busy or a full disk: the words go with the next checkpoint.
    }
  }

  /** A statement of its own, not shared: for iterating while the shared one of the same text may be run again meanwhile. */
  fresh (text: string): StatementSync { return this.#db.prepare(text) }

  /** A prepared statement, made once per SQL text. */
  sql (text: string): StatementSync {
    let s = this.#statements.get(text)
    if (s === undefined) this.#statements.set(text, s = this.#db.prepare(text))
    if (WRITES.test(text)) this.#checkpointer?.wrote()
    return s
  }

  /** Run `fn` in one transaction: all of it is committed, or none (then the error is a StoreError naming the file). */
  transaction<T> (fn: () => T): T {
    if (this.#db.isTransaction) return fn()
    try {
      this.#db.exec('BEGIN IMMEDIATE')
    } catch (err) {
      // Another program holds the write lock (a database browser, a backup): SQLite waited BUSY_MS for it,
      // the whole process still. Until a write goes through again each waits only briefly, so an app or a
      // hub that writes at every message does not stand still for seconds at each one; its caller tries again.
      if ((err as { errcode?: number }).errcode === SQLITE_BUSY && !this.#lockedOut) {
        this.#lockedOut = true
        this.#db.exec(`PRAGMA busy_timeout = ${LOCKED_OUT_BUSY_MS}`)
      }
      throw err
    }
    if (this.#lockedOut) {
      this.#lockedOut = false
      this.#db.exec(`PRAGMA busy_timeout = ${BUSY_MS}`)
    }
    try {
      const out = fn()
      this.#db.exec('COMMIT')
      return out
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK')
      throw ChatDb.#storeError(this.path, err)
    }
  }

  /**
   * Whether any message stored here, in any mode, still shares file `sha256`
   * (a deleted one no longer does: its body lost the file). A look-up in the
   * files index; the rows stored before it (a database from before schema 5)
   * are searched for the hash's 32 bytes in their signed bodies, as all were
   * before: 0.5–0.6 s over a million messages on a 2-core test machine (BENCHMARKS.md).
   */
  sharesFile (sha256: string): boolean {
    const sha = Buffer.from(sha256, 'hex')
    return this.sql('SELECT 1 FROM files WHERE sha = ? LIMIT 1').get(sha) !== undefined ||
      (this.#filesScannedUpTo > 0 && this.sql('SELECT 1 FROM messages WHERE n <= ? AND instr(body, ?) > 0 LIMIT 1').get(this.#filesScannedUpTo, sha) !== undefined)
  }

  /** Whether `author` shared file `sha256` in a message of either mode that is not deleted (a peer's own files). */
  sharedBy (sha256: string, author: string): boolean {
    const sha = Buffer.from(sha256, 'hex')
    return this.sql("SELECT 1 FROM files f JOIN messages m ON m.n = f.n WHERE f.sha = ? AND m.scope IN ('p2p', 'client') AND m.author = ? LIMIT 1").get(sha, author) !== undefined ||
      (this.#filesScannedUpTo > 0 && this.sql("SELECT 1 FROM messages WHERE n <= ? AND scope IN ('p2p', 'client') AND author = ? AND instr(body, ?) > 0 LIMIT 1").get(this.#filesScannedUpTo, author, sha) !== undefined)
  }

  /** Rows stored before the files index, which MessageTable.sharing scans (0: none). */
  get filesScannedUpTo (): number { return this.#filesScannedUpTo }

  /** Whether the indexes has:link and has:reply read (SEARCH_INDEXES) were made; SQLite fails a query naming one that is not there. */
  get searchIndexed (): boolean { return this.#searchIndexed }

  /** The messages of one store. */
  messages (scope: Scope): MessageTable {
    let t = this.#tables.get(scope)
    if (t === undefined) this.#tables.set(scope, t = new MessageTable(this, scope))
    return t
  }

  /** A small JSON value of a store (its state: name, clock, rooms…). */
  getJson (scope: string, key: string): unknown {
    const row = this.sql('SELECT value FROM meta WHERE scope = ? AND key = ?').get(scope, key) as { value: string } | undefined
    if (row === undefined) return undefined
    try { return JSON.parse(row.value) } catch { return undefined }
  }

  setJson (scope: string, key: string, value: unknown): void {
    this.transaction(() => {
      this.sql('INSERT INTO meta (scope, key, value) VALUES (?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value')
        .run(scope, key, JSON.stringify(value))
    })
  }

  get isOpen (): boolean { return this.#db.isOpen }

  close (): void {
    if (!this.#db.isOpen) return
    clearTimeout(this.#indexTimer)
    // What this run stored indexed its own pins: the next start looks only at what an older build adds meanwhile.
    try {
      this.#pinsScanned((this.#db.prepare('SELECT coalesce(max(n), 0) AS n FROM messages').get() as { n: number }).n)
    } catch {
      // A full disk or a read-only one: the next start looks at this run's rows again, and finds them indexed.
    }
    this.#statements.clear()
    // The checkpointer's connection closes first: this one, the last, folds the WAL in and removes it.
    this.#checkpointer?.close()
    this.#db.close()
  }
}

/** The peers this person blocked: one list for both modes (the table has no scope). */
/** The name `peerId` went by when peer to peer last met it (the book of known peers), if it is there. */
export function readKnownName (db: ChatDb, peerId: string): string | undefined {
  const row = db.sql('SELECT name FROM peers WHERE peer_id = ?').get(peerId) as { name: string } | undefined
  return row?.name === '' ? undefined : row?.name
}

export function readBlocked (db: ChatDb): string[] {
  return (db.sql('SELECT peer_id FROM blocked').all() as Array<{ peer_id: string }>).map(r => r.peer_id)
}

export function writeBlocked (db: ChatDb, peerIds: readonly string[]): void {
  db.transaction(() => {
    db.sql('DELETE FROM blocked').run()
    for (const id of peerIds) db.sql('INSERT OR IGNORE INTO blocked (peer_id) VALUES (?)').run(id)
  })
}

/**
 * The people this person forgot (peer id → when, ms): one list for both modes, as the blocked
 * ones, the latest MAX_KEPT_DIRECTS. Anything else stored there, or a read that fails, is none.
 */
export function readForgotten (db: ChatDb): Record<string, number> {
  // A damaged database is checked and told after the start (a large one): at worst, they are listed meanwhile.
  try { return keptPeerTimes(db.getJson('people', 'forgotten')) ?? {} } catch { return {} }
}

export function writeForgotten (db: ChatDb, forgotten: Record<string, number>): void {
  db.setJson('people', 'forgotten', forgotten)
}

/** A stored map of peer id → a time (a closed conversation's Lamport time, when someone was forgotten), as read back: the newest MAX_KEPT_DIRECTS. */
export function keptPeerTimes (raw: unknown): Record<string, number> | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined
  const kept = Object.entries(raw as Record<string, unknown>)
    .filter((e): e is [string, number] => e[0].length > 0 && e[0].length <= 200 && Number.isSafeInteger(e[1]) && (e[1] as number) >= 0)
  return Object.fromEntries(kept.slice(-MAX_KEPT_DIRECTS))
}

/** A stored list of opened conversations as either mode's state keeps it: peer ids only, the newest MAX_KEPT_DIRECTS. */
export function keptDirects (raw: unknown): string[] | undefined {
  if (!Array.isArray(raw)) return undefined
  return raw.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 200).slice(-MAX_KEPT_DIRECTS)
}

/**
 * Each peer's last known build, as a run kept it: one list for both modes, as the blocked ones (a
 * person's key, so their LAN Chat, is the same in both). Each cleaned as a hello's is, the newest
 * `max`; none from a damaged row.
 */
export function readBuilds (db: ChatDb, max: number): Record<string, AppBuild> {
  let raw: unknown
  try { raw = db.getJson('people', 'builds') } catch { return {} }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {}
  const kept: Array<[string, AppBuild]> = []
  for (const [peerId, b] of Object.entries(raw as Record<string, unknown>).slice(-max)) {
    if (peerId.length === 0 || peerId.length > 200 || b === null || typeof b !== 'object') continue
    const { version, level } = b as { version?: unknown, level?: unknown }
    const v = typeof version === 'string' ? cleanAppVersion(version) : undefined
    kept.push([peerId, { ...(v !== undefined ? { version: v } : {}), level: typeof level === 'number' ? cleanLevel(level) : 0 }])
  }
  return Object.fromEntries(kept)
}

export function writeBuilds (db: ChatDb, builds: Record<string, AppBuild>): void {
  db.setJson('people', 'builds', builds)
}
