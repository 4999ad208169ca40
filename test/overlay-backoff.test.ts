import { createServer, type AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { answeredNotLanChat } from '../main/net/connect-errors.js'
import { MAX_FOREIGN, Overlay, type OverlayHost } from '../main/net/overlay.js'
import { cleanup, connect, startPeer, stopPeer, until } from './helpers/peers.js'

/**
 * How often the overlay dials a known peer that does not answer: a laptop
 * that left the office weeks ago, or an old port another program holds now.
 * Every peer that knew it dials it, so what one peer does here the whole LAN
 * does. The overlay's clock and dice are its own (injected); the timers are
 * vitest's, moved on with them.
 */

const SECOND = 1_000
const MINUTE = 60 * SECOND

/** What libp2p throws when the port answered with something else than Noise (seen from a node:net server that writes a banner). */
function notLanChat (): Error {
  return Object.assign(new Error('Unexpected EOF - stream closed while reading 20/83 bytes'), { name: 'EncryptionFailedError' })
}
function refused (): Error {
  return Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:4001'), { code: 'ECONNREFUSED' })
}

let t = 0
let dials: number[] = []
let fail: () => Error = refused

function overlay (): Overlay {
  const host: OverlayHost = {
    self: 'zz-self',
    links: () => [],
    refused: () => false,
    dial: async () => { dials.push(t); throw fail() },
    rotateAway: async () => {},
    notLanChat: answeredNotLanChat
  }
  // A random() of 0.5 puts every jitter in the middle: the waits are the nominal ones.
  const o = new Overlay(host, { rotateMs: 0 }, () => 0.5, () => t)
  o.start()
  return o
}

/** Let `ms` pass, a second at a time (the overlay looks again every second). */
async function pass (ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= SECOND) {
    t += SECOND
    await vi.advanceTimersByTimeAsync(SECOND)
  }
}

const dialsBetween = (from: number, to: number): number => dials.filter(d => d > from && d <= to).length

describe('other libp2p programs', () => {
  afterEach(() => { vi.useRealTimers() })

  it('one that makes up ids as it dials us grows neither the list of programs redialed nor our dials without end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval', 'clearTimeout', 'Date', 'performance'] })
    const tried = new Set<string>()
    const o = new Overlay({
      self: 'zz-self',
      links: () => [],
      refused: () => false,
      dial: async (peerId) => { tried.add(peerId); throw refused() },
      rotateAway: async () => {}
    }, { rotateMs: 0 })
    o.start()
    try {
      // 500 ids, each one connection of a program that is not LAN Chat (identify names no chat protocol).
      for (let i = 0; i < 500; i++) o.foreign(`made-up-${String(i).padStart(3, '0')}`)
      // Past their wait (RECONNECT_LONG_MS, 5 min) and a few more rounds: only the newest MAX_FOREIGN are dialed again.
      await vi.advanceTimersByTimeAsync(12 * MINUTE)
      expect(tried.size).toBeGreaterThan(0)
      expect(tried.size).toBeLessThanOrEqual(MAX_FOREIGN)
      expect([...tried].every(id => Number(id.slice(-3)) >= 500 - MAX_FOREIGN)).toBe(true)
    } finally {
      o.stop()
    }
  })
})

describe('other libp2p programs past the bound', () => {
  afterEach(() => { vi.useRealTimers() })

  it('a LAN of more than MAX_FOREIGN of them, each told of by mDNS every 10 s, has each dialed about once in RECONNECT_LONG_MS, not over and over', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval', 'clearTimeout', 'Date', 'performance'] })
    let n = 0
    const programs = Array.from({ length: MAX_FOREIGN + 36 }, (_, i) => `prog-${String(i).padStart(3, '0')}`)
    const o: Overlay = new Overlay({
      self: 'zz-self',
      links: () => [],
      refused: () => false,
      // Each answers (the connection is up), and identify names no chat protocol: marked as another program, as the mesh does.
      dial: async (peerId) => { n++; o.foreign(peerId) },
      rotateAway: async () => {}
    }, { rotateMs: 0 })
    o.start()
    try {
      for (let s = 0; s < 20 * 60; s += 10) {
        for (const id of programs) o.offer(id, [`/ip4/10.0.1.${id.slice(-3)}/tcp/4001`])
        await vi.advanceTimersByTimeAsync(10 * SECOND)
      }
      // 20 minutes: each one dialed once, then every RECONNECT_LONG_MS (5 min) at most.
      expect(n).toBeLessThanOrEqual(programs.length * 5)
    } finally {
      o.stop()
    }
  })
})

