import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { canIsolate, isolatedNetwork } from './helpers/netns.js'
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'

// mDNS multicasts: these tests run only inside a private network namespace, so
// the queries never leave this machine.
const isolate = canIsolate()
let net: ReturnType<typeof isolatedNetwork> | undefined

beforeAll(() => {
  ensureBuilt()
  if (isolate) net = isolatedNetwork('mdns')
}, 120_000)
afterAll(async () => {
  await killAll()
  net?.remove()
  await cleanup()
})

describe.skipIf(!isolate)('LAN discovery by mDNS (in an isolated network namespace)', () => {
  it('two peers started with no flags find each other and chat', async () => {
    const [a, b] = ['ann', 'ben'].map(name =>
      lanchat(['peer', '--json', '--name', name, '--data', tempDir(`lanchat-${name}-`)], { netns: net!.name }))
    const readyA = await a!.waitFor('a ready', e => e.type === 'ready')
    expect((readyA.addrs as string[]).length).toBeGreaterThan(0)
    await a!.waitFor('a discovered b', e => e.type === 'peer:connect' && e.name === 'ben')
    await b!.waitFor('b discovered a', e => e.type === 'peer:connect' && e.name === 'ann')
    a!.send({ cmd: 'send', room: 'lobby', text: 'found you' })
    const got = await b!.waitFor('b got it', e => e.type === 'message' && e.text === 'found you')
    expect(got.name).toBe('ann')
  })

  it('a client with no server address finds the hub', async () => {
    const hub = lanchat(['server', '--json', '--data', tempDir('lanchat-hub-')], { netns: net!.name })
    const ready = await hub.waitFor('hub ready', e => e.type === 'ready')
    const client = lanchat(['peer', '--json', '--mode', 'client', '--name', 'finder', '--data', tempDir('lanchat-finder-')], { netns: net!.name })
    const joined = await client.waitFor('client joined', e => e.type === 'peer:connect')
    expect(joined.peerId).toBe(ready.peerId)
    await until('hub sees the client', () => hub.events.some(e => e.type === 'peer:connect'))
  })
})
