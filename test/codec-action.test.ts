import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeBody, encodeEnvelope, messageFromBody, redact } from '../main/net/codec.js'
import { decodeBody } from '../main/net/body.js'
import { Action, Body } from '../main/net/pb/chat.js'
import { actionOf } from '../main/core/edits.js'
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
