/**
 * What every chaos test asserts of its run: the checkers had something to
 * check (messages, deps, edits, reactions and pins, direct messages, an
 * invite-only room, a member removed from it and one who left) and found
 * nothing; the run's summary is the failure message.
 */
import { expect } from 'vitest'
import type { ChaosReport } from './run.js'
import { summary } from './summary.js'

export function expectClean (r: ChaosReport): void {
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
  // Pins and unpins under the same faults: the same pinned messages everywhere, listed alike by every process.
  expect(r.actions.pin, failure).toBeGreaterThan(0)
  expect(r.pinDiffs, failure).toEqual([])
  // Direct messages and an invite-only room under the same faults: each the same on every member.
  expect(r.directs.messages, failure).toBeGreaterThan(0)
  expect(r.privateRoom, failure).toBeGreaterThan(0)
  // A member removed and one who left: the others hold the newest key, the removed one reads nothing written with it.
  expect(r.membership.removed, failure).toBeDefined()
  expect(r.membership.left, failure).toBeDefined()
  expect(r.membership.findings, failure).toEqual([])
  // The hub refused no client's own message (it would be dropped: lost, if it was a room's new key).
  expect(r.refusedByHub, failure).toEqual([])
  expect(r.converged, failure).toBe(true)
}
