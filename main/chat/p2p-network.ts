import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { parseTcpAddr } from '../net/addr.js'
import type { Frame } from '../net/codec.js'
import { createNode, type LanNode } from '../net/node.js'
import { NotStartedError } from './errors.js'
import { Redialer } from './redial.js'
import type { PeerStore } from './store.js'
import type { EngineEvent } from './types.js'

export interface EngineOptions {
  dataDir: string
  /** Display name; defaults to the stored one, then to "peer-<id suffix>". */
  name?: string
  /** Multiaddrs to listen on; default all interfaces, a free port. */
  listen?: string[]
  /** Find peers on the LAN by mDNS (default true). */
  mdns?: boolean
  /** Multiaddrs to dial at start. */
  dial?: string[]
  /** Messages a peer may author per second before its stream is paused. */
  ratePerSecond?: number
  rateBurst?: number
  /** Anti-entropy period in ms. */
  syncIntervalMs?: number
  /** Where diagnostics go (the CLI sends them to stderr). */
  log?: (line: string) => void
}

/** What the network side needs from the engine that owns it. */
export interface NetworkHost {
  self: () => string
  name: () => string
  store: () => PeerStore | undefined
  emit: (e: EngineEvent) => void
  log: (line: string) => void
  syncFrame: () => Frame
  onFrame: (peerId: string, frame: Frame) => Promise<void>
}

/**
 * P2PEngine's libp2p side: the node, mDNS discovery, redialing known peers,
 * blocks and the partition lab's cuts. Who may connect is decided here; what
 * the frames mean is the engine's business.
 */
export class P2PNetwork {
  readonly #opts: EngineOptions
  readonly #host: NetworkHost
  readonly #redial: Redialer
  #node: LanNode | undefined
  #blocked = new Set<string>()
  /** Partition lab: peers refused for now ('*' = everyone); kept in memory only, unlike a block. */
  readonly #cut = new Set<string>()

  constructor (opts: EngineOptions, host: NetworkHost) {
    this.#opts = opts
    this.#host = host
    this.#redial = new Redialer(peerId => this.#dialKnown(peerId))
  }

