/**
 * The failure state the Contrast panel shows peer to peer: a peer this one
 * is not linked to but hears from through the others (the partition lab's
 * cut of one link) is not down — the mesh routes around the link, as the lab
 * itself says; a peer that quits is.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { PeerStore } from '../main/store/peer-store.js'
import { cleanup, startPeer, startTrio, stopPeer, tempDir, until } from './helpers/peers.js'

afterEach(cleanup)

describe('the failure state peer to peer', () => {
  it('a cut link is not a peer down while its peer is reached through the others; a peer that quits is down', async () => {
    const [a, b] = await startTrio(['ann', 'ben', 'cat'])
    expect(a.engine.stats().failure).toMatchObject({ state: 'ok', summary: '2 peers connected' })

    await a.engine.cut(b.engine.peerId)
    await until('Ben reached through Cat', () => a.engine.peers().some(p => p.peerId === b.engine.peerId && !p.connected && p.presence === 'online'))
    expect(a.engine.stats().failure).toMatchObject({ state: 'ok', summary: '1 peer connected, 1 peer reached through them', peersDown: [] })

    await stopPeer(b)
    await until('Ben down', () => a.engine.stats().failure.state === 'degraded')
    expect(a.engine.stats().failure).toMatchObject({ summary: '1 peer down; the others go on', peersDown: [b.engine.peerId] })
  })

  it('a peer last linked hours ago has gone home, not down; one linked minutes ago is down', async () => {
    // An always-on desk's book: a visitor of this morning, and one of ten minutes ago, neither here now.
    const dataDir = tempDir('lanchat-desk-')
    const { store } = PeerStore.open(dataDir)
    const id = async (): Promise<string> => peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const [morning, lately] = [await id(), await id()]
    store.rememberPeer(morning, { addrs: [], name: 'morning visitor', lastSeen: Date.now() - 3 * 3600_000 })
    store.rememberPeer(lately, { addrs: [], name: 'recent visitor', lastSeen: Date.now() - 10 * 60_000 })
    store.close()
    const desk = await startPeer('desk', { dataDir })
    expect(desk.engine.stats().failure).toMatchObject({ state: 'down', summary: 'no peer connected (1 known): own messages wait for catch-up', peersDown: [lately] })
  })
})
