/**
 * Notifications paused (do not disturb), as the window shows it: whether they are now, redrawn
 * when the pause's time is up, and until when, in words. Main holds back the notifications
 * themselves (main/app/notify.ts); the window only says so and offers to resume.
 *
 *   const paused = usePaused(settings.notifyPausedUntil)   // false again once its end passes
 *   pauseLabel(settings.notifyPausedUntil)                  // "until 13:30", "until Tue 08:00", "until you resume them"
 */
import { useEffect, useReducer } from 'react'
import { notifyPaused, untilLabel, type Settings } from '../../preload/contract'

/**
 * How long at most between two looks at the clock while paused: a timer for the pause's end runs late
 * after the computer slept (its wait does not count the sleep), as Today's for midnight does.
 */
const LOOK_EVERY_MS = 60_000

/** Until when notifications are paused, in words. */
export function pauseLabel(until: Settings['notifyPausedUntil'], now: number = Date.now()): string {
  return until === 'resume' || until === undefined ? 'until you resume them' : untilLabel(until, now)
}

/** The time a pause ends, when it has one (the time its label says). */
export function pausedTo(until: Settings['notifyPausedUntil']): number | undefined {
  return typeof until === 'number' ? until : undefined
}

/** Whether notifications are paused now; the component is drawn again when the pause ends by itself. */
export function usePaused(until: Settings['notifyPausedUntil']): boolean {
  const [tick, redraw] = useReducer((n: number) => n + 1, 0)
  const paused = notifyPaused(until)
  useEffect(() => {
    if (!paused || typeof until !== 'number') return
    const timer = setTimeout(redraw, Math.min(Math.max(until - Date.now(), 0) + 50, LOOK_EVERY_MS))
    // The window shown again (after a sleep, from the tray): said as it is now, not as when it was hidden.
    const onShow = (): void => { if (document.visibilityState === 'visible') redraw() }
    document.addEventListener('visibilitychange', onShow)
    window.addEventListener('focus', redraw)
    return () => {
      clearTimeout(timer)
      document.removeEventListener('visibilitychange', onShow)
      window.removeEventListener('focus', redraw)
    }
  }, [paused, until, tick])
  return paused
}
