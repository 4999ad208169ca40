/**
 * The network key (Settings → "Only computers with this network key can
 * connect"; `--network-key`): real libp2p nodes on loopback. With the same
 * key peers connect and chat as before; with another key, or from a stock
 * libp2p node with no key, the connection fails during the handshake and the
 * other side never sees a peer.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ChatApp } from '../main/app/service.js'
import { createChatEngine, Engine } from '../main/chat/index.js'
import { createNode, type LanNode } from '../main/net/node.js'
import { generateNetworkKey, parseNetworkKey } from '../main/net/network-key.js'
import { cleanupHubs, startClient, startHub } from './helpers/hub.js'
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'
import { cleanup, startPeer, tempDir, until } from './helpers/peers.js'

const nodes: Libp2p[] = []
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c()
  await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
  await cleanupHubs()
  await killAll()
  await cleanup()
})

async function peerNode (networkKey?: string): Promise<LanNode> {
  const node = await createNode({ role: 'peer', privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, ...(networkKey !== undefined ? { networkKey } : {}) })
  await node.start()
  nodes.push(node)
  return node
}

/** A plain libp2p node as anyone could run it: TCP, Noise, yamux, no network key. */
async function stockNode (): Promise<Libp2p> {
  const node = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  nodes.push(node)
  return node
}

const addrOf = (n: Libp2p): ReturnType<typeof multiaddr> => n.getMultiaddrs()[0]!

