import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBody } from '../main/net/body.js'
import { Body } from '../main/net/pb/chat.js'

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 })
const body = fc.record({
  room: fc.string({ maxLength: 70 }),
  author: fc.string({ maxLength: 60 }),
  name: fc.string({ maxLength: 70 }),
  text: fc.string({ unit: 'grapheme', maxLength: 300 }),
  lamport: fc.maxSafeNat(),
  sentAt: fc.maxSafeNat(),
  seq: fc.maxSafeNat(),
  prev: fc.oneof(fc.constant(new Uint8Array(0)), bytes32),
  deps: fc.array(bytes32, { maxLength: 40 }),
  replyTo: fc.oneof(fc.constant(new Uint8Array(0)), bytes32),
  // Private messages (issue 16): the sealed text and a DM's recipient.
  sealed: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: 1, maxLength: 200 })),
  to: fc.string({ maxLength: 60 })
})
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('the hand-written Body decoder reads what protons writes', () => {
  it('decodes every encoded body to the same fields as the generated decoder', () => {
    fc.assert(fc.property(body, (b) => {
      const encoded = Body.encode(b as Body)
      const ref = Body.decode(encoded, { limits: { deps: 64 } })
      const ours = decodeBody(encoded, 64)
      expect({ ...ours, sealed: ours.sealed === undefined ? '' : hex(ours.sealed) }).toEqual({
        room: ref.room, author: ref.author, name: ref.name, text: ref.text,
        lamport: ref.lamport, sentAt: ref.sentAt, seq: ref.seq,
        prev: hex(ref.prev), deps: ref.deps.map(hex), replyTo: hex(ref.replyTo),
        sealed: hex(ref.sealed), to: ref.to
      })
    }), { numRuns: 300 })
  })

  it('skips unknown fields of every wire type, as protobuf does', () => {
    const known = Body.encode({ room: 'lobby', text: 'hi', seq: 3 })
    // field 20 varint 300, field 21 fixed64, field 22 bytes "xyz", field 23 fixed32
    const unknown = Uint8Array.of(0xa0, 0x01, 0xac, 0x02, 0xa9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0xb2, 0x01, 3, 0x78, 0x79, 0x7a, 0xbd, 0x01, 1, 2, 3, 4)
    const d = decodeBody(Uint8Array.from([...unknown, ...known]), 64)
    expect(d).toMatchObject({ room: 'lobby', text: 'hi', seq: 3, prev: '', deps: [] })
  })

  it('refuses truncated, malformed or over-limit bodies with FrameError', () => {
    const good = Body.encode({ room: 'lobby', text: 'hello there', seq: 1, deps: [new Uint8Array(32)] })
    for (let cut = 1; cut < good.byteLength; cut++) {
      // Every strict prefix that ends inside a field must throw; one that ends on a field boundary is a valid shorter body.
      try { decodeBody(good.subarray(0, cut), 64) } catch (err) { expect((err as Error).name).toBe('FrameError') }
    }
    expect(() => decodeBody(Uint8Array.of(0x0a, 5, 0x61), 64)).toThrow(expect.objectContaining({ name: 'FrameError' }))
    expect(() => decodeBody(Uint8Array.of(0x08, 1), 64)).toThrow(expect.objectContaining({ name: 'FrameError' })) // room as a varint
    expect(() => decodeBody(Uint8Array.of(0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 64)).toThrow(expect.objectContaining({ name: 'FrameError' }))
    expect(() => decodeBody(Uint8Array.of(0x07), 64)).toThrow(expect.objectContaining({ name: 'FrameError' })) // field 0
    const many = Body.encode({ deps: Array.from({ length: 65 }, () => new Uint8Array(32)) })
    expect(() => decodeBody(many, 64)).toThrow(expect.objectContaining({ name: 'FrameError' }))
  })
})
