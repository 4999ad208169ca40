import { createServer, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { Terminal } from '../main/app/terminal.js'
import { parseLine } from '../main/app/lines.js'
import { RELAY_GAP_MS } from '../main/chat/presence-relay.js'
import { Attacker } from './helpers/attacker.js'
import { cleanup, connect, keepApart, lineUp, startPeer, startTrio, stopPeer, texts, until } from './helpers/peers.js'

afterEach(cleanup)

describe('P2P over real libp2p nodes on loopback', () => {
  it('an address kept trying ({"cmd":"dial","keepTrying":true}) is listed and dialed quietly until the peer there starts, then linked; one stopped is dialed no more', async () => {
    // Alice first: a port just closed is free to be hers, and then it would be her own address (seen once in CI).
    const alice = await startPeer('alice')
    const server = createServer()
    await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
    const { port } = server.address() as AddressInfo
    await new Promise(resolve => { server.close(resolve) })
    const cmd = parseLine(JSON.stringify({ cmd: 'dial', addr: `127.0.0.1:${port}`, keepTrying: true }))
    expect(await dispatchOver(headlessOperations(alice.engine))(cmd.operation, cmd.payload)).toEqual({ ok: true, value: { multiaddr: `/ip4/127.0.0.1/tcp/${port}` } })
    // Nobody there for a while: tried again without a word each time.
    await new Promise(resolve => setTimeout(resolve, 2_500))
    expect(alice.events.filter(e => e.type === 'error')).toEqual([])
    // Listed while it is tried; asked again, it is still one address tried, not two loops.
    const dispatch = dispatchOver(headlessOperations(alice.engine))
    await dispatch(cmd.operation, cmd.payload)
    expect(alice.engine.dialing()).toEqual([`/ip4/127.0.0.1/tcp/${port}`])
    // A second address kept trying, then stopped ({"cmd":"dial","stop":true}): told as a 'dialing' answer and event, and no longer dialed.
    const other = createServer()
    await new Promise<void>(resolve => { other.listen(0, '127.0.0.1', resolve) })
    const otherPort = (other.address() as AddressInfo).port
    let dialed = 0
    other.on('connection', socket => { dialed++; socket.destroy() })
    await dispatch('dial', { address: `127.0.0.1:${otherPort}`, keepTrying: true })
    expect(alice.events.filter(e => e.type === 'dialing').at(-1)).toEqual({ type: 'dialing', addresses: [`/ip4/127.0.0.1/tcp/${port}`, `/ip4/127.0.0.1/tcp/${otherPort}`] })
    const stop = parseLine(JSON.stringify({ cmd: 'dial', addr: `127.0.0.1:${otherPort}`, stop: true }))
    expect(await dispatch(stop.operation, stop.payload)).toEqual({ ok: true, value: { stopped: true, dialing: [`/ip4/127.0.0.1/tcp/${port}`] } })
    expect(alice.events.filter(e => e.type === 'dialing').at(-1)).toEqual({ type: 'dialing', addresses: [`/ip4/127.0.0.1/tcp/${port}`] })
    await new Promise(resolve => setTimeout(resolve, 2_500))
    expect(dialed).toBe(0)
    await new Promise(resolve => { other.close(resolve) })
    const bob = await startPeer('bob', { listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    await until('alice reached bob', () => alice.engine.peers().some(p => p.peerId === bob.engine.peerId && p.connected), 20_000)
    // Answered, it is no longer tried.
    await until('no longer tried', () => alice.engine.dialing().length === 0)
    // A malformed address is refused at once, not kept.
    const bad = parseLine(JSON.stringify({ cmd: 'dial', addr: 'nowhere', keepTrying: true }))
    expect(await dispatch(bad.operation, bad.payload)).toMatchObject({ ok: false, error: { name: 'BadAddressError' } })
  })

  it('two peers deliver each other\'s messages in the same order with Lamport stamps and a 4-tuple', async () => {
    const alice = await startPeer('alice')
    const bob = await startPeer('bob')
    await connect(alice, bob)
    const hello = alice.events.find(e => e.type === 'peer:connect')
    expect(hello).toMatchObject({ peerId: bob.engine.peerId, name: 'bob' })
    expect((hello as { local: string }).local).toMatch(/^127\.0\.0\.1:\d+$/)
    expect((hello as { remote: string }).remote).toMatch(/^127\.0\.0\.1:\d+$/)
    // The same socket seen from both ends: alice's local is bob's remote.
    const conn = alice.engine.peers().find(p => p.peerId === bob.engine.peerId)!.connections[0]!
    const back = bob.engine.peers().find(p => p.peerId === alice.engine.peerId)!.connections[0]!
    expect(conn.local).toBe(back.remote)
    expect(conn.remote).toBe(back.local)
    expect(conn.direction).toBe('outbound')
    expect(back.direction).toBe('inbound')
    expect(conn.encryption).toContain('noise')
    expect(conn.multiplexer).toContain('yamux')

    await alice.engine.send('lobby', 'hi bob')
    await until('bob has it', () => bob.delivered().includes('hi bob'))
    await bob.engine.send('lobby', 'hi alice')
    await until('alice has it', () => alice.delivered().includes('hi alice'))
    expect(texts(alice)).toEqual(['hi bob', 'hi alice'])
    expect(texts(bob)).toEqual(texts(alice))
    const [first, second] = bob.engine.history('lobby')
    expect(second!.lamport).toBeGreaterThan(first!.lamport)
    expect(second!.deps).toContain(first!.id)
  })

  it('relays to a peer not directly connected to the author, and receipts come back the same way', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    const c = await startPeer('c')
    // A line: b would tell each end of the other (peer exchange).
    await keepApart(a, c)
    await connect(a, b)
    await connect(b, c)
    expect(a.engine.peers().some(p => p.peerId === c.engine.peerId && p.connected)).toBe(false)
    const sent = await a.engine.send('lobby', 'through b')
    await until('c has it', () => c.delivered().includes('through b'))
    expect(c.engine.history('lobby')[0]).toMatchObject({ author: a.engine.peerId, via: b.engine.peerId, hops: 1 })
    await until('a hears c delivered it', () => a.engine.receiptsOf(sent.id).some(r => r.by === c.engine.peerId))
    const byC = a.engine.receiptsOf(sent.id).find(r => r.by === c.engine.peerId)!
    expect(byC.lamport).toBeGreaterThan(sent.lamport)
    // Exactly once, even though the message reached b and could echo.
    expect(c.delivered().filter(t => t === 'through b')).toHaveLength(1)
    expect(a.delivered().filter(t => t === 'through b')).toHaveLength(1)
  })

  it('a late joiner catches up on everything it missed, and only that', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    for (let i = 0; i < 30; i++) await (i % 2 === 0 ? a : b).engine.send('lobby', `m${i}`)
    await a.engine.send('other', 'in another room')
    await until('b has all', () => b.delivered().length === 31)
    const late = await startPeer('late')
    await connect(late, b)
    await until('late caught up', () => late.delivered().length === 31)
    expect(texts(late)).toEqual(texts(a))
    expect(texts(late, 'other')).toEqual(['in another room'])
  })

  it('what a late joiner catches up on counts as received, not in the network\'s latency (it says how long the joiner was away)', async () => {
    const a = await startPeer('a')
    for (let i = 0; i < 5; i++) await a.engine.send('lobby', `old ${i}`)
    await new Promise(resolve => setTimeout(resolve, 1_500))
    const late = await startPeer('late')
    await connect(late, a)
    await until('late caught up', () => late.delivered().length === 5)
    expect(late.engine.stats()).toMatchObject({ received: 5, latencyMs: { count: 0 }, hops: { count: 0 } })
    await a.engine.send('lobby', 'live')
    await until('late has it', () => late.delivered().length === 6)
    const { latencyMs } = late.engine.stats()
    expect(latencyMs.count).toBe(1)
    expect(latencyMs.max).toBeLessThan(1_500)
  })

  it('what a neighbour caught up on and passes on is not live at the next peer either: its latency is how long the neighbour was away', async () => {
    const a = await startPeer('a')
    for (let i = 0; i < 5; i++) await a.engine.send('lobby', `old ${i}`)
    await new Promise(resolve => setTimeout(resolve, 1_500))
    // A line a — late — next: next hears a's old messages only as late passes on what it caught up on.
    const late = await startPeer('late')
    const next = await startPeer('next')
    await keepApart(a, next)
    await connect(late, next)
    await connect(late, a)
    await until('next has them', () => next.delivered().length === 5)
    expect(next.engine.stats()).toMatchObject({ received: 5, latencyMs: { count: 0 }, hops: { count: 0 } })
    await a.engine.send('lobby', 'live')
    await until('next has it', () => next.delivered().length === 6)
    const { latencyMs, hops } = next.engine.stats()
    expect(latencyMs.count).toBe(1)
    expect(latencyMs.max).toBeLessThan(1_500)
    expect(hops).toMatchObject({ count: 1, last: 1 })
  })

  it('keeps chatting on both sides of a partition and converges on one history after it heals', async () => {
    const [a, b, c] = await startTrio(['a', 'b', 'c'])
    await a.engine.send('lobby', 'before')
    await until('all have it', () => [b, c].every(p => p.delivered().includes('before')))
    // Cut c off from both others: the terminal's /block takes a name too; a name the engine cannot take is said plainly.
    await expect(c.engine.block('a')).rejects.toMatchObject({ name: 'BadPeerIdError', message: expect.stringContaining('"a" is not a peer id') })
    const term = new Terminal(() => c.engine.peerId)
    term.format({ type: 'peers', peers: c.engine.peers() })
    const typed = term.command('/block a')
    if (!('run' in typed)) throw new Error('not a command')
    expect(await dispatchOver(headlessOperations(c.engine))(typed.run.operation, typed.run.payload)).toMatchObject({ ok: true })
    await c.engine.block(b.engine.peerId)
    await until('c is alone', () => c.engine.peers().every(p => !p.connected))
    await a.engine.send('lobby', 'majority 1')
    await c.engine.send('lobby', 'minority 1')
    await b.engine.send('lobby', 'majority 2')
    await until('b has a', () => b.delivered().includes('majority 1'))
    expect(c.delivered()).not.toContain('majority 1')
    expect(a.delivered()).not.toContain('minority 1')
    // A blocked peer cannot get back in by dialing: c's gater refuses it.
    await a.engine.dial(c.addr()).catch(() => {})
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(c.engine.peers().some(p => p.connected)).toBe(false)
    expect(c.delivered()).not.toContain('majority 1')
    await c.engine.unblock(a.engine.peerId)
    await c.engine.unblock(b.engine.peerId)
    await c.engine.dial(a.addr())
    await until('converged', () => [a, b, c].every(p => p.delivered().length === 4))
    expect(texts(b)).toEqual(texts(a))
    expect(texts(c)).toEqual(texts(a))
    expect(new Set(texts(a))).toEqual(new Set(['before', 'majority 1', 'minority 1', 'majority 2']))
  })

  it('a restart keeps identity, history, clock, name, rooms and known peers — and redials them', async () => {
    const a = await startPeer('alice')
    const b = await startPeer('bob')
    await connect(a, b)
    await a.engine.send('lobby', 'one')
    await b.engine.send('lobby', 'two')
    await a.engine.send('side', 'three')
    await until('a has two', () => a.delivered().includes('two'))
    const { peerId } = a.engine
    const clock = a.engine.clock
    await stopPeer(a)
    await b.engine.send('lobby', 'while alice was away')
    const again = await startPeer('ignored', { dataDir: a.dataDir, name: undefined })
    expect(again.engine.peerId).toBe(peerId)
    expect(again.engine.name).toBe('alice')
    expect(again.engine.clock).toBeGreaterThanOrEqual(clock)
    expect(again.engine.rooms()).toEqual(expect.arrayContaining(['lobby', 'side']))
    expect(texts(again, 'side')).toEqual(['three'])
    // No dial: alice finds bob again from her known peers and catches up.
    await until('alice back in touch', () => again.delivered().includes('while alice was away'), 15_000)
    expect(texts(again)).toEqual(texts(b))
    const m = await again.engine.send('lobby', 'back')
    expect(m.lamport).toBeGreaterThan(clock)
  })
})

describe('a peer that renames itself while connected', () => {
  it('is listed under its new name by its neighbours at once, who are told, and the mesh beyond hears it by presence', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    await lineUp(a, b, c)
    await until('cat knows ann by presence', () => c.engine.presence().some(p => p.peerId === a.engine.peerId && p.name === 'ann'))
    // A claim closer than RELAY_GAP_MS to the last one heard is dropped (a flood guard): a rename comes later than that.
    await new Promise(resolve => setTimeout(resolve, RELAY_GAP_MS + 50))
    await a.engine.setName('anna')
    await until('ben lists anna', () => b.engine.peers().some(p => p.peerId === a.engine.peerId && p.name === 'anna'))
    expect(b.events.filter(e => e.type === 'peer:renamed')).toEqual([expect.objectContaining({ peerId: a.engine.peerId, name: 'anna', previousName: 'ann' })])
    await until('cat, not linked to her, hears it too', () => c.engine.presence().some(p => p.peerId === a.engine.peerId && p.name === 'anna'))
    // Kept: a reconnect under the same name is no news.
    await stopPeer(b)
    expect(a.engine.peers().find(p => p.peerId === b.engine.peerId)?.name).toBe('ben')
  })
})

