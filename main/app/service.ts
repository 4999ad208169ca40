/**
 * ChatApp: what the IPC handlers drive, shared by the Electron main process
 * and the UI test host. It owns the engine's life (start once a name exists,
 * restart when the port or discovery changes, switch architecture live, stop
 * on quit), the hub it may host, and the app's settings; all chat logic stays
 * in the engine.
 */
import type { RetryTimes } from '../net/overlay.js'
import type { Engine, EngineOptions as ChatEngineOptions } from '../chat/engine.js'
import type { EngineEvent, FileStorage, Page, SearchHit, StorageFigure } from '../chat/types.js'
import { DEFAULT_KEEP_OTHERS_GB, DEFAULT_MAX_FILE_MB } from '../../preload/contract.js'
import type { AppEvent, AppFileStorage, DemoState, DirectView, EngineStatus, ErrorInfo, MessageView, PeerView, Settings, Snapshot } from '../../preload/contract.js'
import { dialAddress, toMultiaddr } from './address.js'
import { parseNetworkKey } from '../net/network-key.js'
import { EngineNotReadyError, ForbiddenRequestError, toErrorInfo, toStartError } from './errors.js'
import { AppFiles } from './app-files.js'
import { StagedFiles } from './staged.js'
import { HubHost, serverKeepFilesBytes } from './hub-host.js'
import { NetworkViews } from './observe.js'
import { DEFAULT_SETTINGS, SettingsStore } from './settings.js'
import { Listeners } from '../chat/listeners.js'
import { RoomList } from './rooms.js'
import { DEMO_ROOM } from './demo.js'
import { withJoined } from './room-state.js'
import { normalizeRoom } from '../core/message.js'
import { fingerprint } from '../chat/views.js'
import { spellcheckDownloads } from '../desktop/spellcheck.js'
import { DEFAULT_ROOM, DM_ROOM_PREFIX, PRIVATE_ROOM_PREFIX } from '../core/limits.js'

/** A room everyone may read (listed under rooms), not a DM's or an invite-only room's. */
const isPublicRoom = (room: string): boolean => !room.startsWith(DM_ROOM_PREFIX) && !room.startsWith(PRIVATE_ROOM_PREFIX)

export type EngineOptions = ChatEngineOptions

/** The app drives one Engine; Settings can change its architecture without a restart. */
export type EngineFactory = (options: EngineOptions) => Promise<Engine>

export interface ChatAppOptions {
  /** The profile's data dir: the engine's files and the app settings live here. */
  dataDir: string
  createEngine: EngineFactory
  /** Interface to listen on; the test host uses 127.0.0.1. */
  listenHost?: string
  /** False where mDNS must stay off whatever the setting says (tests on a shared machine). */
  mdnsAvailable?: boolean
  /** Settings used when the data dir has none yet. */
  defaults?: Partial<Settings>
  /** Shown in the window title so two profiles' windows can be told apart. */
  profile?: string
  /** Addresses to dial once the engine runs. */
  dial?: string[]
  /** Where downloads go (default: the Downloads folder in the home directory). */
  downloadsDir?: string
  /** How long a download waits with nobody serving it before it stops, ms (default 30 s; the test host shortens it). */
  stallMs?: number
  /** The backoff of redials of a peer that is down (net/overlay.ts; defaults RECONNECT_*): the test host lengthens it. */
  redialRetry?: Partial<RetryTimes>
}

/** Settings' "largest file", in bytes. */
const maxFileBytes = (s: Settings): number => (s.maxFileMB ?? DEFAULT_MAX_FILE_MB) * 2 ** 20
const keepOthersBytes = (s: Settings): number => (s.keepOthersGB ?? DEFAULT_KEEP_OTHERS_GB) * 2 ** 30

