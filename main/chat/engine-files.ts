/**
 * The engine's file operations: share a file (or a finished upload) in a
 * room or a private conversation, download or hold the file a message
 * shares, and where a finished download is. What a message shares is looked
 * up in the engine's history, opened through its conversations when private,
 * and fetched by FileTransfers (files.ts) from every peer that holds it; the
 * message itself goes out through the engine like any other.
 *
 *   const files = new EngineFiles({ running, files, message, conversations, net, settled, compose, send })
 *   await files.sendFile('lobby', '/tmp/photo.png', { text: 'the view' })
 */
import { readFile, rm, stat } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { formatBytes, VIEWABLE_IMAGE, type FileManifest } from '../core/file.js'
import { DM_ROOM_PREFIX, PRIVATE_ROOM_PREFIX } from '../core/limits.js'
import { checkText, normalizeRoom, type ChatMessage } from '../core/message.js'
import type { Conversations } from './conversations.js'
import { NoFileError, UnknownMessageError } from './errors.js'
import type { FileTransfers, ShareOptions, ShownFile } from './files.js'
import type { Ordering } from './ordering.js'
import { encodeSealedFile, type SealedFile } from './sealed-file.js'
import { decryptFile, decryptToBuffer } from './file-crypt.js'
import type { MessageView, SendOptions } from './types.js'
import { messageView } from './views.js'
import { shownMime } from './mime.js'
import { pictureOf } from '../core/picture.js'

/** The largest saved picture the window is handed to show; a bigger one opens with the system's viewer. */
export const MAX_VIEWED_IMAGE_BYTES = 32 * 1024 * 1024
/**
 * The most pixels of a picture the window is handed to show (100 megapixels: a camera's largest
 * photos, 400 MB decoded). A picture's header can say far more in few bytes (a PNG of 30 KB that
 * says 16,000 × 16,000 decodes to a gigabyte, the window frozen for seconds): past this it is Open's.
 */
export const MAX_VIEWED_PIXELS = 100_000_000

/** What the file operations need of the engine. */
export interface EngineFilesContext {
  /** The running ordering (NotStartedError when the engine is not running). */
  running: () => Ordering
  /** The engine's transfers (there once it has started). */
  files: () => FileTransfers
  /** A message of the history, as stored. */
  message: (id: string) => ChatMessage | undefined
  /** Whether its author deleted message `id` (its file is then offered to nobody). */
  deleted: (id: string) => boolean
  conversations: () => Conversations
  /** Who holds what, and who is connected, through whichever mode runs. */
  net: () => { files: () => ReturnType<Ordering['transport']['files']>, peers: () => string[] }
  /** Resolves once a mode switch under way is done. */
  settled: () => Promise<void>
  /** Stamp, place, hash and hand a message with this content and file to the ordering. */
  compose: (ordering: Ordering, content: { room: string, text: string, to?: string, sealed?: Uint8Array }, file: FileManifest) => Promise<MessageView>
  send: (room: string, text: string, options: SendOptions) => Promise<MessageView>
}

export class EngineFiles {
  /** Settles once every share asked for so far has sent its message (or failed): each waits for the one before. */
  #shared: Promise<void> = Promise.resolve()

  constructor (private readonly ctx: EngineFilesContext) {}

