/**
 * Which day it is here, kept current: a window left open across midnight says
 * "Yesterday" above the day before's messages, and "last seen" or "until" times
 * gain their day, without waiting for something else to redraw it.
 *
 *   const today = useToday()   // 20261206; the component draws again when it changes
 */
import { useEffect, useState } from 'react'
import { dayOf } from './format'

/** How long at most between two looks at the date: a timer set for midnight runs late after a sleep, and the time zone may change (a laptop that travelled). */
const LOOK_EVERY_MS = 60_000

/** Today's key (as dayOf gives it); the calling component draws again once the day (or the time zone's idea of it) changes. */
export function useToday(): number {
  const [today, setToday] = useState(() => dayOf(Date.now()))
  useEffect(() => {
    let timer: number | undefined
    const look = (): void => {
      window.clearTimeout(timer)
      setToday(dayOf(Date.now()))
      const midnight = new Date()
      midnight.setHours(24, 0, 0, 0)
      // Just past midnight, or a minute from now if that is sooner.
      timer = window.setTimeout(look, Math.min(midnight.getTime() - Date.now() + 50, LOOK_EVERY_MS))
    }
    look()
    const onShow = (): void => { if (document.visibilityState === 'visible') look() }
    document.addEventListener('visibilitychange', onShow)
    window.addEventListener('focus', look)
    return () => {
      window.clearTimeout(timer)
      document.removeEventListener('visibilitychange', onShow)
      window.removeEventListener('focus', look)
    }
  }, [])
  return today
}
