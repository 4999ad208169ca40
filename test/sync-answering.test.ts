/**
 * While a peer's answer to our sync is still arriving, we do not ask it
 * again (the answer is on an ordered, reliable stream: asking again would
 * bring what is on its way a second time). The end-to-end guard is in
 * catchup-backpressure.test.ts; here the rule itself, step by step in time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ANSWER_GAP_MS, ANSWER_HOLD_MAX_MS, Requests, SYNC_ANSWER_WINDOW_MS } from '../main/chat/requests.js'
import { MeshSync } from '../main/chat/mesh-sync.js'
import { CausalLog } from '../main/core/causal.js'
import type { ChatMessage } from '../main/core/message.js'
import type { Frame } from '../main/net/codec.js'
import type { Transport } from '../main/net/transport.js'

const PEER = 'peer-b'
const AUTHOR = 'author-a'

/** A frame of messages by AUTHOR with these seqs (only what Requests reads of them is real). */
function answer (seqs: number[], flagged = true): Extract<Frame, { type: 'messages' }> {
  const messages = seqs.map((seq) => ({ message: { id: `m${seq}`, author: AUTHOR, seq } as unknown as ChatMessage, hops: 0 }))
  return flagged ? { type: 'messages', messages, answer: true } : { type: 'messages', messages }
}

beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }) })
afterEach(() => { vi.useRealTimers() })

describe('a peer answering our sync', () => {
  it('holds our next sync to it while its answer keeps coming, and frees it once the answer stops', () => {
    const r = new Requests()
    expect(r.answering(PEER)).toBe(false)
    r.advertised(PEER, new Map([[AUTHOR, 10_000]]))
    r.syncSent(PEER, new Map())
    expect(r.answering(PEER)).toBe(true)
    // The answer comes a batch a second, for longer than the gap and than the answer window.
    let seq = 0
    const seconds = Math.ceil(SYNC_ANSWER_WINDOW_MS / 1000) + 5
    for (let s = 0; s < seconds; s++) {
      vi.advanceTimersByTime(1000)
      r.asked(PEER, answer([++seq, ++seq]))
      expect(r.answering(PEER)).toBe(true)
    }
    // It stops: the next sync may go once the gap has passed.
    vi.advanceTimersByTime(ANSWER_GAP_MS - 100)
    expect(r.answering(PEER)).toBe(true)
    vi.advanceTimersByTime(200)
    expect(r.answering(PEER)).toBe(false)
  })

  it('is not held by an answer that never comes, by frames that answer nothing we asked, or for ever', () => {
    const r = new Requests()
    r.advertised(PEER, new Map([[AUTHOR, 5]]))
    r.syncSent(PEER, new Map([[AUTHOR, 2]]))
    vi.advanceTimersByTime(ANSWER_GAP_MS + 1)
    expect(r.answering(PEER)).toBe(false)

    r.syncSent(PEER, new Map([[AUTHOR, 2]]))
    vi.advanceTimersByTime(ANSWER_GAP_MS - 500)
    // What we had already, past what the peer said it has, and a push not flagged as an answer.
    r.asked(PEER, answer([1, 2]))
    r.asked(PEER, answer([6, 7]))
    r.asked(PEER, answer([3], false))
    vi.advanceTimersByTime(600)
    expect(r.answering(PEER)).toBe(false)
    // Another peer's answer is not this one's.
    expect(r.answering('someone-else')).toBe(false)

    // A peer that trickles an answer for ever holds our syncs to it off for ANSWER_HOLD_MAX_MS at most.
    r.advertised(PEER, new Map([[AUTHOR, 1_000_000]]))
    r.syncSent(PEER, new Map())
    let seq = 0
    for (let t = 0; t < ANSWER_HOLD_MAX_MS; t += 1000) {
      vi.advanceTimersByTime(1000)
      r.asked(PEER, answer([++seq]))
    }
    expect(r.answering(PEER)).toBe(false)
  })

  it('forgets a peer that left', () => {
    const r = new Requests()
    r.syncSent(PEER, new Map())
    r.forget(PEER)
    expect(r.answering(PEER)).toBe(false)
  })
})

describe('a peer whose answer we are still taking in', () => {
  it('is not asked again while messages of its answer wait in our intake, though its last batch came longer ago than the gap', () => {
    const sent: Frame[] = []
    let waiting = 3
    const sync = new MeshSync({
      transport: { send: (_peer: string, f: Frame) => { sent.push(f); return true } } as unknown as Transport<Frame>,
      causal: () => new CausalLog(),
      backlog: () => waiting,
      answersFrom: (peer) => (peer === PEER ? waiting : 0),
      requests: new Requests(),
      ownAdvertised: () => {},
      self: () => 'me',
      intervalMs: 1000
    })
    // Our reader of it paused while we took in what came: its next batch, already on the wire, is what we would ask for again.
    vi.advanceTimersByTime(ANSWER_GAP_MS + 1)
    sync.scopedFrom(PEER, new Set([0]))
    expect(sent).toEqual([])
    // Another peer is asked meanwhile.
    sync.scopedFrom('someone-else', new Set([0]))
    expect(sent.filter((f) => f.type === 'sync')).toHaveLength(1)
    // All of it taken in: it is asked.
    waiting = 0
    sync.scopedFrom(PEER, new Set([0]))
    expect(sent.filter((f) => f.type === 'sync')).toHaveLength(2)
  })
})