  /** Downloads a previous run (or mode) left unfinished go on by themselves. */
  resume (): void {
    const files = this.ctx.files()
    for (const d of files.unfinished()) {
      files.download(d.id, d.room, d.manifest, this.ctx.net(), d.dir, this.#sealedFileOf(d.id)).catch(() => { /* reported as file:failed */ })
    }
  }

  /**
   * Share a file in a room: it is hashed into the data directory (so it can
   * be served even if the original moves), and a message naming it goes out;
   * the bytes travel only to those who download it. In a direct message
   * (`to`, or a DM room of ours) or an invite-only room the file is
   * encrypted first and its message says nothing of it but its encrypted
   * size in the clear (see `#sendSealed`).
   */
  async sendFile (room: string, path: string, options: ShareOptions & { text?: string, to?: string, signal?: AbortSignal } = {}): Promise<MessageView> {
    const files = this.ctx.files
    return await this.#share(room, options, async () => await files().shareSealed(path, options, options.signal), async () => await files().share(path, options, options.signal))
  }

  /**
   * Share in `room` (or with `options.to`): sealed in a DM or an invite-only room, as it is elsewhere.
   * Files are hashed side by side, but their messages go out in the order they were shared: a
   * small picture shared just after a larger one does not come before it.
   */
  async #share (room: string, options: { text?: string, to?: string }, sealed: () => Promise<{ manifest: FileManifest, file: Omit<SealedFile, 'text'> }>, plain: () => Promise<FileManifest>): Promise<MessageView> {
    this.ctx.running()
    // With a recipient the room is the pair's, whatever is given.
    room = options.to !== undefined ? '' : normalizeRoom(room)
    const before = this.#shared
    let done!: () => void
    this.#shared = new Promise<void>(resolve => { done = resolve })
    try {
      return await this.ctx.files().sharing(async () => {
        if (options.to !== undefined || isPrivate(room)) {
          const shared = await sealed()
          await before
          return await this.#sendSealed(room, options.to, options.text, shared)
        }
        const manifest = await plain()
        await before
        return await this.ctx.send(room, caption(options.text, manifest.name), { file: manifest })
      })
    } finally {
      // The next share goes once this one's message is out, or it failed: after the ones before it either way.
      before.then(done, done)
    }
  }

