import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanupHubs, startClient, stopClient } from './helpers/hub.js'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat, type Proc } from './helpers/proc.js'
import { toMultiaddr } from '../main/app/address.js'
import type { EngineEvent } from '../main/chat/index.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanupHubs(); await cleanup() })

type Ev = Record<string, unknown> & { type: string }
const msgs = (p: Proc): Ev[] => p.events.filter(e => e.type === 'message')
const order = (p: Proc): string[] => msgs(p).map(e => `${String(e.seq)}:${String(e.id)}`)

describe('bin/lanchat server with three client processes', () => {
  it('orders by seq for everyone, goes pending while the server is down, and delivers the pending messages once after a restart', async () => {
    const serverDir = tempDir('lanchat-server-')
    let server = lanchat(['server', '--json', '--data', serverDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns'])
    const ready = await server.waitFor('server ready', e => e.type === 'ready')
    expect(ready.mode).toBe('server')
    const addr = (ready.addrs as string[])[0]!
    const port = addr.split('/')[4]!
    const dirs = ['a', 'b', 'c'].map(n => tempDir(`lanchat-${n}-`))
    // The third is given the hub as people type it, ip:port, as the Connect dialog and /mode take it.
    const start = (i: number): Proc =>
      lanchat(['peer', '--mode', 'client', '--json', '--no-mdns', '--name', 'abc'[i]!, '--data', dirs[i]!, '--server', i === 2 ? `127.0.0.1:${port}` : addr])
    const clients = [0, 1, 2].map(start)
    for (const c of clients) {
      expect(await c.waitFor('client ready', e => e.type === 'ready')).toMatchObject({ mode: 'client', addrs: [] })
      await c.waitFor('connected to the server', e => e.type === 'peer:connect')
    }

    // 1. Three clients send at once: all agree on one order, numbered 1..9 by the server.
    clients.forEach((c, i) => { for (let k = 0; k < 3; k++) c.send({ cmd: 'send', text: `${'abc'[i]}${k}` }) })
    await until('9 messages everywhere', () => clients.every(c => msgs(c).length === 9), 20_000)
    expect(msgs(clients[0]!).map(e => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(order(clients[1]!)).toEqual(order(clients[0]!))
    expect(order(clients[2]!)).toEqual(order(clients[0]!))
    const before = order(clients[0]!)

    // 2. Kill the server: sends go pending, nothing is delivered.
    await server.kill('SIGKILL')
    for (const c of clients) await c.waitFor('server gone', e => e.type === 'peer:disconnect')
    clients[0]!.send({ cmd: 'send', text: 'while down from a' })
    clients[1]!.send({ cmd: 'send', text: 'while down from b' })
    const pendA = await clients[0]!.waitFor('pending at a', e => e.type === 'pending')
    const pendB = await clients[1]!.waitFor('pending at b', e => e.type === 'pending')
    clients[1]!.send({ cmd: 'stats' })
    const stats = await clients[1]!.waitFor('stats', e => e.type === 'stats')
    expect(stats).toMatchObject({ mode: 'client', orderedBy: 'server-seq', failure: { state: 'down', summary: 'server unreachable, 1 pending', pending: 1 } })
    clients[1]!.send({ cmd: 'history', room: 'lobby' })
    const shown = await clients[1]!.waitFor('history', e => e.type === 'history')
    expect((shown.messages as Ev[]).at(-1)).toMatchObject({ text: 'while down from b', pending: true })
    // The pending message of a must survive a crash of a too: it is on disk.
    await clients[0]!.kill('SIGKILL')
    await new Promise(resolve => setTimeout(resolve, 500))
    for (const c of clients.slice(1)) expect(msgs(c)).toHaveLength(9)

    // 3. Restart the server on its port and a from its data: pending delivered once, history intact.
    server = lanchat(['server', '--json', '--data', serverDir, '--listen', `/ip4/127.0.0.1/tcp/${port}`, '--no-mdns'])
    expect((await server.waitFor('server ready again', e => e.type === 'ready')).peerId).toBe(ready.peerId)
    clients[0] = start(0)
    const ids = [String(pendA.id), String(pendB.id)]
    await until('both pending messages everywhere', () => clients.every(c => ids.every(id => msgs(c).some(e => e.id === id))), 30_000)
    await new Promise(resolve => setTimeout(resolve, 500))
    for (const c of clients) {
      c.send({ cmd: 'history', room: 'lobby' })
      const h = await c.waitFor('history', e => e.type === 'history' && (e.messages as Ev[]).length >= 11)
      const list = h.messages as Ev[]
      expect(list.map(m => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
      expect(list.slice(0, 9).map(m => `${String(m.seq)}:${String(m.id)}`)).toEqual(before)
      expect(list.filter(m => ids.includes(String(m.id)))).toHaveLength(2)
      expect(list.some(m => m.pending === true)).toBe(false)
    }
    for (const c of clients.slice(1)) for (const id of ids) expect(msgs(c).filter(e => e.id === id)).toHaveLength(1)
    server.send({ cmd: 'history', room: 'lobby' })
    const onServer = await server.waitFor('server history', e => e.type === 'history')
    expect((onServer.messages as Ev[]).map(m => m.id)).toEqual((clients[2]!.events.filter(e => e.type === 'history').at(-1)!.messages as Ev[]).map(m => m.id))
  }, 120_000)
  it('a server that quits (Ctrl+C) is a hub gone to its clients, not one that misbehaved', async () => {
    const server = lanchat(['server', '--json', '--data', tempDir('lanchat-server-'), '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns'])
    const ready = await server.waitFor('server ready', e => e.type === 'ready')
    const logs: string[] = []
    const client = await startClient('ann', (ready.addrs as string[])[0]!, { log: line => { logs.push(line) } })
    await until('joined', () => client.engine.connected)
    await server.kill('SIGINT')
    await until('the client says the hub is unreachable', () => logs.some(l => /the hub cannot be reached/.test(l)))
    // Its quitting resets the streams: the link ending, nothing to report as a failure of the hub.
    expect(logs.filter(l => /stream failed/.test(l))).toEqual([])
    // Nor does the hub, closing its links as it stops, report its clients for it.
    expect(await server.exited).toBe(0)
    expect(server.stderr.filter(l => /stream failed|client .*: /.test(l))).toEqual([])
  })
  it('a hub that stops answering but keeps its link (its computer asleep) has a message told pending within seconds, and numbers it once it wakes', async () => {
    const server = lanchat(['server', '--json', '--data', tempDir('lanchat-server-'), '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns'])
    const ready = await server.waitFor('server ready', e => e.type === 'ready')
    const events: EngineEvent[] = []
    const client = await startClient('ann', (ready.addrs as string[])[0]!)
    client.engine.on(e => { events.push(e) })
    await until('joined', () => client.engine.connected)
    process.kill(server.child.pid!, 'SIGSTOP')
    try {
      const sent = await client.engine.send('lobby', 'anyone there?')
      // Told long before the link's pings run out: the hub is linked and silent.
      await until('told pending', () => events.some(e => e.type === 'pending' && e.id === sent.id), 15_000)
      expect(events.find(e => e.type === 'pending' && e.id === sent.id)).toMatchObject({ slow: true, room: 'lobby' })
      expect(client.engine.connected).toBe(true)
      process.kill(server.child.pid!, 'SIGCONT')
      await until('numbered once it wakes', () => client.engine.history('lobby').some(m => m.id === sent.id && m.pending !== true), 20_000)
      expect(events.filter(e => e.type === 'pending' && e.id === sent.id)).toHaveLength(1)
    } finally {
      process.kill(server.child.pid!, 'SIGCONT')
    }
  })

  it('--json answers in the order the commands came, errors too (an unknown one naming what it takes), help with its commands, and quits after what came before', async () => {
    const server = lanchat(['server', '--json', '--data', tempDir('lanchat-server-'), '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns'])
    await server.waitFor('server ready', e => e.type === 'ready')
    // All at once, as a script writes them: the quick refusals must not overtake the answers that read the store.
    const lines = [
      { cmd: 'stats', ref: 1 }, { cmd: 'history', room: 'lobby', ref: 2 }, { cmd: 'history', room: 'design', ref: 3 },
      { cmd: 'peers', ref: 4 }, { cmd: 'storage', ref: 5 }, { cmd: 'send', room: 'lobby', text: 'hi', ref: 6 }, { cmd: 'bogus', ref: 7 }
    ].map(c => JSON.stringify(c))
    server.child.stdin.write([...lines, 'junk', JSON.stringify({ cmd: 'help', ref: 8 }), JSON.stringify({ cmd: 'quit' }), JSON.stringify({ cmd: 'stats', ref: 9 })].join('\n') + '\n')
    expect(await server.exited).toBe(0)
    const answers = server.events.filter(e => e.type !== 'ready' && e.type !== 'not-json')
    expect(answers.map(e => `${e.type}:${String(e.ref)}`)).toEqual(['stats:1', 'history:2', 'history:3', 'peers:4', 'storage:5', 'error:6', 'error:7', 'error:undefined', 'help:8'])
    // Help names the commands the server takes, with their fields; a command it does not have is refused naming them.
    expect(answers.find(e => e.ref === 8)?.commands).toEqual({ stats: [], history: ['room', 'limit', 'before', 'after', 'around', 'notes'], peers: [], storage: ['free'], help: [], quit: [] })
    expect(answers.find(e => e.ref === 7)?.message).toBe('unknown command "bogus": the server takes stats, history, peers, storage, help and quit')
    expect(answers.find(e => e.ref === 6)?.message).toBe('"send" is a peer command; the server takes stats, history, peers, storage, help and quit')
  })

  it('its console, for a person: clients by name, and stats, history ROOM, peers, storage and help in words', async () => {
    const server = lanchat(['server', '--data', tempDir('lanchat-server-'), '--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns'])
    const lines = (): string[] => server.events.filter(e => e.type === 'not-json').map(e => String(e.line))
    const saw = async (what: string, re: RegExp): Promise<void> => { await until(what, () => lines().some(l => re.test(l))) }
    // The banner names the address as people type it: ip:port.
    await saw('the banner', /^ {2}127\.0\.0\.1:\d+$/)
    const addr = lines().find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim()
    // What a person types after --server: the CLI reads it as the app's Server address field does.
    const ann = await startClient('ann', toMultiaddr(addr))
    await until('joined', () => ann.engine.connected)
    const m = await ann.engine.send('design', 'sketches')
    await saw('numbered', /^\[#1 L\d+ [0-9a-f]{8}\] ann: sketches$/)
    await ann.engine.edit('design', m.id, 'sketches, v2')
    await ann.engine.react('design', m.id, '👍', true)
    await saw('the reaction numbered', /^\[#3 L\d+ [0-9a-f]{8}\] ann reacted 👍 to \[[0-9a-f]{8}\]$/)
    for (const line of ['history design', 'stats', 'peers', 'storage', 'help', 'hello']) server.child.stdin.write(line + '\n')
    // The room as its clients show it: one line, edited, with its reaction; the edit and the reaction are no lines of their own.
    await saw('the history of #design', new RegExp(`^\\[#1 L\\d+ ${m.id.slice(0, 8)}\\] ann: sketches, v2 \\(edited\\) {2}👍 1$`))
    await saw('stats in sentences', /^clients 1, messages numbered 3, links dropped/)
    await saw('the client linked', /^● ann 12D3Koo\S+ \[LAN Chat \d+\.\d+\.\d+\] 127\.0\.0\.1:\d+<->127\.0\.0\.1:\d+$/)
    await saw('help', /^ {2}history \[ROOM\]/)
    await saw('what it keeps', /^\* files kept for the clients: 0, 0 bytes$/)
    await saw('an unknown word', /^! unknown command "hello": the server takes stats, history \[ROOM\], peers, storage, help and quit$/)
    await stopClient(ann)
    await saw('ann left, by name', /^\* client ann left$/)
    expect(lines().filter(l => l.startsWith('{'))).toEqual([])
    expect(lines().filter(l => / ann: sketches, v2/.test(l))).toHaveLength(1)
    await server.kill('SIGTERM')
  })
})
