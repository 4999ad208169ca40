/**
 * A search of a long direct conversation reaches past the newest messages it keeps opened
 * (SEALED_SEARCH_SCAN): older ones are read page by page and opened without being kept, by
 * words, by date and by who wrote them, within a budget. Years of a DM written straight into a
 * real database (sealed as the author's engine seals them), then searched through a real engine.
 */
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { SEALED_SEARCH_SCAN } from '../main/core/limits.js'
import type { ChatMessage, UnsignedMessage } from '../main/core/message.js'
import { associatedData, dmRoom, Keyring, seal } from '../main/chat/private.js'
import { signSync } from '../main/chat/verify.js'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { ChatDb } from '../main/store/db.js'
import { writeFileAtomic } from '../main/store/files.js'
import { IDENTITY_FILE } from '../main/store/identity.js'
import type { StoredMessage } from '../main/store/messages.js'
import { cleanup, startPeer, tempDir } from './helpers/peers.js'
import { writeDm as writeRows, type DmRow } from './helpers/sealed-dm.js'

afterEach(async () => { await cleanup() })

type Row = DmRow

/** Years of a DM in the reader's data directory (test/helpers/sealed-dm.ts). */
const writeDm = async (rows: readonly Row[]): ReturnType<typeof writeRows> => await writeRows(rows, 'lanchat-deep-dm-')

const MINUTE = 60_000
/** The conversation's first day, on this computer's calendar, and where its messages start. */
const DAY = '2025-03-02'
const MORNING = new Date(2025, 2, 2, 9).getTime()
/** Its chatter from a month later on, a message a minute. */
const LATER = new Date(2025, 3, 1, 9).getTime()

/**
 * Ann and the reader's first day (Ann's draft of the Zanzibar contract, the reader's signed copy, eight notes),
 * then `chatter` messages from a month on, then Ann's newest: Zanzibar again.
 */
function conversation (chatter: number): Row[] {
  return [
    { text: 'the zanzibar contract draft', sentAt: MORNING, from: 'ann' },
    { text: 'zanzibar signed copy attached', sentAt: MORNING + 10 * MINUTE, from: 'reader' },
    ...Array.from({ length: 8 }, (_, i): Row => ({ text: `notes of the first day ${i}`, sentAt: MORNING + (i + 2) * 10 * MINUTE, from: 'ann' })),
    ...Array.from({ length: chatter }, (_, i): Row => ({ text: `chatter ${i} about lunch and the weather`, sentAt: LATER + i * MINUTE, from: i % 2 === 0 ? 'ann' : 'reader' })),
    { text: 'zanzibar again next year', sentAt: LATER + (chatter + 1) * MINUTE, from: 'ann' }
  ]
}

describe('searching a long direct conversation', () => {
  it('finds a word only its oldest messages have, newest first, without keeping more of it opened than its newest', async () => {
    const { dir, ids, ann, room } = await writeDm(conversation(SEALED_SEARCH_SCAN + 1_000))
    const reader = await startPeer('Reader', { dataDir: dir })
    const [draft, signed] = ids
    const newest = ids.at(-1)!
    const found = reader.engine.search('zanzibar')
    expect(found.map(h => h.id)).toEqual([newest, signed, draft])
    expect(found[2]).toMatchObject({ room, author: ann, name: 'Ann', sentAt: MORNING, snippet: 'the [zanzibar] contract draft', dm: { peerId: ann, name: 'Ann' } })
    expect(reader.engine.search('contract', room).map(h => h.id)).toEqual([draft])
    // What was opened further down was let go: only the newest of the conversation are kept for the next search.
    expect(reader.engine.stats().sealedSearchHeld).toBe(SEALED_SEARCH_SCAN)
    expect(reader.engine.search('zanzibar').map(h => h.id)).toEqual([newest, signed, draft])
    expect(reader.engine.stats().sealedSearchHeld).toBe(SEALED_SEARCH_SCAN)
    // Asked again as the search dialog does at every message that arrives: one elsewhere changes nothing found…
    await reader.engine.send('lobby', 'zanzibar is in the lobby now')
    expect(reader.engine.search('zanzibar').map(h => h.id).filter(id => id !== reader.engine.history('lobby').at(-1)?.id)).toEqual([newest, signed, draft])
    // …and a change down the conversation is found at once, not what an earlier walk found.
    await reader.engine.delete(room, signed!)
    expect(reader.engine.search('zanzibar').map(h => h.id).filter(id => id !== reader.engine.history('lobby').at(-1)?.id)).toEqual([newest, draft])
  }, 60_000)

  it('finds the first day by date, and what one person wrote, past the newest messages', async () => {
    const { dir, ids } = await writeDm(conversation(SEALED_SEARCH_SCAN + 1_000))
    const reader = await startPeer('Reader', { dataDir: dir })
    const [draft, signed] = ids
    const firstDay = ids.slice(0, 10)
    const found = (q: string): string[] => reader.engine.search(q).map(h => h.id)
    expect(found(`on:${DAY}`)).toEqual([...firstDay].reverse())
    expect(found('before:2025-03-03')).toEqual([...firstDay].reverse())
    expect(found(`contract on:${DAY}`)).toEqual([draft])
    expect(found('zanzibar from:me')).toEqual([signed])
    expect(found('zanzibar from:@ann')).toEqual([ids.at(-1), draft])
    expect(found(`from:me on:${DAY}`)).toEqual([signed])
  }, 60_000)

  it('within its budget: a date is walked down to unopened, a word only as far as the budget opens', async () => {
    // Keeping 1,000 opened and opening 3,000 more: the first day is 5,000 further down.
    const { dir, ids } = await writeDm(conversation(6_000))
    const reader = await startPeer('Reader', { dataDir: dir, sealedSearchScan: 1_000, sealedSearchDeep: 3_000 })
    const found = (q: string): string[] => reader.engine.search(q).map(h => h.id)
    // The messages between are passed over by their date, in the clear, without opening them.
    expect(found(`on:${DAY}`)).toEqual(ids.slice(0, 10).reverse())
    expect(found(`zanzibar on:${DAY}`)).toEqual([ids[1], ids[0]])
    // Without a date each one is opened: the search stops within its budget, short of the first day.
    expect(found('zanzibar')).toEqual([ids.at(-1)])
    expect(found('weather').length).toBe(50)
    expect(reader.engine.stats().sealedSearchHeld).toBe(1_000)
  }, 60_000)
})

