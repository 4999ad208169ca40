import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LANCHAT_PEER_SERVICE_TAG, PEER_SERVICE_TAG } from '../main/net/constants.js'
import { cleanup, tempDir } from './helpers/peers.js'
import { canIsolate, isolatedNetwork } from './helpers/netns.js'
import { ensureBuilt, jsonProc, killAll, lanchat, type Proc } from './helpers/proc.js'

// Which mDNS name keyless peers ask and answer under, with other libp2p programs and older
// builds on the LAN. Each test in a private network namespace of its own (test/mdns.test.ts).
const isolate = canIsolate()
const nets: Array<ReturnType<typeof isolatedNetwork>> = []
let n = 0

beforeAll(() => { ensureBuilt() }, 120_000)
afterEach(async () => {
  await killAll()
  for (const net of nets.splice(0)) net.remove()
})
afterAll(async () => { await cleanup() })

function lan (): string {
  const net = isolatedNetwork(`mdnstag${n++}`)
  nets.push(net)
  return net.name
}

/** One of test/helpers/mdns-node.ts's actors (an older build, another libp2p program, a listener) in `netns`. */
const actor = (netns: string, ...args: string[]): Proc =>
  jsonProc([process.execPath, '--import', 'tsx', 'test/helpers/mdns-node.ts', ...args], { netns })

const peer = (netns: string, name: string): Proc =>
  lanchat(['peer', '--json', '--name', name, '--data', tempDir(`lanchat-${name}-`)], { netns })

describe.skipIf(!isolate)('LAN Chat\'s own mDNS name (in isolated network namespaces)', () => {
  it('two peers ask and answer under LAN Chat\'s own name, and find each other', async () => {
    const net = lan()
    const sniff = actor(net, 'sniff')
    await sniff.waitFor('listening', e => e.type === 'ready')
    const [a, b] = [peer(net, 'ann'), peer(net, 'ben')]
    const ids = await Promise.all([a, b].map(async p => (await p.waitFor('ready', e => e.type === 'ready')).peerId as string))
    await a.waitFor('a found b', e => e.type === 'peer:connect' && e.name === 'ben')
    await b.waitFor('b found a', e => e.type === 'peer:connect' && e.name === 'ann')
    await sniff.waitFor('asked under LAN Chat\'s name', e => e.type === 'query' && e.tag === LANCHAT_PEER_SERVICE_TAG, 10_000)
    for (const id of ids) await sniff.waitFor(`${id} answered under it`, e => e.type === 'answer' && e.tag === LANCHAT_PEER_SERVICE_TAG && e.peerId === id, 10_000)
  }, 60_000)

  it('another libp2p program under libp2p\'s generic name is dialed once, hung up on, and not listed as a peer', async () => {
    const net = lan()
    const other = actor(net, 'plain')
    const otherId = (await other.waitFor('other ready', e => e.type === 'ready')).peerId as string
    const a = peer(net, 'ann')
    const annId = (await a.waitFor('ready', e => e.type === 'ready')).peerId as string
    const dialedByAnn = (): number => other.events.filter(e => e.type === 'connection' && e.peerId === annId && e.direction === 'inbound').length
    await other.waitFor('ann found it by mDNS and dialed it', () => dialedByAnn() > 0, 20_000)
    await other.waitFor('ann hung up: it is no LAN Chat peer', e => e.type === 'closed' && e.peerId === annId, 10_000)
    // Three more of its mDNS rounds (2 s each), each telling ann of it again.
    await new Promise(resolve => setTimeout(resolve, 7_000))
    expect(dialedByAnn()).toBe(1)
    a.send({ cmd: 'peers' })
    const listed = await a.waitFor('peers', e => e.type === 'peers')
    expect((listed.peers as Array<{ peerId: string }>).map(p => p.peerId)).not.toContain(otherId)
    a.send({ cmd: 'stats' })
    const stats = await a.waitFor('stats', e => e.type === 'stats')
    expect(JSON.stringify(stats)).not.toContain(otherId)
  }, 60_000)

  it('a peer of an older build (libp2p\'s generic name only) and a new one find each other', async () => {
    const net = lan()
    const sniff = actor(net, 'sniff')
    await sniff.waitFor('listening', e => e.type === 'ready')
    const old = actor(net, 'old', 'olga', tempDir('lanchat-olga-'))
    await old.waitFor('olga ready', e => e.type === 'ready')
    const nina = peer(net, 'nina')
    const ninaId = (await nina.waitFor('ready', e => e.type === 'ready')).peerId as string
    await nina.waitFor('nina found olga', e => e.type === 'peer:connect' && e.name === 'olga', 30_000)
    await old.waitFor('olga found nina', e => e.type === 'peer:connect' && e.name === 'nina', 30_000)
    // Nina answers under the older builds' name too: how one that has not dialed her yet finds her.
    await sniff.waitFor('nina answers under the generic name', e => e.type === 'answer' && e.tag === PEER_SERVICE_TAG && e.peerId === ninaId, 10_000)
  }, 60_000)
})
