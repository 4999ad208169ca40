/**
 * has:reply without words finds a reply however far back it is, through the replies index (db.ts,
 * messages_replies), alone and with in:#room, from: and dates, a page at a time; text that only reads like a
 * reply's bytes ("FOR THE RECORD": "R " is the bytes of reply_to's tag) is no hit. A database made before the
 * index has it at its next start. Histories written straight into a real database, searched through the store
 * with a lowered count of rows a search reads (the newest 100,000 in the app) instead of writing 100,000 rows.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage, UnsignedMessage } from '../main/core/message.js'
import { narrowedTo, searchQuery } from '../main/core/search-query.js'
import { signSync } from '../main/chat/verify.js'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { ChatDb, DB_FILE } from '../main/store/db.js'
import type { StoredMessage } from '../main/store/messages.js'
import { cleanup, tempDir } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

/** A message by Ann (0) or Bob (1); `reply`: it answers the message that many rows before it. */
interface Row { text: string, by: 0 | 1, room: string, reply?: number }

const HOUR = 3_600_000
/** Rows a search reads one by one, lowered from the app's 100,000 (UNSPACED_SCAN_ROWS): the history is 4,000. */
const SCAN_ROWS = 500

/** The rows, in this order of arrival an hour apart, into a fresh data directory's database (each author's newest signed). */
async function writeHistory (rows: readonly Row[]): Promise<{ dir: string, ids: string[], authors: string[], start: number }> {
  const keys = [await generateKeyPair('Ed25519'), await generateKeyPair('Ed25519')]
  const authors = keys.map(k => peerIdFromPrivateKey(k).toString())
  const last = [rows.findLastIndex(r => r.by === 0), rows.findLastIndex(r => r.by === 1)]
  const dir = tempDir('lanchat-replies-')
  const { db } = ChatDb.open(dir)
  const ids: string[] = []
  const prev = ['', '']
  const seq = [0, 0]
  const start = Date.now() - rows.length * HOUR
  try {
    const batch: StoredMessage[] = rows.map((r, i) => {
      const replyTo = r.reply === undefined ? undefined : ids[i - r.reply]!
      const u: UnsignedMessage = {
        room: r.room, author: authors[r.by]!, name: r.by === 0 ? 'Ann' : 'Bob', text: r.text, lamport: i + 1, sentAt: start + i * HOUR,
        seq: ++seq[r.by]!, prev: prev[r.by]!, deps: replyTo === undefined ? [] : [replyTo], ...(replyTo !== undefined ? { replyTo } : {})
      }
      const body = encodeBody(u)
      const message: ChatMessage = { ...u, id: hashBody(body), sig: i === last[r.by] ? signSync(keys[r.by]!, body) : new Uint8Array(0) }
      prev[r.by] = message.id
      ids.push(message.id)
      return { message, deliveredAt: start + i * HOUR + 500, via: authors[r.by]!, hops: 0 }
    })
    db.transaction(() => { db.messages('p2p').insert(batch) })
  } finally {
    db.close()
  }
  return { dir, ids, authors, start }
}

/** Replies spread over 4,000 rows, most of them further back than a search reads (scanRows), and rows that only look like one. */
function history (): Row[] {
  return Array.from({ length: 4_000 }, (_, i): Row => {
    const room = i % 3 === 0 ? 'general' : 'lobby'
    const by = i % 5 === 0 ? 0 : 1
    if (i > 0 && i % 97 === 0) return { text: `sure, ${i}`, by, room, reply: 1 + (i % 7) }
    return { text: i % 11 === 0 ? `FOR THE RECORD ${i}` : `standup ${i}`, by, room }
  })
}

describe('has:reply over a long history', () => {
  it('finds every reply, newest first, alone, with in:#room, from: and dates, past the newest rows a search reads', async () => {
    const rows = history()
    const { dir, ids, authors, start } = await writeHistory(rows)
    const { db } = ChatDb.open(dir)
    try {
      const table = db.messages('p2p')
      const search = (typed: string, room: string | undefined, by: string[] | undefined, limit: number): string[] => {
        const q = searchQuery(typed)
        return table.search(q.words, '', room, limit, SCAN_ROWS, by, { test: m => narrowedTo(q, m), has: q.has, since: q.since, until: q.until }).map(h => h.id)
      }
      // Every row the query allows, judged one by one, newest first.
      const expected = (typed: string, keep: (r: Row) => boolean): string[] => {
        const q = searchQuery(typed)
        return rows.flatMap((r, i) => keep(r) && narrowedTo(q, { text: r.text, sentAt: start + i * HOUR, deliveredAt: start + i * HOUR + 500, ...(r.reply !== undefined ? { replyTo: ids[i - r.reply]! } : {}) }) ? [ids[i]!] : []).reverse()
      }
      // The day of a reply about a third of the way in, far below the newest SCAN_ROWS rows.
      const day = new Date(start + 97 * 13 * HOUR)
      const on = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`
      const cases: Array<[string, string | undefined, string[] | undefined, (r: Row) => boolean]> = [
        ['has:reply', undefined, undefined, () => true],
        ['has:reply', 'general', undefined, r => r.room === 'general'],
        ['has:reply', undefined, [authors[0]!], r => r.by === 0],
        ['has:reply', 'lobby', [authors[1]!], r => r.by === 1 && r.room === 'lobby'],
        [`has:reply before:${on}`, undefined, undefined, () => true],
        [`has:reply on:${on}`, undefined, undefined, () => true]
      ]
      for (const [typed, room, by, keep] of cases) {
        const all = expected(typed, keep)
        expect(all.length, typed).toBeGreaterThan(0)
        expect(search(typed, room, by, 5_000), `${typed} ${room ?? ''}`).toEqual(all)
        // Fewer asked: the newest, read a page at a time.
        expect(search(typed, room, by, 3), `${typed} ${room ?? ''}`).toEqual(all.slice(0, 3))
      }
      // The oldest reply, far below what a search reads row by row, is among them.
      expect(search('has:reply', undefined, undefined, 5_000).at(-1)).toBe(ids[97])
      // "FOR THE RECORD" carries the bytes the index looks for: listed with the replies, read, judged, and no hit.
      const listed = db.sql("SELECT count(*) AS c FROM messages INDEXED BY messages_replies WHERE instr(body, X'5220') > 0 AND scope = 'p2p' AND hub = ''").get() as { c: number }
      expect(listed.c).toBeGreaterThan(rows.filter(r => r.reply !== undefined).length + 300)
    } finally {
      db.close()
    }
  })

  it('a database made before the replies index has it at its next start, and finds its old replies', async () => {
    const rows = history()
    const { dir, ids } = await writeHistory(rows)
    // As an older build left it: no replies index.
    const raw = new DatabaseSync(join(dir, DB_FILE))
    raw.exec('DROP INDEX IF EXISTS messages_replies')
    raw.close()
    const { db } = ChatDb.open(dir)
    try {
      const q = searchQuery('has:reply')
      const found = db.messages('p2p').search('', '', undefined, 5_000, SCAN_ROWS, undefined, { test: m => narrowedTo(q, m), has: q.has }).map(h => h.id)
      expect(found).toEqual(rows.flatMap((r, i) => r.reply !== undefined ? [ids[i]!] : []).reverse())
    } finally {
      db.close()
    }
  })
})
