import { useEffect } from 'react'
import type { Toast } from '../store'

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timers = toasts.map((t) => setTimeout(() => onDismiss(t.id), 8000))
    return () => timers.forEach(clearTimeout)
  }, [toasts, onDismiss])
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast" role="alert">
          <strong>{t.title}</strong>
          <span>{t.message}</span>
          <button className="icon small" aria-label="Dismiss" onClick={() => onDismiss(t.id)}>✕</button>
        </div>
      ))}
    </div>
  )
}
