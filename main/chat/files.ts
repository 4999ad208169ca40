import { randomBytes } from 'node:crypto'
import { existsSync, rmSync, statSync } from 'node:fs'
import type { Stats } from 'node:fs'
import { appendFile, copyFile, open, rename, rm, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, join } from 'node:path'
import { checkFileSize, chunkSizeFor, DEFAULT_KEEP_OTHERS_BYTES, DEFAULT_MAX_FILE_BYTES, formatBytes, formatSizes, MAX_FILE_BYTES_CEILING, MAX_THUMBNAIL_BYTES, validateManifest, type FileManifest } from '../core/file.js'
import type { FileProtocol } from '../net/file-protocol.js'
import { FileTooLargeError } from '../core/errors.js'
import { libp2pLog } from '../net/log.js'
import { BlobStore, diskSpace, figureOf as figure, type Hashed, type Kept } from '../store/blobs.js'
import { makeDirs, readJson, writeFileAtomicAsync } from '../store/files.js'
import { fetchChunks, RATE_WINDOW_MS, type Progress } from './download.js'
import { FileWriteError, NoFileError, NoSpaceError } from './errors.js'
import type { Listeners } from './listeners.js'
import type { EngineEvent, FileStorage, StorageFigure } from './types.js'
import { mimeOf } from './mime.js'
import { decryptFile, encryptFile, encryptedSize, newFileSecret, plainBytes } from './file-crypt.js'
import { ENCRYPTED_MIME, ENCRYPTED_NAME, type SealedFile } from './sealed-file.js'
import { locationPatches } from './photo-metadata.js'

const debugLog = libp2pLog('lanchat:files')

export interface FileOptions {
  /** Where finished downloads go (default: ~/Downloads). */
  downloadsDir?: string
  /** Largest file to send or fetch, bytes (default 2 GiB). */
  maxFileBytes?: number
  /**
   * How many bytes of others' files to keep (fetched to be shown, downloaded, held): past it, the
   * copies fetched, shown or served longest ago go, after each fetch (default 5 GiB). Files this peer shared, and
   * what was saved to a downloads folder, are not counted nor removed.
   */
  keepOthersBytes?: number
  /** Give a download up when no holder has served anything for this long, ms (default 30 s). */
  stallMs?: number
  /**
   * How busy this process was (0..1) since the last call, read by every download's pacer to choose
   * between pieces and whole chunks (default: each download measures its own, net/loop-busy.ts).
   * Tests that need one regime on a loaded machine pass a constant.
   */
  busy?: () => number
}

export interface ShareOptions {
  /** A small preview (images), made by the UI. */
  thumbnail?: Uint8Array
  thumbnailMime?: string
  /** Defaults to a guess from the file name. */
  mime?: string
  /** Defaults to the file's own name. */
  name?: string
}

/** A download the engine remembers across restarts until it is finished or cancelled. */
/** A file as people know it: a private one's real name and size (its manifest, what travels, is its ciphertext's). */
export interface ShownFile { name: string, size: number, sealed: boolean }

interface Remembered { id: string, room: string, manifest: Omit<FileManifest, 'thumbnail' | 'thumbnailMime'>, dir: string }
interface Saved { downloads: Remembered[], delivered: Record<string, string> }

/** A download under way (`save`: into a folder) or a fetch into the store only (to show the file). */
interface Running { abort: AbortController, done: Promise<string>, sha256: string, save: boolean }

/**
 * Files for the engine: sharing one (copied into the data directory by its
 * hash, so it can be served while the original moves), downloading from
 * whoever holds it, and the list of downloads that resume after a restart.
 * The bytes go over the file protocol of whatever node the running mode
 * has; a peer that downloaded a file serves it from then on.
 */
export class FileTransfers {
  readonly blobs: BlobStore
  #maxFileBytes: number
  readonly downloadsDir: string
  readonly #stallMs: number
  readonly #busy: (() => number) | undefined
  readonly #events: Listeners<EngineEvent>
  readonly #log: (line: string) => void
  readonly #running = new Map<string, Running>()
  /** Fetches by SHA-256: two messages sharing one file share its one .part file, so they share the fetch. */
  readonly #fetching = new Map<string, Promise<unknown>>()
  /**
   * Downloads waiting for another's fetch of the same bytes (`#fetching`), by SHA-256 then id: each is
   * told that fetch's progress under its own id, as its card shows it.
   */
  readonly #riders = new Map<string, Map<string, { id: string, room: string, sha256: string, name: string, size: number }>>()
  /** Fetches into the store only (`hold`), by SHA-256: stopped when their message is deleted. */
  readonly #holding = new Map<string, AbortController>()
  /** Shares under way, from hashing the file to storing its message: a removal waits for them (see `withdraw`). */
  readonly #sharing = new Set<Promise<unknown>>()
  /** Files put in the store by a share under way: their message may not be stored yet, so `free` keeps them. */
  readonly #fresh = new Set<string>()
  /** Copies into the store under way (the hashing step of a share): `free` waits for them. */
  readonly #adding = new Set<Promise<unknown>>()
  /** A `free` or `trim` under way: new copies into the store, and downloads, wait for it. */
  #freeing: Promise<void> | undefined
  #trimming = false
  #trimAgain = false
  /** Files fetched since the last trim pass began: the next pass (the one their fetch asked for) keeps them whatever their size. */
  #keep = new Set<string>()
  readonly #savedPath: string
  #saved: Saved
  #saving: Promise<void> = Promise.resolve()

