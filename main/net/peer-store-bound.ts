import type { ComponentLogger, Libp2pEvents, Logger, PeerStore, Startable, TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/**
 * Most entries kept in libp2p's peer store. It keeps one for every peer that
 * ever connected (addresses, protocols, key: about 12 KB each, measured on this
 * stack) in memory, and lets one go only when it is read more than six hours
 * after its last update. One host may open 100 connections a second
 * (INBOUND_PER_HOST_PER_SECOND), each under a new key: that grew it by over a
 * megabyte a second. A LAN never comes near this.
 */
export const MAX_LIBP2P_PEERS = 2_000
/** A look after this many connections, and every SWEEP_MS. */
const SWEEP_AFTER_CONNECTS = 250
const SWEEP_MS = 60_000

export interface PeerStoreBoundComponents {
  peerStore: PeerStore
  connectionManager: ConnectionManager
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

export interface PeerStoreBoundInit {
  /** Entries kept at most (MAX_LIBP2P_PEERS). */
  max?: number
  /** A look after this many connections (SWEEP_AFTER_CONNECTS). */
  sweepAfter?: number
}

/**
 * Keeps libp2p's peer store within a bound, a libp2p service: a look after
 * every `sweepAfter` connections and every minute, so it holds at most about
 * `max + sweepAfter` entries (2,250: some 27 MB). Past `max`, the
 * entries of peers neither connected nor tagged (libp2p's tags mark the ones
 * something wants kept) are deleted, as many as it is over. Their next
 * connection or mDNS announcement adds them again; the app's own book of
 * peers (in its database) is not touched.
 */
export class PeerStoreBound implements Startable {
  readonly #components: PeerStoreBoundComponents
  readonly #max: number
  readonly #sweepAfter: number
  readonly #log: Logger
  #connects = 0
  #sweeping: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined

  constructor (components: PeerStoreBoundComponents, init: PeerStoreBoundInit = {}) {
    this.#components = components
    this.#max = init.max ?? MAX_LIBP2P_PEERS
    this.#sweepAfter = init.sweepAfter ?? SWEEP_AFTER_CONNECTS
    this.#log = components.logger.forComponent('lanchat:peer-store-bound')
  }

  readonly [Symbol.toStringTag] = 'lanchat/peer-store-bound'

  start (): void {
    this.#components.events.addEventListener('peer:connect', this.#onConnect)
    this.#timer = setInterval(() => { void this.sweep() }, SWEEP_MS)
    this.#timer.unref()
  }

  stop (): void {
    this.#components.events.removeEventListener('peer:connect', this.#onConnect)
    clearInterval(this.#timer)
  }

  readonly #onConnect = (): void => {
    if (++this.#connects >= this.#sweepAfter) void this.sweep()
  }

  /** Delete what is over the bound (one look at a time); resolves when done. */
  async sweep (): Promise<void> {
    if (this.#sweeping !== undefined) return await this.#sweeping
    this.#connects = 0
    this.#sweeping = (async () => {
      const { peerStore, connectionManager } = this.#components
      const all = await peerStore.all()
      let over = all.length - this.#max
      if (over <= 0) return
      const connected = new Set(connectionManager.getConnections().map(c => c.remotePeer.toString()))
      let deleted = 0
      for (const peer of all) {
        if (over <= 0) break
        if (connected.has(peer.id.toString()) || peer.tags.size > 0) continue
        await peerStore.delete(peer.id)
        deleted++
        over--
      }
      this.#log('deleted %d of %d entries past %d', deleted, all.length, this.#max)
    })().catch((err: unknown) => { this.#log.error('could not keep the peer store within its bound: %e', err) })
      .finally(() => { this.#sweeping = undefined })
    await this.#sweeping
  }
}

export function peerStoreBound (init: PeerStoreBoundInit = {}): (components: PeerStoreBoundComponents) => PeerStoreBound {
  return (components) => new PeerStoreBound(components, init)
}
