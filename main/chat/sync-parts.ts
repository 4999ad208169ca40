/**
 * Version vectors too long for one frame. A peer with more than
 * SYNC_PART_ENTRIES authors in its history sends its vector in parts (a slice
 * of the authors each, one series number for all); the receiver puts the
 * parts back together and answers once it has them all. Before, a vector
 * past one frame's limit was refused on decode and anti-entropy silently
 * stopped for good.
 *
 * What a receiver holds is bounded: one unfinished series per peer, and
 * MAX_SYNC_PART_AUTHORS authors over all peers (the oldest series goes first).
 *
 * @example
 * ```ts
 * for (const frame of syncFrames(vector, forks, heads)) transport.send(peer, frame)
 * // on the other side, for each sync frame with a part:
 * const whole = parts.add(peer, frame)   // undefined until the last part is in
 * ```
 */
import { randomInt } from 'node:crypto'
import type { ForkDigests, HeadIds } from '../core/forks.js'
import type { VersionVector } from '../core/causal.js'
import type { Frame } from '../net/codec.js'
import { MAX_SYNC_PART_AUTHORS, SYNC_PART_ENTRIES } from '../net/constants.js'

type SyncFrame = Extract<Frame, { type: 'sync' }>

/** A whole vector, as one frame or as parts. */
export function syncFrames (vector: VersionVector, forks: ForkDigests, heads: HeadIds, per = SYNC_PART_ENTRIES, scope?: Uint8Array): SyncFrame[] {
  const whole = (v: VersionVector, f: ForkDigests, h: HeadIds): SyncFrame => ({ type: 'sync', vector: v, heads: h, ...(f.size > 0 ? { forks: f } : {}), ...(scope !== undefined ? { scope } : {}) })
  if (vector.size <= per) return [whole(vector, forks, heads)]
  const authors = [...vector.keys()]
  const count = Math.ceil(authors.length / per)
  const series = randomInt(1, 2 ** 31)
  return Array.from({ length: count }, (_, index) => {
    const slice = authors.slice(index * per, (index + 1) * per)
    const v: VersionVector = new Map(slice.map(a => [a, vector.get(a)!]))
    const f: ForkDigests = new Map(slice.filter(a => forks.has(a)).map(a => [a, forks.get(a)!]))
    const h: HeadIds = new Map(slice.filter(a => heads.has(a)).map(a => [a, heads.get(a)!]))
    return { ...whole(v, f, h), part: { series, index, count } }
  })
}

interface Series { series: number, count: number, got: Set<number>, vector: VersionVector, forks: ForkDigests, heads: HeadIds }

export class SyncParts {
  readonly #peers = new Map<string, Series>()
  /** Each peer's last finished series: a late copy of one of its parts starts nothing. */
  readonly #finished = new Map<string, number>()
  #authors = 0

  constructor (readonly maxAuthors = MAX_SYNC_PART_AUTHORS) {}

  /** Take one part; the whole request once every part of its series is in. */
  add (peerId: string, frame: SyncFrame): SyncFrame | undefined {
    const part = frame.part
    if (part === undefined) return frame
    if (this.#finished.get(peerId) === part.series) return undefined
    let s = this.#peers.get(peerId)
    // A new series replaces the peer's unfinished one: its state has moved on.
    if (s === undefined || s.series !== part.series || s.count !== part.count) {
      this.forget(peerId)
      s = { series: part.series, count: part.count, got: new Set(), vector: new Map(), forks: new Map(), heads: new Map() }
      this.#peers.set(peerId, s)
    }
    if (s.got.has(part.index)) return undefined
    s.got.add(part.index)
    for (const [a, seq] of frame.vector) s.vector.set(a, seq)
    for (const [a, f] of frame.forks ?? []) s.forks.set(a, f)
    for (const [a, h] of frame.heads ?? []) s.heads.set(a, h)
    this.#authors += frame.vector.size
    this.#bound(peerId)
    if (s.got.size < s.count) return undefined
    this.forget(peerId)
    this.#finished.set(peerId, s.series)
    return { type: 'sync', vector: s.vector, heads: s.heads, ...(s.forks.size > 0 ? { forks: s.forks } : {}), ...(frame.scope !== undefined ? { scope: frame.scope } : {}) }
  }

  /** The peer left. */
  leave (peerId: string): void {
    this.forget(peerId)
    this.#finished.delete(peerId)
  }

  /** Drop the peer's unfinished series. */
  forget (peerId: string): void {
    const s = this.#peers.get(peerId)
    if (s === undefined) return
    this.#authors -= s.vector.size
    this.#peers.delete(peerId)
  }

  /** Authors held in unfinished series (for tests and the stats). */
  get authors (): number { return this.#authors }

  /** Over the bound, drop the oldest series first (Map order: the one started first), never the one just added to. */
  #bound (current: string): void {
    for (const peerId of this.#peers.keys()) {
      if (this.#authors <= this.maxAuthors) return
      if (peerId !== current) this.forget(peerId)
    }
    if (this.#authors > this.maxAuthors) this.forget(current)
  }
}
