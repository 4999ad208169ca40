/**
 * Files in the page: uploading what the user picked, dropped or pasted (its
 * bytes, in pieces: the page never names a path), making an image's
 * thumbnail, and the state of each download from the engine's file events.
 * A tiny store of its own, read with useSyncExternalStore, so message rows
 * re-render only for their own download.
 */
import { useCallback, useState, useSyncExternalStore } from 'react'
import type { AppEvent, MessageView } from '../../preload/contract'
import { DEFAULT_AUTO_DOWNLOAD_IMAGES_MB, DEFAULT_MAX_FILE_MB, MAX_STAGED_BYTES, MAX_UPLOAD_PIECE, VIEWABLE_IMAGE } from '../../preload/contract'
import { bridge, call, describe, stageFile } from './api'
import { formatBytes, paceText, tooLargeText, type Pace } from './format'
import { thumbnailOf } from './thumbnail'

export { formatBytes, formatSeconds } from './format'
export { thumbnailOf } from './thumbnail'

export type Download =
  | { state: 'downloading'; done: number; size: number; bytesPerSecond: number; secondsLeft: number | null; holders: number; waiting: boolean }
  /** Fetched into LAN Chat's own folder to be shown (a picture), not saved to the downloads folder. */
  | { state: 'held'; size: number }
  | { state: 'done'; size: number }
  /** `kept`: known from the history page only (a download that waits from before this page opened): Retry saves it. */
  | { state: 'failed'; error: string; code: string; kept?: true }

export interface Upload { key: number; name: string; sent: number; size: number }

let downloads = new Map<string, Download>()
/** Downloads given up while they waited for someone who has the file: known to this page, offered for Download again. */
const givenUp = new Set<string>()
/** The files whose last request was to save them (Download, Save), not only to fetch them to be shown. */
const saving = new Set<string>()
/**
 * Files this page knew a download of whose message was deleted: the engine took the file away with
 * it (what it fetched, its copy kept to show). A delete taken back (its author had been removed from
 * the invite-only room before it: the message is asked for again and restored) brings the message
 * back without them, so the page forgets what it knew, and the file is as a newly arrived one's:
 * a picture under Settings' size fetched on its own again (fetchesOnItsOwn), the rest offered to Download.
 */
const withdrawn = new Set<string>()
let uploads: Upload[] = []
const listeners = new Set<() => void>()
let subscribed = false
let nextKey = 0
let autoImageBytes = DEFAULT_AUTO_DOWNLOAD_IMAGES_MB * 2 ** 20
let maxFileBytes = DEFAULT_MAX_FILE_MB * 2 ** 20
/** Client mode: the largest file the hub stores, as it said (undefined: P2P, or a hub that never said). */
let serverMaxFileBytes: number | undefined

function changed(): void {
  for (const l of listeners) l()
}

function onEvent(e: AppEvent): void {
  switch (e.type) {
    case 'message:updated':
      if (e.deleted === true) {
        if (downloads.has(e.id) || givenUp.has(e.id)) withdrawn.add(e.id)
        return
      }
      if (!withdrawn.delete(e.id)) return
      downloads = new Map(downloads)
      downloads.delete(e.id)
      givenUp.delete(e.id)
      saving.delete(e.id)
      break
    case 'file:progress':
      downloads = new Map(downloads).set(e.id, { state: 'downloading', done: e.done, size: e.size, bytesPerSecond: e.bytesPerSecond, secondsLeft: e.secondsLeft, holders: e.holders, waiting: e.waiting })
      break
    case 'file:held':
      // A save that waited for this fetch goes on: it says when it is done.
      if (downloads.get(e.id)?.state === 'done') return
      downloads = new Map(downloads).set(e.id, { state: 'held', size: e.size })
      break
    case 'file:done':
      downloads = new Map(downloads).set(e.id, { state: 'done', size: e.size })
      break
    case 'file:failed':
      // A download that had stopped, waiting for someone who has the file, and was given up (Cancel): offered afresh.
      // One this page knew only from its history page (it waited from before the page opened) has no state here.
      if (e.code === 'CancelledError' && (downloads.get(e.id)?.state === 'failed' || !downloads.has(e.id))) {
        givenUp.add(e.id)
        downloads = new Map(downloads)
        downloads.delete(e.id)
        break
      }
      givenUp.delete(e.id)
      downloads = new Map(downloads).set(e.id, { state: 'failed', error: e.error, code: e.code })
      break
    default:
      return
  }
  changed()
}

