import type { AbortOptions, PrivateKey } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { isLoopback } from '@libp2p/utils'
import { parseTcpAddr } from './addr.js'
import { toConnectError } from './connect-errors.js'
import { FEATURE_LEVEL, STOP_DRAIN_MS, HUB_MOVED_PING_MS, HUB_PROTOCOL, HUB_RECONNECT_MAX_MS, HUB_RECONNECT_MIN_MS } from './constants.js'
import { peerBuild } from '../core/build.js'
import { NotStartedError } from './errors.js'
import type { FileProtocol } from './file-protocol.js'
import { FrameLinks } from './frame-links.js'
import { hubLinkRules, type HubFrame } from './hub-codec.js'
import { createNode, mdnsHeard, type LanNode } from './node.js'
import type { ConnectionView, PeerView } from './peers.js'
import { dropLinksFrom, interfaceIps, ipsOf, watchOwnAddrs } from './own-addrs.js'
import { connectionView } from './socket.js'
import type { Links, Transport } from './transport.js'

export interface HubLinkOptions {
  privateKey: PrivateKey
  /**
   * Our hello to hub `hubId` (it carries the last number we have). Asked once
   * the hub's identity is proven by the handshake, before anything is sent.
   */
  hello: (hubId: string) => HubFrame | Promise<HubFrame>
  /** The hub we talked to last: while we know its address, other hubs found by mDNS are ignored. */
  knownHub: () => string | undefined
  /** That hub's name as it last said it, for the peer list while it cannot be reached. */
  knownHubName?: () => string | undefined
  /** The hub's address; without one, look for a hub by mDNS if `findHub`. */
  server?: string
  findHub?: boolean
  /** Only a hub with this network key can be reached (node.ts). */
  networkKey?: string
  /** Where this host sets the network key, as a connection failure names it (connect-errors.ts). */
  networkKeySetting?: string
  /** The wait between dials to a hub that does not answer, doubling from `min` up to `max` (tests widen it). */
  retryMs?: { min: number, max: number }
}

/**
 * The client's side of client-server mode: one link to one hub. It listens
 * on nothing and answers no mDNS query; it finds the hub (given, or by mDNS),
 * dials with backoff, and reconnects when the link drops, until `stop` or a
 * partition-lab `cut`. What the frames mean is the engine's business.
 */
export class HubLinkTransport extends FrameLinks<HubFrame> implements Transport<HubFrame>, Links {
  readonly #opts: HubLinkOptions
  #node: LanNode | undefined
  #server: Multiaddr | undefined
  readonly #retryMs: { min: number, max: number }
  #backoff: number
  #retry: NodeJS.Timeout | undefined
  #connecting = false
  /** Aborts the dial under way when the user picks another hub. */
  #dialing: AbortController | undefined
  /** Partition lab: the hub link is cut until `heal`. */
  #cut = false
  /** An unreachable hub is reported once, not on every retry, until the link is up again. */
  #saidUnreachable = false
  /** Stops looking at the computer's addresses (OWN_ADDRS_CHECK_MS). */
  #unwatchAddrs: (() => void) | undefined
  /** A link dropped because this computer's address changed, or the hub's did: dial again at once when it has ended. */
  #moved = false
  /** A ping on the hub link is under way, to see whether the hub mDNS says is elsewhere still answers on it. */
  #checkingHub = false
  /** The addresses mDNS gave for the hub when a ping on the link to another address answered all the same. */
  #answeredFor: string | undefined

  constructor (opts: HubLinkOptions) {
    super(hubLinkRules('first'), logger('lanchat:hub-link'))
    this.#opts = opts
    this.#retryMs = opts.retryMs ?? { min: HUB_RECONNECT_MIN_MS, max: HUB_RECONNECT_MAX_MS }
    this.#backoff = this.#retryMs.min
    if (opts.server !== undefined) this.#server = parseTcpAddr(opts.server)
    this.addEventListener('peer:connect', () => {
      this.#backoff = this.#retryMs.min
      this.#saidUnreachable = false
    })
  }

