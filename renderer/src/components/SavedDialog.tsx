import { useContext } from 'react'
import { previewText, revealOverrides, writtenAt, type MessageView } from '../../../preload/contract'
import { dayLabel, fullTime, localTime, shortId } from '../format'
import type { Saved } from '../saved'
import { Dialog } from './Dialog'
import { useFocusAfterRemoval } from './removeFocus'
import { Blocked } from './People'
import { UnsaveIcon } from './icons'

/** When it was written: its time today, else its day and time (saved ones span the whole history). */
const when = (ms: number): string => (dayLabel(ms) === 'Today' ? localTime(ms) : `${dayLabel(ms)}, ${localTime(ms)}`)

/** What a saved message says, in a line or two: a file's name for a file. */
function snippet(m: MessageView): string {
  if (m.file !== undefined && (m.text === '' || m.text === `📎 ${m.file.name}`)) return `📎 ${m.file.name}`
  const text = revealOverrides(previewText(m.text))
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/**
 * The messages this person saved for later (the sidebar's Saved), in every conversation, newest
 * saved first: where each was written, who wrote it, when, and what it says ("message deleted"
 * for one its author deleted since). A click (or Enter) shows it in its context, as a search hit
 * or a pin is shown, and closes the list; Remove takes it off the list, the keyboard going on to
 * the next one's Remove, as Unpin does in the pins' list. Escape closes it (Dialog).
 */
export function SavedDialog({ saved, self, conversationOf, onOpen, onRemove, onClose }: {
  saved: Saved | undefined
  self: string
  /** Where a message was written, as the sidebar names it (#lobby, @Ann, Board). */
  conversationOf: (m: MessageView) => string
  onOpen: (m: MessageView) => void
  onRemove: (m: MessageView) => void
  onClose: () => void
}) {
  const blocked = useContext(Blocked)
  const messages = saved?.messages ?? []
  // The keyboard on Remove/Unpin goes on to the next item's, not back to the list's top.
  const { body, removing } = useFocusAfterRemoval(messages, '.saved-item', 'saved', '.saved-remove')
  return (
    <Dialog title="Saved for later" label="Saved messages" onClose={onClose} className="pins-dialog saved-dialog">
      <div className="stack" ref={body}>
        {saved === undefined && <p className="muted">Loading…</p>}
        {saved !== undefined && messages.length === 0 && saved.error === undefined && (
          <p className="hint" data-testid="no-saved">Nothing saved yet. Save a message from its actions (the bookmark beside Pin): it is listed here, for you alone, whatever the conversation.</p>
        )}
        {saved?.error !== undefined && <p className="error" role="alert">{saved.error}</p>}
        {messages.length > 0 && (
          <ul className="pins" aria-label="Saved messages">
            {messages.map((m, i) => {
              const author = m.author === self ? 'You' : m.name || shortId(m.author)
              const where = conversationOf(m)
              const gone = m.deleted === true
              return (
                <li key={m.id} className="pin saved-item" data-testid="saved-item" data-saved={m.id}>
                  <button type="button" className="pin-open" title="Show it in the conversation" onClick={() => onOpen(m)}>
                    <span className="pin-head">
                      <bdi className="saved-where">{where}</bdi>{' · '}
                      <strong><bdi>{author}</bdi></strong>{' '}
                      <time className="muted small" dateTime={new Date(writtenAt(m)).toISOString()} title={fullTime(writtenAt(m))}>{when(writtenAt(m))}</time>
                    </span>
                    <span className="pin-text">
                      {gone ? <em className="muted">message deleted</em> : blocked.has(m.author) ? <em className="muted">a message from someone you blocked</em> : <bdi>{snippet(m)}</bdi>}
                    </span>
                  </button>
                  <button type="button" className="small pin-unpin saved-remove" onClick={() => { removing(i); onRemove(m) }}>
                    <UnsaveIcon />Remove<span className="visually-hidden"> {author === 'You' ? 'your message' : `${author}'s message`} in {where} from Saved</span>
                  </button>
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
