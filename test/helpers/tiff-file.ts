/**
 * TIFF and DNG files as a scanner, a photo editor or a phone's raw mode write
 * them, for the tests of what sharing keeps: the image data first, then the
 * directories, an EXIF block with the camera's serials and maker note, a GPS
 * block, the artist, an XMP packet, IPTC records and Photoshop's blocks; a DNG
 * with its camera serial in IFD0 and the raw image in a SubIFD. The pixels are
 * made-up bytes, but every offset and count is as a reader follows it.
 */
import { IFD0_OWNER, LATITUDE, MAKER_NOTE, OWNER_FIELDS, phoneJpeg, SERIAL } from './jpeg-exif.js'
import { iptcRecords, photoshopBlocks, XMP } from './photo-containers.js'

export type Order = 'II' | 'MM'
/** One directory entry: its tag, TIFF type, count, and value bytes (in the file's byte order). */
export interface Field { tag: number, type: number, count: number, value: Buffer }

/** The camera serial DNG keeps in IFD0 (CameraSerialNumber). */
export const DNG_SERIAL = 'DNG-SN-90017'
/** The Make and the copyright written in IFD0: to stay. */
export const MAKE = 'Pixelphone'
export const COPYRIGHT = '(c) 2026 Ann Artist'

/**
 * Lays out a TIFF structure: values and directories appended after the header, each at an even offset. A BigTIFF
 * (`big`) has a 16-byte header, 8-byte offsets and counts, and 20-byte entries holding values of up to 8 bytes.
 */
export class TiffWriter {
  readonly #parts: Buffer[] = []
  #size: number
  constructor (readonly order: Order, readonly big = false) {
    this.#size = big ? 16 : 8
  }

