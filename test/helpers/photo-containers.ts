/**
 * Small PNG, WebP and HEIC files laid out as cameras, phones and editors
 * write them, each carrying `phoneTiff`'s EXIF block and an XMP packet with a
 * location and a serial, for the tests of what sharing keeps. Their image data
 * is a token: only the structure around it is read.
 */
import { crc32 } from 'node:zlib'
import { phoneTiff } from './jpeg-exif.js'
import { pngChunk } from './png.js'

/** The XMP a photo editor writes: the location as attributes and as elements, a serial, and what must stay. */
export const XMP = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:aux="http://ns.adobe.com/exif/1.0/aux/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
 exif:GPSLatitude="47,22.8538N" exif:GPSLongitude='8,32.1044E' tiff:Orientation="6" aux:SerialNumber="SN-4711-0815">
<exif:GPSAltitude>408/1</exif:GPSAltitude>
<exif:GPSTimeStamp><rdf:Seq><rdf:li>2026-05-04T10:11:12Z</rdf:li></rdf:Seq></exif:GPSTimeStamp>
<tiff:Make>Pixelphone</tiff:Make>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`
/** What the XMP above says that must not leave the sender's machine. */
export const XMP_SECRETS = ['47,22.8538N', '8,32.1044E', '408/1', '2026-05-04T10:11:12Z', 'SN-4711-0815']

export { pngChunk }

/** A PNG with an eXIf chunk and an uncompressed iTXt XMP chunk (or `xmp`, another) before its image data, and a tEXt comment after. */
export function phonePng (order: 'II' | 'MM' = 'MM', xmp = pngChunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(XMP)]))): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(1, 0)
  ihdr.writeUInt32BE(1, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('eXIf', phoneTiff(order, 6)),
    xmp,
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0, 0, 0, 4, 0, 1])),
    pngChunk('tEXt', Buffer.from('Comment\0made by a test', 'latin1')),
    pngChunk('IEND', Buffer.alloc(0))
  ])
}

/** Whether every chunk of `png` has the checksum PNG readers check. */
export function pngChecksumsHold (png: Buffer): boolean {
  for (let at = 8; at + 12 <= png.length;) {
    const length = png.readUInt32BE(at)
    const type = png.subarray(at + 4, at + 8)
    const data = png.subarray(at + 8, at + 8 + length)
    if (crc32(data, crc32(type)) !== png.readUInt32BE(at + 8 + length)) return false
    at += 12 + length
  }
  return true
}

/** The eXIf chunk's data of `png` (its TIFF structure). */
export function pngExif (png: Buffer): Buffer {
  const at = png.indexOf('eXIf')
  return png.subarray(at + 4, at + 4 + png.readUInt32BE(at - 4))
}

/** An extended WebP: VP8X, the image data, then (as the format puts them) an odd-sized EXIF chunk and an XMP chunk. */
export function phoneWebp (): Buffer {
  const riff = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32LE(data.length, 4)
    return Buffer.concat([head, data, data.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)])
  }
  const vp8x = Buffer.alloc(10)
  vp8x[0] = 0x08 | 0x04 // EXIF and XMP present
  const exif = Buffer.concat([phoneTiff('II', 6), Buffer.from([7])]) // odd: the padding byte must be stepped over
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), riff('VP8X', vp8x), riff('VP8L', Buffer.from([0x2f, 0, 0, 0, 0])), riff('EXIF', exif), riff('XMP ', Buffer.from(XMP))])
  const head = Buffer.alloc(8)
  head.write('RIFF', 0, 'latin1')
  head.writeUInt32LE(body.length, 4)
  return Buffer.concat([head, body])
}

/**
 * A HEIC as an iPhone lays one out: ftyp, a meta box whose iinf lists an
 * image, an Exif item and an XMP (mime) item, and whose iloc (version 1) puts
 * the Exif item in two extents in the mdat box that follows.
 */
export function phoneHeic (): Buffer {
  const box = (type: string, ...parts: Buffer[]): Buffer => {
    const body = Buffer.concat(parts)
    const head = Buffer.alloc(8)
    head.writeUInt32BE(body.length + 8, 0)
    head.write(type, 4, 'latin1')
    return Buffer.concat([head, body])
  }
  const full = (version: number): Buffer => Buffer.from([version, 0, 0, 0])
  const u16 = (v: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b }
  const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b }
  const infe = (id: number, type: string, extra = Buffer.alloc(0)): Buffer => box('infe', full(2), u16(id), u16(0), Buffer.from(type, 'latin1'), Buffer.from('\0', 'latin1'), extra)
  const exifItem = Buffer.concat([u32(6), Buffer.from('Exif\0\0', 'latin1'), phoneTiff('MM', 6)])
  const xmpItem = Buffer.from(XMP)
  const image = Buffer.from([0, 0, 0, 9, 0x26, 1, 2, 3, 4])
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heic', 'latin1'))
  const iloc = (mdatData: number): Buffer => {
    const split = 40
    const entry = (id: number, extents: Array<[number, number]>): Buffer => Buffer.concat([u16(id), u16(0), u16(0), u16(extents.length), ...extents.flatMap(([o, l]) => [u32(o), u32(l)])])
    return box('iloc', full(1), Buffer.from([0x44, 0x00]), u16(3),
      entry(1, [[mdatData, image.length]]),
      entry(2, [[mdatData + image.length, split], [mdatData + image.length + split, exifItem.length - split]]),
      entry(3, [[mdatData + image.length + exifItem.length, xmpItem.length]]))
  }
  const meta = (mdatData: number): Buffer => box('meta', full(0),
    box('hdlr', full(0), u32(0), Buffer.from('pict', 'latin1'), Buffer.alloc(13)),
    box('pitm', full(0), u16(1)),
    box('iinf', full(0), u16(3), infe(1, 'hvc1'), infe(2, 'Exif'), infe(3, 'mime', Buffer.from('application/rdf+xml\0', 'latin1'))),
    iloc(mdatData))
  const before = ftyp.length + meta(0).length + 8
  return Buffer.concat([ftyp, meta(before), box('mdat', image, exifItem, xmpItem)])
}

/** `bytes` as ImageMagick writes a profile into a PNG text chunk ("Raw profile type exif"): its name, its length, then hex in lines of 72 digits. */
export function rawProfile (name: string, bytes: Buffer): Buffer {
  const hex = bytes.toString('hex').match(/.{1,72}/g)!.join('\n')
  return Buffer.from(`\n${name}\n${String(bytes.length).padStart(8)}\n${hex}\n`, 'latin1')
}

/** The bytes a raw profile (`rawProfile`'s text) holds. */
export function fromRawProfile (text: Buffer): Buffer {
  const [, , length, ...hex] = text.toString('latin1').split('\n')
  return Buffer.from(hex.join('').replace(/\s/g, ''), 'hex').subarray(0, Number(length))
}

/** The data of `png`'s first chunk of `type` whose keyword is `keyword`. */
export function pngTextChunk (png: Buffer, type: string, keyword: string): Buffer {
  for (let at = 8; at + 12 <= png.length;) {
    const length = png.readUInt32BE(at)
    const data = png.subarray(at + 8, at + 8 + length)
    if (png.toString('latin1', at + 4, at + 8) === type && data.toString('latin1', 0, keyword.length + 1) === `${keyword}\0`) return data
    at += 12 + length
  }
  throw new Error(`no ${type} chunk ${keyword}`)
}
