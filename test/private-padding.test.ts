/**
 * Private texts are padded before they are sealed, so that the sealed length
 * a relay, another peer or the hub sees no longer tells a "yes" from a
 * paragraph, a reaction from a text, a control from a message. Only to readers
 * whose build opens the padded format (its hello or claim says PADDED_LEVEL):
 * a peer announcing an older level is sent what it opens, and the padded and
 * unpadded formats both open here; a padded text padded wrong is refused.
 * Real engines on loopback; older or hostile peers are stock libp2p nodes.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { xchacha } from '../main/chat/aead.js'
import { associatedData, dmRoom, Keyring, open, seal } from '../main/chat/private.js'
import { bucketOf } from '../main/chat/padding.js'
import { controlText } from '../main/chat/private-rooms.js'
import { readInvite, type Invite } from '../main/core/invite.js'
import { MAX_SEALED_BYTES, MAX_TEXT_BYTES } from '../main/core/limits.js'
import { validateMessage, type ChatMessage } from '../main/core/message.js'
import { decodeFrame } from '../main/net/codec.js'
import { PADDED_LEVEL } from '../main/core/build.js'
import { FEATURE_LEVEL } from '../main/net/constants.js'
import { ChatDb } from '../main/store/db.js'
import { Attacker } from './helpers/attacker.js'
import { cleanupHubs, startClient, startHub, stopClient } from './helpers/hub.js'
import { capture } from './helpers/plaintext.js'
import { cleanup, connect, keepApart, lineUp, startPeer, until, type TestPeer } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

const PARAGRAPH = 'We moved the design review to Thursday at ten, in the big room on the second floor; bring the printed mock-ups and the notes from last week, and tell Carol that the budget line for the new screens is still open until Friday.'
const ANSWER = 'yes'

/** How a build from before padding opens a sealed text: the bare UTF-8, decoded fatally (it throws on a padded one). */
function olderOpen (key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(xchacha.open(key, sealed.subarray(0, 24), aad, sealed.subarray(24)))
}

/** A plaintext sealed as is, whatever its bytes (a hostile peer's). */
function sealRaw (key: Uint8Array, plain: Uint8Array, aad: Uint8Array): Uint8Array {
  const nonce = randomBytes(24)
  return new Uint8Array([...nonce, ...xchacha.seal(key, nonce, aad, plain)])
}

/** The messages in the frames a peer received. */
function relayed (frames: Buffer[]): ChatMessage[] {
  return frames.flatMap(f => {
    const frame = decodeFrame(f)
    return frame.type === 'messages' ? frame.messages.map(r => r.message) : []
  })
}

/** The sealed length of each distinct message a relay saw in `room`, in the order it first saw them. */
function sealedLengths (frames: Buffer[], room: string): number[] {
  const seen = new Map<string, number>()
  for (const m of relayed(frames)) if (m.room === room && m.sealed !== undefined && !seen.has(m.id)) seen.set(m.id, m.sealed.byteLength)
  return [...seen.values()]
}

/** The messages a stock node was sent. */
const receivedBy = (peer: Attacker): ChatMessage[] => peer.received.flatMap(f => f.type === 'messages' ? f.messages.map(r => r.message) : [])

const knowsBuild = (p: Pick<TestPeer, 'engine'>, peerId: string): boolean =>
  p.engine.peers().find(x => x.peerId === peerId)?.build?.level === FEATURE_LEVEL

/** A stock node that says hello as a build of `level` does. */
async function olderPeer (addr: string, name: string, level: number): Promise<Attacker> {
  const peer = await Attacker.connect(addr, name, { hello: false })
  peer.frame({ type: 'hello', name, version: 1, app: { version: '0.1.0', level } })
  return peer
}

