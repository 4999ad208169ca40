/**
 * A loopback TCP relay whose way in is slow: what the dialer sends reaches the
 * listener `ms` later, in order; the way back is immediate. Dial
 * `/ip4/127.0.0.1/tcp/${relay.port}/p2p/<listener's id>` to go through it.
 *
 * const relay = await slowLink(listenerPort, 300)
 * await relay.close()
 */
import { connect, createServer, type Socket } from 'node:net'

export interface SlowLink {
  port: number
  close: () => Promise<void>
}

export async function slowLink (targetPort: number, ms: number): Promise<SlowLink> {
  const sockets = new Set<Socket>()
  const track = (s: Socket): Socket => { sockets.add(s); s.once('close', () => sockets.delete(s)); return s }
  const server = createServer(inbound => {
    track(inbound)
    const outbound = track(connect(targetPort, '127.0.0.1'))
    inbound.on('data', chunk => { setTimeout(() => { if (!outbound.destroyed) outbound.write(chunk) }, ms) })
    inbound.on('end', () => { setTimeout(() => { outbound.end() }, ms) })
    outbound.pipe(inbound)
    inbound.on('error', () => { outbound.destroy() })
    outbound.on('error', () => { inbound.destroy() })
    inbound.on('close', () => { setTimeout(() => { outbound.destroy() }, ms) })
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
