import { beforeAll, describe, expect, it } from 'vitest'
import { summary } from './chaos/summary.js'
import { ensureBuilt } from './helpers/proc.js'
import { runChaos } from './chaos/run.js'

beforeAll(() => { ensureBuilt() }, 120_000)

// Tier (c): real processes under a seeded mix of kill -9, partitions, pauses and sends.
// A failing seed replays with: npm run chaos -- --seed 1313 --peers 5 --faults 40
describe('chaos: 5 bin/lanchat processes, 40 seeded faults', () => {
  it('loses nothing confirmed, duplicates nothing, and ends in one causal order after the heal, edits, reactions and direct messages alike everywhere', async () => {
    const r = await runChaos({ seed: 1313, peers: 5, faults: 40, convergeMs: 30_000 })
    const failure = summary(r)
    expect(r.confirmed, failure).toBeGreaterThan(10)
    expect(r.depsChecked, failure).toBeGreaterThan(0)
    expect(r.lostByLiveProcess, failure).toEqual([])
    expect(r.verdict.lost, failure).toEqual([])
    expect(r.verdict.duplicates, failure).toEqual([])
    expect(r.duplicateDeliveries, failure).toEqual([])
    // Committed before announced (SQLite, one transaction per batch): a kill -9 never makes a peer announce a message twice.
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
