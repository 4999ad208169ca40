import dc from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterEach, describe, expect, it } from 'vitest'
import { createNode, type LanNode } from '../main/net/node.js'

const PROTOCOL = '/lanchat-test/sink/1.0.0'
const sockets = new Set<Socket>()
const track = (m: unknown): void => { const s = (m as { socket?: Socket }).socket; if (s != null) sockets.add(s) }
dc.subscribe('net.client.socket', track)
dc.subscribe('net.server.socket', track)

const nodes: LanNode[] = []
afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => { await n.stop() })) })

/** Two nodes of the app's stack (TCP, Noise, yamux); `to` reads everything sent on PROTOCOL and counts it. */
async function pair (): Promise<{ from: LanNode, to: LanNode, received: () => number }> {
  const make = async (): Promise<LanNode> => {
    const n = await createNode({ role: 'hub', privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
    await n.start()
    nodes.push(n)
    return n
  }
  const [from, to] = [await make(), await make()]
  let received = 0
  await to.handle(PROTOCOL, async (stream) => {
    for await (const chunk of stream) received += chunk.byteLength
  })
  return { from, to, received: () => received }
}

/** Bytes written by the sockets of the node listening on `port` (its side of the connection). */
function writtenByListener (port: number): number {
  let total = 0
  for (const s of sockets) if (s.localPort === port) total += s.bytesWritten
  return total
}

describe('yamux flow control on the app\'s connections', () => {
  it('a peer that receives 2,000 small frames grants credit a few times, not once per frame', async () => {
    const { from, to, received } = await pair()
    const stream = await from.dialProtocol(to.getMultiaddrs()[0]!, PROTOCOL)
    const port = Number(to.getMultiaddrs()[0]!.toString().split('/')[4])
    // Let the handshake's own traffic settle, then count only what the reader sends back while reading.
    await new Promise(resolve => setTimeout(resolve, 200))
    const before = writtenByListener(port)
    const chunk = new Uint8Array(300).fill(7)
    for (let i = 0; i < 2_000; i++) {
      if (!stream.send(chunk)) await stream.onDrain()
      // One frame per send, as a chat link sends one envelope at a time.
      if (i % 10 === 0) await new Promise(resolve => setImmediate(resolve))
    }
    const deadline = Date.now() + 10_000
    while (received() < 600_000 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    expect(received()).toBe(600_000)
    // A window update is a 12-byte yamux header in its own Noise frame (2 + 12 + 16 bytes). One per
    // data frame would be ~60 KB back; at half of the 256 KiB window, a couple of them.
    expect(writtenByListener(port) - before).toBeLessThan(2_000)
    await stream.close()
  })

  it('a stream larger than the window still flows to the end (credit comes back before the sender runs out)', async () => {
    const { from, to, received } = await pair()
    const stream = await from.dialProtocol(to.getMultiaddrs()[0]!, PROTOCOL)
    const block = new Uint8Array(64 * 1024).fill(1)
    for (let i = 0; i < 128; i++) if (!stream.send(block)) await stream.onDrain()
    const deadline = Date.now() + 20_000
    while (received() < 128 * 64 * 1024 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    expect(received()).toBe(8 * 1024 * 1024)
    await stream.close()
  })
})
