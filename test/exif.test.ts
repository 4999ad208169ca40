/**
 * What sharing takes out of a photo: its GPS position and the camera's serial,
 * in place, the orientation and the rest of the file kept: in a JPEG, PNG,
 * WebP or HEIC, in its EXIF and its XMP (in a PNG, compressed or in hex too);
 * and its IPTC place and by-line, and a JPEG's comments.
 */
import { deflateSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { isJpeg, scrubLocation, scrubTiff } from '../main/core/exif.js'
import { locationPatches } from '../main/chat/photo-metadata.js'
import { exifValue, IFD0_OWNER, latitudeBytes, MAKER_NOTE, MAKER_SERIAL, orientationOf, OWNER_FIELDS, phoneJpeg, phoneTiff, SERIAL, tiffOrientation, XP_AUTHOR } from './helpers/jpeg-exif.js'
import { app13, fromRawProfile, iptcDatasets, iptcRecords, IPTC_KEPT, IPTC_SECRETS, JPEG_COMMENT, jpegSegment, jpegSegments, phoneHeic, phonePng, photoshopBlocks, pngChunk, phoneWebp, pngChecksumsHold, pngExif, pngTextChunk, rawProfile, resourceBlocks, withSegments, XMP, XMP_IPTC, XMP_SECRETS } from './helpers/photo-containers.js'

/** The Exif block `tiff` keeps its entries, but the maker note, the serials, the owner and the unique id are zeros; the exposure time stays. */
function expectNoCameraOwner (tiff: Uint8Array): void {
  const bytes = Buffer.from(tiff)
  for (const s of [MAKER_SERIAL, ...Object.values(OWNER_FIELDS), ...Object.values(IFD0_OWNER)]) expect(bytes.includes(Buffer.from(s)), s).toBe(false)
  expect(bytes.includes(Buffer.from(XP_AUTHOR, 'utf16le'))).toBe(false)
  expect(bytes.includes(MAKER_NOTE.subarray(0, 9))).toBe(false) // not even the vendor's name
  expect(exifValue(tiff, 0x927c)).toEqual(Buffer.alloc(MAKER_NOTE.length))
  for (const tag of Object.keys(OWNER_FIELDS)) expect(exifValue(tiff, Number(tag))?.every(b => b === 0), tag).toBe(true)
  const exposure = exifValue(tiff, 0x829a)!
  const u32 = (at: number): number => (bytes.toString('latin1', 0, 2) === 'II' ? exposure.readUInt32LE(at) : exposure.readUInt32BE(at))
  expect([u32(0), u32(4)]).toEqual([1, 120])
}

describe('scrubLocation', () => {
  it('an entry pointing past the block does not keep the rest of it from being blanked', () => {
    const tiff = phoneTiff('II', 6)
    // IFD0's Artist entry (its second, at 22) points far past the block.
    tiff.writeUInt32LE(0x7fff0000, 22 + 8)
    const photo = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
    expect(photo.includes(latitudeBytes('II'))).toBe(true)
    expect(scrubTiff(photo.subarray(6))).toBe(true)
    expect(photo.includes(latitudeBytes('II'))).toBe(false)
    expect(photo.includes(Buffer.from(SERIAL))).toBe(false)
    expect(tiffOrientation(photo.subarray(6))).toBe(6)
  })

  it('reads past fill bytes before a marker: the EXIF block after them is blanked too', () => {
    const plain = phoneJpeg('II', 6)
    // SOI, then three 0xFF fill bytes before the APP1 marker (allowed before any marker).
    const photo = Buffer.concat([plain.subarray(0, 2), Buffer.from([0xff, 0xff, 0xff]), plain.subarray(2)])
    const scrubbed = Buffer.from(photo)
    expect(scrubLocation(scrubbed)).toBe(true)
    expect(scrubbed.length).toBe(photo.length)
    expect(scrubbed.includes(latitudeBytes('II'))).toBe(false)
    expect(scrubbed.includes(Buffer.from(SERIAL))).toBe(false)
    expect(orientationOf(scrubbed)).toBe(6)
  })

  for (const order of ['II', 'MM'] as const) {
    it(`blanks the GPS position and the serial of a ${order === 'II' ? 'little' : 'big'}-endian EXIF block, keeping its orientation and its length`, () => {
      const photo = phoneJpeg(order, 6)
      expect(photo.includes(latitudeBytes(order))).toBe(true)
      expect(photo.includes(Buffer.from(SERIAL))).toBe(true)
      const scrubbed = Buffer.from(photo)
      expect(scrubLocation(scrubbed)).toBe(true)
      expect(scrubbed.length).toBe(photo.length)
      expect(scrubbed.includes(latitudeBytes(order))).toBe(false)
      expect(scrubbed.includes(Buffer.from(SERIAL))).toBe(false)
      expect(scrubbed.includes(Buffer.from('N\0'))).toBe(false)
      expect(orientationOf(scrubbed)).toBe(6)
      expectNoCameraOwner(scrubbed.subarray(scrubbed.indexOf('Exif\0\0') + 6))
      // The image data after the block is untouched.
      expect(scrubbed.subarray(-10)).toEqual(photo.subarray(-10))
      // Nothing left to take the second time.
      expect(scrubLocation(scrubbed)).toBe(false)
    })
  }

  it('leaves alone what is not a JPEG with such a block, and a block that does not parse', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])
    expect(isJpeg(png)).toBe(false)
    expect(scrubLocation(Buffer.from(png))).toBe(false)
    const broken = phoneJpeg()
    broken.writeUInt32LE(0xfffffff0, 2 + 4 + 6 + 4) // SOI, APP1's head, 'Exif\0\0', then IFD0's place: far past the block
    const copy = Buffer.from(broken)
    expect(scrubLocation(copy)).toBe(false)
    expect(copy).toEqual(broken)
  })
})

