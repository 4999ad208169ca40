/**
 * The networking views behind the IPC operations stats, sockets, trace,
 * partition, heal and demo: read-only looks at the running engine and the
 * hosted hub, plus the partition lab and the causal walkthrough. ChatApp owns
 * one and feeds it the engine's events.
 */
import type { Engine } from '../chat/engine.js'
import type { EngineEvent, MessageView, Page, PeerView } from '../chat/types.js'
import type { AppEvent, DemoState, LabState, SocketsReport, StatsReport, Trace, TraceReceipt } from '../../preload/contract.js'
import { CausalDemo, DEMO_ROOM } from './demo.js'
import type { HubHost } from './hub-host.js'
import { Lab } from './lab.js'
import { buildTrace } from './trace.js'
import { noiseCipher } from '../net/noise-crypto.js'

/** Messages of each room the space-time diagram reads (it draws the newest TRACE_LIMIT of its room). */
const TRACE_WINDOW = 1000

export class NetworkViews {
  readonly lab: Lab
  readonly demo: CausalDemo
  #byMode: StatsReport['byMode'] = {}

  constructor(
    private readonly engine: () => Engine,
    private readonly hub: HubHost,
    emit: (event: AppEvent) => void
  ) {
    this.lab = new Lab((lab) => emit({ type: 'lab', lab }))
    this.demo = new CausalDemo((demo) => emit({ type: 'demo', demo }), (event) => emit(event))
  }

  onEvent(event: EngineEvent): void {
    this.lab.onEvent(event)
  }

  /** Keep the figures of the mode about to stop, so the contrast shows both. */
  remember(engine: Engine): void {
    this.#byMode[engine.mode] = { ...engine.stats(), at: Date.now() }
  }

  stats(): StatsReport {
    const engine = this.engine()
    const current = engine.stats()
    this.#byMode[engine.mode] = { ...current, at: Date.now() }
    return { current, byMode: { ...this.#byMode }, hub: this.hub.server?.stats() ?? null }
  }

  async sockets(): Promise<SocketsReport> {
    const engine = this.engine()
    const self = engine.peers()
    await withRtt(engine, self)
    return { mode: engine.mode, self, hub: this.hub.server?.peers() ?? null, cipher: noiseCipher }
  }

  /** A room's history as the UI gets it: each message with the peers known to have delivered it. */
  history(room: string, page?: Page): Array<MessageView & { deliveredTo?: string[] }> {
    const engine = this.engineFor(room)
    const messages = engine.history(room, page)
    // Receipts are the mesh's: a hub's clients learn only the hub's order.
    if (engine.mode !== 'p2p') return messages
    return messages.map((m) => ({ ...m, deliveredTo: engine.receiptsOf(m.id).map((r) => r.by).filter((by) => by !== m.author) }))
  }

  /**
   * The space-time diagram of a room: its newest messages, and the newest of
   * every room for the causal paths between them (a path runs up in Lamport
   * time, so only messages newer than the oldest drawn can be on one). Read a
   * window at a time: the diagram never loads a whole history.
   */
  trace(room: string): Trace {
    const engine = this.engineFor(room)
    const history = engine.history(room, { limit: TRACE_WINDOW })
    // Causal paths cross rooms, direct messages and invite-only rooms included, and always run through the room itself.
    const all: MessageView[] = [...history]
    const others = [...engine.rooms(), ...engine.dms().map((d) => d.room), ...engine.privateRooms().map((r) => r.room)]
    for (const r of new Set(others)) if (r !== room) all.push(...engine.history(r, { limit: TRACE_WINDOW }))
    return buildTrace({
      room,
      self: { peerId: engine.peerId, name: engine.name },
      mode: engine.mode,
      history,
      more: history.filter((m) => m.pending !== true).length >= TRACE_WINDOW,
      all,
      causalOf: (id) => engine.causalOf(id),
      receiptsOf: (id) => engine.receiptsOf(id).map(({ by, lamport, at }): TraceReceipt => ({ by, lamport, at })),
      names: new Map(engine.peers().map((p) => [p.peerId, p.name]))
    })
  }

  partition(peerId: string): Promise<LabState> {
    return this.lab.partition(this.engine(), peerId)
  }

  heal(): LabState {
    return this.lab.heal(this.engine())
  }

  /** The engine a room lives in: #causal-demo in the walkthrough's stand-in while it runs, every other room in the user's. */
  engineFor(room: string): Engine {
    return room === DEMO_ROOM ? this.demo.you ?? this.engine() : this.engine()
  }

  async runDemo(action: 'start' | 'next' | 'stop'): Promise<DemoState> {
    switch (action) {
      case 'start': return this.demo.start()
      case 'next': return this.demo.next()
      case 'stop': return this.demo.stop()
      default: {
        const never: never = action
        return never
      }
    }
  }
}

/**
 * libp2p measures a connection's RTT every LINK_PING_INTERVAL_MS (20 s); a connection younger than
 * that has none yet, so the panel pings it once (the ping protocol, another
 * stream on the same socket) rather than show a blank.
 */
async function withRtt(engine: Engine, peers: PeerView[]): Promise<void> {
  await Promise.all(peers.filter((p) => p.connected && p.connections.some((c) => c.rtt === undefined)).map(async (p) => {
    try {
      const rtt = await engine.ping(p.peerId, { signal: AbortSignal.timeout(1000) })
      for (const c of p.connections) c.rtt ??= rtt
    } catch {
      // No answer within a second: the panel shows no RTT rather than a guess.
    }
  }))
}
