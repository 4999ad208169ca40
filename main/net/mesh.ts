import { TypedEventEmitter } from '@libp2p/interface'
import { isLoopback } from '@libp2p/utils'
import type { AbortOptions, PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { addrOfPeer, dialableAddr, parsePeerId, parseTcpAddr } from './addr.js'
import type { AnswerPolicy, ChatProtocol } from './chat-protocol.js'
import type { Frame, PeersFrame, SharedPeer } from './codec.js'
import type { WireCounts } from './frame-links.js'
import type { FileProtocol } from './file-protocol.js'
import { DIAL_TIMEOUT_MS, STOP_DRAIN_MS } from './constants.js'
import { answeredNotLanChat, hostPort } from './connect-errors.js'
import { NoPeerAddressError, NotStartedError, PeerBlockedError } from './errors.js'
import { createNode, discoveryHeard, type LanNode, type NodeOptions } from './node.js'
import type { ConnectionView, PeerView } from './peers.js'
import { connectionView, fourTuple } from './socket.js'
import { Overlay, type OverlayDialOptions, type OverlayLink, type OverlayOptions } from './overlay.js'
import { CHAT_PROTOCOL, FEATURE_LEVEL, FILE_PROTOCOLS, MESH_MAX_CONNECTIONS } from './constants.js'
import { dropLinksFrom, listenAddrs, watchOwnAddrs } from './own-addrs.js'
import { peerBuild } from '../core/build.js'
import { TokenBucket } from './rate.js'

import type { Links, Transport, TransportEvents } from './transport.js'

/** A TCP port of 0 in a listen address: "any free port". */
const ANY_PORT = /\/tcp\/0(?=\/|$)/

/** Peer exchange: most peers told a new link, and most addresses of each. */
/**
 * A known peer not linked is "down" (the Contrast panel's failure state) for this long after it
 * was last linked: one that left hours ago, a visitor or a class of last week, has gone home,
 * and an always-on desk would otherwise read "degraded: 900 peers down" for ever.
 */
export const DOWN_FOR_MS = 60 * 60_000
const SHARE_PEERS = 16
const SHARE_ADDRS = 4
/** Peer-exchange frames taken from one peer: a few at once (a link up, then news), then one every 2 s; the rest are dropped. */
const EXCHANGE_BURST = 8
const EXCHANGE_PER_SECOND = 0.5

export interface KnownPeer { addrs: string[]; name: string; lastSeen: number }

/** Who the mesh knows and refuses, kept by the engine's store across restarts. */
export interface PeerBook {
  known: () => Record<string, KnownPeer>
  /** Keep a peer; the peers let go of to make room (the least recently seen past a bound), which are dialed no more. */
  remember: (peerId: string, peer: KnownPeer) => string[] | undefined
  forget: (peerId: string) => void
  blocked: () => string[]
  setBlocked: (peerIds: string[]) => void
  /** The port the mesh listened on last (kept so addresses others saved stay good). */
  lastPort?: () => number | undefined
  setLastPort?: (port: number) => void
}

export interface MeshOptions {
  privateKey: PrivateKey
  /** Our display name, for the hello. */
  name: () => string
  book: PeerBook
  /** Multiaddrs to listen on; default all interfaces, a free port. */
  listen?: string[]
  /** Find peers on the LAN by mDNS and dial them (default true). */
  mdns?: boolean
  ratePerSecond?: number
  rateBurst?: number
  /** Which batches flagged as answers we asked for (the ordering's outstanding requests). */
  answers?: AnswerPolicy
  /** When the engine can take more of a peer's messages (its intake; see ChatProtocolInit.backlog). */
  backlog?: (peerId: string) => Promise<void> | undefined
  /** Only peers with this network key can connect (node.ts). */
  networkKey?: string
  /** The overlay's degree and rotation (overlay.ts). */
  overlay?: OverlayOptions
  /** The links' pings (node.ts; tests shorten them). */
  linkPing?: NodeOptions['linkPing']
  /** More ways to find peers besides mDNS (libp2p peer discovery modules; tests use an in-process directory). */
  peerDiscovery?: NodeOptions['peerDiscovery']
}

/** A connected peer's link, for the stats' socket list. */
export interface LinkView { peerId: string; name: string; direction: 'inbound' | 'outbound'; local: string; remote: string }

/** A peer's discovery answers taken at most once this often, ms (mesh's discoveryHeard handler). */
const DISCOVERY_GAP_MS = 1_000
/** Peers whose last answer time is kept: past it, those older than DISCOVERY_GAP_MS go (all, if none is). */
const MAX_DISCOVERED = 4_096

/**
 * The P2P mesh: one libp2p node that listens and dials, the chat protocol
 * on every connection, mDNS discovery feeding a bounded-degree overlay
 * (overlay.ts: a few random links each, redialed with backoff, rotated),
 * blocks and the partition lab's cuts. What the frames mean is the engine's
 * business.
 */
export class MeshTransport extends TypedEventEmitter<TransportEvents<Frame>> implements Transport<Frame>, Links {
  readonly #opts: MeshOptions
  readonly #overlay: Overlay
  #node: LanNode | undefined
  #blocked = new Set<string>()
  /** Partition lab: peers refused for now ('*' = everyone); kept in memory only, unlike a block. */
  readonly #cut = new Set<string>()
  /** When each peer's link last ended in this run (for peersDown; let go past DOWN_FOR_MS). */
  readonly #lostAt = new Map<string, number>()
  /** When each peer's last discovery answer was taken (see DISCOVERY_GAP_MS). */
  readonly #discoveredAt = new Map<string, number>()
  /** Peers whose link we closed to swap it for another (overlay.ts): their disconnect is no departure. */
  readonly #swapped = new Set<string>()
  /** Links we swapped away and hung up ourselves: the peer had not hung up on reading that we stay. */
  readonly #swapUnheard = new Set<string>()
  /** Linked peers whose addresses our other links have been told (peer exchange), until the link ends. */
  readonly #announced = new Set<string>()
  /** Peer-exchange frames each linked peer may still send us (EXCHANGE_BURST, EXCHANGE_PER_SECOND). */
  readonly #exchangeBudget = new Map<string, TokenBucket>()
  /** Stops looking again now and then at where we listen (own-addrs.ts). */
  #unwatchAddrs: (() => void) | undefined

  constructor (opts: MeshOptions) {
    super()
    this.#opts = opts
    this.#overlay = new Overlay({
      self: opts.privateKey.publicKey.toString(),
      links: () => this.#overlayLinks(),
      refused: peerId => this.#refused(peerId),
      dial: async (peerId, addrs, options) => { await this.#dial(peerId, addrs, options) },
      notLanChat: answeredNotLanChat,
      rotateAway: async peerId => { await this.#swapAway(peerId) }
    }, opts.overlay)
  }

  get node (): LanNode | undefined { return this.#node }

  #chat (): ChatProtocol | undefined { return this.#node?.services.chat }

  files (): FileProtocol | undefined { return this.#node?.services.files }

  #started (): LanNode {
    if (this.#node === undefined) throw new NotStartedError('the mesh is not running')
    return this.#node
  }

  isBlocked (peerId: string): boolean { return this.#blocked.has(peerId) }
  #isCut (peerId: string): boolean { return this.#cut.has('*') || this.#cut.has(peerId) }
  #refused (peerId: string): boolean { return this.#blocked.has(peerId) || this.#isCut(peerId) }

  /**
   * Listen — on the options' addresses, else on every interface — where a
   * port 0 ("any") is the port of last time (a free one if it is taken now),
   * and remember that port, so an address others saved (or remember of us)
   * still works after a restart; then dial the known peers.
   */
  async start (): Promise<void> {
    const book = this.#opts.book
    const saved = book.lastPort?.()
    const asked = this.#opts.listen ?? ['/ip4/0.0.0.0/tcp/0']
    const any = asked.some(a => ANY_PORT.test(a))
    if (!any || saved === undefined) await this.#start(asked)
    else await this.#start(asked.map(a => a.replace(ANY_PORT, `/tcp/${saved}`))).catch(async () => { await this.#start(asked) })
    const port = Number(/\/tcp\/(\d+)/.exec(this.addrs()[0] ?? '')?.[1])
    if (any && port > 0 && port !== saved) book.setLastPort?.(port)
  }

  /** Known, unblocked peers not connected, and what that means for the user. */
  health (): { state: 'ok' | 'degraded' | 'down', summary: string, peersDown: string[] } {
    const peersDown = this.peersDown()
    const connected = this.connectedPeers().length
    const state = peersDown.length === 0 ? 'ok' : connected === 0 ? 'down' : 'degraded'
    const summary = state === 'ok'
      ? `${connected} peer${connected === 1 ? '' : 's'} connected`
      : state === 'down'
        ? `no peer connected (${peersDown.length} known): own messages wait for catch-up`
        : `${peersDown.length} peer${peersDown.length === 1 ? '' : 's'} down; the others go on`
    return { state, summary, peersDown }
  }

  async #start (listen: string[]): Promise<void> {
    this.#blocked = new Set(this.#opts.book.blocked())
    const node = await createNode({
      role: 'peer',
      privateKey: this.#opts.privateKey,
      listen,
      mdns: this.#opts.mdns ?? true,
      ...(this.#opts.networkKey !== undefined ? { networkKey: this.#opts.networkKey } : {}),
      isBlocked: (peerId: PeerId) => this.#refused(peerId.toString()),
      ...(this.#opts.peerDiscovery !== undefined ? { peerDiscovery: this.#opts.peerDiscovery } : {}),
      ...(this.#opts.linkPing !== undefined ? { linkPing: this.#opts.linkPing } : {}),
      chat: { name: this.#opts.name, ratePerSecond: this.#opts.ratePerSecond, rateBurst: this.#opts.rateBurst, answers: this.#opts.answers, backlog: this.#opts.backlog }
    })
    this.#wire(node)
    try {
      await node.start()
    } catch (err) {
      try { await node.stop() } catch { /* it never ran */ }
      throw err
    }
    this.#node = node
    this.#overlay.start()
    this.#unwatchAddrs?.()
    // Our links from an address this computer no longer has are dead (nothing comes back to it): dropped
    // now, rather than when their pings run out in most of a minute, the overlay dials those peers again at
    // once from where we are now. A fixed --listen address that went is said (`lost`): nobody reaches us there.
    this.#unwatchAddrs = watchOwnAddrs(() => listenAddrs(this.addrs()), ({ addrs, lost }) => {
      const node = this.#node
      if (node === undefined) return
      dropLinksFrom(node.getConnections())
      this.safeDispatchEvent('listening', { detail: { addrs, ...(lost.length > 0 ? { lost } : {}) } })
    })
    for (const [peerId, known] of Object.entries(this.#opts.book.known())) {
      if (!this.#blocked.has(peerId)) this.#overlay.offer(peerId, known.addrs, true)
    }
  }

  /**
   * Close our link to `peerId` to swap it for another: we say "I stay on the
   * LAN" and the peer hangs up once it has read that (so neither side reads
   * the closing as the other leaving); if it has not within a few seconds, we do.
   */
  async #swapAway (peerId: string): Promise<void> {
    this.#swapped.add(peerId)
    this.#chat()?.send(peerId, { type: 'presence', state: 'online', staying: true })
    await new Promise(resolve => setTimeout(resolve, 3_000).unref())
    if (this.#chat()?.connectedPeers().includes(peerId) !== true) return
    this.#swapUnheard.add(peerId)
    await this.#node?.hangUp(peerIdFromString(peerId))
  }

  /** Whether we dialed the link we have to `peerId` (an outbound connection). */
  #dialedBy (peerId: string): boolean {
    return (this.#node?.getConnections(peerIdFromString(peerId)) ?? []).some(c => c.direction === 'outbound')
  }

  /** Our connections, a peer each: did we dial it, does it carry a file transfer, since when. */
  #overlayLinks (): OverlayLink[] {
    const byPeer = new Map<string, OverlayLink>()
    for (const c of this.#node?.getConnections() ?? []) {
      if (c.status !== 'open') continue
      const peerId = c.remotePeer.toString()
      const link = byPeer.get(peerId) ?? { peerId, outbound: false, busy: false, openedAt: c.timeline.open }
      link.outbound ||= c.direction === 'outbound'
      link.busy ||= c.streams.some(s => FILE_PROTOCOLS.includes(s.protocol))
      link.openedAt = Math.min(link.openedAt, c.timeline.open)
      byPeer.set(peerId, link)
    }
    return [...byPeer.values()]
  }

  /** Hand what is queued to the sockets (at most `ms`), then close everything. */
  async stop (ms = STOP_DRAIN_MS): Promise<void> {
    await this.#chat()?.closeAll(ms)
    this.#overlay.stop()
    this.#unwatchAddrs?.()
    this.#unwatchAddrs = undefined
    const node = this.#node
    this.#node = undefined
    await node?.stop()
    this.safeDispatchEvent('close', { detail: undefined })
  }

  addrs (): string[] { return this.#node?.getMultiaddrs().map(a => a.toString()) ?? [] }

  /**
   * Dial `addr`: the peer reached (its chat link comes up after, with
   * `peer:connect`). One that cannot be dialed (a firewall lets nothing in)
   * and is linked to us already, as it dialed us, is reached all the same:
   * its own word (identify) says it listens there.
   */
  async connect (addr: string, options: AbortOptions = {}): Promise<string> {
    const ma = parseTcpAddr(addr)
    try {
      const connection = await this.#started().dial(ma, { signal: options.signal ?? AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      return connection.remotePeer.toString()
    } catch (err) {
      const linked = this.#linkedAt(ma.toString())
      if (linked !== undefined) return linked
      throw err
    }
  }

  /**
   * Link to a known peer now, with its id, at every address known of it (overlay.ts: dialNow), its
   * backoff (minutes, for one down long) notwithstanding: a person knows it is back. Resolves once it
   * is reached (its chat link comes up after, with `peer:connect`), at once when linked already.
   * Rejects with libp2p's error when nothing answered; NoPeerAddressError when no address of it is
   * known (someone only heard of through others); PeerBlockedError when it is blocked or cut off.
   */
  async connectPeer (peerId: string): Promise<void> {
    this.#started()
    parsePeerId(peerId)
    if (this.connectedPeers().includes(peerId)) return
    if (this.#blocked.has(peerId)) throw new PeerBlockedError('You blocked them: unblock them first, and they may link to you again.')
    if (this.#isCut(peerId)) throw new PeerBlockedError('The partition lab cuts this peer off: heal the partition first.')
    const known = this.#opts.book.known()[peerId]?.addrs ?? []
    if (!await this.#overlay.dialNow(peerId, known)) {
      throw new NoPeerAddressError('No address of theirs is known here: they were only heard of through others. Ask them for their address and use Connect to address…')
    }
  }

  /** The linked peer that says it listens at `addr` (its ip and port; the peer id too, when `addr` names one). */
  #linkedAt (addr: string): string | undefined {
    const named = /\/p2p\/([^/]+)$/.exec(addr)?.[1]
    const at = hostPort(addr)
    const known = this.#opts.book.known()
    return this.connectedPeers().find(p => (named === undefined || named === p) && (known[p]?.addrs ?? []).some(a => hostPort(a) === at))
  }

  async disconnect (peerId: string): Promise<void> {
    await this.#started().hangUp(peerIdFromString(peerId))
  }

  send (peerId: string, frame: Frame): boolean { return this.#chat()?.send(peerId, frame) ?? false }
  broadcast (frame: Frame, except?: string | ReadonlySet<string>): number { return this.#chat()?.broadcast(frame, except) ?? 0 }
  connectedPeers (): string[] { return this.#chat()?.connectedPeers() ?? [] }
  async drain (peerId: string): Promise<void> { await this.#chat()?.drain(peerId) }
  /** Bytes sent and not yet taken by their peers, over every link. */
  queuedBytes (peerId?: string): number { return this.#chat()?.queuedBytes(peerId) ?? 0 }
  sentOnWire (): WireCounts { return this.#chat()?.sentOnWire() ?? { frames: 0, envelopes: 0, bytes: 0 } }

  async block (peerId: string): Promise<void> {
    const node = this.#started()
    const id = parsePeerId(peerId)
    this.#blocked.add(peerId)
    this.#overlay.drop(peerId)
    this.#opts.book.setBlocked([...this.#blocked])
    await node.hangUp(id)
  }

  unblock (peerId: string): void {
    parsePeerId(peerId)
    this.#blocked.delete(peerId)
    this.#opts.book.setBlocked([...this.#blocked])
    const known = this.#opts.book.known()[peerId]
    if (known !== undefined) this.#overlay.offer(peerId, known.addrs, true)
  }

  /** Hang up and drop the peer from the known ones: no redial (it may come back by discovery or a dial). */
  async forget (peerId: string): Promise<void> {
    const node = this.#started()
    const id = parsePeerId(peerId)
    this.#overlay.drop(peerId)
    this.#opts.book.forget(peerId)
    await node.hangUp(id)
  }

  async cut (peerId: string): Promise<void> {
    const node = this.#started()
    this.#cut.add(peerId)
    const ids = peerId === '*' ? node.getPeers().map(p => p.toString()) : [peerId]
    for (const id of ids) await node.hangUp(peerIdFromString(id))
  }

  /** Let the cut peers back: the overlay links up again at once, to random peers (the halves mix). */
  heal (): void {
    this.#cut.clear()
    this.#overlay.mix()
  }

  connections (peerId: string): ConnectionView[] {
    return (this.#node?.getConnections(peerIdFromString(peerId)) ?? []).map(connectionView)
  }

  /** Every known or connected peer, with its sockets. */
  peers (): PeerView[] {
    const known = this.#opts.book.known()
    const ids = new Set([...Object.keys(known), ...this.connectedPeers()])
    return [...ids].map(peerId => {
      const name = this.#chat()?.nameOf(peerId)
      return {
        peerId,
        name: name ?? known[peerId]?.name ?? '',
        connected: name !== undefined,
        ...(name !== undefined ? { build: peerBuild(this.#chat()?.appOf(peerId), FEATURE_LEVEL) } : {}),
        blocked: this.#blocked.has(peerId),
        addrs: known[peerId]?.addrs ?? [],
        connections: this.connections(peerId)
      }
    })
  }

  /** Each connected peer's sockets, for the stats. */
  links (): LinkView[] {
    return this.connectedPeers().flatMap(peerId => (this.#node?.getConnections(peerIdFromString(peerId)) ?? []).map(c => {
      const { local, remote } = fourTuple(c)
      return { peerId, name: this.#chat()?.nameOf(peerId) ?? '', direction: c.direction, local, remote }
    }))
  }

  /** Known, unblocked peers that are not connected, and were linked within DOWN_FOR_MS (this run or, by the book, before it). */
  peersDown (): string[] {
    const connected = new Set(this.connectedPeers())
    const since = Date.now() - DOWN_FOR_MS
    for (const [p, at] of this.#lostAt) if (at < since) this.#lostAt.delete(p)
    return Object.entries(this.#opts.book.known())
      .filter(([p, k]) => !this.#blocked.has(p) && !connected.has(p) && Math.max(k.lastSeen, this.#lostAt.get(p) ?? 0) >= since)
      .map(([p]) => p)
  }

  async ping (peerId: string, options: AbortOptions = {}): Promise<number> {
    return await this.#started().services.ping.ping(peerIdFromString(peerId), options)
  }

  #wire (node: LanNode): void {
    const chat = node.services.chat!
    chat.addEventListener('peer:connect', ({ detail }) => {
      this.#overlay.linkUp(detail.peerId)
      // The name we knew it by, before its hello's replaces it (identify keeps it until the link is up).
      const known = this.#opts.book.known()[detail.peerId]
      if (known !== undefined && known.name !== detail.name) this.#remember(detail.peerId, { ...known, name: detail.name })
      this.safeDispatchEvent('peer:connect', { detail })
      if (known !== undefined && known.name !== '' && known.name !== detail.name) {
        this.safeDispatchEvent('peer:renamed', { detail: { peerId: detail.peerId, name: detail.name, previousName: known.name } })
      }
      this.#sharePeers(detail.peerId)
      this.#announce(detail.peerId)
      // Full: the newcomer that dialed us has just heard of our other links; it goes on to them.
      if (this.connectedPeers().length > MESH_MAX_CONNECTIONS && !this.#dialedBy(detail.peerId)) void this.#swapAway(detail.peerId)
    })
    chat.addEventListener('peer:renamed', ({ detail }) => {
      // A connected peer took another name: kept, so a later hello under it is no news.
      const known = this.#opts.book.known()[detail.peerId]
      if (known !== undefined) this.#remember(detail.peerId, { ...known, name: detail.name })
      this.safeDispatchEvent('peer:renamed', { detail })
    })
    chat.addEventListener('peer:disconnect', ({ detail }) => {
      // Linked until now: down from now (the engine writes the book's lastSeen at every link's end, swapped or not).
      this.#lostAt.set(detail.peerId, Date.now())
      this.#announced.delete(detail.peerId)
      this.#exchangeBudget.delete(detail.peerId)
      const unheard = this.#swapUnheard.delete(detail.peerId)
      this.safeDispatchEvent('peer:disconnect', { detail: this.#swapped.delete(detail.peerId) ? { ...detail, staying: true, ...(unheard ? { unheard } : {}) } : detail })
      this.#overlay.linkDown(detail.peerId)
    })
    chat.addEventListener('peer:misbehaved', ({ detail }) => { this.safeDispatchEvent('peer:misbehaved', { detail }) })
    chat.addEventListener('frame', ({ detail }) => {
      const { peerId, frame } = detail
      if (frame.type === 'presence' && frame.staying === true) {
        // The peer swaps this link for another, or is full, and stays on the LAN: let it go, and dial others first.
        this.#swapped.add(peerId)
        this.#overlay.later(peerId)
        node.hangUp(peerIdFromString(peerId)).catch(() => {})
        return
      }
      if (frame.type === 'peers') { this.#heardPeers(peerId, frame); return }
      this.safeDispatchEvent('frame', { detail })
    })
    node.addEventListener('peer:identify', ({ detail }) => {
      const peerId = detail.peerId.toString()
      if (!detail.protocols.includes(CHAT_PROTOCOL) && chat.nameOf(peerId) === undefined) { this.#foreign(node, peerId); return }
      const addrs = detail.listenAddrs.map(a => a.toString()).filter(a => a.includes('/tcp/')).slice(0, 16)
      if (addrs.length === 0) return
      const before = this.#opts.book.known()[peerId]?.addrs ?? []
      this.#remember(peerId, { addrs, name: chat.nameOf(peerId) ?? this.#opts.book.known()[peerId]?.name ?? '', lastSeen: Date.now() })
      // A peer that restarted on another port (0 picks a new one each start): the peer list shows where it is now.
      if (before.length !== addrs.length || before.some((a, i) => a !== addrs[i])) this.safeDispatchEvent('peer:addresses', { detail: { peerId, addrs } })
      if (!this.#blocked.has(peerId)) this.#overlay.offer(peerId, addrs)
      this.#announce(peerId)
    })
    node.addEventListener('peer:discovery', ({ detail }) => {
      const peerId = detail.id.toString()
      const addrs = detail.multiaddrs.map(a => a.toString())
      this.safeDispatchEvent('peer:candidate', { detail: { peerId, addrs } })
      if (!this.#blocked.has(peerId)) this.#overlay.offer(peerId, addrs)
    })
    // Every answer, not only a peer's first (libp2p's peer:discovery): the overlay tells a peer heard of
    // again after a silence, or at a new address, from one it keeps hearing of, and dials the first at once.
    discoveryHeard(node, (peerId, addrs) => {
      if (this.#blocked.has(peerId)) return
      // At most one answer a second of each peer: a LAN of a hundred answers each query of each peer
      // (thousands a second), and a silence or a move is news at the scale of seconds, not of answers.
      // A monotonic clock: a wall clock set back an hour would drop every peer's answers for that hour.
      const t = performance.now()
      if (t - (this.#discoveredAt.get(peerId) ?? -Infinity) < DISCOVERY_GAP_MS) return
      if (this.#discoveredAt.size >= MAX_DISCOVERED) {
        for (const [p, at] of this.#discoveredAt) if (t - at >= DISCOVERY_GAP_MS) this.#discoveredAt.delete(p)
        if (this.#discoveredAt.size >= MAX_DISCOVERED) this.#discoveredAt.clear()
      }
      this.#discoveredAt.set(peerId, t)
      this.#overlay.offer(peerId, addrs.map(a => a.toString()))
    })
  }

  /**
   * A libp2p program that is not LAN Chat (IPFS and the like, which answer libp2p's generic mDNS tag,
   * or whoever holds an address we were told): no peer of ours, so not kept in the book (nor listed,
   * nor counted as down), a nameless entry an older build kept of it forgotten, our own connections
   * to it closed (they are no link of the overlay's), and dialed again only every RECONNECT_LONG_MS.
   * One that dials us is let be: it holds a socket, and hung up on it would dial again.
   */
  #foreign (node: LanNode, peerId: string): void {
    if (this.#opts.book.known()[peerId]?.name === '') this.#opts.book.forget(peerId)
    this.#overlay.foreign(peerId)
    for (const c of node.getConnections(peerIdFromString(peerId))) {
      if (c.direction === 'outbound') c.close().catch(() => { c.abort(new Error('not LAN Chat')) })
    }
  }

  /**
   * Keep a peer in the book. Those it lets go of to make room (the least recently seen: a
   * year's visitors past MAX_KNOWN_PEERS) are no candidates to dial any more either, unless
   * linked now: kept, each would be redialed every RECONNECT_MAX_MS for as long as we run. One
   * still on the LAN is found again by mDNS or peer exchange, as a new peer is.
   */
  #remember (peerId: string, peer: KnownPeer): void {
    const dropped = this.#opts.book.remember(peerId, peer)
    if (dropped !== undefined) this.letGo(dropped)
  }

  /** Peers the book let go of (to make room, or not seen for half a year): no candidates to dial any more, unless linked now. */
  letGo (peerIds: readonly string[]): void {
    if (peerIds.length === 0) return
    const linked = new Set(this.connectedPeers())
    for (const id of peerIds) if (!linked.has(id)) this.#overlay.drop(id)
  }

  /**
   * Peer exchange, to a link that just came up: the peers we are linked to
   * (at most SHARE_PEERS, at random) and where each listens. A peer reached
   * by address alone (mDNS filtered on the network, or off) meets the rest
   * of the LAN through it, rather than hanging on the one peer it dialed.
   */
  #sharePeers (to: string): void {
    const peers = shuffled(this.connectedPeers().filter(p => p !== to)).flatMap(id => this.#shareable(id)).slice(0, SHARE_PEERS)
    if (peers.length > 0) this.#chat()?.send(to, { type: 'peers', peers })
  }

  /** Tell our other links of a linked peer once we know where it listens (its link and identify, in either order). */
  #announce (peerId: string): void {
    if (this.#announced.has(peerId) || !this.connectedPeers().includes(peerId)) return
    const shared = this.#shareable(peerId)
    if (shared.length === 0) return
    this.#announced.add(peerId)
    for (const to of this.connectedPeers()) if (to !== peerId) this.#chat()?.send(to, { type: 'peers', peers: shared })
  }

  /** A linked peer as peer exchange tells it: unless blocked, and only with the addresses it listens on. */
  #shareable (peerId: string): SharedPeer[] {
    if (this.#blocked.has(peerId)) return []
    const addrs = (this.#opts.book.known()[peerId]?.addrs ?? []).slice(0, SHARE_ADDRS)
    return addrs.length > 0 ? [{ id: peerId, addrs }] : []
  }

  /**
   * Peers a linked peer told us of: candidates of the overlay, which dials
   * them only as it needs links (and forgets them after a few failed dials).
   * Dialed with the told peer id, so Noise refuses whoever else answers at
   * that address. A loopback address is taken only from a peer on this
   * computer (anyone else's 127.0.0.1 is not the told peer's).
   */
  #heardPeers (from: string, frame: PeersFrame): void {
    let budget = this.#exchangeBudget.get(from)
    if (budget === undefined) this.#exchangeBudget.set(from, budget = new TokenBucket(EXCHANGE_PER_SECOND, EXCHANGE_BURST))
    if (!budget.tryTake(1)) return
    const self = this.#opts.privateKey.publicKey.toString()
    const local = (this.#node?.getConnections(peerIdFromString(from)) ?? []).some(c => isLoopback(c.remoteAddr))
    for (const { id, addrs } of frame.peers) {
      if (id === self || id === from || this.#blocked.has(id)) continue
      try { peerIdFromString(id) } catch { continue }
      const dialable = addrs.flatMap(a => dialableAddr(a, id, local)).slice(0, SHARE_ADDRS)
      if (dialable.length > 0) this.#overlay.offer(id, dialable, false, true)
    }
  }

  /** The overlay's dial of a peer; `answered` once its address did (the handshake begins: libp2p's upgrader says so). */
  async #dial (peerId: string, addrs: string[], options: OverlayDialOptions): Promise<void> {
    const node = this.#node
    if (node === undefined || this.#refused(peerId)) return
    const known = addrs.length > 0 ? addrs : this.#opts.book.known()[peerId]?.addrs ?? []
    // Each with the peer's id: a dial of it reaches it or fails (never whoever listens there now), and libp2p
    // takes a list only when all name one peer (peer exchange adds addresses with the id to ones without).
    const dialed = [...new Map(known.flatMap(a => addrOfPeer(a, peerId) ?? []).map(ma => [ma.toString(), ma])).values()]
    await node.dial(dialed.length > 0 ? dialed : peerIdFromString(peerId), {
      signal: AbortSignal.any([AbortSignal.timeout(DIAL_TIMEOUT_MS), options.signal]),
      onProgress: (e: { type: string }) => { if (e.type.startsWith('upgrader:')) options.answered() }
    })
  }
}

function shuffled<T> (xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!]
  }
  return xs
}
