/**
 * Which LAN Chat a peer runs. Hellos in both protocols carry the sender's
 * version and feature level; a peer (or hub, or client) whose hello says
 * none is an older build. The peer list shows each connected peer's build,
 * and the first link this run to one on another build comes with a notice in
 * words (what an older one misses; that ours is behind a newer one). Older
 * peers are stock libp2p nodes that speak the chat or hub protocol with a
 * hello as builds before this one sent it. Real engines, loopback TCP.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import * as lp from 'it-length-prefixed'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { buildHint, MAX_APP_VERSION_CHARS, PADDED_LEVEL } from '../main/core/build.js'
import { BuildNotices, MAX_TOLD } from '../main/chat/builds.js'
import type { EngineEvent } from '../main/chat/types.js'
import type { HubEvent } from '../main/server/hub.js'
import { decodeFrame, encodeFrame } from '../main/net/codec.js'
import { APP_VERSION, CHAT_PROTOCOL, FEATURE_LEVEL, HUB_PROTOCOL } from '../main/net/constants.js'
import { decodeHubFrame, encodeHubFrame, type HubFrame } from '../main/net/hub-codec.js'
import { Attacker } from './helpers/attacker.js'
import { cleanupHubs, startClient, startHub, stopHub } from './helpers/hub.js'
import { cleanup, connect, startPeer, stopPeer, until } from './helpers/peers.js'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_KNOWN_PEERS, PeerStore } from '../main/store/peer-store.js'
import { PRESENCE_SIGNED_PREFIX, decodeClaim, encodeClaim, type PresenceClaimView, type SignedClaim } from '../main/net/live-codec.js'
import { PresenceClaim } from '../main/net/pb/chat.js'
import { signSync } from '../main/chat/verify.js'
import { MAX_PEOPLE, RELAY_GAP_MS } from '../main/chat/presence-relay.js'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Engine } from '../main/chat/engine.js'
import { PRESENCE_MIN_GAP_MS, type PresenceView } from '../main/chat/live.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { answerOf } from '../main/app/lines.js'
import { Terminal } from '../main/app/terminal.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

type Connect = Extract<EngineEvent, { type: 'peer:connect' }>
const connects = (events: Array<EngineEvent | HubEvent>, peerId: string): Connect[] =>
  events.filter((e): e is Connect => e.type === 'peer:connect' && e.peerId === peerId)

/** Nothing a person could not read as a version: no control, invisible or direction characters, no spaces. */
const SHOWABLE = /^[0-9A-Za-z.+\-_]+$/

