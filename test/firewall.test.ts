import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LamportOrdering } from '../main/chat/lamport.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { Terminal } from '../main/app/terminal.js'
import { LanDirectory } from './helpers/directory.js'
import { cleanup, keepApart, startPeer, stopPeer, tempDir, until, type TestPeer } from './helpers/peers.js'
import { parseLine } from '../main/app/lines.js'
import { hostPort } from '../main/net/connect-errors.js'
import type { PeerView } from '../main/chat/types.js'

/**
 * A laptop whose firewall lets nothing in (Windows on a "public" network):
 * it can dial out, nobody can dial it. Its TCP listener takes each socket
 * and closes it at once. A real firewall drops the connection (the dial runs
 * out of time, 10 s) or refuses it; to the dialer every one of these is a
 * dial that fails, and this one fails fast, so the tests do not wait.
 */
function firewall (p: TestPeer): void {
  const node = (p.engine.ordering as LamportOrdering).transport.node! as unknown as { components: { transportManager: { getListeners: () => Array<{ server: { removeAllListeners: (e: string) => void, on: (e: string, f: (s: Socket) => void) => void } }> } } }
  for (const l of node.components.transportManager.getListeners()) {
    l.server.removeAllListeners('connection')
    l.server.on('connection', s => { s.destroy() })
  }
}

const linked = (p: TestPeer, q: TestPeer): boolean => p.engine.peers().some(v => v.peerId === q.engine.peerId && v.connected && v.connections.length > 0)

afterEach(cleanup)

describe('a laptop nobody can dial (its firewall blocks inbound)', () => {
  for (const order of ['smaller', 'larger'] as const) {
    it(`links up with a peer it finds on the LAN when its id is the ${order}, and chats, syncs and shares files both ways`, async () => {
      const lan = new LanDirectory()
      let a: TestPeer, b: TestPeer
      for (;;) {
        a = await startPeer('alice')
        firewall(a)
        b = await startPeer('bob', { peerDiscovery: [lan.discovery()] })
        if ((a.engine.peerId < b.engine.peerId) === (order === 'smaller')) break
        await cleanup()
      }
      await b.engine.send('lobby', 'written before alice came')
      // Alice joins the LAN's discovery now (her node is already firewalled): restart is not needed, the directory is per node.
      await a.engine.stop()
      a = await startPeer('alice', { dataDir: a.dataDir, peerDiscovery: [lan.discovery()] })
      firewall(a)
      await until('linked both ways', () => linked(a, b) && linked(b, a), 20_000)
      await until('alice has bob\'s earlier message', () => a.delivered().includes('written before alice came'), 15_000)
      await a.engine.send('lobby', 'from behind the firewall')
      await until('bob has it', () => b.delivered().includes('from behind the firewall'))
      const dir = tempDir('fw-file-')
      const path = join(dir, 'notes.bin')
      writeFileSync(path, randomBytes(300_000))
      const sent = await b.engine.sendFile('lobby', path)
      await until('alice sees the file', () => a.events.some(e => e.type === 'message' && e.id === sent.id))
      const got = await a.engine.download(sent.id)
      expect(readFileSync(got)).toEqual(readFileSync(path))
      // Nobody was told anything wrong: no error, no one gone.
      for (const p of [a, b]) expect(p.events.filter(e => e.type === 'error' || e.type === 'peer:disconnect')).toEqual([])
      // Alice dialed every link there is: bob never reached her port.
      expect(b.engine.peers().find(v => v.peerId === a.engine.peerId)?.connections.map(c => c.direction)).toEqual(['inbound'])
    }, 60_000)
  }
})

describe('an address kept trying whose computer cannot be dialed', () => {
  it('is no longer tried, nor shown as tried, once that computer dials us and links', async () => {
    const a = await startPeer('alice')
    firewall(a)
    const b = await startPeer('bob')
    // Bob typed the address alice's status bar shows (ip:port, no peer id): it does not answer, he keeps trying.
    const typed = a.addr().replace(/\/p2p\/.*$/, '')
    await expect(b.engine.dial(typed)).rejects.toThrow()
    b.engine.keepDialing(typed)
    expect(b.engine.dialing()).toEqual([typed])
    // Alice types bob's: she can dial out, and they link.
    await a.engine.dial(b.addr())
    await until('linked both ways', () => linked(a, b) && linked(b, a))
    // Bob's Connect dialog and /dial no longer say it is trying alice's address: she is here.
    await until('bob no longer tries alice\'s address', () => b.engine.dialing().length === 0, 5_000)
    expect(b.events.findLast(e => e.type === 'dialing')).toMatchObject({ addresses: [] })
    // And her address typed again connects him to her, who is here, rather than saying it did not answer.
    expect(await b.engine.dial(typed)).toBe(a.engine.peerId)
  }, 30_000)
})

