import { performance } from 'node:perf_hooks'

/** The share of the time this process's event loop was busy since the last call (0..1). */
export function loopBusy (): () => number {
  let last = performance.eventLoopUtilization()
  return () => {
    const now = performance.eventLoopUtilization()
    const { utilization } = performance.eventLoopUtilization(now, last)
    last = now
    return utilization
  }
}

/**
 * The share of the time this process's event loop was busy over its last
 * whole period of `periodMs` (0..1), however often it is asked: a holder
 * stamps it on every chunk it sends.
 */
export function loopBusyOver (periodMs: number): () => number {
  const since = loopBusy()
  let at = performance.now()
  let value = 0
  return () => {
    const now = performance.now()
    if (now - at >= periodMs) {
      value = since()
      at = now
    }
    return value
  }
}