/** Rows of two conversations with the reader, in this order of arrival (Lamport time their place): each written by the reader's other end there. */
async function writeTwoDms (rows: ReadonlyArray<{ text: string, with: 'ann' | 'bob' }>): Promise<{ dir: string, ids: string[] }> {
  const readerKey = await generateKeyPair('Ed25519')
  const reader = peerIdFromPrivateKey(readerKey).toString()
  const dir = tempDir('lanchat-two-dms-')
  writeFileAtomic(join(dir, IDENTITY_FILE), privateKeyToProtobuf(readerKey))
  const people = {
    ann: { name: 'Ann', signer: await generateKeyPair('Ed25519'), prev: '', seq: 0 },
    bob: { name: 'Bob', signer: await generateKeyPair('Ed25519'), prev: '', seq: 0 }
  }
  const { db } = ChatDb.open(dir)
  const ids: string[] = []
  try {
    const batch: StoredMessage[] = []
    rows.forEach((r, i) => {
      const p = people[r.with]
      const id = peerIdFromPrivateKey(p.signer).toString()
      const room = dmRoom(id, reader)
      const key = new Keyring(id, p.signer).dmKey(reader)
      const u: UnsignedMessage = {
        room, author: id, name: p.name, text: '', sealed: seal(key, r.text, associatedData({ room, author: id, to: reader })), to: reader,
        lamport: i + 1, sentAt: LATER + i * MINUTE, seq: ++p.seq, prev: p.prev, deps: []
      }
      const body = encodeBody(u)
      const last = rows.findLastIndex(x => x.with === r.with) === i
      const message: ChatMessage = { ...u, id: hashBody(body), sig: last ? signSync(p.signer, body) : new Uint8Array(0) }
      p.prev = message.id
      ids.push(message.id)
      batch.push({ message, deliveredAt: u.sentAt + 1000, via: id, hops: 0 })
    })
    db.transaction(() => { db.messages('p2p').insert(batch) })
  } finally {
    db.close()
  }
  return { dir, ids }
}

describe('searching two long direct conversations', () => {
  it('the newest hits of either, though the page read first of the other reaches further back', async () => {
    const many = (n: number, text: string, w: 'ann' | 'bob'): Array<{ text: string, with: 'ann' | 'bob' }> => Array.from({ length: n }, (_, i) => ({ text: `${text} ${i}`, with: w }))
    // Ann's words about the kiwi long ago, then nothing with Ann until her newest 100; Bob's about it since, just below his newest 100.
    const rows = [
      ...many(50, 'old chatter', 'ann'),
      ...many(50, 'kiwi plans with ann', 'ann'),
      ...many(200, 'old chatter', 'bob'),
      ...many(10, 'kiwi plans with bob', 'bob'),
      ...many(100, 'lunch and weather', 'bob'),
      ...many(100, 'lunch and weather', 'ann')
    ]
    const { dir, ids } = await writeTwoDms(rows)
    // Each keeps its newest 100 opened; older ones are read 50 at a time: Ann's first page is her kiwi, all older than Bob's.
    const reader = await startPeer('Reader', { dataDir: dir, sealedSearchScan: 100, sealedSearchPage: 50 })
    const bobs = ids.slice(300, 310).reverse()
    expect(reader.engine.search('kiwi', undefined, 10).map(h => h.id)).toEqual(bobs)
    // Asked again (as the search dialog does at a message elsewhere): the same.
    expect(reader.engine.search('kiwi', undefined, 10).map(h => h.id)).toEqual(bobs)
    expect(reader.engine.search('kiwi', undefined, 20).map(h => h.id)).toEqual([...bobs, ...ids.slice(90, 100).reverse()])
  }, 60_000)
})
