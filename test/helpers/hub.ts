import { HubServer, type HubEvent, type HubOptions } from '../../main/server/hub.js'
import { Engine, type EngineOptions } from '../../main/chat/engine.js'
import type { EngineEvent, MessageView } from '../../main/chat/types.js'
import { tempDir } from './peers.js'

export interface TestHub { hub: HubServer; dataDir: string; events: HubEvent[]; addr: () => string }
export interface TestClient {
  engine: Engine
  dataDir: string
  events: EngineEvent[]
  delivered: () => Array<MessageView & { type: 'message' }>
}

const hubs = new Set<HubServer>()
const clients = new Set<Engine>()

/** A real hub on loopback (no mDNS), recording its events. */
export async function startHub (opts: Partial<HubOptions> = {}): Promise<TestHub> {
  const dataDir = opts.dataDir ?? tempDir('lanchat-hub-')
  const hub = new HubServer({ listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, ...opts, dataDir })
  const events: HubEvent[] = []
  hub.on(e => { events.push(e) })
  await hub.start()
  hubs.add(hub)
  return { hub, dataDir, events, addr: () => hub.addrs()[0]! }
}

export async function startClient (name: string, server: string, opts: Partial<EngineOptions> = {}): Promise<TestClient> {
  const dataDir = opts.dataDir ?? tempDir(`lanchat-${name}-`)
  const engine = new Engine({ name, mode: 'client', server, mdns: false, ...opts, dataDir })
  const events: EngineEvent[] = []
  engine.on(e => { events.push(e) })
  await engine.start()
  clients.add(engine)
  return {
    engine,
    dataDir,
    events,
    delivered: () => events.filter((e): e is MessageView & { type: 'message' } => e.type === 'message')
  }
}

export async function stopHub (h: TestHub): Promise<void> {
  hubs.delete(h.hub)
  await h.hub.stop()
}

export async function stopClient (c: TestClient): Promise<void> {
  clients.delete(c.engine)
  await c.engine.stop()
}

export async function cleanupHubs (): Promise<void> {
  await Promise.all([...clients].map(async c => { await c.stop() }))
  clients.clear()
  await Promise.all([...hubs].map(async h => { await h.stop() }))
  hubs.clear()
}
