import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CausalLog, MAX_JOURNAL } from '../main/core/causal.js'
import type { ChatMessage } from '../main/core/message.js'
import { bucketOf, differingBuckets, StateSummary } from '../main/chat/sync-buckets.js'

let n = 0
const id = (): string => createHash('sha256').update(String(++n)).digest('hex')

function message (log: CausalLog, author: string, seq?: number, prev?: string): ChatMessage {
  const last = log.last(author)
  return {
    id: id(), room: 'lobby', author, name: author, text: 'x', lamport: log.maxLamport + 1, sentAt: 0,
    seq: seq ?? (last?.seq ?? 0) + 1, prev: prev ?? last?.id ?? '', deps: [], sig: new Uint8Array([1])
  }
}

/** What a summary says of `log`, made from nothing. */
function fresh (log: CausalLog): { digest: string, buckets: Uint8Array } {
  const s = new StateSummary()
  return { digest: s.digest(log), buckets: s.buckets(log) }
}

describe('StateSummary (the sync digests, kept up to date)', () => {
  it('says after each delivery what a summary made from scratch says, forks included', () => {
    const log = new CausalLog()
    const kept = new StateSummary()
    const authors = Array.from({ length: 300 }, (_, i) => `author-${i}`)
    let before = kept.digest(log)
    for (let i = 0; i < 2_000; i++) {
      const author = authors[(i * 7919) % authors.length]!
      log.add(message(log, author))
      if (i % 97 === 0) {
        // A second message under a number already taken: the author forks.
        const last = log.last(author)!
        log.add(message(log, author, last.seq, log.last(author)!.seq > 1 ? undefined : ''))
      }
      if (i % 50 === 0 || i > 1_990) {
        const now = kept.digest(log)
        expect(now).not.toBe(before)
        expect(now).toBe(fresh(log).digest)
        expect(kept.buckets(log)).toEqual(fresh(log).buckets)
        before = now
      }
    }
    expect(log.forkedAuthors().length).toBeGreaterThan(0)
  })

  it('starts over when more was delivered than the log remembers, and still agrees', () => {
    const log = new CausalLog()
    const kept = new StateSummary()
    kept.digest(log)
    for (let i = 0; i < MAX_JOURNAL + 10; i++) log.add(message(log, `a${i % 1000}`))
    expect(log.changedSince(0)).toBeUndefined()
    expect(kept.digest(log)).toBe(fresh(log).digest)
  })

  it('a delivery changes the digest of its author\'s bucket only, and the scoped vector names that bucket\'s authors', () => {
    const log = new CausalLog()
    for (let i = 0; i < 500; i++) log.add(message(log, `p${i}`))
    const s = new StateSummary()
    const before = s.buckets(log)
    log.add(message(log, 'p42'))
    const differ = differingBuckets(before, s.buckets(log))
    expect([...differ]).toEqual([bucketOf('p42')])
    const { vector } = s.scoped(log, differ)
    expect(vector.get('p42')).toBe(2)
    expect([...vector.keys()].every(a => bucketOf(a) === bucketOf('p42'))).toBe(true)
    expect(vector.size).toBe([...log.vector().keys()].filter(a => bucketOf(a) === bucketOf('p42')).length)
  })
})
