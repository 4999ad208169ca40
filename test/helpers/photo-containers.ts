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

/**
 * What a photo editor or an agency's template writes into IPTC: the place, the
 * author and how to reach them (to be blanked), and what was written to go
 * with the picture (to stay), by record and dataset.
 */
export const IPTC_SECRETS = {
  '2:80': 'Max Mustermann',
  '2:85': 'Staff Photographer',
  '2:90': 'Wiedikon-Zurich',
  '2:92': 'Idaplatz 4',
  '2:95': 'Kanton ZH',
  '2:100': 'CHE',
  '2:101': 'Switzerland',
  '2:118': 'max@mustermann.example +41 44 555 01 23'
} as const
export const IPTC_KEPT = {
  '2:120': 'Sunset over the lake, from my balcony',
  '2:25': 'sunset',
  '2:116': '(c) 2026 all rights reserved'
} as const
/** What a camera writes into a JPEG comment (COM) segment. */
export const JPEG_COMMENT = 'Owner Max Mustermann, body 0042137'

/** IPTC-IIM records: the record version, a record-1 character set, `IPTC_SECRETS`, `IPTC_KEPT`, and one caption with an extended (4-byte) length. */
export function iptcRecords (): Buffer {
  const dataset = (tag: string, value: Buffer, extended = false): Buffer => {
    const [record, number] = tag.split(':').map(Number) as [number, number]
    const head = extended ? Buffer.from([0x1c, record, number, 0x80, 0x04, 0, 0, 0, 0]) : Buffer.from([0x1c, record, number, 0, 0])
    if (extended) head.writeUInt32BE(value.length, 5); else head.writeUInt16BE(value.length, 3)
    return Buffer.concat([head, value])
  }
  return Buffer.concat([
    dataset('1:90', Buffer.from('\x1b%G', 'latin1')),
    dataset('2:0', Buffer.from([0, 4])),
    ...Object.entries(IPTC_SECRETS).map(([tag, v]) => dataset(tag, Buffer.from(v, 'latin1'))),
    ...Object.entries(IPTC_KEPT).map(([tag, v]) => dataset(tag, Buffer.from(v, 'latin1'))),
    dataset('2:80', Buffer.from('Erika Musterfrau', 'latin1'), true)
  ])
}

/** Photoshop resource blocks: a resolution to keep, the IPTC records (named, odd-sized: padded), an EXIF block, an XMP packet. */
export function photoshopBlocks (): Buffer {
  const block = (id: number, data: Buffer, name = ''): Buffer => {
    const head = Buffer.alloc(6)
    head.write('8BIM', 0, 'latin1')
    head.writeUInt16BE(id, 4)
    const pascal = Buffer.concat([Buffer.from([name.length]), Buffer.from(name, 'latin1')])
    const size = Buffer.alloc(4)
    size.writeUInt32BE(data.length)
    return Buffer.concat([head, pascal, Buffer.alloc(pascal.length & 1), size, data, Buffer.alloc(data.length & 1)])
  }
  const iptc = iptcRecords()
  if (iptc.length % 2 === 0) throw new Error('the IPTC records are to be odd-sized, to be padded')
  return Buffer.concat([
    block(0x03ed, Buffer.from([0, 0x48, 0, 0, 0, 1, 0, 1, 0, 0x48, 0, 0, 0, 1, 0, 1])),
    block(0x0404, iptc, 'IPTC'),
    block(0x0422, phoneTiff('MM', 6)),
    block(0x0424, Buffer.from(XMP))
  ])
}

/** A JPEG's segments: each marker's type and its body (after the length), up to the image data (SOS); throws when a length does not hold. */
export function jpegSegments (jpeg: Buffer): Array<{ type: number, at: number, body: Buffer }> {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG')
  const out = []
  let at = 2
  for (;;) {
    if (jpeg[at] !== 0xff) throw new Error(`no marker at ${at}`)
    const type = jpeg[at + 1]!
    const end = at + 2 + jpeg.readUInt16BE(at + 2)
    if (end > jpeg.length) throw new Error(`segment ${type.toString(16)} past the end`)
    out.push({ type, at, body: jpeg.subarray(at + 4, end) })
    if (type === 0xda) return out
    at = end
  }
}

