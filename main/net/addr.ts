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
