import { hash, hkdfSync, randomBytes } from 'node:crypto'
import { xchacha } from './aead.js'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { DM_ROOM_PREFIX } from '../core/limits.js'
import type { ChatMessage } from '../core/message.js'
import { UnknownRecipientError, UnreadableMessageError } from './errors.js'
import { strongPoint } from './ed25519-strict.js'
import { isPadded, pad, unpad } from './padding.js'

/**
 * The cryptography of private conversations, from audited primitives only:
 * X25519 keys converted from each peer's Ed25519 identity (@noble/curves),
 * HKDF-SHA256 (node:crypto) and XChaCha20-Poly1305 with a random 24-byte
 * nonce (libsodium when its addon loads, else @noble/ciphers: aead.ts).
 * Nothing here is hand-rolled cryptography.
 *
 * A direct message between A and B is sealed with a key only A and B can
 * compute: HKDF over X25519(A's secret, B's public key), bound to both peer
 * ids. Anyone can derive B's public key from its peer id, so no key exchange
 * is needed and A can write to B before they ever met. The sealed bytes sit
 * in the signed body, so the author's signature covers the ciphertext;
 * the associated data binds it to its room, author and recipient, so a
 * ciphertext cannot be replayed under another author's name.
 *
 * What is sealed is the text's UTF-8 (format 1), or, when every reader is
 * known to open it, the text padded to a bucket (format 2, padding.ts), so
 * that the sealed length no longer tells a "yes" from a paragraph. The format
 * is inside the authenticated plaintext: nobody can turn one into the other.
 *
 * @example
 * ```ts
 * const keys = new Keyring(me.peerId, me.key)
 * const sealed = seal(keys.dmKey(bob), 'hi', associatedData({ room: dmRoom(me.peerId, bob), author: me.peerId, to: bob }), true)
 * sealed.byteLength   // 296: 256 padded bytes, the nonce and the tag
 * ```
 */

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })
const NONCE_BYTES = 24

/** The room of the direct messages between two peers: the same for both, whoever writes. */
export function dmRoom (a: string, b: string): string {
  const [x, y] = a < b ? [a, b] : [b, a]
  const pair = `${x} ${y}`
  let room = dmRooms.get(pair)
  if (room === undefined) {
    room = DM_ROOM_PREFIX + hash('sha256', `lanchat dm ${pair}`, 'hex').slice(0, 40)
    // Asked for every direct message opened: kept, within a bound (peers are many, pairs of ours few).
    if (dmRooms.size >= MAX_DM_ROOMS_KEPT) dmRooms.clear()
    dmRooms.set(pair, room)
  }
  return room
}
const MAX_DM_ROOMS_KEPT = 4096
const dmRooms = new Map<string, string>()

export function isDmRoom (room: string): boolean { return room.startsWith(DM_ROOM_PREFIX) }

/** An Ed25519 peer id's public key as an X25519 one; UnknownRecipientError for anything else. */
export function x25519PublicOf (peerId: string): Uint8Array {
  let raw: Uint8Array | undefined
  try {
    const key = peerIdFromString(peerId).publicKey
    // A key of small order is no one's: what is sealed to it, anyone could open (ed25519-strict.ts).
    if (key?.type === 'Ed25519' && strongPoint(key.raw)) raw = key.raw
  } catch { /* not a peer id */ }
  if (raw === undefined) throw new UnknownRecipientError(`${peerId.slice(0, 60)} is not the peer id of a LAN Chat user`)
  return ed25519.utils.toMontgomery(raw)
}

/** Our X25519 secret and the pairwise keys made from it, each computed once. */
export class Keyring {
  readonly #secret: Uint8Array
  readonly #dm = new Map<string, Uint8Array>()

  constructor (readonly self: string, key: PrivateKey) {
    if (key.type !== 'Ed25519') throw new TypeError(`private conversations need an Ed25519 identity, not ${key.type}`)
    // libp2p's raw Ed25519 private key is the 32-byte seed followed by the public key.
    this.#secret = ed25519.utils.toMontgomerySecret(key.raw.subarray(0, 32))
  }

  /** The key of our direct messages with `peer`. */
  dmKey (peer: string): Uint8Array {
    let key = this.#dm.get(peer)
    if (key === undefined) {
      if (peer === this.self) throw new UnknownRecipientError('a direct message goes to someone else')
      const shared = x25519.getSharedSecret(this.#secret, x25519PublicOf(peer))
      const [x, y] = this.self < peer ? [this.self, peer] : [peer, this.self]
      key = new Uint8Array(hkdfSync('sha256', shared, 'lanchat dm v1', `${x} ${y}`, 32))
      if (this.#dm.size > 10_000) this.#dm.clear()
      this.#dm.set(peer, key)
    }
    return key
  }
}

/** What the AEAD binds a sealed text to: where it is, who wrote it, for whom. */
export function associatedData (m: Pick<ChatMessage, 'room' | 'author' | 'to'>): Uint8Array {
  return encoder.encode(`lanchat private v1\n${m.room}\n${m.author}\n${m.to ?? ''}`)
}

/**
 * Who can open a padded text, as their builds said (PADDED_LEVEL): a message is
 * sealed padded only when every reader of it can, else as older builds open it.
 */
export interface Readers { opensPadded (peerId: string): boolean }
/** Nobody known to: everything sealed as format 1. */
export const NO_READERS: Readers = { opensPadded: () => false }

/** `padded`: every reader opens format 2 (a text too long to pad within the limit goes as format 1 all the same). */
export function seal (key: Uint8Array, text: string, aad: Uint8Array, padded = false): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES)
  const utf8 = encoder.encode(text)
  const body = xchacha.seal(key, nonce, aad, (padded ? pad(utf8) : undefined) ?? utf8)
  const out = new Uint8Array(NONCE_BYTES + body.byteLength)
  out.set(nonce)
  out.set(body, NONCE_BYTES)
  return out
}

/**
 * The text, padded or not, or UnreadableMessageError when the key or the associated data is not the
 * one it was sealed with, or what it opens to is neither format (not UTF-8, or padded wrong).
 */
export function open (key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): string {
  return textOf(openBytes(key, sealed, aad))
}

/**
 * What a sealed text opens to, not yet read as a text, or UnreadableMessageError when the key or the
 * associated data is not the one it was sealed with: whether the key is the one, whatever it sealed
 * (an invite-only room tells a member's malformed text from one sealed with a key it lacks).
 */
export function openBytes (key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  try {
    return xchacha.open(key, sealed.subarray(0, NONCE_BYTES), aad, sealed.subarray(NONCE_BYTES))
  } catch {
    throw new UnreadableMessageError('a private message that does not open with our key (sealed to another key, or altered)')
  }
}

/** The text an opened plaintext holds, padded or not, or UnreadableMessageError when it is neither format (not UTF-8, or padded wrong). */
export function textOf (plain: Uint8Array): string {
  try {
    const utf8 = isPadded(plain) ? unpad(plain) : plain
    if (utf8 === undefined) throw new Error('bad padding')
    return decoder.decode(utf8)
  } catch {
    throw new UnreadableMessageError('a private message that opens with our key but is not a text (not UTF-8, or padded wrong)')
  }
}
