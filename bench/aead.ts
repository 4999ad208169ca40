/**
 * The AEAD that seals direct messages, invite-only rooms and private files
 * (main/chat/aead.ts), both implementations side by side in one run on the
 * same inputs: libsodium (the one in use where its addon loads) and
 * @noble/ciphers (the fallback). Opening is timed: what a reader pays for each
 * message shown or searched, and for each 256 KiB segment of a private file.
 * Each figure is the median of five rounds, rounds alternating between the two.
 */
import { randomBytes } from 'node:crypto'
import { nobleXChaCha, sodiumXChaCha, type XChaCha } from '../main/chat/aead.js'
import { loadSodium } from '../main/net/sodium.js'
import type { AeadRow } from './lib/report.js'
import { median, now } from './lib/stats.js'

export function aeadSection (smoke: boolean, log: (l: string) => void): AeadRow[] {
  const sodium = loadSodium()
  const cases = [
    { what: 'a direct message opened (60 B of text)', bytes: 60, ops: smoke ? 500 : 20_000 },
    { what: 'a private file segment opened (256 KiB)', bytes: 256 * 1024 - 16, ops: smoke ? 10 : 200 }
  ]
  if (sodium === undefined) return cases.map((c) => ({ what: c.what, bytes: c.bytes, ops: 0, na: 'sodium-native does not load here' }))
  log('AEAD: libsodium next to @noble/ciphers')
  const native = sodiumXChaCha(sodium)
  return cases.map((c) => {
    const key = randomBytes(32)
    const nonce = randomBytes(24)
    const aad = randomBytes(40)
    const sealed = native.seal(key, nonce, aad, randomBytes(c.bytes))
    const perOp = (impl: XChaCha): number => {
      const t0 = now()
      for (let i = 0; i < c.ops; i++) impl.open(key, nonce, aad, sealed)
      return ((now() - t0) / c.ops) * 1000
    }
    const sodiumUs: number[] = []
    const nobleUs: number[] = []
    for (let round = 0; round < 5; round++) {
      sodiumUs.push(perOp(native))
      nobleUs.push(perOp(nobleXChaCha))
    }
    return { what: c.what, bytes: c.bytes, ops: c.ops, sodiumUs: median(sodiumUs), nobleUs: median(nobleUs) }
  })
}
