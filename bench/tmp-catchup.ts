import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { now, payload, waitUntil } from './lib/stats.js'
import { ROOM, startEngine, tempRoot } from './systems/lanchat.js'

const N = Number(process.argv[2] ?? 20000)
const root = tempRoot('tmpcu')
const author = await startEngine(join(root, 'author'), { name: 'author' })
const body = payload(100)
let t = now()
for (let i = 0; i < N; i++) await author.send(ROOM, body)
console.log(`wrote ${N} in ${(now() - t).toFixed(0)} ms`)
for (let rep = 0; rep < 2; rep++) {
  rmSync(join(root, 'b'), { recursive: true, force: true })
  let got = 0; let c = NaN; let last = NaN
  const b = await startEngine(join(root, 'b'))
  b.on((e) => {
    if (e.type === 'peer:connect' && Number.isNaN(c)) c = now()
    if (e.type === 'message' && e.room === ROOM) { got++; last = now() }
  })
  await b.dial(author.addrs()[0] as string)
  await waitUntil(() => got >= N, () => `got ${got}`, 300_000)
  console.log(`catch-up ${N}: ${(last - c).toFixed(0)} ms = ${((last - c) * 1000 / N).toFixed(1)} us/msg`)
  await b.stop()
}
await author.stop()
rmSync(root, { recursive: true, force: true })
process.exit(0)
