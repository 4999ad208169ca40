import { connect as tcpConnect } from 'node:net'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeBody, hashBody } from '../main/net/codec.js'
import { MAX_CLOCK_JUMP } from '../main/core/limits.js'
import { CLOCK_OFF_MS } from '../main/chat/stats.js'
import { statsText } from '../main/app/terminal.js'
import { writtenAt } from '../preload/contract.js'
import { Attacker } from './helpers/attacker.js'
import { png } from './helpers/png.js'
import { animatedPng, bombPng, gif } from './helpers/pictures.js'
import { cleanup, texts, until } from './helpers/peers.js'
import { stillWorks, victim } from './helpers/victim.js'

afterEach(cleanup)

describe('bad input from the network is dropped with a reason and the peer goes on', () => {
  it('junk bytes on the TCP port', async () => {
    const { v, friend } = await victim()
    const port = Number(v.addr().split('/')[4])
    await new Promise<void>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1', () => { s.end(randomBytes(4096)) })
      s.on('close', () => { resolve() })
      s.on('error', () => { resolve() })
    })
    await stillWorks(v, friend, 'junk')
  })

  it('a malformed frame, then a valid message on the same stream', async () => {
    const { v, friend, logs } = await victim()
    const mallory = await Attacker.connect(v.addr())
    mallory.raw(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]))
    await mallory.send(await mallory.message('after the junk'))
    await until('valid message still delivered', () => v.delivered().includes('after the junk'))
    expect(logs.some(l => /undecodable frame/.test(l))).toBe(true)
    await stillWorks(v, friend, 'malformed')
    await mallory.stop()
  })

  it('an oversized frame ends that stream only', async () => {
    const { v, friend, logs } = await victim()
    const mallory = await Attacker.connect(v.addr())
    mallory.raw(new Uint8Array(2 * 1024 * 1024))
    await until('logged', () => logs.some(l => /stream failed|length/i.test(l)))
    await stillWorks(v, friend, 'oversized')
    await mallory.stop()
  })

  it('a text over 64 KiB, a forged signature and an altered relay are refused', async () => {
    const { v, friend, logs } = await victim()
    const mallory = await Attacker.connect(v.addr())
    // Too long: refused before its signature is even checked.
    await mallory.send(await mallory.message('x'.repeat(64 * 1024 + 1)))
    mallory.seq = 0; mallory.prev = ''
    // Friend's real message, altered by mallory on the way: the id no longer matches the signature.
    const real = await friend.engine.send('lobby', 'I owe you 5')
    const altered = {
      room: real.room, author: real.author, name: real.name, text: 'I owe you 500',
      lamport: real.lamport, sentAt: real.sentAt, seq: 1, prev: '', deps: real.deps
    }
    const forged = { ...altered, id: hashBody(encodeBody(altered)), sig: new Uint8Array(64).fill(7) }
    // Signed by mallory's key but claiming to be friend's.
    const impostor = await mallory.message('hello from friend, honest', { author: friend.engine.peerId })
    await mallory.send(forged, impostor)
    await until('logged', () => logs.filter(l => /bad signature|refused|invalid|text is/i.test(l)).length >= 2)
    await until('real one arrives', () => v.delivered().includes('I owe you 5'))
    expect(v.delivered()).not.toContain('I owe you 500')
    expect(v.delivered()).not.toContain('hello from friend, honest')
    expect(v.delivered().some(t => t.startsWith('xxxx'))).toBe(false)
    await stillWorks(v, friend, 'forged')
    await mallory.stop()
  })

  it('a thumbnail that would take the window gigabytes to decode, or that moves, is refused with its message; a real one is shown', async () => {
    const { v, friend, logs } = await victim()
    const hex = 'ab'.repeat(32)
    const shared = (name: string, thumbnail: Buffer, thumbnailMime = 'image/png') => ({ name, size: 1000, mime: 'image/png', sha256: hex, chunkSize: 16 * 1024, chunksRoot: hex, thumbnail: new Uint8Array(thumbnail), thumbnailMime })
    const fileShown = (name: string): boolean => v.events.some(e => e.type === 'message' && e.file?.name === name)
    // Each from its own author: a refused message holds back its author's later ones.
    const bombs = { 'bomb.png': bombPng(23_000, 23_000, 4), 'wide.png': bombPng(16_000, 16_000), 'blink.gif': gif(240, 240, 1000), 'apng.png': animatedPng(64, 64, 1000) }
    const senders: Attacker[] = []
    for (const [name, thumb] of Object.entries(bombs)) {
      const mallory = await Attacker.connect(v.addr())
      senders.push(mallory)
      await mallory.send(await mallory.message(`📎 ${name}`, { file: shared(name, thumb, name.endsWith('.gif') ? 'image/gif' : 'image/png') }))
    }
    const fine = await Attacker.connect(v.addr())
    await fine.send(await fine.message('📎 photo.png', { file: shared('photo.png', png(240, 160)) }))
    await until('the real thumbnail is shown', () => fileShown('photo.png'))
    await until('each refusal logged', () => logs.filter(l => /thumbnail/.test(l)).length >= 4)
    for (const name of Object.keys(bombs)) expect(fileShown(name), name).toBe(false)
    await stillWorks(v, friend, 'thumbnails')
    for (const s of [...senders, fine]) await s.stop()
  })

  it('messages from clocks hours ahead, days behind and in 1970 are shown in Lamport order, and the latency figures leave them out', async () => {
    const { v, friend } = await victim()
    const mallory = await Attacker.connect(v.addr())
    const now = Date.now()
    const ahead = await mallory.message('three hours ahead', { sentAt: now + 3 * 3_600_000 })
    const behind = await mallory.message('two days behind', { sentAt: now - 2 * 86_400_000, lamport: ahead.lamport + 1 })
    const old = await mallory.message('in 1970', { sentAt: 3 * 86_400_000, lamport: behind.lamport + 1 })
    await mallory.send(ahead, behind, old)
    await until('all three delivered', () => v.delivered().includes('in 1970'))
    expect(texts(v)).toEqual(['three hours ahead', 'two days behind', 'in 1970'])
    // Found by a search, it is dated when it came, not three hours from now (the author's clock stays in sentAt).
    const [hit] = v.engine.search('hours ahead')
    expect(hit).toMatchObject({ sentAt: ahead.sentAt })
    expect(writtenAt(hit!)).toBeLessThanOrEqual(Date.now())
    // An honest, live message: the one figure the latency says.
    await friend.engine.send('lobby', 'on time')
    await until('on time', () => v.delivered().includes('on time'))
    const stats = v.engine.stats()
    expect(stats).toMatchObject({ received: 4, clockOff: 3, latencyMs: { count: 1 } })
    expect(stats.latencyMs.max).toBeLessThan(CLOCK_OFF_MS)
    expect(statsText(stats)).toMatch(/\(over 1\); 3 more not counted: their author's clock is more than 5 min off this one's/)
    await mallory.stop()
  })

  it('an absurd Lamport clock is refused and does not drag anyone\'s clock', async () => {
    const { v, friend, logs } = await victim()
    const mallory = await Attacker.connect(v.addr())
    const sane = await mallory.message('sane')
    const absurd = await mallory.message('from the future', { lamport: sane.lamport + MAX_CLOCK_JUMP + 5 })
    const huge = await mallory.message('2^53', { lamport: Number.MAX_SAFE_INTEGER })
    await mallory.send(sane, absurd, huge)
    await until('sane one delivered', () => v.delivered().includes('sane'))
    await until('refusal logged', () => logs.some(l => /jumps|out of range/.test(l)))
    expect(v.delivered()).not.toContain('from the future')
    expect(v.engine.clock).toBeLessThan(1000)
    await stillWorks(v, friend, 'clock')
    expect(friend.engine.clock).toBeLessThan(1000)
    await mallory.stop()
  })

  it('a flood from one peer is throttled while another peer\'s message still gets through', async () => {
    const { v, friend, logs } = await victim({ ratePerSecond: 500, rateBurst: 100 })
    const mallory = await Attacker.connect(v.addr())
    const flood = []
    for (let i = 0; i < 1500; i++) flood.push(await mallory.message(`flood ${i}`))
    for (let i = 0; i < flood.length; i += 100) void mallory.send(...flood.slice(i, i + 100))
    await until('throttling began', () => logs.some(l => /rate limit/.test(l)))
    await friend.engine.send('lobby', 'me too')
    await until('friend got through', () => v.delivered().includes('me too'))
    const floodSoFar = v.delivered().filter(t => t.startsWith('flood')).length
    expect(floodSoFar).toBeLessThan(1500)
    // Nothing is lost: the flood is slowed down, not dropped.
    await until('flood delivered in the end', () => v.delivered().filter(t => t.startsWith('flood')).length === 1500, 20_000)
    expect(texts(v).indexOf('me too')).toBeGreaterThan(-1)
    await mallory.stop()
  })
})
