/**
 * A peer whose clock runs days behind (a laptop whose battery died): what it
 * writes now is shown now, under today, on every peer that can tell its clock
 * is off — from its presence claims, or from a message that came straight from
 * it — and found by a search for today; after a restart too. What was caught up
 * on keeps the time its author gave it (it may be old for real), and the
 * message keeps `sentAt` as said.
 */
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { PrivateKey } from '@libp2p/interface'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { stamp, Terminal } from '../main/app/terminal.js'
import { PRESENCE_SIGNED_PREFIX, encodeClaim, type PresenceClaimView } from '../main/net/live-codec.js'
import { encodeBody, hashBody, type Frame } from '../main/net/codec.js'
import { HUB_PROTOCOL } from '../main/net/constants.js'
import { FramedStream } from '../main/net/framed.js'
import { decodeHubFrame, encodeHubFrame, type HubFrame } from '../main/net/hub-codec.js'
import { createNode, type LanNode } from '../main/net/node.js'
import type { ChatMessage } from '../main/core/message.js'
import { signSync } from '../main/chat/verify.js'
import { writtenAt } from '../preload/contract.js'
import { Attacker } from './helpers/attacker.js'
import { DB_FILE } from '../main/store/db.js'
import { cleanupHubs, startClient, startHub, stopClient, type TestClient } from './helpers/hub.js'
import { cleanup, connect, startPeer, stopPeer, until, type TestPeer } from './helpers/peers.js'

const DAY = 86_400_000

/** A presence claim signed by `key`. */
function claim (key: PrivateKey, c: PresenceClaimView): Frame {
  const bytes = encodeClaim(c)
  return { type: 'presence-news', claims: [{ claim: bytes, sig: signSync(key, new Uint8Array([...PRESENCE_SIGNED_PREFIX, ...bytes])), news: c }] }
}

const nodes: LanNode[] = []

/** A hub client on a computer whose clock reads `behind` ms less than ours: its hello (unless it says `helloNow`) and its messages say so. */
async function clientBehind (addr: string, behind: number, helloNow = Date.now() - behind): Promise<{ link: FramedStream<HubFrame>, write: (text: string) => ChatMessage }> {
  const key = await generateKeyPair('Ed25519')
  const node = await createNode({ role: 'client', privateKey: key, listen: [], mdns: false })
  await node.start()
  nodes.push(node)
  const connection = await node.dial(multiaddr(addr))
  const link = new FramedStream(await connection.newStream(HUB_PROTOCOL), connection, { encode: encodeHubFrame, decode: decodeHubFrame })
  void (async () => { try { for await (const _ of link.frames()) { /* read what the hub sends */ } } catch { /* the test ended */ } })()
  const author = peerIdFromPrivateKey(key).toString()
  link.send({ type: 'hello', name: 'greta', version: 1, seq: 0, now: helloNow })
  let seq = 0
  let prev = ''
  return {
    link,
    write: text => {
      seq++
      const unsigned = { room: 'lobby', author, name: 'greta', text, lamport: seq, sentAt: Date.now() - behind, seq, prev, deps: [] }
      const body = encodeBody(unsigned)
      const m = { ...unsigned, id: hashBody(body), sig: signSync(key, body) }
      prev = m.id
      return m
    }
  }
}

const shownTo = (c: TestClient, text: string): { sentAt: number, deliveredAt?: number, clockOff?: number } | undefined =>
  c.engine.history('lobby').find(x => x.text === text)

const shown = (p: TestPeer, text: string): { sentAt: number, deliveredAt?: number, clockOff?: number } => {
  const m = p.engine.history('lobby').find(x => x.text === text)
  if (m === undefined) throw new Error(`${text} not in the history`)
  return m
}

const startOfToday = (): number => new Date().setHours(0, 0, 0, 0)

