/**
 * Layout of the space-time diagram: one vertical line per peer, time going
 * down. The vertical axis is Lamport time, not wall time: every event with the
 * same Lamport value sits on one row, which is the point — Lamport order is
 * all the peers agree on. A message is a send event on its author's line and
 * one arrow per delivery (receipt) to the receiver's line.
 */
import { previewText, type Trace, type TraceMessage } from '../../preload/contract'

export const LANE = 130
export const ROW = 26
export const TOP = 54
export const LEFT = 120
/** Where a diagram must fit a narrow panel: lanes no closer than this, margins no smaller than these. */
const MIN_LANE = 60
const MIN_LEFT = 112
const MIN_RIGHT = 100

export interface Lane { peerId: string; name: string; x: number }
/**
 * Where a send event's two lines of words go: its stamp's baseline at (x, y),
 * the message's first words one line below, on the side `anchor` says.
 */
export interface Label { x: number; y: number; anchor: 'start' | 'end'; stamp: string; words: string }
export interface SendEvent { id: string; x: number; y: number; lamport: number; message: TraceMessage; label: Label }
export interface Arrow { id: string; by: string; x1: number; y1: number; x2: number; y2: number; lamport: number }

/** Where an arrow's line ends: short of the receiver's line, for the arrowhead. */
export const tipX = (a: Arrow): number => a.x2 + (a.x2 > a.x1 ? -5 : 5)

export interface Layout {
  width: number
  /** From one lane to the next: what a lane's name may take. */
  lane: number
  height: number
  lanes: Lane[]
  sends: SendEvent[]
  arrows: Arrow[]
  /** Lamport value of each row, top to bottom. */
  rows: number[]
  rowY: (lamport: number) => number
}

/**
 * Lanes as wide as `fit` (the width there is to draw in) allows: the natural
 * spacing when it fits, closer lanes and narrower margins where it does not,
 * down to a floor below which the drawing scrolls rather than lose its words.
 */
function spacing(peers: number, fit: number | undefined): { left: number; lane: number; right: number } {
  const lane = peers <= 4 ? LANE : 92
  const natural = { left: LEFT, lane, right: lane }
  if (fit === undefined || peers === 0 || LEFT + (peers - 1) * lane + lane <= fit) return natural
  const gaps = Math.max(1, peers - 1)
  const closer = Math.floor((fit - MIN_LEFT - MIN_RIGHT) / gaps)
  return { left: MIN_LEFT, lane: Math.max(MIN_LANE, Math.min(lane, closer)), right: MIN_RIGHT }
}

export function layout(trace: Trace, fit?: number): Layout {
  const { left, lane, right } = spacing(trace.peers.length, fit)
  const lanes = trace.peers.map((p, i) => ({ ...p, x: left + i * lane }))
  const xOf = new Map(lanes.map((l) => [l.peerId, l.x]))
  const values = new Set<number>()
  for (const m of trace.messages) {
    values.add(m.lamport)
    for (const r of m.receipts) values.add(r.lamport)
  }
  const rows = [...values].sort((a, b) => a - b)
  const index = new Map(rows.map((v, i) => [v, i]))
  const first = lanes[0]?.x
  const last = lanes.length > 1 ? lanes[lanes.length - 1]!.x : undefined
  // A lane between others that sends on the first row has arrows leaving its dot both ways and the
  // names above it: a row's room above the first, so its label can go there, clear of both.
  const between = (m: TraceMessage): boolean => { const x = xOf.get(m.author); return x !== undefined && x !== first && x !== last }
  const top = TOP + (trace.messages.some((m) => m.lamport === rows[0] && between(m)) ? ROW : 0)
  const rowY = (lamport: number): number => top + (index.get(lamport) ?? 0) * ROW
  const width = left + Math.max(0, lanes.length - 1) * lane + right
  const arrows: Arrow[] = []
  const events: Array<Omit<SendEvent, 'label'>> = []
  for (const m of trace.messages) {
    const x = xOf.get(m.author)
    if (x === undefined) continue
    const y = rowY(m.lamport)
    events.push({ id: m.id, x, y, lamport: m.lamport, message: m })
    for (const r of m.receipts) {
      const x2 = xOf.get(r.by)
      if (x2 !== undefined) arrows.push({ id: m.id, by: r.by, x1: x, y1: y, x2, y2: rowY(r.lamport), lamport: r.lamport })
    }
  }
  // What a label must not lie on: every arrow, the stamps at the arrows' heads, and the labels placed before it.
  const taken: Box[] = arrows.map((a) => arrowStampBox(a))
  const sends = events.map((e): SendEvent => {
    const label = placeLabel(e, { first, last, width, arrows, taken })
    taken.push(labelBox(label))
    return { ...e, label }
  })
  return {
    width,
    lane,
    height: top + Math.max(1, rows.length) * ROW + 20,
    lanes,
    sends,
    arrows,
    rows,
    rowY
  }
}

