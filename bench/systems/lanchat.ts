/**
 * Row (c): LAN Chat P2P — real engines from createChatEngine, each with its
 * own data directory in a temp folder (so every message is signed, stored in
 * the append-only log and delivered causally), mDNS off, loopback only.
 *
 * Topology: a star; every receiver dials the sender. Delivered = the receiver
 * emitted its `message` event. send() takes its place in the author's chain
 * synchronously, so several may be in flight (the plan's window, 64, as for
 * gossipsub's publish()); those sent in one tick leave as one signed run.
 *
 * The per-author rate limit (RATE_PER_SECOND = 200/s, burst 1000) is raised
 * here: it is a policy cap, and left on it would be all the table measured.
 * The catch-up section keeps one row with the default limit to show its effect.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createChatEngine } from '../../main/chat/index.js'
import type { Engine, EngineOptions } from '../../main/chat/index.js'
import type { Topology } from '../lib/harness.js'
import { waitUntil } from '../lib/stats.js'

export const ROOM = 'bench'

/** Rate limit off for measuring capacity (see the file comment). */
export const UNLIMITED = { ratePerSecond: 1e9, rateBurst: 1e9 }

export function tempRoot (label: string): string {
  return mkdtempSync(join(tmpdir(), `lanchat-bench-${label}-`))
}

export async function startEngine (dataDir: string, extra: Partial<EngineOptions> = {}): Promise<Engine> {
  const engine = await createChatEngine({ dataDir, mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'], ...UNLIMITED, ...extra })
  await engine.start()
  return engine
}

/** Resolves once `engine` has reported `count` peer:connect events (counted from now). */
export function connected (engine: Engine, count: number): Promise<void> {
  let seen = 0
  return new Promise((resolve) => {
    const off = engine.on((e) => {
      if (e.type === 'peer:connect' && ++seen >= count) { off(); resolve() }
    })
  })
}

export async function lanchatStar (receivers: number): Promise<Topology> {
  const root = tempRoot('star')
  let deliver: () => void = () => {}
  const sender = await startEngine(join(root, 'sender'), { name: 'sender' })
  const engines: Engine[] = [sender]
  const senderSees = connected(sender, receivers)
  for (let r = 0; r < receivers; r++) {
    const receiver = await startEngine(join(root, `r${r}`), { name: `r${r}` })
    receiver.on((e) => { if (e.type === 'message' && e.room === ROOM) deliver() })
    const joined = connected(receiver, 1)
    await receiver.dial(sender.addrs()[0] as string)
    await joined
    engines.push(receiver)
  }
  await senderSees
  await waitUntil(() => sender.peers().filter((p) => p.connected).length === receivers, 'LAN Chat peers')
  return {
    receivers,
    async send (body) { await sender.send(ROOM, body) },
    onDeliver (fn) { deliver = fn },
    connections: () => engines.reduce((n, e) => n + e.peers().reduce((k, p) => k + p.connections.length, 0), 0) / 2,
    async close () {
      await Promise.all(engines.map((e) => e.stop()))
      rmSync(root, { recursive: true, force: true })
    }
  }
}
