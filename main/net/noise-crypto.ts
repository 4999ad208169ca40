/**
 * Noise's crypto with the ChaCha20-Poly1305 key imported once per key, not
 * once per frame.
 *
 * libp2p-noise's default hands its cipher state's key to Node's
 * `createCipheriv` as raw bytes for every frame (up to 64 KiB), and Node then
 * imports that key anew each time: in a profile of a file transfer that was
 * 8% of the time, next to 10% for the cipher itself. Here the key becomes a
 * `KeyObject` (`createSecretKey`) the first time it is seen and that object is
 * handed to Node's own audited cipher for every later frame; the AEAD, the
 * nonce, the associated data and the tag are exactly the default's. No
 * primitive is implemented here: X25519, SHA-256 and HKDF are the default's
 * own.
 *
 * A runtime whose `node:crypto` lacks ChaCha20-Poly1305 is the desktop app's:
 * Electron builds Node's crypto on BoringSSL, and there the default seals
 * every frame with its WebAssembly cipher, an order of magnitude slower than
 * a native one (BENCHMARKS.md). There the same AEAD is taken from libsodium
 * (the `sodium-native` package's prebuilt Node-API addon, which Electron
 * loads as it is): `crypto_aead_chacha20poly1305_ietf`, RFC 8439's
 * construction, byte for byte what OpenSSL and the default produce. Without
 * the addon (a platform it has no build for) the default stays.
 *
 *   import { noise } from '@chainsafe/libp2p-noise'
 *   createLibp2p({ connectionEncrypters: [noise({ crypto: noiseCrypto })], … })
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto'
import type { ICryptoInterface } from '@chainsafe/libp2p-noise'
import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import { Uint8ArrayList } from 'uint8arraylist'
import { loadSodium, type Sodium } from './sodium.js'

/** Noise's byte types (it carries its own copy of uint8arraylist; lists of either version work together, by a shared symbol). */
type Bytes = Parameters<ICryptoInterface['chaCha20Poly1305Encrypt']>[0]
type Out = ReturnType<ICryptoInterface['chaCha20Poly1305Encrypt']>
const asOut = (list: Uint8ArrayList): Out => list.byteLength === 0 ? new Uint8Array(0) : list as unknown as Out

const CHACHA = 'chacha20-poly1305'
const TAG = 16
/** Below this the default's WebAssembly cipher is faster than creating a Node cipher (its own threshold). */
const SMALL = 1200

/** Whether this runtime's `node:crypto` has the AEAD (Node's OpenSSL does; Electron's BoringSSL may not). */
function hasNodeChaCha (): boolean {
  try {
    createCipheriv(CHACHA, Buffer.alloc(32), Buffer.alloc(12), { authTagLength: TAG })
    return true
  } catch {
    return false
  }
}

/**
 * The key object for `k`, made once. Noise keeps one key array per cipher
 * state for the connection's life, so the array is the cache key; its bytes
 * are compared on every use too (32 bytes), so a key array changed in place
 * is imported again, never used with a stale key.
 */
const keys = new WeakMap<Uint8Array, { bytes: Buffer, key: KeyObject }>()
function keyOf (k: Uint8Array): KeyObject {
  const hit = keys.get(k)
  if (hit !== undefined && hit.bytes.equals(k)) return hit.key
  const bytes = Buffer.from(k)
  const key = createSecretKey(bytes)
  keys.set(k, { bytes, key })
  return key
}

function encrypt (plaintext: Bytes, nonce: Uint8Array, ad: Uint8Array, k: Uint8Array): Out {
  if (plaintext.byteLength < SMALL) return defaultCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
  const cipher = createCipheriv(CHACHA, keyOf(k), nonce, { authTagLength: TAG })
  cipher.setAAD(ad, { plaintextLength: plaintext.byteLength })
  // The pieces are handed on as they are: Noise puts them in its own list, so joining them here would be a copy for nothing.
  const out = new Uint8ArrayList()
  if (plaintext instanceof Uint8Array) out.append(cipher.update(plaintext))
  else for (const buf of plaintext) out.append(cipher.update(buf))
  const final = cipher.final()
  if (final.byteLength > 0) out.append(final)
  out.append(cipher.getAuthTag())
  return asOut(out)
}

function decrypt (ciphertext: Bytes, nonce: Uint8Array, ad: Uint8Array, k: Uint8Array, dst?: Uint8Array): Out {
  if (ciphertext.byteLength < SMALL) return defaultCrypto.chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k, dst)
  const decipher = createDecipheriv(CHACHA, keyOf(k), nonce, { authTagLength: TAG })
  const textLength = ciphertext.byteLength - TAG
  decipher.setAAD(ad, { plaintextLength: textLength })
  decipher.setAuthTag(ciphertext.subarray(textLength))
  const out = new Uint8ArrayList()
  if (ciphertext instanceof Uint8Array) out.append(decipher.update(ciphertext.subarray(0, textLength)))
  else for (const buf of ciphertext.sublist(0, textLength)) out.append(decipher.update(buf))
  // Throws when the tag does not match: nothing decrypted is handed on.
  const final = decipher.final()
  if (final.byteLength > 0) out.append(final)
  return asOut(out)
}

/** One contiguous view of Noise's bytes (a list of pieces is joined: libsodium takes one buffer). */
const whole = (b: Bytes): Uint8Array => b instanceof Uint8Array ? b : b.subarray()

function sodiumCrypto (sodium: Sodium): Pick<ICryptoInterface, 'chaCha20Poly1305Encrypt' | 'chaCha20Poly1305Decrypt'> {
  return {
    chaCha20Poly1305Encrypt: (plaintext, nonce, ad, k) => {
      const m = whole(plaintext)
      const c = Buffer.allocUnsafe(m.byteLength + TAG)
      sodium.crypto_aead_chacha20poly1305_ietf_encrypt(c, m, ad, null, nonce, k)
      return c as unknown as Out
    },
    chaCha20Poly1305Decrypt: (ciphertext, nonce, ad, k) => {
      const c = whole(ciphertext)
      if (c.byteLength < TAG) throw new Error('ciphertext shorter than its tag')
      const m = Buffer.allocUnsafe(c.byteLength - TAG)
      // Throws when the tag does not match: nothing decrypted is handed on.
      sodium.crypto_aead_chacha20poly1305_ietf_decrypt(m, null, c, ad, nonce, k)
      return m as unknown as Out
    }
  }
}

const native = hasNodeChaCha()
const sodium = native ? undefined : loadSodium()

/**
 * The default, with ChaCha20-Poly1305 through cached key objects where
 * `node:crypto` has it, or through libsodium where it does not and the addon
 * loads.
 */
export const noiseCrypto: ICryptoInterface = native
  ? { ...defaultCrypto, chaCha20Poly1305Encrypt: encrypt, chaCha20Poly1305Decrypt: decrypt }
  : sodium !== undefined
    ? { ...defaultCrypto, ...sodiumCrypto(sodium) }
    : defaultCrypto

/**
 * Which cipher Noise runs here, in words for the socket panel: Node's own,
 * libsodium's (the desktop app, on Electron's BoringSSL), or the library's
 * WebAssembly one when neither is there.
 */
export const noiseCipher = native
  ? "ChaCha20-Poly1305 (native, this runtime's crypto)"
  : sodium !== undefined
    ? "ChaCha20-Poly1305 (native, libsodium: this runtime's crypto has none, as in Electron)"
    : "ChaCha20-Poly1305 (WebAssembly: this runtime's crypto has no native one, and libsodium did not load)"
