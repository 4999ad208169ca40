import { afterEach, describe, expect, it } from 'vitest'
import type { PresenceClaimView, PresenceNewsFrame } from '../main/net/live-codec.js'
import { PRESENCE_SIGNED_PREFIX, encodeClaim } from '../main/net/live-codec.js'
import type { Frame } from '../main/net/codec.js'
import { signSync } from '../main/chat/verify.js'
import type { PrivateKey } from '@libp2p/interface'
import { Attacker } from './helpers/attacker.js'
import { cleanup, connect, keepApart, startPeer, until, type TestPeer } from './helpers/peers.js'
import { PRESENCE_ANNOUNCE_MAX_MS, PRESENCE_ANNOUNCE_MS, PRESENCE_LEASE_MS, PRESENCE_PER_PEER_MS, PresenceRelay, RELAY_GAP_MS, announceDelay } from '../main/chat/presence-relay.js'
import { LivePeople, type OwnPresence } from '../main/chat/live.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'

/** A presence claim signed by `key` (whoever it names). */
function news (key: PrivateKey, claim: PresenceClaimView): Frame {
  const bytes = encodeClaim(claim)
  return { type: 'presence-news', claims: [{ claim: bytes, sig: signSync(key, new Uint8Array([...PRESENCE_SIGNED_PREFIX, ...bytes])), news: claim }] }
}

const presence = (viewer: TestPeer, peerId: string): string | undefined => viewer.engine.peers().find(p => p.peerId === peerId)?.presence

