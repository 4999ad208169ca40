/**
 * The Ed25519 signatures every runtime agrees on.
 *
 * Ed25519 libraries disagree about signatures that no honest signer makes: a
 * public key or an `R` of small order, a point encoded in a non-canonical
 * way, an `S` not reduced below the group order. Node 24's OpenSSL 3.5
 * refuses the known cases; Node 20's OpenSSL 3.0 and BoringSSL (the crypto of
 * Electron's Node, so of the desktop app's engine) accept some of them. Left
 * to the library, a signature crafted that way would be delivered by desktop
 * peers and refused by headless ones and the hub: honest peers split over
 * one author's trick. These checks refuse every such case before the library
 * is asked, on every runtime, so what is accepted no longer depends on which
 * crypto a peer was built with.
 *
 * Encodings only: a few byte comparisons, no curve arithmetic. The eight
 * points of small order are listed by their encodings (checked against an
 * independent curve library in test/ed25519-strict.test.ts).
 */

/** 2^255 - 19, little-endian. */
const P = Buffer.from('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex')
/** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const L = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex')

/**
 * The points of small order (the eight of the torsion subgroup), as they are
 * encoded; and the two whose x is 0 with the sign bit set ("negative zero"),
 * which RFC 8032 calls invalid and some decoders accept.
 */
const SMALL_ORDER = new Set([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  '0000000000000000000000000000000000000000000000000000000000000000',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '0100000000000000000000000000000000000000000000000000000000000080',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'
])

/** Whether the 32-byte little-endian number in `b` (its top bit cleared when `topBit` is false) is below `bound`. */
function below (b: Uint8Array, bound: Buffer, topBit: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 && !topBit ? b[i]! & 0x7f : b[i]!
    if (x !== bound[i]) return x < bound[i]!
  }
  return false
}

/** A point encoding every library decodes alike: y below p, and not a point of small order. */
export function strongPoint (encoded: Uint8Array): boolean {
  return encoded.byteLength === 32 && below(encoded, P, false) && !SMALL_ORDER.has(Buffer.from(encoded.buffer, encoded.byteOffset, 32).toString('hex'))
}

/** Whether a 64-byte signature is one every library judges alike: R a strong point, S below the group order. */
export function canonicalSignature (sig: Uint8Array): boolean {
  return sig.byteLength === 64 && strongPoint(sig.subarray(0, 32)) && below(sig.subarray(32), L, true)
}
