/**
 * The space-time diagram's data: a room's recent messages with who delivered
 * each at which Lamport time (receipts), and their causal relations. A
 * message's causal past is everything reachable through `deps` (its author had
 * delivered those when it wrote it); two messages are concurrent when neither
 * is in the other's past. Pure: the caller passes every message it knows
 * (deps cross rooms) and a receipt lookup.
 */
import type { MessageView } from '../chat/types.js'
import type { Trace, TraceMessage, TraceReceipt, UserMode } from '../../preload/contract.js'

/** The diagram draws this many of a room's latest messages. */
export const TRACE_LIMIT = 40

export interface TraceInput {
  room: string
  self: { peerId: string; name: string }
  mode: UserMode
  /** The room's messages in display order. */
  history: MessageView[]
  /** Every message known, all rooms: causal paths may pass through other rooms. */
  all: Iterable<MessageView>
  receiptsOf: (id: string) => TraceReceipt[]
  /** Names of peers we know, by id. */
  names: Map<string, string>
  /**
   * What a message not in `all` depends on, and its Lamport time: an edit, a
   * reaction, a delete or a room's note, which no history shows but which a
   * later message may name (undefined: not here).
   */
  causalOf?: (id: string) => { deps: readonly string[]; lamport: number } | undefined
  /** `history` is the room's newest part only: there is more before it. */
  more?: boolean
  limit?: number
}

/** Which of `targets` lie in the causal past of `start`. */
function pastOf(start: MessageView, byId: (id: string) => { deps: readonly string[]; lamport: number } | undefined, targets: Set<string>, floor: number): string[] {
  const found: string[] = []
  const seen = new Set<string>()
  const stack = [...start.deps]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    if (targets.has(id)) found.push(id)
    const m = byId(id)
    // Lamport time grows along every causal path, so nothing older than the oldest shown message can lead to one.
    if (m === undefined || m.lamport < floor) continue
    for (const d of m.deps) if (!seen.has(d)) stack.push(d)
  }
  return found
}

export function buildTrace(input: TraceInput): Trace {
  const limit = input.limit ?? TRACE_LIMIT
  // What waits as pending (a client cut off from its hub) is not drawn yet: it is newer than all, not left out as older.
  const drawable = input.history.filter((m) => m.pending !== true)
  const shown = drawable.slice(-limit)
  const byId = new Map<string, MessageView>()
  for (const m of input.all) byId.set(m.id, m)
  const ids = new Set(shown.map((m) => m.id))
  const floor = shown.reduce((min, m) => Math.min(min, m.lamport), Infinity)
  // Through the events a history leaves out too (a reaction's or an edit's deps lead on to what came before it).
  // (Each looked up once: every message's walk passes through the same few.)
  const looked = new Map<string, { deps: readonly string[]; lamport: number } | undefined>()
  const causal = (id: string): { deps: readonly string[]; lamport: number } | undefined => {
    const shownOne = byId.get(id)
    if (shownOne !== undefined || input.causalOf === undefined) return shownOne
    if (!looked.has(id)) looked.set(id, input.causalOf(id))
    return looked.get(id)
  }
  const past = new Map(shown.map((m) => [m.id, new Set(pastOf(m, causal, ids, floor))]))

  const messages: TraceMessage[] = shown.map((m) => ({
    id: m.id,
    author: m.author,
    name: m.name,
    text: m.text,
    ...(m.deleted === true ? { deleted: true } : {}),
    lamport: m.lamport,
    sentAt: m.sentAt,
    ...(m.deliveredAt !== undefined ? { deliveredAt: m.deliveredAt } : {}),
    ...(m.seq !== undefined ? { seq: m.seq } : {}),
    past: [...past.get(m.id)!],
    // A client's deps hold only its own chain (the hub orders the rest), so "concurrent" would say little there.
    concurrent: input.mode !== 'p2p' ? [] : shown.filter((o) => o.id !== m.id && !past.get(m.id)!.has(o.id) && !past.get(o.id)!.has(m.id)).map((o) => o.id),
    receipts: input.receiptsOf(m.id).filter((r) => r.by !== m.author).sort((a, b) => a.lamport - b.lamport)
  }))

  // One line per peer that appears: this app first, then by name.
  const names = new Map(input.names)
  names.set(input.self.peerId, input.self.name)
  for (const m of messages) if (!names.has(m.author) || names.get(m.author) === '') names.set(m.author, m.name)
  const present = new Set<string>([input.self.peerId])
  for (const m of messages) {
    present.add(m.author)
    for (const r of m.receipts) present.add(r.by)
  }
  const others = [...present].filter((p) => p !== input.self.peerId)
    .map((peerId) => ({ peerId, name: names.get(peerId) ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.peerId.localeCompare(b.peerId))
  return {
    room: input.room,
    self: input.self.peerId,
    mode: input.mode,
    peers: [{ peerId: input.self.peerId, name: input.self.name }, ...others],
    messages,
    omitted: drawable.length - shown.length,
    ...(input.more === true ? { omittedMore: true } : {})
  }
}
