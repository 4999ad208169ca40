import v8 from 'node:v8'
import { createChatEngine } from '../../main/chat/index.js'
const e = await createChatEngine({ dataDir: process.argv[2]!, mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'] })
const r0 = process.memoryUsage().rss
await e.start()
console.log(e.history('bench').length)
const mu = process.memoryUsage()
console.log('rss', (mu.rss/2**20).toFixed(0), 'before', (r0/2**20).toFixed(0), 'heapTotal', (mu.heapTotal/2**20).toFixed(0), 'heapUsed', (mu.heapUsed/2**20).toFixed(0), 'ext', (mu.external/2**20).toFixed(0), 'ab', (mu.arrayBuffers/2**20).toFixed(0))
for (const s of v8.getHeapSpaceStatistics()) console.log(s.space_name, (s.space_size/2**20).toFixed(0), (s.space_used_size/2**20).toFixed(0))
;(globalThis as any).gc?.()
console.log('after gc rss', (process.memoryUsage().rss/2**20).toFixed(0), 'heapUsed', (process.memoryUsage().heapUsed/2**20).toFixed(0))
await e.stop(); process.exit(0)
