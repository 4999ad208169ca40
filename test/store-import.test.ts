import { cpSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../main/chat/engine.js'
import type { EngineEvent } from '../main/chat/types.js'
import { cleanup, connect, startPeer, tempDir, until, type TestPeer } from './helpers/peers.js'
import { cleanupHubs, startClient, startHub } from './helpers/hub.js'

const FIXTURE = join(import.meta.dirname, 'fixtures', 'legacy')
const ids = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  meId: string, otherId: string, hubId: string, p2p: string[], client: string[], pending: string, cancelled: string
}

afterEach(async () => { await cleanupHubs(); await cleanup() })

/** A copy of the fixture: importing renames the old files, and the fixture must stay as committed. */
function copy (): string {
  const dir = tempDir('lanchat-legacy-')
  cpSync(FIXTURE, dir, { recursive: true })
  return dir
}

/** An engine on the old peer directory, keeping its stored name (none given). */
async function open (dataDir: string): Promise<{ engine: Engine, log: string[], events: EngineEvent[] }> {
  const log: string[] = []
  const events: EngineEvent[] = []
  const engine = new Engine({ dataDir, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, syncIntervalMs: 1000, log: line => { log.push(line) } })
  engine.on(e => { events.push(e) })
  await engine.start()
  return { engine, log, events }
}

describe('a data directory written before SQLite', () => {
  it('is imported once: history, rooms, name and identity as they were; the old files kept, renamed', async () => {
    const dir = join(copy(), 'peer')
    const first = await open(dir)
    try {
      expect(first.engine.peerId).toBe(ids.meId)
      expect(first.engine.name).toBe('alice')
      expect(first.engine.history('lobby').map(m => m.id)).toEqual([ids.p2p[0], ids.p2p[1], ids.p2p[3]])
      expect(first.engine.history('dev').map(m => m.text)).toEqual(['the build is green'])
      expect(first.engine.history('lobby')[1]).toMatchObject({ author: ids.otherId, replyTo: ids.p2p[0] })
      expect(first.engine.rooms()).toEqual(expect.arrayContaining(['lobby', 'dev', 'empty-room']))
      expect(first.log.join('\n')).toMatch(/imported 4 P2P messages/)
      // The clock goes on after the imported history, and so does alice's chain.
      const next = await first.engine.send('lobby', 'after the move')
      expect(next.lamport).toBeGreaterThan(4)
      expect(next.deps).toContain(ids.p2p[3])
    } finally {
      await first.engine.stop()
    }
    for (const f of ['messages.log', 'state.json', 'client/messages.log', 'client/state.json']) {
      expect(existsSync(join(dir, f))).toBe(false)
      expect(existsSync(join(dir, `${f}.imported`))).toBe(true)
    }

    const second = await open(dir)
    try {
      expect(second.log.join('\n')).not.toMatch(/imported/)
      expect(second.engine.history('lobby').map(m => m.text)).toEqual(['hello from alice', 'hi alice, bob here', 'searchable pineapple', 'after the move'])
    } finally {
      await second.engine.stop()
    }
  })

  it('keeps the signed bytes: a new peer catches up the imported history and verifies it', async () => {
    const dir = join(copy(), 'peer')
    const alice = await open(dir)
    const carol = await startPeer('carol')
    const a: TestPeer = { engine: alice.engine, dataDir: dir, events: alice.events, delivered: () => [], addr: () => alice.engine.addrs()[0]! }
    try {
      await connect(carol, a)
      await until('carol caught up', () => carol.delivered().length === 4)
      expect(carol.engine.history('lobby').map(m => m.id)).toEqual([ids.p2p[0], ids.p2p[1], ids.p2p[3]])
    } finally {
      await alice.engine.stop()
    }
  })

  it('imports the hub log and the client history of that hub; the pending message is resent, the cancelled one never shows', async () => {
    const root = copy()
    const hub = await startHub({ dataDir: join(root, 'hub') })
    expect(hub.hub.peerId).toBe(ids.hubId)
    expect(hub.hub.lastSeq).toBe(3)
    const client = await startClient('ignored', hub.addr(), { dataDir: join(root, 'peer') })
    await until('the pending message is numbered', () => client.delivered().some(m => m.id === ids.pending))
    expect(client.delivered().find(m => m.id === ids.pending)?.seq).toBe(4)
    expect(client.engine.history('lobby').map(m => m.id)).toEqual([ids.client[0], ids.client[1], ids.pending])
    expect(client.engine.history('ops').map(m => m.text)).toEqual(['deploy at noon'])
    expect(hub.hub.history('lobby').map(m => m.id)).toEqual([ids.client[0], ids.client[1], ids.pending])
    expect(JSON.stringify(client.engine.history('lobby'))).not.toContain(ids.cancelled)
    expect(existsSync(join(root, 'hub', 'hub.log.imported'))).toBe(true)
  })
})
