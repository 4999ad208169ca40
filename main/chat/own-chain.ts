/**
 * Own messages wait until we know how far our own chain went, and while the
 * links are behind (waitForLinks, below). A data
 * directory restored from a backup, or copied to a second computer, would
 * otherwise number its next message like one already sent: a fork (kept by
 * every peer, but marked). A peer that knew other peers waits for the first
 * sync from one of them, and for our own messages it has that we lack, at
 * most OWN_CHAIN_WAIT_MS after start; one that knows nobody has nobody to ask.
 *
 * @example
 * ```ts
 * const own = new OwnChainWait(() => causal.last(self)?.seq ?? 0)
 * own.start(knowsPeers)        // at open
 * own.advertised(vector.get(self) ?? 0)   // a peer's sync
 * own.check()                  // after our own messages came back
 * await own.ready()            // before numbering a message
 * ```
 */

/** Longest an own message waits, after start, for a peer to say how far our own chain went. */
export const OWN_CHAIN_WAIT_MS = 2000

interface Wait { promise: Promise<void>, resolve: () => void, target: number }

export class OwnChainWait {
  #wait: Wait | undefined

  /** `ownSeq`: the highest number of our own messages we have. */
  constructor (private readonly ownSeq: () => number) {}

  async ready (): Promise<void> {
    await this.#wait?.promise
  }

  /** At start: wait only if there are peers to learn from. */
  start (knowsPeers: boolean): void {
    this.#settle()
    if (!knowsPeers) return
    let resolve!: () => void
    const promise = new Promise<void>(r => { resolve = r })
    const wait = { promise, resolve, target: 0 }
    this.#wait = wait
    setTimeout(() => { this.#settle(wait) }, OWN_CHAIN_WAIT_MS).unref()
  }

  /** A peer's sync said it has our own chain up to `seq`: wait for that much of it. */
  advertised (seq: number): void {
    const wait = this.#wait
    if (wait === undefined) return
    wait.target = Math.max(wait.target, seq)
    this.check()
  }

  /** Our own messages may have come back: let sends go once we have what peers said they have. */
  check (): void {
    const wait = this.#wait
    if (wait !== undefined && this.ownSeq() >= wait.target) this.#settle(wait)
  }

  /** Stop waiting (the engine stops). */
  stop (): void { this.#settle() }

  #settle (wait = this.#wait): void {
    if (wait === undefined) return
    wait.resolve()
    if (this.#wait === wait) this.#wait = undefined
  }
}

/** A link with more than this not yet taken by its peer is behind (see waitForLinks). */
export const LINK_BACKLOG_BYTES = 1024 * 1024
/** Longest an own message waits for backed-up links before it goes anyway (the per-link reset bounds the rest). */
export const BACKPRESSURE_MAX_WAIT_MS = 5000

/** What backpressure looks at: the links and what each holds that its peer has not taken. */
export interface LinkBacklog {
  connectedPeers: () => string[]
  queuedBytes: (peerId: string) => number
}

/**
 * Wait while most links have not taken what we sent them: a sender faster
 * than the network slows to its pace instead of queueing without bound. One
 * peer that does not read is not most links: it costs itself (its link is
 * reset past MAX_QUEUED_BYTES), not everyone's chat.
 */
export async function waitForLinks (links: LinkBacklog, maxMs = BACKPRESSURE_MAX_WAIT_MS): Promise<void> {
  const behind = (): boolean => {
    const peers = links.connectedPeers()
    return peers.length > 0 && peers.filter(p => links.queuedBytes(p) > LINK_BACKLOG_BYTES).length * 2 > peers.length
  }
  for (let waited = 0; waited < maxMs && behind(); waited += 20) await new Promise(resolve => setTimeout(resolve, 20))
}
