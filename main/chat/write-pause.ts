/**
 * What a full disk does to the message path: a commit that fails is kept by
 * its owner (received messages, own runs), and this says so once, pauses
 * taking in peers' messages (they send them again later), and calls the
 * owner's retry every COMMIT_RETRY_MS until a commit succeeds and nothing
 * waits any more. Nothing is announced before it is written.
 *
 * @example
 * ```ts
 * const pause = new WritePause({ retry: () => flush(), tell: msg => emit(msg), resumed: () => emit(), log })
 * try { commit() } catch (err) { keep(); pause.failed(err) }
 * pause.written(nothingWaits)
 * ```
 */

/** A commit that failed (a full disk) is tried again this often until it succeeds. */
export const COMMIT_RETRY_MS = 2000

export interface WritePauseOwner {
  /** Try the commits that wait again. */
  retry: () => void
  /** Tell the user (once per pause): writes wait. */
  tell: (message: string) => void
  /** Tell the user writes go on again (once per pause). */
  resumed: () => void
  log: (line: string) => void
}

export class WritePause {
  #timer: NodeJS.Timeout | undefined
  #paused = false

  constructor (private readonly owner: WritePauseOwner) {}

  /** Writes fail: peers' messages are not taken in meanwhile. */
  get paused (): boolean { return this.#paused }

  failed (err: Error): void {
    if (!this.#paused) this.owner.tell(`${err.message}. Sending and receiving wait: what you send and what was received are kept and written when the disk has room again.`)
    this.#paused = true
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.owner.retry()
    }, COMMIT_RETRY_MS)
    this.#timer.unref()
  }

  /** A commit succeeded; `nothingWaits`: no other commit is still kept for a retry. */
  written (nothingWaits: boolean): void {
    if (!this.#paused || !nothingWaits) return
    this.stop()
    this.owner.log('the database takes writes again: sending and receiving resumed')
    this.owner.resumed()
  }

  stop (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#paused = false
  }
}
