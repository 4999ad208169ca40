/**
 * What a headless peer or hub writes to stdout (its events, or a terminal's
 * lines) and stderr (diagnostics), for a reader that may be slow, stuck or
 * gone. Node queues a write to a pipe in memory when the pipe is full, and
 * process.exit() drops that queue: a script that read slowly lost the last
 * answers (a line cut in the middle too), and one that never read its output
 * made the peer hold every event since in memory, without end.
 *
 * So: answers to commands are always written (commands wait while the reader
 * is behind, see `below`, so they are bounded by what the script asks);
 * events nobody asked for (others' messages, receipts…) are dropped while more
 * than `maxUnread` bytes wait, and once the reader catches up one line says
 * how many went (`notice`), and in which rooms messages did (`history` still
 * has them); and `flush` lets the process end only once what was written has
 * been read, or the reader has taken nothing for a while.
 *
 * @example
 * ```ts
 * const out = new Output(process.stdout, { notice: d => JSON.stringify({ type: 'dropped', ...d }) })
 * out.event(JSON.stringify(message), { room: message.room })  // dropped while 32 MiB wait
 * out.answer(JSON.stringify(answer))                          // always written
 * await out.below(COMMAND_WAIT_BYTES)                         // before running the next command
 * await out.flush(); process.exit(0)                          // nothing written is lost
 * ```
 */

/** More than this waiting for the reader: events nobody asked for are dropped (answers never are). */
export const MAX_UNREAD_BYTES = 32 * 2 ** 20
/** More than this waiting for the reader: the next command waits (so does the input behind it). */
export const COMMAND_WAIT_BYTES = 4 * 2 ** 20
/** On the way out, a reader that takes nothing for this long is given up on. */
export const FLUSH_IDLE_MS = 5000

/** What was dropped since the reader last kept up: `events` lines, `messages` of them messages, in `rooms`. */
export interface Dropped { events: number, messages: number, rooms: string[] }

interface Stream {
  readonly writableLength: number
  readonly destroyed: boolean
  write: (text: string) => boolean
  on: (event: 'drain', listener: () => void) => unknown
  removeListener: (event: 'drain', listener: () => void) => unknown
}

export class Output {
  readonly #stream: Stream
  readonly #maxUnread: number
  readonly #notice: (d: Dropped) => string
  #events = 0
  #messages = 0
  readonly #rooms = new Set<string>()

  constructor (stream: Stream, opts: { notice: (d: Dropped) => string, maxUnread?: number }) {
    this.#stream = stream
    this.#maxUnread = opts.maxUnread ?? MAX_UNREAD_BYTES
    this.#notice = opts.notice
    // Node says 'drain' once all it held was taken: the reader caught up.
    stream.on('drain', () => { this.#tell() })
  }

  /** Bytes written and not yet taken by the reader. */
  get unread (): number { return this.#stream.writableLength }

  /** An answer to a command (or a line the person asked for): always written. */
  answer (line: string): void {
    this.#tell()
    this.#write(line)
  }

  /** Something that happened, nobody asked: dropped (and counted) while the reader is far behind. */
  event (line: string, about: { room?: string | undefined, message?: boolean } = {}): void {
    if (this.#stream.writableLength > this.#maxUnread) {
      this.#events++
      if (about.message === true) this.#messages++
      if (about.room !== undefined && this.#rooms.size < 100) this.#rooms.add(about.room)
      return
    }
    this.#tell()
    this.#write(line)
  }

  /** Resolves once at most `bytes` wait for the reader (at once when the reader is gone). */
  async below (bytes: number): Promise<void> {
    await this.#until(() => this.#stream.destroyed || this.#stream.writableLength <= bytes, Infinity)
  }

  /** Resolves once the reader has taken everything, is gone, or took nothing for `idleMs`. */
  async flush (idleMs = FLUSH_IDLE_MS): Promise<void> {
    this.#tell()
    await this.#until(() => this.#stream.destroyed || this.#stream.writableLength === 0, idleMs)
  }

  /** Say what was dropped, once the reader has room again. */
  #tell (): void {
    if (this.#events === 0 || this.#stream.writableLength > this.#maxUnread / 2) return
    const dropped = { events: this.#events, messages: this.#messages, rooms: [...this.#rooms] }
    this.#events = 0
    this.#messages = 0
    this.#rooms.clear()
    this.#write(this.#notice(dropped))
  }

  #write (line: string): void {
    // A reader gone: whenReaderGone (stdio.ts) has said so; what follows goes nowhere.
    if (this.#stream.destroyed) return
    this.#stream.write(line + '\n')
  }

  /** Poll `done` (and wake on 'drain'); give up when the reader took nothing for `idleMs`. */
  async #until (done: () => boolean, idleMs: number): Promise<void> {
    if (done()) return
    let left = this.#stream.writableLength
    let moved = Date.now()
    await new Promise<void>(resolve => {
      const check = (): void => {
        const now = this.#stream.writableLength
        if (now !== left) { left = now; moved = Date.now() }
        if (!done() && Date.now() - moved < idleMs) return
        clearInterval(timer)
        this.#stream.removeListener('drain', check)
        resolve()
      }
      const timer = setInterval(check, 20)
      this.#stream.on('drain', check)
    })
  }
}
