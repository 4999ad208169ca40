/**
 * Where a picture file keeps its EXIF, XMP and IPTC metadata, and what to
 * write over it so a shared photo says neither where it was taken nor which
 * camera took it nor who (core/exif.ts does the blanking). A phone's photo is a JPEG or, on
 * an iPhone, a HEIC; PNG and WebP carry EXIF and XMP too.
 *
 * - JPEG: the APP1 (EXIF, XMP), APP13 (Photoshop's blocks: IPTC, EXIF, XMP)
 *   and COM (comment) segments at the start (exif.ts `scrubLocation`).
 * - PNG: the `eXIf` chunk and the text chunks (before the image data or after) that hold
 *   XMP or, as ImageMagick writes them, the EXIF block, XMP, IPTC or
 *   Photoshop's blocks in hex ("Raw profile type exif", "…iptc", "…8bim"):
 *   plain (`tEXt`, `iTXt`) or compressed (`zTXt`, `iTXt`).
 *   A compressed one is inflated, blanked, and deflated again to exactly its
 *   length (`deflateToLength`), or, when it no longer fits, to spaces.
 * - WebP: the `EXIF` and `XMP ` chunks (they come after the image data; WebP
 *   and HEIC carry no IPTC records of their own).
 * - HEIC, HEIF, AVIF: the `Exif` and XMP items the `meta` box lists, wherever
 *   its `iloc` box says their bytes are.
 * - TIFF, BigTIFF, and the raw files built as one (DNG, as an iPhone's ProRAW or an
 *   Android phone's raw; many cameras' own: NEF, CR2, ARW, Olympus's ORF, Panasonic's RW2):
 *   the whole file is one TIFF structure, walked as an EXIF block is (exif.ts
 *   `tiffEdits`), reading only its directories, the values blanked and the head of
 *   each JPEG preview, wherever in the file.
 *
 * Each change is in place and at the same length (a PNG chunk's checksum is
 * computed again), so the file's structure stays as it was. What does not
 * parse is left as it is. Pure but for `read`, which gives the file's bytes.
 *
 * @example
 * ```ts
 * const patches = await locationPatches((at, n) => readBytes(file, at, n), size)
 * for (const p of patches) writeBytes(copy, p.at, p.bytes)
 * ```
 */
import { constants, crc32, deflateSync, inflateSync } from 'node:zlib'
import { isJpeg, newWalkBudget, scrubIptcProfile, scrubLocation, scrubTiff, startsWith, tiffEdits, type WalkBudget, withWalkBudget } from '../core/exif.js'
import { scrubXmp } from '../core/xmp.js'

/** Bytes of the file at `at` (fewer at its end). */
export type ReadAt = (at: number, length: number) => Promise<Uint8Array>
/** Bytes to write at `at` in a copy of the file. */
export interface Patch { at: number, bytes: Uint8Array }

/** How much of a JPEG's start is searched for its EXIF block (a block is at most 64 KiB, and they come first). */
export const JPEG_HEAD_BYTES = 256 * 1024
/** The largest metadata block read: one bigger is not a phone's and is left alone. */
const MAX_BLOCK_BYTES = 4 * 1024 * 1024
/** How many chunks or boxes are walked looking for one (an animated WebP has one a frame). */
const MAX_WALK = 10_000

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/**
 * The keywords of the PNG text chunks that hold a photo's metadata: XMP, and
 * the "raw profiles" ImageMagick writes (the EXIF block, the XMP packet, the
 * IPTC records or the Photoshop resource blocks holding them, in hex).
 */
const PNG_TEXT_KINDS = new Map<string, TextKind>([
  ['XML:com.adobe.xmp', 'xmp'],
  ['Raw profile type exif', 'raw exif'],
  ['Raw profile type APP1', 'raw exif'],
  ['Raw profile type xmp', 'raw xmp'],
  ['Raw profile type iptc', 'raw iptc'],
  ['Raw profile type 8bim', 'raw iptc']
])
type TextKind = 'xmp' | 'raw exif' | 'raw xmp' | 'raw iptc'
/** The most a compressed text chunk is inflated to: one that holds more is not a phone's and is left alone. */
const MAX_TEXT_BYTES = 32 * 1024 * 1024

