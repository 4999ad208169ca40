/**
 * Catch-up with several authors, next to one author, in the same run (the catch-up rows of the
 * history section have one author: each author's messages form one hash chain, the best case).
 *
 * Setup (not timed), for 1, 4 and 16 authors: the authors are linked to each other and write a
 * room's history of H messages in turn (with N authors, author i writes messages i, i+N, …); a follower B
 * takes part until it holds the first H-K, then stops; the authors write K more. Every author
 * but the first then stops, so B's catch-up comes from one peer in both cases. Measured, the
 * two cases alternating: B restarts from its own data directory (restored between repetitions),
 * is linked to the first author again, and takes in the K it missed. Time from B's peer:connect
 * to its K-th delivered message; bytes written on every socket of this process meanwhile.
 */
import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Engine } from '../main/chat/index.js'
import { median, now, payload, waitUntil } from './lib/stats.js'
import { catchUpOnce } from './systems/lanchat-history.js'
import { ROOM, connected, startEngine, tempRoot } from './systems/lanchat.js'

export interface AuthorsRow {
  authors: number
  history: number
  k: number
  /** Median time to catch up, ms. */
  ms: number
  /** Median bytes written on the wire meanwhile (both ways). */
  bytes: number
}

interface Prepared { root: string, first: Engine, follower: string, saved: string }

async function prepare (authors: number, h: number, k: number, log: (l: string) => void): Promise<Prepared> {
  const root = tempRoot(`authors-${authors}`)
  const engines: Engine[] = []
  for (let i = 0; i < authors; i++) {
    const engine = await startEngine(join(root, `author-${i}`), { name: `author-${i}` })
    // Each new author is linked to every earlier one (peer exchange may have linked some already).
    for (const other of engines) {
      await engine.dial(other.addrs()[0] as string)
      await waitUntil(() => engine.peers().some(p => p.peerId === other.peerId && p.connected), `author-${i} linked to ${other.name}`, 30_000)
    }
    engines.push(engine)
  }
  const first = engines[0]!
  const follower = join(root, 'follower')
  const b = await startEngine(follower)
  const joined = connected(b, 1)
  await b.dial(first.addrs()[0] as string)
  await joined
  const body = payload(100)
  const write = async (from: number, to: number): Promise<void> => {
    for (let m = from; m < to; m++) await engines[m % authors]!.send(ROOM, body)
  }
  const t0 = now()
  await write(0, h - k)
  await waitUntil(() => b.stats().received >= h - k, () => `the follower to reach ${h - k} (has ${b.stats().received})`, 300_000)
  await b.stop()
  await write(h - k, h)
  // The first author holds everything before the others go: what it wrote, and the rest.
  const own = Math.ceil(h / authors)
  await waitUntil(() => first.stats().received >= h - own, () => `the first author to hold ${h} (has ${first.stats().received} of others')`, 300_000)
  for (const other of engines.slice(1)) await other.stop()
  const saved = `${follower}.saved`
  cpSync(follower, saved, { recursive: true })
  log(`${authors} author(s): history of ${h} written, follower ${k} behind, in ${((now() - t0) / 1000).toFixed(1)} s`)
  return { root, first, follower, saved }
}

/** The follower back as it was when it stopped, then one catch-up from the first author. */
async function catchUpFrom (p: Prepared, k: number): Promise<{ ms: number, bytes: number }> {
  rmSync(p.follower, { recursive: true, force: true })
  cpSync(p.saved, p.follower, { recursive: true })
  return await catchUpOnce(p.follower, p.first, k)
}

/** For each count of authors (one first), H messages in the room, the follower K behind; `reps` catch-ups of each, alternating. */
export async function authorsSection (h: number, k: number, reps: number, log: (l: string) => void, counts: readonly number[] = [1, 4, 16]): Promise<AuthorsRow[]> {
  const cases: Prepared[] = []
  try {
    for (const n of counts) cases.push(await prepare(n, h, k, log))
    const runs = cases.map(() => [] as Array<{ ms: number, bytes: number }>)
    for (let r = 0; r < reps; r++) {
      for (const [i, p] of cases.entries()) {
        log(`catch-up of ${k}, ${counts[i]!} author(s), rep ${r + 1}/${reps}`)
        runs[i]!.push(await catchUpFrom(p, k))
      }
    }
    return cases.map((_, i) => ({ authors: counts[i]!, history: h, k, ms: median(runs[i]!.map(x => x.ms)), bytes: median(runs[i]!.map(x => x.bytes)) }))
  } finally {
    for (const p of cases) {
      await p.first.stop()
      rmSync(p.root, { recursive: true, force: true })
    }
  }
}

export const AUTHORS_TABLE_HEAD = '| authors | history | missed (K) | catch-up ms | msg/s | bytes per message |\n|---------|---------|------------|-------------|-------|-------------------|'

export function authorsTable (rows: readonly AuthorsRow[]): string {
  const base = rows.find(r => r.authors === 1)
  return [AUTHORS_TABLE_HEAD, ...rows.map(r => {
    const rate = r.k / (r.ms / 1000)
    const vs = base !== undefined && r !== base ? ` (${(rate / (base.k / (base.ms / 1000)) * 100).toFixed(0)}% of one author's)` : ''
    return `| ${r.authors} | ${r.history.toLocaleString('en-US')} | ${r.k.toLocaleString('en-US')} | ${Math.round(r.ms).toLocaleString('en-US')} | ${Math.round(rate).toLocaleString('en-US')}${vs} | ${Math.round(r.bytes / r.k)} |`
  })].join('\n')
}
