import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CausalLog } from '../core/causal.js'
import { LamportClock } from '../core/clock.js'
import { RoomHistory } from '../core/history.js'
import { DEFAULT_ROOM } from '../core/limits.js'
import { checkText, normalizeName, normalizeRoom, type ChatMessage } from '../core/message.js'
import { UNSIGNED, bodyOf, encodeBody, hashBody, withBody, type Frame, type Receipt } from '../net/codec.js'
import { SYNC_INTERVAL_MS } from '../net/constants.js'
import type { LanNode } from '../net/node.js'
import type { Answering } from './answers.js'
import { NotStartedError, UnknownMessageError } from './errors.js'
import { onFrame, type FrameContext } from './frames.js'
import { Listeners } from './listeners.js'
import { Outbox, type Queued } from './outbox.js'
import { P2PNetwork, type EngineOptions, type NetworkHost } from './p2p-network.js'
import { p2pPeers, p2pStats } from './p2p-views.js'
import { Receipts, sendReceipts } from './receipts.js'
import { Counters, type EngineStats } from './stats.js'
import { PeerStore } from './store.js'
import type { ChatEngine, EngineEvent, MessageView, PeerView, SendOptions } from './types.js'
import { UnverifiedBuffer } from './unverified.js'
import { signSync } from './verify.js'
import { messageView } from './views.js'

export type { EngineOptions } from './p2p-network.js'

/**
 * The P2P chat engine: Lamport clock, causal delivery, flooding relay with
 * de-duplication, version-vector catch-up, and the on-disk store, over one
 * libp2p node. Hosts drive it through the ChatEngine interface.
 */
export class P2PEngine implements ChatEngine {
  readonly mode = 'p2p' as const
  readonly #opts: EngineOptions
  readonly #log: (line: string) => void
  readonly #listeners: Listeners<EngineEvent>
  #causal = new CausalLog()
  /** Each room's delivered messages in display order; views are made when asked for. */
  readonly #rooms = new Map<string, RoomHistory<ChatMessage>>()
  /** How live-delivered messages reached us (replayed ones have none): for views. */
  readonly #meta = new Map<ChatMessage, { deliveredAt: number, via: string, hops: number }>()
  /** Who handed us a message still held back, and after how many relays. */
  readonly #arrival = new Map<string, { via: string, hops: number }>()
  readonly #net: P2PNetwork
  /** What the network side and the frame handler see of this engine. */
  readonly #hooks: NetworkHost & FrameContext
  #receipts = this.#newReceipts()
  readonly #counters = new Counters()
  readonly #outbox = new Outbox(runs => this.#flushRuns(runs))
  /** Unsigned messages waiting for the signed successor that vouches for them. */
  readonly #unverified = new UnverifiedBuffer()
  /** Own messages up to this seq are signed, persisted and announced; later ones may not be shared yet. */
  #flushedSeq = 0
  #clock = new LamportClock()
  #store: PeerStore | undefined
  #timer: NodeJS.Timeout | undefined
  #name = ''
  #peerId = ''

