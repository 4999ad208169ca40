import { useRef, type KeyboardEvent } from 'react'
import type { DemoState, LabState, PeerView } from '../../../preload/contract'
import type { Readers } from '../delivery'
import { useFocusBack } from '../caret'
import { PANEL_LABEL, type Panel } from '../store'
import { ContrastPanel } from './ContrastPanel'
import { LabPanel } from './LabPanel'
import { SocketPanel } from './SocketPanel'
import { SpaceTime } from './SpaceTime'
import { Walkthrough } from './Walkthrough'

const TABS: Array<{ id: Panel; label: string }> = (['sockets', 'diagram', 'contrast', 'lab', 'guide'] as const).map((id) => ({ id, label: PANEL_LABEL[id] }))

interface Props {
  panel: Panel
  room: string
  /** The room as the conversation's header names it (#lobby, @Bob, a private room's name). */
  where: string
  /** Who besides this app can read the room, where not everyone can (a DM, a private room), and of its older messages. */
  readers?: Readers
  readersThen?: ReadonlyMap<string, Readers>
  peers: PeerView[]
  lab: LabState
  demo: DemoState | null
  onPanel: (panel: Panel | null) => void
  onRoom: (room: string) => void
}

/** "See the network": the lecture's ideas on this app's own connections and messages. */
export function NetworkPanel({ panel, room, where, readers, readersThen, peers, lab, demo, onPanel, onRoom }: Props) {
  // Closed (Escape, ✕, the Network button), it gives the keyboard back to what opened it.
  const ref = useRef<HTMLElement>(null)
  useFocusBack(ref)
  const list = useRef<HTMLDivElement>(null)
  // The tabs pattern: one Tab stop for the row (the chosen tab), arrows and Home/End move between them and choose.
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const at = TABS.findIndex((t) => t.id === panel)
    const to = e.key === 'ArrowRight' ? (at + 1) % TABS.length : e.key === 'ArrowLeft' ? (at - 1 + TABS.length) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1
    if (to < 0) return
    e.preventDefault()
    onPanel(TABS[to]!.id)
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[to]?.focus()
  }
  return (
    <aside ref={ref} className="netpanel" aria-label="Network">
      <header className="netpanel-head">
        {/* The views' h3 headings sit under this one (the chat's title is the page's h1). */}
        <h2 className="visually-hidden">Network: {TABS.find((t) => t.id === panel)?.label}</h2>
        <div ref={list} role="tablist" aria-label="Network views" className="tabs" onKeyDown={onTabKey}>
          {TABS.map((t) => (
            <button key={t.id} role="tab" aria-selected={panel === t.id} tabIndex={panel === t.id ? 0 : -1} className={panel === t.id ? 'tab active' : 'tab'} onClick={() => onPanel(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
        <button className="icon" aria-label="Close network panel" onClick={() => onPanel(null)}>✕</button>
      </header>
      {/* Focusable, as the tabs pattern asks of a panel that may hold nothing focusable: the keyboard can scroll it. */}
      <div className="netpanel-body" role="tabpanel" tabIndex={0} aria-label={TABS.find((t) => t.id === panel)?.label}>
        {panel === 'sockets' && <SocketPanel />}
        {panel === 'diagram' && <SpaceTime room={room} where={where} readers={readers} readersThen={readersThen} />}
        {panel === 'contrast' && <ContrastPanel />}
        {panel === 'lab' && <LabPanel peers={peers} lab={lab} />}
        {panel === 'guide' && <Walkthrough demo={demo} onPanel={onPanel} onRoom={onRoom} />}
      </div>
    </aside>
  )
}
