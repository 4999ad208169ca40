import { useState, type FormEvent } from 'react'
import { MAX_STATUS_LENGTH, STATUS_CLEAR_AFTER } from '../../../preload/contract'
import { call, describe } from '../api'
import { untilLabel } from '../format'
import { Dialog } from './Dialog'

/** What people in an office most often say, one click each (then editable). */
const SUGGESTIONS = ['In a meeting', 'Out for lunch', 'Working from home', 'Focusing: DMs only', 'Back soon']

type ClearAfter = keyof typeof STATUS_CLEAR_AFTER

/**
 * Your status in your own words ("In a meeting until 3"): everyone who sees your presence sees
 * it, next to your name, until you clear it; it is kept across restarts.
 */
export function StatusDialog({ current, until, onClose }: { current: string; until?: number; onClose: () => void }) {
  const [text, setText] = useState(current)
  const [clearAfter, setClearAfter] = useState<ClearAfter>('never')
  const [error, setError] = useState<string>()
  const [saving, setSaving] = useState(false)

  async function save(status: string): Promise<void> {
    setError(undefined)
    setSaving(true)
    const ends = status.trim() === '' ? undefined : STATUS_CLEAR_AFTER[clearAfter].until(new Date())
    try {
      await call('setStatus', { status, ...(ends !== undefined ? { until: ends } : {}) })
      onClose()
    } catch (err) {
      setError(describe(err))
      setSaving(false)
    }
  }
  const submit = (e: FormEvent): void => {
    e.preventDefault()
    void save(text)
  }

  return (
    <Dialog title="Your status" label="Your status" onClose={onClose}>
      <form onSubmit={submit} className="stack">
        <label htmlFor="status-text">What are you up to?</label>
        <input id="status-text" autoFocus maxLength={MAX_STATUS_LENGTH} value={text} placeholder="e.g. In a meeting until 3" onChange={(e) => setText(e.target.value)} />
        <div className="status-suggestions" role="group" aria-label="Suggestions">
          {SUGGESTIONS.map((s) => (
            <button key={s} type="button" className="chip" onClick={() => setText(s)}>{s}</button>
          ))}
        </div>
        <label htmlFor="status-clear-after">Clear after</label>
        <select id="status-clear-after" value={clearAfter} onChange={(e) => setClearAfter(e.target.value as ClearAfter)}>
          {(Object.keys(STATUS_CLEAR_AFTER) as ClearAfter[]).map((k) => <option key={k} value={k}>{STATUS_CLEAR_AFTER[k].label}</option>)}
        </select>
        <p className="hint">
          Shown next to your name to everyone on the network{until !== undefined && current !== '' ? ` (now ${untilLabel(until)})` : ''}. {text.length}/{MAX_STATUS_LENGTH}
        </p>
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          {current !== '' && <button type="button" disabled={saving} onClick={() => void save('')}>Clear status</button>}
          <button type="button" onClick={onClose}>Cancel</button>
          <button className="primary" type="submit" disabled={saving || (text.trim() === current && clearAfter === 'never')}>Save</button>
        </div>
      </form>
    </Dialog>
  )
}
