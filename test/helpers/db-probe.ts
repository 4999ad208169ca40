/**
 * Run in a child process (in a private mount namespace, see store-disk.test.ts):
 * `db-probe.ts DIR open` opens the peer store in DIR; `db-probe.ts DIR fill`
 * commits batches of messages until the disk refuses, then reopens; `fill-old`
 * does so with a database as a build from before the search indexes left it
 * (SEARCH_INDEXES in db.ts), which the reopening then tries to make, a link
 * and a reply among its first messages, searched for (has:link, has:reply)
 * once it is open again. Prints one JSON line: what was committed, the
 * error's name and message, and what those searches found.
 */
import { closeSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { PeerStore } from '../../main/store/peer-store.js'
import { encodeBody, hashBody, withBody } from '../../main/net/codec.js'
import type { ChatMessage } from '../../main/core/message.js'

/** A file at `path` as large as the disk lets it grow. */
function fillUp (path: string): void {
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(4096, 1)
  try {
    for (;;) writeSync(fd, chunk)
  } catch { /* full */ }
  try {
    for (;;) writeSync(fd, chunk, 0, 1)
  } catch { /* to the last byte */ }
  closeSync(fd)
}

const [dir, what] = process.argv.slice(2) as [string, string]
const errorOf = (err: unknown): { name: string, message: string } => ({ name: (err as Error).name, message: (err as Error).message })

function message (seq: number, prev: string, text = `${seq} ${'x'.repeat(2000)}`, replyTo?: string): ChatMessage {
  const u = { room: 'lobby', author: '12D3KooWProbe', name: 'probe', text, lamport: seq, sentAt: seq, seq, prev, deps: [], ...(replyTo !== undefined ? { replyTo } : {}) }
  const body = encodeBody(u)
  return withBody({ ...u, id: hashBody(body), sig: new Uint8Array(0) }, body)
}

if (what === 'open') {
  try {
    PeerStore.open(dir).store.close()
    console.log(JSON.stringify({ opened: true }))
  } catch (err) {
    console.log(JSON.stringify({ opened: false, error: errorOf(err) }))
  }
} else {
  const { store } = PeerStore.open(dir)
  if (what === 'fill-old') for (const index of ['messages_replies', 'messages_http']) store.db.sql(`DROP INDEX ${index}`).run()
  let committed = 0
  let prev = ''
  let error
  if (what === 'fill-old') {
    writeFileSync(join(dir, 'kept'), Buffer.alloc(448 * 1024))
    const link = message(++committed, prev, 'the notes: https://example.org/notes')
    const reply = message(++committed, link.id, 'thanks', link.id)
    store.insert([{ message: link }, { message: reply }])
    prev = reply.id
  }
  while (error === undefined && committed < 100_000) {
    const batch = Array.from({ length: 10 }, () => { const m = message(++committed, prev); prev = m.id; return m })
    try {
      store.insert(batch.map(m => ({ message: m })))
    } catch (err) {
      error = errorOf(err)
      committed -= 10
    }
  }
  try { store.close() } catch { /* the state may not fit either */ }
  if (what === 'fill-old') {
    // The write-ahead log the run left is room a next write reuses: it is written into the database (the
    // room a file kept aside frees), emptied, and the disk filled up before the reopening.
    rmSync(join(dir, 'kept'))
    const db = new DatabaseSync(join(dir, 'lanchat.db'))
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    db.close()
    fillUp(join(dir, 'filler'))
    // Room for the index of the log the reopening makes (lanchat.db-shm), as on a disk some other program filled.
    truncateSync(join(dir, 'filler'), statSync(join(dir, 'filler')).size - 32 * 1024)
  }
  let again
  try {
    again = PeerStore.open(dir).store
  } catch (err) {
    console.log(JSON.stringify({ committed, error, reopened: errorOf(err) }))
    process.exit(0)
  }
  const stored = (again.db.sql('SELECT count(*) AS n FROM messages').get() as { n: number }).n
  let found
  const indexes = (again.db.sql("SELECT name FROM sqlite_master WHERE name IN ('messages_replies', 'messages_http')").all() as Array<{ name: string }>).map(r => r.name)
  if (what === 'fill-old') {
    try {
      found = {
        link: again.messages.search('', '', undefined, 10, undefined, undefined, { has: ['link'], test: m => m.text.includes('https://') }).map(h => h.snippet),
        reply: again.messages.search('', '', undefined, 10, undefined, undefined, { has: ['reply'], test: m => m.replyTo !== undefined }).map(h => h.snippet)
      }
    } catch (err) {
      found = errorOf(err)
    }
  }
  again.close()
  console.log(JSON.stringify({ committed, stored, error, indexes, found }))
}
