import { generateKeyPair } from '@libp2p/crypto/keys'
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { HubEndpoint } from '../main/net/hub-endpoint.js'
import { HubLinkTransport } from '../main/net/hub-link.js'
import { createNode, type LanNode } from '../main/net/node.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { Terminal } from '../main/app/terminal.js'
import { cleanupHubs, startClient as startHubClient, startHub as startHubServer, stopHub } from './helpers/hub.js'
import { cleanup, until } from './helpers/peers.js'

// A client's link to its hub backs off while the hub does not answer. When the
// user names another hub, that one is dialled at once: neither the backoff nor
// a dial still waiting on the old address holds it up. The backoff here is a
// minute, so a link up within `until`'s ten seconds was not the backoff's doing.
const MINUTE = { min: 60_000, max: 60_000 }

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c() })

async function startHub (): Promise<{ node: LanNode, addr: string }> {
  const node = await createNode({ role: 'hub', privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
  await node.start()
  const hub = new HubEndpoint(node, { hello: () => ({ type: 'hello', name: 'hub', version: 1, seq: 0 }), pace: async () => {} })
  await hub.start()
  cleanups.push(async () => { await hub.stop(); await node.stop() })
  return { node, addr: node.getMultiaddrs()[0]!.toString() }
}

async function startClient (server: string): Promise<{ client: HubLinkTransport, complaints: string[] }> {
  const client = new HubLinkTransport({
    privateKey: await generateKeyPair('Ed25519'),
    hello: () => ({ type: 'hello', name: 'client', version: 1, seq: 0 }),
    knownHub: () => undefined,
    server,
    retryMs: MINUTE
  })
  const complaints: string[] = []
  client.addEventListener('peer:misbehaved', ({ detail }) => { complaints.push(detail.reason) })
  await client.start()
  cleanups.push(async () => { await client.stop() })
  return { client, complaints }
}

/** A TCP port that takes connections and never says a word: a dial to it waits for its own timeout. */
async function silentPort (): Promise<{ port: number, accepted: () => number }> {
  const sockets: Socket[] = []
  const server: Server = createServer(s => { sockets.push(s) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>(resolve => server.close(() => { resolve() }))
  })
  return { port: (server.address() as { port: number }).port, accepted: () => sockets.length }
}

/** A port nothing listens on: a dial there is refused at once. */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>(resolve => server.close(() => { resolve() }))
  return port
}

describe('the hub link when the user names another hub', () => {
  it('dials the new hub at once, though the old address earned a minute of backoff', async () => {
    const { client, complaints } = await startClient(`/ip4/127.0.0.1/tcp/${await closedPort()}`)
    await until('the old address refused', () => complaints.some(r => r.includes('cannot be reached')))
    const hub = await startHub()
    await client.connect(hub.addr)
    await until('the link to the new hub is up', () => client.hub === hub.node.peerId.toString())
  })

  it('gives up a dial still waiting on the old address, without calling that address unreachable', async () => {
    const silent = await silentPort()
    const { client, complaints } = await startClient(`/ip4/127.0.0.1/tcp/${silent.port}`)
    await until('the dial to the silent address is under way', () => silent.accepted() > 0)
    const hub = await startHub()
    await client.connect(hub.addr)
    // The dial to the silent port would give up only after ten seconds, then wait out a minute of backoff.
    await until('the link to the new hub is up', () => client.hub === hub.node.peerId.toString(), 8_000)
    expect(complaints.filter(r => r.includes(String(silent.port)))).toEqual([])
  })
})

describe('"Try now" when the hub is back on its address', () => {
  it('dials it at once (the window\'s banner, the terminal\'s /dial), though the link backs off for minutes', async () => {
    cleanups.push(async () => { await cleanupHubs(); await cleanup() })
    const h = await startHubServer()
    const listen = [h.addr().replace(/\/p2p\/.*$/, '')]
    const c = await startHubClient('cat', h.addr(), { hubRetry: { min: 5 * 60_000, max: 5 * 60_000 } })
    await until('linked to the hub', () => c.engine.connected)
    // The hub's computer restarts: the link drops, its dial fails, and the next waits minutes.
    await stopHub(h)
    await until('the hub gone', () => !c.engine.connected)
    await new Promise(resolve => setTimeout(resolve, 1_500))
    await startHubServer({ dataDir: h.dataDir, listen })
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(c.engine.connected).toBe(false)
    // The address the banner dials: the hub's, as the peer list has it.
    const address = c.engine.peers().find(p => p.hub === true)?.addrs?.[0]
    expect(address).toBeDefined()
    const term = new Terminal(() => c.engine.peerId)
    const asked = term.command(`/dial ${address!}`)
    if (!('run' in asked)) throw new Error('not a command')
    expect(asked.run).toMatchObject({ operation: 'dial', payload: { address } })
    await dispatchOver(headlessOperations(c.engine))(asked.run.operation, asked.run.payload)
    await until('linked to the hub again', () => c.engine.connected, 10_000)
  }, 30_000)
})
