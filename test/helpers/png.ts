import { crc32, deflateSync } from 'node:zlib'

/** A PNG chunk: its length, type, data and checksum. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A PNG of w×h from its pixels: `pixel(x, y)` gives each one's channels, 3 (RGB) or 4 (RGBA) as `channels` says. */
function encodePng(w: number, h: number, channels: 3 | 4, pixel: (x: number, y: number) => readonly number[] | undefined): Buffer {
  const chunk = pngChunk
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = channels === 3 ? 2 : 6
  const rows: Buffer[] = []
  for (let y = 0; y < h; y++) {
    // Each row starts with its filter byte (0: none); a pixel left undefined stays zeros (transparent in RGBA).
    const row = Buffer.alloc(1 + w * channels)
    for (let x = 0; x < w; x++) {
      const p = pixel(x, y)
      if (p !== undefined) row.set(p, 1 + x * channels)
    }
    rows.push(row)
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))])
}

/** A real PNG (w×h, a colour gradient), so a page can decode it and make a thumbnail. */
export function png(w: number, h: number): Buffer {
  return encodePng(w, h, 3, (x, y) => {
    // A sunset: orange sky fading to violet, a darker hill at the bottom.
    const sky = y / h
    const hill = y > h * (0.72 + 0.08 * Math.sin((x / w) * Math.PI * 2))
    return hill ? [40, 60 + 30 * sky, 70] : [250 - 120 * sky, 150 - 90 * sky, 80 + 100 * sky]
  })
}

/** A logo as people share one: a black bar on a transparent background (RGBA), w×h. */
export function logoPng(w: number, h: number): Buffer {
  return encodePng(w, h, 4, (x, y) => (x > w / 10 && x < (w * 9) / 10 && y > h * 0.4 && y < h * 0.6 ? [0, 0, 0, 255] : undefined))
}