function subscribe(listener: () => void): () => void {
  if (!subscribed) {
    subscribed = true
    bridge().onEvent(onEvent)
  }
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * How the download of a message's file stands: what this page saw of it, else (a file saved in an
 * earlier run, or before this page opened) Saved, as the history page said; or, when the history
 * page says a download of it stopped waiting for someone who has the file (before a reload or a
 * restart), that, with how much of it is here, unless it was given up since.
 */
export function useDownload(message: MessageView): Download | undefined {
  const d = useSyncExternalStore(subscribe, () => downloads.get(message.id))
  const gaveUp = useSyncExternalStore(subscribe, () => givenUp.has(message.id))
  if (d !== undefined) return d
  const file = message.file
  if (file?.saved === true) return { state: 'done', size: file.size }
  if (file?.waiting !== undefined && !gaveUp) {
    const done = Math.min(file.waiting.done, file.size)
    return { state: 'failed', error: `Waiting for someone who has it to be online: ${formatBytes(done)} of ${formatBytes(file.size)} here`, code: 'NoHolderError', kept: true }
  }
  return file?.held === true ? { state: 'held', size: file.size } : undefined
}

export function useUploads(): Upload[] {
  return useSyncExternalStore(subscribe, () => uploads)
}

/** Settings' "download images up to N MB on their own" (0: never); set by App as it renders, before any row's effect runs. */
export function setAutoDownloadImages(mb: number): void {
  autoImageBytes = mb * 2 ** 20
}

/** Settings' largest file, in MB; set by App as it renders. */
export function setMaxFileMB(mb: number): void {
  maxFileBytes = mb * 2 ** 20
}

/** Client mode: the largest file the hub stores (the running status says it); undefined in P2P or when the hub never said. Set by App as it renders. */
export function setServerMaxFileBytes(bytes: number | undefined): void {
  serverMaxFileBytes = bytes
}

/** Whether a file is over Settings' largest file (the engine refuses it anyway). */
export function overLimit(size: number): boolean {
  return size > maxFileBytes
}

/** Pictures the window shows itself: the engine's rule, through the contract. */
export const VIEWABLE = VIEWABLE_IMAGE

/**
 * Whether a shown file fetches itself, to be shown: someone else's picture the window can show
 * (an SVG or a TIFF would only be opened with the computer's own app, after a Download), within
 * the size Settings allow.
 */
export function fetchesOnItsOwn(message: MessageView, own: boolean): boolean {
  const f = message.file
  return f !== undefined && f.saved !== true && f.held !== true && f.waiting === undefined && !own && autoImageBytes > 0 && VIEWABLE.test(f.mime) && f.size <= autoImageBytes && !overLimit(f.size)
}

/** Whether this page knows anything of the download of `id` (started, done, failed or cancelled). */
export function knownDownload(id: string): boolean {
  return downloads.has(id) || givenUp.has(id)
}

/** Download a file into the downloads folder (a file already fetched to be shown is only copied there). */
export async function startDownload(id: string): Promise<void> {
  saving.add(id)
  await start(id, 'download')
}

/** Fetch a file into LAN Chat's own folder only, to show it: a picture is seen without being saved. */
export async function startFetch(id: string): Promise<void> {
  saving.delete(id)
  await start(id, 'fetchFile')
}

/** Try a failed download or fetch again, as it was asked for. */
export async function retryDownload(id: string): Promise<void> {
  await (saving.has(id) ? startDownload(id) : startFetch(id))
}

async function start(id: string, op: 'download' | 'fetchFile'): Promise<void> {
  downloads = new Map(downloads).set(id, { state: 'downloading', done: 0, size: 0, bytesPerSecond: 0, secondsLeft: null, holders: 0, waiting: false })
  changed()
  try {
    await call(op, { id })
  } catch (err) {
    const e = err as Error
    downloads = new Map(downloads).set(id, { state: 'failed', error: e.message, code: e.name })
    changed()
  }
}

/**
 * Cancel a download: one under way stops (Cancelled, with Retry); one that stopped waiting for
 * someone who has the file is given up with what came, and offered for Download again.
 */
