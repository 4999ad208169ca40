import { useEffect, useId, useState, type KeyboardEvent, type RefObject } from 'react'
import { complete, matchNames, mentionAt } from '../../../preload/contract'
import { changeAndPlaceCaret } from '../caret'

/**
 * The composer's @-autocomplete: typing "@" and the start of a name opens a
 * listbox of the names that match; arrow keys move, Enter or Tab picks,
 * Escape closes it (until the next "@"). The textarea keeps the focus and
 * points at the active option (aria-activedescendant), so screen readers
 * follow along while typing goes on.
 */
export function useMentionComplete(text: string, setText: (text: string) => void, ref: RefObject<HTMLTextAreaElement | null>, names: readonly string[]) {
  const listId = useId()
  const [caret, setCaret] = useState(0)
  const [dismissed, setDismissed] = useState<number | null>(null)
  const [index, setIndex] = useState(0)
  const at = mentionAt(text, Math.min(caret, text.length))
  const matches = at === undefined ? [] : matchNames(names, at.query)
  const open = at !== undefined && at.start !== dismissed && matches.length > 0
  const active = open ? Math.min(index, matches.length - 1) : -1
  const query = at === undefined ? null : `${at.start}:${at.query}`
  useEffect(() => {
    setIndex(0)
    if (query === null) setDismissed(null)
  }, [query])

  function pick(name: string): void {
    if (at === undefined) return
    const done = complete(text, at, Math.min(caret, text.length), name)
    changeAndPlaceCaret(ref.current, () => { setText(done.text); setCaret(done.caret) }, done.caret)
  }

  /** Handles the key when the list is open; true when it did. */
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open || e.nativeEvent.isComposing) return false
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      setIndex((active + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length)
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      pick(matches[active]!)
    } else if (e.key === 'Escape') {
      setDismissed(at!.start)
    } else {
      return false
    }
    e.preventDefault()
    return true
  }

  const track = (el: HTMLTextAreaElement): void => setCaret(el.selectionStart ?? el.value.length)
  const inputProps = {
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open ? `${listId}-${active}` : undefined
  }
  const popup = open ? (
    <ul className="mention-list" role="listbox" id={listId} aria-label="People to mention" data-testid="mention-list">
      {matches.map((name, i) => (
        <li
          key={name}
          id={`${listId}-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'active' : undefined}
          // Mouse down, not click: the textarea keeps the focus.
          onMouseDown={(e) => {
            e.preventDefault()
            pick(name)
          }}
        >
          @{name}
        </li>
      ))}
    </ul>
  ) : null
  return { open, onKeyDown, track, inputProps, popup }
}

/** Mute a room: its messages stop notifying, except one that mentions you. */
export function MuteButton({ room, muted, onChange }: { room: string; muted: readonly string[]; onChange: (room: string, muted: boolean) => void }) {
  const on = muted.includes(room)
  return (
    <button className={on ? 'netbutton active' : 'netbutton'} aria-pressed={on} title={on ? 'Muted: only mentions of you notify' : 'Mute notifications from this room (mentions of you still notify)'} onClick={() => onChange(room, !on)}>
      Mute room
    </button>
  )
}
