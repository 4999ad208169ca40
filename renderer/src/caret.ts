import { useEffect, useRef, type RefObject } from 'react'
import { flushSync } from 'react-dom'

/**
 * Change a text box's value and put its caret at `caret`, with the keyboard
 * on the box, before this event handler returns. Left to the next frame (or
 * to React's next render), the keystroke that follows a pick or an Escape
 * could land elsewhere, or a selection made meanwhile be undone.
 */
export function changeAndPlaceCaret(box: HTMLTextAreaElement | null, change: () => void, caret: number): void {
  flushSync(change)
  box?.focus()
  box?.setSelectionRange(caret, caret)
}

/**
 * Give the keyboard back to the message box (after an edit made in a message's own box ends, a
 * row not sent discarded). Where the conversation has none (a blocked person's, a private room
 * that removed us), to what stands in its place: its button (Unblock), else the conversation's
 * messages; never left on the page's body, where Tab starts again from the top.
 */
export function focusComposer(): void {
  const box = document.querySelector<HTMLTextAreaElement>('.composer textarea')
  const instead = box ?? document.querySelector<HTMLElement>('.composer button:not([disabled])') ?? document.querySelector<HTMLElement>('.virtuoso[role="region"]')
  instead?.focus()
}

/**
 * Whatever had the keyboard when `ref`'s element appeared gets it back when the element goes
 * (a dialog closed by ✕ or by one of its buttons, the Network panel closed): taken out of the
 * page with the focus in it, an element leaves the focus nowhere, on the page's body, where Tab
 * starts again from the top. Unless what closed it sent the focus somewhere itself (a
 * conversation it opened gives it to its message box). Call it before any effect that moves
 * the focus in.
 */
export function useFocusBack(ref: RefObject<HTMLElement | null>): void {
  const opener = useRef<Element | null>(null)
  useEffect(() => {
    const el = ref.current
    // React's strict mode runs this twice: the first run saw the focus before the element took it.
    opener.current ??= document.activeElement
    return () => {
      // Still on the page: not gone (the strict mode's rehearsal).
      if (el === null || el.isConnected) return
      const now = document.activeElement
      const before = opener.current
      if (before instanceof HTMLElement && before.isConnected && (now === null || now === document.body || el.contains(now))) before.focus()
    }
  }, [ref])
}
