/**
 * A relay never sends a frame past the limit (1 MiB), whatever it was sent: a frame over it makes
 * the receiver drop the link, so one peer sending a batch just under the limit, or many messages
 * whose thumbnails or unknown fields no estimate counted, would make an honest relay cut itself
 * off from honest peers. Real engines on loopback; the sender is a hand-driven libp2p node.
 */
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import * as lp from 'it-length-prefixed'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../main/core/message.js'
import { signSync } from '../main/chat/verify.js'
import { encodeBody, encodeFrame, hashBody, UNSIGNED } from '../main/net/codec.js'
import { MAX_FRAME_BYTES } from '../main/net/constants.js'
import { encodeHubFrame } from '../main/net/hub-codec.js'
import { MAX_SUMMARY_ENTRIES, encodeSummary, summarySigned } from '../main/net/summary-codec.js'
import { Attacker } from './helpers/attacker.js'
import { cleanupHubs, startClient, startHub, stopClient } from './helpers/hub.js'
import { rawHubClient, stopRawHubClients } from './helpers/raw-hub-client.js'
import { cleanup, connect, startPeer, tempDir, texts, until } from './helpers/peers.js'
import { pngChunk } from './helpers/png.js'

afterEach(async () => { await stopRawHubClients(); await cleanupHubs(); await cleanup() })

const frameBytes = (messages: ChatMessage[]): number => encodeFrame({ type: 'messages', messages: messages.map(message => ({ message, hops: 0 })) }).byteLength

/**
 * Sixteen of `mallory`'s messages in one frame within 32 bytes of the limit: full 64 KiB texts and
 * a last one whose length fills the frame. A relay adds two bytes to each (its hop count).
 */
async function batchAtLimit (mallory: Attacker): Promise<ChatMessage[]> {
  const full: ChatMessage[] = []
  for (let i = 0; i < 15; i++) full.push(await mallory.message(`${i} ${'x'.repeat(64 * 1024 - 8)}`))
  let length = 1000
  for (;;) {
    const { seq, prev } = mallory
    const last = await mallory.message(`15 ${'y'.repeat(length)}`)
    const size = frameBytes([...full, last])
    if (size <= MAX_FRAME_BYTES && size > MAX_FRAME_BYTES - 32) return [...full, last]
    mallory.seq = seq
    mallory.prev = prev
    length += MAX_FRAME_BYTES - 16 - size
  }
}

/** A PNG of noise (it does not compress): about 30 KB, near a thumbnail's 32 KiB. */
function noisyPng (side: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(side, 0)
  ihdr.writeUInt32BE(side, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const rows = Array.from({ length: side }, () => Buffer.concat([Buffer.from([0]), randomBytes(side * 3)]))
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.concat(rows))), pngChunk('IEND', Buffer.alloc(0))])
}

describe('a relay cuts what it passes on by size', () => {
  it('a batch sent just under the limit is passed on in frames within it: no link drops and every message arrives', async () => {
    const ben = await startPeer('ben')
    const cat = await startPeer('cat')
    await connect(ben, cat)
    const mallory = await Attacker.connect(ben.addr())
    const batch = await batchAtLimit(mallory)
    await mallory.send(...batch)
    await until('cat has the whole batch', () => texts(cat).length === batch.length, 20_000)
    expect(texts(cat).sort()).toEqual(batch.map(m => m.text).sort())
    // Ben's link to cat never dropped (cat's reader would have, on a frame past the limit).
    for (const p of [ben, cat]) expect(p.events.filter(e => e.type === 'peer:disconnect')).toEqual([])
    await mallory.stop()
  }, 60_000)

  it('a message padded with fields no build knows to fill a frame alone is refused: a relay could not pass it on within one', async () => {
    const ben = await startPeer('ben')
    const cat = await startPeer('cat')
    await connect(ben, cat)
    const mallory = await Attacker.connect(ben.addr())
    const small = await mallory.message('before')
    await mallory.send(small)
    await until('cat has the first', () => texts(cat).includes('before'))
    // Field 99 (length-delimited), which no build reads, inside the signed body: a relay keeps the body as it is,
    // adds its hop count, and the one message no cut can split is past the limit.
    const plain = Buffer.from(encodeBody({ room: 'lobby', author: mallory.peerId, name: 'mallory', text: 'padded', lamport: 2, sentAt: Date.now(), seq: 2, prev: small.id, deps: [] }))
    let pad = MAX_FRAME_BYTES - 200
    for (;;) {
      const body = Buffer.concat([plain, Buffer.from([0x9a, 0x06]), varint(pad), Buffer.alloc(pad)])
      const frame = envelopeFrame(body, signSync(mallory.key, body))
      if (frame.byteLength === MAX_FRAME_BYTES) { mallory.raw(frame); break }
      pad += MAX_FRAME_BYTES - frame.byteLength
    }
    await mallory.drain()
    const after = await mallory.message('after', { seq: 2, prev: small.id, lamport: 3 })
    await mallory.send(after)
    await until('cat has the next', () => texts(cat).includes('after'))
    expect(texts(cat)).not.toContain('padded')
    for (const p of [ben, cat]) expect(p.events.filter(e => e.type === 'peer:disconnect')).toEqual([])
    await mallory.stop()
  }, 60_000)
})

