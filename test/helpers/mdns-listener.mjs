// A computer on the LAN that asks nothing by mDNS and only listens (run inside a test's network
// namespace): one JSON line per answer for service tag argv[2], with the addresses it carries and
// whether a query for that tag came just before it (answers are sent at once to a query).
import mdns from 'multicast-dns'

const tag = process.argv[2]
const m = mdns()
let lastQuery = -Infinity
m.on('query', q => { if (q.questions.some(x => x.name === tag)) lastQuery = Date.now() })
m.on('response', r => {
  if (!r.answers.some(a => a.type === 'PTR' && a.name === tag)) return
  const addrs = [...r.answers, ...r.additionals].filter(a => a.type === 'TXT').flatMap(a => a.data).map(String)
    .filter(s => s.startsWith('dnsaddr=')).map(s => s.slice('dnsaddr='.length))
  process.stdout.write(`${JSON.stringify({ type: 'answer', addrs, asked: Date.now() - lastQuery < 250 })}\n`)
})
m.on('ready', () => { process.stdout.write(`${JSON.stringify({ type: 'ready' })}\n`) })
process.on('SIGTERM', () => { m.destroy(() => { process.exit(0) }) })
