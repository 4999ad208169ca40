import { describe, expect, it } from 'vitest'
import { initialState, reducer, type State } from '../renderer/src/store.js'

/** A laptop that changed networks while the window is open: the status bar and Connect dialog read `status.addrs`. */

const event = (s: State, e: Parameters<typeof reducer>[1] & { type: 'event' }): State => reducer(s, e)

describe('the window\'s own addresses', () => {
  it('follow an addresses event: where others reach us now, not where we were at the start', () => {
    const ready = event(initialState, { type: 'event', event: { type: 'ready', peerId: 'p', name: 'n', mode: 'p2p', addrs: ['/ip4/192.168.1.5/tcp/4001/p2p/p'] } })
    const moved = event(ready, { type: 'event', event: { type: 'addresses', addrs: ['/ip4/10.0.0.9/tcp/4001/p2p/p'] } })
    expect(moved.status).toMatchObject({ state: 'running', addrs: ['/ip4/10.0.0.9/tcp/4001/p2p/p'] })
  })
})

describe('a fixed address the window\'s peer listens on, gone', () => {
  it('is said in a toast: nobody reaches us there, and what to do', () => {
    const ready = event(initialState, { type: 'event', event: { type: 'ready', peerId: 'p', name: 'n', mode: 'p2p', addrs: ['/ip4/10.0.0.5/tcp/4000/p2p/p'] } })
    const gone = event(ready, { type: 'event', event: { type: 'addresses', addrs: [], lost: ['/ip4/10.0.0.5/tcp/4000/p2p/p'] } })
    expect(gone.toasts.at(-1)).toMatchObject({ title: 'Nobody can reach you', message: expect.stringContaining('10.0.0.5:4000') })
    expect(gone.toasts.at(-1)?.message).toMatch(/every network/)
    // A change that loses nothing is no news for a toast.
    expect(event(ready, { type: 'event', event: { type: 'addresses', addrs: ['/ip4/10.0.0.9/tcp/4000/p2p/p'] } }).toasts).toEqual(ready.toasts)
  })
})
