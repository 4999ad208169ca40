/**
 * The checkers of a chaos run (in the manner of Jepsen's): given what each peer
 * holds at the end and what was confirmed, say what was lost, duplicated or
 * out of order. Pure functions of their inputs.
 *
 * const v = checkHistories(new Map([['p0', h0], ['p1', h1]]), confirmedIds)
 * v.lost          // ['id@p1', …]: confirmed but missing on a peer
 */

export interface HeldMessage {
  id: string
  /** Who wrote it (a peer id); not compared. */
  author?: string
  deps: string[]
  /** What is shown of it (text, edited, deleted, reactions), compared across peers; absent: not compared. */
  state?: string
  /** Its author's own, marked as refused by the members of a room that had removed it. */
  refused?: boolean
  /** Shown pinned, by this peer id (the author of the deciding pin); absent: not pinned. */
  pinnedBy?: string
}

/** One entry of a process's answer to `pins`: a pinned message and its deciding pin. */
export interface PinnedEntry {
  id: string
  by: string
  at: number
  lamport: number
}

export interface Verdict {
  /** `id@peer` for each confirmed message a peer does not hold. */
  lost: string[]
  /** `id@peer` for each id a peer holds more than once. */
  duplicates: string[]
  /** Peers whose order differs from the first peer's, with the first index that differs. */
  orderDiffs: string[]
  /**
   * `id@peer` for each message shown before one of its deps, or without one that another peer shows.
   * (A dep no peer shows is an edit, delete or reaction: those are not chat lines.)
   */
  causal: string[]
  /** `id@peer: state` for each message a peer shows otherwise than the first peer (edits, deletes, reactions). */
  stateDiffs: string[]
}

export function checkHistories (histories: ReadonlyMap<string, readonly HeldMessage[]>, confirmed: Iterable<string>): Verdict {
  const v: Verdict = { lost: [], duplicates: [], orderDiffs: [], causal: [], stateDiffs: [] }
  const wanted = [...confirmed]
  const shownAnywhere = new Set([...histories.values()].flatMap(msgs => msgs.map(m => m.id)))
  let reference: { peer: string, ids: string[], states: Map<string, string | undefined> } | undefined
  for (const [peer, msgs] of histories) {
    const ids = msgs.map(m => m.id)
    const at = new Map<string, number>()
    ids.forEach((id, i) => {
      if (at.has(id)) v.duplicates.push(`${id}@${peer}`)
      else at.set(id, i)
    })
    for (const id of wanted) if (!at.has(id)) v.lost.push(`${id}@${peer}`)
    msgs.forEach((m, i) => {
      for (const d of m.deps) {
        const j = at.get(d)
        if (j === undefined ? shownAnywhere.has(d) : j >= i) v.causal.push(`${m.id}@${peer}`)
      }
    })
    if (reference === undefined) {
      reference = { peer, ids, states: new Map(msgs.map(m => [m.id, m.state])) }
    } else {
      for (const m of msgs) {
        const theirs = reference.states.get(m.id)
        if (reference.states.has(m.id) && theirs !== m.state) v.stateDiffs.push(`${m.id}@${peer}: ${String(m.state)} where ${reference.peer} shows ${String(theirs)}`)
      }
      const ref = reference.ids
      let k = 0
      while (k < ids.length && k < ref.length && ids[k] === ref[k]) k++
      if (k < ids.length || k < ref.length) v.orderDiffs.push(`${peer} differs from ${reference.peer} at ${k}`)
    }
  }
  return v
}

/** Ids delivered twice by one process run: `id@peer`. */
export function duplicateDeliveries (peer: string, runs: ReadonlyArray<readonly string[]>): { withinRun: string[], acrossRuns: string[] } {
  const withinRun: string[] = []
  const seen = new Set<string>()
  const acrossRuns = new Set<string>()
  for (const ids of runs) {
    const here = new Set<string>()
    for (const id of ids) {
      if (here.has(id)) withinRun.push(`${id}@${peer}`)
      else if (seen.has(id)) acrossRuns.add(`${id}@${peer}`)
      here.add(id)
    }
    for (const id of here) seen.add(id)
  }
  return { withinRun, acrossRuns: [...acrossRuns] }
}

/**
 * The `pins` answers of every process of one conversation, asked at one moment after the histories
 * agreed: each must list the same messages, pinned by the same pins, in the same order as the
 * first; and each must agree with its own history: a message its history shows pinned is listed
 * (by the same peer), one listed and in its history is shown pinned there. `full`: the size at which
 * a list is cut (the newest pins only), past which a pinned message may be left off.
 */
export function checkPins (lists: ReadonlyMap<string, readonly PinnedEntry[]>, histories: ReadonlyMap<string, readonly HeldMessage[]>, full: number): string[] {
  const out: string[] = []
  const key = (e: PinnedEntry): string => `${e.id.slice(0, 8)} by ${e.by.slice(-6)} at L${e.lamport}/${e.at}`
  let reference: { peer: string, keys: string[] } | undefined
  for (const [peer, list] of lists) {
    const keys = list.map(key)
    if (reference === undefined) reference = { peer, keys }
    else if (keys.join() !== reference.keys.join()) out.push(`${peer} lists pins [${keys.join(', ')}] where ${reference.peer} lists [${reference.keys.join(', ')}]`)
    const listed = new Map(list.map(e => [e.id, e.by]))
    for (const m of histories.get(peer) ?? []) {
      const by = listed.get(m.id)
      if (m.pinnedBy !== undefined && by === undefined && list.length < full) out.push(`${m.id.slice(0, 8)}@${peer}: shown pinned in its history, not in its pins`)
      else if (by !== undefined && m.pinnedBy !== by) out.push(`${m.id.slice(0, 8)}@${peer}: in its pins by ${by.slice(-6)}, shown ${m.pinnedBy === undefined ? 'unpinned' : `pinned by ${m.pinnedBy.slice(-6)}`} in its history`)
    }
  }
  return out
}
