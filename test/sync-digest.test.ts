import dc from 'node:diagnostics_channel'
import type { Socket } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { RELAY_TICK_MS, SUMMARY_MS } from '../main/chat/delivery-summary.js'
import type { LamportOrdering } from '../main/chat/lamport.js'
import { signSync } from '../main/chat/verify.js'
import type { ChatMessage, UnsignedMessage } from '../main/core/message.js'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { Attacker } from './helpers/attacker.js'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(cleanup)

// Every TCP socket this process opens, to count what goes on the wire (Noise and yamux included).
const sockets = new Set<Socket>()
const track = (m: unknown): void => { const s = (m as { socket?: Socket }).socket; if (s !== undefined) sockets.add(s) }
dc.subscribe('net.client.socket', track)
dc.subscribe('net.server.socket', track)
const written = (): number => [...sockets].reduce((n, s) => n + s.bytesWritten, 0)

/** One signed first message from each of `n` fresh keys: a history with n authors. */
async function manyAuthors (n: number): Promise<ChatMessage[]> {
  const out: ChatMessage[] = []
  for (let i = 0; i < n; i++) {
    const key = await generateKeyPair('Ed25519')
    const u: UnsignedMessage = { room: 'lobby', author: peerIdFromPrivateKey(key).toString(), name: `author ${i}`, text: `hello from ${i}`, lamport: 1, sentAt: Date.now(), seq: 1, prev: '', deps: [] }
    const body = encodeBody(u)
    out.push({ ...u, id: hashBody(body), sig: signSync(key, body) })
  }
  return out
}

const INTERVAL = 200

describe('the periodic sync costs a digest, not the history', () => {
  it('two idle peers with 1,500 authors in history exchange a few hundred bytes an interval; a difference is still found', async () => {
    const fast = { syncIntervalMs: INTERVAL, ratePerSecond: 100_000, rateBurst: 100_000 }
    const a = await startPeer('a', fast)
    const b = await startPeer('b', fast)
    const authors = await manyAuthors(1500)
    const feeder = await Attacker.connect(a.addr())
    for (let i = 0; i < authors.length; i += 500) await feeder.send(...authors.slice(i, i + 500))
    await until('a has every author', () => a.engine.stats().received >= 1500, 20_000)
    await feeder.stop()
    await connect(b, a)
    await until('b caught up', () => b.engine.history('lobby').length === 1500, 20_000)

    // Idle for 10 intervals: a full vector is ~90 KB a sync; a digest ping is ~100 bytes on the wire.
    // First b's summary of the 1,500 it just delivered goes out and on (delivery-summary.ts): that is not idle traffic.
    await new Promise(resolve => setTimeout(resolve, SUMMARY_MS + 2 * RELAY_TICK_MS + 3 * INTERVAL))
    const before = written()
    await new Promise(resolve => setTimeout(resolve, 10 * INTERVAL))
    const perInterval = (written() - before) / 10
    expect(perInterval).toBeLessThan(2000)

    // A message A delivered without relaying it (as if the relay was lost): the digests differ, B asks, B gets it —
    // through digests per bucket and the vector of the one bucket that differs, not the whole vector (~90 KB each way).
    const [lost] = await manyAuthors(1)
    const ordering = a.engine.ordering as LamportOrdering
    const beforeRepair = written()
    ordering.accept(lost!, 'nowhere', 1, false)
    ordering.settle()
    await until('b got what no relay brought', () => b.engine.history('lobby').some(m => m.id === lost!.id), 10_000)
    expect(written() - beforeRepair).toBeLessThan(20_000)
  }, 60_000)

  it('with 20,000 authors in history (a vector past one frame), a message of the 20,000th still reaches a peer that missed it', async () => {
    const fast = { syncIntervalMs: INTERVAL, ratePerSecond: 100_000, rateBurst: 100_000 }
    const a = await startPeer('a', fast)
    const b = await startPeer('b', fast)
    const keys = await Promise.all(Array.from({ length: 20_000 }, async () => await generateKeyPair('Ed25519')))
    const first = keys.map((key, i) => message(key, i, 1, ''))
    const feeder = await Attacker.connect(a.addr())
    for (let i = 0; i < first.length; i += 2000) await feeder.send(...first.slice(i, i + 2000))
    await until('a has every author', () => a.engine.stats().received >= 20_000, 60_000)
    await feeder.stop()
    await connect(b, a)
    await until('b caught up', () => b.engine.stats().received >= 20_000, 90_000)

    // The 20,000th author's second message reaches A only: B's ask carries its 20,000-author vector.
    const last = keys.length - 1
    const second = message(keys[last]!, last, 2, first[last]!.id)
    const ordering = a.engine.ordering as LamportOrdering
    ordering.accept(second, 'nowhere', 1, false)
    ordering.settle()
    await until('b got the 20,000th author\'s second message', () => b.engine.history('lobby', { limit: 5 }).some(m => m.id === second.id), 20_000)
  }, 180_000)
})

/** Message `seq` of the author with `key`. */
function message (key: Awaited<ReturnType<typeof generateKeyPair>>, i: number, seq: number, prev: string): ChatMessage {
  const u: UnsignedMessage = { room: 'lobby', author: peerIdFromPrivateKey(key).toString(), name: `author ${i}`, text: `message ${seq} from ${i}`, lamport: seq, sentAt: Date.now(), seq, prev, deps: [] }
  const body = encodeBody(u)
  return { ...u, id: hashBody(body), sig: signSync(key, body) }
}