/** A rectangle of the drawing: left, top, right, bottom. */
interface Box { x1: number; y1: number; x2: number; y2: number }

/** A message's text as a reader sees it (markers gone, on one line), or that it was deleted. */
export const readText = (m: TraceMessage): string => (m.deleted === true ? '(deleted)' : previewText(m.text))

/** The first `n` characters of a message, "…" where cut. */
export const snippet = (m: TraceMessage, n = 16): string => {
  const text = readText(m)
  return text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text
}

// Text widths are estimated (the layout runs before anything is drawn): generous for system-ui.
const STAMP_EM = 7.2 // the stamp: bold, 11 px
const WORDS_EM = 5.4 // the words: 9 px
const DELIVERY_EM = 6.2 // a delivery's stamp: 10 px

function labelBox(l: Label): Box {
  const w = Math.max(l.stamp.length * STAMP_EM, l.words.length * WORDS_EM)
  const x1 = l.anchor === 'start' ? l.x : l.x - w
  // From the stamp's cap height to below the words' line (or the stamp's, without words).
  return { x1, y1: l.y - 9, x2: x1 + w, y2: l.y + (l.words === '' ? 3 : ROW / 2 + 3) }
}

function arrowStampBox(a: Arrow): Box {
  const w = `L${a.lamport}`.length * DELIVERY_EM
  const right = a.x2 >= a.x1
  const x = a.x2 + (right ? 6 : -6)
  return { x1: right ? x : x - w, y1: a.y2 - 5, x2: right ? x + w : x, y2: a.y2 + 6 }
}

const overlaps = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2

/** Whether the segment from (x1, y1) to (x2, y2) passes through the box (Liang–Barsky clipping). */
function crosses(b: Box, x1: number, y1: number, x2: number, y2: number): boolean {
  let t0 = 0
  let t1 = 1
  const dx = x2 - x1
  const dy = y2 - y1
  for (const [p, q] of [[-dx, x1 - b.x1], [dx, b.x2 - x1], [-dy, y1 - b.y1], [dy, b.y2 - y1]] as const) {
    if (p === 0) {
      if (q < 0) return false
    } else {
      const t = q / p
      if (p < 0) t0 = Math.max(t0, t)
      else t1 = Math.min(t1, t)
      if (t0 > t1) return false
    }
  }
  return true
}

/**
 * A send event's label goes where it covers no arrow and no other label: the
 * first lane's on its left and the last lane's on its right, which no arrow
 * reaches; a lane between others tries left and right of its dot, level with
 * it and then just above it (its own arrows leave downwards). Where none of
 * these is free, as between crowded lanes, the stamp alone is tried in the
 * same places (the words stay in the event's tooltip); where even that
 * covers something, the whole label goes where it covers least.
 */
function placeLabel(
  e: Omit<SendEvent, 'label'>,
  around: { first: number | undefined; last: number | undefined; width: number; arrows: Arrow[]; taken: Box[] }
): Label {
  const stamp = `L${e.lamport}${e.message.concurrent.length > 0 ? ' ∥' : ''}`
  const words = snippet(e.message)
  const left = { x: e.x - 9, anchor: 'end' as const }
  const right = { x: e.x + 9, anchor: 'start' as const }
  const sides = e.x === around.first ? [left] : e.x === around.last ? [right] : [left, right]
  const places = [e.y + 4, e.y - ROW / 2 - 5].flatMap((y) => sides.map((side) => ({ ...side, y, stamp })))
  const cost = (label: Label): number => {
    const box = labelBox(label)
    const inside = { x1: box.x1 + 1, y1: box.y1 + 1, x2: box.x2 - 1, y2: box.y2 - 1 }
    let n = box.x1 < 0 || box.x2 > around.width || box.y1 < TOP - 14 ? 100 : 0
    for (const a of around.arrows) if (crosses(inside, a.x1, a.y1, tipX(a), a.y2)) n += 10
    for (const t of around.taken) if (overlaps(inside, t)) n += 3
    return n
  }
  const whole = places.map((p): Label => ({ ...p, words }))
  const free = [...whole, ...places.map((p): Label => ({ ...p, words: '' }))].find((label) => cost(label) === 0)
  if (free !== undefined) return free
  return whole.reduce((best, label) => (cost(label) < cost(best) ? label : best))
}
