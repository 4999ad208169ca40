/**
 * Live data for the networking views: load with an operation, reload when
 * one of the named events arrives (coalesced, so a burst of receipts costs
 * one reload) and, for figures that change without events (bytes, RTT), on
 * an interval.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppEvent } from '../../preload/contract'
import { bridge, describe } from './api'
import { Reloads } from './reloads'

const COALESCE_MS = 120

export interface Live<T> {
  data: T | undefined
  error: string | undefined
  refresh: () => void
}

export function useLive<T>(load: () => Promise<T>, events: ReadonlyArray<AppEvent['type']>, intervalMs: number | null, key: string): Live<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<string>()
  const loader = useRef(load)
  loader.current = load
  const timer = useRef<number | undefined>(undefined)
  const alive = useRef(true)

  // Only the latest load's answer is shown: an earlier one (for an older key) may come back after it.
  const latest = useRef(0)

  // Told when the load refresh started last is done (Reloads waits on it).
  const refreshing = useRef<() => void>(() => {})

  const refresh = useCallback(() => {
    const seq = ++latest.current
    const done = refreshing.current
    refreshing.current = () => {}
    loader.current().then(
      (value) => {
        if (!alive.current || seq !== latest.current) return
        setData(value)
        setError(undefined)
      },
      (err: unknown) => alive.current && seq === latest.current && setError(describe(err))
    ).finally(done)
  }, [])

  const wanted = events.join(',')
  useEffect(() => {
    alive.current = true
    // Each load is refresh's; what events and ticks ask waits for the one under way (Reloads).
    const reloads = new Reloads(() => new Promise<void>((resolve) => {
      refreshing.current = resolve
      refresh()
    }))
    reloads.now()
    const types = new Set(wanted.split(','))
    const off = bridge().onEvent((event) => {
      if (!types.has(event.type) || timer.current !== undefined) return
      timer.current = window.setTimeout(() => {
        timer.current = undefined
        reloads.soon()
      }, COALESCE_MS)
    })
    const interval = intervalMs === null ? undefined : window.setInterval(() => reloads.soon(), intervalMs)
    return () => {
      alive.current = false
      reloads.stop()
      off()
      window.clearTimeout(timer.current)
      timer.current = undefined
      window.clearInterval(interval)
    }
  }, [refresh, wanted, intervalMs, key])

  return { data, error, refresh }
}
