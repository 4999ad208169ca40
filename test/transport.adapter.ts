import type { TypedEventTarget } from '@libp2p/interface'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import * as lp from 'it-length-prefixed'
import { describe, expect, it } from 'vitest'
import { createNode, type LanNode } from '../main/net/node.js'
import type { TransportEvents } from '../main/net/transport.js'
import { until } from './helpers/peers.js'

/** One end of a link under test: what the engine sees of a transport. */
export interface End<F> {
  peerId: string
  events: TypedEventTarget<TransportEvents<F>>
  send: (peerId: string, frame: F) => boolean
  connectedPeers: () => string[]
  stop: () => Promise<void>
}

export interface Pair<F> {
  ends: [End<F>, End<F>]
  /** Which ends may open the link: both in the mesh, only the client (end 0) on the hub link. */
  starters: Array<0 | 1>
  /** Open the link from `starter`, or again after it dropped. */
  open: (starter: 0 | 1) => Promise<void>
  /** Hang up from end 0's side (the link may come back only through `open`). */
  hangUp: () => Promise<void>
  /**
   * End 1's connection to end 0 is aborted as libp2p's connection monitor aborts one whose pings
   * went unanswered (the other computer asleep, its cable pulled): with the ping's timeout error.
   */
  pingLost: () => Promise<void>
  /** An application frame carrying `n`, and back. */
  frame: (n: number) => F
  numberOf: (frame: F) => number | undefined
  /** Where a stranger reaches end 1 with the protocol, and the hello it must say first. */
  intruder: { addr: () => string, protocol: string, hello: Uint8Array }
  /** Whether a junk frame closes its link ('close') or is skipped ('skip'). */
  onBadFrame: 'close' | 'skip'
  teardown: () => Promise<void>
}

/** Every frame `end` receives, with who sent it. */
function inbox<F> (pair: Pair<F>, end: End<F>): Array<{ from: string, n: number | undefined }> {
  const got: Array<{ from: string, n: number | undefined }> = []
  end.events.addEventListener('frame', ({ detail }) => { got.push({ from: detail.peerId, n: pair.numberOf(detail.frame) }) })
  return got
}

function numbers (got: Array<{ n: number | undefined }>): number[] {
  return got.flatMap(g => g.n === undefined ? [] : [g.n])
}

/**
 * What every transport must do, whatever its architecture — modelled on
 * automerge-repo's network adapter tests: frames both ways with either side
 * starting, connect and disconnect events, nothing after close, reconnect,
 * and a bad frame that costs only its own link. The mesh
 * (test/transport-mesh.test.ts) and the hub link (test/transport-hub.test.ts)
 * both run it.
 */
