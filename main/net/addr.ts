import { peerIdFromString } from '@libp2p/peer-id'
import { isLoopback } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { BadAddressError, BadPeerIdError } from './errors.js'

/** A peer id asked for by a person or a script, or BadPeerIdError saying what one looks like (not the decoder's words). */
export function parsePeerId (peerId: string): ReturnType<typeof peerIdFromString> {
  try {
    return peerIdFromString(peerId)
  } catch {
    throw new BadPeerIdError(`"${peerId}" is not a peer id (a LAN Chat peer id starts with 12D3KooW; the peer list shows each one)`)
  }
}

/** A multiaddr typed by a person: it must parse and name a TCP port, the only transport here. */
export function parseTcpAddr (addr: string): Multiaddr {
  let ma: Multiaddr
  try {
    ma = multiaddr(addr.trim())
  } catch (err) {
    throw new BadAddressError(`"${addr}" is not a multiaddr: ${(err as Error).message}`)
  }
  if (!ma.getComponents().some(c => c.name === 'tcp')) throw new BadAddressError(`"${addr}" has no TCP port`)
  return ma
}

/**
 * A told address as we would dial it: IP or DNS, then a TCP port, then the
 * told peer's id (addrOfPeer adds it; another peer's id refuses the address),
 * nothing else (no relay, no other transport), not "any address", loopback
 * only if `loopback`.
 */
export function dialableAddr (addr: string, id: string, loopback: boolean): string[] {
  const ma = addrOfPeer(addr, id)
  if (ma === undefined) return []
  const [host, port, ...rest] = ma.getComponents()
  if (host === undefined || port?.name !== 'tcp' || rest.length !== 1 || !['ip4', 'ip6', 'dns', 'dns4', 'dns6'].includes(host.name)) return []
  if (host.value === '0.0.0.0' || host.value === '::') return []
  if (!loopback && (isLoopback(ma) || host.value?.toLowerCase() === 'localhost')) return []
  return [ma.toString()]
}

/**
 * `addr` as a dial of `peerId` only: with `/p2p/<peerId>` at its end (added
 * if missing), so Noise refuses whoever else answers there and libp2p takes
 * every address of a dial as the same peer's; undefined if it names another
 * peer or does not parse.
 */
export function addrOfPeer (addr: string, peerId: string): Multiaddr | undefined {
  let ma: Multiaddr
  try { ma = multiaddr(addr) } catch { return undefined }
  const named = ma.getComponents().findLast(c => c.name === 'p2p')?.value
  if (named === undefined) return ma.encapsulate(`/p2p/${peerId}`)
  return named === peerId ? ma : undefined
}
