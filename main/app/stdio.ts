/**
 * The headless peer's and the hub's stdio as a terminal, a script or a
 * service gives it: stdin from /dev/null (systemd's default, `docker run`
 * without -i, nohup at a terminal, which opens it write-only), output whose
 * reader went away, and a terminal that hangs up.
 */
import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { fstatSync, statSync } from 'node:fs'

/** Whether stdin is /dev/null (not a terminal, a pipe or a file): nothing will ever be typed there. */
export function nullInput (): boolean {
  try {
    const input = fstatSync(0)
    const empty = statSync('/dev/null')
    return input.isCharacterDevice() && input.rdev === empty.rdev && !process.stdin.isTTY
  } catch {
    return false
  }
}

/**
 * stdout or stderr whose reader went away (`lanchat peer --json | head -1`,
 * a log collector restarted): Node reports EPIPE as an 'error' event on the
 * stream, which unhandled ends the process with a stack trace and no
 * graceful stop. `gone` is called once instead; later writes to the broken
 * stream fail quietly.
 */
export function whenReaderGone (stream: NodeJS.WriteStream, gone: () => void): void {
  let told = false
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err
    if (told) return
    told = true
    gone()
  })
}

/**
 * What a hangup and the input's end do, by how it runs (SIGTERM and SIGINT
 * always stop it gracefully). `service` (stdin is /dev/null): a hangup (SIGHUP, which
 * nohup meant to shield it from: Node resets the signal to its default) is
 * ignored, and so is stdin that cannot be read (nohup's write-only
 * /dev/null: EBADF). Otherwise a hangup (its terminal closed) is a graceful
 * stop, and the input's end, or an error reading it (EIO once a terminal is
 * gone), is `ended`.
 */
export function stopOn (rl: LineSource, service: boolean, stop: () => void, ended: () => void): void {
  onHangup(service, stop)
  onInputEnd(rl, service, ended)
}

/** stopOn's hangup half, for a process that must not die of one before its input is read (set it before starting). */
export function onHangup (service: boolean, stop: () => void): void {
  process.on('SIGHUP', service ? () => {} : stop)
}

/** stopOn's input half. */
export function onInputEnd (rl: LineSource, service: boolean, ended: () => void): void {
  let done = false
  const end = (): void => { if (!done && !service) { done = true; ended() } }
  rl.on('close', end)
  rl.on('error', end)
}

/** What stopOn listens to: readline's Interface, or Lines. */
export interface LineSource {
  on: (event: 'close' | 'error', listener: (err?: Error) => void) => unknown
}

/**
 * A command line is at most this long. Longer ones (a file piped in by
 * mistake, a stream with no newline) are skipped as they come, held no
 * further: readline kept such a line whole, so a peer fed one without a
 * newline grew until V8 refused the string and crashed.
 */
export const MAX_LINE_BYTES = 4 * 2 ** 20

/**
 * A pipe's or a file's lines (a script's commands), each at most `maxBytes`:
 * `line` for each (its \r\n or \n taken off), `long` (the bytes it had, and its
 * start) in its place for one longer, `close` at the end of the input, `error`
 * if it cannot be read. `pause` and `resume` hold the input (the writer
 * waits), for a reader behind on its commands.
 */
export class Lines extends EventEmitter<{ line: [string], long: [number, string], close: [], error: [Error] }> {
  readonly #input: NodeJS.ReadableStream
  readonly #max: number
  #parts: Buffer[] = []
  #size = 0
  /** The line now coming is too long: its bytes so far (its start is in #parts). */
  #over = 0

