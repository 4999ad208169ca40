/**
 * The files section's ceiling for anything built on the app's network stack:
 * two processes, each a node from main/net/node.ts (tcp, Noise with the app's
 * cipher setup, yamux with its window rule, the engine's V8 settings), and
 * one stream between them that carries BYTES in writes of one file chunk
 * (CHUNK_SIZE). No file protocol, no requests, no hashing, no disk: the
 * receiver only counts. A file transfer over this stack cannot beat it.
 *
 *   node --import tsx bench/lib/stack-pump.ts recv          prints its address, then the ms
 *   node --import tsx bench/lib/stack-pump.ts send ADDR BYTES
 *
 * The receiver times from the stream's arrival to its last byte.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { tuneHeapForEngine } from '../../main/app/heap.js'
import { CHUNK_SIZE } from '../../main/core/file.js'
import { createNode } from '../../main/net/node.js'

const PROTOCOL = '/lanchat-bench/pump/1.0.0'

async function node (): Promise<Awaited<ReturnType<typeof createNode>>> {
  tuneHeapForEngine()
  return await createNode({ role: 'peer', privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
}

async function receive (): Promise<void> {
  const n = await node()
  await n.handle(PROTOCOL, async (stream) => {
    const t0 = performance.now()
    let got = 0
    for await (const piece of stream) got += piece.byteLength
    process.stdout.write(`${JSON.stringify({ bytes: got, ms: performance.now() - t0 })}\n`)
    await n.stop()
  })
  process.stdout.write(`${n.getMultiaddrs()[0]!.toString()}\n`)
}

async function send (addr: string, bytes: number): Promise<void> {
  const n = await node()
  const stream = await n.dialProtocol(multiaddr(addr), PROTOCOL)
  const chunk = new Uint8Array(CHUNK_SIZE).fill(0x5a)
  for (let sent = 0; sent < bytes; sent += chunk.byteLength) {
    // A fresh buffer each write, as a chunk read from disk is.
    const piece = sent + chunk.byteLength <= bytes ? chunk.slice() : chunk.slice(0, bytes - sent)
    if (!stream.send(piece)) await stream.onDrain()
  }
  await stream.close()
  // The receiver stops its node once it has counted the last byte.
  await new Promise<void>((resolve) => { n.addEventListener('connection:close', () => { resolve() }, { once: true }) })
  await n.stop()
}

const [role, addr, bytes] = process.argv.slice(2)
if (role === 'recv') await receive()
else if (role === 'send' && addr !== undefined && Number(bytes) > 0) await send(addr, Number(bytes))
else throw new Error('usage: stack-pump.ts recv | send ADDR BYTES')
