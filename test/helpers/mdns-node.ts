/**
 * One mDNS actor for test/mdns-tag.test.ts, run in a network namespace of
 * its own (`ip netns exec NS node --import tsx test/helpers/mdns-node.ts
 * MODE …`), printing what it sees as JSON lines:
 *
 * - `old NAME DIR`: a LAN Chat engine as builds before LAN Chat's own mDNS
 *   tag ran it: mDNS under libp2p's generic tag only (every 5 s).
 * - `plain`: another libp2p program (TCP, Noise, yamux, identify, ping, mDNS
 *   under the generic tag), no LAN Chat protocol: says who connected to it.
 * - `sniff`: asks nothing, answers nothing; tells each tag asked for, and each
 *   peer id answered under a tag, once.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import { mdns } from '@libp2p/mdns'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import multicastDns from 'multicast-dns'
import { createChatEngine } from '../../main/chat/index.js'

const print = (e: object): void => { process.stdout.write(JSON.stringify(e) + '\n') }
const [mode, name, dataDir] = process.argv.slice(2)

if (mode === 'old') {
  const engine = await createChatEngine({ dataDir: dataDir!, name: name!, listen: ['/ip4/0.0.0.0/tcp/0'], mdns: false, peerDiscovery: [mdns({ interval: 5_000 })] })
  engine.on(e => { if (e.type === 'peer:connect' || e.type === 'peer:disconnect') print(e) })
  await engine.start()
  print({ type: 'ready', peerId: engine.peerId })
  process.on('SIGTERM', () => { void engine.stop().then(() => process.exit(0)) })
} else if (mode === 'plain') {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/0.0.0.0/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false },
    // Asks every 2 s (libp2p's default is 10): a test sees several of its rounds in a few seconds.
    peerDiscovery: [mdns({ interval: 2_000 })],
    services: { identify: identify(), ping: ping() }
  })
  node.addEventListener('connection:open', ({ detail }) => { print({ type: 'connection', peerId: detail.remotePeer.toString(), direction: detail.direction }) })
  node.addEventListener('connection:close', ({ detail }) => { print({ type: 'closed', peerId: detail.remotePeer.toString() }) })
  await node.start()
  print({ type: 'ready', peerId: node.peerId.toString() })
} else if (mode === 'sniff') {
  const seen = new Set<string>()
  const once = (e: { type: string, tag: string, peerId?: string }): void => {
    const key = JSON.stringify(e)
    if (!seen.has(key)) { seen.add(key); print(e) }
  }
  const sniffer = multicastDns()
  sniffer.on('query', q => { for (const question of q.questions) once({ type: 'query', tag: question.name }) })
  sniffer.on('response', r => {
    for (const ptr of r.answers) {
      if (ptr.type !== 'PTR') continue
      for (const txt of [...r.answers, ...(r.additionals ?? [])]) {
        if (txt.type !== 'TXT') continue
        for (const d of [txt.data].flat()) {
          const peerId = /\/p2p\/([^/]+)$/.exec(d.toString())?.[1]
          if (peerId !== undefined) once({ type: 'answer', tag: ptr.name, peerId })
        }
      }
    }
  })
  print({ type: 'ready' })
} else {
  throw new Error(`mode: old NAME DIR | plain | sniff, not ${mode}`)
}
