import { TypedEventEmitter } from '@libp2p/interface'
import type { ComponentLogger, Connection, Libp2pEvents, Logger, Startable, Stream, TypedEventTarget } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'
import { decodeFrame, encodeFrame, type Frame } from './codec.js'
import { ANSWER_RATE_BURST, ANSWER_RATE_PER_SECOND, CHAT_PROTOCOL, MAX_FRAME_BYTES, MAX_INBOUND_STREAMS, PROTOCOL_VERSION, RATE_BURST, RATE_PER_SECOND } from './constants.js'
import { fourTuple } from './socket.js'
import { TokenBucket } from './rate.js'
import type { Transport, TransportEvents } from './transport.js'

export interface ChatProtocolInit {
  /** Our display name, sent in the hello frame. */
  name: () => string
  /** Messages a peer may push per second before its stream is paused. */
  ratePerSecond?: number
  rateBurst?: number
  /** The same for batches that answer our sync/want requests. */
  answerRatePerSecond?: number
  answerRateBurst?: number
}

export interface ChatProtocolComponents {
  registrar: Registrar
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

/** One chat stream to one peer: frames out are coalesced per tick, frames in are rate-limited. */
class Session {
  readonly peerId: string
  name = ''
  readonly #out = new Uint8ArrayList()
  #scheduled = false

  constructor (readonly stream: Stream, readonly connection: Connection) {
    this.peerId = connection.remotePeer.toString()
  }

  send (frame: Frame): void {
    this.#out.append(lp.encode.single(encodeFrame(frame)))
    if (this.#scheduled) return
    this.#scheduled = true
    queueMicrotask(() => { this.flush() })
  }

  flush (): void {
    this.#scheduled = false
    if (this.#out.byteLength === 0 || this.stream.writeStatus !== 'writable') return
    const data = this.#out.sublist()
    this.#out.consume(this.#out.byteLength)
    this.stream.send(data)
  }

  async drain (): Promise<void> {
    this.flush()
    if (this.stream.writeBufferLength > 0) await this.stream.onDrain()
  }
}

/**
 * The P2P chat transport: one long-lived `/lanchat/chat/1.0.0` stream per
 * connection, opened by the dialing side, carrying length-prefixed protobuf
 * frames both ways. Implements the engine's Transport interface.
 */
export class ChatProtocol extends TypedEventEmitter<TransportEvents> implements Transport, Startable {
  readonly #components: ChatProtocolComponents
  readonly #init: ChatProtocolInit
  readonly #log: Logger
  readonly #sessions = new Map<string, Session[]>()
  readonly #buckets = new Map<string, { live: TokenBucket, answers: TokenBucket, warnedAt: number }>()
  readonly #abort = new AbortController()
  #started = false

  constructor (components: ChatProtocolComponents, init: ChatProtocolInit) {
    super()
    this.#components = components
    this.#init = init
    this.#log = components.logger.forComponent('lanchat:chat')
    this.onConnectionOpen = this.onConnectionOpen.bind(this)
  }

  readonly [Symbol.toStringTag] = 'lanchat/chat'

  async start (): Promise<void> {
    await this.#components.registrar.handle(CHAT_PROTOCOL, (stream, connection) => {
      this.#attach(stream, connection)
    }, { maxInboundStreams: MAX_INBOUND_STREAMS })
    this.#components.events.addEventListener('connection:open', this.onConnectionOpen)
    this.#started = true
  }

