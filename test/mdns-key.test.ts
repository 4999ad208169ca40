import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateNetworkKey } from '../main/net/network-key.js'
import { cleanup, tempDir } from './helpers/peers.js'
import { canIsolate, isolatedNetwork } from './helpers/netns.js'
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'

// mDNS with a network key (issue 16): key holders find each other and only
// each other. Inside a private network namespace, as test/mdns.test.ts.
const isolate = canIsolate()
let net: ReturnType<typeof isolatedNetwork> | undefined

beforeAll(() => {
  ensureBuilt()
  if (isolate) net = isolatedNetwork('mdnskey')
}, 120_000)
afterAll(async () => {
  await killAll()
  net?.remove()
  await cleanup()
})

describe.skipIf(!isolate)('mDNS with a network key (in an isolated network namespace)', () => {
  it('two peers with the key find each other and chat; a peer without it and one with another key find no one', async () => {
    const key = generateNetworkKey()
    const start = (name: string, extra: string[]): ReturnType<typeof lanchat> =>
      lanchat(['peer', '--json', '--name', name, '--data', tempDir(`lanchat-${name}-`), ...extra], { netns: net!.name })
    const a = start('ann', ['--network-key', key])
    const b = start('ben', ['--network-key', key])
    const c = start('cat', [])
    const d = start('dan', ['--network-key', generateNetworkKey()])
    await a.waitFor('a discovered b', e => e.type === 'peer:connect' && e.name === 'ben')
    await b.waitFor('b discovered a', e => e.type === 'peer:connect' && e.name === 'ann')
    a.send({ cmd: 'send', room: 'lobby', text: 'key holders only' })
    await b.waitFor('b got it', e => e.type === 'message' && e.text === 'key holders only')
    // Two more mDNS rounds (5 s each) for the others to find anyone.
    await new Promise(resolve => setTimeout(resolve, 11_000))
    for (const p of [c, d]) expect(p.events.filter(e => e.type === 'peer:connect' || e.type === 'message')).toEqual([])
    expect(a.events.filter(e => e.type === 'peer:connect').map(e => e.name)).toEqual(['ben'])
  }, 60_000)

  it('a client with the key finds a keyed hub by mDNS', async () => {
    const key = generateNetworkKey()
    const hub = lanchat(['server', '--json', '--data', tempDir('lanchat-hub-'), '--network-key', key], { netns: net!.name })
    const ready = await hub.waitFor('hub ready', e => e.type === 'ready')
    const client = lanchat(['peer', '--json', '--mode', 'client', '--name', 'finder', '--data', tempDir('lanchat-finder-'), '--network-key', key], { netns: net!.name })
    const joined = await client.waitFor('client joined', e => e.type === 'peer:connect')
    expect(joined.peerId).toBe(ready.peerId)
  })
})
