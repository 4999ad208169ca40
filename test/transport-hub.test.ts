import { afterEach } from 'vitest'
import { until } from './helpers/peers.js'
import { cleanupHubs, startClient, startHub, stopClient, type TestClient } from './helpers/hub.js'
import { cleanup } from './helpers/peers.js'
import { transportAdapterSuite } from './transport.adapter.js'
import { hubPair } from './helpers/pairs.js'
import { transportSuite, type SuiteNode } from './transport.suite.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

// Hub and spoke: three clients of one hub; the hub relays and numbers everything.
transportSuite('client-server hub (3 clients)', async () => {
  const hub = await startHub()
  const clients = await Promise.all(['a', 'b', 'c'].map(async n => await startClient(n, hub.addr())))
  await until('all three joined', () => clients.every(c => c.engine.connected))
  const byNode = new Map<SuiteNode, TestClient>(clients.map(c => [c, c]))
  return {
    nodes: clients as [TestClient, TestClient, TestClient],
    orderedBy: 'server-seq',
    stop: async (n) => { await stopClient(byNode.get(n)!) },
    teardown: async () => { await cleanupHubs(); await cleanup() }
  }
})

// The same frame-level suite for both transports, as automerge-repo runs its network adapters.
transportAdapterSuite('hub link (client and hub endpoint)', hubPair)
