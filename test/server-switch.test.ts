import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../main/chat/engine.js'
import type { EngineEvent } from '../main/chat/types.js'
import { cleanupHubs, startClient, startHub } from './helpers/hub.js'
import { cleanup, startPeer, stopPeer, tempDir, until } from './helpers/peers.js'
import { LINK_LOSS_GRACE_MS } from '../main/chat/presence-relay.js'
import { Terminal } from '../main/app/terminal.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'

const engines: Engine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map(async e => { await e.stop() }))
  await cleanupHubs()
  await cleanup()
})

describe('the live switch between P2P and client-server', () => {
  it('switches a running engine to a hub and back, keeping each mode\'s history and chatting in both', async () => {
    const friend = await startPeer('friend')
    const { addr } = await startHub()
    const other = await startClient('other', addr())
    const me = new Engine({ dataDir: tempDir('lanchat-me-'), name: 'me', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, syncIntervalMs: 1000 })
    engines.push(me)
    const events: EngineEvent[] = []
    me.on(e => { events.push(e) })
    await me.start()
    const peerId = me.peerId
    await me.dial(friend.addr())
    await me.send('lobby', 'p2p hello')
    await until('friend got it', () => friend.delivered().includes('p2p hello'))
    await friend.engine.send('lobby', 'p2p answer')
    await until('me got the answer', () => me.history('lobby').length === 2)

    await me.switchMode('client', addr())
    expect(me.mode).toBe('client')
    expect(me.peerId).toBe(peerId)
    expect(events.filter(e => e.type === 'ready').map(e => (e as { mode: string }).mode)).toEqual(['p2p', 'client'])
    expect(me.addrs()).toEqual([])
    await until('joined the hub', () => me.stats().failure.serverReachable === true)
    await me.send('lobby', 'via the hub')
    await until('other got it', () => other.delivered().some(e => e.text === 'via the hub'))
    await other.engine.send('lobby', 'hub answer')
    await until('me got it with a seq', () => me.history('lobby').some(m => m.text === 'hub answer'))
    expect(me.history('lobby').map(m => [m.seq, m.text])).toEqual([[1, 'via the hub'], [2, 'hub answer']])
    expect(me.stats()).toMatchObject({ mode: 'client', orderedBy: 'server-seq' })
    // The P2P friend hears nothing of the hub's room: the two histories are separate.
    expect(friend.delivered()).toEqual(['p2p hello', 'p2p answer'])

    await me.switchMode('p2p')
    expect(me.mode).toBe('p2p')
    expect(me.history('lobby').map(m => m.text)).toEqual(['p2p hello', 'p2p answer'])
    await until('friend redialed', () => me.peers().some(p => p.peerId === friend.engine.peerId && p.connected))
    await me.send('lobby', 'back on p2p')
    await until('friend got it', () => friend.delivered().includes('back on p2p'))
    expect(me.stats()).toMatchObject({ mode: 'p2p', orderedBy: 'lamport' })

    // Switching back to client mode shows the hub history again, as it was.
    await me.switchMode('client')
    await until('hub history back', () => me.history('lobby').length === 2)
    expect(me.history('lobby').map(m => m.text)).toEqual(['via the hub', 'hub answer'])
  })

  it('a class moved onto the hub shows everyone on it online, also once the mesh it left has had time to say who went', async () => {
    // The teacher, linked peer to peer with two students, moves to the hub, and the students follow.
    const teacher = await startPeer('teacher')
    const sam = await startPeer('sam')
    const kim = await startPeer('kim')
    await sam.engine.dial(teacher.addr())
    await kim.engine.dial(teacher.addr())
    await until('the teacher linked to both', () => teacher.engine.peers().filter(p => p.connected).length === 2)
    const { addr } = await startHub()
    await teacher.engine.switchMode('client', addr())
    const movedAt = Date.now()
    await sam.engine.switchMode('client', addr())
    await kim.engine.switchMode('client', addr())
    const state = (p: typeof sam): string | undefined => teacher.engine.presence().find(x => x.peerId === p.engine.peerId)?.state
    await until('both online on the hub', () => state(sam) === 'online' && state(kim) === 'online')
    // The mesh the teacher left waits this long before it reads a lost link as someone gone: past it, nothing of it may speak.
    await new Promise(resolve => setTimeout(resolve, Math.max(0, movedAt + LINK_LOSS_GRACE_MS + 1_500 - Date.now())))
    expect([state(sam), state(kim)]).toEqual(['online', 'online'])
  })

  it('a peer named at start (--dial) is not dialed again by its address after a round trip through the hub, nor said to have nobody listening while it still switches', async () => {
    const bob = await startPeer('bob')
    // Nothing listens at the second address: said once at the start, and tried on.
    const probe = await startPeer('probe')
    const nobody = probe.addr()
    await stopPeer(probe)
    const alice = await startPeer('alice', { dial: [bob.addr(), nobody] })
    const linked = (): boolean => alice.engine.peers().some(p => p.peerId === bob.engine.peerId && p.connected)
    await until('alice linked to bob', linked)
    await until('the address with nobody said once', () => alice.events.some(e => e.type === 'error'))
    expect(alice.engine.dialing()).toEqual([nobody])
    const { addr } = await startHub()
    // The class moves to the hub, then back: alice is back on P2P first, bob still on the hub.
    await alice.engine.switchMode('client', addr())
    await bob.engine.switchMode('client', addr())
    const told = alice.events.filter(e => e.type === 'error').length
    await alice.engine.switchMode('p2p')
    // Bob answered once: a known peer since, redialed as the others are, quietly, not by the address given at start.
    expect(alice.engine.dialing()).toEqual([nobody])
    await new Promise(resolve => setTimeout(resolve, 3_000))
    expect(alice.events.filter(e => e.type === 'error').slice(told)).toEqual([])
    await bob.engine.switchMode('p2p')
    await until('alice and bob linked again', linked, 15_000)
  })

  it('refuses a bad hub address and keeps running in the old mode', async () => {
    const me = new Engine({ dataDir: tempDir('lanchat-me-'), name: 'me', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
    engines.push(me)
    await me.start()
    await expect(me.switchMode('client', 'not an address')).rejects.toMatchObject({ name: 'BadAddressError' })
    expect(me.mode).toBe('p2p')
    await me.send('lobby', 'still fine')
    expect(me.history('lobby').map(m => m.text)).toEqual(['still fine'])
  })
  it('switched to client mode with no hub address and no LAN discovery, says it waits for an address', async () => {
    const me = new Engine({ dataDir: tempDir('lanchat-me-'), name: 'me', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
    engines.push(me)
    await me.start()
    // As the terminal's /mode client does it: it says what it waits for.
    const term = new Terminal(() => me.peerId)
    const typed = term.command('/mode client')
    if (!('run' in typed)) throw new Error('not a command')
    const done = await dispatchOver(headlessOperations(me))(typed.run.operation, typed.run.payload)
    expect(done.ok).toBe(true)
    expect(term.confirm(typed.run, 'me')).toMatch(/^\* no hub address given: the last hub used, or one found on the LAN, is joined once it answers \(\/mode client ADDR names one/)
    // A terminal started with --no-mdns does not promise a hub found on the LAN.
    const offline = new Terminal(() => me.peerId)
    offline.lanDiscovery = false
    expect(offline.confirm(typed.run, 'me')).toBe('* no hub address given, and finding one on the LAN is off (--no-mdns): the last hub used, if any, is joined once it answers; /mode client ADDR names one')
    expect(me.stats().failure).toMatchObject({ state: 'down', summary: 'no hub address, and finding one on the LAN is off: give the hub\'s address, 0 pending' })
    // Given one that nothing answers at, it says the server is unreachable.
    const { addr } = await startHub()
    const port = addr().split('/')[4]
    await cleanupHubs()
    await me.switchMode('client', `/ip4/127.0.0.1/tcp/${port}`)
    await until('tried', () => me.stats().failure.summary.startsWith('server unreachable'))
  })

  it('a message waiting for a hub is said once at the terminal, though switching to another hub announces it again', async () => {
    const me = new Engine({ dataDir: tempDir('lanchat-me-'), name: 'me', listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
    engines.push(me)
    const events: EngineEvent[] = []
    me.on(e => { events.push(e) })
    await me.start()
    await me.switchMode('client', '/ip4/127.0.0.1/tcp/1')
    const waiting = await me.send('lobby', 'while no hub answers')
    const pending = (): EngineEvent[] => events.filter(e => e.type === 'pending' && e.id === waiting.id)
    await until('pending', () => pending().length === 1)
    await me.switchMode('client', '/ip4/127.0.0.1/tcp/2')
    // The engine tells a script again: it now waits for the new hub.
    await until('pending again', () => pending().length === 2)
    const term = new Terminal(() => me.peerId)
    const said = pending().map(e => term.format(e))
    expect(said[0]).toBe(`… your message waits for the hub, which cannot be reached: it goes, in order, once the hub is back [${waiting.id.slice(0, 8)}]`)
    expect(said[1]).toBeUndefined()
    // Not sent while it waits (the Contrast panel's Sent, the terminal's /stats): sent once a hub numbers it.
    expect(me.stats().sent).toBe(0)
    const { addr } = await startHub()
    await me.switchMode('client', addr())
    await until('numbered', () => events.some(e => e.type === 'message' && e.id === waiting.id && e.seq !== undefined))
    expect(me.stats().sent).toBe(1)
  })
})
