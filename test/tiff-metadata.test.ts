/**
 * A TIFF or DNG photo shared: it goes without its GPS block, the camera's
 * serials, the owner's name, the XMP's location and the IPTC place and by-line,
 * wherever in the file its directories are, reading only those; the pixels,
 * the orientation, the size and the rest stay as they were. A file that does
 * not parse is left as it is, and its walk ends.
 */
import { describe, expect, it } from 'vitest'
import { locationPatches } from '../main/chat/photo-metadata.js'
import { scrubLocation, scrubTiff } from '../main/core/exif.js'
import { IFD0_OWNER, LATITUDE, latitudeBytes, MAKER_NOTE, MAKER_SERIAL, orientationOf, OWNER_FIELDS, phoneJpeg, SERIAL } from './helpers/jpeg-exif.js'
import { IPTC_KEPT, IPTC_SECRETS, phonePng, pngChunk, XMP, XMP_SECRETS } from './helpers/photo-containers.js'
import { cameraBlocks, COPYRIGHT, DNG_SERIAL, JPG_FROM_RAW, MAKE, numberOf, olympusOrf, panasonicRw2, phoneDng, photoTiff, pixels, previewDng, TiffWriter, tiffDirectories, type Order } from './helpers/tiff-file.js'

/** `file` with `locationPatches`' changes written in, as the copy a peer is served; and how many bytes were read for it. */
async function shared (file: Buffer): Promise<{ out: Buffer, read: number }> {
  let read = 0
  const patches = await locationPatches(async (at, length) => {
    read += length
    return file.subarray(at, at + length)
  }, file.length)
  const out = Buffer.from(file)
  for (const p of patches) out.set(p.bytes, p.at)
  return { out, read }
}

/** What must not be in a shared copy: the location, the serials, the owner, the XMP's and the IPTC's secrets. */
function expectNoSecrets (bytes: Buffer, order: Order): void {
  const secrets = [SERIAL, MAKER_SERIAL, DNG_SERIAL, ...Object.values(OWNER_FIELDS), ...Object.values(IFD0_OWNER), ...XMP_SECRETS, ...Object.values(IPTC_SECRETS), 'Erika Musterfrau']
  for (const s of secrets) expect(bytes.includes(Buffer.from(s, 'latin1')), s).toBe(false)
  expect(bytes.includes(MAKER_NOTE.subarray(0, 9))).toBe(false)
  expect(bytes.includes(latitudeBytes(order))).toBe(false)
  // The Photoshop blocks' own EXIF block is big-endian whatever the file's order.
  expect(bytes.includes(latitudeBytes('MM'))).toBe(false)
}

/** The orientation, width and Make of each picture directory, and every GPS block's entry count. */
function structure (file: Buffer): { images: Array<[number | undefined, number | undefined, string | undefined]>, gps: number[] } {
  const dirs = tiffDirectories(file)
  return {
    images: dirs.filter(d => d.kind === 'image').map(d => [numberOf(file, d.values.get(0x0112)), numberOf(file, d.values.get(0x0100)), d.values.get(0x010f)?.toString('latin1')]),
    gps: dirs.filter(d => d.kind === 'gps').map(d => d.values.size)
  }
}

/** Each picture's strip of pixels, as its directory says where it is. */
function strips (file: Buffer): Buffer[] {
  return tiffDirectories(file).filter(d => d.kind === 'image').map(d => {
    const at = numberOf(file, d.values.get(0x0111))!
    return file.subarray(at, at + numberOf(file, d.values.get(0x0117))!)
  })
}

