/**
 * When to load again, for a view that loads on events: at once when asked to (`now`: what is asked
 * changed), and on `soon` (an event, a tick) at once only when no load is under way, else once, when
 * the one under way is done. A slow load (a search by date over a long history: a second or more)
 * asked again at every message of a busy room piled up loads faster than the engine answered them.
 *
 *   const reloads = new Reloads(() => call('search', { q }))
 *   reloads.soon(); reloads.soon(); reloads.soon()   // one load now, one more when it is done
 */
export class Reloads {
  #running = 0
  #again = false
  #stopped = false

  constructor(private readonly load: () => Promise<unknown>) {}

  now(): void {
    if (this.#stopped) return
    this.#running++
    this.load().catch(() => undefined).finally(() => {
      this.#running--
      if (this.#running === 0 && this.#again) {
        this.#again = false
        this.now()
      }
    })
  }

  soon(): void {
    if (this.#running > 0) this.#again = true
    else this.now()
  }

  /** No load starts after this (one under way ends as it will). */
  stop(): void {
    this.#stopped = true
    this.#again = false
  }
}
