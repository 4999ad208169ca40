import { RECONNECT_MAX_MS, RECONNECT_MIN_MS } from './constants.js'

/**
 * Reconnects to known peers with exponential backoff (0.5 s doubling to 30 s,
 * with jitter so a LAN of peers that lost the same switch do not all redial in
 * step). A successful connection resets a peer's backoff.
 */
export class Redialer {
  readonly #timers = new Map<string, NodeJS.Timeout>()
  readonly #delays = new Map<string, number>()
  #stopped = false

  constructor (private readonly dial: (peerId: string) => Promise<void>) {}

  schedule (peerId: string, soon = false): void {
    if (this.#stopped || this.#timers.has(peerId)) return
    const delay = soon ? 0 : (this.#delays.get(peerId) ?? RECONNECT_MIN_MS)
    this.#delays.set(peerId, Math.min(RECONNECT_MAX_MS, Math.max(RECONNECT_MIN_MS, delay) * 2))
    const timer = setTimeout(() => {
      this.#timers.delete(peerId)
      this.dial(peerId).catch(() => { this.schedule(peerId) })
    }, delay * (0.8 + Math.random() * 0.4))
    timer.unref()
    this.#timers.set(peerId, timer)
  }

  connected (peerId: string): void {
    this.forget(peerId)
  }

  forget (peerId: string): void {
    clearTimeout(this.#timers.get(peerId))
    this.#timers.delete(peerId)
    this.#delays.delete(peerId)
  }

  stop (): void {
    this.#stopped = true
    for (const t of this.#timers.values()) clearTimeout(t)
    this.#timers.clear()
  }
}
