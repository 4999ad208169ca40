import { hash, randomBytes } from 'node:crypto'
import { NetworkKeyError } from './errors.js'

/**
 * The network key: a 32-byte secret that every computer of one private LAN
 * Chat network shares. With it set, libp2p's private-network protector
 * (@libp2p/pnet) wraps each TCP connection before anything else is said, so
 * a computer without the same key fails during the handshake and learns
 * nothing — not even our peer id or who is chatting.
 *
 * People see and paste it as 64 hex digits (spaces, dashes and line breaks
 * are ignored); a swarm key file (`/key/swarm/psk/1.0.0/`, `/base16/`, the
 * digits) is accepted too, so one made by other libp2p tools works.
 *
 * @example
 * ```ts
 * const key = generateNetworkKey()          // 'dffb7e31…' (64 hex digits)
 * parseNetworkKey(key.toUpperCase())        // the same key, normalized
 * parseNetworkKey('not a key')              // throws NetworkKeyError
 * createNode({ ..., networkKey: key })      // only key holders get in
 * ```
 */

const HEX_DIGITS = 64
const SWARM_HEADER = '/key/swarm/psk/1.0.0/'

/** A new random key, as 64 lowercase hex digits. */
export function generateNetworkKey (): string {
  return randomBytes(HEX_DIGITS / 2).toString('hex')
}

/** The key in canonical form (64 lowercase hex digits), or NetworkKeyError saying what is wrong. */
export function parseNetworkKey (text: string): string {
  let digits = text.trim()
  if (digits.startsWith(SWARM_HEADER)) {
    const lines = digits.split(/\r?\n/).map(l => l.trim())
    if (lines[1] !== '/base16/') throw new NetworkKeyError('A swarm key file must use the /base16/ encoding.')
    digits = lines.slice(2).join('')
  }
  digits = digits.replace(/[\s-]/g, '').toLowerCase()
  if (digits.length === 0) throw new NetworkKeyError('The network key is empty.')
  if (!/^[0-9a-f]*$/.test(digits)) throw new NetworkKeyError('A network key has only the digits 0-9 and the letters a-f.')
  if (digits.length !== HEX_DIGITS) throw new NetworkKeyError(`A network key has ${HEX_DIGITS} hex digits; this one has ${digits.length}.`)
  if (/^0+$/.test(digits)) throw new NetworkKeyError('A network key of zeros protects nothing; generate one.')
  return digits
}

/** The key as the pre-shared key file @libp2p/pnet reads. */
export function swarmKeyOf (key: string): Uint8Array {
  return new TextEncoder().encode(`${SWARM_HEADER}\n/base16/\n${parseNetworkKey(key)}`)
}

/** A short public tag of the key for mDNS service names: its hash, so the key itself is never announced. */
export function privateTag (key: string): string {
  return hash('sha256', `lanchat mdns tag ${parseNetworkKey(key)}`, 'hex').slice(0, 12)
}
