/**
 * A small JPEG as a phone writes one, for the tests of what sharing keeps of
 * its EXIF block: an orientation, an exposure time, a GPS position, the
 * camera's serials, its owner's name and its maker note. Not a picture anyone
 * can draw (its image data is a few bytes): only its metadata is read.
 */

/** Where the GPS position was taken, as degrees/minutes/seconds rationals: bytes no other field holds. */
export const LATITUDE = [[47, 1], [22, 1], [5123, 100]] as const
export const SERIAL = 'SN-4711-0815'
/** The Exif fields besides the body's serial that say whose camera took the picture, by tag. */
export const OWNER_FIELDS = { 0xa435: 'LS-2207-3141', 0xa430: 'Jane Roe', 0xa420: '5f2a9c0e7b31d4a86e0f9b2c4d7a1e53' } as const
/** IFD0's fields that name a person or a computer: Artist, HostComputer (ASCII), and Windows' XPAuthor (UTF-16LE). */
export const IFD0_OWNER = { 0x013b: 'Ann Artist Photo', 0x013c: "Ann's MacBook Pro" } as const
export const XP_AUTHOR = 'Ann Xp Author'
/** The serial a maker note keeps (in the vendor's own directory after its header). */
export const MAKER_SERIAL = 'C02XK1Q7JG5H'
/** A maker note as a phone writes one: the vendor's header, then its own directory, the body's serial in it. */
export const MAKER_NOTE = Buffer.concat([
  Buffer.from('Apple iOS\0\0\x01MM', 'latin1'),
  Buffer.from([0, 1, 0, 0x0b, 0, 2, 0, 0, 0, MAKER_SERIAL.length + 1, 0, 0, 0, 0x1c, 0, 0, 0, 0]),
  Buffer.from(`${MAKER_SERIAL}\0\0`, 'latin1')
])

/** A JPEG whose EXIF block (in `order`) has Orientation `orientation`, a GPS latitude, serials and a maker note. */
export function phoneJpeg (order: 'II' | 'MM' = 'II', orientation = 6): Buffer {
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), phoneTiff(order, orientation)])
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif])
  // SOI, APP1, then a token of image data and EOI.
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, Buffer.from([0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0x13, 0x37, 0xff, 0xd9])])
}

/** The EXIF (TIFF) structure `phoneJpeg` carries, as PNG, WebP and HEIC carry it too. */
export function phoneTiff (order: 'II' | 'MM' = 'II', orientation = 6): Buffer {
  const little = order === 'II'
  const t = Buffer.alloc(480)
  const u16 = (at: number, v: number): void => { if (little) t.writeUInt16LE(v, at); else t.writeUInt16BE(v, at) }
  const u32 = (at: number, v: number): void => { if (little) t.writeUInt32LE(v, at); else t.writeUInt32BE(v, at) }
  const entry = (at: number, tag: number, type: number, count: number, value: number): void => { u16(at, tag); u16(at + 2, type); u32(at + 4, count); u32(at + 8, value) }
  t.write(order, 0, 'latin1')
  u16(2, 42)
  u32(4, 8)
  // IFD0 at 8: Orientation, the artist and the computer (values at 400 and 424), the Exif block, the GPS block, XPAuthor (at 448).
  u16(8, 6)
  entry(10, 0x0112, 3, 1, 0)
  u16(18, orientation) // a SHORT inline sits in the value's first two bytes
  entry(22, 0x013b, 2, IFD0_OWNER[0x013b].length + 1, 400)
  t.write(`${IFD0_OWNER[0x013b]}\0`, 400, 'latin1')
  entry(34, 0x013c, 2, IFD0_OWNER[0x013c].length + 1, 424)
  t.write(`${IFD0_OWNER[0x013c]}\0`, 424, 'latin1')
  entry(46, 0x8769, 4, 1, 170)
  entry(58, 0x8825, 4, 1, 100)
  const xp = Buffer.from(`${XP_AUTHOR}\0`, 'utf16le')
  entry(70, 0x9c9d, 1, xp.length, 448)
  xp.copy(t, 448)
  u32(82, 0)
  // The body's serial, an ASCII string kept at 86.
  t.write(`${SERIAL}\0`, 86, 'latin1')
  // The GPS block at 100: the latitude's reference inline, the latitude as three rationals at 140.
  u16(100, 2)
  entry(102, 0x0001, 2, 2, 0)
  t.write('N\0', 110, 'latin1')
  entry(114, 0x0002, 5, 3, 140)
  u32(126, 0)
  LATITUDE.forEach(([n, d], k) => { u32(140 + 8 * k, n); u32(144 + 8 * k, d) })
  // The Exif block at 170: an exposure time to keep, the serials, the owner, the unique id, the maker note (values from 250 on).
  const fields: Array<[number, number, Buffer]> = [
    [0x829a, 5, Buffer.alloc(8)],
    [0xa431, 2, Buffer.from(`${SERIAL}\0`, 'latin1')],
    ...Object.entries(OWNER_FIELDS).map(([tag, v]): [number, number, Buffer] => [Number(tag), 2, Buffer.from(`${v}\0`, 'latin1')]),
    [0x927c, 7, MAKER_NOTE]
  ]
  u16(170, fields.length)
  let value = 250
  fields.forEach(([tag, type, bytes], k) => {
    const at = tag === 0xa431 ? 86 : value
    entry(172 + 12 * k, tag, type, type === 5 ? bytes.length / 8 : bytes.length, at)
    if (at === value) { bytes.copy(t, at); value += bytes.length + (bytes.length & 1) }
  })
  u32(172 + 12 * fields.length, 0)
  // 1/120 s, to be kept.
  u32(250, 1)
  u32(254, 120)
  return t
}