  readonly #mine: (sha256: string) => boolean
  readonly #hubMaxFileBytes: () => number | undefined
  #keepOthersBytes = DEFAULT_KEEP_OTHERS_BYTES

  /**
   * `mine`: whether this peer shared file `sha256` (a message of its own names it); those are never freed.
   * `hubMaxFileBytes`: in client mode, the largest file the hub said it stores (undefined: P2P, or a hub that does not say).
   */
  constructor (dataDir: string, opts: FileOptions, events: Listeners<EngineEvent>, log: (line: string) => void, mine: (sha256: string) => boolean = () => true, hubMaxFileBytes: () => number | undefined = () => undefined) {
    this.blobs = new BlobStore(join(dataDir, 'files'))
    this.#mine = mine
    this.#hubMaxFileBytes = hubMaxFileBytes
    this.#maxFileBytes = DEFAULT_MAX_FILE_BYTES
    if (opts.maxFileBytes !== undefined) this.maxFileBytes = opts.maxFileBytes
    if (opts.keepOthersBytes !== undefined) this.keepOthersBytes = opts.keepOthersBytes
    this.downloadsDir = opts.downloadsDir ?? join(homedir(), 'Downloads')
    this.#stallMs = opts.stallMs ?? 30_000
    this.#busy = opts.busy
    this.#events = events
    this.#log = log
    this.#savedPath = join(dataDir, 'files', 'downloads.json')
    // Uploads a window began and never shared in an earlier run.
    rmSync(join(dataDir, 'files', 'uploads'), { recursive: true, force: true })
    const raw = readJson(this.#savedPath) as Partial<Saved> | undefined
    this.#saved = { downloads: Array.isArray(raw?.downloads) ? raw.downloads : [], delivered: raw?.delivered ?? {} }
  }

  /** Largest file to send or fetch, bytes: checked before anything of a file is read, written or asked for. */
  get maxFileBytes (): number { return this.#maxFileBytes }
  set maxFileBytes (bytes: number) {
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_FILE_BYTES_CEILING) throw new RangeError(`a file size limit is 1 byte to ${formatBytes(MAX_FILE_BYTES_CEILING)}`)
    this.#maxFileBytes = bytes
  }

  /**
   * A file of `size` bytes to share (`sent`: what its message will declare, the ciphertext of a
   * private one): over this peer's limit, or in client mode over the hub's (the hub would not store
   * it, so nobody could download it through the hub), FileTooLargeError, before anything is hashed.
   */
  #checkShare (size: number, sent = size): void {
    checkFileSize(size, this.maxFileBytes)
    const hub = this.#hubMaxFileBytes()
    if (hub === undefined || sent <= hub) return
    const encrypted = sent !== size ? ` (${formatBytes(sent)} encrypted)` : ''
    const [file, most] = formatSizes(size, hub)
    throw new FileTooLargeError(`The file is ${file}${encrypted}; the server does not keep files over ${most}, so nobody could download it through the server`)
  }