describe('a laptop nobody can dial, where mDNS does not reach (guest Wi-Fi)', () => {
  it('links again at once with a peer that came back, when a peer linked to both tells of it', async () => {
    // Alice's redials of a peer that is down wait a minute here (a long absence waits five): only she can dial.
    const a = await startPeer('alice', { overlay: { retry: { min: 60_000, max: 60_000 } } })
    firewall(a)
    let b = await startPeer('bob')
    const c = await startPeer('carol')
    await a.engine.dial(b.addr())
    await a.engine.dial(c.addr())
    await until('all three linked', () => linked(a, b) && linked(a, c) && linked(b, c), 15_000)
    // Bob's laptop closes; alice tries him once, in vain, and waits.
    await b.engine.stop()
    await until('alice lost bob', () => !linked(a, b))
    await new Promise(resolve => setTimeout(resolve, 1_500))
    // He is back: he cannot dial alice, but he links to carol, who tells alice he is here.
    b = await startPeer('bob', { dataDir: b.dataDir })
    await until('bob back with carol', () => linked(b, c) && linked(c, b), 15_000)
    await until('alice and bob linked again', () => linked(a, b) && linked(b, a), 15_000)
  }, 40_000)
})

/**
 * Alice's redials of a peer that is down wait minutes here, and she is the only one who can dial (her
 * firewall): a link up within seconds of Bob's return is what told her he is back, not her backoff.
 */
const MINUTES = { min: 5 * 60_000, max: 5 * 60_000, longAfter: 10 * 60_000, long: 10 * 60_000 }
/** Long enough for a dial to a peer on loopback to link, were one made. */
const A_DIAL = 1_500
const pause = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

