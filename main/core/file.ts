import { FileTooLargeError, InvalidManifestError } from './errors.js'
import { pictureOf } from './picture.js'

/**
 * What a chat message says about a shared file. The message is small; the
 * bytes travel apart (net/file-protocol.ts) and every chunk is checked
 * against `chunksRoot` before it is written.
 */
export interface FileManifest {
  /** Name as the author gave it: never used as a path before `safeFileName`. */
  name: string
  size: number
  mime: string
  /** SHA-256 of the whole file, hex: its content address. */
  sha256: string
  /** Every chunk but the last has this many bytes. */
  chunkSize: number
  /** SHA-256 of the chunks' SHA-256s concatenated in order, hex. */
  chunksRoot: string
  /** A small preview made by the sender. */
  thumbnail?: Uint8Array
  thumbnailMime?: string
}

/** Default largest file to send or fetch (Settings may change it). */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3
/** Hard ceiling whatever the setting: 64 GiB. */
export const MAX_FILE_BYTES_CEILING = 64 * 1024 ** 3
/** Copies of others' files a peer keeps (to show and to serve them) unless Settings say otherwise: the oldest go past 5 GiB. */
export const DEFAULT_KEEP_OTHERS_BYTES = 5 * 1024 ** 3
/** Pictures the window shows full size itself: what Chromium decodes as an image with nothing to run or fetch (no SVG). */
export const VIEWABLE_IMAGE = /^image\/(png|jpeg|gif|webp|avif|bmp)$/
/**
 * Chunk size for files up to 2 GiB: small enough that a transfer has little
 * queued ahead of a chat frame on the shared connection, large enough that
 * the hash list stays small (8,192 hashes, 256 KiB, for 2 GiB).
 */
export const CHUNK_SIZE = 256 * 1024
export const MIN_CHUNK_SIZE = 16 * 1024
export const MAX_CHUNK_SIZE = 4 * 1024 * 1024
export const MAX_THUMBNAIL_BYTES = 32 * 1024
/**
 * Widest and tallest thumbnail, in pixels: a sender's window makes them at most 240 px a side. The
 * window decodes one to 4 bytes a pixel whatever its size on the wire, so its header is read first.
 */
export const MAX_THUMBNAIL_SIDE = 1024
/** Most chunks a manifest may have: its hash list stays under 1 MiB. */
export const MAX_CHUNKS = 32_768
export const MAX_FILE_NAME_BYTES = 255

/** A SHA-256 as hex, as files and messages are named by it. */
export const HEX64 = /^[0-9a-f]{64}$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g
const THUMB_MIME = /^image\/(png|jpeg|webp|gif)$/
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/i

/** The chunk size a sender picks: CHUNK_SIZE, doubled until the file has at most 8,192 chunks (up to MAX_CHUNK_SIZE). */
export function chunkSizeFor (size: number): number {
  let c = CHUNK_SIZE
  while (c < MAX_CHUNK_SIZE && Math.ceil(size / c) > 8192) c *= 2
  return c
}

export function chunkCount (m: Pick<FileManifest, 'size' | 'chunkSize'>): number {
  return m.size === 0 ? 0 : Math.ceil(m.size / m.chunkSize)
}

/** Byte length of chunk `index`. */
export function chunkLength (m: Pick<FileManifest, 'size' | 'chunkSize'>, index: number): number {
  return Math.min(m.chunkSize, m.size - index * m.chunkSize)
}

