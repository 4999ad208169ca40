import type { Socket } from 'node:net'
import type { Connection } from '@libp2p/interface'
import type { ConnectionView } from './peers.js'

/**
 * The TCP socket under a libp2p connection. libp2p's Connection shows only the
 * remote multiaddr; the 4-tuple's local half and the byte counters live on the
 * Node socket that @libp2p/tcp keeps on the raw multiaddr connection. That is
 * not public API, so this reads it defensively and a test pins it down.
 */
function socketOf (connection: Connection): Socket | undefined {
  const maConn = (connection as unknown as { maConn?: { socket?: unknown } }).maConn
  const socket = maConn?.socket as Socket | undefined
  return socket !== undefined && typeof socket.localPort === 'number' ? socket : undefined
}

/** The IP address this end of the connection's socket has (undefined when it cannot be read). */
export function localIp (connection: Connection): string | undefined {
  const ip = socketOf(connection)?.localAddress
  return ip?.startsWith('::ffff:') === true ? ip.slice(7) : ip
}

function ipPort (ip: string | undefined, port: number | undefined): string {
  if (ip === undefined || port === undefined) return '?'
  const bare = ip.startsWith('::ffff:') ? ip.slice(7) : ip
  return bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`
}

export interface FourTuple {
  local: string
  remote: string
  bytesIn?: number
  bytesOut?: number
}

export function fourTuple (connection: Connection): FourTuple {
  const socket = socketOf(connection)
  if (socket === undefined) {
    const parts = connection.remoteAddr.getComponents()
    const host = parts.find(c => c.name === 'ip4' || c.name === 'ip6')?.value
    const port = parts.find(c => c.name === 'tcp')?.value
    return { local: '?', remote: ipPort(host, port === undefined ? undefined : Number(port)) }
  }
  return {
    local: ipPort(socket.localAddress, socket.localPort),
    remote: ipPort(socket.remoteAddress, socket.remotePort),
    bytesIn: socket.bytesRead,
    bytesOut: socket.bytesWritten
  }
}

/** A libp2p connection as the sockets panel shows it. */
export function connectionView (c: Connection): ConnectionView {
  const t = fourTuple(c)
  return {
    local: t.local, remote: t.remote, direction: c.direction, remoteAddr: c.remoteAddr.toString(),
    encryption: c.encryption ?? '', multiplexer: c.multiplexer ?? '',
    streams: c.streams.map(s => ({ protocol: s.protocol ?? '', direction: s.direction })),
    openedAt: c.timeline.open,
    ...(c.rtt !== undefined ? { rtt: c.rtt } : {}),
    ...(t.bytesIn !== undefined ? { bytesIn: t.bytesIn, bytesOut: t.bytesOut } : {})
  }
}