  get node (): LanNode | undefined { return this.#node }

  isBlocked (peerId: string): boolean { return this.#blocked.has(peerId) }

  #isCut (peerId: string): boolean { return this.#cut.has('*') || this.#cut.has(peerId) }

  #started (): LanNode {
    if (this.#node === undefined) throw new NotStartedError('the engine is not running')
    return this.#node
  }

  /** Make the node for the stored key, wire its events and start it. */
  async start (store: PeerStore): Promise<void> {
    const blocked = new Set(store.state.state.blocked)
    const node = await createNode({
      privateKey: store.key,
      listen: this.#opts.listen ?? ['/ip4/0.0.0.0/tcp/0'],
      mdns: this.#opts.mdns ?? true,
      isBlocked: (peerId: PeerId) => blocked.has(peerId.toString()) || this.#isCut(peerId.toString()),
      chat: { name: () => this.#host.name(), ratePerSecond: this.#opts.ratePerSecond, rateBurst: this.#opts.rateBurst }
    })
    this.#blocked = blocked
    this.#node = node
    this.#wire(node)
    await node.start()
  }

  /** Once the engine is ready: dial the given addresses and the peers we knew. */
  dialAtStart (store: PeerStore): void {
    for (const addr of this.#opts.dial ?? []) {
      this.dial(addr).catch(err => { this.#host.emit({ type: 'error', message: `dial ${addr}: ${(err as Error).message}` }) })
    }
    for (const peerId of Object.keys(store.state.state.peers)) {
      if (!this.#blocked.has(peerId)) this.#redial.schedule(peerId, true)
    }
  }

  async stop (): Promise<void> {
    this.#redial.stop()
    const node = this.#node
    this.#node = undefined
    await node?.stop()
  }

  addrs (): string[] {
    const node = this.#node
    if (node === undefined) return []
    return node.getMultiaddrs().map(a => a.toString())
  }

  async dial (addr: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const node = this.#started()
    await node.dial(parseTcpAddr(addr), { signal: options.signal ?? AbortSignal.timeout(10_000) })
  }

  async block (store: PeerStore, peerId: string): Promise<void> {
    const node = this.#started()
    const id = peerIdFromString(peerId)
    this.#blocked.add(peerId)
    this.#redial.forget(peerId)
    store.state.state.blocked = [...this.#blocked]
    store.state.changed()
    await node.hangUp(id)
  }

  unblock (store: PeerStore, peerId: string): void {
    peerIdFromString(peerId)
    this.#blocked.delete(peerId)
    store.state.state.blocked = [...this.#blocked]
    store.state.changed()
    if (store.state.state.peers[peerId] !== undefined) this.#redial.schedule(peerId, true)
  }

  /** See P2PEngine.forget. */
  async forget (store: PeerStore, peerId: string): Promise<void> {
    const node = this.#started()
    const id = peerIdFromString(peerId)
    this.#redial.forget(peerId)
    if (store.state.state.peers[peerId] !== undefined) {
      const { [peerId]: _gone, ...rest } = store.state.state.peers
      store.state.state.peers = rest
      store.state.changed()
    }
    await node.hangUp(id)
  }

  /** See P2PEngine.cut. */
  async cut (peerId: string): Promise<void> {
    const node = this.#started()
    this.#cut.add(peerId)
    const ids = peerId === '*' ? node.getPeers().map(p => p.toString()) : [peerId]
    for (const id of ids) {
      this.#redial.forget(id)
      await node.hangUp(peerIdFromString(id))
    }
  }

  heal (): void {
    const cut = [...this.#cut]
    this.#cut.clear()
    const known = Object.keys(this.#host.store()?.state.state.peers ?? {})
    for (const id of cut.includes('*') ? known : cut) {
      if (this.#blocked.has(id)) continue
      this.#redial.forget(id)
      this.#redial.schedule(id, true)
    }
  }

  #wire (node: LanNode): void {
    const chat = node.services.chat
    const host = this.#host
    chat.addEventListener('peer:connect', ({ detail }) => {
      this.#redial.connected(detail.peerId)
      host.emit({ type: 'peer:connect', ...detail })
      chat.send(detail.peerId, host.syncFrame())
    })
    chat.addEventListener('peer:disconnect', ({ detail }) => {
      host.emit({ type: 'peer:disconnect', peerId: detail.peerId })
      if (!this.#blocked.has(detail.peerId) && !this.#isCut(detail.peerId) && host.store()?.state.state.peers[detail.peerId] !== undefined) {
        this.#redial.schedule(detail.peerId)
      }
    })
    chat.addEventListener('peer:misbehaved', ({ detail }) => { host.log(`peer ${detail.peerId}: ${detail.reason}`) })
    chat.addEventListener('frame', ({ detail }) => {
      host.onFrame(detail.peerId, detail.frame).catch(err => { host.log(`frame from ${detail.peerId} failed: ${(err as Error).stack}`) })
    })
    node.addEventListener('peer:identify', ({ detail }) => {
      const peerId = detail.peerId.toString()
      const addrs = detail.listenAddrs.map(a => a.toString()).filter(a => a.includes('/tcp/')).slice(0, 16)
      const store = host.store()
      if (addrs.length === 0 || store === undefined) return
      const peers = store.state.state.peers
      peers[peerId] = { addrs, name: chat.nameOf(peerId) ?? peers[peerId]?.name ?? '', lastSeen: Date.now() }
      store.state.changed()
    })
    node.addEventListener('peer:discovery', ({ detail }) => {
      const peerId = detail.id.toString()
      if (this.#blocked.has(peerId) || this.#isCut(peerId) || node.getConnections(detail.id).length > 0) return
      // Both sides discover each other; the smaller id dials at once, the other only if that did not happen.
      const delay = host.self() < peerId ? 0 : 2_000
      setTimeout(() => {
        if (this.#node === undefined || node.getConnections(detail.id).length > 0) return
        node.dial(detail.multiaddrs.length > 0 ? detail.multiaddrs : detail.id).catch(err => {
          host.log(`mdns dial ${peerId} failed: ${(err as Error).message}`)
        })
      }, delay).unref()
    })
  }

  async #dialKnown (peerId: string): Promise<void> {
    const node = this.#node
    const known = this.#host.store()?.state.state.peers[peerId]
    if (node === undefined || known === undefined || this.#blocked.has(peerId)) return
    await node.dial(known.addrs.map(a => multiaddr(a)), { signal: AbortSignal.timeout(10_000) })
  }
}
