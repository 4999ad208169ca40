import { existsSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_TRACKED } from '../main/chat/receipts.js'
import { CRASH_LEFTOVER_MS } from '../main/store/blobs.js'
import { CHECKPOINT_WRITES_MS } from '../main/store/checkpointer.js'
import { DB_FILE } from '../main/store/db.js'
import { MAX_KNOWN_PEERS, PeerStore } from '../main/store/peer-store.js'
import { cleanup, connect, startPeer, stopPeer, tempDir, until } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

/** Rows in a table of a running peer's database, read as another reader would (WAL lets it). */
function rows (dataDir: string, table: string): number {
  const db = new DatabaseSync(join(dataDir, DB_FILE), { readOnly: true })
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('a peer that runs for months', () => {
  it('keeps about as many delivery receipts on disk as it reads back at a start, not every one since it started', async () => {
    // As a desk does with MAX_TRACKED (20,000), with fewer: the same rule at a test's length.
    const tracked = 1_000
    expect(MAX_TRACKED).toBeGreaterThan(tracked)
    const desk = await startPeer('desk', { receiptsTracked: tracked })
    const bob = await startPeer('bob')
    await connect(desk, bob)
    // Half as many messages again as the receipts the desk reads back at a start: half Bob's (its own receipt
    // of each), half the desk's (Bob's receipt of each).
    const count = Math.ceil(tracked * 1.5)
    let last = { desk: '', bob: '' }
    // In rounds far smaller than what is tracked, so the newest round's receipts are all remembered.
    for (let i = 0; i < count; i += 200) {
      const say = async (p: typeof desk, n: number): Promise<string> => (await Promise.all(Array.from({ length: n }, async (_, j) => await p.engine.send('lobby', `day ${i + j}`)))).at(-1)!.id
      const [d, b] = await Promise.all([say(desk, 100), say(bob, 100)])
      last = { desk: d, bob: b }
    }
    await until('the desk has every receipt', () => desk.engine.receiptsOf(last.bob).length > 0 && desk.engine.receiptsOf(last.desk).length > 0, 60_000)
    await stopPeer(desk)
    const kept = rows(desk.dataDir, 'receipts')
    expect(kept).toBeGreaterThanOrEqual(tracked)
    expect(kept).toBeLessThanOrEqual(tracked * 1.1)
    // What a start reads back is still there: the newest message's receipts.
    const again = await startPeer('desk', { dataDir: desk.dataDir, receiptsTracked: tracked })
    expect(again.engine.receiptsOf(last.bob).map(r => r.by)).toEqual([again.engine.peerId])
    expect(again.engine.receiptsOf(last.desk).map(r => r.by)).toEqual([bob.engine.peerId])
  }, 120_000)

  it('removes the copies a share was making when a power cut stopped it, once they are old, and never a share\'s own', async () => {
    const desk = await startPeer('desk')
    await stopPeer(desk)
    // What a power cut during shares leaves in the data directory: each copy as big as the file shared.
    const files = join(desk.dataDir, 'files')
    const leftovers = ['add-0123456789ab.tmp', 'seal-0123456789ab.tmp', 'clean-0123456789ab.tmp'].map(n => join(files, n))
    const old = new Date(Date.now() - CRASH_LEFTOVER_MS - 3600_000)
    for (const path of leftovers) {
      writeFileSync(path, Buffer.alloc(1 << 20))
      utimesSync(path, old, old)
    }
    // One being written right now (a share still running, as another process on this data directory would have).
    const running = join(files, 'add-ba9876543210.tmp')
    writeFileSync(running, Buffer.alloc(1 << 10))
    const again = await startPeer('desk', { dataDir: desk.dataDir })
    // The next look at the store (a download's trim, the storage figures) takes the old ones away.
    await again.engine.fileStorage()
    expect(leftovers.filter(existsSync)).toEqual([])
    expect(existsSync(running)).toBe(true)
  })

  it('folds what a quiet day writes (a link to each visitor) into the database, not a write-ahead log that only grows', async () => {
    const desk = await startPeer('desk')
    const wal = (): number => statSync(join(desk.dataDir, `${DB_FILE}-wal`)).size
    // Visitors' laptops come and go, and nobody says a word: each new link writes the book of peers.
    const visitors = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const laptop = await startPeer(`visitor ${i}`)
        await connect(laptop, desk)
        await until('the desk keeps where it listens', () => desk.engine.peers().some(p => p.peerId === laptop.engine.peerId && (p.addrs?.length ?? 0) > 0))
        await stopPeer(laptop)
      }
    }
    await visitors(15)
    await new Promise(resolve => setTimeout(resolve, CHECKPOINT_WRITES_MS + 2_000))
    const before = wal()
    // The next visitors' writes go where the first ones' were, once those are in the database file.
    await visitors(15)
    expect(wal()).toBeLessThanOrEqual(before)
  }, 60_000)

  const REDIAL = { min: 500, max: 3_000, longAfter: 60_000, long: 3_000 }

  it('stops dialing the laptops its book of peers let go of, not redial each one for as long as it runs', async () => {
    // Where the year's oldest visitors' laptops were: an address that now answers nobody (each dial counted).
    let dialed = 0
    const gone = createServer(socket => { dialed++; socket.destroy() })
    await new Promise<void>(resolve => { gone.listen(0, '127.0.0.1', resolve) })
    try {
      // A book already full from a year of visitors, the oldest first.
      const dataDir = tempDir('lanchat-desk-')
      const { store } = PeerStore.open(dataDir)
      const now = Date.now()
      const { port } = gone.address() as AddressInfo
      for (let i = 0; i < MAX_KNOWN_PEERS; i++) {
        const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
        const oldest = i <= MAX_KNOWN_PEERS * 0.1
        store.rememberPeer(peerId, { addrs: oldest ? [`/ip4/127.0.0.1/tcp/${port}`] : [], name: `visitor ${i}`, lastSeen: now - 3600_000 - (MAX_KNOWN_PEERS - i) * 1000 })
      }
      store.close()
      // Its redials at most 3 s apart (RECONNECT_MAX_MS, 30 s, by default): a laptop still dialed shows within seconds.
      const desk = await startPeer('desk', { dataDir, overlay: { retry: REDIAL } })
      // Today's visitors: the book lets the oldest go to keep them.
      for (let i = 0; i <= MAX_KNOWN_PEERS * 0.1; i++) {
        const laptop = await startPeer(`today ${i}`)
        await connect(laptop, desk)
        await until('the desk keeps where it listens', () => desk.engine.peers().some(p => p.peerId === laptop.engine.peerId && (p.addrs?.length ?? 0) > 0))
        await stopPeer(laptop)
      }
      // In the book (listed with where they listen): the newest 899 of the year's.
      expect(desk.engine.peers().filter(p => p.name.startsWith('visitor ') && p.addrs !== undefined)).toHaveLength(MAX_KNOWN_PEERS - Math.floor(MAX_KNOWN_PEERS * 0.1) - 1)
      // Their laptops are let go of by the dialing too (a redial comes within REDIAL.max at the latest).
      await new Promise(resolve => setTimeout(resolve, 3_000))
      dialed = 0
      await new Promise(resolve => setTimeout(resolve, REDIAL.max * 1.3))
      expect(dialed).toBe(0)
    } finally {
      gone.close()
    }
  }, 120_000)
})
