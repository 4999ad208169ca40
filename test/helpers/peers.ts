import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createChatEngine, type Engine, type EngineOptions, type EngineEvent } from '../../main/chat/index.js'

export interface TestPeer {
  engine: Engine
  dataDir: string
  events: EngineEvent[]
  /** Texts of delivered messages, in delivery order. */
  delivered: () => string[]
  addr: () => string
}

const dirs: string[] = []
const running = new Set<Engine>()

/** The SHA-256 of some bytes, in hex, as a file manifest says it. */
export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

/** A file of `bytes` random bytes named `name` in a fresh folder, to share. */
export function shareable (name: string, bytes: number): { path: string, content: Buffer } {
  const content = randomBytes(bytes)
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, content)
  return { path, content }
}

export function tempDir (prefix = 'lanchat-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}

/** A real engine on loopback (no mDNS unless asked), recording its events. */
export async function startPeer (name: string, opts: Partial<EngineOptions> = {}): Promise<TestPeer> {
  const dataDir = opts.dataDir ?? tempDir(`lanchat-${name}-`)
  const engine = await createChatEngine({ listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, name, syncIntervalMs: 1000, ...opts, dataDir })
  const events: EngineEvent[] = []
  engine.on(e => { events.push(e) })
  await engine.start()
  running.add(engine)
  return {
    engine,
    dataDir,
    events,
    delivered: () => events.flatMap(e => e.type === 'message' ? [e.text] : []),
    addr: () => engine.addrs()[0]!
  }
}

export async function stopPeer (p: TestPeer): Promise<void> {
  running.delete(p.engine)
  await p.engine.stop()
}

export async function cleanup (): Promise<void> {
  await Promise.all([...running].map(async e => { await e.stop() }))
  running.clear()
  // A process killed just now may still be writing its last file into its folder (ENOTEMPTY): tried again.
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
}

/**
 * `p` and `q` never link, as the partition lab's cut keeps them (each refuses
 * the other): how a test shapes a line, which peer exchange would otherwise
 * close into a triangle as `b` tells each end of the other.
 */
export async function keepApart (p: Pick<TestPeer, 'engine'>, q: Pick<TestPeer, 'engine'>): Promise<void> {
  await p.engine.cut(q.engine.peerId)
  await q.engine.cut(p.engine.peerId)
}

/** `a`–`b`–`c` on a line: `b` relays between the two, who have no link of their own. */
export async function lineUp (a: Pick<TestPeer, 'engine'>, b: Pick<TestPeer, 'engine' | 'addr'>, c: Pick<TestPeer, 'engine'>): Promise<void> {
  await keepApart(a, c)
  await a.engine.dial(b.addr())
  await c.engine.dial(b.addr())
  await until('b has both', () => b.engine.peers().filter(p => p.connected).length === 2)
}

/** Three peers, each linked to the other two. */
export async function startTrio (names: readonly [string, string, string]): Promise<[TestPeer, TestPeer, TestPeer]> {
  const [a, b, c] = [await startPeer(names[0]), await startPeer(names[1]), await startPeer(names[2])]
  await connect(a, b)
  await connect(b, c)
  await connect(a, c)
  return [a, b, c]
}

/** Wait until `check` holds, polling; fails with `what` after `ms`. */
export async function until (what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

export async function connect (a: TestPeer, b: TestPeer): Promise<void> {
  await a.engine.dial(b.addr())
  await until(`${a.engine.name} and ${b.engine.name} connected`, () =>
    a.engine.peers().some(p => p.peerId === b.engine.peerId && p.connected) &&
    b.engine.peers().some(p => p.peerId === a.engine.peerId && p.connected))
}

export function texts (p: TestPeer, room = 'lobby'): string[] {
  return p.engine.history(room).map(m => m.text)
}