describe('the sizes of padded private texts', () => {
  it('every text up to the limit seals to a bucket a receiver accepts, and opens as it was', () => {
    const key = randomBytes(32)
    const aad = associatedData({ room: 'dm:x', author: 'a', to: 'b' })
    const size = (text: string): number => seal(key, text, aad, true).byteLength - 40
    for (const text of ['', 'y', ANSWER, '👍', controlText({ t: 'join' }), PARAGRAPH]) expect(size(text), text).toBe(256)
    expect(size('x'.repeat(254))).toBe(256)
    expect(size('x'.repeat(255))).toBe(512)
    expect(size('x'.repeat(4094))).toBe(4096)
    expect(size('x'.repeat(4095))).toBe(8192)
    expect(size('x'.repeat(20_000))).toBe(32_768)
    expect(size('x'.repeat(MAX_TEXT_BYTES - 2))).toBe(MAX_TEXT_BYTES)
    // Too long to pad within what a receiver accepts: as older builds seal it (the longest bucket but a byte).
    expect(size('x'.repeat(MAX_TEXT_BYTES - 1))).toBe(MAX_TEXT_BYTES - 1)
    expect(bucketOf(MAX_TEXT_BYTES + 1)).toBeUndefined()
    // Texts whose last bytes look like padding (a NUL, a UTF-8 byte 0x80 as in "À") come back whole.
    for (const text of ['À', 'a\u0000', '\u0000\u0000', 'x'.repeat(MAX_TEXT_BYTES - 2), 'é'.repeat(3000)]) {
      const sealed = seal(key, text, aad, true)
      expect(sealed.byteLength).toBeLessThanOrEqual(MAX_SEALED_BYTES)
      expect(open(key, sealed, aad)).toBe(text)
      const m = { id: '0'.repeat(64), room: 'dm:x', author: 'a', name: 'a', text: '', sealed, to: 'b', lamport: 1, sentAt: 1, seq: 1, prev: '', deps: [], sig: new Uint8Array(0) } satisfies ChatMessage
      expect(() => { validateMessage(m) }).not.toThrow()
    }
  })
})

