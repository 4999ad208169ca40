import { randomBytes } from 'node:crypto'
import { open, rm, type FileHandle } from 'node:fs/promises'
import { readFull } from '../store/blobs.js'
import { xchacha } from './aead.js'
import { FileDecryptError } from './errors.js'

/**
 * The bytes of a file shared in a direct message or an invite-only room,
 * encrypted before they leave the sender, with audited primitives only
 * (XChaCha20-Poly1305 from libsodium or @noble/ciphers: aead.ts; randomness
 * from node:crypto).
 *
 * Each file gets a random 32-byte key and a random 19-byte nonce prefix.
 * The plaintext is cut into segments of `chunkSize - 16` bytes and each is
 * sealed on its own, so one ciphertext segment is exactly one transfer
 * chunk: a downloader checks each chunk's hash as for any file, and
 * decrypts chunk by chunk with memory that does not grow with the file.
 * A segment's nonce is the prefix, its index (4 bytes, big-endian) and a
 * last-segment flag (the STREAM construction): segments cannot be
 * reordered or swapped (each opens only at its own index), and a file cut
 * short at a segment boundary fails (its new last segment was not sealed as
 * the last). An empty file is one empty segment, so there is always one.
 *
 * @example
 * ```ts
 * const secret = newFileSecret()
 * await encryptFile('photo.jpg', 'photo.enc', secret, 256 * 1024)
 * await decryptFile('photo.enc', 'photo.out', secret, 256 * 1024) // FileDecryptError if altered
 * ```
 */

export const TAG_BYTES = 16
const PREFIX_BYTES = 19
const KEY_BYTES = 32

export interface FileSecret {
  /** 32 random bytes. */
  key: Uint8Array
  /** 19 random bytes, the start of every segment's nonce. */
  nonce: Uint8Array
}

export function newFileSecret (): FileSecret {
  return { key: new Uint8Array(randomBytes(KEY_BYTES)), nonce: new Uint8Array(randomBytes(PREFIX_BYTES)) }
}

/** Whether `key` and `nonce` have the lengths a file secret has (from the wire: checked before use). */
export function isFileSecret (s: { key: Uint8Array, nonce: Uint8Array }): boolean {
  return s.key.byteLength === KEY_BYTES && s.nonce.byteLength === PREFIX_BYTES
}

/** Segment `index`'s nonce: the prefix, the index, and whether it is the last. */
export function segmentNonce (prefix: Uint8Array, index: number, last: boolean): Uint8Array {
  const nonce = new Uint8Array(24)
  nonce.set(prefix)
  new DataView(nonce.buffer).setUint32(PREFIX_BYTES, index)
  nonce[23] = last ? 1 : 0
  return nonce
}

/** How many segments a plaintext of `size` bytes makes (at least one). */
export function segmentCount (size: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(size / (chunkSize - TAG_BYTES)))
}

/**
 * How many of the real file's bytes `bytes` of its ciphertext hold: each chunk is one sealed
 * segment, so its tag is not the file's (only the last chunk is short, so at most one is partial).
 */
export function plainBytes (bytes: number, chunkSize: number): number {
  return Math.max(0, bytes - TAG_BYTES * Math.ceil(bytes / chunkSize))
}

/** The ciphertext's size for a plaintext of `size` bytes. */
export function encryptedSize (size: number, chunkSize: number): number {
  return size + segmentCount(size, chunkSize) * TAG_BYTES
}

export function sealSegment (s: FileSecret, index: number, last: boolean, plain: Uint8Array): Uint8Array {
  return xchacha.seal(s.key, segmentNonce(s.nonce, index, last), undefined, plain)
}

/** A segment's plaintext; FileDecryptError when it is not segment `index` (or not the last when `last`) of this file. */
export function openSegment (s: FileSecret, index: number, last: boolean, sealed: Uint8Array): Uint8Array {
  try {
    return xchacha.open(s.key, segmentNonce(s.nonce, index, last), undefined, sealed)
  } catch {
    throw new FileDecryptError(`segment ${index} of the file does not decrypt: a wrong key, or the ciphertext was altered, reordered or cut short`)
  }
}