/** What to write over `read`'s file so it keeps no location or serial: none when it has none. */
export async function locationPatches (read: ReadAt, size: number): Promise<Patch[]> {
  const head = await read(0, Math.min(size, JPEG_HEAD_BYTES))
  // One budget for every TIFF structure walked in the file, however many blocks hold one.
  const budget = newWalkBudget()
  if (isJpeg(head)) return withWalkBudget(budget, () => scrubLocation(head)) ? [{ at: 0, bytes: head }] : []
  if (PNG_SIGNATURE.every((b, k) => head[k] === b)) return await pngPatches(read, size, budget)
  if (startsWith(head, 'RIFF') && startsWith(head.subarray(8), 'WEBP')) return await webpPatches(read, size, budget)
  if (startsWith(head.subarray(4), 'ftyp')) return await heifPatches(read, size, budget)
  if (TIFF_STARTS.some(start => startsWith(head, start))) return await tiffPatches(read, size, budget)
  return []
}

/**
 * How the files built as one TIFF structure start: TIFF (and the raws built as one: DNG, NEF, CR2, ARW…),
 * BigTIFF (8-byte offsets), an Olympus ORF (its own version, "RO" or "RS"), a Panasonic RW2 (0x55).
 */
const TIFF_STARTS = ['II*\0', 'MM\0*', 'II+\0', 'MM\0+', 'IIRO', 'IIRS', 'MMOR', 'IIU\0']

/**
 * TIFF and DNG: the file is one TIFF structure, its directories and the
 * values they point to anywhere in it (a DNG's after tens of MB of raw image
 * data), so `tiffEdits` is given only the bytes it asks for, each with what it
 * wrote before over it.
 */
async function tiffPatches (read: ReadAt, size: number, budget: WalkBudget): Promise<Patch[]> {
  const out: Patch[] = []
  const walk = tiffEdits(size, budget)
  for (let step = walk.next(); step.done !== true;) {
    const s = step.value
    if ('write' in s) {
      out.push({ at: s.at, bytes: s.write })
      step = walk.next(new Uint8Array(0))
      continue
    }
    const bytes = new Uint8Array(await read(s.at, s.length)) // a copy: the walk may blank it in place
    for (const p of out) {
      const from = Math.max(p.at, s.at)
      const to = Math.min(p.at + p.bytes.length, s.at + bytes.length)
      if (from < to) bytes.set(p.bytes.subarray(from - p.at, to - p.at), from - s.at)
    }
    step = walk.next(bytes)
  }
  return out
}

/**
 * PNG: chunks of length, type, data, CRC. The metadata mostly comes before
 * the image data (IDAT), but text chunks may follow it, so every chunk's head
 * is read up to IEND (the image data itself is stepped over, not read).
 */
async function pngPatches (read: ReadAt, size: number, budget: WalkBudget): Promise<Patch[]> {
  const out: Patch[] = []
  let at = 8
  for (let n = 0; n < MAX_WALK && at + 12 <= size; n++) {
    const head = await read(at, 8)
    if (head.length < 8) break
    const length = u32be(head, 0)
    const type = String.fromCharCode(...head.subarray(4, 8))
    if (type === 'IEND') break
    const end = at + 12 + length
    if (end > size) break
    if ((type === 'eXIf' || type === 'iTXt' || type === 'tEXt' || type === 'zTXt') && length <= MAX_BLOCK_BYTES) {
      const data = await read(at + 8, length)
      if (data.length === length && withWalkBudget(budget, () => scrubPngChunk(type, data))) {
        const patched = new Uint8Array(length + 4)
        patched.set(data)
        const crc = crc32(Buffer.from(data), crc32(Buffer.from(type, 'latin1')))
        new DataView(patched.buffer).setUint32(length, crc)
        out.push({ at: at + 8, bytes: patched })
      }
    }
    at = end
  }
  return out
}