/** The value bytes of the Exif block's entry `tag` in a TIFF structure (undefined: no such entry). */
export function exifValue (tiff: Uint8Array, tag: number): Buffer | undefined {
  const t = Buffer.from(tiff.buffer, tiff.byteOffset, tiff.byteLength)
  const little = t.toString('latin1', 0, 2) === 'II'
  const u16 = (o: number): number => (little ? t.readUInt16LE(o) : t.readUInt16BE(o))
  const u32 = (o: number): number => (little ? t.readUInt32LE(o) : t.readUInt32BE(o))
  const find = (ifd: number, want: number): number | undefined => {
    for (let k = 0; k < u16(ifd); k++) if (u16(ifd + 2 + 12 * k) === want) return ifd + 2 + 12 * k
    return undefined
  }
  const pointer = find(u32(4), 0x8769)
  const e = pointer === undefined ? undefined : find(u32(pointer + 8), tag)
  if (e === undefined) return undefined
  const bytes = ([0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8][u16(e + 2)] ?? 0) * u32(e + 4)
  return t.subarray(bytes <= 4 ? e + 8 : u32(e + 8), (bytes <= 4 ? e + 8 : u32(e + 8)) + bytes)
}

/** The latitude's bytes as they stand in the block (to look for them in what a peer received). */
export function latitudeBytes (order: 'II' | 'MM' = 'II'): Buffer {
  const b = Buffer.alloc(24)
  LATITUDE.forEach(([n, d], k) => {
    if (order === 'II') { b.writeUInt32LE(n, 8 * k); b.writeUInt32LE(d, 8 * k + 4) } else { b.writeUInt32BE(n, 8 * k); b.writeUInt32BE(d, 8 * k + 4) }
  })
  return b
}

/** The Orientation a JPEG's EXIF block says (undefined: none found), read as an EXIF reader does. */
export function orientationOf (jpeg: Uint8Array): number | undefined {
  const b = Buffer.from(jpeg)
  const at = b.indexOf(Buffer.from('Exif\0\0', 'latin1'))
  if (at < 0) return undefined
  return tiffOrientation(b.subarray(at + 6))
}

/** The Orientation a TIFF structure's first directory says (undefined: none). */
export function tiffOrientation (tiff: Uint8Array): number | undefined {
  const t = Buffer.from(tiff.buffer, tiff.byteOffset, tiff.byteLength)
  const little = t.toString('latin1', 0, 2) === 'II'
  const u16 = (o: number): number => (little ? t.readUInt16LE(o) : t.readUInt16BE(o))
  const u32 = (o: number): number => (little ? t.readUInt32LE(o) : t.readUInt32BE(o))
  const ifd = u32(4)
  for (let k = 0; k < u16(ifd); k++) if (u16(ifd + 2 + 12 * k) === 0x0112) return u16(ifd + 2 + 12 * k + 8)
  return undefined
}