  constructor (opts: EngineOptions) {
    this.#opts = opts
    this.#log = opts.log ?? (() => {})
    this.#listeners = new Listeners(this.#log)
    this.#hooks = {
      self: () => this.#peerId,
      name: () => this.#name,
      store: () => this.#store,
      emit: e => { this.#listeners.emit(e) },
      log: this.#log,
      syncFrame: () => this.#syncFrame(),
      onFrame: async (peerId, frame) => { await onFrame(this.#hooks, peerId, frame) },
      node: () => this.#net.node,
      causal: () => this.#causal,
      unverified: () => this.#unverified,
      receipts: () => this.#receipts,
      counters: this.#counters,
      accept: (message, via, hops, own) => this.#accept(message, via, hops, own),
      answering: () => this.#answering()
    }
    this.#net = new P2PNetwork(opts, this.#hooks)
  }

  get peerId (): string { return this.#peerId }
  get name (): string { return this.#name }
  get clock (): number { return this.#clock.time }
  get node (): LanNode { return this.#started().node }

  on (listener: (e: EngineEvent) => void): () => void { return this.#listeners.on(listener) }

  #started (): { store: PeerStore, node: LanNode } {
    const node = this.#net.node
    if (this.#store === undefined || node === undefined) throw new NotStartedError('the engine is not running')
    return { store: this.#store, node }
  }

  async start (): Promise<void> {
    const store = await PeerStore.open(this.#opts.dataDir, this.#log)
    this.#store = store
    this.#peerId = peerIdFromPrivateKey(store.key).toString()
    this.#name = normalizeName(this.#opts.name ?? store.state.state.name ?? `peer-${this.#peerId.slice(-6)}`)
    store.state.state.name = this.#name
    this.#replay(store.messages)
    store.messages.length = 0
    this.#clock = new LamportClock(Math.max(store.state.state.clock, this.#causal.maxLamport))
    this.#flushedSeq = this.#causal.last(this.#peerId)?.seq ?? 0
    for (const r of store.state.state.rooms) this.#room(r)
    await this.#net.start(store)
    this.#timer = setInterval(() => {
      this.#unverified.expire()
      this.#net.node?.services.chat.broadcast(this.#syncFrame())
    }, this.#opts.syncIntervalMs ?? SYNC_INTERVAL_MS)
    this.#timer.unref()
    this.#listeners.emit({ type: 'ready', peerId: this.#peerId, name: this.#name, mode: 'p2p', addrs: this.addrs() })
    this.#net.dialAtStart(store)
  }

  /**
   * Simulate a network partition from `peerId` ('*': from everyone): hang up
   * and refuse connections until `heal`. Both sides keep chatting; on heal the
   * peers reconnect and catch-up sync merges what each side wrote.
   */
  async cut (peerId: string): Promise<void> {
    this.#started()
    await this.#net.cut(peerId)
  }

  /** End every cut and redial the known peers at once. */
  heal (): void { this.#net.heal() }

  async stop (): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#receipts.clear()
    this.#unverified.clear()
    await this.#net.stop()
    if (this.#store !== undefined) {
      this.#store.state.state.clock = this.#clock.time
      this.#store.close()
    }
    this.#store = undefined
    // libp2p leaves timers behind after stop() that keep the node, and through
    // its services this engine, reachable for a while: let the history go now.
    // With catch-ups back to back, stopped 100k-message engines piled up in
    // the heap and slowed the live ones (BENCHMARKS.md). start() reloads it all.
    this.#causal = new CausalLog()
    this.#rooms.clear()
    this.#meta.clear()
    this.#arrival.clear()
    this.#receipts = this.#newReceipts()
  }

  addrs (): string[] { return this.#net.addrs() }

  // ---- commands ----

  async send (room: string, text: string, options: SendOptions = {}): Promise<MessageView> {
    this.#started()
    room = normalizeRoom(room)
    checkText(text)
    const prev = this.#causal.last(this.#peerId)
    const deps = this.#causal.depsFor(this.#peerId)
    if (options.replyTo !== undefined) {
      if (!this.#causal.isDelivered(options.replyTo)) throw new UnknownMessageError(`no message ${options.replyTo} to reply to`)
      if (options.replyTo !== prev?.id && !deps.includes(options.replyTo)) deps.splice(deps.length >= 32 ? 31 : deps.length, 1, options.replyTo)
    }
    const unsigned = {
      room, author: this.#peerId, name: this.#name, text,
      lamport: this.#clock.tick(), sentAt: Date.now(),
      seq: (prev?.seq ?? 0) + 1, prev: prev?.id ?? '', deps,
      ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {})
    }
    const body = encodeBody(unsigned)
    // Signed when it leaves (#flushRuns): only the newest message of a burst is.
    const message: ChatMessage = withBody({ ...unsigned, id: hashBody(body), sig: UNSIGNED }, body)
    const view = this.#accept(message, '', 0, true)
    if (view === undefined) throw new Error('own message was not delivered')
    this.#counters.sent++
    return await this.#outbox.push(message, view)
  }

  /**
   * Own messages sent in one tick, in runs: sign the newest of each run, write
   * them all, then announce each run as one frame and emit the events.
   * Persisted before announced, as before; a run of one is signed as before.
   */
  async #flushRuns (runs: Queued[][]): Promise<void> {
    const { store, node } = this.#started()
    for (const run of runs) {
      const head = run[run.length - 1]!.message
      head.sig = signSync(store.key, bodyOf(head))
    }
    store.state.state.clock = this.#clock.time
    store.state.changed()
    // On disk before anyone hears of them; the runs are this tick's batch already, so one write now.
    store.appendMessagesNow(runs.flatMap(run => run.map(q => q.message)))
    const last = runs[runs.length - 1]!
    this.#flushedSeq = Math.max(this.#flushedSeq, last[last.length - 1]!.message.seq)
    for (const run of runs) node.services.chat.broadcast({ type: 'messages', messages: run.map(q => ({ message: q.message, hops: 0 })) })
    for (const run of runs) {
      for (const q of run) {
        this.#listeners.emit({ type: 'message', ...q.view })
        q.resolve(q.view)
      }
    }
  }

  async dial (addr: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#started()
    await this.#net.dial(addr, options)
  }

  async block (peerId: string): Promise<void> {
    const { store } = this.#started()
    await this.#net.block(store, peerId)
  }

  async unblock (peerId: string): Promise<void> {
    const { store } = this.#started()
    this.#net.unblock(store, peerId)
  }

  /**
   * Hang up on a peer and drop it from the known peers, so it is no longer
   * redialed or counted as down (unlike block, it may come back by discovery
   * or a dial). Its messages stay in the history.
   */
  async forget (peerId: string): Promise<void> {
    const { store } = this.#started()
    await this.#net.forget(store, peerId)
  }

  history (room: string): MessageView[] {
    return (this.#rooms.get(normalizeRoom(room))?.all() ?? []).map(m => this.#view(m))
  }

  #view (m: ChatMessage): MessageView {
    const meta = this.#meta.get(m)
    return messageView(m, { deliveredAt: meta?.deliveredAt ?? 0, via: meta?.via ?? '', hops: meta?.hops ?? 0 })
  }

  /**
   * Load the stored log. It holds delivered messages in delivery order, so
   * each one normally goes straight in (CausalLog.restore checks its chain and
   * dependencies); only an out-of-order record takes the full path. Rooms are
   * sorted once at the end instead of inserting 100k messages one by one.
   */
  #replay (messages: ChatMessage[]): void {
    const byRoom = new Map<string, ChatMessage[]>()
    for (const m of messages) {
      if (!this.#causal.restore(m)) {
        this.#accept(m, '', 0, false)
        continue
      }
      let list = byRoom.get(m.room)
      if (list === undefined) byRoom.set(m.room, list = [])
      list.push(m)
    }
    for (const [room, list] of byRoom) this.#room(room).insertAll(list)
  }

  rooms (): string[] { return [...this.#rooms.keys()] }

  joinRoom (room: string): void {
    this.#room(normalizeRoom(room))
  }

  peers (): PeerView[] {
    return p2pPeers(this.#net.node, this.#store?.state.state.peers ?? {}, id => this.#net.isBlocked(id))
  }

  async setName (name: string): Promise<void> {
    const { store } = this.#started()
    this.#name = normalizeName(name)
    store.state.state.name = this.#name
    store.state.changed()
  }

  /** The contrast figures (see stats.ts): Lamport order, who is down, relays, hops, latency. */
  stats (): EngineStats {
    return p2pStats(this.#net.node, this.#store?.state.state.peers ?? {}, id => this.#net.isBlocked(id), this.#counters)
  }

  // ---- internals ----

  #room (room: string): RoomHistory<ChatMessage> {
    let h = this.#rooms.get(room)
    if (h === undefined) {
      this.#rooms.set(room, h = new RoomHistory())
      if (this.#store !== undefined && !this.#store.state.state.rooms.includes(room)) {
        this.#store.state.state.rooms.push(room)
        this.#store.state.changed()
      }
    }
    return h
  }

  #syncFrame (): Frame { return { type: 'sync', vector: this.#causal.vector() } }

  /**
   * Take in a verified message. Returns the view of our own message when it
   * is delivered at once. Each delivered message is inserted into its room,
   * persisted (unless replayed from disk), and announced.
   */
  #accept (message: ChatMessage, via: string, hops: number, own: boolean): MessageView | undefined {
    const result = this.#causal.add(message)
    // Remember how a held-back message came, for when it is delivered later.
    if (result.isNew && !this.#causal.isDelivered(message.id) && this.#causal.has(message.id)) this.#arrival.set(message.id, { via, hops })
    for (const { message: m } of result.rejected) this.#arrival.delete(m.id)
    for (const { message: m, reason } of result.rejected) this.#log(`refused message ${m.id.slice(0, 12)} from ${m.author}: ${reason}`)
    let ownView: MessageView | undefined
    const replay = via === '' && !own
    for (const m of result.delivered) {
      const arrival = m === message ? { via, hops } : this.#arrival.get(m.id) ?? { via, hops }
      if (m !== message) this.#arrival.delete(m.id)
      this.#room(m.room).insert(m)
      if (m.author !== this.#peerId || !own) this.#clock.receive(m.lamport)
      if (replay) continue
      const deliveredAt = Date.now()
      this.#meta.set(m, { deliveredAt, via: arrival.via, hops: arrival.hops })
      const view = this.#view(m)
      if (m === message && own) { ownView = view; continue }
      this.#receipts.routeVia(m.id, arrival.via)
      void this.#store?.appendMessage(m)
      if (m.author !== this.#peerId) this.#counters.delivered(arrival.hops, m.sentAt, deliveredAt)
      this.#listeners.emit({ type: 'message', ...view })
      this.#receipt({ id: m.id, by: this.#peerId, lamport: this.#clock.time, at: deliveredAt })
    }
    if (!replay && this.#store !== undefined && result.delivered.length > 0) {
      this.#store.state.state.clock = this.#clock.time
      this.#store.state.changed()
    }
    return ownView
  }

  #receipt (r: Receipt): void {
    this.#receipts.record(r)
    this.#receipts.announce(r)
    this.#listeners.emit({ type: 'receipt', ...r, peerId: r.by })
  }

  #newReceipts (): Receipts {
    return new Receipts(out => {
      const chat = this.#net.node?.services.chat
      if (chat !== undefined) sendReceipts(chat, out)
    })
  }

  /** Who delivered a message, as far as receipts have told us. */
  receiptsOf (id: string): Receipt[] { return this.#receipts.of(id) }

  /** Own messages not yet signed and written are not shared: persisted before announced. */
  #answering (): Answering {
    return { causal: this.#causal, self: this.#peerId, shareable: m => m.author !== this.#peerId || m.seq <= this.#flushedSeq }
  }
}

export const defaultRoom = DEFAULT_ROOM
