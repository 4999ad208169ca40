import { TypedEventEmitter } from '@libp2p/interface'
import type { Connection, Logger, Stream } from '@libp2p/interface'
import { FramedStream, type FrameCodec } from './framed.js'
import { onSilence } from './silence.js'
import { fourTuple } from './socket.js'
import type { TransportEvents } from './transport.js'
import type { AppBuild } from '../core/build.js'

/**
 * The errors a stream's reader meets when its link goes away (libp2p's names). A TimeoutError is
 * the connection monitor aborting a connection whose pings went unanswered: the other computer
 * asleep or cut off, not a peer that misbehaved.
 */
const LINK_ENDED = new Set(['StreamResetError', 'StreamAbortedError', 'ConnectionClosedError', 'MuxerClosedError', 'TimeoutError'])

/** How one protocol opens and reads its links; resolved once by the subclass. */
export interface LinkRules<F> {
  codec: FrameCodec<F>
  /** The name in a hello frame, or undefined when the frame is no hello. */
  helloName: (frame: F) => string | undefined
  /** The sender's build in a hello frame (core/build.ts), undefined when it does not say (an older build). */
  helloApp: (frame: F) => AppBuild | undefined
  /** An undecodable frame: skip it (a mesh peer) or hang up on its sender (the hub protocol). */
  onBadFrame: 'skip' | 'close'
  /** A newer link from the same peer replaces the older one (a reconnect overtaking a close). */
  onePerPeer: boolean
  /** A link that has not said hello by then is closed, ms. */
  helloTimeoutMs: number
  /**
   * 'first': say hello as the link opens (peers, clients). 'reply': only
   * after the other end's hello is taken in (the hub), so a client that has
   * heard the hub's hello knows the hub has it.
   */
  hello: 'first' | 'reply'
  /** A link whose unsent bytes pass this is reset (its peer does not read); default: no bound. */
  maxQueuedBytes?: number
  /** How many chat messages (envelopes) a frame carries: what "a message costs" counts. */
  envelopes: (frame: F) => number
}

/** A link's peer is said to have renamed itself at most this often (ms); a name taken meanwhile is said at the end. */
export const RENAME_GAP_MS = 5_000

/** What this end has put on its links since it started: frames, the messages in them, bytes (before Noise). */
export interface WireCounts { frames: number, envelopes: number, bytes: number }

/**
 * The links of one frame protocol, shared by the mesh, the hub and the hub's
 * clients (each a Transport, or the hub's side of one): hello first, then frames, one FramedStream per link, `peer:connect`
 * on a peer's first link and `peer:disconnect` when its last one ends. A
 * subclass decides who opens links and may pace a peer's frames (rate limits:
 * pausing the read loop makes yamux push back on that peer alone).
 */
export abstract class FrameLinks<F> extends TypedEventEmitter<TransportEvents<F>> {
  readonly #links = new Map<string, Array<FramedStream<F>>>()
  protected readonly abort = new AbortController()
  protected running = false
  /** Links closed because their peer broke the protocol. */
  dropped = 0
  /** Sent so far, every link together. */
  readonly wire: WireCounts = { frames: 0, envelopes: 0, bytes: 0 }
  readonly #codec: FrameCodec<F>
  /** Per link, the name last said in `peer:renamed`, when, and a saying waiting for the gap's end. */
  readonly #told = new WeakMap<FramedStream<F>, { name: string, at: number, timer?: ReturnType<typeof setTimeout> }>()

