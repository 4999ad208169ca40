/**
 * Where a DNG keeps the picture a window can draw: Chromium decodes no raw
 * image, but a phone's DNG carries a preview beside it, a JPEG (an iPhone's
 * ProRAW, a camera converter's: compression 7 in one strip, or 6 at
 * JPEGInterchangeFormat) or uncompressed 8-bit RGB (Android's DngCreator).
 * The sender's window draws its thumbnail from that preview, through a canvas
 * (so none of the preview's own metadata rides along). Reads only the
 * directories, as `tiffEdits` does: bytes in by `TiffStep`, a place out.
 *
 * @example
 * ```ts
 * const walk = rawPreview(file.size)
 * for (let s = walk.next(); ; s = walk.next(await bytesAt(s.value.at, s.value.length))) if (s.done) return s.value
 * ```
 */

/** The preview found: a JPEG's bytes, or RGB pixels `width` × `height` (3 bytes each, row by row); `orientation` is IFD0's (1 upright … 8). */
export type RawPreview =
  | { kind: 'jpeg', at: number, length: number, orientation: number }
  | { kind: 'rgb', at: number, length: number, width: number, height: number, orientation: number }

/** The bytes `rawPreview` needs next: `length` of them at `at`. */
export interface PreviewRead { at: number, length: number }

/** The most directories looked at: IFD0's chain and its SubIFDs (a DNG has a few). */
const MAX_IFDS = 32
/** The largest JPEG preview taken (a ProRAW's is full size: a few MB), and the most RGB pixels. */
const MAX_JPEG_BYTES = 32 * 1024 * 1024
const MAX_RGB_PIXELS = 4096 * 4096

/**
 * The largest preview (by its pixels, a JPEG's by its bytes next to an RGB one's) in the DNG of `size`
 * bytes whose bytes the walk asks for; undefined when it is not a TIFF structure or holds none.
 */
