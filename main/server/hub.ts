import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { normalizeName, normalizeRoom } from '../core/message.js'
import { PeerBuckets, TokenBucket, untilAborted } from '../net/rate.js'
import { verifyMessages } from '../chat/verify.js'
import { Counters, wireFigures, type EngineStats } from '../chat/stats.js'
import type { ChatEventOf, FileStorage, MessageView, Page, PeerView } from '../chat/types.js'
import { diskSpace, figureOf } from '../store/blobs.js'
import { DEFAULT_MAX_FILE_BYTES } from '../core/file.js'
import { messageView as fullView } from '../chat/views.js'
import { EditBook, fillPage } from '../chat/edit-book.js'
import { Listeners } from '../chat/listeners.js'
import { DELIVER_BATCH, DELIVER_BATCH_BYTES, APP_VERSION, FEATURE_LEVEL, HUB_PROTOCOL_VERSION, HUB_RATE_BURST, HUB_RATE_PER_SECOND } from '../net/constants.js'
import { HubEndpoint } from '../net/hub-endpoint.js'
import type { HubFrame, SequencedMessage } from '../net/hub-codec.js'
import { announceNow, createNode, type LanNode } from '../net/node.js'
import { connectionView } from '../net/socket.js'
import { dropLinksFrom, listenAddrs, watchOwnAddrs } from '../net/own-addrs.js'
import { SequenceError } from './errors.js'
import { DataDirLock } from '../store/lock.js'
import { HubFiles } from './hub-files.js'
import { HubStore } from './hub-store.js'
import { HubLive } from './hub-live.js'
import { Sequencer } from './sequencer.js'
import { forgetDeleted } from './hub-deletes.js'
import { libp2pLog } from '../net/log.js'
import { BuildNotices } from '../chat/builds.js'
import { clockOffAt } from '../chat/live.js'
import { peerBuild } from '../core/build.js'

/** Numbered messages the hub keeps in memory once committed (relays to clients that keep up read them there). */
const RECENT_KEPT = 2048
/** Numbered messages whose files the hub checks for at start (to fetch what a restart interrupted). */
const FILES_RECHECKED = 10_000
/** A commit that failed (a write error, a full disk) is tried again after this long, doubling up to COMMIT_RETRY_MAX_MS. */
const COMMIT_RETRY_MS = 1000
const COMMIT_RETRY_MAX_MS = 30_000
/**
 * Numbered messages not yet committed, at most: past it (its writes failing for long, a full disk) the hub
 * reads no more submits until its log catches up, rather than hold every message sent meanwhile in memory.
 * They wait at their senders, pending, and their links push back on them alone.
 */
const MAX_UNCOMMITTED = 5_000

export interface HubOptions {
  dataDir: string
  name?: string
  /** Default: the port of the last run on all interfaces, else a free one. */
  listen?: string[]
  /** Announce the hub by mDNS (default true). */
  mdns?: boolean
  /** Only clients with this network key can connect (node.ts). */
  networkKey?: string
  ratePerSecond?: number
  rateBurst?: number
  log?: (line: string) => void
  /** Largest file the hub stores for its clients (default 2 GiB). */
  maxFileBytes?: number
  /** At most this many bytes of files kept (default: no limit): past it the hub drops the ones used longest ago and fetches one again when a client asks for it. */
  keepFilesBytes?: number
  /** Numbered messages, the newest, whose files are checked at start and when the largest file is raised (default FILES_RECHECKED); older ones' are fetched when a client asks. */
  filesRechecked?: number
  /** Numbered messages not yet committed at most, before submits wait (default MAX_UNCOMMITTED); tests set it. */
  maxUncommitted?: number
}

export type HubEvent = ChatEventOf<'ready' | 'addresses' | 'peer:connect' | 'peer:disconnect' | 'message' | 'error'>

interface Client {
  peerId: string
  name: string
  /** Highest seq handed to this client's link. */
  cursor: number
  pumping: boolean
  /** Frames are handled one at a time, in order: an author's messages must be numbered in the order sent. */
  queue: Promise<void>
  /** How far its clock runs behind ours (ms; negative: ahead), as its hello showed; 0 within the slack or not said. */
  clockOff: number
}

