import type { ComponentLogger, Connection, Libp2pEvents, Startable, TypedEventTarget } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import { decodeFrame, encodeFrame, type Frame } from './codec.js'
import {
  ANSWER_RATE_BURST, APP_VERSION, FEATURE_LEVEL, ANSWER_RATE_PER_SECOND, CHAT_PROTOCOL, HELLO_TIMEOUT_MS, LINK_AUTHORS, MAX_INBOUND_STREAMS, MAX_QUEUED_BYTES, PROTOCOL_VERSION,
  RATE_BURST, RATE_PER_SECOND, REQUEST_RATE_BURST, REQUEST_RATE_PER_SECOND
} from './constants.js'
import { FrameLinks } from './frame-links.js'
import { PeerBuckets, TokenBucket, untilAborted } from './rate.js'

/**
 * Which messages of a batch flagged as an answer really answer a sync or
 * want we sent (the ordering keeps our outstanding requests). Only those
 * get the answer budget; without a policy, none do.
 */
export interface AnswerPolicy {
  asked: (peerId: string, frame: Extract<Frame, { type: 'messages' }>) => number
}

export interface ChatProtocolInit {
  /** Our display name, sent in the hello frame. */
  name: () => string
  /** Messages an author may push per second; a link pauses past LINK_AUTHORS times that. */
  ratePerSecond?: number
  rateBurst?: number
  /** The same for batches that answer our sync/want requests. */
  answerRatePerSecond?: number
  answerRateBurst?: number
  /** Which flagged answers we asked for. */
  answers?: AnswerPolicy
  /**
   * Undefined when the engine takes more of `peerId`'s messages now; else a
   * promise of when it will (its queue for that link is full): the link's
   * reader waits, and yamux's flow control makes the peer wait in turn.
   */
  backlog?: (peerId: string) => Promise<void> | undefined
}

export interface ChatProtocolComponents {
  registrar: Registrar
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

interface Buckets { live: TokenBucket, answers: TokenBucket, requests: TokenBucket, warnedAt: number }

/**
 * The mesh's chat protocol, a libp2p service: one long-lived
 * `/lanchat/chat/1.0.0` stream per connection, opened by the dialing side,
 * carrying length-prefixed protobuf frames both ways. Live pushes and
 * answers to our own requests have separate rate limits per peer; sync and
 * want requests a third, past which they are dropped (each costs us an
 * answer, and the peer asks again on its next sync anyway).
 */
export class ChatProtocol extends FrameLinks<Frame> implements Startable {
  readonly #components: ChatProtocolComponents
  readonly #name: () => string
  readonly #rate: { live: [number, number], answers: [number, number] }
  readonly #answers: AnswerPolicy | undefined
  readonly #backlog: ((peerId: string) => Promise<void> | undefined) | undefined
  readonly #buckets = new PeerBuckets<Buckets>(() => ({
    live: new TokenBucket(...this.#rate.live),
    answers: new TokenBucket(...this.#rate.answers),
    requests: new TokenBucket(REQUEST_RATE_PER_SECOND, REQUEST_RATE_BURST),
    warnedAt: -Infinity
  }), b => Math.max(b.live.fullIn(), b.answers.fullIn(), b.requests.fullIn()))

