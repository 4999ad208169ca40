import { useEffect } from 'react'
import type { Toast } from '../store'

/** How long a toast stays, from when it appeared (a newer one does not restart an older one's time). */
export const TOAST_MS = 8000

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(toast.id), TOAST_MS)
    return () => clearTimeout(timer)
  }, [toast.id, onDismiss])
  return (
    <div className="toast" role="alert">
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
