/**
 * Small statistics helpers. Every figure in the table is a median over several
 * repetitions, and latencies are percentiles of per-message samples.
 */

/** Percentile by nearest rank on a copy (q in [0, 1]). */
export function percentile (samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] as number
}

export function median (values: readonly number[]): number {
  return percentile(values, 0.5)
}

/** Milliseconds since an arbitrary origin, sub-microsecond resolution. */
export function now (): number {
  return performance.now()
}

export function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Waits until `check()` is true, polling; throws after `timeoutMs` with `what` in the message. */
export async function waitUntil (check: () => boolean, what: string | (() => string), timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new BenchTimeoutError(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`)
    await sleep(2)
  }
}

export class BenchTimeoutError extends Error {
  static override name = 'BenchTimeoutError'
  override name = 'BenchTimeoutError'
}

/** A payload of exactly `bytes` ASCII characters (so bytes == chars on the wire). */
export function payload (bytes: number): string {
  return 'x'.repeat(bytes)
}

/**
 * Counts deliveries down to zero. Used by every scenario so that "delivered"
 * means the same thing everywhere: the receiver's own handler ran for that
 * message. A system may lose messages (gossipsub promises no delivery), so
 * waiting ends either when all arrived or when none arrived for `stallMs`.
 */
export class Countdown {
  remaining: number
  /** now() of the latest delivery (or of creation). */
  lastAt = now()
  private resolve!: () => void
  private readonly all: Promise<void>

  constructor (count: number) {
    this.remaining = count
    this.all = new Promise((resolve) => { this.resolve = resolve })
    if (count <= 0) this.resolve()
  }

  tick (): void {
    this.lastAt = now()
    this.remaining--
    if (this.remaining === 0) this.resolve()
  }

  /** Resolves with the number still missing: 0, or what was lost after a stall. */
  async wait (stallMs: number): Promise<number> {
    let done = false
    void this.all.then(() => { done = true })
    while (!done) {
      await Promise.race([this.all, sleep(Math.min(stallMs, 100))])
      if (!done && now() - this.lastAt > stallMs) return this.remaining
    }
    return 0
  }
}