describe('padded direct messages', () => {
  it('a relay sees a "yes", a paragraph, a reaction and an edit of a DM as the same size; the recipient reads each', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    const c = await startPeer('cat')
    const bFrames = capture(b)
    await lineUp(a, b, c)
    // Cat's build reaches Ann through Ben (its signed claim): only then does Ann pad for it.
    await until('ann knows cat\'s build', () => knowsBuild(a, c.engine.peerId))
    const short = await a.engine.send('', ANSWER, { to: c.engine.peerId })
    await a.engine.send('', PARAGRAPH, { to: c.engine.peerId })
    await until('cat reads both', () => c.delivered().includes(ANSWER) && c.delivered().includes(PARAGRAPH))
    await c.engine.react('', short.id, '👍')
    await a.engine.edit('', short.id, 'no')
    await until('ann sees the reaction', () => a.engine.history(short.room).find(m => m.id === short.id)?.reactions?.[0]?.emoji === '👍')
    await until('cat sees the edit', () => c.engine.history(short.room).find(m => m.id === short.id)?.text === 'no')

    await until('ben relayed all four', () => sealedLengths(bFrames, short.room).length === 4)
    expect(sealedLengths(bFrames, short.room)).toEqual([296, 296, 296, 296])
    expect(c.engine.history(short.room).map(m => m.text)).toEqual(['no', PARAGRAPH])
  })

  it('a room\'s texts and controls are padded while every member opens that; once one on an older build is in, they are not', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    const aFrames = capture(a)
    await connect(a, c)
    const room = (await a.engine.createPrivateRoom('Board')).room
    await c.engine.joinInvite(a.engine.invite(room))
    await until('ann lists cat', () => a.engine.privateRooms().find(r => r.room === room)?.members.includes(c.engine.peerId) === true)
    await a.engine.send(room, ANSWER)
    await a.engine.send(room, PARAGRAPH)
    await until('cat reads both', () => c.delivered().includes(ANSWER) && c.delivered().includes(PARAGRAPH))
    // Cat's join came to Ann as the same size as the texts.
    expect(sealedLengths(aFrames, room)).toEqual([296])

    // Olga runs a build from before padding and joins with the invite: what Ann seals in the room from then on, Olga opens.
    const olga = await olderPeer(a.addr(), 'olga', PADDED_LEVEL - 1)
    await until('olga linked', () => a.engine.peers().some(p => p.peerId === olga.peerId && p.connected))
    const invite = readInvite(a.engine.invite(room)) as Invite
    const key = Buffer.from(invite.keys.at(-1)!, 'hex')
    const aad = (author: string): Uint8Array => associatedData({ room, author })
    await olga.send(await olga.message('', { room, sealed: seal(key, controlText({ t: 'join' }), aad(olga.peerId)) }))
    await until('ann lists olga', () => a.engine.privateRooms().find(r => r.room === room)?.members.includes(olga.peerId) === true)
    const after = await a.engine.send(room, ANSWER)
    await until('olga has it', () => receivedBy(olga).some(m => m.id === after.id))
    const got = receivedBy(olga).find(m => m.id === after.id)!
    expect(got.sealed!.byteLength).toBe(ANSWER.length + 40)
    expect(olderOpen(key, got.sealed!, aad(a.engine.peerId))).toBe(ANSWER)
    await until('cat reads it too', () => c.delivered().filter(t => t === ANSWER).length === 2)
    await olga.stop()
  })

  it('a recipient whose build says an older level is sent what it opens; one of this level, a padded text', async () => {
    const a = await startPeer('ann')
    const c = await startPeer('cat')
    await connect(a, c)
    const olga = await olderPeer(a.addr(), 'olga', PADDED_LEVEL - 1)
    await until('olga linked', () => a.engine.peers().some(p => p.peerId === olga.peerId && p.connected))
    await until('ann knows cat\'s build', () => knowsBuild(a, c.engine.peerId))

    const toOlga = await a.engine.send('', ANSWER, { to: olga.peerId })
    const toCat = await a.engine.send('', ANSWER, { to: c.engine.peerId })
    const sealedOf = (id: string): Uint8Array | undefined => receivedBy(olga).find(m => m.id === id)?.sealed
    await until('olga has hers and cat\'s', () => sealedOf(toOlga.id) !== undefined && sealedOf(toCat.id) !== undefined)
    const key = new Keyring(olga.peerId, olga.key).dmKey(a.engine.peerId)
    expect(olderOpen(key, sealedOf(toOlga.id)!, associatedData({ room: toOlga.room, author: a.engine.peerId, to: olga.peerId }))).toBe(ANSWER)
    expect(sealedOf(toOlga.id)!.byteLength).toBe(ANSWER.length + 40)
    expect(sealedOf(toCat.id)!.byteLength).toBe(296)
    await until('cat reads its own', () => c.delivered().includes(ANSWER))
    await olga.stop()
  })

  it('the hub stores a "yes" and a paragraph between two clients as the same size', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const c = await startClient('cat', h.addr())
    await until('both connected', () => a.engine.connected && c.engine.connected)
    // A client hears the other clients' builds from the hub.
    await until('ann knows cat\'s build', () => a.engine.presence().find(p => p.peerId === c.engine.peerId)?.build?.level === FEATURE_LEVEL)
    const room = dmRoom(a.engine.peerId, c.engine.peerId)
    const sent = [await a.engine.send('', ANSWER, { to: c.engine.peerId }), await a.engine.send('', PARAGRAPH, { to: c.engine.peerId })]
    await until('cat reads both', () => c.engine.history(room).length === 2)
    expect(c.engine.history(room).map(m => m.text)).toEqual([ANSWER, PARAGRAPH])
    // What the hub keeps on its disk.
    await cleanupHubs()
    const { db } = ChatDb.open(h.dataDir)
    try {
      expect(sent.map(m => db.messages('hub').get(m.id)?.message.sealed?.byteLength)).toEqual([296, 296])
    } finally {
      db.close()
    }
  })
})