/** `file` with `locationPatches`' changes written in, as the copy a peer serves is. */
async function shared (file: Buffer): Promise<Buffer> {
  const copy = Buffer.from(file)
  const patches = await locationPatches(async (at, length) => file.subarray(at, at + length), file.length)
  for (const p of patches) copy.set(p.bytes, p.at)
  return copy
}

function expectNoSecrets (bytes: Buffer): void {
  for (const s of [...XMP_SECRETS, SERIAL, MAKER_SERIAL, ...Object.values(OWNER_FIELDS)]) expect(bytes.includes(Buffer.from(s)), s).toBe(false)
  expect(bytes.includes(latitudeBytes('II'))).toBe(false)
  expect(bytes.includes(latitudeBytes('MM'))).toBe(false)
  // What the XMP says besides stays, and the packet still closes every element it opens.
  expect(bytes.includes(Buffer.from('tiff:Orientation="6"'))).toBe(true)
  expect(bytes.includes(Buffer.from('<tiff:Make>Pixelphone</tiff:Make>'))).toBe(true)
  expect(bytes.includes(Buffer.from('<exif:GPSTimeStamp><rdf:Seq><rdf:li>'))).toBe(true)
  expect(bytes.includes(Buffer.from('</rdf:li></rdf:Seq></exif:GPSTimeStamp>'))).toBe(true)
}

