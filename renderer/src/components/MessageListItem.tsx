import { useContext, useEffect, useRef, type ReactNode, type RefObject } from 'react'
import { previewText, revealOverrides, writtenAt, type MessageView } from '../../../preload/contract'
import { dayAndTime, fullTime, shortId } from '../format'
import { Blocked } from './People'


/** What a listed message says, in a line or two: a file's name for a file. */
function snippet(m: MessageView): string {
  if (m.file !== undefined && (m.text === '' || m.text === `📎 ${m.file.name}`)) return `📎 ${m.file.name}`
  const text = revealOverrides(previewText(m.text))
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** Who wrote it, as such a list says it: You, or their name. */
export const authorOf = (m: MessageView, self: string): string => (m.author === self ? 'You' : m.name || shortId(m.author))

/**
 * One message of a list of them (Pinned, Saved): a button that shows it in its conversation, with
 * `where` (its conversation) before who wrote it, its words (or that it was deleted, or who blocked
 * it), and `extra` under them; then, with `takeOff`, the button that takes it off the list.
 */
export function MessageListItem({ m, self, where, extra, className, testId, data, onOpen, takeOff }: {
  m: MessageView
  self: string
  where?: string
  extra?: ReactNode
  className: string
  testId: string
  /** The item's `data-` attribute naming the message (useFocusAfterRemoval's `key`). */
  data: string
  onOpen: (m: MessageView) => void
  takeOff?: { className: string, icon: ReactNode, label: string, hidden: string, onClick: () => void }
}) {
  const blocked = useContext(Blocked)
  return (
    <li className={className} data-testid={testId} {...{ [`data-${data}`]: m.id }}>
      <button type="button" className="pin-open" title="Show it in the conversation" onClick={() => onOpen(m)}>
        <span className="pin-head">
          {where !== undefined && <><bdi className="saved-where">{where}</bdi>{' · '}</>}
          <strong><bdi>{authorOf(m, self)}</bdi></strong>{' '}
          <time className="muted small" dateTime={new Date(writtenAt(m)).toISOString()} title={fullTime(writtenAt(m))}>{dayAndTime(writtenAt(m))}</time>
        </span>
        <span className="pin-text">
          {m.deleted === true ? <em className="muted">message deleted</em> : blocked.has(m.author) ? <em className="muted">a message from someone you blocked</em> : <bdi>{snippet(m)}</bdi>}
        </span>
        {extra}
      </button>
      {takeOff !== undefined && (
        <button type="button" className={takeOff.className} onClick={takeOff.onClick}>
          {takeOff.icon}{takeOff.label}<span className="visually-hidden"> {takeOff.hidden}</span>
        </button>
      )}
    </li>
  )
}

/**
 * The keyboard in a list of messages each with a button that takes it off (Pinned's Unpin, Saved's
 * Remove): the item goes with the button that had the keyboard, so it goes on to that button of the
 * item that was below it (above it, for the last), where the list was scrolled to, else the first
 * such button, or the dialog's own. `item`: the items' selector; `key`: their `data-` attribute
 * naming the message; `button`: the taking-off button's selector.
 */
export function useFocusAfterRemoval(messages: readonly MessageView[], item: string, key: string, button: string): {
  body: RefObject<HTMLDivElement | null>
  /** Call with the index of the message being taken off, before asking for it. */
  removing: (index: number) => void
} {
  const body = useRef<HTMLDivElement>(null)
  const next = useRef<string>(undefined)
  useEffect(() => {
    const el = body.current
    if (el === null || el.ownerDocument.activeElement !== el.ownerDocument.body) return
    const neighbour = [...el.querySelectorAll<HTMLElement>(item)].find((li) => li.dataset[key] === next.current)
    ;(neighbour?.querySelector<HTMLElement>(button) ?? el.querySelector<HTMLElement>(`${button}, .actions button`))?.focus()
  }, [messages, item, key, button])
  return { body, removing: (index) => { next.current = (messages[index + 1] ?? messages[index - 1])?.id } }
}
