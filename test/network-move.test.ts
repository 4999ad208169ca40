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

beforeAll(() => {
  ensureBuilt()
  if (!isolate) return
  ({ lap, desk, remove: unplug } = cabledPair('', { lap: '10.77.4.5/24', desk: '10.77.4.2/24' }, true))
}, 120_000)
afterAll(async () => {
  await killAll()
  unplug()
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