/** `jpeg` (as `phoneJpeg` makes one) with `segments` (whole, marker and length first) before its image data. */
export function withSegments (jpeg: Buffer, ...segments: Buffer[]): Buffer {
  const sos = jpegSegments(jpeg).find(s => s.type === 0xda)!.at
  return Buffer.concat([jpeg.subarray(0, sos), ...segments, jpeg.subarray(sos)])
}

/** A JPEG segment of `type` holding `body`. */
export function jpegSegment (type: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, type, 0, 0])
  head.writeUInt16BE(body.length + 2, 2)
  return Buffer.concat([head, body])
}

/** Photoshop resource blocks as APP13 segments, split at `splits` (offsets into `blocks`), each part after the segment's name. */
export function app13 (blocks: Buffer, ...splits: number[]): Buffer[] {
  const edges = [0, ...splits, blocks.length]
  return edges.slice(1).map((end, k) => jpegSegment(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), blocks.subarray(edges[k], end)])))
}

/** Photoshop resource blocks read as a reader does: each block's id and data; throws when a length does not hold. */
export function resourceBlocks (blocks: Buffer): Array<{ id: number, data: Buffer }> {
  const out = []
  for (let at = 0; at < blocks.length;) {
    if (blocks.toString('latin1', at, at + 4) !== '8BIM') throw new Error(`no 8BIM at ${at}`)
    const sizeAt = at + 6 + ((blocks[at + 6]! + 2) & ~1)
    const size = blocks.readUInt32BE(sizeAt)
    if (sizeAt + 4 + size > blocks.length) throw new Error(`block at ${at} past the end`)
    out.push({ id: blocks.readUInt16BE(at + 4), data: blocks.subarray(sizeAt + 4, sizeAt + 4 + size) })
    at = sizeAt + 4 + size + (size & 1)
  }
  return out
}

/** IPTC-IIM records read as a reader does: "record:dataset" and value, in order; throws when a length does not hold. */
export function iptcDatasets (records: Buffer): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = []
  for (let at = 0; at < records.length;) {
    if (records[at] !== 0x1c) throw new Error(`no record at ${at}`)
    let length = records.readUInt16BE(at + 3)
    let value = at + 5
    if (length & 0x8000) {
      const bytes = length & 0x7fff
      length = records.readUIntBE(value, bytes)
      value += bytes
    }
    if (value + length > records.length) throw new Error(`record at ${at} past the end`)
    out.push([`${records[at + 1]!}:${records[at + 2]!}`, records.subarray(value, value + length)])
    at = value + length
  }
  return out
}

/** The XMP Photoshop writes beside the IPTC records: the same place, author and contact as IPTC Core and Extension properties, and the caption and keywords. */
export const XMP_IPTC = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
 photoshop:City="${IPTC_SECRETS['2:90']}" photoshop:State="${IPTC_SECRETS['2:95']}" photoshop:Country="${IPTC_SECRETS['2:101']}"
 photoshop:AuthorsPosition="${IPTC_SECRETS['2:85']}" Iptc4xmpCore:Location="${IPTC_SECRETS['2:92']}" Iptc4xmpCore:CountryCode="${IPTC_SECRETS['2:100']}">
<dc:creator><rdf:Seq><rdf:li>${IPTC_SECRETS['2:80']}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${IPTC_KEPT['2:120']}</rdf:li></rdf:Alt></dc:description>
<dc:subject><rdf:Bag><rdf:li>${IPTC_KEPT['2:25']}</rdf:li></rdf:Bag></dc:subject>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">${IPTC_KEPT['2:116']}</rdf:li></rdf:Alt></dc:rights>
<Iptc4xmpCore:CreatorContactInfo Iptc4xmpCore:CiEmailWork="${IPTC_SECRETS['2:118']}" Iptc4xmpCore:CiAdrCity="Zurich-Altstetten"/>
<Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li rdf:parseType="Resource">
<Iptc4xmpExt:Sublocation>Seebad Enge</Iptc4xmpExt:Sublocation><Iptc4xmpExt:CountryName>Schweiz</Iptc4xmpExt:CountryName>
</rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`
