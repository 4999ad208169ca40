/**
 * Where a DNG keeps the preview its thumbnail is drawn from: a JPEG (in one
 * strip, or at JPEGInterchangeFormat) or 8-bit RGB, the largest of those a
 * file has, with IFD0's orientation; nothing from a file that has none or
 * does not parse. Only the directories are read, not the raw image.
 */
import { describe, expect, it } from 'vitest'
import { jpegExifRanges, rawPreview, type RawPreview } from '../main/core/raw-preview.js'
import { phoneJpeg } from './helpers/jpeg-exif.js'
import { phoneDng, pixels, previewDng, TiffWriter, tiffDirectories } from './helpers/tiff-file.js'

/** The preview `rawPreview` finds in `file`, and how many bytes it read for it. */
function previewIn (file: Buffer): { preview: RawPreview | undefined, read: number } {
  let read = 0
  const walk = rawPreview(file.length)
  for (let step = walk.next(); ;) {
    if (step.done === true) return { preview: step.value, read }
    read += step.value.length
    step = walk.next(file.subarray(step.value.at, step.value.at + step.value.length))
  }
}

describe('a DNG\'s preview', () => {
  for (const order of ['II', 'MM'] as const) {
    it(`${order}: a JPEG in one strip (ProRAW), or at JPEGInterchangeFormat, with IFD0's orientation; the raw image is not read`, () => {
      const jpeg = phoneJpeg()
      for (const as of [7, 6] as const) {
        const dng = previewDng(order, { jpeg, as }, 6)
        const { preview, read } = previewIn(dng)
        expect(preview, `compression ${as}`).toMatchObject({ kind: 'jpeg', length: jpeg.length, orientation: 6 })
        expect(dng.subarray(preview!.at, preview!.at + preview!.length).equals(jpeg)).toBe(true)
        expect(read).toBeLessThan(1024)
      }
    })

    it(`${order}: Android's 8-bit RGB thumbnail, its size said`, () => {
      const rgb = pixels(8 * 4 * 3, 5)
      const dng = previewDng(order, { rgb, width: 8, height: 4 }, 8)
      const { preview } = previewIn(dng)
      expect(preview).toMatchObject({ kind: 'rgb', length: rgb.length, width: 8, height: 4, orientation: 8 })
      expect(dng.subarray(preview!.at, preview!.at + preview!.length).equals(rgb)).toBe(true)
    })
  }

  it('of two, the larger: a full-size JPEG in a SubIFD over a small RGB thumbnail in IFD0', () => {
    const w = new TiffWriter('II')
    const jpeg = Buffer.concat([phoneJpeg(), pixels(4000)])
    const rgb = w.put(pixels(4 * 2 * 3))
    const big = w.put(jpeg)
    const jpegIfd = w.ifd([w.long(0x00fe, 1), w.long(0x0100, 640), w.long(0x0101, 480), w.short(0x0103, 7), w.long(0x0111, big), w.long(0x0117, jpeg.length)])
    const ifd0 = w.ifd([
      w.long(0x00fe, 1), w.long(0x0100, 4), w.long(0x0101, 2), w.short(0x0102, 8, 8, 8), w.short(0x0103, 1), w.short(0x0106, 2),
      w.long(0x0111, rgb), w.short(0x0112, 3), w.short(0x0115, 3), w.long(0x0117, 4 * 2 * 3), w.long(0x014a, jpegIfd)
    ])
    expect(previewIn(w.file(ifd0)).preview).toEqual({ kind: 'jpeg', at: big, length: jpeg.length, orientation: 3 })
  })

  it('none: a DNG whose only other picture is grey, a cut one, an RGB thumbnail of 16 bits or the wrong length, a preview past the end, not a TIFF', () => {
    const cut = previewDng('II', { jpeg: phoneJpeg() })
    // Each directory's values are views of the file: written to, they change it.
    const ifd0 = (file: Buffer): Map<number, Buffer> => tiffDirectories(file)[0]!.values
    const rgb16 = previewDng('MM', { rgb: pixels(8 * 4 * 3), width: 8, height: 4 })
    ifd0(rgb16).get(0x0102)!.set([0, 16, 0, 16, 0, 16])
    const short = previewDng('II', { rgb: pixels(8 * 4 * 3 - 3), width: 8, height: 4 })
    const past = previewDng('II', { jpeg: phoneJpeg() })
    ifd0(past).get(0x0117)!.writeUInt32LE(past.length)
    for (const file of [phoneDng('II'), phoneDng('MM'), cut.subarray(0, cut.length - 40), rgb16, short, past, phoneJpeg(), Buffer.from('II*\0')]) {
      expect(previewIn(file).preview).toBeUndefined()
    }
  })
})

describe('a JPEG preview\'s EXIF segments, left out when it is drawn (its orientation is IFD0\'s)', () => {
  it('the APP1 EXIF segment of a phone JPEG, after fill bytes too; none in a JPEG without one, a cut one or not a JPEG', () => {
    const jpeg = phoneJpeg('MM', 6)
    const end = 4 + jpeg.readUInt16BE(4)
    expect(jpegExifRanges(jpeg)).toEqual([[2, end]])
    const filled = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xff]), jpeg.subarray(2)])
    expect(jpegExifRanges(filled)).toEqual([[4, end + 2]])
    const without = Buffer.concat([jpeg.subarray(0, 2), jpeg.subarray(end)])
    for (const bytes of [without, jpeg.subarray(0, end - 1), Buffer.from('II*\0'), Buffer.alloc(0)]) expect(jpegExifRanges(bytes)).toEqual([])
  })
})
