import type { MessageView } from '../../../preload/contract'
import type { Saved } from '../saved'
import { Dialog } from './Dialog'
import { MessageListItem, authorOf, useFocusAfterRemoval } from './MessageListItem'
import { UnsaveIcon } from './icons'

/**
 * The messages this person saved for later (the sidebar's Saved), in every conversation, newest
 * saved first: where each was written, who wrote it, when, and what it says ("message deleted"
 * for one its author deleted since). A click (or Enter) shows it in its context, as a search hit
 * or a pin is shown, and closes the list; Remove takes it off the list, the keyboard going on to
 * the next one's Remove, as Unpin does in the pins' list. Escape closes it (Dialog). What could not
 * be read (the list, or the ids behind the count) is said, with Try again, not "Loading…" for ever.
 */
export function SavedDialog({ saved, self, conversationOf, onOpen, onRemove, onRetry, onClose }: {
  saved: Saved | undefined
  self: string
  /** Where a message was written, as the sidebar names it (#lobby, @Ann, Board). */
  conversationOf: (m: MessageView) => string
  onOpen: (m: MessageView) => void
  onRemove: (m: MessageView) => void
  /** Read again what could not be read. */
  onRetry: () => void
  onClose: () => void
}) {
  const messages = saved?.messages ?? []
  // The keyboard on Remove/Unpin goes on to the next item's, not back to the list's top.
  const { body, removing } = useFocusAfterRemoval(messages, '.saved-item', 'saved', '.saved-remove')
  return (
    <Dialog title="Saved for later" label="Saved messages" onClose={onClose} className="pins-dialog saved-dialog">
      <div className="stack" ref={body}>
        {saved?.messages === undefined && saved?.error === undefined && <p className="muted">Loading…</p>}
        {saved?.messages !== undefined && messages.length === 0 && saved.error === undefined && (
          <p className="hint" data-testid="no-saved">Nothing saved yet. Save a message from its actions (the bookmark beside Pin): it is listed here, for you alone, whatever the conversation.</p>
        )}
        {saved?.error !== undefined && (
          <>
            <p className="error" role="alert">{saved.error}</p>
            <div className="actions">
              {/* It goes as the list is read again: the keyboard waits on Close, not lost with it. */}
              <button type="button" onClick={() => { body.current?.querySelector<HTMLElement>('.saved-close')?.focus(); onRetry() }}>Try again</button>
            </div>
          </>
        )}
        {messages.length > 0 && (
          <ul className="pins" aria-label="Saved messages">
            {messages.map((m, i) => {
              const where = conversationOf(m)
              const author = authorOf(m, self)
              return (
                <MessageListItem
                  key={m.id} m={m} self={self} where={where} className="pin saved-item" testId="saved-item" data="saved" onOpen={onOpen}
                  takeOff={{ className: 'small pin-unpin saved-remove', icon: <UnsaveIcon />, label: 'Remove', hidden: `${author === 'You' ? 'your message' : `${author}'s message`} in ${where} from Saved`, onClick: () => { removing(i); onRemove(m) } }}
                />
              )
            })}
          </ul>
        )}
        <div className="actions">
          <button type="button" className="saved-close" onClick={onClose}>Close</button>
        </div>
      </div>
    </Dialog>
  )
}