describe('the network key', () => {
  it('reads 64 hex digits (any case, spaced or dashed) or a swarm key file; anything else is a NetworkKeyError', () => {
    const key = generateNetworkKey()
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(generateNetworkKey()).not.toBe(key)
    expect(parseNetworkKey(` ${key.toUpperCase().match(/.{8}/g)!.join('-')}\n`)).toBe(key)
    expect(parseNetworkKey(`/key/swarm/psk/1.0.0/\n/base16/\n${key}\n`)).toBe(key)
    for (const bad of ['', 'hello', key.slice(1), key + '0', key.replace(/^./, 'g'), '0'.repeat(64), `/key/swarm/psk/1.0.0/\n/base64/\n${key}`]) {
      expect(() => parseNetworkKey(bad), bad).toThrow(expect.objectContaining({ name: 'NetworkKeyError' }))
    }
  })

  it('connects nodes with the same key; another key or no key fails at the handshake, and the listener sees no peer', async () => {
    const key = generateNetworkKey()
    const a = await peerNode(key)
    const b = await peerNode(key)
    await a.dial(addrOf(b))
    await until('b sees a', () => b.getConnections().some(c => c.remotePeer.equals(a.peerId)))
    expect(await a.services.ping.ping(b.peerId)).toBeGreaterThanOrEqual(0)

    const wrong = await peerNode(generateNetworkKey())
    await expect(wrong.dial(addrOf(b), { signal: AbortSignal.timeout(2_000) })).rejects.toThrow()
    await expect(b.dial(addrOf(wrong), { signal: AbortSignal.timeout(2_000) })).rejects.toThrow()

    const stranger = await stockNode()
    await expect(stranger.dial(addrOf(b), { signal: AbortSignal.timeout(2_000) })).rejects.toThrow()
    await expect(b.dial(addrOf(stranger), { signal: AbortSignal.timeout(2_000) })).rejects.toThrow()
    // Our own node without a key cannot reach a keyed one either.
    const open = await peerNode()
    await expect(open.dial(addrOf(a), { signal: AbortSignal.timeout(2_000) })).rejects.toThrow()

    expect(b.getConnections().map(c => c.remotePeer.toString())).toEqual([a.peerId.toString()])
    for (const n of [wrong, stranger, open]) expect(n.getConnections()).toEqual([])
  })

  it('two peers with the key chat as before; a peer with another key never connects', async () => {
    const key = generateNetworkKey()
    const a = await startPeer('ann', { networkKey: key })
    const b = await startPeer('ben', { networkKey: key.toUpperCase() })
    await b.engine.dial(a.addr())
    await a.engine.send('lobby', 'only for key holders')
    await until('ben has it', () => b.delivered().includes('only for key holders'))

    const c = await startPeer('cat', { networkKey: generateNetworkKey() })
    await expect(c.engine.dial(a.addr())).rejects.toThrow()
    expect(a.engine.peers().filter(p => p.connected).map(p => p.name)).toEqual(['ben'])
    expect(c.delivered()).toEqual([])
  })

  it('a malformed key stops an engine before it opens anything', () => {
    expect(() => new Engine({ dataDir: tempDir(), networkKey: 'abc' })).toThrow(expect.objectContaining({ name: 'NetworkKeyError' }))
  })

  it('the hub honours it: a client with the key is served, one without never connects', async () => {
    const key = generateNetworkKey()
    const h = await startHub({ networkKey: key })
    const ok = await startClient('ok', h.addr(), { networkKey: key })
    await until('the keyed client is connected', () => ok.engine.connected)
    await ok.engine.send('lobby', 'numbered by a keyed hub')
    await until('delivered', () => ok.delivered().some(m => m.text === 'numbered by a keyed hub' && m.seq === 1))

    const outsider = await startClient('out', h.addr())
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(outsider.engine.connected).toBe(false)
    expect(h.events.filter(e => e.type === 'peer:connect').length).toBe(1)
  })

  it('in the app, a malformed key is refused with NetworkKeyError and changes nothing; a good one is saved and used', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-key-'))
    closers.push(() => rm(dataDir, { recursive: true, force: true }))
    const app = await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name: 'Ann' } })
    closers.push(() => app.close())
    const before = await readFile(join(dataDir, 'app-settings.json'), 'utf8').catch(() => '')
    await expect(app.saveSettings({ networkKey: 'not a key', listenPort: 1 })).rejects.toMatchObject({ name: 'NetworkKeyError' })
    expect(app.settings.networkKey).toBeUndefined()
    expect(app.settings.listenPort).toBe(0)
    expect(await readFile(join(dataDir, 'app-settings.json'), 'utf8').catch(() => '')).toBe(before)
    expect(app.status.state).toBe('running')

    const key = generateNetworkKey()
    await app.saveSettings({ networkKey: key.toUpperCase() })
    expect(app.settings.networkKey).toBe(key)
    expect(app.status.state).toBe('running')
    const stranger = await stockNode()
    const addr = app.status.state === 'running' ? app.status.addrs[0]! : ''
    await expect(stranger.dial(multiaddr(addr), { signal: AbortSignal.timeout(2_000) })).rejects.toThrow()
    const friend = await startPeer('ben', { networkKey: key })
    await friend.engine.dial(addr)
    await app.send('lobby', 'hello friend')
    await until('friend has it', () => friend.delivered().includes('hello friend'))

    await app.saveSettings({ networkKey: '' })
    expect(JSON.parse(await readFile(join(dataDir, 'app-settings.json'), 'utf8'))).not.toHaveProperty('networkKey')
  })

  describe('bin/lanchat', () => {
    it('prints a new key; --network-key keeps two processes together and an engine without it out; a malformed key exits 2 saying why', async () => {
      ensureBuilt()
      const gen = lanchat(['network-key'])
      await gen.exited
      const key = (gen.events[0] as { line?: string }).line ?? ''
      expect(key).toMatch(/^[0-9a-f]{64}$/)

      const bad = lanchat(['peer', '--json', '--no-mdns', '--data', tempDir(), '--network-key', 'xyz'])
      expect(await bad.exited).toBe(2)
      expect(bad.stderr.join('\n')).toMatch(/network key has only the digits/)
      expect(bad.events).toEqual([])

      const a = lanchat(['peer', '--json', '--no-mdns', '--name', 'a', '--data', tempDir(), '--listen', '/ip4/127.0.0.1/tcp/0', '--network-key', key])
      const ready = await a.waitFor('a ready', e => e.type === 'ready') as { addrs?: string[] }
      const addr = ready.addrs![0]!
      const b = lanchat(['peer', '--json', '--no-mdns', '--name', 'b', '--data', tempDir(), '--listen', '/ip4/127.0.0.1/tcp/0', '--network-key', key, '--dial', addr])
      await b.waitFor('b connected', e => e.type === 'peer:connect')
      const outsider = await startPeer('out')
      await expect(outsider.engine.dial(addr)).rejects.toThrow()
      a.send({ cmd: 'send', text: 'keyed' })
      await b.waitFor('b has it', e => e.type === 'message' && e.text === 'keyed')
      expect(a.events.filter(e => e.type === 'peer:connect').length).toBe(1)
    })

    it('a dial refused for a key on one side only names the flag that sets it, not the app\'s Settings', async () => {
      ensureBuilt()
      const key = 'ab'.repeat(32)
      const a = lanchat(['peer', '--json', '--no-mdns', '--name', 'a', '--data', tempDir(), '--listen', '/ip4/127.0.0.1/tcp/0', '--network-key', key])
      const addr = ((await a.waitFor('a ready', e => e.type === 'ready')) as { addrs?: string[] }).addrs![0]!
      const b = lanchat(['peer', '--json', '--no-mdns', '--name', 'b', '--data', tempDir(), '--listen', '/ip4/127.0.0.1/tcp/0'])
      await b.waitFor('b ready', e => e.type === 'ready')
      b.send({ cmd: 'dial', addr, ref: 1 })
      const refused = await b.waitFor('refused', e => e.type === 'error' && e.ref === 1)
      expect(refused).toMatchObject({ code: 'ConnectError' })
      expect(refused.message).toMatch(/one of you uses a network key the other does not \(--network-key KEY or --network-key-file F: the same key on both, or on neither\)\.$/)
    })
  })
})
