import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeBody, encodeEnvelope, messageFromBody, redact } from '../main/net/codec.js'
import { decodeBody } from '../main/net/body.js'
import { Action, Body } from '../main/net/pb/chat.js'
import { actionOf, PIN_TEXT } from '../main/core/edits.js'
import type { UnsignedMessage } from '../main/core/message.js'

const id = (n: string): string => createHash('sha256').update(n).digest('hex')
const target = id('target')
const base: UnsignedMessage = { room: 'lobby', author: 'ann', name: 'Ann', text: 'hello again', lamport: 7, sentAt: 1, seq: 2, prev: id('prev'), deps: [target] }

describe('edits, deletes and reactions on the wire (Body field 14)', () => {
  it('each kind comes back as it was sent, and becomes the event the edit state takes', () => {
    for (const action of [{ kind: 'edit', target }, { kind: 'delete', target }, { kind: 'react', target, emoji: '👍' }, { kind: 'unreact', target, emoji: '👍' }] as const) {
      const m = messageFromBody(encodeBody({ ...base, action }), new Uint8Array(0))
      expect(m.action).toEqual(action)
    }
    const edit = messageFromBody(encodeBody({ ...base, action: { kind: 'edit', target } }), new Uint8Array(0))
    expect(actionOf(edit)).toEqual({ id: edit.id, author: 'ann', lamport: 7, action: { kind: 'edit', target, text: 'hello again' } })
  })

  it('is additive: a message without an action has the bytes (and so the id) it had before', () => {
    const { room, author, name, text, lamport, sentAt, seq } = base
    const before = Body.encode({ room, author, name, text, lamport, sentAt, seq, prev: Uint8Array.from(Buffer.from(base.prev, 'hex')), deps: [Uint8Array.from(Buffer.from(target, 'hex'))] })
    expect(Buffer.from(encodeBody(base)).equals(Buffer.from(before))).toBe(true)
  })

  it('refuses an action whose target is not a dependency (InvalidMessageError), a bad emoji, or an unknown kind (FrameError)', () => {
    const stray = encodeBody({ ...base, deps: [], action: { kind: 'delete', target } })
    expect(() => messageFromBody(stray, new Uint8Array(0))).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
    const long = encodeBody({ ...base, action: { kind: 'react', target, emoji: '👍'.repeat(9) } })
    expect(() => messageFromBody(long, new Uint8Array(0))).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
    const bare = encodeBody({ ...base, action: { kind: 'react', target } })
    expect(() => messageFromBody(bare, new Uint8Array(0))).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
    const unknown = Body.encode({ room: 'lobby', action: { target: Buffer.from(target, 'hex'), kind: Action.Kind.KIND_UNSPECIFIED, emoji: '' } })
    expect(() => decodeBody(unknown, 64)).toThrow(expect.objectContaining({ name: 'FrameError' }))
  })

  it('a tombstone travels without its words under its original id, and one with words or a signature is refused', () => {
    const m = messageFromBody(encodeBody({ ...base, replyTo: target }), Uint8Array.from([1, 2, 3]))
    const original = m.id
    redact(m)
    expect(m).toMatchObject({ id: original, text: '', redacted: true, replyTo: target })
    expect(m.sig.byteLength).toBe(0)
    const bytes = encodeEnvelope(m)
    expect(Buffer.from(bytes).includes(Buffer.from('hello again'))).toBe(false)
    const back = decodeEnvelope(bytes)
    expect(back).toMatchObject({ id: original, text: '', redacted: true, seq: 2, prev: base.prev, deps: [target] })
    // The body itself no longer hashes to the id: only the author's chain vouches for it.
    expect(createHash('sha256').update(encodeBody(back)).digest('hex')).not.toBe(original)
    expect(() => messageFromBody(encodeBody(base), new Uint8Array(0), false, original)).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
    expect(() => messageFromBody(encodeBody({ ...base, text: '' }), new Uint8Array(64), false, original)).toThrow(expect.objectContaining({ name: 'InvalidMessageError' }))
  })
})

/** The body with its top-level field `from` renumbered `to` (same wire type, same bytes). */
function renumber (body: Uint8Array, from: number, to: number): Uint8Array {
  const out: number[] = []
  let at = 0
  const varint = (): number => { let v = 0; let s = 1; for (;;) { const b = body[at++]!; v += (b & 0x7f) * s; if (b < 0x80) return v; s *= 128 } }
  const put = (v: number): void => { while (v >= 0x80) { out.push((v % 128) | 0x80); v = Math.floor(v / 128) } out.push(v) }
  while (at < body.length) {
    const tag = varint()
    const field = Math.floor(tag / 8)
    const wire = tag % 8
    put((field === from ? to : field) * 8 + wire)
    if (wire === 0) put(varint())
    else if (wire === 2) { const len = varint(); put(len); out.push(...body.subarray(at, at + len)); at += len } else throw new Error(`wire type ${wire}`)
  }
  return Uint8Array.from(out)
}

describe('pins on the wire (Body field 15, never field 14)', () => {
  it('a pin and an unpin come back as sent, and become the event the edit state takes, with their room and time', () => {
    for (const kind of ['pin', 'unpin'] as const) {
      const m = messageFromBody(encodeBody({ ...base, text: PIN_TEXT, action: { kind, target } }), new Uint8Array(0))
      expect(m.action).toEqual({ kind, target })
      expect(actionOf(m)).toEqual({ id: m.id, author: 'ann', lamport: 7, room: 'lobby', sentAt: 1, action: { kind: 'pin', target, on: kind === 'pin' } })
    }
    // Field 15, not an action of field 14: an older build refuses a field-14 kind it does not know.
    const body = Body.decode(encodeBody({ ...base, text: PIN_TEXT, action: { kind: 'pin', target } }))
    expect(body.action).toBeUndefined()
    expect(body.pin).toEqual({ target: Uint8Array.from(Buffer.from(target, 'hex')), on: true })
  })

  it('a build that does not know field 15 skips it and keeps the text "📌 pinned a message"', () => {
    const bytes = encodeBody({ ...base, text: PIN_TEXT, action: { kind: 'pin', target } })
    // To an older build field 15 is as unknown as field 16 is to this one: the same bytes under a number it never read.
    const older = decodeBody(renumber(bytes, 15, 16), 64)
    expect(older.text).toBe('\u{1F4CC} pinned a message')
    expect(older.action).toBeUndefined()
    expect(decodeBody(bytes, 64).action).toEqual({ kind: 'pin', target })
  })

  it('refuses a body with both an action and a pin, and a pin of no message (FrameError)', () => {
    const both = Body.encode({ room: 'lobby', action: { target: Buffer.from(target, 'hex'), kind: Action.Kind.EDIT, emoji: '' }, pin: { target: Buffer.from(target, 'hex'), on: true } })
    expect(() => decodeBody(both, 64)).toThrow(expect.objectContaining({ name: 'FrameError' }))
    const short = Body.encode({ room: 'lobby', pin: { target: Buffer.from('abcd', 'hex'), on: true } })
    expect(() => decodeBody(short, 64)).toThrow(expect.objectContaining({ name: 'FrameError' }))
  })
})
