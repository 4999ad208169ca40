/**
 * A photo's location and its camera's serial numbers, taken out of its EXIF,
 * XMP and IPTC metadata and its JPEG comments before it is shared: a phone
 * writes where the picture was taken (to a few metres) and which camera took
 * it into every photo, and a file is shared byte for byte. Done in place, at
 * the same length: every offset in the block stays valid, so the rest (the
 * orientation a phone photo is drawn upright by, the date, the exposure) is
 * kept as it was.
 *
 * In an EXIF (TIFF) block the GPS block is emptied (its entries and the
 * values they point to written over with zeros, its count set to 0) and the
 * body, lens and owner fields, the image's unique id and the maker note (the
 * vendor's block, serials and all) are blanked, their entries kept; in XMP
 * the same properties' values are written over with spaces. In IPTC (a
 * JPEG's APP13, Photoshop's resource blocks) the place, the by-line and the
 * contact get spaces, the caption and keywords stay (`IPTC_PRIVATE`); the
 * EXIF and XMP blocks among those resources are blanked as above; a JPEG
 * comment (COM) becomes spaces. Anything that does not parse is left alone.
 * Pure: bytes in, the same bytes changed or not. The containers other than
 * JPEG (PNG, WebP, HEIC/AVIF) are walked in chat/photo-metadata.ts, which
 * uses `scrubTiff`, `scrubXmp` (core/xmp.ts) and `scrubIptcProfile` on their
 * blocks, and `tiffEdits` (the rules `scrubTiff` follows) on a TIFF, BigTIFF
 * or raw file built as one (DNG, ORF, RW2…), one structure too big to read whole.
 *
 * @example
 * ```ts
 * const head = readFirstBytes(photo)      // the EXIF block is within the first 64 KiB
 * scrubLocation(head)                     // true: it had a location or a serial, now zeros
 * ```
 */
import { scrubXmp } from './xmp.js'

const MAKER_NOTE = 0x927c
/**
 * Exif tags of who and what took a picture: the body's serial, the lens's, the
 * owner's name, the picture's unique id (it ties every copy of the photo to
 * the one in the camera), and the maker note: the vendor's own block, where cameras
 * keep their serial numbers, the owner's name and more, in a form each vendor
 * makes up.
 */
const SERIALS = new Set([0xa431, 0xa435, 0xa430, 0xa420, MAKER_NOTE])
/**
 * IFD0's tags that name a person or a computer: Artist (a camera set up with its owner's name writes it
 * into every picture), HostComputer ("Ann's MacBook Pro", by the editor that saved it) and Windows'
 * XPAuthor. The copyright and the words a person wrote (ImageDescription, XPComment) stay, as in IPTC.
 */
const IFD0_OWNER = new Set([0x013b, 0x013c, 0x9c9d])
const GPS_IFD = 0x8825
const EXIF_IFD = 0x8769
/** Bytes per value of each TIFF type (1 BYTE … 12 DOUBLE, 13 IFD; BigTIFF's 16 LONG8, 17 SLONG8, 18 IFD8). */
const TYPE_BYTES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8]

/** Whether `bytes` start as a JPEG does. */
export function isJpeg (bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
}

/**
 * Blank the location and serial numbers in the EXIF and XMP blocks of the
 * JPEG whose first bytes are `head`, the place and by-line in its IPTC, and
 * its comments (changed in place); true when anything was blanked.
 */
