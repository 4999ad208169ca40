import { describe, expect, it } from 'vitest'
import type { ChatEngine, EngineEvent, MessageView } from '../main/chat/types.js'
import type { EngineStats } from '../main/chat/stats.js'
import { until } from './helpers/peers.js'

/** One chat node of a topology under test, with everything it emitted. */
export interface SuiteNode {
  engine: ChatEngine & { stats: () => EngineStats }
  events: EngineEvent[]
}

export interface Network {
  /**
   * Three nodes, ready and linked. Mesh: a – b – c in a line, so a and c are
   * not directly connected and everything between them is relayed by b.
   * Hub: three clients of one hub, none connected to another.
   */
  nodes: [SuiteNode, SuiteNode, SuiteNode]
  /** The order the architecture promises: 'lamport' or 'server-seq'. */
  orderedBy: EngineStats['orderedBy']
  /** Take one node down (its process gone). */
  stop: (node: SuiteNode) => Promise<void>
  teardown: () => Promise<void>
}

const messages = (n: SuiteNode): Array<MessageView & { type: 'message' }> =>
  n.events.filter((e): e is MessageView & { type: 'message' } => e.type === 'message')

const seen = (n: SuiteNode, text: string): boolean => messages(n).some(m => m.text === text)

/**
 * What any LAN Chat network must do, whatever its architecture. The P2P mesh
 * and the client-server hub both run it (test/transport-mesh.test.ts,
 * test/transport-hub.test.ts): the differences between them are in the
 * figures (hops, who orders), not in what a user sees delivered.
 */
export function transportSuite (name: string, build: () => Promise<Network>): void {
  describe(`transport suite: ${name}`, () => {
    let net: Network
    const setup = async (): Promise<[SuiteNode, SuiteNode, SuiteNode]> => {
      net = await build()
      return net.nodes
    }
    const done = async (): Promise<void> => { await net?.teardown() }

    it('reports each connection with the TCP 4-tuple', async () => {
      const [a, b, c] = await setup()
      try {
        for (const n of [a, b, c]) {
          const connect = n.events.find(e => e.type === 'peer:connect')
          expect(connect).toBeDefined()
          expect(connect).toMatchObject({ local: expect.stringMatching(/^127\.0\.0\.1:\d+$/), remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/) })
          const stats = n.engine.stats()
          expect(stats.connections.length).toBeGreaterThan(0)
          expect(stats.connections[0]!.local).toMatch(/^127\.0\.0\.1:\d+$/)
          expect(stats.orderedBy).toBe(net.orderedBy)
        }
      } finally { await done() }
    })

    it('delivers a message exactly once to every node, also to one not directly connected to its author', async () => {
      const [a, b, c] = await setup()
      try {
        await a.engine.send('lobby', 'from a to all')
        await until('everyone has it', () => [a, b, c].every(n => seen(n, 'from a to all')))
        await new Promise(resolve => setTimeout(resolve, 300))
        for (const n of [a, b, c]) expect(messages(n).filter(m => m.text === 'from a to all')).toHaveLength(1)
        const atC = messages(c).find(m => m.text === 'from a to all')!
        expect(atC.author).toBe(a.engine.peerId)
        // Neither architecture links a to c: the message went through someone.
        expect(atC.hops).toBeGreaterThanOrEqual(1)
        expect(c.engine.stats().received).toBe(1)
        expect(a.engine.stats().sent).toBe(1)
      } finally { await done() }
    })

    it('gives all three the same history in the same order after concurrent sends', async () => {
      const [a, b, c] = await setup()
      try {
        const sends = [a, b, c].flatMap((n, i) => Array.from({ length: 10 }, (_, k) => [n, `n${i}-${k}`] as const))
        await Promise.all([a, b, c].map(async (n, i) => {
          for (let k = 0; k < 10; k++) await n.engine.send('lobby', `n${i}-${k}`)
        }))
        await until('all 30 everywhere', () => [a, b, c].every(n => sends.every(([, t]) => seen(n, t))), 15_000)
        const order = (n: SuiteNode): string[] => n.engine.history('lobby').map(m => m.text)
        expect(order(a)).toHaveLength(30)
        expect(order(b)).toEqual(order(a))
        expect(order(c)).toEqual(order(a))
        for (const n of [a, b, c]) expect(new Set(messages(n).map(m => m.id)).size).toBe(messages(n).length)
        if (net.orderedBy === 'server-seq') {
          expect(a.engine.history('lobby').map(m => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
        }
      } finally { await done() }
    })

    it('refuses a text over 64 KiB with a named error and delivers nothing', async () => {
      const [a, b, c] = await setup()
      try {
        await expect(a.engine.send('lobby', 'x'.repeat(64 * 1024 + 1))).rejects.toMatchObject({ name: 'TextTooLongError' })
        await a.engine.send('lobby', 'small one')
        await until('the small one arrives', () => [b, c].every(n => seen(n, 'small one')))
        for (const n of [a, b, c]) expect(messages(n).map(m => m.text)).toEqual(['small one'])
      } finally { await done() }
    })

    it('keeps the others chatting when one node that is not in the middle goes down', async () => {
      const [a, b, c] = await setup()
      try {
        await net.stop(c)
        await b.engine.send('lobby', 'still here?')
        await until('a hears b', () => seen(a, 'still here?'))
        await a.engine.send('lobby', 'yes')
        await until('b hears a', () => seen(b, 'yes'))
      } finally { await done() }
    })
  })
}
