import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { normalizeName, normalizeRoom } from '../core/message.js'
import { TokenBucket } from '../net/rate.js'
import { verifyMessages } from '../chat/verify.js'
import { Counters, type EngineStats } from '../chat/stats.js'
import type { ChatEventOf, MessageView, PeerView } from '../chat/types.js'
import type { HubFrame, SequencedMessage } from './codec.js'
import {
  DELIVER_BATCH, DELIVER_BATCH_BYTES, HELLO_TIMEOUT_MS, HUB_PROTOCOL, HUB_PROTOCOL_VERSION,
  HUB_RATE_BURST, HUB_RATE_PER_SECOND, MAX_CLIENTS
} from './constants.js'
import { SequenceError } from './errors.js'
import { HubStore } from './hub-store.js'
import { HubLink } from './link.js'
import { createHubNode, type HubNode } from './node.js'
import { Sequencer } from './sequencer.js'
import { connectionView, messageView } from '../chat/views.js'
import { Listeners } from '../chat/listeners.js'

export interface HubOptions {
  dataDir: string
  name?: string
  /** Default: the port of the last run on all interfaces, else a free one. */
  listen?: string[]
  /** Announce the hub by mDNS (default true). */
  mdns?: boolean
  ratePerSecond?: number
  rateBurst?: number
  log?: (line: string) => void
}

export type HubEvent = ChatEventOf<'ready' | 'peer:connect' | 'peer:disconnect' | 'message' | 'error'>

interface Client {
  link: HubLink
  name: string
  /** Highest seq handed to this client's stream. */
  cursor: number
  pumping: boolean
}

/**
 * The client-server hub: accepts one hub stream per client, gives every
 * message the next sequence number (arrival order is the total order),
 * writes it to its log, then relays it to every client. A client that joins
 * or comes back says the last number it has and gets everything after.
 *
 * Messages stay signed by their authors and each client verifies them, so
 * the hub orders and relays but cannot forge or alter.
 */
export class HubServer {
  readonly mode = 'server' as const
  readonly #opts: HubOptions
  readonly #log: (line: string) => void
  readonly #listeners: Listeners<HubEvent>
  #seq = new Sequencer()
  readonly #clients = new Map<string, Client>()
  readonly #buckets = new Map<string, TokenBucket>()
  readonly #counters = new Counters()
  /** Highest seq whose record is in the log: only durable messages are relayed. */
  #durable = 0
  /** Wakes throttled readers on stop, so no timer outlives the hub. */
  readonly #abort = new AbortController()
  #dropped = 0
  #rejected = 0
  #store: HubStore | undefined
  #node: HubNode | undefined
  #peerId = ''
  #name = ''

  constructor (opts: HubOptions) {
    this.#opts = opts
    this.#log = opts.log ?? (() => {})
    this.#listeners = new Listeners(this.#log)
  }

