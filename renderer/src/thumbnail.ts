/**
 * The thumbnail the sender's window makes of a picture it attaches: drawn anew
 * on a canvas from the pixels, so none of the file's metadata (a location, a
 * serial) rides along. A DNG, which Chromium cannot decode, is drawn from the
 * preview it carries (core/raw-preview.ts), turned upright as its IFD0 says
 * (the preview's own EXIF orientation, if any, is not applied on top).
 */
import { jpegExifRanges, rawPreview, type RawPreview } from '../../preload/contract'

export type Thumbnail = { data: string; mime: 'image/jpeg' | 'image/webp' | 'image/png' }

/**
 * A preview of at most 240 px a side and 32 KiB, or undefined (not an image the browser can read):
 * a JPEG, or for a picture with transparent parts a WebP (else PNG), which keeps them transparent
 * (a JPEG has none: a logo on a transparent background would come out as a black box).
 */
export async function thumbnailOf(file: File): Promise<Thumbnail | undefined> {
  const raw = isDng(file)
  if (!raw && !file.type.startsWith('image/')) return undefined
  try {
    if (!raw) return drawn(await createImageBitmap(file), 1)
    const preview = await previewOf(file)
    return preview === undefined ? undefined : drawn(await bitmapOf(file, preview), preview.orientation)
  } catch {
    // Not decodable here: the file is sent without a preview.
    return undefined
  }
}

/** A DNG by its type or its name (a desktop may give none). */
function isDng(file: File): boolean {
  return file.type === 'image/x-adobe-dng' || /\.dng$/i.test(file.name)
}

/** Where the DNG's preview is: only its directories are read. */
async function previewOf(file: File): Promise<RawPreview | undefined> {
  const walk = rawPreview(file.size)
  for (let step = walk.next(); ;) {
    if (step.done === true) return step.value
    const { at, length } = step.value
    step = walk.next(new Uint8Array(await file.slice(at, at + length).arrayBuffer()))
  }
}

async function bitmapOf(file: File, preview: RawPreview): Promise<ImageBitmap> {
  const bytes = file.slice(preview.at, preview.at + preview.length)
  if (preview.kind === 'jpeg') {
    // Without its own EXIF segments: IFD0's orientation turns it (drawn()), not that one again as it is decoded.
    const head = new Uint8Array(await bytes.slice(0, 256 * 1024).arrayBuffer())
    const parts: Blob[] = []
    let from = 0
    for (const [start, end] of jpegExifRanges(head)) {
      parts.push(bytes.slice(from, start))
      from = end
    }
    parts.push(bytes.slice(from))
    return await createImageBitmap(new Blob(parts, { type: 'image/jpeg' }))
  }
  const rgb = new Uint8Array(await bytes.arrayBuffer())
  const rgba = new Uint8ClampedArray(preview.width * preview.height * 4)
  for (let p = 0; p < preview.width * preview.height; p++) {
    rgba[4 * p] = rgb[3 * p]!
    rgba[4 * p + 1] = rgb[3 * p + 1]!
    rgba[4 * p + 2] = rgb[3 * p + 2]!
    rgba[4 * p + 3] = 255
  }
  return await createImageBitmap(new ImageData(rgba, preview.width, preview.height))
}

/** `bitmap` drawn at most 240 px a side, turned as EXIF's `orientation` (1 upright … 8) says, then encoded. */
function drawn(bitmap: ImageBitmap, orientation: number): Thumbnail | undefined {
  const scale = Math.min(1, 240 / Math.max(bitmap.width, bitmap.height))
  const width = Math.max(1, Math.round(bitmap.width * scale))
  const height = Math.max(1, Math.round(bitmap.height * scale))
  const sideways = orientation >= 5 && orientation <= 8
  const canvas = document.createElement('canvas')
  canvas.width = sideways ? height : width
  canvas.height = sideways ? width : height
  const g = canvas.getContext('2d')
  // Each orientation's turn and mirror, as the matrix that draws the stored picture upright.
  const turns: Record<number, [number, number, number, number, number, number]> = {
    2: [-1, 0, 0, 1, width, 0], 3: [-1, 0, 0, -1, width, height], 4: [1, 0, 0, -1, 0, height],
    5: [0, 1, 1, 0, 0, 0], 6: [0, 1, -1, 0, height, 0], 7: [0, -1, -1, 0, height, width], 8: [0, -1, 1, 0, 0, width]
  }
  const turn = turns[orientation]
  if (turn !== undefined) g?.transform(...turn)
  g?.drawImage(bitmap, 0, 0, width, height)
  bitmap.close()
  const pixels = g?.getImageData(0, 0, canvas.width, canvas.height).data
  let transparent = false
  for (let i = 3; pixels !== undefined && i < pixels.length && !transparent; i += 4) transparent = pixels[i]! < 255
  const tries = transparent
    ? [...[0.8, 0.6, 0.4, 0.25].map((q) => ['image/webp', q] as const), ['image/png', undefined] as const]
    : [0.8, 0.6, 0.4, 0.25].map((q) => ['image/jpeg', q] as const)
  for (const [mime, quality] of tries) {
    const [head, b64 = ''] = canvas.toDataURL(mime, quality).split(',')
    // A browser that cannot write this type gives a PNG instead: only what was asked for is taken.
    if (head === `data:${mime};base64` && (b64.length * 3) / 4 <= 32 * 1024) return { data: b64, mime }
  }
  return undefined
}
