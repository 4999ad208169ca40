import { useEffect, useState } from 'react'
import type { SearchHit } from '../../../preload/contract'
import { call } from '../api'
import { useLive } from '../live'
import { Dialog } from './Dialog'
import { dayLabel, fullTime, localTime } from '../format'
import { previewText } from '../markup'

/** When a hit was written: its time today, else its day and time (hits span the whole history). */
const hitTime = (ms: number): string => (dayLabel(ms) === 'Today' ? localTime(ms) : `${dayLabel(ms)}, ${localTime(ms)}`)

/**
 * The engine marks matched words [like this]: shown as <mark>. The snippet reads as the message
 * does, formatting markers gone (a code fence the snippet cut in two included).
 */
function Snippet({ snippet }: { snippet: string }) {
  const text = previewText(snippet.replace(/```[\w+#.-]*/g, ' '))
  return <>{text.split(/(\[[^\]]*\])/).map((part, i) => (part.startsWith('[') && part.endsWith(']') ? <mark key={i}>{part.slice(1, -1)}</mark> : part))}</>
}

/**
 * Search every room's history (Ctrl/Cmd+F): hits come from the engine's
 * full-text index, newest first; choosing one opens its room at that message.
 */
export function SearchDialog({ onClose, onOpen }: { onClose: () => void; onOpen: (hit: SearchHit) => void }) {
  const [q, setQ] = useState('')
  // Typing fast asks once, for what was typed last.
  const [asked, setAsked] = useState('')
  useEffect(() => {
    const timer = setTimeout(() => setAsked(q.trim()), 120)
    return () => clearTimeout(timer)
  }, [q])
  // While the dialog is open, a message that arrives, or is edited or deleted, is found (or dropped) without typing again.
  const { data: hits, error } = useLive(
    () => (asked === '' ? Promise.resolve(undefined) : call('search', { q: asked })),
    ['message', 'message:updated'],
    null,
    asked
  )
  const shown = q.trim() === '' ? undefined : hits

  return (
    <Dialog title="Search messages" label="Search messages" onClose={onClose}>
      <div className="stack">
        <label htmlFor="search-q">Words to find, in every room</label>
        {/* A plain text field: in a search field the first Escape only clears it, and Escape should close the dialog. */}
        <input id="search-q" type="text" enterKeyHint="search" autoFocus maxLength={500} value={q} aria-describedby="search-scope" onChange={(e) => setQ(e.target.value)} />
        <p className="hint" id="search-scope">Direct messages and private rooms are not searched: their text is kept sealed on disk.</p>
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        {shown !== undefined && shown.length === 0 && <p className="hint" aria-live="polite">No message matches.</p>}
        {shown !== undefined && shown.length > 0 && (
          <ul className="search-hits" aria-label="Search results">
            {shown.map((h) => (
              <li key={`${h.room}/${h.id}`}>
                <button type="button" className="search-hit" data-testid="search-hit" onClick={() => onOpen(h)}>
                  <span className="muted">#{h.room}</span> <strong>{h.name}</strong>{' '}
                  <time className="muted small" dateTime={new Date(h.sentAt).toISOString()} title={fullTime(h.sentAt)}>{hitTime(h.sentAt)}</time>: <Snippet snippet={h.snippet} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  )
}
