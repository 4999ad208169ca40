import type { ChatMessage } from '../core/message.js'
import { MAX_CLOCK_JUMP } from '../core/limits.js'
import { bodyOf, wireBytes, type Receipt } from '../net/codec.js'
import { APP_VERSION, FEATURE_LEVEL, HUB_PROTOCOL_VERSION, HUB_SLOW_MS, MAX_SUBMIT_PER_FRAME } from '../net/constants.js'
import type { HubFrame, OwnChain, SequencedMessage } from '../net/hub-codec.js'
import { clockOffAt } from './live.js'
import type { PresenceFrame, TypingFrame } from '../net/live-codec.js'
import { parsePeerId } from '../net/addr.js'
import { HubLinkTransport } from '../net/hub-link.js'
import { ClientStore } from '../store/client-store.js'
import { MAX_KNOWN_PEERS } from '../store/peer-store.js'
import type { Page, RoomAuthor, SearchHit, StoredMessage } from '../store/messages.js'
import { NotStartedError } from './errors.js'
import type { EngineParts, EngineStore, Ordering, Placement } from './ordering.js'
import type { FailureState, LinkStats } from './stats.js'
import { OWN_CHAIN_WAIT_MS } from './own-chain.js'
import type { MessageView } from './types.js'
import type { Narrowing } from '../core/search-query.js'
import { signSync, verifyMessages } from './verify.js'
import { messageView } from './views.js'

export interface HubOrderOptions {
  dataDir: string
  /** The hub's multiaddr. Without it the client asks mDNS for a hub (unless mdns is false). */
  server?: string
  mdns?: boolean
  /** Only a hub with this network key can be reached. */
  networkKey?: string
  /** Where this host sets the network key, as a connection failure names it. */
  networkKeySetting?: string
  /** The backoff of the link's dials of an unreachable hub, ms (defaults: HUB_RECONNECT_*); tests set it. */
  hubRetry?: { min: number, max: number }
}

/**
 * Hub-sequence ordering over the link to one hub: the hub numbers messages
 * in the order they reach it and every client shows that order. A message
 * sent while the hub is unreachable is kept on disk as pending and resent
 * when it is back — the hub recognises a resend by its id, so it is
 * delivered once. Messages are verified here, so the hub cannot forge.
 */
export class HubOrdering implements Ordering {
  readonly mode = 'client' as const
  readonly orderedBy = 'server-seq' as const
  readonly listsHeardOf = false
  readonly orderText = 'the hub numbers messages in the order they reach it; every client shows that order'
  readonly transport: HubLinkTransport
  readonly #opts: HubOrderOptions
  readonly #parts: EngineParts
  readonly #pending = new Map<string, ChatMessage>()
  /** Our messages sent to the linked hub and not numbered yet, with when (performance.now()); see HUB_SLOW_MS. */
  readonly #submittedAt = new Map<string, number>()
  #slowTimer: NodeJS.Timeout | undefined
  /** Pending ids already announced with a `pending` event. */
  readonly #announced = new Set<string>()
  #submitQueue: ChatMessage[] = []
  #frames: Promise<void> = Promise.resolve()
  #store: ClientStore | undefined
  /** Peers this person blocked (the data directory's list, shared with P2P mode), each with the name it last wrote under, read once. */
  #blocked = new Map<string, string>()
  #lastSeq = 0
  /**
   * The hub had fewer numbers than we held (#hubLost): up to this one, what it sends again is compared
   * with what we hold under the same number, to find where its history and ours part.
   */
  #diverged: number | undefined
  /** The hub's newest number when it last said hello: what it sends up to there is a catch-up (not in the latency figures). */
  #caughtUpTo = 0
  /** How far the hub's clock runs behind ours (ms; negative: ahead), as its hello showed; 0 within the slack, or not said. */
  #hubClockOff = 0
  /** The largest file the hub said it stores, bytes (undefined: an older hub, or none ever said hello); kept in the store across restarts. */
  #hubMaxFileBytes: number | undefined
  /**
   * The linked hub's hello (the first frame of its link) was taken in: our pending messages went to it then, in
   * chain order, after what it lost of ours was taken back (#takeBack). Until then none go: one sent sooner would
   * put a later message of our chain before the ones it lost, and it would refuse those.
   */
  #helloTaken = false
  /** Until a known hub said how far our own chain went (or OWN_CHAIN_WAIT_MS passed), own messages wait. */
  #ownChain: { promise: Promise<void>, resolve: () => void } | undefined

