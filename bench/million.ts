/**
 * The million-message rows: open a data directory that holds 1M messages and
 * show the newest page; full-text search over them.
 *
 * Setup (not timed in the rows): 1M messages from 50 authors (hash-chained,
 * Lamport-ordered, words drawn from a 5,000-word vocabulary) are written
 * straight into a data directory's database the way the engine stores what
 * it receives (each author's newest one signed, the others vouched for by
 * it), and the full-text index is built. Writing them through the engine
 * would take an hour of signing and verifying that these rows do not measure.
 * Measured: a child process (bench/history-load.ts) starts an engine on the
 * directory, reads the newest page, pages through the room, and runs searches.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { rmSync } from 'node:fs'
import type { ChatMessage, UnsignedMessage } from '../main/core/message.js'
import { signSync } from '../main/chat/verify.js'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { ChatDb } from '../main/store/db.js'
import type { BenchConfig } from './config.js'
import { historyRow, loadHistory } from './lib/history-loads.js'
import type { FileDeleteRow, HistoryRow, SearchRow } from './lib/report.js'
import { randomBytes } from 'node:crypto'
import { median, now, percentile } from './lib/stats.js'
import { ROOM, tempRoot } from './systems/lanchat.js'

const AUTHORS = 50
const VOCABULARY = 5000
const BATCH = 10_000

/** A deterministic pseudo-random sequence (the same texts every run). */
function rng (seed: number): () => number {
  let x = seed
  return () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

/** A pronounceable made-up word per index: "word" 0 … VOCABULARY-1. */
function word (i: number): string {
  const syllables = ['ka', 'lo', 'mi', 're', 'tu', 'sa', 'ne', 'vo', 'pi', 'da']
  let w = ''
  let n = i + 10
  while (n > 0) { w += syllables[n % 10]; n = Math.floor(n / 10) }
  return w
}

/** Write `count` messages from `authorCount` authors into a fresh data directory's database. */
export async function writeDirectory (dir: string, count: number, log: (l: string) => void, authorCount = AUTHORS): Promise<void> {
  const authors: Array<{ key: PrivateKey, id: string, seq: number, prev: string }> = []
  for (let a = 0; a < authorCount; a++) {
    const key = await generateKeyPair('Ed25519')
    authors.push({ key, id: peerIdFromPrivateKey(key).toString(), seq: 0, prev: '' })
  }
  const random = rng(20261130)
  // Zipf-like: the first words are common, most are rare — as in real chat.
  const pick = (): string => word(Math.floor(VOCABULARY * random() ** 3))
  const { db } = ChatDb.open(dir)
  const table = db.messages('p2p')
  const t0 = now()
  try {
    for (let start = 0; start < count; start += BATCH) {
      const rows: Array<{ message: ChatMessage, deliveredAt: number, via: string, hops: number }> = []
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const a = authors[i % authorCount]!
        a.seq++
        const text = Array.from({ length: 4 + Math.floor(random() * 12) }, pick).join(' ')
        const u: UnsignedMessage = { room: ROOM, author: a.id, name: `author ${i % authorCount}`, text, lamport: i + 1, sentAt: 1_700_000_000_000 + i, seq: a.seq, prev: a.prev, deps: [] }
        const body = encodeBody(u)
        // Each author's newest is signed; it vouches for the chain before it (how the engine stores a run).
        const sig = i >= count - authorCount ? signSync(a.key, body) : new Uint8Array(0)
        const message: ChatMessage = { ...u, id: hashBody(body), sig }
        a.prev = message.id
        rows.push({ message, deliveredAt: u.sentAt, via: a.id, hops: 0 })
      }
      db.transaction(() => { table.insert(rows) })
    }
    log(`  ${count.toLocaleString('en-US')} messages written in ${((now() - t0) / 1000).toFixed(1)} s`)
    const t1 = now()
    while (db.indexText(BATCH) > 0) { /* the full-text index, built as the engine builds it: in chunks */ }
    log(`  full-text index built in ${((now() - t1) / 1000).toFixed(1)} s`)
  } finally {
    db.close()
  }
}

