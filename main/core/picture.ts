/**
 * What a picture's own header says it is: its format, its size in pixels and
 * whether it moves, read from the first bytes of a PNG, JPEG, GIF or WebP
 * without decoding it. A thumbnail comes from the network and the window
 * decodes it to width × height × 4 bytes whatever its size on the wire: a PNG
 * of 79 bytes can say 23,000 × 23,000 (2 GB to decode, seconds of a frozen
 * window), so the engine reads the header first (file.ts).
 *
 * @example
 * ```ts
 * pictureOf(pngBytes) // { type: 'png', width: 240, height: 160, animated: false }
 * pictureOf(new Uint8Array([1, 2, 3])) // undefined
 * ```
 */

export interface Picture {
  type: 'png' | 'jpeg' | 'gif' | 'webp'
  width: number
  height: number
  /** More than one frame (an APNG, an animated GIF or WebP). */
  animated: boolean
}

const ascii = (b: Uint8Array, at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n))
const u16be = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!
const u16le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8)
const u24le = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)
const u32be = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!
const u32le = (b: Uint8Array, at: number): number => u24le(b, at) + ((b[at + 3]! << 24) >>> 0)

/** The picture `bytes` hold, by their own signature (never a MIME type), or undefined when they are none of the four or too short to say. */
export function pictureOf (bytes: Uint8Array): Picture | undefined {
  if (bytes.length >= 24 && ascii(bytes, 1, 3) === 'PNG' && bytes[0] === 0x89) return png(bytes)
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes)
  if (bytes.length >= 13 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return gif(bytes)
  if (bytes.length >= 20 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webp(bytes)
  return undefined
}

/** IHDR first; an acTL chunk before the image data makes it an APNG. */
function png (b: Uint8Array): Picture | undefined {
  if (ascii(b, 12, 4) !== 'IHDR') return undefined
  let animated = false
  for (let at = 8; at + 8 <= b.length;) {
    const type = ascii(b, at + 4, 4)
    if (type === 'acTL') animated = true
    if (type === 'IDAT') break
    at += 12 + u32be(b, at)
  }
  return { type: 'png', width: u32be(b, 16), height: u32be(b, 20), animated }
}

/** The first start-of-frame segment's size; markers before it are skipped by their lengths. */
function jpeg (b: Uint8Array): Picture | undefined {
  let at = 2
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined
    const marker = b[at + 1]!
    if (marker === 0xff) { at++; continue }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { at += 2; continue }
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return undefined
      return { type: 'jpeg', width: u16be(b, at + 7), height: u16be(b, at + 5), animated: false }
    }
    // Image data (SOS) or the end before any frame header: no size to read.
    if (marker === 0xda || marker === 0xd9) return undefined
    at += 2 + u16be(b, at + 2)
  }
  return undefined
}

/**
 * The logical screen, grown to hold every frame (a decoder draws each frame on a canvas that
 * holds them all), and whether there is more than one frame. A file cut short counts what came.
 */
function gif (b: Uint8Array): Picture | undefined {
  let width = u16le(b, 6)
  let height = u16le(b, 8)
  let at = 13 + ((b[10]! & 0x80) !== 0 ? 3 * (2 << (b[10]! & 7)) : 0)
  let frames = 0
  const skipBlocks = (): void => { while (at < b.length && b[at] !== 0) at += 1 + b[at]!; at++ }
  while (at < b.length) {
    const kind = b[at]
    if (kind === 0x3b) break
    if (kind === 0x21) { at += 2; skipBlocks(); continue }
    if (kind !== 0x2c || at + 10 > b.length) break
    frames++
    width = Math.max(width, u16le(b, at + 1) + u16le(b, at + 5))
    height = Math.max(height, u16le(b, at + 3) + u16le(b, at + 7))
    const flags = b[at + 9]!
    at += 10 + ((flags & 0x80) !== 0 ? 3 * (2 << (flags & 7)) : 0) + 1
    skipBlocks()
  }
  return { type: 'gif', width, height, animated: frames > 1 }
}

/** Its first chunk: VP8X (a canvas, with an animation flag), VP8L (lossless) or VP8 (lossy). */
function webp (b: Uint8Array): Picture | undefined {
  const chunk = ascii(b, 12, 4)
  const data = 20
  if (chunk === 'VP8X' && b.length >= data + 10) {
    return { type: 'webp', width: u24le(b, data + 4) + 1, height: u24le(b, data + 7) + 1, animated: (b[data]! & 0x02) !== 0 }
  }
  if (chunk === 'VP8L' && b.length >= data + 5 && b[data] === 0x2f) {
    const bits = u32le(b, data + 1)
    return { type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, animated: false }
  }
  if (chunk === 'VP8 ' && b.length >= data + 10 && b[data + 3] === 0x9d && b[data + 4] === 0x01 && b[data + 5] === 0x2a) {
    return { type: 'webp', width: u16le(b, data + 6) & 0x3fff, height: u16le(b, data + 8) & 0x3fff, animated: false }
  }
  return undefined
}
