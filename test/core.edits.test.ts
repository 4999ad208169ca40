import { createHash } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CausalLog } from '../main/core/causal.js'
import { MemoryIndex } from '../main/core/delivered.js'
import { LamportClock } from '../main/core/clock.js'
import { EditState, validateAction, versionsOf, type ActionEvent, type MessageAction, type Visible } from '../main/core/edits.js'
import type { ChatMessage } from '../main/core/message.js'
import { syncAll } from './helpers/sim.js'

const id = (n: number | string): string => createHash('sha256').update(String(n)).digest('hex')
const ev = (n: number, author: string, lamport: number, action: MessageAction): ActionEvent => ({ id: id(`e${n}`), author, lamport, action })

describe('EditState', () => {
  const m1 = { id: id(1), author: 'ann', text: 'hello' }

  it('only the author edits or deletes; anyone reacts, once per emoji', () => {
    const s = new EditState()
    s.add(ev(1, 'bob', 5, { kind: 'edit', target: m1.id, text: 'hijacked' }))
    s.add(ev(2, 'bob', 6, { kind: 'delete', target: m1.id }))
    s.add(ev(3, 'bob', 7, { kind: 'react', target: m1.id, emoji: '👍', on: true }))
    s.add(ev(4, 'bob', 8, { kind: 'react', target: m1.id, emoji: '👍', on: true }))
    s.add(ev(5, 'cat', 8, { kind: 'react', target: m1.id, emoji: '👍', on: true }))
    expect(s.view(m1)).toEqual({ text: 'hello', edited: false, deleted: false, reactions: [{ emoji: '👍', by: ['bob', 'cat'] }] })
  })

  it('the later edit in (Lamport, author) order wins, whichever arrived last; a delete is final', () => {
    const s = new EditState()
    const second = ev(2, 'ann', 9, { kind: 'edit', target: m1.id, text: 'second' })
    const first = ev(1, 'ann', 4, { kind: 'edit', target: m1.id, text: 'first' })
    s.add(second)
    s.add(first)
    expect(s.view(m1)).toMatchObject({ text: 'second', edited: true })
    // The earlier versions, from the events as stored (any order, a copy, someone else's edit among them).
    const hijack = ev(4, 'bob', 12, { kind: 'edit', target: m1.id, text: 'hijacked' })
    expect(versionsOf(m1, [second, hijack, first, second]).map(v => v.text)).toEqual(['first', 'second'])
    s.add(ev(3, 'ann', 5, { kind: 'delete', target: m1.id }))
    expect(s.view(m1)).toEqual({ text: '', edited: false, deleted: true, reactions: [] })
  })

  it('keeps only what can still win: an author editing one message without end does not hold every version in memory', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const s = new EditState()
    gc()
    const before = process.memoryUsage().heapUsed
    // 2,000 edits of 64 KiB each: 128 MiB if each were kept.
    for (let i = 0; i < 2_000; i++) s.add(ev(100 + i, 'ann', 10 + i, { kind: 'edit', target: m1.id, text: `${i}:${Buffer.alloc(64 * 1024, 97 + (i % 26)).toString('latin1')}` }))
    gc()
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 2 ** 20)
    expect(s.view(m1).text.startsWith('1999:')).toBe(true)
  })

  it('a reaction taken back stays off until put on again later', () => {
    const s = new EditState()
    s.add(ev(2, 'bob', 6, { kind: 'react', target: m1.id, emoji: '🎉', on: false }))
    s.add(ev(1, 'bob', 5, { kind: 'react', target: m1.id, emoji: '🎉', on: true }))
    expect(s.view(m1).reactions).toEqual([])
    s.add(ev(3, 'bob', 7, { kind: 'react', target: m1.id, emoji: '🎉', on: true }))
    expect(s.view(m1).reactions).toEqual([{ emoji: '🎉', by: ['bob'] }])
  })

  it('a pin: the latest in (Lamport, author) order written in the message\'s own room decides, by whom; one from another room counts nowhere; a deleted message is not pinned', () => {
    const s = new EditState()
    const inLobby = { ...m1, room: 'lobby' }
    const pin = (n: number, author: string, lamport: number, on: boolean, room = 'lobby'): ActionEvent => ({ ...ev(n, author, lamport, { kind: 'pin', target: m1.id, on }), room, sentAt: 1000 + n })
    s.add(pin(1, 'bob', 5, true))
    expect(s.view(inLobby).pinned).toEqual({ by: 'bob', at: 1001 })
    // Later, but written in another room: ignored (and it does not hide the lobby's own).
    s.add(pin(2, 'cat', 9, false, 'other'))
    expect(s.view(inLobby).pinned).toEqual({ by: 'bob', at: 1001 })
    // Same Lamport time: the greater author wins, whichever came first.
    s.add(pin(4, 'dan', 6, true))
    s.add(pin(3, 'cat', 6, false))
    expect(s.view(inLobby).pinned).toEqual({ by: 'dan', at: 1004 })
    s.add(pin(5, 'cat', 7, false))
    expect(s.view(inLobby).pinned).toBeUndefined()
    s.add(pin(6, 'ann', 8, true))
    expect(s.view(inLobby).pinned).toEqual({ by: 'ann', at: 1006 })
    s.add(ev(7, 'ann', 10, { kind: 'delete', target: m1.id }))
    expect(s.view(inLobby)).toEqual({ text: '', edited: false, deleted: true, reactions: [] })
  })

  it('refuses a bad target, an empty edit and a bad emoji (InvalidMessageError)', () => {
    expect(() => validateAction({ kind: 'delete', target: 'nope' })).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
    expect(() => validateAction({ kind: 'edit', target: m1.id, text: '  ' })).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
    expect(() => validateAction({ kind: 'react', target: m1.id, emoji: 'x'.repeat(33), on: true })).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
    expect(() => validateAction({ kind: 'react', target: m1.id, emoji: '👍', on: true })).not.toThrow()
  })
})

