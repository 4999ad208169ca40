import { describe, expect, it } from 'vitest'
import { initialState, reducer, type State } from '../renderer/src/store.js'

/** Issue 13, defect 7: a full disk is a banner while writes wait, not a toast that goes away on its own. */

const event = (s: State, e: Parameters<typeof reducer>[1] & { type: 'event' }): State => reducer(s, e)
const paused = { type: 'event', event: { type: 'writes:paused', message: 'the disk is full (/data/lanchat.db)' } } as const
const resumed = { type: 'event', event: { type: 'writes:resumed' } } as const

describe('the UI state of paused writes', () => {
  it('writes:paused sets the banner\'s reason (no toast); writes:resumed takes it away', () => {
    const s = event(initialState, paused)
    expect(s.writesPaused).toBe('the disk is full (/data/lanchat.db)')
    expect(s.toasts).toEqual([])
    // Other events meanwhile leave it up: it stays as long as writes wait.
    const later = event(s, { type: 'event', event: { type: 'error', message: 'something else' } })
    expect(later.writesPaused).toBe('the disk is full (/data/lanchat.db)')
    expect(event(later, resumed).writesPaused).toBeNull()
  })

  it('a window that opens while writes wait shows it from the snapshot', () => {
    const snapshot = { settings: initialState.settings, status: initialState.status, rooms: [], peers: [], mdnsAvailable: true, spellcheckDownloads: true, profile: 'default', warnings: [], hub: null, lab: initialState.lab }
    expect(reducer(initialState, { type: 'snapshot', snapshot: { ...snapshot, writesPaused: 'the disk is full' } }).writesPaused).toBe('the disk is full')
    expect(reducer(initialState, { type: 'snapshot', snapshot }).writesPaused).toBeNull()
  })

  it('a new engine starts without it (it says so itself if its disk is full too)', () => {
    const s = event(initialState, paused)
    const ready = event(s, { type: 'event', event: { type: 'ready', peerId: 'p', name: 'n', mode: 'p2p', addrs: [] } })
    expect(ready.writesPaused).toBeNull()
  })
})