/**
 * ChatDb.sharesFile for hashes no message has, five times each: in the directory as written (the files
 * index answers), then with every row marked as stored before that index (a database from before it:
 * the scan reads every body). The mark is taken off again for the sections that follow.
 */
function sharesFileRows (dir: string, messages: number): FileDeleteRow[] {
  const time = (): number[] => {
    const { db } = ChatDb.open(dir)
    try {
      return Array.from({ length: 5 }, () => {
        const t = now()
        if (db.sharesFile(randomBytes(32).toString('hex'))) throw new Error('a random hash was found')
        return now() - t
      })
    } finally {
      db.close()
    }
  }
  const mark = (on: boolean): void => {
    const { db } = ChatDb.open(dir)
    try {
      if (on) db.sql("INSERT OR REPLACE INTO meta (scope, key, value) SELECT 'files', 'scanned-up-to', max(n) FROM messages").run()
      else db.sql("DELETE FROM meta WHERE scope = 'files'").run()
    } finally {
      db.close()
    }
  }
  const row = (how: string, times: number[]): FileDeleteRow => ({ how, messages, runs: times.length, p50Ms: median(times), maxMs: Math.max(...times) })
  const indexed = time()
  mark(true)
  try {
    return [row('the files index', indexed), row('a database from before the index (scan)', time())]
  } finally {
    mark(false)
  }
}

/**
 * Words of scripts written without spaces (Chinese, Japanese, Thai), which the index cannot
 * split: looked for anywhere in the text, newest first. The bench's history has none of them, so
 * each reads as far back as such a search goes (UNSPACED_SCAN_ROWS): the worst case.
 */
const UNSPACED = ['会议', '明天', '資料', 'ありがとう', '会議室', 'ประชุม', '今天', '报告', 'お疲れ様', '项目']

/** Search words of every kind: common, middling and rare ones, and two-word queries. */
export function queries (n: number): string[] {
  const random = rng(7)
  return Array.from({ length: n }, (_, i) => {
    const one = word(Math.floor(VOCABULARY * random() ** 2))
    return i % 4 === 3 ? `${one} ${word(Math.floor(VOCABULARY * random()))}` : one
  })
}

export async function millionSection (cfg: BenchConfig, log: (l: string) => void): Promise<{ history: HistoryRow[], search: SearchRow[], fileDelete: FileDeleteRow[] }> {
  const h = cfg.millionMessages
  const root = tempRoot('million')
  try {
    log(`writing a data directory of ${h.toLocaleString('en-US')} messages`)
    await writeDirectory(root, h, log)
    const fileDelete = sharesFileRows(root, h)
    const qs = queries(cfg.searchQueries)
    const unspaced = UNSPACED.slice(0, Math.max(2, Math.min(UNSPACED.length, Math.round(cfg.searchQueries / 10))))
    const loads = await loadHistory(root, ROOM, 'p2p', cfg.historyReps, log, 'lanchat-p2p', [...qs, ...unspaced])
    // The first search of a process brings the index up to date and warms its pages: counted like the rest.
    const times = loads.flatMap((l) => l.searchMs.slice(0, qs.length))
    const search: SearchRow = { system: 'lanchat-p2p', messages: h, queries: times.length, p50Ms: median(times), p99Ms: percentile(times, 0.99), hits: loads[0]?.hits ?? 0 }
    const scans = loads.flatMap((l) => l.searchMs.slice(qs.length))
    const scan: SearchRow = { system: 'lanchat-p2p', what: 'a Chinese, Japanese or Thai word alone, no hit (the newest 100,000 read)', messages: h, queries: scans.length, p50Ms: median(scans), p99Ms: percentile(scans, 0.99) }
    return { history: [historyRow('lanchat-p2p', h, loads)], search: [search, scan], fileDelete }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