/** Blank a PNG chunk's location or serial, in place; true when anything was. */
function scrubPngChunk (type: string, data: Uint8Array): boolean {
  if (type === 'eXIf') return scrubTiff(startsWith(data, 'Exif\0\0') ? data.subarray(6) : data)
  // A text chunk: keyword\0 first (1 to 79 letters).
  const nul = data.indexOf(0)
  const kind = nul < 1 || nul > 79 ? undefined : PNG_TEXT_KINDS.get(String.fromCharCode(...data.subarray(0, nul)))
  if (kind === undefined) return false
  let k = nul + 1
  let compressed = false
  if (type === 'zTXt') {
    // Compression method (0, zlib), then the compressed text.
    if (data[k] !== 0) return false
    k++
    compressed = true
  } else if (type === 'iTXt') {
    // Compression flag and method, language tag\0, translated keyword\0, then the text.
    if (k + 2 > data.length || data[k]! > 1 || (data[k] === 1 && data[k + 1] !== 0)) return false
    compressed = data[k] === 1
    k += 2
    for (let nuls = 0; nuls < 2; k++) if (k >= data.length) return false; else if (data[k] === 0) nuls++
  }
  const body = data.subarray(k)
  if (!compressed) return scrubText(kind, body)
  let text: Uint8Array
  try {
    text = inflateSync(body, { maxOutputLength: MAX_TEXT_BYTES })
  } catch {
    return false // not a zlib stream (no reader gets text from it either), or more than a phone's metadata
  }
  if (!scrubText(kind, text)) return false
  const packed = deflateToLength(text, body.length)
  if (packed === undefined) return false
  body.set(packed)
  return true
}

/** Blank the location and serials in a PNG text chunk's text of `kind`, in place; true when anything was. */
function scrubText (kind: TextKind, text: Uint8Array): boolean {
  if (kind === 'xmp') return scrubXmp(text)
  // A raw profile: "\n", its name, "\n", its length in bytes, "\n", then those bytes in hex, in lines.
  let k = 0
  const skip = (what: (c: number) => boolean): void => { while (k < text.length && what(text[k]!)) k++ }
  const space = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x20 || c === 0x09
  skip(space)
  skip(c => !space(c))
  skip(space)
  const digits = k
  // Read digit by digit: a run of them as long as the chunk (leading zeros, or a broken file) spread as
  // arguments overflowed the stack, and the share failed.
  let length = 0
  for (; k < text.length && text[k]! >= 0x30 && text[k]! <= 0x39; k++) length = Math.min(length * 10 + text[k]! - 0x30, MAX_BLOCK_BYTES + 1)
  if (k === digits || length > MAX_BLOCK_BYTES || length * 2 > text.length - k) return false
  // Where each hex digit is, so a changed byte is written back where it was read.
  const at = new Uint32Array(2 * length)
  let digitCount = 0
  for (; k < text.length && digitCount < at.length; k++) {
    if (hexValue(text[k]!) !== undefined) at[digitCount++] = k
    else if (!space(text[k]!)) return false
  }
  if (digitCount < at.length) return false
  const bytes = new Uint8Array(length)
  for (let b = 0; b < length; b++) bytes[b] = hexValue(text[at[2 * b]!]!)! * 16 + hexValue(text[at[2 * b + 1]!]!)!
  const before = bytes.slice()
  const changed = kind === 'raw xmp'
    ? scrubXmp(bytes)
    : kind === 'raw iptc' ? scrubIptcProfile(bytes) : scrubTiff(startsWith(bytes, 'Exif\0\0') ? bytes.subarray(6) : bytes)
  if (!changed) return false
  const hex = '0123456789abcdef'
  for (let b = 0; b < length; b++) {
    if (bytes[b] === before[b]) continue
    text[at[2 * b]!] = hex.charCodeAt(bytes[b]! >> 4)
    text[at[2 * b + 1]!] = hex.charCodeAt(bytes[b]! & 15)
  }
  return true
}

function hexValue (c: number): number | undefined {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10
  return undefined
}

