/**
 * has:link without words finds a link however far back it is, through the index of the rows whose text says
 * "http" (db.ts, messages_http), with from: and in:#room too; a message that only says "http" is no hit. So is a
 * link whose scheme is glued to the word before it (詳細はhttps://…), which the full-text index holds inside that
 * word. Histories written straight into a real database, then searched through a real engine or the store.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findLinks } from '../main/core/links.js'
import type { ChatMessage, UnsignedMessage } from '../main/core/message.js'
import { narrowedTo, searchQuery } from '../main/core/search-query.js'
import { UNSPACED_SCAN_ROWS } from '../main/core/unspaced.js'
import { signSync } from '../main/chat/verify.js'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { ChatDb, DB_FILE } from '../main/store/db.js'
import type { StoredMessage } from '../main/store/messages.js'
import { cleanup, startPeer, tempDir } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

interface Row { text: string, by: 0 | 1, room: string }

/** Ann's (0) and Bob's (1) messages, in this order of arrival, into a fresh data directory's database (each one's newest signed). */
async function writeHistory (rows: readonly Row[]): Promise<{ dir: string, ids: string[] }> {
  const keys = [await generateKeyPair('Ed25519'), await generateKeyPair('Ed25519')]
  const authors = keys.map(k => peerIdFromPrivateKey(k).toString())
  const last = [rows.findLastIndex(r => r.by === 0), rows.findLastIndex(r => r.by === 1)]
  const dir = tempDir('lanchat-links-')
  const { db } = ChatDb.open(dir)
  const ids: string[] = []
  const prev = ['', '']
  const seq = [0, 0]
  const start = Date.now() - rows.length * 1000
  try {
    const table = db.messages('p2p')
    for (let from = 0; from < rows.length; from += 10_000) {
      const batch: StoredMessage[] = []
      rows.slice(from, from + 10_000).forEach((r, k) => {
        const i = from + k
        const u: UnsignedMessage = { room: r.room, author: authors[r.by]!, name: r.by === 0 ? 'Ann' : 'Bob', text: r.text, lamport: i + 1, sentAt: start + i * 1000, seq: ++seq[r.by]!, prev: prev[r.by]!, deps: [] }
        const body = encodeBody(u)
        const message: ChatMessage = { ...u, id: hashBody(body), sig: i === last[r.by] ? signSync(keys[r.by]!, body) : new Uint8Array(0) }
        prev[r.by] = message.id
        ids.push(message.id)
        batch.push({ message, deliveredAt: start + i * 1000 + 500, via: authors[r.by]!, hops: 0 })
      })
      db.transaction(() => { table.insert(batch) })
    }
  } finally {
    db.close()
  }
  return { dir, ids }
}

