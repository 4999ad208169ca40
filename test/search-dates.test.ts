/**
 * A search by date (before:, after:, on:) finds the day's messages however far back they are, not only
 * among the newest rows a search without words reads (UNSPACED_SCAN_ROWS); has:file without words finds a
 * file shared long ago through the files index. Histories written straight into a real database, as an
 * office's years of chat would be, then searched through a real engine or the store.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage, UnsignedMessage } from '../main/core/message.js'
import { narrowedTo, searchQuery } from '../main/core/search-query.js'
import { UNSPACED_SCAN_ROWS } from '../main/core/unspaced.js'
import { signSync } from '../main/chat/verify.js'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { ChatDb } from '../main/store/db.js'
import type { StoredMessage } from '../main/store/messages.js'
import { cleanup, startPeer, tempDir } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

const MINUTE = 60_000
/** The day searched for, on this computer's calendar, and where its messages start. */
const DAY = '2025-03-02'
const MORNING = new Date(2025, 2, 2, 9).getTime()
/** The office's chatter from a month later on, a message a minute. */
const LATER = new Date(2025, 3, 1, 9).getTime()

interface Row { text: string, sentAt: number, deliveredAt: number, file?: boolean }

/** One author's messages, in this order of arrival, into a fresh data directory's database (its newest signed: it vouches for the chain). */
async function writeHistory (rows: readonly Row[]): Promise<{ dir: string, ids: string[] }> {
  const key = await generateKeyPair('Ed25519')
  const author = peerIdFromPrivateKey(key).toString()
  const dir = tempDir('lanchat-dates-')
  const { db } = ChatDb.open(dir)
  const ids: string[] = []
  try {
    const table = db.messages('p2p')
    let prev = ''
    for (let start = 0; start < rows.length; start += 10_000) {
      const batch: StoredMessage[] = []
      rows.slice(start, start + 10_000).forEach((r, k) => {
        const i = start + k
        const u: UnsignedMessage = {
          room: 'lobby', author, name: 'Ann', text: r.text, lamport: i + 1, sentAt: r.sentAt, seq: i + 1, prev, deps: [],
          ...(r.file === true ? { file: { name: 'report.pdf', size: 9, mime: 'application/pdf', sha256: 'ab'.repeat(32), chunkSize: 65_536, chunksRoot: 'cd'.repeat(32) } } : {})
        }
        const body = encodeBody(u)
        const message: ChatMessage = { ...u, id: hashBody(body), sig: i === rows.length - 1 ? signSync(key, body) : new Uint8Array(0) }
        prev = message.id
        ids.push(message.id)
        batch.push({ message, deliveredAt: r.deliveredAt, via: author, hops: 0 })
      })
      db.transaction(() => { table.insert(batch) })
    }
  } finally {
    db.close()
  }
  return { dir, ids }
}

/**
 * The day's messages at the bottom: minutes of the board meeting, a report shared as a file, a note in
 * Chinese; then `chatter` messages of stand-ups from a month on, each with "minutes" too (the index's
 * matches are read page by page as well); `late`: one of the day written then, arrived `late` rows from the top.
 */
function office (chatter: number, late: number, arrived: (sentAt: number) => number): Row[] {
  const day: Row[] = [
    { text: 'board report', sentAt: MORNING, deliveredAt: arrived(MORNING), file: true },
    { text: '会议记录 board', sentAt: MORNING + MINUTE, deliveredAt: arrived(MORNING + MINUTE) },
    ...Array.from({ length: 28 }, (_, i) => ({ text: `minutes of the board meeting ${i}`, sentAt: MORNING + (i + 2) * 10 * MINUTE, deliveredAt: arrived(MORNING + (i + 2) * 10 * MINUTE) }))
  ]
  const rows: Row[] = [...day, ...Array.from({ length: chatter }, (_, i) => ({ text: `minutes of standup ${i}`, sentAt: LATER + i * MINUTE, deliveredAt: arrived(LATER + i * MINUTE) + 500 }))]
  // Written that evening by someone offline since; caught up on now: arrived among the newest.
  const at = rows.length - late
  rows.splice(at, 0, { text: 'minutes of the board meeting, passed on late', sentAt: new Date(2025, 2, 2, 18).getTime(), deliveredAt: rows[at]!.deliveredAt })
  return rows
}