describe('sharing a TIFF or a DNG', () => {
  for (const order of ['II', 'MM'] as const) {
    it(`a ${order === 'II' ? 'little' : 'big'}-endian TIFF loses its GPS block, serials, artist, XMP location and IPTC place; its pixels, orientation, width, Make, copyright and caption stay`, async () => {
      const tiff = photoTiff(order)
      for (const s of [SERIAL, IFD0_OWNER[0x013b], XMP_SECRETS[0]!, IPTC_SECRETS['2:90']]) expect(tiff.includes(Buffer.from(s, 'latin1')), s).toBe(true)
      expect(tiff.includes(latitudeBytes(order))).toBe(true)
      const { out } = await shared(tiff)
      expect(out.length).toBe(tiff.length)
      expectNoSecrets(out, order)
      expect(structure(tiff).gps).toEqual([4])
      expect(structure(out)).toEqual({ images: [[6, 16, `${MAKE}\0`]], gps: [0] })
      expect(strips(out)).toEqual(strips(tiff))
      for (const s of [COPYRIGHT, 'tiff:Orientation="6"', '<tiff:Make>Pixelphone</tiff:Make>', ...Object.values(IPTC_KEPT)]) expect(out.includes(Buffer.from(s, 'latin1')), s).toBe(true)
      // The exposure time in the EXIF block stays.
      const exif = tiffDirectories(out).find(d => d.kind === 'exif')!
      expect(numberOf(out, exif.values.get(0x829a)!.subarray(4))).toBe(120)
      // Nothing is left to take the second time.
      expect((await shared(out)).out.equals(out)).toBe(true)
      // One set of rules: the same structure blanked whole in memory (as an EXIF block is) comes out the same.
      const inMemory = Buffer.from(tiff)
      expect(scrubTiff(inMemory)).toBe(true)
      expect(inMemory.equals(out)).toBe(true)
    })
  }

  for (const order of ['II', 'MM'] as const) {
    it(`a ${order} DNG: the camera serial in IFD0, the raw image's SubIFD and the second preview's GPS block are blanked too; the raw data stays`, async () => {
      const dng = phoneDng(order)
      expect(dng.includes(Buffer.from(DNG_SERIAL))).toBe(true)
      const { out } = await shared(dng)
      expect(out.length).toBe(dng.length)
      expectNoSecrets(out, order)
      expect(structure(dng).gps).toEqual([4, 2])
      expect(structure(out)).toEqual({ images: [[6, 8, `${MAKE}\0`], [6, 64, `${MAKE}\0`], [6, 8, `${MAKE}\0`]], gps: [0, 0] })
      expect(strips(out)).toEqual(strips(dng))
      expect(out.includes(Buffer.from('Pixelphone Pro\0'))).toBe(true) // the camera model DNG names its colour profile by
    })
  }

  it('a DNG carrying the camera\'s original raw file (a converter\'s "embed original"): that copy, compressed where nothing can blank its location, is written over with zeros whole; the rest stays', async () => {
    // 2.5 MiB of what deflate leaves: no zeros, the location somewhere in the middle.
    const original = Buffer.alloc(2.5 * 1024 * 1024 + 17, 0x5a)
    const secret = Buffer.from('GPSLatitude 48.8583 serial 4011223', 'latin1')
    secret.copy(original, 1_500_000)
    const dng = phoneDng('II', original)
    expect(dng.includes(secret)).toBe(true)
    const { out, read } = await shared(dng)
    expect(out.length).toBe(dng.length)
    expect(out.includes(secret)).toBe(false)
    expectNoSecrets(out, 'II')
    const at = dng.indexOf(original)
    expect(out.subarray(at, at + original.length).every(b => b === 0)).toBe(true)
    // Everything else as the DNG without it is shared: its pictures, their orientation and pixels.
    expect(structure(out)).toEqual(structure((await shared(phoneDng('II'))).out))
    expect(strips(out)).toEqual(strips(dng))
    // Its copy is not read to be blanked.
    expect(read).toBeLessThan(original.length / 4)
    // Shared again, nothing is left to write.
    const again = await locationPatches(async (from, length) => out.subarray(from, from + length), out.length)
    expect(again).toEqual([])
  })

  it('a large TIFF whose directories come after megabytes of pixels: only the start and the metadata are read, not the image', async () => {
    const tiff = photoTiff('II', 3000, 2000)
    expect(tiff.length).toBeGreaterThan(6_000_000)
    const { out, read } = await shared(tiff)
    expectNoSecrets(out, 'II')
    expect(structure(out).images).toEqual([[6, 3000, `${MAKE}\0`]])
    expect(read).toBeLessThan(1_000_000)
  })

  it('a file whose directories point back at each other (the next, a SubIFD, the EXIF pointer): the walk ends, each directory blanked once', async () => {
    const w = new TiffWriter('MM')
    const strip = w.put(pixels(64))
    const gps = w.ifd([w.rationals(0x0002, [[47, 1], [22, 1], [5123, 100]])])
    const ifd0 = w.ifd([
      w.long(0x0100, 8), w.long(0x0111, strip), w.short(0x0112, 6), w.long(0x0117, 64), w.ascii(0x013b, IFD0_OWNER[0x013b]),
      w.long(0x014a, 0), w.long(0x8769, 0), w.long(0x8825, gps)
    ])
    const file = w.file(ifd0)
    // IFD0's SubIFD, its EXIF block and its next directory: IFD0 itself.
    const n = file.readUInt16BE(ifd0)
    for (let k = 0; k < n; k++) {
      const e = ifd0 + 2 + 12 * k
      if (file.readUInt16BE(e) === 0x014a || file.readUInt16BE(e) === 0x8769) file.writeUInt32BE(ifd0, e + 8)
    }
    file.writeUInt32BE(ifd0, ifd0 + 2 + 12 * n)
    const { out } = await shared(file)
    expect(out.length).toBe(file.length)
    expect(out.includes(Buffer.from(IFD0_OWNER[0x013b]))).toBe(false)
    expect(out.includes(latitudeBytes('MM'))).toBe(false)
    expect(out.subarray(8, 72)).toEqual(file.subarray(8, 72))
    expect(out.readUInt16BE(ifd0)).toBe(n)
  })

  it('values that overlap (an artist pointing into the XMP packet): what is blanked first stays blank, as when the whole file is blanked in memory', async () => {
    const w = new TiffWriter('II')
    const strip = w.put(pixels(32))
    const xmp = Buffer.from(XMP)
    const packet = w.put(xmp)
    const make = packet + xmp.indexOf('<tiff:Make>') + '<tiff:Make>'.length
    const file = w.file(w.ifd([
      w.long(0x0100, 4), w.long(0x0111, strip), w.long(0x0117, 32),
      { tag: 0x013b, type: 2, count: MAKE.length, value: w.u32(make) },
      { tag: 0x02bc, type: 1, count: xmp.length, value: w.u32(packet) }
    ]))
    const { out } = await shared(file)
    expect(out.subarray(make, make + MAKE.length).every(b => b === 0)).toBe(true)
    expect(out.includes(Buffer.from(XMP_SECRETS[0]!))).toBe(false)
    const inMemory = Buffer.from(file)
    scrubTiff(inMemory)
    expect(out.equals(inMemory)).toBe(true)
  })

  it('a made-up file of directories each with 65,535 serial entries: its share ends, the first of them blanked', async () => {
    // Eight directories one after another, every entry a body serial of 4 bytes held in the entry itself.
    const n = 0xffff
    const size = 2 + 12 * n + 4
    const file = Buffer.alloc(8 + 8 * size)
    file.write('II*\0', 0, 'latin1')
    file.writeUInt32LE(8, 4)
    for (let d = 0; d < 8; d++) {
      const at = 8 + d * size
      file.writeUInt16LE(n, at)
      for (let k = 0; k < n; k++) {
        const e = at + 2 + 12 * k
        file.writeUInt16LE(0xa431, e)
        file.writeUInt16LE(2, e + 2)
        file.writeUInt32LE(4, e + 4)
        file.write('SN1', e + 8, 'latin1')
      }
      file.writeUInt32LE(d < 7 ? at + size : 0, at + 2 + 12 * n)
    }
    const { out } = await shared(file)
    expect(out.length).toBe(file.length)
    expect(out.readUInt32LE(8 + 2 + 8)).toBe(0)
    expect(out.readUInt16LE(8)).toBe(n)
  }, 60_000)

  it('offsets past the end, huge counts, a directory longer than the file, a BigTIFF: left as they are, no error', async () => {
    const cases: Buffer[] = []
    // IFD0 far past the end.
    const far = photoTiff('II')
    far.writeUInt32LE(0xfffffff0, 4)
    cases.push(far)
    // IFD0 says it has 65535 entries: its table runs past the end.
    const long = photoTiff('MM')
    long.writeUInt16BE(0xffff, long.readUInt32BE(4))
    cases.push(long)
    // Entries whose values point past the end or whose counts are huge, and nothing else to blank.
    const w = new TiffWriter('II')
    const strip = w.put(pixels(32))
    cases.push(w.file(w.ifd([
      w.long(0x0100, 4), w.long(0x0111, strip), w.long(0x0117, 32),
      { tag: 0x02bc, type: 1, count: 0xffffffff, value: w.u32(8) }, // an XMP packet of 4 GB
      { tag: 0x013b, type: 2, count: 20, value: w.u32(0x7ffffff0) }, // an artist past the end
      { tag: 0xa431, type: 12, count: 0x7fffffff, value: w.u32(8) }, // 16 GB of doubles
      { tag: 0x014a, type: 4, count: 0xfffffff, value: w.u32(8) }, // a billion SubIFDs
      w.long(0x8825, 0xfffffff0) // a GPS block past the end
    ], 0x7ffffff0)))
    // A header that says BigTIFF on a TIFF's layout (its offsets' size not 8): not walked.
    const notBig = photoTiff('II')
    notBig.writeUInt16LE(43, 2)
    cases.push(notBig)
    // A BigTIFF whose IFD0 is past 2^53, and one whose IFD0 says it has 2^40 entries.
    const farBig = photoTiff('MM', 16, 8, true)
    farBig.writeUInt32BE(0x00400000, 8)
    cases.push(farBig)
    const longBig = photoTiff('II', 16, 8, true)
    longBig.writeUInt32LE(0x100, Number(longBig.readBigUInt64LE(8)) + 4)
    cases.push(longBig)
    // Cut short: the header only, and less; a BigTIFF's and an ORF's, an RW2 pointing past its end.
    cases.push(Buffer.from('II*\0', 'latin1'), Buffer.from('MM\0*\0\0\0\x08', 'latin1'), Buffer.from('II+\0\x08\0\0\0\x10\0', 'latin1'))
    cases.push(Buffer.from('IIRO\x08\0\0\0', 'latin1'), Buffer.from('IIU\0\x18\0\0\0\0\0', 'latin1'))
    for (const file of cases) {
      expect(await locationPatches(async (at, n) => file.subarray(at, at + n), file.length)).toEqual([])
    }
  })
})

