import { TypedEventEmitter, peerDiscoverySymbol } from '@libp2p/interface'
import type { PeerDiscovery, PeerDiscoveryEvents, PeerId, Startable } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'

interface Components { peerId: PeerId, addressManager: AddressManager }

/**
 * "Everyone on the LAN hears everyone", as mDNS gives it, for many engines in
 * one process: a libp2p peer discovery module per node, all sharing one
 * directory. A node that has started tells every other member about itself
 * and hears about each of them, through libp2p's own `peer:discovery` path
 * (what the mesh does with it is the mesh's business). mDNS itself runs in a
 * network namespace in mdns.test.ts; a hundred nodes multicasting on one
 * loopback would measure the multicast, not the mesh.
 *
 * @example
 * ```ts
 * const lan = new LanDirectory()
 * await startPeer('a', { peerDiscovery: [lan.discovery()] })
 * ```
 */
export class LanDirectory {
  readonly #members = new Set<Member>()

  discovery (): (components: Components) => PeerDiscovery {
    return components => new Member(this, components)
  }

  join (m: Member): void {
    for (const other of this.#members) {
      other.hear(m)
      m.hear(other)
    }
    this.#members.add(m)
  }

  leave (m: Member): void { this.#members.delete(m) }
}

class Member extends TypedEventEmitter<PeerDiscoveryEvents> implements PeerDiscovery, Startable {
  readonly [peerDiscoverySymbol] = this
  readonly [Symbol.toStringTag] = 'lanchat/test-directory'

  constructor (private readonly lan: LanDirectory, private readonly components: Components) { super() }

  get id (): PeerId { return this.components.peerId }

  hear (m: Member): void {
    this.safeDispatchEvent('peer', { detail: { id: m.id, multiaddrs: m.components.addressManager.getAddresses() } })
  }

  #joining: ReturnType<typeof setTimeout> | undefined

  start (): void {}

  /** Join once we listen somewhere (the addresses come a moment after the start). */
  afterStart (): void {
    const join = (): void => {
      if (this.components.addressManager.getAddresses().length > 0) this.lan.join(this)
      else this.#joining = setTimeout(join, 10)
    }
    join()
  }

  stop (): void {
    clearTimeout(this.#joining)
    this.lan.leave(this)
  }
}