describe('search by date over a long history', () => {
  it('on:, before: and after: find a day further back than the newest rows a search reads, and one caught up on late', async () => {
    // More than UNSPACED_SCAN_ROWS rows since the day, each arrived as it was written.
    const rows = office(UNSPACED_SCAN_ROWS + 10_000, 20_000, at => at + 1000)
    const { dir, ids } = await writeHistory(rows)
    const late = ids[rows.findIndex(r => r.text.endsWith('passed on late'))]!
    const [report, chinese, ...minutes] = ids.slice(0, 30)
    const ann = await startPeer('Reader', { dataDir: dir })
    const found = (q: string): string[] => ann.engine.search(q).map(h => h.id).sort()
    const sorted = (list: string[]): string[] => [...list].sort()

    const theDay = sorted([report!, chinese!, ...minutes, late])
    expect(found(`on:${DAY}`)).toEqual(theDay)
    expect(found('before:2025-03-03')).toEqual(theDay)
    expect(found('after:2025-03-01 before:2025-03-03')).toEqual(theDay)
    // With words: the index's matches, newest first, are as many as the rows.
    expect(found(`minutes on:${DAY}`)).toEqual(sorted([...minutes, late]))
    // A word written without spaces and a day: read from where the day ends.
    expect(found(`会议 on:${DAY}`)).toEqual([chinese])
    // has:file alone: through the files index, however far back.
    expect(found('has:file')).toEqual([report])
    expect(found(`has:file on:${DAY}`)).toEqual([report])
    // Nothing is both after a day and before it.
    expect(found('after:2025-03-03 before:2025-03-02')).toEqual([])
  }, 60_000)

  it('a newcomer that caught up on the whole history today finds the day by when it was written', async () => {
    // Every row arrived now (one catch-up): the arrival times tell nothing; the dates the rows were written do.
    const now = Date.now()
    const rows = office(3_000, 500, () => now)
    const { dir, ids } = await writeHistory(rows)
    const late = ids[rows.findIndex(r => r.text.endsWith('passed on late'))]!
    const { db } = ChatDb.open(dir)
    try {
      const table = db.messages('p2p')
      // A search reading 1,000 rows: the day is 3,000 rows down.
      const found = (typed: string): string[] => {
        const q = searchQuery(typed)
        return table.search(q.words, '', undefined, 50, 1_000, undefined, { test: m => narrowedTo(q, m), has: q.has, since: q.since, until: q.until }).map(h => h.id).sort()
      }
      expect(found(`on:${DAY}`)).toEqual([...ids.slice(0, 30), late].sort())
      expect(found(`minutes before:2025-03-03`)).toEqual([...ids.slice(2, 30), late].sort())
    } finally {
      db.close()
    }
  })

  it('has:file reads the rows stored before the files index as every row is read', async () => {
    const rows = office(3_000, 500, at => at)
    const { dir, ids } = await writeHistory(rows)
    const { db } = ChatDb.open(dir)
    // A database from before the files index: its first 10 rows are not listed there.
    db.sql('DELETE FROM files').run()
    db.sql("INSERT OR REPLACE INTO meta (scope, key, value) VALUES ('files', 'scanned-up-to', '10')").run()
    db.close()
    const again = ChatDb.open(dir).db
    try {
      const q = searchQuery('has:file')
      const found = again.messages('p2p').search('', '', undefined, 50, 1_000, undefined, { test: m => narrowedTo(q, m), has: q.has }).map(h => h.id)
      expect(found).toEqual([ids[0]])
    } finally {
      again.close()
    }
  })
})
