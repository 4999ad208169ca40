import { logger } from '@libp2p/logger'
import { HUB_PROTOCOL, MAX_CLIENTS } from './constants.js'
import { FrameLinks } from './frame-links.js'
import { hubLinkRules, type HubFrame } from './hub-codec.js'
import type { LanNode } from './node.js'

export interface HubEndpointOptions {
  /** The hub's hello to a client that opened a link (the hub's last number, the client's own chain), in reply to the client's. */
  hello: (peerId: string, theirs: HubFrame) => HubFrame
  /** Wait before handing on a client's frame (the hub's rate limit); pausing the read pushes back on that client alone. */
  pace: (peerId: string, frame: HubFrame) => Promise<void>
  maxClients?: number
}

/**
 * The hub's side of client-server mode: it accepts one hub-protocol link
 * per client (a newer link from the same client replaces the older one),
 * says hello, and hands on each client's frames. A client that sends junk is
 * hung up on; it may come back.
 */
export class HubEndpoint extends FrameLinks<HubFrame> {
  readonly #node: LanNode
  readonly #opts: HubEndpointOptions

  constructor (node: LanNode, opts: HubEndpointOptions) {
    super(hubLinkRules('reply'), logger('lanchat:hub'))
    this.#node = node
    this.#opts = opts
  }

  protected hello (peerId: string, theirs?: HubFrame): HubFrame {
    if (theirs === undefined) throw new Error('the hub says hello only in reply')
    return this.#opts.hello(peerId, theirs)
  }

  protected override pace (peerId: string, frame: HubFrame): Promise<void> | undefined {
    return frame.type === 'submit' ? this.#opts.pace(peerId, frame) : undefined
  }

  async start (): Promise<void> {
    const max = this.#opts.maxClients ?? MAX_CLIENTS
    await this.#node.handle(HUB_PROTOCOL, (stream, connection) => {
      if (this.connectedPeers().length >= max && this.link(connection.remotePeer.toString()) === undefined) {
        this.misbehaved(connection.remotePeer.toString(), `hub full (${max} clients)`)
        stream.abort(new Error('hub full'))
        return
      }
      void this.run(stream, connection)
    }, { maxInboundStreams: 2 })
    this.running = true
  }

  async stop (): Promise<void> {
    await this.#node.unhandle(HUB_PROTOCOL).catch(() => {})
    await this.stopLinks()
  }
}