  constructor (protected readonly rules: LinkRules<F>, protected readonly log: Logger) {
    super()
    this.#codec = {
      decode: rules.codec.decode,
      encode: frame => {
        const bytes = rules.codec.encode(frame)
        this.wire.frames++
        this.wire.envelopes += rules.envelopes(frame)
        this.wire.bytes += bytes.byteLength
        return bytes
      }
    }
  }

  /** Our hello for a new link to `peerId` (`theirs`: its hello, when ours is the reply). */
  protected abstract hello (peerId: string, theirs?: F): F | Promise<F>

  /** Whether to hand on this frame at all (false: drop it, e.g. a request past its budget); true by default. */
  protected admit (_peerId: string, _frame: F): boolean { return true }

  /** A promise to wait on before handing on this frame (a rate limit), or undefined to go on at once. */
  protected pace (_peerId: string, _frame: F): Promise<void> | undefined { return undefined }

  protected misbehaved (peerId: string, reason: string): void {
    this.log('dropped input from %s: %s', peerId, reason)
    this.safeDispatchEvent('peer:misbehaved', { detail: { peerId, reason } })
  }

  /** Run a new stream until it ends: say hello, wait for theirs, then hand on every frame. */
  protected async run (stream: Stream, connection: Connection): Promise<void> {
    const link = new FramedStream(stream, connection, this.#codec)
    if (this.rules.maxQueuedBytes !== undefined) stream.maxWriteBufferLength = this.rules.maxQueuedBytes
    const { peerId } = link
    let joined = false
    const timer = onSilence(this.rules.helloTimeoutMs, () => { if (!joined) this.#close(link, 'no hello in time') })
    try {
      if (this.rules.hello === 'first') link.send(await this.hello(peerId))
      for await (const frame of link.frames(err => { this.misbehaved(peerId, err.message) })) {
        if (!this.running) break
        if (frame instanceof Error) {
          if (this.rules.onBadFrame === 'close') { this.#close(link, frame.message); break }
          this.misbehaved(peerId, frame.message)
          continue
        }
        if (!joined) {
          const name = this.rules.helloName(frame)
          if (name === undefined) { this.#close(link, 'first frame was not a hello'); break }
          joined = true
          link.name = name
          link.app = this.rules.helloApp(frame)
          if (this.rules.hello === 'reply') link.send(await this.hello(peerId, frame))
          this.#join(link)
        } else {
          // A hello on a joined link: its peer renamed itself.
          const renamed = this.rules.helloName(frame)
          if (renamed !== undefined) this.#renamed(link, renamed)
          if (!this.admit(peerId, frame)) continue
          // Most frames pass at once: no await, no extra turn of the event loop.
          const wait = this.pace(peerId, frame)
          if (wait !== undefined) await wait
        }
        this.safeDispatchEvent('frame', { detail: { peerId, frame } })
      }
      // The other end closed its side: close ours too, after what is queued (a half-close each way).
      if (link.open) await stream.close().catch(() => {})
    } catch (err) {
      // A reset or abort is the link ending (the other end quit or crashed, or we hung up): not the peer's fault, nor a person's news.
      // Nor is the error we closed it with ourselves (stopping, a newer link, a flush that timed out; misbehaviour was said as we closed).
      if (LINK_ENDED.has((err as Error).name) || link.closedBy !== undefined) this.log('stream to %s ended: %s', peerId, (err as Error).message)
      else this.misbehaved(peerId, `stream failed: ${(err as Error).message}`)
      link.close(err as Error)
    } finally {
      timer.clear()
      link.markEnded()
      if (joined) this.#leave(link)
    }
  }

  /**
   * The name a link's peer now goes by, taken at once; said (`peer:renamed`: remembered, shown) at most
   * once every RENAME_GAP_MS a link, the newest name at the gap's end: a peer that floods hellos costs
   * itself, not the listeners' disks and screens.
   */
  #renamed (link: FramedStream<F>, name: string): void {
    if (name === link.name) return
    let told = this.#told.get(link)
    if (told === undefined) { told = { name: link.name, at: 0 }; this.#told.set(link, told) }
    link.name = name
    const say = (): void => {
      const t = told!
      t.timer = undefined
      if (!this.running || link.name === t.name) return
      const previousName = t.name
      t.name = link.name
      t.at = Date.now()
      this.safeDispatchEvent('peer:renamed', { detail: { peerId: link.peerId, name: link.name, previousName } })
    }
    const wait = told.at + RENAME_GAP_MS - Date.now()
    if (wait <= 0) { say(); return }
    if (told.timer === undefined) {
      told.timer = setTimeout(say, wait)
      told.timer.unref?.()
    }
  }

  #close (link: FramedStream<F>, reason: string): void {
    this.dropped++
    this.misbehaved(link.peerId, reason)
    link.close(new Error(reason))
  }

  #join (link: FramedStream<F>): void {
    let list = this.#links.get(link.peerId)
    if (list !== undefined && list.length > 0 && this.rules.onePerPeer) {
      for (const old of list) old.close(new Error('replaced by a newer connection'))
      this.#links.set(link.peerId, [link])
      this.#connected(link)
      return
    }
    const first = list === undefined || list.length === 0
    if (list === undefined) this.#links.set(link.peerId, list = [])
    list.push(link)
    if (first) this.#connected(link)
  }

  #connected (link: FramedStream<F>): void {
    const { local, remote } = fourTuple(link.connection)
    this.safeDispatchEvent('peer:connect', { detail: { peerId: link.peerId, name: link.name, local, remote, ...(link.app !== undefined ? { app: link.app } : {}) } })
  }

  #leave (link: FramedStream<F>): void {
    const list = this.#links.get(link.peerId)
    if (list === undefined || !list.includes(link)) return
    const rest = list.filter(s => s !== link)
    if (rest.length > 0) { this.#links.set(link.peerId, rest); return }
    this.#links.delete(link.peerId)
    this.onLastLinkClosed(link.peerId)
    if (this.running) this.safeDispatchEvent('peer:disconnect', { detail: { peerId: link.peerId } })
  }

  /** A peer's last link ended (before `peer:disconnect`). */
  protected onLastLinkClosed (_peerId: string): void {}

  /**
   * The writable link to a peer, if any: the newest. A peer dials us while we
   * still hold a link to it when that link is dead at its end (it changed
   * networks, or woke from sleep): what we send on the old one goes nowhere
   * until its pings run out, most of a minute. When both are alive (the two
   * dialed each other at once) either will do.
   */
  protected link (peerId: string): FramedStream<F> | undefined {
    return this.#links.get(peerId)?.findLast(s => s.open)
  }

  /** Close every link; each read loop then ends and says `peer:disconnect` (unless stopping). */
  protected closeLinks (reason: Error): void {
    for (const list of this.#links.values()) for (const s of list) s.close(reason)
  }

  protected async stopLinks (): Promise<void> {
    this.running = false
    this.abort.abort()
    this.closeLinks(new Error('stopping'))
    this.#links.clear()
    this.safeDispatchEvent('close', { detail: undefined })
  }

  send (peerId: string, frame: F): boolean {
    const s = this.link(peerId)
    if (s === undefined) return false
    s.send(frame)
    return true
  }

  broadcast (frame: F, except?: string | ReadonlySet<string>): number {
    let n = 0
    const skip = typeof except === 'string' ? (p: string) => p === except : (p: string) => except?.has(p) === true
    for (const peerId of this.#links.keys()) {
      if (!skip(peerId) && this.send(peerId, frame)) n++
    }
    return n
  }

  connectedPeers (): string[] { return [...this.#links.keys()] }

  sentOnWire (): WireCounts { return { ...this.wire } }

  /** Bytes sent to peers and not yet taken by them, over every link (or `peerId`'s links). */
  queuedBytes (peerId?: string): number {
    let n = 0
    for (const [p, list] of this.#links) if (peerId === undefined || p === peerId) for (const s of list) n += s.queuedBytes
    return n
  }

  /** The display name a connected peer said in its hello. */
  nameOf (peerId: string): string | undefined { return this.#links.get(peerId)?.[0]?.name }

  /** The build a connected peer said in its hello (undefined: not connected, or an older build that does not say). */
  appOf (peerId: string): AppBuild | undefined { return this.#links.get(peerId)?.[0]?.app }

  /** The 4-tuple of a connected peer's link. */
  tupleOf (peerId: string): { local: string, remote: string } | undefined { return this.link(peerId)?.tuple() }

  async drain (peerId: string): Promise<void> {
    await this.link(peerId)?.drain()
  }

  /**
   * A graceful end: hand what is queued to every link and close our side of
   * it, so the other end reads everything we sent before the link ends (an
   * abort would discard it). Waits at most `ms`; what is left is aborted.
   */
  async closeAll (ms: number): Promise<void> {
    const signal = AbortSignal.timeout(ms)
    const links = [...this.#links.values()].flat()
    const timeout = new Promise<void>(resolve => { signal.addEventListener('abort', () => { resolve() }, { once: true }) })
    await Promise.all(links.map(async s => {
      s.flush()
      try {
        await s.stream.close({ signal })
        // The other end has read it all once it closes its side in turn.
        await Promise.race([s.ended, timeout])
      } catch (err) {
        s.close(err as Error)
      }
    }))
  }

  /** Close a peer's links (it broke the protocol, or we hang up); it may come back. */
  drop (peerId: string, reason: string): void {
    this.dropped++
    this.misbehaved(peerId, reason)
    for (const s of this.#links.get(peerId) ?? []) {
      s.close(new Error(reason))
      s.connection.abort(new Error(reason))
    }
  }

}
