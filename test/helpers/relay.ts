/**
 * A loopback TCP relay in front of a listener, for what a wire can do to
 * the dialer's bytes on their way in: hold them back `delayMs` (in order), or
 * change them (`alter`, on each chunk as it passes). The way back is
 * untouched. Dial `/ip4/127.0.0.1/tcp/${r.port}/p2p/<listener's id>` to go
 * through it.
 *
 * const r = await relay(listenerPort, { delayMs: 300 })
 * await r.close()
 */
import { connect, createServer, type Socket } from 'node:net'

export interface Relay {
  port: number
  close: () => Promise<void>
}

export interface RelayOptions {
  /** How long the dialer's bytes take to reach the listener, ms. */
  delayMs?: number
  /** Called on each chunk from the dialer before it is passed on (it may change it in place). */
  alter?: (chunk: Buffer) => void
}

export async function relay (targetPort: number, { delayMs = 0, alter }: RelayOptions = {}): Promise<Relay> {
  const sockets = new Set<Socket>()
  const track = (s: Socket): Socket => { sockets.add(s); s.once('close', () => sockets.delete(s)); return s }
  const later = (f: () => void): void => { if (delayMs === 0) f(); else setTimeout(f, delayMs) }
  const server = createServer(inbound => {
    track(inbound)
    const outbound = track(connect(targetPort, '127.0.0.1'))
    inbound.on('data', (chunk: Buffer) => {
      alter?.(chunk)
      later(() => { if (!outbound.destroyed) outbound.write(chunk) })
    })
    inbound.on('end', () => { later(() => { outbound.end() }) })
    outbound.pipe(inbound)
    inbound.on('error', () => { outbound.destroy() })
    outbound.on('error', () => { inbound.destroy() })
    inbound.on('close', () => { later(() => { outbound.destroy() }) })
    outbound.on('close', () => { inbound.destroy() })
  })
  await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the relay has no port')
  return {
    port: address.port,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise(resolve => { server.close(resolve) })
    }
  }
}