/** Structural checks on a manifest from the wire; throws InvalidManifestError. */
export function validateManifest (m: FileManifest): void {
  const fail = (why: string): never => { throw new InvalidManifestError(why) }
  if (m.name.length === 0 || new TextEncoder().encode(m.name).byteLength > 1024 || new RegExp(CONTROL.source).test(m.name)) fail('bad file name')
  if (!Number.isSafeInteger(m.size) || m.size < 0 || m.size > MAX_FILE_BYTES_CEILING) fail('bad file size')
  if (!MIME.test(m.mime)) fail('bad MIME type')
  if (!HEX64.test(m.sha256) || !HEX64.test(m.chunksRoot)) fail('bad file hash')
  if (!Number.isInteger(m.chunkSize) || m.chunkSize < MIN_CHUNK_SIZE || m.chunkSize > MAX_CHUNK_SIZE) fail('bad chunk size')
  if (chunkCount(m) > MAX_CHUNKS) fail('too many chunks')
  if (m.thumbnail !== undefined) {
    if (m.thumbnail.byteLength > MAX_THUMBNAIL_BYTES) fail('thumbnail too large')
    if (!THUMB_MIME.test(m.thumbnailMime ?? '')) fail('bad thumbnail type')
    // What the window would decode, read from the picture's own header (it goes by the bytes, not the type).
    const p = pictureOf(m.thumbnail) ?? fail('thumbnail is not a picture')
    if (`image/${p.type}` !== m.thumbnailMime) fail('thumbnail is not the picture its type says')
    if (p.width < 1 || p.height < 1 || p.width > MAX_THUMBNAIL_SIDE || p.height > MAX_THUMBNAIL_SIDE) fail(`thumbnail of ${p.width}×${p.height} pixels (at most ${MAX_THUMBNAIL_SIDE} a side)`)
    if (p.animated) fail('animated thumbnail')
  }
}

/** Refuse a file over `limit` bytes, saying both sizes. */
export function checkFileSize (size: number, limit: number): void {
  if (size <= limit) return
  const [file, most] = formatSizes(size, limit)
  throw new FileTooLargeError(`The file is ${file}; the limit is ${most}`)
}

/**
 * Two sizes to be told apart, as `formatBytes` says them; in bytes when that would say them alike
 * ("the file is 1.0 MiB; the limit is 1.0 MiB" for a file one byte over), the rounded size kept after the limit.
 */
export function formatSizes (a: number, b: number): [string, string] {
  const [x, y] = [formatBytes(a), formatBytes(b)]
  if (x !== y || a === b) return [x, y]
  const bytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`
  return [bytes(a), `${bytes(b)} (${y})`]
}

export function formatBytes (n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  let v = n
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++ }
  return i === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/**
 * Characters that reorder how a name reads without showing themselves: bidirectional marks,
 * embeddings, overrides and isolates. "invoice\u202Efdp.exe" reads "invoiceexe.pdf" with them.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** A file's name as people may be shown it: in the order its characters are in, so the extension read is the real one. */
export function visibleFileName (name: string): string {
  const visible = name.replace(BIDI_CONTROLS, '')
  return visible === '' ? 'file' : visible
}

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i
// Characters Windows refuses in names, plus both separators everywhere.
const UNSAFE = /[<>:"/\\|?*]/g

/**
 * A name that is safe to create in a download folder on any system: only
 * the last path component, no control, reserved or direction-changing characters, no `.`/`..`,
 * no trailing dots or spaces (Windows drops them), no device names (`CON`,
 * `nul.txt`), at most 255 UTF-8 bytes with the extension kept.
 */
export function safeFileName (name: string): string {
  let base = visibleFileName(name).split(/[/\\]/).pop() ?? ''
  base = base.replace(CONTROL, '').replace(UNSAFE, '_').trim().replace(/[. ]+$/, '')
  if (base === '' || /^\.+$/.test(base)) base = 'file'
  if (base.startsWith('.')) base = `_${base.slice(1)}`
  const dot = base.indexOf('.')
  const stem = dot === -1 ? base : base.slice(0, dot)
  if (RESERVED.test(stem.trim())) base = `_${base}`
  return truncateName(base, MAX_FILE_NAME_BYTES)
}

/** `name (n).ext`: the n-th alternative to a name that is taken. */
export function numberedName (name: string, n: number): string {
  const dot = name.lastIndexOf('.')
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  // A name already at the limit gives up the end of its stem, not the number: cut, " (1)" would leave the name taken.
  const enc = new TextEncoder()
  const suffix = ` (${n})${ext}`
  let kept = [...stem]
  while (kept.length > 0 && enc.encode(kept.join('') + suffix).byteLength > MAX_FILE_NAME_BYTES) kept = kept.slice(0, -1)
  return truncateName(kept.join('') + suffix, MAX_FILE_NAME_BYTES)
}

function truncateName (name: string, maxBytes: number): string {
  const enc = new TextEncoder()
  if (enc.encode(name).byteLength <= maxBytes) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
  let stem = [...name.slice(0, name.length - ext.length)]
  while (stem.length > 0 && enc.encode(stem.join('') + ext).byteLength > maxBytes) stem = stem.slice(0, -1)
  return stem.join('') + ext
}
