import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { addrOfPeer, dialableAddr } from '../main/net/addr.js'
import { cleanup, startPeer, stopPeer, until, type TestPeer } from './helpers/peers.js'
import { Attacker } from './helpers/attacker.js'

/**
 * Peer exchange: where mDNS does not reach (multicast filtered on the Wi-Fi,
 * or turned off), people connect by address, each to someone they know. A
 * link that comes up hears which peers the other end is linked to, so the
 * mesh forms anyway instead of a star around whoever was dialed first.
 */

const linked = (p: TestPeer, q: TestPeer): boolean => p.engine.peers().some(v => v.peerId === q.engine.peerId && v.connected && v.connections.length > 0)

describe('peers that connected by address to one peer', () => {
  afterEach(cleanup)

  it('link up with each other, and go on chatting when the one they dialed quits', async () => {
    const alice = await startPeer('alice')
    const bob = await startPeer('bob')
    const carol = await startPeer('carol')
    await bob.engine.dial(alice.addr())
    await until('bob linked to alice', () => linked(bob, alice))
    await carol.engine.dial(alice.addr())
    // Neither typed the other's address: alice told the newcomer of bob.
    await until('bob and carol linked directly', () => linked(bob, carol) && linked(carol, bob), 15_000)
    // Alice now knows each of them from their own link and from the other's word: cut off and healed, she links up again.
    await alice.engine.cut('*')
    await until('alice alone', () => !linked(alice, bob) && !linked(alice, carol))
    alice.engine.heal()
    await until('alice back with both', () => linked(alice, bob) && linked(alice, carol), 15_000)
    await stopPeer(alice)
    await until('alice gone at both', () => !linked(bob, alice) && !linked(carol, alice))
    await bob.engine.send('lobby', 'still here without alice')
    await until('carol has it', () => carol.delivered().includes('still here without alice'))
    // And they still know each other after a restart of one: the address is saved once they linked.
    expect(carol.engine.peers().find(v => v.peerId === bob.engine.peerId)?.addrs).toContain(bob.addr().replace(/\/p2p\/.*$/, ''))
  }, 40_000)

  it('a peer that linked before the others came hears of them too', async () => {
    const alice = await startPeer('alice')
    const bob = await startPeer('bob')
    const carol = await startPeer('carol')
    const dan = await startPeer('dan')
    // Both dial at once: whoever alice linked first is told of the other as the other's link comes up.
    await Promise.all([bob.engine.dial(alice.addr()), carol.engine.dial(alice.addr()), dan.engine.dial(alice.addr())])
    const all = [alice, bob, carol, dan]
    await until('everyone linked to everyone (under the overlay\'s four links each)', () => all.every(p => all.every(q => p === q || linked(p, q))), 20_000)
  }, 40_000)
})

describe('a class with no mDNS, everyone typing the teacher\'s address', () => {
  afterEach(cleanup)

  it('forms one mesh of a few links each, not a star the teacher cannot hold, and every message reaches everyone', async () => {
    const N = 30
    const teacher = await startPeer('teacher')
    const students: TestPeer[] = []
    // Started a few at a time, as a class comes in (thirty handshakes at once on two cores is a test of the machine).
    for (let i = 0; i < N; i += 10) {
      const some = await Promise.all(Array.from({ length: Math.min(10, N - i) }, async (_, k) => await startPeer(`s${i + k}`)))
      // A handshake can time out on a loaded machine, ten at once into one teacher: a student types the address again.
      await Promise.all(some.map(async s => {
        for (let tries = 1; ; tries++) {
          try { await s.engine.dial(teacher.addr()); return } catch (err) { if (tries === 3) throw err }
        }
      }))
      students.push(...some)
    }
    const everyone = [teacher, ...students]
    const links = (p: TestPeer): number => p.engine.peers().filter(v => v.connected && v.connections.length > 0).length
    await until('every student linked to another student', () => students.every(s => s.engine.peers().some(v => v.connected && v.connections.length > 0 && v.peerId !== teacher.engine.peerId)), 60_000)
    // The teacher is not everyone's only link: it holds 20, and sent the rest on to its other links once it had told them of those.
    await until('the teacher at 20 links or fewer', () => links(teacher) <= 20, 15_000)
    // Those sent on read it as a link swapped, not as the teacher gone: she is there all along.
    const teacherEnds = students.flatMap(s => s.events.filter(e => e.type === 'peer:disconnect' && e.peerId === teacher.engine.peerId))
    expect(teacherEnds.length).toBeGreaterThan(0)
    expect(teacherEnds.every(e => e.type === 'peer:disconnect' && e.staying === true)).toBe(true)
    await teacher.engine.send('lobby', 'open your books')
    await students[N - 1]!.engine.send('lobby', 'which page?')
    await until('everyone has both', () => everyone.every(p => p.delivered().includes('open your books') && p.delivered().includes('which page?')), 60_000)
    // And the class goes on when the teacher leaves.
    await stopPeer(teacher)
    await students[0]!.engine.send('lobby', 'she left')
    await until('every student has it', () => students.every(s => s.delivered().includes('she left')), 60_000)
  }, 180_000)
})

