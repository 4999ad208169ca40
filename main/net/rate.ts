/**
 * A token bucket: `rate` tokens a second, at most `burst` saved up. `take`
 * waits (without blocking anyone else) until the tokens are there, which
 * pauses reading from a flooding peer so yamux's flow control pushes back on
 * it alone.
 */
export class TokenBucket {
  #tokens: number
  #last = performance.now()

  constructor (readonly rate: number, readonly burst: number) {
    this.#tokens = burst
  }

  #refill (): void {
    const now = performance.now()
    this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#last) * this.rate / 1000)
    this.#last = now
  }

  /** Milliseconds to wait before `n` tokens are available (0: take them now). */
  delayFor (n: number): number {
    this.#refill()
    const need = Math.min(n, this.burst)
    if (this.#tokens >= need) return 0
    return Math.ceil((need - this.#tokens) * 1000 / this.rate)
  }

  /** Take `n` tokens if they are there now; false (and nothing taken) if not. */
  tryTake (n: number): boolean {
    if (this.delayFor(n) > 0) return false
    this.#tokens -= Math.min(n, this.burst)
    return true
  }

  /** Milliseconds until the bucket is full again (0: it is). */
  fullIn (): number {
    this.#refill()
    return Math.max(0, Math.ceil((this.burst - this.#tokens) * 1000 / this.rate))
  }

  async take (n: number, signal?: AbortSignal): Promise<boolean> {
    let throttled = false
    for (let wait = this.delayFor(n); wait > 0; wait = this.delayFor(n)) {
      throttled = true
      let timer: ReturnType<typeof setTimeout> | undefined
      await untilAborted(new Promise<void>((resolve) => { timer = setTimeout(resolve, wait) }), signal)
      clearTimeout(timer)
      if (signal?.aborted === true) return throttled
    }
    this.#tokens -= Math.min(n, this.burst)
    return throttled
  }
}

/**
 * Each peer's buckets, made on first use. A peer's last link closed, its buckets are kept until they
 * would be full again, then forgotten: hanging up and dialing again does not refill them, and peers
 * that came and went (a new key each time included) take room only for those few seconds.
 *
 *   const buckets = new PeerBuckets(() => new TokenBucket(50, 200), b => b.fullIn())
 *   await buckets.of(peerId).take(1)      // a link's frame
 *   buckets.left(peerId)                  // its last link closed
 */
export class PeerBuckets<B> {
  readonly #linked = new Map<string, B>()
  readonly #gone = new Map<string, { buckets: B, fullAt: number }>()

  constructor (readonly make: () => B, readonly fullIn: (buckets: B) => number) {}

  of (peerId: string): B {
    const linked = this.#linked.get(peerId)
    if (linked !== undefined) return linked
    this.#forgetFull()
    const buckets = this.#gone.get(peerId)?.buckets ?? this.make()
    this.#gone.delete(peerId)
    this.#linked.set(peerId, buckets)
    return buckets
  }

  left (peerId: string): void {
    const buckets = this.#linked.get(peerId)
    if (buckets === undefined) return
    this.#linked.delete(peerId)
    this.#forgetFull()
    const ms = this.fullIn(buckets)
    if (ms > 0) this.#gone.set(peerId, { buckets, fullAt: performance.now() + ms })
  }

  #forgetFull (): void {
    const now = performance.now()
    for (const [peerId, gone] of this.#gone) if (gone.fullAt <= now) this.#gone.delete(peerId)
  }
}

/**
 * `p`, or the abort of `signal` if that comes first. The listener it puts on
 * the signal goes once either happens: the signals waited on here live as long
 * as the node (a protocol's, a hub's), and a flooding peer makes one wait per
 * frame, so a listener left behind each time would grow without end.
 */
export async function untilAborted (p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return await p
  if (signal.aborted) return
  let stop = (): void => {}
  const aborted = new Promise<void>((resolve) => { stop = resolve })
  signal.addEventListener('abort', stop, { once: true })
  try {
    await Promise.race([p, aborted])
  } finally {
    signal.removeEventListener('abort', stop)
  }
}
