/**
 * The AEAD of private conversations and files (main/chat/aead.ts): libsodium
 * where its addon loads, @noble/ciphers elsewhere. A peer on one must open
 * what a peer on the other sealed, so both are checked against each other on
 * the same keys, nonces and associated data: the same bytes, each opening the
 * other's, and both refusing what was altered.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { nobleXChaCha, sodiumXChaCha, xchacha, XCHACHA_TAG_BYTES } from '../main/chat/aead.js'
import { open, seal } from '../main/chat/private.js'
import { loadSodium } from '../main/net/sodium.js'
import { newFileSecret, openSegment, sealSegment, segmentNonce } from '../main/chat/file-crypt.js'

const sodium = loadSodium()

describe('XChaCha20-Poly1305 from libsodium and from @noble/ciphers', () => {
  it('libsodium is the one in use here (its prebuilt addon loads on this platform)', () => {
    expect(sodium).toBeDefined()
    expect(xchacha.name).toBe('libsodium')
  })

  it('seals the same bytes, and each opens what the other sealed, from empty to a file segment', () => {
    const native = sodiumXChaCha(sodium!)
    for (const size of [0, 1, 60, 4096, 256 * 1024 - XCHACHA_TAG_BYTES]) {
      const key = randomBytes(32)
      const nonce = randomBytes(24)
      const aad = size % 2 === 0 ? randomBytes(40) : undefined
      const plain = randomBytes(size)
      const a = native.seal(key, nonce, aad, plain)
      const b = nobleXChaCha.seal(key, nonce, aad, plain)
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
      expect(a.byteLength).toBe(size + XCHACHA_TAG_BYTES)
      expect(Buffer.from(nobleXChaCha.open(key, nonce, aad, a)).equals(plain)).toBe(true)
      expect(Buffer.from(native.open(key, nonce, aad, b)).equals(plain)).toBe(true)
    }
  })

  it('both refuse an altered byte, another key, nonce or associated data, and a text too short for its tag', () => {
    const native = sodiumXChaCha(sodium!)
    const key = randomBytes(32)
    const nonce = randomBytes(24)
    const aad = Buffer.from('lanchat private v1\nroom\nann\nben')
    const sealed = native.seal(key, nonce, aad, Buffer.from('meet at noon'))
    const flipped = Uint8Array.from(sealed)
    flipped[3]! ^= 1
    for (const impl of [native, nobleXChaCha]) {
      expect(() => impl.open(key, nonce, aad, flipped)).toThrow()
      expect(() => impl.open(randomBytes(32), nonce, aad, sealed)).toThrow()
      expect(() => impl.open(key, randomBytes(24), aad, sealed)).toThrow()
      expect(() => impl.open(key, nonce, Buffer.from('lanchat private v1\nroom\nann\ncat'), sealed)).toThrow()
      expect(() => impl.open(key, nonce, aad, sealed.subarray(0, 10))).toThrow()
    }
  })

  it('a direct message and a file segment sealed by a peer without the addon open here, and the other way round', () => {
    const key = randomBytes(32)
    const aad = Buffer.from('lanchat private v1\ndm:x\nann\nben')
    // A sealed text is the nonce, then the ciphertext and its tag: what private.seal writes.
    const nonce = randomBytes(24)
    const fromNoble = Buffer.concat([nonce, nobleXChaCha.seal(key, nonce, aad, Buffer.from('from a peer on @noble/ciphers'))])
    expect(open(key, fromNoble, aad)).toBe('from a peer on @noble/ciphers')
    const ours = seal(key, 'from a peer on libsodium', aad)
    expect(Buffer.from(nobleXChaCha.open(key, ours.subarray(0, 24), aad, ours.subarray(24))).toString()).toBe('from a peer on libsodium')

    const secret = newFileSecret()
    const segment = randomBytes(1000)
    expect(Buffer.from(openSegment(secret, 2, true, nobleXChaCha.seal(secret.key, segmentNonce(secret.nonce, 2, true), undefined, segment))).equals(segment)).toBe(true)
    expect(Buffer.from(nobleXChaCha.open(secret.key, segmentNonce(secret.nonce, 2, true), undefined, sealSegment(secret, 2, true, segment))).equals(segment)).toBe(true)
  })
})
