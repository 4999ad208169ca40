/**
 * The one answer to "are we connected?", for the status bar, the chat header
 * and the client-mode banner alike: they used to decide apart, and the status
 * bar said "Online" under a banner saying "server unreachable".
 */
import type { EngineStatus, PeerView } from '../../preload/contract'

export type ConnectionState = 'setup' | 'starting' | 'stopped' | 'failed' | 'online' | 'alone' | 'hub' | 'hub-unreachable'

export interface Connection {
  state: ConnectionState
  /** The status bar's words. */
  label: string
  /** The chat header's words: who is reachable. */
  reach: string
  /** The status dot's colour. */
  tone: 'ok' | 'warn' | 'error' | 'idle'
}

/** `people`: how many are online by presence (people.ts onlineCount); the links alone when not given. */
export function connection(status: EngineStatus, peers: PeerView[], people?: number): Connection {
  const linked = peers.filter((p) => p.connected).length
  const online = people ?? linked
  switch (status.state) {
    case 'setup':
      return { state: 'setup', label: 'Not started', reach: '', tone: 'idle' }
    case 'starting':
      return { state: 'starting', label: 'Starting…', reach: '', tone: 'warn' }
    case 'stopped':
      return { state: 'stopped', label: 'Stopped', reach: '', tone: 'idle' }
    case 'failed':
      return { state: 'failed', label: 'Network failed', reach: '', tone: 'error' }
    case 'running':
      if (status.mode === 'client') {
        // A client's only connection is to the hub.
        return linked > 0
          ? { state: 'hub', label: 'Connected to the server', reach: people === undefined || people === 0 ? 'connected to the hub' : `connected to the hub · ${people} online`, tone: 'ok' }
          : { state: 'hub-unreachable', label: 'Server unreachable', reach: 'hub unreachable', tone: 'error' }
      }
      return online > 0
        ? { state: 'online', label: 'Online', reach: `${online} peer${online === 1 ? '' : 's'} online`, tone: 'ok' }
        : { state: 'alone', label: 'Online', reach: 'no peers online', tone: 'ok' }
    default: {
      const never: never = status
      return never
    }
  }
}

/**
 * Where others can reach this app, as ip:port (what a person reads out or pastes; the engine
 * learns who answered from the handshake): the LAN's addresses first, loopback only when there is
 * nothing else (one computer, or a test), each once.
 */
export function shareableAddresses(multiaddrs: readonly string[]): string[] {
  const found = multiaddrs.flatMap((ma) => {
    const m = /^\/(ip4|ip6)\/([^/]+)\/tcp\/(\d+)(?:\/|$)/.exec(ma)
    if (m === null) return []
    const [, family, ip, port] = m as unknown as [string, string, string, string]
    return [{ text: family === 'ip6' ? `[${ip}]:${port}` : `${ip}:${port}`, loopback: ip === '127.0.0.1' || ip === '::1' || ip.startsWith('127.'), v6: family === 'ip6' }]
  })
  const lan = found.filter((a) => !a.loopback)
  const chosen = lan.length > 0 ? lan : found
  return [...new Set([...chosen.filter((a) => !a.v6), ...chosen.filter((a) => a.v6)].map((a) => a.text))]
}
