import { createHash, hash, randomBytes, type Hash } from 'node:crypto'
import { chmodSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
import { open, readdir, readFile, rename, rm, stat, statfs, unlink, utimes, writeFile, copyFile, link, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { checkFileSize, chunkCount, HEX64, chunkLength, chunkSizeFor, numberedName, safeFileName, type FileManifest } from '../core/file.js'
import type { ChunkReader, FileSource } from '../net/file-protocol.js'
import { makeDirs } from './files.js'

/** What hashing a file gave: its address, its chunk hashes and their root. */
export interface Hashed { sha256: string, size: number, chunkSize: number, chunksRoot: string, hashes: Uint8Array[] }


/**
 * A file the store keeps, by its SHA-256, and the bytes it takes as a person counts a file's
 * space: the file's own (what came of it, for a download in progress). Its chunk hashes and list
 * of chunks had are bookkeeping, left out: a 3-byte file is not "39 bytes" kept.
 */
export interface Kept { sha256: string, bytes: number }

/** A complete file, and when it was last written, fetched or shown (ms since the epoch; its mtime on disk). */
export interface KeptFile extends Kept { used: number }

/** How many files, and how many bytes they take. */
/** The file system holding `dir`: bytes free to this process and its whole size (undefined where it cannot be read). */
export async function diskSpace (dir: string): Promise<{ free: number, size: number } | undefined> {
  const fs = await statfs(dir).catch(() => undefined)
  return fs === undefined ? undefined : { free: fs.bavail * fs.bsize, size: fs.blocks * fs.bsize }
}

export const figureOf = (kept: readonly Kept[]): { files: number, bytes: number } => ({ files: kept.length, bytes: kept.reduce((n, k) => n + k.bytes, 0) })

/** SHA-256 of the chunk hashes concatenated: the root a manifest carries. */
export function rootOf (hashes: readonly Uint8Array[]): string {
  const h = createHash('sha256')
  for (const c of hashes) h.update(c)
  return h.digest('hex')
}

/**
 * A copy a share was making (add, seal, clean: a `.tmp` of this store's) when the process died: nothing reads it again.
 * `forward`: a private file decrypted to be forwarded (engine-files.ts withLocalCopy), its bytes in the clear.
 */
const LEFT_BY_A_CRASH = /^(?:add|seal|clean|forward)-[0-9a-f]{12}\.tmp$/
/** Past this age such a copy is no running share's (each is written, then read, from start to end at once). */
export const CRASH_LEFTOVER_MS = 6 * 3600_000

/**
 * Files in the data directory, by content: `<sha256>` is a complete file
 * (served to others), `<sha256>.hashes` its chunk hashes; a download in
 * progress is `<sha256>.part` with `<sha256>.have`, the indices of the
 * chunks verified and written so far (appended after each write, so a
 * kill -9 keeps every chunk it lists). Everything is streamed a chunk at a
 * time: memory does not grow with the file.
 */
export class BlobStore implements FileSource {
  /** Files removed while this process runs (a deleted message's): a reader opened before stops serving them. */
  readonly #removed = new Set<string>()
  /**
   * The complete files and their last use, read from the directory at the first inventory and kept
   * since: this store makes and removes every one of them, and one process at a time owns the data
   * directory. A trim after each fetch then costs a directory listing, not a stat per file (5,000
   * files took about 0.4 s of stats on the development machine).
   */
  #complete: Map<string, { bytes: number, used: number }> | undefined
  /** Readers open on each complete file (a transfer serving it): a trim leaves those files. */
  readonly #reading = new Map<string, number>()

  constructor (readonly dir: string) {
    // The files people shared and copies of others': its owner's alone, also where an older build made it open to all.
    makeDirs(dir, 0o700)
    try {
      if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700)
    } catch { /* modes mean nothing here (Windows), or it is not ours to change */ }
  }

  path (sha256: string): string {
    if (!HEX64.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`)
    return join(this.dir, sha256)
  }

  has (sha256: string): boolean { return existsSync(this.path(sha256)) && existsSync(`${this.path(sha256)}.hashes`) }

  /**
   * Copy `src` in, hashing as it goes (one pass, one chunk in memory); the
   * copy is renamed to its hash only when complete. Refuses a file over
   * `maxBytes` before reading it.
   */
  async add (src: string, maxBytes: number, chunkSize?: number, signal?: AbortSignal): Promise<Hashed> {
    const info = await stat(src)
    if (!info.isFile()) throw new Error(`${src} is not a file`)
    checkFileSize(info.size, maxBytes)
    chunkSize ??= chunkSizeFor(info.size)
    const tmp = join(this.dir, `add-${randomBytes(6).toString('hex')}.tmp`)
    const input = await open(src, 'r')
    const output = await open(tmp, 'w').catch(async (err: unknown) => { await input.close(); throw err })
    const whole = createHash('sha256')
    const hashes: Uint8Array[] = []
    const buf = Buffer.allocUnsafe(chunkSize)
    let size = 0
    try {
      while (true) {
        signal?.throwIfAborted()
        const n = await readFull(input, buf, size)
        if (n === 0) break
        const chunk = buf.subarray(0, n)
        whole.update(chunk)
        hashes.push(hash('sha256', chunk, 'buffer'))
        await output.write(chunk, 0, n, size)
        size += n
        checkFileSize(size, maxBytes)
        if (n < chunkSize) break
      }
      await output.sync()
    } catch (err) {
      await output.close()
      await rm(tmp, { force: true })
      throw err
    } finally {
      await input.close()
    }
    await output.close()
    const sha256 = whole.digest('hex')
    await writeFile(`${this.path(sha256)}.hashes`, hashFile(chunkSize, hashes))
    if (this.has(sha256)) await unlink(tmp)
    else await rename(tmp, this.path(sha256))
    this.#removed.delete(sha256)
    this.completed(sha256, size)
    return { sha256, size, chunkSize, chunksRoot: rootOf(hashes), hashes }
  }

  async hashes (sha256: string): Promise<Uint8Array[] | undefined> {
    if (!HEX64.test(sha256) || !this.has(sha256)) return undefined
    return splitHashes(await readFile(`${this.path(sha256)}.hashes`).catch(() => undefined))?.hashes
  }

  async open (sha256: string): Promise<ChunkReader | undefined> {
    if (!HEX64.test(sha256) || !this.has(sha256)) return undefined
    // Counted as read from before the file is opened: a removal meanwhile is remembered (see remove).
    this.#reading.set(sha256, (this.#reading.get(sha256) ?? 0) + 1)
    const reader = await this.#reader(sha256).catch((err: unknown) => { this.#unread(sha256); throw err })
    if (reader === undefined) this.#unread(sha256)
    return reader
  }

  /** One reader of `sha256` fewer: with none left, a removal no longer needs remembering. */
  #unread (sha256: string): void {
    const n = (this.#reading.get(sha256) ?? 1) - 1
    if (n > 0) { this.#reading.set(sha256, n); return }
    this.#reading.delete(sha256)
    this.#removed.delete(sha256)
  }

  async #reader (sha256: string): Promise<ChunkReader | undefined> {
    const list = splitHashes(await readFile(`${this.path(sha256)}.hashes`).catch(() => undefined))
    if (list === undefined) return undefined
    const { hashes, chunkSize } = list
    const fh = await open(this.path(sha256), 'r').catch(() => undefined)
    if (fh === undefined) return undefined
    const size = await fh.stat().then(s => s.size, () => undefined)
    if (size === undefined) { await fh.close().catch(() => {}); return undefined }
    let closed = false
    // Served to a peer is used: a copy others keep asking for is the last a trim takes. The count
    // follows at once; the time on disk is written beside the transfer, not before its first chunk.
    void this.touch(sha256)
    const readChunk = async (index: number, whole: number): Promise<Buffer> => {
      const buf = Buffer.allocUnsafe(whole)
      if (await readFull(fh, buf, index * chunkSize) !== whole) throw new Error('the file is shorter than it was')
      return buf
    }
    // A downloader on a slow link asks for a chunk in pieces, one after another: the chunk is read
    // once, at its first piece, and the rest are served from it (a read per 16 KiB piece cost the
    // holder about three times the CPU of reading whole chunks). One chunk per stream, as a whole
    // chunk asked for takes.
    let held: { index: number, buf: Buffer } | undefined
    return {
      read: async (index: number, offset = 0, length?: number) => {
        // Unlinked, the file stays readable through this handle: a removal is checked at each read.
        if (this.#removed.has(sha256)) throw new Error('the file was removed')
        if (!Number.isInteger(index) || index < 0 || index >= hashes.length) throw new RangeError(`no chunk ${index}`)
        const whole = Math.min(chunkSize, size - index * chunkSize)
        const len = length ?? whole - offset
        if (!Number.isInteger(offset) || !Number.isInteger(len) || offset < 0 || len <= 0 || offset + len > whole) throw new RangeError(`no bytes ${offset} to ${offset + len} in chunk ${index}`)
        if (len === whole) { held = undefined; return await readChunk(index, whole) }
        if (held?.index !== index) held = { index, buf: await readChunk(index, whole) }
        const piece = held.buf.subarray(offset, offset + len)
        if (offset + len === whole) held = undefined
        return piece
      },
      close: async () => {
        if (closed) return
        closed = true
        this.#unread(sha256)
        await fh.close().catch(() => {})
      }
    }
  }

  /** Whether a reader is open on file `sha256`: a transfer serves it now. */
  reading (sha256: string): boolean { return this.#reading.has(sha256) }

  /** A download of `m` into the store, resuming from what an earlier run verified. */
  async partial (m: FileManifest): Promise<Partial> {
    this.#removed.delete(m.sha256)
    return await Partial.open(this, m)
  }

  /**
   * How many bytes of a partly downloaded file `m` are here, by the chunks its `.have` lists (what
   * a window shows of a download waiting to go on; checked against their hashes when it does).
   */
  partBytes (m: Pick<FileManifest, 'sha256' | 'size' | 'chunkSize'>): number {
    if (!HEX64.test(m.sha256)) return 0
    let listed: Buffer
    try { listed = readFileSync(`${this.path(m.sha256)}.have`) } catch { return 0 }
    const count = chunkCount(m)
    const have = new Set<number>()
    for (let at = 0; at + 4 <= listed.length; at += 4) {
      const i = listed.readUInt32LE(at)
      if (i < count) have.add(i)
    }
    let n = 0
    for (const i of have) n += chunkLength(m, i)
    return n
  }

  /** Whether anything of file `sha256` is here: complete, or partly downloaded. */
  holds (sha256: string): boolean {
    const base = this.path(sha256)
    return existsSync(base) || existsSync(`${base}.hashes`) || existsSync(`${base}.part`)
  }

  /**
   * Remove file `sha256` from the store, complete or partly downloaded (a
   * deleted message's file that no other message shares): it is served no
   * more, also by a transfer under way. Copies saved elsewhere (a
   * downloads folder) are not touched. True when there was something to remove.
   */
  async remove (sha256: string): Promise<boolean> {
    const base = this.path(sha256)
    // Remembered only while a reader is open on it (its reads then fail): one opened later finds no file.
    if (this.#reading.has(sha256)) this.#removed.add(sha256)
    this.#complete?.delete(sha256)
    let found = false
    for (const suffix of ['', '.hashes', '.part', '.have']) {
      found = await unlink(`${base}${suffix}`).then(() => true, () => false) || found
    }
    return found
  }

  /**
   * Everything the store keeps, from the directory itself: complete files,
   * and partly downloaded ones (a `.part` with no complete file beside it).
   * A file that goes while it is listed is left out.
   */
  async inventory (): Promise<{ complete: KeptFile[], partial: Kept[] }> {
    const names = new Set(await readdir(this.dir))
    const size = async (name: string): Promise<number> => names.has(name) ? await stat(join(this.dir, name)).then(s => s.size, () => 0) : 0
    const known = this.#complete ??= new Map()
    const complete: KeptFile[] = []
    const partial: Kept[] = []
    for (const name of names) {
      if (LEFT_BY_A_CRASH.test(name)) { await this.#dropLeftover(name); continue }
      const sha256 = name.endsWith('.part') ? name.slice(0, -5) : name
      if (!HEX64.test(sha256)) continue
      if (name === sha256) {
        if (!names.has(`${sha256}.hashes`)) continue
        // Known: no stat. New to this process (the first listing, or a file put there by hand): read once.
        let kept = known.get(sha256)
        if (kept === undefined) {
          const info = await stat(join(this.dir, name)).catch(() => undefined)
          if (info === undefined) continue
          kept = { bytes: info.size, used: info.mtimeMs }
          known.set(sha256, kept)
        }
        complete.push({ sha256, ...kept })
      } else if (!names.has(sha256)) {
        partial.push({ sha256, bytes: await size(name) })
      }
    }
    // Gone from the directory by other means (a person's hand): forgotten.
    for (const sha256 of known.keys()) if (!names.has(sha256)) known.delete(sha256)
    return { complete, partial }
  }

  /**
   * A share's copy that a kill, a crash or a power cut left: as big as the file shared, counted
   * nowhere and freed by nothing, so a peer that runs for years would keep each one. Removed once
   * it is old enough to be no running share's.
   */
  async #dropLeftover (name: string): Promise<void> {
    const path = join(this.dir, name)
    const info = await stat(path).catch(() => undefined)
    if (info !== undefined && Date.now() - info.mtimeMs > CRASH_LEFTOVER_MS) await rm(path, { force: true }).catch(() => {})
  }

  /** Complete file `sha256` of `bytes` is in place: it counts as just used. */
  completed (sha256: string, bytes: number): void {
    this.#complete?.set(sha256, { bytes, used: Date.now() })
  }

  /** File `sha256` was used (shown here, or served to a peer): it is the last a trim takes. Kept on disk as its time, for the next start. */
  async touch (sha256: string): Promise<void> {
    const now = new Date()
    const kept = this.#complete?.get(sha256)
    if (kept !== undefined) kept.used = now.getTime()
    await utimes(this.path(sha256), now, now).catch(() => {})
  }

  /**
   * Put a copy of complete file `sha256` into `dir` under a safe form of
   * `name`, never over an existing file (" (1)" and so on). The copy is
   * made under a temporary name and linked into place only when whole.
   * `write` makes the copy another way (an encrypted file is decrypted
   * into it); if it throws, nothing is left in `dir`.
   */
  async deliver (sha256: string, name: string, dir: string, write?: (src: string, tmp: string) => Promise<void>): Promise<string> {
    makeDirs(dir)
    const safe = safeFileName(name)
    const tmp = join(dir, `.${randomBytes(6).toString('hex')}.lanchat-download`)
    try {
      if (write === undefined) await copyFile(this.path(sha256), tmp, constants.COPYFILE_FICLONE)
      else await write(this.path(sha256), tmp)
      for (let n = 0; n < 10_000; n++) {
        const target = join(dir, n === 0 ? safe : numberedName(safe, n))
        try {
          await link(tmp, target)
          return target
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (code === 'EEXIST') continue
          // No hard links here (some file systems): rename, after checking the name is free.
          if (existsSync(target)) continue
          await rename(tmp, target)
          return target
        }
      }
      throw new Error(`no free name for ${safe} in ${dir}`)
    } finally {
      await rm(tmp, { force: true })
    }
  }
}

/** A download in progress: chunks are written where they belong, then listed as had. */
export class Partial {
  readonly have: Set<number>
  hashes: Uint8Array[] | undefined
  /** SHA-256 of chunks 0 to #hashedChunks - 1, fed as they are written. */
  readonly #whole: Hash = createHash('sha256')
  #hashedChunks = 0
  /** A second copy of every chunk written (see mirrorTo). */
  #mirror: { fh: FileHandle, path: string } | undefined
  #finished = false

  private constructor (readonly store: BlobStore, readonly m: FileManifest, readonly fh: FileHandle, readonly haveFile: FileHandle, have: Set<number>, hashes: Uint8Array[] | undefined) {
    this.have = have
    this.hashes = hashes
  }

  get base (): string { return this.store.path(this.m.sha256) }
  get count (): number { return chunkCount(this.m) }
  get bytesDone (): number {
    let n = 0
    for (const i of this.have) n += chunkLength(this.m, i)
    return n
  }

  static async open (store: BlobStore, m: FileManifest): Promise<Partial> {
    const base = store.path(m.sha256)
    const list = splitHashes(await readFile(`${base}.hashes`).catch(() => undefined))
    let hashes = list?.chunkSize === m.chunkSize ? list.hashes : undefined
    if (hashes !== undefined && (hashes.length !== chunkCount(m) || rootOf(hashes) !== m.chunksRoot)) hashes = undefined
    const fh = await open(`${base}.part`, existsSync(`${base}.part`) ? 'r+' : 'w+')
    try {
      return await Partial.#resume(store, m, fh, hashes)
    } catch (err) {
      // A full disk or a read error while resuming: the handle is closed here, not left to the collector.
      await fh.close().catch(() => {})
      throw err
    }
  }

  static async #resume (store: BlobStore, m: FileManifest, fh: FileHandle, hashes: Uint8Array[] | undefined): Promise<Partial> {
    const base = store.path(m.sha256)
    const have = new Set<number>()
    if (hashes !== undefined) {
      // Resume: keep the listed chunks that still hash right (a crash can leave the list ahead of nothing, never the reverse).
      const listed = await readFile(`${base}.have`).catch(() => Buffer.alloc(0))
      for (let at = 0; at + 4 <= listed.byteLength; at += 4) {
        const i = listed.readUInt32LE(at)
        if (i >= hashes.length || have.has(i)) continue
        const buf = Buffer.allocUnsafe(chunkLength(m, i))
        const n = await readFull(fh, buf, i * m.chunkSize)
        if (n === buf.byteLength && hash('sha256', buf, 'buffer').equals(hashes[i]!)) have.add(i)
      }
    }
    // Rewrite the list with what survived the check.
    const kept = Buffer.alloc(have.size * 4)
    let at = 0
    for (const i of have) { kept.writeUInt32LE(i, at); at += 4 }
    await writeFile(`${base}.have`, kept)
    const haveFile = await open(`${base}.have`, 'a')
    return new Partial(store, m, fh, haveFile, have, hashes)
  }

  /** The chunk hash list from a holder, already checked against the manifest's root. */
  async setHashes (hashes: Uint8Array[]): Promise<void> {
    this.hashes = hashes
    await writeFile(`${this.base}.hashes`, hashFile(this.m.chunkSize, hashes))
  }

  /**
   * Write every chunk to `path` too, as it comes: the copy a download
   * delivers, made while the bytes arrive instead of by reading the whole
   * file back at the end. Only for a download that starts from nothing
   * (false otherwise: the copy would lack what an earlier run fetched).
   */
  async mirrorTo (path: string): Promise<boolean> {
    if (this.have.size > 0 || this.#mirror !== undefined) return false
    this.#mirror = { fh: await open(path, 'w'), path }
    return true
  }

  /** The mirror's path once finish has checked the whole file (it then holds exactly that file). */
  get mirrored (): string | undefined { return this.#finished ? this.#mirror?.path : undefined }

  /** Whether `data` is chunk `index`, exactly (a 256 KiB chunk hashes in about 0.2 ms). */
  verify (index: number, data: Uint8Array): boolean {
    const want = this.hashes?.[index]
    return want !== undefined && data.byteLength === chunkLength(this.m, index) && hash('sha256', data, 'buffer').equals(want)
  }

  /** Write a verified chunk, then list it as had. */
  async write (index: number, data: Uint8Array): Promise<void> {
    const at = index * this.m.chunkSize
    await Promise.all([this.fh.write(data, 0, data.byteLength, at), this.#mirror?.fh.write(data, 0, data.byteLength, at)])
    const entry = Buffer.alloc(4)
    entry.writeUInt32LE(index)
    await this.haveFile.write(entry)
    this.have.add(index)
    // The whole file's hash follows the chunks that arrive in order (one holder: all of them), so finish need not read them back.
    if (index === this.#hashedChunks) {
      this.#whole.update(data)
      this.#hashedChunks++
    }
  }

  /** Every chunk is here: check the whole file's hash, then make it the store's. */
  async finish (): Promise<void> {
    const whole = this.#whole
    try {
      await this.fh.sync()
      // What did not arrive in order is read back, in pieces of 1 MiB: hashing one takes about a millisecond of the event loop.
      const buf = Buffer.allocUnsafe(Math.min(this.m.chunkSize, 1024 * 1024))
      for (let at = this.#hashedChunks * this.m.chunkSize; at < this.m.size;) {
        const n = await readFull(this.fh, buf.subarray(0, Math.min(buf.byteLength, this.m.size - at)), at)
        if (n === 0) break
        whole.update(buf.subarray(0, n))
        at += n
      }
    } finally {
      // A failed sync or read (a full or failing disk) closes the files too: the chunks stay to resume from.
      await this.close()
    }
    if (whole.digest('hex') !== this.m.sha256) {
      await this.discard()
      throw new Error('the file does not match its SHA-256 although every chunk did: the manifest is inconsistent')
    }
    await rename(`${this.base}.part`, this.base)
    await rm(`${this.base}.have`, { force: true })
    this.store.completed(this.m.sha256, this.m.size)
    this.#finished = true
  }

  async close (): Promise<void> {
    await this.fh.close().catch(() => {})
    await this.haveFile.close().catch(() => {})
    await this.#mirror?.fh.close().catch(() => {})
  }

  /** Forget this download: the partial file and its list go. */
  async discard (): Promise<void> {
    await this.close()
    await rm(`${this.base}.part`, { force: true })
    await rm(`${this.base}.have`, { force: true })
    if (this.#mirror !== undefined) await rm(this.#mirror.path, { force: true })
    if (!existsSync(this.base)) await rm(`${this.base}.hashes`, { force: true })
  }
}

/** `<sha>.hashes`: the chunk size (4 bytes, little-endian), then each chunk's SHA-256. */
function hashFile (chunkSize: number, hashes: readonly Uint8Array[]): Buffer {
  const head = Buffer.alloc(4)
  head.writeUInt32LE(chunkSize)
  return Buffer.concat([head, ...hashes])
}

function splitHashes (b: Buffer | undefined): { chunkSize: number, hashes: Uint8Array[] } | undefined {
  if (b === undefined || b.byteLength < 4 || (b.byteLength - 4) % 32 !== 0) return undefined
  const hashes: Uint8Array[] = []
  for (let i = 4; i < b.byteLength; i += 32) hashes.push(b.subarray(i, i + 32))
  return { chunkSize: b.readUInt32LE(0), hashes }
}

/** Read into all of `buf` from `position`, or up to the end of the file; how many bytes came. */
export async function readFull (fh: FileHandle, buf: Buffer, position: number): Promise<number> {
  let n = 0
  while (n < buf.byteLength) {
    const { bytesRead } = await fh.read(buf, n, buf.byteLength - n, position + n)
    if (bytesRead === 0) break
    n += bytesRead
  }
  return n
}