/**
 * The client-server hub: accepts one hub link per client, gives every
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
  /** Whom this run was told runs another build (once a client). */
  readonly #builds = new BuildNotices()
  #seq = new Sequencer()
  readonly #clients = new Map<string, Client>()
  /** Clients whose new link has not said hello yet. */
  readonly #fresh = new Set<string>()
  /**
   * Clients our hello (the reply to theirs) told that we send our whole history again (#sendsAllTo), until they join
   * (at once: the same turn of the event loop). Kept apart from what they said, so that the two always agree.
   */
  readonly #fromStart = new Set<string>()
  readonly #buckets = new PeerBuckets(() => new TokenBucket(this.#opts.ratePerSecond ?? HUB_RATE_PER_SECOND, this.#opts.rateBurst ?? HUB_RATE_BURST), b => b.fullIn())
  readonly #counters = new Counters()
  /** Highest seq whose record is in the log: only durable messages are relayed. */
  #durable = 0
  /** The commit tried again after one failed: what failed is held, and every number after it, until one succeeds. */
  #commitRetry: NodeJS.Timeout | undefined
  #commitRetryMs = COMMIT_RETRY_MS
  /** A commit failed and none succeeded since: told once, not at every message or retry. */
  #writeFailing = false
  /** Submits waiting for the log to catch up (MAX_UNCOMMITTED): woken at each commit. */
  #backlogWaiters: Array<() => void> = []
  /** Wakes throttled readers on stop, so no timer outlives the hub; a new one at each start (a stopped hub may start again). */
  #abort = new AbortController()
  #rejected = 0
  #store: HubStore | undefined
  #node: LanNode | undefined
  #endpoint: HubEndpoint | undefined
  #peerId = ''
  #name = ''
  #lock: DataDirLock | undefined
  #files: HubFiles | undefined
  /** Stops looking again now and then at where the hub listens (own-addrs.ts): a server laptop that changed networks. */
  #unwatchAddrs: (() => void) | undefined
  /** Typing and presence: forwarded between clients, never stored. */
  readonly #live = new HubLive({ send: (to, f) => { this.#endpoint?.send(to, f) }, clients: () => [...this.#clients.keys()] })

  constructor (opts: HubOptions) {
    this.#opts = { ...opts }
    // Without a log of the host's, diagnostics go to libp2p's logger: DEBUG=lanchat*,libp2p* shows ours and the stack's in one stream.
    this.#log = opts.log ?? libp2pLog('lanchat:hub')
    this.#listeners = new Listeners(this.#log)
  }

  get peerId (): string { return this.#peerId }
  get name (): string { return this.#name }
  get lastSeq (): number { return this.#seq.lastSeq }

  on (listener: (e: HubEvent) => void): () => void {
    return this.#listeners.on(listener)
  }

  /** Starts listening; a start that fails (a taken port) lets go of all it took, the data directory's lock too. */
  async start (): Promise<void> {
    try {
      await this.#start()
    } catch (err) {
      await this.stop().catch(() => {})
      throw err
    }
  }

  async #start (): Promise<void> {
    this.#abort = new AbortController()
    this.#lock = DataDirLock.acquire(this.#opts.dataDir, 'lanchat server')
    const store = await HubStore.open(this.#opts.dataDir, this.#log)
    this.#store = store
    // Only each author's newest message comes into memory: the numbered history stays in the database.
    this.#seq = new Sequencer(store.index())
    this.#durable = this.#seq.lastSeq
    this.#peerId = peerIdFromPrivateKey(store.key).toString()
    this.#name = normalizeName(this.#opts.name ?? store.state.name ?? `hub-${this.#peerId.slice(-6)}`)
    const node = await this.#listen(store)
    this.#node = node
    const files = new HubFiles(this.#opts.dataDir, {
      ...(this.#opts.maxFileBytes !== undefined ? { maxFileBytes: this.#opts.maxFileBytes } : {}),
      ...(this.#opts.keepFilesBytes !== undefined ? { keepBytes: this.#opts.keepFilesBytes } : {}),
      files: () => this.#node?.services.files,
      clients: () => [...this.#clients.keys()],
      sharing: sha256 => store.messages.sharing(sha256)?.message,
      log: this.#log
    })
    this.#files = files
    await files.load()
    node.services.files.serve(files)
    // Files of messages numbered before a restart that were not fetched yet: the newest ones (the history stays on disk).
    this.#recheckFiles()
    const endpoint = new HubEndpoint(node, {
      hello: (peerId, theirs) => {
        // The client's own chain as far as we accepted it: a client restored from a backup goes on after it.
        const own = this.#seq.lastOf(peerId)
        const fromStart = theirs.type === 'hello' && this.#sendsAllTo(theirs)
        if (fromStart) this.#fromStart.add(peerId)
        else this.#fromStart.delete(peerId)
        // Our largest file too: a client refuses to share a bigger one rather than share what nobody can download through us.
        return { type: 'hello', name: this.#name, version: HUB_PROTOCOL_VERSION, app: { version: APP_VERSION, level: FEATURE_LEVEL }, seq: this.#durable, maxFileBytes: files.maxFileBytes, ...(own !== undefined ? { own } : {}), now: Date.now(), maxLamport: this.#seq.maxLamport, ...(fromStart ? { fromStart: true } : {}) }
      },
      pace: async (peerId, frame) => { await this.#pace(peerId, frame) }
    })
    endpoint.addEventListener('peer:connect', ({ detail }) => {
      this.#fresh.add(detail.peerId)
      // With its build: whoever runs the hub is told once of a client on an older (or newer) LAN Chat.
      this.#listeners.emit(this.#builds.connected(detail))
    })
    endpoint.addEventListener('peer:disconnect', ({ detail }) => {
      this.#clients.delete(detail.peerId)
      this.#fresh.delete(detail.peerId)
      // Its rate budget is kept until it has refilled: coming back at once does not refill it.
      this.#buckets.left(detail.peerId)
      this.#live.left(detail.peerId)
      this.#listeners.emit({ type: 'peer:disconnect', peerId: detail.peerId })
    })
    endpoint.addEventListener('peer:misbehaved', ({ detail }) => { this.#log(`client ${detail.peerId}: ${detail.reason}`) })
    endpoint.addEventListener('frame', ({ detail }) => { this.#enqueue(detail.peerId, detail.frame) })
    this.#endpoint = endpoint
    await endpoint.start()
    const port = node.getMultiaddrs()[0]?.getComponents().find(c => c.name === 'tcp')?.value
    store.state = { name: this.#name, ...(port !== undefined ? { port: Number(port) } : {}) }
    store.saveState()
    this.#listeners.emit({ type: 'ready', peerId: this.#peerId, name: this.#name, mode: 'server', addrs: this.addrs() })
    // The server's computer changed networks (Wi-Fi to Ethernet, a new DHCP lease): its links from an address
    // it no longer has are dead, and each client waits for the pings to run out (most of a minute) unless it
    // hears the hub is elsewhere. The links are dropped, the new addresses said, and by mDNS at once: a client
    // that hears its hub at a new address while its link is silent dials it there (hub-link.ts).
    this.#unwatchAddrs = watchOwnAddrs(() => listenAddrs(this.addrs()), ({ addrs, lost }) => {
      const node = this.#node
      if (node === undefined) return
      const gone = dropLinksFrom(node.getConnections())
      if (gone.length > 0) this.#log(`dropped the client links from ${gone.join(', ')}: this computer no longer has that address`)
      this.#listeners.emit({ type: 'addresses', addrs, ...(lost.length > 0 ? { lost } : {}) })
      if (addrs.length > 0) announceNow(node)
    })
  }

  /** Listen where asked; by default on last run's port so clients' saved address still works. */
  async #listen (store: HubStore): Promise<LanNode> {
    const make = async (listen: string[]): Promise<LanNode> => {
      const { networkKey } = this.#opts
      const node = await createNode({ role: 'hub', privateKey: store.key, listen, mdns: this.#opts.mdns ?? true, ...(networkKey !== undefined ? { networkKey } : {}) })
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

  /** The files of the newest FILES_RECHECKED numbered messages the hub lacks (and did not drop), within its largest file now: fetched. */
  #recheckFiles (): void {
    const files = this.#files
    const store = this.#store
    if (files === undefined || store === undefined) return
    const n = this.#opts.filesRechecked ?? FILES_RECHECKED
    for (const s of store.messages.byNum(Math.max(0, this.#durable - n), n)) files.note(s.message)
  }

  /** Whether the hub holds all of file `sha256` (it then serves it to every client). */
  hasFile (sha256: string): boolean { return this.#files?.has(sha256) ?? false }

  /**
   * What the hub keeps of files: every one its clients shared (others', as a
   * peer counts them: the hub shares none of its own) and what it is still
   * fetching. Only the limit (`keepFilesBytes`) or a disk short of room lets some go (to be
   * fetched again when asked for): the hub is where its clients get them.
   */
  async fileStorage (): Promise<FileStorage> {
    const { complete, partial } = await (this.#files?.blobs.inventory() ?? Promise.resolve({ complete: [], partial: [] }))
    const keepBytes = this.keepFilesBytes
    const disk = this.#files === undefined ? undefined : await diskSpace(this.#files.blobs.dir)
    return {
      shared: { files: 0, bytes: 0 },
      others: figureOf(complete),
      partial: figureOf(partial),
      ...(keepBytes !== Infinity ? { keepBytes } : {}),
      waiting: this.#files?.waiting() ?? { files: 0, bytes: 0 },
      maxFileBytes: this.#files?.maxFileBytes ?? this.#opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      ...(disk !== undefined ? { disk } : {})
    }
  }

  /** The most bytes of files kept (Infinity: no limit). */
  get keepFilesBytes (): number { return this.#opts.keepFilesBytes ?? Infinity }

  /** At most this many bytes of files kept from now on (Infinity: no limit); lowered, the ones used longest ago are dropped at once. */
  setKeepFilesBytes (bytes: number): void {
    this.#opts.keepFilesBytes = bytes
    if (this.#files !== undefined) this.#files.keepBytes = bytes
  }

  /** The largest file stored for clients from now on (a file already stored stays); bytes. */
  setMaxFileBytes (bytes: number): void {
    const before = this.#files?.maxFileBytes ?? this.#opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES
    const changed = bytes !== (this.#files?.maxFileBytes ?? this.#opts.maxFileBytes)
    this.#opts.maxFileBytes = bytes
    if (this.#files !== undefined) this.#files.maxFileBytes = bytes
    // Raised: the files it refused for their size (the newest messages') are fetched from their sharers now, as at a start.
    if (bytes > before) this.#recheckFiles()
    // The clients linked now heard the old limit in our hello: a hello again tells them the new one (an older client takes nothing new from it).
    if (!changed) return
    for (const peerId of this.#clients.keys()) {
      this.#endpoint?.send(peerId, { type: 'hello', name: this.#name, version: HUB_PROTOCOL_VERSION, app: { version: APP_VERSION, level: FEATURE_LEVEL }, seq: this.#durable, maxFileBytes: bytes, now: Date.now(), maxLamport: this.#seq.maxLamport })
    }
  }

  async stop (): Promise<void> {
    this.#abort.abort()
    this.#backlogWaiters = []
    clearTimeout(this.#commitRetry)
    this.#commitRetry = undefined
    this.#commitRetryMs = COMMIT_RETRY_MS
    this.#writeFailing = false
    this.#unwatchAddrs?.()
    this.#unwatchAddrs = undefined
    await this.#files?.stop()
    this.#files = undefined
    await this.#endpoint?.stop()
    this.#endpoint = undefined
    const node = this.#node
    this.#node = undefined
    await node?.stop()
    this.#clients.clear()
    this.#fromStart.clear()
    try {
      this.#store?.close()
    } catch (err) {
      // Never relayed, so their senders still hold them pending and send them again to the next hub.
      this.#log(`could not write the last numbered messages at the stop: ${(err as Error).message}`)
    } finally {
      this.#store = undefined
      // The directory let go whatever the disk did: a hub started again on it (the app's switch) is not locked out.
      this.#lock?.release()
      this.#lock = undefined
    }
    // As the engine: libp2p's leftover timers must not keep the history alive; start() reloads it.
    this.#seq = new Sequencer()
    this.#durable = 0
  }

  addrs (): string[] {
    return this.#node?.getMultiaddrs().map(a => a.toString()) ?? []
  }

  /**
   * A room's messages in server order (a page: the newest by default), read from the database, as
   * every client shows them: an edit, a delete or a reaction is applied to its message, not listed
   * as a line of its own (the console prints each as it is numbered). A private room's are sealed:
   * the hub cannot tell them from its messages, so they stay lines, without text.
   */
  history (room: string, page?: Page): MessageView[] {
    const store = this.#store
    if (store === undefined) return []
    const name = normalizeRoom(room)
    // Read-only: the hub blanks a deleted message itself once the delete is numbered (hub-deletes.ts).
    const book = new EditBook(this.peerId, () => ({ message: id => store.messages.get(id)?.message, actionsOn: ids => store.messages.actionsOn(ids), redact: () => {} }), view => view)
    return fillPage(p => {
      const raw = store.messages.page(name, '', true, p).map(s => messageView(s.message, { seq: s.num! }))
      return { raw, shown: book.page(raw) }
    }, page)
  }

  peers (): PeerView[] {
    return [...this.#clients.values()].map(c => ({
      peerId: c.peerId, name: c.name, connected: true, build: peerBuild(this.#endpoint?.appOf(c.peerId), FEATURE_LEVEL),
      connections: (this.#node?.getConnections().filter(conn => conn.remotePeer.toString() === c.peerId) ?? []).slice(0, 1).map(connectionView)
    }))
  }

  stats (): EngineStats & { lastSeq: number, clients: number, droppedClients: number, rejectedMessages: number, messagesInMemory: number } {
    const clients = [...this.#clients.values()]
    return {
      mode: 'server',
      orderedBy: 'server-seq',
      order: 'arrival order at this hub: it numbers each message and every client shows that order',
      connections: clients.flatMap(c => {
        const tuple = this.#endpoint?.tupleOf(c.peerId)
        return tuple === undefined ? [] : [{ peerId: c.peerId, name: c.name, direction: 'inbound' as const, ...tuple }]
      }),
      sent: 0,
      received: this.#counters.received,
      // The hub's fan-out: each message it numbers goes to every other client.
      wire: wireFigures(this.#endpoint?.sentOnWire() ?? { envelopes: 0, bytes: 0 }, this.#counters.received),
      relayed: this.#counters.relayed,
      ...this.#counters.figures(),
      failure: { state: 'ok', summary: `serving ${clients.length} client${clients.length === 1 ? '' : 's'}` },
      lastSeq: this.#seq.lastSeq,
      clients: clients.length,
      droppedClients: this.#endpoint?.dropped ?? 0,
      rejectedMessages: this.#rejected,
      messagesInMemory: this.#seq.recentCount
    }
  }

  // ---- one client ----

  /** The rate limit: messages the hub has not numbered yet cost a token each; a resend is free. */
  async #pace (peerId: string, frame: HubFrame): Promise<void> {
    if (frame.type !== 'submit') return
    const most = this.#opts.maxUncommitted ?? MAX_UNCOMMITTED
    while (this.#seq.lastSeq - this.#durable >= most && !this.#abort.signal.aborted) {
      await untilAborted(new Promise<void>(resolve => { this.#backlogWaiters.push(resolve) }), this.#abort.signal)
    }
    const fresh = frame.messages.filter(m => this.#seq.byId(m.id) === undefined)
    if (await this.#buckets.of(peerId).take(Math.max(1, fresh.length), this.#abort.signal)) {
      this.#log(`client ${peerId} throttled to ${this.#buckets.of(peerId).rate} messages/s`)
    }
  }

  #enqueue (peerId: string, frame: HubFrame): void {
    // The first frame of a new link is its hello (the endpoint saw to that): the client
    // joins, or rejoins where it says it is (a newer link replaces an older one).
    if (frame.type === 'hello' && this.#fresh.delete(peerId)) { this.#join(peerId, frame); return }
    const client = this.#clients.get(peerId)
    if (client === undefined) return
    client.queue = client.queue.then(async () => { await this.#onFrame(client, frame) })
      .catch(err => { this.#log(`client ${peerId}: ${(err as Error).message}`) })
  }

  /**
   * Whether a client that says this hello is sent our whole history again: it holds numbers we lost (our data restored
   * from an older backup), or under its last number it holds another message than we do (restored, then written to up
   * to or past where it was). Where its history and ours part we cannot tell, so it is sent all of ours; it skips what
   * it has by id and sets its own aside from where they differ (hub-order.ts). From its last number on, it would miss
   * what we renumbered. One lookup by number, whatever the client says; an older client does not say its message.
   */
  #sendsAllTo (hello: Extract<HubFrame, { type: 'hello' }>): boolean {
    if (hello.seq > this.#durable) return true
    return hello.seqId !== undefined && this.#seq.bySeq(hello.seq)?.message.id !== hello.seqId
  }

  #join (peerId: string, hello: Extract<HubFrame, { type: 'hello' }>): void {
    // As our hello told it (#sendsAllTo).
    const cursor = this.#fromStart.delete(peerId) || hello.seq > this.#durable ? 0 : hello.seq
    const client: Client = { peerId, name: hello.name, cursor, pumping: false, queue: Promise.resolve(), clockOff: clockOffAt(hello.now, Date.now()) }
    this.#clients.set(peerId, client)
    // Its build as its own hello said it (none: an older build), for the other clients to tag it by.
    this.#live.joined(peerId, hello.name, hello.app ?? { level: 0 })
    void this.#pump(client)
    // A client that joins may hold a file the hub could not fetch yet.
    this.#files?.retry()
  }

  async #onFrame (client: Client, frame: HubFrame): Promise<void> {
    const endpoint = this.#endpoint
    if (endpoint === undefined || this.#clients.get(client.peerId) !== client) return
    switch (frame.type) {
      case 'hello':
        // A hello on a link already joined: the client renamed itself.
        client.name = frame.name
        if (frame.now !== undefined) client.clockOff = clockOffAt(frame.now, Date.now())
        this.#live.renamed(client.peerId, frame.name)
        return
      case 'deliver':
      case 'rejected':
        endpoint.drop(client.peerId, `a client may not send ${frame.type} frames`)
        return
      case 'submit': {
        const foreign = frame.messages.find(m => m.author !== client.peerId)
        if (foreign !== undefined) { endpoint.drop(client.peerId, `submitted a message by ${foreign.author}`); return }
        const { ok, bad, unverified } = await verifyMessages(frame.messages)
        if (bad.length > 0) { endpoint.drop(client.peerId, `forged message: ${bad[0]!.reason}`); return }
        // A client signs every message it submits: an unsigned one is not vouched for by anything here.
        if (unverified.length > 0) { endpoint.drop(client.peerId, 'unsigned message without its signed successor'); return }
        for (const m of ok) this.#admit(client, m)
        return
      }
      case 'typing':
      case 'presence':
        this.#live.frame(client.peerId, frame)
        return
      default:
        frame satisfies never
    }
  }

  #admit (client: Client, m: Parameters<Sequencer['admit']>[0]): void {
    let admitted
    try {
      admitted = this.#seq.admit(m)
    } catch (err) {
      if (!(err instanceof SequenceError)) throw err
      this.#rejected++
      this.#log(`refused ${m.id.slice(0, 12)} from ${client.peerId}: ${err.message}`)
      this.#endpoint?.send(client.peerId, { type: 'rejected', id: m.id, reason: err.message })
      return
    }
    const { item, isNew } = admitted
    // Its author's clock as its hello showed it, for clients to show its time on theirs (sentAt stays as signed).
    if (isNew && client.clockOff !== 0) item.clockOff = client.clockOff
    if (!isNew) {
      // A resend after an outage: the client may have missed the first relay.
      if (item.seq <= this.#durable && item.seq <= client.cursor) this.#endpoint?.send(client.peerId, { type: 'deliver', items: [item] })
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
      this.#commitFailed(err as Error)
      return
    }
    this.#committed(item.seq)
  }

  /**
   * A commit failed: what it held stays queued, first in the next one. That one is not left to the next
   * message numbered (on a quiet hub there may be none for hours, every client's own message shown pending
   * meanwhile, and a resend commits nothing): it is tried again soon, then less often.
   */
  #commitFailed (err: Error): void {
    if (!this.#writeFailing) this.#listeners.emit({ type: 'error', message: `hub database write failed: ${err.message}` })
    else if (this.#commitRetry === undefined) this.#log(`hub database write failed again: ${err.message}`)
    this.#writeFailing = true
    if (this.#commitRetry !== undefined || this.#store === undefined) return
    this.#commitRetry = setTimeout(() => {
      this.#commitRetry = undefined
      void this.#retryCommit()
    }, this.#commitRetryMs)
    this.#commitRetryMs = Math.min(COMMIT_RETRY_MAX_MS, this.#commitRetryMs * 2)
  }

  async #retryCommit (): Promise<void> {
    const store = this.#store
    if (store === undefined) return
    // Everything numbered so far is queued in the store or committed: the flush commits it all, in order.
    const upTo = this.#seq.lastSeq
    try {
      await store.flush()
    } catch (err) {
      if (this.#store === store) this.#commitFailed(err as Error)
      return
    }
    if (this.#store === store) this.#committed(upTo)
  }

  /** Every number up to `seq` is committed: relay what that makes durable. */
  #committed (seq: number): void {
    if (this.#writeFailing) {
      this.#writeFailing = false
      this.#log('hub database writes again: the messages held meanwhile are relayed')
    }
    clearTimeout(this.#commitRetry)
    this.#commitRetry = undefined
    this.#commitRetryMs = COMMIT_RETRY_MS
    // The log writes in order, so every earlier number is durable too.
    if (seq <= this.#durable) return
    const from = this.#durable
    this.#durable = seq
    for (const wake of this.#backlogWaiters.splice(0)) wake()
    for (let s = from + 1; s <= this.#durable; s++) {
      const it = this.#seq.bySeq(s)!
      this.#listeners.emit({ type: 'message', ...messageView(it.message, { seq: it.seq, deliveredAt: Date.now(), via: it.message.author, hops: 0, ...(it.clockOff !== undefined ? { clockOff: it.clockOff } : {}) }) })
      this.#files?.note(it.message)
      const store = this.#store!
      const file = forgetDeleted(store.messages, id => this.#seq.byId(id)?.message, it.message)
      if (file !== undefined) void this.#files?.withdraw(file.sha256, () => store.db.sharesFile(file.sha256)).catch((err: unknown) => { this.#log(`could not remove a deleted message's file: ${(err as Error).message}`) })
    }
    this.#seq.trim(this.#durable, RECENT_KEPT)
    for (const c of this.#clients.values()) void this.#pump(c)
  }

  /** Send a client everything after its cursor, in order, one batch per drain. */
  async #pump (client: Client): Promise<void> {
    if (client.pumping) return
    client.pumping = true
    try {
      while (client.cursor < this.#durable && this.#clients.get(client.peerId) === client) {
        const items = this.#seq.after(client.cursor, DELIVER_BATCH, DELIVER_BATCH_BYTES, this.#durable)
        if (items.length === 0 || this.#endpoint?.send(client.peerId, { type: 'deliver', items }) !== true) break
        client.cursor = items[items.length - 1]!.seq
        this.#counters.relayed += items.length
        await this.#endpoint.drain(client.peerId)
      }
    } catch (err) {
      this.#log(`relay to ${client.peerId} failed: ${(err as Error).message}`)
    } finally {
      client.pumping = false
    }
  }
}

/**
 * What the hub shows of a message: a private one stays sealed (the hub has
 * no key), so its view says `private` with no text and no ciphertext.
 */
function messageView (...args: Parameters<typeof fullView>): MessageView {
  const { sealed, ...view } = fullView(...args)
  return sealed === undefined ? view : { ...view, private: true }
}
