/**
 * Child process for the history rows: opens a data directory with a fresh
 * engine and reports, as one JSON line, how long until the newest page of a
 * room (what a window shows first) was there and the process's RSS then;
 * then it walks the whole room a page at a time (counting it, the way a
 * script pages with `before`) and, when asked, times full-text searches.
 * A separate process so RSS is this load's alone, not the whole bench's.
 *
 *   node --import tsx bench/history-load.ts <dataDir> <room> [p2p|client] [--search=word,word,…]
 *
 * RSS is the whole process: Node, tsx and the libp2p modules take ~130 MB
 * before the first message (reported as rssBeforeMB).
 */
import { createChatEngine } from '../main/chat/index.js'
import { Engine } from '../main/chat/engine.js'
import { MAX_PAGE } from '../main/chat/types.js'

const args = process.argv.slice(2)
const searchArg = args.find((a) => a.startsWith('--search='))
const [dataDir, room, mode = 'p2p'] = args.filter((a) => !a.startsWith('--'))
if (dataDir === undefined || room === undefined || (mode !== 'p2p' && mode !== 'client')) {
  console.error('usage: history-load.ts <dataDir> <room> [p2p|client] [--search=word,word,…]')
  process.exit(2)
}
const rssBeforeMB = process.memoryUsage().rss / 2 ** 20
const t0 = performance.now()
const engine = mode === 'client'
  ? new Engine({ dataDir, mode: 'client', mdns: false })
  : await createChatEngine({ dataDir, mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'] })
await engine.start()
const newest = engine.history(room, { limit: 200 })
const pageMs = performance.now() - t0
const pageRssMB = process.memoryUsage().rss / 2 ** 20

// The whole room, a page at a time, newest to oldest.
let messages = newest.length
let before = newest[0]?.id
while (before !== undefined) {
  const page = engine.history(room, { before, limit: MAX_PAGE })
  messages += page.length
  before = page[0]?.id
}
const walkMs = performance.now() - t0
const walkRssMB = process.memoryUsage().rss / 2 ** 20

// Searches: each query once (the first also brings the index up to date, as the app's first search does).
const searchMs: number[] = []
let hits = 0
for (const q of searchArg?.slice('--search='.length).split(',').filter((w) => w !== '') ?? []) {
  const s0 = performance.now()
  hits += engine.search(q, undefined, 20).length
  searchMs.push(performance.now() - s0)
}
await engine.stop()
process.stdout.write(JSON.stringify({ messages, pageMs, pageRssMB, walkMs, walkRssMB, rssBeforeMB, searchMs, hits }) + '\n')
process.exit(0)
