/**
 * Forks of an author's chain. An honest author numbers its messages 1, 2, 3…
 * and links each to the one before; two different messages with the same
 * number are a fork: a key that signs both (an attack), or an honest peer
 * whose data directory was restored from a backup or copied to a second
 * computer. Refusing the second one would split honest peers (each keeps the
 * one it saw first, then refuses what others build on the other), so every
 * peer keeps every branch, and the author is shown as forked.
 *
 * A version vector names an author's highest number, which no longer says
 * what a peer has of a forked author. So the sync names, for each forked
 * author, where the fork starts (the floor), how many of its messages the
 * peer has and a digest of their ids (XOR of the ids: the same set gives the
 * same digest in any order); a peer whose set differs gets the author's
 * messages from the floor up, and the two converge on the union. A fork that
 * neither side has seen yet (each holds one branch) shows as the same number
 * with another newest id: the sync names each author's newest id too, and a
 * peer that sees a different one sends its own, which makes the other a
 * peer that has seen the fork.
 */

/** What a peer has of a forked author. */
export interface ForkState {
  /** The lowest number held by two different messages. */
  floor: number
  /** How many of the author's messages the peer has, all branches. */
  count: number
  /** The XOR of their ids (hex, 32 bytes). */
  digest: string
}

/** What a sync says of forked authors: author → its fork state at the sender. */
export type ForkDigests = Map<string, ForkState>

/** What a sync says of each author's newest message: the first HEAD_CHARS of its id. */
export type HeadIds = Map<string, string>
export const HEAD_CHARS = 16

/** Most forked authors a sync names (a sync is a bounded frame). */
export const MAX_FORK_ENTRIES = 256

const ZERO = '0'.repeat(64)

/** XOR of two 32-byte ids in hex. */
export function xorIds (a: string, b: string): string {
  let out = ''
  for (let i = 0; i < 64; i += 8) {
    const x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0
    out += x.toString(16).padStart(8, '0')
  }
  return out
}

/** The fork state of an author from all its message ids and the floor. */
export function forkStateOf (floor: number, ids: Iterable<string>): ForkState {
  let count = 0
  let digest = ZERO
  for (const id of ids) {
    count++
    digest = xorIds(digest, id)
  }
  return { floor, count, digest }
}

/**
 * From which number on to send a peer an author's messages, given what its
 * sync said: past its highest number as usual; for an author forked on
 * either side whose sets differ, from the lower of the two floors (below it
 * both hold the same single chain, or the vector tells).
 */
export function sendFrom (have: number, ours: ForkState | undefined, theirs: ForkState | undefined, heads?: { ours: string, theirs: string | undefined, seq: number }): number {
  if (ours === undefined && theirs === undefined) {
    // Neither has seen a fork, but at the same number our newest differs from theirs: send ours.
    if (heads?.theirs !== undefined && have === heads.seq && heads.theirs !== heads.ours.slice(0, HEAD_CHARS)) return have - 1
    return have
  }
  if (ours !== undefined && theirs !== undefined && ours.count === theirs.count && ours.digest === theirs.digest) return have
  const floor = Math.min(ours?.floor ?? Infinity, theirs?.floor ?? Infinity)
  return Math.min(have, floor - 1)
}
