import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { CausalLog } from '../core/causal.js'
import { LamportClock } from '../core/clock.js'
import { RoomHistory } from '../core/history.js'
import { DEFAULT_ROOM } from '../core/limits.js'
import { checkText, normalizeName, normalizeRoom, type ChatMessage } from '../core/message.js'
import { UNSIGNED, bodyOf, encodeBody, hashBody, withBody, type Frame, type Receipt } from '../net/codec.js'
import { SYNC_INTERVAL_MS } from '../net/constants.js'
import { parseTcpAddr } from '../net/addr.js'
import { createNode, type LanNode } from '../net/node.js'
import { fourTuple } from '../net/socket.js'
import { Receipts, sendReceipts } from './receipts.js'
import { sendBatches, withVouchers, type Answering } from './answers.js'
import { Redialer } from './redial.js'
import { Counters, type EngineStats } from './stats.js'
import { PeerStore } from './store.js'
import type { ChatEngine, EngineEvent, MessageView, PeerView, SendOptions } from './types.js'
import { signSync, verifyMessages } from './verify.js'
import { Outbox, type Queued } from './outbox.js'
import { UnverifiedBuffer } from './unverified.js'
import { NotStartedError, UnknownMessageError } from './errors.js'
import { Listeners } from './listeners.js'
import { connectionView, messageView } from './views.js'

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
  readonly #redial: Redialer
  #receipts = this.#newReceipts()
  readonly #counters = new Counters()
  readonly #outbox = new Outbox(runs => this.#flushRuns(runs))
  /** Unsigned messages waiting for the signed successor that vouches for them. */
  readonly #unverified = new UnverifiedBuffer()
  /** Own messages up to this seq are signed, persisted and announced; later ones may not be shared yet. */
  #flushedSeq = 0
  #clock = new LamportClock()
  #store: PeerStore | undefined
  #node: LanNode | undefined
  #timer: NodeJS.Timeout | undefined
  #name = ''
  #peerId = ''

  constructor (opts: EngineOptions) {
    this.#opts = opts
    this.#log = opts.log ?? (() => {})
    this.#listeners = new Listeners(this.#log)
    this.#redial = new Redialer(peerId => this.#dialKnown(peerId))
  }

  get peerId (): string { return this.#peerId }
  get name (): string { return this.#name }
  get clock (): number { return this.#clock.time }
  get node (): LanNode { return this.#started().node }

  on (listener: (e: EngineEvent) => void): () => void {
    return this.#listeners.on(listener)
  }

  #started (): { store: PeerStore, node: LanNode } {
    if (this.#store === undefined || this.#node === undefined) throw new NotStartedError('the engine is not running')
    return { store: this.#store, node: this.#node }
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
    const blocked = new Set(store.state.state.blocked)
    const node = await createNode({
      privateKey: store.key,
      listen: this.#opts.listen ?? ['/ip4/0.0.0.0/tcp/0'],
      mdns: this.#opts.mdns ?? true,
      isBlocked: (peerId: PeerId) => blocked.has(peerId.toString()) || this.#isCut(peerId.toString()),
      chat: { name: () => this.#name, ratePerSecond: this.#opts.ratePerSecond, rateBurst: this.#opts.rateBurst }
    })
    this.#blocked = blocked
    this.#node = node
    this.#wire(node)
    await node.start()
    this.#timer = setInterval(() => {
      this.#unverified.expire()
      this.#node?.services.chat.broadcast(this.#syncFrame())
    }, this.#opts.syncIntervalMs ?? SYNC_INTERVAL_MS)
    this.#timer.unref()
    this.#listeners.emit({ type: 'ready', peerId: this.#peerId, name: this.#name, mode: 'p2p', addrs: this.addrs() })
    for (const addr of this.#opts.dial ?? []) {
      this.dial(addr).catch(err => { this.#listeners.emit({ type: 'error', message: `dial ${addr}: ${(err as Error).message}` }) })
    }
    for (const peerId of Object.keys(store.state.state.peers)) {
      if (!blocked.has(peerId)) this.#redial.schedule(peerId, true)
    }
  }

  #blocked = new Set<string>()
  /** Partition lab: peers refused for now ('*' = everyone); kept in memory only, unlike a block. */
  readonly #cut = new Set<string>()

  #isCut (peerId: string): boolean { return this.#cut.has('*') || this.#cut.has(peerId) }

  /**
   * Simulate a network partition from `peerId` ('*': from everyone): hang up
   * and refuse connections until `heal`. Both sides keep chatting; on heal the
   * peers reconnect and catch-up sync merges what each side wrote.
   */
  async cut (peerId: string): Promise<void> {
    const { node } = this.#started()
    this.#cut.add(peerId)
    const ids = peerId === '*' ? node.getPeers().map(p => p.toString()) : [peerId]
    for (const id of ids) {
      this.#redial.forget(id)
      await node.hangUp(peerIdFromString(id))
    }
  }

  /** End every cut and redial the known peers at once. */
  heal (): void {
    const cut = [...this.#cut]
    this.#cut.clear()
    const known = Object.keys(this.#store?.state.state.peers ?? {})
    for (const id of cut.includes('*') ? known : cut) {
      if (this.#blocked.has(id)) continue
      this.#redial.forget(id)
      this.#redial.schedule(id, true)
    }
  }

  #wire (node: LanNode): void {
    const chat = node.services.chat
    chat.addEventListener('peer:connect', ({ detail }) => {
      this.#redial.connected(detail.peerId)
      this.#listeners.emit({ type: 'peer:connect', ...detail })
      chat.send(detail.peerId, this.#syncFrame())
    })
    chat.addEventListener('peer:disconnect', ({ detail }) => {
      this.#listeners.emit({ type: 'peer:disconnect', peerId: detail.peerId })
      if (!this.#blocked.has(detail.peerId) && !this.#isCut(detail.peerId) && this.#store?.state.state.peers[detail.peerId] !== undefined) {
        this.#redial.schedule(detail.peerId)
      }
    })
    chat.addEventListener('peer:misbehaved', ({ detail }) => { this.#log(`peer ${detail.peerId}: ${detail.reason}`) })
    chat.addEventListener('frame', ({ detail }) => {
      this.#onFrame(detail.peerId, detail.frame).catch(err => { this.#log(`frame from ${detail.peerId} failed: ${(err as Error).stack}`) })
    })
    node.addEventListener('peer:identify', ({ detail }) => {
      const peerId = detail.peerId.toString()
      const addrs = detail.listenAddrs.map(a => a.toString()).filter(a => a.includes('/tcp/')).slice(0, 16)
      if (addrs.length === 0 || this.#store === undefined) return
      const peers = this.#store.state.state.peers
      peers[peerId] = { addrs, name: chat.nameOf(peerId) ?? peers[peerId]?.name ?? '', lastSeen: Date.now() }
      this.#store.state.changed()
    })
    node.addEventListener('peer:discovery', ({ detail }) => {
      const peerId = detail.id.toString()
      if (this.#blocked.has(peerId) || this.#isCut(peerId) || node.getConnections(detail.id).length > 0) return
      // Both sides discover each other; the smaller id dials at once, the other only if that did not happen.
      const delay = this.#peerId < peerId ? 0 : 2_000
      setTimeout(() => {
        if (this.#node === undefined || node.getConnections(detail.id).length > 0) return
        node.dial(detail.multiaddrs.length > 0 ? detail.multiaddrs : detail.id).catch(err => {
          this.#log(`mdns dial ${peerId} failed: ${(err as Error).message}`)
        })
      }, delay).unref()
    })
  }

  async stop (): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#redial.stop()
    this.#receipts.clear()
    this.#unverified.clear()
    const node = this.#node
    this.#node = undefined
    await node?.stop()
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

  addrs (): string[] {
    const node = this.#node
    if (node === undefined) return []
    return node.getMultiaddrs().map(a => a.toString())
  }

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
    const { node } = this.#started()
    await node.dial(parseTcpAddr(addr), { signal: options.signal ?? AbortSignal.timeout(10_000) })
  }

  async block (peerId: string): Promise<void> {
    const { store, node } = this.#started()
    const id = peerIdFromString(peerId)
    this.#blocked.add(peerId)
    this.#redial.forget(peerId)
    store.state.state.blocked = [...this.#blocked]
    store.state.changed()
    await node.hangUp(id)
  }

  async unblock (peerId: string): Promise<void> {
    const { store } = this.#started()
    peerIdFromString(peerId)
    this.#blocked.delete(peerId)
    store.state.state.blocked = [...this.#blocked]
    store.state.changed()
    if (store.state.state.peers[peerId] !== undefined) this.#redial.schedule(peerId, true)
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
    const node = this.#node
    const known = this.#store?.state.state.peers ?? {}
    const ids = new Set([...Object.keys(known), ...(node?.services.chat.connectedPeers() ?? [])])
    return [...ids].map(peerId => {
      const conns = node?.getConnections(peerIdFromString(peerId)) ?? []
      const chatName = node?.services.chat.nameOf(peerId)
      return {
        peerId,
        name: chatName ?? known[peerId]?.name ?? '',
        connected: chatName !== undefined,
        blocked: this.#blocked.has(peerId),
        addrs: known[peerId]?.addrs ?? [],
        connections: conns.map(connectionView)
      }
    })
  }

  async setName (name: string): Promise<void> {
    const { store } = this.#started()
    this.#name = normalizeName(name)
    store.state.state.name = this.#name
    store.state.changed()
  }

  /** The contrast figures (see stats.ts): Lamport order, who is down, relays, hops, latency. */
  stats (): EngineStats {
    const node = this.#node
    const chat = node?.services.chat
    const connected = new Set(chat?.connectedPeers() ?? [])
    const connections = [...connected].flatMap(peerId => (node?.getConnections(peerIdFromString(peerId)) ?? []).map(c => ({
      peerId, name: chat?.nameOf(peerId) ?? '', direction: c.direction, ...fourTuple(c)
    })))
    const known = Object.keys(this.#store?.state.state.peers ?? {}).filter(p => !this.#blocked.has(p))
    const peersDown = known.filter(p => !connected.has(p))
    const state = peersDown.length === 0 ? 'ok' : connected.size === 0 ? 'down' : 'degraded'
    return {
      mode: 'p2p',
      orderedBy: 'lamport',
      order: '(Lamport time, author id): every peer computes the same order on its own, no one decides it',
      connections: connections.map(({ peerId, name, direction, local, remote }) => ({ peerId, name, direction, local, remote })),
      sent: this.#counters.sent,
      received: this.#counters.received,
      relayed: this.#counters.relayed,
      ...this.#counters.figures(),
      failure: {
        state,
        summary: state === 'ok'
          ? `${connected.size} peer${connected.size === 1 ? '' : 's'} connected`
          : state === 'down'
            ? `no peer connected (${peersDown.length} known): own messages wait for catch-up`
            : `${peersDown.length} peer${peersDown.length === 1 ? '' : 's'} down; the others go on`,
        peersDown
      }
    }
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

  #syncFrame (): Frame {
    return { type: 'sync', vector: this.#causal.vector() }
  }

  async #dialKnown (peerId: string): Promise<void> {
    const node = this.#node
    const known = this.#store?.state.state.peers[peerId]
    if (node === undefined || known === undefined || this.#blocked.has(peerId)) return
    await node.dial(known.addrs.map(a => multiaddr(a)), { signal: AbortSignal.timeout(10_000) })
  }

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

  async #onFrame (peerId: string, frame: Frame): Promise<void> {
    const chat = this.#node?.services.chat
    if (chat === undefined) return
    switch (frame.type) {
      case 'hello':
        return
      case 'messages': {
        const fresh = frame.messages.filter(r => !this.#causal.has(r.message.id) && !this.#unverified.has(r.message.id))
        if (fresh.length === 0) return
        const hops = new Map(fresh.map(r => [r.message.id, r.hops]))
        const { ok, bad, unverified } = await verifyMessages(fresh.map(r => r.message), m => this.#causal.heldSuccessor(m.id)?.author === m.author)
        for (const b of bad) this.#log(`refused message ${b.message.id.slice(0, 12)} via ${peerId}: ${b.reason}`)
        for (const m of unverified) this.#unverified.add(m, peerId, hops.get(m.id) ?? 0)
        const relay: ChatMessage[] = []
        for (const m of ok) {
          // A verified message vouches for the unsigned ones of its chain that waited for it.
          for (const w of this.#unverified.takeChain(m)) {
            if (this.#causal.has(w.message.id)) continue
            this.#accept(w.message, w.via, w.hops, false)
            if (this.#causal.has(w.message.id)) relay.push(w.message)
          }
          if (this.#causal.has(m.id)) continue
          this.#accept(m, peerId, hops.get(m.id) ?? 0, false)
          if (this.#causal.has(m.id)) relay.push(m)
        }
        if (relay.length > 0) {
          const out = withVouchers(this.#answering(), relay).map(m => ({ message: m, hops: (hops.get(m.id) ?? 0) + 1 }))
          if (chat.broadcast({ type: 'messages', messages: out }, peerId) > 0) this.#counters.relayed += relay.length
        }
        const missing = this.#causal.missing()
        if (missing.length > 0) chat.send(peerId, { type: 'want', ids: missing.slice(0, 1024) })
        return
      }
      case 'sync':
        await sendBatches(this.#answering(), chat, peerId, this.#causal.streamMissing(frame.vector))
        return
      case 'want':
        await sendBatches(this.#answering(), chat, peerId, frame.ids.map(id => this.#causal.get(id)).filter(m => m !== undefined && this.#causal.isDelivered(m.id)) as ChatMessage[])
        return
      case 'receipts': {
        const fresh = frame.receipts.filter(r => this.#receipts.record(r))
        for (const r of fresh) this.#listeners.emit({ type: 'receipt', ...r, peerId: r.by })
        for (const r of fresh) this.#receipts.announce(r, peerId)
        return
      }
      default:
        frame satisfies never
    }
  }

  #receipt (r: Receipt): void {
    this.#receipts.record(r)
    this.#receipts.announce(r)
    this.#listeners.emit({ type: 'receipt', ...r, peerId: r.by })
  }

  #newReceipts (): Receipts {
    return new Receipts(out => {
      const chat = this.#node?.services.chat
      if (chat !== undefined) sendReceipts(chat, out)
    })
  }

  /** Who delivered a message, as far as receipts have told us. */
  receiptsOf (id: string): Receipt[] {
    return this.#receipts.of(id)
  }

  /** Own messages not yet signed and written are not shared: persisted before announced. */
  #answering (): Answering {
    return { causal: this.#causal, self: this.#peerId, shareable: m => m.author !== this.#peerId || m.seq <= this.#flushedSeq }
  }
}

export const defaultRoom = DEFAULT_ROOM
