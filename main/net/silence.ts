/**
 * Deadlines on another peer's silence that this process's own stalls do not trip.
 *
 * Node runs the timers that are due before it polls its sockets. A process
 * that was stopped for a while (SIGSTOP, a debugger, minutes of swapping, a
 * starved machine) wakes with its deadlines past and runs them first, while
 * the hello or the answer that arrived meanwhile still sits unread in the
 * socket: it would hang up on a peer that did answer, in time. So a deadline
 * that fires more than LATE_MS after it was due is taken for this process's
 * own stall, not the peer's silence, and given GRACE_MS more, time enough for
 * what is waiting in the socket to be read.
 *
 * const t = onSilence(10_000, () => { link.close(new Error('no hello in time')) })
 * t.clear()                                   // heard in time
 * const { signal, clear } = silenceSignal(15_000)
 */

/** How late a deadline may fire and still count as this process keeping time, ms. */
export const LATE_MS = 1_000
/** The time a late deadline gives the input that waited in the socket meanwhile, ms. */
export const GRACE_MS = 1_000

export interface SilenceTimer {
  clear: () => void
}

/** Calls `fire` after `ms` without the call being cleared, unless this process itself was stalled then (see above). */
export function onSilence (ms: number, fire: () => void): SilenceTimer {
  let timer: ReturnType<typeof setTimeout> | undefined
  const arm = (wait: number): void => {
    const due = performance.now() + wait
    timer = setTimeout(() => {
      if (performance.now() - due > LATE_MS) arm(GRACE_MS)
      else fire()
    }, wait)
    timer.unref?.()
  }
  arm(ms)
  return { clear: () => { clearTimeout(timer) } }
}

/** An AbortSignal for a peer's silence: aborted with a TimeoutError as onSilence fires; clear it when done. */
export function silenceSignal (ms: number): { signal: AbortSignal, clear: () => void } {
  const controller = new AbortController()
  const timer = onSilence(ms, () => { controller.abort(new DOMException(`no answer in ${ms} ms`, 'TimeoutError')) })
  return { signal: controller.signal, clear: timer.clear }
}

/** How often `onStall` looks at the clocks, ms. */
const STALL_TICK_MS = 1_000

/**
 * Calls `woke(ms)` when this process did not run for at least `minMs`: the computer slept (the wall
 * clock went on; the monotonic one may not have, Linux's stops during a suspend), or the process was
 * stopped (SIGSTOP, a debugger). A tick looks every second; and `check`, called before what may have
 * waited meanwhile is acted on (a link the others ended), looks at once: a process stopped while it
 * waited for input reads that input on waking before any timer runs. `stop` ends it.
 */
export function onStall (minMs: number, woke: (ms: number) => void): { check: () => void, stop: () => void } {
  let wall = Date.now()
  let mono = performance.now()
  const check = (): void => {
    const gone = Math.max(Date.now() - wall, performance.now() - mono) - STALL_TICK_MS
    wall = Date.now()
    mono = performance.now()
    if (gone >= minMs) woke(gone)
  }
  const timer = setInterval(check, STALL_TICK_MS)
  timer.unref?.()
  return { check, stop: () => { clearInterval(timer) } }
}