  /** How much of others' files is kept (see FileOptions.keepOthersBytes); lowered, the oldest go at once. */
  get keepOthersBytes (): number { return this.#keepOthersBytes }
  set keepOthersBytes (bytes: number) {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError('what is kept of others\' files is 0 or more bytes')
    this.#keepOthersBytes = bytes
  }

  /**
   * Run `share`, which puts a file in the store and stores its message: a
   * deleted message's file of the same bytes is not removed meanwhile.
   */
  async sharing<T> (share: () => Promise<T>): Promise<T> {
    const run = share()
    this.#sharing.add(run)
    try {
      return await run
    } finally {
      this.#sharing.delete(run)
      if (this.#sharing.size === 0) this.#fresh.clear()
    }
  }

  /** Copy a file into the store for a share: not while `free` runs, and kept from it until the share is done. */
  async #add (add: () => Promise<Hashed>): Promise<Hashed> {
    while (this.#freeing !== undefined) await this.#freeing
    const run = add()
    this.#adding.add(run)
    try {
      const h = await run
      this.#fresh.add(h.sha256)
      return h
    } finally {
      this.#adding.delete(run)
    }
  }

  /**
   * What the store keeps, in three parts (see FileStorage); with the limit on others' files, which
   * counts their whole copies and every partial download, and of those the downloads that stopped
   * waiting for someone who has the file (Free space gives them up).
   */
  async storage (): Promise<FileStorage> {
    const { complete, partial } = await this.blobs.inventory()
    const mine = complete.filter(k => this.#mine(k.sha256))
    const waiting = partial.filter(k => this.#waiting(k.sha256))
    return { shared: figure(mine), others: figure(complete.filter(k => !mine.includes(k))), partial: figure(partial), keepBytes: this.#keepOthersBytes, partialWaiting: figure(waiting) }
  }

  /** Whether file `sha256` is a download's that is not running: it stopped, waiting for someone who has the file. */
  #waiting (sha256: string): boolean {
    return this.#saved.downloads.some(d => d.manifest.sha256 === sha256) && ![...this.#running.values()].some(r => r.sha256 === sha256) && !this.#fetching.has(sha256)
  }

  /**
   * Free the disk of others' files: their whole copies (this peer serves
   * them no more; whoever shared them, or downloaded them too, still does)
   * and partial downloads that no download is using now. A download that
   * stopped waiting for someone who has its file is given up with its part:
   * its sharer may be gone for good (a visitor's laptop), and nothing else
   * ever freed it; Retry starts it again. Kept: the files this peer shared,
   * and those a download, a hold or a share is using now. What was saved to
   * a downloads folder is the person's and is not touched. Each download
   * given up is told as a cancelled one is (`file:failed`, CancelledError),
   * by the name and size `shownOf` says it is shown by (a private file's real ones).
   */
  async free (shownOf: (id: string) => ShownFile | undefined = () => undefined): Promise<{ freed: StorageFigure, storage: FileStorage }> {
    return await this.#exclusive(async () => {
      const waiting = this.#saved.downloads.filter(d => !this.#running.has(d.id))
      for (const d of waiting) {
        await this.#forget(d.id)
        this.#givenUp(d, shownOf(d.id), 'given up to free space: what came of it was removed')
      }
      const { complete, partial } = await this.blobs.inventory()
      const gone: Kept[] = []
      for (const k of [...complete.filter(k => !this.#mine(k.sha256)), ...partial]) {
        // Asked again at each file: a download may have started meanwhile.
        if (!this.#inUse(k.sha256) && await this.blobs.remove(k.sha256)) gone.push(k)
      }
      if (gone.length > 0) debugLog(`freed ${gone.length} files, ${figure(gone).bytes} bytes`)
      return { freed: figure(gone), storage: await this.storage() }
    })
  }

  /**
   * Keep others' files within `keepOthersBytes`, partial downloads counted
   * with their whole copies: first the
   * parts no download uses or will resume (a fetch to show a picture that
   * failed), then the copies fetched or shown
   * longest ago (fetched, shown or served: see `BlobStore.touch`), none in use, and never `keep` (the one just fetched, even
   * when it alone is over, nor one fetched while this runs). The parts of
   * downloads under way or waiting to resume stay (Free space, or Cancel,
   * gives up a waiting one). Asked after every fetch; one at a time.
   */
  async trim (keep?: string): Promise<void> {
    if (keep !== undefined) this.#keep.add(keep)
    // One at a time; asked meanwhile (another fetch came in), it runs once more.
    this.#trimAgain = true
    if (this.#trimming) return
    this.#trimming = true
    try {
      while (this.#trimAgain) {
        this.#trimAgain = false
        await this.#trimOnce()
      }
    } finally {
      this.#trimming = false
    }
  }

  async #trimOnce (): Promise<void> {
    // Each fetch keeps its file through the pass it asked for, not past it: a pass asked by a
    // lowered limit, after that, takes the file too (LRU order puts it last anyway).
    const keep = this.#keep
    this.#keep = new Set()
    await this.#exclusive(async () => {
      const { complete, partial } = await this.blobs.inventory()
      const others = complete.filter(k => !this.#mine(k.sha256))
      let total = figure(others).bytes + figure(partial).bytes
      if (total <= this.#keepOthersBytes) return
      const aged = others.sort((a, b) => a.used - b.used)
      const gone: Kept[] = []
      for (const k of [...partial, ...aged]) {
        if (total <= this.#keepOthersBytes) break
        if (keep.has(k.sha256) || this.#keep.has(k.sha256) || this.#inUse(k.sha256)) continue
        if (await this.blobs.remove(k.sha256)) {
          total -= k.bytes
          gone.push(k)
        }
      }
      if (gone.length > 0) this.#log(`kept others' files within ${formatBytes(this.#keepOthersBytes)}: removed the ${gone.length} used longest ago (${formatBytes(figure(gone).bytes)})`)
    })
  }

  #trimAfter (sha256: string): void {
    this.trim(sha256).catch((err: unknown) => { this.#log(`could not keep others' files within the limit: ${(err as Error).message}`) })
  }

  /** Whether a download, a fetch, a hold, a share under way or a transfer serving it uses file `sha256`: freeing and trimming leave it. */
  #inUse (sha256: string): boolean {
    return this.#fresh.has(sha256) || this.#fetching.has(sha256) || this.#holding.has(sha256) || this.blobs.reading(sha256) ||
      [...this.#running.values()].some(r => r.sha256 === sha256) || this.#saved.downloads.some(d => d.manifest.sha256 === sha256)
  }

  /** Run `work` while no copy into the store is under way, and none and no download starts (see `#add`, `#run`). */
  async #exclusive<T> (work: () => Promise<T>): Promise<T> {
    while (this.#freeing !== undefined) await this.#freeing
    let done!: () => void
    this.#freeing = new Promise<void>(resolve => { done = resolve })
    try {
      await Promise.allSettled([...this.#adding])
      return await work()
    } finally {
      this.#freeing = undefined
      done()
    }
  }

  /** Hash `path` into the store and make the manifest a message will carry (a photo without its location: withoutLocation). */
  async share (path: string, opts: ShareOptions = {}, signal?: AbortSignal): Promise<FileManifest> {
    if (opts.thumbnail !== undefined && opts.thumbnail.byteLength > MAX_THUMBNAIL_BYTES) throw new NoFileError(`a thumbnail is at most ${MAX_THUMBNAIL_BYTES} bytes`)
    const info = await fileToShare(path)
    this.#checkShare(info.size)
    const h = await withoutLocation(path, this.blobs.dir, async src => await this.#add(async () => await this.blobs.add(src, this.maxFileBytes, undefined, signal)))
    const name = opts.name ?? basename(path)
    const manifest: FileManifest = {
      name, size: h.size, mime: opts.mime ?? mimeOf(name), sha256: h.sha256, chunkSize: h.chunkSize, chunksRoot: h.chunksRoot,
      ...(opts.thumbnail !== undefined && opts.thumbnail.byteLength > 0 ? { thumbnail: opts.thumbnail, thumbnailMime: opts.thumbnailMime ?? 'image/jpeg' } : {})
    }
    validateManifest(manifest)
    return manifest
  }

  /**
   * Encrypt `path` with a new key (file-crypt.ts) and put the ciphertext in
   * the store: the manifest a private message carries describes only the
   * ciphertext; the real name, type, size, thumbnail and the key are
   * returned for the message's sealed part.
   */
  async shareSealed (path: string, opts: ShareOptions = {}, signal?: AbortSignal): Promise<{ manifest: FileManifest, file: Omit<SealedFile, 'text'> }> {
    if (opts.thumbnail !== undefined && opts.thumbnail.byteLength > MAX_THUMBNAIL_BYTES) throw new NoFileError(`a thumbnail is at most ${MAX_THUMBNAIL_BYTES} bytes`)
    const info = await fileToShare(path)
    const chunkSize = chunkSizeFor(info.size)
    this.#checkShare(info.size, encryptedSize(info.size, chunkSize))
    const secret = newFileSecret()
    const tmp = join(this.blobs.dir, `seal-${randomBytes(6).toString('hex')}.tmp`)
    let h
    let size
    try {
      size = await withoutLocation(path, this.blobs.dir, async src => await encryptFile(src, tmp, secret, chunkSize, signal))
      checkFileSize(size, this.maxFileBytes)
      h = await this.#add(async () => await this.blobs.add(tmp, encryptedSize(this.maxFileBytes, chunkSize), chunkSize, signal))
    } finally {
      await rm(tmp, { force: true })
    }
    const name = opts.name ?? basename(path)
    const manifest: FileManifest = { name: ENCRYPTED_NAME, size: h.size, mime: ENCRYPTED_MIME, sha256: h.sha256, chunkSize, chunksRoot: h.chunksRoot }
    validateManifest(manifest)
    const file = {
      name, mime: opts.mime ?? mimeOf(name), size, ...secret,
      ...(opts.thumbnail !== undefined && opts.thumbnail.byteLength > 0 ? { thumbnail: opts.thumbnail, thumbnailMime: opts.thumbnailMime ?? 'image/jpeg' } : {})
    }
    validateManifest({ ...manifest, name: file.name, mime: file.mime, size, ...(file.thumbnail !== undefined ? { thumbnail: file.thumbnail, thumbnailMime: file.thumbnailMime } : {}) })
    return { manifest, file }
  }

  /**
   * Add bytes to an upload (a window sends a file's bytes in pieces: it
   * never names a path on disk); a new upload when `upload` is undefined.
   * `total`, the whole file's size as the window declares it, is checked
   * against the limit before anything is taken; the bytes are counted anyway.
   */
  async upload (upload: string | undefined, bytes: Uint8Array, total?: number): Promise<{ upload: string, size: number }> {
    if (total !== undefined) this.#checkShare(total)
    const id = upload ?? randomBytes(16).toString('hex')
    if (!/^[0-9a-f]{32}$/.test(id)) throw new NoFileError('no such upload')
    const dir = join(this.blobs.dir, 'uploads')
    makeDirs(dir)
    const path = join(dir, id)
    if (upload !== undefined && !existsSync(path)) throw new NoFileError('no such upload')
    const size = (upload === undefined ? 0 : (await stat(path)).size) + bytes.byteLength
    try {
      this.#checkShare(size)
    } catch (err) {
      await rm(path, { force: true })
      throw err
    }
    await appendFile(path, bytes)
    return { upload: id, size }
  }

  /** Share a finished upload (see `upload`); the upload is gone afterwards. */
  async shareUpload (upload: string, opts: ShareOptions & { name: string }): Promise<FileManifest> {
    return await this.#fromUpload(upload, async path => await this.share(path, opts))
  }

  /** Share a finished upload encrypted (see `shareSealed`); the upload is gone afterwards. */
  async shareUploadSealed (upload: string, opts: ShareOptions & { name: string }): Promise<Awaited<ReturnType<FileTransfers['shareSealed']>>> {
    return await this.#fromUpload(upload, async path => await this.shareSealed(path, opts))
  }

  async #fromUpload<T> (upload: string, share: (path: string) => Promise<T>): Promise<T> {
    if (!/^[0-9a-f]{32}$/.test(upload)) throw new NoFileError('no such upload')
    const path = join(this.blobs.dir, 'uploads', upload)
    if (!existsSync(path)) throw new NoFileError('no such upload')
    try {
      return await share(path)
    } finally {
      await rm(path, { force: true })
    }
  }

  /** Where download `id` was saved, if it finished and is still there. */
  deliveredPath (id: string): string | undefined {
    const path = this.#saved.delivered[id]
    return path !== undefined && existsSync(path) ? path : undefined
  }

  /** Where download `id` was saved, when it is still there whole (`size` bytes): downloading it again only says so. */
  savedCopy (id: string, size: number): string | undefined {
    const path = this.#saved.delivered[id]
    return path !== undefined && existsSync(path) && statSync(path).size === size ? path : undefined
  }

  /** Whether this node has all of file `sha256`. */
  has (sha256: string): boolean { return this.blobs.has(sha256) }

  /**
   * Download the file message `id` shares into `dir` (default: the
   * downloads folder); resolves with the path. A file fetched before and
   * still there is not fetched again; one already in the store is only copied.
   * With `sealed` (a private file) the manifest is the ciphertext's: it is
   * fetched and checked like any file, then decrypted into `dir` under its
   * real name (FileDecryptError if it does not authenticate).
   */
  async download (id: string, room: string, manifest: FileManifest, net: Pick<Parameters<typeof fetchChunks>[2], 'files' | 'peers'>, dir = this.downloadsDir, sealed?: SealedFile): Promise<string> {
    for (let running = this.#running.get(id); running !== undefined; running = this.#running.get(id)) {
      if (running.save) return await running.done
      // Fetched to be shown: once it is in, saving it is a copy.
      await running.done.catch(() => {})
    }
    const before = this.savedCopy(id, sealed?.size ?? manifest.size)
    if (before !== undefined) {
      // Told after the download's answer, as for any download (a script waits for the answer, then for this).
      const done = { type: 'file:done' as const, id, room, sha256: manifest.sha256, name: sealed?.name ?? manifest.name, size: sealed?.size ?? manifest.size, path: before, fetched: false }
      setImmediate(() => { this.#events.emit(done) })
      return before
    }
    return await this.#start(id, room, manifest, net, dir, sealed)
  }

  /**
   * Fetch the file message `id` shares into the store only, to show it (a
   * picture), like a download but saved nowhere else: `file:progress`, then
   * `file:held` or `file:failed`. Not resumed after a restart (a window asks
   * again when it shows the picture); a file already here is not fetched.
   */
  async fetch (id: string, room: string, manifest: FileManifest, net: Pick<Parameters<typeof fetchChunks>[2], 'files' | 'peers'>, sealed?: SealedFile): Promise<void> {
    const running = this.#running.get(id)
    if (running !== undefined) {
      await running.done
      return
    }
    await this.#start(id, room, manifest, net, undefined, sealed)
  }

  async #start (id: string, room: string, manifest: FileManifest, net: Pick<Parameters<typeof fetchChunks>[2], 'files' | 'peers'>, dir: string | undefined, sealed: SealedFile | undefined): Promise<string> {
    const abort = new AbortController()
    const done = this.#run(id, room, manifest, net, dir, abort.signal, sealed)
    this.#running.set(id, { abort, done, sha256: manifest.sha256, save: dir !== undefined })
    try {
      return await done
    } finally {
      this.#running.delete(id)
    }
  }

  /**
   * Fetch a file into the store only, to serve it to others (nothing goes
   * to the downloads folder): how a peer that cannot open a private file
   * still carries its ciphertext for those who can.
   */
  async hold (id: string, room: string, m: FileManifest, net: Pick<Parameters<typeof fetchChunks>[2], 'files' | 'peers'>): Promise<void> {
    checkFileSize(m.size, this.maxFileBytes)
    while (this.#freeing !== undefined) await this.#freeing
    while (this.#fetching.has(m.sha256)) await this.#fetching.get(m.sha256)!.catch(() => {})
    if (this.blobs.has(m.sha256)) return
    let settle!: () => void
    this.#fetching.set(m.sha256, new Promise<void>((resolve) => { settle = resolve }))
    const abort = new AbortController()
    this.#holding.set(m.sha256, abort)
    try {
      await this.#fetch(m, net, abort.signal, { id, room, sha256: m.sha256, name: m.name, size: m.size })
    } finally {
      this.#holding.delete(m.sha256)
      this.#fetching.delete(m.sha256)
      settle()
    }
  }

  /**
   * Message `id`, which shared file `sha256`, was deleted by its author: a
   * download of it stops and says why (what it fetched goes), it is not
   * resumed after a restart, and unless another message shares the same
   * bytes (`stillShared`, asked again once the shares under way are
   * stored) the store's copy goes too, so this node serves it no more.
   * What was saved to a downloads folder stays: it is the person's.
   */
  async withdraw (id: string, sha256: string, stillShared: () => boolean): Promise<void> {
    // Most peers never fetched it: nothing to stop or remove, and no search of the history to pay for.
    const involved = [...this.#running.values()].some(r => r.sha256 === sha256) || this.#fetching.has(sha256) || this.blobs.holds(sha256)
    if (!involved) {
      if (this.#saved.downloads.some(d => d.id === id)) await this.#forget(id)
      return
    }
    const shared = stillShared()
    const why = new NoFileError('whoever shared that file deleted its message: it is not shared any more')
    const stopped = [...this.#running].filter(([rid, r]) => rid === id || (!shared && r.sha256 === sha256)).map(([, r]) => r)
    for (const r of stopped) r.abort.abort(why)
    await Promise.allSettled(stopped.map(r => r.done))
    if (this.#saved.downloads.some(d => d.id === id)) await this.#forget(id)
    if (shared) return
    this.#holding.get(sha256)?.abort(why)
    while (this.#fetching.has(sha256)) await this.#fetching.get(sha256)!.catch(() => {})
    // The same bytes being shared again right now: their message is not stored yet, so it is waited for.
    await Promise.allSettled([...this.#sharing])
    if (stillShared()) return
    if (await this.blobs.remove(sha256)) debugLog(`file ${sha256.slice(0, 12)}: removed, its message was deleted`)
  }

  /** A download into `dir`, or with none a fetch into the store only (see `fetch`). */
  async #run (id: string, room: string, m: FileManifest, net: Pick<Parameters<typeof fetchChunks>[2], 'files' | 'peers'>, dir: string | undefined, signal: AbortSignal, sealed?: SealedFile): Promise<string> {
    // The file as people know it: a private one by its real name and size (what travels is its ciphertext, a little larger).
    const base = { id, room, sha256: m.sha256, name: sealed?.name ?? m.name, size: sealed?.size ?? m.size }
    let mirror: string | undefined
    try {
      checkFileSize(sealed?.size ?? m.size, this.maxFileBytes)
      // Not while `free` removes files: it could take the store's copy this download is about to use.
      while (this.#freeing !== undefined) await this.#freeing
      let fetched = false
      // Another message's download of the same bytes: wait for it rather than write the same .part twice.
      // Checked again as each ends, then taken with no wait between: two waiting never both fetch.
      while (this.#fetching.has(m.sha256)) await this.#ride(base, signal)
      let mirrored: string | undefined
      if (!this.blobs.has(m.sha256)) {
        let settle!: () => void
        this.#fetching.set(m.sha256, new Promise<void>((resolve) => { settle = resolve }))
        try {
          if (dir !== undefined) await this.#remember({ id, room, manifest: strip(m), dir })
          if (dir !== undefined && sealed === undefined) {
            // The copy for the downloads folder is written as the chunks arrive (one left by a crash goes first).
            makeDirs(dir)
            await needSpace(dir, m.size)
            mirror = join(dir, `.${m.sha256.slice(0, 16)}.lanchat-download`)
            await rm(mirror, { force: true })
          }
          mirrored = await this.#fetch(m, net, signal, base, mirror, sealed !== undefined)
          fetched = true
        } finally {
          this.#fetching.delete(m.sha256)
          settle()
        }
      }
      if (dir === undefined) {
        this.#events.emit({ type: 'file:held', ...base })
        if (fetched) this.#trimAfter(m.sha256)
        return this.blobs.path(m.sha256)
      }
      makeDirs(dir)
      if (mirrored === undefined) await needSpace(dir, m.size)
      const path = sealed === undefined
        ? await this.blobs.deliver(m.sha256, m.name, dir, mirrored !== undefined ? async (_src, tmp) => { await rename(mirrored, tmp) } : undefined)
        : await this.blobs.deliver(m.sha256, sealed.name, dir, async (src, tmp) => { await decryptFile(src, tmp, sealed, m.chunkSize, sealed.size) })
      await this.#forget(id, path)
      this.#events.emit({ type: 'file:done', ...base, path, fetched })
      if (fetched) this.#trimAfter(m.sha256)
      return path
    } catch (err) {
      if (mirror !== undefined) await rm(mirror, { force: true }).catch(() => {})
      const stopping = signal.aborted && (signal.reason as Error | undefined)?.name === 'StoppingError'
      if (stopping) throw err // kept on disk and in the list: it resumes on the next start
      const cancelled = signal.aborted
      // Not the part another download of the same bytes is fetching (this one waited for it).
      if (cancelled && !this.#fetching.has(m.sha256)) {
        const part = await this.blobs.partial(m).catch(() => undefined)
        await part?.discard()
      }
      // A download that failed on the network is kept to resume; one refused for what it is, or cancelled, is not.
      if (cancelled || (err as Error).name !== 'NoHolderError') await this.#forget(id).catch(() => {})
      // Stopped by the person (Cancel), or because the file's message was deleted (withdraw), which says why.
      const withdrawn = cancelled && signal.reason instanceof NoFileError
      const e = withdrawn ? signal.reason as NoFileError : dir !== undefined ? inFolder(err as Error, dir) : err as Error
      this.#events.emit({ type: 'file:failed', ...base, error: cancelled && !withdrawn ? 'cancelled' : e.message, code: cancelled && !withdrawn ? 'CancelledError' : e.name })
      throw e
    }
  }

  /**
   * Wait for the fetch of the same bytes under way (`base.sha256`, another download's), told its
   * progress meanwhile; stopped at once by `signal` (Cancel), which leaves that fetch going.
   */
  async #ride (base: { id: string, room: string, sha256: string, name: string, size: number }, signal: AbortSignal): Promise<void> {
    const other = this.#fetching.get(base.sha256)
    if (other === undefined) return
    const riders = this.#riders.get(base.sha256) ?? new Map<string, typeof base>()
    this.#riders.set(base.sha256, riders.set(base.id, base))
    let onAbort = (): void => {}
    try {
      await new Promise<void>(resolve => {
        onAbort = resolve
        signal.addEventListener('abort', onAbort)
        void other.catch(() => {}).then(() => { resolve() })
      })
      signal.throwIfAborted()
    } finally {
      signal.removeEventListener('abort', onAbort)
      riders.delete(base.id)
      if (riders.size === 0 && this.#riders.get(base.sha256) === riders) this.#riders.delete(base.sha256)
    }
  }

  /**
   * Fetch every missing chunk of `m` from the holders, then check the whole
   * file and make it the store's. With `mirror`, every chunk is written
   * there too when the download starts from nothing: resolves with that
   * path when it then holds the whole, checked file. `sealed`: `m` is a
   * private file's ciphertext, and progress says what of the real file
   * came (each chunk is one sealed segment: its tag is not the file's).
   */
  async #fetch (m: FileManifest, net: Pick<Parameters<typeof fetchChunks>[2], 'files' | 'peers'>, signal: AbortSignal, base: { id: string, room: string, sha256: string, name: string, size: number }, mirror?: string, sealed = false): Promise<string | undefined> {
    const real = (bytes: number): number => sealed ? plainBytes(bytes, m.chunkSize) : bytes
    await needSpace(this.blobs.dir, m.size)
    const part = await this.blobs.partial(m)
    if (mirror !== undefined) await part.mirrorTo(mirror).catch(async (err: unknown) => { await part.close(); throw err })
    const started = Date.now()
    let lastEmit = 0
    let lastDropped = 0
    /** (time, bytes done) over the last RATE_WINDOW_MS: the rate is what arrived lately, 0 once it stalls. */
    let recent: Array<[number, number]> | undefined
    let progress: Progress
    try {
      progress = await fetchChunks(m, part, {
        ...net,
        stallMs: this.#stallMs,
        busy: this.#busy,
        log: this.#log,
        signal,
        onProgress: p => {
          const now = Date.now()
          recent ??= [[started, p.resumedFrom]]
          recent.push([now, p.done])
          while (recent.length > 1 && now - recent[0]![0] > RATE_WINDOW_MS) recent.shift()
          if (now - lastEmit < 100 && p.done < p.size && p.dropped.length === lastDropped && !p.waiting) return
          lastEmit = now
          lastDropped = p.dropped.length
          const [since, from] = recent[0]!
          const bytesPerSecond = now - since < 1 ? 0 : Math.round(((real(p.done) - real(from)) * 1000) / (now - since))
          const figures = {
            done: real(p.done), bytesPerSecond,
            secondsLeft: bytesPerSecond > 0 ? Math.ceil((base.size - real(p.done)) / bytesPerSecond) : null,
            holders: p.holders, dropped: [...p.dropped], resumedFrom: real(p.resumedFrom), waiting: p.waiting
          }
          this.#events.emit({ type: 'file:progress', ...base, ...figures })
          // Downloads of the same bytes waiting for this fetch: theirs too.
          for (const r of this.#riders.get(m.sha256)?.values() ?? []) if (r.id !== base.id) this.#events.emit({ type: 'file:progress', ...r, ...figures, dropped: [...p.dropped] })
        }
      })
    } catch (err) {
      await part.close()
      throw err
    }
    await part.finish()
    // A figure for whoever debugs a transfer (DEBUG=lanchat*), not a line for the person at the terminal, who is told "saved".
    debugLog(`file ${m.sha256.slice(0, 12)}: ${m.size} bytes in ${Date.now() - started} ms (resumed from ${progress.resumedFrom}, dropped ${progress.dropped.length})`)
    return part.mirrored
  }

  /**
   * Stop a download and drop what it fetched; resolves once it is gone. A
   * download not running (it stopped waiting for someone who has its file,
   * and would go on at the next start) is given up the same way: forgotten,
   * its part removed unless another download of the same bytes uses it, and
   * `file:failed` says it was cancelled. `shown`: the name and size it is
   * shown by (a private file's real ones). False when there was no such download.
   */
  async cancel (id: string, shown?: ShownFile): Promise<boolean> {
    const r = this.#running.get(id)
    if (r !== undefined) {
      r.abort.abort()
      await r.done.catch(() => {})
      return true
    }
    const waiting = this.#saved.downloads.find(d => d.id === id)
    if (waiting === undefined) return false
    // Not while `free` runs nor while a download starts (it could be this one, resumed meanwhile).
    const ran = await this.#exclusive(async () => {
      const now = this.#running.get(id)
      if (now !== undefined) { now.abort.abort(); return now }
      await this.#forget(id)
      const sha256 = waiting.manifest.sha256
      if (!this.#inUse(sha256) && !this.blobs.has(sha256) && await this.blobs.remove(sha256)) debugLog(`file ${sha256.slice(0, 12)}: its waiting download was cancelled, its part removed`)
      return undefined
    })
    if (ran !== undefined) {
      await ran.done.catch(() => {})
      return true
    }
    this.#givenUp(waiting, shown, 'cancelled')
    return true
  }

  /** Say that download `d`, which waited for someone who has its file, was given up (Cancel, or Free space). */
  #givenUp (d: Remembered, shown: ShownFile | undefined, error: string): void {
    const m = d.manifest
    this.#events.emit({ type: 'file:failed', id: d.id, room: d.room, sha256: m.sha256, name: shown?.name ?? m.name, size: shown?.size ?? m.size, error, code: 'CancelledError' })
  }

  /**
   * The download of message `id`, when it is kept but not running (it stopped, waiting for
   * someone who has the file, in this run or one before): how many bytes of it are here. A window
   * opened or reloaded since shows it waiting, with Cancel, not as a file never downloaded.
   * `sealed`, asked only of a download kept: whether it is a private file's, whose ciphertext
   * is fetched (what is here is then told in the real file's bytes, as its progress is).
   */
  waitingDownload (id: string, sealed: () => boolean = () => false): { done: number } | undefined {
    if (this.#running.has(id)) return undefined
    const d = this.#saved.downloads.find(x => x.id === id)
    if (d === undefined) return undefined
    const m = d.manifest as FileManifest
    const done = this.blobs.partBytes(m)
    return { done: sealed() ? plainBytes(done, m.chunkSize) : done }
  }

  /** Downloads a previous run left unfinished (the engine resumes them once peers are connected). */
  unfinished (): Array<{ id: string, room: string, manifest: FileManifest, dir: string }> {
    return this.#saved.downloads.map(d => ({ ...d, manifest: d.manifest as FileManifest }))
  }

  /** Stop every download; they resume on the next start. */
  async stop (): Promise<void> {
    for (const r of this.#running.values()) r.abort.abort(Object.assign(new Error('the engine stopped'), { name: 'StoppingError' }))
    await Promise.allSettled([...this.#running.values()].map(r => r.done))
    await this.#saving
  }

  async #remember (d: Remembered): Promise<void> {
    if (this.#saved.downloads.some(x => x.id === d.id)) return
    this.#saved.downloads.push(d)
    await this.#save()
  }

  async #forget (id: string, deliveredTo?: string): Promise<void> {
    this.#saved.downloads = this.#saved.downloads.filter(d => d.id !== id)
    if (deliveredTo !== undefined) this.#saved.delivered[id] = deliveredTo
    await this.#save()
  }

  /** Saves run one after another, each with the list as it was when asked for; never on the event loop's thread. */
  async #save (): Promise<void> {
    const data = JSON.stringify(this.#saved)
    const next = this.#saving.then(async () => { await writeFileAtomicAsync(this.#savedPath, data) })
    this.#saving = next.catch((err: unknown) => { this.#log(`could not save the download list: ${(err as Error).message}`) })
    await next
  }
}

/** Refuse before writing when `dir`'s file system has less than `bytes` free (a resumed file counts in full: a margin). */
async function needSpace (dir: string, bytes: number): Promise<void> {
  const free = (await diskSpace(dir))?.free
  if (free !== undefined && free < bytes) throw new NoSpaceError(`Not enough free space in ${dir}: the file needs ${formatBytes(bytes)}, ${formatBytes(free)} are free`)
}

function strip (m: FileManifest): Remembered['manifest'] {
  const { thumbnail: _t, thumbnailMime: _m, ...rest } = m
  return rest
}

export type NetFor = (m: FileManifest) => { files: () => FileProtocol | undefined, peers: () => string[] }

/** The file a person named, or why it cannot be shared in their words (not Node's `ENOENT: … stat`). */
async function fileToShare (path: string): Promise<Stats> {
  let info
  try {
    info = await stat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new NoFileError(`there is no file at ${path}`)
    if (code === 'EACCES' || code === 'EPERM') throw new NoFileError(`${path} cannot be read here (permission denied)`)
    throw err
  }
  if (!info.isFile()) throw new NoFileError(`${path} is not a file`)
  return info
}

/**
 * A failure to create or write in the downloads folder `dir` (not a folder, no permission, read-only,
 * full), as a FileWriteError that says so in words; any other error as it is.
 */
function inFolder (err: Error, dir: string): Error {
  const { code, path } = err as NodeJS.ErrnoException
  // The folder, something in it, or (made with its parents) one of the folders above it.
  const mine = path !== undefined && (path === dir || path.startsWith(join(dir, '/')) || dir.startsWith(join(path, '/')))
  if (code === undefined || !mine) return err
  const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'it is not a folder'
    : code === 'EACCES' || code === 'EPERM' ? 'LAN Chat may not write there'
      : code === 'EROFS' ? 'it is read-only'
        : code === 'ENOSPC' ? 'the disk is full'
          : code === 'ENOENT' ? 'it is not there (a disk that was removed?)'
            : err.message
  return new FileWriteError(`could not save to the downloads folder ${dir}: ${why}`)
}

/**
 * Run `use` on `path`, or on a copy of it without the location and serial
 * numbers a phone writes into a photo's EXIF and XMP (chat/photo-metadata.ts):
 * a photo shared goes out without where it was taken. Other files, and a photo
 * without them, are used as they are; the copy is removed afterwards.
 */
async function withoutLocation<T> (path: string, dir: string, use: (src: string) => Promise<T>): Promise<T> {
  const file = await open(path, 'r')
  let patches
  try {
    const { size } = await file.stat()
    patches = await locationPatches(async (at, length) => {
      const buf = Buffer.alloc(length)
      const { bytesRead } = await file.read(buf, 0, length, at)
      return buf.subarray(0, bytesRead)
    }, size)
  } finally {
    await file.close()
  }
  if (patches.length === 0) return await use(path)
  const tmp = join(dir, `clean-${randomBytes(6).toString('hex')}.tmp`)
  try {
    await copyFile(path, tmp)
    const out = await open(tmp, 'r+')
    try {
      for (const p of patches) await out.write(p.bytes, 0, p.bytes.length, p.at)
    } finally {
      await out.close()
    }
    return await use(tmp)
  } finally {
    await rm(tmp, { force: true })
  }
}