describe('opening both formats', () => {
  it('an unpadded text still opens, a padded one too, and one padded wrong is refused without stopping the rest', async () => {
    const v = await startPeer('vic')
    const mallory = await Attacker.connect(v.addr(), 'mallory')
    await until('linked', () => v.engine.peers().some(p => p.peerId === mallory.peerId && p.connected))
    const room = dmRoom(mallory.peerId, v.engine.peerId)
    const key = new Keyring(mallory.peerId, mallory.key).dmKey(v.engine.peerId)
    const aad = associatedData({ room, author: mallory.peerId, to: v.engine.peerId })
    const dm = async (sealed: Uint8Array): Promise<ChatMessage> => await mallory.message('', { room, to: v.engine.peerId, sealed })
    const bytes = (...b: number[]): Uint8Array => new Uint8Array(b)
    const x = 0x78
    // The padded format as written down, not as this build's code makes it: 0xFF, the UTF-8, 0x80, zeros to 256 bytes.
    const byHand = (text: string): Uint8Array => {
      const plain = new Uint8Array(256)
      const utf8 = Buffer.from(text, 'utf8')
      plain.set([0xff, ...utf8, 0x80])
      return plain
    }
    const bad = [
      bytes(0xff, x, x, x), // no 0x80 before the zeros: no padding at all
      bytes(0xff, x, 0x80, 0x00, 0x07, 0x00), // something after the mark
      bytes(0xff, 0x00, 0x00, 0x00), // zeros alone
      bytes(0xff, 0xfe, x, 0x80, 0x00), // the text inside is not UTF-8
      bytes(0xff) // the mark alone, nothing else
    ]
    await mallory.send(
      await dm(seal(key, 'unpadded, as older builds seal', aad)),
      await dm(sealRaw(key, byHand('padded'), aad)),
      ...await Promise.all(bad.map(async plain => await dm(sealRaw(key, plain, aad)))),
      await dm(sealRaw(key, byHand('still here'), aad))
    )
    await until('the last one shows', () => v.delivered().includes('still here'))
    expect(v.delivered()).toEqual(['unpadded, as older builds seal', 'padded', 'still here'])
    await until('each bad one said', () => v.events.filter(e => e.type === 'error' && e.code === 'UnreadableMessageError').length === bad.length)
    expect(v.engine.history(room).map(m => m.text)).toEqual(['unpadded, as older builds seal', 'padded', 'still here'])
    await mallory.stop()
  })
})