export async function cancelDownload(id: string): Promise<void> {
  const { cancelled } = await call('cancelDownload', { id })
  // Nothing was kept to go on (a fetch to show a picture is not): nothing to give up but the card's words.
  if (!cancelled && downloads.get(id)?.state === 'failed') {
    givenUp.add(id)
    downloads = new Map(downloads)
    downloads.delete(id)
    changed()
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/**
 * FileTooLargeError naming the first file over the largest one that can be sent, or undefined when
 * none is: Settings' own, or in client mode the server's when it is smaller (the engine would refuse
 * it when sent: the server would not keep it, so nobody could download it through the server). Its
 * words say whose limit it is.
 */
export function tooLarge(files: ReadonlyArray<{ name: string; size: number }>): Error | undefined {
  const server = serverMaxFileBytes !== undefined && serverMaxFileBytes < maxFileBytes ? serverMaxFileBytes : undefined
  const limit = server ?? maxFileBytes
  const big = files.find((f) => f.size > limit)
  if (big === undefined) return undefined
  return Object.assign(new Error(tooLargeText(big.name || 'The file', big.size, limit, server !== undefined)), { name: 'FileTooLargeError' })
}

/** A file kept attached by the host across a restart (stageFile, stageBytes): sent by its id, the page holds none of it. */
export interface KeptFile { kept: string; name: string; size: number }

/**
 * Upload each file in pieces (or, one kept by the host from the last run, have the host send it as
 * it was attached) and share it in `room`, the first with `caption` as its message's text (the
 * others show their names); `onSent` gets each message, and which file it was, as the engine answers it.
 */
export async function sendFiles(room: string, files: ReadonlyArray<File | KeptFile>, caption = '', onSent?: (message: MessageView, index: number) => void): Promise<void> {
  // Nothing of a file over the limit is read: the engine would refuse it on its first piece anyway.
  const big = tooLarge(files)
  if (big !== undefined) throw big
  // Its place in line, taken now: what is sent before it is shared before it, though this one uploads sooner.
  const before = shared
  let done!: () => void
  shared = new Promise<void>((resolve) => { done = resolve })
  try {
    await shareInTurn(room, files, caption, before, onSent)
  } finally {
    void before.then(done, done)
  }
}

/** The name a file is shared under: its own, or for a pasted picture (which has none) pasted-image.png and the like. */
function sentName(file: File): string {
  return file.name !== '' ? file.name : `pasted-image.${file.type.split('/')[1] ?? 'png'}`
}

/** The file's type as the browser says it, when it is one a message can carry. */
function sentMime(file: File): string | undefined {
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i.test(file.type) ? file.type : undefined
}

/** Why a file attached in a public room is not kept across a restart (it stays attached in this window only). */
const UNKEPT_SUFFIX = 'It stays attached in this window only: a restart takes it off.'

/** Why a file attached in a DM or an invite-only room is not kept across a restart: nothing of it is written to disk unsealed, as its draft is not. */
export const PRIVATE_UNKEPT = `A file attached in a direct message or an invite-only room is never written to disk, as its draft is not. ${UNKEPT_SUFFIX}`

/**
 * Have the host keep a file attached in a public room across a restart, with its preview: by its path
 * when it has one (picked or dropped: the preload reads it), else (pasted) its bytes, in pieces, within
 * MAX_STAGED_BYTES. Answers the id it is kept under, or why it is kept in this page only (`unkept`).
 */
export async function keepAttached(room: string, file: File, thumbnail: { data: string; mime: string } | undefined): Promise<{ id: string } | { unkept: string }> {
  const mime = sentMime(file)
  const meta = { ...(mime !== undefined ? { mime } : {}), ...(thumbnail !== undefined ? { thumbnail: thumbnail.data, thumbnailMime: thumbnail.mime } : {}) }
  try {
    return { id: (await stageFile({ room, file, ...meta })).id }
  } catch (err) {
    if ((err as Error).name !== 'NoPathError') return { unkept: `It could not be kept across a restart (${describe(err)}). ${UNKEPT_SUFFIX}` }
  }
  if (file.size > MAX_STAGED_BYTES) return { unkept: `A pasted file over ${formatBytes(MAX_STAGED_BYTES)} is not kept across a restart. ${UNKEPT_SUFFIX}` }
  let id: string | undefined
  try {
    for (let at = 0; at < file.size || id === undefined; at += MAX_UPLOAD_PIECE) {
      const piece = new Uint8Array(await file.slice(at, at + MAX_UPLOAD_PIECE).arrayBuffer())
      const data = toBase64(piece)
      id = (await call('stageBytes', id !== undefined ? { id, data } : { room, name: sentName(file), size: file.size, ...meta, data })).id
      if (piece.length === 0) break
    }
  } catch (err) {
    // Over the limits, or the host could not write it: attached in this page only. What was written goes.
    if (id !== undefined) await call('unstage', { id }).catch(() => undefined)
    return { unkept: `${(err as Error).name === 'StagedFileLimitError' ? describe(err) : `It could not be kept across a restart (${describe(err)}).`} ${UNKEPT_SUFFIX}` }
  }
  return { id }
}

/** Settles once every sendFiles so far has shared its files (or failed): the next shares after it. */
let shared: Promise<void> = Promise.resolve()

async function shareInTurn(room: string, files: ReadonlyArray<File | KeptFile>, caption: string, before: Promise<void>, onSent?: (message: MessageView, index: number) => void): Promise<void> {
  let text = caption.trim() !== '' ? caption : undefined
  for (const [index, file] of files.entries()) {
    const entry: Upload = { key: ++nextKey, name: file.name || 'pasted image', sent: 0, size: file.size }
    uploads = [...uploads, entry]
    changed()
    try {
      if (!(file instanceof File)) {
        // Kept from the last run: the host has it (its path, or its bytes), and sends it as it was attached.
        await before
        onSent?.(await call('sendStaged', { room, id: file.kept, ...(text !== undefined ? { text } : {}) }), index)
        text = undefined
        continue
      }
      let upload: string | undefined
      for (let at = 0; at < file.size || upload === undefined; at += MAX_UPLOAD_PIECE) {
        const piece = new Uint8Array(await file.slice(at, at + MAX_UPLOAD_PIECE).arrayBuffer())
        upload = (await call('uploadFile', { ...(upload !== undefined ? { upload } : { size: file.size }), data: toBase64(piece) })).upload
        uploads = uploads.map((u) => (u.key === entry.key ? { ...u, sent: Math.min(file.size, at + piece.length) } : u))
        changed()
        if (piece.length === 0) break
      }
      const thumbnail = await thumbnailOf(file)
      await before
      const sent = await call('sendFile', {
        room,
        upload: upload!,
        name: sentName(file),
        ...(sentMime(file) !== undefined ? { mime: file.type } : {}),
        ...(thumbnail !== undefined ? { thumbnail: thumbnail.data, thumbnailMime: thumbnail.mime } : {}),
        ...(text !== undefined ? { text } : {})
      })
      // Shown at once as one's own, pending until delivered (a client whose hub is down has no other word of it).
      onSent?.(sent, index)
      text = undefined
    } finally {
      uploads = uploads.filter((u) => u.key !== entry.key)
      changed()
    }
  }
}

let clientMode = false
let hubUp = false

/**
 * Whether the engine runs as a hub's client (its files come from the hub), and whether the hub is
 * reached (one it reaches that sends nothing has not got the file yet); set by App as it renders.
 */
export function setClientMode(client: boolean, reached = false): void {
  clientMode = client
  hubUp = reached
}

/** A download's pace as its card says it (format.ts), the hub named in client mode. */
export function paceOf(d: Pace): string {
  return paceText(d, clientMode, hubUp)
}

/**
 * Show a saved file in its folder or open it with the computer's own app (the host does it, on this
 * click); `problem` says why it could not, until the next try.
 */
export function useReveal(id: string): { reveal: (action: 'folder' | 'open') => void; problem: string | undefined } {
  const [problem, setProblem] = useState<string>()
  const reveal = useCallback((action: 'folder' | 'open') => {
    setProblem(undefined)
    call('reveal', { id, action }).catch((err: unknown) => {
      // Not where it was saved any more (moved or deleted outside LAN Chat): the card says so, no longer
      // "Saved", and Retry downloads it again (a reload would offer Download, the engine knowing it gone).
      if ((err as Error).name !== 'NoFileError') { setProblem(describe(err)); return }
      saving.add(id)
      downloads = new Map(downloads).set(id, { state: 'failed', error: 'It is no longer where it was saved (moved or deleted)', code: 'NoFileError', kept: true })
      changed()
    })
  }, [id])
  return { reveal, problem }
}
