import { OWN_ADDRS_CHECK_MS } from './constants.js'

/**
 * Listening on every interface (0.0.0.0, the default), where a node listens
 * is whatever addresses the computer has now: a laptop that moved to another
 * network, took a new DHCP lease or turned a VPN on or off listens elsewhere
 * than it said at the start. libp2p reads the interfaces afresh for mDNS and
 * identify but tells nobody of the change: this looks every `ms` and calls
 * `changed` with all of them when they differ from what it saw last, so what
 * a person reads and gives to others is where they reach us now. Answers the
 * stop.
 */
export function watchOwnAddrs (addrs: () => string[], changed: (addrs: string[]) => void, ms = OWN_ADDRS_CHECK_MS): () => void {
  let last = addrs().join('\n')
  const timer = setInterval(() => {
    const now = addrs()
    const key = now.join('\n')
    if (key === last) return
    last = key
    changed(now)
  }, ms)
  timer.unref()
  return () => { clearInterval(timer) }
}
