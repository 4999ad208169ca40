import { useEffect, useRef, type RefObject } from 'react'
import type { MessageView } from '../../../preload/contract'

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
