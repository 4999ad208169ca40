import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'
import { cabledPair, canIsolate, ip } from './helpers/netns.js'
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'

/**
 * Client-server mode across a LAN: the hub's computer and a client's laptop,
 * each in a network namespace of its own joined by a virtual cable (veth), a
 * second client on the hub's computer. The laptop takes a new address while
 * linked, as one that moves from Wi-Fi to Ethernet or gets a new DHCP lease
 * does. A client listens on nothing, so only its link's own end tells it.
 */
const isolate = canIsolate()
let lap = ''
let desk = ''
let unplug = (): void => {}

beforeAll(() => {
  ensureBuilt()
  if (!isolate) return
  ({ lap, desk, remove: unplug } = cabledPair('h', { lap: '10.77.6.5/24', desk: '10.77.6.2/24' }))
}, 120_000)
afterAll(async () => {
  await killAll()
  unplug()
  await cleanup()
})

describe.skipIf(!isolate)('a client whose laptop takes a new address while linked to its hub (Wi-Fi to Ethernet, a new DHCP lease)', () => {
  it('reaches the hub again within seconds, not when the dead link\'s pings run out: what it writes reaches the others and theirs reach it', async () => {
    const hub = lanchat(['server', '--json', '--no-mdns', '--name', 'hub', '--data', tempDir('lanchat-hub-')], { netns: desk })
    const ready = await hub.waitFor('hub ready', e => e.type === 'ready')
    const port = /\/tcp\/(\d+)/.exec((ready.addrs as string[])[0]!)![1]
    const server = `/ip4/10.77.6.2/tcp/${port}/p2p/${ready.peerId as string}`
    const ann = lanchat(['peer', '--json', '--mode', 'client', '--no-mdns', '--server', server, '--name', 'ann', '--data', tempDir('lanchat-ann-')], { netns: lap })
    const ben = lanchat(['peer', '--json', '--mode', 'client', '--no-mdns', '--server', server, '--name', 'ben', '--data', tempDir('lanchat-ben-')], { netns: desk })
    await ann.waitFor('ann linked', e => e.type === 'peer:connect', 30_000)
    await ben.waitFor('ben linked', e => e.type === 'peer:connect', 30_000)
    ann.send({ cmd: 'send', room: 'lobby', text: 'before the move' })
    await ben.waitFor('ben has the first', e => e.type === 'message' && e.text === 'before the move', 10_000)

    // Ann's laptop takes another address; the link's socket at 10.77.6.5 is dead at both ends, and neither is told.
    ip('-n', lap, 'addr', 'del', '10.77.6.5/24', 'dev', 'wlan0')
    ip('-n', lap, 'addr', 'add', '10.77.6.9/24', 'dev', 'wlan0')
    ann.send({ cmd: 'send', room: 'lobby', text: 'after the move' })
    // The pings of the dead link run out after 20 + 30 s: well before that, ann has redialed the hub from where she is now.
    const numbered = await hub.waitFor('the hub has it', e => e.type === 'message' && e.text === 'after the move', 20_000)
    await ben.waitFor('ben has it', e => e.type === 'message' && e.id === numbered.id, 10_000)
    await ann.waitFor('ann sees it numbered', e => e.type === 'message' && e.id === numbered.id, 10_000)
    ben.send({ cmd: 'send', room: 'lobby', text: 'got it' })
    await ann.waitFor('ann has the answer', e => e.type === 'message' && e.text === 'got it', 10_000)
    // She is linked again, from her new address.
    const relinked = ann.events.findLast(e => e.type === 'peer:connect')
    expect(relinked?.local).toMatch(/^10\.77\.6\.9:/)
  }, 90_000)
})