  constructor (opts: HubOrderOptions, parts: EngineParts) {
    this.#opts = opts
    this.#parts = parts
    this.transport = new HubLinkTransport({
      privateKey: parts.identity.key,
      hello: async hubId => await this.#hello(hubId),
      knownHub: () => this.#store?.state.serverId,
      knownHubName: () => this.#store?.state.serverName,
      ...(opts.server !== undefined ? { server: opts.server } : {}),
      findHub: opts.server === undefined && (opts.mdns ?? true),
      ...(opts.networkKey !== undefined ? { networkKey: opts.networkKey } : {}),
      ...(opts.networkKeySetting !== undefined ? { networkKeySetting: opts.networkKeySetting } : {}),
      ...(opts.hubRetry !== undefined ? { retryMs: opts.hubRetry } : {})
    })
    const t = this.transport
    t.addEventListener('peer:connect', ({ detail }) => {
      this.#joined(detail.peerId)
      parts.events.emit(parts.builds.connected(detail, true))
      parts.live.greet(f => { this.transport.send(detail.peerId, f) })
    })
    t.addEventListener('peer:disconnect', ({ detail }) => {
      this.#helloTaken = false
      parts.events.emit({ type: 'peer:disconnect', peerId: detail.peerId })
      // Without the hub we do not know who is there: everyone was last seen now.
      for (const p of parts.live.people.list()) if (p.state !== 'offline' && p.peerId !== parts.identity.peerId) parts.live.people.disconnected(p.peerId)
      for (const m of this.#pending.values()) this.#announcePending(m)
    })
    t.addEventListener('peer:misbehaved', ({ detail }) => { parts.log(detail.reason) })
    // One frame at a time, in the order the hub sent them: its numbers are the order shown.
    t.addEventListener('frame', ({ detail }) => {
      this.#frames = this.#frames.then(async () => { await this.#onFrame(detail.frame) })
        .catch(err => { parts.log(`hub frame failed: ${(err as Error).stack}`) })
    })
  }

  get lastSeq (): number { return this.#lastSeq }
  get pendingCount (): number { return this.#pending.size }
  /** The largest file the hub stores, as it last said in its hello (undefined: an older hub that does not say, or none yet). */
  get hubMaxFileBytes (): number | undefined { return this.#hubMaxFileBytes }

  #started (): ClientStore {
    if (this.#store === undefined) throw new NotStartedError('the engine is not running')
    return this.#store
  }

  async open (): Promise<EngineStore> {
    const tell = (p: string): void => {
      this.#parts.log(p)
      if (/damaged/.test(p)) this.#parts.events.emit({ type: 'error', message: p, code: 'StoreError' })
    }
    const { store, problems } = ClientStore.open(this.#opts.dataDir, this.#parts.identity.peerId, tell)
    for (const p of problems) tell(p)
    this.#store = store
    this.#blocked = new Map(store.blocked().map(id => [id, nameOf(store, id)]))
    for (const r of [...store.state.rooms, ...store.messages.rooms(store.hub)]) this.#parts.rooms.note(r)
    this.#lastSeq = store.messages.maxNum(store.hub)
    // The hub's limit as it last said it: a file over it is refused at once, even before the hub is reached.
    this.#hubMaxFileBytes = store.state.serverMaxFileBytes
    for (const m of store.pending()) {
      this.#pending.set(m.id, m)
      this.#parts.rooms.note(m.room)
    }
    // The builds the hub tells are kept here, in the one list both modes keep: a client gone since is still tagged older or newer.
    const people = this.#parts.live.people
    people.keepBuilds(store.keptBuilds, () => { store.buildsChanged(() => people.builds(MAX_KNOWN_PEERS)) })
    // Past the bounds, what is kept of keys never here by the hub's word, never blocked, and with nothing of theirs kept here goes first.
    people.vouchBy(() => {
      const known = new Map<string, boolean>()
      return peerId => {
        let real = known.get(peerId)
        if (real === undefined) {
          const state = people.of(peerId)?.state
          real = this.#blocked.has(peerId) || (state !== undefined && state !== 'offline') || store.messages.lastBy(peerId) !== undefined
          known.set(peerId, real)
        }
        return real
      }
    })
    // A client that knew a hub may be a restored backup: learn our own chain from the hub before numbering.
    if (store.state.serverId !== undefined) {
      let resolve!: () => void
      const wait = { promise: new Promise<void>(r => { resolve = r }), resolve }
      this.#ownChain = wait
      setTimeout(() => { this.#ownChainKnown(wait) }, OWN_CHAIN_WAIT_MS).unref()
    }
    return store
  }

  #ownChainKnown (wait = this.#ownChain): void {
    wait?.resolve()
    if (this.#ownChain === wait) this.#ownChain = undefined
  }

  async connect (): Promise<void> {
    await this.transport.start()
    const remembered = this.#store?.state.serverAddr
    if (this.#opts.server === undefined && remembered !== undefined) await this.transport.connect(remembered)
  }

  begin (): void {
    for (const m of this.#pending.values()) this.#announcePending(m)
  }

  async stop (): Promise<void> {
    this.#ownChainKnown()
    await this.transport.stop()
    this.#store = undefined
    this.#hubMaxFileBytes = undefined
    this.#pending.clear()
    this.#announced.clear()
    this.#submittedAt.clear()
    clearTimeout(this.#slowTimer)
    this.#slowTimer = undefined
    this.#lastSeq = 0
    this.#diverged = undefined
    this.#helloTaken = false
  }

  isDelivered (id: string): boolean {
    const store = this.#store
    return store !== undefined && store.hub !== '' && store.messages.has(id, store.hub)
  }

  /** In client mode "dial" picks the hub: the client talks to that one only, and remembers it. */
  async dial (addr: string): Promise<void> {
    const store = this.#started()
    await this.transport.connect(addr)
    store.state.serverAddr = this.transport.server?.toString()
    store.changed()
  }

  /** The hub numbers what it gets; the chain is the client's own, kept in its store and checked against the hub's hello. */
  async ready (): Promise<void> {
    await this.#ownChain?.promise
  }

  place (replyTo: string | undefined): Placement {
    const { chainSeq, chainId } = this.#started().state
    return { seq: chainSeq + 1, prev: chainId, deps: replyTo !== undefined && replyTo !== chainId ? [replyTo] : [] }
  }

  async submit (message: ChatMessage): Promise<MessageView> {
    const store = this.#started()
    message.sig = signSync(this.#parts.identity.key, bodyOf(message))
    store.state.chainSeq = message.seq
    store.state.chainId = message.id
    store.state.clock = this.#parts.clock.time
    store.changed()
    // Committed before anything else: a pending message survives a crash.
    store.addPending(message)
    this.#pending.set(message.id, message)
    this.#parts.rooms.note(message.room)
    if (this.transport.hub !== undefined) this.#submitSoon(message)
    else this.#announcePending(message)
    return messageView(message, { pending: true })
  }

  /** The current hub's history of a room (a page: the newest by default), then what is pending (on the newest page). */
  history (room: string, page?: Page): MessageView[] {
    const store = this.#store
    if (store === undefined) return []
    const shown = store.hub === '' ? [] : store.messages.page(room, store.hub, true, page).map(storedView)
    // What waits for the hub comes after the newest numbered message: only in a page that reaches it.
    const fromMessage = page?.after !== undefined || page?.around !== undefined
    if (page?.before !== undefined || (fromMessage && !this.#reachesNewest(room, page, shown))) return shown
    for (const m of this.#pending.values()) if (m.room === room) shown.push(messageView(m, { pending: true }))
    return shown
  }

  /** Whether a page after or around a message ends at the room's newest numbered message (or the room has none). */
  #reachesNewest (room: string, page: Page, shown: MessageView[]): boolean {
    const store = this.#store
    if (store === undefined || store.hub === '') return true
    const newest = store.messages.page(room, store.hub, true, { limit: 1 })[0]?.message.id
    return newest === undefined || shown.at(-1)?.id === newest || page.after === newest
  }

  arrivedBelow (room: string, before: string, since: number, limit: number): MessageView[] {
    const store = this.#store
    return store === undefined || store.hub === '' ? [] : store.messages.arrivedBelow(room, store.hub, true, before, since, limit).map(storedView)
  }

  search (query: string, room?: string, limit?: number, authors?: readonly string[], narrow?: Narrowing): SearchHit[] {
    const store = this.#store
    return store === undefined || store.hub === '' ? [] : store.messages.search(query, store.hub, room, limit, undefined, authors, narrow)
  }

  authors (room?: string): RoomAuthor[] {
    const store = this.#store
    return store === undefined || store.hub === '' ? [] : store.messages.authors(room, store.hub)
  }

  writtenOnlyByBlocked (room: string): boolean {
    const store = this.#store
    return store !== undefined && store.hub !== '' && store.messages.writtenOnlyBy(room, store.hub, [...this.#blocked.keys()])
  }

  receiptsOf (): Receipt[] { return [] }

  links (): LinkStats[] {
    const hub = this.transport.hub
    const tuple = hub === undefined ? undefined : this.transport.tupleOf(hub)
    return hub === undefined || tuple === undefined ? [] : [{ peerId: hub, name: this.transport.nameOf(hub) ?? '', direction: 'outbound', ...tuple }]
  }

  failure (): FailureState {
    const n = this.#pending.size
    if (this.transport.hub !== undefined) return { state: 'ok', summary: n > 0 ? `connected, ${n} pending` : 'connected to the hub', serverReachable: true, pending: n }
    // No address to try: say what it waits for (an mDNS answer), or that it waits for nothing until given one.
    const why = this.transport.server !== undefined
      ? 'server unreachable'
      : this.#opts.mdns ?? true ? 'looking for a hub on the LAN' : 'no hub address, and finding one on the LAN is off: give the hub\'s address'
    return { state: 'down', summary: `${why}, ${n} pending`, serverReachable: false, pending: n }
  }

  /** The hub this client talks to, for the stats. */
  server (): { peerId: string | null, addr: string | null, lastSeq: number } {
    return { peerId: this.transport.hub ?? this.#store?.state.serverId ?? null, addr: this.transport.server?.toString() ?? null, lastSeq: this.#lastSeq }
  }

  relayed (): number { return 0 }
  extras (): Record<string, unknown> { return { server: this.server() } }

  /**
   * A client has no link to a peer to refuse (the hub relays everyone): blocking here is the
   * list the hosts fold messages by, and typing and presence are not told on.
   */
  async block (peerId: string): Promise<void> {
    const store = this.#started()
    parsePeerId(peerId)
    if (!this.#blocked.has(peerId)) this.#blocked.set(peerId, nameOf(store, peerId))
    store.setBlocked([...this.#blocked.keys()])
  }

  async unblock (peerId: string): Promise<void> {
    const store = this.#started()
    parsePeerId(peerId)
    this.#blocked.delete(peerId)
    store.setBlocked([...this.#blocked.keys()])
  }

  isBlocked (peerId: string): boolean { return this.#blocked.has(peerId) }
  blockedPeople (): Array<{ peerId: string, name: string }> {
    return [...this.#blocked].map(([peerId, name]) => ({ peerId, name }))
  }
  async forget (): Promise<void> {}

  /** Nothing in memory to blank: a client serves no one, and its pending messages go to the hub as signed. */
  forgetText (): void {}

  /** Typing and presence go to the hub, which tells the other clients (a DM's typing: only its other end). */
  sendLive (frame: TypingFrame | PresenceFrame): boolean {
    const hub = this.transport.hub
    return hub !== undefined && this.transport.send(hub, frame)
  }

  renamed (name: string): void {
    const hub = this.transport.hub
    if (hub !== undefined) this.transport.send(hub, { type: 'hello', name, version: HUB_PROTOCOL_VERSION, seq: this.#lastSeq, app: { version: APP_VERSION, level: FEATURE_LEVEL }, now: Date.now() })
  }

  /** The hub's largest file as its hello said (undefined: it says none), kept for the next run. */
  #rememberLimit (bytes: number | undefined): void {
    const store = this.#store
    if (store === undefined || store.state.serverMaxFileBytes === bytes) return
    if (bytes === undefined) delete store.state.serverMaxFileBytes
    else store.state.serverMaxFileBytes = bytes
    store.changed()
  }

  /** Our hello to a hub; a different hub than last time: its numbers mean nothing next to the old one's. */
  async #hello (hubId: string): Promise<HubFrame> {
    const store = this.#started()
    if (store.state.serverId !== hubId) {
      // Before its first deliver frame: what it numbers is stored under this hub.
      if (store.state.serverId !== undefined) this.#parts.log(`a different hub (${hubId}): its history replaces the one of ${store.state.serverId} (kept apart)`)
      store.switchServer(hubId)
      if (this.#hubMaxFileBytes !== undefined) this.#parts.events.emit({ type: 'server:limit' })
      this.#hubMaxFileBytes = undefined
      this.#lastSeq = store.messages.maxNum(hubId)
      this.#diverged = undefined
    }
    // With the message we hold under our last number: a hub restored from an older backup, then written to up to or past
    // it, has another one there, and sends us its whole history (none held there, one the hub relayed forged: not said).
    const at = this.#lastSeq > 0 ? store.messages.byNum(this.#lastSeq - 1, 1, hubId)[0] : undefined
    const seqId = at?.num === this.#lastSeq ? { seqId: at.message.id } : {}
    return { type: 'hello', name: this.#parts.identity.name, version: HUB_PROTOCOL_VERSION, seq: this.#lastSeq, app: { version: APP_VERSION, level: FEATURE_LEVEL }, now: Date.now(), ...seqId }
  }

  /** The hub said hello: remember it; what is pending goes once its hello is taken in (#resend). */
  #joined (hubId: string): void {
    this.#helloTaken = false
    const store = this.#store
    if (store === undefined) return
    store.state.serverId = hubId
    store.state.serverAddr = this.transport.server?.toString()
    const name = this.transport.nameOf(hubId)
    if (name !== undefined && name !== '') store.state.serverName = name
    else delete store.state.serverName
    store.changed()
  }

  /** What is pending, to the hub whose hello was just taken in, in chain order (it sends what we missed first). */
  #resend (): void {
    const hub = this.transport.hub
    if (hub === undefined) return
    for (const messages of submitFrames([...this.#pending.values()])) this.transport.send(hub, { type: 'submit', messages })
  }

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
      const hub = this.transport.hub
      if (hub === undefined) {
        for (const m of queue) this.#announcePending(m)
        return
      }
      // A link whose hello is not taken in yet: they go with the rest then, after what the hub lost of ours.
      if (!this.#helloTaken) return
      for (const messages of submitFrames(queue)) this.transport.send(hub, { type: 'submit', messages })
      const at = performance.now()
      for (const m of queue) this.#submittedAt.set(m.id, at)
      this.#checkSlowSoon()
    })
  }

  /** Once, HUB_SLOW_MS after the oldest message still waiting was submitted: what the hub has not numbered by then is told pending (`slow`). */
  #checkSlowSoon (): void {
    if (this.#slowTimer !== undefined || this.#submittedAt.size === 0) return
    const oldest = Math.min(...this.#submittedAt.values())
    this.#slowTimer = setTimeout(() => {
      this.#slowTimer = undefined
      const now = performance.now()
      for (const [id, at] of this.#submittedAt) {
        if (now - at < HUB_SLOW_MS) continue
        this.#submittedAt.delete(id)
        const m = this.#pending.get(id)
        if (m !== undefined && this.transport.hub !== undefined) this.#announcePending(m, true)
      }
      this.#checkSlowSoon()
    }, Math.max(0, oldest + HUB_SLOW_MS - performance.now()))
    this.#slowTimer.unref?.()
  }

  /** Tell that `m` waits for the hub: unreachable, or (`slow`) linked and silent for HUB_SLOW_MS. */
  #announcePending (m: ChatMessage, slow = false): void {
    if (this.#announced.has(m.id)) return
    this.#announced.add(m.id)
    this.#parts.events.emit({ type: 'pending', id: m.id, room: m.room, ...(m.action !== undefined ? { action: m.action } : {}), ...(slow ? { slow: true } : {}) })
  }

  async #onFrame (frame: HubFrame): Promise<void> {
    switch (frame.type) {
      case 'hello': {
        // The link's first frame; a hello again on it (a new largest file) says nothing of our chain.
        const first = !this.#helloTaken && this.transport.hub !== undefined
        const lost = frame.seq < this.#lastSeq
        // Or it has as many numbers, or more, but another message under our last: it sends its whole history again.
        const parted = first && !lost && frame.fromStart === true && this.#lastSeq > 0
        // Before what it lost is set aside: ours among it (in our history as we hold it) are taken back.
        if (first) this.#takeBack(frame, lost || parted)
        if (lost) this.#hubLost(frame.seq)
        else if (parted) this.#hubParted()
        this.#caughtUpTo = frame.seq
        if (this.#hubMaxFileBytes !== frame.maxFileBytes) {
          this.#hubMaxFileBytes = frame.maxFileBytes
          // The window's attach check follows it (a file over it is refused before it is staged).
          this.#parts.events.emit({ type: 'server:limit', ...(frame.maxFileBytes !== undefined ? { maxFileBytes: frame.maxFileBytes } : {}) })
        }
        this.#rememberLimit(frame.maxFileBytes)
        this.#hubClockOff = clockOffAt(frame.now, Date.now())
        if (frame.own !== undefined) this.#ownFromHub(frame.own)
        if (frame.maxLamport !== undefined) this.#clockWithin(frame.maxLamport, frame.own?.lamport ?? 0)
        if (first) {
          this.#helloTaken = true
          this.#resend()
        }
        this.#ownChainKnown()
        return
      }
      case 'deliver':
        await this.#onDeliver(frame.items)
        return
      case 'rejected': {
        const m = this.#pending.get(frame.id)
        if (m === undefined) return
        this.#pending.delete(frame.id)
        this.#submittedAt.delete(frame.id)
        const again = this.#store?.cancel(frame.id) === true
        const what = m.sealed !== undefined ? `private message ${m.id.slice(0, 12)}` : `message "${m.text.slice(0, 40)}"`
        // An edit, reaction or pin on a message the hub no longer has (it lost it, restored from an older backup: another's,
        // which only its author can submit again) shows on nothing: not told as a message refused. So is one the hub lost,
        // submitted again (#takeBack; kept set aside), and one written since on a message we hold no more (set aside).
        const gone = m.action !== undefined && (again || !this.isDelivered(m.action.target))
        if (again || gone) this.#parts.historyMoved?.()
        if (gone) {
          this.#parts.log(`the hub refused our ${m.action!.kind} on ${m.action!.target.slice(0, 12)}${again ? ', which it had lost,' : ''} (a message it no longer has?): ${frame.reason}`)
          // Told waiting: hosts counting what waits let it go.
          if (this.#announced.delete(m.id)) this.#parts.events.emit({ type: 'pending:dropped', id: m.id, room: m.room })
          return
        }
        const why = again ? `the hub lost your ${what} (restored from an older backup) and refused it again` : `the hub refused your ${what}`
        // Kept, words and why, to be shown Not sent after a reload or a restart too, until sent again or discarded.
        this.#parts.refused?.(m, `${why}: ${frame.reason}`)
        // With its id: it will never be delivered, so hosts take it from what they list (the window's Saved).
        this.#parts.events.emit({ type: 'error', message: `${why}: ${frame.reason}`, code: 'SequenceError', id: frame.id })
        return
      }
      case 'submit':
        this.#parts.log('the hub sent a submit frame; ignored')
        return
      // The hub says who: a frame it forwards without a peer is not about anyone.
      case 'typing':
        if (frame.peer !== undefined) this.#parts.live.heardTyping(frame.peer, frame.name ?? '', frame)
        return
      case 'presence':
        if (frame.peer === undefined) return
        // Another client's build, as its own hello to the hub said it (told when it joins, or when we do; an older hub does not say).
        if (frame.app !== undefined && frame.peer !== this.#parts.identity.peerId) this.#parts.live.people.heardBuild(frame.peer, frame.app)
        this.#parts.live.heardPresence(frame.peer, frame.name ?? '', frame)
        return
      default:
        frame satisfies never
    }
  }

  /**
   * The hub has fewer numbers than we hold (its data restored from an older backup): it numbers from
   * `seq` on again. Kept as our cursor, every message it numbers up to our old last would be dropped as
   * one we have, our own pending ones too, pending for good. Our messages above `seq` are set aside
   * (it has them no more), and the hub sends its whole history again (hub.ts): what we hold we skip by
   * id, and from the first number under which it has another message than ours, ours are set aside too.
   */
  #hubLost (seq: number): void {
    const moved = this.#setAside(seq)
    if (moved === undefined) return
    this.#parts.log(`the hub has ${seq} messages, we had ${this.#lastSeq}: it lost the rest (restored from an old backup?); the ${moved} it no longer has are set aside, apart`)
    this.#lastSeq = 0
    this.#diverged = seq
  }

  /**
   * The hub has as many numbers as we hold, or more, but another message under our last one (its data restored from an
   * older backup, then written to up to or past where we were): it sends its whole history again (hub.ts). Under our
   * numbers it may hold others' messages than ours: as for #hubLost, what we hold we skip by id, and from the first
   * number under which it has another message, ours are set aside (#findParting); what it has there is taken.
   */
  #hubParted (): void {
    this.#parts.log(`the hub has another message than ours under number ${this.#lastSeq} (restored from an old backup?): its history is taken again, ours set aside from where they part`)
    this.#diverged = this.#lastSeq
    this.#lastSeq = 0
  }

  /**
   * Our own messages the hub lost (its data restored from an older backup): pending again, submitted again with
   * the rest in chain order (#resend), so it numbers them again and every client shows them, where they come now.
   * Its hello says how far it has our chain (`own`; none: none of it): what we hold after that it lost. Ours it
   * numbered we hold in its history, or set aside (#setAside, this run or an earlier one) — unless they are
   * already pending again. When it has fewer numbers than we hold, or another message under our last (`lost`:
   * #hubLost, #hubParted), both; else only what was set aside (one a hub still has holds the number it gave). An
   * older hub that does not say `own` (no maxLamport either): when it lost numbers, all of ours it numbered are
   * submitted again — it has some of them, and answers those with their numbers, as any resend. The others' lost
   * messages stay set aside: only their authors can sign them.
   */
  #takeBack (frame: Extract<HubFrame, { type: 'hello' }>, lost: boolean): void {
    const store = this.#store
    const told = frame.own !== undefined || frame.maxLamport !== undefined
    if (store === undefined || (!lost && !told)) return
    let back: ChatMessage[]
    try {
      back = store.takeBack(this.#parts.identity.peerId, frame.own?.seq ?? 0, lost)
    } catch (err) {
      this.#parts.events.emit({ type: 'error', message: (err as Error).message, code: 'StoreError' })
      return
    }
    if (back.length === 0) return
    this.#parts.historyMoved?.()
    this.#parts.log(`the hub lost ${back.length} of our own messages (restored from an old backup?): they are submitted again`)
    // In chain order, before what we wrote after them (pending already): the hub refuses one that comes after a later one.
    const all = [...this.#pending.values(), ...back].sort((a, b) => a.seq - b.seq)
    this.#pending.clear()
    for (const m of all) {
      this.#pending.set(m.id, m)
      this.#parts.rooms.note(m.room)
    }
    // Shown numbered until now: they wait for the hub again (a hub that holds them up leaves them so for as long). Not an
    // edit, reaction or pin: no row shows it, and its number is told as a change of its message, which a window's count
    // of what waits would not take it out of (one the hub refuses again, quietly, neither).
    for (const m of back) if (m.action === undefined) this.#announcePending(m)
  }

  /**
   * Where the hub's history, sent again, parts from ours (a number under which it has another message, or one we hold
   * under another number): ours are set aside from there. The second: where we hold none (our own, taken back), it may
   * have another's it lost, submitted again since, which we hold further on: taken as held, it would be set aside
   * once a later delivery showed the parting, and never shown.
   */
  #findParting (items: readonly SequencedMessage[]): void {
    const store = this.#store
    const upTo = this.#diverged
    if (store === undefined || upTo === undefined) return
    for (const item of items) {
      if (item.seq > upTo) { this.#diverged = undefined; return }
      const ours = store.messages.byNum(item.seq - 1, 1, store.hub)[0]
      if (ours?.num === item.seq ? ours.message.id === item.message.id : (store.messages.get(item.message.id, store.hub)?.num ?? item.seq) === item.seq) continue
      const moved = this.#setAside(item.seq - 1)
      this.#parts.log(`the hub's history parts from ours at number ${item.seq}: our ${moved ?? 0} from there on are set aside, apart`)
      this.#diverged = undefined
      return
    }
  }

  /** Our messages of the current hub numbered above `seq` set aside; how many (undefined: the store failed, and said so). */
  #setAside (seq: number): number | undefined {
    try {
      const moved = this.#store?.setAsideAbove(seq) ?? 0
      if (moved > 0) this.#parts.historyMoved?.()
      return moved
    } catch (err) {
      this.#parts.events.emit({ type: 'error', message: (err as Error).message, code: 'StoreError' })
      return undefined
    }
  }

  /**
   * Our clock runs further ahead of everything this hub numbered (`hubMax`) than it takes a jump
   * (MAX_CLOCK_JUMP): it counted another hub's history, a busy one's over months, or one a hostile
   * client there pushed up. The hub would refuse every message we stamp with it, for good: the clock
   * starts again from the hub's newest time (and after our own newest there, `own`, and our pending ones it takes). Lamport times
   * here order this hub's history only, which nothing we counted elsewhere is the causal past of;
   * back on the other hub, its messages raise the clock again, and its hello our own newest there.
   */
  #clockWithin (hubMax: number, own: number): void {
    const clock = this.#parts.clock
    // Half a jump of margin: the others' messages raise the hub's newest meanwhile, never lower it.
    if (clock.time <= hubMax + MAX_CLOCK_JUMP / 2) return
    // Nor below our own pending messages the hub takes (within a jump of its newest; it numbers them as this hello
    // is read): the next one we write, after them in our chain, must run past them, or the hub refuses it.
    let from = Math.max(hubMax, own)
    for (const m of this.#pending.values()) if (m.lamport <= hubMax + MAX_CLOCK_JUMP && m.lamport > from) from = m.lamport
    if (from >= clock.time) return
    this.#parts.log(`our Lamport clock (${clock.time}) runs far ahead of this hub's newest (${hubMax}): it goes on from ${from}, or the hub would refuse what we send`)
    clock.restart(from)
    if (this.#store !== undefined) {
      this.#store.state.clock = clock.time
      this.#store.changed()
    }
  }

  /**
   * The hub accepted our own chain further than our store says (this data
   * directory was restored from a backup, or copied): go on after the hub's
   * newest, so our next message does not reuse a number the hub refuses.
   */
  #ownFromHub (own: OwnChain): void {
    const store = this.#store
    if (store === undefined || own.seq <= store.state.chainSeq) return
    this.#parts.log(`the hub has our own messages up to ${own.seq}, this directory only up to ${store.state.chainSeq} (restored from a backup?): going on after ${own.seq}`)
    store.state.chainSeq = own.seq
    store.state.chainId = own.head
    this.#parts.clock.advanceTo(own.lamport)
    store.state.clock = this.#parts.clock.time
    store.changed()
  }

  async #onDeliver (items: SequencedMessage[]): Promise<void> {
    if (this.#diverged !== undefined) this.#findParting(items)
    const fresh = items.filter(i => i.seq > this.#lastSeq && !this.isDelivered(i.message.id))
    // What we hold already (the history a restored hub sends again, #hubLost) moves our cursor on too: kept
    // at 0, every return to the hub until someone writes would have it send its whole history once more.
    const held = (): void => { for (const item of items) if (this.isDelivered(item.message.id)) this.#lastSeq = Math.max(this.#lastSeq, item.seq) }
    if (fresh.length === 0) { held(); return }
    const { ok, bad, unverified } = await verifyMessages(fresh.map(i => i.message))
    for (const b of bad) this.#parts.log(`the hub relayed a forged message ${b.message.id.slice(0, 12)}: ${b.reason}`)
    // A tombstone (a message its author deleted, without its words) is taken on the hub's word: it cannot be signed.
    const tombstones = unverified.filter(u => u.redacted === true)
    for (const u of unverified) if (u.redacted !== true) this.#parts.log(`the hub relayed an unsigned message ${u.id.slice(0, 12)} without its signed successor; dropped`)
    const good = new Set([...ok, ...tombstones].map(m => m.id))
    const store = this.#store
    const seen = new Set<string>()
    const shown = fresh.filter(i => good.has(i.message.id) && !seen.has(i.message.id) && seen.add(i.message.id)).map(i => this.#onOurClock(i))
    const now = Date.now()
    const via = this.transport.hub ?? ''
    if (store !== undefined && shown.length > 0) {
      // Committed (one transaction for the frame) before anything is shown.
      try {
        store.addDelivered(shown, now, via)
      } catch (err) {
        this.#parts.events.emit({ type: 'error', message: (err as Error).message, code: 'StoreError' })
        return
      }
    }
    for (const item of fresh) this.#lastSeq = Math.max(this.#lastSeq, item.seq)
    held()
    for (const item of shown) this.#show(item, now, via)
  }

  /**
   * How far `item`'s author's clock runs behind ours (ms; negative: ahead): behind the hub's as the
   * hub saw it when the author submitted it (its hello), plus the hub's behind ours (the hub's hello).
   * Its time is shown on our clock (writtenAt), never after it came; `sentAt` stays as signed.
   */
  #onOurClock (item: SequencedMessage): SequencedMessage {
    const { clockOff: _off, ...rest } = item
    if (item.message.author === this.#parts.identity.peerId) return rest
    const off = (item.clockOff ?? 0) + this.#hubClockOff
    return off !== 0 ? { ...rest, clockOff: off } : rest
  }

  /** Announce a committed, numbered message. */
  #show (item: SequencedMessage, now: number, via: string): void {
    const m = item.message
    this.#submittedAt.delete(m.id)
    if (this.#pending.delete(m.id)) {
      this.#announced.delete(m.id)
      if (m.author === this.#parts.identity.peerId) this.#parts.counters.sent++
    }
    this.#parts.rooms.note(m.room)
    this.#parts.clock.receive(m.lamport)
    if (m.author !== this.#parts.identity.peerId) this.#parts.counters.delivered(1, m.sentAt, now, item.seq <= this.#caughtUpTo)
    if (this.#store !== undefined) {
      this.#store.state.clock = this.#parts.clock.time
      this.#store.changed()
    }
    this.#parts.events.emit({ type: 'message', ...messageView(m, { seq: item.seq, deliveredAt: now, via, hops: 1, ...(item.clockOff !== undefined ? { clockOff: item.clockOff } : {}) }) })
  }
}

function storedView (s: StoredMessage): MessageView {
  return messageView(s.message, { ...(s.num !== undefined ? { seq: s.num } : {}), deliveredAt: s.deliveredAt ?? 0, via: s.via ?? '', hops: s.hops ?? 0, ...(s.clockOff !== undefined ? { clockOff: s.clockOff } : {}) })
}

/** A blocked peer's name: the one it last wrote under to this hub, else the one peer to peer mode knew it by. */
function nameOf (store: ClientStore, peerId: string): string {
  return store.messages.lastBy(peerId)?.name ?? store.knownName(peerId) ?? ''
}

/** About this many bytes of messages in one submit frame (a frame is at most 1 MiB): a run that would pass it starts the next. */
export const SUBMIT_BYTES = 256 * 1024

/**
 * Own messages cut into submit frames: at most MAX_SUBMIT_PER_FRAME and about SUBMIT_BYTES each,
 * each message counted by wireBytes (sealed text, thumbnail, every field), and only after a signed
 * message: the hub takes an unsigned one only with the signed successor that vouches for it in
 * the same frame (an outbox run, itself within a frame), and drops a client that sends one alone.
 */
export function submitFrames (messages: readonly ChatMessage[]): ChatMessage[][] {
  const frames: ChatMessage[][] = []
  let frame: ChatMessage[] = []
  let bytes = 0
  let run: ChatMessage[] = []
  let runBytes = 0
  const take = (): void => {
    if (frame.length > 0 && (frame.length + run.length > MAX_SUBMIT_PER_FRAME || bytes + runBytes > SUBMIT_BYTES)) {
      frames.push(frame)
      frame = []
      bytes = 0
    }
    frame.push(...run)
    bytes += runBytes
    run = []
    runBytes = 0
  }
  for (const m of messages) {
    run.push(m)
    runBytes += wireBytes(m)
    if (m.sig.byteLength > 0) take()
  }
  if (run.length > 0) take()
  if (frame.length > 0) frames.push(frame)
  return frames
}
