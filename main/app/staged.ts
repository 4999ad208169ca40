/**
 * Files attached to a public room's message box and not sent yet, kept across
 * a restart as its typed draft is (settings' `drafts`). A file the user picked
 * or dropped is kept by its path on this computer (the preload reads it from
 * the File itself: the page never names one), with its size and modification
 * time, so one moved, deleted or changed since is said to be gone and never
 * sent in its place. A pasted image has no path: its bytes are kept here, in
 * the data directory's `staged` folder, within MAX_STAGED_BYTES each and
 * MAX_STAGED_TOTAL_BYTES in all, and removed once it is sent or taken off.
 *
 *   const staged = new StagedFiles(dataDir)
 *   const kept = await staged.keepPath('lobby', '/home/me/report.pdf', {})
 *   await staged.send(engine, 'lobby', kept.id, 'the report')
 */
import { randomBytes } from 'node:crypto'
import { appendFile, readdir, readFile, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { z } from 'zod'
import type { Engine } from '../chat/engine.js'
import type { MessageView, StagedFile } from '../../preload/contract.js'
import { MAX_STAGED_BYTES, MAX_STAGED_FILES, MAX_STAGED_TOTAL_BYTES } from '../../preload/contract.js'
import { makeDirsAsync, writeFileAtomicAsync } from '../store/files.js'
import { formatBytes } from '../core/file.js'

const INDEX = 'staged.json'
const THUMBNAIL_MIMES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const

/** A staged file that cannot be sent as it was attached (gone, changed, or its bytes lost). */
export class StagedFileGoneError extends Error {
  static override readonly name = 'StagedFileGoneError'
  override readonly name = 'StagedFileGoneError'
}

/** No room left to keep this file across a restart (it stays attached in the window only). */
export class StagedFileLimitError extends Error {
  static override readonly name = 'StagedFileLimitError'
  override readonly name = 'StagedFileLimitError'
}

const entrySchema = z.object({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  room: z.string().min(1),
  name: z.string().min(1).max(255),
  size: z.number().int().min(0),
  mime: z.string().max(127).optional(),
  thumbnail: z.string().max(64 * 1024).optional(),
  thumbnailMime: z.enum(THUMBNAIL_MIMES).or(z.string().max(40)).optional(),
  /** Attached by its path: where it is, and what it was then. */
  path: z.string().min(1).optional(),
  mtimeMs: z.number().optional(),
  /** Kept here (a pasted image): bytes written so far; listed once all `size` are in. */
  received: z.number().int().min(0).optional(),
  /**
   * Being sent: the engine's Lamport clock just before, written before the file goes out. An own
   * message sharing this file in its room with a later clock means it went out (the app stopped
   * before the entry was dropped): the entry is dropped then, never sent a second time.
   */
  sending: z.number().int().min(0).optional()
}).strict()
type Entry = z.infer<typeof entrySchema>

export interface StageMeta {
  mime?: string
  thumbnail?: string
  thumbnailMime?: string
}

export class StagedFiles {
  readonly dir: string
  #entries: Entry[] | undefined
  /** One change at a time: the index is read, changed and written whole. */
  #queue: Promise<unknown> = Promise.resolve()

  /** The engine when it runs: what tells whether a file being sent when the app stopped went out. */
  readonly #engine: () => Engine | undefined
  /** Called once a staged file's message is out, before its entry is dropped (a test stops the app there). */
  afterSend: (() => Promise<void>) | undefined

  constructor (dataDir: string, engine: () => Engine | undefined = () => undefined) {
    this.dir = join(dataDir, 'staged')
    this.#engine = engine
  }

  #run<T> (fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn)
    this.#queue = next.catch(() => undefined)
    return next
  }

  /** The bytes file of a pasted image kept here. */
  #bytesPath (id: string): string {
    return join(this.dir, `${id}.bin`)
  }

  /** The index as the last run left it; pasted images whose bytes never all came are dropped, as are files nobody lists. */
  async #load (): Promise<Entry[]> {
    if (this.#entries !== undefined) return this.#entries
    let entries: Entry[] = []
    try {
      const parsed = z.array(entrySchema).max(MAX_STAGED_FILES).safeParse(JSON.parse(await readFile(join(this.dir, INDEX), 'utf8')))
      if (parsed.success) entries = parsed.data
    } catch {
      // None yet, or unreadable: nothing is staged.
    }
    const complete = entries.filter((e) => e.path !== undefined || e.received === e.size)
    this.#entries = complete
    const listed = new Set(complete.filter((e) => e.path === undefined).map((e) => `${e.id}.bin`))
    try {
      for (const f of await readdir(this.dir)) if (f.endsWith('.bin') && !listed.has(f)) await rm(join(this.dir, f), { force: true })
    } catch {
      // No folder yet.
    }
    if (complete.length !== entries.length) await this.#save()
    return complete
  }

  async #save (): Promise<void> {
    await makeDirsAsync(this.dir)
    await writeFileAtomicAsync(join(this.dir, INDEX), JSON.stringify(this.#entries ?? []))
  }

  /** Why a staged file cannot be sent as it was attached, or undefined when it can. */
  async #gone (e: Entry): Promise<string | undefined> {
    try {
      const s = await stat(e.path ?? this.#bytesPath(e.id))
      if (e.path === undefined) return s.size === e.size ? undefined : 'its copy here was lost'
      if (!s.isFile() || s.size !== e.size || s.mtimeMs !== e.mtimeMs) return 'it changed since it was attached'
      return undefined
    } catch {
      return e.path === undefined ? 'its copy here was lost' : 'it was moved or deleted since it was attached'
    }
  }

  /** The own message that sent entry `e`, if it was being sent and went out. */
  #sentAs (engine: Engine, e: Entry): MessageView | undefined {
    const since = e.sending
    if (since === undefined) return undefined
    return engine.history(e.room).findLast((v) => v.author === engine.peerId && v.lamport > since && v.file?.name === e.name && v.file.size === e.size)
  }

  /**
   * Entries the app stopped in the middle of sending: dropped if their message is in the history,
   * attached again (no longer being sent) if not. Left as they are while the engine is not running.
   */
  async #settle (entries: Entry[], engine: Engine | undefined): Promise<void> {
    if (engine === undefined) return
    let changed = false
    for (const e of entries.filter((x) => x.sending !== undefined)) {
      if (this.#sentAs(engine, e) !== undefined) {
        await this.#forget(entries, e)
      } else {
        delete e.sending
        changed = true
      }
    }
    if (changed) await this.#save()
  }

  #view (e: Entry, gone: string | undefined): StagedFile {
    return {
      id: e.id, room: e.room, name: e.name, size: e.size,
      ...(e.mime !== undefined ? { mime: e.mime } : {}),
      ...(e.thumbnail !== undefined ? { thumbnail: e.thumbnail, thumbnailMime: e.thumbnailMime ?? 'image/jpeg' } : {}),
      ...(e.path === undefined ? { pasted: true } : {}),
      ...(gone !== undefined ? { gone } : {})
    }
  }

  /** Every staged file, oldest first, each saying whether it is gone. */
  list (): Promise<StagedFile[]> {
    return this.#run(async () => {
      const entries = await this.#load()
      await this.#settle(entries, this.#engine())
      return await Promise.all(entries.map(async (e) => this.#view(e, await this.#gone(e))))
    })
  }

  #roomFor (entries: Entry[]): void {
    if (entries.length >= MAX_STAGED_FILES) throw new StagedFileLimitError(`At most ${MAX_STAGED_FILES} attached files are kept across a restart; send or take some off first.`)
  }

  /** Keep a file the user picked or dropped, by its path (a regular file, as it is now). */
  keepPath (room: string, path: string, meta: StageMeta): Promise<StagedFile> {
    return this.#run(async () => {
      const entries = await this.#load()
      this.#roomFor(entries)
      let s
      try {
        s = await stat(path)
      } catch {
        throw new StagedFileGoneError(`${basename(path)} is not there to attach.`)
      }
      if (!s.isFile()) throw new StagedFileGoneError(`${basename(path)} is not a file.`)
      const entry: Entry = { id: randomBytes(16).toString('hex'), room, name: basename(path).slice(0, 255), size: s.size, ...meta, path, mtimeMs: s.mtimeMs }
      entries.push(entry)
      await this.#save()
      return this.#view(entry, undefined)
    })
  }

  /**
   * Keep a pasted image's bytes, in pieces: the first names the room, the name and the whole size
   * (refused at once past the limits), each later one the id it answered. Listed once all are in.
   */
  keepBytes (r: { id?: string; room?: string; name?: string; size?: number; data: string } & StageMeta): Promise<StagedFile & { received: number }> {
    return this.#run(async () => {
      const entries = await this.#load()
      const bytes = Buffer.from(r.data, 'base64')
      let entry: Entry | undefined
      if (r.id === undefined) {
        if (r.room === undefined || r.name === undefined || r.size === undefined) throw new StagedFileLimitError('The first piece names the room, the file and its size.')
        this.#roomFor(entries)
        if (r.size > MAX_STAGED_BYTES) throw new StagedFileLimitError(`A pasted file over ${formatBytes(MAX_STAGED_BYTES)} is not kept across a restart.`)
        const total = entries.filter((e) => e.path === undefined).reduce((n, e) => n + e.size, 0)
        if (total + r.size > MAX_STAGED_TOTAL_BYTES) throw new StagedFileLimitError(`Pasted files kept across a restart take at most ${formatBytes(MAX_STAGED_TOTAL_BYTES)}; send or take some off first.`)
        entry = { id: randomBytes(16).toString('hex'), room: r.room, name: r.name, size: r.size, ...(r.mime !== undefined ? { mime: r.mime } : {}), ...(r.thumbnail !== undefined ? { thumbnail: r.thumbnail, thumbnailMime: r.thumbnailMime ?? 'image/jpeg' } : {}), received: 0 }
        entries.push(entry)
        await makeDirsAsync(this.dir)
        await rm(this.#bytesPath(entry.id), { force: true })
      } else {
        entry = entries.find((e) => e.id === r.id && e.path === undefined)
        if (entry === undefined) throw new StagedFileGoneError('No such pasted file is being kept.')
      }
      const received = (entry.received ?? 0) + bytes.byteLength
      if (received > entry.size) {
        await this.#forget(entries, entry)
        throw new StagedFileLimitError(`${entry.name} is longer than it said it was.`)
      }
      await appendFile(this.#bytesPath(entry.id), bytes)
      entry.received = received
      await this.#save()
      return { ...this.#view(entry, undefined), received }
    })
  }

  async #forget (entries: Entry[], entry: Entry): Promise<void> {
    entries.splice(entries.indexOf(entry), 1)
    if (entry.path === undefined) await rm(this.#bytesPath(entry.id), { force: true })
    await this.#save()
  }

  /** Take a staged file off (sent from the window's own copy, or removed): its kept bytes go with it. */
  drop (id: string): Promise<null> {
    return this.#run(async () => {
      const entries = await this.#load()
      const entry = entries.find((e) => e.id === id)
      if (entry !== undefined) await this.#forget(entries, entry)
      return null
    })
  }

  /**
   * Send a staged file in its room, the file as it was attached or not at all (StagedFileGoneError),
   * `text` as its caption; it is no longer staged once sent.
   */
  send (engine: Engine, room: string, id: string, text?: string): Promise<MessageView> {
    return this.#run(async () => {
      const entries = await this.#load()
      const entry = entries.find((e) => e.id === id && e.room === room)
      if (entry === undefined || (entry.path === undefined && entry.received !== entry.size)) throw new StagedFileGoneError('That attached file is no longer kept.')
      // Sent already, by a run that stopped before it took the file off: that message, not a second one.
      const already = this.#sentAs(engine, entry)
      if (already !== undefined) {
        await this.#forget(entries, entry)
        return already
      }
      const gone = await this.#gone(entry)
      if (gone !== undefined) throw new StagedFileGoneError(`${entry.name} is not sent: ${gone}.`)
      // Said before it goes out, so a restart after it went out knows it did.
      entry.sending = engine.clock
      await this.#save()
      let sent: MessageView
      try {
        sent = await engine.sendFile(room, entry.path ?? this.#bytesPath(entry.id), {
          name: entry.name,
          ...(entry.mime !== undefined ? { mime: entry.mime } : {}),
          ...(entry.thumbnail !== undefined ? { thumbnail: Buffer.from(entry.thumbnail, 'base64'), thumbnailMime: entry.thumbnailMime ?? 'image/jpeg' } : {}),
          ...(text !== undefined ? { text } : {})
        })
      } catch (err) {
        // It may have gone out all the same (the error came after): then it is sent, and no longer attached.
        const out = this.#sentAs(engine, entry)
        if (out !== undefined) {
          await this.#forget(entries, entry)
          return out
        }
        delete entry.sending
        await this.#save()
        throw err
      }
      await this.afterSend?.()
      await this.#forget(entries, entry)
      return sent
    })
  }
}
