/**
 * The diagram's causal relations, on a hand-made history: the lecture's
 * Sally/James/Henry example plus one message written concurrently.
 */
import { describe, expect, it } from 'vitest'
import type { MessageView } from '../chat/types.js'
import { buildTrace } from './trace.js'

const msg = (id: string, author: string, lamport: number, deps: string[], room = 'lobby'): MessageView =>
  ({ id, room, author, name: author, text: id, lamport, sentAt: lamport, deps })

describe('buildTrace', () => {
  const missing = msg('missing', 'sally', 1, [])
  const offTopic = msg('offtopic', 'henry', 1, [], 'other')
  const fine = msg('fine', 'sally', 2, ['missing'])
  const relief = msg('relief', 'james', 4, ['fine'])
  const unrelated = msg('unrelated', 'henry', 2, ['offtopic'])
  const history = [missing, fine, unrelated, relief]
  const receipts = new Map([['fine', [{ by: 'james', lamport: 3, at: 0 }, { by: 'henry', lamport: 5, at: 0 }, { by: 'sally', lamport: 9, at: 0 }]]])
  const trace = buildTrace({
    room: 'lobby', self: { peerId: 'henry', name: 'Henry' }, mode: 'p2p', history, all: [...history, offTopic],
    receiptsOf: (id) => receipts.get(id) ?? [], names: new Map([['james', 'James']])
  })
  const of = (id: string) => trace.messages.find((m) => m.id === id)!

  it('puts a reply after everything its author had seen, transitively', () => {
    expect(new Set(of('relief').past)).toEqual(new Set(['fine', 'missing']))
    expect(of('missing').past).toEqual([])
  })

  it('marks messages concurrent when neither is in the other past, across rooms', () => {
    expect(new Set(of('unrelated').concurrent)).toEqual(new Set(['missing', 'fine', 'relief']))
    expect(of('relief').concurrent).toEqual(['unrelated'])
  })

  it('keeps receipts by others, in Lamport order, and one line per peer with this app first', () => {
    expect(of('fine').receipts.map((r) => r.by)).toEqual(['james', 'henry'])
    expect(trace.peers.map((p) => p.name)).toEqual(['Henry', 'James', 'sally'])
  })

  it('draws only the latest messages and says how many it left out', () => {
    const short = buildTrace({ room: 'lobby', self: { peerId: 'henry', name: 'Henry' }, mode: 'p2p', history, all: history, receiptsOf: () => [], names: new Map(), limit: 2 })
    expect(short.messages.map((m) => m.id)).toEqual(['unrelated', 'relief'])
    expect(short.omitted).toBe(2)
    // The path relief -> fine still counts although 'fine' is not drawn; 'missing' is out of range.
    expect(short.messages[1]!.past).toEqual([])
  })
})
