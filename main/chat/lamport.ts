import { CausalLog } from '../core/causal.js'
import type { ChatMessage } from '../core/message.js'
import { bodyOf, redact, unredact, type Receipt } from '../net/codec.js'
import type { PresenceFrame, TypingFrame } from '../net/live-codec.js'
import { PROTOCOL_VERSION, RECONNECT_LONG_MS, RECONNECT_MAX_MS, RECONNECT_MIN_MS, SYNC_INTERVAL_MS } from '../net/constants.js'
import { BadAddressError } from '../net/errors.js'
import { ANSWERS_LATER, hostPort, toConnectError } from '../net/connect-errors.js'
import { MeshTransport } from '../net/mesh.js'
import { AnswerQueue, sendBatches, type Answering } from './answers.js'
import { NotStartedError } from './errors.js'
import { onFrame, type FrameContext } from './frames.js'
import { SyncParts } from './sync-parts.js'
import { Intake } from './intake.js'
import type { MeshOptions } from './mesh-options.js'
import type { EngineParts, EngineStore, Ordering, Placement } from './ordering.js'
import { Outbox, type Queued } from './outbox.js'
import { OwnChainWait, waitForLinks } from './own-chain.js'
import { PresenceRelay } from './presence-relay.js'
import { DeliverySummaries } from './delivery-summary.js'
import { MeshSync } from './mesh-sync.js'
import { WritePause } from './write-pause.js'
import { MAX_TRACKED, Receipts, sendReceipts } from './receipts.js'
import { Requests } from './requests.js'
import { Refetch } from './refetch.js'
import type { FailureState, LinkStats } from './stats.js'
import type { Page, RoomAuthor, SearchHit, StoredMessage } from '../store/messages.js'
import { MAX_KNOWN_PEERS, PeerStore } from '../store/peer-store.js'
import type { MessageView } from './types.js'
import type { Narrowing } from '../core/search-query.js'
import { UnverifiedBuffer } from './unverified.js'
import { signSync } from './verify.js'
import { fingerprint, messageView } from './views.js'

export type { MeshOptions } from './mesh-options.js'

/** Delivered messages the causal log keeps in memory after they are committed (the rest it reads back from the database). */
const RECENT_KEPT = 2048

/**
 * Lamport ordering over the P2P mesh: every peer shows a room sorted by
 * (Lamport time, author), delivers causally (hold-back until a message's
 * chain and dependencies are in), floods what it delivers on to its other
 * neighbours once, and compares version vectors with them on connect and
 * every few seconds so each sends exactly what the other lacks.
 */
export class LamportOrdering implements Ordering, FrameContext {
  readonly mode = 'p2p' as const
  readonly orderedBy = 'lamport' as const
  readonly listsHeardOf = true
  readonly orderText = '(Lamport time, author id): every peer computes the same order on its own, no one decides it'
  readonly transport: MeshTransport
  readonly #opts: MeshOptions
  readonly #parts: EngineParts
  causal = new CausalLog()
  readonly unverified = new UnverifiedBuffer()
  receipts: Receipts
  readonly requests = new Requests()
  readonly answers: AnswerQueue
  /** Peers' vectors that come in parts, put back together. */
  readonly syncParts = new SyncParts()
  readonly intake: Intake
  /** Delivered from peers, not yet committed: committed in one transaction (settle), then announced. */
  /** Delivered, not committed yet; `clock`: our Lamport time at this message's receive event (what its receipt says). */
  #batch: Array<{ m: ChatMessage, via: string, hops: number, deliveredAt: number, clock: number, asked?: boolean, clockOff: number }> = []
  /** Forks found in what the batch delivered: recorded with it. */
  #forked: Array<{ author: string, floor: number }> = []
  /** Who handed us a message still held back, and after how many relays. */
  readonly #arrival = new Map<string, { via: string, hops: number, asked?: boolean }>()
  readonly #outbox = new Outbox(runs => this.#flushRuns(runs))
  /** Own messages up to this seq are signed, persisted and announced; later ones may not be shared yet. */
  #flushedSeq = 0
  #store: PeerStore | undefined
  #timer: NodeJS.Timeout | undefined
  /** Start-up dials that have not been answered yet, waiting to try again. */
  readonly #redials = new Set<NodeJS.Timeout>()
  /**
   * Addresses tried until they answer (named at start, or kept trying by a person), in the order
   * asked, each with the token of its one loop of attempts: a loop whose token is no longer there
   * (stopped, or stopped and asked again) ends at its next attempt.
   */
  readonly #untilAnswered = new Map<string, object>()
  readonly presence: PresenceRelay
  readonly summaries: DeliverySummaries
  /** The digest, bucket and vector exchange with each linked peer (mesh-sync.ts). */
  readonly sync: MeshSync
  /** Messages whose words were wiped here for a delete that no longer counts, asked for again (refetch.ts). */
  readonly refetch: Refetch

