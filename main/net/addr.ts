import { isLoopback } from '@libp2p/utils'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { BadAddressError } from './errors.js'

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
 * A told address as we would dial it: IP or DNS, then a TCP port, nothing
 * else (no relay, no other transport), not "any address", loopback only if
 * `loopback`; with `/p2p/<id>` so the dial fails unless that peer answers.
 */
export function dialableAddr (addr: string, id: string, loopback: boolean): string[] {
  let ma: Multiaddr
  try { ma = multiaddr(addr) } catch { return [] }
  const [host, port, ...rest] = ma.getComponents()
  if (host === undefined || port?.name !== 'tcp' || !['ip4', 'ip6', 'dns', 'dns4', 'dns6'].includes(host.name)) return []
  if (rest.length > 1 || (rest.length === 1 && (rest[0]!.name !== 'p2p' || rest[0]!.value !== id))) return []
  if (host.value === '0.0.0.0' || host.value === '::') return []
  if (!loopback && (isLoopback(ma) || host.value?.toLowerCase() === 'localhost')) return []
  return [`/${host.name}/${host.value}/tcp/${port.value}/p2p/${id}`]
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
