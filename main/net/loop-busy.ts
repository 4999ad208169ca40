import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

/** Whether the system says how long a thread waited for a core (Linux), until it fails once. */
let schedstat = process.platform === 'linux'

/**
 * The calling thread's time on a core and waiting for one since it started, ms, where the
 * system says (Linux: /proc/thread-self/schedstat, the kernel's scheduler statistics); undefined
 * elsewhere.
 */
function schedTimes (): { run: number, wait: number } | undefined {
  if (!schedstat) return undefined
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ').map(Number)
    if (run !== undefined && wait !== undefined && Number.isFinite(run) && Number.isFinite(wait)) return { run: run / 1e6, wait: wait / 1e6 }
  } catch { /* not readable here: the event loop alone says */ }
  schedstat = false
  return undefined
}

/**
 * The share of the time since the last call (0..1) this process's event loop wanted a core: it
 * was busy, or, where the system says, its thread ran or waited to run. An event loop woken by
 * data while every core is taken waits for one, and its own measure counts that wait as idle.
 * Called on the event loop's thread.
 */
export function loopBusy (): () => number {
  let last = performance.eventLoopUtilization()
  let lastSched = schedTimes()
  let lastAt = performance.now()
  return () => {
    const now = performance.eventLoopUtilization()
    const { utilization } = performance.eventLoopUtilization(now, last)
    last = now
    const sched = schedTimes()
    const at = performance.now()
    const wanted = sched !== undefined && lastSched !== undefined && at > lastAt
      ? (sched.run - lastSched.run + sched.wait - lastSched.wait) / (at - lastAt)
      : 0
    lastSched = sched
    lastAt = at
    return Math.min(1, Math.max(utilization, wanted))
  }
}

/**
 * loopBusy's share over the last whole period of `periodMs`, however often
 * it is asked: a holder stamps it on every chunk it sends.
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