  get peerId (): string { return this.#peerId }
  get name (): string { return this.#name }
  get lastSeq (): number { return this.#seq.lastSeq }

  on (listener: (e: HubEvent) => void): () => void {
    return this.#listeners.on(listener)
  }

  async start (): Promise<void> {
    const store = await HubStore.open(this.#opts.dataDir, this.#log)
    this.#store = store
    for (const item of store.items) this.#seq.restore(item)
    this.#durable = this.#seq.lastSeq
    store.items.length = 0
    this.#peerId = peerIdFromPrivateKey(store.key).toString()
    this.#name = normalizeName(this.#opts.name ?? store.state.name ?? `hub-${this.#peerId.slice(-6)}`)
    const node = await this.#listen(store)
    this.#node = node
    await node.handle(HUB_PROTOCOL, (stream, connection) => { void this.#serve(stream, connection) }, { maxInboundStreams: 2 })
    const port = node.getMultiaddrs()[0]?.getComponents().find(c => c.name === 'tcp')?.value
    store.state = { name: this.#name, ...(port !== undefined ? { port: Number(port) } : {}) }
    store.saveState()
    this.#listeners.emit({ type: 'ready', peerId: this.#peerId, name: this.#name, mode: 'server', addrs: this.addrs() })
  }

  /** Listen where asked; by default on last run's port so clients' saved address still works. */
  async #listen (store: HubStore): Promise<HubNode> {
    const make = async (listen: string[]): Promise<HubNode> => {
      const node = await createHubNode({ privateKey: store.key, listen, mdns: (this.#opts.mdns ?? true) ? 'announce' : 'off' })
      await node.start()
      return node
    }
    if (this.#opts.listen !== undefined) return await make(this.#opts.listen)
    if (store.state.port !== undefined) {
      try {
        return await make([`/ip4/0.0.0.0/tcp/${store.state.port}`])
      } catch (err) {
        this.#log(`port ${store.state.port} is taken (${(err as Error).message}); using a free one`)
      }
    }
    return await make(['/ip4/0.0.0.0/tcp/0'])
  }

  async stop (): Promise<void> {
    this.#abort.abort()
    const node = this.#node
    this.#node = undefined
    await node?.stop()
    this.#clients.clear()
    this.#store?.close()
    this.#store = undefined
    // As P2PEngine.stop: libp2p's leftover timers must not keep the history alive; start() reloads it.
    this.#seq = new Sequencer()
    this.#durable = 0
  }

  addrs (): string[] {
    return this.#node?.getMultiaddrs().map(a => a.toString()) ?? []
  }

  /** A room's messages in server order. */
  history (room: string): MessageView[] {
    room = normalizeRoom(room)
    const out: MessageView[] = []
    for (let s = 1; s <= this.#durable; s++) {
      const item = this.#seq.bySeq(s)!
      if (item.message.room === room) out.push(messageView(item.message, { seq: item.seq }))
    }
    return out
  }

  peers (): PeerView[] {
    return [...this.#clients.values()].map(c => ({
      peerId: c.link.peerId, name: c.name, connected: true, connections: [connectionView(c.link.connection)]
    }))
  }

  stats (): EngineStats & { lastSeq: number, clients: number, droppedClients: number, rejectedMessages: number } {
    const clients = [...this.#clients.values()]
    return {
      mode: 'server',
      orderedBy: 'server-seq',
      order: 'arrival order at this hub: it numbers each message and every client shows that order',
      connections: clients.map(c => ({ peerId: c.link.peerId, name: c.name, direction: 'inbound' as const, ...c.link.tuple() })),
      sent: 0,
      received: this.#counters.received,
      relayed: this.#counters.relayed,
      ...this.#counters.figures(),
      failure: { state: 'ok', summary: `serving ${clients.length} client${clients.length === 1 ? '' : 's'}` },
      lastSeq: this.#seq.lastSeq,
      clients: clients.length,
      droppedClients: this.#dropped,
      rejectedMessages: this.#rejected
    }
  }

  // ---- one client ----

  #bucket (peerId: string): TokenBucket {
    let b = this.#buckets.get(peerId)
    if (b === undefined) {
      b = new TokenBucket(this.#opts.ratePerSecond ?? HUB_RATE_PER_SECOND, this.#opts.rateBurst ?? HUB_RATE_BURST)
      this.#buckets.set(peerId, b)
    }
    return b
  }

  /** Hang up on a client that broke the protocol; it may come back, and is dropped again if it repeats. */
  #drop (link: HubLink, reason: string): void {
    this.#dropped++
    this.#log(`dropped client ${link.peerId}: ${reason}`)
    link.close(new Error(reason))
    link.connection.abort(new Error(reason))
  }

  async #serve (stream: Stream, connection: Connection): Promise<void> {
    const link = new HubLink(stream, connection)
    if (this.#clients.size >= MAX_CLIENTS) { this.#drop(link, `hub full (${MAX_CLIENTS} clients)`); return }
    let client: Client | undefined
    const helloTimer = setTimeout(() => { if (client === undefined) this.#drop(link, 'no hello in time') }, HELLO_TIMEOUT_MS)
    helloTimer.unref()
    try {
      for await (const frame of link.frames()) {
        if (frame instanceof Error) { this.#drop(link, frame.message); return }
        if (client === undefined) {
          if (frame.type !== 'hello') { this.#drop(link, 'first frame was not a hello'); return }
          clearTimeout(helloTimer)
          client = this.#join(link, frame)
          continue
        }
        if (!await this.#onFrame(client, frame)) return
      }
    } catch (err) {
      this.#log(`client ${link.peerId} stream failed: ${(err as Error).message}`)
    } finally {
      clearTimeout(helloTimer)
      if (client !== undefined && this.#clients.get(link.peerId) === client) {
        this.#clients.delete(link.peerId)
        this.#listeners.emit({ type: 'peer:disconnect', peerId: link.peerId })
      }
    }
  }

  #join (link: HubLink, hello: Extract<HubFrame, { type: 'hello' }>): Client {
    // A reconnect may overtake the old stream's close: the newest stream wins.
    const old = this.#clients.get(link.peerId)
    if (old !== undefined) old.link.close(new Error('replaced by a newer connection'))
    const client: Client = { link, name: hello.name, cursor: Math.min(hello.seq, this.#durable), pumping: false }
    this.#clients.set(link.peerId, client)
    link.send({ type: 'hello', name: this.#name, version: HUB_PROTOCOL_VERSION, seq: this.#durable })
    const { local, remote } = link.tuple()
    this.#listeners.emit({ type: 'peer:connect', peerId: link.peerId, name: hello.name, local, remote })
    void this.#pump(client)
    return client
  }

  /** Handle a frame from a joined client; false when the client was dropped. */
  async #onFrame (client: Client, frame: HubFrame): Promise<boolean> {
    const { link } = client
    switch (frame.type) {
      case 'hello':
        client.name = frame.name
        return true
      case 'deliver':
      case 'rejected':
        this.#drop(link, `a client may not send ${frame.type} frames`)
        return false
      case 'submit': {
        const foreign = frame.messages.find(m => m.author !== link.peerId)
        if (foreign !== undefined) { this.#drop(link, `submitted a message by ${foreign.author}`); return false }
        const fresh = frame.messages.filter(m => this.#seq.byId(m.id) === undefined)
        if (await this.#bucket(link.peerId).take(Math.max(1, fresh.length), this.#abort.signal)) {
          this.#log(`client ${link.peerId} throttled to ${this.#bucket(link.peerId).rate} messages/s`)
        }
        const { ok, bad, unverified } = await verifyMessages(frame.messages)
        if (bad.length > 0) { this.#drop(link, `forged message: ${bad[0]!.reason}`); return false }
        // A client signs every message it submits: an unsigned one is not vouched for by anything here.
        if (unverified.length > 0) { this.#drop(link, 'unsigned message without its signed successor'); return false }
        for (const m of ok) this.#admit(client, m)
        return true
      }
      default:
        return frame satisfies never
    }
  }

  #admit (client: Client, m: Parameters<Sequencer['admit']>[0]): void {
    let admitted
    try {
      admitted = this.#seq.admit(m)
    } catch (err) {
      if (!(err instanceof SequenceError)) throw err
      this.#rejected++
      this.#log(`refused ${m.id.slice(0, 12)} from ${client.link.peerId}: ${err.message}`)
      client.link.send({ type: 'rejected', id: m.id, reason: err.message })
      return
    }
    const { item, isNew } = admitted
    if (!isNew) {
      // A resend after an outage: the client may have missed the first relay.
      if (item.seq <= this.#durable && item.seq <= client.cursor) client.link.send({ type: 'deliver', items: [item] })
      return
    }
    const now = Date.now()
    this.#counters.delivered(0, item.message.sentAt, now)
    void this.#commit(item)
  }

  async #commit (item: SequencedMessage): Promise<void> {
    try {
      await this.#store!.append(item)
    } catch (err) {
      this.#listeners.emit({ type: 'error', message: `hub log write failed: ${(err as Error).message}` })
      return
    }
    // The log writes in order, so every earlier number is durable too.
    if (item.seq <= this.#durable) return
    const from = this.#durable
    this.#durable = item.seq
    for (let s = from + 1; s <= this.#durable; s++) {
      const it = this.#seq.bySeq(s)!
      this.#listeners.emit({ type: 'message', ...messageView(it.message, { seq: it.seq, deliveredAt: Date.now(), via: it.message.author, hops: 0 }) })
    }
    for (const c of this.#clients.values()) void this.#pump(c)
  }

  /** Send a client everything after its cursor, in order, one batch per drain. */
  async #pump (client: Client): Promise<void> {
    if (client.pumping) return
    client.pumping = true
    try {
      while (client.cursor < this.#durable && client.link.open && this.#clients.get(client.link.peerId) === client) {
        const items = this.#seq.after(client.cursor, DELIVER_BATCH, DELIVER_BATCH_BYTES).filter(i => i.seq <= this.#durable)
        if (items.length === 0) break
        client.link.send({ type: 'deliver', items })
        client.cursor = items[items.length - 1]!.seq
        this.#counters.relayed += items.length
        await client.link.drain()
      }
    } catch (err) {
      this.#log(`relay to ${client.link.peerId} failed: ${(err as Error).message}`)
    } finally {
      client.pumping = false
    }
  }
}