/** A peer of the simulation: the real causal log and clock, the real edit state, no network. */
class SimPeer {
  readonly log = new CausalLog(new MemoryIndex())
  readonly clock = new LamportClock()
  readonly edits = new EditState()
  readonly delivered: ChatMessage[] = []
  constructor (readonly id: string, readonly actions: Map<string, MessageAction>) {}

  /** `room`: where it is written (a pin written elsewhere than its target must count nowhere). */
  send (nextId: () => string, action?: MessageAction, room = 'lobby'): ChatMessage {
    const prev = this.log.last(this.id)
    const deps = this.log.depsFor(this.id)
    // The target is a dependency: causal delivery holds the event until the target is there.
    if (action !== undefined && action.target !== prev?.id && !deps.includes(action.target)) deps.push(action.target)
    const lamport = this.clock.tick()
    const m: ChatMessage = {
      id: nextId(), room, author: this.id, name: this.id, text: action === undefined ? 'hi' : action.kind,
      lamport, sentAt: 1000 + lamport, seq: (prev?.seq ?? 0) + 1, prev: prev?.id ?? '', deps, sig: new Uint8Array([1])
    }
    if (action !== undefined) this.actions.set(m.id, action)
    this.receive(m)
    return m
  }

  receive (m: ChatMessage): void {
    for (const d of this.log.add(m).delivered) {
      if (d.author !== this.id) this.clock.receive(d.lamport)
      const action = this.actions.get(d.id)
      if (action !== undefined) {
        // Never applied before its target: the target was delivered first.
        expect(this.log.isDelivered(action.target), `${this.id} got an event before its target`).toBe(true)
        this.edits.add({ id: d.id, author: d.author, lamport: d.lamport, room: d.room, sentAt: d.sentAt, action })
      }
      this.delivered.push(d)
    }
  }

  messages (): ChatMessage[] { return this.delivered.filter(m => !this.actions.has(m.id)) }

  /** What a person sees: every message by id, as the edit state shows it. */
  visible (): Record<string, Visible> {
    return Object.fromEntries(this.messages().map(m => [m.id, this.edits.view(m)]))
  }
}

const op = fc.oneof(
  fc.record({ op: fc.constant('send' as const), peer: fc.nat(2) }),
  fc.record({ op: fc.constant('edit' as const), peer: fc.nat(2), pick: fc.nat(), text: fc.constantFrom('one', 'two', 'three') }),
  fc.record({ op: fc.constant('delete' as const), peer: fc.nat(2), pick: fc.nat() }),
  fc.record({ op: fc.constant('react' as const), peer: fc.nat(2), pick: fc.nat(), emoji: fc.constantFrom('👍', '🎉', '❤️'), on: fc.boolean() }),
  // A pin or an unpin by anyone; now and then written in another room than its target's (it must count nowhere).
  fc.record({ op: fc.constant('pin' as const), peer: fc.nat(2), pick: fc.nat(), on: fc.boolean(), room: fc.constantFrom('lobby', 'other') }),
  // The network: one message, any one the sender has, to one peer (reordered, duplicated), or dropped.
  fc.record({ op: fc.constant('deliver' as const), from: fc.nat(2), to: fc.nat(2), pick: fc.nat(), twice: fc.boolean() }),
  fc.record({ op: fc.constant('sync' as const), a: fc.nat(2), b: fc.nat(2) })
)