describe('a peer back on its address while the one who can dial it backs off for minutes', () => {
  /** Bob, linked to Alice, goes away; Alice's dial of him fails and she waits out her backoff. Where he listened, to come back there. */
  async function bobGone (a: TestPeer, b: TestPeer): Promise<string[]> {
    await until('linked', () => linked(a, b) && linked(b, a), 15_000)
    const listen = [b.addr().replace(/\/p2p\/.*$/, '')]
    await stopPeer(b)
    await until('alice lost bob', () => !linked(a, b))
    // Her redial, at once, finds nobody (loopback refuses it at once): from then on she waits.
    await pause(A_DIAL)
    return listen
  }

  it('"Try now" (the terminal\'s /dial, --json\'s dial, of the address his entry shows) links at once', async () => {
    const a = await startPeer('alice', { overlay: { retry: MINUTES } })
    firewall(a)
    let b = await startPeer('bob')
    await a.engine.dial(b.addr())
    const listen = await bobGone(a, b)
    b = await startPeer('bob', { dataDir: b.dataDir, listen })
    // Back, on the address Alice's peer list shows for him: her backoff holds her dial.
    await pause(A_DIAL)
    expect(linked(a, b)).toBe(false)
    const address = a.engine.peers().find(p => p.peerId === b.engine.peerId)?.addrs?.[0]
    expect(address).toBeDefined()
    expect(address).toContain(listen[0])
    // What the window's button and the terminal's /dial ask for: a dial of that address, now.
    const term = new Terminal(() => a.engine.peerId)
    const asked = term.command(`/dial ${address!}`)
    if (!('run' in asked)) throw new Error('not a command')
    expect(asked.run).toMatchObject({ operation: 'dial', payload: { address } })
    await dispatchOver(headlessOperations(a.engine))(asked.run.operation, asked.run.payload)
    await until('linked again', () => linked(a, b) && linked(b, a), 10_000)
  }, 30_000)

  it('"Connect now" on his row (the terminal\'s /connect NAME, --json\'s connect) links at once, at the addresses known of him, whatever links she has', async () => {
    // She keeps one link she dialed (Carol's): a dial the overlay makes only to keep its degree would not be made for him.
    const a = await startPeer('alice', { overlay: { retry: MINUTES, outbound: 1 } })
    firewall(a)
    let b = await startPeer('bob')
    const c = await startPeer('carol')
    await a.engine.dial(b.addr())
    await a.engine.dial(c.addr())
    await keepApart(b, c)
    const listen = await bobGone(a, b)
    expect(linked(a, c)).toBe(true)
    b = await startPeer('bob', { dataDir: b.dataDir, listen })
    await pause(A_DIAL)
    expect(linked(a, b)).toBe(false)
    // Her list shows him down, with the address she knows: what the window offers Connect now for.
    const row = a.engine.peers().find(p => p.peerId === b.engine.peerId)
    expect(row).toMatchObject({ connected: false, name: 'bob' })
    expect(row?.addrs?.length).toBeGreaterThan(0)
    const term = new Terminal(() => a.engine.peerId)
    term.format({ type: 'peers', peers: a.engine.peers() })
    const lines: string[] = []
    a.engine.on(e => { const line = term.format(e); if (line !== undefined) lines.push(line) })
    const asked = term.command('/connect bob')
    if (!('run' in asked)) throw new Error('not a command')
    expect(asked.run).toMatchObject({ operation: 'connectPeer', payload: { peerId: b.engine.peerId } })
    expect(parseLine(JSON.stringify({ cmd: 'connect', peerId: b.engine.peerId }))).toMatchObject({ operation: 'connectPeer', payload: { peerId: b.engine.peerId } })
    const started = Date.now()
    const answer = await dispatchOver(headlessOperations(a.engine))(asked.run.operation, asked.run.payload)
    // Answered with the link up: the peers it answers show him connected.
    expect(answer).toMatchObject({ ok: true })
    expect((answer as { value: PeerView[] }).value.find(p => p.peerId === b.engine.peerId)?.connected).toBe(true)
    expect(linked(a, b)).toBe(true)
    expect(Date.now() - started).toBeLessThan(MINUTES.min)
    // The terminal says the link as any ("joined"), and the answer adds nothing to it.
    expect(lines.filter(l => l.includes('bob joined') || l.includes('linked to bob again'))).toHaveLength(1)
    expect(term.confirm(asked.run, 'alice', (answer as { value: PeerView[] }).value)).toBeUndefined()
    await until('linked both ways', () => linked(b, a))
    // Asked again, linked already: nothing to do, and said so.
    expect(await dispatchOver(headlessOperations(a.engine))('connectPeer', { peerId: b.engine.peerId })).toMatchObject({ ok: true })
  }, 40_000)

  it('"Connect now" of someone nobody answers for says so, in the words of a failed dial; of someone with no address known, says that', async () => {
    const a = await startPeer('alice', { overlay: { retry: MINUTES } })
    firewall(a)
    const b = await startPeer('bob')
    await a.engine.dial(b.addr())
    const [at] = await bobGone(a, b)
    const dispatch = dispatchOver(headlessOperations(a.engine))
    // Still away: his port refuses. Said after his name, where it was tried, as a failed dial of that address says it.
    const refused = await dispatch('connectPeer', { peerId: b.engine.peerId })
    expect(refused).toMatchObject({ ok: false, error: { name: 'ConnectError', code: 'refused' } })
    const message = (refused as { error: { message: string } }).error.message
    expect(message).toMatch(/^Could not connect to bob: Nothing is listening at 127\.0\.0\.1:\d+/)
    expect(message).toContain(hostPort(at!))
    // Forgotten: no address of him is kept here. Nothing to dial: said, rather than a dial of nothing.
    await a.engine.forget(b.engine.peerId)
    expect(await dispatch('connectPeer', { peerId: b.engine.peerId })).toMatchObject({ ok: false, error: { name: 'NoPeerAddressError' } })
    // Not a peer id at all (a name where the id goes), or not a request this takes: refused, naming what is wrong.
    expect(await dispatch('connectPeer', { peerId: 'bob' })).toMatchObject({ ok: false, error: { name: 'BadPeerIdError' } })
    expect(await dispatch('connectPeer', { peerId: b.engine.peerId, address: at })).toMatchObject({ ok: false, error: { name: 'InvalidRequestError' } })
  }, 30_000)

  it('mDNS telling of him again after a silence links at once; told of again while it kept telling, he waits his turn', async () => {
    // The LAN's discovery tells of a peer when it joins it (a start), and not again until it joins again: between, a silence.
    const lan = new LanDirectory()
    // A silence is 30 s of it (SEEN_AGAIN_AFTER_MS); 10 s here.
    const a = await startPeer('alice', { overlay: { retry: MINUTES, seenAgainMs: 10_000 }, peerDiscovery: [lan.discovery()] })
    firewall(a)
    let b = await startPeer('bob', { peerDiscovery: [lan.discovery()] })
    const listen = await bobGone(a, b)
    // Back at once: told of again within that time of the last time, as mDNS does every few seconds
    // for a peer whose port a firewall refuses. Not a return: Alice keeps to her backoff.
    b = await startPeer('bob', { dataDir: b.dataDir, listen, peerDiscovery: [lan.discovery()] })
    await pause(A_DIAL)
    expect(linked(a, b)).toBe(false)
    // Away again, and silent for longer than that; then told of once more: back, and dialed at once.
    await stopPeer(b)
    await pause(11_000)
    b = await startPeer('bob', { dataDir: b.dataDir, listen, peerDiscovery: [lan.discovery()] })
    await until('linked again', () => linked(a, b) && linked(b, a), 10_000)
  }, 40_000)

  it('mDNS telling of him at a new address after the computer\'s clock was set back links at once, as before', async () => {
    const lan = new LanDirectory()
    const a = await startPeer('alice', { overlay: { retry: MINUTES }, peerDiscovery: [lan.discovery()] })
    firewall(a)
    let b = await startPeer('bob', { peerDiscovery: [lan.discovery()] })
    await bobGone(a, b)
    // The wall clock set back an hour (set right by NTP at a wake, or by hand), after mDNS last told of him.
    const real = Date.now.bind(Date)
    vi.spyOn(Date, 'now').mockImplementation(() => real() - 3600_000)
    try {
      // Back at another address (a move): told of there, he is dialed at once, whatever the clock says.
      b = await startPeer('bob', { dataDir: b.dataDir, listen: ['/ip4/127.0.0.2/tcp/0'], peerDiscovery: [lan.discovery()] })
      await until('linked again', () => linked(a, b) && linked(b, a), 10_000)
    } finally {
      vi.restoreAllMocks()
    }
  }, 60_000)
})
