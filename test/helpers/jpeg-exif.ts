/**
 * A small JPEG as a phone writes one, for the tests of what sharing keeps of
 * its EXIF block: an orientation, a GPS position and the camera's serial. Not
 * a picture anyone can draw (its image data is a few bytes): only its
 * metadata is read.
 */

/** Where the GPS position was taken, as degrees/minutes/seconds rationals: bytes no other field holds. */
export const LATITUDE = [[47, 1], [22, 1], [5123, 100]] as const
export const SERIAL = 'SN-4711-0815'

/** A JPEG whose EXIF block (in `order`) has Orientation `orientation`, a GPS latitude and a body serial. */
export function phoneJpeg (order: 'II' | 'MM' = 'II', orientation = 6): Buffer {
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), phoneTiff(order, orientation)])
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif])
  // SOI, APP1, then a token of image data and EOI.
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, Buffer.from([0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0x13, 0x37, 0xff, 0xd9])])
}

/** The EXIF (TIFF) structure `phoneJpeg` carries, as PNG, WebP and HEIC carry it too. */
export function phoneTiff (order: 'II' | 'MM' = 'II', orientation = 6): Buffer {
  const little = order === 'II'
  const t = Buffer.alloc(200)
  const u16 = (at: number, v: number): void => { if (little) t.writeUInt16LE(v, at); else t.writeUInt16BE(v, at) }
  const u32 = (at: number, v: number): void => { if (little) t.writeUInt32LE(v, at); else t.writeUInt32BE(v, at) }
  const entry = (at: number, tag: number, type: number, count: number, value: number): void => { u16(at, tag); u16(at + 2, type); u32(at + 4, count); u32(at + 8, value) }
  t.write(order, 0, 'latin1')
  u16(2, 42)
  u32(4, 8)
  // IFD0 at 8: Orientation, the Exif block, the GPS block.
  u16(8, 3)
  entry(10, 0x0112, 3, 1, 0)
  u16(18, orientation) // a SHORT inline sits in the value's first two bytes
  entry(22, 0x8769, 4, 1, 50)
  entry(34, 0x8825, 4, 1, 100)
  u32(46, 0)
  // The Exif block at 50: the body's serial, an ASCII string kept at 80.
  u16(50, 1)
  entry(52, 0xa431, 2, SERIAL.length + 1, 80)
  u32(64, 0)
  t.write(`${SERIAL}\0`, 80, 'latin1')
  // The GPS block at 100: the latitude's reference inline, the latitude as three rationals at 140.
  u16(100, 2)
  entry(102, 0x0001, 2, 2, 0)
  t.write('N\0', 110, 'latin1')
  entry(114, 0x0002, 5, 3, 140)
  u32(126, 0)
  LATITUDE.forEach(([n, d], k) => { u32(140 + 8 * k, n); u32(144 + 8 * k, d) })
  return t
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
