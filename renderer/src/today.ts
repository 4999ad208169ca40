/**
 * Which day it is here, and in which time zone, kept current: a window left open
 * across midnight says "Yesterday" above the day before's messages, "last seen"
 * and "until" times gain their day, and a laptop that travelled shows its new
 * zone's times, without waiting for something else to redraw them.
 *
 *   const today = useToday()              // '20261206 Asia/Tokyo', in App
 *   <Today.Provider value={today}>        // rows (memoized) read it to draw again
 */
import { createContext, useEffect, useState } from 'react'
import { dayOf, zoneChanged, timeZone } from './format'

/** How long at most between two looks at the date and zone: a timer set for midnight runs late after a sleep, and the time zone may change (a laptop that travelled). */
const LOOK_EVERY_MS = 60_000

/** Today's day and time zone, as one key; what reads it draws again when it changes. */
export const Today = createContext('')

const todayKey = (): string => `${dayOf(Date.now())} ${timeZone()}`

/** Today's key; the calling component draws again once the day, or the system's time zone, changes. */
export function useToday(): string {
  const [today, setToday] = useState(todayKey)
  useEffect(() => {
    let timer: number | undefined
    const look = (): void => {
      window.clearTimeout(timer)
      zoneChanged()
      setToday(todayKey())
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
