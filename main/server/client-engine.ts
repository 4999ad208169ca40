import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { LamportClock } from '../core/clock.js'
import { checkText, normalizeName, normalizeRoom, type ChatMessage } from '../core/message.js'
import { encodeBody, hashBody } from '../net/codec.js'
import { NotStartedError, UnknownMessageError } from '../chat/errors.js'
import { Counters, type EngineStats } from '../chat/stats.js'
import type { ChatEngine, EngineEvent, MessageView, PeerView, SendOptions } from '../chat/types.js'
import { signSync, verifyMessages } from '../chat/verify.js'
import { ClientStore } from './client-store.js'
import type { HubFrame, SequencedMessage } from './codec.js'
import { HUB_PROTOCOL_VERSION, MAX_SUBMIT_PER_FRAME } from './constants.js'
import { ModeError } from './errors.js'
import { HubConnection } from './hub-connection.js'
import { connectionView, messageView } from '../chat/views.js'
import { Listeners } from '../chat/listeners.js'

export interface ClientEngineOptions {
  dataDir: string
  name?: string
  /** The hub's multiaddr. Without it the client asks mDNS for a hub (unless mdns is false). */
  server?: string
  mdns?: boolean
  log?: (line: string) => void
}

/**
 * Client mode: the engine dials one hub and nothing else (it listens on no
 * port and answers no mDNS query). The hub's sequence numbers are the order;
 * a message sent while the hub is unreachable is kept on disk as pending and
 * resent when it is back — the hub recognises a resend by its id, so it is
 * delivered once. Messages are verified here, so the hub cannot forge.
 */
export class ClientEngine implements ChatEngine {
  readonly mode = 'client' as const
  readonly #opts: ClientEngineOptions
  readonly #log: (line: string) => void
  readonly #listeners: Listeners<EngineEvent>
  readonly #rooms = new Map<string, MessageView[]>()
  readonly #delivered = new Set<string>()
  readonly #pending = new Map<string, ChatMessage>()
  /** Pending ids already announced with a `pending` event. */
  readonly #announced = new Set<string>()
  readonly #counters = new Counters()
  #submitQueue: ChatMessage[] = []
  #clock = new LamportClock()
  #store: ClientStore | undefined
  readonly #conn: HubConnection
  #lastSeq = 0
  #name = ''
  #peerId = ''

