import { networkInterfaces } from 'node:os'
import { OWN_ADDRS_CHECK_MS } from './constants.js'

/** The IP addresses in multiaddrs (`/ip4/10.0.0.5/tcp/4001/p2p/…` → `10.0.0.5`). */
export function ipsOf (addrs: readonly string[]): Set<string> {
  return new Set(addrs.flatMap(a => /^\/ip[46]\/([^/]+)\//.exec(a)?.[1] ?? []))
}

/**
 * The IP addresses this computer's network interfaces have now (IPv6 without
 * a zone): what a socket's local end can still be. Empty when they cannot be
 * read.
 */
export function interfaceIps (): string[] {
  try {
    return Object.values(networkInterfaces()).flatMap(list => list ?? []).map(a => a.address.split('%')[0]!)
  } catch {
    return []
  }
}

/**
 * Listening on every interface (0.0.0.0, the default), where a node listens
 * is whatever addresses the computer has now: a laptop that moved to another
 * network, took a new DHCP lease or turned a VPN on or off listens elsewhere
 * than it said at the start. libp2p reads the interfaces afresh for mDNS and
 * identify but tells nobody of the change: this looks every `ms` and calls
 * `changed` with all of them (and those it saw before) when they differ, so
 * what a person reads and gives to others is where they reach us now.
 * Answers the stop.
 */
export function watchOwnAddrs (addrs: () => string[], changed: (addrs: string[], before: string[]) => void, ms = OWN_ADDRS_CHECK_MS): () => void {
  let last = addrs()
  const timer = setInterval(() => {
    const now = addrs()
    if (now.join('\n') === last.join('\n')) return
    const before = last
    last = now
    changed(now, before)
  }, ms)
  timer.unref()
  return () => { clearInterval(timer) }
}