export function scrubLocation (head: Uint8Array): boolean {
  if (!isJpeg(head)) return false
  let changed = false
  const photoshop: Uint8Array[] = []
  for (let i = 2; i + 4 <= head.length && head[i] === 0xff;) {
    // Fill bytes: a marker may be preceded by any number of 0xFF (JPEG's B.1.1.2), and what follows is still metadata.
    if (head[i + 1] === 0xff) { i++; continue }
    const type = head[i + 1]!
    if (type === 0xda || type === 0xd9) break // the image data: no more metadata after it
    const length = (head[i + 2]! << 8) | head[i + 3]!
    const end = i + 2 + length
    if (length < 2 || end > head.length) break
    if (type === 0xe1 && end - i >= 18 && String.fromCharCode(...head.subarray(i + 4, i + 10)) === 'Exif\0\0') {
      changed = scrubTiff(head.subarray(i + 10, end)) || changed
    } else if (type === 0xe1 && startsWith(head.subarray(i + 4, end), XMP_JPEG)) {
      changed = scrubXmp(head.subarray(i + 4 + XMP_JPEG.length, end)) || changed
    } else if (type === 0xe1 && startsWith(head.subarray(i + 4, end), XMP_JPEG_EXTENDED)) {
      changed = scrubXmp(head.subarray(i + 4 + XMP_JPEG_EXTENDED.length, end)) || changed
    } else if (type === 0xed && startsWith(head.subarray(i + 4, end), PHOTOSHOP_JPEG)) {
      photoshop.push(head.subarray(i + 4 + PHOTOSHOP_JPEG.length, end))
    } else if (type === 0xfe) {
      // A comment: free text where a camera or an editor may have put a serial, an owner or a place.
      changed = toSpaces(head.subarray(i + 4, end)) || changed
    }
    i = end
  }
  // Photoshop's resource blocks: one too long for a segment goes on in the next APP13, so they are read joined.
  if (photoshop.length > 0) {
    const joined = new Uint8Array(photoshop.reduce((sum, part) => sum + part.length, 0))
    let at = 0
    for (const part of photoshop) { joined.set(part, at); at += part.length }
    if (scrubPhotoshop(joined)) {
      at = 0
      for (const part of photoshop) { part.set(joined.subarray(at, at + part.length)); at += part.length }
      changed = true
    }
  }
  return changed
}

/** The name JPEG's APP13 segments holding Photoshop's resource blocks (IPTC among them) start with. */
const PHOTOSHOP_JPEG = 'Photoshop 3.0\0'
/** The signatures a Photoshop resource block may start with ("8BIM" nearly always). */
const RESOURCE_SIGNATURES = new Set(['8BIM', 'MeSa', 'PHUT', 'AgHg', 'DCSR'])
/** Photoshop resources: the IPTC-IIM records, an EXIF block, an XMP packet. */
const RESOURCE_IPTC = 0x0404
const RESOURCE_EXIF = 0x0422
const RESOURCE_XMP = 0x0424

/**
 * The IPTC-IIM datasets (all in record 2) that say where a picture was taken
 * or who took it and how to reach them: 26/27 the content location's code and
 * name, 80 the by-line (the author's name) and 85 its title, 90 the city, 92
 * the sub-location, 95 the province or state, 100/101 the country's code and
 * name, 118 the contact, 122 the caption's writer. A camera or an agency's
 * template fills these in on every picture. What a person wrote to go with the
 * picture stays: the caption (120), headline (105), object name (5), keywords
 * (25), the copyright notice (116), the credit (110) and source (115): they
 * are written to be read, and the copyright notice is the owner's claim on it.
 */
const IPTC_PRIVATE = new Set([26, 27, 80, 85, 90, 92, 95, 100, 101, 118, 122])

/**
 * Blank the location, the by-line and the contact in Photoshop resource
 * blocks (an APP13's body, or what ImageMagick keeps as a "8bim" profile):
 * the IPTC-IIM records (`scrubIptc`), the EXIF block (`scrubTiff`), the XMP
 * packet (`scrubXmp`); every block keeps its length. True when anything was.
 */
