/**
 * Hostile TIFF-built files: the test files' TIFFs, BigTIFFs, DNGs, ORFs and
 * RW2s with random bytes changed (offsets and counts set to 0, to the file's
 * end, to huge numbers), cut short or made to point into themselves, a few
 * thousand of them from a fixed seed. Sharing one must never throw, never
 * write outside the file, never change its length, and come out as the same file blanked whole in
 * memory does; reading a DNG's preview
 * must never throw nor point outside the file.
 */
import { describe, expect, it } from 'vitest'
import { locationPatches } from '../main/chat/photo-metadata.js'
import { scrubTiff } from '../main/core/exif.js'
import { rawPreview } from '../main/core/raw-preview.js'
import { phoneJpeg } from './helpers/jpeg-exif.js'
import { olympusOrf, panasonicRw2, phoneDng, photoTiff, pixels, previewDng } from './helpers/tiff-file.js'

/** The files mutated: every TIFF-built kind the tests build. */
function originals (): Buffer[] {
  return [
    photoTiff('II'), photoTiff('MM'), photoTiff('II', 16, 8, true), photoTiff('MM', 16, 8, true),
    phoneDng('II'), phoneDng('MM'),
    previewDng('II', { jpeg: phoneJpeg('MM'), as: 7 }, 6), previewDng('MM', { jpeg: phoneJpeg('II'), as: 6 }, 3),
    previewDng('II', { rgb: pixels(8 * 4 * 3), width: 8, height: 4 }, 8),
    olympusOrf('IIRO'), olympusOrf('MMOR'), panasonicRw2()
  ]
}

/** How a file shared as TIFF-built starts (TIFF, BigTIFF, ORF, RW2). */
const STARTS = ['II*\0', 'MM\0*', 'II+\0', 'MM\0+', 'IIRO', 'IIRS', 'MMOR', 'IIU\0']

/** A fixed-seed generator of whole numbers below `n`. */
function random (seed: number): (n: number) => number {
  let x = seed
  return n => {
    x = (x * 1103515245 + 12345) % 2 ** 31
    return Math.floor((x / 2 ** 31) * n)
  }
}

/** `file` with a few of its bytes changed as a hostile writer would, or cut short. */
function mutate (file: Buffer, next: (n: number) => number): Buffer {
  const out = Buffer.from(file)
  const interesting = [0, 1, 2, 8, 0xff, 0xffff, 0x7fffffff, 0xffffffff, out.length, out.length - 1, out.length - 4, next(out.length)]
  for (let k = 1 + next(6); k > 0; k--) {
    // The header's bytes and the directories' are the ones read: aim at the start half the time.
    const at = next(2) === 0 ? next(Math.min(out.length, 64)) : next(out.length)
    const how = next(5)
    if (how === 0) out[at] = next(256)
    else if (how === 1 && at + 2 <= out.length) out.writeUInt16LE(interesting[next(interesting.length)]! & 0xffff, at)
    else if (how === 2 && at + 4 <= out.length) out.writeUInt32LE(interesting[next(interesting.length)]! >>> 0, at)
    else if (how === 3 && at + 4 <= out.length) out.writeUInt32BE(interesting[next(interesting.length)]! >>> 0, at)
    else if (how === 4 && at + 8 <= out.length) out.writeBigUInt64LE(BigInt(next(2) === 0 ? interesting[next(interesting.length)]! : 2 ** 53 + next(1000)), at)
  }
  return next(8) === 0 ? out.subarray(0, next(out.length)) : out
}

describe('hostile TIFF-built files', () => {
  it('3,000 mutated TIFFs, BigTIFFs, DNGs, ORFs and RW2s: sharing never throws, writes only inside the file, keeps its length; a preview found is inside the file', async () => {
    const files = originals()
    const next = random(58)
    for (let round = 0; round < 3000; round++) {
      const file = mutate(files[round % files.length]!, next)
      const what = `round ${round}`
      const patches = await locationPatches(async (at, length) => {
        expect(at, what).toBeGreaterThanOrEqual(0)
        expect(length, what).toBeGreaterThanOrEqual(0)
        return file.subarray(at, at + length)
      }, file.length)
      const out = Buffer.from(file)
      for (const p of patches) {
        expect(p.at, what).toBeGreaterThanOrEqual(0)
        expect(p.at + p.bytes.length, what).toBeLessThanOrEqual(file.length)
        out.set(p.bytes, p.at)
      }
      expect(out.length, what).toBe(file.length)
      // The same rules in memory: no throw, and the same bytes out as the file shared piece by piece (of a file
      // shared as one: an EXIF block of any version is walked, a file only when it starts as a TIFF-built one does).
      const inMemory = Buffer.from(file)
      expect(() => scrubTiff(inMemory), what).not.toThrow()
      if (STARTS.includes(file.subarray(0, 4).toString('latin1'))) expect(inMemory.equals(out), what).toBe(true)
      const walk = rawPreview(file.length)
      let step = walk.next()
      for (; step.done !== true; step = walk.next(file.subarray(step.value.at, step.value.at + step.value.length))) {
        expect(step.value.at, what).toBeGreaterThanOrEqual(0)
      }
      const preview = step.value
      if (preview !== undefined) {
        expect(preview.at, what).toBeGreaterThanOrEqual(0)
        expect(preview.length, what).toBeGreaterThan(0)
        expect(preview.at + preview.length, what).toBeLessThanOrEqual(file.length)
      }
    }
  }, 120_000)
})
