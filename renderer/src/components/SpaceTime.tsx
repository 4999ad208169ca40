import { useContext, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { call, describe } from '../api'
import type { Readers } from '../delivery'
import { exportPng, exportSvg } from '../exportImage'
import { exportName } from '../exportName'
import { hueOf, shortId } from '../format'
import { useLive } from '../live'
import { Blocked } from './People'
import type { TraceMessage } from '../../../preload/contract'
import { layout, readText, ROW, snippet, tipX, TOP } from '../spacetime'
import { useShownTheme } from '../theme'

/**
 * The diagram's colours, one set per theme. They are written on the drawing
 * itself (not taken from the stylesheet), so an export looks as it was shown.
 */
const PALETTES = {
  light: { paper: '#ffffff', ink: '#1c2130', faint: '#7a8096', selected: '#4f6bed', past: '#2fa55a', concurrent: '#d9822b', name: '55% 40%', line: '55% 45%' },
  dark: { paper: '#1b1e27', ink: '#e4e7f0', faint: '#8e95ab', selected: '#7d92ff', past: '#47c777', concurrent: '#f0a050', name: '65% 70%', line: '50% 58%' }
} as const

/** The width there is to draw in, followed as the panel or the window changes size. */
function useWidth(el: HTMLElement | null): number | undefined {
  const [width, setWidth] = useState<number>()
  useLayoutEffect(() => {
    if (el === null) return
    const measure = (): void => setWidth(el.clientWidth)
    measure()
    const resize = new ResizeObserver(measure)
    resize.observe(el)
    return () => resize.disconnect()
  }, [el])
  return width
}

/** "a", "a and b", "a, b and c". */
const listed = (items: string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`)

/** The lane names' font, as the drawing sets it below: what they are measured in. */
const NAME_FONT = '600 11px system-ui, sans-serif'
let ruler: CanvasRenderingContext2D | null | undefined

/**
 * The longest start of `text` that fits `width` px, "…" where cut: SVG text does not ellipsize
 * itself, and a long name drawn whole, centred on its lane, lay over its neighbours' names.
 */
function fitted(text: string, width: number): string {
  ruler ??= document.createElement('canvas').getContext('2d')
  if (ruler === null) return text
  ruler.font = NAME_FONT
  const fits = (t: string): boolean => ruler!.measureText(t).width <= width
  if (fits(text)) return text
  let lo = 0
  let hi = text.length - 1
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(`${text.slice(0, mid).trimEnd()}…`)) lo = mid
    else hi = mid - 1
  }
  return `${text.slice(0, lo).trimEnd()}…`
}

/**
 * The space-time diagram of the open room, live: lines are peers, dots are
 * send events, arrows are deliveries (one per receipt) labelled with the
 * receiver's Lamport time. Click a message to light up its causal past
 * (green) and what is concurrent with it (orange).
 */
export function SpaceTime({ room, where, readers, readersThen }: { room: string; where: string; readers?: Readers; readersThen?: ReadonlyMap<string, Readers> }) {
  // An edit or a delete too ('message:updated'): without it a deleted message's words stayed drawn, and offered in the list below.
  const live = useLive(() => call('trace', { room }), ['message', 'message:updated', 'receipt', 'ready', 'peers'], null, room)
  const [selected, setSelected] = useState<string>()
  const [problem, setProblem] = useState<string>()
  const svg = useRef<SVGSVGElement>(null)
  const [frame, setFrame] = useState<HTMLDivElement | null>(null)
  const fit = useWidth(frame)
  const colours = PALETTES[useShownTheme()]
  // A blocked person's words are folded here too, as in the conversation: their dot and arrows stay, their text does not.
  const blocked = useContext(Blocked)
  const trace = useMemo(() => {
    const t = live.data
    const hidden = (m: TraceMessage): boolean => m.author !== t?.self && blocked.has(m.author) && m.deleted !== true
    if (t === undefined || !t.messages.some(hidden)) return t
    return { ...t, messages: t.messages.map((m) => (hidden(m) ? { ...m, text: '(blocked)' } : m)) }
  }, [live.data, blocked])
  const view = useMemo(() => (trace === undefined ? undefined : layout(trace, fit)), [trace, fit])
  if (trace === undefined || view === undefined) return <p className="muted">{live.error ?? 'Loading…'}</p>
  /** An edge of the paper's colour around words, so that where one must cross a line it stays readable (and it is kept in an export). */
  const HALO = { stroke: colours.paper, strokeWidth: 3, strokeLinejoin: 'round', paintOrder: 'stroke' } as const

  const chosen = trace.messages.find((m) => m.id === selected)
  const past = new Set(chosen?.past ?? [])
  const concurrent = new Set(chosen?.concurrent ?? [])
  const colour = (id: string): string =>
    chosen === undefined ? colours.ink : id === chosen.id ? colours.selected : past.has(id) ? colours.past : concurrent.has(id) ? colours.concurrent : colours.faint
  // In a DM or a private room a relay carries a message on sealed, and says so with a receipt: it cannot read it,
  // so its arrow is drawn dashed and named apart ("delivered to" it, beside the row's "delivered to Bob 1/1", said otherwise).
  const sealedFor = (id: string, by: string): boolean => {
    const can = readersThen?.get(id) ?? readers
    const m = trace.messages.find((x) => x.id === id)
    return can !== undefined && by !== trace.self && by !== m?.author && !can.ids.includes(by)
  }
  const carried = view.arrows.filter((a) => sealedFor(a.id, a.by)).length
  // The arrows in words, for whom the drawing is one image: each peer the chosen message was delivered to, and its clock then.
  const laneName = (id: string): string => (id === trace.self ? 'you' : trace.peers.find((p) => p.peerId === id)?.name || shortId(id))
  const read = chosen?.receipts.filter((r) => !sealedFor(chosen.id, r.by)) ?? []
  const relayed = chosen?.receipts.filter((r) => sealedFor(chosen.id, r.by)) ?? []
  const delivered = chosen === undefined || trace.mode === 'client'
    ? ''
    : (read.length === 0 ? ' Not delivered to another reader yet.' : ` Delivered to ${listed(read.map((r) => `${laneName(r.by)} at L${r.lamport}`))}.`) +
      (relayed.length === 0 ? '' : ` Carried on sealed, unread, by ${listed(relayed.map((r) => `${laneName(r.by)} at L${r.lamport}`))}.`)
  const name = exportName(where)
  const save = (f: (el: SVGSVGElement, name: string) => void | Promise<void>) => () => {
    setProblem(undefined)
    const el = svg.current
    if (el !== null) Promise.resolve().then(() => f(el, name)).catch((err: unknown) => setProblem(describe(err)))
  }

  return (
    <div className="spacetime" data-testid="spacetime">
      <div className="toolbar">
        <span className="muted small">
          {trace.messages.length} message{trace.messages.length === 1 ? '' : 's'}
          {/* A client has no receipts: "0 deliveries" said that nothing had reached anyone, of messages everyone has read. */}
          {trace.mode === 'client'
            ? ', each relayed to every client by the hub (no receipts: no arrows)'
            : `, ${view.arrows.length} deliveries${carried > 0 ? ` (${carried} sealed, by relays that cannot read ${carried === 1 ? 'it' : 'them'})` : ''}`}
          {trace.omitted > 0 ? ` (latest only, ${trace.omitted}${trace.omittedMore === true ? '+' : ''} older not drawn)` : ''}
        </span>
        {/* Nothing drawn yet, nothing to export: an empty lane is not a diagram. */}
        <button disabled={trace.messages.length === 0} onClick={save(exportSvg)}>Export SVG</button>
        <button disabled={trace.messages.length === 0} onClick={save((el, n) => exportPng(el, n))}>Export PNG</button>
      </div>
      {/* The messages drawn, to choose one from the keyboard (a dot is clicked with a mouse only); read out by screen readers. */}
      <label className="spacetime-choose small">
        <span>Show the causal past of</span>
        <select value={chosen?.id ?? ''} disabled={trace.messages.length === 0} onChange={(e) => setSelected(e.target.value === '' ? undefined : e.target.value)}>
          <option value="">No message chosen</option>
          {[...trace.messages].sort((x, y) => x.lamport - y.lamport).map((m) => (
            <option key={m.id} value={m.id}>L{m.lamport} {m.name || shortId(m.author)}: {snippet(m, 40)}</option>
          ))}
        </select>
      </label>
      {trace.mode === 'client' && <p className="hint">Client–server: the hub orders and relays; receipts (who delivered what) are a P2P feature, so only send events are drawn.</p>}
      {problem !== undefined && <p className="error small" role="alert">{problem}</p>}
      {/* The frame is paper too: a diagram narrower than the panel leaves no strip of another colour beside it. */}
      <div className="spacetime-scroll" ref={setFrame} style={{ background: colours.paper }}>
        <svg ref={svg} width={view.width} height={view.height} viewBox={`0 0 ${view.width} ${view.height}`} role="img" aria-label={`Space-time diagram of ${where}`} fontFamily="system-ui, sans-serif" fontSize="11">
          <defs>
            {[colours.ink, colours.faint, colours.selected, colours.past, colours.concurrent].map((c) => (
              <marker key={c} id={`head-${c.slice(1)}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" fill={c} />
              </marker>
            ))}
          </defs>
          <rect width={view.width} height={view.height} fill={colours.paper} />
          {view.rows.map((l) => (
            <text key={l} x={8} y={view.rowY(l) + 4} fill={colours.faint} fontSize="10">L{l}</text>
          ))}
          {view.lanes.map((lane, i) => {
            // The walkthrough's stand-in for you is called "you": not "you (you)".
            const named = lane.name || shortId(lane.peerId)
            const whole = `${named}${i === 0 && named.toLowerCase() !== 'you' ? ' (you)' : ''}`
            // Each name keeps to its lane, a little short of the next one's, and is whole in the tooltip.
            const shown = fitted(whole, view.lane - 10)
            return (
              <g key={lane.peerId} data-testid="lane" data-peer={lane.peerId}>
                <title>{whole}</title>
                <text x={lane.x} y={20} textAnchor="middle" fontWeight="600" fill={`hsl(${hueOf(lane.peerId)} ${colours.name})`} data-testid="lane-name">{shown}</text>
                <text x={lane.x} y={34} textAnchor="middle" fill={colours.faint} fontSize="9">{shortId(lane.peerId)}</text>
                <line x1={lane.x} x2={lane.x} y1={TOP - 12} y2={view.height - 8} stroke={`hsl(${hueOf(lane.peerId)} ${colours.line})`} strokeWidth="2" />
              </g>
            )
          })}
          {view.arrows.map((a) => {
            const c = colour(a.id)
            const sealed = sealedFor(a.id, a.by)
            return (
              <g key={`${a.id}-${a.by}`} data-testid="arrow" data-message={a.id} data-by={a.by} data-sealed={sealed} onClick={() => setSelected(a.id)}>
                {sealed && <title>Carried on sealed: this peer relays it and cannot read it</title>}
                <line x1={a.x1} y1={a.y1} x2={tipX(a)} y2={a.y2} stroke={c} strokeWidth="1.4" strokeDasharray={sealed ? '4 3' : undefined} markerEnd={`url(#head-${c.slice(1)})`} />
                <text x={a.x2 + (a.x2 >= a.x1 ? 6 : -6)} y={a.y2 + 4} textAnchor={a.x2 >= a.x1 ? 'start' : 'end'} fill={c} fontSize="10" {...HALO}>L{a.lamport}</text>
              </g>
            )
          })}
          {view.sends.map((s) => {
            const c = colour(s.id)
            const parallel = s.message.concurrent.length > 0
            const { x, y, anchor, stamp, words } = s.label
            return (
              <g key={s.id} data-testid="send-event" data-message={s.id} data-concurrent={parallel} className="send-event" onClick={() => setSelected(s.id === selected ? undefined : s.id)}>
                <title>{`${s.message.name}: ${readText(s.message)}\nLamport ${s.lamport}${parallel ? `\nconcurrent with ${s.message.concurrent.length}` : ''}`}</title>
                <circle cx={s.x} cy={s.y} r={parallel ? 6 : 5} fill={parallel ? colours.paper : c} stroke={c} strokeWidth="2" />
                <text x={x} y={y} textAnchor={anchor} fill={c} fontWeight="600" {...HALO}>{stamp}</text>
                {words !== '' && <text x={x} y={y + ROW / 2} textAnchor={anchor} fill={colours.faint} fontSize="9" {...HALO}>{words}</text>}
              </g>
            )
          })}
        </svg>
      </div>
      {trace.mode === 'client' ? (
        // A client's message names only its author's earlier ones (the hub orders the rest): no whole causal past, no ∥ to draw.
        <p className="hint" data-testid="spacetime-hint" aria-live="polite">
          Rows are Lamport times, not wall time. The hub&apos;s numbers give one order that everyone shows; a client&apos;s message names only its author&apos;s earlier ones, so its whole causal past and what is concurrent with it are drawn peer to peer only.
          {chosen !== undefined ? ` Selected: "${snippet(chosen, 40)}" — green: its author's earlier messages (${past.size}).` : ''}
        </p>
      ) : (
        <p className="hint" data-testid="spacetime-hint" aria-live="polite">
          Rows are Lamport times, not wall time. ∥ marks a message concurrent with another (neither was in the other&apos;s causal past).
          {chosen !== undefined
            ? ` Selected: "${snippet(chosen, 40)}" — green: its causal past (${past.size}); orange: concurrent (${concurrent.size}).${delivered}`
            : ' Click a message, or choose it above, to see its causal past.'}
        </p>
      )}
    </div>
  )
}
