/**
 * Noise with its ChaCha20-Poly1305 keys imported once per key
 * (main/net/noise-crypto.ts): the same AEAD as libp2p-noise's default, so
 * each side's frames open on the other; a changed bit anywhere is refused;
 * and a LAN Chat node and a stock libp2p node (the default crypto) handshake
 * and exchange data both ways, while a byte changed on the wire ends the
 * connection instead of reaching the application. Where node:crypto has no
 * such cipher (Electron), libsodium's takes its place, with the same bytes.
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
import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Uint8ArrayList } from 'uint8arraylist'
import { afterEach, describe, expect, it } from 'vitest'
import { createNode } from '../main/net/node.js'
import { noiseCrypto } from '../main/net/noise-crypto.js'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, lanchat } from './helpers/proc.js'
import { relay } from './helpers/relay.js'

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

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
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
  for (const close of closers.splice(0)) await close()
  await cleanup()
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
    const flipper = await relay(targetPort, {
      alter: d => { if (armed && d.length > 100) { d[d.length >> 1]! ^= 0x10; armed = false } }
    })
    closers.push(flipper.close)
    const port = flipper.port
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
  const root = resolve(import.meta.dirname, '..')
  // A child Node whose crypto refuses that cipher as Electron's does, and which looks like Electron to the library.
  const asElectron = pathToFileURL(resolve(root, 'bench/lib/as-electron.mjs')).href
  const inChild = (script: string, imports: string[], env: Record<string, string> = {}, input = ''): string =>
    execFileSync(process.execPath, [...imports.flatMap((i) => ['--import', i]), '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', input, env: { ...process.env, ...env } })

  it('Noise takes libsodium\'s cipher, or the library\'s own without the addon, and the socket panel\'s words say which one runs', () => {
    const probe = "const m = await import('./main/net/noise-crypto.ts'); const d = await import('@chainsafe/libp2p-noise/crypto'); console.log(JSON.stringify({ cipher: m.noiseCipher, isDefault: m.noiseCrypto === d.defaultCrypto }))"
    const run = (imports: string[], env: Record<string, string> = {}): { cipher: string, isDefault: boolean } => JSON.parse(inChild(probe, imports, env)) as { cipher: string, isDefault: boolean }
    const electron = run(['tsx', asElectron])
    expect(electron.isDefault).toBe(false)
    expect(electron.cipher).toMatch(/^ChaCha20-Poly1305 \(native, libsodium/)
    const withoutAddon = run(['tsx', asElectron], { AS_ELECTRON_WITHOUT_SODIUM: '1' })
    expect(withoutAddon.isDefault).toBe(true)
    expect(withoutAddon.cipher).toMatch(/^ChaCha20-Poly1305 \(WebAssembly/)
    const node = run(['tsx'])
    expect(node.isDefault).toBe(false)
    expect(node.cipher).toMatch(/^ChaCha20-Poly1305 \(native, this runtime/)
  })

  it('libsodium seals byte for byte what OpenSSL seals, opens it, and refuses a changed bit, another nonce or other associated data', () => {
    // Frames sealed here by Node's OpenSSL, checked in the Electron-like child through noiseCrypto (libsodium there).
    const k = randomBytes(32)
    const ad = randomBytes(32)
    const cases = [0, 1, 1199, 1200, 4096, 65519].map((size, n) => {
      const plain = randomBytes(size)
      const c = createCipheriv('chacha20-poly1305', k, nonceOf(n), { authTagLength: 16 })
      c.setAAD(ad, { plaintextLength: size })
      const sealed = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()])
      return { n, plain: plain.toString('hex'), sealed: sealed.toString('hex') }
    })
    const check = `
      const { noiseCrypto, noiseCipher } = await import('./main/net/noise-crypto.ts')
      const { Uint8ArrayList } = await import('uint8arraylist')
      const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))
      const hex = (b) => Buffer.from(b instanceof Uint8Array ? b : b.subarray()).toString('hex')
      const k = Buffer.from(input.k, 'hex'); const ad = Buffer.from(input.ad, 'hex')
      const nonceOf = (n) => { const b = Buffer.alloc(12); b.writeUInt32LE(n, 4); return b }
      const refused = (f) => { try { f(); return false } catch { return true } }
      const out = input.cases.map(({ n, plain, sealed }) => {
        const p = Buffer.from(plain, 'hex'); const s = Buffer.from(sealed, 'hex')
        const flipped = Buffer.from(s); flipped[flipped.length >> 1] ^= 1
        return {
          sealsTheSame: hex(noiseCrypto.chaCha20Poly1305Encrypt(p, nonceOf(n), ad, k)) === sealed,
          sealsPiecesTheSame: hex(noiseCrypto.chaCha20Poly1305Encrypt(new Uint8ArrayList(p.subarray(0, p.length >> 1), p.subarray(p.length >> 1)), nonceOf(n), ad, k)) === sealed,
          opens: hex(noiseCrypto.chaCha20Poly1305Decrypt(new Uint8ArrayList(s.subarray(0, 7), s.subarray(7)), nonceOf(n), ad, k)) === plain,
          refusesAChangedBit: refused(() => noiseCrypto.chaCha20Poly1305Decrypt(flipped, nonceOf(n), ad, k)),
          refusesAnotherNonce: refused(() => noiseCrypto.chaCha20Poly1305Decrypt(s, nonceOf(n + 1), ad, k)),
          refusesOtherData: refused(() => noiseCrypto.chaCha20Poly1305Decrypt(s, nonceOf(n), Buffer.alloc(32), k))
        }
      })
      console.log(JSON.stringify({ cipher: noiseCipher, out }))`
    const script = `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${check}`
    const result = JSON.parse(inChild(script, ['tsx', asElectron], {}, JSON.stringify({ k: k.toString('hex'), ad: ad.toString('hex'), cases }))) as { cipher: string, out: Array<Record<string, boolean>> }
    expect(result.cipher).toMatch(/libsodium/)
    expect(result.out).toHaveLength(cases.length)
    for (const r of result.out) {
      expect(r).toEqual({ sealsTheSame: true, sealsPiecesTheSame: true, opens: true, refusesAChangedBit: true, refusesAnotherNonce: true, refusesOtherData: true })
    }
  })

  it('a peer with the desktop app\'s crypto and a headless peer chat and move a file both ways', async () => {
    ensureBuilt()
    const loop = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
    const desk = lanchat(['peer', '--json', '--name', 'desk', '--data', tempDir('lanchat-desk-'), '--downloads', tempDir('lanchat-dl-'), ...loop], { env: { NODE_OPTIONS: `--import=${asElectron}` } })
    const head = lanchat(['peer', '--json', '--name', 'head', '--data', tempDir('lanchat-head-'), '--downloads', tempDir('lanchat-dl-'), ...loop])
    try {
      const ready = await desk.waitFor('desk ready', e => e.type === 'ready')
      await head.waitFor('head ready', e => e.type === 'ready')
      head.send({ cmd: 'dial', addr: (ready.addrs as string[])[0] })
      await desk.waitFor('desk sees head', e => e.type === 'peer:connect')
      desk.send({ cmd: 'send', room: 'lobby', text: 'from the desktop' })
      head.send({ cmd: 'send', room: 'lobby', text: 'from the server' })
      await head.waitFor('the desktop\'s message', e => e.type === 'message' && e.text === 'from the desktop')
      await desk.waitFor('the server\'s message', e => e.type === 'message' && e.text === 'from the server')
      // Files of several full Noise frames each way: every large frame sealed or opened by libsodium on one end, OpenSSL on the other.
      for (const [from, to] of [[desk, head], [head, desk]] as const) {
        const bytes = randomBytes(3 * 1024 * 1024 + 17)
        const src = join(tempDir('lanchat-src-'), 'frames.bin')
        writeFileSync(src, bytes)
        from.send({ cmd: 'file', room: 'lobby', path: src })
        const msg = await to.waitFor('the file message', e => e.type === 'message' && (e.file as { sha256?: string } | undefined)?.sha256 === sha256(bytes))
        to.send({ cmd: 'download', id: msg.id })
        const done = await to.waitFor('the download', e => (e.type === 'file:done' || e.type === 'file:failed') && e.id === msg.id, 60_000)
        expect(done.type).toBe('file:done')
        expect(sha256(readFileSync(done.path as string))).toBe(sha256(bytes))
      }
    } finally {
      await desk.kill(); await head.kill()
    }
  }, 120_000)
})
