/**
 * Noise with its ChaCha20-Poly1305 keys imported once per key
 * (main/net/noise-crypto.ts): the same AEAD as libp2p-noise's default, so
 * each side's frames open on the other; a changed bit anywhere is refused;
 * and a LAN Chat node and a stock libp2p node (the default crypto) handshake
 * and exchange data both ways, while a byte changed on the wire ends the
 * connection instead of reaching the application.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { defaultCrypto } from '@chainsafe/libp2p-noise/crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Stream } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import net from 'node:net'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Uint8ArrayList } from 'uint8arraylist'
import { afterEach, describe, expect, it } from 'vitest'
import { createNode } from '../main/net/node.js'
import { noiseCrypto } from '../main/net/noise-crypto.js'
import { until } from './helpers/peers.js'

const joined = (b: Uint8Array | { subarray: () => Uint8Array }): Buffer => Buffer.from(b instanceof Uint8Array ? b : b.subarray())
/** Noise's own list type (it carries its own copy of uint8arraylist; the two work together). */
type Bytes = Parameters<typeof noiseCrypto.chaCha20Poly1305Encrypt>[0]
const list = (...pieces: Uint8Array[]): Bytes => new Uint8ArrayList(...pieces) as unknown as Bytes
const nonceOf = (n: number): Uint8Array => { const b = Buffer.alloc(12); b.writeUInt32LE(n, 4); return b }
/** Sizes either side of the point where the default switches from its WebAssembly cipher to Node's, and a full Noise frame. */
const SIZES = [0, 1, 100, 1199, 1200, 1201, 4096, 65519]

describe('ChaCha20-Poly1305 with cached keys', () => {
  it('seals exactly what the default seals, and each opens the other\'s, whole or in pieces', () => {
    const k = randomBytes(32)
    const ad = randomBytes(32)
    for (const size of SIZES) {
      for (let n = 0; n < 3; n++) {
        const plain = randomBytes(size)
        const ours = joined(noiseCrypto.chaCha20Poly1305Encrypt(plain, nonceOf(n), ad, k))
        const theirs = joined(defaultCrypto.chaCha20Poly1305Encrypt(plain, nonceOf(n), ad, k))
        expect(ours.equals(theirs)).toBe(true)
        expect(joined(defaultCrypto.chaCha20Poly1305Decrypt(ours, nonceOf(n), ad, k)).equals(plain)).toBe(true)
        expect(joined(noiseCrypto.chaCha20Poly1305Decrypt(theirs, nonceOf(n), ad, k)).equals(plain)).toBe(true)
        // Noise also hands over lists of pieces (a frame that arrived in several socket reads).
        const pieces = list(plain.subarray(0, size >> 1), plain.subarray(size >> 1))
        expect(joined(noiseCrypto.chaCha20Poly1305Encrypt(pieces, nonceOf(n), ad, k)).equals(theirs)).toBe(true)
        const sealedPieces = list(theirs.subarray(0, 7), theirs.subarray(7))
        expect(joined(noiseCrypto.chaCha20Poly1305Decrypt(sealedPieces, nonceOf(n), ad, k)).equals(plain)).toBe(true)
      }
    }
  })

  it('refuses a changed bit in the text or the tag, another nonce, other associated data or another key', () => {
    const k = randomBytes(32)
    const ad = randomBytes(32)
    for (const size of [100, 65519]) {
      const sealed = joined(noiseCrypto.chaCha20Poly1305Encrypt(randomBytes(size), nonceOf(1), ad, k))
      for (const at of [0, size >> 1, size - 1, size, sealed.length - 1]) {
        const bad = Buffer.from(sealed)
        bad[at]! ^= 0x01
        expect(() => noiseCrypto.chaCha20Poly1305Decrypt(bad, nonceOf(1), ad, k)).toThrow()
      }
      expect(() => noiseCrypto.chaCha20Poly1305Decrypt(sealed, nonceOf(2), ad, k)).toThrow()
      expect(() => noiseCrypto.chaCha20Poly1305Decrypt(sealed, nonceOf(1), randomBytes(32), k)).toThrow()
      expect(() => noiseCrypto.chaCha20Poly1305Decrypt(sealed, nonceOf(1), ad, randomBytes(32))).toThrow()
      expect(() => noiseCrypto.chaCha20Poly1305Decrypt(sealed.subarray(0, 10), nonceOf(1), ad, k)).toThrow()
    }
  })

  it('a key array changed in place is used with its new bytes, never a stale cached key', () => {
    const k = randomBytes(32)
    const plain = randomBytes(4096)
    noiseCrypto.chaCha20Poly1305Encrypt(plain, nonceOf(0), new Uint8Array(0), k)
    k.set(randomBytes(32))
    const sealed = joined(noiseCrypto.chaCha20Poly1305Encrypt(plain, nonceOf(0), new Uint8Array(0), k))
    expect(sealed.equals(joined(defaultCrypto.chaCha20Poly1305Encrypt(plain, nonceOf(0), new Uint8Array(0), k)))).toBe(true)
  })
})

