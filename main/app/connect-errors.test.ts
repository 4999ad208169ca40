/**
 * A failed "Connect to address" says what happened in a person's words, not
 * libp2p's: real dials from a real engine to a closed port and to servers
 * that are not LAN Chat, and the cases that need a slow network, from the
 * errors libp2p throws for them.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatEngine } from '../chat/index.js'
import { toConnectError, toErrorInfo } from './errors.js'
import { createDispatch } from './handlers.js'
import { ChatApp } from './service.js'

let app: ChatApp
let dataDir: string
const servers: Server[] = []

async function listen(onSocket: (s: Socket) => void): Promise<string> {
  const server = createServer(onSocket)
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return `127.0.0.1:${(server.address() as { port: number }).port}`
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lanchat-connect-'))
  app = await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name: 'Ann' } })
})
afterAll(async () => {
  await app.close()
  for (const s of servers) s.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** What the Connect dialog gets back through the IPC dispatch. */
async function connect(address: string): Promise<{ name: string; code?: string; message: string }> {
  const dispatch = createDispatch(app, { setUnread: () => undefined })
  const result = await dispatch('dial', { address })
  if (result.ok) throw new Error(`${address} connected`)
  return result.error
}

const LIBRARY_WORDS = /ECONNREFUSED|EOF|stream closed|newline|Encryption|aborted/

describe('connection errors', () => {
  it('a closed port: nothing is listening there', async () => {
    const error = await connect('127.0.0.1:1')
    expect(error).toMatchObject({ name: 'ConnectError', code: 'refused' })
    expect(error.message).toContain('Nothing is listening at 127.0.0.1:1')
    expect(error.message).not.toMatch(LIBRARY_WORDS)
  })

  it('its own address: said as such, with what to do instead', async () => {
    const status = app.snapshot().status
    if (status.state !== 'running') throw new Error('not running')
    const own = status.addrs.map((a) => /\/ip4\/([^/]+)\/tcp\/(\d+)/.exec(a)).find((m) => m !== null)!
    const address = `${own[1]!}:${own[2]!}`
    const error = await connect(address)
    expect(error).toMatchObject({ name: 'ConnectError', code: 'self' })
    expect(error.message).toBe(`${address} is this app's own address: give it to the other computer, and type theirs here.`)
  })

  it('a server that answers something else, or hangs up: not LAN Chat, or another network key', async () => {
    const web = await listen((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    const hangsUp = await listen((s) => s.destroy())
    for (const address of [web, hangsUp]) {
      const error = await connect(address)
      expect(error).toMatchObject({ name: 'ConnectError', code: 'not-lanchat' })
      expect(error.message).toBe(`${address} answered, but the two could not talk: it is not LAN Chat, or one of you uses a network key the other does not (Settings → "Only computers with this network key can connect": the same key on both, or on neither).`)
    }
  })

  it('a program that takes the connection and never speaks LAN Chat (an SSH server\'s greeting): not "did not answer"', async () => {
    const ssh = await listen((s) => { s.write('SSH-2.0-OpenSSH_9.6\r\n'); s.on('error', () => undefined) })
    const error = await connect(ssh)
    // Still worth trying again later (a LAN Chat frozen by a sleeping computer looks the same), but not "nothing answered".
    expect(error).toMatchObject({ name: 'ConnectError', code: 'timeout' })
    expect(error.message).toBe(`${ssh} took the connection but did not answer as LAN Chat in time: the computer there may be asleep or frozen, or another program holds that port.`)
    expect(error.message).not.toMatch(LIBRARY_WORDS)
  }, 30_000)

  it('a dial that runs out of time, a missing route, anything else: said with the address', () => {
    // No answer to the connection itself (a computer that is off, a firewall that drops it): libp2p aborts the dial.
    const timeout = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })
    expect(toErrorInfo(toConnectError(timeout, '/ip4/10.0.0.9/tcp/4001'))).toMatchObject({ name: 'ConnectError', code: 'timeout', message: '10.0.0.9:4001 did not answer in time (timed out): the computer may be off, or a firewall there blocks incoming connections (Windows does on a network set to Public). Let LAN Chat through it there, or, peer to peer, have them connect to you instead.' })
    const noRoute = Object.assign(new Error('connect EHOSTUNREACH 10.0.0.9:4001'), { code: 'EHOSTUNREACH' })
    expect(toConnectError(noRoute, '/ip4/10.0.0.9/tcp/4001/p2p/12D3KooWabc')).toMatchObject({ code: 'unreachable', message: '10.0.0.9:4001 cannot be reached from this network: it is on another one, or this Wi-Fi keeps its devices apart (guest networks often do).' })
    const v6 = toConnectError(new Error('connect ECONNREFUSED ::1:4001'), '/ip6/::1/tcp/4001')
    expect(v6.message).toContain('Nothing is listening at [::1]:4001')
    expect(toConnectError(new Error('odd'), '/dns4/box.local/tcp/9').message).toBe('Could not connect to box.local:9: odd')
  })
})

describe('the network that cannot start', () => {
  it('says a taken port is taken, names it, and says what to do', async () => {
    const taken = await listen(() => undefined)
    const port = Number(taken.split(':')[1])
    const dir = await mkdtemp(join(tmpdir(), 'lanchat-port-taken-'))
    const other = await ChatApp.open({ dataDir: dir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name: 'Bo', listenPort: port } })
    try {
      const status = other.status
      expect(status.state).toBe('failed')
      if (status.state !== 'failed') return
      expect(status.error.message).toBe(`Port ${port} is already in use by another program on this computer. Choose another port in Settings (0 picks a free one), or close the other program.`)
      expect(status.error.message).not.toMatch(/EADDRINUSE/)
    } finally {
      await other.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
