import { readdir, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { checkFileSize, DEFAULT_MAX_FILE_BYTES, formatBytes, formatSizes, HEX64, type FileManifest } from '../core/file.js'
import type { ChatMessage } from '../core/message.js'
import { fetchChunks } from '../chat/download.js'
import type { ChunkReader, FileProtocol, FileSource } from '../net/file-protocol.js'
import { BlobStore, diskSpace, figureOf, type Kept, type KeptFile } from '../store/blobs.js'
import { FileWriteError, NoSpaceError } from '../chat/errors.js'
import { makeDirs } from '../store/files.js'

/** A failed fetch is tried again on its own after this pause, doubled at each failure up to RETRY_MOST_MS (and at once when a client joins). */
const RETRY_FIRST_MS = 2_000
const RETRY_MOST_MS = 60_000
/** Files fetched at once; the others wait their turn (each fetch holds two open files and a stream on its holder's link). */
export const HUB_FETCHES_AT_ONCE = 4
/**
 * Files waiting to be fetched at most: past it, the one waiting longest is given up (said in
 * the log). A client that shares files it never serves must not grow the list, nor the work
 * of each retry, without end.
 */
export const HUB_MOST_MISSING = 1_000
/** Free space a file never takes from the hub's disk, for its messages' database: this, or a tenth of a smaller disk. */
export const HUB_DISK_RESERVE_BYTES = 256 * 2 ** 20

export interface HubFilesOptions {
  maxFileBytes?: number
  /** At most this many bytes of files kept (default: no limit); past it, the ones used longest ago are dropped. */
  keepBytes?: number
  files: () => FileProtocol | undefined
  clients: () => string[]
  /** The newest stored message still sharing file `sha256` (the store's files index): what a dropped file is fetched again from. */
  sharing: (sha256: string) => ChatMessage | undefined
  log: (line: string) => void
}

/**
 * The hub's files: it fetches the file of every message it numbers from the
 * client that submitted it (over the file protocol, on that client's own
 * link), keeps it in its data directory by hash and serves it to every
 * client — so a file stays available after its author goes offline. A fetch
 * that fails (no holder yet, a stall, no room) is tried again when a client
 * joins, and on its own after a pause that doubles from 2 s up to a minute.
 *
 * With a limit (`keepBytes`), the hub keeps files as a cache: past it, the
 * files served or stored longest ago are dropped, each remembered by a marker
 * in `files-dropped/` (so a restart does not fetch them again at once), and
 * a dropped file a client asks for is fetched again from the clients that
 * hold it — its author first — while that client's download waits.
 */
export class HubFiles implements FileSource {
  readonly blobs: BlobStore
  /** Largest file fetched and stored; the hosting app's setting can change it while the hub runs. */
  maxFileBytes: number
  #keepBytes: number
  readonly #files: () => FileProtocol | undefined
  readonly #clients: () => string[]
  readonly #sharing: (sha256: string) => ChatMessage | undefined
  /** What was last said of each file the hub could not fetch (a lack of room as that, whatever the sizes said). */
  readonly #told = new Map<string, string>()
  /** Files whose last fetch failed for want of room on the hub's disk: why, in a client's words. */
  readonly #noRoom = new Map<string, string>()
  /** Dropped files a client asked for whose message is being looked up. */
  readonly #looking = new Set<string>()
  readonly #log: (line: string) => void
  /** Files the hub lacks, by SHA-256 (the manifest and who submitted it). */
  readonly #missing = new Map<string, { manifest: FileManifest, author: string }>()
  readonly #fetching = new Map<string, { abort: AbortController, done: Promise<void> }>()
  /** Files dropped to keep within the limit, fetched again only when a client asks (their markers' names). */
  readonly #dropped = new Set<string>()
  readonly #droppedDir: string
  #trimming: Promise<void> | undefined
  #retryTimer: NodeJS.Timeout | undefined
  #retryMs = RETRY_FIRST_MS
  #stopped = false
  #trimAgain = false
  /** Files kept through the trim pass that runs next (each one just stored). */
  #keep = new Set<string>()

  constructor (dataDir: string, opts: HubFilesOptions) {
    this.blobs = new BlobStore(join(dataDir, 'files'))
    this.#droppedDir = join(dataDir, 'files-dropped')
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
    this.#keepBytes = opts.keepBytes ?? Infinity
    this.#files = opts.files
    this.#clients = opts.clients
    this.#sharing = opts.sharing
    this.#log = opts.log
  }

  /** Reads which files were dropped by an earlier run (before `note` is asked of the history), and keeps within the limit. */
  async load (): Promise<void> {
    makeDirs(this.#droppedDir)
    for (const name of await readdir(this.#droppedDir)) {
      if (!HEX64.test(name)) continue
      this.#dropped.add(name)
      // Marked, then the process stopped before the file went: it is still here, so not dropped.
      if (this.blobs.has(name)) await this.#undrop(name)
    }
    await this.trim()
  }

  has (sha256: string): boolean { return this.blobs.has(sha256) }

  /** The files the hub lacks and waits to fetch (a holder to connect, or room): how many, and their full sizes. */
  waiting (): { files: number, bytes: number } {
    let bytes = 0
    for (const { manifest } of this.#missing.values()) bytes += manifest.size
    return { files: this.#missing.size, bytes }
  }

  /** The most bytes of files kept (Infinity: no limit). Lowered, the files used longest ago are dropped at once. */
  get keepBytes (): number { return this.#keepBytes }
  set keepBytes (bytes: number) {
    const lower = bytes < this.#keepBytes
    this.#keepBytes = bytes
    if (lower) this.#trimSoon()
  }

  /** Served to clients: what the store has; a miss on a dropped file sets off its fetch (the client asks again). */
  async hashes (sha256: string): Promise<Uint8Array[] | undefined> {
    const hashes = await this.blobs.hashes(sha256)
    if (hashes === undefined) this.#wanted(sha256)
    return hashes
  }

  async open (sha256: string): Promise<ChunkReader | undefined> {
    const reader = await this.blobs.open(sha256)
    if (reader === undefined) { this.#wanted(sha256); return undefined }
    // A file served is not dropped (#dropOldest): once it is no longer, the limit is looked at again.
    return { read: reader.read, close: async () => { await reader.close(); if (this.#keepBytes !== Infinity) this.#trimSoon() } }
  }

  /**
   * Why the hub does not have a file a client asked for, in the client's words: one it is
   * fetching (or waiting to fetch) from whoever shared it is `later` (the client waits, as for a
   * holder gone for a while); one over the hub's size limit is never stored, so never served.
   */
  absent (sha256: string): { reason: string, later: boolean } | undefined {
    // Tried again on its own, but the disk may stay full for days: the client is told, and Retry works once there is room.
    const noRoom = this.#noRoom.get(sha256)
    if (noRoom !== undefined && this.#missing.has(sha256)) return { reason: `the server could not store this file: ${noRoom}`, later: false }
    if (this.#missing.has(sha256) || this.#fetching.has(sha256) || this.#looking.has(sha256)) {
      return { reason: 'the server has not got this file yet: it fetches it from whoever shared it once they are connected', later: true }
    }
    const size = this.#sharing(sha256)?.file?.size
    if (size !== undefined && size > this.maxFileBytes) {
      const [file, most] = formatSizes(size, this.maxFileBytes)
      return { reason: `the server does not keep files over ${most}, and this one is ${file}: it cannot be downloaded through the server`, later: false }
    }
    return undefined
  }

  /**
   * A client asked for a file the hub does not have: if it was dropped, fetch it again; if it
   * was refused for its size under a smaller limit than today's (or given up), fetch it now.
   */
  #wanted (sha256: string): void {
    if (this.#missing.has(sha256) || this.#looking.has(sha256) || this.#fetching.has(sha256)) return
    if (!this.#dropped.has(sha256)) { this.#unrefuse(sha256); return }
    this.#looking.add(sha256)
    void this.#refetch(sha256)
      .catch((err: unknown) => { this.#log(`could not fetch ${sha256.slice(0, 12)} again: ${(err as Error).message}`) })
      .finally(() => { this.#looking.delete(sha256) })
  }

  async #refetch (sha256: string): Promise<void> {
    const m = this.#sharing(sha256)
    if (m?.file?.sha256 !== sha256) { await this.#undrop(sha256); return }
    if (!this.#dropped.has(sha256) || this.#missing.has(sha256)) return
    this.#log(`fetching ${m.file.name} again: a client asked for it`)
    this.#await(m.file, m.author)
    this.retry()
  }

  /**
   * A file no dropped marker stands for and the hub lacks: refused when it was numbered (over
   * the largest file then, which was raised since), or given up past HUB_MOST_MISSING. The
   * refusal is the limit's of now: within it, its message's file is fetched like a new one.
   */
  #unrefuse (sha256: string): void {
    const m = this.#sharing(sha256)
    const f = m?.file
    if (f?.sha256 !== sha256 || f.size > this.maxFileBytes || this.blobs.has(sha256)) return
    this.#log(`fetching ${f.name}: a client asked for it, and it is within the largest file the server keeps now (${formatBytes(this.maxFileBytes)})`)
    this.#await(f, m!.author)
    this.retry()
  }

  /** Put a file on the list to fetch (without its thumbnail, which a fetch does not need), the one waiting longest given up past HUB_MOST_MISSING. */
  #await (f: FileManifest, author: string): void {
    const { thumbnail: _thumbnail, thumbnailMime: _mime, ...manifest } = f
    this.#missing.set(f.sha256, { manifest, author })
    if (this.#missing.size <= HUB_MOST_MISSING) return
    for (const [sha, { manifest: old }] of this.#missing) {
      if (this.#fetching.has(sha)) continue
      this.#missing.delete(sha)
      this.#noRoom.delete(sha)
      this.#told.delete(sha)
      this.#log(`gave up fetching ${old.name} (${sha.slice(0, 12)}): more than ${HUB_MOST_MISSING} files were waiting for their holders`)
      return
    }
  }

  /** A numbered message: if it shares a file the hub lacks (and did not drop), fetch it. */
  note (m: ChatMessage): void {
    const f = m.file
    if (f === undefined) return
    if (this.#dropped.has(f.sha256) || this.blobs.has(f.sha256) || this.#missing.has(f.sha256)) return
    try {
      checkFileSize(f.size, this.maxFileBytes)
    } catch (err) {
      this.#log(`not storing ${f.name}: ${(err as Error).message}`)
      return
    }
    this.#await(f, m.author)
    this.retry()
  }

  /**
   * Fetch what is missing and not being fetched, HUB_FETCHES_AT_ONCE at a time (on a new
   * message, when a client joins, after a pause once one failed, and as each one is stored).
   */
  retry (): void {
    for (const [sha, { manifest, author }] of this.#missing) {
      if (this.#fetching.size >= HUB_FETCHES_AT_ONCE) return
      if (this.#fetching.has(sha)) continue
      const abort = new AbortController()
      let stored = false
      const done = this.#fetch(manifest, author, abort.signal)
        .then((ok) => { stored = ok })
        .catch((err: unknown) => {
          // Not room enough, again: the free space it says moves with every message the database takes, not news.
          const line = `could not fetch ${manifest.name}: ${(err as Error).message}`
          this.#tell(sha, line, err instanceof NoSpaceError ? 'no room' : line)
          this.#retryLater()
        })
        .finally(() => {
          this.#fetching.delete(sha)
          // Its place goes to the next one waiting; after a failure, the pause does that (#retryLater).
          if (stored && !this.#stopped) this.retry()
        })
      this.#fetching.set(sha, { abort, done })
    }
  }

  /** Fetch and store one file: true once stored; false when it failed (it goes to the back of the line) or was withdrawn. */
  async #fetch (m: FileManifest, author: string, signal: AbortSignal): Promise<boolean> {
    // A file that could not fit even with others dropped is not asked for; the dropping waits for its first chunk.
    try {
      await this.#makeRoom(m, false)
    } catch (err) {
      const full = noRoomFor(err)
      if (full !== undefined) this.#noRoom.set(m.sha256, full)
      throw err
    }
    const part = await this.blobs.partial(m)
    try {
      await fetchChunks(m, part, {
        files: this.#files,
        // The author first: it is the one that surely has it.
        peers: () => { const c = this.#clients(); return c.includes(author) ? [author, ...c.filter(p => p !== author)] : c },
        onProgress: () => {},
        log: this.#log,
        stallMs: 10_000,
        // Room is made once a holder sent a chunk that matches: a manifest nobody serves (a client's lie) drops no file.
        beforeFirstWrite: async () => { await this.#makeRoom(m, true) },
        signal
      })
      await part.finish()
      this.#missing.delete(m.sha256)
      this.#told.delete(m.sha256)
      this.#noRoom.delete(m.sha256)
      await this.#undrop(m.sha256)
      this.#log(`stored ${m.name} (${m.size} bytes, ${m.sha256.slice(0, 12)})`)
      this.#retryMs = RETRY_FIRST_MS
      this.#keep.add(m.sha256)
      this.#trimSoon()
      return true
    } catch (err) {
      await part.close()
      if (!signal.aborted) {
        this.#tell(m.sha256, `could not fetch ${m.name} yet: ${(err as Error).message}`)
        const full = noRoomFor(err)
        if (full !== undefined) this.#noRoom.set(m.sha256, full)
        else this.#noRoom.delete(m.sha256)
        // To the back of the line: the others waiting get their turn first.
        const waiting = this.#missing.get(m.sha256)
        if (waiting !== undefined) { this.#missing.delete(m.sha256); this.#missing.set(m.sha256, waiting) }
        this.#retryLater()
      }
      return false
    }
  }

  /**
   * A fetch failed (nobody had the file yet, a holder stalled or left, no room): try what is
   * missing again after a pause, without waiting for a client to join. A file submitted as its
   * author's link came back (the hub restarted) could otherwise wait for the next join.
   */
  #retryLater (): void {
    if (this.#stopped || this.#retryTimer !== undefined) return
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined
      this.retry()
    }, this.#retryMs)
    this.#retryTimer.unref()
    this.#retryMs = Math.min(2 * this.#retryMs, RETRY_MOST_MS)
  }

  /**
   * A deleted message's file: no longer fetched, and unless another message
   * shares the same bytes (`stillShared`, asked only if the hub has or
   * fetches it) the hub's copy goes, so it is served no more.
   */
  async withdraw (sha256: string, stillShared: () => boolean): Promise<void> {
    if (!this.#missing.has(sha256) && !this.#fetching.has(sha256) && !this.blobs.holds(sha256) && !this.#dropped.has(sha256)) return
    if (stillShared()) return
    await this.#undrop(sha256)
    this.#missing.delete(sha256)
    this.#told.delete(sha256)
    this.#noRoom.delete(sha256)
    const fetching = this.#fetching.get(sha256)
    fetching?.abort.abort()
    await fetching?.done
    if (await this.blobs.remove(sha256)) this.#log(`removed ${sha256.slice(0, 12)}: its message was deleted`)
  }

  /**
   * Keep the files within `keepBytes`: the ones served or stored longest ago
   * go first, never one being fetched nor one just stored (even when it alone
   * is over; see `#dropOldest`). One pass at a time; asked meanwhile, it runs once more.
   */
  async trim (): Promise<void> {
    this.#trimAgain = true
    if (this.#trimming !== undefined) { await this.#trimming; return }
    this.#trimming = (async () => {
      try {
        while (this.#trimAgain) {
          this.#trimAgain = false
          await this.#trimOnce()
        }
      } finally {
        this.#trimming = undefined
      }
    })()
    await this.#trimming
  }

  async #trimOnce (): Promise<void> {
    const keep = this.#keep
    this.#keep = new Set()
    if (this.#keepBytes === Infinity) return
    const { complete } = await this.blobs.inventory()
    const over = figureOf(complete).bytes - this.#keepBytes
    if (over <= 0) return
    const gone = await this.#dropOldest(complete, over, keep)
    if (gone.length > 0) this.#log(`kept files within ${formatBytes(this.#keepBytes)}: dropped the ${gone.length} used longest ago (${formatBytes(figureOf(gone).bytes)}); each is fetched again from its clients if one asks for it`)
  }

  /**
   * Room on the disk for file `m`, leaving the reserve for the messages' database
   * (HUB_DISK_RESERVE_BYTES, or a tenth of a smaller disk): the files used longest
   * ago are dropped to make it, as past the limit; with not enough even then, the
   * file is not fetched (NoSpaceError), and is tried again when a client joins.
   * `drop` false: only whether it could be made (before asking anyone for the file).
   */
  async #makeRoom (m: FileManifest, drop: boolean): Promise<void> {
    const disk = await diskSpace(this.blobs.dir)
    if (disk === undefined) return
    const reserve = Math.min(HUB_DISK_RESERVE_BYTES, Math.floor(disk.size / 10))
    const { free } = disk
    const short = m.size + reserve - free
    if (short <= 0) return
    await this.#trimming
    const { complete } = await this.blobs.inventory()
    // Nothing is dropped for a file that would not fit even then.
    const droppable = figureOf(complete.filter(k => !this.#keep.has(k.sha256) && !this.#fetching.has(k.sha256) && !this.blobs.reading(k.sha256))).bytes
    if (droppable < short) throw new NoSpaceError(`not enough free space for it: ${formatBytes(free)} free and ${formatBytes(droppable)} of other files it could drop, and it needs ${formatBytes(m.size)} with ${formatBytes(reserve)} left for the messages`)
    if (!drop) return
    const gone = await this.#dropOldest(complete, short, this.#keep)
    const freed = figureOf(gone).bytes
    if (gone.length > 0) this.#log(`made room for ${m.name} on a full disk: dropped ${gone.length === 1 ? 'the file' : `the ${gone.length} files`} used longest ago (${formatBytes(freed)}); each is fetched again from its clients if one asks for it`)
    if (freed < short) throw new NoSpaceError(`not enough free space for it: ${formatBytes(free + freed)} free, and it needs ${formatBytes(m.size)} with ${formatBytes(reserve)} left for the messages`)
  }

  /**
   * Drop complete files, used longest ago first, until `bytes` are gone (or none is left to drop):
   * never one being fetched, one being served to a client, nor one in `keep`. Each leaves its marker first, so a crash between
   * the two leaves a file the hub fetches again when asked, never one it forgot.
   */
  async #dropOldest (complete: KeptFile[], bytes: number, keep: ReadonlySet<string>): Promise<Kept[]> {
    let left = bytes
    const gone: Kept[] = []
    for (const k of [...complete].sort((a, b) => a.used - b.used)) {
      if (left <= 0) break
      if (keep.has(k.sha256) || this.#keep.has(k.sha256) || this.#fetching.has(k.sha256) || this.blobs.reading(k.sha256)) continue
      await writeFile(join(this.#droppedDir, k.sha256), '')
      this.#dropped.add(k.sha256)
      if (await this.blobs.remove(k.sha256)) {
        left -= k.bytes
        gone.push(k)
      }
    }
    return gone
  }

  /**
   * A line about file `sha256`, unless what was last said of it is the same: a fetch tried again at each client's join
   * says why once. `kind`: what counts as the same (the line itself by default).
   */
  #tell (sha256: string, line: string, kind = line): void {
    if (this.#told.get(sha256) === kind) return
    this.#told.set(sha256, kind)
    this.#log(line)
  }

  #trimSoon (): void {
    this.trim().catch((err: unknown) => { this.#log(`could not keep files within the limit: ${(err as Error).message}`) })
  }

  async #undrop (sha256: string): Promise<void> {
    if (!this.#dropped.delete(sha256)) return
    await unlink(join(this.#droppedDir, sha256)).catch(() => {})
  }

  async stop (): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#retryTimer)
    for (const f of this.#fetching.values()) f.abort.abort()
    this.#fetching.clear()
    await this.#trimming?.catch(() => {})
  }
}

/** Why a fetch failed for want of room on the hub's disk, in a client's words; undefined for any other failure. */
function noRoomFor (err: unknown): string | undefined {
  if (err instanceof NoSpaceError) return 'its disk is full'
  if (err instanceof FileWriteError) return err.message.replace(/^could not write the download: /, '').replace(/^the disk is full$/, 'its disk is full').replace('this system lets a process write', 'its system lets it write')
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'its disk is full'
  if (code === 'EFBIG') return 'the file is larger than its system lets it write'
  return undefined
}
