import { createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ChatMessage } from '../core/message.js'
import { bodyOf } from '../net/codec.js'
import { loadSodium } from '../net/sodium.js'
import { canonicalSignature, strongPoint } from './ed25519-strict.js'

/**
 * Ed25519 signing through node:crypto with KeyObjects made once: @libp2p/crypto's
 * sign()/verify() import the raw key into a new KeyObject on every call,
 * which was two thirds of the cost of a signature (BENCHMARKS.md).
 *
 * Signing and verification go through libsodium where its addon loads (about
 * 1.8 times faster than OpenSSL here), else through node:crypto. Both are asked only
 * once ed25519-strict.ts has refused what libraries disagree on; on what is
 * left they check the same equation the same way, so a peer's verdict does not
 * depend on which of the two it has (test/ed25519-strict.test.ts compares them).
 */
const sodium = loadSodium()
/** An author's key: its 32 bytes, and the KeyObject node:crypto needs (made once, where libsodium is missing). */
interface PublicKey { raw: Uint8Array, obj: KeyObject | undefined }
const publicKeys = new Map<string, PublicKey | null>()
const privateKeys = new WeakMap<PrivateKey, KeyObject>()

function publicKeyOf (author: string): PublicKey | null {
  let key = publicKeys.get(author)
  if (key === undefined) {
    try {
      const pk = peerIdFromString(author).publicKey
      // A key of small order or encoded oddly is no one's key: libraries disagree on what it signs (ed25519-strict.ts).
      key = pk?.type === 'Ed25519' && strongPoint(pk.raw)
        ? { raw: pk.raw, obj: sodium !== undefined ? undefined : createPublicKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pk.raw).toString('base64url') } }) }
        : null
    } catch {
      key = null
    }
    if (publicKeys.size > 10_000) publicKeys.clear()
    publicKeys.set(author, key)
  }
  return key
}

function privateKeyObject (key: PrivateKey): KeyObject {
  let obj = privateKeys.get(key)
  if (obj === undefined) {
    if (key.type !== 'Ed25519') throw new TypeError(`cannot sign with a ${key.type} key`)
    // libp2p's raw Ed25519 private key is seed (32 bytes) followed by the public key.
    obj = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: Buffer.from(key.raw.subarray(0, 32)).toString('base64url'),
        x: Buffer.from(key.publicKey.raw).toString('base64url')
      }
    })
    privateKeys.set(key, obj)
  }
  return obj
}

export function signSync (key: PrivateKey, body: Uint8Array): Uint8Array {
  // Ed25519 signatures are deterministic: libsodium's are node:crypto's bytes, in about half the time.
  if (sodium !== undefined && key.type === 'Ed25519' && key.raw.byteLength === 64) {
    const sig = new Uint8Array(64)
    sodium.crypto_sign_detached(sig, body, key.raw)
    return sig
  }
  return edSign(null, body, privateKeyObject(key))
}

function verifySig (key: PublicKey | null, body: Uint8Array, sig: Uint8Array): boolean {
  if (key === null || !canonicalSignature(sig)) return false
  return key.obj === undefined ? sodium!.crypto_sign_verify_detached(sig, body, key.raw) : edVerify(null, body, key.obj, sig)
}

/** Whether `sig` is `peerId`'s signature of `bytes` (false for an id that is no usable Ed25519 key, see ed25519-strict.ts). */
export function verifyBy (peerId: string, bytes: Uint8Array, sig: Uint8Array): boolean {
  return verifySig(publicKeyOf(peerId), bytes, sig)
}

export interface Verified {
  /** Authentic: signed, or vouched for by a signed (or already accepted) successor in the author's chain. */
  ok: ChatMessage[]
  /** Forged or malformed: a signature that does not verify, or an author id that is no Ed25519 key. */
  bad: Array<{ message: ChatMessage, reason: string }>
  /** Unsigned and not (yet) vouched for: to keep aside until its signed successor comes. */
  unverified: ChatMessage[]
}

/**
 * Split messages into authentic, forged and not yet verifiable, checking as
 * few signatures as possible. Each author's messages are hash-chained
 * (`prev` is the id, i.e. the hash, of the previous body), so one valid
 * signature on the newest message of a run vouches for every earlier message
 * the run links to. A catch-up batch of 10k messages from 3 authors costs 3
 * verifications, not 10k.
 *
 * That is also why an author signs only the newest message of a burst and
 * leaves the others' `sig` empty: an unsigned message is authentic exactly
 * when a verified successor links to it. `vouched(m)` tells whether one is
 * already known (accepted earlier, e.g. held back waiting for `m`); otherwise
 * an unsigned message that no signed message in the batch links to comes
 * back in `unverified`, never in `ok`.
 */
export async function verifyMessages (messages: ChatMessage[], vouched: (m: ChatMessage) => boolean = () => false): Promise<Verified> {
  return verifyMessagesSync(messages, vouched)
}

/** verifyMessages without the promise, for a caller that must not yield between checking and delivering. */
export function verifyMessagesSync (messages: ChatMessage[], vouched: (m: ChatMessage) => boolean = () => false): Verified {
  const byId = new Map(messages.map(m => [m.id, m]))
  // A message is the head of a run when no later message of its author in the batch names it as prev.
  const named = new Set<string>()
  for (const m of messages) if (m.prev !== '' && byId.get(m.prev)?.author === m.author) named.add(m.prev)
  const trusted = new Set<string>()
  const bad: Array<{ message: ChatMessage, reason: string }> = []
  const refused = new Set<string>()
  for (const head of messages) {
    if (named.has(head.id)) continue
    if (head.sig.byteLength === 0) {
      if (!vouched(head)) continue
    } else {
      const key = publicKeyOf(head.author)
      if (!verifySig(key, bodyOf(head), head.sig)) {
        bad.push({ message: head, reason: key === null ? `author ${head.author} has no usable Ed25519 key` : 'bad signature' })
        refused.add(head.id)
        continue
      }
    }
    // Walk back along the chain: each body's hash is the id the next one named.
    for (let m: ChatMessage | undefined = head; m !== undefined && m.author === head.author && !trusted.has(m.id); m = byId.get(m.prev)) {
      trusted.add(m.id)
    }
  }
  const ok: ChatMessage[] = []
  const unverified: ChatMessage[] = []
  for (const m of messages) {
    if (trusted.has(m.id)) ok.push(m)
    else if (refused.has(m.id)) continue
    else if (m.sig.byteLength === 0) unverified.push(m)
    else {
      // Named as prev by a forged or unverifiable head only: check it on its own.
      if (verifySig(publicKeyOf(m.author), bodyOf(m), m.sig)) ok.push(m)
      else bad.push({ message: m, reason: 'bad signature' })
    }
  }
  return { ok, bad, unverified }
}
