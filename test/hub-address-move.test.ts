import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'
import { cabledPair, canIsolate, ip } from './helpers/netns.js'
import { ensureBuilt, killAll, lanchat, run } from './helpers/proc.js'
import { HUB_SERVICE_TAG } from '../main/net/constants.js'

/**
 * Client-server mode across a LAN: the hub's computer, and a laptop with its
 * clients, each in a network namespace of its own joined by a virtual cable
 * (veth), mDNS crossing it. The hub's computer takes a new address while its
 * clients are linked, as one that moves from Wi-Fi to Ethernet or gets a new
 * DHCP lease does: their links are dead at both ends, and neither end is told
 * until the pings run out (20 + 30 s).
 */
const isolate = canIsolate()
const cables: Array<ReturnType<typeof cabledPair>> = []

beforeAll(() => {
  ensureBuilt()
}, 120_000)
afterAll(async () => {
  await killAll()
  for (const c of cables) c.remove()
  await cleanup()
})

/** The hub's computer (`desk`) at `from` takes the address `to` in its place (both /24). */
function moveDesk (desk: string, from: string, to: string): void {
  ip('-n', desk, 'addr', 'del', `${from}/24`, 'dev', 'eth0')
  ip('-n', desk, 'addr', 'add', `${to}/24`, 'dev', 'eth0')
  // The kernel dropped the interface's routes with its last address (mDNS's too); a real network's DHCP gives them back.
  ip('-n', desk, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0')
}

describe.skipIf(!isolate)('a hub whose computer takes a new address while its clients are linked (Wi-Fi to Ethernet, a new DHCP lease)', () => {
  it('its clients hear by mDNS where it is and go on within seconds, not when the pings run out', async () => {
    const cable = cabledPair('m', { lap: '10.77.8.5/24', desk: '10.77.8.2/24' }, true)
    cables.push(cable)
    const { lap, desk } = cable
    const hub = lanchat(['server', '--json', '--name', 'hub', '--data', tempDir('lanchat-hub-')], { netns: desk })
    const ready = await hub.waitFor('hub ready', e => e.type === 'ready')
    const port = /\/tcp\/(\d+)/.exec((ready.addrs as string[])[0]!)![1]
    // Both clients find the hub by mDNS (no --server).
    const ann = lanchat(['peer', '--json', '--mode', 'client', '--name', 'ann', '--data', tempDir('lanchat-ann-')], { netns: lap })
    const ben = lanchat(['peer', '--json', '--mode', 'client', '--name', 'ben', '--data', tempDir('lanchat-ben-')], { netns: lap })
    await ann.waitFor('ann linked', e => e.type === 'peer:connect', 30_000)
    await ben.waitFor('ben linked', e => e.type === 'peer:connect', 30_000)
    ann.send({ cmd: 'send', room: 'lobby', text: 'before the move' })
    await ben.waitFor('ben has the first', e => e.type === 'message' && e.text === 'before the move', 10_000)

    moveDesk(desk, '10.77.8.2', '10.77.8.3')
    ann.send({ cmd: 'send', room: 'lobby', text: 'after the move' })
    // The pings of the dead links run out after 20 + 30 s: well before that, the hub has it and ben too.
    const numbered = await hub.waitFor('the hub has it', e => e.type === 'message' && e.text === 'after the move', 25_000)
    await ben.waitFor('ben has it', e => e.type === 'message' && e.id === numbered.id, 5_000)
    ben.send({ cmd: 'send', room: 'lobby', text: 'got it' })
    await ann.waitFor('ann has the answer', e => e.type === 'message' && e.text === 'got it', 5_000)
    // The hub said where it is now; both clients are linked to it there.
    expect(hub.events.findLast(e => e.type === 'addresses')).toMatchObject({ addrs: expect.arrayContaining([`/ip4/10.77.8.3/tcp/${port}/p2p/${ready.peerId as string}`]) })
    for (const c of [ann, ben]) expect(c.events.findLast(e => e.type === 'peer:connect')?.remote).toMatch(/^10\.77\.8\.3:/)
  }, 120_000)

  it('a client whose hub went away comes back to it where mDNS says it is now, not only where it used to be', async () => {
    const cable = cabledPair('r', { lap: '10.77.10.5/24', desk: '10.77.10.2/24' }, true)
    cables.push(cable)
    const { lap, desk } = cable
    const hubData = tempDir('lanchat-hub-')
    const hub = lanchat(['server', '--json', '--name', 'hub', '--data', hubData], { netns: desk })
    const ready = await hub.waitFor('hub ready', e => e.type === 'ready')
    const ann = lanchat(['peer', '--json', '--mode', 'client', '--name', 'ann', '--data', tempDir('lanchat-ann-')], { netns: lap })
    await ann.waitFor('ann linked', e => e.type === 'peer:connect', 30_000)
    // The hub's computer is off the network a while (its link ends: ann retries where it was), then back at another address.
    await hub.kill('SIGTERM')
    await ann.waitFor('ann lost it', e => e.type === 'peer:disconnect', 20_000)
    moveDesk(desk, '10.77.10.2', '10.77.10.3')
    const back = lanchat(['server', '--json', '--name', 'hub', '--data', hubData], { netns: desk })
    expect((await back.waitFor('hub ready again', e => e.type === 'ready')).peerId).toBe(ready.peerId)
    // The same hub (libp2p tells of a peer it knows only once): ann links to it at its new address.
    await ann.waitFor('ann linked again', () => ann.events.filter(e => e.type === 'peer:connect').length === 2, 30_000)
    expect(ann.events.findLast(e => e.type === 'peer:connect')?.remote).toMatch(/^10\.77\.10\.3:/)
  }, 120_000)

  it('drops its links from the old address at once, and tells the LAN by mDNS where it is without being asked', async () => {
    const cable = cabledPair('n', { lap: '10.77.9.5/24', desk: '10.77.9.2/24' }, true)
    cables.push(cable)
    const { lap, desk } = cable
    const hub = lanchat(['server', '--json', '--name', 'hub', '--data', tempDir('lanchat-hub-')], { netns: desk })
    const ready = await hub.waitFor('hub ready', e => e.type === 'ready')
    const port = /\/tcp\/(\d+)/.exec((ready.addrs as string[])[0]!)![1]
    // Clients given the hub's address, without mDNS: they cannot hear where it went.
    const server = `/ip4/10.77.9.2/tcp/${port}/p2p/${ready.peerId as string}`
    for (const name of ['ann', 'ben']) lanchat(['peer', '--json', '--mode', 'client', '--no-mdns', '--server', server, '--name', name, '--data', tempDir(`lanchat-${name}-`)], { netns: lap })
    await hub.waitFor('both clients linked', () => hub.events.filter(e => e.type === 'peer:connect').length === 2, 30_000)
    // Another computer on the LAN that only listens to mDNS, asking nothing (the hub answers its own query every 10 s, a client's every 2 s).
    const listener = run([process.execPath, resolve(import.meta.dirname, 'helpers/mdns-listener.mjs'), HUB_SERVICE_TAG], { netns: lap })
    await listener.waitFor('listening', e => e.type === 'ready')

    moveDesk(desk, '10.77.9.2', '10.77.9.3')
    // Its console says the clients are gone (their links are dead) well before the pings would (20 + 30 s).
    await hub.waitFor('both links dropped', () => hub.events.filter(e => e.type === 'peer:disconnect').length === 2, 20_000)
    // And a computer that asked nothing hears where it is now, in an answer no query asked for.
    const there = `/ip4/10.77.9.3/tcp/${port}/p2p/${ready.peerId as string}`
    await listener.waitFor('the hub tells the LAN unasked', e => e.type === 'answer' && e.asked === false && (e.addrs as string[]).includes(there), 20_000)
  }, 120_000)
})
