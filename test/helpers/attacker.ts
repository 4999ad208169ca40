import { noise } from '@chainsafe/libp2p-noise'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey, Stream } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import * as lp from 'it-length-prefixed'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { ChatMessage, UnsignedMessage } from '../../main/core/message.js'
import { decodeFrame, encodeBody, encodeFrame, hashBody, type Frame } from '../../main/net/codec.js'
import { CHAT_PROTOCOL } from '../../main/net/constants.js'
import { signSync } from '../../main/chat/verify.js'

/**
 * A hand-driven peer: a bare libp2p node (real TCP, Noise, yamux) that opens
 * the chat stream itself and writes whatever bytes a test wants — well-formed,
 * forged or junk.
 */
export class Attacker {
  seq = 0
  prev = ''
  /** Frames the peer sent us, decoded. */
  readonly received: Frame[] = []
  /** Resolves when the peer has ended or reset the chat stream (never, for one that does not read). */
  readonly ended: Promise<void>
  private constructor (readonly node: Libp2p, readonly key: PrivateKey, readonly stream: Stream, read: boolean) {
    // A peer that never reads: yamux stops granting the other end window, so what it sends us queues there.
    if (!read) { stream.pause(); this.ended = new Promise(() => {}); return }
    this.ended = (async () => {
      try {
        for await (const chunk of lp.decode(stream)) this.received.push(decodeFrame(chunk.subarray()))
      } catch { /* the test ended the stream, or the peer reset it */ }
    })()
  }

  /** `read: false`: never read what the peer sends (a reader that does not read). */
  /** `key`: sign as this key (one author talking to several peers); a fresh one by default. */
  /** `hello: false`: open the chat stream and never say hello. */
  static async connect (addr: string, name = 'mallory', { read = true, key: given, hello = true }: { read?: boolean, key?: PrivateKey, hello?: boolean } = {}): Promise<Attacker> {
    const key = given ?? await generateKeyPair('Ed25519')
    const node = await createLibp2p({
      privateKey: key,
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: { denyDialMultiaddr: () => false }
    })
    const stream = await node.dialProtocol(multiaddr(addr), CHAT_PROTOCOL)
    const a = new Attacker(node, key, stream, read)
    if (hello) a.frame({ type: 'hello', name, version: 1 })
    return a
  }

  get peerId (): string { return peerIdFromPrivateKey(this.key).toString() }

  frame (f: Frame): void { this.raw(encodeFrame(f)) }

  /** One length-prefixed frame of arbitrary bytes. */
  raw (bytes: Uint8Array): void { this.stream.send(lp.encode.single(bytes)) }

  /** A correctly chained and signed message by this attacker, with overrides applied before signing. */
  async message (text: string, over: Partial<UnsignedMessage> = {}): Promise<ChatMessage> {
    this.seq++
    const u: UnsignedMessage = {
      room: 'lobby', author: this.peerId, name: 'mallory', text, lamport: this.seq, sentAt: Date.now(),
      seq: this.seq, prev: this.prev, deps: [], ...over
    }
    const body = encodeBody(u)
    const m: ChatMessage = { ...u, id: hashBody(body), sig: signSync(this.key, body) }
    this.prev = m.id
    return m
  }

  async send (...messages: ChatMessage[]): Promise<void> {
    this.frame({ type: 'messages', messages: messages.map(message => ({ message, hops: 0 })) })
    await this.drain()
  }

  /** Pushes flagged as answers to a sync or want, whether asked for or not. */
  async sendAsAnswer (...messages: ChatMessage[]): Promise<void> {
    this.frame({ type: 'messages', messages: messages.map(message => ({ message, hops: 0 })), answer: true })
    await this.drain()
  }

  async drain (): Promise<void> {
    if (this.stream.writeBufferLength > 0) await this.stream.onDrain()
  }

  async stop (): Promise<void> { await this.node.stop() }
}
