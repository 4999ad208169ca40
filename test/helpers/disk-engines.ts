/**
 * Run in a child process, in a private mount namespace with a small tmpfs at
 * DIR (see store-disk.test.ts): peer A keeps its data on that tmpfs, peer B
 * elsewhere. The disk fills up while they chat, then gets room again. Prints
 * one JSON line: what each shows at the end and the errors A reported.
 *
 *   disk-engines.ts DIR
 */
import { openSync, rmSync, writeSync, closeSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { createChatEngine } from '../../main/chat/index.js'

const [dir] = process.argv.slice(2) as [string]
const until = async (check: () => boolean, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
const opts = { mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'], syncIntervalMs: 300 }
const a = await createChatEngine({ ...opts, dataDir: join(dir, 'a'), name: 'a' })
const bDir = mkdtempSync(join(tmpdir(), 'lanchat-disk-b-'))
const b = await createChatEngine({ ...opts, dataDir: bDir, name: 'b' })
const errors: string[] = []
let resumed = 0
// The messages A's window was told of, in order, and how many there were when writes paused.
const live: string[] = []
let pausedAt: number | undefined
a.on(e => {
  if (e.type === 'error' || e.type === 'writes:paused') errors.push(e.message)
  if (e.type === 'writes:paused') pausedAt ??= live.length
  if (e.type === 'writes:resumed') resumed++
  if (e.type === 'message') live.push(e.text)
})
await a.start()
await b.start()
await b.dial(a.addrs()[0]!)
await a.send('lobby', 'before')
await until(() => b.history('lobby').length === 1)

// Fill the disk.
const filler = join(dir, 'filler')
const fd = openSync(filler, 'w')
try { for (;;) writeSync(fd, Buffer.alloc(64 * 1024)) } catch { /* ENOSPC: full */ }
closeSync(fd)

// B writes to A until A's disk refuses: SQLite first fills what room its WAL file has (a checkpoint just
// before the fill starts it again from its beginning), how many messages that takes varies with timing.
let fromB = 0
while (errors.length === 0) {
  if (fromB === 2_000) throw new Error('A never found its disk full')
  await b.send('lobby', `to a full disk ${fromB++}`)
  if (fromB % 10 === 0) await until(() => errors.length > 0 || a.history('lobby').length === fromB + 1)
}
// A writes while its disk is full: the send waits (it is not lost, not refused). B writes on to A.
const storedWhenFull = a.history('lobby').map(m => m.text)
let sent = false
const pending = a.send('lobby', 'while full').then(() => { sent = true })
for (let i = 0; i < 5; i++) await b.send('lobby', `to a full disk ${fromB++}`)
await new Promise(resolve => setTimeout(resolve, 1000))
const sentWhileFull = sent
const shownWhileFull = a.history('lobby').map(m => m.text)
const shownLive = [...live]

// Room again: everything goes through.
rmSync(filler)
await pending
const total = fromB + 2
await until(() => a.history('lobby').length === total && b.history('lobby').length === total, 30_000)
const out = {
  errors,
  resumed,
  total,
  sentWhileFull,
  storedWhenFull,
  shownWhileFull,
  pausedAt,
  shownLive,
  a: a.history('lobby').map(m => m.id),
  b: b.history('lobby').map(m => m.id),
  texts: a.history('lobby').map(m => m.text)
}
await a.stop()
await b.stop()
rmSync(bDir, { recursive: true, force: true })
console.log(JSON.stringify(out))
process.exit(0)
