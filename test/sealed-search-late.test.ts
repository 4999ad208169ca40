/**
 * A search by date walks a direct conversation down in its order (Lamport time) and leaves it where a whole page
 * arrived before the first day asked for. A message its author wrote while away, its Lamport time that of long
 * ago, sits far below what arrived since: it is found all the same when it arrived (or, imported from before
 * SQLite, when its arrival is not known) on or after that day. A conversation written straight into a real
 * database (sealed as each one's engine seals it), searched through a real engine.
 */
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage, UnsignedMessage } from '../main/core/message.js'
import { associatedData, dmRoom, Keyring, seal } from '../main/chat/private.js'
import { signSync } from '../main/chat/verify.js'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { ChatDb } from '../main/store/db.js'
import { writeFileAtomic } from '../main/store/files.js'
import { IDENTITY_FILE } from '../main/store/identity.js'
import type { StoredMessage } from '../main/store/messages.js'
import { cleanup, startPeer, tempDir } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

/** A message in the order it arrived, at its Lamport time; `deliveredAt` 0: imported, its arrival not known. */
interface Row { text: string, sentAt: number, deliveredAt: number, lamport: number, from: 'ann' | 'reader' }

/** The rows, in this order of arrival, in the reader's fresh data directory (its identity written there first), each sealed for the pair. */
async function writeDm (rows: readonly Row[]): Promise<{ dir: string, ids: string[] }> {
  const readerKey = await generateKeyPair('Ed25519')
  const annKey = await generateKeyPair('Ed25519')
  const reader = peerIdFromPrivateKey(readerKey).toString()
  const ann = peerIdFromPrivateKey(annKey).toString()
  const dir = tempDir('lanchat-late-dm-')
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
        lamport: r.lamport, sentAt: r.sentAt, seq: ++seq[r.from], prev: prev[r.from], deps: []
      }
      const body = encodeBody(u)
      const message: ChatMessage = { ...u, id: hashBody(body), sig: i === lastOf[r.from] ? signSync(p.signer, body) : new Uint8Array(0) }
      prev[r.from] = message.id
      ids.push(message.id)
      return { message, deliveredAt: r.deliveredAt, via: ann, hops: 0 }
    })
    db.transaction(() => { db.messages('p2p').insert(batch) })
  } finally {
    db.close()
  }
  return { dir, ids }
}

const MINUTE = 60_000
const FIRST = new Date(2025, 2, 2, 9).getTime()
const LATER = new Date(2025, 3, 1, 9).getTime()
/** The day Ann, back after a month away, wrote to the reader: ten days after the reader's notes to her. */
const BACK = new Date(2025, 3, 11, 9).getTime()
const BACK_DAY = '2025-04-11'

/**
 * Ann and the reader's first day (Lamport 1–10), then the reader's 1,000 notes to an Ann away (from Lamport 11), then
 * Ann's message on her return: written with her clock of the first day (Lamport 11), so it sits below all the notes
 * but one, and arrived last. `imported`: every row's arrival time is not known.
 */
function conversation (imported: boolean): Row[] {
  const at = (t: number): number => imported ? 0 : t + 1000
  return [
    ...Array.from({ length: 10 }, (_, i): Row => ({ text: `first day ${i}`, sentAt: FIRST + i * MINUTE, deliveredAt: at(FIRST + i * MINUTE), lamport: i + 1, from: i % 2 === 0 ? 'ann' : 'reader' })),
    ...Array.from({ length: 1_000 }, (_, i): Row => ({ text: `note ${i} while you are away`, sentAt: LATER + i * MINUTE, deliveredAt: at(LATER + i * MINUTE), lamport: 11 + i, from: 'reader' })),
    { text: 'back at last, read it all', sentAt: BACK, deliveredAt: at(BACK), lamport: 11, from: 'ann' }
  ]
}

describe('a search by date of a direct conversation, and a message that arrived late', () => {
  for (const imported of [false, true]) {
    it(imported ? 'finds it among messages imported with no arrival time' : 'finds it below a thousand that arrived before the day asked for', async () => {
      const { dir, ids } = await writeDm(conversation(imported))
      // 100 kept opened, 50 read at a time: the walk meets whole pages older than the day asked for at once.
      const reader = await startPeer('Reader', { dataDir: dir, sealedSearchScan: 100, sealedSearchPage: 50 })
      const back = ids.at(-1)!
      const found = (q: string): string[] => reader.engine.search(q).map(h => h.id)
      expect(found(`on:${BACK_DAY}`)).toEqual([back])
      expect(found('after:2025-04-10')).toEqual([back])
      expect(found('read after:2025-04-10')).toEqual([back])
      expect(found(`from:@ann on:${BACK_DAY}`)).toEqual([back])
      // The notes of a day before it (900 written by midnight), found as they were.
      expect(reader.engine.search('on:2025-04-01', undefined, 1_000)).toHaveLength(900)
    }, 30_000)
  }
})
