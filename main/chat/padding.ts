import { MAX_TEXT_BYTES } from '../core/limits.js'

/**
 * The padded plaintext of a private text (format 2): a relay, another peer or
 * the hub sees each sealed length, so a short text is made as long as a whole
 * bucket before it is sealed, and "yes", a paragraph, a reaction's emoji and a
 * control text of up to 254 bytes all seal to the same size.
 *
 *   [0xFF] [the text's UTF-8] [0x80] [0x00 …] up to bucketOf(text + 2)
 *
 * 0xFF is never a byte of UTF-8, so it never begins a format-1 plaintext (the
 * bare UTF-8 text, decoded fatally); the 0x80 then zeros are ISO/IEC 7816-4
 * padding, undone from the end whatever the text's last bytes are.
 *
 *   bucketOf(5)      // 256
 *   bucketOf(4097)   // 8192
 *   pad(utf8('yes')) // 256 bytes: ff 79 65 73 80 00 …
 */

/** The first byte of a padded plaintext. */
export const PADDED = 0xff
const MARK = 0x80
/** Up to PAD_LINEAR a plaintext grows to the next multiple of PAD_STEP; past it, to the next power of two. */
export const PAD_STEP = 256
export const PAD_LINEAR = 4096

/**
 * The size a padded plaintext of at least `bytes` bytes is made: undefined past
 * MAX_TEXT_BYTES, the longest sealed plaintext a receiver accepts
 * (MAX_SEALED_BYTES less the nonce and tag).
 */
export function bucketOf (bytes: number): number | undefined {
  if (bytes > MAX_TEXT_BYTES) return undefined
  if (bytes <= PAD_LINEAR) return Math.max(PAD_STEP, Math.ceil(bytes / PAD_STEP) * PAD_STEP)
  let size = PAD_LINEAR
  while (size < bytes) size *= 2
  return Math.min(size, MAX_TEXT_BYTES)
}

/** A text's UTF-8, padded; undefined when it is too long to pad within the limit (it then goes unpadded). */
export function pad (text: Uint8Array): Uint8Array | undefined {
  const size = bucketOf(text.byteLength + 2)
  if (size === undefined) return undefined
  const out = new Uint8Array(size)
  out[0] = PADDED
  out.set(text, 1)
  out[text.byteLength + 1] = MARK
  return out
}

/** Whether an opened plaintext is padded (format 2). */
export function isPadded (plain: Uint8Array): boolean { return plain[0] === PADDED }

/** The text's UTF-8 inside a padded plaintext; undefined when the padding is not 0x80 then zeros. */
export function unpad (plain: Uint8Array): Uint8Array | undefined {
  let end = plain.byteLength - 1
  while (end > 0 && plain[end] === 0) end--
  if (end < 1 || plain[end] !== MARK) return undefined
  return plain.subarray(1, end)
}