  /** The hub's address we dial. */
  get server (): Multiaddr | undefined { return this.#server }
  /** The hub, when its link is up. */
  get hub (): string | undefined { return this.connectedPeers()[0] }
  get isCut (): boolean { return this.#cut }

  protected async hello (peerId: string): Promise<HubFrame> { return await this.#opts.hello(peerId) }

  async start (): Promise<void> {
    const { privateKey, findHub, networkKey } = this.#opts
    const node = await createNode({ role: 'client', privateKey, listen: [], mdns: findHub ?? false, ...(networkKey !== undefined ? { networkKey } : {}) })
    this.#node = node
    node.addEventListener('peer:discovery', ({ detail }) => {
      const peerId = detail.id.toString()
      this.safeDispatchEvent('peer:candidate', { detail: { peerId, addrs: detail.multiaddrs.map(a => a.toString()) } })
      // Keep the hub we know if it is still around; otherwise take the first one found.
      if (this.hub !== undefined || detail.multiaddrs.length === 0) return
      const known = this.#opts.knownHub()
      if (this.#server !== undefined && known !== undefined && known !== peerId) return
      this.#server = detail.multiaddrs.find(a => a.toString().includes('/tcp/'))?.encapsulate(`/p2p/${peerId}`)
      // Heard again (a hub back after a restart answers the next query): dial now, not at the end of the backoff.
      this.#connectNow()
    })
    // Every mDNS answer, not only a hub's first (libp2p's peer:discovery): the linked hub may say it is elsewhere now.
    mdnsHeard(node, (peerId, addrs) => {
      if (peerId === this.hub) this.#heardHubAt(peerId, addrs)
      else if (this.hub === undefined) this.#heardAwayHubAt(peerId, addrs)
    })
    await node.start()
    this.running = true
    this.#unwatchAddrs?.()
    this.#unwatchAddrs = watchOwnAddrs(interfaceIps, (now, before) => { this.#dropLinksFrom(now, before) })
    this.#connectSoon(0)
  }

  async stop (): Promise<void> {
    this.#unwatchAddrs?.()
    this.#unwatchAddrs = undefined
    await this.closeAll(STOP_DRAIN_MS)
    clearTimeout(this.#retry)
    this.#retry = undefined
    await this.stopLinks()
    this.#dialing?.abort()
    const node = this.#node
    this.#node = undefined
    await node?.stop()
  }

  addrs (): string[] { return [] }

  files (): FileProtocol | undefined { return this.#node?.services.files }

  /** Talk to the hub at `addr` from now on (the link to another one is closed). */
  async connect (addr: string): Promise<void> {
    if (this.#node === undefined) throw new NotStartedError('the engine is not running')
    this.#server = parseTcpAddr(addr)
    this.closeLinks(new Error('switching hub'))
    // Neither a dial to the old address still waiting for its answer nor the backoff it earned holds up this one.
    this.#dialing?.abort()
    this.#saidUnreachable = false
    this.#connectNow()
  }

  async disconnect (peerId: string): Promise<void> {
    this.drop(peerId, 'hung up')
  }

  async cut (): Promise<void> {
    this.#cut = true
    clearTimeout(this.#retry)
    this.#retry = undefined
    const hub = this.hub
    this.closeLinks(new Error('partition lab: cut off from the hub'))
    if (hub !== undefined) await this.#node?.hangUp(peerIdFromString(hub)).catch(() => {})
  }

  heal (): void {
    if (!this.#cut) return
    this.#cut = false
    this.#connectNow()
  }

  connections (peerId: string): ConnectionView[] {
    return (this.#node?.getConnections().filter(c => c.remotePeer.toString() === peerId) ?? []).map(connectionView)
  }

  /** The hub, connected or last known; a client has no other peer. */
  peers (): PeerView[] {
    const hubId = this.hub ?? this.#opts.knownHub()
    if (hubId === undefined) return []
    return [{
      peerId: hubId,
      name: this.nameOf(hubId) ?? (hubId === this.#opts.knownHub() ? this.#opts.knownHubName?.() : undefined) ?? '',
      connected: this.hub === hubId,
      ...(this.hub === hubId ? { build: peerBuild(this.appOf(hubId), FEATURE_LEVEL) } : {}),
      addrs: this.#server !== undefined ? [this.#server.toString()] : [],
      connections: this.connections(hubId),
      hub: true
    }]
  }

  async ping (peerId: string, options: AbortOptions = {}): Promise<number> {
    if (this.#node === undefined) throw new NotStartedError('the engine is not running')
    return await this.#node.services.ping.ping(peerIdFromString(peerId), options)
  }

  /**
   * A client listens on nothing, so only its link tells it where it is: when
   * the computer no longer has the address of the link's own end (Wi-Fi to
   * Ethernet, a new DHCP lease, a VPN turned on), nothing comes back to it,
   * and neither end is told until the pings run out, most of a minute, with
   * what is written meanwhile pending. The link is dropped now and the hub
   * dialed again at once from where the computer is now. A dial under way
   * when an address went may be from it: it is given up and made again.
   */
  #dropLinksFrom (now: string[], before: string[]): void {
    const node = this.#node
    if (node === undefined || now.length === 0) return
    if (dropLinksFrom(node.getConnections(), now).length > 0) this.#moved = true
    const have = new Set(now)
    if (this.#connecting && before.some(ip => !have.has(ip))) this.#dialing?.abort()
  }

  /**
   * mDNS says our hub, linked, is at `addrs`, none of them the address our
   * link goes to: the hub's computer changed networks (Wi-Fi to Ethernet, a
   * new DHCP lease), and the link is dead at both ends with neither told
   * until its pings run out, most of a minute, what is written meanwhile
   * pending. A ping on it settles it: unanswered within HUB_MOVED_PING_MS,
   * the link is dropped and the hub dialed at once where it is now. One that
   * answers stays (a hub reached at an address mDNS does not carry: a VPN's,
   * a forwarded port).
   */
  #heardHubAt (hubId: string, addrs: Multiaddr[]): void {
    const node = this.#node
    const there = dialable(addrs)
    const links = node?.getConnections(peerIdFromString(hubId)).filter(c => c.status === 'open') ?? []
    if (node === undefined || there === undefined || links.length === 0 || this.#checkingHub) return
    const announced = ipsOf(addrs.map(a => a.toString()))
    if (links.some(c => [...ipsOf([c.remoteAddr.toString()])].some(ip => announced.has(ip)))) return
    // The link answered once for what mDNS says now: not asked again at every answer (every 2 s).
    const said = [...announced].sort().join(' ')
    if (this.#answeredFor === said) return
    this.#checkingHub = true
    this.log('the hub says it is at %s, not where our link goes: a ping on the link tells whether it is alive', [...announced].join(', '))
    const check = async (): Promise<boolean> => {
      try {
        await node.services.ping.ping(peerIdFromString(hubId), { signal: AbortSignal.timeout(HUB_MOVED_PING_MS) })
        return true
      } catch {
        return false
      }
    }
    void check().then(answered => {
      this.#checkingHub = false
      this.log('the hub %s on the link to its old address', answered ? 'answered' : 'did not answer')
      if (answered) this.#answeredFor = said
      if (answered || this.#node !== node || this.hub !== hubId) return
      this.#server = there.encapsulate(`/p2p/${hubId}`)
      this.#moved = true
      for (const c of links) c.abort(new Error(`the hub is at ${there.toString()} now (its network changed) and did not answer on the link to its old address`))
    })
  }

  /**
   * mDNS says the hub we are trying to reach, not linked, is at `addrs`,
   * none of them the address we dial (its computer changed networks while
   * the link was down, or it came back elsewhere): libp2p tells of a peer
   * only once, so without this we would dial its old address until the
   * user typed the new one. The dial under way to the old one is given up
   * and the new one dialed at once.
   */
  #heardAwayHubAt (peerId: string, addrs: Multiaddr[]): void {
    const server = this.#server
    if (server === undefined || server.toString().split('/p2p/')[1] !== peerId || this.#cut) return
    const there = dialable(addrs)
    if (there === undefined) return
    const bare = (a: Multiaddr): string => a.toString().split('/p2p/')[0]!
    if (addrs.some(a => bare(a) === bare(server))) return
    this.log('the hub we dial at %s is at %s now: dialing it there', server.toString(), there.toString())
    this.#server = there.encapsulate(`/p2p/${peerId}`)
    if (this.#connecting) this.#dialing?.abort()
    else this.#connectNow()
  }

  /** Dial at once, whatever wait the backoff had set. */
  #connectNow (): void {
    clearTimeout(this.#retry)
    this.#retry = undefined
    this.#backoff = this.#retryMs.min
    this.#connectSoon(0)
  }

  #connectSoon (delay: number): void {
    if (!this.running || this.#cut || this.#retry !== undefined) return
    this.#retry = setTimeout(() => {
      this.#retry = undefined
      void this.#connect()
    }, delay)
    this.#retry.unref()
  }

  #retryLater (): void {
    const delay = this.#backoff * (0.8 + Math.random() * 0.4)
    this.#backoff = Math.min(this.#retryMs.max, this.#backoff * 2)
    this.#connectSoon(delay)
  }

  async #connect (): Promise<void> {
    const node = this.#node
    const server = this.#server
    if (node === undefined || server === undefined || this.#connecting || this.hub !== undefined || this.#cut) return
    this.#connecting = true
    const dialing = new AbortController()
    this.#dialing = dialing
    const signal = AbortSignal.any([dialing.signal, AbortSignal.timeout(10_000)])
    try {
      const connection = await node.dial(server, { signal })
      const stream = await connection.newStream(HUB_PROTOCOL, { signal })
      this.#connecting = false
      this.#dialing = undefined
      if (this.#cut || !this.running) { stream.abort(new Error('partition lab: cut off from the hub')); return }
      await this.run(stream, connection)
    } catch (err) {
      if (!this.#saidUnreachable && !dialing.signal.aborted) {
        this.misbehaved(server.toString(), `the hub cannot be reached: ${toConnectError(err, server.toString(), this.#opts.networkKeySetting).message} Retrying quietly until it answers.`)
        this.#saidUnreachable = true
      }
    } finally {
      this.#connecting = false
      if (this.#dialing === dialing) this.#dialing = undefined
    }
    if (!this.running) return
    // Given up for another hub, or from an address this computer no longer has: dial now (from where it is).
    if (dialing.signal.aborted || this.#moved) {
      this.#moved = false
      this.#backoff = this.#retryMs.min
      this.#connectSoon(0)
    } else this.#retryLater()
  }
}

/** Where to dial a hub mDNS tells of: a TCP address, not its loopback one (said first; from another computer that is ourselves). */
function dialable (addrs: Multiaddr[]): Multiaddr | undefined {
  const tcp = addrs.filter(a => a.toString().includes('/tcp/'))
  return tcp.find(a => !isLoopback(a)) ?? tcp[0]
}