describe('hellos say the sender\'s LAN Chat', () => {
  it('this build says its package version and feature level; a hello without them decodes as an older build\'s', () => {
    expect(APP_VERSION).toBe((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version)
    expect(FEATURE_LEVEL).toBeGreaterThanOrEqual(1)
    expect(decodeFrame(encodeFrame({ type: 'hello', name: 'old', version: 1 }))).toEqual({ type: 'hello', name: 'old', version: 1 })
    expect(decodeHubFrame(encodeHubFrame({ type: 'hello', name: 'old', version: 1, seq: 0 }))).toEqual({ type: 'hello', name: 'old', version: 1, seq: 0 })
    const app = { version: '0.1.0', level: 1 }
    expect(decodeFrame(encodeFrame({ type: 'hello', name: 'new', version: 1, app }))).toEqual({ type: 'hello', name: 'new', version: 1, app })
    expect(decodeHubFrame(encodeHubFrame({ type: 'hello', name: 'new', version: 1, seq: 0, app }))).toEqual({ type: 'hello', name: 'new', version: 1, seq: 0, app })
  })

  it('a hostile version string (huge, control and direction characters, markup) is cut and cleaned in both protocols', () => {
    const version = '9.9.9\u0007\u001b[2J\u202e<img src=x>\n' + 'A'.repeat(900_000)
    for (const hello of [
      decodeFrame(encodeFrame({ type: 'hello', name: 'm', version: 1, app: { version, level: 7 } })),
      decodeHubFrame(encodeHubFrame({ type: 'hello', name: 'm', version: 1, seq: 0, app: { version, level: 7 } }))
    ]) {
      const said = hello.type === 'hello' ? hello.app?.version : undefined
      expect(said).toMatch(SHOWABLE)
      expect(said!.length).toBeLessThanOrEqual(MAX_APP_VERSION_CHARS)
      expect(said!.startsWith('9.9.92Jimgsrcx')).toBe(true)
    }
    // Nothing showable left: a level, and no version.
    expect(decodeFrame(encodeFrame({ type: 'hello', name: 'm', version: 1, app: { version: '\u0000\u202e', level: 2 } }))).toEqual({ type: 'hello', name: 'm', version: 1, app: { level: 2 } })
  })
})

describe('a peer that runs an older LAN Chat', () => {
  it('is listed as older, and the user is told once what it misses, not again when it links again', async () => {
    const v = await startPeer('victim')
    const key = await generateKeyPair('Ed25519')
    const olga = await Attacker.connect(v.addr(), 'olga', { key })
    await until('olga linked', () => v.engine.peers().some(p => p.peerId === olga.peerId && p.connected))
    expect(v.engine.peers().find(p => p.peerId === olga.peerId)?.build).toEqual({ level: 0, compared: 'older' })
    await until('told', () => connects(v.events, olga.peerId).some(e => e.notice !== undefined))
    const told = connects(v.events, olga.peerId).filter(e => e.notice !== undefined)
    expect(told).toHaveLength(1)
    expect(told[0]!.build).toEqual({ level: 0, compared: 'older' })
    expect(told[0]!.notice).toContain('olga runs an older LAN Chat')
    expect(told[0]!.notice).toContain('🔒')
    expect(told[0]!.notice).toContain(`update to LAN Chat ${APP_VERSION}`)
    // It goes away and comes back: listed as older again, told no more.
    const before = connects(v.events, olga.peerId).length
    await olga.stop()
    await until('olga gone', () => !v.engine.peers().some(p => p.peerId === olga.peerId && p.connected))
    const again = await Attacker.connect(v.addr(), 'olga', { key })
    await until('olga back', () => connects(v.events, again.peerId).length > before)
    expect(connects(v.events, again.peerId).at(-1)).toMatchObject({ build: { level: 0, compared: 'older' } })
    expect(connects(v.events, again.peerId).filter(e => e.notice !== undefined)).toHaveLength(1)
    await again.stop()
  }, 30_000)

  it('one that sees sealed reactions but opens no padded text is told of that alone, and so is the list\'s tooltip', async () => {
    const v = await startPeer('victim')
    const olga = await Attacker.connect(v.addr(), 'olga', { hello: false })
    olga.frame({ type: 'hello', name: 'olga', version: 1, app: { version: '0.2.0', level: PADDED_LEVEL - 1 } })
    await until('told', () => connects(v.events, olga.peerId).some(e => e.notice !== undefined))
    const notice = connects(v.events, olga.peerId).find(e => e.notice !== undefined)!.notice!
    expect(notice).toBe(`olga runs an older LAN Chat (0.2.0; yours is ${APP_VERSION}): private texts to them go unpadded (relays see their length), and some newer things do not reach them; they should update to LAN Chat ${APP_VERSION}`)
    const build = v.engine.peers().find(p => p.peerId === olga.peerId)!.build!
    expect(buildHint(build)).toBe('Runs an older LAN Chat (0.2.0): private texts to them go unpadded (relays see their length), and some newer things do not reach them')
    // One from before sealed reactions misses both.
    expect(buildHint({ level: 0, compared: 'older' })).toBe('Runs an older LAN Chat: reactions in private conversations show to them as 🔒, private texts to them go unpadded (relays see their length), and some newer things do not reach them')
    await olga.stop()
  }, 30_000)

  it('a newer one tells the user to update; a hostile version in its hello reaches the list cut and cleaned', async () => {
    const v = await startPeer('victim')
    const nova = await Attacker.connect(v.addr(), 'nova', { hello: false })
    nova.frame({ type: 'hello', name: 'nova', version: 1, app: { version: '2.0.0\u001b[31m\u202e' + 'x'.repeat(900_000), level: FEATURE_LEVEL + 1 } })
    await until('told', () => connects(v.events, nova.peerId).some(e => e.notice !== undefined))
    const build = v.engine.peers().find(p => p.peerId === nova.peerId)?.build
    expect(build?.compared).toBe('newer')
    expect(build?.version).toMatch(SHOWABLE)
    expect(build!.version!.length).toBeLessThanOrEqual(MAX_APP_VERSION_CHARS)
    const notice = connects(v.events, nova.peerId).find(e => e.notice !== undefined)!.notice!
    expect(notice).toContain('nova runs a newer LAN Chat')
    expect(notice).toContain('update LAN Chat')
    expect([...notice].some(ch => ch.charCodeAt(0) < 0x20 || ch === '\u202e')).toBe(false)
    expect(notice.length).toBeLessThan(300)
    await nova.stop()
  }, 30_000)

  it('a run met by ever new keys on another build keeps a bounded list of whom it told', () => {
    // Keys cost nothing to make: each linking with an older hello was one more entry, for as long as the process ran.
    const builds = new BuildNotices()
    const link = (i: number): { peerId: string, name: string, local: string, remote: string, app: { level: number } } =>
      ({ peerId: `peer-${i}`, name: `p${i}`, local: '127.0.0.1:1', remote: '127.0.0.1:2', app: { level: 0 } })
    expect(builds.connected(link(0)).notice).toBeDefined()
    expect(builds.connected(link(0)).notice).toBeUndefined()
    for (let i = 1; i <= MAX_TOLD; i++) builds.connected(link(i))
    // The first one was let go to make room: told again, the newest not.
    expect(builds.connected(link(0)).notice).toBeDefined()
    expect(builds.connected(link(MAX_TOLD)).notice).toBeUndefined()
  })

  it('two peers on this build list each other\'s version and are told nothing', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('bob')
    await connect(a, b)
    expect(a.engine.peers().find(p => p.peerId === b.engine.peerId)?.build).toEqual({ version: APP_VERSION, level: FEATURE_LEVEL, compared: 'same' })
    expect(connects(a.events, b.engine.peerId)[0]).toMatchObject({ build: { version: APP_VERSION, compared: 'same' } })
    expect(connects(a.events, b.engine.peerId).some(e => e.notice !== undefined)).toBe(false)
  }, 30_000)
})