describe('a hub cuts its deliveries by size', () => {
  it('images sent while a client was away reach it in catch-up frames within the limit, thumbnails counted', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    let c = await startClient('cat', h.addr())
    await until('ann sees cat', () => a.engine.presence().some(p => p.peerId === c.engine.peerId))
    await stopClient(c)
    // Forty of them, each with a ~30 KB thumbnail: 1.2 MB together, past a frame, though their texts are short.
    const dir = tempDir('lanchat-src-')
    for (let i = 0; i < 40; i++) {
      const path = join(dir, `photo-${i}.png`)
      writeFileSync(path, randomBytes(200))
      await a.engine.sendFile('lobby', path, { thumbnail: noisyPng(100), thumbnailMime: 'image/png' })
    }
    await until('the hub numbered them all', () => a.engine.history('lobby').filter(m => m.file !== undefined && m.pending !== true).length === 40, 30_000)
    c = await startClient('cat', h.addr(), { dataDir: c.dataDir })
    await until('cat has them all', () => c.engine.history('lobby').filter(m => m.file?.thumbnail !== undefined).length === 40, 30_000)
    expect(c.events.filter(e => e.type === 'peer:disconnect')).toEqual([])
  }, 90_000)

  // A guard: it passed before sizes were counted too (each sendFile reads its file first, so they do not meet in one run).
  it('images sent in one go reach the hub and everyone: the run, the submit and the delivery are each cut within a frame', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const c = await startClient('cat', h.addr())
    await until('ann sees cat', () => a.engine.presence().some(p => p.peerId === c.engine.peerId))
    const dir = tempDir('lanchat-src-')
    const paths = Array.from({ length: 40 }, (_, i) => {
      const path = join(dir, `photo-${i}.png`)
      writeFileSync(path, randomBytes(200))
      return path
    })
    await Promise.all(paths.map(async path => await a.engine.sendFile('lobby', path, { thumbnail: noisyPng(100), thumbnailMime: 'image/png' })))
    await until('cat has them all', () => c.engine.history('lobby').filter(m => m.file?.thumbnail !== undefined).length === 40, 30_000)
    for (const p of [a, c]) expect(p.events.filter(e => e.type === 'peer:disconnect')).toEqual([])
  }, 90_000)
})

describe('a hub keeps a run with the signature that vouches for it', () => {
  it('a run of long texts (only its newest signed) more than one delivery\'s bytes reaches everyone: no delivery ends on an unsigned message', async () => {
    const h = await startHub()
    const c = await startClient('cat', h.addr())
    const raw = await rawHubClient(h.addr())
    // Seven of about 50 KB in one submit, as an outbox run goes (within its 384 KiB): past a delivery's 256 KiB.
    const run: ChatMessage[] = []
    let prev = ''
    for (let i = 0; i < 7; i++) { const m = await raw.make(`${i} ${'z'.repeat(50 * 1024)}`, i + 1, prev); run.push(i < 6 ? { ...m, sig: UNSIGNED } : m); prev = m.id }
    raw.link.send({ type: 'submit', messages: run })
    await until('cat has the whole run', () => c.engine.history('lobby').length === run.length, 20_000)
    expect(c.engine.history('lobby').map(m => m.text)).toEqual(run.map(m => m.text))
    expect(raw.closed()).toBe(false)
  }, 60_000)
})