export function scrubPhotoshop (blocks: Uint8Array): boolean {
  let changed = false
  for (let at = 0, n = 0; at + 12 <= blocks.length && n < 10_000; n++) {
    if (!RESOURCE_SIGNATURES.has(String.fromCharCode(...blocks.subarray(at, at + 4)))) break
    const id = (blocks[at + 4]! << 8) | blocks[at + 5]!
    // The name: a Pascal string (its length, then its letters), padded to an even size.
    const sizeAt = at + 6 + ((blocks[at + 6]! + 2) & ~1)
    if (sizeAt + 4 > blocks.length) break
    const size = u32be(blocks, sizeAt)
    const data = sizeAt + 4
    if (data + size > blocks.length) break
    const body = blocks.subarray(data, data + size)
    if (id === RESOURCE_IPTC) changed = scrubIptc(body) || changed
    else if (id === RESOURCE_EXIF) changed = scrubTiff(startsWith(body, 'Exif\0\0') ? body.subarray(6) : body) || changed
    else if (id === RESOURCE_XMP) changed = scrubXmp(body) || changed
    at = data + size + (size & 1)
  }
  return changed
}

/**
 * Write spaces over the values of IPTC-IIM records (0x1C, record, dataset,
 * length, value, one after another) of the datasets in `IPTC_PRIVATE`, in
 * place: each keeps its length, so the records still read. True when anything was.
 */
export function scrubIptc (records: Uint8Array): boolean {
  let changed = false
  for (let at = 0; at + 5 <= records.length && records[at] === 0x1c;) {
    const record = records[at + 1]!
    const dataset = records[at + 2]!
    let length = (records[at + 3]! << 8) | records[at + 4]!
    let value = at + 5
    if (length & 0x8000) {
      // An extended dataset: the low bits say how many bytes the length then takes.
      const bytes = length & 0x7fff
      if (bytes > 4 || value + bytes > records.length) break
      length = 0
      for (let k = 0; k < bytes; k++) length = length * 256 + records[value++]!
    }
    if (value + length > records.length) break
    if (record === 2 && IPTC_PRIVATE.has(dataset)) changed = toSpaces(records.subarray(value, value + length)) || changed
    at = value + length
  }
  return changed
}

/** An IPTC profile as ImageMagick keeps it: the IPTC-IIM records, or the resource blocks holding them (the APP13's name first or not). */
export function scrubIptcProfile (profile: Uint8Array): boolean {
  const body = startsWith(profile, PHOTOSHOP_JPEG) ? profile.subarray(PHOTOSHOP_JPEG.length) : profile
  return body[0] === 0x1c ? scrubIptc(body) : scrubPhotoshop(body)
}

/** Spaces over `text`, in place; true when it was anything else. */
function toSpaces (text: Uint8Array): boolean {
  if (text.every(b => b === 0x20)) return false
  text.fill(0x20)
  return true
}

function u32be (b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!
}

/** The names JPEG's APP1 segments holding XMP start with (the main packet, and the rest of a long one). */
const XMP_JPEG = 'http://ns.adobe.com/xap/1.0/\0'
const XMP_JPEG_EXTENDED = 'http://ns.adobe.com/xmp/extension/\0'

/** Whether `bytes` start with the ASCII `prefix`. */
export function startsWith (bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false
  for (let k = 0; k < prefix.length; k++) if (bytes[k] !== prefix.charCodeAt(k)) return false
  return true
}

/**
 * Blank what `scrubLocation` takes from one TIFF structure (an EXIF block's
 * body, starting at its byte order mark "II" or "MM"), in place: what
 * `tiffEdits` writes; true when anything was blanked.
 */
export function scrubTiff (t: Uint8Array): boolean {
  // A TIFF holds Photoshop's blocks, which hold a TIFF…: a file nesting them deeper than any writer does is left as it is.
  if (tiffDepth >= MAX_TIFF_DEPTH) return false
  tiffDepth++
  try {
    let changed = false
    const walk = tiffEdits(t.length)
    for (let step = walk.next(); step.done !== true;) {
      const s = step.value
      if ('write' in s) {
        t.set(s.write, s.at)
        changed = true
        step = walk.next(new Uint8Array(0))
      } else step = walk.next(t.slice(s.at, s.at + s.length))
    }
    return changed
  } finally {
    tiffDepth--
  }
}
let tiffDepth = 0
const MAX_TIFF_DEPTH = 4