export function * rawPreview (size: number): Generator<PreviewRead, RawPreview | undefined, Uint8Array> {
  function * read (at: number, length: number): Generator<PreviewRead, Uint8Array | undefined, Uint8Array> {
    if (at < 0 || length < 0 || at + length > size) return undefined
    const bytes = yield { at, length }
    return bytes.length === length ? bytes : undefined
  }
  const head = yield * read(0, 8)
  if (head === undefined) return undefined
  const order = String.fromCharCode(head[0]!, head[1]!)
  if (order !== 'II' && order !== 'MM') return undefined
  const little = order === 'II'
  const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength)
  const u16 = (b: Uint8Array, at: number): number => view(b).getUint16(at, little)
  const u32 = (b: Uint8Array, at: number): number => view(b).getUint32(at, little)
  if (u16(head, 2) !== 42) return undefined
  let orientation = 1
  let best: RawPreview | undefined
  let bestScore = 0
  const queue = [u32(head, 4)]
  const seen = new Set<number>()
  while (queue.length > 0 && seen.size < MAX_IFDS) {
    const at = queue.shift()!
    if (at === 0 || seen.has(at)) continue
    seen.add(at)
    const count = yield * read(at, 2)
    if (count === undefined) continue
    const n = u16(count, 0)
    const table = yield * read(at + 2, 12 * n + 4)
    if (table === undefined) continue
    /** Each tag's first value (a SHORT or a LONG, in the entry), or where its values are when they do not fit. */
    const values = new Map<number, { first: number, pointer: number, count: number, type: number }>()
    for (let k = 0; k < n; k++) {
      const e = 12 * k
      const type = u16(table, e + 2)
      values.set(u16(table, e), { first: type === 3 ? u16(table, e + 8) : u32(table, e + 8), pointer: u32(table, e + 8), count: u32(table, e + 4), type })
    }
    const value = (tag: number): number | undefined => {
      const v = values.get(tag)
      return v === undefined || v.count !== 1 || (v.type !== 3 && v.type !== 4) ? undefined : v.first
    }
    if (seen.size === 1) orientation = value(0x0112) ?? 1
    const next = u32(table, 12 * n)
    if (next !== 0) queue.push(next)
    const subs = values.get(0x014a)
    if (subs !== undefined && (subs.type === 4 || subs.type === 13) && subs.count <= MAX_IFDS) {
      const list = subs.count === 1 ? undefined : yield * read(subs.pointer, 4 * subs.count)
      if (subs.count === 1) queue.push(subs.first)
      for (let k = 0; list !== undefined && k < list.length; k += 4) queue.push(u32(list, k))
    }
    // A preview: a reduced-resolution image (NewSubFileType's bit 0), or IFD0 when it says nothing.
    const subfile = value(0x00fe) ?? (seen.size === 1 ? 1 : 0)
    if ((subfile & 1) !== 1) continue
    const compression = value(0x0103)
    const width = value(0x0100) ?? 0
    const height = value(0x0101) ?? 0
    const jpegAt = value(0x0201)
    const jpegLength = value(0x0202)
    let found: RawPreview | undefined
    if (compression === 6 && jpegAt !== undefined && jpegLength !== undefined) found = { kind: 'jpeg', at: jpegAt, length: jpegLength, orientation }
    else if (compression === 7 && value(0x0111) !== undefined && value(0x0117) !== undefined) {
      found = { kind: 'jpeg', at: value(0x0111)!, length: value(0x0117)!, orientation }
    } else if (compression === 1 && value(0x0106) === 2 && value(0x0115) === 3 && (value(0x011c) ?? 1) === 1 && value(0x0111) !== undefined) {
      // 8 bits a sample: BitsPerSample's three SHORTs, where the entry points.
      const bits = values.get(0x0102)
      const list = bits?.type === 3 && bits.count === 3 ? yield * read(bits.pointer, 6) : undefined
      const eight = list !== undefined && [0, 2, 4].every(k => u16(list, k) === 8)
      const length = value(0x0117)
      if (eight && length === width * height * 3 && width * height <= MAX_RGB_PIXELS) found = { kind: 'rgb', at: value(0x0111)!, length, width, height, orientation }
    }
    if (found === undefined || found.length <= 0 || found.at + found.length > size) continue
    if (found.kind === 'jpeg' && found.length > MAX_JPEG_BYTES) continue
    // A JPEG's pixels are not known without decoding it: its size in bytes, at about a byte each, stands for them.
    const score = found.kind === 'rgb' ? found.width * found.height : Math.max(width * height, found.length)
    if (score > bestScore) { best = found; bestScore = score }
  }
  return best
}

/**
 * A preview JPEG's bytes without its own EXIF blocks (APP1 "Exif"), the rest as it was: IFD0's
 * orientation alone turns a DNG's preview upright, and Chromium turns a JPEG by its EXIF
 * orientation whatever it is asked (createImageBitmap's `imageOrientation: 'none'` now means
 * 'from-image'), so a phone's preview carrying its own would be turned twice.
 */
export function withoutExif (jpeg: Uint8Array): Uint8Array<ArrayBuffer> {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg.slice()
  const kept: Uint8Array[] = [jpeg.subarray(0, 2)]
  let at = 2
  // The segments before the image data (SOS), each with its length; anything unexpected ends the walk, the rest kept.
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1]!
    if (marker === 0xda || marker === 0xd9 || marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) break
    const end = at + 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!)
    if (end < at + 4 || end > jpeg.length) break
    const exif = marker === 0xe1 && end - at >= 10 && String.fromCharCode(...jpeg.subarray(at + 4, at + 10)) === 'Exif\0\0'
    if (!exif) kept.push(jpeg.subarray(at, end))
    at = end
  }
  kept.push(jpeg.subarray(at))
  const out = new Uint8Array(kept.reduce((n, k) => n + k.length, 0))
  let to = 0
  for (const k of kept) { out.set(k, to); to += k.length }
  return out
}
