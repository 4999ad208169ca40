/**
 * A direct conversation between Ann and a reader written straight into the reader's fresh data
 * directory (its identity written there first), each message sealed for the pair as each one's
 * engine seals it, and the newest of each author signed (it vouches for the chain before it): for
 * tests that search a long DM through a real engine without sending it message by message.
 */
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { ChatMessage, UnsignedMessage } from '../../main/core/message.js'
import { associatedData, dmRoom, Keyring, seal } from '../../main/chat/private.js'
import { signSync } from '../../main/chat/verify.js'
import { encodeBody, hashBody } from '../../main/net/codec.js'
import { ChatDb } from '../../main/store/db.js'
import { writeFileAtomic } from '../../main/store/files.js'
import { IDENTITY_FILE } from '../../main/store/identity.js'
import type { StoredMessage } from '../../main/store/messages.js'
import { tempDir } from './peers.js'

/**
 * A message, in the order it arrived: `lamport` its Lamport time (default: its place, from 1);
 * `deliveredAt` when it arrived (default a second after `sentAt`; 0: imported, its arrival not known).
 */
export interface DmRow { text: string, sentAt: number, from: 'ann' | 'reader', lamport?: number, deliveredAt?: number }

/** The rows in a new data directory: where it is, their ids in order, Ann's peer id and the conversation's room. */
export async function writeDm (rows: readonly DmRow[], prefix = 'lanchat-dm-'): Promise<{ dir: string, ids: string[], ann: string, room: string }> {
  const readerKey = await generateKeyPair('Ed25519')
  const annKey = await generateKeyPair('Ed25519')
  const reader = peerIdFromPrivateKey(readerKey).toString()
  const ann = peerIdFromPrivateKey(annKey).toString()
  const dir = tempDir(prefix)
  writeFileAtomic(join(dir, IDENTITY_FILE), privateKeyToProtobuf(readerKey))
  const room = dmRoom(ann, reader)
  const key = new Keyring(ann, annKey).dmKey(reader)
  const people = { ann: { id: ann, to: reader, name: 'Ann', signer: annKey }, reader: { id: reader, to: ann, name: 'Reader', signer: readerKey } }
  const { db } = ChatDb.open(dir)
  const ids: string[] = []
  try {
    const prev = { ann: '', reader: '' }
    const seq = { ann: 0, reader: 0 }
    const lastOf = { ann: rows.findLastIndex(r => r.from === 'ann'), reader: rows.findLastIndex(r => r.from === 'reader') }
    const batch: StoredMessage[] = rows.map((r, i) => {
      const p = people[r.from]
      const u: UnsignedMessage = {
        room, author: p.id, name: p.name, text: '', sealed: seal(key, r.text, associatedData({ room, author: p.id, to: p.to })), to: p.to,
        lamport: r.lamport ?? i + 1, sentAt: r.sentAt, seq: ++seq[r.from], prev: prev[r.from], deps: []
      }
      const body = encodeBody(u)
      const message: ChatMessage = { ...u, id: hashBody(body), sig: i === lastOf[r.from] ? signSync(p.signer, body) : new Uint8Array(0) }
      prev[r.from] = message.id
      ids.push(message.id)
      return { message, deliveredAt: r.deliveredAt ?? r.sentAt + 1000, via: ann, hops: 0 }
    })
    db.transaction(() => { db.messages('p2p').insert(batch) })
  } finally {
    db.close()
  }
  return { dir, ids, ann, room }
}
