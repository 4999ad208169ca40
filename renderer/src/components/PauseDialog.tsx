import { useEffect, useState } from 'react'
import { clockTime, NOTIFY_PAUSE_FOR, notifyPaused, type Settings } from '../../../preload/contract'
import { call, describe } from '../api'
import { pauseLabel, pausedTo } from '../pause'
import { ClockWords } from './ClockWords'
import { Dialog } from './Dialog'

type PauseFor = keyof typeof NOTIFY_PAUSE_FOR

/** How often an open dialog reads its choices again. */
const CHOICES_EVERY_MS = 10_000

function choicesAt(): Array<{ k: PauseFor; label: string; at?: number }> {
  const now = new Date()
  return (Object.keys(NOTIFY_PAUSE_FOR) as PauseFor[]).flatMap((k) => {
    const c = NOTIFY_PAUSE_FOR[k]
    if ('offered' in c && !c.offered(now)) return []
    const at = c.until(now)
    return ['clock' in c && typeof at === 'number' ? { k, label: `${c.label} (${clockTime(at)})`, at } : { k, label: c.label }]
  })
}

/**
 * Pause notifications (do not disturb), as Slack and Teams offer it: one click for how long. While
 * paused no notification shows or sounds, a mention or a direct message included; the unread
 * counts go on. Kept in the settings, so a restart keeps it.
 */
export function PauseDialog({ until, onClose }: { until: Settings['notifyPausedUntil']; onClose: () => void }) {
  const [error, setError] = useState<string>()
  const [saving, setSaving] = useState(false)
  const paused = notifyPaused(until)
  // The choices as the clock reads now: "Until this morning" only in the small hours; a time said as the sidebar says it
  // ("08:00", "08:00 AM"). Read again every few seconds while the dialog is open: one left open past 08:00 no longer offers
  // this morning, and a choice that has just become past when clicked pauses nothing but shows the choices as they are now.
  const [choices, setChoices] = useState(choicesAt)
  useEffect(() => {
    const timer = setInterval(() => setChoices(choicesAt()), CHOICES_EVERY_MS)
    return () => clearInterval(timer)
  }, [])
  function choose(k: PauseFor): void {
    const until = NOTIFY_PAUSE_FOR[k].until(new Date())
    if (typeof until === 'number' && until <= Date.now()) {
      setChoices(choicesAt())
      return
    }
    void save(until)
  }

  async function save(notifyPausedUntil: number | 'resume'): Promise<void> {
    setError(undefined)
    setSaving(true)
    try {
      await call('saveSettings', { notifyPausedUntil })
      onClose()
    } catch (err) {
      setError(describe(err))
      setSaving(false)
    }
  }

  return (
    <Dialog title="Pause notifications" label="Pause notifications" onClose={onClose}>
      <div className="stack">
        <p className="hint">No notification and no sound for any message, mentions and direct messages included. Unread counts go on as before.</p>
        {paused && <p data-testid="pause-now">Paused <ClockWords text={pauseLabel(until)} at={pausedTo(until)} />.</p>}
        <div className="pause-choices" role="group" aria-label={paused ? 'Pause instead' : 'Pause'}>
          {choices.map(({ k, label, at }, i) => (
            <button key={k} type="button" disabled={saving} {...(i === 0 ? { 'data-autofocus': true } : {})} onClick={() => choose(k)}><ClockWords text={label} at={at} /></button>
          ))}
        </div>
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          {paused && <button type="button" className="primary" disabled={saving} onClick={() => void save(0)}>Resume notifications</button>}
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </div>
    </Dialog>
  )
}