  /**
   * A private file's message: the public manifest is the ciphertext's; the
   * caption, the real name, type, size, thumbnail and the file's key go in
   * the sealed part, for the recipient(s) alone.
   */
  async #sendSealed (room: string, to: string | undefined, text: string | undefined, shared: { manifest: FileManifest, file: Omit<SealedFile, 'text'> }): Promise<MessageView> {
    await this.ctx.settled()
    const ordering = this.ctx.running()
    const sealedText = encodeSealedFile({ ...shared.file, text: caption(text, shared.file.name) })
    checkText(sealedText)
    const conversations = this.ctx.conversations()
    const content = to !== undefined ? conversations.seal(to, sealedText) : conversations.contentIn(room, sealedText)
    return await this.ctx.compose(ordering, content, shared.manifest)
  }

  /** The sealed description of message `id`'s file, if it is a private file we may open. */
  #sealedFileOf (id: string): SealedFile | undefined {
    const m = this.ctx.message(id)
    if (m?.sealed === undefined) return undefined
    return this.ctx.conversations().sealedFile(messageView(m))
  }

  /** Message `id` of the history, which shares a file (UnknownMessageError, NoFileError otherwise). */
  #fileMessage (id: string): ChatMessage & { file: FileManifest } {
    this.ctx.running()
    const m = this.ctx.message(id)
    if (m === undefined) throw new UnknownMessageError(`no message ${id}`)
    // A deleted message keeps no words nor file (a tombstone): its file is offered to nobody.
    if (this.ctx.deleted(id)) throw new NoFileError('whoever shared that file deleted its message: it is not shared any more')
    if (m.file === undefined) throw new NoFileError(`message ${id} shares no file`)
    return m as ChatMessage & { file: FileManifest }
  }

  /** Message `id`'s file: its manifest, and for a private file what opens it (NoFileError when we cannot). */
  #fileOf (id: string): { room: string, manifest: FileManifest, sealed?: SealedFile } {
    const m = this.#fileMessage(id)
    if (m.sealed === undefined) return { room: m.room, manifest: m.file }
    const sealed = this.#sealedFileOf(id)
    if (sealed === undefined) throw new NoFileError(`message ${id}'s file is private and this peer cannot open it (encrypted for others, or not described)`)
    return { room: m.room, manifest: m.file, sealed }
  }

  /** The name message `id`'s file is shown by (the opened name of a private one), if this peer can tell it. */
  nameOf (id: string): string | undefined {
    return this.shownOf(id)?.name
  }

  /** Message `id`'s file as it is shown (a private one's real name and size, not its ciphertext's), if this peer can tell it. */
  shownOf (id: string): ShownFile | undefined {
    try {
      const f = this.#fileOf(id)
      return f.sealed !== undefined ? { name: f.sealed.name, size: f.sealed.size, sealed: true } : { name: f.manifest.name, size: f.manifest.size, sealed: false }
    } catch {
      return undefined
    }
  }

  /**
   * Download the file message `id` shares, from every connected peer that
   * holds it, into the downloads folder (or `dir`). Resolves with the path;
   * `file:progress`, `file:done` and `file:failed` events tell the rest.
   */
  async download (id: string, dir?: string): Promise<string> {
    const f = this.#fileOf(id)
    return await this.ctx.files().download(id, f.room, f.manifest, this.ctx.net(), dir, f.sealed)
  }

  /**
   * Start downloading (see `download`) and answer at once with what is
   * fetched; a message that is not there or shares no file throws now, the
   * rest is told by `file:*` events.
   */
  startDownload (id: string, dir?: string): { id: string, name: string, size: number, sha256: string, saved?: true } {
    const f = this.#fileOf(id)
    const size = f.sealed?.size ?? f.manifest.size
    // Saved already and still there: nothing is fetched, and file:done follows this answer.
    const saved = this.ctx.files().savedCopy(id, size) !== undefined
    this.ctx.files().download(id, f.room, f.manifest, this.ctx.net(), dir, f.sealed).catch(() => { /* told by a file:failed event */ })
    return { id, name: f.sealed?.name ?? f.manifest.name, size, sha256: f.manifest.sha256, ...(saved ? { saved: true as const } : {}) }
  }

  /**
   * The saved picture of message `id`, to show full size in the window:
   * NoFileError, in words, when it is not a picture the window can show,
   * has not been saved yet (or was moved), or is too large to hand over.
   */
  async image (id: string): Promise<{ name: string, mime: string, bytes: Buffer }> {
    const f = this.#fileOf(id)
    const name = f.sealed?.name ?? f.manifest.name
    // Typed by its name, as it is shown (mime.ts): "holiday.exe" sent as a PNG is not a picture to hand the window.
    const mime = shownMime(f.sealed?.mime ?? f.manifest.mime, name)
    if (!VIEWABLE_IMAGE.test(mime)) throw new NoFileError(`${name} (${mime}) is not a picture LAN Chat shows: Open shows it with the computer's own app`)
    const files = this.ctx.files()
    const tooBig = (size: number): NoFileError => new NoFileError(`${name} is ${formatBytes(size)}, more than LAN Chat shows (${formatBytes(MAX_VIEWED_IMAGE_BYTES)}): Open shows it with the computer's own app`)
    const saved = files.deliveredPath(id)
    const held = files.has(f.manifest.sha256)
    // Shown now: the copy kept here is the last the limit on others' files takes.
    if (held) await files.blobs.touch(f.manifest.sha256)
    // A private picture fetched to be shown: its ciphertext is held, and it is opened in memory only.
    if (saved === undefined && held && f.sealed !== undefined) {
      if (f.sealed.size > MAX_VIEWED_IMAGE_BYTES) throw tooBig(f.sealed.size)
      return viewable(name, mime, await decryptToBuffer(files.blobs.path(f.manifest.sha256), f.sealed, f.manifest.chunkSize, f.sealed.size))
    }
    // A download saved by this peer, or (one's own, fetched, or held to serve) the store's checked copy of a public file.
    const path = saved ?? (held ? files.blobs.path(f.manifest.sha256) : undefined)
    if (path === undefined) throw new NoFileError(`${name} has not been downloaded (or was moved): download it to see it`)
    const { size } = await stat(path)
    if (size > MAX_VIEWED_IMAGE_BYTES) throw tooBig(size)
    return viewable(name, mime, await readFile(path))
  }

  /**
   * Start fetching message `id`'s file into the data directory only, to
   * show it (a picture the window shows full size without saving it), and
   * answer at once; `file:progress`, then `file:held` or `file:failed`.
   */
  startFetch (id: string): { id: string, name: string, size: number, sha256: string } {
    const f = this.#fileOf(id)
    this.ctx.files().fetch(id, f.room, f.manifest, this.ctx.net(), f.sealed).catch(() => { /* told by a file:failed event */ })
    return { id, name: f.sealed?.name ?? f.manifest.name, size: f.sealed?.size ?? f.manifest.size, sha256: f.manifest.sha256 }
  }

  /**
   * Fetch message `id`'s file into the data directory only, to serve it to
   * others; nothing is saved to the downloads folder. A peer that relays a
   * private conversation can so carry its files' ciphertext without a key.
   */
  async hold (id: string): Promise<void> {
    const m = this.#fileMessage(id)
    await this.ctx.files().hold(id, m.room, m.file, this.ctx.net())
  }

  /**
   * Run `use` over message `id`'s file as it is on this computer, to share it again (a forward): the
   * store's checked copy of a public file (one's own, downloaded or fetched to be shown), a private
   * one's decrypted for the share alone (removed after), else the copy saved in the downloads folder.
   * NoFileError, saying to download it first, when none of it is here.
   */
  async withLocalCopy<T> (id: string, use: (path: string, file: { name: string, mime: string, thumbnail?: Uint8Array, thumbnailMime?: string }) => Promise<T>): Promise<T> {
    const f = this.#fileOf(id)
    const files = this.ctx.files()
    const described = f.sealed ?? f.manifest
    const file = { name: described.name, mime: described.mime, ...(described.thumbnail !== undefined ? { thumbnail: described.thumbnail, thumbnailMime: described.thumbnailMime ?? 'image/jpeg' } : {}) }
    const held = files.has(f.manifest.sha256)
    if (held && f.sealed === undefined) return await use(files.blobs.path(f.manifest.sha256), file)
    if (held && f.sealed !== undefined) {
      const tmp = join(files.blobs.dir, `forward-${randomBytes(6).toString('hex')}.tmp`)
      try {
        await decryptFile(files.blobs.path(f.manifest.sha256), tmp, f.sealed, f.manifest.chunkSize, f.sealed.size)
        return await use(tmp, file)
      } finally {
        await rm(tmp, { force: true })
      }
    }
    const saved = files.deliveredPath(id)
    if (saved !== undefined) return await use(saved, file)
    throw new NoFileError(`${file.name} is not on this computer: download it first to forward it`)
  }

  /** Add bytes to an upload a window sends in pieces (it never names a path); `total`: the whole file's size, checked first. */
  async upload (upload: string | undefined, bytes: Uint8Array, total?: number): Promise<{ upload: string, size: number }> {
    this.ctx.running()
    return await this.ctx.files().upload(upload, bytes, total)
  }

  /** Share a finished upload in a room, like `sendFile`. */
  async sendUpload (room: string, upload: string, options: ShareOptions & { name: string, text?: string, to?: string }): Promise<MessageView> {
    const files = this.ctx.files
    return await this.#share(room, options, async () => await files().shareUploadSealed(upload, options), async () => await files().shareUpload(upload, options))
  }
}

/** A direct-message or invite-only room: what is shared there is sealed. */
function isPrivate (room: string): boolean { return room.startsWith(DM_ROOM_PREFIX) || room.startsWith(PRIVATE_ROOM_PREFIX) }

/** A file message's text: the caption given, or a paperclip and the file's name. */
function caption (text: string | undefined, name: string): string {
  return text?.trim() !== undefined && text.trim() !== '' ? text : `📎 ${name}`
}

/** A picture to hand the window, unless its header says more pixels than it is shown with (MAX_VIEWED_PIXELS). */
function viewable (name: string, mime: string, bytes: Buffer): { name: string, mime: string, bytes: Buffer } {
  const picture = pictureOf(bytes)
  if (picture !== undefined && picture.width * picture.height > MAX_VIEWED_PIXELS) {
    throw new NoFileError(`${name} is ${picture.width.toLocaleString('en')} × ${picture.height.toLocaleString('en')} pixels, more than LAN Chat shows: Open shows it with the computer's own app`)
  }
  return { name, mime, bytes }
}
