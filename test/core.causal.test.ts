import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CausalLog } from '../main/core/causal.js'
import { MemoryIndex } from '../main/core/delivered.js'
import { LamportClock } from '../main/core/clock.js'
import { MAX_CLOCK_JUMP, MAX_DEPS } from '../main/core/limits.js'
import { compareMessages, type ChatMessage } from '../main/core/message.js'
import { syncAll } from './helpers/sim.js'

/** A peer of the simulation: the real core, no network, no crypto. */
class SimPeer {
  /** What the peer "committed": with `keep`, the log forgets all but `keep` delivered messages and reads the rest here. */
  readonly index = new MemoryIndex()
  log: CausalLog
  readonly clock = new LamportClock()
  readonly deliveryOrder: ChatMessage[] = []
  constructor (readonly id: string, readonly keep?: number) {
    this.log = new CausalLog(this.index)
  }

  /** Start again from what was committed: the log knows only the index. */
  restart (): void {
    this.log = new CausalLog(this.index)
  }

  send (text: string, nextId: () => string): ChatMessage {
    const prev = this.log.last(this.id)
    const m: ChatMessage = {
      id: nextId(), room: 'lobby', author: this.id, name: this.id, text,
      lamport: this.clock.tick(), sentAt: 0, seq: (prev?.seq ?? 0) + 1, prev: prev?.id ?? '',
      deps: this.log.depsFor(this.id), sig: new Uint8Array([1])
    }
    this.receive(m)
    return m
  }

  receive (m: ChatMessage): void {
    const { delivered } = this.log.add(m)
    for (const d of delivered) {
      if (d.author !== this.id) this.clock.receive(d.lamport)
      this.deliveryOrder.push(d)
      this.index.put(d)
    }
    if (this.keep !== undefined) this.log.trim(this.keep)
  }

  history (): string[] {
    return [...this.deliveryOrder].sort(compareMessages).map(m => m.id)
  }
}

/** Ids like the real ones (a SHA-256): they differ from the first character on. */
function idFactory (): () => string {
  let n = 0
  return () => createHash('sha256').update(String(++n)).digest('hex')
}

function assertCausal (p: SimPeer): void {
  const seen = new Set<string>()
  for (const m of p.deliveryOrder) {
    for (const d of m.prev === '' ? m.deps : [m.prev, ...m.deps]) {
      expect(seen.has(d), `${p.id} delivered ${m.id} before its dependency ${d}`).toBe(true)
    }
    seen.add(m.id)
  }
}

// A schedule step: a peer sends, or the network hands one in-flight copy to its
// destination (picked by index: reorder), possibly twice (duplicate) or never (drop).
const step = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), peer: fc.nat(3) }),
  fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), dup: fc.boolean(), drop: fc.boolean() })
)