describe('presence claims passed on through the mesh', () => {
  afterEach(cleanup)

  it('a claim in another peer\'s name is refused; one\'s own is passed on, once per quarter second at most', async () => {
    const v = await startPeer('victim')
    const far = await startPeer('far')
    await connect(v, far)
    const mallory = await Attacker.connect(v.addr())
    await until('far online at the victim', () => presence(v, far.engine.peerId) === 'online')

    // In far's name, signed by mallory's key: far does not go away.
    mallory.frame(news(mallory.key, { peer: far.engine.peerId, name: 'far', state: 'away', at: Date.now() }))
    // Mallory's own word about itself counts, and reaches far, which has no link to mallory.
    mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'away', at: Date.now() }))
    await until('far hears that mallory is away', () => presence(far, mallory.peerId) === 'away')
    expect(far.engine.peers().find(p => p.peerId === mallory.peerId)?.connected).toBe(false)
    expect(presence(v, far.engine.peerId)).toBe('online')
    expect(presence(far, far.engine.peerId)).toBeUndefined()

    // A flood of its own claims: far hears a handful, not a thousand.
    const heard = (): number => far.events.filter(e => e.type === 'peer:presence' && e.peerId === mallory.peerId).length
    const before = heard()
    const t0 = Date.now()
    for (let i = 1; i <= 1000; i++) mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: i % 2 === 0 ? 'away' : 'online', at: t0 + i }))
    mallory.frame(news(mallory.key, { peer: far.engine.peerId, name: 'far', state: 'offline', at: t0 + 2000 }))
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(heard() - before).toBeLessThan(20)
    expect(presence(v, far.engine.peerId)).toBe('online')
    await mallory.stop()
  })

  it('an old claim replayed after a newer one changes nothing; a goodbye always counts', async () => {
    const v = await startPeer('victim')
    const mallory = await Attacker.connect(v.addr())
    const t = Date.now()
    mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'away', at: t }))
    await until('away', () => presence(v, mallory.peerId) === 'away')
    await new Promise(resolve => setTimeout(resolve, 300))
    mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'online', at: t - 10 }))
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(presence(v, mallory.peerId)).toBe('away')
    // A goodbye right after another claim is never dropped as too soon: it is the last word.
    mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'online', at: t + 5 }))
    mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'offline', at: t + 6 }))
    await until('offline', () => presence(v, mallory.peerId) === 'offline')
    await mallory.stop()
  })

  it('a status set on a clock hours ahead or days behind lasts as long here as it was set for, and a goodbye on one says now, not days ago', async () => {
    const v = await startPeer('victim')
    const of = (peerId: string): { status?: string, statusUntil?: number, state?: string, lastSeen?: number } => v.engine.presence().find(p => p.peerId === peerId) ?? {}
    // Kenji's clock is three hours ahead: "In a meeting" for 30 minutes ends, here, in 30 minutes, not in three and a half hours.
    const kenji = await Attacker.connect(v.addr(), 'kenji')
    const kenjiNow = Date.now() + 3 * 3_600_000
    kenji.frame(news(kenji.key, { peer: kenji.peerId, name: 'kenji', state: 'online', at: kenjiNow, status: 'In a meeting', statusUntil: kenjiNow + 30 * 60_000 }))
    await until('kenji\'s status', () => of(kenji.peerId).status === 'In a meeting')
    const here = Date.now()
    expect(of(kenji.peerId).statusUntil).toBeGreaterThan(here + 28 * 60_000)
    expect(of(kenji.peerId).statusUntil).toBeLessThanOrEqual(here + 30 * 60_000)

    // Greta's is two days behind: her "Lunch" for an hour is shown (its end is not two days gone), and ends in an hour.
    const greta = await Attacker.connect(v.addr(), 'greta')
    const gretaNow = Date.now() - 2 * 86_400_000
    greta.frame(news(greta.key, { peer: greta.peerId, name: 'greta', state: 'online', at: gretaNow, status: 'Lunch', statusUntil: gretaNow + 3_600_000 }))
    await until('greta\'s status', () => of(greta.peerId).status === 'Lunch')
    expect(of(greta.peerId).statusUntil).toBeGreaterThan(Date.now() + 58 * 60_000)
    // She leaves (a goodbye passed on through the mesh, her link still up): last seen now, not two days ago.
    greta.frame(news(greta.key, { peer: greta.peerId, name: 'greta', state: 'offline', at: gretaNow + 300 }))
    await until('greta offline', () => of(greta.peerId).state === 'offline')
    expect(of(greta.peerId).lastSeen).toBeGreaterThan(Date.now() - 60_000)
    await kenji.stop()
    await greta.stop()
  })

  it('a goodbye heard long after it was said (a peer that restarted hears it again) says when it was said, not when it was heard', async () => {
    const v = await startPeer('victim')
    const far = await startPeer('far')
    await connect(v, far)
    const mallory = await Attacker.connect(v.addr())
    const said = Date.now() - 10 * 60_000
    mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'offline', at: said }))
    await until('far hears it', () => presence(far, mallory.peerId) === 'offline')
    for (const p of [v, far]) expect(p.engine.peers().find(x => x.peerId === mallory.peerId)?.lastSeen).toBe(said)
    // One said to be from the future is read as now.
    const mallory2 = await Attacker.connect(v.addr())
    mallory2.frame(news(mallory2.key, { peer: mallory2.peerId, name: 'mallory2', state: 'offline', at: Date.now() + 3_600_000 }))
    await until('offline', () => presence(v, mallory2.peerId) === 'offline')
    expect(v.engine.peers().find(x => x.peerId === mallory2.peerId)?.lastSeen).toBeLessThanOrEqual(Date.now())
    await mallory.stop()
    await mallory2.stop()
  })

  it('a goodbye missed while cut off is heard at the next link, with when it was said', async () => {
    const v = await startPeer('victim')
    const far = await startPeer('far')
    await connect(v, far)
    const mallory = await Attacker.connect(v.addr())
    const t = Date.now()
    mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'online', at: t }))
    await until('far hears mallory online', () => presence(far, mallory.peerId) === 'online')
    await far.engine.cut(v.engine.peerId)
    await until('far cut off', () => !far.engine.peers().some(p => p.peerId === v.engine.peerId && p.connected))
    mallory.frame(news(mallory.key, { peer: mallory.peerId, name: 'mallory', state: 'offline', at: t + 1_000 }))
    await until('the victim hears the goodbye', () => presence(v, mallory.peerId) === 'offline')
    // Far missed it; cut off from everyone, it no longer says mallory is here, last seen when it lost its link.
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(presence(far, mallory.peerId)).toBe('offline')
    expect(far.engine.peers().find(p => p.peerId === mallory.peerId)?.lastSeen).toBeLessThan(t + 1_000)
    far.engine.heal()
    await connect(far, v)
    // Offline already; the goodbye, heard at the new link, says when mallory left.
    await until('far hears the goodbye at the new link', () => far.engine.peers().find(p => p.peerId === mallory.peerId)?.lastSeen === t + 1_000, 5_000)
    expect(presence(far, mallory.peerId)).toBe('offline')
    await mallory.stop()
  })

  it('cut off from everyone, nobody heard through the mesh reads as here; the next link brings them back at once', async () => {
    const a = await startPeer('ann')
    const b = await startPeer('bob')
    const c = await startPeer('cat')
    // A line: bob would tell each end of the other (peer exchange).
    await keepApart(a, c)
    await connect(a, b)
    await connect(c, b)
    await until('cat online at ann, through bob', () => presence(a, c.engine.peerId) === 'online')
    expect(a.engine.peers().find(p => p.peerId === c.engine.peerId)?.connected).toBe(false)
    const before = Date.now()
    await a.engine.cut(b.engine.peerId)
    // Not after cat's lease (150 s): ann can no longer hear cat leave, so she stops saying cat is here.
    await until('cat offline at ann once she is alone', () => presence(a, c.engine.peerId) === 'offline', 3_000)
    expect(a.engine.peers().find(p => p.peerId === c.engine.peerId)?.lastSeen).toBeGreaterThanOrEqual(before)
    // Bob, still linked to cat, still has cat online.
    expect(presence(b, c.engine.peerId)).toBe('online')
    a.engine.heal()
    await connect(a, b)
    // Bob's link greeting carries cat's last claim, the same bytes ann had: it counts again, without waiting for cat's renewal.
    await until('cat online at ann again', () => presence(a, c.engine.peerId) === 'online', 3_000)
  })

  it('a new link hears our last claim, not a new one that would cross the whole mesh again', async () => {
    const key = await generateKeyPair('Ed25519')
    const sent: Array<{ to: string, frame: Frame }> = []
    let own: OwnPresence = 'online'
    let name = 'me'
    const relay = new PresenceRelay({
      self: () => ({ peerId: peerIdFromPrivateKey(key).toString(), name }),
      sign: bytes => signSync(key, bytes),
      transport: { broadcast: () => 0, send: (to, frame) => { sent.push({ to, frame }); return true }, connectedPeers: () => [] },
      people: new LivePeople(() => {}),
      own: () => own,
      log: () => {}
    })
    relay.start()
    const mine = (to: string): string => {
      const f = sent.filter(x => x.to === to).at(-1)!.frame
      if (f.type !== 'presence-news') throw new Error(f.type)
      return Buffer.from(f.claims[0]!.sig).toString('hex')
    }
    relay.linkUp('a')
    relay.linkUp('b')
    // The same claim, byte for byte: everyone who had it drops it unchecked.
    expect(mine('b')).toBe(mine('a'))
    own = 'away'
    relay.linkUp('c')
    expect(mine('c')).not.toBe(mine('a'))
    name = 'renamed'
    relay.linkUp('d')
    expect(mine('d')).not.toBe(mine('c'))
    relay.stop()
  })

  it('our news right after a claim goes within a second, even once the wall clock was set back an hour', async () => {
    const key = await generateKeyPair('Ed25519')
    const said: string[] = []
    let own: OwnPresence = 'online'
    let t = Date.now()
    const relay = new PresenceRelay({
      self: () => ({ peerId: peerIdFromPrivateKey(key).toString(), name: 'me' }),
      sign: bytes => signSync(key, bytes),
      transport: { broadcast: (f) => { if (f.type === 'presence-news') said.push(f.claims[0]!.news.state); return 0 }, send: () => true, connectedPeers: () => [] },
      people: new LivePeople(() => {}),
      own: () => own,
      log: () => {}
    }, () => t)
    relay.start()
    try {
      // The computer's clock is put right: an hour back (claims stay newer than the last one, as relays want).
      t -= 3_600_000
      own = 'away'
      relay.news()
      // The news waits for the gap after our last claim (a second), not for the clock to catch up with it (an hour).
      await new Promise(resolve => setTimeout(resolve, 1_500))
      expect(said).toEqual(['online', 'away'])
    } finally {
      relay.stop()
    }
  })

  it('news waiting for the gap goes with a renewal that comes first, not again right after it (a relay would drop that one)', async () => {
    const key = await generateKeyPair('Ed25519')
    const said: Array<{ state: string, at: number }> = []
    let own: OwnPresence = 'online'
    // Renewals every 900 ms: the one after the start comes while news set 100 ms after it waits for its second.
    const relay = new PresenceRelay({
      self: () => ({ peerId: peerIdFromPrivateKey(key).toString(), name: 'me' }),
      sign: bytes => signSync(key, bytes),
      transport: { broadcast: (f) => { if (f.type === 'presence-news') said.push({ state: f.claims[0]!.news.state, at: performance.now() }); return 0 }, send: () => true, connectedPeers: () => [] },
      people: new LivePeople(() => {}),
      own: () => own,
      log: () => {}
    }, Date.now, 900)
    relay.start()
    try {
      await new Promise(resolve => setTimeout(resolve, 100))
      own = 'away'
      relay.news()
      await new Promise(resolve => setTimeout(resolve, 1_300))
      // The renewal said it: away, once, and no claim of ours closer than a relay takes to the one before.
      expect(said.map(c => c.state)).toEqual(['online', 'away'])
      for (let i = 1; i < said.length; i++) expect(said[i]!.at - said[i - 1]!.at).toBeGreaterThanOrEqual(RELAY_GAP_MS)
    } finally {
      relay.stop()
    }
  })

  it('news waiting for its gap still goes when a renewal falls too close to our last claim for relays to take it', async () => {
    const key = await generateKeyPair('Ed25519')
    const me = peerIdFromPrivateKey(key).toString()
    // A real relay hearing us: it keeps what it takes, and drops a claim closer than RELAY_GAP_MS to the one it took before.
    const seen: string[] = []
    const far = await generateKeyPair('Ed25519')
    const relay = new PresenceRelay({
      self: () => ({ peerId: peerIdFromPrivateKey(far).toString(), name: 'far' }),
      sign: bytes => signSync(far, bytes),
      transport: { broadcast: () => 0, send: () => true, connectedPeers: () => [] },
      people: new LivePeople(e => { if (e.type === 'peer:presence' && e.peerId === me) seen.push(e.state) }),
      own: () => 'online',
      log: () => {}
    })
    let own: OwnPresence = 'online'
    // Renewals every 1.5 s. Away at 1.4 s goes at once (a second after the start's claim); online again at 1.45 s
    // waits for its second (until 2.4 s); the renewal at 1.5 s comes 100 ms after the away claim, and relays drop it.
    const sender = new PresenceRelay({
      self: () => ({ peerId: me, name: 'me' }),
      sign: bytes => signSync(key, bytes),
      transport: { broadcast: (f) => { if (f.type === 'presence-news') relay.heard('me', f); return 0 }, send: () => true, connectedPeers: () => [] },
      people: new LivePeople(() => {}),
      own: () => own,
      log: () => {}
    }, Date.now, 1_500)
    sender.start()
    try {
      await new Promise(resolve => setTimeout(resolve, 1_400))
      own = 'away'
      sender.news()
      await new Promise(resolve => setTimeout(resolve, 50))
      own = 'online'
      sender.news()
      await new Promise(resolve => setTimeout(resolve, 1_250))
      // By 2.7 s (before the next renewal, at 3 s) the relay heard that we are back.
      expect(seen.at(-1)).toBe('online')
      expect(seen).toContain('away')
    } finally {
      sender.stop()
      relay.stop()
    }
  })

  it('a lost link is said at once after the wall clock was set back, not an hour later', async () => {
    const key = await generateKeyPair('Ed25519')
    const said: number[] = []
    let t = Date.now()
    const relay = new PresenceRelay({
      self: () => ({ peerId: peerIdFromPrivateKey(key).toString(), name: 'me' }),
      sign: bytes => signSync(key, bytes),
      transport: { broadcast: (f) => { if (f.type === 'presence-news') said.push(t); return 0 }, send: () => true, connectedPeers: () => ['x', 'y', 'z'] },
      people: new LivePeople(() => {}),
      own: () => 'online',
      log: () => {}
    }, () => t)
    relay.start()
    try {
      t += 10_000
      relay.linkLost('x', 'x', t)
      expect(said).toHaveLength(2)
      // The clock is put right, an hour back; then another link is lost: still here, said through the others now.
      t -= 3_600_000
      relay.linkLost('y', 'y', t)
      expect(said).toHaveLength(3)
    } finally {
      relay.stop()
    }
  })

  it('in a large room renewals come less often and the lease grows with them; in a small one, every minute', async () => {
    expect(announceDelay(0)).toBe(PRESENCE_ANNOUNCE_MS)
    expect(announceDelay(30)).toBe(PRESENCE_ANNOUNCE_MS)
    expect(announceDelay(100)).toBe(100 * PRESENCE_PER_PEER_MS)
    expect(announceDelay(10_000)).toBe(PRESENCE_ANNOUNCE_MAX_MS)

    const keys = await Promise.all(Array.from({ length: 60 }, async () => await generateKeyPair('Ed25519')))
    let t = Date.now()
    const gone: string[] = []
    const people = new LivePeople(e => { if (e.type === 'peer:presence' && e.state === 'offline') gone.push(e.peerId) })
    const me = await generateKeyPair('Ed25519')
    const relay = new PresenceRelay({
      self: () => ({ peerId: peerIdFromPrivateKey(me).toString(), name: 'me' }),
      sign: bytes => signSync(me, bytes),
      transport: { broadcast: () => 0, send: () => true, connectedPeers: () => [] },
      people,
      own: () => 'online',
      log: () => {}
    }, () => t)
    for (const key of keys) relay.heard('l1', news(key, { peer: peerIdFromPrivateKey(key).toString(), name: 'p', state: 'online', at: t }) as PresenceNewsFrame)
    // 60 present: renewals every 90 s, so a claim is good for 225 s, not 150.
    const lease = PRESENCE_LEASE_MS * 60 * PRESENCE_PER_PEER_MS / PRESENCE_ANNOUNCE_MS
    t += PRESENCE_LEASE_MS + 1_000
    relay.expire()
    expect(gone).toEqual([])
    t += lease - PRESENCE_LEASE_MS
    relay.expire()
    expect(gone).toHaveLength(60)
  })
})
