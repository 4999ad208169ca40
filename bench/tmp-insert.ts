import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { ChatDb } from '../main/store/db.js'
import type { ChatMessage } from '../main/core/message.js'

const N = Number(process.argv[2] ?? 100000)
const batch = Number(process.argv[3] ?? 20)
const cache = process.argv[4]
const dir = mkdtempSync(join(tmpdir(), 'ins-'))
const { db } = ChatDb.open(dir)
if (cache !== undefined) (db as any).sql(`PRAGMA cache_size = ${cache}`).run()
for (const ix of (process.argv[5] ?? '').split(',').filter(Boolean)) (db as any).sql(`DROP INDEX ${ix}`).run()
if (process.env.EXPR) (db as any).sql(`CREATE UNIQUE INDEX ix_k ON messages (scope, hub, substr(id, 1, ${process.env.EXPR}))`).run()
const t = db.messages('p2p')
const author = randomBytes(26).toString('hex')
const msgs: ChatMessage[] = []
let prev = ''
for (let i = 1; i <= N; i++) {
  const id = randomBytes(32).toString('hex')
  msgs.push({ id, room: 'lobby', author, name: 'a', text: `message number ${i} with some text`, lamport: i, sentAt: Date.now(), seq: i, prev, deps: [], sig: randomBytes(64) } as unknown as ChatMessage)
  prev = id
}
const t0 = performance.now()
for (let i = 0; i < N; i += batch) {
  const chunk = msgs.slice(i, i + batch).map((message) => ({ message, deliveredAt: 1 }))
  db.transaction(() => t.insert(chunk))
}
const ms = performance.now() - t0
console.log(`N=${N} batch=${batch} cache=${cache ?? 'default'}: ${ms.toFixed(0)} ms, ${(ms * 1000 / N).toFixed(1)} us/row`)
db.close()
rmSync(dir, { recursive: true, force: true })
