/** The segment encryption of private files (main/chat/file-crypt.ts) and the sealed description (sealed-file.ts), without a network. */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { decryptFile, encryptFile, encryptedSize, newFileSecret, openSegment, sealSegment, segmentCount, TAG_BYTES } from '../main/chat/file-crypt.js'
import { decodeSealedFile, encodeSealedFile } from '../main/chat/sealed-file.js'
import { parseControl } from '../main/chat/private-rooms.js'
import { cleanup, tempDir } from './helpers/peers.js'
import { png } from './helpers/png.js'

afterEach(cleanup)

const CHUNK = 16 * 1024

async function encrypted (plain: Buffer): Promise<{ dir: string, cipher: Buffer, secret: ReturnType<typeof newFileSecret> }> {
  const dir = tempDir('lanchat-crypt-')
  writeFileSync(join(dir, 'plain'), plain)
  const secret = newFileSecret()
  expect(await encryptFile(join(dir, 'plain'), join(dir, 'cipher'), secret, CHUNK)).toBe(plain.byteLength)
  return { dir, cipher: readFileSync(join(dir, 'cipher')), secret }
}

async function decrypts (dir: string, cipher: Buffer, secret: ReturnType<typeof newFileSecret>, size?: number): Promise<Buffer> {
  writeFileSync(join(dir, 'in'), cipher)
  await decryptFile(join(dir, 'in'), join(dir, 'out'), secret, CHUNK, size)
  return readFileSync(join(dir, 'out'))
}

describe('segment encryption of private files', () => {
  it.each([0, 1, CHUNK - TAG_BYTES, CHUNK - TAG_BYTES + 1, 5 * (CHUNK - TAG_BYTES), 100_001])('round-trips %i bytes, each ciphertext segment exactly one chunk', async (size) => {
    const plain = randomBytes(size)
    const { dir, cipher, secret } = await encrypted(plain)
    expect(cipher.byteLength).toBe(encryptedSize(size, CHUNK))
    expect(Math.ceil(cipher.byteLength / CHUNK)).toBe(segmentCount(size, CHUNK))
    if (size > 64) expect(cipher.includes(plain.subarray(0, 32))).toBe(false)
    expect((await decrypts(dir, cipher, secret, size)).equals(plain)).toBe(true)
  })

  it('the same file encrypts differently each time (a new key and nonce prefix per file)', async () => {
    const plain = randomBytes(1000)
    const a = await encrypted(plain)
    const b = await encrypted(plain)
    expect(a.cipher.equals(b.cipher)).toBe(false)
  })

  it('refuses swapped or reordered segments, a cut-short file, a flipped bit and a wrong key, and leaves no output', async () => {
    const plain = randomBytes(3 * (CHUNK - TAG_BYTES) + 100)
    const { dir, cipher, secret } = await encrypted(plain)
    const seg = (i: number): Buffer => cipher.subarray(i * CHUNK, (i + 1) * CHUNK)
    const cases: Record<string, [Buffer, ReturnType<typeof newFileSecret>, number | undefined]> = {
      swapped: [Buffer.concat([seg(1), seg(0), seg(2), seg(3)]), secret, undefined],
      // Cut at a segment boundary: every segment left is authentic, but the new last one was not sealed as the last.
      truncated: [cipher.subarray(0, 3 * CHUNK), secret, undefined],
      'last segment dropped, size unchecked': [Buffer.concat([seg(0), seg(1), seg(3)]), secret, undefined],
      flipped: [Buffer.from(cipher).fill(cipher[5]! ^ 1, 5, 6), secret, undefined],
      'wrong key': [cipher, newFileSecret(), undefined],
      'wrong nonce prefix': [cipher, { key: secret.key, nonce: newFileSecret().nonce }, undefined],
      empty: [Buffer.alloc(0), secret, 0]
    }
    for (const [what, [bytes, key, size]] of Object.entries(cases)) {
      await expect(decrypts(dir, bytes, key, size), what).rejects.toMatchObject({ name: 'FileDecryptError' })
      expect(existsSync(join(dir, 'out')), what).toBe(false)
    }
    // A size that disagrees with the sealed description is refused too.
    await expect(decrypts(dir, cipher, secret, plain.byteLength + 1)).rejects.toMatchObject({ name: 'FileDecryptError' })
  })

  it('a segment opens only at its own index and with its own last flag', () => {
    const s = newFileSecret()
    const sealed = sealSegment(s, 3, false, new Uint8Array([1, 2, 3]))
    expect([...openSegment(s, 3, false, sealed)]).toEqual([1, 2, 3])
    expect(() => openSegment(s, 2, false, sealed)).toThrow(expect.objectContaining({ name: 'FileDecryptError' }))
    expect(() => openSegment(s, 3, true, sealed)).toThrow(expect.objectContaining({ name: 'FileDecryptError' }))
  })
})

describe('the sealed description of a private file', () => {
  it('round-trips, and a malformed one is not a file', () => {
    const f = { text: '📎 holiday.png', name: 'holiday.png', mime: 'image/png', size: 1234, ...newFileSecret(), thumbnail: new Uint8Array(png(24, 16)), thumbnailMime: 'image/png' }
    const text = encodeSealedFile(f)
    expect(text.startsWith('\u0000')).toBe(true)
    expect(decodeSealedFile(text)).toEqual(f)
    expect(decodeSealedFile(text.replace('"v":1', '"v":2'))).toBeUndefined()
    expect(decodeSealedFile(encodeSealedFile({ ...f, key: new Uint8Array(5) }))).toBeUndefined()
    expect(decodeSealedFile(encodeSealedFile({ ...f, name: 'a\u0001b' }))).toBeUndefined()
    expect(decodeSealedFile('hello')).toBeUndefined()
  })

  it('is a control text no earlier peer knows: it opens it, finds no control it knows, and shows nothing', () => {
    const text = encodeSealedFile({ text: 'x', name: 'a.txt', mime: 'text/plain', size: 1, ...newFileSecret() })
    // The control parser as it was before files could be private (unchanged): no control, so the message is not shown.
    expect(parseControl(text)).toBeUndefined()
  })
})
