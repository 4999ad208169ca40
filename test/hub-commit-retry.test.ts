/**
 * A hub whose database refuses a write (another program holds it, a full disk) keeps the messages it
 * numbered meanwhile queued, and commits them once it can write again: by itself, not only when the
 * next message comes, which on a quiet hub may be hours away with every sender's message pending.
 * Real hub and client engines on loopback; the write is refused by a second connection to the hub's
 * database that holds its write lock.
 */
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { DB_FILE } from '../main/store/db.js'
import { cleanupHubs, startClient, startHub, stopHub } from './helpers/hub.js'
import { cleanup, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

describe('a hub whose database write failed', () => {
  it('relays what it numbered meanwhile once it can write again, with nothing else sent', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr())
    const ben = await startClient('ben', h.addr())
    await until('both linked', () => ann.engine.connected && ben.engine.connected)
    const before = await ann.engine.send('lobby', 'before')
    await until('ben has the first', () => ben.delivered().some(e => e.id === before.id))

    // Another program holds the database's write lock: the hub's commit waits for it (5 s), then fails.
    const other = new DatabaseSync(join(h.dataDir, DB_FILE))
    other.exec('BEGIN IMMEDIATE')
    const held = await ann.engine.send('lobby', 'written while the disk would not take it')
    await until('the write failed', () => h.events.some(e => e.type === 'error' && /database write failed/.test(e.message)), 20_000)
    expect(ben.delivered().some(e => e.id === held.id)).toBe(false)
    // Meanwhile the hub goes on serving: another message, and a retry, each find the lock held at once. Each
    // waited SQLite's 5 s for it, the hub still for every client the while (its writes are on its one thread).
    let longest = 0
    let last = Date.now()
    const beat = setInterval(() => { const now = Date.now(); longest = Math.max(longest, now - last); last = now }, 50)
    onTestFinished(() => { clearInterval(beat) })
    const more = await ann.engine.send('lobby', 'and another')
    await new Promise(resolve => setTimeout(resolve, 1_500))
    clearInterval(beat)
    expect(longest).toBeLessThan(2_500)
    other.exec('COMMIT')
    other.close()

    // Nobody sends anything more: the hub commits and relays it by itself.
    await until('ben has it', () => ben.delivered().some(e => e.id === held.id), 20_000)
    await until('ben has the one after', () => ben.delivered().some(e => e.id === more.id), 20_000)
    await until('ann sees them numbered', () => ann.delivered().some(e => e.id === more.id))
    expect(ann.engine.history('lobby').map(m => [m.text, m.pending === true])).toEqual([['before', false], ['written while the disk would not take it', false], ['and another', false]])
    expect(h.hub.history('lobby').map(m => m.text)).toEqual(['before', 'written while the disk would not take it', 'and another'])
    // Told once, not at every try.
    expect(h.events.filter(e => e.type === 'error')).toHaveLength(1)
  }, 60_000)

  it('stops while its last write fails: the data directory is let go, and the hub started again on it has what it committed', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr())
    await until('linked', () => ann.engine.connected)
    const kept = await ann.engine.send('lobby', 'committed')
    await until('numbered', () => ann.delivered().some(e => e.id === kept.id))
    const other = new DatabaseSync(join(h.dataDir, DB_FILE))
    other.exec('BEGIN IMMEDIATE')
    const held = await ann.engine.send('lobby', 'held at the stop')
    await until('the write failed', () => h.events.some(e => e.type === 'error'), 20_000)
    // Its last commit, at the stop, fails too: the stop ends all the same, the directory's lock let go.
    await stopHub(h)
    other.exec('ROLLBACK')
    other.close()
    const again = await startHub({ dataDir: h.dataDir })
    expect(again.hub.history('lobby').map(m => m.text)).toEqual(['committed'])
    // What it could not write was never relayed: its sender still has it pending, and sends it again.
    await ann.engine.switchMode('client', again.addr())
    await until('the restarted hub numbered it', () => again.hub.history('lobby').some(m => m.id === held.id), 20_000)
  }, 60_000)

  it('numbers no more than its bound while it cannot write: the rest wait at their senders, and go once it can', async () => {
    const h = await startHub({ maxUncommitted: 2 })
    const ann = await startClient('ann', h.addr())
    const ben = await startClient('ben', h.addr())
    await until('both linked', () => ann.engine.connected && ben.engine.connected)
    const other = new DatabaseSync(join(h.dataDir, DB_FILE))
    other.exec('BEGIN IMMEDIATE')
    await ann.engine.send('lobby', 'one')
    await until('the write failed', () => h.events.some(e => e.type === 'error'), 20_000)
    await ann.engine.send('lobby', 'two')
    await until('two numbered', () => h.hub.lastSeq === 2, 20_000)
    const three = await ann.engine.send('lobby', 'three')
    // Two wait for the disk: the third is not read, let alone numbered and held in memory (over two retries).
    const until4s = Date.now() + 4_000
    while (Date.now() < until4s) {
      expect(h.hub.lastSeq).toBe(2)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    other.exec('COMMIT')
    other.close()
    await until('ben has all three', () => ben.delivered().some(e => e.id === three.id), 40_000)
    expect(ben.engine.history('lobby').map(m => m.text)).toEqual(['one', 'two', 'three'])
  }, 90_000)
})