describe('edits, deletes and reactions over a simulated network', () => {
  it('every peer ends in the same visible state, and no event is applied before its target', () => {
    let pinRuns = 0
    fc.assert(fc.property(fc.array(op, { maxLength: 80 }), fc.boolean(), (ops, healed) => {
      let n = 0
      const nextId = (): string => id(`m${++n}`)
      const actions = new Map<string, MessageAction>()
      const peers = ['ann', 'bob', 'cat'].map(p => new SimPeer(p, actions))
      const sent: ChatMessage[] = []
      for (const o of ops) {
        switch (o.op) {
          case 'send': sent.push(peers[o.peer]!.send(nextId)); break
          case 'edit': case 'delete': case 'react': {
            const p = peers[o.peer]!
            const known = p.messages()
            if (known.length === 0) break
            // Any message, not only the peer's own: the state must ignore edits by others.
            const target = known[o.pick % known.length]!.id
            const action: MessageAction = o.op === 'edit' ? { kind: 'edit', target, text: o.text } : o.op === 'delete' ? { kind: 'delete', target } : { kind: 'react', target, emoji: o.emoji, on: o.on }
            sent.push(p.send(nextId, action))
            break
          }
          case 'pin': {
            const p = peers[o.peer]!
            const known = p.messages().filter(m => m.room === 'lobby')
            if (known.length === 0) break
            sent.push(p.send(nextId, { kind: 'pin', target: known[o.pick % known.length]!.id, on: o.on }, o.room))
            break
          }
          case 'deliver': {
            const from = peers[o.from]!.delivered
            if (from.length === 0 || o.from === o.to) break
            const m = from[o.pick % from.length]!
            peers[o.to]!.receive(m)
            if (o.twice) peers[o.to]!.receive(m)
            break
          }
          case 'sync': if (o.a !== o.b) syncAll([peers[o.a]!, peers[o.b]!]); break
        }
      }
      if (!healed) return
      syncAll(peers)
      const [first, ...rest] = peers.map(p => p.visible())
      for (const v of rest) expect(v).toEqual(first)
      // The same state from the events in any other order (a page of history loaded later, say).
      const shuffled = new EditState()
      for (const m of [...sent].reverse()) {
        const action = actions.get(m.id)
        if (action !== undefined) shuffled.add({ id: m.id, author: m.author, lamport: m.lamport, room: m.room, sentAt: m.sentAt, action })
      }
      expect(Object.fromEntries(peers[0]!.messages().map(m => [m.id, shuffled.view(m)]))).toEqual(first)
      // Only the author's edits and deletes count.
      for (const m of peers[0]!.messages()) {
        const shown = first![m.id]!
        const own = (kind: MessageAction['kind']): boolean => sent.some(e => e.author === m.author && actions.get(e.id)?.kind === kind && actions.get(e.id)?.target === m.id)
        expect(shown.deleted).toBe(own('delete'))
        expect(shown.edited).toBe(own('edit') && !shown.deleted)
        // Pinned as the latest pin event written in its own room says, by that event's author; never once deleted.
        const pins = sent.filter(e => e.room === m.room && actions.get(e.id)?.kind === 'pin' && actions.get(e.id)?.target === m.id)
          .sort((x, y) => x.lamport - y.lamport || (x.author < y.author ? -1 : x.author > y.author ? 1 : x.id < y.id ? -1 : 1))
        const last = pins.at(-1)
        const on = last !== undefined && (actions.get(last.id) as { on: boolean }).on && !shown.deleted
        expect(shown.pinned).toEqual(on ? { by: last.author, at: last.sentAt } : undefined)
      }
      // The property holds something: pins were made in some runs (counted below).
      if (sent.some(e => actions.get(e.id)?.kind === 'pin')) pinRuns++
    }), { numRuns: 200 })
    expect(pinRuns).toBeGreaterThan(0)
  })
})
