import { useId, useRef, useEffect, useState, type KeyboardEvent } from 'react'
import { forwardText, MAX_FORWARD_CAPTION_BYTES, MAX_MESSAGE_BYTES, type ForwardPlace, type MessageView } from '../../../preload/contract'
import { call, describe, RemoteError } from '../api'
import { destinations, listKey, type Destination, type Places } from '../switcher'
import { Dialog } from './Dialog'
import { PickerBox } from './PickerBox'
import { LockIcon, MailIcon } from './icons'

const KIND = { room: '#', private: <LockIcon />, dm: '@', person: <MailIcon />, 'new-room': '+' } as const

/** Where a destination is, as people read it: `#general`, `Ann`, `Board`. */
export function destinationLabel(d: Destination): string {
  return d.kind === 'room' ? `#${d.label}` : d.label
}

/**
 * Forward a message (its row's Forward…): pick the conversation by typing part of its name (rooms,
 * invite-only rooms, direct messages, people), add a comment of one's own if wanted (it goes first,
 * in the same message), then Forward. A DM's or an invite-only room's message going where someone
 * new would read it is refused by main until confirmed: the confirm says who (ForwardConfirmError),
 * and nothing leaves without "Forward anyway".
 */
export function ForwardDialog({ message, from, places, onClose, onDone }: { message: MessageView; from: ForwardPlace; places: Places; onClose: () => void; onDone: (to: string, truncated: boolean) => void }) {
  const listId = useId()
  const [query, setQuery] = useState('')
  const [index, setIndex] = useState(0)
  const [picked, setPicked] = useState<Destination | null>(null)
  const [comment, setComment] = useState('')
  const [asking, setAsking] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string>()
  const cancelRef = useRef<HTMLButtonElement>(null)
  // A new room is not a place to forward to: only the conversations there are.
  const found = destinations(query, places).filter((d) => d.kind !== 'new-room')
  const active = found.length === 0 ? -1 : Math.min(index, found.length - 1)
  const made = forwardText({ name: message.name, from, text: message.text, comment, max: message.file !== undefined ? MAX_FORWARD_CAPTION_BYTES : MAX_MESSAGE_BYTES })
  useEffect(() => { if (asking !== null) cancelRef.current?.focus() }, [asking])

  function pick(d: Destination): void {
    setPicked(d)
    setAsking(null)
    setError(undefined)
  }

  async function send(confirm: boolean): Promise<void> {
    if (picked === null || picked.kind === 'new-room') return
    setSending(true)
    setError(undefined)
    try {
      const target = picked.kind === 'person' ? { to: picked.peerId } : { room: picked.room }
      const sent = await call('forward', { id: message.id, ...target, ...(comment.trim() !== '' ? { comment } : {}), ...(confirm ? { confirm } : {}) })
      onDone(destinationLabel(picked), sent.truncated === true)
    } catch (err) {
      if (err instanceof RemoteError && err.name === 'ForwardConfirmError') setAsking(err.message)
      else setError(describe(err))
    } finally {
      setSending(false)
    }
  }

  function onKey(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.nativeEvent.isComposing) return
    const step = listKey(e.key, found.length, active)
    if (step === undefined) return
    e.preventDefault()
    if (step === 'enter') pick(found[active]!)
    else setIndex(step)
  }

  return (
    <Dialog title="Forward message" label="Forward message" onClose={onClose}>
      <div className="stack switcher forward">
        <PickerBox label="Forward to" listId={listId} count={found.length} active={active} query={query} onQuery={(text) => { setQuery(text); setIndex(0) }} onKey={onKey} />
        {found.length === 0 ? <p className="muted small">Nothing by that name.</p> : (
        <ul role="listbox" id={listId} aria-label="Conversations to forward to" className="switcher-list">
          {found.map((d, i) => (
            <li
              key={d.key}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={picked?.key === d.key}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => { e.preventDefault(); pick(d) }}
            >
              <span className="switcher-kind" aria-hidden="true">{KIND[d.kind]}</span>
              <span className="switcher-name">{d.label}</span>
              {d.kind === 'person' && <span className="muted small"> new direct message</span>}
              {picked?.key === d.key && <span className="small"> ✓</span>}
            </li>
          ))}
        </ul>
        )}
        <p className="small" role="status" data-testid="forward-to">{picked === null ? 'Pick where to forward it (↑ ↓ and Enter, or a click).' : `Forwarding to ${destinationLabel(picked)}.`}</p>
        <label className="stack">
          <span>Your comment (optional, sent first in the same message)</span>
          <textarea aria-label="Your comment" rows={2} value={comment} onChange={(e) => { setComment(e.target.value); setAsking(null) }} />
        </label>
        {made.truncated && <p className="hint" role="status" data-testid="forward-truncated">This message is too long to forward whole: its words will be cut to fit, ending in “…”.</p>}
        {asking !== null ? (
          <div className="confirm-forward" role="group" aria-label="Forward this private message?" data-testid="forward-confirm">
            <p role="alert">{asking}</p>
            <span className="actions">
              <button ref={cancelRef} type="button" className="small" onClick={() => setAsking(null)}>Cancel</button>
              <button type="button" className="small primary" disabled={sending} onClick={() => { void send(true) }}>Forward anyway</button>
            </span>
          </div>
        ) : (
          <div className="actions">
            <button type="button" onClick={onClose}>Cancel</button>
            <button type="button" className="primary" disabled={picked === null || sending} onClick={() => { void send(false) }}>Forward</button>
          </div>
        )}
        {error !== undefined && <p className="error" role="alert">{error}</p>}
      </div>
    </Dialog>
  )
}