describe('a peer that comes back on another port', () => {
  it('is listed where it listens now, and the change is announced once', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    const port = (addr: string): string => /\/tcp\/(\d+)/.exec(addr)?.[1] ?? ''
    const listed = (): string[] => (a.engine.peers().find(p => p.peerId === b.engine.peerId)?.addrs ?? []).map(port)
    await until('a knows where b listens', () => listed().includes(port(b.addr())))
    const oldPort = port(b.addr())
    await stopPeer(b)
    // Its port taken meanwhile: the restarted peer listens somewhere else, and dials a itself (a knows only the old port).
    const taken = createServer()
    await new Promise<void>(resolve => taken.listen(Number(oldPort), '127.0.0.1', resolve))
    const again = await startPeer('b', { dataDir: b.dataDir })
    await new Promise<void>(resolve => taken.close(() => { resolve() }))
    expect(port(again.addr())).not.toBe(oldPort)
    const seen = a.events.length
    await connect(again, a)
    await until('a lists the new port', () => listed().includes(port(again.addr())), 15_000)
    expect(listed()).not.toContain(oldPort)
    const moved = a.events.slice(seen).filter(e => e.type === 'peer:addresses')
    expect(moved).toEqual([{ type: 'peer:addresses', peerId: again.engine.peerId, addrs: again.engine.addrs().filter(x => x.includes('/tcp/')).map(x => x.replace(/\/p2p\/.*$/, '')) }])
    // Connected again with nothing new: no news.
    await a.engine.cut(again.engine.peerId)
    a.engine.heal()
    await until('back', () => a.engine.peers().some(p => p.peerId === again.engine.peerId && p.connected), 15_000)
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(a.events.slice(seen).filter(e => e.type === 'peer:addresses')).toHaveLength(1)
  }, 40_000)
})