/**
 * A hub as builds before this one ran: it answers a client's hello with a hello that says no build, and nothing else;
 * with `app`, one that says that build and its largest file (as every build that says one does).
 */
async function olderHub (app?: { version: string, level: number }): Promise<{ node: Libp2p, addr: string }> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  await node.handle(HUB_PROTOCOL, (stream) => {
    void (async () => {
      try {
        for await (const chunk of lp.decode(stream)) {
          const f: HubFrame = decodeHubFrame(chunk.subarray())
          if (f.type === 'hello') stream.send(lp.encode.single(encodeHubFrame({ type: 'hello', name: 'oldhub', version: 1, seq: 0, ...(app !== undefined ? { app, maxFileBytes: 2 ** 30 } : {}) })))
        }
      } catch { /* the client went */ }
    })()
  })
  return { node, addr: node.getMultiaddrs()[0]!.toString() }
}

describe('client–server mode', () => {
  it('a client of an older hub lists the hub as older and is told once, in words about the hub', async () => {
    const hub = await olderHub()
    try {
      const c = await startClient('cleo', hub.addr)
      const hubId = hub.node.peerId.toString()
      await until('told', () => connects(c.events, hubId).some(e => e.notice !== undefined), 15_000)
      expect(c.engine.peers().find(p => p.peerId === hubId)).toMatchObject({ hub: true, connected: true, build: { level: 0, compared: 'older' } })
      const notice = connects(c.events, hubId).find(e => e.notice !== undefined)!.notice!
      expect(notice).toContain('the hub oldhub runs an older LAN Chat')
      expect(notice).toContain('it does not say its largest file')
      expect(notice).toContain(`update to LAN Chat ${APP_VERSION}`)
    } finally {
      await hub.node.stop()
    }
  }, 30_000)

  it('a client of a hub one level older is told it is older, not that it keeps its largest file unsaid: it said it', async () => {
    const hub = await olderHub({ version: '0.1.0', level: FEATURE_LEVEL - 1 })
    try {
      const c = await startClient('cleo', hub.addr)
      const hubId = hub.node.peerId.toString()
      await until('told', () => connects(c.events, hubId).some(e => e.notice !== undefined), 15_000)
      expect(c.engine.peers().find(p => p.peerId === hubId)).toMatchObject({ hub: true, build: { version: '0.1.0', level: FEATURE_LEVEL - 1, compared: 'older' } })
      const notice = connects(c.events, hubId).find(e => e.notice !== undefined)!.notice!
      expect(notice).toContain('the hub oldhub runs an older LAN Chat (0.1.0')
      expect(notice).not.toContain('largest file')
      expect(notice).toContain(`update to LAN Chat ${APP_VERSION}`)
      // The list's tooltip on the hub's mark: nothing private is written to a hub, so nothing of texts going unpadded to it.
      const build = c.engine.peers().find(p => p.peerId === hubId)!.build!
      expect(buildHint(build, true)).toBe('Runs an older LAN Chat (0.1.0): newer things may not reach everyone')
      expect(buildHint({ level: 0, compared: 'older' }, true)).toBe('Runs an older LAN Chat: it does not say its largest file, and newer things may not reach everyone')
      // A newer hub sends nothing of its own: what one misses is what others send through it.
      expect(buildHint({ level: 3, version: '9.0.0', compared: 'newer' }, true)).toBe('Runs a newer LAN Chat 9.0.0: update yours to see all that comes through it')
      expect(buildHint({ level: 3, version: '9.0.0', compared: 'newer' })).toBe('Runs a newer LAN Chat 9.0.0: update yours to see all they send')
    } finally {
      await hub.node.stop()
    }
  }, 30_000)

  it('a client and hub on this build list each other\'s version and are told nothing; the hub is told of an older client', async () => {
    const h = await startHub()
    const c = await startClient('cleo', h.addr())
    await until('linked', () => c.engine.peers().some(p => p.hub === true && p.connected))
    const hubId = h.hub.peerId
    expect(c.engine.peers().find(p => p.peerId === hubId)?.build).toEqual({ version: APP_VERSION, level: FEATURE_LEVEL, compared: 'same' })
    expect(connects(c.events, hubId).some(e => e.notice !== undefined)).toBe(false)
    await until('hub lists cleo', () => h.hub.peers().some(p => p.peerId === c.engine.peerId))
    expect(h.hub.peers().find(p => p.peerId === c.engine.peerId)?.build).toMatchObject({ version: APP_VERSION, compared: 'same' })
    // An older client: a stock node that says a hello without a build.
    const old = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    try {
      const stream = await old.dialProtocol(multiaddr(h.addr()), HUB_PROTOCOL)
      stream.send(lp.encode.single(encodeHubFrame({ type: 'hello', name: 'otto', version: 1, seq: 0 })))
      const ottoId = old.peerId.toString()
      await until('hub told', () => connects(h.events, ottoId).some(e => e.notice !== undefined), 15_000)
      expect(connects(h.events, ottoId)[0]!.notice).toContain('otto runs an older LAN Chat')
      expect(h.hub.peers().find(p => p.peerId === ottoId)?.build).toEqual({ level: 0, compared: 'older' })
    } finally {
      await old.stop()
    }
  }, 30_000)
})

