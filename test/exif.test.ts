/**
 * What sharing takes out of a photo: its GPS position and the camera's serial,
 * in place, the orientation and the rest of the file kept.
 */
import { describe, expect, it } from 'vitest'
import { isJpeg, scrubLocation } from '../main/core/exif.js'
import { latitudeBytes, orientationOf, phoneJpeg, SERIAL } from './helpers/jpeg-exif.js'

describe('scrubLocation', () => {
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
