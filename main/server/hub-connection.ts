import type { Multiaddr } from '@multiformats/multiaddr'
import type { ChatMessage } from '../core/message.js'
import { parseTcpAddr } from '../net/addr.js'
import { NotStartedError } from '../chat/errors.js'
import type { EngineEvent } from '../chat/types.js'
import type { ClientStore } from './client-store.js'
import type { HubFrame } from './codec.js'
import { HUB_PROTOCOL, HUB_PROTOCOL_VERSION, HUB_RECONNECT_MAX_MS, HUB_RECONNECT_MIN_MS, MAX_SUBMIT_PER_FRAME } from './constants.js'
import { HubLink } from './link.js'
import { createHubNode, type HubNode } from './node.js'

/** What the connection needs from the ClientEngine that owns it. */
export interface ConnectionHost {
  store: () => ClientStore | undefined
  name: () => string
  lastSeq: () => number
  pending: () => ChatMessage[]
  announcePending: (m: ChatMessage) => void
  /** A different hub answered: its numbers mean nothing next to the old one's. */
  forgetHistory: () => void
  onFrame: (frame: HubFrame) => Promise<void>
  emit: (e: EngineEvent) => void
  log: (line: string) => void
}

/**
 * ClientEngine's link to its one hub: finding it (given or by mDNS), dialing
 * with backoff, the hello, reading frames until the stream ends, and the
 * partition lab's cut. What the frames mean is the engine's business.
 */
export class HubConnection {
  readonly #host: ConnectionHost
  #node: HubNode | undefined
  #server: Multiaddr | undefined
  /** The hub stream, once the hub has said hello. */
  #link: HubLink | undefined
  serverName = ''
  #backoff = HUB_RECONNECT_MIN_MS
  #retry: NodeJS.Timeout | undefined
  #connecting = false
  #stopped = false
  /** Partition lab: the hub link is cut until `heal`; sends queue as pending meanwhile. */
  #cut = false

  constructor (host: ConnectionHost) {
    this.#host = host
  }

