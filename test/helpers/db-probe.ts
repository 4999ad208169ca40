/**
 * Run in a child process (in a private mount namespace, see store-disk.test.ts):
 * `db-probe.ts DIR open` opens the peer store in DIR; `db-probe.ts DIR fill`
 * commits batches of messages until the disk refuses, then reopens; `fill-old`
 * does so with a database as a build from before the search indexes left it
 * (SEARCH_INDEXES in db.ts), which the reopening then tries to make. Prints
 * one JSON line: what was committed, the error's name and message.
 */
import { PeerStore } from '../../main/store/peer-store.js'
import { encodeBody, hashBody, withBody } from '../../main/net/codec.js'
import type { ChatMessage } from '../../main/core/message.js'

const [dir, what] = process.argv.slice(2) as [string, string]
const errorOf = (err: unknown): { name: string, message: string } => ({ name: (err as Error).name, message: (err as Error).message })

function message (seq: number, prev: string): ChatMessage {
  const u = { room: 'lobby', author: '12D3KooWProbe', name: 'probe', text: `${seq} ${'x'.repeat(2000)}`, lamport: seq, sentAt: seq, seq, prev, deps: [] }
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
  let again
  try {
    again = PeerStore.open(dir).store
  } catch (err) {
    console.log(JSON.stringify({ committed, error, reopened: errorOf(err) }))
    process.exit(0)
  }
  const stored = (again.db.sql('SELECT count(*) AS n FROM messages').get() as { n: number }).n
  again.close()
  console.log(JSON.stringify({ committed, stored, error }))
}
