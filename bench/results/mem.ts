import { PeerStore } from '../../main/chat/store.js'
import { bodyOf } from '../../main/net/codec.js'
const gc = (globalThis as any).gc as () => void
gc(); const h0 = process.memoryUsage()
const s = await PeerStore.open(process.argv[2]!, () => {})
gc(); const h1 = process.memoryUsage()
console.log('open: heap +', ((h1.heapUsed - h0.heapUsed) / 2 ** 20).toFixed(1), 'ext +', ((h1.external + h1.arrayBuffers - h0.external - h0.arrayBuffers) / 2 ** 20).toFixed(1), 'rss +', ((h1.rss - h0.rss) / 2 ** 20).toFixed(1))
const m = s.messages[5]!
console.log(m, bodyOf(m).buffer.byteLength, m.sig.buffer.byteLength)