  /** `bytes` appended; where they are. */
  put (bytes: Buffer): number {
    if (this.#size & 1) { this.#parts.push(Buffer.alloc(1)); this.#size++ }
    const at = this.#size
    this.#parts.push(bytes)
    this.#size += bytes.length
    return at
  }

  u16 (...v: number[]): Buffer {
    const b = Buffer.alloc(2 * v.length)
    v.forEach((x, k) => this.order === 'II' ? b.writeUInt16LE(x, 2 * k) : b.writeUInt16BE(x, 2 * k))
    return b
  }

  u32 (...v: number[]): Buffer {
    const b = Buffer.alloc(4 * v.length)
    v.forEach((x, k) => this.order === 'II' ? b.writeUInt32LE(x, 4 * k) : b.writeUInt32BE(x, 4 * k))
    return b
  }

  /** Offsets and counts: 4 bytes each, or 8 in a BigTIFF. */
  word (...v: number[]): Buffer {
    if (!this.big) return this.u32(...v)
    const b = Buffer.alloc(8 * v.length)
    v.forEach((x, k) => this.order === 'II' ? b.writeBigUInt64LE(BigInt(x), 8 * k) : b.writeBigUInt64BE(BigInt(x), 8 * k))
    return b
  }

  short (tag: number, ...v: number[]): Field { return { tag, type: 3, count: v.length, value: this.u16(...v) } }
  long (tag: number, ...v: number[]): Field { return { tag, type: 4, count: v.length, value: this.u32(...v) } }
  ascii (tag: number, text: string): Field { return { tag, type: 2, count: text.length + 1, value: Buffer.from(`${text}\0`, 'latin1') } }
  bytes (tag: number, value: Buffer, type = 7): Field { return { tag, type, count: value.length, value } }
  rationals (tag: number, pairs: ReadonlyArray<readonly [number, number]>): Field {
    return { tag, type: 5, count: pairs.length, value: this.u32(...pairs.flat()) }
  }

  /** A directory of `fields` (sorted by tag, values over 4 bytes put before it), then `next`; where it is. */
  ifd (fields: Field[], next = 0): number {
    const word = this.big ? 8 : 4
    const countBytes = this.big ? 8 : 2
    const entryBytes = 4 + 2 * word
    const sorted = [...fields].sort((a, b) => a.tag - b.tag)
    const places = sorted.map(f => (f.value.length > word ? this.put(f.value) : undefined))
    const table = Buffer.alloc(countBytes + entryBytes * sorted.length + word)
    table.set(this.big ? this.word(sorted.length) : this.u16(sorted.length), 0)
    sorted.forEach((f, k) => {
      const e = countBytes + entryBytes * k
      table.set(this.u16(f.tag, f.type), e)
      table.set(this.word(f.count), e + 4)
      table.set(places[k] === undefined ? f.value : this.word(places[k]), e + 4 + word)
    })
    table.set(this.word(next), countBytes + entryBytes * sorted.length)
    return this.put(table)
  }

  /** The file: the header (its `version` 42, or as a raw format has it) pointing at `ifd0`, then all that was put. */
  file (ifd0: number, version = this.big ? 43 : 42): Buffer {
    const head = this.big
      ? Buffer.concat([Buffer.from(this.order, 'latin1'), this.u16(version, 8, 0), this.word(ifd0)])
      : Buffer.concat([Buffer.from(this.order, 'latin1'), this.u16(version), this.u32(ifd0)])
    return Buffer.concat([head, ...this.#parts])
  }
}

/** `length` bytes that look like image data (no run of them is any of the strings the tests look for). */
export function pixels (length: number, seed = 7): Buffer {
  const b = Buffer.alloc(length)
  let x = seed
  for (let k = 0; k < length; k++) { x = (x * 1103515245 + 12345) % 2 ** 31; b[k] = x >> 16 }
  return b
}

/** The EXIF and GPS blocks a camera writes for `w`: the exposure (to stay), the serials, the owner, the maker note; a latitude. */
export function cameraBlocks (w: TiffWriter): Field[] {
  const gps = w.ifd([w.ascii(0x0001, 'N'), w.rationals(0x0002, LATITUDE), w.ascii(0x0003, 'E'), w.rationals(0x0004, [[8, 1], [32, 1], [626, 100]])])
  const exif = w.ifd([
    w.rationals(0x829a, [[1, 120]]),
    w.ascii(0xa431, SERIAL),
    ...Object.entries(OWNER_FIELDS).map(([tag, v]) => w.ascii(Number(tag), v)),
    w.bytes(0x927c, MAKER_NOTE)
  ])
  return [w.long(0x8769, exif), w.long(0x8825, gps)]
}

/** A picture's directory entries: its size, its strip at `strip` of `bytes`, orientation 6, the Make and copyright. */
function imageFields (w: TiffWriter, width: number, height: number, strip: number, bytes: number): Field[] {
  return [
    w.long(0x0100, width), w.long(0x0101, height), w.short(0x0102, 8), w.short(0x0103, 1), w.short(0x0106, 1),
    w.ascii(0x010f, MAKE), w.long(0x0111, strip), w.short(0x0112, 6), w.short(0x0115, 1), w.long(0x0116, height),
    w.long(0x0117, bytes), w.ascii(0x8298, COPYRIGHT)
  ]
}

/**
 * A grey TIFF of `width` × `height` as a photo editor saves it: the pixels
 * right after the header, then IFD0 with the artist, the host computer, an
 * XMP packet, IPTC records, Photoshop's blocks (their own EXIF block and XMP
 * inside) and the EXIF and GPS blocks.
 */
export function photoTiff (order: Order, width = 16, height = 8, big = false): Buffer {
  const w = new TiffWriter(order, big)
  const strip = w.put(pixels(width * height))
  const ifd0 = w.ifd([
    ...imageFields(w, width, height, strip, width * height),
    w.ascii(0x013b, IFD0_OWNER[0x013b]),
    w.ascii(0x013c, IFD0_OWNER[0x013c]),
    w.bytes(0x02bc, Buffer.from(XMP), 1),
    w.bytes(0x83bb, iptcRecords()),
    w.bytes(0x8649, photoshopBlocks(), 1),
    ...cameraBlocks(w)
  ])
  return w.file(ifd0)
}

/**
 * A DNG as a phone's raw mode writes one: IFD0 a small preview with DNG's
 * version, the camera's serial, the EXIF and GPS blocks and the XMP; its
 * SubIFD the raw image (with an owner's name too, as a converter may copy
 * there); IFD0's next directory a second preview with its own GPS block.
 */
export function phoneDng (order: Order, original?: Buffer): Buffer {
  const w = new TiffWriter(order)
  const raw = w.put(pixels(64 * 32, 11))
  const preview = w.put(pixels(8 * 4, 13))
  const rawIfd = w.ifd([w.long(0x00fe, 0), ...imageFields(w, 64, 32, raw, 64 * 32), w.ascii(0x013b, IFD0_OWNER[0x013b])])
  const secondGps = w.ifd([w.ascii(0x0001, 'N'), w.rationals(0x0002, LATITUDE)])
  const second = w.ifd([w.long(0x00fe, 1), ...imageFields(w, 8, 4, preview, 8 * 4), w.long(0x8825, secondGps)])
  const ifd0 = w.ifd([
    w.long(0x00fe, 1),
    ...imageFields(w, 8, 4, preview, 8 * 4),
    w.long(0x014a, rawIfd),
    w.bytes(0xc612, Buffer.from([1, 6, 0, 0]), 1),
    w.ascii(0xc614, 'Pixelphone Pro'),
    w.ascii(0xc62f, DNG_SERIAL),
    w.bytes(0x02bc, Buffer.from(XMP), 1),
    ...cameraBlocks(w),
    // A DNG converter's embedded copy of the camera's raw file (OriginalRawFileData).
    ...(original !== undefined ? [w.bytes(0xc68b, original)] : [])
  ], second)
  return w.file(ifd0)
}

/**
 * A DNG with a preview a window can draw, as phones write them: IFD0 the
 * preview (NewSubFileType 1) with the camera's serial, the GPS block and
 * `orientation`; its SubIFD the raw image. The preview is a JPEG in one strip
 * (compression 7, an iPhone's ProRAW) or at JPEGInterchangeFormat
 * (compression 6), or `width` × `height` of 8-bit RGB (Android's DngCreator).
 */
export function previewDng (order: Order, preview: { jpeg: Buffer, as?: 6 | 7 } | { rgb: Buffer, width: number, height: number }, orientation = 1): Buffer {
  const w = new TiffWriter(order)
  const raw = w.put(pixels(64 * 32, 11))
  const at = w.put('jpeg' in preview ? preview.jpeg : preview.rgb)
  const length = 'jpeg' in preview ? preview.jpeg.length : preview.rgb.length
  const rawIfd = w.ifd([w.long(0x00fe, 0), w.long(0x0100, 64), w.long(0x0101, 32), w.short(0x0103, 1), w.long(0x0111, raw), w.long(0x0117, 64 * 32)])
  const image = 'jpeg' in preview
    ? (preview.as ?? 7) === 7
        ? [w.short(0x0103, 7), w.short(0x0106, 6), w.short(0x0115, 3), w.long(0x0111, at), w.long(0x0117, length)]
        : [w.short(0x0103, 6), w.long(0x0201, at), w.long(0x0202, length)]
    : [
        w.long(0x0100, preview.width), w.long(0x0101, preview.height), w.short(0x0102, 8, 8, 8), w.short(0x0103, 1), w.short(0x0106, 2),
        w.short(0x0115, 3), w.long(0x0116, preview.height), w.long(0x0111, at), w.long(0x0117, length), w.short(0x011c, 1)
      ]
  const ifd0 = w.ifd([
    w.long(0x00fe, 1), ...image, w.short(0x0112, orientation), w.ascii(0x010f, MAKE),
    w.long(0x014a, rawIfd), w.bytes(0xc612, Buffer.from([1, 4, 0, 0]), 1), w.ascii(0xc62f, DNG_SERIAL),
    ...cameraBlocks(w)
  ])
  return w.file(ifd0)
}

/** An Olympus ORF: a TIFF structure (32-bit offsets, as `photoTiff`'s) whose version says "RO" ("IIRO", "MMOR") or "RS" ("IIRS"). */
export function olympusOrf (start: 'IIRO' | 'IIRS' | 'MMOR'): Buffer {
  const file = photoTiff(start.startsWith('II') ? 'II' : 'MM')
  file.write(start, 0, 'latin1')
  return file
}

/** Where a Panasonic RW2's IFD0 keeps its JPEG preview (JpgFromRaw). */
export const JPG_FROM_RAW = 0x002e

/**
 * A Panasonic RW2 ("IIU\0", then TIFF's layout): IFD0 with Panasonic's own
 * fields (the raw version, the sensor's size), the raw data, the artist, the
 * EXIF and GPS blocks, and its JPEG preview held as a value: a JPEG with its own
 * EXIF block (big-endian: a GPS latitude, the serials, the maker note), as the
 * camera writes it.
 */
export function panasonicRw2 (): Buffer {
  const w = new TiffWriter('II')
  const raw = w.put(pixels(64 * 32, 17))
  const ifd0 = w.ifd([
    w.bytes(0x0001, Buffer.from('0340', 'latin1')),
    w.short(0x0002, 64),
    w.short(0x0003, 32),
    w.bytes(JPG_FROM_RAW, phoneJpeg('MM')),
    ...imageFields(w, 64, 32, raw, 64 * 32),
    w.ascii(0x013b, IFD0_OWNER[0x013b]),
    ...cameraBlocks(w)
  ])
  return w.file(ifd0, 0x55)
}

/** Every directory of a TIFF file (IFD0's chain, SubIFDs, EXIF, GPS), read as a reader does: for each, its place and its entries' values by tag. */
export function tiffDirectories (file: Buffer): Array<{ at: number, kind: string, values: Map<number, Buffer> }> {
  const little = file.toString('latin1', 0, 2) === 'II'
  const u16 = (o: number): number => (little ? file.readUInt16LE(o) : file.readUInt16BE(o))
  const u32 = (o: number): number => (little ? file.readUInt32LE(o) : file.readUInt32BE(o))
  const big = u16(2) === 43
  const word = big ? 8 : 4
  const offset = (o: number): number => (!big ? u32(o) : Number(little ? file.readBigUInt64LE(o) : file.readBigUInt64BE(o)))
  const out: Array<{ at: number, kind: string, values: Map<number, Buffer> }> = []
  const visit = (at: number, kind: string): void => {
    if (at === 0 || out.some(d => d.at === at)) return
    const values = new Map<number, Buffer>()
    const eightByte = new Set<number>()
    const n = big ? offset(at) : u16(at)
    const first = at + (big ? 8 : 2)
    const entryBytes = 4 + 2 * word
    for (let k = 0; k < n; k++) {
      const e = first + entryBytes * k
      const bytes = ([0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8][u16(e + 2)] ?? 0) * offset(e + 4)
      const value = bytes <= word ? e + 4 + word : offset(e + 4 + word)
      values.set(u16(e), file.subarray(value, value + bytes))
      if (u16(e + 2) >= 16) eightByte.add(u16(e))
    }
    out.push({ at, kind, values })
    const pointer = (tag: number): number | undefined => {
      const v = values.get(tag)
      return v === undefined ? undefined : eightByte.has(tag) ? numberOf(file, v.subarray(0, 8)) : u32(v.byteOffset - file.byteOffset)
    }
    if (kind !== 'image') return
    for (const [tag, sub] of [[0x8769, 'exif'], [0x8825, 'gps'], [0x014a, 'image']] as const) {
      const to = pointer(tag)
      if (to !== undefined) visit(to, sub)
    }
    visit(offset(first + entryBytes * n), 'image')
  }
  visit(big ? offset(8) : u32(4), 'image')
  return out
}

/** A SHORT or LONG value of `values` as a number. */
export function numberOf (file: Buffer, value: Buffer | undefined): number | undefined {
  if (value === undefined) return undefined
  const little = file.toString('latin1', 0, 2) === 'II'
  if (value.length === 2) return little ? value.readUInt16LE(0) : value.readUInt16BE(0)
  if (value.length === 8) return Number(little ? value.readBigUInt64LE(0) : value.readBigUInt64BE(0))
  return little ? value.readUInt32LE(0) : value.readUInt32BE(0)
}