describe('a private text that opens blank', () => {
  // A blank text is never sent (checkText), and a blank public one is dropped from the wire: a sealed one,
  // which a relay cannot tell, is not shown either, and said; the peer goes on, its link kept.
  const blanks = (key: Uint8Array, aad: Uint8Array): Uint8Array[] => [
    seal(key, '', aad, true), // padded: a whole bucket, like "yes"
    seal(key, ' \n\t ', aad, true),
    seal(key, '  ', aad) // unpadded, as an older build would seal it
  ]

  it('in a DM is not shown, not listed, and said as an InvalidMessageError', async () => {
    const v = await startPeer('vic')
    const mallory = await Attacker.connect(v.addr(), 'mallory')
    await until('linked', () => v.engine.peers().some(p => p.peerId === mallory.peerId && p.connected))
    const room = dmRoom(mallory.peerId, v.engine.peerId)
    const key = new Keyring(mallory.peerId, mallory.key).dmKey(v.engine.peerId)
    const aad = associatedData({ room, author: mallory.peerId, to: v.engine.peerId })
    const dm = async (sealed: Uint8Array): Promise<ChatMessage> => await mallory.message('', { room, to: v.engine.peerId, sealed })
    const bad = blanks(key, aad)
    await mallory.send(...await Promise.all(bad.map(dm)))
    await until('each blank one said', () => v.events.filter(e => e.type === 'error' && e.code === 'InvalidMessageError').length === bad.length)
    expect(v.engine.history(room)).toEqual([])
    expect(v.engine.dms().map(d => d.peerId)).not.toContain(mallory.peerId)
    await mallory.send(await dm(seal(key, 'still here', aad, true)))
    await until('the next one shows', () => v.delivered().includes('still here'))
    expect(v.delivered()).toEqual(['still here'])
    expect(v.engine.history(room).map(m => m.text)).toEqual(['still here'])
    expect(v.engine.peers().some(p => p.peerId === mallory.peerId && p.connected)).toBe(true)
    await mallory.stop()
  })

  it('in an invite-only room, from a member, is not shown there and said as an InvalidMessageError', async () => {
    const a = await startPeer('ann')
    const room = (await a.engine.createPrivateRoom('Board')).room
    const mallory = await Attacker.connect(a.addr(), 'mallory')
    await until('linked', () => a.engine.peers().some(p => p.peerId === mallory.peerId && p.connected))
    const invite = readInvite(a.engine.invite(room)) as Invite
    const key = Buffer.from(invite.keys.at(-1)!, 'hex')
    const aad = associatedData({ room, author: mallory.peerId })
    await mallory.send(await mallory.message('', { room, sealed: seal(key, controlText({ t: 'join' }), aad) }))
    await until('ann lists mallory', () => a.engine.privateRooms().find(r => r.room === room)?.members.includes(mallory.peerId) === true)
    const bad = blanks(key, aad)
    const sent = [
      ...await Promise.all(bad.map(async sealed => await mallory.message('', { room, sealed }))),
      await mallory.message('', { room, sealed: seal(key, 'still here', aad, true) })
    ]
    await mallory.send(...sent)
    await until('the last one shows', () => a.engine.history(room).some(m => m.text === 'still here'))
    await until('each blank one said', () => a.events.filter(e => e.type === 'error' && e.code === 'InvalidMessageError').length === bad.length)
    expect(a.engine.history(room).filter(m => m.note === undefined).map(m => m.text)).toEqual(['still here'])
    expect(a.delivered()).toEqual(['still here'])
    await mallory.stop()
  })
})

describe('a room message that opens but is no text', () => {
  it('is refused as such, not held as if no key of the room opened it (no "waiting for a key")', async () => {
    const a = await startPeer('ann')
    const room = (await a.engine.createPrivateRoom('Board')).room
    const mallory = await Attacker.connect(a.addr(), 'mallory')
    await until('linked', () => a.engine.peers().some(p => p.peerId === mallory.peerId && p.connected))
    const invite = readInvite(a.engine.invite(room)) as Invite
    const key = Buffer.from(invite.keys.at(-1)!, 'hex')
    const aad = associatedData({ room, author: mallory.peerId })
    const join = await mallory.message('', { room, sealed: seal(key, controlText({ t: 'join' }), aad) })
    await mallory.send(join)
    await until('ann lists mallory', () => a.engine.privateRooms().find(r => r.room === room)?.members.includes(mallory.peerId) === true)
    // Sealed with the room's own key, so it opens: only what it opens to is wrong (padded wrong, then not UTF-8).
    const bad = [new Uint8Array([0xff, 0x78, 0x78, 0x78]), new Uint8Array([0xfe, 0x78])]
    const sent = [
      ...await Promise.all(bad.map(async plain => await mallory.message('', { room, sealed: sealRaw(key, plain, aad) }))),
      await mallory.message('', { room, sealed: seal(key, 'still here', aad, true) })
    ]
    await mallory.send(...sent)
    await until('the last one shows', () => a.engine.history(room).some(m => m.text === 'still here'))
    await until('each bad one said', () => a.events.filter(e => e.type === 'error' && e.code === 'UnreadableMessageError').length === bad.length)
    const said = a.events.flatMap(e => e.type === 'error' && e.code === 'UnreadableMessageError' ? [e.message] : [])
    for (const message of said) expect(message).not.toMatch(/no key of the room we hold opens/)
    // The room does not wait for a key it holds: no banner, nothing kept for a key that would never come.
    expect(a.engine.privateRooms().find(r => r.room === room)?.unreadable).toBeUndefined()
    await mallory.stop()
  })
})