describe('forgetting a peer', () => {
  it('refuses someone still here; one who left is dropped from the known peers, not listed or redialed after a restart; its messages stay', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    await b.engine.send('lobby', 'from b')
    await until('a has it', () => a.delivered().includes('from b'))
    // Linked: forgetting would list b again at once (the window offers it only for someone who left).
    await expect(a.engine.forget(b.engine.peerId)).rejects.toMatchObject({ name: 'PeerHereError', message: 'b is here now: only someone who has left can be forgotten (they would be listed again at once)' })
    expect(a.engine.peers().some(p => p.peerId === b.engine.peerId && p.connected)).toBe(true)
    await stopPeer(b)
    await until('b offline for a', () => a.engine.peers().some(p => p.peerId === b.engine.peerId && !p.connected && (p.presence ?? 'offline') === 'offline'))
    await a.engine.forget(b.engine.peerId)
    expect(a.engine.peers().some(p => p.peerId === b.engine.peerId)).toBe(false)
    await stopPeer(a)
    const again = await startPeer('a', { dataDir: a.dataDir })
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(again.engine.peers()).toEqual([])
    expect(texts(again)).toEqual(['from b'])
  })

  it('someone blocked cannot be forgotten, as the window offers no Forget on their row: it stays listed as blocked, also after a restart, where they are unblocked', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    await b.engine.send('lobby', 'from b')
    await until('a has it', () => a.delivered().includes('from b'))
    await a.engine.block(b.engine.peerId)
    await stopPeer(b)
    await until('b offline for a', () => a.engine.peers().some(p => p.peerId === b.engine.peerId && (p.presence ?? 'offline') === 'offline'))
    // Refused, saying why (the terminal prints it, a script gets it as an error): forgetting would not take the row off.
    await expect(a.engine.forget(b.engine.peerId)).rejects.toMatchObject({ name: 'PeerBlockedError', message: 'b is blocked: their row stays listed, as it is where they are unblocked; unblock them first to forget them' })
    const row = { peerId: b.engine.peerId, name: 'b', blocked: true }
    expect(a.engine.peers()).toEqual([expect.objectContaining(row)])
    await stopPeer(a)
    const again = await startPeer('a', { dataDir: a.dataDir })
    expect(again.engine.peers()).toEqual([expect.objectContaining(row)])
  })

  it('a peer forgotten while offline is not listed again by what others say of it, even after restarts, until it is back', async () => {
    const [a, b, c] = await startTrio(['a', 'b', 'c'])
    await c.engine.send('lobby', 'from c')
    await until('a has it', () => a.delivered().includes('from c'))
    await stopPeer(c)
    const listsC = (p: typeof a): boolean => p.engine.peers().some(x => x.peerId === c.engine.peerId)
    await until('c offline for a and b', () => [a, b].every(p => p.engine.peers().some(x => x.peerId === c.engine.peerId && x.presence === 'offline')))
    // Forgotten by name from the terminal, which says what it did.
    const term = new Terminal(() => a.engine.peerId)
    term.format({ type: 'peers', peers: a.engine.peers() })
    const typed = term.command('/forget c')
    if (!('run' in typed)) throw new Error('not a command')
    expect(typed.run).toEqual(parseLine(JSON.stringify({ cmd: 'forget', peerId: c.engine.peerId })))
    const answer = await dispatchOver(headlessOperations(a.engine))(typed.run.operation, typed.run.payload)
    expect(answer).toMatchObject({ ok: true })
    expect(term.confirm(typed.run, 'a')).toBe('* forgot c: no longer listed or redialed until they are back; their messages stay')
    expect(listsC(a)).toBe(false)
    await expect(a.engine.forget('not-a-peer')).rejects.toMatchObject({ name: 'BadPeerIdError' })
    // Bob still knows Carol, offline, and tells Alice so when they link again: she stays forgotten.
    await stopPeer(b)
    const b2 = await startPeer('b', { dataDir: b.dataDir })
    await connect(a, b2)
    await until('bob lists carol offline', () => b2.engine.peers().some(x => x.peerId === c.engine.peerId))
    await new Promise(resolve => setTimeout(resolve, RELAY_GAP_MS + 500))
    expect(listsC(a)).toBe(false)
    // Alice's app restarts: still forgotten, Bob's word notwithstanding; her messages stay.
    await stopPeer(a)
    const a2 = await startPeer('a', { dataDir: a.dataDir })
    await connect(a2, b2)
    await new Promise(resolve => setTimeout(resolve, RELAY_GAP_MS + 500))
    expect(listsC(a2)).toBe(false)
    expect(texts(a2)).toEqual(['from c'])
    // Carol comes back, linked to Bob only: Alice hears she is here and lists her again.
    const c2 = await startPeer('c', { dataDir: c.dataDir })
    await connect(c2, b2)
    await until('alice lists carol again', () => a2.engine.peers().some(x => x.peerId === c.engine.peerId && x.presence === 'online'), 20_000)
  }, 60_000)
})

