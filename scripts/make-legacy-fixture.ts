/**
 * Writes test/fixtures/legacy/ with the stores of commit 62c0d9f (the
 * CRC-framed message logs and JSON state files that came before SQLite): a
 * peer's data directory (P2P log + state, and client/ with a hub's history, a
 * pending and a cancelled message) and a hub's (hub.log + hub.json). The
 * importer's test reads it. It only runs at that commit (the stores it uses
 * are gone since): `git checkout 62c0d9f -- main/store main/server/hub-store.ts`
 * then `npx tsx scripts/make-legacy-fixture.ts`.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { ChatMessage } from '../main/core/message.js'
import { encodeBody, hashBody, withBody } from '../main/net/codec.js'
import { signSync } from '../main/chat/verify.js'
import { writeFileAtomic } from '../main/store/files.js'
import { PeerStore } from '../main/store/peer-store.js'
import { ClientStore } from '../main/store/client-store.js'
import { HubStore } from '../main/server/hub-store.js'

const out = join(import.meta.dirname, '..', 'test', 'fixtures', 'legacy')
rmSync(out, { recursive: true, force: true })
const peerDir = join(out, 'peer')
const hubDir = join(out, 'hub')
mkdirSync(peerDir, { recursive: true })
mkdirSync(hubDir, { recursive: true })

const me = await generateKeyPair('Ed25519')
const other = await generateKeyPair('Ed25519')
writeFileAtomic(join(peerDir, 'identity.key'), privateKeyToProtobuf(me))
const meId = peerIdFromPrivateKey(me).toString()
const otherId = peerIdFromPrivateKey(other).toString()

let sentAt = 1_780_000_000_000
function make (key: PrivateKey, room: string, text: string, lamport: number, seq: number, prev: string, deps: string[], replyTo?: string): ChatMessage {
  const author = peerIdFromPrivateKey(key).toString()
  const unsigned = { room, author, name: author === meId ? 'alice' : 'bob', text, lamport, sentAt: sentAt++, seq, prev, deps, ...(replyTo !== undefined ? { replyTo } : {}) }
  const body = encodeBody(unsigned)
  const m = withBody({ ...unsigned, id: hashBody(body), sig: new Uint8Array(0) }, body)
  m.sig = signSync(key, body)
  return m
}

// P2P: alice (this peer) and bob, two rooms, a reply, in delivery order.
const a1 = make(me, 'lobby', 'hello from alice', 1, 1, '', [])
const b1 = make(other, 'lobby', 'hi alice, bob here', 2, 1, '', [a1.id], a1.id)
const a2 = make(me, 'dev', 'the build is green', 3, 2, a1.id, [b1.id])
const b2 = make(other, 'lobby', 'searchable pineapple', 4, 2, b1.id, [a2.id])
const peer = await PeerStore.open(peerDir, console.error)
peer.appendMessagesNow([a1, b1, a2, b2])
peer.state.name = 'alice'
peer.state.clock = 4
peer.state.rooms = ['lobby', 'dev', 'empty-room']
peer.rememberPeer(otherId, { addrs: [`/ip4/127.0.0.1/tcp/4002/p2p/${otherId}`], name: 'bob', lastSeen: 1_780_000_000_000 })
peer.setBlocked(['12D3KooWBlockedPeerXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'])
peer.close()

// Client mode: a hub numbered three messages; one own message pending, one cancelled.
const hubKey = await generateKeyPair('Ed25519')
writeFileAtomic(join(hubDir, 'identity.key'), privateKeyToProtobuf(hubKey))
const hubId = peerIdFromPrivateKey(hubKey).toString()
const c1 = make(me, 'lobby', 'client hello via the hub', 10, 1, '', [])
const h1 = make(other, 'lobby', 'bob answers via the hub', 11, 1, '', [c1.id], c1.id)
const c2 = make(me, 'ops', 'deploy at noon', 12, 2, c1.id, [])
const c3 = make(me, 'lobby', 'still pending when the app quit', 13, 3, c2.id, [])
const c4 = make(me, 'lobby', 'refused by the hub', 14, 4, c3.id, [])
const client = await ClientStore.open(peerDir, meId, console.error)
client.state.serverId = hubId
client.state.serverAddr = `/ip4/127.0.0.1/tcp/4100/p2p/${hubId}`
client.state.name = 'alice'
client.state.rooms = ['lobby', 'ops']
await client.appendPending(c1)
await client.appendDelivered({ seq: 1, message: c1 })
await client.appendDelivered({ seq: 2, message: h1 })
await client.appendPending(c2)
await client.appendDelivered({ seq: 3, message: c2 })
await client.appendPending(c3)
await client.appendPending(c4)
await client.appendCancelled(c4.id)
client.state.chainSeq = 4
client.state.chainId = c4.id
client.state.clock = 14
client.close()

// The hub's own directory: the same three numbered messages.
const hub = await HubStore.open(hubDir, console.error)
await hub.append({ seq: 1, message: c1 })
await hub.append({ seq: 2, message: h1 })
await hub.append({ seq: 3, message: c2 })
hub.state = { name: 'the-hub', port: 4100 }
hub.close()

console.log(JSON.stringify({ meId, otherId, hubId, p2p: [a1, b1, a2, b2].map(m => m.id), client: [c1, h1, c2].map(m => m.id), pending: c3.id, cancelled: c4.id }, null, 2))