describe('made-up files that took minutes or hours to share', () => {
  /** A JPEG holding `tiff` as its EXIF block. */
  const jpegOf = (tiff: Buffer): Buffer => {
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
    return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 0xff]), exif, Buffer.from([0xff, 0xd9])])
  }
  /** An RW2-like TIFF whose IFD0 has `n` JpgFromRaw entries, every one the same `inner` JPEG. */
  const previews = (inner: Buffer, n: number): Buffer => {
    const w = new TiffWriter('II')
    const at = w.put(inner)
    return w.file(w.ifd(Array.from({ length: n }, () => ({ tag: JPG_FROM_RAW, type: 7, count: inner.length, value: w.u32(at) }))))
  }

  it('an XMP packet of a MB of opening tags none of which closes: blanked in moments, the location before them too', async () => {
    const w = new TiffWriter('II')
    const secret = '<exif:GPSLatitude>47,22.8538N</exif:GPSLatitude>'
    const xmp = Buffer.from(secret + '<a:City>'.repeat(128 * 1024), 'latin1')
    const file = w.file(w.ifd([w.long(0x0100, 1), w.bytes(0x02bc, xmp, 1)]))
    const started = Date.now()
    const { out } = await shared(file)
    // Each opening tag was looked at to the packet's end for its closing one: minutes for this MB, hours for 4.
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(out.length).toBe(file.length)
    expect(out.includes(Buffer.from('47,22.8538N'))).toBe(false)
    expect(out.includes(Buffer.from(`<exif:GPSLatitude>${' '.repeat(11)}</exif:GPSLatitude><a:City><a:City>`))).toBe(true)
  }, 120_000)

  it('a PNG of 40 EXIF chunks, each an IFD of a thousand entries pointing at one 16 KB XMP packet: shared in moments, its phone EXIF block first blanked', async () => {
    const w = new TiffWriter('MM')
    const packet = w.put(Buffer.alloc(16 * 1024, 0x61))
    const tiff = w.file(w.ifd(Array.from({ length: 1300 }, () => ({ tag: 0x02bc, type: 1, count: 16 * 1024, value: w.u32(packet) }))))
    const phone = phonePng('MM')
    const end = phone.length - 12 // before IEND
    const png = Buffer.concat([phone.subarray(0, end), ...Array.from({ length: 40 }, () => pngChunk('eXIf', tiff)), phone.subarray(end)])
    expect(png.includes(latitudeBytes('MM'))).toBe(true)
    const started = Date.now()
    const { out } = await shared(png)
    // Each chunk's walk read its own 32 MB: 0.7 s a chunk, minutes for a file of a few MB.
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(out.length).toBe(png.length)
    expect(out.includes(latitudeBytes('MM'))).toBe(false)
  }, 120_000)

  it('50 KB of previews whose EXIF blocks point at one preview thousands of times over: its share ends in moments, at the same length', async () => {
    const innermost = phoneJpeg('MM')
    const file = previews(jpegOf(previews(jpegOf(previews(innermost, 2000)), 2000)), 300)
    expect(file.length).toBeLessThan(64 * 1024)
    const started = Date.now()
    const { out } = await shared(file)
    // Each nested walk with a budget of its own took hours (300 × 2000 × 2000 walks of the innermost block).
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(out.length).toBe(file.length)
  }, 60_000)
})