describe('causal delivery over a simulated network that reorders, delays, duplicates and drops', () => {
  it.each([
    ['all of it in memory', undefined],
    ['only the newest 3 in memory, the rest read from the index', 3],
    ['nothing in memory once committed', 0]
  ])('ends with the same history everywhere and never delivers a message before its dependencies (%s)', (_, keep) => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 4 }), fc.array(step, { maxLength: 120 }), (n, schedule) => {
      const nextId = idFactory()
      const peers = Array.from({ length: n }, (_, i) => new SimPeer(`peer-${i}`, keep))
      const inFlight: Array<{ to: SimPeer; m: ChatMessage }> = []
      for (const s of schedule) {
        if (s.kind === 'send') {
          const from = peers[s.peer % n]!
          const m = from.send(`m${inFlight.length}`, nextId)
          for (const to of peers) if (to !== from) inFlight.push({ to, m })
        } else if (inFlight.length > 0) {
          const i = s.pick % inFlight.length
          const { to, m } = inFlight[i]!
          if (!s.dup) inFlight.splice(i, 1)
          if (!s.drop) to.receive(m)
        }
      }
      // Whatever is still in flight arrives late, in reverse order.
      for (const { to, m } of inFlight.reverse()) to.receive(m)
      syncAll(peers)
      const first = peers[0]!.history()
      for (const p of peers) {
        expect(p.history()).toEqual(first)
        expect(p.log.heldCount).toBe(0)
        assertCausal(p)
      }
    }), { numRuns: 300, seed: 4242 })
  })

  it('holds a reply back until the message it answers arrives by another path (Sally, James, Henry)', () => {
    const nextId = idFactory()
    const [sally, james, henry] = ['sally', 'james', 'henry'].map(id => new SimPeer(id)) as [SimPeer, SimPeer, SimPeer]
    const missing = sally.send('Bill is missing!', nextId)
    james.receive(missing); henry.receive(missing)
    const fine = sally.send('False alarm, he\'s fine', nextId)
    james.receive(fine)
    const relief = james.send('What a relief!', nextId)
    // Henry gets James's reply before Sally's second post: it must wait.
    henry.receive(relief)
    expect(henry.deliveryOrder.map(m => m.text)).toEqual(['Bill is missing!'])
    expect(henry.log.missing()).toEqual([fine.id])
    henry.receive(fine)
    expect(henry.deliveryOrder.map(m => m.text)).toEqual(['Bill is missing!', 'False alarm, he\'s fine', 'What a relief!'])
  })

  /** Peer b holds a's first message; `bad`, a's second, jumps its clock absurdly far (not added yet). */
  function clockJump (): { b: SimPeer, ok: ChatMessage, bad: ChatMessage, nextId: () => string } {
    const nextId = idFactory()
    const a = new SimPeer('a')
    const b = new SimPeer('b')
    const ok = a.send('fine', nextId)
    b.receive(ok)
    const bad: ChatMessage = { ...ok, id: nextId(), seq: 2, prev: ok.id, lamport: ok.lamport + MAX_CLOCK_JUMP + 1, text: 'to the moon' }
    return { b, ok, bad, nextId }
  }

  it('refuses a timestamp that jumps absurdly far past its causal past, and what depends on it', () => {
    const { b, ok, bad, nextId } = clockJump()
    const after: ChatMessage = { ...ok, id: nextId(), seq: 3, prev: bad.id, lamport: bad.lamport + 1, text: 'after' }
    const r1 = b.log.add(after)
    expect(r1.delivered).toEqual([])
    const r2 = b.log.add(bad)
    expect(r2.delivered).toEqual([])
    expect(r2.rejected.map(r => r.message.text).sort()).toEqual(['after', 'to the moon'])
    expect(b.clock.time).toBeLessThan(10)
  })

  it('a message refused for one dependency no longer waits for its others: they are not asked for', () => {
    const { b, ok, bad, nextId } = clockJump()
    expect(b.log.add(bad).rejected).toHaveLength(1)
    // Refused at once, on top of a refused message; or held for a missing one first, refused as its other dependency is.
    const lacks = nextId()
    const onRefused: ChatMessage = { ...ok, id: nextId(), author: 'm', seq: 1, prev: '', deps: [nextId(), bad.id], lamport: 3, text: 'on a refused one' }
    expect(b.log.add(onRefused).rejected).toHaveLength(1)
    const later = nextId()
    const held: ChatMessage = { ...ok, id: nextId(), author: 'n', seq: 1, prev: '', deps: [lacks, later], lamport: 3, text: 'held' }
    b.log.add(held)
    expect(b.log.missing().sort()).toEqual([lacks, later].sort())
    const refusedLater: ChatMessage = { ...ok, id: later, author: 'o', seq: 2, prev: nextId(), deps: [], lamport: 4, text: 'never to be' }
    b.log.add({ ...refusedLater, seq: 1, prev: '', lamport: MAX_CLOCK_JUMP * 3 })
    expect(b.log.heldCount).toBe(0)
    expect(b.log.missing()).toEqual([])
  })

  it('with a thousand concurrent heads (each a new author\'s first message), a new message still names the newest MAX_DEPS', () => {
    const nextId = idFactory()
    const b = new SimPeer('b')
    const firsts: ChatMessage[] = []
    for (let i = 0; i < 1_000; i++) {
      const m: ChatMessage = { id: nextId(), room: 'lobby', author: `author-${String(i).padStart(4, '0')}`, name: 'x', text: 'hi', lamport: 1 + (i * 7919) % 1_000, sentAt: 0, seq: 1, prev: '', deps: [], sig: new Uint8Array([1]) }
      firsts.push(m)
      b.receive(m)
    }
    const newest = [...firsts].sort((x, y) => y.lamport - x.lamport || (y.author < x.author ? -1 : 1)).slice(0, MAX_DEPS).map(m => m.id)
    expect(b.log.depsFor('b')).toEqual(newest)
  })

  it('keeps both messages an author sent under one number (a fork), and marks the author', () => {
    const nextId = idFactory()
    const a = new SimPeer('a')
    const b = new SimPeer('b')
    const m = a.send('one', nextId)
    b.receive(m)
    const twin: ChatMessage = { ...m, id: nextId(), text: 'other one' }
    const r = b.log.add(twin)
    expect(r.rejected).toEqual([])
    expect(r.forked).toEqual([{ author: 'a', floor: 1 }])
    b.deliveryOrder.push(...r.delivered)
    expect(b.log.isForked('a')).toBe(true)
    expect(b.history()).toEqual([m.id, twin.id].sort())
  })

  it('an author that forks at random never splits the honest peers: all end with every branch, in one order', () => {
    fc.assert(fc.property(fc.array(fc.record({ op: fc.nat(5), to: fc.nat(2), peer: fc.nat(2) }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 0, max: 3 }), (ops, keep) => {
      const nextId = idFactory()
      const honest = [0, 1, 2].map(i => new SimPeer(`h${i}`, keep === 0 ? undefined : keep))
      // The forker keeps a few heads of its own chain and extends any of them: every extension of an
      // older head is a fork. Each message goes to one honest peer only.
      const chain: ChatMessage[] = []
      let lamport = 0
      for (const { op, to, peer } of ops) {
        if (op < 3) {
          const base = op === 0 || chain.length === 0 ? undefined : chain[Math.max(0, chain.length - op)]
          const target = honest[to]!
          const deps = target.log.depsFor('forker').filter(d => d !== base?.id).slice(0, 4)
          lamport = Math.max(lamport, target.clock.time) + 1
          const f: ChatMessage = {
            id: nextId(), room: 'lobby', author: 'forker', name: 'forker', text: `f${chain.length}`, lamport, sentAt: 0,
            seq: (base?.seq ?? 0) + 1, prev: base?.id ?? '', deps, sig: new Uint8Array([1])
          }
          chain.push(f)
          target.receive(f)
        } else {
          const from = honest[peer]!
          const m = from.send(`${from.id}-${op}`, nextId)
          for (const h of honest) if (h !== from && (op + to) % 2 === 0) h.receive(m)
        }
      }
      // Anti-entropy with the fork digests and head ids, and wants for what is held back, until nothing moves.
      for (let moved = true, round = 0; moved && round < 50; round++) {
        moved = false
        for (const x of honest) {
          for (const y of honest) {
            if (x === y) continue
            for (const m of x.log.missingFor(y.log.vector(), y.log.forkDigests(), y.log.headIds())) {
              if (!y.log.has(m.id)) { y.receive(m); moved = true }
            }
            // What y holds back waits for ids it names (a `want`): x sends those it has.
            for (const id of y.log.missing()) {
              const m = x.log.isDelivered(id) ? x.log.get(id) : undefined
              if (m !== undefined) { y.receive(m); moved = true }
            }
          }
        }
      }
      const first = honest[0]!.history()
      for (const h of honest) {
        expect(h.history()).toEqual(first)
        expect(h.log.heldCount).toBe(0)
        assertCausal(h)
      }
      // Everything the forker sent is there, every branch.
      expect(first.filter(id => chain.some(f => f.id === id)).length).toBe(chain.length)
    }), { numRuns: 200, seed: 1313 })
  })

  it('answers catch-up with exactly what the requester lacks', () => {
    const nextId = idFactory()
    const a = new SimPeer('a')
    const b = new SimPeer('b')
    const sent = Array.from({ length: 50 }, (_, i) => a.send(`m${i}`, nextId))
    for (const m of sent.slice(0, 40)) b.receive(m)
    const answer = a.log.missingFor(b.log.vector())
    expect(answer.map(m => m.text)).toEqual(sent.slice(40).map(m => m.text))
  })

  it('keeps only the newest delivered messages in memory, and a log started from the index goes on alike', () => {
    const nextId = idFactory()
    const a = new SimPeer('a', 10)
    const b = new SimPeer('b', 10)
    for (let i = 0; i < 300; i++) {
      const from = i % 3 === 0 ? b : a
      const to = from === a ? b : a
      to.receive(from.send(`m${i}`, nextId))
    }
    expect(a.log.recentCount).toBe(10)
    expect(a.log.size).toBe(300)
    // Catch-up of a newcomer reads everything back from the index, in Lamport order.
    const c = new SimPeer('c', 10)
    for (const m of a.log.missingFor(c.log.vector())) c.receive(m)
    expect(c.history()).toEqual(a.history())
    expect(c.log.heldCount).toBe(0)
    // A restart knows each author's newest message and the heads, nothing else.
    const vector = a.log.vector()
    a.restart()
    expect(a.log.vector()).toEqual(vector)
    expect(a.log.recentCount).toBe(0)
    const next = a.send('after the restart', nextId)
    b.receive(next)
    expect(b.deliveryOrder.at(-1)?.text).toBe('after the restart')
    expect(next.deps.length + (next.prev === '' ? 0 : 1)).toBeGreaterThan(0)
  })
})