describe('locationPatches: the other containers a photo comes in', () => {
  it('a PNG: its eXIf chunk and its XMP lose the location and serial, every checksum still holds, the image data is as it was', async () => {
    const png = phonePng('MM')
    expect(png.includes(Buffer.from(XMP_SECRETS[0]!))).toBe(true)
    const out = await shared(png)
    expect(out.length).toBe(png.length)
    expectNoSecrets(out)
    expect(pngChecksumsHold(out)).toBe(true)
    expect(tiffOrientation(pngExif(out))).toBe(6)
    expectNoCameraOwner(pngExif(out))
    const idat = png.indexOf('IDAT')
    expect(out.subarray(idat - 4)).toEqual(png.subarray(idat - 4))
    expect((await shared(out)).equals(out)).toBe(true)
  })

  it('a WebP: its EXIF and XMP chunks after the image data (an odd-sized chunk\'s padding stepped over)', async () => {
    const webp = phoneWebp()
    const out = await shared(webp)
    expect(out.length).toBe(webp.length)
    expectNoSecrets(out)
    expect(tiffOrientation(out.subarray(out.indexOf('EXIF') + 8))).toBe(6)
    expectNoCameraOwner(out.subarray(out.indexOf('EXIF') + 8))
    expect(out.subarray(0, out.indexOf('EXIF'))).toEqual(webp.subarray(0, webp.indexOf('EXIF')))
  })

  it('a HEIC (an iPhone photo): the Exif item, split in two extents, and the XMP item the meta box points to', async () => {
    const heic = phoneHeic()
    expect(heic.includes(latitudeBytes('MM'))).toBe(true)
    const out = await shared(heic)
    expect(out.length).toBe(heic.length)
    expectNoSecrets(out)
    // The Exif item in the mdat box (the meta box's item list also has "Exif\0\0": its type, an empty name).
    const items = heic.lastIndexOf('Exif\0\0') - 4
    expect(tiffOrientation(out.subarray(items + 10))).toBe(6)
    expectNoCameraOwner(out.subarray(items + 10))
    // Everything before the items' bytes (the boxes that say what is where, the image) is as it was.
    expect(out.subarray(0, items)).toEqual(heic.subarray(0, items))
  })

  it('a JPEG whose XMP segment (as a photo editor writes it) has the location', async () => {
    const xmp = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(XMP)])
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (xmp.length + 2) >> 8, (xmp.length + 2) & 0xff]), xmp])
    const photo = phoneJpeg('II', 6)
    const jpeg = Buffer.concat([photo.subarray(0, 2), app1, photo.subarray(2)])
    const out = await shared(jpeg)
    expect(out.length).toBe(jpeg.length)
    expectNoSecrets(out)
    expect(orientationOf(out)).toBe(6)
  })

  it('a PNG whose XMP is compressed (a zTXt chunk, an iTXt with its compression flag): it inflates to the same XMP less the location and serial, the chunk its length', async () => {
    for (const [type, head] of [['zTXt', 'XML:com.adobe.xmp\0\0'], ['iTXt', 'XML:com.adobe.xmp\0\x01\0en\0XMP\0']] as const) {
      const chunk = pngChunk(type, Buffer.concat([Buffer.from(head, 'latin1'), deflateSync(XMP, { level: 9 })]))
      const png = phonePng('MM', chunk)
      expect(inflateSync(pngTextChunk(png, type, 'XML:com.adobe.xmp').subarray(head.length)).toString()).toBe(XMP)
      const out = await shared(png)
      expect(out.length, type).toBe(png.length)
      expect(pngChecksumsHold(out), type).toBe(true)
      const data = pngTextChunk(out, type, 'XML:com.adobe.xmp')
      expect(data.subarray(0, head.length).toString('latin1')).toBe(head)
      const xmp = inflateSync(data.subarray(head.length))
      expect(xmp.length).toBe(Buffer.byteLength(XMP))
      expectNoSecrets(xmp)
      const idat = png.indexOf('IDAT')
      expect(out.subarray(idat - 4)).toEqual(png.subarray(idat - 4))
      expect((await shared(out)).equals(out)).toBe(true)
    }
  })

  it('a compressed XMP whose location no longer packs into its chunk once blanked: the chunk then inflates to spaces, at its length', async () => {
    // A place name repeated 40 KB on: deflate writes the second as "as 40 KB back" only while the first
    // is still within 32 KB, so once it is blanked the second takes its full length: the XMP packs bigger.
    let seed = 2026
    const place = Buffer.from(Array.from({ length: 600 }, () => String.fromCharCode(0x61 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) % 26)).join(''))
    const xmp = Buffer.concat([
      Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>\n<dc:title>'), place, Buffer.from('</dc:title>\n'), Buffer.alloc(20_000, ' '),
      Buffer.from('<exif:GPSAreaInformation>'), place, Buffer.from('</exif:GPSAreaInformation>\n'), Buffer.alloc(20_000, ' '),
      Buffer.from('<dc:description>'), place, Buffer.from('</dc:description>\n</rdf:Description></rdf:RDF></x:xmpmeta>')
    ])
    const head = 'XML:com.adobe.xmp\0\0'
    const png = phonePng('MM', pngChunk('zTXt', Buffer.concat([Buffer.from(head, 'latin1'), deflateSync(xmp, { level: 9 })])))
    const out = await shared(png)
    expect(out.length).toBe(png.length)
    expect(pngChecksumsHold(out)).toBe(true)
    const text = inflateSync(pngTextChunk(out, 'zTXt', 'XML:com.adobe.xmp').subarray(head.length))
    expect(text.length).toBeGreaterThan(0)
    expect(text.every(b => b === 0x20)).toBe(true)
    const idat = png.indexOf('IDAT')
    expect(out.subarray(idat - 4)).toEqual(png.subarray(idat - 4))
  })

  it('ImageMagick\'s raw profiles: the EXIF block in hex in a tEXt chunk, the XMP in hex in a compressed zTXt chunk', async () => {
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), phoneTiff('II', 6)])
    const profiles = Buffer.concat([
      pngChunk('tEXt', Buffer.concat([Buffer.from('Raw profile type exif\0', 'latin1'), rawProfile('exif', exif)])),
      pngChunk('zTXt', Buffer.concat([Buffer.from('Raw profile type xmp\0\0', 'latin1'), deflateSync(rawProfile('xmp', Buffer.from(XMP)))]))
    ])
    const png = phonePng('MM', profiles)
    const out = await shared(png)
    expect(out.length).toBe(png.length)
    expect(pngChecksumsHold(out)).toBe(true)
    const tiff = fromRawProfile(pngTextChunk(out, 'tEXt', 'Raw profile type exif').subarray(22)).subarray(6)
    expect(tiff.length).toBe(exif.length - 6)
    expect(tiff.includes(latitudeBytes('II'))).toBe(false)
    expect(tiff.includes(Buffer.from(SERIAL))).toBe(false)
    expect(tiffOrientation(tiff)).toBe(6)
    expectNoCameraOwner(tiff)
    expectNoSecrets(fromRawProfile(inflateSync(pngTextChunk(out, 'zTXt', 'Raw profile type xmp').subarray(22))))
    const idat = png.indexOf('IDAT')
    expect(out.subarray(idat - 4)).toEqual(png.subarray(idat - 4))
  })

  it('a raw profile whose length is written with a long run of digits (leading zeros): the photo is still shared, its EXIF blanked', async () => {
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), phoneTiff('II', 6)])
    const profile = Buffer.from(rawProfile('exif', exif).toString('latin1').replace(/^\nexif\n */, `\nexif\n${'0'.repeat(300_000)}`), 'latin1')
    const png = phonePng('MM', pngChunk('tEXt', Buffer.concat([Buffer.from('Raw profile type exif\0', 'latin1'), profile])))
    const out = await shared(png)
    expect(out.length).toBe(png.length)
    expect(pngChecksumsHold(out)).toBe(true)
    const text = pngTextChunk(out, 'tEXt', 'Raw profile type exif').subarray(22).toString('latin1')
    const tiff = Buffer.from(text.slice(text.indexOf('\n', 6 + 300_000)).replace(/\s/g, ''), 'hex').subarray(6)
    expect(tiff.length).toBe(exif.length - 6)
    expect(tiff.includes(latitudeBytes('II'))).toBe(false)
    expect(tiff.includes(Buffer.from(SERIAL))).toBe(false)
    expect(tiffOrientation(tiff)).toBe(6)
  })

  it('a PNG whose XMP comes after the image data (as the format allows): it is blanked there too', async () => {
    const png = phonePng('MM', Buffer.alloc(0))
    const iend = png.length - 12
    const xmp = pngChunk('iTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), Buffer.from(XMP)]))
    const late = Buffer.concat([png.subarray(0, iend), xmp, png.subarray(iend)])
    const out = await shared(late)
    expect(out.length).toBe(late.length)
    expectNoSecrets(out)
    expect(pngChecksumsHold(out)).toBe(true)
    // What comes before it is shared as it is without it; the image data is as it was.
    expect(out.subarray(0, iend)).toEqual((await shared(png)).subarray(0, iend))
    const idat = png.indexOf('IDAT')
    expect(out.subarray(idat - 4, iend)).toEqual(png.subarray(idat - 4, iend))
  })

  it('a chunk that lies about its length, and files that are not pictures, are left as they are', async () => {
    const png = phonePng()
    const lying = Buffer.from(png)
    lying.writeUInt32BE(0x7ffffff0, lying.indexOf('eXIf') - 4)
    expect(await locationPatches(async (at, n) => lying.subarray(at, at + n), lying.length)).toEqual([])
    const heic = phoneHeic()
    const badIloc = Buffer.from(heic)
    badIloc[badIloc.indexOf('iloc') + 8] = 7 // an iloc version no one wrote
    expect(await locationPatches(async (at, n) => badIloc.subarray(at, at + n), badIloc.length)).toEqual([])
    for (const other of [Buffer.from('just text, not a picture'), Buffer.alloc(0), Buffer.from('RIFF\0\0\0\0WAVEfmt ')]) {
      expect(await locationPatches(async (at, n) => other.subarray(at, at + n), other.length)).toEqual([])
    }
  })

  it('a JPEG with IPTC (Photoshop\'s APP13, split over two segments) and a comment: the place, the by-line and the contact are spaces, the caption and keywords stay, every length still holds', async () => {
    const blocks = photoshopBlocks()
    // Split inside the IPTC records, as a writer does when the blocks outgrow a segment.
    const split = blocks.indexOf(Buffer.from(IPTC_SECRETS['2:92']))
    const jpeg = withSegments(phoneJpeg('II', 6), jpegSegment(0xfe, Buffer.from(JPEG_COMMENT, 'latin1')), ...app13(blocks, split))
    for (const s of [...Object.values(IPTC_SECRETS), JPEG_COMMENT]) expect(jpeg.includes(Buffer.from(s, 'latin1')), s).toBe(true)
    const out = await shared(jpeg)
    expect(out.length).toBe(jpeg.length)
    for (const s of [...Object.values(IPTC_SECRETS), 'Erika Musterfrau', JPEG_COMMENT]) expect(out.includes(Buffer.from(s, 'latin1')), s).toBe(false)
    for (const s of Object.values(IPTC_KEPT)) expect(out.includes(Buffer.from(s, 'latin1')), s).toBe(true)
    expectNoSecrets(out) // the EXIF block and the XMP packet among the resource blocks
    // Every segment, resource block and record is where it was and as long; only values changed.
    const before = jpegSegments(jpeg)
    const after = jpegSegments(out)
    expect(after.map(s => [s.type, s.at, s.body.length])).toEqual(before.map(s => [s.type, s.at, s.body.length]))
    expect(after.find(s => s.type === 0xfe)!.body.every(b => b === 0x20)).toBe(true)
    const joined = (segments: typeof before): Buffer => Buffer.concat(segments.filter(s => s.type === 0xed).map(s => s.body.subarray(14)))
    const blocksBefore = resourceBlocks(joined(before))
    const blocksAfter = resourceBlocks(joined(after))
    expect(blocksAfter.map(b => [b.id, b.data.length])).toEqual(blocksBefore.map(b => [b.id, b.data.length]))
    expect(blocksAfter[0]!.data).toEqual(blocksBefore[0]!.data) // the resolution
    const records = iptcDatasets(blocksAfter.find(b => b.id === 0x0404)!.data)
    const recordsBefore = iptcDatasets(blocksBefore.find(b => b.id === 0x0404)!.data)
    expect(records.map(([tag, v]) => [tag, v.length])).toEqual(recordsBefore.map(([tag, v]) => [tag, v.length]))
    for (const [[tag, value], [, was]] of records.map((r, k) => [r, recordsBefore[k]!] as const)) {
      if (tag in IPTC_SECRETS || tag === '2:80') expect(value.every(b => b === 0x20), tag).toBe(true)
      else expect(value, tag).toEqual(was)
    }
    const exif = blocksAfter.find(b => b.id === 0x0422)!.data
    expect(tiffOrientation(exif)).toBe(6)
    expectNoCameraOwner(exif)
    // The first EXIF block, in its APP1, as before; the image data as it was.
    expect(orientationOf(out)).toBe(6)
    const sos = before.find(s => s.type === 0xda)!.at
    expect(out.subarray(sos)).toEqual(jpeg.subarray(sos))
    expect((await shared(out)).equals(out)).toBe(true)
  })

  it('ImageMagick\'s raw IPTC and 8BIM profiles in a PNG (a tEXt and a compressed zTXt): the place and the by-line are spaces once decoded, the caption stays', async () => {
    const profiles = Buffer.concat([
      pngChunk('tEXt', Buffer.concat([Buffer.from('Raw profile type iptc\0', 'latin1'), rawProfile('iptc', iptcRecords())])),
      pngChunk('zTXt', Buffer.concat([Buffer.from('Raw profile type 8bim\0\0', 'latin1'), deflateSync(rawProfile('8bim', photoshopBlocks()))]))
    ])
    const png = phonePng('MM', profiles)
    const out = await shared(png)
    expect(out.length).toBe(png.length)
    expect(pngChecksumsHold(out)).toBe(true)
    const iptc = fromRawProfile(pngTextChunk(out, 'tEXt', 'Raw profile type iptc').subarray(22))
    const blocks = fromRawProfile(inflateSync(pngTextChunk(out, 'zTXt', 'Raw profile type 8bim').subarray(23)))
    expect(blocks.length).toBe(photoshopBlocks().length)
    const fromBlocks = resourceBlocks(blocks).find(b => b.id === 0x0404)!.data
    for (const records of [iptc, fromBlocks]) {
      const datasets = iptcDatasets(records)
      expect(datasets.map(([tag, v]) => [tag, v.length])).toEqual(iptcDatasets(iptcRecords()).map(([tag, v]) => [tag, v.length]))
      for (const s of [...Object.values(IPTC_SECRETS), 'Erika Musterfrau']) expect(records.includes(Buffer.from(s, 'latin1')), s).toBe(false)
      for (const s of Object.values(IPTC_KEPT)) expect(records.includes(Buffer.from(s, 'latin1')), s).toBe(true)
    }
    expectNoSecrets(blocks) // its EXIF block and XMP packet
    const idat = png.indexOf('IDAT')
    expect(out.subarray(idat - 4)).toEqual(png.subarray(idat - 4))
  })

  it('the same place and author in the XMP beside the IPTC (photoshop:City, dc:creator, the location shown, the contact): spaces; the caption, keywords and rights stay; the XML still closes', async () => {
    const xmp = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(XMP_IPTC)])
    const jpeg = withSegments(phoneJpeg('II', 6), jpegSegment(0xe1, xmp))
    const out = await shared(jpeg)
    expect(out.length).toBe(jpeg.length)
    for (const s of [...Object.values(IPTC_SECRETS).filter(s => s !== 'CHE'), 'Zurich-Altstetten', 'Seebad Enge', 'Schweiz']) expect(out.includes(Buffer.from(s)), s).toBe(false)
    expect(out.includes(Buffer.from('Iptc4xmpCore:CountryCode="   "'))).toBe(true)
    for (const s of Object.values(IPTC_KEPT)) expect(out.includes(Buffer.from(s)), s).toBe(true)
    const text = out.toString('latin1')
    for (const tag of ['dc:creator', 'rdf:Seq', 'Iptc4xmpExt:LocationShown', 'Iptc4xmpExt:Sublocation', 'Iptc4xmpExt:CountryName', 'rdf:li']) {
      expect(text.split(`<${tag}`).length, tag).toBe(text.split(`</${tag}>`).length)
    }
    expect(text.includes('<Iptc4xmpCore:CreatorContactInfo Iptc4xmpCore:CiEmailWork="')).toBe(true)
    const sos = jpegSegments(jpeg).find(s => s.type === 0xda)!.at
    expect(out.subarray(sos)).toEqual(jpeg.subarray(sos))
  })
})