export class ChatApp {
  readonly #options: ChatAppOptions
  readonly #store: SettingsStore
  readonly #listeners = new Listeners<AppEvent>()
  readonly #warnings: ErrorInfo[] = []
  /** Why the running engine cannot write (a full disk) while it cannot: for a window that opens meanwhile. */
  #writesPaused: string | null = null
  #settings: Settings = { ...DEFAULT_SETTINGS }
  #status: EngineStatus = { state: 'setup' }
  #engine: Engine | undefined
  // The server hosted here moved with its computer: the status bar and Settings show where clients reach it now.
  readonly #hub = new HubHost(() => { this.#emit({ type: 'hub', hub: this.#hub.info() }) })
  /** Stats, sockets, the diagram's trace, the partition lab and the walkthrough. */
  readonly views: NetworkViews
  /** Uploads, downloads and where a finished download is. */
  readonly files: AppFiles
  /** Files attached to public rooms' message boxes and not sent yet, kept across a restart. */
  readonly staged: StagedFiles
  #unsubscribe: (() => void) | undefined
  readonly #rooms = new RoomList(() => (this.views.demo.you !== undefined ? [DEMO_ROOM] : []))
  /** Rooms the last list left out: only people blocked here wrote there (see `rooms`). */
  #offBlocked = new Set<string>()
  /** Start, restart and stop run one at a time. */
  #lifecycle: Promise<unknown> = Promise.resolve()

