import { deflateSync } from 'node:zlib'
import { pngChunk } from './png.js'

/**
 * Pictures as a hostile peer makes them, each a header that says what it is, for the thumbnail
 * checks (main/core/picture.ts): small on the wire, huge or moving once decoded.
 */

/**
 * A black-and-white PNG of w×h, one bit a pixel, every pixel 0, so it deflates about a
 * thousandfold; `rows` cuts the image data short after that many rows (a decoder still makes
 * room for all of it). 16,000 × 16,000 whole is about 31 KB; 23,000 × 23,000 cut to 4 rows, 79 bytes.
 */
export function bombPng (w: number, h: number, rows = h, extra: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 1
  ihdr[9] = 0
  const idat = deflateSync(Buffer.alloc((Math.ceil(w / 8) + 1) * rows), { level: 9 })
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr), ...extra, pngChunk('IDAT', idat), ...(rows === h ? [pngChunk('IEND', Buffer.alloc(0))] : [])])
}

/** An APNG header: `bombPng` with an animation control chunk of `frames` frames. */
export function animatedPng (w: number, h: number, frames: number): Buffer {
  const actl = Buffer.alloc(8)
  actl.writeUInt32BE(frames, 0)
  return bombPng(w, h, h, [pngChunk('acTL', actl)])
}

/** A GIF of `frames` one-colour frames of w×h on a w×h screen (each frame a few bytes). */
export function gif (w: number, h: number, frames: number, screen: { w: number, h: number } = { w, h }): Buffer {
  const head = Buffer.alloc(13)
  head.write('GIF89a', 0, 'latin1')
  head.writeUInt16LE(screen.w, 6)
  head.writeUInt16LE(screen.h, 8)
  head[10] = 0x80 // a global colour table of 2 entries
  const parts = [head, Buffer.from([0, 0, 0, 255, 255, 255])]
  for (let i = 0; i < frames; i++) {
    parts.push(Buffer.from([0x21, 0xf9, 4, 0, 10, 0, 0, 0])) // graphic control: 0.1 s
    const d = Buffer.alloc(10)
    d[0] = 0x2c
    d.writeUInt16LE(w, 5)
    d.writeUInt16LE(h, 7)
    parts.push(d, Buffer.from([2, 2, 0x4c, 0x01, 0])) // LZW code size 2, one sub-block, end
  }
  parts.push(Buffer.from([0x3b]))
  return Buffer.concat(parts)
}

function riff (chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), ...chunks])
  const head = Buffer.alloc(8)
  head.write('RIFF', 0, 'latin1')
  head.writeUInt32LE(body.length, 4)
  return Buffer.concat([head, body])
}

function riffChunk (type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.write(type, 0, 'latin1')
  head.writeUInt32LE(data.length, 4)
  return Buffer.concat([head, data, data.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)])
}

/** A lossless WebP's header of w×h (a decoder reads its size from these 5 bytes). */
export function webpLossless (w: number, h: number): Buffer {
  const d = Buffer.alloc(5)
  d[0] = 0x2f
  d.writeUInt32LE(((w - 1) & 0x3fff) | (((h - 1) & 0x3fff) << 14), 1)
  return riff([riffChunk('VP8L', d)])
}

/** An extended WebP's header: a canvas of w×h, animated or not. */
export function webpExtended (w: number, h: number, animated: boolean): Buffer {
  const d = Buffer.alloc(10)
  d[0] = animated ? 0x02 : 0x10
  d.writeUIntLE(w - 1, 4, 3)
  d.writeUIntLE(h - 1, 7, 3)
  return riff([riffChunk('VP8X', d), riffChunk(animated ? 'ANIM' : 'VP8L', Buffer.alloc(6))])
}

/** A lossy WebP's header of w×h. */
export function webpLossy (w: number, h: number): Buffer {
  const d = Buffer.alloc(10)
  d.set([0x9d, 0x01, 0x2a], 3)
  d.writeUInt16LE(w, 6)
  d.writeUInt16LE(h, 8)
  return riff([riffChunk('VP8 ', d)])
}

/** A baseline JPEG's headers of w×h: SOI, an APP0 and the frame header (SOF0). */
export function jpegHeader (w: number, h: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0, 16, ...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0])
  const sof = Buffer.from([0xff, 0xc0, 0, 11, 8, h >> 8, h & 255, w >> 8, w & 255, 1, 1, 0x11, 0])
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])])
}