/**
 * A zlib stream of exactly `length` bytes that inflates to `text`, so a
 * compressed chunk keeps its length: `text` deflated (a blanked text is
 * rarely bigger than it was), with empty deflate blocks before its own to
 * fill what is left. When no level or strategy leaves a gap those can fill,
 * a stream of `length` bytes that inflates to spaces only: the chunk then
 * says nothing, but still reads. Undefined only when `length` cannot hold
 * even that (11 bytes), which no stream that had a value to blank is: its
 * letters alone take more.
 */
function deflateToLength (text: Uint8Array, length: number): Uint8Array | undefined {
  const { Z_DEFAULT_STRATEGY, Z_FILTERED, Z_RLE, Z_FIXED, Z_HUFFMAN_ONLY } = constants
  for (const strategy of [Z_DEFAULT_STRATEGY, Z_FILTERED, Z_RLE, Z_FIXED, Z_HUFFMAN_ONLY]) {
    for (let level = 9; level >= 1; level--) {
      const packed = deflateSync(text, { level, strategy })
      const filler = emptyBlocks(length - packed.length)
      if (filler === undefined) continue
      // The zlib header, the empty blocks (byte-aligned), then the deflated text and its Adler-32, as they were.
      const out = new Uint8Array(length)
      out.set(packed.subarray(0, 2))
      out.set(filler, 2)
      out.set(packed.subarray(2), 2 + filler.length)
      return out
    }
  }
  return spaces(length)
}

/**
 * `bytes` bytes of empty, non-final deflate blocks, ending on a byte
 * boundary (undefined: none make that many). A stored block with no data
 * takes 5 bytes; each empty fixed-Huffman block before it (10 bits) shifts
 * where its header ends, so runs of them make 5, 6, 7, 9, 10, 11, 12, 14…
 * bytes (every size from 5 on but 8, 13, 18…); two runs make those too.
 */
function emptyBlocks (bytes: number): Uint8Array | undefined {
  if (bytes === 0) return new Uint8Array(0)
  /** The size of `fixed` empty fixed blocks then an empty stored block. */
  const size = (fixed: number): number => Math.ceil((10 * fixed + 3) / 8) + 4
  /** `want` bytes of one run (undefined: no run is that long; none is under 5). */
  const run = (want: number): Uint8Array | undefined => {
    let fixed = 0
    while (size(fixed) < want) fixed++
    if (size(fixed) !== want) return undefined
    const out = new Uint8Array(want)
    // Each fixed block: BFINAL 0, BTYPE 01 (bits read low first), the end-of-block code 0000000.
    for (let f = 0; f < fixed; f++) out[(10 * f + 1) >> 3]! |= 1 << ((10 * f + 1) & 7)
    // The stored block: BFINAL 0, BTYPE 00, to the byte's end; LEN 0, NLEN its complement.
    out.set([0, 0, 0xff, 0xff], want - 4)
    return out
  }
  // One run, or a run of 5 or 6 bytes and another (which covers 13, 18, 23…).
  for (const first of [0, 5, 6]) {
    const head = first === 0 ? new Uint8Array(0) : run(first)
    const rest = run(bytes - first)
    if (head === undefined || rest === undefined) continue
    const out = new Uint8Array(bytes)
    out.set(head)
    out.set(rest, first)
    return out
  }
  return undefined
}

/** A zlib stream of `length` bytes that inflates to spaces: stored blocks (5 bytes each, then up to 65535 bytes of data). */
function spaces (length: number): Uint8Array | undefined {
  if (length < 11) return undefined
  const blocks = Math.ceil((length - 6) / 65540)
  const data = length - 6 - 5 * blocks
  const out = new Uint8Array(length)
  out.set([0x78, 0x01])
  let at = 2
  let a = 1
  let b = 0
  for (let n = 0; n < blocks; n++) {
    const size = Math.floor(data / blocks) + (n < data % blocks ? 1 : 0)
    out.set([n === blocks - 1 ? 1 : 0, size & 0xff, size >> 8, ~size & 0xff, (~size >> 8) & 0xff], at)
    out.fill(0x20, at + 5, at + 5 + size)
    at += 5 + size
    for (let k = 0; k < size; k++) { a = (a + 0x20) % 65521; b = (b + a) % 65521 }
  }
  new DataView(out.buffer).setUint32(at, ((b << 16) | a) >>> 0)
  return out
}

