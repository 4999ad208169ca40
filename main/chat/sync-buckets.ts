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
 * const ours = buckets.of(log)                       // 2 KiB, cached until the log changes
 * const differ = differingBuckets(ours, theirs)      // e.g. Set { 17, 203 }
 * const scoped = restrict(log.vector(), differ)      // the vector of those buckets' authors
 * ```
 */
import { createHash } from 'node:crypto'
import type { CausalLog, VersionVector } from '../core/causal.js'
import type { ForkDigests, HeadIds } from '../core/forks.js'

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

/** Each author's line of a log's state, in author order: its number, newest id and fork state (what digests hash). */
export function * stateLines (log: CausalLog): Generator<string> {
  const vector = log.vector()
  const heads = log.headIds()
  const forks = log.forkDigests()
  for (const author of [...vector.keys()].sort()) {
    const f = forks.get(author)
    yield `${author}:${vector.get(author)}:${heads.get(author) ?? ''}:${f === undefined ? '' : `${f.floor}/${f.count}/${f.digest}`}\n`
  }
}

/** Bucket digests of a log's state, computed again only after it changed. */
export class BucketDigests {
  #cached: { log: CausalLog, version: number, value: Uint8Array } | undefined

  of (log: CausalLog): Uint8Array {
    const c = this.#cached
    if (c !== undefined && c.log === log && c.version === log.version) return c.value
    const lines: string[][] = Array.from({ length: BUCKETS }, () => [])
    for (const line of stateLines(log)) lines[bucketOf(line.slice(0, line.indexOf(':')))]!.push(line)
    const value = new Uint8Array(BUCKETS * BUCKET_DIGEST_BYTES)
    lines.forEach((ls, b) => {
      const h = createHash('sha256')
      for (const l of ls) h.update(l)
      value.set(h.digest().subarray(0, BUCKET_DIGEST_BYTES), b * BUCKET_DIGEST_BYTES)
    })
    this.#cached = { log, version: log.version, value }
    return value
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

/** The vector, forks and heads of the authors in `scope` only. */
export function restrict (vector: VersionVector, forks: ForkDigests, heads: HeadIds, scope: Set<number>): { vector: VersionVector, forks: ForkDigests, heads: HeadIds } {
  const v: VersionVector = new Map()
  const f: ForkDigests = new Map()
  const h: HeadIds = new Map()
  for (const [author, seq] of vector) {
    if (!scope.has(bucketOf(author))) continue
    v.set(author, seq)
    const fork = forks.get(author)
    if (fork !== undefined) f.set(author, fork)
    const head = heads.get(author)
    if (head !== undefined) h.set(author, head)
  }
  return { vector: v, forks: f, heads: h }
}
