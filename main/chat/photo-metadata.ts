/**
 * Where a picture file keeps its EXIF and XMP metadata, and what to write
 * over it so a shared photo says neither where it was taken nor which camera
 * took it (core/exif.ts does the blanking). A phone's photo is a JPEG or, on
 * an iPhone, a HEIC; PNG and WebP carry EXIF and XMP too.
 *
 * - JPEG: the APP1 segments at the start (exif.ts `scrubLocation`).
 * - PNG: the `eXIf` chunk and uncompressed XMP text chunks before the image data.
 * - WebP: the `EXIF` and `XMP ` chunks (they come after the image data).
 * - HEIC, HEIF, AVIF: the `Exif` and XMP items the `meta` box lists, wherever
 *   its `iloc` box says their bytes are.
 *
 * Each change is in place and at the same length (a PNG chunk's checksum is
 * computed again), so the file's structure stays as it was. What does not
 * parse, or is compressed (a `zTXt` chunk, a compressed `iTXt`), is left as it
 * is. Pure but for `read`, which gives the file's bytes.
 *
 * @example
 * ```ts
 * const patches = await locationPatches((at, n) => readBytes(file, at, n), size)
 * for (const p of patches) writeBytes(copy, p.at, p.bytes)
 * ```
 */
import { crc32 } from 'node:zlib'
import { isJpeg, scrubLocation, scrubTiff, scrubXmp, startsWith } from '../core/exif.js'

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
const XMP_KEYWORD = 'XML:com.adobe.xmp\0'

/** What to write over `read`'s file so it keeps no location or serial: none when it has none. */
export async function locationPatches (read: ReadAt, size: number): Promise<Patch[]> {
  const head = await read(0, Math.min(size, JPEG_HEAD_BYTES))
  if (isJpeg(head)) return scrubLocation(head) ? [{ at: 0, bytes: head }] : []
  if (PNG_SIGNATURE.every((b, k) => head[k] === b)) return await pngPatches(read, size)
  if (startsWith(head, 'RIFF') && startsWith(head.subarray(8), 'WEBP')) return await webpPatches(read, size)
  if (startsWith(head.subarray(4), 'ftyp')) return await heifPatches(read, size)
  return []
}

/** PNG: chunks of length, type, data, CRC; the metadata comes before the first IDAT. */
async function pngPatches (read: ReadAt, size: number): Promise<Patch[]> {
  const out: Patch[] = []
  let at = 8
  for (let n = 0; n < MAX_WALK && at + 12 <= size; n++) {
    const head = await read(at, 8)
    if (head.length < 8) break
    const length = u32be(head, 0)
    const type = String.fromCharCode(...head.subarray(4, 8))
    if (type === 'IDAT' || type === 'IEND') break
    const end = at + 12 + length
    if (end > size) break
    if ((type === 'eXIf' || type === 'iTXt' || type === 'tEXt') && length <= MAX_BLOCK_BYTES) {
      const data = await read(at + 8, length)
      if (data.length === length && scrubPngChunk(type, data)) {
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

/** Blank a PNG chunk's location or serial; true when anything was. */
function scrubPngChunk (type: string, data: Uint8Array): boolean {
  if (type === 'eXIf') return scrubTiff(startsWith(data, 'Exif\0\0') ? data.subarray(6) : data)
  if (!startsWith(data, XMP_KEYWORD)) return false
  if (type === 'tEXt') return scrubXmp(data.subarray(XMP_KEYWORD.length))
  // iTXt: keyword, compression flag and method, language tag\0, translated keyword\0, text.
  let k = XMP_KEYWORD.length
  if (data[k] !== 0) return false // compressed: left as it is
  k += 2
  for (let nul = 0; nul < 2; k++) if (k >= data.length) return false; else if (data[k] === 0) nul++
  return scrubXmp(data.subarray(k))
}

/** WebP: a RIFF file of chunks (four letters, a little-endian size, the data padded to even). */
async function webpPatches (read: ReadAt, size: number): Promise<Patch[]> {
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
      const changed = data.length === length && (type === 'EXIF'
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
async function heifPatches (read: ReadAt, size: number): Promise<Patch[]> {
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
      changed = from < data.length && scrubTiff(data.subarray(from))
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