/** Encrypt file `src` into `dst` (created or truncated), one segment at a time; answers the plaintext's size. */
export async function encryptFile (src: string, dst: string, s: FileSecret, chunkSize: number, signal?: AbortSignal): Promise<number> {
  return await transform(src, dst, async (input, output) => {
    const { size } = await input.stat()
    const count = segmentCount(size, chunkSize)
    const plainBytes = chunkSize - TAG_BYTES
    const buf = Buffer.allocUnsafe(plainBytes)
    let written = 0
    let plain = 0
    for (let i = 0; i < count; i++) {
      signal?.throwIfAborted()
      const n = await readFull(input, buf, i * plainBytes)
      const last = i === count - 1
      if (!last && n !== plainBytes) throw new Error(`${src} changed while it was encrypted`)
      plain += n
      const sealed = sealSegment(s, i, last, buf.subarray(0, n))
      await output.write(sealed, 0, sealed.byteLength, written)
      written += sealed.byteLength
    }
    return plain
  })
}

/**
 * Decrypt ciphertext `src` into `dst`, segment by segment, checking the
 * plaintext comes to `size` bytes; on any failure `dst` is removed and
 * FileDecryptError thrown.
 */
export async function decryptFile (src: string, dst: string, s: FileSecret, chunkSize: number, size?: number): Promise<void> {
  await transform(src, dst, async (input, output) => {
    const { size: cipherSize } = await input.stat()
    const count = Math.ceil(cipherSize / chunkSize)
    if (count === 0) throw new FileDecryptError('the encrypted file is empty: it was cut short')
    const buf = Buffer.allocUnsafe(chunkSize)
    let written = 0
    for (let i = 0; i < count; i++) {
      const n = await readFull(input, buf, i * chunkSize)
      const plain = openSegment(s, i, i === count - 1, buf.subarray(0, n))
      await output.write(plain, 0, plain.byteLength, written)
      written += plain.byteLength
    }
    if (size !== undefined && written !== size) throw new FileDecryptError(`the file decrypts to ${written} bytes, not the ${size} its message says`)
  })
}

/**
 * Decrypt `src` into memory (a picture the window shows: the plaintext of a private file is never
 * written anywhere for it). `size`, the file's size as its sealed description says, is checked before
 * anything is read, and against what it decrypts to.
 */
export async function decryptToBuffer (src: string, s: FileSecret, chunkSize: number, size: number): Promise<Buffer> {
  const input = await open(src, 'r')
  try {
    const { size: cipherSize } = await input.stat()
    const count = Math.ceil(cipherSize / chunkSize)
    if (count === 0) throw new FileDecryptError('the encrypted file is empty: it was cut short')
    if (cipherSize !== encryptedSize(size, chunkSize)) throw new FileDecryptError(`the encrypted file is ${cipherSize} bytes, not what ${size} bytes encrypt to`)
    const out = Buffer.allocUnsafe(size)
    const buf = Buffer.allocUnsafe(chunkSize)
    let written = 0
    for (let i = 0; i < count; i++) {
      const n = await readFull(input, buf, i * chunkSize)
      const plain = openSegment(s, i, i === count - 1, buf.subarray(0, n))
      if (written + plain.byteLength > size) throw new FileDecryptError(`the file decrypts to more than the ${size} bytes its message says`)
      out.set(plain, written)
      written += plain.byteLength
    }
    if (written !== size) throw new FileDecryptError(`the file decrypts to ${written} bytes, not the ${size} its message says`)
    return out
  } finally {
    await input.close()
  }
}

/** Run `work` from `src` into `dst` and sync it; on any failure `dst` is removed and the error passed on. */
async function transform<T> (src: string, dst: string, work: (input: FileHandle, output: FileHandle) => Promise<T>): Promise<T> {
  const input = await open(src, 'r')
  const output = await open(dst, 'w').catch(async (err: unknown) => { await input.close(); throw err })
  try {
    const result = await work(input, output)
    await output.sync()
    return result
  } catch (err) {
    await output.close()
    await rm(dst, { force: true })
    throw err
  } finally {
    await input.close()
    await output.close().catch(() => {})
  }
}
