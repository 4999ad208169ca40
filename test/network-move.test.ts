import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'
import { cabledPair, canIsolate, ip } from './helpers/netns.js'

/**
 * Two computers on one LAN, each in a network namespace of its own joined by
 * a virtual cable (veth), mDNS crossing it: one takes a new address while
 * they are linked, as a laptop that moves from Wi-Fi to Ethernet does.
 */
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'

const isolate = canIsolate()
let lap = ''
let desk = ''
let unplug = (): void => {}
const moreCables: Array<{ remove: () => void }> = []

beforeAll(() => {
  ensureBuilt()
  if (!isolate) return
  ({ lap, desk, remove: unplug } = cabledPair('', { lap: '10.77.4.5/24', desk: '10.77.4.2/24' }, true))
}, 120_000)
afterAll(async () => {
  await killAll()
  unplug()
  for (const c of moreCables) c.remove()
  await cleanup()
})

describe.skipIf(!isolate)('a laptop that takes a new address on the LAN while linked (Wi-Fi to Ethernet, a new DHCP lease)', () => {
  it('goes on chatting within seconds, not when the dead link\'s pings run out, and the other side lists where it is now', async () => {
    const ann = lanchat(['peer', '--json', '--name', 'ann', '--data', tempDir('lanchat-ann-')], { netns: lap })
    const ben = lanchat(['peer', '--json', '--name', 'ben', '--data', tempDir('lanchat-ben-')], { netns: desk })
    const ready = await ann.waitFor('ann ready', e => e.type === 'ready')
    const port = /\/tcp\/(\d+)/.exec((ready.addrs as string[])[0]!)![1]
    await ann.waitFor('ann linked', e => e.type === 'peer:connect' && e.name === 'ben', 30_000)
    await ben.waitFor('ben linked', e => e.type === 'peer:connect' && e.name === 'ann', 30_000)
    // Ann's laptop takes another address; the link's socket at 10.77.4.5 is dead at both ends, and neither is told.
    ip('-n', lap, 'addr', 'del', '10.77.4.5/24', 'dev', 'wlan0')
    ip('-n', lap, 'addr', 'add', '10.77.4.9/24', 'dev', 'wlan0')
    ann.send({ cmd: 'send', room: 'lobby', text: 'after the move' })
    // The pings of the dead link run out after 20 + 30 s: well before that, ann has redialed and ben answers on the new link.
    await ben.waitFor('ben has it', e => e.type === 'message' && e.text === 'after the move', 20_000)
    ben.send({ cmd: 'send', room: 'lobby', text: 'got it' })
    await ann.waitFor('ann has the answer', e => e.type === 'message' && e.text === 'got it', 10_000)
    expect(ben.events.findLast(e => e.type === 'peer:addresses')).toMatchObject({ addrs: expect.arrayContaining([`/ip4/10.77.4.9/tcp/${port}`]) })
  }, 90_000)
})

describe.skipIf(!isolate)('a peer listening on a fixed address (--listen IP:PORT) whose computer loses it', () => {
  it('says that nobody reaches it there and what to do, in --json and the terminal, and listens there again when the address is back', async () => {
    const fixed = cabledPair('f', { lap: '10.77.11.5/24', desk: '10.77.11.2/24' })
    moreCables.push(fixed)
    const ann = lanchat(['peer', '--json', '--no-mdns', '--listen', '10.77.11.5:4000', '--name', 'ann', '--data', tempDir('lanchat-ann-')], { netns: fixed.lap })
    const term = lanchat(['peer', '--no-mdns', '--listen', '10.77.11.5:4001', '--name', 'amy', '--data', tempDir('lanchat-amy-')], { netns: fixed.lap })
    const ready = await ann.waitFor('ann ready', e => e.type === 'ready')
    await term.waitFor('amy ready', e => e.type === 'not-json' && String(e.line).includes('others reach you at'))
    const at = `/ip4/10.77.11.5/tcp/4000/p2p/${ready.peerId as string}`

    // The laptop's address changes under the fixed listener: libp2p still lists it, and nothing reaches it.
    ip('-n', fixed.lap, 'addr', 'del', '10.77.11.5/24', 'dev', 'wlan0')
    ip('-n', fixed.lap, 'addr', 'add', '10.77.11.9/24', 'dev', 'wlan0')
    const lost = await ann.waitFor('ann says it', e => e.type === 'addresses' && (e.lost as string[] | undefined)?.includes(at) === true, 15_000)
    expect(lost.addrs).not.toContain(at)
    const said = await term.waitFor('amy\'s terminal says it', e => e.type === 'not-json' && String(e.line).includes('--listen 10.77.11.5:4001'), 15_000)
    expect(String(said.line)).toMatch(/cannot reach you there.*--listen 0\.0\.0\.0:4001/)

    // The address comes back (the same network again): it is said, and a peer that dials it there links.
    ip('-n', fixed.lap, 'addr', 'del', '10.77.11.9/24', 'dev', 'wlan0')
    ip('-n', fixed.lap, 'addr', 'add', '10.77.11.5/24', 'dev', 'wlan0')
    await ann.waitFor('ann says it is back', e => e.type === 'addresses' && (e.addrs as string[]).includes(at) && e.lost === undefined, 15_000)
    const carl = lanchat(['peer', '--json', '--no-mdns', '--dial', '10.77.11.5:4000', '--name', 'carl', '--data', tempDir('lanchat-carl-')], { netns: fixed.desk })
    await carl.waitFor('carl reaches ann there', e => e.type === 'peer:connect' && e.name === 'ann', 30_000)
  }, 90_000)
})
