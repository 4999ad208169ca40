/**
 * Reconciling two version vectors by buckets: bytes grow with what differs,
 * not with how many authors exist. Authors fall into BUCKETS buckets by a
 * hash of their id; each bucket has a digest (8 bytes of SHA-256 over its
 * authors' numbers, newest ids and fork states, in order). When two peers'
 * whole-state digests differ, one sends its bucket digests (2 KiB) and the
 * other answers with its vector for the buckets that differ only, marked with
 * that scope: "in these buckets, this is all I have" — which the first
 * answers with the messages the other lacks, as for a whole vector.
 *
 * With 10,000 authors and a few messages in flight, that is a few buckets of
 * ~40 authors (a few KB) instead of the whole vector (~600 KB).
 *
 * @example
 * ```ts
 * const summary = new StateSummary()
 * const ours = summary.buckets(log)                  // 2 KiB, kept up to date as the log changes
 * const differ = differingBuckets(ours, theirs)      // e.g. Set { 17, 203 }
 * const scoped = summary.scoped(log, differ)         // the vector of those buckets' authors
 * ```
 */
import { createHash } from 'node:crypto'
import type { CausalLog, VersionVector } from '../core/causal.js'
import { HEAD_CHARS, MAX_FORK_ENTRIES, type ForkDigests, type HeadIds } from '../core/forks.js'

import { BUCKETS, BUCKET_DIGEST_BYTES } from '../net/sync-shape.js'

export { BUCKETS, BUCKET_DIGEST_BYTES }

/** Which bucket an author's entries fall in: a 32-bit FNV-1a of its id (the same on every peer). */
export function bucketOf (author: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < author.length; i++) {
    h ^= author.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % BUCKETS
}

/** An author's line of a log's state: its number, newest id and fork state (what the digests hash). */
function lineOf (log: CausalLog, author: string): string | undefined {
  const last = log.last(author)
  if (last === undefined) return undefined
  const f = log.forkOf(author)
  return `${author}:${last.seq}:${last.id.slice(0, HEAD_CHARS)}:${f === undefined ? '' : `${f.floor}/${f.count}/${f.digest}`}\n`
}

/**
 * A log's state summarised for sync, kept up to date as messages are
 * delivered: a digest per bucket (SHA-256 of its authors' lines in author
 * order, first BUCKET_DIGEST_BYTES bytes) and a digest of the whole (SHA-256
 * of the bucket digests). A delivery changes one author's line, so only its
 * bucket is hashed again: ~BUCKETS times less than hashing every author,
 * which with 10,000 authors was most of a classroom's CPU (each peer's
 * digest was asked for on every link, and every delivery made it stale).
 */
export class StateSummary {
  #log: CausalLog | undefined
  #version = -1
  readonly #lines = new Map<string, string>()
  readonly #members: Array<Set<string>> = Array.from({ length: BUCKETS }, () => new Set())
  readonly #digests = new Uint8Array(BUCKETS * BUCKET_DIGEST_BYTES)
  #whole = ''

  /** The bucket digests (BUCKETS × BUCKET_DIGEST_BYTES bytes; a copy: a frame may hold it past the next delivery). */
  buckets (log: CausalLog): Uint8Array {
    this.#update(log)
    return this.#digests.slice()
  }

  /** The digest of the whole state, hex. */
  digest (log: CausalLog): string {
    this.#update(log)
    return this.#whole
  }

  /** The vector, forks and heads of the authors in `scope` only (what a scoped sync says). */
  scoped (log: CausalLog, scope: Set<number>): { vector: VersionVector, forks: ForkDigests, heads: HeadIds } {
    this.#update(log)
    const vector: VersionVector = new Map()
    const forks: ForkDigests = new Map()
    const heads: HeadIds = new Map()
    for (const b of scope) {
      for (const author of this.#members[b] ?? []) {
        const last = log.last(author)
        if (last === undefined) continue
        vector.set(author, last.seq)
        heads.set(author, last.id.slice(0, HEAD_CHARS))
        const fork = log.forkOf(author)
        if (fork !== undefined && forks.size < MAX_FORK_ENTRIES) forks.set(author, fork)
      }
    }
    return { vector, forks, heads }
  }

  #update (log: CausalLog): void {
    if (log === this.#log && log.version === this.#version) return
    const changed = log === this.#log ? log.changedSince(this.#version) : undefined
    const dirty = new Set<number>()
    if (changed === undefined) {
      this.#lines.clear()
      for (const m of this.#members) m.clear()
      for (const author of log.vector().keys()) this.#set(log, author, dirty)
      for (let b = 0; b < BUCKETS; b++) dirty.add(b)
    } else {
      for (const author of new Set(changed)) this.#set(log, author, dirty)
    }
    for (const b of dirty) {
      const h = createHash('sha256')
      for (const author of [...this.#members[b]!].sort()) h.update(this.#lines.get(author)!)
      this.#digests.set(h.digest().subarray(0, BUCKET_DIGEST_BYTES), b * BUCKET_DIGEST_BYTES)
    }
    if (dirty.size > 0) this.#whole = createHash('sha256').update(this.#digests).digest('hex')
    this.#log = log
    this.#version = log.version
  }

  #set (log: CausalLog, author: string, dirty: Set<number>): void {
    const line = lineOf(log, author)
    if (line === undefined || this.#lines.get(author) === line) return
    const b = bucketOf(author)
    this.#lines.set(author, line)
    this.#members[b]!.add(author)
    dirty.add(b)
  }
}

/** The buckets whose digests differ. */
export function differingBuckets (ours: Uint8Array, theirs: Uint8Array): Set<number> {
  const out = new Set<number>()
  for (let b = 0; b < BUCKETS; b++) {
    for (let i = b * BUCKET_DIGEST_BYTES; i < (b + 1) * BUCKET_DIGEST_BYTES; i++) {
      if (ours[i] !== theirs[i]) { out.add(b); break }
    }
  }
  return out
}

/** A set of buckets as a 256-bit bitmap (the wire's `scope`), and back. */
export function scopeBits (buckets: Iterable<number>): Uint8Array {
  const bits = new Uint8Array(BUCKETS / 8)
  for (const b of buckets) bits[b >> 3]! |= 1 << (b & 7)
  return bits
}

export function scopeSet (bits: Uint8Array): Set<number> {
  const out = new Set<number>()
  for (let b = 0; b < BUCKETS; b++) if ((bits[b >> 3]! & (1 << (b & 7))) !== 0) out.add(b)
  return out
}
