/**
 * A client's Lamport clock carried from one hub to another: a busy hub's history over months, or a
 * client there pushing times up a jump at a time, takes every client's clock past what a new hub
 * (or one started again empty) lets a message jump to. The new hub says its newest time in its
 * hello, and the client goes on from there, instead of every message it sends being refused.
 */
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_CLOCK_JUMP } from '../main/core/limits.js'
import { DB_FILE } from '../main/store/db.js'
import { cleanupHubs, startClient, startHub, stopHub } from './helpers/hub.js'
import { rawHubClient, stopRawHubClients } from './helpers/raw-hub-client.js'
import { cleanup, until } from './helpers/peers.js'

afterEach(async () => {
  await stopRawHubClients()
  await cleanupHubs()
  await cleanup()
})

describe('a client whose Lamport clock runs far ahead of a hub', () => {
  it('chats on a new hub after counting an old one\'s times past a jump, and on the old one again after', async () => {
    const old = await startHub()
    const fresh = await startHub()
    // On the old hub someone pushes the times up, each message as far as the hub lets it.
    const pusher = await rawHubClient(old.addr())
    let prev = ''
    for (const k of [1, 2, 3]) {
      const m = await pusher.make(`up ${k}`, k, prev, k * (MAX_CLOCK_JUMP - 100_000))
      prev = m.id
      pusher.link.send({ type: 'submit', messages: [m] })
    }
    const ann = await startClient('ann', old.addr())
    await until('ann has the old hub\'s history', () => ann.delivered().some(e => e.text === 'up 3'))
    await ann.engine.send('lobby', 'on the old hub')
    await until('numbered by the old hub', () => ann.engine.history('lobby').some(m => m.text === 'on the old hub' && m.seq !== undefined))
    expect(ann.engine.clock).toBeGreaterThan(2 * MAX_CLOCK_JUMP)

    // The old hub's computer is replaced: everyone moves to a new, empty one.
    const ben = await startClient('ben', fresh.addr())
    await ann.engine.switchMode('client', fresh.addr())
    await until('ann joined the new hub', () => ann.engine.stats().failure.serverReachable === true)
    await ann.engine.send('lobby', 'on the new hub')
    await until('ben got it', () => ben.delivered().some(e => e.text === 'on the new hub'))
    await ben.engine.send('lobby', 'welcome')
    await until('ann got the answer', () => ann.delivered().some(e => e.text === 'welcome'))
    expect(ann.engine.history('lobby').map(m => m.text)).toEqual(['on the new hub', 'welcome'])

    // Back on the old hub (it came back): her next message goes on after her own there, and is taken.
    await ann.engine.switchMode('client', old.addr())
    await until('ann joined the old hub again', () => ann.engine.stats().failure.serverReachable === true)
    await ann.engine.send('lobby', 'back on the old hub')
    await until('the pusher got it from the old hub', () => pusher.frames.some(f => f.type === 'deliver' && f.items.some(i => i.message.text === 'back on the old hub')))
    // Nothing of hers was refused on either hub.
    expect(ann.events.filter(e => e.type === 'error').map(e => (e as { message: string }).message)).toEqual([])
  })

  it('goes on after its own message still pending from before the hello, which the new hub takes: the next one is not refused', async () => {
    const old = await startHub()
    const fresh = await startHub()
    // Ann's clock counted the old hub's history to most of a jump: more than half one past the new, empty hub's.
    const pusher = await rawHubClient(old.addr())
    pusher.link.send({ type: 'submit', messages: [await pusher.make('far on', 1, '', MAX_CLOCK_JUMP - 100_000)] })
    const ann = await startClient('ann', old.addr())
    await until('ann has it', () => ann.delivered().some(e => e.text === 'far on'))
    // The old hub goes away: what she writes now waits, pending, stamped after the old hub's time.
    await stopHub(old)
    await until('ann knows it is gone', () => ann.engine.stats().failure.serverReachable === false, 20_000)
    const waiting = await ann.engine.send('lobby', 'written while no hub answered')
    expect(waiting.pending).toBe(true)

    // The new hub is slow to write what it numbers (another program holds its database a while): her
    // pending message is numbered there as she joins, and comes back to her only once it is written.
    const other = new DatabaseSync(join(fresh.dataDir, DB_FILE))
    other.exec('BEGIN IMMEDIATE')
    await ann.engine.switchMode('client', fresh.addr())
    await until('the new hub numbered it and could not write it yet', () => fresh.events.some(e => e.type === 'error' && /database write failed/.test(e.message)), 30_000)
    expect(ann.engine.history('lobby').find(m => m.id === waiting.id)?.pending).toBe(true)
    const next = await ann.engine.send('lobby', 'written once it said hello')
    other.exec('COMMIT')
    other.close()
    await until('both numbered', () => [waiting.id, next.id].every(id => ann.delivered().some(e => e.id === id)), 30_000)
    expect(ann.engine.history('lobby').map(m => m.text)).toEqual(['written while no hub answered', 'written once it said hello'])
    expect(ann.events.filter(e => e.type === 'error').map(e => (e as { message: string }).message)).toEqual([])
  }, 90_000)
})
