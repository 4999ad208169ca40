import { afterEach } from 'vitest'
import { cleanup, connect, keepApart, startPeer, stopPeer, type TestPeer } from './helpers/peers.js'
import { transportAdapterSuite } from './transport.adapter.js'
import { meshPair } from './helpers/pairs.js'
import { transportSuite, type SuiteNode } from './transport.suite.js'

afterEach(cleanup)

// The P2P mesh in a line, a – b – c: b relays between a and c.
transportSuite('P2P mesh (a – b – c)', async () => {
  const [a, b, c] = await Promise.all([startPeer('a'), startPeer('b'), startPeer('c')])
  // A line: b would tell each end of the other (peer exchange).
  await keepApart(a, c)
  await connect(a, b)
  await connect(b, c)
  const peers = new Map<SuiteNode, TestPeer>([[a, a], [b, b], [c, c]])
  return {
    nodes: [a, b, c],
    orderedBy: 'lamport',
    stop: async (n) => { await stopPeer(peers.get(n)!) },
    teardown: cleanup
  }
})

// The same frame-level suite for both transports, as automerge-repo runs its network adapters.
transportAdapterSuite('P2P mesh', meshPair)