  constructor (components: ChatProtocolComponents, init: ChatProtocolInit) {
    super({
      codec: { encode: encodeFrame, decode: decodeFrame },
      helloName: f => f.type === 'hello' ? f.name : undefined,
      helloApp: f => f.type === 'hello' ? f.app : undefined,
      onBadFrame: 'skip',
      onePerPeer: false,
      helloTimeoutMs: HELLO_TIMEOUT_MS,
      hello: 'first',
      maxQueuedBytes: MAX_QUEUED_BYTES,
      envelopes: f => f.type === 'messages' ? f.messages.length : 0
    }, components.logger.forComponent('lanchat:chat'))
    this.#components = components
    this.#name = init.name
    this.#rate = {
      // A link carries relays of many authors; each author's own budget is the engine's (chat/intake.ts).
      live: [(init.ratePerSecond ?? RATE_PER_SECOND) * LINK_AUTHORS, (init.rateBurst ?? RATE_BURST) * LINK_AUTHORS],
      answers: [init.answerRatePerSecond ?? ANSWER_RATE_PER_SECOND, init.answerRateBurst ?? ANSWER_RATE_BURST]
    }
    this.#answers = init.answers
    this.#backlog = init.backlog
    this.onConnectionOpen = this.onConnectionOpen.bind(this)
  }

  readonly [Symbol.toStringTag] = 'lanchat/chat'

  async start (): Promise<void> {
    await this.#components.registrar.handle(CHAT_PROTOCOL, (stream, connection) => {
      void this.run(stream, connection)
    }, { maxInboundStreams: MAX_INBOUND_STREAMS })
    this.#components.events.addEventListener('connection:open', this.onConnectionOpen)
    this.running = true
  }

  async stop (): Promise<void> {
    this.#components.events.removeEventListener('connection:open', this.onConnectionOpen)
    await this.#components.registrar.unhandle(CHAT_PROTOCOL)
    await this.stopLinks()
  }

  isStarted (): boolean { return this.running }

  protected hello (): Frame {
    return { type: 'hello', name: this.#name(), version: PROTOCOL_VERSION, app: { version: APP_VERSION, level: FEATURE_LEVEL } }
  }

  private onConnectionOpen (evt: CustomEvent<Connection>): void {
    const connection = evt.detail
    // The dialer opens the stream, so one connection carries one chat stream.
    if (connection.direction !== 'outbound') return
    connection.newStream(CHAT_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
      .then(stream => { void this.run(stream, connection) })
      .catch(err => { this.log('could not open chat stream to %p: %e', connection.remotePeer, err) })
  }

  protected override admit (peerId: string, frame: Frame): boolean {
    if (frame.type !== 'sync' && frame.type !== 'want') return true
    const b = this.#buckets.of(peerId)
    if (b.requests.tryTake(1)) return true
    this.#warn(peerId, b, `rate limit: dropped a ${frame.type} request past ${b.requests.rate}/s`)
    return false
  }

  protected override pace (peerId: string, frame: Frame): Promise<void> | undefined {
    if (frame.type !== 'messages' || frame.messages.length === 0) return undefined
    const budget = this.#budget(peerId, frame)
    const room = this.#backlog?.(peerId)
    if (room === undefined) return budget
    return (async () => {
      await budget
      await untilAborted(room, this.abort.signal)
    })()
  }

  /** The frame's messages taken from the peer's live and answer budgets: undefined at once, or when they allow. */
  #budget (peerId: string, frame: Extract<Frame, { type: 'messages' }>): Promise<void> | undefined {
    const b = this.#buckets.of(peerId)
    const asked = Math.min(frame.messages.length, this.#answers?.asked(peerId, frame) ?? 0)
    const live = frame.messages.length - asked
    // Most frames fit their budgets: take the tokens now, without an extra turn of the event loop.
    if ((asked === 0 || b.answers.delayFor(asked) === 0) && (live === 0 || b.live.delayFor(live) === 0)) {
      if (asked > 0) void b.answers.take(asked)
      if (live > 0) void b.live.take(live)
      return undefined
    }
    return (async () => {
      let throttled = false
      if (asked > 0 && await b.answers.take(asked, this.abort.signal)) throttled = true
      if (live > 0 && await b.live.take(live, this.abort.signal)) throttled = true
      if (throttled) this.#warn(peerId, b, `rate limit: throttled to ${live > 0 ? b.live.rate : b.answers.rate} messages/s`)
    })()
  }

  #warn (peerId: string, b: Buckets, reason: string): void {
    if (performance.now() - b.warnedAt <= 5_000) return
    b.warnedAt = performance.now()
    this.misbehaved(peerId, reason)
  }

  // Kept until refilled: a peer that hangs up and dials again does not start on full buckets.
  protected override onLastLinkClosed (peerId: string): void {
    this.#buckets.left(peerId)
  }
}

export function chat (init: ChatProtocolInit): (components: ChatProtocolComponents) => ChatProtocol {
  return (components) => new ChatProtocol(components, init)
}
