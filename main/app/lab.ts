/**
 * The partition lab: cut this app off from one peer or from everyone (in
 * client mode: from the hub), then heal, and count what merges. The cut is
 * the engine's (in P2P it refuses the peer's connections; a client's one link,
 * to the hub, is dropped); this class keeps what the UI shows about it.
 */
import type { Engine } from '../chat/engine.js'
import type { EngineEvent } from '../chat/types.js'
import { writtenAt, type LabState, type UserMode } from '../../preload/contract.js'

export class Lab {
  #mode: UserMode = 'p2p'
  /** This app's own peer id: its own messages are not what a partition kept apart. */
  #self = ''
  #cut: string[] = []
  #since: number | null = null
  #healedAt = 0
  #merged: { count: number; at: number } | null = null

  constructor(private readonly changed: (lab: LabState) => void) {}

  state(): LabState {
    return { mode: this.#mode, cut: [...this.#cut], since: this.#since, merged: this.#merged === null ? null : { ...this.#merged } }
  }

  async partition(engine: Engine, peerId: string): Promise<LabState> {
    await engine.cut(peerId)
    // A client has one link: cut from "a peer" or "everyone" is cut from the hub.
    if (engine.mode === 'client') this.#cut = ['*']
    else if (!this.#cut.includes(peerId)) this.#cut.push(peerId)
    this.#since ??= Date.now()
    this.#merged = null
    return this.#changed()
  }

  heal(engine: Engine): LabState {
    engine.heal()
    if (this.#cut.length > 0) {
      this.#healedAt = Date.now()
      this.#merged = { count: 0, at: this.#healedAt }
    }
    this.#cut = []
    this.#since = null
    return this.#changed()
  }

  /**
   * Counts messages written elsewhere before the heal that arrive after it: what the partition kept
   * apart. Not this app's own (a client's pending ones, numbered by the hub on heal): nothing merged them.
   * When it was written is read on this app's clock (writtenAt): an author whose clock runs behind
   * says "before the heal" of what it writes live long after, which counted every such message as merged.
   */
  onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'ready':
        // A new engine (mode switch, restart) starts whole.
        this.#mode = event.mode === 'client' ? 'client' : 'p2p'
        this.#self = event.peerId
        this.#cut = []
        this.#since = null
        this.#merged = null
        this.#changed()
        return
      case 'message':
        if (this.#merged !== null && event.author !== this.#self && writtenAt(event) <= this.#healedAt && (event.deliveredAt ?? Date.now()) >= this.#healedAt) {
          this.#merged.count++
          this.#changed()
        }
        return
      default:
    }
  }

  #changed(): LabState {
    const state = this.state()
    this.changed(state)
    return state
  }
}
