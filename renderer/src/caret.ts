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

/** Give the keyboard back to the message box (after an edit made in a message's own box ends). */
export function focusComposer(): void {
  document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus()
}
