import { useEffect, useRef, useState } from 'react'
import type { Toast } from '../store'

/** How long a toast stays, from when it appeared (a newer one does not restart an older one's time), not counting while it is pointed at or has the focus. */
export const TOAST_MS = 8000

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  // Held while the pointer is on it or the focus in it: someone reading it, slowly or with a screen reader, keeps it.
  const [held, setHeld] = useState({ pointer: false, focus: false })
  const left = useRef(TOAST_MS)
  const paused = held.pointer || held.focus
  useEffect(() => {
    if (paused) return
    const from = Date.now()
    const timer = setTimeout(() => onDismiss(toast.id), left.current)
    return () => {
      clearTimeout(timer)
      left.current = Math.max(0, left.current - (Date.now() - from))
    }
  }, [paused, toast.id, onDismiss])
  return (
    <div
      className="toast"
      role="alert"
      onMouseEnter={() => setHeld((h) => ({ ...h, pointer: true }))}
      onMouseLeave={() => setHeld((h) => ({ ...h, pointer: false }))}
      onFocus={() => setHeld((h) => ({ ...h, focus: true }))}
      onBlur={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHeld((h) => ({ ...h, focus: false })) }}
    >
      <strong>{toast.title}</strong>
      <span>{toast.message}</span>
      <button className="icon small" aria-label="Dismiss" onClick={() => onDismiss(toast.id)}>✕</button>
    </div>
  )
}

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => <ToastItem key={t.id} toast={t} onDismiss={onDismiss} />)}
    </div>
  )
}
