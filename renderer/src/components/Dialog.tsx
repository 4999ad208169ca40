import { useEffect, useRef, type ReactNode } from 'react'
import { useFocusBack } from '../caret'

/** What takes focus when a dialog opens: its first field, so typing and Enter go to the form, not to ✕. */
const FIRST_FIELD = 'input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled])'

/**
 * A modal on the native <dialog>: focus trap, Escape and backdrop come from the browser. Closed
 * any way (Escape, ✕, the backdrop, a button of its own), it gives the keyboard back to what had
 * it before (useFocusBack): the browser does so for Escape only.
 */
export function Dialog({ title, onClose, children, label, className }: { title: ReactNode; onClose: () => void; children: ReactNode; label: string; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null)
  useFocusBack(ref)
  useEffect(() => {
    const dialog = ref.current
    if (dialog === null || dialog.open) return
    dialog.showModal()
    // showModal focuses the first focusable element, which is the close button in the header. A dialog of
    // choices alone (no field) marks the first with data-autofocus: Enter then makes it, Tab goes on to the next.
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]:not([disabled])') ??
      dialog.querySelector<HTMLElement>(`.dialog-body > :not(header) ${FIRST_FIELD}, .dialog-body > :not(header):is(${FIRST_FIELD})`)
    first?.focus()
  }, [])
  return (
    <dialog ref={ref} className={className === undefined ? 'dialog' : `dialog ${className}`} aria-label={label} onClose={onClose} onClick={(e) => e.target === ref.current && onClose()}>
      <div className="dialog-body">
        <header>
          <h2>{title}</h2>
          <button className="icon" aria-label="Close" onClick={onClose}>✕</button>
        </header>
        {children}
      </div>
    </dialog>
  )
}