  constructor (opts: ClientEngineOptions) {
    this.#opts = opts
    this.#log = opts.log ?? (() => {})
    this.#listeners = new Listeners(this.#log)
    this.#conn = new HubConnection({
      store: () => this.#store,
      name: () => this.#name,
      lastSeq: () => this.#lastSeq,
      pending: () => [...this.#pending.values()],
      announcePending: m => { this.#announcePending(m) },
      forgetHistory: () => { this.#forgetHistory() },
      onFrame: async frame => { await this.#onFrame(frame) },
      emit: e => { this.#listeners.emit(e) },
      log: this.#log
    })
  }

  get peerId (): string { return this.#peerId }
  get name (): string { return this.#name }
  /** Whether the hub is connected and has said hello. */
  get connected (): boolean { return this.#conn.link?.open === true }
  get pendingCount (): number { return this.#pending.size }
  get lastSeq (): number { return this.#lastSeq }

  on (listener: (e: EngineEvent) => void): () => void {
    return this.#listeners.on(listener)
  }

  #started (): ClientStore {
    if (this.#store === undefined || this.#conn.node === undefined) throw new NotStartedError('the engine is not running')
    return this.#store
  }

  async start (): Promise<void> {
    const store = await ClientStore.open(this.#opts.dataDir, this.#log)
    this.#store = store
    this.#peerId = peerIdFromPrivateKey(store.key).toString()
    this.#name = normalizeName(this.#opts.name ?? store.state.name ?? `peer-${this.#peerId.slice(-6)}`)
    store.state.name = this.#name
    for (const r of store.state.rooms) this.#room(r)
    for (const item of store.delivered) this.#show(item, false)
    store.delivered.length = 0
    for (const m of store.pending) this.#pending.set(m.id, m)
    this.#clock = new LamportClock(store.state.clock)
    const findHub = this.#opts.server === undefined && (this.#opts.mdns ?? true)
    await this.#conn.start(store, this.#opts.server ?? store.state.serverAddr, findHub)
    this.#listeners.emit({ type: 'ready', peerId: this.#peerId, name: this.#name, mode: 'client', addrs: [] })
    for (const m of this.#pending.values()) this.#announcePending(m)
    this.#conn.connectSoon(0)
  }

  async stop (): Promise<void> {
    await this.#conn.stop()
    if (this.#store !== undefined) {
      this.#store.state.clock = this.#clock.time
      this.#store.close()
    }
    this.#store = undefined
    // As P2PEngine.stop: libp2p's leftover timers must not keep the history alive; start() reloads it.
    this.#rooms.clear()
    this.#delivered.clear()
    this.#pending.clear()
    this.#announced.clear()
  }

  /** A client listens on nothing. */
  addrs (): string[] { return [] }

  // ---- commands ----

  async send (room: string, text: string, options: SendOptions = {}): Promise<MessageView> {
    const store = this.#started()
    room = normalizeRoom(room)
    checkText(text)
    const { chainSeq, chainId } = store.state
    const deps: string[] = []
    if (options.replyTo !== undefined) {
      if (!this.#delivered.has(options.replyTo)) throw new UnknownMessageError(`no message ${options.replyTo} to reply to`)
      if (options.replyTo !== chainId) deps.push(options.replyTo)
    }
    const unsigned = {
      room, author: this.#peerId, name: this.#name, text,
      lamport: this.#clock.tick(), sentAt: Date.now(), seq: chainSeq + 1, prev: chainId, deps,
      ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {})
    }
    const body = encodeBody(unsigned)
    const message: ChatMessage = { ...unsigned, id: hashBody(body), sig: signSync(store.key, body) }
    store.state.chainSeq = message.seq
    store.state.chainId = message.id
    store.state.clock = this.#clock.time
    store.changed()
    // On disk before anything else: a pending message survives a crash.
    await store.appendPending(message)
    this.#pending.set(message.id, message)
    this.#room(room)
    this.#counters.sent++
    if (this.#conn.link?.open === true) this.#submitSoon(message)
    else this.#announcePending(message)
    return messageView(message, { pending: true })
  }

  /** In client mode "dial" picks the hub: the client talks to that one only. */
  async dial (addr: string): Promise<void> {
    const store = this.#started()
    this.#conn.switchTo(store, addr)
  }

  async block (): Promise<void> {
    throw new ModeError('block is a P2P command: in client mode the only connection is to the hub')
  }

  async unblock (): Promise<void> {
    throw new ModeError('unblock is a P2P command: in client mode the only connection is to the hub')
  }

  history (room: string): MessageView[] {
    room = normalizeRoom(room)
    const shown = [...(this.#rooms.get(room) ?? [])]
    for (const m of this.#pending.values()) if (m.room === room) shown.push(messageView(m, { pending: true }))
    return shown
  }

  rooms (): string[] { return [...this.#rooms.keys()] }

  joinRoom (room: string): void { this.#room(normalizeRoom(room)) }

  peers (): PeerView[] {
    const node = this.#conn.node
    const link = this.#conn.link
    const server = this.#conn.server
    const serverId = link?.peerId ?? this.#store?.state.serverId
    if (serverId === undefined) return []
    const conns = node?.getConnections().filter(c => c.remotePeer.toString() === serverId) ?? []
    return [{
      peerId: serverId,
      name: this.#conn.serverName,
      connected: link?.open === true,
      addrs: server !== undefined ? [server.toString()] : [],
      connections: conns.map(connectionView)
    }]
  }

  async setName (name: string): Promise<void> {
    const store = this.#started()
    this.#name = normalizeName(name)
    store.state.name = this.#name
    store.changed()
    this.#conn.link?.send({ type: 'hello', name: this.#name, version: HUB_PROTOCOL_VERSION, seq: this.#lastSeq })
  }

  stats (): EngineStats & { server: { peerId: string | null, addr: string | null, lastSeq: number } } {
    const link = this.#conn.link
    const up = link?.open === true
    const n = this.#pending.size
    return {
      mode: 'client',
      orderedBy: 'server-seq',
      order: 'the hub numbers messages in the order they reach it; every client shows that order',
      connections: up ? [{ peerId: link.peerId, name: this.#conn.serverName, direction: 'outbound' as const, ...link.tuple() }] : [],
      sent: this.#counters.sent,
      received: this.#counters.received,
      relayed: 0,
      ...this.#counters.figures(),
      failure: up
        ? { state: 'ok', summary: n > 0 ? `connected, ${n} pending` : 'connected to the hub', serverReachable: true, pending: n }
        : { state: 'down', summary: `server unreachable, ${n} pending`, serverReachable: false, pending: n },
      server: { peerId: link?.peerId ?? this.#store?.state.serverId ?? null, addr: this.#conn.server?.toString() ?? null, lastSeq: this.#lastSeq }
    }
  }

  /**
   * Simulate a partition between this client and the hub: hang up and stop
   * reconnecting until `heal`. What is sent meanwhile is pending, exactly as
   * with the hub down.
   */
  cut (): void { this.#conn.cut() }

  get isCut (): boolean { return this.#conn.isCut }

  heal (): void { this.#conn.heal() }

  /**
   * Messages sent in one tick go to the hub in one submit frame: the hub then
   * checks one signature for the whole chained run instead of one per frame.
   */
  #submitSoon (message: ChatMessage): void {
    this.#submitQueue.push(message)
    if (this.#submitQueue.length > 1) return
    queueMicrotask(() => {
      const queue = this.#submitQueue
      this.#submitQueue = []
      const link = this.#conn.link
      if (link?.open !== true) {
        for (const m of queue) this.#announcePending(m)
        return
      }
      for (let i = 0; i < queue.length; i += MAX_SUBMIT_PER_FRAME) link.send({ type: 'submit', messages: queue.slice(i, i + MAX_SUBMIT_PER_FRAME) })
    })
  }

  // ---- the link to the hub ----

  #announcePending (m: ChatMessage): void {
    if (this.#announced.has(m.id)) return
    this.#announced.add(m.id)
    this.#listeners.emit({ type: 'pending', id: m.id, room: m.room })
  }

  #forgetHistory (): void {
    for (const list of this.#rooms.values()) list.length = 0
    this.#delivered.clear()
    this.#lastSeq = 0
  }

  async #onFrame (frame: HubFrame): Promise<void> {
    switch (frame.type) {
      case 'hello':
        this.#conn.serverName = frame.name
        return
      case 'deliver':
        await this.#onDeliver(frame.items)
        return
      case 'rejected': {
        const m = this.#pending.get(frame.id)
        if (m === undefined) return
        this.#pending.delete(frame.id)
        await this.#store?.appendCancelled(frame.id)
        this.#listeners.emit({ type: 'error', message: `the hub refused your message "${m.text.slice(0, 40)}": ${frame.reason}`, code: 'SequenceError' })
        return
      }
      case 'submit':
        this.#log('the hub sent a submit frame; ignored')
        return
      default:
        frame satisfies never
    }
  }

  async #onDeliver (items: SequencedMessage[]): Promise<void> {
    const fresh = items.filter(i => i.seq > this.#lastSeq && !this.#delivered.has(i.message.id))
    if (fresh.length === 0) return
    const { ok, bad, unverified } = await verifyMessages(fresh.map(i => i.message))
    for (const b of bad) this.#log(`the hub relayed a forged message ${b.message.id.slice(0, 12)}: ${b.reason}`)
    for (const u of unverified) this.#log(`the hub relayed an unsigned message ${u.id.slice(0, 12)} without its signed successor; dropped`)
    const good = new Set(ok.map(m => m.id))
    for (const item of fresh) {
      if (good.has(item.message.id)) {
        await this.#store?.appendDelivered(item)
        this.#show(item, true)
      }
      this.#lastSeq = Math.max(this.#lastSeq, item.seq)
    }
  }

  /** Add a sequenced message to its room; `live` announces it (false when replayed from disk). */
  #show (item: SequencedMessage, live: boolean): void {
    const m = item.message
    if (this.#delivered.has(m.id)) return
    const now = Date.now()
    const view = messageView(m, { seq: item.seq, deliveredAt: now, via: this.#conn.link?.peerId ?? '', hops: 1 })
    this.#delivered.add(m.id)
    this.#room(m.room).push(view)
    this.#lastSeq = Math.max(this.#lastSeq, item.seq)
    this.#clock.receive(m.lamport)
    if (this.#pending.delete(m.id)) this.#announced.delete(m.id)
    if (!live) return
    if (m.author !== this.#peerId) this.#counters.delivered(1, m.sentAt, now)
    if (this.#store !== undefined) {
      this.#store.state.clock = this.#clock.time
      this.#store.changed()
    }
    this.#listeners.emit({ type: 'message', ...view })
  }

  #room (room: string): MessageView[] {
    let list = this.#rooms.get(room)
    if (list === undefined) {
      this.#rooms.set(room, list = [])
      const rooms = this.#store?.state.rooms
      if (rooms !== undefined && !rooms.includes(room)) {
        rooms.push(room)
        this.#store!.changed()
      }
    }
    return list
  }
}