  get node (): HubNode | undefined { return this.#node }
  get server (): Multiaddr | undefined { return this.#server }
  get link (): HubLink | undefined { return this.#link }
  get isCut (): boolean { return this.#cut }

  /** Make the node (it listens on nothing) and, unless a hub was given, look for one by mDNS. */
  async start (store: ClientStore, given: string | undefined, findHub: boolean): Promise<void> {
    if (given !== undefined) this.#server = parseTcpAddr(given)
    const node = await createHubNode({ privateKey: store.key, listen: [], mdns: findHub ? 'find' : 'off' })
    this.#node = node
    node.addEventListener('peer:discovery', ({ detail }) => {
      // Keep the hub we know if it is still around; otherwise take the first one found.
      if (this.#link !== undefined || detail.multiaddrs.length === 0) return
      const id = detail.id.toString()
      if (this.#server !== undefined && store.state.serverId !== undefined && store.state.serverId !== id) return
      this.#server = detail.multiaddrs.find(a => a.toString().includes('/tcp/'))?.encapsulate(`/p2p/${id}`)
      this.#backoff = HUB_RECONNECT_MIN_MS
      this.connectSoon(0)
    })
    await node.start()
    this.#stopped = false
  }

  async stop (): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#retry)
    const node = this.#node
    this.#node = undefined
    this.#link = undefined
    await node?.stop()
  }

  /** Talk to this hub from now on, and remember it. */
  switchTo (store: ClientStore, addr: string): void {
    this.#server = parseTcpAddr(addr)
    store.state.serverAddr = this.#server.toString()
    store.changed()
    const link = this.#link
    this.#link = undefined
    link?.close(new Error('switching hub'))
    this.#backoff = HUB_RECONNECT_MIN_MS
    this.connectSoon(0)
  }

  /** See ClientEngine.cut. */
  cut (): void {
    this.#cut = true
    clearTimeout(this.#retry)
    this.#retry = undefined
    const link = this.#link
    link?.close(new Error('partition lab: cut off from the hub'))
    const node = this.#node
    if (link !== undefined && node !== undefined) void node.hangUp(link.connection.remotePeer).catch(() => {})
  }

  heal (): void {
    if (!this.#cut) return
    this.#cut = false
    this.#backoff = HUB_RECONNECT_MIN_MS
    this.connectSoon(0)
  }

  connectSoon (delay: number): void {
    if (this.#stopped || this.#cut || this.#retry !== undefined) return
    this.#retry = setTimeout(() => {
      this.#retry = undefined
      void this.#connect()
    }, delay)
    this.#retry.unref()
  }

  #retryLater (): void {
    const delay = this.#backoff * (0.8 + Math.random() * 0.4)
    this.#backoff = Math.min(HUB_RECONNECT_MAX_MS, this.#backoff * 2)
    this.connectSoon(delay)
  }

  async #connect (): Promise<void> {
    const node = this.#node
    const server = this.#server
    if (node === undefined || server === undefined || this.#connecting || this.#link !== undefined || this.#cut) return
    this.#connecting = true
    let link: HubLink
    try {
      const connection = await node.dial(server, { signal: AbortSignal.timeout(10_000) })
      const stream = await connection.newStream(HUB_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
      link = new HubLink(stream, connection)
    } catch (err) {
      this.#host.log(`hub ${server.toString()} unreachable: ${(err as Error).message}`)
      this.#retryLater()
      return
    } finally {
      this.#connecting = false
    }
    const store = this.#host.store()
    if (store === undefined) { link.close(new Error('stopped')); return }
    if (this.#cut) { link.close(new Error('partition lab: cut off from the hub')); return }
    if (store.state.serverId !== undefined && store.state.serverId !== link.peerId) {
      // A different hub: its numbers mean nothing next to the old one's.
      this.#host.log(`a different hub (${link.peerId}): its history replaces the one of ${store.state.serverId}`)
      await store.switchServer(link.peerId, this.#host.pending())
      this.#host.forgetHistory()
    }
    link.send({ type: 'hello', name: this.#host.name(), version: HUB_PROTOCOL_VERSION, seq: this.#host.lastSeq() })
    void this.#read(link)
  }

  async #read (link: HubLink): Promise<void> {
    let joined = false
    try {
      for await (const frame of link.frames()) {
        if (this.#stopped) return
        if (frame instanceof Error) { this.#host.log(`hub sent junk, hanging up: ${frame.message}`); link.close(frame); break }
        if (!joined) {
          if (frame.type !== 'hello') { this.#host.log('hub did not say hello first'); link.close(new Error('no hello')); break }
          joined = true
          await this.#joined(link, frame)
          continue
        }
        await this.#host.onFrame(frame)
      }
    } catch (err) {
      this.#host.log(`hub stream failed: ${(err as Error).message}`)
    } finally {
      if (this.#link === link) this.#link = undefined
      if (joined && !this.#stopped) {
        this.#host.emit({ type: 'peer:disconnect', peerId: link.peerId })
        for (const m of this.#host.pending()) this.#host.announcePending(m)
      }
      if (!this.#stopped) this.#retryLater()
    }
  }

  async #joined (link: HubLink, hello: Extract<HubFrame, { type: 'hello' }>): Promise<void> {
    const store = this.#host.store()
    if (store === undefined || this.#node === undefined) throw new NotStartedError('the engine is not running')
    const lastSeq = this.#host.lastSeq()
    if (hello.seq < lastSeq) {
      this.#host.log(`the hub has ${hello.seq} messages, we had ${lastSeq}: it lost some (restored from an old backup?)`)
    }
    store.state.serverId = link.peerId
    store.state.serverAddr = this.#server?.toString()
    store.changed()
    this.serverName = hello.name
    this.#link = link
    this.#backoff = HUB_RECONNECT_MIN_MS
    const { local, remote } = link.tuple()
    this.#host.emit({ type: 'peer:connect', peerId: link.peerId, name: hello.name, local, remote })
    // After the hello the hub sends what we missed, then takes our resends.
    const pending = this.#host.pending()
    for (let i = 0; i < pending.length; i += MAX_SUBMIT_PER_FRAME) {
      link.send({ type: 'submit', messages: pending.slice(i, i + MAX_SUBMIT_PER_FRAME) })
    }
  }
}