/**
 * A step of `tiffEdits`: the bytes of the TIFF structure it needs next
 * (`length` of them at `at`, which its reader gives it as a copy it may
 * change), or bytes to write over the structure's at `at` (`write`). What it
 * is given to read must show what it wrote before, as a structure changed in
 * place does.
 */
export type TiffStep = { at: number, length: number } | { at: number, write: Uint8Array }

/** The most directories walked in one TIFF structure: IFD0's chain (a file's pages, a thumbnail), SubIFDs (a DNG's raw images), EXIF, GPS. */
const MAX_IFDS = 256
/** The largest value read to be blanked (a maker note, an XMP packet): one bigger is not a camera's and is left alone. */
const MAX_VALUE_BYTES = 4 * 1024 * 1024
/**
 * The most bytes one walk reads in all, so a file whose entries all point at one big value still ends soon. The walks
 * it starts on the values it reads (a JPEG preview's EXIF block, Photoshop's, each with entries pointing at one more
 * preview inside it) read from the same budget: each with its own, a made-up file of 50 KB nested so kept its
 * sender busy for hours.
 */
const MAX_READ_BYTES = 32 * 1024 * 1024
/** What TIFF walks may still read and look at, shared by the walks of one file (`withWalkBudget`). */
export interface WalkBudget { bytes: number, entries: number }
/** A budget for the walks of one file: `MAX_READ_BYTES` and `MAX_ENTRIES` for all of them. */
export function newWalkBudget (): WalkBudget {
  return { bytes: MAX_READ_BYTES, entries: MAX_ENTRIES }
}
/**
 * `run` (a scrub: `scrubTiff`, `scrubLocation`…), its TIFF walks drawing on `budget`: each with a budget of its own,
 * a made-up PNG of 6 MB, 200 EXIF chunks each read whole thousands of times, took minutes to share.
 */
export function withWalkBudget<T> (budget: WalkBudget, run: () => T): T {
  const outer = walkBudget
  walkBudget = budget
  try {
    return run()
  } finally {
    walkBudget = outer
  }
}
/** What the walk whose value is being scrubbed, or the file being shared, may still read, for the walks started then. */
let walkBudget: WalkBudget | undefined
/**
 * The most directory entries looked at in one walk (a camera's DNG has a few hundred): each may be one more value
 * read and one more change, and a file read piece by piece lays each read over every change before it
 * (chat/photo-metadata.ts), so a made-up file of millions of entries took hours to share.
 */
const MAX_ENTRIES = 8192
const SUB_IFDS = 0x014a
const XMP_TAG = 0x02bc
const IPTC_TAG = 0x83bb
const PHOTOSHOP_TAG = 0x8649
/** JPEGInterchangeFormat and its length: where a JPEG preview lies (a NEF's, a DNG's, a CR2's). */
const JPEG_AT = 0x0201
const JPEG_LENGTH = 0x0202
/** Compression, and the one strip a picture may be held in (StripOffsets, StripByteCounts). */
const COMPRESSION = 0x0103
const STRIP_AT = 0x0111
const STRIP_LENGTH = 0x0117
/** A Panasonic RW2's IFD0 holds its JPEG preview as a value (JpgFromRaw), EXIF and GPS block and all. */
const JPG_FROM_RAW = 0x002e
/** How much of an embedded JPEG's start is searched for its EXIF and XMP segments (they come first). */
const EMBEDDED_JPEG_HEAD = 256 * 1024
/**
 * The values written over with zeros wherever they stand, in an image's
 * directory or in its EXIF block (tag numbers mean the same in both):
 * `SERIALS`, `IFD0_OWNER`, and DNG's own: the camera's serial
 * (CameraSerialNumber), the raw data's unique id (as the EXIF unique id, it
 * ties every copy to the original) and DNGPrivateData (where a raw converter
 * keeps the camera's maker note, serials and all; bytes, `DNG_PRIVATE_DATA`).
 */
