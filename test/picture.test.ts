import { describe, expect, it } from 'vitest'
import { validateManifest, type FileManifest } from '../main/core/file.js'
import { pictureOf } from '../main/core/picture.js'
import { png } from './helpers/png.js'
import { animatedPng, bombPng, gif, jpegHeader, webpExtended, webpLossless, webpLossy } from './helpers/pictures.js'

const file: FileManifest = { name: 'a.png', size: 100, mime: 'image/png', sha256: 'a'.repeat(64), chunkSize: 16 * 1024, chunksRoot: 'b'.repeat(64) }
const withThumb = (bytes: Buffer, mime: string): FileManifest => ({ ...file, thumbnail: new Uint8Array(bytes), thumbnailMime: mime })
const refused = (m: FileManifest): string => {
  try {
    validateManifest(m)
  } catch (err) {
    expect((err as Error).name).toBe('InvalidManifestError')
    return (err as Error).message
  }
  return 'taken'
}

describe('what a picture header says', () => {
  it('reads the size and motion of PNG, JPEG, GIF and WebP from their first bytes', () => {
    expect(pictureOf(png(240, 160))).toEqual({ type: 'png', width: 240, height: 160, animated: false })
    expect(pictureOf(animatedPng(10, 10, 500))).toMatchObject({ type: 'png', animated: true })
    expect(pictureOf(jpegHeader(200, 150))).toEqual({ type: 'jpeg', width: 200, height: 150, animated: false })
    expect(pictureOf(gif(40, 30, 1))).toEqual({ type: 'gif', width: 40, height: 30, animated: false })
    expect(pictureOf(gif(40, 30, 300))).toMatchObject({ type: 'gif', animated: true })
    // A frame larger than the screen it is drawn on makes the canvas larger.
    expect(pictureOf(gif(30_000, 10, 1, { w: 10, h: 10 }))).toMatchObject({ width: 30_000 })
    expect(pictureOf(webpLossless(16_383, 16_383))).toEqual({ type: 'webp', width: 16_383, height: 16_383, animated: false })
    expect(pictureOf(webpExtended(240, 100, false))).toEqual({ type: 'webp', width: 240, height: 100, animated: false })
    expect(pictureOf(webpExtended(240, 100, true))).toMatchObject({ animated: true })
    expect(pictureOf(webpLossy(123, 45))).toEqual({ type: 'webp', width: 123, height: 45, animated: false })
    for (const junk of [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), Buffer.from('<html><body>hi'), Buffer.alloc(0), Buffer.from([0x89, 0x50])]) expect(pictureOf(junk)).toBeUndefined()
  })
})

describe('a thumbnail from the network', () => {
  it('is taken when it is a still picture of at most 1024 px a side, of the type it says', () => {
    expect(refused(withThumb(png(240, 160), 'image/png'))).toBe('taken')
    expect(refused(withThumb(jpegHeader(240, 180), 'image/jpeg'))).toBe('taken')
    expect(refused(withThumb(webpExtended(240, 240, false), 'image/webp'))).toBe('taken')
    expect(refused(withThumb(gif(64, 64, 1), 'image/gif'))).toBe('taken')
  })

  it('is refused when it would take the window gigabytes to decode, moves, or is not what it says', () => {
    // 31 KB on the wire, 1 GB decoded; 79 bytes, 2 GB.
    expect(bombPng(16_000, 16_000).length).toBeLessThanOrEqual(32 * 1024)
    expect(refused(withThumb(bombPng(16_000, 16_000), 'image/png'))).toMatch(/16000×16000/)
    expect(refused(withThumb(bombPng(23_000, 23_000, 4), 'image/png'))).toMatch(/23000×23000/)
    expect(refused(withThumb(webpLossless(16_383, 16_383), 'image/webp'))).toMatch(/16383×16383/)
    expect(refused(withThumb(jpegHeader(60_000, 60_000), 'image/jpeg'))).toMatch(/60000×60000/)
    expect(refused(withThumb(gif(30_000, 10, 1, { w: 10, h: 10 }), 'image/gif'))).toMatch(/30000×10/)
    expect(refused(withThumb(gif(240, 240, 1000), 'image/gif'))).toMatch(/animated/)
    expect(refused(withThumb(animatedPng(100, 100, 1000), 'image/png'))).toMatch(/animated/)
    expect(refused(withThumb(webpExtended(100, 100, true), 'image/webp'))).toMatch(/animated/)
    expect(refused(withThumb(png(240, 160), 'image/jpeg'))).toMatch(/not the picture its type says/)
    expect(refused(withThumb(Buffer.from('<svg onload="alert(1)"/>'), 'image/png'))).toMatch(/not a picture/)
  })
})
