import { useEffect, useRef, type ReactNode } from 'react'

/** A modal on the native <dialog>: focus trap, Escape and backdrop come from the browser. */
export function Dialog({ title, onClose, children, label }: { title: string; onClose: () => void; children: ReactNode; label: string }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (dialog !== null && !dialog.open) dialog.showModal()
  }, [])
  return (
    <dialog ref={ref} className="dialog" aria-label={label} onClose={onClose} onClick={(e) => e.target === ref.current && onClose()}>
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
