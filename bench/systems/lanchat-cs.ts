/**
 * Row (d): LAN Chat client-server — a real hub (HubServer) and real client
 * engines (Engine), each with its own data directory, mDNS off,
 * loopback only. The hub numbers each message, writes it to its log, then
 * relays it; each client verifies (along the author's hash chain) and stores.
 *
 * Star: the sender and every receiver are clients of one hub, so a message
 * crosses two hops (sender → hub → receiver) where P2P takes one. Delivered =
 * a receiver's `message` event (it carries the hub's number). send() resolves
 * once the message is signed, on disk as pending and submitted, so up to the
 * plan's window (64) are in flight, as for gossipsub and P2P.
 *
 * The hub's per-client rate limit (50 msg/s) is raised, as P2P's is: it is a
 * policy cap, and left on it would be all the table measured.
 */
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { Engine } from '../../main/chat/engine.js'
import { HubServer } from '../../main/server/index.js'
import type { Topology } from '../lib/harness.js'
import { waitUntil } from '../lib/stats.js'
import { ROOM, UNLIMITED, tempRoot } from './lanchat.js'

export async function startHub (dataDir: string): Promise<HubServer> {
  const hub = new HubServer({ dataDir, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, ...UNLIMITED })
  await hub.start()
  return hub
}

/** A client of `hub`, started and connected (its hello answered). */
export async function startClient (dataDir: string, hub: HubServer, name?: string): Promise<Engine> {
  const client = new Engine({ dataDir, mode: 'client', server: hub.addrs()[0] as string, mdns: false, ...(name !== undefined ? { name } : {}) })
  await client.start()
  await waitUntil(() => client.connected, `client ${name ?? ''} to reach the hub`)
  return client
}

export async function lanchatCsStar (receivers: number): Promise<Topology> {
  const root = tempRoot('cs-star')
  let deliver: () => void = () => {}
  const hub = await startHub(join(root, 'hub'))
  const sender = await startClient(join(root, 'sender'), hub, 'sender')
  const clients: Engine[] = [sender]
  for (let r = 0; r < receivers; r++) {
    const receiver = await startClient(join(root, `r${r}`), hub, `r${r}`)
    receiver.on((e) => { if (e.type === 'message' && e.room === ROOM && e.author !== receiver.peerId) deliver() })
    clients.push(receiver)
  }
  return {
    receivers,
    async send (body) { await sender.send(ROOM, body) },
    onDeliver (fn) { deliver = fn },
    // Each client holds one connection, to the hub; the hub dials nobody.
    connections: () => hub.peers().reduce((n, p) => n + p.connections.length, 0),
    async close () {
      await Promise.all(clients.map((c) => c.stop()))
      await hub.stop()
      rmSync(root, { recursive: true, force: true })
    }
  }
}
