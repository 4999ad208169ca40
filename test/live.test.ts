/**
 * Typing and presence over real networks, in both architectures: the P2P
 * mesh (peers on loopback TCP) and client–server (a hub and its clients).
 * Each test runs once per architecture, like the transport adapter suite.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../main/chat/engine.js'
import type { EngineEvent } from '../main/chat/types.js'
import { cleanupHubs, startClient, startHub, stopClient } from './helpers/hub.js'
import { cleanup, connect, startPeer, stopPeer, until } from './helpers/peers.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { answerOf } from '../main/app/lines.js'
import { Terminal } from '../main/app/terminal.js'
import { RELAY_GAP_MS } from '../main/chat/presence-relay.js'
import { PRESENCE_MIN_GAP_MS } from '../main/chat/live.js'

interface Who { engine: Engine; events: EngineEvent[] }
interface Net {
  a: Who
  b: Who
  /** Someone who joins later (P2P: dials a; client: joins the hub). */
  late: (name: string) => Promise<Who>
  stop: (w: Who) => Promise<void>
  /** `w` stopped and, `pause` ms later (or once `pause` is done), started again on its data directory. */
  restart: (w: Who, pause?: number | (() => Promise<void>)) => Promise<Who>
}

const typingOf = (w: Who): Array<Extract<EngineEvent, { type: 'peer:typing' }>> => w.events.flatMap(e => e.type === 'peer:typing' ? [e] : [])
const presenceOf = (w: Who, peerId: string): Array<Extract<EngineEvent, { type: 'peer:presence' }>> => w.events.flatMap(e => e.type === 'peer:presence' && e.peerId === peerId ? [e] : [])
const sees = (w: Who, peerId: string, state: string): boolean => w.engine.presence().some(p => p.peerId === peerId && p.state === state)
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

const architectures: Record<string, () => Promise<Net>> = {
  p2p: async () => {
    const a = await startPeer('alice')
    const b = await startPeer('bob')
    await connect(a, b)
    return {
      a, b,
      late: async name => {
        const c = await startPeer(name)
        await connect(c, a as Awaited<ReturnType<typeof startPeer>>)
        return c
      },
      stop: async w => { await stopPeer(w as Awaited<ReturnType<typeof startPeer>>) },
      restart: async (w, pause = 0) => {
        const { dataDir } = w as Awaited<ReturnType<typeof startPeer>>
        await stopPeer(w as Awaited<ReturnType<typeof startPeer>>)
        await (typeof pause === 'number' ? sleep(pause) : pause())
        return await startPeer(w.engine.name, { dataDir })
      }
    }
  },
  client: async () => {
    const hub = await startHub()
    const a = await startClient('alice', hub.addr())
    const b = await startClient('bob', hub.addr())
    // Both joined: the hub told each about the other.
    await until('both clients joined', () => sees(a, b.engine.peerId, 'online') && sees(b, a.engine.peerId, 'online'))
    return {
      a, b,
      late: async name => {
        const c = await startClient(name, hub.addr())
        await until(`${name} joined`, () => c.engine.connected)
        return c
      },
      stop: async w => { await stopClient(w as Awaited<ReturnType<typeof startClient>>) },
      restart: async (w, pause = 0) => {
        const { dataDir } = w as Awaited<ReturnType<typeof startClient>>
        await stopClient(w as Awaited<ReturnType<typeof startClient>>)
        await (typeof pause === 'number' ? sleep(pause) : pause())
        return await startClient(w.engine.name, hub.addr(), { dataDir })
      }
    }
  }
}

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

