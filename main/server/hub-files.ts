import { join } from 'node:path'
import { checkFileSize, DEFAULT_MAX_FILE_BYTES, type FileManifest } from '../core/file.js'
import type { ChatMessage } from '../core/message.js'
import { fetchChunks } from '../chat/download.js'
import type { FileProtocol } from '../net/file-protocol.js'
import { BlobStore } from '../store/blobs.js'

/**
 * The hub's files: it fetches the file of every message it numbers from the
 * client that submitted it (over the file protocol, on that client's own
 * link), keeps it in its data directory by hash and serves it to every
 * client — so a file stays available after its author goes offline. A fetch
 * that finds no holder is tried again when a client joins.
 */
export class HubFiles {
  readonly blobs: BlobStore
  /** Largest file fetched and stored; the hosting app's setting can change it while the hub runs. */
  maxFileBytes: number
  readonly #files: () => FileProtocol | undefined
  readonly #clients: () => string[]
  readonly #log: (line: string) => void
  /** Files the hub lacks, by SHA-256 (the manifest and who submitted it). */
  readonly #missing = new Map<string, { manifest: FileManifest, author: string }>()
  readonly #fetching = new Map<string, { abort: AbortController, done: Promise<void> }>()

  constructor (dataDir: string, opts: { maxFileBytes?: number, files: () => FileProtocol | undefined, clients: () => string[], log: (line: string) => void }) {
    this.blobs = new BlobStore(join(dataDir, 'files'))
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
    this.#files = opts.files
    this.#clients = opts.clients
    this.#log = opts.log
  }

  has (sha256: string): boolean { return this.blobs.has(sha256) }

  /** A numbered message: if it shares a file the hub lacks, fetch it. */
  note (m: ChatMessage): void {
    const f = m.file
    if (f === undefined || this.blobs.has(f.sha256) || this.#missing.has(f.sha256)) return
    try {
      checkFileSize(f.size, this.maxFileBytes)
    } catch (err) {
      this.#log(`not storing ${f.name}: ${(err as Error).message}`)
      return
    }
    this.#missing.set(f.sha256, { manifest: f, author: m.author })
    this.retry()
  }

  /** Fetch whatever is missing and not being fetched (on a new message, and when a client joins). */
  retry (): void {
    for (const [sha, { manifest, author }] of this.#missing) {
      if (this.#fetching.has(sha)) continue
      const abort = new AbortController()
      const done = this.#fetch(manifest, author, abort.signal)
        .catch((err: unknown) => { this.#log(`could not fetch ${manifest.name}: ${(err as Error).message}`) })
        .finally(() => { this.#fetching.delete(sha) })
      this.#fetching.set(sha, { abort, done })
    }
  }

  async #fetch (m: FileManifest, author: string, signal: AbortSignal): Promise<void> {
    const part = await this.blobs.partial(m)
    try {
      await fetchChunks(m, part, {
        files: this.#files,
        // The author first: it is the one that surely has it.
        peers: () => { const c = this.#clients(); return c.includes(author) ? [author, ...c.filter(p => p !== author)] : c },
        onProgress: () => {},
        log: this.#log,
        stallMs: 10_000,
        signal
      })
      await part.finish()
      this.#missing.delete(m.sha256)
      this.#log(`stored ${m.name} (${m.size} bytes, ${m.sha256.slice(0, 12)})`)
    } catch (err) {
      await part.close()
      if (!signal.aborted) this.#log(`could not fetch ${m.name} yet: ${(err as Error).message}`)
    }
  }

  /**
   * A deleted message's file: no longer fetched, and unless another message
   * shares the same bytes (`stillShared`, asked only if the hub has or
   * fetches it) the hub's copy goes, so it is served no more.
   */
  async withdraw (sha256: string, stillShared: () => boolean): Promise<void> {
    if (!this.#missing.has(sha256) && !this.#fetching.has(sha256) && !this.blobs.holds(sha256)) return
    if (stillShared()) return
    this.#missing.delete(sha256)
    const fetching = this.#fetching.get(sha256)
    fetching?.abort.abort()
    await fetching?.done
    if (await this.blobs.remove(sha256)) this.#log(`removed ${sha256.slice(0, 12)}: its message was deleted`)
  }

  async stop (): Promise<void> {
    for (const f of this.#fetching.values()) f.abort.abort()
    this.#fetching.clear()
  }
}
