import { beforeAll, describe, it } from 'vitest'
import { ensureBuilt } from './helpers/proc.js'
import { runChaos } from './chaos/run.js'
import { expectClean } from './chaos/expect-clean.js'

beforeAll(() => { ensureBuilt() }, 120_000)

// Tier (c): real processes under a seeded mix of kill -9, partitions, pauses and sends.
// A failing seed replays with: npm run chaos -- --seed 1313 --peers 5 --faults 40
describe('chaos: 5 bin/lanchat processes, 40 seeded faults', () => {
  it('loses nothing confirmed, duplicates nothing, and ends in one causal order after the heal, edits, reactions and direct messages alike everywhere; of the invite-only room, one removed reads nothing new and every other member holds the key made after each change', async () => {
    expectClean(await runChaos({ seed: 1313, peers: 5, faults: 40, convergeMs: 30_000 }))
  }, 90_000)
})
