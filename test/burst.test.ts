import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage, UnsignedMessage } from '../main/core/message.js'
import { PeerStore } from '../main/store/peer-store.js'
import { MAX_UNVERIFIED, MAX_UNVERIFIED_BYTES, UNVERIFIED_TTL_MS, UnverifiedBuffer } from '../main/chat/unverified.js'
import { signSync } from '../main/chat/verify.js'
import { Intake, type IntakeSink } from '../main/chat/intake.js'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { Attacker } from './helpers/attacker.js'
import { cleanup, connect, startPeer, stopPeer, texts, until } from './helpers/peers.js'

afterEach(cleanup)

/** A chain of messages by `a` after its current head; only those at `signedAt` indexes are signed. */
function chain (a: Attacker, textsToSend: string[], signedAt: number[]): ChatMessage[] {
  return textsToSend.map((text, i) => {
    a.seq++
    const u: UnsignedMessage = { room: 'lobby', author: a.peerId, name: 'mallory', text, lamport: a.seq, sentAt: Date.now(), seq: a.seq, prev: a.prev, deps: [] }
    const body = encodeBody(u)
    const m: ChatMessage = { ...u, id: hashBody(body), sig: signedAt.includes(i) ? signSync(a.key, body) : new Uint8Array(0) }
    a.prev = m.id
    return m
  })
}

async function storedSigs (dataDir: string): Promise<number[]> {
  const { store } = PeerStore.open(dataDir)
  const sizes = (store.db.sql('SELECT length(sig) AS n FROM messages').all() as Array<{ n: number }>).map(r => r.n)
  store.close()
  return sizes
}

describe('a burst is signed once and vouched for by the hash chain', () => {
  it('messages sent in one tick carry one signature; every peer, live or catching up, delivers all of them in order', async () => {
    const a = await startPeer('a')
    const b = await startPeer('b')
    await connect(a, b)
    const burst = Array.from({ length: 40 }, (_, i) => `burst ${i}`)
    const views = await Promise.all(burst.map(t => a.engine.send('lobby', t)))
    expect(views.map(v => v.text)).toEqual(burst)
    await until('b has the burst', () => b.delivered().length === 40)
    expect(texts(b)).toEqual(burst)
    // A late joiner gets them from b's sync answer, which must carry the signed head.
    const c = await startPeer('c')
    await connect(c, b)
    await until('c caught up', () => c.delivered().length === 40)
    expect(texts(c)).toEqual(burst)
    await stopPeer(a)
    const sigs = await storedSigs(a.dataDir)
    expect(sigs).toHaveLength(40)
    // Persisted as sent: the newest of the run signed, the others vouched for by it.
    expect(sigs.filter(n => n === 64)).toHaveLength(1)
    expect(sigs[39]).toBe(64)
  })

  it('a run cut across sync frames, or relayed without its head, waits for the signature and then delivers', async () => {
    const v = await startPeer('victim')
    const mallory = await Attacker.connect(v.addr())
    const run = chain(mallory, ['one', 'two', 'three'], [2])
    await mallory.send(run[0]!, run[1]!)
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(v.delivered()).toEqual([])
    await mallory.send(run[2]!)
    await until('run delivered', () => v.delivered().length === 3)
    expect(v.delivered()).toEqual(['one', 'two', 'three'])
    // The reverse: the head first (held back, it vouches for what it waits for), then the unsigned ones.
    const next = chain(mallory, ['four', 'five'], [1])
    await mallory.send(next[1]!)
    await mallory.send(next[0]!)
    await until('second run delivered', () => v.delivered().length === 5)
    expect(v.delivered().slice(3)).toEqual(['four', 'five'])
    await mallory.stop()
  })

  it('unsigned messages whose signed successor never comes are never delivered, relayed or stored', async () => {
    const logs: string[] = []
    const v = await startPeer('victim', { log: l => { logs.push(l) } })
    const friend = await startPeer('friend')
    await connect(friend, v)
    const mallory = await Attacker.connect(v.addr())
    await mallory.send(...chain(mallory, ['never', 'vouched'], []))
    await friend.engine.send('lobby', 'after')
    await until('friend message delivered', () => v.delivered().includes('after'))
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(v.delivered()).toEqual(['after'])
    expect(friend.delivered()).toEqual(['after'])
    await stopPeer(v)
    expect((await storedSigs(v.dataDir))).toHaveLength(1)
    await mallory.stop()
  })

  it('a forged unsigned message is refused: an altered one never matches the id its signed successor names', async () => {
    const v = await startPeer('victim')
    const mallory = await Attacker.connect(v.addr())
    const run = chain(mallory, ['I owe you 5', 'signed head'], [1])
    const genuine = run[0]!
    const alteredU = { ...genuine, text: 'I owe you 500' } as Partial<ChatMessage>
    delete alteredU.id
    delete alteredU.sig
    const altered: ChatMessage = { ...(alteredU as UnsignedMessage), id: hashBody(encodeBody(alteredU as UnsignedMessage)), sig: new Uint8Array(0) }
    // The altered first message plus the genuine signed head: the head names the genuine id, not the altered one.
    await mallory.send(altered, run[1]!)
    await new Promise(resolve => setTimeout(resolve, 400))
    expect(v.delivered()).toEqual([])
    // An unsigned message claiming another author, with a head signed by mallory: refused too.
    const friend = await startPeer('friend')
    const impostor = chain(mallory, ['from friend', 'head'], [1])
    impostor[0]!.author = friend.engine.peerId
    await mallory.send(...impostor)
    // The genuine first message arrives: the held head vouches for it, and both are delivered as signed.
    await mallory.send(genuine)
    await until('genuine run delivered', () => v.delivered().length >= 2)
    expect(v.delivered().slice(0, 2)).toEqual(['I owe you 5', 'signed head'])
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(v.delivered()).not.toContain('I owe you 500')
    expect(v.delivered()).not.toContain('from friend')
    await mallory.stop()
  })
})

