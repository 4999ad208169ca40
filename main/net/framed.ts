import type { Connection, Stream } from '@libp2p/interface'
import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_FRAME_BYTES } from './constants.js'
import type { AppBuild } from '../core/build.js'
import { fourTuple } from './socket.js'

/** How one protocol's frames become bytes and back. `decode` throws on junk. */
export interface FrameCodec<F> {
  encode: (frame: F) => Uint8Array
  decode: (bytes: Uint8Array, onBadPart: (err: Error) => void) => F
}

/**
 * One long-lived stream carrying length-prefixed frames, used by every
 * protocol end (mesh peers, the hub, its clients) so none can disagree on
 * framing. Frames sent in the same tick leave in one write; frames in are
 * decoded with the size limit.
 */
export class FramedStream<F> {
  readonly peerId: string
  /** Display name from the other end's hello. */
  name = ''
  /** The other end's build, as its first hello said (undefined: an older build that does not say). */
  app: AppBuild | undefined
  bytesOut = 0
  readonly #out = new Uint8ArrayList()
  #scheduled = false
  #ended!: () => void
  /** Resolves when the link's reader has finished (the other end closed, or the link failed). */
  readonly ended = new Promise<void>(resolve => { this.#ended = resolve })

  constructor (readonly stream: Stream, readonly connection: Connection, readonly codec: FrameCodec<F>) {
    this.peerId = connection.remotePeer.toString()
  }

  get open (): boolean { return this.stream.writeStatus === 'writable' }

  /** Bytes sent on this link that the other end has not taken yet (ours, then the stream's). */
  get queuedBytes (): number { return this.#out.byteLength + this.stream.writeBufferLength }

  send (frame: F): void {
    this.#out.append(lp.encode.single(this.codec.encode(frame)))
    if (this.#scheduled) return
    this.#scheduled = true
    queueMicrotask(() => { this.flush() })
  }

  flush (): void {
    this.#scheduled = false
    if (this.#out.byteLength === 0 || !this.open) return
    const data = this.#out.sublist()
    this.#out.consume(this.#out.byteLength)
    this.bytesOut += data.byteLength
    this.stream.send(data)
  }

  /** Resolves when what is queued has been handed to the socket. */
  async drain (): Promise<void> {
    this.flush()
    if (this.open && this.stream.writeBufferLength > 0) await this.stream.onDrain()
  }

  /**
   * Frames from the other end, each decoded. A frame that fails to decode is
   * yielded as an Error, so the caller decides (skip it, or hang up). A bad
   * part of a frame (one forged message in a batch) goes to `onBadPart`.
   */
  async * frames (onBadPart: (err: Error) => void = () => {}): AsyncGenerator<F | Error> {
    for await (const chunk of lp.decode(this.stream, { maxDataLength: MAX_FRAME_BYTES })) {
      try {
        yield this.codec.decode(chunk.subarray(), onBadPart)
      } catch (err) {
        yield err as Error
      }
    }
  }

  /** The reader is done: whoever waits on `ended` may go on. */
  markEnded (): void { this.#ended() }

  tuple (): { local: string, remote: string } {
    const { local, remote } = fourTuple(this.connection)
    return { local, remote }
  }

  /** Why this end closed the link, once it did: the read loop's error is then ours, not the peer's doing. */
  closedBy: Error | undefined

  close (reason: Error): void {
    this.closedBy ??= reason
    this.stream.abort(reason)
  }
}
