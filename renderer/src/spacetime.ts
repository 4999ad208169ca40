/**
 * Layout of the space-time diagram: one vertical line per peer, time going
 * down. The vertical axis is Lamport time, not wall time: every event with the
 * same Lamport value sits on one row, which is the point — Lamport order is
 * all the peers agree on. A message is a send event on its author's line and
 * one arrow per delivery (receipt) to the receiver's line.
 */
import type { Trace, TraceMessage } from '../../preload/contract'

export const LANE = 130
export const ROW = 26
export const TOP = 54
export const LEFT = 120

export interface Lane { peerId: string; name: string; x: number }
export interface SendEvent { id: string; x: number; y: number; lamport: number; message: TraceMessage }
export interface Arrow { id: string; by: string; x1: number; y1: number; x2: number; y2: number; lamport: number }

export interface Layout {
  width: number
  height: number
  lanes: Lane[]
  sends: SendEvent[]
  arrows: Arrow[]
  /** Lamport value of each row, top to bottom. */
  rows: number[]
  rowY: (lamport: number) => number
}

export function layout(trace: Trace): Layout {
  // Narrower lanes when there are many peers, so the walkthrough's six fit the panel.
  const lane = trace.peers.length <= 4 ? LANE : 92
  const lanes = trace.peers.map((p, i) => ({ ...p, x: LEFT + i * lane }))
  const xOf = new Map(lanes.map((l) => [l.peerId, l.x]))
  const values = new Set<number>()
  for (const m of trace.messages) {
    values.add(m.lamport)
    for (const r of m.receipts) values.add(r.lamport)
  }
  const rows = [...values].sort((a, b) => a - b)
  const index = new Map(rows.map((v, i) => [v, i]))
  const rowY = (lamport: number): number => TOP + (index.get(lamport) ?? 0) * ROW
  const sends: SendEvent[] = []
  const arrows: Arrow[] = []
  for (const m of trace.messages) {
    const x = xOf.get(m.author)
    if (x === undefined) continue
    const y = rowY(m.lamport)
    sends.push({ id: m.id, x, y, lamport: m.lamport, message: m })
    for (const r of m.receipts) {
      const x2 = xOf.get(r.by)
      if (x2 !== undefined) arrows.push({ id: m.id, by: r.by, x1: x, y1: y, x2, y2: rowY(r.lamport), lamport: r.lamport })
    }
  }
  return {
    width: LEFT + Math.max(1, lanes.length) * lane,
    height: TOP + Math.max(1, rows.length) * ROW + 20,
    lanes,
    sends,
    arrows,
    rows,
    rowY
  }
}