export function transportAdapterSuite<F> (name: string, setup: () => Promise<Pair<F>>): void {
  describe(`transport adapter: ${name}`, () => {
    it('carries frames both ways, whichever side opened the link, in order and once', async () => {
      for (const starter of [0, 1] as const) {
        const pair = await setup()
        try {
          if (!pair.starters.includes(starter)) continue
          const [x, y] = pair.ends
          const atX = inbox(pair, x)
          const atY = inbox(pair, y)
          await pair.open(starter)
          // Either side may speak first.
          const first = starter === 0 ? y : x
          const second = first === x ? y : x
          for (let i = 1; i <= 5; i++) expect(first.send(second.peerId, pair.frame(i))).toBe(true)
          for (let i = 6; i <= 10; i++) expect(second.send(first.peerId, pair.frame(i))).toBe(true)
          await until('both got theirs', () => numbers(first === x ? atY : atX).length === 5 && numbers(first === x ? atX : atY).length === 5)
          expect(numbers(first === x ? atY : atX)).toEqual([1, 2, 3, 4, 5])
          expect(numbers(first === x ? atX : atY)).toEqual([6, 7, 8, 9, 10])
          expect(atY.every(g => g.from === x.peerId)).toBe(true)
          expect(atX.every(g => g.from === y.peerId)).toBe(true)
        } finally { await pair.teardown() }
      }
    })

    it('says peer:connect with the 4-tuple on both ends, and peer:disconnect on both when the link drops', async () => {
      const pair = await setup()
      try {
        const [x, y] = pair.ends
        const seen = (end: End<F>): string[] => {
          const log: string[] = []
          end.events.addEventListener('peer:connect', ({ detail }) => { log.push(`connect ${detail.peerId} ${detail.local} ${detail.remote}`) })
          end.events.addEventListener('peer:disconnect', ({ detail }) => { log.push(`disconnect ${detail.peerId}`) })
          return log
        }
        const atX = seen(x)
        const atY = seen(y)
        await pair.open(pair.starters[0]!)
        await until('both connected', () => atX.length === 1 && atY.length === 1)
        expect(atX[0]).toMatch(new RegExp(`^connect ${y.peerId} 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:\\d+$`))
        expect(atY[0]).toMatch(new RegExp(`^connect ${x.peerId} 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:\\d+$`))
        // The two ends see the same socket from either side.
        const [, , xLocal, xRemote] = atX[0]!.split(' ')
        const [, , yLocal, yRemote] = atY[0]!.split(' ')
        expect([xLocal, xRemote]).toEqual([yRemote, yLocal])
        await pair.hangUp()
        await until('both disconnected', () => atX.includes(`disconnect ${y.peerId}`) && atY.includes(`disconnect ${x.peerId}`))
        expect(x.connectedPeers()).toEqual([])
        expect(y.connectedPeers()).toEqual([])
      } finally { await pair.teardown() }
    })

    it('a link whose pings go unanswered (a computer asleep) ends as a departure on both ends, not as a peer that misbehaved', async () => {
      const pair = await setup()
      try {
        const [x, y] = pair.ends
        const complaints: string[] = []
        for (const end of pair.ends) end.events.addEventListener('peer:misbehaved', ({ detail }) => { complaints.push(detail.reason) })
        await pair.open(pair.starters[0]!)
        // Said as departures on both ends (the events: a mesh peer may dial the other again at once, and here it is awake).
        const left: string[] = []
        x.events.addEventListener('peer:disconnect', ({ detail }) => { left.push(`x lost ${detail.peerId}`) })
        y.events.addEventListener('peer:disconnect', ({ detail }) => { left.push(`y lost ${detail.peerId}`) })
        await pair.pingLost()
        await until('both disconnected', () => left.includes(`x lost ${y.peerId}`) && left.includes(`y lost ${x.peerId}`))
        // Nothing the peer did: no "stream failed: The operation was aborted due to timeout" in the log or the terminal.
        expect(complaints).toEqual([])
      } finally { await pair.teardown() }
    })

    it('delivers nothing after an end closes, and the other end can no longer send to it', async () => {
      const pair = await setup()
      try {
        const [x, y] = pair.ends
        const atY = inbox(pair, y)
        let closed = false
        x.events.addEventListener('close', () => { closed = true })
        await pair.open(pair.starters[0]!)
        const gone = new Promise<void>(resolve => { y.events.addEventListener('peer:disconnect', () => { resolve() }, { once: true }) })
        await x.stop()
        expect(closed).toBe(true)
        expect(x.send(y.peerId, pair.frame(1))).toBe(false)
        await gone
        expect(y.send(x.peerId, pair.frame(2))).toBe(false)
        await new Promise(resolve => setTimeout(resolve, 200))
        expect(numbers(atY)).toEqual([])
      } finally { await pair.teardown() }
    })

    it('carries frames again after the link dropped and came back', async () => {
      const pair = await setup()
      try {
        const [x, y] = pair.ends
        const atY = inbox(pair, y)
        await pair.open(pair.starters[0]!)
        expect(x.send(y.peerId, pair.frame(1))).toBe(true)
        await until('first frame', () => numbers(atY).includes(1))
        await pair.hangUp()
        await until('dropped', () => x.connectedPeers().length === 0)
        await pair.open(pair.starters[0]!)
        expect(x.send(y.peerId, pair.frame(2))).toBe(true)
        await until('after the reconnect', () => numbers(atY).includes(2))
        expect(numbers(atY)).toEqual([1, 2])
      } finally { await pair.teardown() }
    })

    it('a junk frame is never delivered and costs only its own link: the honest link goes on', async () => {
      const pair = await setup()
      const stranger: LanNode = await createNode({ role: 'client', privateKey: await generateKeyPair('Ed25519'), listen: [], mdns: false })
      try {
        const [x, y] = pair.ends
        const atY = inbox(pair, y)
        await pair.open(pair.starters[0]!)
        await stranger.start()
        const stream = await stranger.dialProtocol(multiaddr(pair.intruder.addr()), pair.intruder.protocol)
        stream.send(lp.encode.single(pair.intruder.hello))
        stream.send(lp.encode.single(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02])))
        await until('the stranger joined', () => y.connectedPeers().includes(stranger.peerId.toString()) || pair.onBadFrame === 'close')
        expect(x.send(y.peerId, pair.frame(7))).toBe(true)
        await until('the honest frame arrives', () => numbers(atY).includes(7))
        expect(atY.filter(g => g.from === stranger.peerId.toString() && g.n !== undefined)).toEqual([])
        if (pair.onBadFrame === 'close') {
          await until('the junk link is closed', () => stream.status !== 'open' || stream.writeStatus !== 'writable')
        }
        expect(y.connectedPeers()).toContain(x.peerId)
      } finally {
        await stranger.stop()
        await pair.teardown()
      }
    })
  })
}