/**
 * A client as a stock node speaks the hub protocol: it says `hello` (a build or none, as an older
 * build's did), then whatever frames a test has it send; it reads nothing.
 */
async function rawClient (hubAddr: string, hello: Extract<HubFrame, { type: 'hello' }>): Promise<{ peerId: string, send: (f: HubFrame) => void, stop: () => Promise<void> }> {
  const node = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  const stream = await node.dialProtocol(multiaddr(hubAddr), HUB_PROTOCOL)
  const send = (f: HubFrame): void => { stream.send(lp.encode.single(encodeHubFrame(f))) }
  send(hello)
  return { peerId: node.peerId.toString(), send, stop: async () => { await node.stop() } }
}

/** What `viewer` knows of `peerId` by presence: a client's fellow clients are known so (its one link is the hub). */
const heardOf = (viewer: { engine: { presence: () => PresenceView[] } }, peerId: string): PresenceView | undefined =>
  viewer.engine.presence().find(p => p.peerId === peerId)

/** `/who` (or another command: `/members`) in the terminal of `c`, as a person reads it. */
async function whoText (c: { engine: Engine }, command = '/who'): Promise<string> {
  const term = new Terminal(() => c.engine.peerId)
  const who = term.command(command)
  if (!('run' in who)) throw new Error('not a command')
  return term.format(answerOf(who.run, await dispatchOver(headlessOperations(c.engine))(who.run.operation, who.run.payload))!) ?? ''
}

/**
 * A client's one link is its hub, so it hears no other client's hello: the hub
 * tells each client the build of the others, as their own hellos to it said,
 * when one joins. The people list tags them older or newer as a mesh's does.
 */
