import { createChatEngine } from '../../main/chat/index.js'
const dir = process.argv[2]!
const n = Number(process.argv[3] ?? 100000)
const e = await createChatEngine({ dataDir: dir, mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'], ratePerSecond: 1e9, rateBurst: 1e9 })
await e.start()
const body = 'x'.repeat(100)
const t0 = performance.now()
for (let i = 0; i < n; i++) await e.send('bench', body)
console.log('wrote', n, 'in', performance.now() - t0)
await e.stop()
process.exit(0)