describe('a peer whose clock is days behind', () => {
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
    await cleanupHubs()
    await cleanup()
  })

  it('is shown writing now, under today, where it arrives live; what was caught up on keeps its old time', async () => {
    // Far hears Greta only through the victim: her claims and messages are passed on.
    const v = await startPeer('victim')
    const far = await startPeer('far')
    await connect(v, far)
    const greta = await Attacker.connect(v.addr(), 'greta')
    const behind = 3 * DAY
    const gretaNow = (): number => Date.now() - behind
    greta.frame(claim(greta.key, { peer: greta.peerId, name: 'greta', state: 'online', at: gretaNow() }))
    await until('far hears greta is online', () => far.engine.presence().some(p => p.peerId === greta.peerId && p.state === 'online'))

    const before = Date.now()
    const live = await greta.message('written just now', { name: 'greta', sentAt: gretaNow() })
    await greta.send(live)
    await until('far has it', () => far.delivered().includes('written just now'))
    const after = Date.now()
    for (const p of [v, far]) {
      const m = shown(p, 'written just now')
      // Said as her clock said it, shown on ours: now, not three days ago.
      expect(m.sentAt).toBe(live.sentAt)
      expect(writtenAt(m)).toBeGreaterThanOrEqual(before - 60_000)
      expect(writtenAt(m)).toBeLessThanOrEqual(after)
      expect(writtenAt(m)).toBeLessThanOrEqual(m.deliveredAt!)
      // A search by date files it under today.
      expect(p.engine.search('on:today').map(h => h.id)).toContain(live.id)
      expect(p.engine.search('before:today').map(h => h.id)).not.toContain(live.id)
    }

    // One she wrote the day before yesterday (on her clock, five days ago), caught up on: old for real, kept as said.
    const old = await greta.message('written two days ago', { name: 'greta', sentAt: gretaNow() - 2 * DAY, lamport: live.lamport + 1 })
    greta.frame({ type: 'messages', messages: [{ message: old, hops: 0, late: true }] })
    await until('far has the old one', () => far.delivered().includes('written two days ago'))
    for (const p of [v, far]) {
      expect(writtenAt(shown(p, 'written two days ago'))).toBe(old.sentAt)
      expect(p.engine.search('on:today').map(h => h.id)).not.toContain(old.id)
    }

    // Stable across a restart: the history read back from disk dates it as before.
    const kept = writtenAt(shown(far, 'written just now'))
    await greta.stop()
    await stopPeer(far)
    const again = await startPeer('far', { dataDir: far.dataDir })
    expect(writtenAt(shown(again, 'written just now'))).toBe(kept)
    expect(again.engine.search('on:today').map(h => h.id)).toContain(live.id)
  })

  it('a clock claimed a year behind cannot date its messages later than they came; a small offset changes nothing', async () => {
    const v = await startPeer('victim')
    const liar = await Attacker.connect(v.addr(), 'liar')
    liar.frame(claim(liar.key, { peer: liar.peerId, name: 'liar', state: 'online', at: Date.now() - 365 * DAY }))
    await until('liar online', () => v.engine.presence().some(p => p.peerId === liar.peerId && p.state === 'online'))
    // Its clock is right, in fact: sentAt + a year would be next year, but nothing is shown after it came.
    const m = await liar.message('from a liar', { name: 'liar' })
    await liar.send(m)
    await until('delivered', () => v.delivered().includes('from a liar'))
    const got = shown(v, 'from a liar')
    expect(writtenAt(got)).toBeLessThanOrEqual(got.deliveredAt!)

    // A minute behind (within the slack): shown as said.
    const close = await Attacker.connect(v.addr(), 'close')
    const minute = await close.message('a minute behind', { name: 'close', sentAt: Date.now() - 60_000 })
    await close.send(minute)
    await until('delivered', () => v.delivered().includes('a minute behind'))
    expect(writtenAt(shown(v, 'a minute behind'))).toBe(minute.sentAt)
    await liar.stop()
    await close.stop()
  })

  it.each([5, 0])('a database from before (schema %i; 0: a build stopped before it numbered its tables) opens with what it kept, and keeps clocks off from then on', async (schema) => {
    const v = await startPeer('victim')
    await v.engine.send('lobby', 'kept from before')
    await stopPeer(v)
    const raw = new DatabaseSync(join(v.dataDir, DB_FILE))
    raw.exec(`ALTER TABLE messages DROP COLUMN clock_off; PRAGMA user_version = ${schema}`)
    raw.close()
    const again = await startPeer('victim', { dataDir: v.dataDir })
    expect(again.engine.history('lobby').map(m => m.text)).toEqual(['kept from before'])
    const greta = await Attacker.connect(again.addr(), 'greta')
    const m = await greta.message('written just now', { name: 'greta', sentAt: Date.now() - 3 * DAY })
    await greta.send(m)
    await until('delivered', () => again.delivered().includes('written just now'))
    expect(writtenAt(shown(again, 'written just now'))).toBeGreaterThanOrEqual(startOfToday())
    await greta.stop()
  })

  it('through a hub: its clients show it writing now, also one that catches up later, and after a restart', async () => {
    const { addr } = await startHub()
    const bob = await startClient('bob', addr())
    await until('bob linked', () => bob.engine.peers().length > 0 || bob.events.some(e => e.type === 'peer:connect'))
    const greta = await clientBehind(addr(), 3 * DAY)
    const before = Date.now()
    const m = greta.write('written just now')
    greta.link.send({ type: 'submit', messages: [m] })
    await until('bob has it', () => shownTo(bob, 'written just now') !== undefined)
    const got = shownTo(bob, 'written just now')!
    expect(got.sentAt).toBe(m.sentAt)
    expect(writtenAt(got)).toBeGreaterThanOrEqual(before - 60_000)
    expect(writtenAt(got)).toBeLessThanOrEqual(got.deliveredAt!)
    expect(bob.engine.search('on:today').map(h => h.id)).toContain(m.id)

    // Carl comes later and catches up from the hub: the hub kept how far off her clock was.
    const carl = await startClient('carl', addr())
    await until('carl caught up', () => shownTo(carl, 'written just now') !== undefined)
    expect(writtenAt(shownTo(carl, 'written just now')!)).toBeGreaterThanOrEqual(before - 60_000)

    // Bob restarts: read back from his disk, dated as before.
    const kept = writtenAt(got)
    await stopClient(bob)
    const again = await startClient('bob', addr(), { dataDir: bob.dataDir })
    expect(writtenAt(shownTo(again, 'written just now')!)).toBe(kept)
  })

  it('what its author sends as an answer to a sync is a catch-up, however long it takes: not read as a clock behind', async () => {
    // An answer that comes after the sync's answer window (a long catch-up: SYNC_ANSWER_WINDOW_MS) is no longer
    // counted on the answer budget; it is still what the author kept from before, not what it writes now.
    const v = await startPeer('victim')
    const greta = await Attacker.connect(v.addr(), 'greta')
    const old = await greta.message('written three days ago', { name: 'greta', sentAt: Date.now() - 3 * DAY })
    await greta.sendAsAnswer(old)
    await until('delivered', () => v.delivered().includes('written three days ago'))
    const got = shown(v, 'written three days ago')
    expect(got.clockOff).toBeUndefined()
    expect(writtenAt(got)).toBe(old.sentAt)
    expect(v.engine.search('on:today').map(h => h.id)).not.toContain(old.id)
    // Nor does it make her clock "3 days behind" for what she writes next.
    const now = await greta.message('written now', { name: 'greta', sentAt: Date.now() })
    await greta.send(now)
    await until('delivered', () => v.delivered().includes('written now'))
    expect(writtenAt(shown(v, 'written now'))).toBe(now.sentAt)
    await greta.stop()
  })

  it('a clock claimed absurdly far ahead (a hostile claim) cannot make a message undatable: the window would throw on it', async () => {
    const v = await startPeer('victim')
    const mal = await Attacker.connect(v.addr(), 'mal')
    const relay = await Attacker.connect(v.addr(), 'relay')
    // A claim stamped in the year 285,000: its clock "runs" 9e15 ms ahead of ours.
    mal.frame(claim(mal.key, { peer: mal.peerId, name: 'mal', state: 'online', at: 9e15 }))
    await until('mal online', () => v.engine.presence().some(p => p.peerId === mal.peerId && p.state === 'online'))
    // Dated 1970 and passed on by another peer (so its own lag does not reset the offset).
    const m = await mal.message('from nowhen', { name: 'mal', sentAt: 0 })
    relay.frame({ type: 'messages', messages: [{ message: m, hops: 1 }] })
    await until('delivered', () => v.delivered().includes('from nowhen'))
    const got = shown(v, 'from nowhen')
    // What the window does with every message's time (Message.tsx): an Invalid Date throws here.
    expect(() => new Date(writtenAt(got)).toISOString()).not.toThrow()
    expect(writtenAt(got)).toBeGreaterThanOrEqual(0)
    expect(writtenAt(got)).toBeLessThanOrEqual(got.deliveredAt!)
    expect(() => v.engine.search('on:today')).not.toThrow()
    await mal.stop()
    await relay.stop()
  })

  it('a client saying absurd clocks in its hello is not kept as an offset the hub shows or passes on', async () => {
    const h = await startHub()
    const bob = await startClient('bob', h.addr())
    await until('bob linked', () => bob.engine.peers().some(p => p.hub === true && p.connected))
    // Its hello says the year 285,000; its messages are dated right.
    const greta = await clientBehind(h.addr(), 0, 9e15)
    const m = greta.write('said with a wild hello')
    greta.link.send({ type: 'submit', messages: [m] })
    await until('bob has it', () => shownTo(bob, 'said with a wild hello') !== undefined)
    const onHub = h.events.find((e): e is Extract<typeof e, { type: 'message' }> => e.type === 'message' && e.id === m.id)!
    // The hub keeps no such offset with it (its --json message event, its store, what it sends on): a real time, not "Invalid Date".
    expect(Number.isNaN(new Date(writtenAt(onHub)).getTime())).toBe(false)
    expect(onHub.clockOff).toBeUndefined()
    expect(writtenAt(shownTo(bob, 'said with a wild hello')!)).toBe(m.sentAt)
  })

  it('the terminal prints a live message of a clock behind at the time it came, today', () => {
    const term = new Terminal(() => 'me')
    const now = Date.now()
    const sentAt = now - 3 * DAY
    const line = term.format({ type: 'message', id: 'g'.padEnd(64, 'a'), room: 'lobby', author: 'greta-peer', name: 'greta', text: 'hello', lamport: 3, sentAt, deliveredAt: now, clockOff: 3 * DAY, deps: [] }) ?? ''
    expect(line.startsWith(`[L3 ${stamp(now)} `)).toBe(true)
    expect(line).not.toContain(stamp(sentAt))
    expect(writtenAt({ sentAt, deliveredAt: now, clockOff: 3 * DAY })).toBeGreaterThanOrEqual(startOfToday())
  })
})
