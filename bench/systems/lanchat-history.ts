/**
 * Catch-up and history load for LAN Chat P2P.
 *
 * Setup (not timed): author A writes a history of H messages through the
 * public API. For each K, a peer B_K takes part until it holds the first H-K
 * messages and then stops; A writes on. Measured: B_K restarts from its own
 * data directory (a fresh one when K = H), reconnects to A, and catches up.
 * Time runs from B's peer:connect to its K-th delivered message; bytes are
 * everything written on every socket from B's start to the end (both ways,
 * handshakes included). B's directory is copied before and restored between
 * repetitions, so each repetition starts from the same state.
 *
 * History load: a child process opens A's directory (H messages) — see
 * bench/history-load.ts.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { CatchupRow, HistoryRow } from '../lib/report.js'
import { measureCatchup } from '../lib/catchup.js'
import { historyRow, loadHistory } from '../lib/history-loads.js'
import { now, payload, waitUntil } from '../lib/stats.js'
import { bytesWritten } from '../lib/wire.js'
import { ROOM, connected, startEngine, tempRoot } from './lanchat.js'
import type { Engine } from '../../main/chat/index.js'

async function write (engine: Engine, count: number): Promise<void> {
  const body = payload(100)
  for (let i = 0; i < count; i++) await engine.send(ROOM, body)
}

/** One catch-up: start B from `dir`, wait for `k` delivered messages (bench/authors.ts times its own with it too). */
export async function catchUpOnce (dir: string, author: Engine, k: number): Promise<{ ms: number, bytes: number }> {
  const bytes0 = bytesWritten()
  let got = 0
  let connectedAt = Number.NaN
  let lastAt = Number.NaN
  const b = await startEngine(dir)
  b.on((e) => {
    if (e.type === 'peer:connect' && Number.isNaN(connectedAt)) connectedAt = now()
    if (e.type === 'message' && e.room === ROOM) { got++; lastAt = now() }
  })
  // A restarted B redials A on its own; a fresh one (K = H) needs telling.
  await b.dial(author.addrs()[0] as string)
  await waitUntil(() => got >= k, () => `catch-up of ${k} (got ${got})`, 120_000)
  const result = { ms: lastAt - connectedAt, bytes: bytesWritten() - bytes0 }
  await b.stop()
  return result
}

export interface HistoryBench { catchup: CatchupRow[], history: HistoryRow[] }

/** `withAuthorDir`: called with the author's directory (H messages, engine stopped) before it is deleted. */
export async function lanchatHistory (h: number, ks: number[], reps: number, historyReps: number, log: (l: string) => void, withAuthorDir?: (dir: string) => Promise<void>): Promise<HistoryBench> {
  const root = tempRoot('history')
  try {
    const author = await startEngine(join(root, 'author'), { name: 'author' })
    const desc = [...ks].sort((x, y) => y - x)
    let written = 0
    const t0 = now()
    for (const k of desc) {
      const target = h - k
      await write(author, target - written)
      written = target
      if (target === 0) continue
      // B_k follows along until it has the first h-k messages, then leaves.
      const b = await startEngine(join(root, `b${k}`))
      const joined = connected(b, 1)
      await b.dial(author.addrs()[0] as string)
      await joined
      // B is fresh and all it gets is the author's: its received count is its history, without
      // reading the whole room from the database every 2 ms (history() is a query now).
      await waitUntil(() => b.stats().received >= target, () => `B_${k} to reach ${target} (has ${b.stats().received})`, 180_000)
      await b.stop()
    }
    await write(author, h - written)
    log(`history of ${h} written and followers prepared in ${((now() - t0) / 1000).toFixed(1)} s`)

    const catchup = await measureCatchup('lanchat-p2p', root, h, ks, reps, log, async (dir, k) => await catchUpOnce(dir, author, k))
    await author.stop()

    const loads = await loadHistory(join(root, 'author'), ROOM, 'p2p', historyReps, log, 'lanchat-p2p')
    const history: HistoryRow[] = [historyRow('lanchat-p2p', h, loads)]
    if (withAuthorDir !== undefined) await withAuthorDir(join(root, 'author'))
    return { catchup, history }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