for (const [arch, setup] of Object.entries(architectures)) {
  describe(`typing (${arch})`, () => {
    it('tells the others who is typing in which room', async () => {
      const { a, b } = await setup()
      expect(a.engine.typing('lobby')).toBe(true)
      await until('bob hears alice typing', () => typingOf(b).length === 1)
      expect(typingOf(b)[0]).toMatchObject({ room: 'lobby', peer: a.engine.peerId, name: 'alice' })
      // Not an echo: alice hears nothing of her own typing.
      expect(typingOf(a)).toEqual([])
    })

    it('goes out at most once every 3 s, and the receiving end drops a faster sender', async () => {
      const { a, b } = await setup()
      expect([a.engine.typing('lobby'), a.engine.typing('lobby'), a.engine.typing('lobby')]).toEqual([true, false, false])
      // A sender that ignores the limit: three frames straight onto the wire.
      for (let i = 0; i < 3; i++) a.engine.ordering!.sendLive({ type: 'typing', room: 'lobby' })
      await until('bob hears alice typing', () => typingOf(b).length >= 1)
      await sleep(500)
      expect(typingOf(b)).toHaveLength(1)
    })

    it('in a direct conversation, tells only its other end', async () => {
      const { a, b, late } = await setup()
      const carol = await late('carol')
      if (arch === 'p2p') await connect(carol as Awaited<ReturnType<typeof startPeer>>, b as Awaited<ReturnType<typeof startPeer>>)
      else await until('everyone joined', () => sees(carol, b.engine.peerId, 'online') && sees(b, carol.engine.peerId, 'online'))
      const dm = a.engine.openDm(b.engine.peerId)
      expect(a.engine.typing(dm.room)).toBe(true)
      await until('bob hears alice typing to him', () => typingOf(b).length === 1)
      expect(typingOf(b)[0]).toMatchObject({ room: dm.room, peer: a.engine.peerId })
      // Carol can see nothing of it, not even that a DM is being written (a public room's typing she would hear).
      await sleep(3_000)
      expect(a.engine.typing('lobby')).toBe(true)
      await until('carol hears alice typing in the lobby', () => typingOf(carol).length === 1)
      expect(typingOf(carol).map(t => t.room)).toEqual(['lobby'])
    })

    it('is never stored nor replayed to someone who joins later', async () => {
      const { a, b, late } = await setup()
      a.engine.typing('lobby')
      await until('bob hears alice typing', () => typingOf(b).length === 1)
      await a.engine.send('lobby', 'hello')
      await until('bob has the message', () => b.engine.history('lobby').length === 1)
      const carol = await late('carol')
      await until('carol caught up', () => carol.engine.history('lobby').some(m => m.text === 'hello'))
      await sleep(300)
      expect(typingOf(carol)).toEqual([])
      for (const w of [a, b, carol]) expect(w.engine.history('lobby').map(m => m.text)).toEqual(['hello'])
    })
  })

  describe(`presence (${arch})`, () => {
    it('shows away on the other side, and to someone who joins later', async () => {
      const { a, b, late } = await setup()
      a.engine.setPresence('away')
      await until('bob sees alice away', () => sees(b, a.engine.peerId, 'away'))
      expect(presenceOf(b, a.engine.peerId).at(-1)).toMatchObject({ state: 'away', name: 'alice' })
      // Our own presence is an event too (the UI shows it).
      expect(presenceOf(a, a.engine.peerId).at(-1)).toMatchObject({ state: 'away' })
      if (arch === 'p2p') expect(b.engine.peers().find(p => p.peerId === a.engine.peerId)?.presence).toBe('away')
      const carol = await late('carol')
      await until('carol sees alice away', () => sees(carol, a.engine.peerId, 'away'))
      // The terminal's /who lists everyone by presence (in client mode /peers is the hub alone).
      const term = new Terminal(() => carol.engine.peerId)
      const who = term.command('/who')
      if (!('run' in who)) throw new Error('not a command')
      const listed = term.format(answerOf(who.run, await dispatchOver(headlessOperations(carol.engine))(who.run.operation, who.run.payload))!)
      expect(listed?.split('\n').sort()).toEqual(['● bob online', '◐ alice away'].sort())
      // /peers says where to look in client mode, where its one link is the hub.
      term.format({ type: 'ready', peerId: carol.engine.peerId, name: 'carol', mode: arch === 'client' ? 'client' : 'p2p', addrs: [] })
      expect(term.format({ type: 'peers', peers: carol.engine.peers() })?.endsWith('/who lists the people on it)')).toBe(arch === 'client')
      a.engine.setPresence('online')
      await until('bob sees alice back', () => sees(b, a.engine.peerId, 'online'))
      // Presence is not history either.
      expect(b.engine.history('lobby')).toEqual([])
    })

    it('carries a new name to the others as it is taken, and a conversation opened then is named by it', async () => {
      const { a, b } = await setup()
      // A presence claim closer than RELAY_GAP_MS to the last one is dropped by the mesh's relays.
      await sleep(RELAY_GAP_MS + 50)
      await a.engine.setName('alicia')
      await until('bob knows her new name', () => b.engine.presence().some(p => p.peerId === a.engine.peerId && p.name === 'alicia' && p.state === 'online'))
      // And is told, once: from her link's hello (P2P), or from the hub's presence (a client).
      await until('bob is told', () => b.events.some(e => e.type === 'peer:renamed'))
      expect(b.events.filter(e => e.type === 'peer:renamed')).toEqual([expect.objectContaining({ peerId: a.engine.peerId, name: 'alicia', previousName: 'alice' })])
      expect(b.engine.openDm(a.engine.peerId).name).toBe('alicia')
    })

    it('carries a status in one\'s own words to the others, to someone who joins later, through away and its clearing; one\'s own is kept across a restart', async () => {
      const { a, b, late, restart } = await setup()
      // A presence claim closer than RELAY_GAP_MS to the last one is dropped by the mesh's relays.
      await sleep(RELAY_GAP_MS + 50)
      await a.engine.setStatus('  In a meeting until 3  ')
      expect(a.engine.status).toBe('In a meeting until 3')
      const statusOf = (w: Who): string | undefined => w.engine.presence().find(p => p.peerId === a.engine.peerId)?.status
      await until('bob sees her status', () => statusOf(b) === 'In a meeting until 3')
      expect(presenceOf(b, a.engine.peerId).at(-1)).toMatchObject({ state: 'online', name: 'alice', status: 'In a meeting until 3' })
      if (arch === 'p2p') expect(b.engine.peers().find(p => p.peerId === a.engine.peerId)?.status).toBe('In a meeting until 3')
      // Away does not wipe it; and a newcomer hears both.
      await sleep(RELAY_GAP_MS + 50)
      a.engine.setPresence('away')
      await until('bob sees her away', () => sees(b, a.engine.peerId, 'away'))
      expect(statusOf(b)).toBe('In a meeting until 3')
      const carol = await late('carol')
      await until('carol sees her away, with her status', () => sees(carol, a.engine.peerId, 'away') && statusOf(carol) === 'In a meeting until 3')
      // One line, at most 80 characters: anything else is refused, and nothing changes.
      await expect(a.engine.setStatus('x'.repeat(81))).rejects.toThrow(/at most 80 characters/)
      await expect(a.engine.setStatus('two\nlines')).rejects.toThrow(/one line/)
      expect(a.engine.status).toBe('In a meeting until 3')
      await sleep(RELAY_GAP_MS + 50)
      await a.engine.setStatus('')
      await until('bob and carol see it cleared', () => statusOf(b) === undefined && statusOf(carol) === undefined)
      expect(presenceOf(b, a.engine.peerId).at(-1)?.status).toBeUndefined()
      // One's own status is kept in the data directory.
      await a.engine.setStatus('Back on Monday')
      const again = await restart(a)
      expect(again.engine.status).toBe('Back on Monday')
      await until('bob hears it from her again', () => statusOf(b) === 'Back on Monday')
      // Blocked, her status is her words: folded as her messages are, in every list a window or a terminal shows.
      const term = new Terminal(() => b.engine.peerId, () => 'bob', { blocked: id => b.engine.isBlocked(id) })
      expect(term.format(presenceOf(b, again.engine.peerId).at(-1)!)).toMatch(/"Back on Monday"/)
      const seen = b.events.length
      await b.engine.block(again.engine.peerId)
      expect(statusOf(b)).toBeUndefined()
      expect(b.engine.peers().find(p => p.peerId === again.engine.peerId)?.status).toBeUndefined()
      expect(presenceOf(b, again.engine.peerId).at(-1)?.status).toBeUndefined()
      const printed = [...b.events.slice(seen).map(e => term.format(e)), term.format({ type: 'presence', people: b.engine.presence() })].join('\n')
      expect(printed).not.toMatch(/Back on Monday|no status/)
      // Unblocked: shown again, and no news to the terminal, which printed it before.
      const blocked = b.events.length
      await b.engine.unblock(again.engine.peerId)
      expect(statusOf(b)).toBe('Back on Monday')
      expect(presenceOf(b, again.engine.peerId).at(-1)?.status).toBe('Back on Monday')
      expect(b.events.slice(blocked).map(e => term.format(e)).join('\n')).not.toMatch(/Back on Monday|no status/)
    })

    it('a status and a new name taken within the same second both reach the others', async () => {
      const { a, b } = await setup()
      await sleep(RELAY_GAP_MS + 50)
      // The first news of her goes at once; what follows within PRESENCE_MIN_GAP_MS waits, the latest winning.
      a.engine.setPresence('away')
      await until('bob sees her away', () => sees(b, a.engine.peerId, 'away'))
      await sleep(RELAY_GAP_MS + 50)
      a.engine.setPresence('online')
      await a.engine.setStatus('On a call')
      await a.engine.setName('alicia')
      const her = (): { name: string, status?: string } | undefined => b.engine.presence().find(p => p.peerId === a.engine.peerId)
      await until('bob knows her new name', () => her()?.name === 'alicia')
      await until('and her status', () => her()?.status === 'On a call', 5_000)
    })

    it('a status set to clear itself is cleared when its time comes, for everyone, and is none at a start after it', async () => {
      const { a, b, late, restart } = await setup()
      const statusOf = (w: Who): string | undefined => w.engine.presence().find(p => p.peerId === a.engine.peerId)?.status
      await expect(a.engine.setStatus('Gone', { until: Date.now() - 1 })).rejects.toThrow(/a time to come, within a week/)
      await expect(a.engine.setStatus('Gone', { until: Date.now() + 8 * 24 * 3600_000 })).rejects.toThrow(/within a week/)
      await sleep(RELAY_GAP_MS + 50)
      const ends = Date.now() + 1_500
      await a.engine.setStatus('Quick call', { until: ends })
      expect(a.engine.statusUntil).toBe(ends)
      await until('bob sees it', () => statusOf(b) === 'Quick call')
      // Kept across a restart before its time, with its time.
      const again = await restart(a)
      expect(again.engine.status).toBe('Quick call')
      expect(again.engine.statusUntil).toBe(ends)
      await until('it clears itself, for bob too', () => again.engine.status === '' && statusOf(b) === undefined)
      expect(again.engine.statusUntil).toBeUndefined()
      // Set again, and its time passes while the app is closed: none at the next start. (Presence news
      // closer than a second to the last is held until the second is over: a status is not a flood.)
      await sleep(PRESENCE_MIN_GAP_MS + 100)
      const lunch = Date.now() + 2_500
      await again.engine.setStatus('Lunch', { until: lunch })
      await until('bob sees lunch', () => statusOf(b) === 'Lunch')
      expect(b.engine.presence().find(p => p.peerId === a.engine.peerId)?.statusUntil).toBe(lunch)
      if (arch === 'p2p') expect(b.engine.peers().find(p => p.peerId === a.engine.peerId)).toMatchObject({ status: 'Lunch', statusUntil: lunch })
      const later = await restart(again, async () => {
        // Her app is closed when lunch is over: bob's clears it all the same, at its time.
        await until('bob sees her offline', () => sees(b, a.engine.peerId, 'offline'))
        expect(statusOf(b)).toBe('Lunch')
        await until('lunch is over for bob, though she is not there to say so', () => statusOf(b) === undefined)
        expect(Date.now()).toBeGreaterThanOrEqual(lunch)
        expect(presenceOf(b, a.engine.peerId).at(-1)).toMatchObject({ state: 'offline' })
        expect(presenceOf(b, a.engine.peerId).at(-1)).not.toHaveProperty('status')
        if (arch === 'client') {
          // The hub still has her last word: someone who joins now does not show it either.
          const carol = await late('carol')
          await until('carol hears of her', () => sees(carol, a.engine.peerId, 'offline'))
          expect(statusOf(carol)).toBeUndefined()
        }
      })
      expect(later.engine.status).toBe('')
      expect(later.engine.statusUntil).toBeUndefined()
    })

    it('says offline with the time last seen once someone disconnects', async () => {
      const { a, b, stop, late } = await setup()
      const before = Date.now()
      await stop(a)
      await until('bob sees alice offline', () => sees(b, a.engine.peerId, 'offline'))
      const gone = b.engine.presence().find(p => p.peerId === a.engine.peerId)!
      expect(gone.lastSeen).toBeGreaterThanOrEqual(before)
      expect(gone.lastSeen).toBeLessThanOrEqual(Date.now())
      if (arch === 'p2p') expect(b.engine.peers().find(p => p.peerId === a.engine.peerId)).toMatchObject({ presence: 'offline', lastSeen: gone.lastSeen })
      // Peer to peer, last seen is kept in the peers table: it survives a restart.
      if (arch === 'p2p') {
        const dataDir = (b as Awaited<ReturnType<typeof startPeer>>).dataDir
        await stop(b)
        const again = await startPeer('bob', { dataDir })
        const remembered = again.engine.presence().find(p => p.peerId === a.engine.peerId)
        expect(remembered?.state).toBe('offline')
        expect(remembered?.lastSeen).toBeGreaterThanOrEqual(before)
      }
      // The hub remembers who left and when (in memory): someone joining later hears it too.
      if (arch === 'client') {
        const carol = await late('carol')
        await until('carol hears alice left', () => sees(carol, a.engine.peerId, 'offline'))
        expect(carol.engine.presence().find(p => p.peerId === a.engine.peerId)).toMatchObject({ name: 'alice', lastSeen: gone.lastSeen })
      }
    })
  })
}