describe('a hub passes on what a client submits within a frame', () => {
  // A guard: it passed before too (the hub counted a text's characters three times, which covers plain texts).
  it('a submit just under the limit is delivered to everyone in frames within it: no link drops and every message arrives', async () => {
    const h = await startHub()
    const c = await startClient('cat', h.addr())
    const raw = await rawHubClient(h.addr())
    const batch: ChatMessage[] = []
    let prev = ''
    for (let i = 0; i < 15; i++) { const m = await raw.make(`${i} ${'x'.repeat(64 * 1024 - 8)}`, i + 1, prev); batch.push(m); prev = m.id }
    let length = 1000
    for (;;) {
      const last = await raw.make(`15 ${'y'.repeat(length)}`, 16, prev)
      const size = encodeHubFrame({ type: 'submit', messages: [...batch, last] }).byteLength
      if (size <= MAX_FRAME_BYTES && size > MAX_FRAME_BYTES - 32) { batch.push(last); break }
      length += MAX_FRAME_BYTES - 16 - size
    }
    raw.link.send({ type: 'submit', messages: batch })
    await until('cat has the whole batch', () => c.engine.history('lobby').length === batch.length, 20_000)
    expect(c.engine.history('lobby').map(m => m.text).sort()).toEqual(batch.map(m => m.text).sort())
    expect(c.events.filter(e => e.type === 'peer:disconnect')).toEqual([])
    expect(raw.closed()).toBe(false)
  }, 60_000)

  it('a message padded with fields no build knows to fill a submit alone is refused: the hub could not deliver it within a frame', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const c = await startClient('cat', h.addr())
    await until('ann sees cat', () => a.engine.presence().some(p => p.peerId === c.engine.peerId))
    const raw = await rawHubClient(h.addr())
    const plain = Buffer.from(encodeBody({ room: 'lobby', author: raw.author, name: 'raw', text: 'padded', lamport: 1, sentAt: Date.now(), seq: 1, prev: '', deps: [] }))
    let pad = MAX_FRAME_BYTES - 200
    for (;;) {
      const body = Buffer.concat([plain, Buffer.from([0x9a, 0x06]), varint(pad), Buffer.alloc(pad)])
      // A hub frame's submit is field 2, as a chat frame's messages.
      const frame = envelopeFrame(body, signSync(raw.key, body))
      if (frame.byteLength === MAX_FRAME_BYTES) { raw.link.stream.send(lp.encode.single(frame)); break }
      pad += MAX_FRAME_BYTES - frame.byteLength
    }
    // Refused (the hub hangs up) or, as before sizes were bounded, numbered and delivered past the limit.
    await until('the hub dealt with it', () => raw.closed() || h.hub.lastSeq > 0)
    await a.engine.send('lobby', 'after')
    await until('cat has the next', () => c.engine.history('lobby').some(m => m.text === 'after'))
    expect(c.engine.history('lobby').map(m => m.text)).toEqual(['after'])
    for (const p of [a, c]) expect(p.events.filter(e => e.type === 'peer:disconnect')).toEqual([])
    expect(raw.closed()).toBe(true)
  }, 60_000)
})

describe('a hub delivers within a frame\'s count of messages too', () => {
  it('runs whose signed ends it refused, numbered one after another, never make a delivery of more messages than a client takes', async () => {
    const h = await startHub()
    const cat = await startClient('cat', h.addr())
    await until('cat joined', () => cat.engine.connected)
    const raw = await rawHubClient(h.addr())
    // Three runs of 255 unsigned messages, each ended by a signed one whose Lamport time jumps too far: the hub
    // numbers the unsigned ones, refuses each end, and 765 unvouched messages lie one after another in its log.
    let prev = ''
    let seq = 0
    for (let r = 0; r < 3; r++) {
      const run: ChatMessage[] = []
      for (let i = 0; i < 256; i++) {
        seq++
        const last = i === 255
        const fields = { room: 'lobby', author: raw.author, name: 'raw', text: `${seq}`, lamport: last ? 10_000_000 * (r + 1) : seq, sentAt: Date.now(), seq, prev, deps: [] }
        const body = encodeBody(fields)
        const m = { ...fields, id: hashBody(body), sig: last ? signSync(raw.key, body) : UNSIGNED }
        run.push(m)
        prev = m.id
      }
      raw.link.send({ type: 'submit', messages: run })
    }
    await until('the ends refused', () => raw.frames.filter(f => f.type === 'rejected').length === 3)
    expect(h.hub.lastSeq).toBe(765)
    const after = await startClient('ann', h.addr())
    await after.engine.send('lobby', 'after the runs')
    // Cat, live, and ben, who joins now and catches up on all of it, both get it, and neither link drops.
    const ben = await startClient('ben', h.addr())
    for (const c of [cat, ben]) await until(`${c.engine.name} has it`, () => c.engine.history('lobby').some(m => m.text === 'after the runs'), 20_000)
    for (const c of [cat, ben]) expect(c.events.filter(e => e.type === 'peer:disconnect')).toEqual([])
  }, 60_000)
})