const nodes: Libp2p[] = []
const servers: net.Server[] = []
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
  for (const s of servers.splice(0)) s.close()
})

async function lanNode (): Promise<Libp2p> {
  const node = await createNode({ role: 'peer', privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
  await node.start()
  nodes.push(node)
  return node
}

/** A plain libp2p node with libp2p-noise's default crypto. */
async function stockNode (): Promise<Libp2p> {
  const node = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  nodes.push(node)
  return node
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

/** Echoes every stream of /test/echo back to its sender. */
async function echo (node: Libp2p): Promise<void> {
  await node.handle('/test/echo/1', async (stream: Stream) => {
    for await (const buf of stream) {
      if (!stream.send(buf)) await stream.onDrain()
    }
    await stream.close()
  })
}

/** Sends `payload` on a new echo stream and answers what came back. */
async function roundTrip (from: Libp2p, to: ReturnType<typeof multiaddr>, payload: Uint8Array): Promise<Buffer> {
  const stream = await from.dialProtocol(to, '/test/echo/1')
  const back: Uint8Array[] = []
  const reading = (async () => { for await (const buf of stream) back.push(buf.subarray()) })()
  for (let at = 0; at < payload.length; at += 100_000) {
    if (!stream.send(payload.subarray(at, at + 100_000))) await stream.onDrain()
  }
  await stream.close()
  await reading
  return Buffer.concat(back)
}

describe('a LAN Chat node and a stock libp2p node', () => {
  it('handshake and exchange small and large messages, whichever side dials', async () => {
    const ours = await lanNode()
    const theirs = await stockNode()
    await echo(ours)
    await echo(theirs)
    for (const [from, to] of [[ours, theirs], [theirs, ours]] as const) {
      for (const size of [5, 1500, 3 * 1024 * 1024 + 17]) {
        const payload = randomBytes(size)
        expect(sha(await roundTrip(from, to.getMultiaddrs()[0]!, payload))).toBe(sha(payload))
      }
    }
  })

  it('a byte changed on the wire after the handshake ends the connection; the changed data never arrives', async () => {
    const ours = await lanNode()
    const theirs = await stockNode()
    const received: Buffer[] = []
    await ours.handle('/test/sink/1', async (stream: Stream) => {
      for await (const buf of stream) received.push(Buffer.from(buf.subarray()))
    })
    // A relay between the two that flips one bit in the stock node's traffic once armed.
    let armed = false
    const targetPort = Number(ours.getMultiaddrs()[0]!.toString().split('/')[4])
    const relay = net.createServer(client => {
      const upstream = net.connect(targetPort, '127.0.0.1')
      upstream.on('data', d => client.write(d))
      client.on('data', (d: Buffer) => {
        if (armed && d.length > 100) { d[d.length >> 1]! ^= 0x10; armed = false }
        upstream.write(d)
      })
      for (const s of [client, upstream]) s.on('error', () => { client.destroy(); upstream.destroy() })
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    servers.push(relay)
    await new Promise<void>(resolve => relay.listen(0, '127.0.0.1', resolve))
    const port = (relay.address() as net.AddressInfo).port
    const addr = multiaddr(`/ip4/127.0.0.1/tcp/${port}/p2p/${ours.peerId.toString()}`)
    const stream = await theirs.dialProtocol(addr, '/test/sink/1')
    const payload = Buffer.alloc(256 * 1024, 0x61)
    armed = true
    stream.send(payload)
    await until('the connection is closed', () => ours.getConnections(theirs.peerId).length === 0)
    const got = Buffer.concat(received)
    expect(got.length).toBeLessThan(payload.length)
    expect(got.equals(payload.subarray(0, got.length))).toBe(true)
  })
})

describe('where the runtime has no ChaCha20-Poly1305 (Electron, whose Node is built on BoringSSL)', () => {
  it('Noise keeps the library\'s own cipher, and the socket panel\'s words say which one runs', () => {
    // A child Node whose crypto refuses that cipher as Electron's does, and which looks like Electron to the library.
    const asElectron = pathToFileURL(resolve(import.meta.dirname, '../bench/lib/as-electron.mjs')).href
    const probe = "const m = await import('./main/net/noise-crypto.ts'); const d = await import('@chainsafe/libp2p-noise/crypto'); console.log(JSON.stringify({ cipher: m.noiseCipher, isDefault: m.noiseCrypto === d.defaultCrypto }))"
    const run = (...imports: string[]): { cipher: string, isDefault: boolean } => JSON.parse(execFileSync(process.execPath, [...imports.flatMap((i) => ['--import', i]), '--input-type=module', '-e', probe], { cwd: resolve(import.meta.dirname, '..'), encoding: 'utf8' })) as { cipher: string, isDefault: boolean }
    const electron = run('tsx', asElectron)
    expect(electron.isDefault).toBe(true)
    expect(electron.cipher).toMatch(/^ChaCha20-Poly1305 \(WebAssembly/)
    const node = run('tsx')
    expect(node.isDefault).toBe(false)
    expect(node.cipher).toMatch(/^ChaCha20-Poly1305 \(native/)
  })
})