describe('a client learns the other clients\' builds through its hub', () => {
  it('an older client already there and a newer one that joins later are tagged at another client, in every host', async () => {
    const h = await startHub()
    // Builds from before hellos said a version: a hello with none.
    const otto = await rawClient(h.addr(), { type: 'hello', name: 'otto', version: 1, seq: 0 })
    try {
      await until('hub has otto', () => h.hub.peers().some(p => p.peerId === otto.peerId))
      const cleo = await startClient('cleo', h.addr())
      const bob = await startClient('bob', h.addr())
      // Cleo joined after otto: she hears of him, with his build, in the hub's word on who is here.
      await until('cleo hears of otto\'s build', () => heardOf(cleo, otto.peerId)?.build !== undefined, 15_000)
      expect(heardOf(cleo, otto.peerId)).toMatchObject({ name: 'otto', state: 'online', build: { level: 0, compared: 'older' } })
      // Bob joined after her, on this build: she hears his join with it, and he hears hers.
      await until('cleo hears of bob\'s build', () => heardOf(cleo, bob.engine.peerId)?.build !== undefined, 15_000)
      expect(heardOf(cleo, bob.engine.peerId)?.build).toEqual({ version: APP_VERSION, level: FEATURE_LEVEL, compared: 'same' })
      await until('bob hears of cleo\'s build', () => heardOf(bob, cleo.engine.peerId)?.build !== undefined, 15_000)
      expect(heardOf(bob, cleo.engine.peerId)?.build).toEqual({ version: APP_VERSION, level: FEATURE_LEVEL, compared: 'same' })
      // A newer client joins while both are here.
      const nova = await rawClient(h.addr(), { type: 'hello', name: 'nova', version: 1, seq: 0, app: { version: '9.0.0\u202e<b>', level: FEATURE_LEVEL + 1 } })
      try {
        for (const c of [cleo, bob]) await until('nova\'s build heard', () => heardOf(c, nova.peerId)?.build !== undefined, 15_000)
        expect(heardOf(cleo, nova.peerId)?.build).toEqual({ version: '9.0.0b', level: FEATURE_LEVEL + 1, compared: 'newer' })
        // --json prints the events as they are: the one that lists nova says its build.
        expect(cleo.events.some(e => e.type === 'peer:presence' && e.peerId === nova.peerId && e.build?.compared === 'newer')).toBe(true)
        // The terminal's /who (a client's /peers is the hub alone) marks the two that differ, as the window does.
        const lines = (await whoText(cleo)).split('\n').sort()
        expect(lines).toEqual(['● bob online', '● nova online [newer LAN Chat 9.0.0b]', '● otto online [older LAN Chat]'])
      } finally {
        await nova.stop()
      }
      // Gone, it keeps the build it ran, as a peer heard of through a mesh does.
      await until('cleo sees nova gone', () => heardOf(cleo, nova.peerId)?.state === 'offline', 15_000)
      expect(heardOf(cleo, nova.peerId)?.build?.compared).toBe('newer')
    } finally {
      await otto.stop()
    }
  }, 60_000)

  it('a client that joins after another left still tags the one gone, with the build its hello said', async () => {
    const h = await startHub()
    const nova = await rawClient(h.addr(), { type: 'hello', name: 'nova', version: 1, seq: 0, app: { version: '9.2.0', level: FEATURE_LEVEL + 1 } })
    const otto = await rawClient(h.addr(), { type: 'hello', name: 'otto', version: 1, seq: 0 })
    await until('hub has both', () => [nova.peerId, otto.peerId].every(id => h.hub.peers().some(p => p.peerId === id)))
    await nova.stop()
    await otto.stop()
    await until('hub saw both leave', () => !h.hub.peers().some(p => (p.peerId === nova.peerId || p.peerId === otto.peerId) && p.connected))
    // Cleo joins after they left: the hub's word on who left says which LAN Chat each ran.
    const cleo = await startClient('cleo', h.addr())
    await until('cleo hears nova left', () => heardOf(cleo, nova.peerId)?.state === 'offline', 15_000)
    await until('cleo hears otto left', () => heardOf(cleo, otto.peerId)?.state === 'offline', 15_000)
    expect(heardOf(cleo, nova.peerId)).toMatchObject({ name: 'nova', state: 'offline', build: { version: '9.2.0', level: FEATURE_LEVEL + 1, compared: 'newer' } })
    expect(heardOf(cleo, otto.peerId)).toMatchObject({ name: 'otto', state: 'offline', build: { level: 0, compared: 'older' } })
    const lines = (await whoText(cleo)).split('\n')
    expect(lines.find(l => l.includes('nova'))).toContain('[newer LAN Chat 9.2.0]')
    // The lobby's members are everyone known: /members tags them as /who does.
    const members = (await whoText(cleo, '/members')).split('\n')
    expect(members.find(l => l.includes('otto'))).toContain('[older LAN Chat]')
  }, 30_000)

  it('a hub says a build with the level alone for a client whose hello said none; an older hub\'s word says none', () => {
    const frame = { type: 'presence' as const, state: 'online' as const, peer: 'peer-a', name: 'otto' }
    expect(decodeHubFrame(encodeHubFrame({ ...frame, app: { level: 0 } }))).toEqual({ ...frame, app: { level: 0 } })
    expect(decodeHubFrame(encodeHubFrame({ ...frame, app: { version: '0.1.0', level: 1 } }))).toEqual({ ...frame, app: { version: '0.1.0', level: 1 } })
    expect(decodeHubFrame(encodeHubFrame(frame))).toEqual(frame)
  })

  it('a client cannot say another\'s build, nor change its own after its hello', async () => {
    const h = await startHub()
    const cleo = await startClient('cleo', h.addr())
    const bob = await startClient('bob', h.addr())
    // Mallory says no build in her hello: an older one, as the hub tells the others.
    const mallory = await rawClient(h.addr(), { type: 'hello', name: 'mallory', version: 1, seq: 0 })
    try {
      await until('cleo hears of mallory', () => heardOf(cleo, mallory.peerId)?.build !== undefined, 15_000)
      await until('cleo hears of bob', () => heardOf(cleo, bob.engine.peerId)?.build !== undefined, 15_000)
      // A presence frame in bob's name saying an old build, and one of her own saying a newer one.
      mallory.send({ type: 'presence', state: 'away', peer: bob.engine.peerId, name: 'bob', app: { version: '0.0.1', level: 0 } })
      await new Promise(resolve => setTimeout(resolve, PRESENCE_MIN_GAP_MS + 100))
      mallory.send({ type: 'presence', state: 'online', status: 'judged', app: { version: '9.9.9', level: FEATURE_LEVEL + 5 } })
      // The hub passed them on as hers: once cleo has her status, she has judged both.
      await until('cleo took mallory\'s presence', () => heardOf(cleo, mallory.peerId)?.status === 'judged', 15_000)
      // A hello again (a rename) with another build.
      mallory.send({ type: 'hello', name: 'mallory2', version: 1, seq: 0, app: { version: '9.9.9', level: FEATURE_LEVEL + 5 } })
      await until('cleo took mallory\'s rename', () => heardOf(cleo, mallory.peerId)?.name === 'mallory2', 15_000)
      expect(heardOf(cleo, bob.engine.peerId)).toMatchObject({ state: 'online', build: { version: APP_VERSION, level: FEATURE_LEVEL, compared: 'same' } })
      expect(heardOf(cleo, mallory.peerId)?.build).toEqual({ level: 0, compared: 'older' })
    } finally {
      await mallory.stop()
    }
  }, 60_000)
})

