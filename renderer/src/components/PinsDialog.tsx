import { useContext } from 'react'
import { previewText, revealOverrides, writtenAt, type MessageView } from '../../../preload/contract'
import { dayLabel, fullTime, localTime, shortId } from '../format'
import { pinnedBy, type Pins } from '../pins'
import { Dialog } from './Dialog'
import { useFocusAfterRemoval } from './removeFocus'
import { Blocked } from './People'
import { UnpinIcon } from './icons'

/** When it was written: its time today, else its day and time (pins span the whole history). */
const when = (ms: number): string => (dayLabel(ms) === 'Today' ? localTime(ms) : `${dayLabel(ms)}, ${localTime(ms)}`)

/** What a pinned message says, in a line or two: a file's name for a file. */
function snippet(m: MessageView): string {
  if (m.file !== undefined && (m.text === '' || m.text === `📎 ${m.file.name}`)) return `📎 ${m.file.name}`
  const text = revealOverrides(previewText(m.text))
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/**
 * The conversation's pinned messages (the header's Pinned), newest pin first: who wrote each,
 * when, what it says and who pinned it. A click (or Enter) shows it in its context, as a search
 * hit does, and closes the list; Unpin takes it off for everyone. Escape closes it and gives the
 * keyboard back to Pinned (Dialog).
 */
export function PinsDialog({ label, pins, self, nameOf, onOpen, onUnpin, onClose }: {
  /** The conversation, as the header names it (#lobby, @Ann, Board). */
  label: string
  pins: Pins | undefined
  self: string
  nameOf: (peerId: string) => string | undefined
  onOpen: (m: MessageView) => void
  /** Absent where nothing written reaches anyone (a room read only, a private room that removed us). */
  onUnpin?: (m: MessageView) => void
  onClose: () => void
}) {
  const blocked = useContext(Blocked)
  const names = { self, nameOf }
  const messages = pins?.messages ?? []
  // The keyboard on Unpin goes on to the next pin's, where the list was scrolled to, not back to its top.
  const { body, removing } = useFocusAfterRemoval(messages, '.pin', 'pin', '.pin-unpin')
  return (
    <Dialog title={`Pinned in ${label}`} label="Pinned messages" onClose={onClose} className="pins-dialog">
      <div className="stack" ref={body}>
        {pins === undefined && <p className="muted">Loading…</p>}
        {pins !== undefined && messages.length === 0 && pins.error === undefined && (
          <p className="hint" data-testid="no-pins">Nothing is pinned here yet. Pin a message from its actions (the pin beside Forward…): everyone here finds it in this list.</p>
        )}
        {pins?.error !== undefined && <p className="error" role="alert">{pins.error}</p>}
        {messages.length > 0 && (
          <ul className="pins" aria-label="Pinned messages">
            {messages.map((m, i) => {
              const author = m.author === self ? 'You' : m.name || shortId(m.author)
              return (
                <li key={m.id} className="pin" data-testid="pin" data-pin={m.id}>
                  <button type="button" className="pin-open" title="Show it in the conversation" onClick={() => onOpen(m)}>
                    <span className="pin-head">
                      <strong><bdi>{author}</bdi></strong>{' '}
                      <time className="muted small" dateTime={new Date(writtenAt(m)).toISOString()} title={fullTime(writtenAt(m))}>{when(writtenAt(m))}</time>
                    </span>
                    <span className="pin-text">{blocked.has(m.author) ? <em className="muted">a message from someone you blocked</em> : <bdi>{snippet(m)}</bdi>}</span>
                    {m.pinned !== undefined && <span className="muted small">Pinned by {pinnedBy(m.pinned.by, names)}</span>}
                  </button>
                  {onUnpin !== undefined && (
                    <button type="button" className="small pin-unpin" onClick={() => { removing(i); onUnpin(m) }}>
                      <UnpinIcon />Unpin<span className="visually-hidden"> {author === 'You' ? 'your message' : `${author}'s message`}</span>
                    </button>
                  )}
                </li>
              )
            })}
          </ul>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>Close</button>
        </div>
      </div>
    </Dialog>
  )
}