  constructor (opts: MeshOptions, parts: EngineParts) {
    this.#opts = opts
    this.#parts = parts
    this.receipts = this.#newReceipts()
    this.intake = new Intake(this, { rate: opts.ratePerSecond, burst: opts.rateBurst })
    this.refetch = new Refetch({
      want: (peerId, ids) => {
        if (!this.transport.send(peerId, { type: 'want', ids })) return false
        this.requests.wantSent(peerId, ids)
        return true
      },
      linked: () => this.transport.connectedPeers(),
      restore: m => { parts.restored?.(m) },
      vouched: m => this.causal.successor(m) !== undefined,
      log: parts.log
    })
    this.answers = new AnswerQueue(async (peerId, messages) => { await sendBatches(this.answering(), this.transport, peerId, messages) }, () => this.causal, parts.log)
    this.transport = new MeshTransport({
      privateKey: parts.identity.key,
      name: () => parts.identity.name,
      book: {
        known: () => this.#store?.state.peers ?? {},
        remember: (peerId, peer) => this.#store?.rememberPeer(peerId, peer) ?? [],
        forget: peerId => { this.#store?.forgetPeer(peerId) },
        blocked: () => this.#store?.state.blocked ?? [],
        setBlocked: ids => { this.#store?.setBlocked(ids) },
        lastPort: () => this.#store?.state.port,
        setLastPort: port => { if (this.#store !== undefined) { this.#store.state.port = port; this.#store.changed() } }
      },
      ...(opts.listen !== undefined ? { listen: opts.listen } : {}),
      mdns: opts.mdns ?? true,
      ...(opts.ratePerSecond !== undefined ? { ratePerSecond: opts.ratePerSecond } : {}),
      ...(opts.rateBurst !== undefined ? { rateBurst: opts.rateBurst } : {}),
      answers: this.requests,
      backlog: peerId => this.intake.roomFor(peerId),
      ...(opts.networkKey !== undefined ? { networkKey: opts.networkKey } : {}),
      ...(opts.overlay !== undefined ? { overlay: opts.overlay } : {}),
      ...(opts.linkPing !== undefined ? { linkPing: opts.linkPing } : {}),
      ...(opts.peerDiscovery !== undefined ? { peerDiscovery: opts.peerDiscovery } : {})
    })
    this.presence = new PresenceRelay({
      self: () => ({ peerId: parts.identity.peerId, name: parts.identity.name }),
      sign: bytes => signSync(parts.identity.key, bytes),
      transport: this.transport,
      people: parts.live.people,
      own: () => parts.live.people.own,
      log: parts.log
    })
    this.summaries = new DeliverySummaries({
      self: () => parts.identity.peerId,
      sign: bytes => signSync(parts.identity.key, bytes),
      transport: this.transport,
      receipt: r => { if (this.receipts.record(r)) this.emit({ type: 'receipt', ...r, peerId: r.by }) },
      log: parts.log
    })
    this.sync = new MeshSync({
      transport: this.transport,
      causal: () => this.causal,
      backlog: () => this.intake.answersWaiting,
      answersFrom: peerId => this.intake.answersFrom(peerId),
      requests: this.requests,
      ownAdvertised: seq => { this.ownAdvertised(seq) },
      self: () => parts.identity.peerId,
      intervalMs: opts.syncIntervalMs ?? SYNC_INTERVAL_MS
    })
    const t = this.transport
    t.addEventListener('peer:connect', ({ detail }) => {
      parts.events.emit(parts.builds.connected(detail))
      // Kept past the link: the list still tags it once it is gone (no build in its hello: an older one).
      parts.live.people.heardBuild(detail.peerId, detail.app ?? { level: 0 })
      // A digest first, as every interval: only peers whose states differ pay for full vectors
      // (with 10,000 authors in history, about 600 KB each way on every new link).
      this.sync.ping(detail.peerId)
      this.#onLinkUp(detail.peerId, detail.name)
      this.#reachedAt(detail.peerId)
      this.refetch.linked(detail.peerId)
    })
    t.addEventListener('peer:renamed', ({ detail }) => { parts.events.emit({ type: 'peer:renamed', ...detail, fingerprint: fingerprint(detail.peerId) }) })
    t.addEventListener('peer:addresses', ({ detail }) => {
      parts.events.emit({ type: 'peer:addresses', peerId: detail.peerId, addrs: detail.addrs })
      if (this.transport.connectedPeers().includes(detail.peerId)) this.#reachedAt(detail.peerId)
    })
    t.addEventListener('listening', ({ detail }) => { parts.events.emit({ type: 'addresses', addrs: detail.addrs, ...(detail.lost !== undefined ? { lost: detail.lost } : {}) }) })
    t.addEventListener('peer:disconnect', ({ detail }) => {
      this.sync.forget(detail.peerId)
      this.requests.forget(detail.peerId)
      this.answers.forget(detail.peerId)
      this.syncParts.leave(detail.peerId)
      parts.events.emit({ type: 'peer:disconnect', peerId: detail.peerId, ...(detail.staying === true ? { staying: true as const } : {}) })
      this.#onLinkDown(detail.peerId, detail.staying === true, detail.unheard === true)
    })
    t.addEventListener('peer:misbehaved', ({ detail }) => { parts.log(`peer ${detail.peerId}: ${detail.reason}`) })
    t.addEventListener('frame', ({ detail }) => {
      onFrame(this, detail.peerId, detail.frame).catch(err => { parts.log(`frame from ${detail.peerId} failed: ${(err as Error).stack}`) })
    })
  }

  get counters (): EngineParts['counters'] { return this.#parts.counters }
  get self (): string { return this.#parts.identity.peerId }
  get log (): EngineParts['log'] { return this.#parts.log }
  get live (): EngineParts['live'] { return this.#parts.live }
  emit (e: Parameters<EngineParts['events']['emit']>[0]): void { this.#parts.events.emit(e) }

  #started (): PeerStore {
    if (this.#store === undefined) throw new NotStartedError('the engine is not running')
    return this.#store
  }

  async open (): Promise<EngineStore> {
    const { store, problems } = PeerStore.open(this.#opts.dataDir, p => { this.#tell(p) }, this.#opts.bookAgeOutMs !== undefined ? { ageOutEveryMs: this.#opts.bookAgeOutMs } : {})
    for (const p of problems) this.#tell(p)
    this.#store = store
    // The book ages out while running too (an always-on desk): never a peer linked now, and one dropped is dialed no more.
    store.ageOutHooks = {
      linked: () => this.transport.connectedPeers(),
      dropped: ids => {
        this.transport.letGo(ids)
        for (const id of ids) this.#parts.live.people.agedOut(id)
      }
    }
    this.receipts.restore(store.receipts(this.#opts.receiptsTracked ?? MAX_TRACKED))
    // Only each author's newest message and the heads come into memory; the history stays in the database.
    this.causal = new CausalLog(store.messages.index())
    for (const room of store.messages.rooms()) this.#parts.rooms.note(room)
    this.#parts.clock.advanceTo(this.causal.maxLamport)
    this.#flushedSeq = this.causal.last(this.#parts.identity.peerId)?.seq ?? 0
    this.#own.start(Object.keys(store.state.peers).length > 0)
    for (const [id, p] of Object.entries(store.state.peers)) this.#parts.live.people.remembered(id, p.name, p.lastSeen)
    // Builds survive a restart: a peer gone since is still tagged older or newer.
    const people = this.#parts.live.people
    people.keepBuilds(store.keptBuilds, () => { store.buildsChanged(() => people.builds(MAX_KNOWN_PEERS)) })
    // Past the bounds, what is kept of keys never linked to us nor with a message delivered here goes first (keys cost nothing to make).
    people.vouchBy(() => {
      const linked = new Set(this.transport.connectedPeers())
      return peerId => linked.has(peerId) || Object.hasOwn(store.state.peers, peerId) || this.causal.last(peerId) !== undefined
    })
    return store
  }

  /** Listen (the mesh keeps last run's port, so the address others saved still works) and start syncing. */
  async connect (): Promise<void> {
    this.#started()
    await this.transport.start()
    this.presence.start()
    this.#timer = setInterval(() => {
      this.unverified.expire()
      for (const peerId of this.transport.connectedPeers()) this.sync.ping(peerId)
    }, this.#opts.syncIntervalMs ?? SYNC_INTERVAL_MS)
    this.#timer.unref()
  }

  begin (): void {
    for (const addr of this.#opts.dial ?? []) {
      const loop = this.#trying(addr, true)
      if (loop !== undefined) this.#dialUntilAnswered(addr, RECONNECT_MIN_MS, loop)
    }
  }

  /** The addresses tried in the background until they answer. */
  dialing (): string[] {
    return [...this.#untilAnswered.keys()]
  }

  /** Stop trying `addr` in the background; false when it was not being tried. */
  stopDialing (addr: string): boolean {
    return this.#trying(addr, false) !== undefined
  }

  /**
   * Add or take off an address tried until it answers, telling the change. Undefined when nothing
   * changed; else the token of the loop added (or of the one taken off).
   */
  #trying (addr: string, on: boolean): object | undefined {
    if (this.#untilAnswered.has(addr) === on) return undefined
    const loop = on ? {} : this.#untilAnswered.get(addr)!
    if (on) this.#untilAnswered.set(addr, loop)
    else this.#untilAnswered.delete(addr)
    this.emit({ type: 'dialing', addresses: this.dialing() })
    return loop
  }

  /**
   * A linked peer listens where an address is tried until it answers: it is
   * here, whoever dialed. A laptop whose firewall lets nothing in dials us
   * and links, and its own address never answers: tried on, and shown as
   * tried, for as long as we run, while the person is right there.
   */
  #reachedAt (peerId: string): void {
    if (this.#untilAnswered.size === 0) return
    const at = new Set((this.#store?.state.peers[peerId]?.addrs ?? []).map(hostPort))
    for (const addr of [...this.#untilAnswered.keys()]) {
      const named = /\/p2p\/([^/]+)$/.exec(addr)?.[1]
      if ((named === undefined || named === peerId) && at.has(hostPort(addr))) this.#trying(addr, false)
    }
  }

  /** Take `addr` off once its loop `loop` got an answer (a newer loop for it is left alone). */
  #answered (addr: string, loop: object): void {
    if (this.#untilAnswered.get(addr) === loop) this.#trying(addr, false)
  }

  /**
   * A peer named at start may not be up yet (two terminals started in either
   * order): its address is tried again, backing off to every 30 s, until it
   * answers once; from then on it is a known peer, redialed as all are. The
   * first failure is told; a malformed address is told and not retried; one
   * where something else than LAN Chat answers is tried every 5 minutes.
   */
  #dialUntilAnswered (addr: string, wait: number, loop: object): void {
    if (this.#untilAnswered.get(addr) !== loop) return // no longer wanted (Stop), or a newer loop tries it
    this.transport.connect(addr).then(() => { this.#answered(addr, loop) }, (err: unknown) => {
      if (this.#timer === undefined) return // stopped meanwhile
      // A malformed address, or our own: trying again cannot help.
      const said = err instanceof BadAddressError ? undefined : toConnectError(err, addr, this.#opts.networkKeySetting)
      const retry = said !== undefined && said.code !== 'self'
      if (wait === RECONNECT_MIN_MS || !retry) {
        // Something that answered and is not LAN Chat to us (another program, another network key) is tried now and then too, in case that changes.
        const again = !retry ? '' : ANSWERS_LATER.has(said.code) ? ' Trying again until it answers.' : ' Trying again now and then, in case that changes.'
        // With a code as every command's error has, so a script tells it from the others without reading words.
        this.emit({ type: 'error', message: `dial ${hostPort(addr)}: ${said?.message ?? (err as Error).message}${again}`, code: said !== undefined ? 'ConnectError' : (err as Error).name })
      }
      if (!retry) { this.#answered(addr, loop); return }
      // Whatever holds that port (a web server, another LAN Chat) would get a junk connection every 30 s: every few minutes will do.
      if (said.code === 'not-lanchat') this.#dialLater(addr, RECONNECT_LONG_MS, RECONNECT_LONG_MS, loop)
      else this.#dialLater(addr, Math.min(wait * 2, RECONNECT_MAX_MS), wait, loop)
    })
  }

  /** Dial `addr` (until it answers, from `next` on) in about `wait` ms. */
  #dialLater (addr: string, next: number, wait: number, loop: object): void {
    const timer = setTimeout(() => {
      this.#redials.delete(timer)
      this.#dialUntilAnswered(addr, next, loop)
    }, wait * (0.75 + Math.random() / 2))
    timer.unref()
    this.#redials.add(timer)
  }

  /**
   * An address a person asked to keep trying after it did not answer (the
   * Connect dialog's Keep trying): tried again, without a word each time,
   * backing off to every 30 s, until it answers once or the engine stops.
   */
  keepDialing (addr: string): void {
    this.#started()
    // Asked twice, it is one loop: the one already running goes on.
    const loop = this.#trying(addr, true)
    if (loop !== undefined) this.#dialLater(addr, RECONNECT_MIN_MS * 4, RECONNECT_MIN_MS * 2, loop)
  }

  async stop (): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    for (const t of this.#redials) clearTimeout(t)
    this.#redials.clear()
    this.#untilAnswered.clear()
    this.#pause.stop()
    this.receipts.clear()
    this.summaries.clear()
    this.unverified.clear()
    this.intake.clear()
    this.requests.clear()
    this.answers.clear()
    this.refetch.clear()
    this.#own.stop()
    // Every link hears "offline" before it closes (the transport drains what is queued).
    this.presence.stop()
    await this.transport.stop()
    this.#store = undefined
    // libp2p leaves timers behind after stop() that keep the node, and through
    // its services this ordering, reachable for a while: let the history go now.
    // With catch-ups back to back, stopped 100k-message engines piled up in
    // the heap and slowed the live ones (BENCHMARKS.md). open() reloads it all.
    this.causal = new CausalLog()
    this.#batch = []
    this.#arrival.clear()
    this.receipts = this.#newReceipts()
  }

  readonly #own = new OwnChainWait(() => this.causal.last(this.#parts.identity.peerId)?.seq ?? 0)

  /** Own messages wait until we know how far our own chain went, and while most links are behind (own-chain.ts). */
  async ready (): Promise<void> {
    await this.#own.ready()
    await waitForLinks(this.transport)
  }

  /** A peer's sync says it has our own chain up to `seq`. */
  ownAdvertised (seq: number): void { this.#own.advertised(seq) }

  place (replyTo: string | undefined): Placement {
    this.#started()
    const self = this.#parts.identity.peerId
    const prev = this.causal.last(self)
    const deps = this.causal.depsFor(self)
    if (replyTo !== undefined && replyTo !== prev?.id && !deps.includes(replyTo)) deps.splice(deps.length >= 32 ? 31 : deps.length, 1, replyTo)
    return { seq: (prev?.seq ?? 0) + 1, prev: prev?.id ?? '', deps }
  }

  isDelivered (id: string): boolean { return this.causal.isDelivered(id) }
  lastOf (author: string): number { return this.causal.last(author)?.seq ?? 0 }
  forkFloor (author: string): number | undefined { return this.causal.forkOf(author)?.floor }

  async dial (addr: string, options: { signal?: AbortSignal } = {}): Promise<string | void> {
    this.#started()
    return await this.transport.connect(addr, options)
  }

  async connectPeer (peerId: string): Promise<void> {
    this.#started()
    await this.transport.connectPeer(peerId)
  }

  async submit (message: ChatMessage): Promise<MessageView> {
    const view = this.accept(message, '', 0, true)
    if (view === undefined) throw new Error('own message was not delivered')
    return await this.#outbox.push(message, view)
  }

  /**
   * Own messages sent in one tick, in runs: sign the newest of each run, write
   * them all, then announce each run as one frame and emit the events.
   */
  async #flushRuns (fresh: Queued[][]): Promise<void> {
    const store = this.#started()
    for (const run of fresh) {
      const head = run[run.length - 1]!.message
      head.sig = signSync(this.#parts.identity.key, bodyOf(head))
    }
    const runs = [...this.#ownWaiting, ...fresh]
    if (runs.length === 0) return
    store.state.clock = this.#parts.clock.time
    store.changed()
    // Committed before anyone hears of them; the runs are this tick's batch already, so one transaction now.
    try {
      store.insert(runs.flatMap(run => run.map(q => ({ message: q.message, deliveredAt: q.view.deliveredAt ?? 0 }))))
    } catch (err) {
      // A full disk: the messages wait, in order, with their text, and go out once they are written
      // (their senders' promises stay pending). Dropping one would break the chain of every later one.
      this.#ownWaiting = runs
      this.#pause.failed(err as Error)
      return
    }
    this.#ownWaiting = []
    this.#pause.written(this.#batch.length === 0 && this.#ownWaiting.length === 0)
    const last = runs[runs.length - 1]!
    this.#flushedSeq = Math.max(this.#flushedSeq, last[last.length - 1]!.message.seq)
    this.#trim()
    for (const run of runs) this.transport.broadcast({ type: 'messages', messages: run.map(q => ({ message: q.message, hops: 0 })) })
    for (const run of runs) {
      for (const q of run) {
        this.emit({ type: 'message', ...q.view })
        this.summaries.known(q.message.id)
        q.resolve(q.view)
      }
    }
  }

  /** A room in display order, read from the database (all of it, or a page). */
  history (room: string, page?: Page): MessageView[] {
    return this.#store?.messages.page(room, '', false, page).map(s => this.#marked(storedView(s))) ?? []
  }

  /** What `author` wrote in `room` but edits, deletes, reactions and pins, over its whole history, in no order (the author's index). */
  * byAuthor (room: string, author: string): Generator<MessageView> {
    if (this.#store === undefined) return
    for (const s of this.#store.messages.messagesBy(room, author, '')) yield this.#marked(storedView(s))
  }

  /** A forked author's messages say so. */
  #marked (view: MessageView): MessageView {
    return this.causal.isForked(view.author) ? { ...view, forked: true } : view
  }

  arrivedBelow (room: string, before: string, since: number, limit: number): MessageView[] {
    return this.#store?.messages.arrivedBelow(room, '', false, before, since, limit).map(s => this.#marked(storedView(s))) ?? []
  }

  search (query: string, room?: string, limit?: number, authors?: readonly string[], narrow?: Narrowing): SearchHit[] {
    return this.#store?.messages.search(query, '', room, limit, undefined, authors, narrow) ?? []
  }

  authors (room?: string): RoomAuthor[] {
    return this.#store?.messages.authors(room, '') ?? []
  }

  writtenOnlyByBlocked (room: string): boolean {
    const store = this.#store
    return store !== undefined && store.messages.writtenOnlyBy(room, '', store.state.blocked)
  }

  /** Tell the user (the log and an error event): a damaged database set aside, old files imported. */
  #tell (problem: string): void {
    this.log(problem)
    if (/damaged/.test(problem)) this.emit({ type: 'error', message: problem, code: 'StoreError' })
  }

  /**
   * Take in a verified message. Returns the view of our own message when it
   * is delivered at once. Each message delivered from a peer joins the batch
   * that settle() commits in one transaction and only then announces.
   */
  accept (message: ChatMessage, via: string, hops: number, own: boolean, asked?: boolean): MessageView | undefined {
    // The disk refuses writes: what peers send is not taken in (sync brings it again once it can be kept).
    if (this.#pause.paused && !own) return undefined
    const self = this.#parts.identity.peerId
    const clock = this.#parts.clock
    const result = this.causal.add(message, own ? '' : via)
    // Remember how a held-back message came, for when it is delivered later.
    if (result.isNew && this.causal.isHeld(message.id)) this.#arrival.set(message.id, { via, hops, asked })
    for (const { message: m } of result.rejected) this.#arrival.delete(m.id)
    for (const m of result.dropped) this.#arrival.delete(m.id)
    if (result.dropped.length > 0) this.#noteDropped(result.dropped.length, via)
    for (const { message: m, reason } of result.rejected) this.log(`refused message ${m.id.slice(0, 12)} from ${m.author}: ${reason}`)
    for (const f of result.forked) this.#forked.push(f)
    let ownView: MessageView | undefined
    for (const m of result.delivered) {
      const arrival = m === message ? { via, hops, asked } : this.#arrival.get(m.id) ?? { via, hops, asked }
      if (m !== message) this.#arrival.delete(m.id)
      this.#parts.rooms.note(m.room)
      if (m.author !== self || !own) clock.receive(m.lamport)
      const deliveredAt = Date.now()
      if (m === message && own) { ownView = messageView(m, { deliveredAt, via: '', hops: 0 }); continue }
      if (this.#batch.length === 0) queueMicrotask(() => { this.settle() })
      this.#batch.push({ m, via: arrival.via, hops: arrival.hops, deliveredAt, clock: clock.time, asked: arrival.asked, clockOff: this.#clockOff(m, arrival, deliveredAt) })
    }
    return ownView
  }

  /**
   * How far `m`'s author's clock runs behind ours (ms; negative: ahead) for a message that came
   * live, as its claims and live messages showed (one straight from its author shows it too):
   * its time is shown on our clock (writtenAt), never after it came. One caught up on (asked, or
   * passed on late) gets 0: it may be old for real, and keeps the time its author gave it.
   */
  #clockOff (m: ChatMessage, arrival: { via: string, asked?: boolean | undefined }, deliveredAt: number): number {
    if (arrival.asked === true || m.author === this.#parts.identity.peerId) return 0
    const people = this.#parts.live.people
    if (arrival.via === m.author) people.heardWritten(m.author, deliveredAt - m.sentAt)
    return people.clockOff(m.author)
  }

  #droppedLogged = -Infinity
  /** Held-back messages let go for room: logged now and then, not per message (a flood would flood the log). */
  #noteDropped (n: number, via: string): void {
    this.counters.heldDropped += n
    if (performance.now() - this.#droppedLogged < 5_000) return
    this.#droppedLogged = performance.now()
    this.log(`hold-back queue: dropped ${this.counters.heldDropped} message(s) for room so far (latest from ${via === '' ? 'this peer' : via}); they are fetched again by sync`)
  }

  /**
   * Commit the messages delivered from peers since the last call, in one
   * transaction, then announce them: events, receipts and (the caller's)
   * relays come only after the commit. Runs at the end of each frame and, for
   * any caller that does not call it, at the end of the tick.
   */
  settle (): void {
    const batch = this.#batch
    const store = this.#store
    if (batch.length === 0 || store === undefined) return
    const self = this.#parts.identity.peerId
    const forked = this.#forked
    try {
      store.insert(batch.map(b => ({ message: b.m, deliveredAt: b.deliveredAt, via: b.via, hops: b.hops, ...(b.clockOff !== 0 ? { clockOff: b.clockOff } : {}) })), forked)
    } catch (err) {
      // Not committed, so not announced (nor relayed) yet: kept, and tried again with the next batch or
      // after a pause (a full disk that gets room). The log keeps them in memory until then.
      this.#pause.failed(err as Error)
      return
    }
    this.#batch = []
    this.#forked = []
    // Our own earlier messages that peers gave back (a restored data directory): signed, now written, so shareable.
    for (const { m } of batch) if (m.author === self && m.seq > this.#flushedSeq) this.#flushedSeq = m.seq
    for (const { author, floor } of forked) {
      this.log(`${author} forked its chain at message ${floor}: both branches are kept`)
      this.emit({ type: 'peer:forked', peerId: author, fingerprint: fingerprint(author), floor })
    }
    this.#pause.written(this.#batch.length === 0 && this.#ownWaiting.length === 0)
    this.#own.check()
    this.#trim()
    store.state.clock = this.#parts.clock.time
    store.changed()
    this.#parts.announcing?.(batch.map(b => b.m))
    for (const { m, via, hops, deliveredAt, clock, asked, clockOff } of batch) {
      this.receipts.routeVia(m.id, via)
      if (m.author !== self) this.counters.delivered(hops, m.sentAt, deliveredAt, asked === true)
      this.emit({ type: 'message', ...this.#marked(messageView(m, { deliveredAt, via, hops, ...(clockOff !== 0 ? { clockOff } : {}) })) })
      this.summaries.known(m.id)
      // Each receive is its own event: several messages taken in at once are not all stamped with the last one's time.
      this.#receipt({ id: m.id, by: self, lamport: clock, at: deliveredAt })
    }
  }

  /** Own runs whose commit failed (a full disk): written and sent, in order, on the next try. */
  #ownWaiting: Queued[][] = []
  readonly #pause = new WritePause({
    retry: () => {
      this.settle()
      if (this.#ownWaiting.length > 0) void this.#flushRuns([]).catch(e => { this.log(`own messages still not written: ${(e as Error).message}`) })
    },
    tell: message => { this.emit({ type: 'writes:paused', message }) },
    resumed: () => { this.emit({ type: 'writes:resumed' }) },
    log: line => { this.log(line) }
  })

  /** Once everything delivered is committed, the log forgets all but the newest (the database has them). */
  #trim (): void {
    if (this.#batch.length > 0) return
    if ((this.causal.last(this.#parts.identity.peerId)?.seq ?? 0) > this.#flushedSeq) return
    this.causal.trim(RECENT_KEPT)
  }

  #receipt (r: Receipt): void {
    this.receipts.record(r)
    this.receipts.announce(r)
    this.summaries.announce(r)
    this.emit({ type: 'receipt', ...r, peerId: r.by })
  }

  #newReceipts (): Receipts {
    const { peerId, key } = this.#parts.identity
    const receipts: Receipts = new Receipts(own => { sendReceipts(this.transport, peerId, bytes => signSync(key, bytes), own) }, r => { this.#store?.keepReceipt(r) }, this.#opts.receiptsTracked)
    return receipts
  }

  receiptsOf (id: string): Receipt[] { return this.receipts.of(id) }

  /** Own messages not yet signed and written are not shared: persisted before announced. */
  answering (): Answering {
    const self = this.#parts.identity.peerId
    return { causal: this.causal, self, shareable: m => m.author !== self || m.seq <= this.#flushedSeq }
  }

  links (): LinkStats[] { return this.transport.links() }

  /**
   * The mesh's word on who is down, less those it is not linked to but hears from through others (a cut
   * link, a link the overlay swapped away): their messages come around, so they are not down; a peer whose
   * claims stop coming reads as offline, and down, when its lease ends (presence-relay.ts).
   */
  failure (): FailureState {
    const health = this.transport.health()
    const people = this.#parts.live.people
    const around = health.peersDown.filter(p => { const state = people.of(p)?.state; return state === 'online' || state === 'away' })
    const connected = this.transport.connectedPeers().length
    if (around.length === 0 || connected === 0) return health
    const peersDown = health.peersDown.filter(p => !around.includes(p))
    const plural = (n: number): string => `${n} peer${n === 1 ? '' : 's'}`
    const reached = `${plural(around.length)} reached through them`
    return peersDown.length === 0
      ? { state: 'ok', summary: `${plural(connected)} connected, ${reached}`, peersDown }
      : { state: 'degraded', summary: `${plural(peersDown.length)} down; the others go on (${reached})`, peersDown }
  }

  relayed (): number { return this.counters.relayed }
  extras (): Record<string, unknown> {
    return { heldBack: this.causal.heldCount, heldDropped: this.counters.heldDropped, queuedBytes: this.transport.queuedBytes(), messagesInMemory: this.causal.recentCount }
  }

  async block (peerId: string): Promise<void> { this.#started(); await this.transport.block(peerId) }
  async unblock (peerId: string): Promise<void> { this.#started(); this.transport.unblock(peerId) }
  isBlocked (peerId: string): boolean { return this.transport.isBlocked(peerId) }
  /**
   * Everyone blocked, with the name they last wrote under: listed even when the book no longer
   * holds them (forgotten, or only ever heard of through others), as their row is where they are unblocked.
   */
  blockedPeople (): Array<{ peerId: string, name: string }> {
    const store = this.#store
    if (store === undefined) return []
    return store.state.blocked.map(peerId => ({ peerId, name: store.state.peers[peerId]?.name || store.messages.lastBy(peerId)?.name || '' }))
  }

  async forget (peerId: string): Promise<void> { this.#started(); await this.transport.forget(peerId) }
  /**
   * Our new name: the neighbours hear a hello under it (their peer lists follow, and say so), the
   * whole mesh a fresh presence claim carrying it (the claim names its signer).
   */
  renamed (name: string): void {
    if (this.#store === undefined) return
    this.transport.broadcast({ type: 'hello', name, version: PROTOCOL_VERSION })
    this.presence.news()
  }

  forgetText (ids: readonly string[]): void {
    for (const id of ids) {
      const m = this.causal.get(id)
      if (m !== undefined) redact(m)
    }
  }

  /** A tombstone's message is back (refetch.ts): the copy in memory, which peers are served, is the message again. */
  restoreText (m: ChatMessage): void {
    const held = this.causal.get(m.id)
    if (held !== undefined) unredact(held, m)
  }

  /** Typing goes to every neighbour (a DM's only to its other end), not further; presence goes to the whole mesh, signed. */
  sendLive (frame: TypingFrame | PresenceFrame): boolean {
    if (frame.type === 'presence') {
      // Neighbours of an older version hear the plain frame; everyone else the signed claim, through the mesh.
      this.transport.broadcast(frame)
      this.presence.news()
      return true
    }
    if (frame.to !== undefined) return this.transport.send(frame.to, frame)
    if (frame.among !== undefined) {
      // An invite-only room's: to the members we are linked to, as a plain room frame (they know who is in it).
      const { among, ...plain } = frame
      let sent = false
      for (const id of among) sent = this.transport.send(id, plain) || sent
      return sent
    }
    return this.transport.broadcast(frame) > 0
  }

  #onLinkUp (peerId: string, name: string): void {
    this.#parts.live.people.connected(peerId, name)
    this.#parts.live.greet(f => { this.transport.send(peerId, f) })
    this.presence.linkUp(peerId)
  }

  /** Offline since now: kept in the peers table, so "last seen" survives a restart. */
  #onLinkDown (peerId: string, swapped: boolean, unheard: boolean): void {
    // Swapped for another link (the overlay, on either side), not gone: its claims keep coming through the others.
    // Only when the peer may not have read that we stay do we say so through the others (a fresh claim
    // crosses the whole mesh: at every swap, that was most of a classroom's idle traffic).
    const known = this.#store?.state.peers[peerId]
    if (swapped) {
      // Still seen as of now, for the book's age-out and the "last seen" read at the next start:
      // a peer linked for months and swapped away would read as seen when that link came up.
      if (known !== undefined) this.#store?.rememberPeer(peerId, { ...known, lastSeen: Date.now() })
      if (unheard) this.presence.stillHere()
      return
    }
    const name = known?.name || this.#parts.live.people.of(peerId)?.name || ''
    const lastSeen = Date.now()
    if (known !== undefined) this.#store?.rememberPeer(peerId, { ...known, name, lastSeen })
    this.presence.linkLost(peerId, name, lastSeen)
  }
}

function storedView (s: StoredMessage): MessageView {
  return messageView(s.message, { deliveredAt: s.deliveredAt ?? 0, via: s.via ?? '', hops: s.hops ?? 0, ...(s.clockOff !== undefined ? { clockOff: s.clockOff } : {}) })
}
