import type { VersionVector } from '../core/causal.js'
import type { Frame } from '../net/codec.js'
import type { AnswerPolicy } from '../net/chat-protocol.js'

/** A sync we sent is answered within this long, or its answer budget lapses (we sync every few seconds anyway). */
export const SYNC_ANSWER_WINDOW_MS = 30_000
/**
 * An answer to our sync is still arriving while its messages keep coming at
 * least this often: a new sync to that peer then would ask again for what is
 * already on its way (the stream is ordered and reliable), and the peer would
 * send it twice.
 */
export const ANSWER_GAP_MS = 2_000
/** However long an answer keeps coming, a new sync goes to its peer after this long (a peer cannot hold our syncs off). */
export const ANSWER_HOLD_MAX_MS = 300_000
/** Most wanted ids remembered per peer. */
export const MAX_WANTED = 8_192
/** Most answered ids remembered until their delivery (more: the oldest lose their free pass, nothing else). */
export const MAX_GRANTED = 200_000
/** Authors of a peer's advertised vector kept at most (scoped syncs add to it). */
const MAX_ADVERTISED = 200_000

interface Asked {
  /** When we last sent this peer a sync, and our vector then (raised as its answer comes). */
  syncAt: number
  /** When a message answering it last came. */
  answeredAt: number
  ours: VersionVector
  /** What the peer said it has, in its own last sync: an honest answer cannot go past it. */
  theirs: VersionVector
  wanted: Set<string>
}

/**
 * Our outstanding sync and want requests, per peer. A batch flagged as an
 * answer goes on the fast answer budget (a catch-up of 100k messages takes
 * seconds) only for the messages that answer what we asked: an id we
 * wanted, or for a sync, a message we lacked when we asked (its seq past our
 * vector) and the peer said it has (not past its own vector). Anything else
 * flagged as an answer is a push like any other and pays the live budget,
 * so the flag cannot buy a flood its way past the rate limit. Each answered
 * message is counted once: our copy of the vector moves up as it comes.
 */
export class Requests implements AnswerPolicy {
  readonly #peers = new Map<string, Asked>()
  /** Ids that asked() counted as answers: free of their author's budget when delivered (intake.ts). */
  readonly #granted = new Set<string>()

  #of (peerId: string): Asked {
    let a = this.#peers.get(peerId)
    if (a === undefined) this.#peers.set(peerId, a = { syncAt: -Infinity, answeredAt: -Infinity, ours: new Map(), theirs: new Map(), wanted: new Set() })
    return a
  }

  /** We send `peerId` a sync with our vector. */
  syncSent (peerId: string, ours: VersionVector): void {
    const a = this.#of(peerId)
    a.syncAt = performance.now()
    a.ours = new Map(ours)
  }

  /** We ask `peerId` for these ids. */
  wantSent (peerId: string, ids: string[]): void {
    const a = this.#of(peerId)
    if (a.wanted.size + ids.length > MAX_WANTED) a.wanted.clear()
    for (const id of ids) a.wanted.add(id)
  }

  /** `peerId`'s own sync told us what it has. */
  advertised (peerId: string, theirs: VersionVector): void {
    this.#of(peerId).theirs = theirs
  }

  /** The peer's vector for some authors only (a scoped sync): merged into what it said before. */
  advertisedSome (peerId: string, theirs: VersionVector): void {
    const a = this.#of(peerId)
    if (a.theirs.size + theirs.size > MAX_ADVERTISED) a.theirs = new Map()
    for (const [author, seq] of theirs) a.theirs.set(author, seq)
  }

  /** How many of this frame's messages answer a request of ours (counted, so not again). */
  asked (peerId: string, frame: Extract<Frame, { type: 'messages' }>): number {
    if (frame.answer !== true) return 0
    const a = this.#peers.get(peerId)
    if (a === undefined) return 0
    const syncOpen = performance.now() - a.syncAt < SYNC_ANSWER_WINDOW_MS
    let n = 0
    let progress = false
    for (const { message: m } of frame.messages) {
      if (a.wanted.delete(m.id)) { n++; this.#grant(m.id); continue }
      const ours = a.ours.get(m.author) ?? 0
      if (m.seq > ours && m.seq <= (a.theirs.get(m.author) ?? 0)) {
        // Past the answer window it is still the answer coming (answering()), only no longer on the answer budget.
        progress = true
        if (!syncOpen) continue
        a.ours.set(m.author, m.seq)
        n++
        this.#grant(m.id)
      }
    }
    if (progress || n > 0) a.answeredAt = performance.now()
    return n
  }

  /**
   * Whether `peerId` is still answering our last sync: its answer's
   * messages are still coming. One that stalls or ends frees the next sync
   * within ANSWER_GAP_MS, and none holds it off past ANSWER_HOLD_MAX_MS.
   */
  answering (peerId: string): boolean {
    const a = this.#peers.get(peerId)
    if (a === undefined) return false
    const now = performance.now()
    return now - a.syncAt < ANSWER_HOLD_MAX_MS && now - Math.max(a.syncAt, a.answeredAt) < ANSWER_GAP_MS
  }

  #grant (id: string): void {
    if (this.#granted.size >= MAX_GRANTED) this.#granted.clear()
    this.#granted.add(id)
  }

  /** Whether `id` came as an answer we asked for (once: it is forgotten here). */
  takeGranted (id: string): boolean { return this.#granted.delete(id) }

  forget (peerId: string): void { this.#peers.delete(peerId) }
  clear (): void { this.#peers.clear(); this.#granted.clear() }
}
