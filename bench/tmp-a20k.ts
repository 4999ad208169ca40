import { join } from 'node:path'
import { payload, waitUntil } from './lib/stats.js'
import { ROOM, startEngine } from './systems/lanchat.js'
const root = '/tmp/a20k'
const author = await startEngine(join(root, 'author'), { name: 'author' })
const body = payload(100)
for (let i = 0; i < 30000; i++) await author.send(ROOM, body)
const b = await startEngine(join(root, 'b'))
let got = 0
b.on((e) => { if (e.type === 'message') got++ })
await b.dial(author.addrs()[0] as string)
await waitUntil(() => got >= 30000, () => `got ${got}`, 300_000)
await new Promise((r) => setTimeout(r, 3000))
await b.stop(); await author.stop()
process.exit(0)