const BLANKED = new Set([...SERIALS, ...IFD0_OWNER, 0xc62f, 0xc65d, 0xc634])
/**
 * DNGPrivateData is bytes; a Sony ARW's IFD0 has the same tag as a pointer (a LONG or an IFD: SR2Private, the
 * directory with the white balance and black levels its raw is developed with), which stays, or the raw no longer develops.
 */
const DNG_PRIVATE_DATA = 0xc634
/**
 * OriginalRawFileData: a DNG converter's copy of the camera's own raw file (a NEF, a CR2…), compressed in
 * pieces, its location and serials with it where nothing here can blank them in place. Written over with
 * zeros whole, whatever its size, reading only its first 4 KiB: the DNG still develops; the original can no
 * longer be taken out of it.
 */
const ORIGINAL_RAW = 0xc68b
/** The zeros written over an original raw file, a piece at a time. */
const ZEROS = new Uint8Array(1024 * 1024)

/**
 * What to write over a TIFF structure of `size` bytes so it keeps no location,
 * serial or owner: the one set of rules for an EXIF block in memory
 * (`scrubTiff`) and a TIFF or DNG file read piece by piece
 * (chat/photo-metadata.ts), a generator that asks for the bytes it needs
 * (`TiffStep`) and says what to write, so neither needs all of it at once.
 *
 * It walks IFD0 and the directories after it (a file's other pages, a
 * thumbnail), their SubIFDs (a DNG's raw image), and each one's EXIF and GPS
 * blocks, in a TIFF's layout or a BigTIFF's (8-byte offsets and counts). A GPS block is emptied: the values its entries point to and the
 * entries are zeros, its count 0. In the others the `BLANKED` values become
 * zeros and an XMP packet (tag 700), IPTC records (33723) and Photoshop's
 * blocks (34377) are blanked as in a JPEG (`scrubXmp`, `scrubIptcProfile`,
 * `scrubPhotoshop`), and so is the EXIF block of a JPEG preview a picture's
 * directory points to (JPEGInterchangeFormat; one JPEG strip, as a ProRAW's;
 * an RW2's JpgFromRaw) as a JPEG's is (`scrubLocation`); every entry and every other value (the
 * orientation, the size, the pixels) stays. Bounded: a directory is walked once (a chain
 * pointing back ends), an entry or a directory that points past the end is
 * passed over, a value over `MAX_VALUE_BYTES` is left alone, and no more
 * than `MAX_IFDS` directories, `MAX_ENTRIES` entries and `MAX_READ_BYTES` bytes are read
 * (the last two by the walks it starts too, and by those of the file's other blocks, given one `budget`).
 */
