/**
 * A bare hub-protocol client: a libp2p node of its own that speaks the hub's frames directly, to send a
 * hub what a client engine never would (junk, forgeries, someone else's message, a frame at the limit).
 * Stop them all after each test with `stopRawHubClients`.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { ChatMessage, UnsignedMessage } from '../../main/core/message.js'
import { signSync } from '../../main/chat/verify.js'
import { encodeBody, hashBody } from '../../main/net/codec.js'
import { HUB_PROTOCOL } from '../../main/net/constants.js'
import { FramedStream } from '../../main/net/framed.js'
import { decodeHubFrame, encodeHubFrame, type HubFrame } from '../../main/net/hub-codec.js'
import { createNode, type LanNode } from '../../main/net/node.js'

export interface RawHubClient {
  link: FramedStream<HubFrame>
  /** What the hub sent it, in order. */
  frames: HubFrame[]
  key: PrivateKey
  author: string
  /** Whether the hub hung up on it. */
  closed: () => boolean
  /** Hangs up: its node stops. */
  stop: () => Promise<void>
  /**
   * A message of its own in the lobby, signed, `seq` in its chain after `prev`, at Lamport time `lamport` (default `seq`);
   * `over`: fields set before signing (a file's manifest, say).
   */
  make: (text: string, seq: number, prev?: string, lamport?: number, over?: Partial<UnsignedMessage>) => Promise<ChatMessage>
}

const nodes: LanNode[] = []

/**
 * `read: false`: it never reads what the hub sends and grants it no room to send more (a client that stopped reading).
 * `key`: as this key (a client that comes back); a fresh one by default.
 */
export async function rawHubClient (addr: string, { read = true, key: given }: { read?: boolean, key?: PrivateKey } = {}): Promise<RawHubClient> {
  const key = given ?? await generateKeyPair('Ed25519')
  const node = await createNode({ role: 'client', privateKey: key, listen: [], mdns: false })
  await node.start()
  nodes.push(node)
  const connection = await node.dial(multiaddr(addr))
  const link = new FramedStream(await connection.newStream(HUB_PROTOCOL), connection, { encode: encodeHubFrame, decode: decodeHubFrame })
  const frames: HubFrame[] = []
  let closed = false
  // Not reading: it tells its end of the link to grant no more window, so the hub's bytes wait at the hub.
  if (!read) link.stream.pause()
  if (read) {
    void (async () => {
      try { for await (const f of link.frames()) if (!(f instanceof Error)) frames.push(f) } catch { /* the hub hung up: what some tests want */ }
      closed = true
    })()
  }
  const author = peerIdFromPrivateKey(key).toString()
  link.send({ type: 'hello', name: 'raw', version: 1, seq: 0 })
  return {
    link, frames, key, author,
    closed: () => closed || connection.status !== 'open' || link.stream.status !== 'open',
    stop: async () => {
      nodes.splice(nodes.indexOf(node), 1)
      await node.stop()
    },
    make: async (text, seq, prev = '', lamport = seq, over = {}) => {
      const unsigned: UnsignedMessage = { room: 'lobby', author, name: 'raw', text, lamport, sentAt: Date.now(), seq, prev, deps: [], ...over }
      const body = encodeBody(unsigned)
      return { ...unsigned, id: hashBody(body), sig: signSync(key, body) }
    }
  }
}

export async function stopRawHubClients (): Promise<void> {
  await Promise.all(nodes.splice(0).map(async n => { await n.stop() }))
}
