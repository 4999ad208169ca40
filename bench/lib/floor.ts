/**
 * What one chat message costs at the least, on this machine, in this run:
 * the engine's own Ed25519 signature and check (main/chat/verify.ts:
 * node:crypto, key objects made once) of a 100-byte message's body, and
 * one row written to the real database (main/store: SQLite, WAL, the
 * schema's indexes) in transactions of 64. A P2P message is written twice
 * (by its author and its receiver); a run of messages sent in one tick is
 * signed and checked once (the hash chain vouches for the rest). With both
 * ends on one thread, the rows alone cap the one-to-one rate at
 * 1 / (2 rows), and a run of one message at 1 / (sign + verify + 2 rows):
 * what the one-to-one rows are read against.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { ChatMessage, UnsignedMessage } from '../../main/core/message.js'
import { signSync, verifyBy } from '../../main/chat/verify.js'
import { encodeBody, hashBody } from '../../main/net/codec.js'
import { ChatDb } from '../../main/store/db.js'
import { payload } from './stats.js'

/** `messagesPerS`: a run of one message (sign, check, two rows) per message. */
export interface FloorRow { signUs: number, verifyUs: number, rowUs: number, messagesPerS: number }

export async function messageFloor (count: number): Promise<FloorRow> {
  const key = await generateKeyPair('Ed25519')
  const author = peerIdFromPrivateKey(key).toString()
  const text = payload(100)
  const messages: ChatMessage[] = []
  let prev = ''
  let t = performance.now()
  for (let seq = 1; seq <= count; seq++) {
    const u: UnsignedMessage = { room: 'bench', author, name: 'floor', text, lamport: seq, sentAt: Date.now(), seq, prev, deps: [] }
    const body = encodeBody(u)
    const m: ChatMessage = { ...u, id: hashBody(body), sig: signSync(key, body) }
    messages.push(m)
    prev = m.id
  }
  const signUs = (performance.now() - t) * 1000 / count
  const bodies = messages.map(m => encodeBody(m))
  t = performance.now()
  for (let i = 0; i < count; i++) if (!verifyBy(author, bodies[i]!, messages[i]!.sig)) throw new Error('a signature of our own did not verify')
  const verifyUs = (performance.now() - t) * 1000 / count
  const dir = mkdtempSync(join(tmpdir(), 'lanchat-bench-floor-'))
  try {
    const { db } = ChatDb.open(dir)
    const table = db.messages('p2p')
    t = performance.now()
    for (let i = 0; i < count; i += 64) db.transaction(() => { table.insert(messages.slice(i, i + 64).map(message => ({ message, deliveredAt: Date.now() }))) })
    const rowUs = (performance.now() - t) * 1000 / count
    db.close()
    return { signUs, verifyUs, rowUs, messagesPerS: 1e6 / (signUs + verifyUs + 2 * rowUs) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