describe('has:link over a long history', () => {
  it('finds links further back than the newest rows a search reads, with from: and in:#room; "http" alone is no link', async () => {
    const old: Row[] = [
      { text: 'notes at https://wiki.example.com/q3', by: 0, room: 'general' },
      { text: 'the plan: HTTP://files.example.org/plan.pdf', by: 0, room: 'lobby' },
      { text: 'http and https are words here, and http:// alone is no link', by: 1, room: 'general' },
      { text: 'a mirror (https://mirror.example.net/x)', by: 1, room: 'general' },
      // Glued to the word before it, as far back.
      { text: '資料はhttps://example.jp/old', by: 0, room: 'general' }
    ]
    const rows: Row[] = [
      ...old,
      // More than a search without words reads: an office's stand-ups since.
      ...Array.from({ length: UNSPACED_SCAN_ROWS + 2_000 }, (_, i): Row => ({ text: `standup ${i}`, by: 1, room: 'lobby' })),
      // Glued to the word before it: not the full-text index's "https", found all the same.
      { text: '詳細はhttps://example.jp/new', by: 1, room: 'lobby' },
      ...Array.from({ length: 50 }, (_, i): Row => ({ text: `lunch ${i}`, by: 1, room: 'lobby' }))
    ]
    const { dir, ids } = await writeHistory(rows)
    const [notes, plan, words, mirror, gluedOld] = ids
    const glued = ids[old.length + UNSPACED_SCAN_ROWS + 2_000]!
    const ann = await startPeer('Reader', { dataDir: dir })
    const found = (q: string): string[] => ann.engine.search(q).map(h => h.id)

    // Newest first, as every search.
    expect(found('has:link')).toEqual([glued, gluedOld, mirror, plan, notes])
    expect(found('has:link from:@ann')).toEqual([gluedOld, plan, notes])
    expect(found('has:link in:#general')).toEqual([gluedOld, mirror, notes])
    expect(found('has:link from:@ann in:#general')).toEqual([gluedOld, notes])
    expect(found('has:links from:@bob')).toEqual([glued, mirror])
    // The words that make no link are found as words, not as links.
    expect(found('http and https')).toEqual([words])
    expect(found('has:link http and https')).toEqual([])
    // With words: the index's matches, as before.
    expect(found('has:link wiki')).toEqual([notes])
    expect(found('has:link -mirror in:#general')).toEqual([gluedOld, notes])
  }, 60_000)

  it('reads the index page by page: every link, in order, the glued ones too however far back', async () => {
    const links = [
      (i: number) => `see https://example.com/${i}`,
      (i: number) => `見てhttps://example.jp/${i}`,
      (i: number) => `(HTTP://example.org/${i}).`,
      (i: number) => `🙂https://example.net/${i}`
    ]
    // A row in six says "http"; one of those in five has a link, of each form in turn: more rows read than a page (4 × limit) to find 50.
    const rows = Array.from({ length: 12_000 }, (_, i): Row => {
      const k = Math.floor(i / 6)
      const text = i % 6 !== 0 ? `plain words ${i}` : k % 5 === 0 ? links[(k / 5) % links.length]!(i) : `http is not a link ${i}`
      return { text, by: k % 3 === 0 ? 0 : 1, room: k % 7 < 3 ? 'general' : 'lobby' }
    })
    const { dir, ids } = await writeHistory(rows)
    const { db } = ChatDb.open(dir)
    try {
      const table = db.messages('p2p')
      const authors = table.authors(undefined, '').sort((a, b) => a.name < b.name ? -1 : 1).map(a => a.peerId)
      const scanRows = 3_000
      // Every link, the scheme after a space or punctuation or glued to a word, also below the newest scanRows rows.
      const expected = (keep: (r: Row) => boolean): string[] => rows.flatMap((r, i) => keep(r) && findLinks(r.text).length > 0 ? [ids[i]!] : []).reverse()
      const gluedFarBack = rows.filter((r, i) => i < rows.length - scanRows && /[^\s\p{P}]https?:/iu.test(r.text) && findLinks(r.text).length > 0)
      expect(gluedFarBack.length).toBeGreaterThan(100)
      const search = (typed: string, room: string | undefined, authorsOf: string[] | undefined, limit: number): string[] => {
        const q = searchQuery(typed)
        return table.search(q.words, '', room, limit, scanRows, authorsOf, { test: m => narrowedTo(q, m), has: q.has }).map(h => h.id)
      }
      const cases: Array<[string | undefined, string[] | undefined, (r: Row) => boolean]> = [
        [undefined, undefined, () => true],
        ['general', undefined, r => r.room === 'general'],
        [undefined, [authors[0]!], r => r.by === 0],
        ['lobby', [authors[1]!], r => r.by === 1 && r.room === 'lobby']
      ]
      for (const [room, by, keep] of cases) {
        const all = expected(keep)
        expect(all.length).toBeGreaterThan(60)
        expect(search('has:link', room, by, 5_000)).toEqual(all)
        // Fewer asked: the newest, read a page at a time past the newest rows.
        expect(search('has:link', room, by, 50)).toEqual(all.slice(0, 50))
      }
    } finally {
      db.close()
    }
  })

  it('a database made before the index of rows that say "http" has it at its next start, glued links and all', async () => {
    const rows = Array.from({ length: 3_000 }, (_, i): Row => ({ text: i % 100 === 7 ? `リンクはhttps://example.jp/${i}` : i % 100 === 50 ? `see https://example.com/${i}` : `plain ${i}`, by: 1, room: 'lobby' }))
    const { dir, ids } = await writeHistory(rows)
    // As an older build left it: no such index.
    const raw = new DatabaseSync(join(dir, DB_FILE))
    raw.exec('DROP INDEX IF EXISTS messages_http')
    raw.close()
    const { db } = ChatDb.open(dir)
    try {
      const q = searchQuery('has:link')
      const found = db.messages('p2p').search('', '', undefined, 5_000, 500, undefined, { test: m => narrowedTo(q, m), has: q.has }).map(h => h.id)
      expect(found).toEqual(rows.flatMap((r, i) => r.text.includes('https') ? [ids[i]!] : []).reverse())
    } finally {
      db.close()
    }
  })
})