function varint (n: number): Buffer {
  const out: number[] = []
  while (n >= 128) { out.push((n % 128) + 128); n = Math.floor(n / 128) }
  out.push(n)
  return Buffer.from(out)
}

/** A messages frame of one envelope (field 2) with this body (1) and signature (2), written by hand. */
function envelopeFrame (body: Buffer, sig: Uint8Array): Uint8Array {
  const env = Buffer.concat([Buffer.from([0x0a]), varint(body.byteLength), body, Buffer.from([0x12]), varint(sig.byteLength), Buffer.from(sig)])
  return Buffer.concat([Buffer.from([0x12]), varint(env.byteLength), env])
}

describe('a peer passes on delivery summaries within a frame', () => {
  it('large summaries from many peers, heard in one tick, go on in frames within the limit: no link drops and each arrives', async () => {
    const ben = await startPeer('ben')
    const cat = await startPeer('cat')
    await connect(ben, cat)
    const sent = await ben.engine.send('lobby', 'who got it?')
    await until('cat has it', () => texts(cat).includes('who got it?'))
    const mallory = await Attacker.connect(ben.addr())
    // Twelve peers' summaries of 4,096 deliveries each, times far apart (8-byte varints): ~100 KB each, 1.2 MB together.
    const keys = await Promise.all(Array.from({ length: 12 }, async () => await generateKeyPair('Ed25519')))
    const serial = Date.now()
    for (const key of keys) {
      const by = peerIdFromPrivateKey(key).toString()
      const entries = [{ prefix: sent.id.slice(0, 16), lamport: sent.lamport + 1, at: serial }]
      for (let i = 1; i < MAX_SUMMARY_ENTRIES; i++) entries.push({ prefix: randomBytes(8).toString('hex'), lamport: i % 2 === 0 ? 1 : 2 ** 48, at: i % 2 === 0 ? 1 : 2 ** 48 })
      const view = { by, serial, entries }
      const summary = encodeSummary(view)
      mallory.frame({ type: 'delivery-summaries', summaries: [{ summary, sig: signSync(key, summarySigned(summary)), view }] })
    }
    await mallory.drain()
    const everyone = keys.map(k => peerIdFromPrivateKey(k).toString()).sort()
    await until('cat heard every one of them', () => everyone.every(by => cat.engine.receiptsOf(sent.id).some(r => r.by === by)), 20_000)
    for (const p of [ben, cat]) expect(p.events.filter(e => e.type === 'peer:disconnect')).toEqual([])
    await mallory.stop()
  }, 60_000)
})

describe('an answer cuts the vouchers it adds by size', () => {
  it('a want for many authors\' unsigned messages is answered, their signed successors too, in frames within the limit', async () => {
    const ann = await startPeer('ann')
    const feeder = await Attacker.connect(ann.addr(), 'feeder')
    // Twenty authors, each a burst of two long texts under one signature: the first unsigned, vouched for by the second.
    const firsts: ChatMessage[] = []
    for (let i = 0; i < 20; i++) {
      const key = await generateKeyPair('Ed25519')
      const author = peerIdFromPrivateKey(key).toString()
      const make = (text: string, seq: number, prev: string, signed: boolean): ChatMessage => {
        const u = { room: 'lobby', author, name: `w${i}`, text, lamport: seq, sentAt: Date.now(), seq, prev, deps: [] }
        const body = encodeBody(u)
        return { ...u, id: hashBody(body), sig: signed ? signSync(key, body) : new Uint8Array(0) }
      }
      const first = make(`${i} first ${'x'.repeat(60_000)}`, 1, '', false)
      const second = make(`${i} second ${'y'.repeat(60_000)}`, 2, first.id, true)
      await feeder.send(first, second)
      firsts.push(first)
    }
    await until('ann has them all', () => texts(ann).length === 40, 20_000)
    const asker = await Attacker.connect(ann.addr(), 'asker')
    asker.frame({ type: 'want', ids: firsts.map(m => m.id) })
    const got = (): ChatMessage[] => asker.received.flatMap(f => f.type === 'messages' ? f.messages.map(r => r.message) : [])
    await until('the answer came, vouchers and all', () => new Set(got().map(m => m.id)).size === 40, 20_000)
    for (const f of asker.received) expect(encodeFrame(f).byteLength).toBeLessThanOrEqual(MAX_FRAME_BYTES)
    await feeder.stop()
    await asker.stop()
  }, 60_000)
})