/** WebP: a RIFF file of chunks (four letters, a little-endian size, the data padded to even). */
async function webpPatches (read: ReadAt, size: number, budget: WalkBudget): Promise<Patch[]> {
  const out: Patch[] = []
  let at = 12
  for (let n = 0; n < MAX_WALK && at + 8 <= size; n++) {
    const head = await read(at, 8)
    if (head.length < 8) break
    const type = String.fromCharCode(...head.subarray(0, 4))
    const length = new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true)
    if (at + 8 + length > size) break
    if ((type === 'EXIF' || type === 'XMP ') && length <= MAX_BLOCK_BYTES) {
      const data = await read(at + 8, length)
      const changed = data.length === length && withWalkBudget(budget, () => type === 'EXIF'
        ? scrubTiff(startsWith(data, 'Exif\0\0') ? data.subarray(6) : data)
        : scrubXmp(data))
      if (changed) out.push({ at: at + 8, bytes: data })
    }
    at += 8 + length + (length & 1)
  }
  return out
}

/**
 * HEIF (HEIC, AVIF): ISO base media boxes. The top-level `meta` box lists the
 * items (`iinf`: an `Exif` item, XMP as a `mime` item of type
 * application/rdf+xml) and where each item's bytes are (`iloc`: extents at
 * offsets in the file).
 */
async function heifPatches (read: ReadAt, size: number, budget: WalkBudget): Promise<Patch[]> {
  let meta: Uint8Array | undefined
  let at = 0
  for (let n = 0; n < MAX_WALK && at + 8 <= size && meta === undefined; n++) {
    const head = await read(at, 16)
    if (head.length < 8) break
    let length = u32be(head, 0)
    let body = 8
    if (length === 1) {
      if (head.length < 16) break
      length = u32be(head, 8) * 2 ** 32 + u32be(head, 12)
      body = 16
    } else if (length === 0) length = size - at
    if (length < body || at + length > size) break
    if (String.fromCharCode(...head.subarray(4, 8)) === 'meta' && length <= MAX_BLOCK_BYTES) meta = await read(at + body, length - body)
    at += length
  }
  if (meta === undefined || meta.length < 4) return []
  const boxes = childBoxes(meta, 4) // meta is a full box: version and flags first
  const iinf = boxes.get('iinf')
  const iloc = boxes.get('iloc')
  if (iinf === undefined || iloc === undefined) return []
  const kinds = itemKinds(iinf)
  const places = itemPlaces(iloc)
  if (kinds === undefined || places === undefined) return []
  const out: Patch[] = []
  for (const [id, kind] of kinds) {
    const extents = places.get(id)
    if (extents === undefined || extents.length === 0) continue
    const total = extents.reduce((sum, e) => sum + e.length, 0)
    if (total > MAX_BLOCK_BYTES || extents.some(e => e.length === 0 || e.at + e.length > size)) continue
    const data = new Uint8Array(total)
    let k = 0
    for (const e of extents) {
      const part = await read(e.at, e.length)
      if (part.length !== e.length) return out
      data.set(part, k)
      k += e.length
    }
    let changed
    if (kind === 'exif') {
      // Four bytes saying how far past them the TIFF header is (often past "Exif\0\0").
      if (data.length < 4) continue
      const from = 4 + u32be(data, 0)
      changed = from < data.length && withWalkBudget(budget, () => scrubTiff(data.subarray(from)))
    } else changed = scrubXmp(data)
    if (!changed) continue
    k = 0
    for (const e of extents) {
      out.push({ at: e.at, bytes: data.subarray(k, k + e.length) })
      k += e.length
    }
  }
  return out
}

