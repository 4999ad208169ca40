/**
 * Live data for the networking views: load with an operation, reload when
 * one of the named events arrives (coalesced, so a burst of receipts costs
 * one reload) and, for figures that change without events (bytes, RTT), on
 * an interval.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { AppEvent } from '../../preload/contract'
import { bridge, describe } from './api'

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

  const refresh = useCallback(() => {
    const seq = ++latest.current
    loader.current().then(
      (value) => {
        if (!alive.current || seq !== latest.current) return
        setData(value)
        setError(undefined)
      },
      (err: unknown) => alive.current && seq === latest.current && setError(describe(err))
    )
  }, [])

  const wanted = events.join(',')
  useEffect(() => {
    alive.current = true
    refresh()
    const types = new Set(wanted.split(','))
    const off = bridge().onEvent((event) => {
      if (!types.has(event.type) || timer.current !== undefined) return
      timer.current = window.setTimeout(() => {
        timer.current = undefined
        refresh()
      }, COALESCE_MS)
    })
    const interval = intervalMs === null ? undefined : window.setInterval(refresh, intervalMs)
    return () => {
      alive.current = false
      off()
      window.clearTimeout(timer.current)
      timer.current = undefined
      window.clearInterval(interval)
    }
  }, [refresh, wanted, intervalMs, key])

  return { data, error, refresh }
}