describe('what a peer is told of other peers', () => {
  afterEach(cleanup)

  it('a peer id told at another peer\'s address is never linked: the dial names the told id and Noise refuses the other', async () => {
    const victim = await startPeer('victim')
    const honest = await startPeer('honest')
    const mallory = await Attacker.connect(victim.addr())
    await until('mallory linked', () => victim.engine.peers().some(v => v.peerId === mallory.peerId && v.connected))
    const forged = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const port = honest.addr().split('/')[4]
    mallory.frame({
      type: 'peers',
      peers: [
        { id: forged, addrs: [`/ip4/127.0.0.1/tcp/${port}`] },
        // Junk the victim must skip without giving up on the rest of the frame.
        { id: 'not a peer id', addrs: [`/ip4/127.0.0.1/tcp/${port}`] },
        { id: honest.engine.peerId, addrs: ['/ip4/0.0.0.0/tcp/1', '/unix/tmp/x', 'not a multiaddr', `/ip4/127.0.0.1/tcp/${port}`] }
      ]
    })
    // The honest peer, told with one good address among junk, is dialed and linked under its own id.
    await until('the honest peer linked', () => linked(victim, honest), 15_000)
    expect(victim.engine.peers().find(v => v.peerId === honest.engine.peerId)?.name).toBe('honest')
    // The forged id is tried at the honest peer's address and refused; it never shows up.
    await new Promise(resolve => setTimeout(resolve, 3_000))
    expect(victim.engine.peers().some(v => v.peerId === forged)).toBe(false)
    expect(honest.engine.peers().filter(v => v.connected).map(v => v.peerId)).toEqual([victim.engine.peerId])
    // The victim chats on with both.
    await honest.engine.send('lobby', 'hello victim')
    await until('victim has it', () => victim.delivered().includes('hello victim'))
    await mallory.node.stop()
  }, 30_000)

  it('a frame of more peers than a peer exchange carries is refused, and the link goes on', async () => {
    const victim = await startPeer('victim')
    const mallory = await Attacker.connect(victim.addr())
    await until('mallory linked', () => victim.engine.peers().some(v => v.peerId === mallory.peerId && v.connected))
    const ids = await Promise.all(Array.from({ length: 40 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()))
    mallory.frame({ type: 'peers', peers: ids.map(id => ({ id, addrs: ['/ip4/127.0.0.1/tcp/9'] })) })
    await mallory.send(await mallory.message('after the big frame'))
    await until('victim has mallory\'s message', () => victim.delivered().includes('after the big frame'))
    expect(victim.engine.peers().filter(v => ids.includes(v.peerId))).toEqual([])
    await mallory.node.stop()
  }, 30_000)
})

describe('an address another peer told', () => {
  const id = '12D3KooWPycNniiTBJK47ty7d2JBNCZTJdo7wwVNrMbcwddULcZN'
  const other = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'

  it('is dialed as IP or DNS and a TCP port, with the told peer id', () => {
    expect(dialableAddr('/ip4/192.168.1.20/tcp/4001', id, false)).toEqual([`/ip4/192.168.1.20/tcp/4001/p2p/${id}`])
    expect(dialableAddr(`/ip6/fe80::1/tcp/4001/p2p/${id}`, id, false)).toEqual([`/ip6/fe80::1/tcp/4001/p2p/${id}`])
    expect(dialableAddr('/dns4/ann.local/tcp/4001', id, false)).toEqual([`/dns4/ann.local/tcp/4001/p2p/${id}`])
  })

  it('is skipped when it names another peer, another transport, any address, or more than a port', () => {
    expect(dialableAddr(`/ip4/192.168.1.20/tcp/4001/p2p/${other}`, id, false)).toEqual([])
    expect(dialableAddr('/ip4/192.168.1.20/udp/4001/quic-v1', id, false)).toEqual([])
    expect(dialableAddr('/ip4/0.0.0.0/tcp/4001', id, false)).toEqual([])
    expect(dialableAddr('/ip6/::/tcp/4001', id, false)).toEqual([])
    expect(dialableAddr('/ip4/192.168.1.20/tcp/4001/ws', id, false)).toEqual([])
    expect(dialableAddr(`/ip4/192.168.1.20/tcp/4001/p2p/${other}/p2p-circuit/p2p/${id}`, id, false)).toEqual([])
    expect(dialableAddr('/unix/tmp/lanchat.sock', id, false)).toEqual([])
    expect(dialableAddr('nonsense', id, false)).toEqual([])
  })

  it('is dialed, like every address of a peer, naming that peer', () => {
    expect(addrOfPeer('/ip4/10.0.0.5/tcp/4001', id)?.toString()).toBe(`/ip4/10.0.0.5/tcp/4001/p2p/${id}`)
    expect(addrOfPeer(`/ip4/10.0.0.5/tcp/4001/p2p/${id}`, id)?.toString()).toBe(`/ip4/10.0.0.5/tcp/4001/p2p/${id}`)
    expect(addrOfPeer(`/ip4/10.0.0.5/tcp/4001/p2p/${other}`, id)).toBeUndefined()
    expect(addrOfPeer('nonsense', id)).toBeUndefined()
  })

  it('on this computer is taken only from a peer on this computer', () => {
    for (const a of ['/ip4/127.0.0.1/tcp/4001', '/ip6/::1/tcp/4001', '/dns4/localhost/tcp/4001']) {
      expect(dialableAddr(a, id, false)).toEqual([])
      expect(dialableAddr(a, id, true)).toEqual([`${a}/p2p/${id}`])
    }
  })
})