describe('the buffer of unsigned messages waiting for their signature is bounded', () => {
  const fake = (author: string, seq: number, prev: string, text = 'x'): ChatMessage => {
    const u: UnsignedMessage = { room: 'lobby', author, name: 'n', text, lamport: seq, sentAt: 0, seq, prev, deps: [] }
    return { ...u, id: hashBody(encodeBody(u)), sig: new Uint8Array(0) }
  }

  it('keeps at most MAX_UNVERIFIED messages and MAX_UNVERIFIED_BYTES of text, dropping the oldest', () => {
    const buf = new UnverifiedBuffer()
    const all: ChatMessage[] = []
    for (let i = 0; i < MAX_UNVERIFIED + 500; i++) {
      const m = fake('flooder', i + 1, '', `junk ${i}`)
      all.push(m)
      buf.add(m, 'p', 0)
    }
    expect(buf.size).toBe(MAX_UNVERIFIED)
    expect(buf.has(all[0]!.id)).toBe(false)
    expect(buf.has(all.at(-1)!.id)).toBe(true)
    const big = new UnverifiedBuffer()
    const text = 'y'.repeat(60_000)
    for (let i = 0; i < 1000; i++) big.add(fake('big', i + 1, '', text + i), 'p', 0)
    expect(big.bytes).toBeLessThanOrEqual(MAX_UNVERIFIED_BYTES)
    expect(big.size).toBeLessThan(1000)
    // Private ones: no text on the wire, their sealed bytes (a padded one up to 64 KiB) are what is held.
    const sealed = new UnverifiedBuffer()
    for (let i = 0; i < 1000; i++) {
      const u: UnsignedMessage = { room: `dm:${'0'.repeat(64)}`, author: 'sealer', name: 'n', text: '', sealed: new Uint8Array(65_576).fill(i % 256), to: 'someone', lamport: i + 1, sentAt: 0, seq: i + 1, prev: '', deps: [] }
      sealed.add({ ...u, id: hashBody(encodeBody(u)), sig: new Uint8Array(0) }, 'p', 0)
    }
    expect(sealed.bytes).toBeLessThanOrEqual(MAX_UNVERIFIED_BYTES)
    expect(sealed.size).toBeLessThan(1000)
  })

  it('the intake\'s queues hold a private message by its sealed bytes: one author\'s flood of long ones stays within its 16 MiB', () => {
    const logged: string[] = []
    // Only what a refusal touches: nothing is served, the queue is cleared before its turn.
    const counters = { heldDropped: 0 }
    const intake = new Intake({ counters, log: (line: string) => { logged.push(line) } } as unknown as IntakeSink)
    const arrived = Array.from({ length: 400 }, (_, i) => {
      const u: UnsignedMessage = { room: `dm:${'0'.repeat(64)}`, author: 'sealer', name: 'n', text: '', sealed: new Uint8Array(65_576).fill(i % 256), to: 'someone', lamport: i + 1, sentAt: 0, seq: i + 1, prev: '', deps: [] }
      return { message: { ...u, id: hashBody(encodeBody(u)), sig: new Uint8Array(0) }, via: 'p', hops: 1 }
    })
    try {
      intake.push(arrived, () => false)
      // 400 of 64 KiB would be 25 MiB held: past the author's 16 MiB, the newest are refused.
      expect(intake.size).toBeLessThanOrEqual(Math.floor(16 * 1024 * 1024 / 65_576))
      expect(counters.heldDropped).toBe(400 - intake.size)
    } finally {
      intake.clear()
    }
  })

  it('hands over a chain, oldest first, when its successor is verified, and forgets what waited too long', () => {
    const buf = new UnverifiedBuffer()
    const m1 = fake('a', 1, '')
    const m2 = fake('a', 2, m1.id)
    const m3 = fake('a', 3, m2.id)
    const other = fake('b', 1, '')
    buf.add(m1, 'p', 0, 1000)
    buf.add(m2, 'p', 0, 1000)
    buf.add(other, 'p', 0, 50_000)
    expect(buf.takeChain(m3).map(w => w.message.id)).toEqual([m1.id, m2.id])
    expect(buf.size).toBe(1)
    expect(buf.expire(50_000 + UNVERIFIED_TTL_MS - 1)).toBe(0)
    expect(buf.expire(50_000 + UNVERIFIED_TTL_MS)).toBe(1)
    expect(buf.size).toBe(0)
  })
})
