/**
 * The ephemeral frames on both wires: typing and presence round-trip in the
 * mesh's Frame and the hub's HubFrame, and junk in them is a frame error
 * (which closes only the link it came on), never a crash.
 */
import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeFrame } from '../main/net/codec.js'
import { decodeHubFrame, encodeHubFrame } from '../main/net/hub-codec.js'
import { Frame as PbFrame, HubFrame as PbHubFrame, Presence, PresenceClaim } from '../main/net/pb/chat.js'
import { decodeClaim, encodeClaim } from '../main/net/live-codec.js'

describe('typing and presence frames', () => {
  it('round-trip on the mesh and the hub stream', () => {
    expect(decodeFrame(encodeFrame({ type: 'typing', room: 'lobby' }))).toEqual({ type: 'typing', room: 'lobby' })
    expect(decodeFrame(encodeFrame({ type: 'typing', room: 'dm:abc', to: 'peer-b' }))).toEqual({ type: 'typing', room: 'dm:abc', to: 'peer-b' })
    // ONLINE is protobuf's default (0): a frame carrying only it must still decode as presence.
    expect(decodeFrame(encodeFrame({ type: 'presence', state: 'online' }))).toEqual({ type: 'presence', state: 'online' })
    expect(decodeFrame(encodeFrame({ type: 'presence', state: 'away' }))).toEqual({ type: 'presence', state: 'away' })
    const forwarded = { type: 'presence' as const, state: 'offline' as const, peer: 'peer-a', name: 'Alice', lastSeen: 1_700_000_000_000 }
    expect(decodeHubFrame(encodeHubFrame(forwarded))).toEqual(forwarded)
    expect(decodeHubFrame(encodeHubFrame({ type: 'typing', room: 'lobby', peer: 'peer-a', name: 'Alice' }))).toEqual({ type: 'typing', room: 'lobby', peer: 'peer-a', name: 'Alice' })
  })

  it('refuses a bad room, an unknown state and a frame that carries two kinds', () => {
    const typing = (room: string): Uint8Array => PbFrame.encode({ messages: [], receipts: [], answer: false, typing: { room, to: '', peer: '', name: '', among: [] } })
    expect(() => decodeFrame(typing(''))).toThrow(expect.objectContaining({ name: 'FrameError' }))
    expect(() => decodeFrame(typing('x'.repeat(65)))).toThrow(expect.objectContaining({ name: 'FrameError' }))
    expect(() => decodeFrame(typing('a\u0000b'))).toThrow(expect.objectContaining({ name: 'FrameError' }))
    const two = PbHubFrame.encode({ submit: [], deliver: [], typing: { room: 'lobby', to: '', peer: '', name: '', among: [] }, presence: { state: Presence.State.AWAY, peer: '', name: '', lastSeen: 0, staying: false, statusUntil: 0 } })
    expect(() => decodeHubFrame(two)).toThrow(expect.objectContaining({ name: 'HubFrameError' }))
    // State 7 does not exist: written by hand (field 9, a message with field 1 = 7).
    expect(() => decodeFrame(Uint8Array.from([0x4a, 0x02, 0x08, 0x07]))).toThrow(expect.objectContaining({ name: 'FrameError' }))
  })

  it('carry a status: set, cleared (empty) or left as it was (absent); a line break reads as a space, one too long is refused', () => {
    const refuse = (reason: string): Error => new Error(reason)
    expect(decodeHubFrame(encodeHubFrame({ type: 'presence', state: 'away', peer: 'peer-a', name: 'Alice', status: 'In a meeting' }))).toMatchObject({ status: 'In a meeting' })
    expect(decodeFrame(encodeFrame({ type: 'presence', state: 'online', status: '' }))).toEqual({ type: 'presence', state: 'online', status: '' })
    expect(decodeFrame(encodeFrame({ type: 'presence', state: 'online' }))).not.toHaveProperty('status')
    const presence = (status: string): Uint8Array => PbFrame.encode({ messages: [], receipts: [], answer: false, presence: { state: Presence.State.ONLINE, peer: '', name: '', lastSeen: 0, staying: false, status, statusUntil: 0 } })
    expect(decodeFrame(presence('back\r\nat 3'))).toMatchObject({ status: 'back at 3' })
    expect(() => decodeFrame(presence('x'.repeat(81)))).toThrow(expect.objectContaining({ name: 'FrameError' }))
    // In a signed claim: what the author sent, or none from an older peer that has no such field.
    const claim = { peer: 'peer-a', name: 'Alice', state: 'online' as const, at: 1 }
    expect(decodeClaim(encodeClaim({ ...claim, status: 'Back on Monday' }), refuse).status).toBe('Back on Monday')
    expect(decodeClaim(PresenceClaim.encode({ ...claim, state: 0, status: '', statusUntil: 0 }), refuse).status).toBe('')
    expect(() => decodeClaim(encodeClaim({ ...claim, status: 'x'.repeat(81) }), refuse)).toThrow(/status longer than 80/)
  })

  it('carry when a status clears itself, with the status only; none from an older peer; a time past what a number holds is refused', () => {
    const refuse = (reason: string): Error => new Error(reason)
    const until = 1_800_000_000_000
    expect(decodeFrame(encodeFrame({ type: 'presence', state: 'online', status: 'Lunch', statusUntil: until }))).toEqual({ type: 'presence', state: 'online', status: 'Lunch', statusUntil: until })
    expect(decodeHubFrame(encodeHubFrame({ type: 'presence', state: 'offline', peer: 'peer-a', name: 'Alice', lastSeen: 5, status: 'Lunch', statusUntil: until }))).toMatchObject({ status: 'Lunch', statusUntil: until })
    // A time without words means nothing, and is not carried or read.
    expect(decodeFrame(encodeFrame({ type: 'presence', state: 'online', status: '', statusUntil: until }))).toEqual({ type: 'presence', state: 'online', status: '' })
    const presence = (status: string, statusUntil: number): Uint8Array => PbFrame.encode({ messages: [], receipts: [], answer: false, presence: { state: Presence.State.ONLINE, peer: '', name: '', lastSeen: 0, staying: false, status, statusUntil } })
    expect(decodeFrame(presence('', until))).not.toHaveProperty('statusUntil')
    // Written by hand (no encoder writes it): field 9 holding status "Lunch" (field 6) and status_until 2^60 (field 7).
    const varint = (n: bigint): number[] => { const out: number[] = []; while (n >= 0x80n) { out.push(Number(n & 0x7fn) | 0x80); n >>= 7n } return [...out, Number(n)] }
    const body = [0x32, 5, ...new TextEncoder().encode('Lunch'), 0x38, ...varint(2n ** 60n)]
    expect(() => decodeFrame(Uint8Array.from([0x4a, body.length, ...body]))).toThrow(expect.objectContaining({ name: 'FrameError' }))
    // Past the last time a Date holds: "until Invalid Date" is never shown.
    expect(() => decodeFrame(presence('Lunch', 8.64e15 + 1))).toThrow(expect.objectContaining({ name: 'FrameError' }))
    const claim = { peer: 'peer-a', name: 'Alice', state: 'online' as const, at: 1 }
    expect(decodeClaim(encodeClaim({ ...claim, status: 'Lunch', statusUntil: until }), refuse)).toMatchObject({ status: 'Lunch', statusUntil: until })
    expect(decodeClaim(encodeClaim({ ...claim, status: 'Lunch' }), refuse)).not.toHaveProperty('statusUntil')
    const signedBytes = [...PresenceClaim.encode({ ...claim, state: 0, status: 'Lunch', statusUntil: 0 }), 0x30, ...varint(2n ** 60n)]
    expect(() => decodeClaim(Uint8Array.from(signedBytes), refuse)).toThrow(/bad status time|claim/)
  })
})
