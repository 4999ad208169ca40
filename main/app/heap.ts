/**
 * When V8 runs a full collection, tuned for an engine process: called once at
 * the start of every process that runs the engine (main/engine.ts for the
 * desktop app's utilityProcess and the test host, main/cli.ts for
 * `bin/lanchat`), never by the engine itself, which may share a process.
 *
 * An engine's heap is small (~15 MB) and a file transfer moves buffers fast
 * through Noise, yamux and the file stream: the receiving end allocates about
 * four times the bytes it receives, each buffer short-lived. With V8's
 * defaults both ends of a transfer ran a full mark-compact every 150–250 ms,
 * each pausing the event loop for 5–25 ms, with V8's helper threads spending
 * a third as much CPU as the main thread (BENCHMARKS.md, "The engine's heap").
 * Three things started those collections, and each has its setting here:
 *
 * - V8 starts marking once the room left under its old-generation limit is
 *   smaller than the young generation, which with so small a heap is almost
 *   always. The two marking triggers make it start at 80% of that room.
 * - Every 64 MB of buffers allocated since the last collection ("external
 *   memory pressure") started one on its own. With
 *   `--external-memory-accounted-in-global-limit` those bytes count towards
 *   the heap's global limit instead, like any other allocation.
 * - That limit is V8's estimate from the live heap, so for a 15 MB heap it is
 *   small. `bin/lanchat` sets a 128 MiB floor under it on its command line;
 *   Electron's utility process takes no V8 flags on its command line, so
 *   after every full collection the growth factor is set to reach that floor
 *   (`--heap-growing-percent`), and back to V8's own once the live heap is
 *   half of it. An idle peer's RSS measured the same with and without this;
 *   a receiving peer's peak RSS during a transfer rose by under 15 MiB.
 *
 * V8 reads these flags each time it decides, so they can be set after start.
 * Each is set on its own: V8 ignores what follows a flag it does not know.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'

export const HEAP_FLAGS = [
  '--incremental-marking-soft-trigger=80',
  '--incremental-marking-hard-trigger=95',
  '--external-memory-accounted-in-global-limit'
] as const

/** The room a full collection leaves at least, as `bin/lanchat`'s `--initial-old-space-size=128` does. */
export const HEAP_FLOOR_BYTES = 128 * 2 ** 20
/** At most 10 times the live heap: a heap under 12.8 MB gets less room than the floor. */
export const MAX_GROWING_PERCENT = 900

/**
 * The growth factor (in V8's percent over 1) that sets the next limit at
 * HEAP_FLOOR_BYTES for a live heap of `usedBytes`; 0, V8's own factor, once
 * the live heap is half the floor or more.
 */
export function growingPercentFor (usedBytes: number): number {
  if (!(usedBytes > 0) || usedBytes * 2 >= HEAP_FLOOR_BYTES) return 0
  return Math.min(MAX_GROWING_PERCENT, Math.ceil((HEAP_FLOOR_BYTES / usedBytes - 1) * 100))
}

let observer: PerformanceObserver | undefined
let percent = -1

/** Set the growth factor for the live heap now, when it moved by a tenth or more (or to or from V8's own). */
function followLiveHeap (): void {
  const next = growingPercentFor(getHeapStatistics().used_heap_size)
  if (next === percent || (next > 0 && percent > 0 && Math.abs(next - percent) * 10 < percent)) return
  percent = next
  setFlagsFromString(`--heap-growing-percent=${next}`)
}

/** A gc entry's `detail` says which collection it was (Node's perf_hooks). */
const isFullCollection = (e: PerformanceEntry): boolean => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR

export function tuneHeapForEngine (): void {
  for (const flag of HEAP_FLAGS) setFlagsFromString(flag)
  if (observer !== undefined) return
  followLiveHeap()
  observer = new PerformanceObserver((list) => { if (list.getEntries().some(isFullCollection)) followLiveHeap() })
  observer.observe({ entryTypes: ['gc'] })
}