  private constructor(options: ChatAppOptions) {
    this.#options = options
    this.#store = new SettingsStore(options.dataDir)
    this.views = new NetworkViews(() => this.#running(), this.#hub, (event) => this.#emit(event))
    this.files = new AppFiles(() => this.#running(), () => this.#settings.downloadsDir || undefined)
    this.staged = new StagedFiles(options.dataDir, () => this.#engine !== undefined && this.#status.state === 'running' ? this.#engine : undefined)
  }

  /** A window never names a file on disk: it uploads the bytes the user picked (uploadFile, sendFile). */
  shareFile(): never {
    throw new ForbiddenRequestError('A window cannot share a file by its path; send its bytes with uploadFile.')
  }

  /** Loads settings and, if a name was chosen before, starts the engine. */
  static async open(options: ChatAppOptions): Promise<ChatApp> {
    const app = new ChatApp(options)
    const loaded = await app.#store.load({ ...DEFAULT_SETTINGS, ...options.defaults })
    app.#settings = loaded.settings
    if (loaded.problem !== undefined) app.#warnings.push(toErrorInfo(loaded.problem))
    if (app.#settings.name !== '') await app.#queue(() => app.#start())
    return app
  }

  get settings(): Settings {
    return { ...this.#settings }
  }

  get status(): EngineStatus {
    return this.#status
  }

  on(listener: (event: AppEvent) => void): () => void {
    return this.#listeners.on(listener)
  }

  snapshot(): Snapshot {
    return {
      settings: this.settings,
      status: this.#status,
      rooms: this.rooms(),
      peers: this.#engine !== undefined && this.#status.state === 'running' ? this.#engine.peers() : [],
      mdnsAvailable: this.#options.mdnsAvailable ?? true,
      profile: this.#options.profile ?? 'default',
      warnings: [...this.#warnings],
      hub: this.#hub.info(),
      lab: this.views.lab.state(),
      writesPaused: this.#writesPaused,
      dialing: this.#engine !== undefined && this.#status.state === 'running' ? this.#engine.dialing() : [],
      spellcheckDownloads: spellcheckDownloads(process.platform)
    }
  }

  async setName(name: string): Promise<Snapshot> {
    this.#settings = { ...this.#settings, name }
    await this.#store.save(this.#settings)
    this.#emit({ type: 'settings', settings: this.settings })
    const engine = this.#engine
    if (engine !== undefined && this.#status.state === 'running') {
      await engine.setName(name)
      this.#setStatus(this.#runningStatus(engine))
    } else if (this.#status.state !== 'starting') {
      await this.#queue(() => this.#start())
    }
    return this.snapshot()
  }

  /** Our status in our own words ('' for none): the engine keeps it and tells everyone; the window's status follows. */
  async setStatus(status: string, until?: number): Promise<Snapshot> {
    const engine = this.#running()
    await engine.setStatus(status, until === undefined ? {} : { until })
    this.#setStatus(this.#runningStatus(engine))
    return this.snapshot()
  }

  async saveSettings(patch: Partial<Settings>): Promise<Snapshot> {
    const before = this.#settings
    // A bad hub address or network key is refused before anything is saved.
    if (patch.server !== undefined && patch.server !== '') toMultiaddr(patch.server)
    if (patch.networkKey !== undefined && patch.networkKey !== '') patch = { ...patch, networkKey: parseNetworkKey(patch.networkKey) }
    if (patch.name !== undefined && patch.name !== before.name && patch.name !== '') {
      await this.setName(patch.name)
    }
    this.#settings = { ...this.#settings, ...patch, name: this.#settings.name }
    // Off is no key at all, so a settings file never holds an empty one.
    if (this.#settings.networkKey === '') delete this.#settings.networkKey
    // Notifications resumed (a pause ending at 0) is no pause at all, as if never paused.
    if (this.#settings.notifyPausedUntil === 0) delete this.#settings.notifyPausedUntil
    await this.#store.save(this.#settings)
    this.#emit({ type: 'settings', settings: this.settings })
    const after = this.#settings
    // Takes effect at once: the next file sent or download started is held to it.
    if (maxFileBytes(before) !== maxFileBytes(after)) {
      this.#engine?.setMaxFileBytes(maxFileBytes(after))
      this.#hub.setMaxFileBytes(maxFileBytes(after))
    }
    if (keepOthersBytes(before) !== keepOthersBytes(after)) this.#engine?.setKeepOthersBytes(keepOthersBytes(after))
    if (serverKeepFilesBytes(before) !== serverKeepFilesBytes(after)) this.#hub.setKeepFilesBytes(serverKeepFilesBytes(after))
    const networkChanged = before.listenPort !== after.listenPort || before.mdns !== after.mdns || (before.networkKey ?? '') !== (after.networkKey ?? '')
    const architectureChanged = before.mode !== after.mode || before.server !== after.server ||
      before.hostServer !== after.hostServer || before.serverPort !== after.serverPort
    // A failed start (say, the port was taken) is retried with the new settings too.
    if ((networkChanged || this.#status.state === 'failed') && after.name !== '') {
      await this.#queue(async () => {
        await this.#stopEngine()
        await this.#start()
      })
    } else if (architectureChanged && after.name !== '') {
      await this.#queue(() => this.#switchArchitecture()).catch(async (err: unknown) => {
        // The engine stayed as it was: so do the settings, and the dialog shows why.
        this.#settings = { ...this.#settings, mode: before.mode, server: before.server, hostServer: before.hostServer }
        await this.#store.save(this.#settings)
        this.#emit({ type: 'settings', settings: this.settings })
        throw err
      })
    }
    return this.snapshot()
  }

  async send(room: string, text: string, replyTo?: string): Promise<MessageView> {
    this.#running()
    const engine = this.views.engineFor(room)
    this.#noteRoom(room)
    return engine.send(room, text, replyTo === undefined ? undefined : { replyTo })
  }

  /** A direct message, sealed for `to` alone. */
  async sendDirect(to: string, text: string, replyTo?: string): Promise<MessageView> {
    return this.#running().send('', text, { to, ...(replyTo !== undefined ? { replyTo } : {}) })
  }

  dms(): DirectView[] {
    return this.#engine !== undefined && this.#status.state === 'running' ? this.#engine.dms() : []
  }

  /** The running engine, for the operations that are the engine's alone (invite-only rooms). */
  engine(): Engine {
    return this.#running()
  }

  openDm(peerId: string): DirectView {
    return this.#running().openDm(peerId)
  }

  /**
   * The address dialed, and whom it reached (when the engine can tell), by name: answered once the chat
   * link is up, as the headless hosts answer (the hello usually comes just after the connection), so a
   * window names them.
   */
  async dial(address: string): Promise<{ multiaddr: string; peerId?: string; name?: string }> {
    const engine = this.#running()
    const dialed = await dialAddress(engine, address)
    this.#emitPeers()
    if (dialed.peerId === undefined) return { multiaddr: dialed.multiaddr }
    await engine.linkUp(dialed.peerId)
    const name = engine.peers().find((p) => p.peerId === dialed.peerId)?.name
    return { multiaddr: dialed.multiaddr, peerId: dialed.peerId, ...(name !== undefined && name !== '' ? { name } : {}) }
  }

  /** Link to a known peer now (P2P), its backoff notwithstanding; the peers then. */
  async connectPeer(peerId: string): Promise<PeerView[]> {
    await this.#running().connectPeer(peerId)
    return this.#emitPeers()
  }

  history(room: string, page?: Page): MessageView[] {
    this.#running()
    return this.views.history(room, page)
  }

  search(q: string, room?: string, limit?: number): SearchHit[] {
    return this.#running().search(q, room, limit)
  }

  /**
   * The lobby first; #causal-demo only while the walkthrough runs (it lives in the demo's engines).
   * A room only people the user blocked wrote in, and which the user never opened (no mark of
   * where they left off) nor joined (`settings.joined`), is left out: someone blocked for flooding does not
   * keep offering rooms.
   */
  rooms(): string[] {
    const engine = this.#engine !== undefined && this.#status.state === 'running' ? this.#engine : undefined
    const all = this.#rooms.list(engine?.rooms() ?? [])
    this.#offBlocked = new Set(engine === undefined ? [] : all.filter((r) => this.#leftOut(engine, r)))
    return this.#offBlocked.size === 0 ? all : all.filter((r) => !this.#offBlocked.has(r))
  }

  /** Whether `rooms` leaves `room` out: only people blocked here wrote there, and the user never opened it nor joined it. */
  #leftOut(engine: Engine, room: string): boolean {
    return room !== DEFAULT_ROOM && this.#settings.seen?.[room] === undefined && !(this.#settings.joined?.includes(room) ?? false) && engine.writtenOnlyByBlocked(room)
  }

  /** Join a room by name, or open one: a public room stays listed under "Rooms" across restarts (settings.joined). */
  async joinRoom(room: string): Promise<string[]> {
    this.#running()
    const name = normalizeRoom(room)
    this.views.engineFor(name).joinRoom(name)
    // Kept as joined first: the list sent then has it even if only people blocked here wrote there.
    if (await this.#keepJoined(name, true)) this.#emit({ type: 'rooms', rooms: this.rooms() })
    else this.#noteRoom(name)
    return this.rooms()
  }

  async leaveRoom(room: string): Promise<string[]> {
    const name = normalizeRoom(room)
    this.#running().leaveRoom(name)
    this.#rooms.forget(name)
    await this.#keepJoined(name, false)
    this.#emit({ type: 'rooms', rooms: this.rooms() })
    return this.rooms()
  }

  /** The walkthrough's room is never kept: it lives in the walkthrough's engines, for as long as it runs. Whether that changed what is kept. */
  async #keepJoined(room: string, on: boolean): Promise<boolean> {
    if (room === DEMO_ROOM || !isPublicRoom(room)) return false
    const patch = withJoined(this.#settings, room, on)
    if (patch === undefined) return false
    await this.saveSettings(patch)
    return true
  }

  peers(): PeerView[] {
    return this.#running().peers()
  }

  /** The walkthrough: its room is listed while it runs and gone when it stops. */
  async runDemo(action: 'start' | 'next' | 'stop'): Promise<DemoState> {
    const state = await this.views.runDemo(action)
    if (action !== 'next') this.#emit({ type: 'rooms', rooms: this.rooms() })
    return state
  }

  /**
   * What the data directory keeps of files, and (`hub`) what the server hosted in this app keeps:
   * the files shared through it (within its limit), for its clients to fetch, which freeing does not touch.
   */
  async fileStorage(): Promise<AppFileStorage> {
    return await this.#withHub(await this.#running().fileStorage())
  }

  async freeFileStorage(): Promise<{ freed: StorageFigure; storage: AppFileStorage }> {
    const { freed, storage } = await this.#running().freeFileStorage()
    return { freed, storage: await this.#withHub(storage) }
  }

  async #withHub(storage: FileStorage): Promise<AppFileStorage> {
    const hub = await this.#hub.server?.fileStorage()
    if (hub === undefined) return storage
    return { ...storage, hub: { files: hub.others.files + hub.partial.files, bytes: hub.others.bytes + hub.partial.bytes, ...(hub.keepBytes !== undefined ? { keepBytes: hub.keepBytes } : {}) } }
  }

  async block(peerId: string): Promise<PeerView[]> {
    await this.#running().block(peerId)
    this.#emit({ type: 'rooms', rooms: this.rooms() })
    return this.#emitPeers()
  }

  async unblock(peerId: string): Promise<PeerView[]> {
    await this.#running().unblock(peerId)
    this.#emit({ type: 'rooms', rooms: this.rooms() })
    return this.#emitPeers()
  }

  async forget(peerId: string): Promise<PeerView[]> {
    await this.#running().forget(peerId)
    return this.#emitPeers()
  }

  /** Stops the engine (it flushes history); the app can be dropped afterwards. */
  async close(): Promise<void> {
    await this.views.demo.stop().catch(() => undefined)
    await this.#queue(async () => {
      await this.#stopEngine()
      await this.#hub.stop()
    })
    this.#setStatus({ state: 'stopped' })
    this.#listeners.clear()
    // A setting saved just before (where the user was, a draft) is written before the app goes.
    await this.#store.flush()
  }

  #queue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#lifecycle.then(task, task)
    this.#lifecycle = next.catch(() => undefined)
    return next
  }

  async #start(): Promise<void> {
    if (this.#engine !== undefined) return
    this.#setStatus({ state: 'starting' })
    const host = this.#options.listenHost ?? '0.0.0.0'
    let engine: Engine | undefined
    try {
      const { mode, server } = await this.#architecture()
      engine = await this.#options.createEngine({
        dataDir: this.#options.dataDir, name: this.#settings.name, mode, ...(server !== undefined ? { server } : {}),
        listen: [`/${host.includes(':') ? 'ip6' : 'ip4'}/${host}/tcp/${this.#settings.listenPort}`],
        mdns: this.#settings.mdns && (this.#options.mdnsAvailable ?? true),
        ...((this.#settings.networkKey ?? '') !== '' ? { networkKey: this.#settings.networkKey } : {}),
        ...(this.#options.redialRetry !== undefined ? { overlay: { retry: this.#options.redialRetry } } : {}),
        files: { maxFileBytes: maxFileBytes(this.#settings), keepOthersBytes: keepOthersBytes(this.#settings), ...(this.#options.downloadsDir !== undefined ? { downloadsDir: this.#options.downloadsDir } : {}), ...(this.#options.stallMs !== undefined ? { stallMs: this.#options.stallMs } : {}) }
      })
      this.#unsubscribe = engine.on((event) => this.#onEngineEvent(event))
      await engine.start()
      this.#engine = engine
    } catch (err) {
      this.#unsubscribe?.()
      this.#unsubscribe = undefined
      await engine?.stop().catch(() => undefined)
      this.#setStatus({ state: 'failed', error: toStartError(err) })
      return
    }
    this.#setStatus(this.#runningStatus(engine))
    this.#emit({ type: 'rooms', rooms: this.rooms() })
    for (const address of this.#options.dial ?? []) {
      dialAddress(engine, address).catch((err: unknown) => this.#emit({ type: 'error', ...toErrorInfo(err) }))
    }
  }

  /** Hosted hub as the settings say; the port the OS gave is kept so clients can come back after a restart. */
  async #architecture(): Promise<{ mode: 'p2p' | 'client'; server: string | undefined }> {
    const host = this.#options.listenHost ?? '0.0.0.0'
    const mdns = this.#settings.mdns && (this.#options.mdnsAvailable ?? true)
    const plan = await this.#hub.apply(this.#settings, { dataDir: this.#options.dataDir, host, mdns })
    if (plan.port !== undefined && plan.port !== this.#settings.serverPort) {
      this.#settings = { ...this.#settings, serverPort: plan.port }
      await this.#store.save(this.#settings)
      this.#emit({ type: 'settings', settings: this.settings })
    }
    this.#emit({ type: 'hub', hub: this.#hub.info() })
    return { mode: plan.mode, server: plan.server }
  }

  /** Switch the running engine's architecture in place: no restart, nothing the user saw is lost. */
  async #switchArchitecture(): Promise<void> {
    const engine = this.#engine
    if (engine === undefined) return this.#start()
    this.views.remember(engine)
    try {
      const { mode, server } = await this.#architecture()
      await engine.switchMode(mode, server)
    } finally {
      this.#setStatus(this.#runningStatus(engine))
      this.#emitPeers()
    }
  }

  async #stopEngine(): Promise<void> {
    const engine = this.#engine
    if (engine === undefined) return
    this.#engine = undefined
    this.#writesPaused = null
    this.#setStatus({ state: 'starting' })
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
    await engine.stop()
  }

  #runningStatus(engine: Engine): EngineStatus {
    // The window's attach check refuses a file over the hub's largest file, as the engine would.
    const limit = engine.mode === 'client' ? engine.serverMaxFileBytes : undefined
    return { state: 'running', peerId: engine.peerId, fingerprint: fingerprint(engine.peerId), name: engine.name, mode: engine.mode, addrs: engine.addrs(), words: engine.status, ...(engine.statusUntil !== undefined ? { wordsUntil: engine.statusUntil } : {}), ...(limit !== undefined ? { serverMaxFileBytes: limit } : {}) }
  }

  #running(): Engine {
    const engine = this.#engine
    if (engine === undefined || this.#status.state !== 'running') {
      const why = this.#status.state === 'setup' ? 'choose a display name first' : `it is ${this.#status.state}`
      throw new EngineNotReadyError(`The chat engine is not running: ${why}.`)
    }
    return engine
  }

  #onEngineEvent(event: EngineEvent): void {
    this.#emit(event)
    this.views.onEvent(event)
    switch (event.type) {
      case 'message':
        this.#noteRoom(event.room, event.author)
        break
      case 'pending':
        this.#noteRoom(event.room)
        break
      case 'ready':
        if (this.#engine !== undefined) this.#setStatus(this.#runningStatus(this.#engine))
        this.#emitPeers()
        break
      case 'peer:presence': {
        // Our own status changed without the window asking (its time to clear came): the window's line follows.
        const engine = this.#engine
        if (engine !== undefined && event.peerId === engine.peerId && this.#status.state === 'running' && this.#status.words !== engine.status) {
          this.#setStatus(this.#runningStatus(engine))
        }
        this.#emitPeers()
        break
      }
      case 'peer:connect':
      case 'peer:disconnect':
      case 'peer:renamed':
      case 'peer:addresses':
        this.#emitPeers()
        break
      // The computer's network changed (addresses): the status bar and the Connect dialog show where others reach us now.
      case 'server:limit':
      case 'addresses':
        if (this.#engine !== undefined && this.#status.state === 'running') this.#setStatus(this.#runningStatus(this.#engine))
        break
      case 'writes:paused':
        this.#writesPaused = event.message
        break
      case 'writes:resumed':
        this.#writesPaused = null
        break
      case 'error':
      case 'note':
      case 'message:updated':
      case 'receipt':
      case 'peer:name-clash':
      case 'peer:forked':
      case 'file:progress':
      case 'file:held':
      case 'file:done':
      case 'file:failed':
      case 'peer:typing':
      case 'private-room':
      case 'dialing':
      case 'history:moved':
      case 'pending:dropped':
        break
      default: {
        const never: never = event
        void never
      }
    }
  }

  /** A room new to the list, or one left out while only blocked people wrote there that someone else (`author`) just did. */
  #noteRoom(room: string, author?: string): void {
    // A DM's room is listed under direct messages (dms), never as a room.
    if (!isPublicRoom(room)) return
    const engine = this.#engine
    const blocked = author !== undefined && engine?.isBlocked(author) === true
    const isNew = this.#rooms.note(room)
    // A new room of someone blocked (a flood of them, say) changes nothing the window lists.
    if (isNew && blocked && this.#leftOut(engine, room)) { this.#offBlocked.add(room); return }
    const heard = author !== undefined && !blocked && this.#offBlocked.has(room)
    if (isNew || heard) this.#emit({ type: 'rooms', rooms: this.rooms() })
  }

  #emitPeers(): PeerView[] {
    const peers = this.#engine?.peers() ?? []
    this.#emit({ type: 'peers', peers })
    return peers
  }

  #setStatus(status: EngineStatus): void {
    this.#status = status
    this.#emit({ type: 'status', status })
  }

  #emit(event: AppEvent): void {
    this.#listeners.emit(event)
  }
}