describe('sharing a raw photo built as a TIFF of its own kind: Olympus ORF, Panasonic RW2, BigTIFF', () => {
  for (const start of ['IIRO', 'IIRS', 'MMOR'] as const) {
    it(`an Olympus ORF ("${start}") is blanked as the TIFF it is laid out as: every other byte, its header's among them, as it was`, async () => {
      const orf = olympusOrf(start)
      const order = start.startsWith('II') ? 'II' : 'MM'
      expect(orf.includes(latitudeBytes(order))).toBe(true)
      const { out } = await shared(orf)
      expect(out.length).toBe(orf.length)
      expectNoSecrets(out, order)
      expect(structure(out)).toEqual({ images: [[6, 16, `${MAKE}\0`]], gps: [0] })
      expect(out.subarray(0, 8)).toEqual(orf.subarray(0, 8))
      // The very bytes a TIFF of the same layout comes out as: only the header differs.
      const tiff = (await shared(photoTiff(order))).out
      expect(out.subarray(8).equals(tiff.subarray(8))).toBe(true)
    })
  }

  it('a Panasonic RW2: its GPS block, serials and artist blanked, and its JPEG preview\'s own EXIF block too; the raw data, the preview\'s image and orientation stay', async () => {
    const rw2 = panasonicRw2()
    expect(rw2.subarray(0, 4).toString('latin1')).toBe('IIU\0')
    expect(rw2.includes(latitudeBytes('MM'))).toBe(true) // the preview's, big-endian
    const { out } = await shared(rw2)
    expect(out.length).toBe(rw2.length)
    expectNoSecrets(out, 'II')
    expect(structure(out)).toEqual({ images: [[6, 64, `${MAKE}\0`]], gps: [0] })
    expect(strips(out)).toEqual(strips(rw2))
    const preview = (file: Buffer): Buffer => tiffDirectories(file)[0]!.values.get(JPG_FROM_RAW)!
    // The preview comes out as that JPEG would if shared by itself, still drawn upright.
    const alone = Buffer.from(phoneJpeg('MM'))
    expect(scrubLocation(alone)).toBe(true)
    expect(preview(out).equals(alone)).toBe(true)
    expect(orientationOf(preview(out))).toBe(6)
    // The header and Panasonic's own fields stay.
    expect(out.subarray(0, 8)).toEqual(rw2.subarray(0, 8))
    expect(numberOf(out, tiffDirectories(out)[0]!.values.get(0x0002))).toBe(64)
    expect(tiffDirectories(out)[0]!.values.get(0x0001)!.toString('latin1')).toBe('0340')
    const inMemory = Buffer.from(rw2)
    expect(scrubTiff(inMemory)).toBe(true)
    expect(inMemory.equals(out)).toBe(true)
  })

  for (const order of ['II', 'MM'] as const) {
    it(`a ${order} BigTIFF (8-byte offsets and counts, 20-byte entries) loses what a TIFF does; its pixels, orientation, width and Make stay`, async () => {
      const big = photoTiff(order, 16, 8, true)
      expect(big.readUInt16LE(2) === 43 || big.readUInt16BE(2) === 43).toBe(true)
      expect(big.includes(latitudeBytes(order))).toBe(true)
      const { out } = await shared(big)
      expect(out.length).toBe(big.length)
      expectNoSecrets(out, order)
      expect(structure(big).gps).toEqual([4])
      expect(structure(out)).toEqual({ images: [[6, 16, `${MAKE}\0`]], gps: [0] })
      expect(strips(out)).toEqual(strips(big))
      for (const s of [COPYRIGHT, ...Object.values(IPTC_KEPT)]) expect(out.includes(Buffer.from(s, 'latin1')), s).toBe(true)
      const exif = tiffDirectories(out).find(d => d.kind === 'exif')!
      expect(numberOf(out, exif.values.get(0x829a)!.subarray(4))).toBe(120)
      expect((await shared(out)).out.equals(out)).toBe(true)
      const inMemory = Buffer.from(big)
      expect(scrubTiff(inMemory)).toBe(true)
      expect(inMemory.equals(out)).toBe(true)
    })
  }

  it('a Sony ARW: its GPS block and serials blanked; IFD0\'s pointer to SR2Private (tag 50740, DNGPrivateData\'s in a DNG) and what it points to stay', async () => {
    const w = new TiffWriter('II')
    const raw = w.put(pixels(64 * 32, 19))
    // SR2Private: where the encrypted white balance and black levels are, and their key.
    const sr2 = w.ifd([w.long(0x7200, raw), w.long(0x7201, 64), w.long(0x7221, 0x12345678)])
    const ifd0 = w.ifd([w.long(0x00fe, 0), w.long(0x0100, 64), w.long(0x0111, raw), w.long(0x0117, 64 * 32), w.ascii(0x010f, 'SONY'), w.long(0xc634, sr2), ...cameraBlocks(w)])
    const arw = w.file(ifd0)
    const { out } = await shared(arw)
    expect(out.length).toBe(arw.length)
    expectNoSecrets(out, 'II')
    expect(numberOf(out, tiffDirectories(out)[0]!.values.get(0xc634))).toBe(sr2)
    expect(out.subarray(sr2, sr2 + 2 + 3 * 12)).toEqual(arw.subarray(sr2, sr2 + 2 + 3 * 12))
    // A DNG's DNGPrivateData (bytes: the maker note a converter kept) is still zeros.
    const v = new TiffWriter('MM')
    const dng = v.file(v.ifd([v.long(0x00fe, 0), v.bytes(0xc634, Buffer.concat([Buffer.from('Adobe\0MakN', 'latin1'), MAKER_NOTE]), 1)]))
    const kept = (await shared(dng)).out
    expect(kept.includes(MAKER_NOTE.subarray(0, 9))).toBe(false)
    expect(kept.includes(Buffer.from('Adobe\0MakN', 'latin1'))).toBe(false)
  })

  for (const as of [7, 6] as const) {
    it(`a DNG's JPEG preview ${as === 7 ? 'in its one strip (compression 7, as a ProRAW\'s)' : 'at JPEGInterchangeFormat'} loses its own EXIF block's GPS and serials; its image stays`, async () => {
      const jpeg = phoneJpeg('MM')
      const dng = previewDng('II', { jpeg, as }, 6)
      expect(dng.includes(latitudeBytes('MM'))).toBe(true)
      const { out } = await shared(dng)
      expect(out.length).toBe(dng.length)
      expectNoSecrets(out, 'II')
      const at = dng.indexOf(jpeg)
      const alone = Buffer.from(jpeg)
      scrubLocation(alone)
      expect(out.subarray(at, at + jpeg.length).equals(alone)).toBe(true)
      expect(orientationOf(out.subarray(at, at + jpeg.length))).toBe(6)
    })
  }

  it('a BigTIFF whose two SubIFDs are LONGs held in the entry itself (8 bytes hold two): the second one\'s artist and GPS block are blanked too', async () => {
    for (const order of ['II', 'MM'] as const) {
      const w = new TiffWriter(order, true)
      const raw = w.put(pixels(64 * 32, 11))
      const first = w.ifd([w.long(0x00fe, 0), w.long(0x0100, 64), w.long(0x0111, raw), w.long(0x0117, 64 * 32)])
      const gps = w.ifd([w.ascii(0x0001, 'N'), w.rationals(0x0002, LATITUDE)])
      const second = w.ifd([w.long(0x00fe, 1), w.ascii(0x013b, IFD0_OWNER[0x013b]), w.long(0x8825, gps)])
      const file = w.file(w.ifd([w.long(0x00fe, 1), w.short(0x0112, 6), w.long(0x014a, first, second)]))
      expect(file.includes(latitudeBytes(order))).toBe(true)
      const { out } = await shared(file)
      expect(out.length).toBe(file.length)
      expect(out.includes(Buffer.from(IFD0_OWNER[0x013b])), order).toBe(false)
      expect(out.includes(latitudeBytes(order)), order).toBe(false)
      expect(out.subarray(raw, raw + 64 * 32)).toEqual(file.subarray(raw, raw + 64 * 32))
    }
  })

  it('a BigTIFF DNG whose SubIFD and GPS block are given as 8-byte pointers (IFD8, LONG8), with a JPEG preview at JPEGInterchangeFormat: all blanked', async () => {
    const w = new TiffWriter('II', true)
    const raw = w.put(pixels(64 * 32, 11))
    const jpeg = phoneJpeg('MM')
    const preview = w.put(jpeg)
    const rawIfd = w.ifd([w.long(0x00fe, 0), w.long(0x0100, 64), w.long(0x0111, raw), w.long(0x0117, 64 * 32), w.ascii(0xc62f, DNG_SERIAL)])
    const gps = w.ifd([w.ascii(0x0001, 'N'), w.rationals(0x0002, [[47, 1], [22, 1], [5123, 100]])])
    const ifd0 = w.ifd([
      w.long(0x00fe, 1), w.short(0x0103, 7), w.short(0x0112, 6),
      w.long(0x0201, preview), w.long(0x0202, jpeg.length),
      { tag: 0x014a, type: 18, count: 1, value: w.word(rawIfd) },
      { tag: 0x8825, type: 16, count: 1, value: w.word(gps) }
    ])
    const file = w.file(ifd0)
    expect(file.includes(Buffer.from(DNG_SERIAL))).toBe(true)
    const { out } = await shared(file)
    expect(out.length).toBe(file.length)
    expectNoSecrets(out, 'II')
    expect(structure(out).gps).toEqual([0])
    expect(out.subarray(raw, raw + 64 * 32)).toEqual(file.subarray(raw, raw + 64 * 32))
    const alone = Buffer.from(jpeg)
    scrubLocation(alone)
    expect(out.subarray(preview, preview + jpeg.length).equals(alone)).toBe(true)
  })
})