describe('causal delivery over the network', () => {
  it('holds a reply that arrives before what it answers, fetches the missing message, then delivers both in order', async () => {
    const sally = await startPeer('sally')
    const james = await startPeer('james')
    await connect(sally, james)
    const missing = await sally.engine.send('lobby', 'Bill is missing!')
    await until('james has it', () => james.delivered().includes('Bill is missing!'))
    const fine = await sally.engine.send('lobby', 'False alarm, he\'s fine')
    await until('james has it', () => james.delivered().includes('False alarm, he\'s fine'))
    const relief = await james.engine.send('lobby', 'What a relief!', { replyTo: fine.id })
    expect(relief.deps).toContain(fine.id)

    // Henry hears only from a courier, which hands him James's reply first.
    const henry = await startPeer('henry')
    const courier = await Attacker.connect(henry.addr(), 'courier')
    // The courier relays real signed messages: take them from James's store via a sync answer.
    const source = await Attacker.connect(james.addr(), 'collector')
    source.frame({ type: 'sync', vector: new Map() })
    await until('collector got the history', () => source.received.some(f => f.type === 'messages' && f.messages.length === 3))
    const all = source.received.flatMap(f => f.type === 'messages' ? f.messages.map(r => r.message) : [])
    const signed = (id: string) => all.find(m => m.id === id)!
    await courier.send(signed(missing.id))
    await courier.send(signed(relief.id))
    await until('henry asks for what the reply depends on', () =>
      courier.received.some(f => f.type === 'want' && f.ids.includes(fine.id)))
    expect(henry.delivered()).toEqual(['Bill is missing!'])
    await courier.send(signed(fine.id))
    await until('henry delivered all', () => henry.delivered().length === 3)
    expect(henry.delivered()).toEqual(['Bill is missing!', 'False alarm, he\'s fine', 'What a relief!'])
    await courier.stop()
    await source.stop()
  })
})
