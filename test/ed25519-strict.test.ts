import { createPrivateKey, createPublicKey, hash, randomBytes, sign, verify } from 'node:crypto'
import { generateKeyPair, publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { ed25519 } from '@noble/curves/ed25519.js'
import { describe, expect, it } from 'vitest'
import { canonicalSignature, strongPoint } from '../main/chat/ed25519-strict.js'
import { x25519PublicOf } from '../main/chat/private.js'
import { signSync, verifyBy } from '../main/chat/verify.js'
import { loadSodium } from '../main/net/sodium.js'

/*
 * Signatures no honest signer makes, built here with an independent curve
 * library (@noble/curves), each one satisfying the cofactorless equation
 * [S]B = R + [k]A that OpenSSL and BoringSSL check. Which of them a library
 * accepts depends on its extra checks: Node 20's OpenSSL 3.0 and BoringSSL
 * (Electron) accept those with a small-order key or R, Node 24's OpenSSL 3.5
 * refuses them. LAN Chat must refuse all of them on every runtime, or a
 * crafted message would be delivered by some peers and not by others.
 */

type Point = ReturnType<typeof ed25519.Point.fromHex>
const { Point } = ed25519
const L = Point.Fn.ORDER
const mod = (x: bigint): bigint => ((x % L) + L) % L
const le = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).reverse().toString('hex') || '0'}`)
const scalarBytes = (x: bigint): Buffer => Buffer.from(x.toString(16).padStart(64, '0'), 'hex').reverse()
/** k = SHA-512(R || A || M) mod L, over the bytes as sent (an odd encoding is hashed as it is). */
const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array): bigint => mod(le(hash('sha512', Buffer.concat([r, a, m]), 'buffer')))

/** A point of order 8: every small-order point is a multiple of it. */
const T = Point.fromHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a')
const torsion: Point[] = Array.from({ length: 8 }, (_, j) => j === 0 ? Point.ZERO : T.multiplyUnsafe(BigInt(j)))
/** An honest key pair: secret scalar and public point. */
const honest = (): { a: bigint, A: Point } => { const a = mod(le(randomBytes(32))) || 1n; return { a, A: Point.BASE.multiply(a) } }
/** The identity point (x = 0, y = 1) with the sign bit set: the "negative zero" RFC 8032 calls invalid. */
const negativeZeroIdentity = Buffer.from('0100000000000000000000000000000000000000000000000000000000000080', 'hex')
/** The identity's y = 1 written as 1 + p: a non-canonical encoding of it. */
const identityPlusP = Buffer.from('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex')

interface Crafted { what: string, pub: Uint8Array, msg: Uint8Array, sig: Uint8Array, R: Point, S: bigint, A: Point }

/** A message (found by trying) whose challenge k satisfies `want(k)`. */
function messageWith (r: Uint8Array, a: Uint8Array, want: (k: bigint) => boolean): { msg: Buffer, k: bigint } {
  for (let i = 0; ; i++) {
    const msg = Buffer.from(`a crafted message ${i}`)
    const k = challenge(r, a, msg)
    if (want(k)) return { msg, k }
  }
}

function crafted (): Crafted[] {
  const out: Crafted[] = []
  const add = (what: string, pub: Uint8Array, msg: Uint8Array, R: Uint8Array, S: bigint, A: Point, Rp: Point): void => {
    out.push({ what, pub, msg, sig: Buffer.concat([R, scalarBytes(S)]), R: Rp, S, A })
  }
  { // Small A and small R, S = 0: R + kA = 0 for one message in eight.
    const A = T; const R = T
    const { msg } = messageWith(R.toBytes(), A.toBytes(), k => (1n + k) % 8n === 0n)
    add('a small-order key and R, S = 0', A.toBytes(), msg, R.toBytes(), 0n, A, R)
  }
  { // Small A, honest R: kA vanishes when k is a multiple of 8.
    const A = T; const r = honest()
    const { msg } = messageWith(r.A.toBytes(), A.toBytes(), k => k % 8n === 0n)
    add('a small-order key', A.toBytes(), msg, r.A.toBytes(), r.a, A, r.A)
  }
  { // Honest A, R the identity: S = k·a signs any message.
    const { a, A } = honest(); const R = Point.ZERO; const msg = Buffer.from('any message at all')
    add('R of small order (the identity)', A.toBytes(), msg, R.toBytes(), mod(challenge(R.toBytes(), A.toBytes(), msg) * a), A, R)
  }
  { // An honest signature with S + L instead of S.
    const { a, A } = honest(); const r = honest(); const msg = Buffer.from('S not reduced')
    const S = mod(r.a + challenge(r.A.toBytes(), A.toBytes(), msg) * a) + L
    add('S at or above the group order', A.toBytes(), msg, r.A.toBytes(), S, A, r.A)
  }
  { // The key is the identity written with the sign bit set: [S]B = R signs any message.
    const r = honest(); const msg = Buffer.from('negative zero key')
    add('the identity as a key, with the sign bit set', negativeZeroIdentity, msg, r.A.toBytes(), r.a, Point.ZERO, r.A)
  }
  { // R is the identity written as y = 1 + p.
    const { a, A } = honest(); const msg = Buffer.from('non-canonical R')
    add('R written with y above p', A.toBytes(), msg, identityPlusP, mod(challenge(identityPlusP, A.toBytes(), msg) * a), A, Point.ZERO)
  }
  return out
}

/** What a library that only checks [S]B = R + [k]A would say. */
function equationHolds (c: Crafted): boolean {
  const k = challenge(c.sig.subarray(0, 32), c.pub, c.msg)
  const left = c.S === 0n ? Point.ZERO : Point.BASE.multiplyUnsafe(mod(c.S))
  const kA = k === 0n ? Point.ZERO : c.A.multiplyUnsafe(k)
  return left.equals(c.R.add(kA))
}

/** This runtime's own verdict, with no checks of ours (false when it will not even take the key). */
function libraryVerdict (c: Crafted): boolean {
  try {
    const key = createPublicKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(c.pub).toString('base64url') } })
    return verify(null, c.msg, key, c.sig)
  } catch {
    return false
  }
}

const peerIdOf = (raw: Uint8Array): string => peerIdFromPublicKey(publicKeyFromRaw(raw)).toString()

describe('Ed25519 signatures that libraries disagree on', () => {
  it('every point of small order, and the odd encodings, are refused as keys and as R; honest and mixed-order points are not', () => {
    for (const p of torsion) {
      expect(p.clearCofactor().equals(Point.ZERO)).toBe(true)
      expect(strongPoint(p.toBytes())).toBe(false)
    }
    expect(strongPoint(negativeZeroIdentity)).toBe(false)
    expect(strongPoint(Buffer.from('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'hex'))).toBe(false) // y = p - 1, x = 0, sign set
    expect(strongPoint(identityPlusP)).toBe(false)
    expect(strongPoint(Buffer.from('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex'))).toBe(false) // y = p
    for (let i = 0; i < 20; i++) {
      const { A } = honest()
      expect(strongPoint(A.toBytes())).toBe(true)
      // A key with a small-order part: signatures by it are judged alike everywhere (no library refuses them).
      expect(strongPoint(A.add(T).toBytes())).toBe(true)
    }
  })

  it('S is taken only below the group order', () => {
    const R = honest().A.toBytes()
    expect(canonicalSignature(Buffer.concat([R, scalarBytes(L - 1n)]))).toBe(true)
    expect(canonicalSignature(Buffer.concat([R, scalarBytes(L)]))).toBe(false)
    expect(canonicalSignature(Buffer.concat([R, scalarBytes(2n ** 256n - 1n)]))).toBe(false)
    expect(canonicalSignature(Buffer.concat([R, scalarBytes(0n)]))).toBe(true)
  })

  it('each crafted signature passes the verification equation, and no peer takes it, whatever this runtime\'s crypto would say', () => {
    const cases = crafted()
    const library: string[] = []
    for (const c of cases) {
      expect(equationHolds(c), c.what).toBe(true)
      expect(verifyBy(peerIdOf(c.pub), c.msg, c.sig), c.what).toBe(false)
      if (libraryVerdict(c)) library.push(c.what)
    }
    // For the record in the log (BoringSSL in Electron, OpenSSL elsewhere): what the library alone would have let through.
    console.info(`${process.versions.electron !== undefined ? `Electron ${process.versions.electron}` : `Node ${process.version}, OpenSSL ${process.versions.openssl}`}: the library alone accepts ${library.length === 0 ? 'none' : library.join('; ')} of ${cases.length}`)
  })

  it('an honest signature, and one by a key with a small-order part, verify', () => {
    const seed = randomBytes(32)
    const pub = ed25519.getPublicKey(seed)
    const msg = Buffer.from('hello from an honest key')
    expect(verifyBy(peerIdOf(pub), msg, ed25519.sign(msg, seed))).toBe(true)

    // Mixed order: A = aB + T, R = rB, k a multiple of 8, so [S]B = R + [k]A with S = r + k·a.
    const { a, A: aB } = honest(); const A = aB.add(T); const r = honest()
    const { msg: m, k } = messageWith(r.A.toBytes(), A.toBytes(), k => k % 8n === 0n)
    const sig = Buffer.concat([r.A.toBytes(), scalarBytes(mod(r.a + k * a))])
    expect(verifyBy(peerIdOf(A.toBytes()), m, sig)).toBe(true)
  })

  it('signs with libsodium the very bytes node:crypto signs (Ed25519 is deterministic), and both verify them', async () => {
    const key = await generateKeyPair('Ed25519')
    const obj = createPrivateKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(key.raw.subarray(0, 32)).toString('base64url'), x: Buffer.from(key.publicKey.raw).toString('base64url') } })
    const author = peerIdFromPublicKey(key.publicKey).toString()
    for (let i = 0; i < 20; i++) {
      const body = randomBytes(1 + i * 37)
      const sig = signSync(key, body)
      expect(Buffer.from(sig).equals(sign(null, body, obj))).toBe(true)
      expect(verifyBy(author, body, sig)).toBe(true)
    }
  })

  it('behind these checks, libsodium and this runtime\'s crypto give the same verdict on every signature tried', () => {
    const sodium = loadSodium()
    expect(sodium, 'sodium-native loads on the platforms LAN Chat is built for').toBeDefined()
    const cases: Array<Omit<Crafted, 'R' | 'S' | 'A'> & { honest?: boolean }> = crafted()
    { // Valid only for a cofactored check: R carries a small-order part the equation cannot cancel.
      const { a, A } = honest(); const r = honest(); const R = r.A.add(T); const msg = Buffer.from('cofactored only')
      cases.push({ what: 'valid only when cofactored', pub: A.toBytes(), msg, sig: Buffer.concat([R.toBytes(), scalarBytes(mod(r.a + challenge(R.toBytes(), A.toBytes(), msg) * a))]) })
    }
    for (let i = 0; i < 40; i++) {
      const seed = randomBytes(32); const pub = ed25519.getPublicKey(seed); const msg = randomBytes(1 + i * 7); const sig = Buffer.from(ed25519.sign(msg, seed))
      cases.push({ what: `honest ${i}`, pub, msg, sig, honest: true })
      const flipped = Buffer.from(sig); flipped[i % 64]! ^= 1 << (i % 8)
      cases.push({ what: `honest ${i}, one bit of the signature flipped`, pub, msg, sig: flipped })
      cases.push({ what: `honest ${i}, another message`, pub, msg: Buffer.concat([msg, Buffer.from([i])]), sig })
      cases.push({ what: `random bytes ${i}`, pub, msg, sig: randomBytes(64) })
    }
    let withoutChecks = 0
    for (const c of cases) {
      const strict = strongPoint(c.pub) && canonicalSignature(c.sig)
      const byLibrary = libraryVerdict(c as Crafted)
      const bySodium = sodium!.crypto_sign_verify_detached(c.sig, c.msg, c.pub)
      expect(strict && bySodium, c.what).toBe(strict && byLibrary)
      if (c.honest === true) expect(strict && bySodium, c.what).toBe(true)
      if (bySodium !== byLibrary) withoutChecks++
    }
    console.info(`without the checks, libsodium and ${process.versions.electron !== undefined ? 'BoringSSL' : `OpenSSL ${process.versions.openssl}`} disagree on ${withoutChecks} of ${cases.length}`)
  })

  it('a direct message cannot be sealed to a small-order key (anyone could open it)', () => {
    expect(() => x25519PublicOf(peerIdOf(T.toBytes()))).toThrow(/not the peer id/)
    expect(x25519PublicOf(peerIdOf(honest().A.toBytes())).byteLength).toBe(32)
  })
})
