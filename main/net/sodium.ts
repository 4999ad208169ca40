/**
 * libsodium through the `sodium-native` package's prebuilt Node-API addon,
 * when it loads here (it has builds for the desktop app's platforms; Electron
 * loads it as it is). Used where it is faster than, or present where not,
 * `node:crypto`: Noise's cipher on Electron (noise-crypto.ts), Ed25519
 * signing and verification (chat/verify.ts) and XChaCha20-Poly1305 (chat/aead.ts). Undefined when the addon does not load: the
 * callers then stay with `node:crypto` or the library's default.
 */
import { createRequire } from 'node:module'

/** The libsodium calls used in LAN Chat (sodium-native's names and argument order). */
export interface Sodium {
  crypto_aead_chacha20poly1305_ietf_encrypt: (c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array) => number
  /** Throws when the tag does not verify. */
  crypto_aead_chacha20poly1305_ietf_decrypt: (m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array) => number
  crypto_sign_verify_detached: (sig: Uint8Array, m: Uint8Array, pk: Uint8Array) => boolean
  /** `sk`: the 32-byte seed then the public key, as libp2p keeps an Ed25519 private key. */
  crypto_sign_detached: (sig: Uint8Array, m: Uint8Array, sk: Uint8Array) => void
  crypto_aead_xchacha20poly1305_ietf_encrypt: (c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array) => number
  /** Throws when the tag does not verify. */
  crypto_aead_xchacha20poly1305_ietf_decrypt: (m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array) => number
}

let loaded: Sodium | null | undefined

export function loadSodium (): Sodium | undefined {
  if (loaded === undefined) {
    try {
      // A runtime require, so the bundler leaves the addon's loader alone (electron.vite.config.ts marks it external too).
      const s = createRequire(import.meta.url)('sodium-native') as Partial<Sodium>
      loaded = typeof s.crypto_aead_chacha20poly1305_ietf_encrypt === 'function' &&
        typeof s.crypto_aead_chacha20poly1305_ietf_decrypt === 'function' &&
        typeof s.crypto_sign_verify_detached === 'function' &&
        typeof s.crypto_sign_detached === 'function' &&
        typeof s.crypto_aead_xchacha20poly1305_ietf_encrypt === 'function' &&
        typeof s.crypto_aead_xchacha20poly1305_ietf_decrypt === 'function'
        ? s as Sodium
        : null
    } catch {
      loaded = null
    }
  }
  return loaded ?? undefined
}
