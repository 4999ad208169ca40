/**
 * Catch-up and history load for LAN Chat client-server, the same shape as
 * the P2P rows (lanchat-history.ts): a writer client sends H messages through
 * one hub; follower clients B_K stop once they hold H−K; each B_K restarts
 * from its own directory, says the last number it holds, and the hub sends
 * everything after. Timed from B's peer:connect (the hub's hello) to its K-th
 * message; bytes are everything on the wire from B's start.
 *
 * History load: a child process opens a client directory that holds H
 * delivered messages (the K = H follower's, once caught up) — see
 * bench/history-load.ts with mode `client`. The hub is stopped by then, so the
 * child only loads (its reconnect attempts run in the background).
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { Engine } from '../../main/chat/engine.js'
import type { HubServer } from '../../main/server/index.js'
import type { HistoryRow } from '../lib/report.js'
import { measureCatchup } from '../lib/catchup.js'
import { historyRow, loadHistory } from '../lib/history-loads.js'
import { now, payload, waitUntil } from '../lib/stats.js'
import { bytesWritten } from '../lib/wire.js'
import { ROOM, tempRoot } from './lanchat.js'
import { startClient, startHub } from './lanchat-cs.js'
import type { HistoryBench } from './lanchat-history.js'

/** Send `count` messages, up to 64 in flight, and wait until the hub has numbered them all. */
async function write (client: Engine, hub: HubServer, count: number): Promise<void> {
  const body = payload(100)
  const target = hub.lastSeq + count
  const inflight = new Set<Promise<unknown>>()
  for (let i = 0; i < count; i++) {
    const p = client.send(ROOM, body).finally(() => inflight.delete(p))
    inflight.add(p)
    if (inflight.size >= 64) await Promise.race(inflight)
  }
  await Promise.all(inflight)
  await waitUntil(() => hub.lastSeq >= target, () => `hub to number ${target} (has ${hub.lastSeq})`, 180_000)
}

async function catchUpOnce (dir: string, hub: HubServer, k: number): Promise<{ ms: number, bytes: number }> {
  const bytes0 = bytesWritten()
  let got = 0
  let connectedAt = Number.NaN
  let lastAt = Number.NaN
  const b = new Engine({ dataDir: dir, mode: 'client', server: hub.addrs()[0] as string, mdns: false })
  b.on((e) => {
    if (e.type === 'peer:connect' && Number.isNaN(connectedAt)) connectedAt = now()
    if (e.type === 'message' && e.room === ROOM) { got++; lastAt = now() }
  })
  await b.start()
  await waitUntil(() => got >= k, () => `catch-up of ${k} (got ${got})`, 120_000)
  const result = { ms: lastAt - connectedAt, bytes: bytesWritten() - bytes0 }
  await b.stop()
  return result
}

export async function lanchatCsHistory (h: number, ks: number[], reps: number, historyReps: number, log: (l: string) => void): Promise<HistoryBench> {
  const root = tempRoot('cs-history')
  try {
    const hub = await startHub(join(root, 'hub'))
    const author = await startClient(join(root, 'author'), hub, 'author')
    let written = 0
    const t0 = now()
    for (const k of [...ks].sort((x, y) => y - x)) {
      const target = h - k
      await write(author, hub, target - written)
      written = target
      if (target === 0) continue
      const b = await startClient(join(root, `b${k}`), hub)
      // B is fresh and all it gets is the author's: its received count is its history, without
      // reading the whole room from the database every 2 ms (history() is a query now).
      await waitUntil(() => b.stats().received >= target, () => `B_${k} to reach ${target} (has ${b.stats().received})`, 180_000)
      await b.stop()
    }
    await write(author, hub, h - written)
    await author.stop()
    log(`client-server history of ${h} written and followers prepared in ${((now() - t0) / 1000).toFixed(1)} s`)

    const catchup = await measureCatchup('lanchat-cs', root, h, ks, reps, log, async (dir, k) => await catchUpOnce(dir, hub, k))
    // The K = H follower's directory now holds the whole history, as a client got it.
    const full = join(root, `b${Math.max(...ks)}`)
    await hub.stop()

    const loads = await loadHistory(full, ROOM, 'client', historyReps, log, 'lanchat-cs')
    const history: HistoryRow[] = [historyRow('lanchat-cs', h, loads)]
    return { catchup, history }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