/** A claim as `key` signs it. */
function signedClaim (key: PrivateKey, news: PresenceClaimView): SignedClaim {
  const claim = encodeClaim(news)
  return { claim, sig: signSync(key, new Uint8Array([...PRESENCE_SIGNED_PREFIX, ...claim])), news }
}

const listed = (viewer: { engine: { peers: () => Array<{ peerId: string, connected: boolean, build?: unknown, addrs?: string[] }> } }, peerId: string): { connected: boolean, build?: unknown, addrs?: string[] } | undefined =>
  viewer.engine.peers().find(p => p.peerId === peerId)

/**
 * A classroom: each peer links to a few others, and hears of the rest through
 * the mesh, by their signed presence claims. A claim says its peer's build too,
 * so everyone in the list is tagged, not only the peers linked to us.
 */
describe('a peer heard of only through the mesh', () => {
  it('is tagged with the build its own claim says, cleaned as a hello\'s, and keeps it when it goes', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('bob')
    const nova = await Attacker.connect(b.addr(), 'nova', { hello: false })
    // Ann never links to nova: she hears of it only through bob.
    await a.engine.cut(nova.peerId)
    const app = { version: '9.0.0\u001b[31m\u202e<b>', level: FEATURE_LEVEL + 1 }
    nova.frame({ type: 'hello', name: 'nova', version: 1, app })
    nova.frame({ type: 'presence-news', claims: [signedClaim(nova.key, { peer: nova.peerId, name: 'nova', state: 'online', at: Date.now(), app })] })
    await connect(a, b)
    await until('ann hears of nova', () => listed(a, nova.peerId)?.build !== undefined)
    expect(listed(a, nova.peerId)).toMatchObject({ connected: false, build: { version: '9.0.031mb', level: FEATURE_LEVEL + 1, compared: 'newer' } })
    // Bob, linked to it, lists it as its hello said.
    expect(listed(b, nova.peerId)).toMatchObject({ connected: true, build: { version: '9.0.031mb', compared: 'newer' } })
    // It goes (a goodbye it never says): both still know which LAN Chat it ran.
    await nova.stop()
    await until('bob lost nova', () => listed(b, nova.peerId)?.connected !== true)
    expect(listed(b, nova.peerId)?.build).toMatchObject({ version: '9.0.031mb', compared: 'newer' })
    expect(listed(a, nova.peerId)?.build).toMatchObject({ version: '9.0.031mb', compared: 'newer' })
  }, 30_000)

  it('three peers in a line: the far end\'s build reaches the other end, and a relay can neither change it nor say one in its name', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('bob')
    const c = await startPeer('cat')
    await a.engine.cut(c.engine.peerId)
    await c.engine.cut(a.engine.peerId)
    await connect(b, c)
    await connect(a, b)
    await until('ann hears of cat through bob', () => listed(a, c.engine.peerId)?.build !== undefined)
    expect(listed(a, c.engine.peerId)).toMatchObject({ connected: false, build: { version: APP_VERSION, level: FEATURE_LEVEL, compared: 'same' } })

    // Mallory links to ann and is greeted with every claim she holds, cat's among them.
    const mallory = await Attacker.connect(a.addr())
    const catClaim = (): SignedClaim | undefined => mallory.received.flatMap(f => f.type === 'presence-news' ? f.claims : []).find(x => x.news.peer === c.engine.peerId)
    await until('mallory holds cat\'s claim', () => catClaim() !== undefined)
    const real = catClaim()!
    // Cat's own bytes and signature, with a newer stamp and another build.
    const pb = PresenceClaim.decode(real.claim)
    const altered = PresenceClaim.encode({ ...pb, at: pb.at + 60_000, appVersion: '0.0.1', featureLevel: FEATURE_LEVEL + 5 })
    // And a claim in cat's name with an older build, signed by mallory.
    const forged = signedClaim(mallory.key, { ...real.news, at: real.news.at + 120_000, app: { version: '0.0.1', level: 0 } })
    // Past the gap under which a relay drops a peer's claims unread: these are judged by their signatures.
    await new Promise(resolve => setTimeout(resolve, RELAY_GAP_MS * 2))
    mallory.frame({ type: 'presence-news', claims: [{ claim: altered, sig: real.sig, news: decodeClaim(altered, r => new Error(r)) }, forged] })
    // A claim of mallory's own after them: once ann lists mallory, she has judged the two before.
    mallory.frame({ type: 'presence-news', claims: [signedClaim(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'online', at: Date.now(), status: 'judged' })] })
    await until('ann took mallory\'s own claim', () => a.engine.peers().find(p => p.peerId === mallory.peerId)?.status === 'judged')
    expect(listed(a, c.engine.peerId)?.build).toEqual({ version: APP_VERSION, level: FEATURE_LEVEL, compared: 'same' })
    await mallory.stop()
  }, 30_000)
})