  async stop (): Promise<void> {
    this.#started = false
    this.#abort.abort()
    this.#components.events.removeEventListener('connection:open', this.onConnectionOpen)
    await this.#components.registrar.unhandle(CHAT_PROTOCOL)
    for (const list of this.#sessions.values()) for (const s of list) s.stream.abort(new Error('stopping'))
    this.#sessions.clear()
  }

  isStarted (): boolean { return this.#started }

  private onConnectionOpen (evt: CustomEvent<Connection>): void {
    const connection = evt.detail
    // The dialer opens the stream, so one connection carries one chat stream.
    if (connection.direction !== 'outbound') return
    connection.newStream(CHAT_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
      .then(stream => { this.#attach(stream, connection) })
      .catch(err => { this.#log('could not open chat stream to %p: %e', connection.remotePeer, err) })
  }

  #attach (stream: Stream, connection: Connection): void {
    const session = new Session(stream, connection)
    session.send({ type: 'hello', name: this.#init.name(), version: PROTOCOL_VERSION })
    void this.#readLoop(session)
  }

  #bucket (peerId: string): { live: TokenBucket, answers: TokenBucket, warnedAt: number } {
    let b = this.#buckets.get(peerId)
    if (b === undefined) {
      b = {
        live: new TokenBucket(this.#init.ratePerSecond ?? RATE_PER_SECOND, this.#init.rateBurst ?? RATE_BURST),
        answers: new TokenBucket(this.#init.answerRatePerSecond ?? ANSWER_RATE_PER_SECOND, this.#init.answerRateBurst ?? ANSWER_RATE_BURST),
        warnedAt: -Infinity
      }
      this.#buckets.set(peerId, b)
    }
    return b
  }

  async #readLoop (session: Session): Promise<void> {
    const { peerId } = session
    let joined = false
    const misbehaved = (reason: string): void => {
      this.#log('dropped input from %s: %s', peerId, reason)
      this.safeDispatchEvent('peer:misbehaved', { detail: { peerId, reason } })
    }
    try {
      for await (const chunk of lp.decode(session.stream, { maxDataLength: MAX_FRAME_BYTES })) {
        let frame: Frame
        try {
          frame = decodeFrame(chunk.subarray(), err => { misbehaved(err.message) })
        } catch (err) {
          misbehaved((err as Error).message)
          continue
        }
        if (!joined) {
          if (frame.type !== 'hello') { misbehaved('first frame was not a hello'); break }
          joined = true
          session.name = frame.name
          this.#join(session)
          continue
        }
        if (frame.type === 'messages' && frame.messages.length > 0) {
          // Pausing this loop stops reading from this peer alone; yamux's
          // flow control then pushes back on it while the others go on.
          const b = this.#bucket(peerId)
          const bucket = frame.answer === true ? b.answers : b.live
          if (await bucket.take(frame.messages.length, this.#abort.signal) && performance.now() - b.warnedAt > 5_000) {
            b.warnedAt = performance.now()
            misbehaved(`rate limit: throttled to ${bucket.rate} messages/s`)
          }
        }
        this.safeDispatchEvent('frame', { detail: { peerId, frame } })
      }
    } catch (err) {
      misbehaved(`stream failed: ${(err as Error).message}`)
      session.stream.abort(err as Error)
    } finally {
      if (joined) this.#leave(session)
    }
  }

  #join (session: Session): void {
    let list = this.#sessions.get(session.peerId)
    const first = list === undefined || list.length === 0
    if (list === undefined) this.#sessions.set(session.peerId, list = [])
    list.push(session)
    if (first) {
      const { local, remote } = fourTuple(session.connection)
      this.safeDispatchEvent('peer:connect', { detail: { peerId: session.peerId, name: session.name, local, remote } })
    }
  }

  #leave (session: Session): void {
    const list = (this.#sessions.get(session.peerId) ?? []).filter(s => s !== session)
    if (list.length > 0) {
      this.#sessions.set(session.peerId, list)
      return
    }
    this.#sessions.delete(session.peerId)
    this.#buckets.delete(session.peerId)
    if (this.#started) this.safeDispatchEvent('peer:disconnect', { detail: { peerId: session.peerId } })
  }

  #session (peerId: string): Session | undefined {
    const list = this.#sessions.get(peerId)
    return list?.find(s => s.stream.writeStatus === 'writable')
  }

  send (peerId: string, frame: Frame): boolean {
    const s = this.#session(peerId)
    if (s === undefined) return false
    s.send(frame)
    return true
  }

  broadcast (frame: Frame, except?: string): number {
    let n = 0
    for (const peerId of this.#sessions.keys()) {
      if (peerId !== except && this.send(peerId, frame)) n++
    }
    return n
  }

  connectedPeers (): string[] { return [...this.#sessions.keys()] }

  /** Display name a connected peer announced. */
  nameOf (peerId: string): string | undefined { return this.#sessions.get(peerId)?.[0]?.name }

  async drain (peerId: string): Promise<void> {
    await this.#session(peerId)?.drain()
  }
}

export function chat (init: ChatProtocolInit): (components: ChatProtocolComponents) => ChatProtocol {
  return (components) => new ChatProtocol(components, init)
}
