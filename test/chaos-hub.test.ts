import { beforeAll, describe, expect, it } from 'vitest'
import { summary } from './chaos/summary.js'
import { ensureBuilt } from './helpers/proc.js'
import { runChaos } from './chaos/run.js'

beforeAll(() => { ensureBuilt() }, 120_000)

// Tier (c) under client-server (test/chaos.test.ts for P2P): the hub is killed, restarted and paused like any client, so messages
// go pending (kept on their client's disk) and are numbered when it is back.
// A failing seed replays with: npm run chaos -- --seed 3 --peers 4 --faults 40 --client-server
describe('chaos: a bin/lanchat server and 4 clients, 40 seeded faults', () => {
  it('loses nothing taken, pending or confirmed, duplicates nothing, and ends in the hub\'s one order, edits, reactions and direct messages alike everywhere', async () => {
    const r = await runChaos({ seed: 3, peers: 4, faults: 40, convergeMs: 30_000, architecture: 'client-server' })
    const failure = summary(r)
    expect(r.pending, failure).toBeGreaterThan(0)
    expect(r.confirmed, failure).toBeGreaterThan(10)
    expect(r.depsChecked, failure).toBeGreaterThan(0)
    expect(r.lostByLiveProcess, failure).toEqual([])
    expect(r.verdict.lost, failure).toEqual([])
    expect(r.verdict.duplicates, failure).toEqual([])
    expect(r.duplicateDeliveries, failure).toEqual([])
    expect(r.reannouncedAfterRestart, failure).toBe(0)
    expect(r.verdict.orderDiffs, failure).toEqual([])
    expect(r.verdict.causal, failure).toEqual([])
    // Edits, deletes and reactions made under the same faults: every peer shows each message alike.
    expect(r.actions.edit * r.actions.react, failure).toBeGreaterThan(0)
    expect(r.verdict.stateDiffs, failure).toEqual([])
    // Direct messages under the same faults: each conversation the same on both its ends.
    expect(r.directs.messages, failure).toBeGreaterThan(0)
    expect(r.converged, failure).toBe(true)
  }, 90_000)
})
