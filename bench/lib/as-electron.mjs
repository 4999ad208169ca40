/**
 * Loaded with `node --import` into a bench's `bin/lanchat` process: Noise's
 * cipher as it is in the desktop app, whose engine runs in Electron's
 * utilityProcess on Electron's Node.
 *
 * Electron builds Node's crypto on BoringSSL, which has no ChaCha20-Poly1305
 * cipher for `createCipheriv` (electron/electron#24024: "Unknown cipher").
 * libp2p-noise alone would then take its WebAssembly ChaCha20-Poly1305 for
 * every frame (it checks for Electron's main or utility process);
 * main/net/noise-crypto.ts finds no native cipher in node:crypto and takes
 * libsodium's (sodium-native) instead. Here both see what they would see
 * there: `process.versions.electron` is set, and the two cipher constructors
 * refuse that one algorithm as BoringSSL's Node does. Nothing else changes:
 * SHA-256, Ed25519 and X25519 stay Node's, as they are in Electron.
 *
 * With AS_ELECTRON_WITHOUT_SODIUM=1 the addon cannot be found either (a
 * platform it has no build for): Noise keeps the library's WebAssembly cipher.
 */
import crypto from 'node:crypto'
import { registerHooks, syncBuiltinESMExports } from 'node:module'

const CHACHA = 'chacha20-poly1305'
Object.defineProperty(process.versions, 'electron', { value: 'emulated-by-bench', enumerable: true })
for (const name of ['createCipheriv', 'createDecipheriv']) {
  const real = crypto[name]
  crypto[name] = function (algorithm, ...rest) {
    if (String(algorithm).toLowerCase() === CHACHA) throw new Error('Unknown cipher')
    return real.call(this, algorithm, ...rest)
  }
}
syncBuiltinESMExports()

if (process.env.AS_ELECTRON_WITHOUT_SODIUM === '1') {
  registerHooks({
    resolve (specifier, context, next) {
      if (specifier === 'sodium-native') throw Object.assign(new Error("Cannot find module 'sodium-native'"), { code: 'MODULE_NOT_FOUND' })
      return next(specifier, context)
    }
  })
}
