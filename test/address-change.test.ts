import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'
import { canIsolate, ip as ipAt, isolatedNetwork } from './helpers/netns.js'
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'

/**
 * A laptop that changes networks while LAN Chat runs (Wi-Fi to Ethernet, a
 * new DHCP lease, a VPN on and off): it listens on every interface, so the
 * addresses others reach it at change under it. In a network namespace of
 * its own, whose addresses the test changes as the network would.
 */
const isolate = canIsolate()
let net: ReturnType<typeof isolatedNetwork> | undefined

beforeAll(() => {
  ensureBuilt()
  if (isolate) net = isolatedNetwork('moves')
}, 120_000)
afterAll(async () => {
  await killAll()
  net?.remove()
  await cleanup()
})

/** `ip` inside the test's namespace. */
const ip = (...args: string[]): void => { ipAt('-n', net!.name, ...args) }

describe.skipIf(!isolate)('a computer whose network addresses change while LAN Chat runs', () => {
  it('says where others reach it now, in --json and in the terminal', async () => {
    const json = lanchat(['peer', '--json', '--name', 'ann', '--data', tempDir('lanchat-ann-')], { netns: net!.name })
    const term = lanchat(['peer', '--name', 'ben', '--data', tempDir('lanchat-ben-')], { netns: net!.name })
    const ready = await json.waitFor('ann ready', e => e.type === 'ready')
    const port = /\/tcp\/(\d+)/.exec((ready.addrs as string[])[0]!)![1]
    await term.waitFor('ben ready', e => e.type === 'not-json' && String(e.line).includes('others reach you at'))
    expect(ready.addrs).not.toContainEqual(expect.stringContaining('10.77.0.5'))

    // It joins a network: DHCP gives it 10.77.0.5.
    ip('addr', 'add', '10.77.0.5/24', 'dev', 'lo')
    const joined = await json.waitFor('ann tells its new address', e => e.type === 'addresses' && (e.addrs as string[]).some(a => a.startsWith('/ip4/10.77.0.5/')), 15_000)
    expect(joined.addrs).toContain(`/ip4/10.77.0.5/tcp/${port}/p2p/${ready.peerId as string}`)
    await term.waitFor('ben\'s terminal says it', e => e.type === 'not-json' && /network changed/.test(String(e.line)), 15_000)
    await term.waitFor('with the address', e => e.type === 'not-json' && String(e.line).trim().startsWith('10.77.0.5:'), 5_000)

    // A new lease: 10.77.0.5 is gone, 10.77.0.9 is where it is now.
    ip('addr', 'del', '10.77.0.5/24', 'dev', 'lo')
    ip('addr', 'add', '10.77.0.9/24', 'dev', 'lo')
    const moved = await json.waitFor('ann tells the new lease', e => e.type === 'addresses' && (e.addrs as string[]).some(a => a.startsWith('/ip4/10.77.0.9/')), 15_000)
    expect((moved.addrs as string[]).some(a => a.startsWith('/ip4/10.77.0.5/'))).toBe(false)
  }, 60_000)

  it('a server says it too, to its console and --json', async () => {
    const hub = lanchat(['server', '--json', '--data', tempDir('lanchat-hub-')], { netns: net!.name })
    const ready = await hub.waitFor('hub ready', e => e.type === 'ready')
    const port = /\/tcp\/(\d+)/.exec((ready.addrs as string[])[0]!)![1]
    const plain = lanchat(['server', '--data', tempDir('lanchat-hub2-')], { netns: net!.name })
    await plain.waitFor('console ready', e => e.type === 'not-json' && String(e.line).includes('clients connect with'))
    ip('addr', 'add', '10.77.1.5/24', 'dev', 'lo')
    const moved = await hub.waitFor('the hub tells its new address', e => e.type === 'addresses' && (e.addrs as string[]).some(a => a.startsWith('/ip4/10.77.1.5/')), 15_000)
    expect(moved.addrs).toContain(`/ip4/10.77.1.5/tcp/${port}/p2p/${ready.peerId as string}`)
    await plain.waitFor('the console says where clients connect now', e => e.type === 'not-json' && String(e.line).trim().startsWith('10.77.1.5:'), 15_000)
  }, 60_000)
})
