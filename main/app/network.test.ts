/**
 * The app layer's architecture switch, hosted hub and partition lab over real
 * engines on loopback: what the Settings switch and the lab buttons do,
 * without a window.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatEngine } from '../chat/index.js'
import type { AppEvent, Settings } from '../../preload/contract.js'
import { ChatApp } from './service.js'
import { Attacker } from '../../test/helpers/attacker.js'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})
const eventually = <T>(fn: () => T) => expect.poll(fn, { timeout: 15_000, interval: 50 })

async function open(name: string, defaults: Partial<Settings> = {}): Promise<{ app: ChatApp; events: AppEvent[] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-net-'))
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
  const app = await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name, ...defaults } })
  cleanup.push(() => app.close())
  const events: AppEvent[] = []
  app.on((e) => events.push(e))
  return { app, events }
}

const texts = (app: ChatApp): string[] => app.history('lobby').map((m) => m.text)
const addr = (app: ChatApp): string => (app.status.state === 'running' ? app.status.addrs[0]! : '')

describe('one\'s status in the app layer', () => {
  it('a status that clears itself leaves the window\'s own line too, and its own presence event says so', async () => {
    const { app: a, events } = await open('Ann')
    await a.setStatus('Quick call', Date.now() + 1_000)
    expect(a.status).toMatchObject({ state: 'running', words: 'Quick call' })
    await eventually(() => a.status.state === 'running' ? a.status.words : undefined).toBe('')
    expect(a.status).not.toHaveProperty('wordsUntil')
    expect(a.engine().status).toBe('')
    const own = events.filter((e) => e.type === 'peer:presence' && e.peerId === a.engine().peerId)
    expect(own.at(-1)).not.toHaveProperty('status')
  })
})

describe('the space-time diagram in the app layer', () => {
  it('a message written after a reaction (which no history shows) has everything before it in its causal past, and nothing concurrent', async () => {
    const { app: a } = await open('Ann')
    const { app: b } = await open('Ben')
    await b.dial(addr(a))
    const first = await a.engine().send('lobby', 'first')
    const second = await a.engine().send('lobby', 'second')
    await eventually(() => texts(b)).toEqual(['first', 'second'])
    await b.engine().react('lobby', second.id, '👍')
    const after = await b.engine().send('lobby', 'after a reaction')
    // Ben's message names his reaction, and only it, which names what it reacts to.
    expect(after.deps).not.toContain(second.id)
    const trace = b.views.trace('lobby')
    const of = (id: string) => trace.messages.find((m) => m.id === id)!
    expect(new Set(of(after.id).past)).toEqual(new Set([first.id, second.id]))
    expect(of(after.id).concurrent).toEqual([])
    expect(of(first.id).concurrent).toEqual([])
  })

  it('a client\'s pending messages are not drawn, and not counted as older messages left out: nothing older is', async () => {
    const { app: a } = await open('Ann')
    const { app: b } = await open('Ben')
    const snap = await a.saveSettings({ mode: 'client-server', hostServer: true })
    await b.saveSettings({ mode: 'client-server', server: snap.hub!.addrs[0]! })
    await b.send('lobby', 'numbered')
    await eventually(() => texts(a)).toEqual(['numbered'])
    await b.views.partition('*')
    await b.send('lobby', 'waiting one')
    await b.send('lobby', 'waiting two')
    expect(b.history('lobby').map((m) => m.pending === true)).toEqual([false, true, true])
    const trace = b.views.trace('lobby')
    expect(trace.messages.map((m) => m.text)).toEqual(['numbered'])
    // The toolbar read "latest only, 2 older not drawn" of a room whose every numbered message was drawn.
    expect(trace.omitted).toBe(0)
    expect(trace).not.toHaveProperty('omittedMore')
    b.views.heal()
    await eventually(() => b.views.trace('lobby').messages.map((m) => m.text)).toEqual(['numbered', 'waiting one', 'waiting two'])
    expect(b.views.trace('lobby').omitted).toBe(0)
  }, 40_000)
})

describe('architecture and lab in the app layer', () => {
  it('hosts a hub, switches both apps to client-server live, and the hub sees one socket per client', async () => {
    const { app: a } = await open('Ann')
    const { app: b } = await open('Ben')
    const p2pAddr = addr(a)
    const snap = await a.saveSettings({ mode: 'client-server', hostServer: true })
    expect(snap.status).toMatchObject({ state: 'running', mode: 'client' })
    expect(snap.hub?.addrs.length).toBeGreaterThan(0)
    expect(snap.settings.serverPort).toBeGreaterThan(0)
    await b.saveSettings({ mode: 'client-server', server: snap.hub!.addrs[0]! })
    await eventually(async () => (await a.views.sockets()).hub?.length).toBe(2)
    const hubSockets = (await a.views.sockets()).hub!.flatMap((p) => p.connections)
    expect(hubSockets.every((c) => c.direction === 'inbound')).toBe(true)

    await b.send('lobby', 'via the hub')
    await eventually(() => texts(a)).toEqual(['via the hub'])
    expect(a.history('lobby')[0]!.seq).toBe(1)
    const stats = a.views.stats()
    expect(stats.current.orderedBy).toBe('server-seq')
    expect(stats.hub?.clients).toBe(2)

    // The lab cuts Ben from the hub: his message waits as pending, then arrives once on heal.
    await b.views.partition('*')
    await b.send('lobby', 'while cut off')
    expect(b.views.stats().current.failure.summary).toBe('server unreachable, 1 pending')
    expect(b.history('lobby').at(-1)).toMatchObject({ text: 'while cut off', pending: true })
    await a.send('lobby', 'meanwhile at the hub')
    b.views.heal()
    await eventually(() => texts(a)).toEqual(['via the hub', 'meanwhile at the hub', 'while cut off'])
    await eventually(() => texts(b)).toEqual(['via the hub', 'meanwhile at the hub', 'while cut off'])
    // Merged: what was written elsewhere meanwhile (Ann's), not Ben's own pending message, which nothing merged.
    await new Promise((done) => setTimeout(done, 300))
    expect(b.views.lab.state().merged?.count).toBe(1)

    // What the hub keeps for its clients: no limit until one is given, which it follows at once.
    expect((await a.fileStorage()).hub).not.toHaveProperty('keepBytes')
    await a.saveSettings({ serverKeepFilesGB: 3 })
    expect((await a.fileStorage()).hub).toMatchObject({ keepBytes: 3 * 2 ** 30 })
    await a.saveSettings({ serverKeepFilesGB: 0 })
    expect((await a.fileStorage()).hub).not.toHaveProperty('keepBytes')

    // And back to P2P, live: P2P history is its own, and the two chat directly.
    await a.saveSettings({ mode: 'p2p', hostServer: false })
    await b.saveSettings({ mode: 'p2p' })
    expect(a.snapshot().hub).toBeNull()
    expect(texts(a)).toEqual([])
    // Back on the port it had (listenPort 0 = "any", chosen once), so peers that know it can redial.
    expect(addr(a)).toBe(p2pAddr)
    await b.dial(addr(a))
    await b.send('lobby', 'direct again')
    await eventually(() => texts(a)).toEqual(['direct again'])
  }, 40_000)

  it('partitions two P2P apps: both keep writing, heal merges, and both end with the same history', async () => {
    const { app: a } = await open('Ann')
    const { app: b } = await open('Ben')
    await b.dial(addr(a))
    await eventually(() => a.peers().filter((p) => p.connected).length).toBe(1)
    await a.send('lobby', 'before')
    await eventually(() => texts(b)).toEqual(['before'])
    const ben = b.status.state === 'running' ? b.status.peerId : ''
    const lab = await a.views.partition(ben)
    expect(lab.cut).toEqual([ben])
    await eventually(() => a.peers().filter((p) => p.connected).length).toBe(0)
    await a.send('lobby', 'ann alone')
    await b.send('lobby', 'ben alone')
    await b.send('lobby', 'ben again')
    expect(texts(a)).toEqual(['before', 'ann alone'])
    a.views.heal()
    await eventually(() => texts(a).length).toBe(4)
    await eventually(() => texts(b).length).toBe(4)
    expect(texts(a)).toEqual(texts(b))
    await eventually(() => a.views.lab.state().merged?.count).toBe(2)
    // Receipts: Ben's delivery of Ann's message reached Ann.
    await eventually(() => a.history('lobby').find((m) => m.text === 'ann alone')?.deliveredTo).toEqual([ben])
  }, 40_000)

  it('after a heal, what a peer whose clock runs a day behind writes live is not counted as merged: it was written after the heal', async () => {
    const { app: a } = await open('Ann')
    const { app: b } = await open('Ben')
    await b.dial(addr(a))
    await eventually(() => a.peers().filter((p) => p.connected).length).toBe(1)
    await a.views.partition('*')
    await eventually(() => a.peers().filter((p) => p.connected).length).toBe(0)
    await b.send('lobby', 'ben alone')
    a.views.heal()
    await eventually(() => texts(a)).toEqual(['ben alone'])
    await eventually(() => a.views.lab.state().merged?.count).toBe(1)
    // Greta's laptop clock runs a day behind (its battery died); she joins after the heal and writes now.
    const greta = await Attacker.connect(addr(a), 'greta')
    cleanup.push(() => greta.stop())
    await greta.send(await greta.message('written after the heal', { name: 'greta', sentAt: Date.now() - 86_400_000 }))
    await eventually(() => texts(a)).toContain('written after the heal')
    // Her clock said "yesterday", before the heal; this app knows it runs behind, and so that she wrote it now.
    await new Promise((done) => setTimeout(done, 300))
    expect(a.views.lab.state().merged?.count).toBe(1)
  }, 40_000)

  it('refuses to host a hub on a taken port, keeps P2P running and the old settings', async () => {
    const taken = createServer()
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done))
    cleanup.push(() => new Promise<void>((done) => taken.close(() => done())))
    const port = (taken.address() as { port: number }).port
    const { app: a } = await open('Ann')
    const before = addr(a)
    await expect(a.saveSettings({ mode: 'client-server', hostServer: true, serverPort: port })).rejects.toThrow(/EADDRINUSE|in use/i)
    expect(a.settings).toMatchObject({ mode: 'p2p', hostServer: false })
    expect(a.snapshot().hub).toBeNull()
    expect(a.status).toMatchObject({ state: 'running', mode: 'p2p' })
    expect(addr(a)).toBe(before)
    await a.send('lobby', 'still here')
    expect(texts(a)).toEqual(['still here'])
    // The refused start let go of the hub's data directory: another port works at once.
    const snap = await a.saveSettings({ mode: 'client-server', hostServer: true, serverPort: 0 })
    expect(snap.hub?.addrs.length).toBeGreaterThan(0)
    expect(snap.status).toMatchObject({ state: 'running', mode: 'client' })
  })

  it('with listen port 0 the app comes back on the port it had, so an address a peer saved still reaches it; a port taken since gives another', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-net-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    const start = async (): Promise<ChatApp> => await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name: 'Ann' } })
    const portOf = (address: string): number => Number(/\/tcp\/(\d+)/.exec(address)?.[1])
    let a = await start()
    const first = addr(a)
    expect(a.settings.listenPort).toBe(0)
    await a.close()
    a = await start()
    expect(addr(a)).toBe(first)
    const { app: b } = await open('Ben')
    await b.dial(first)
    await eventually(() => b.peers().filter((p) => p.connected).length).toBe(1)
    await a.close()
    // Someone else took the port meanwhile: a free one, and that one is kept from then on.
    const taken = createServer()
    await new Promise<void>((done) => taken.listen(portOf(first), '127.0.0.1', done))
    a = await start()
    const second = addr(a)
    expect(portOf(second)).not.toBe(portOf(first))
    await a.close()
    await new Promise<void>((done) => taken.close(() => done()))
    a = await start()
    expect(addr(a)).toBe(second)
    await a.close()
  })
})