/** The boxes inside `box` from `from` on, by type (the first of each). */
function childBoxes (box: Uint8Array, from: number): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>()
  for (let at = from; at + 8 <= box.length;) {
    const length = u32be(box, at)
    if (length < 8 || at + length > box.length) break
    const type = String.fromCharCode(...box.subarray(at + 4, at + 8))
    if (!out.has(type)) out.set(type, box.subarray(at + 8, at + length))
    at += length
  }
  return out
}

/** From an `iinf` box: the items that are EXIF or XMP, by item id. */
function itemKinds (iinf: Uint8Array): Map<number, 'exif' | 'xmp'> | undefined {
  if (iinf.length < 6) return undefined
  const version = iinf[0]!
  let at = version === 0 ? 6 : 8
  const out = new Map<number, 'exif' | 'xmp'>()
  for (let n = 0; n < MAX_WALK && at + 8 <= iinf.length; n++) {
    const length = u32be(iinf, at)
    if (length < 8 || at + length > iinf.length) break
    if (String.fromCharCode(...iinf.subarray(at + 4, at + 8)) === 'infe') {
      const e = iinf.subarray(at + 8, at + length)
      const v = e[0] ?? 0
      if (v >= 2 && e.length >= 12) {
        const id = v === 2 ? u16be(e, 4) : u32be(e, 4)
        const typeAt = v === 2 ? 8 : 10
        const type = String.fromCharCode(...e.subarray(typeAt, typeAt + 4))
        if (type === 'Exif') out.set(id, 'exif')
        else if (type === 'mime') {
          // item_name\0 then content_type\0
          const rest = e.subarray(typeAt + 4)
          const nul = rest.indexOf(0)
          const end = nul < 0 ? -1 : rest.indexOf(0, nul + 1)
          const contentType = nul < 0 ? '' : String.fromCharCode(...rest.subarray(nul + 1, end < 0 ? rest.length : end))
          if (contentType === 'application/rdf+xml') out.set(id, 'xmp')
        }
      }
    }
    at += length
  }
  return out
}

/** From an `iloc` box: where each item's bytes are in the file (only items stored at file offsets). */
function itemPlaces (iloc: Uint8Array): Map<number, Array<{ at: number, length: number }>> | undefined {
  if (iloc.length < 8) return undefined
  const version = iloc[0]!
  if (version > 2) return undefined
  const offsetSize = iloc[4]! >> 4
  const lengthSize = iloc[4]! & 15
  const baseSize = iloc[5]! >> 4
  const indexSize = version === 0 ? 0 : iloc[5]! & 15
  let at = 6
  const uint = (bytes: number): number | undefined => {
    if (at + bytes > iloc.length) return undefined
    let v = 0
    for (let k = 0; k < bytes; k++) v = v * 256 + iloc[at + k]!
    at += bytes
    return v
  }
  const count = uint(version < 2 ? 2 : 4)
  if (count === undefined) return undefined
  const out = new Map<number, Array<{ at: number, length: number }>>()
  for (let n = 0; n < count && n < MAX_WALK; n++) {
    const id = uint(version < 2 ? 2 : 4)
    const method = version === 0 ? 0 : (uint(2) ?? 0) & 15
    const ref = uint(2)
    const base = uint(baseSize)
    const extents = uint(2)
    if (id === undefined || ref === undefined || base === undefined || extents === undefined) return out
    const list: Array<{ at: number, length: number }> = []
    for (let k = 0; k < extents; k++) {
      if (indexSize > 0 && uint(indexSize) === undefined) return out
      const offset = uint(offsetSize)
      const length = uint(lengthSize)
      if (offset === undefined || length === undefined) return out
      list.push({ at: base + offset, length })
    }
    // Construction method 0 is "at a file offset" in this file (data reference 0); 1 and 2 are not bytes of the file.
    if (method === 0 && ref === 0) out.set(id, list)
  }
  return out
}

function u32be (b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!
}

function u16be (b: Uint8Array, at: number): number {
  return (b[at]! << 8) + b[at + 1]!
}