export function * tiffEdits (size: number, budget = walkBudget ?? newWalkBudget()): Generator<TiffStep, void, Uint8Array> {
  // A walk started inside another's (an embedded preview's EXIF block, Photoshop's) draws on that one's budget.
  /** `length` bytes at `at`; undefined when they are not all in the structure, or the walk has read its fill. */
  function * read (at: number, length: number): Generator<TiffStep, Uint8Array | undefined, Uint8Array> {
    if (at < 0 || length < 0 || at + length > size || length > budget.bytes) return undefined
    budget.bytes -= length
    const bytes = yield { at, length }
    return bytes.length === length ? bytes : undefined
  }
  /** Zeros over the `length` bytes at `at`, unless they are zeros already. */
  function * zero (at: number, length: number): Generator<TiffStep, void, Uint8Array> {
    if (length > MAX_VALUE_BYTES) return
    const bytes = yield * read(at, length)
    if (bytes?.some(b => b !== 0) === true) yield { at, write: new Uint8Array(length) }
  }
  /** The value at `at` through `scrub` (which blanks it in place), written back when it changed. */
  function * scrubValue (at: number, length: number, scrub: (value: Uint8Array) => boolean): Generator<TiffStep, void, Uint8Array> {
    if (length > MAX_VALUE_BYTES) return
    const bytes = yield * read(at, length)
    if (bytes !== undefined && withWalkBudget(budget, () => scrub(bytes))) yield { at, write: bytes }
  }
  const head = yield * read(0, 8)
  const order = head === undefined ? '' : String.fromCharCode(head[0]!, head[1]!)
  if (head === undefined || (order !== 'II' && order !== 'MM')) return
  const little = order === 'II'
  const u16 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(at, little)
  const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, little)
  /** A 64-bit offset or count; one past 2^53 (no file is that big) as the largest safe number, so it points past any end. */
  const u64 = (b: Uint8Array, at: number): number => {
    const [high, low] = little ? [u32(b, at + 4), u32(b, at)] : [u32(b, at), u32(b, at + 4)]
    return high >= 2 ** 21 ? Number.MAX_SAFE_INTEGER : high * 2 ** 32 + low
  }
  // A BigTIFF (version 43) has 8-byte offsets and counts, 20-byte entries; every other version (42, an Olympus
  // ORF's "RO"/"RS", a Panasonic RW2's 0x55) is laid out as TIFF's.
  const big = u16(head, 2) === 43
  const bigHead = big ? yield * read(0, 16) : undefined
  if (big && (bigHead === undefined || u16(head, 4) !== 8 || u16(head, 6) !== 0)) return
  const word = big ? 8 : 4
  const countBytes = big ? 8 : 2
  const entryBytes = big ? 20 : 12
  const offset = (b: Uint8Array, at: number): number => big ? u64(b, at) : u32(b, at)
  /** A pointer held in a value of `unit` bytes each (LONG, IFD; a BigTIFF's LONG8, IFD8). */
  const pointer = (b: Uint8Array, at: number, unit: number): number => unit === 8 ? u64(b, at) : u32(b, at)
  const queue: Array<{ at: number, kind: 'image' | 'exif' | 'gps' }> = [{ at: big ? u64(bigHead!, 8) : u32(head, 4), kind: 'image' }]
  const seen = new Set<number>()
  // Bounded twice over: by the directories walked, and by the places taken off the queue (a list of SubIFDs all one).
  for (let taken = 0; queue.length > 0 && seen.size < MAX_IFDS && taken < 16 * MAX_IFDS; taken++) {
    const { at, kind } = queue.shift()!
    if (seen.has(at)) continue
    seen.add(at)
    const count = yield * read(at, countBytes)
    const n = count === undefined ? 0 : big ? u64(count, 0) : u16(count, 0)
    const tableBytes = countBytes + entryBytes * n
    // A table longer than the structure is not one; of a long one, only the entries still to be looked at are read.
    const table = count === undefined || at + tableBytes > size ? undefined : yield * read(at + countBytes, entryBytes * Math.min(n, budget.entries))
    if (table === undefined) continue
    /** Each entry: its tag, and where its value lies (in the entry when it fits in a word, else where the entry points). */
    const entries: Array<{ tag: number, count: number, unit: number, bytes: number, value: number, first: number, scalar: number | undefined, inline: Uint8Array }> = []
    for (let k = 0; k < n && budget.entries > 0; k++, budget.entries--) {
      const e = entryBytes * k
      const count = offset(table, e + 4)
      const unit = TYPE_BYTES[u16(table, e + 2)] ?? 0
      const bytes = unit * count
      const field = e + 4 + word
      const value = bytes <= word ? at + countBytes + field : offset(table, field)
      // One entry pointing past the end (a camera's bug, a cut file) is passed over, not the directory: the rest is still blanked.
      if (value + bytes > size) continue
      const first = pointer(table, field, big && unit === 8 ? 8 : 4)
      // A SHORT or a LONG held in the entry, as a number (a SHORT sits in the field's first two bytes).
      const scalar = count !== 1 ? undefined : unit === 2 ? u16(table, field) : unit === 4 || unit === 8 ? first : undefined
      entries.push({ tag: u16(table, e), count, unit, bytes, value, first, scalar, inline: table.subarray(field, field + word) })
    }
    if (kind === 'gps') {
      for (const e of entries) if (e.bytes > word) yield * zero(e.value, e.bytes)
      // An empty block: no entries, no next one (the pointer to it stays valid).
      yield * zero(at, tableBytes)
      continue
    }
    for (const e of entries) {
      if (BLANKED.has(e.tag) && (e.tag !== DNG_PRIVATE_DATA || e.unit === 1)) yield * zero(e.value, e.bytes)
      else if (e.tag === ORIGINAL_RAW && kind === 'image' && e.unit === 1) {
        // Its start read only to know whether it was blanked already (a copy shared again).
        const start = yield * read(e.value, Math.min(e.bytes, 4096))
        if (start?.some(b => b !== 0) === true) {
          for (let k = 0; k < e.bytes; k += ZEROS.length) yield { at: e.value + k, write: ZEROS.subarray(0, Math.min(ZEROS.length, e.bytes - k)) }
        }
      }
      else if (e.tag === XMP_TAG) yield * scrubValue(e.value, e.bytes, scrubXmp)
      else if (e.tag === IPTC_TAG) yield * scrubValue(e.value, e.bytes, scrubIptcProfile)
      else if (e.tag === PHOTOSHOP_TAG) yield * scrubValue(e.value, e.bytes, scrubPhotoshop)
      else if (kind === 'image' && (e.tag === EXIF_IFD || e.tag === GPS_IFD)) {
        // The block's place: the value's first word, whatever type the writer gave it.
        const unit = big && e.unit === 8 ? 8 : 4
        const place = e.bytes <= word ? e.first : yield * read(e.value, unit)
        const to = typeof place === 'number' ? place : place === undefined ? undefined : pointer(place, 0, unit)
        if (to !== undefined) queue.push({ at: to, kind: e.tag === EXIF_IFD ? 'exif' : 'gps' })
      } else if (kind === 'image' && e.tag === SUB_IFDS && (e.unit === 4 || (big && e.unit === 8))) {
        // Held in the entry when they fit in it (one; or two LONGs in a BigTIFF's 8 bytes), else where it points.
        const list = e.bytes <= word ? e.inline.subarray(0, e.bytes) : yield * read(e.value, e.unit * Math.min(e.count, MAX_IFDS))
        for (let k = 0; list !== undefined && k < list.length; k += e.unit) queue.push({ at: pointer(list, k, e.unit), kind: 'image' })
      } else if (kind === 'image' && e.tag === JPG_FROM_RAW && e.unit === 1) {
        yield * scrubValue(e.value, Math.min(e.bytes, EMBEDDED_JPEG_HEAD), scrubLocation)
      }
    }
    // A JPEG the directory points to (a raw's preview, an old-style JPEG TIFF's image), or holds in its one strip
    // (compression 7: a DNG's preview, as an iPhone's ProRAW; a raw image's lossless JPEG has no segments to blank).
    const scalar = (tag: number): number | undefined => entries.find(e => e.tag === tag)?.scalar
    const jpeg = scalar(JPEG_AT) !== undefined && scalar(JPEG_LENGTH) !== undefined
      ? { at: scalar(JPEG_AT)!, length: scalar(JPEG_LENGTH)! }
      : scalar(COMPRESSION) === 7 && scalar(STRIP_AT) !== undefined && scalar(STRIP_LENGTH) !== undefined
        ? { at: scalar(STRIP_AT)!, length: scalar(STRIP_LENGTH)! }
        : undefined
    if (kind === 'image' && jpeg !== undefined) yield * scrubValue(jpeg.at, Math.min(jpeg.length, EMBEDDED_JPEG_HEAD, size - jpeg.at), scrubLocation)
    if (kind === 'image') {
      const next = yield * read(at + tableBytes, word)
      if (next !== undefined && offset(next, 0) !== 0) queue.push({ at: offset(next, 0), kind: 'image' })
    }
  }
}