describe('catching up on padded texts', () => {
  it('a peer back after long private texts were written to it gets them all: the answer is cut by their sealed size, within a frame', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await connect(a, b)
    await until('ann knows ben\'s build', () => knowsBuild(a, b.engine.peerId))
    await keepApart(a, b)
    await until('apart', () => !a.engine.peers().some(p => p.peerId === b.engine.peerId && p.connected))
    // Each padded to 64 KiB: together far past a frame (1 MiB), though their plain fields are short.
    const texts = Array.from({ length: 24 }, (_, i) => `${i} ${'x'.repeat(40_000)}`)
    for (const text of texts) await a.engine.send('', text, { to: b.engine.peerId })
    const room = dmRoom(a.engine.peerId, b.engine.peerId)
    for (const p of [a, b]) p.engine.heal()
    await b.engine.dial(a.addr())
    await until('ben has all of them', () => b.engine.history(room).length === texts.length, 30_000)
    expect(b.engine.history(room).map(m => m.text).sort()).toEqual([...texts].sort())
  }, 60_000)

  it('long private texts written in one go reach a linked peer: a run under one signature is cut by their sealed size, within a frame', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('ben')
    await connect(a, b)
    await until('ann knows ben\'s build', () => knowsBuild(a, b.engine.peerId))
    const texts = Array.from({ length: 24 }, (_, i) => `${i} ${'x'.repeat(40_000)}`)
    await Promise.all(texts.map(async text => await a.engine.send('', text, { to: b.engine.peerId })))
    const room = dmRoom(a.engine.peerId, b.engine.peerId)
    await until('ben has all of them', () => b.engine.history(room).length === texts.length, 30_000)
  }, 60_000)
})

describe('catching up on padded texts through a hub', () => {
  it('a client back after long private texts were written to it gets them all from the hub, each catch-up frame within the limit', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    let c = await startClient('cat', h.addr())
    await until('ann knows cat\'s build', () => a.engine.presence().find(p => p.peerId === c.engine.peerId)?.build?.level === FEATURE_LEVEL)
    const cat = c.engine.peerId
    await stopClient(c)
    // Each padded to 64 KiB: together far past a frame (1 MiB), though their plain fields are short.
    const texts = Array.from({ length: 24 }, (_, i) => `${i} ${'x'.repeat(40_000)}`)
    for (const text of texts) await a.engine.send('', text, { to: cat })
    const room = dmRoom(a.engine.peerId, cat)
    await until('the hub numbered them all', () => a.engine.history(room).filter(m => m.pending !== true).length === texts.length, 30_000)
    c = await startClient('cat', h.addr(), { dataDir: c.dataDir })
    await until('cat has all of them', () => c.engine.history(room).length === texts.length, 30_000)
    expect(c.engine.history(room).map(m => m.text).sort()).toEqual([...texts].sort())
  }, 90_000)

  it('texts written in one go reach the hub, however long: a submit frame is cut within the limit', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const c = await startClient('cat', h.addr())
    await until('ann knows cat\'s build', () => a.engine.presence().find(p => p.peerId === c.engine.peerId)?.build?.level === FEATURE_LEVEL)
    const texts = Array.from({ length: 24 }, (_, i) => `${i} ${'x'.repeat(40_000)}`)
    await Promise.all(texts.map(async text => await a.engine.send('', text, { to: c.engine.peerId })))
    const room = dmRoom(a.engine.peerId, c.engine.peerId)
    await until('cat has all of them', () => c.engine.history(room).length === texts.length, 30_000)
  }, 90_000)
})