  constructor (input: NodeJS.ReadableStream, maxBytes = MAX_LINE_BYTES) {
    super()
    this.#input = input
    this.#max = maxBytes
    input.on('data', (chunk: Buffer | string) => { this.#take(typeof chunk === 'string' ? Buffer.from(chunk) : chunk) })
    input.on('end', () => {
      this.#end(this.#size > 0 || this.#over > 0)
      this.emit('close')
    })
    input.on('error', (err: Error) => { this.emit('error', err) })
  }

  pause (): void { this.#input.pause() }
  resume (): void { this.#input.resume() }

  #take (chunk: Buffer): void {
    let from = 0
    for (;;) {
      const nl = chunk.indexOf(0x0a, from)
      const piece = chunk.subarray(from, nl === -1 ? chunk.length : nl)
      if (this.#over > 0) this.#over += piece.length
      else if (this.#size + piece.length > this.#max) {
        // Keep its start, to say which line it was; drop the rest as it comes.
        this.#over = this.#size + piece.length
        this.#parts = [Buffer.concat([...this.#parts, piece]).subarray(0, 80)]
      } else {
        this.#parts.push(piece)
        this.#size += piece.length
      }
      if (nl === -1) return
      this.#end(true)
      from = nl + 1
    }
  }

  /** The line so far is whole: say it (or that it was too long). */
  #end (any: boolean): void {
    const text = Buffer.concat(this.#parts).toString('utf8')
    const over = this.#over
    this.#parts = []
    this.#size = 0
    this.#over = 0
    if (!any) return
    if (over > 0) this.emit('long', over, text)
    else this.emit('line', text.endsWith('\r') ? text.slice(0, -1) : text)
  }
}

/** Where a terminal in bracketed-paste mode starts and ends what was pasted. */
const PASTE_START = '\x1b[200~'
const PASTE_END = '\x1b[201~'
/** A line break inside a paste, as readline holds it in the line being typed (and shows it): taken back to \n once the line is read. */
export const PASTED_BREAK = '\u2424'
/** How long the start of a marker cut in two waits for its rest (which comes in the same burst), ms. */
const HELD_MS = 100

/**
 * A terminal's keys as readline reads them, with each paste of several lines kept as one line: in
 * bracketed-paste mode (which `bracketed` turns on, and off again when the process exits) the
 * terminal marks a paste, and a line break inside it becomes PASTED_BREAK, so the lines of a pasted
 * text are one message (its later lines read as its own, never as commands or messages of their own).
 * Raw mode is set on `input` itself, as readline asks.
 */
export function pastedAsOne (input: NodeJS.ReadStream, output: NodeJS.WriteStream): NodeJS.ReadableStream & { isTTY: true, setRawMode: (on: boolean) => void } {
  const keys = new PassThrough({ encoding: 'utf8' })
  let pasting = false
  // The end of a chunk that may be the start of a marker cut in two: held for the next chunk, or (outside a paste)
  // HELD_MS at most (Esc pressed alone is one too: held until the next key, it made that key a meta one, Backspace a whole word).
  let tail = ''
  let tailWait: NodeJS.Timeout | undefined
  // The line breaks a chunk inside a paste ends in: the paste's end marker may come in the next chunk (a paste that
  // ends in a line break is sent by it), or the \n of a \r\n (one break, not two). Held until the next chunk.
  let breaks = ''
  const take = (chunk: string, flush: boolean): void => {
    clearTimeout(tailWait)
    tailWait = undefined
    let text = breaks + tail + chunk
    breaks = ''
    tail = ''
    const cut = text.lastIndexOf('\x1b')
    const end = cut === -1 ? '' : text.slice(cut)
    if (!flush && end !== '' && end.length < PASTE_START.length && (PASTE_START.startsWith(end) || PASTE_END.startsWith(end))) {
      tail = end
      text = text.slice(0, cut)
    }
    let out = ''
    for (let at = 0; at < text.length;) {
      const marker = pasting ? PASTE_END : PASTE_START
      const next = text.indexOf(marker, at)
      let part = text.slice(at, next === -1 ? text.length : next)
      if (pasting && next === -1 && !flush) {
        const trailing = /[\r\n]+$/.exec(part)
        if (trailing !== null) {
          breaks = trailing[0]
          part = part.slice(0, trailing.index)
        }
      }
      out += pasting ? part.replace(/\r\n|\r|\n/g, PASTED_BREAK) : part
      if (next === -1) break
      pasting = !pasting
      at = next + marker.length
    }
    // A paste that ends in a line break is sent by it, as one typed and then Enter.
    if (!pasting && out.endsWith(PASTED_BREAK)) out = out.slice(0, -PASTED_BREAK.length) + '\r'
    if (out !== '') keys.write(out)
    // Inside a paste the start of its end marker waits for the rest however long it takes (a slow link can
    // part them by more than HELD_MS): taken as text, the paste never ended, and Enter sent nothing after it.
    if (tail !== '' && !pasting) {
      tailWait = setTimeout(() => { take('', true) }, HELD_MS)
      tailWait.unref()
    }
  }
  input.setEncoding('utf8')
  input.on('data', (chunk: string) => { take(chunk, false) })
  input.on('end', () => {
    if (tail !== '' || breaks !== '') take('', true)
    keys.end()
  })
  output.write('\x1b[?2004h')
  process.on('exit', () => { output.write('\x1b[?2004l') })
  // Pastes are marked while readline reads keys: off as it lets the terminal go (Ctrl+Z, the shell's again),
  // on again as it takes it back (fg, after a shell that turned marking off for the job it resumes).
  const raw = (on: boolean): void => {
    input.setRawMode(on)
    output.write(on ? '\x1b[?2004h' : '\x1b[?2004l')
  }
  return Object.assign(keys, { isTTY: true as const, setRawMode: raw })
}

/** What `keepRowsTrue` reads and sets of a readline interface at a terminal (`prevRows` and `isCompletionEnabled` are its own, undocumented). */
export interface RowsOfLine {
  getCursorPos: () => { rows: number, cols: number }
  prompt: (preserveCursor?: boolean) => void
  prevRows?: number
  isCompletionEnabled?: boolean
}

/**
 * Keys that come in one read (a paste, a fast typist on a busy machine, a slow link) reach readline
 * as one chunk, and readline writes every key but the chunk's last one as it is, without counting
 * the rows the line wraps to. Its next redraw of the line (the chunk's last key at the end of a row
 * or inside the line, a message printed above) then went up too few rows: the first rows of the line
 * stayed on the screen above it, once more, and a paste inside a line left the line's end written over.
 * So before the last key of such a chunk, when readline's count is wrong, it is told the row the
 * terminal's cursor is really on, and the line is drawn again from there. `keys` is the stream readline reads (its 'keypress' events).
 */
export function keepRowsTrue (rl: RowsOfLine, keys: NodeJS.EventEmitter): void {
  let written = false
  let plainLast = false
  keys.prependListener('keypress', (s: unknown, key: { ctrl?: boolean, meta?: boolean } | undefined) => {
    const plain = typeof s === 'string' && s.length > 0 && [...s].every(c => c >= ' ' && c !== '\x7f') && key?.ctrl !== true && key?.meta !== true
    if (rl.isCompletionEnabled === false) {
      // Not the chunk's last key: readline writes a character as it is.
      written ||= plain
      plainLast = plain
      return
    }
    if (!written) return
    written = false
    const { rows, cols } = rl.getCursorPos()
    // A character written into the last column leaves the cursor on that row until the next one comes:
    // drawn again, so that readline's next plain write (the last key) starts the next row as it counts.
    const wrapping = plainLast && cols === 0 && rows > 0
    if (!wrapping && (rl.prevRows ?? 0) === rows) return
    rl.prevRows = wrapping ? rows - 1 : rows
    rl.prompt(true)
  })
}
