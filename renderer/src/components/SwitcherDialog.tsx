import { useId, useState, type KeyboardEvent } from 'react'
import { call, describe } from '../api'
import { destinations, listKey, type Destination, type Places } from '../switcher'
import { Dialog } from './Dialog'
import { PickerBox } from './PickerBox'
import { LockIcon, MailIcon } from './icons'

const KIND = { room: '#', private: <LockIcon />, dm: '@', person: <MailIcon />, 'new-room': '+' } as const

function says(d: Destination): string {
  switch (d.kind) {
    case 'person': return 'new direct message'
    case 'new-room': return 'join or create this room'
    case 'private': return 'private room'
    case 'dm': return 'direct message'
    case 'room': return ''
  }
}

/**
 * Go to a conversation by typing part of its name (Ctrl/⌘+K), as in Slack:
 * ↑ ↓ choose, Enter goes, Escape closes. The box keeps the keyboard and
 * points at the chosen entry (a combobox with its listbox).
 */
export function SwitcherDialog({ places, onClose, onGo, onOpenDm }: { places: Places; onClose: () => void; onGo: (room: string) => void; onOpenDm: (peerId: string) => void }) {
  const listId = useId()
  const [query, setQuery] = useState('')
  const [index, setIndex] = useState(0)
  const [error, setError] = useState<string>()
  const found = destinations(query, places)
  const active = found.length === 0 ? -1 : Math.min(index, found.length - 1)

  async function go(d: Destination): Promise<void> {
    setError(undefined)
    if (d.kind === 'person') {
      onOpenDm(d.peerId)
      onClose()
      return
    }
    if (d.kind === 'new-room') {
      try {
        await call('joinRoom', { room: d.room })
      } catch (err) {
        setError(describe(err))
        return
      }
    }
    onGo(d.room)
  }

  function onKey(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.nativeEvent.isComposing) return
    const step = listKey(e.key, found.length, active)
    if (step === undefined) return
    e.preventDefault()
    if (step === 'enter') void go(found[active]!)
    else setIndex(step)
  }

  return (
    <Dialog title="Go to a conversation" label="Go to a conversation" onClose={onClose}>
      <div className="stack switcher">
        <PickerBox label="Conversation name" listId={listId} count={found.length} active={active} query={query} onQuery={(text) => { setQuery(text); setIndex(0); setError(undefined) }} onKey={onKey} />
        {found.length === 0 ? <p className="muted small">Nothing by that name.</p> : (
        <ul role="listbox" id={listId} aria-label="Conversations" className="switcher-list">
          {found.map((d, i) => (
            <li
              key={d.key}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => { e.preventDefault(); void go(d) }}
            >
              <span className="switcher-kind" aria-hidden="true">{KIND[d.kind]}</span>
              <span className="switcher-name">{d.label}</span>
              {says(d) !== '' && <span className="muted small"> {says(d)}</span>}
              {d.unread > 0 && <span className="unread" aria-label={`${d.unread} unread`}>{d.unread}</span>}
            </li>
          ))}
        </ul>
        )}
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <p className="hint">↑ ↓ choose, Enter goes, Escape closes.</p>
      </div>
    </Dialog>
  )
}