describe('the overlay\'s own clock', () => {
  afterEach(() => { vi.useRealTimers() })

  it('a wall clock set back an hour does not hold the redials of a peer for that hour', async () => {
    // Fake timers move performance.now() with them; setSystemTime moves only the wall clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval', 'clearTimeout', 'Date', 'performance'] })
    const tried: number[] = []
    const o = new Overlay({
      self: 'zz-self',
      links: () => [],
      refused: () => false,
      dial: async () => { tried.push(Date.now()); throw refused() },
      rotateAway: async () => {}
    }, { rotateMs: 0 })
    o.start()
    try {
      o.offer('peer-back-soon', ['/ip4/10.0.0.9/tcp/4001'], true)
      await vi.advanceTimersByTimeAsync(SECOND)
      expect(tried.length).toBeGreaterThanOrEqual(1)
      const before = tried.length
      vi.setSystemTime(Date.now() - 60 * MINUTE)
      await vi.advanceTimersByTimeAsync(40 * SECOND)
      expect(tried.length).toBeGreaterThan(before)
    } finally {
      o.stop()
    }
  })
})

describe('the overlay backing off a known peer that does not answer', () => {
  let o: Overlay | undefined
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval', 'clearTimeout'] })
    t = 1_000_000
    dials = []
    fail = refused
  })
  afterEach(() => {
    o?.stop()
    vi.useRealTimers()
  })

  it('a peer gone for good is dialed every 30 s at most for 10 minutes, then every 5 minutes', async () => {
    o = overlay()
    const start = t
    o.offer('peer-gone', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(10 * MINUTE)
    // The first minutes as before: 0.5 s doubling to 30 s.
    expect(dialsBetween(start + 5 * MINUTE, start + 10 * MINUTE)).toBeGreaterThanOrEqual(9)
    await pass(70 * MINUTE)
    // Then on to 5 minutes: an hour costs a dozen SYNs, not 120.
    const late = dials.filter(d => d > start + 20 * MINUTE)
    expect(late.length).toBeGreaterThanOrEqual(10)
    expect(late.length).toBeLessThanOrEqual(13)
    // Still tried: never more than the ceiling (and its jitter) apart.
    for (let i = 1; i < late.length; i++) expect(late[i]! - late[i - 1]!).toBeLessThanOrEqual(5 * MINUTE * 1.2 + 2 * SECOND)
  })

  it('an address that answered as another program waits the long ceiling at once', async () => {
    fail = notLanChat
    o = overlay()
    const start = t
    o.offer('peer-moved', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(30 * MINUTE)
    expect(dials[0]).toBeLessThanOrEqual(start + SECOND)
    // Every 5 minutes from the first answer on: 7 dials in half an hour, not 60.
    expect(dials.length).toBeLessThanOrEqual(7)
    expect(dials[1]! - dials[0]!).toBeGreaterThanOrEqual(4 * MINUTE)
  })

  it('a peer in the long backoff is dialed at once when mDNS sees it again, not while mDNS keeps seeing it', async () => {
    fail = notLanChat
    o = overlay()
    o.offer('peer-back', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(2 * SECOND)
    expect(dials).toHaveLength(1)
    // mDNS had not told of it for a while: now it does, at the address we know.
    await pass(MINUTE)
    const seen = t
    o.offer('peer-back', ['/ip4/10.0.0.9/tcp/4001'])
    await pass(2 * SECOND)
    expect(dialsBetween(seen, t)).toBe(1)
    // And tells of it every 5 s while the dials still fail (say a firewall takes its port): that is no news.
    const since = t
    for (let i = 0; i < 60; i++) {
      o.offer('peer-back', ['/ip4/10.0.0.9/tcp/4001'])
      await pass(5 * SECOND)
    }
    expect(dialsBetween(since, t)).toBe(1)
  })

  it('a peer mDNS tells of only once a minute (an older build, heard on the generic tag) whose port is refused backs off as any other, not from the bottom every minute', async () => {
    o = overlay()
    const start = t
    o.offer('peer-old', ['/ip4/10.0.0.9/tcp/4001'])
    // Older builds answer only libp2p's generic tag, which we ask every GENERIC_TAG_QUERY_MS (a minute):
    // each answer comes after more than SEEN_AGAIN_AFTER_MS of silence, but the peer never left.
    for (let m = 0; m < 30; m++) {
      await pass(MINUTE)
      o.offer('peer-old', ['/ip4/10.0.0.9/tcp/4001'])
    }
    // Its backoff reached the long ceiling as for a peer gone for good: a few dials in the last ten minutes, not seven a minute.
    expect(dialsBetween(start + 20 * MINUTE, t)).toBeLessThanOrEqual(3)
    // Once linked, and gone (long enough to wait minutes between dials), a word of it after a silence is a return again: dialed at once.
    o.linkUp('peer-old')
    await pass(20 * MINUTE)
    const back = t
    o.offer('peer-old', ['/ip4/10.0.0.9/tcp/4001'])
    await pass(2 * SECOND)
    expect(dialsBetween(back, t)).toBeGreaterThanOrEqual(1)
  })

  it('a peer of our book that failed at the start is dialed at once when mDNS first tells of it', async () => {
    fail = notLanChat
    o = overlay()
    o.offer('peer-book', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(5 * SECOND)
    expect(dials).toHaveLength(1)
    // The book tells of every peer it knows at a start, there or not; mDNS tells of those that are.
    const seen = t
    o.offer('peer-book', ['/ip4/10.0.0.9/tcp/4001'])
    await pass(2 * SECOND)
    expect(dialsBetween(seen, t)).toBe(1)
  })

  it('a new address told by peer exchange dials it at once; the same address told again does not', async () => {
    fail = notLanChat
    o = overlay()
    o.offer('peer-x', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(2 * SECOND)
    expect(dials).toHaveLength(1)
    await pass(30 * SECOND)
    let told = t
    o.offer('peer-x', ['/ip4/10.0.0.9/tcp/4001'], false, true)
    await pass(2 * SECOND)
    expect(dialsBetween(told, t)).toBe(0)
    told = t
    o.offer('peer-x', ['/ip4/10.0.0.9/tcp/50123'], false, true)
    await pass(2 * SECOND)
    expect(dialsBetween(told, t)).toBe(1)
  })

  it('a peer that was away, told of by a linked peer (it is linked to it now), is dialed at once; told again within 30 s, it is not', async () => {
    o = overlay()
    o.offer('peer-w', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(20 * MINUTE)
    // Away so long it waits five minutes between dials; then a linked peer tells of it, at the address we know.
    let told = t
    o.offer('peer-w', ['/ip4/10.0.0.9/tcp/4001'], false, true)
    await pass(2 * SECOND)
    expect(dialsBetween(told, t)).toBe(1)
    // Dialed once, its backoff kept (two computers the Wi-Fi keeps apart hear of each other again and again);
    // and a teller saying it over and over does not make us dial it over and over.
    await pass(23 * SECOND)
    told = t
    o.offer('peer-w', ['/ip4/10.0.0.9/tcp/4001'], false, true)
    await pass(2 * SECOND)
    expect(dialsBetween(told, t)).toBe(0)
  })

  it('a link to the peer (it dialed us, or a /dial) starts its backoff from the bottom', async () => {
    o = overlay()
    o.offer('peer-y', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(20 * MINUTE)
    const before = dials.length
    o.linkUp('peer-y')
    // The link dropped at once again: redialed within a second, then 0.5 s doubling again, not every 5 minutes.
    await pass(20 * SECOND)
    expect(dials.length - before).toBeGreaterThanOrEqual(5)
  })

  it('our book at the start (offer "soon") dials a peer in the long backoff at once', async () => {
    fail = notLanChat
    o = overlay()
    o.offer('peer-z', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(2 * SECOND)
    const again = t
    o.offer('peer-z', ['/ip4/10.0.0.9/tcp/4001'], true)
    await pass(2 * SECOND)
    expect(dialsBetween(again, t)).toBe(1)
  })
})

describe('"Connect now" while the overlay is already dialing the peer', () => {
  const stale = '/ip4/10.0.0.9/tcp/4001'
  const book = '/ip4/127.0.0.1/tcp/5000'

  /** An overlay over a host whose dials are `dial`, started, handed to `body`, stopped after. */
  async function overlayDialing (dial: OverlayHost['dial'], body: (o: Overlay) => Promise<void>): Promise<void> {
    const o = new Overlay({ self: 'zz-self', links: () => [], refused: () => false, rotateAway: async () => {}, dial }, { rotateMs: 0 }, () => 0.5)
    o.start()
    try {
      await body(o)
    } finally {
      o.stop()
    }
  }

  it('a dial under way at an address others told of, which fails, is followed by one at the addresses asked for: the peer is reached', async () => {
    const tried: string[][] = []
    // The address others told of drops what is sent to it (a firewall): nothing answers, the dial runs out of time.
    await overlayDialing(async (_peerId, addrs) => {
      tried.push([...addrs])
      if (addrs.includes(book)) return
      await new Promise(resolve => setTimeout(resolve, 200))
      throw Object.assign(new Error('The operation was aborted'), { name: 'TimeoutError' })
    }, async o => {
      o.offer('peer-b', [stale], true, true)
      await until('the overlay dials it', () => tried.length === 1)
      // The person knows where it listened when they were last linked (the book), and asks now.
      await expect(o.dialNow('peer-b', [book])).resolves.toBe(true)
      expect(tried.at(-1)).toContain(book)
    })
  })

  it('a dial under way only at an address the peer left is given up at once, not waited out, and the peer is reached at the asked one', async () => {
    const tried: string[][] = []
    let staleAborted = false
    // The address others told of drops what is sent to it: the dial would run until its timeout (never, here) unless given up.
    await overlayDialing(async (_peerId, addrs, { signal }) => {
      tried.push([...addrs])
      if (addrs.includes(book)) return
      await new Promise<void>((_resolve, reject) => {
        signal.addEventListener('abort', () => { staleAborted = true; reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })) })
      })
    }, async o => {
      o.offer('peer-b', [stale], true, true)
      await until('the overlay dials it', () => tried.length === 1)
      await expect(o.dialNow('peer-b', [book])).resolves.toBe(true)
      expect(staleAborted).toBe(true)
      expect(tried.at(-1)).toEqual([book, stale])
    })
  })

  it('a dial under way at the same addresses is waited on, not doubled, and its failure is the answer', async () => {
    let dials = 0
    await overlayDialing(async () => {
      dials++
      await new Promise(resolve => setTimeout(resolve, 200))
      throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:4001'), { code: 'ECONNREFUSED' })
    }, async o => {
      o.offer('peer-b', [stale], true)
      await until('the overlay dials it', () => dials === 1)
      await expect(o.dialNow('peer-b', [`${stale}/p2p/peer-b`])).rejects.toThrow('ECONNREFUSED')
      expect(dials).toBe(1)
    })
  })
})

describe('addresses where another program answers, over real nodes', () => {
  afterEach(cleanup)

  it('gets a connection or two from us, not one every few hundred ms, and the peer itself is linked again when it is back', async () => {
    // The backoff shortened a hundredfold (0.5 s to 30 s becomes 5 ms to 300 ms); the long ceiling is a minute here.
    const overlay = { retry: { min: 5, max: 300, longAfter: 60_000, long: 60_000 } }
    const alice = await startPeer('alice', { overlay })
    const bob = await startPeer('bob')
    await connect(alice, bob)
    const bobAddr = (): string | undefined => alice.engine.peers().find(p => p.peerId === bob.engine.peerId)?.addrs?.[0]
    await until('alice keeps where bob listens', () => bobAddr() !== undefined)
    const port = Number(/\/tcp\/(\d+)/.exec(bobAddr()!)![1])
    await stopPeer(alice)
    await stopPeer(bob)
    // Bob left; a web server took his port: it answers every connection with its own protocol and hangs up.
    let connections = 0
    const squatter = createServer(socket => {
      connections++
      socket.on('error', () => {})
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n', () => { socket.destroy() })
    })
    await new Promise<void>(resolve => { squatter.listen(port, '127.0.0.1', resolve) })
    try {
      // Alice starts again and dials the peers she knows: bob, at his old port.
      const again = await startPeer('alice', { overlay, dataDir: alice.dataDir })
      await until('alice dialed bob\'s old port', () => connections > 0)
      await new Promise(resolve => setTimeout(resolve, 4_000))
      // Backing off at the short ceiling (300 ms), it would be one at each look of the overlay (every second): five or so by now.
      expect(connections).toBeLessThanOrEqual(2)
      // Bob is back (his port taken, on another): he dials the peers he knows, and the link is up at once.
      const back = await startPeer('bob', { dataDir: bob.dataDir })
      await until('alice and bob linked again', () => again.engine.peers().some(p => p.peerId === back.engine.peerId && p.connected), 15_000)
    } finally {
      await new Promise(resolve => { squatter.close(resolve) })
    }
  }, 60_000)

  it('an address named at start (--dial) where another program answers is told once and dialed again in minutes, not seconds', async () => {
    let connections = 0
    const squatter = createServer(socket => {
      connections++
      socket.on('error', () => {})
      socket.end('SSH-2.0-OpenSSH_9.6\r\n', () => { socket.destroy() })
    })
    await new Promise<void>(resolve => { squatter.listen(0, '127.0.0.1', resolve) })
    try {
      const { port } = squatter.address() as AddressInfo
      const alice = await startPeer('alice', { dial: [`/ip4/127.0.0.1/tcp/${port}`] })
      await until('told', () => alice.events.some(e => e.type === 'error'))
      await new Promise(resolve => setTimeout(resolve, 4_000))
      // Backing off from 0.5 s as for a port nobody listens on, it would have been dialed four times by now.
      expect(connections).toBe(1)
      expect(alice.engine.dialing()).toEqual([`/ip4/127.0.0.1/tcp/${port}`])
      expect(alice.events.filter(e => e.type === 'error')).toHaveLength(1)
    } finally {
      await new Promise(resolve => { squatter.close(resolve) })
    }
  })
})
