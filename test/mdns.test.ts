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

  it('a client with no server address finds the hub, and finds it again after the hub is killed and restarted', async () => {
    const hubDir = tempDir('lanchat-hub-')
    const hub = lanchat(['server', '--json', '--data', hubDir], { netns: net!.name })
    const ready = await hub.waitFor('hub ready', e => e.type === 'ready')
    const client = lanchat(['peer', '--json', '--mode', 'client', '--name', 'finder', '--data', tempDir('lanchat-finder-')], { netns: net!.name })
    const joined = await client.waitFor('client joined', e => e.type === 'peer:connect')
    expect(joined.peerId).toBe(ready.peerId)
    await until('hub sees the client', () => hub.events.some(e => e.type === 'peer:connect'))

    // The server's computer restarts it: the client, which knows it only by mDNS, hears it again and rejoins.
    await hub.kill('SIGKILL')
    await client.waitFor('client lost the hub', e => e.type === 'peer:disconnect')
    client.send({ cmd: 'send', text: 'written while the hub was down' })
    await client.waitFor('kept as pending', e => e.type === 'pending')
    const again = lanchat(['server', '--json', '--data', hubDir], { netns: net!.name })
    expect((await again.waitFor('hub ready again', e => e.type === 'ready')).peerId).toBe(ready.peerId)
    const delivered = await client.waitFor('delivered through the restarted hub', e => e.type === 'message' && e.text === 'written while the hub was down')
    expect(delivered.seq).toBeGreaterThan(0)
    expect(client.events.filter(e => e.type === 'peer:connect' && e.peerId === ready.peerId)).toHaveLength(2)
  })
})
