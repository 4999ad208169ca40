/**
 * Known peers behind a firewall that drops without a word (no RST: the SYN
 * goes unanswered, and a dial waits out its timeout) do not keep a known peer
 * that is there waiting: the overlay dials two at a time, and a dial nothing
 * answers gives its slot up at once. Real engines on loopback; the dropping
 * address is a listening socket whose process is stopped and whose queue of
 * connections is full, so the kernel drops every new SYN, as such a firewall
 * does.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect as tcpConnect, type Socket } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, it } from 'vitest'
import { loadOrCreateIdentity } from '../main/store/identity.js'
import { PeerStore } from '../main/store/peer-store.js'
import { cleanup, startPeer, tempDir, until } from './helpers/peers.js'

const holes: Array<{ child: ChildProcess, sockets: Socket[] }> = []
afterEach(async () => {
  for (const h of holes.splice(0)) {
    for (const s of h.sockets) s.destroy()
    h.child.kill('SIGKILL')
  }
  await cleanup()
})

/** A loopback port where every new connection's SYN is dropped: nothing answers, nothing refuses. */
async function droppingPort (): Promise<number> {
  const child = spawn(process.execPath, ['-e', "const s = require('net').createServer(); s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => { process.stdout.write(s.address().port + '\\n') })"], { stdio: ['ignore', 'pipe', 'inherit'] })
  const hole = { child, sockets: [] as Socket[] }
  holes.push(hole)
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => { resolve(Number(String(d).trim())) })
    child.once('exit', () => { reject(new Error('the listener exited')) })
  })
  // Stopped, it accepts nothing: once the kernel's queue for it is full, it drops new SYNs.
  child.kill('SIGSTOP')
  for (let i = 0; i < 16; i++) {
    const s = tcpConnect(port, '127.0.0.1')
    s.on('error', () => {})
    hole.sockets.push(s)
    const answered = await new Promise<boolean>(resolve => { s.once('connect', () => { resolve(true) }); setTimeout(() => { resolve(false) }, 300) })
    if (!answered) return port
  }
  throw new Error('the queue never filled')
}

async function someoneGone (): Promise<string> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
}

describe('known peers at addresses that drop every packet', () => {
  it('do not keep a peer that is there waiting: one heard of meanwhile is linked at once, not after their dials time out', async () => {
    const port = await droppingPort()
    // Bob and Carol are there and dial nobody themselves (no degree of their own): only Ann's dials link her to them.
    const bob = await startPeer('bob', { overlay: { outbound: 0 } })
    const carol = await startPeer('carol', { overlay: { outbound: 0 } })
    await carol.engine.dial(bob.addr())
    // Ann's id below Bob's: she dials him as soon as she hears of him (with the larger id she would leave him ~2 s to dial first).
    let dataDir: string
    do dataDir = tempDir('lanchat-ann-')
    while (peerIdFromPrivateKey(await loadOrCreateIdentity(dataDir)).toString() > bob.engine.peerId)
    // Ann's book: four laptops that left a week ago, whose addresses now drop everything.
    const { store } = PeerStore.open(dataDir)
    const weekAgo = Date.now() - 7 * 24 * 3600_000
    for (let i = 0; i < 4; i++) {
      const id = await someoneGone()
      store.rememberPeer(id, { addrs: [`/ip4/127.0.0.1/tcp/${port}/p2p/${id}`], name: `visitor ${i}`, lastSeen: weekAgo })
    }
    store.close()
    const ann = await startPeer('ann', { dataDir })
    // Carol links to Ann and tells her of Bob (peer exchange): Ann's overlay has Bob to dial, while its two
    // dials at a time wait on addresses that never answer (6 to 10 s each).
    await carol.engine.dial(ann.addr())
    // Under a second here; the bound leaves room for a loaded machine and stays below the 6 s a dead address held a slot.
    await until('ann links bob', () => ann.engine.peers().some(p => p.peerId === bob.engine.peerId && p.connected), 4_500)
  })
})
