import { networkInterfaces } from 'node:os'
import type { Connection } from '@libp2p/interface'
import { localIp } from './socket.js'
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
 * `changed` with what `read` says now (and what it said before) when that
 * differs (by `key`), so what a person reads and gives to others is where
 * they reach us now. Answers the stop.
 */
export function watchOwnAddrs<T = string[]> (read: () => T, changed: (now: T, before: T) => void, ms = OWN_ADDRS_CHECK_MS, key: (t: T) => string = t => JSON.stringify(t)): () => void {
  let last = read()
  const timer = setInterval(() => {
    const now = read()
    if (key(now) === key(last)) return
    const before = last
    last = now
    changed(now, before)
  }, ms)
  timer.unref()
  return () => { clearInterval(timer) }
}

/**
 * Where a listening node (a peer, the hub) is reached now: `addrs`, what
 * libp2p lists (every interface's addresses, for 0.0.0.0) whose IP this
 * computer still has; `lost`, those it no longer has. Only a fixed address
 * (`--listen 10.0.0.5:4000`) can be lost: libp2p keeps listing it and its
 * socket stays bound, but nothing reaches it until the computer has the
 * address again (it then answers there again, as before). A reading of no
 * interface at all says nothing: all are kept.
 */
export function listenAddrs (listed: readonly string[], here: readonly string[] = interfaceIps()): { addrs: string[], lost: string[] } {
  if (here.length === 0) return { addrs: [...listed], lost: [] }
  const have = new Set(here)
  const addrs: string[] = []
  const lost: string[] = []
  for (const a of listed) {
    const [ip] = ipsOf([a])
    if (ip === undefined || have.has(ip)) addrs.push(a)
    else lost.push(a)
  }
  return { addrs, lost }
}

/**
 * Aborts the connections whose own end has an address this computer no
 * longer has (`here`, its interfaces' now): Wi-Fi to Ethernet, a new DHCP
 * lease. Nothing comes back to such a socket, and neither end is told until
 * the pings run out, most of a minute: dropped now, a peer or client dials
 * again from where it is. A reading of no interface says nothing: none is
 * dropped. Answers the addresses dropped from.
 */
export function dropLinksFrom (connections: readonly Connection[], here: readonly string[] = interfaceIps()): string[] {
  if (here.length === 0) return []
  const have = new Set(here)
  const gone = new Set<string>()
  for (const c of connections) {
    const ip = localIp(c)?.split('%')[0]
    if (ip === undefined || have.has(ip)) continue
    gone.add(ip)
    c.abort(new Error(`this computer no longer has the address ${ip} (its network changed)`))
  }
  return [...gone]
}