/** A peer on a newer build than ours, as far as a link can tell: it listens, and answers a hello with one that says a newer build. */
async function newerPeer (): Promise<{ node: Libp2p, addr: string, peerId: string }> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // Where it listens, and that it speaks LAN Chat: what puts a peer in the book.
    services: { identify: identify() }
  })
  await node.handle(CHAT_PROTOCOL, (stream) => {
    void (async () => {
      try {
        for await (const chunk of lp.decode(stream)) {
          const f = decodeFrame(chunk.subarray())
          if (f.type === 'hello') stream.send(lp.encode.single(encodeFrame({ type: 'hello', name: 'nova', version: 1, app: { version: '9.0.0', level: FEATURE_LEVEL + 1 } })))
        }
      } catch { /* it went */ }
    })()
  })
  return { node, addr: node.getMultiaddrs()[0]!.toString(), peerId: node.peerId.toString() }
}

describe('a peer that went', () => {
  it('is still tagged with its build after a restart of ours', async () => {
    const a = await startPeer('ann')
    const nova = await newerPeer()
    try {
      await a.engine.dial(nova.addr)
      // Linked, and in ann's book with its address (libp2p's identify, which may come after the hello): a peer known so
      // is one that was really here. Stopped before identify (seen on a loaded machine), nova would be a key like the made-up ones.
      await until('ann linked to nova', () => listed(a, nova.peerId)?.connected === true && (listed(a, nova.peerId)?.addrs?.length ?? 0) > 0)
      expect(listed(a, nova.peerId)?.build).toMatchObject({ version: '9.0.0', compared: 'newer' })
    } finally {
      await nova.node.stop()
    }
    await until('nova gone', () => listed(a, nova.peerId)?.connected !== true)
    await stopPeer(a)
    const again = await startPeer('ann', { dataDir: a.dataDir })
    // Known from the book, offline: the list still says which LAN Chat it ran.
    expect(listed(again, nova.peerId)).toMatchObject({ connected: false, build: { version: '9.0.0', level: FEATURE_LEVEL + 1, compared: 'newer' } })
  }, 30_000)

  it('keeps its build, running and across a restart, while claims signed under more made-up keys than it keeps builds of come after it', async () => {
    const a = await startPeer('ann')
    const nova = await newerPeer()
    try {
      await a.engine.dial(nova.addr)
      // Linked, and in ann's book with its address (libp2p's identify, which may come after the hello): a peer known so
      // is one that was really here. Stopped before identify (seen on a loaded machine), nova would be a key like the made-up ones.
      await until('ann linked to nova', () => listed(a, nova.peerId)?.connected === true && (listed(a, nova.peerId)?.addrs?.length ?? 0) > 0)
    } finally {
      await nova.node.stop()
    }
    await until('nova gone', () => listed(a, nova.peerId)?.connected !== true)
    // Mallory makes up more keys than ann keeps builds of (in memory, and so on disk), each signing a claim with a build: none ever links to ann.
    const mallory = await Attacker.connect(a.addr())
    const keys = await Promise.all(Array.from({ length: MAX_PEOPLE + 100 }, async () => await generateKeyPair('Ed25519')))
    const claims = keys.map((key, i) => signedClaim(key, { peer: peerIdFromPrivateKey(key).toString(), name: `sock${i}`, state: 'online', at: Date.now(), app: { version: '0.0.1', level: 0 } }))
    for (let i = 0; i < claims.length; i += 1000) mallory.frame({ type: 'presence-news', claims: claims.slice(i, i + 1000) })
    const last = claims.at(-1)!.news.peer
    await until('ann heard every made-up key', () => a.engine.peers().some(p => p.peerId === last && p.build !== undefined), 40_000)
    // Nova is in ann's book: still listed, and still tagged with its build.
    expect(listed(a, nova.peerId)).toMatchObject({ connected: false, build: { version: '9.0.0', compared: 'newer' } })
    await mallory.stop()
    await stopPeer(a)
    const again = await startPeer('ann', { dataDir: a.dataDir })
    // Nova, who really linked to ann, is still tagged; the made-up keys gave up room for it.
    expect(listed(again, nova.peerId)).toMatchObject({ connected: false, build: { version: '9.0.0', level: FEATURE_LEVEL + 1, compared: 'newer' } })
    await stopPeer(again)
    const { store } = PeerStore.open(a.dataDir)
    try {
      expect(Object.keys(store.keptBuilds)).toHaveLength(MAX_KNOWN_PEERS)
      expect(store.keptBuilds[nova.peerId]).toEqual({ version: '9.0.0', level: FEATURE_LEVEL + 1 })
    } finally {
      store.close()
    }
  }, 90_000)

  it('builds kept in a damaged or doctored database are read back cleaned, or not at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanchat-builds-'))
    try {
      const first = PeerStore.open(dir).store
      first.db.setJson('people', 'builds', { good: { version: '9.0.0\u202e<x>', level: 3 }, junk: 'x', odd: { version: 7, level: -1 }, '': { level: 1 } })
      first.close()
      const { store } = PeerStore.open(dir)
      expect(store.keptBuilds).toEqual({ good: { version: '9.0.0x', level: 3 }, odd: { level: 0 } })
      store.close()
      const bad = PeerStore.open(dir).store
      bad.db.setJson('people', 'builds', ['not', 'a', 'map'])
      bad.close()
      const again = PeerStore.open(dir).store
      expect(again.keptBuilds).toEqual({})
      again.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/**
 * An engine switched from peer to peer to client mode keeps what it hears in the client's part of
 * its data: the people list's hooks go with the mode that runs, never to the store it closed.
 */
describe('builds heard after a switch to client mode', () => {
  it('are kept in the client\'s store, with no write to the closed P2P one: a blocked client is still tagged after a restart', async () => {
    const logs: string[] = []
    const me = await startPeer('me', { log: line => { logs.push(line) } })
    const nova0 = await newerPeer()
    try {
      // Heard in P2P first: the list's hooks are the mesh's then.
      await me.engine.dial(nova0.addr)
      await until('me linked to nova0', () => listed(me, nova0.peerId)?.build !== undefined)
    } finally {
      await nova0.node.stop()
    }
    const h = await startHub()
    await me.engine.switchMode('client', h.addr())
    const nova = await rawClient(h.addr(), { type: 'hello', name: 'nova', version: 1, seq: 0, app: { version: '9.1.0', level: FEATURE_LEVEL + 1 } })
    try {
      await until('me hears of nova\'s build through the hub', () => heardOf(me, nova.peerId)?.build !== undefined, 15_000)
      expect(heardOf(me, nova.peerId)?.build).toEqual({ version: '9.1.0', level: FEATURE_LEVEL + 1, compared: 'newer' })
      await me.engine.block(nova.peerId)
      // Blocked: listed where the window unblocks them, with the tag.
      expect(listed(me, nova.peerId)?.build).toMatchObject({ version: '9.1.0', compared: 'newer' })
      // Past the store's write delay: a write to the closed store would have failed by now.
      await new Promise(resolve => setTimeout(resolve, 500))
    } finally {
      await nova.stop()
    }
    const errors = me.events.filter(e => e.type === 'error')
    await stopPeer(me)
    await stopHub(h)
    expect(errors).toEqual([])
    expect(logs.filter(l => /not open|closed|builds/i.test(l))).toEqual([])
    // Started again in client mode, its hub gone: the blocked client keeps the build the hub told.
    const again = await startClient('me', h.addr(), { dataDir: me.dataDir })
    expect(listed(again, nova.peerId)).toMatchObject({ connected: false, blocked: true, build: { version: '9.1.0', level: FEATURE_LEVEL + 1, compared: 'newer' } })
  }, 60_000)
})
