/**
 * The one listener set: the engine, the hub and the app layer keep one each.
 * `on` returns the unsubscribe, and one listener that throws (a broken window)
 * is logged without starving the others.
 */
export class Listeners<E> {
  readonly #set = new Set<(e: E) => void>()
  readonly #log: (line: string) => void

  constructor (log: (line: string) => void = () => {}) {
    this.#log = log
  }

  on (listener: (e: E) => void): () => void {
    this.#set.add(listener)
    return () => { this.#set.delete(listener) }
  }

  emit (e: E): void {
    for (const l of this.#set) {
      try { l(e) } catch (err) { this.#log(`listener failed: ${(err as Error).message}`) }
    }
  }

  clear (): void { this.#set.clear() }
}
