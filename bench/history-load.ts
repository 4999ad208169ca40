/**
 * Child process for the history row: opens a data directory with a fresh
 * engine and reports, as one JSON line, how long until the room's history was
 * in memory and the process's RSS then. A separate process so RSS is this
 * load's alone, not the whole bench's. `ms`/`rssMB` are for the whole room;
 * `pageMs`/`pageRssMB` for the start and the newest page of 200 (before the
 * whole room is read).
 *
 *   node --import tsx bench/history-load.ts <dataDir> <room> [p2p|client]
 *
 * RSS is the whole process: Node, tsx and the libp2p modules take ~130 MB
 * before the first message (reported as rssBeforeMB).
 */
import { createChatEngine } from '../main/chat/index.js'
import { Engine } from '../main/chat/engine.js'

const [dataDir, room, mode = 'p2p'] = process.argv.slice(2)
if (dataDir === undefined || room === undefined || (mode !== 'p2p' && mode !== 'client')) {
  console.error('usage: history-load.ts <dataDir> <room> [p2p|client]')
  process.exit(2)
}
const rssBeforeMB = process.memoryUsage().rss / 2 ** 20
const t0 = performance.now()
const engine = mode === 'client'
  ? new Engine({ dataDir, mode: 'client', mdns: false })
  : await createChatEngine({ dataDir, mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'] })
await engine.start()
// What a window shows first: the newest page (the UI still asks for the whole room today).
const page = engine.history(room, { limit: 200 }).length
const pageMs = performance.now() - t0
const pageRssMB = process.memoryUsage().rss / 2 ** 20
const messages = engine.history(room).length
const ms = performance.now() - t0
const mem = process.memoryUsage()
await engine.stop()
process.stdout.write(JSON.stringify({ ms, messages, page, pageMs, pageRssMB, rssMB: mem.rss / 2 ** 20, rssBeforeMB, heapUsedMB: mem.heapUsed / 2 ** 20 }) + '\n')
process.exit(0)
