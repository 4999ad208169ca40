import type { Connection, Stream } from '@libp2p/interface'
import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'
import { MAX_FRAME_BYTES } from '../net/constants.js'
import { fourTuple } from '../net/socket.js'
import { decodeHubFrame, encodeHubFrame, type HubFrame } from './codec.js'

/**
 * One hub stream (client side or hub side): frames out are coalesced per
 * tick into one write, frames in are decoded with the size limit. Both ends
 * use it, so the two sides cannot disagree on framing.
 */
export class HubLink {
  readonly peerId: string
  readonly #out = new Uint8ArrayList()
  #scheduled = false
  bytesOut = 0

  constructor (readonly stream: Stream, readonly connection: Connection) {
    this.peerId = connection.remotePeer.toString()
  }

  get open (): boolean { return this.stream.writeStatus === 'writable' }

  send (frame: HubFrame): void {
    this.#out.append(lp.encode.single(encodeHubFrame(frame)))
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
   * Frames from the other end, each decoded; a frame that fails to decode is
   * yielded as an Error so the caller decides (the hub drops the sender).
   */
  async * frames (): AsyncGenerator<HubFrame | Error> {
    for await (const chunk of lp.decode(this.stream, { maxDataLength: MAX_FRAME_BYTES })) {
      try {
        yield decodeHubFrame(chunk.subarray())
      } catch (err) {
        yield err as Error
      }
    }
  }

  tuple (): { local: string, remote: string } {
    const { local, remote } = fourTuple(this.connection)
    return { local, remote }
  }

  close (reason: Error): void {
    this.stream.abort(reason)
  }
}
