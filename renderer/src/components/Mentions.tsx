import { useEffect, useId, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react'
import { complete, matchNames, mentionAt } from '../../../preload/contract'
import { searchEmoji, shortcodeAt, type Gemoji } from '../emoji'
import { changeAndPlaceCaret } from '../caret'
import { MuteIcon, UnmuteIcon } from './icons'
import { COMMON_EMOJI, noteRecent, recentEmoji } from './MessageTools'

/**
 * An autocomplete in the message box: while `find` sees something being typed before the caret
 * ("@al", ":ta"), a listbox offers what `match` finds for it; arrow keys move, Enter or Tab picks,
 * Escape closes it (until the next one starts). The textarea keeps the focus and points at the
 * active option (aria-activedescendant), so screen readers follow along while typing goes on.
 */
export function useComplete<T>(text: string, setText: (text: string) => void, ref: RefObject<HTMLTextAreaElement | null>, how: {
  find: (text: string, caret: number) => { start: number; query: string } | undefined
  match: (query: string) => readonly T[]
  /** What replaces the typed part when `item` is picked. */
  insert: (item: T) => string
  keyOf: (item: T) => string
  show: (item: T) => ReactNode
  label: string
  testId: string
}) {
  const listId = useId()
  const [caret, setCaret] = useState(0)
  const [dismissed, setDismissed] = useState<number | null>(null)
  const [index, setIndex] = useState(0)
  const at = how.find(text, Math.min(caret, text.length))
  const matches = at === undefined ? [] : how.match(at.query)
  const open = at !== undefined && at.start !== dismissed && matches.length > 0
  const active = open ? Math.min(index, matches.length - 1) : -1
  const query = at === undefined ? null : `${at.start}:${at.query}`
  useEffect(() => {
    setIndex(0)
    if (query === null) setDismissed(null)
  }, [query])

  function pick(item: T): void {
    if (at === undefined) return
    const done = complete(text, at, Math.min(caret, text.length), how.insert(item))
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
    <ul className="mention-list" role="listbox" id={listId} aria-label={how.label} data-testid={how.testId}>
      {matches.map((item, i) => (
        <li
          key={how.keyOf(item)}
          id={`${listId}-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'active' : undefined}
          // Mouse down, not click: the textarea keeps the focus.
          onMouseDown={(e) => {
            e.preventDefault()
            pick(item)
          }}
        >
          {how.show(item)}
        </li>
      ))}
    </ul>
  ) : null
  return { open, onKeyDown, track, inputProps, popup }
}

/** The composer's @-autocomplete: "@" and the start of a name offers the names that match. */
export function useMentionComplete(text: string, setText: (text: string) => void, ref: RefObject<HTMLTextAreaElement | null>, names: readonly string[]) {
  return useComplete(text, setText, ref, {
    find: mentionAt,
    match: (query) => matchNames(names, query),
    insert: (name) => `@${name} `,
    keyOf: (name) => name,
    show: (name) => `@${name}`,
    label: 'People to mention',
    testId: 'mention-list'
  })
}

/** The composer's emoji by name: ":" and two letters of a name offer the emoji that match (emoji.ts). */
export function useEmojiComplete(text: string, setText: (text: string) => void, ref: RefObject<HTMLTextAreaElement | null>, all: readonly Gemoji[]) {
  return useComplete(text, setText, ref, {
    find: shortcodeAt,
    // One's recent emoji, then the common ones, before the rest of a rank: ":ta" offers 🎉 first.
    match: (query) => searchEmoji(all, query, 8, [...recentEmoji(), ...COMMON_EMOJI]),
    // Picked, it is one of one's recent emoji: offered first next time, here and in the pickers.
    insert: (e) => { noteRecent(e.emoji); return e.emoji },
    keyOf: (e) => e.emoji,
    show: (e) => <><span className="emoji-choice" aria-hidden="true">{e.emoji}</span> :{e.names[0]}:</>,
    label: 'Emoji',
    testId: 'emoji-list'
  })
}

/** Mute a room (or a direct conversation): its messages stop notifying, except one that mentions you. */
export function MuteButton({ room, muted, onChange, conversation = false }: { room: string; muted: readonly string[]; onChange: (room: string, muted: boolean) => void; conversation?: boolean }) {
  const on = muted.includes(room)
  const what = conversation ? 'conversation' : 'room'
  return (
    // "Mute" on the button (the header has the room for it beside a long name), named in full for screen readers.
    <button className={on ? 'netbutton active' : 'netbutton'} aria-pressed={on} aria-label={`Mute ${what}`} title={on ? 'Muted: only mentions of you notify' : `Mute notifications from this ${what} (mentions of you still notify)`} onClick={() => onChange(room, !on)}>
      {on ? <UnmuteIcon /> : <MuteIcon />}<span className="label">Mute</span>
    </button>
  )
}
