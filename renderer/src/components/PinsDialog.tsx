import type { MessageView } from '../../../preload/contract'
import { pinnedBy, type Pins } from '../pins'
import { Dialog } from './Dialog'
import { MessageListItem, authorOf, useFocusAfterRemoval } from './MessageListItem'
import { UnpinIcon } from './icons'

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
              const author = authorOf(m, self)
              return (
                <MessageListItem
                  key={m.id} m={m} self={self} className="pin" testId="pin" data="pin" onOpen={onOpen}
                  extra={m.pinned !== undefined && <span className="muted small">Pinned by {pinnedBy(m.pinned.by, names)}</span>}
                  {...(onUnpin !== undefined ? { takeOff: { className: 'small pin-unpin', icon: <UnpinIcon />, label: 'Unpin', hidden: author === 'You' ? 'your message' : `${author}'s message`, onClick: () => { removing(i); onUnpin(m) } } } : {})}
                />
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
