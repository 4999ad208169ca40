/**
 * WAL checkpoints on a thread of their own. `node:sqlite` is synchronous, and
 * a checkpoint copies the WAL into the database file and syncs it: run by
 * SQLite inside a commit (its automatic checkpoint), it stalled the message
 * path 30–50 ms every thousand pages; run on the main thread after a long
 * burst, it blocked the event loop for seconds (handshakes timed out). Here a
 * worker thread with its own connection to the file runs PASSIVE checkpoints
 * (they never wait for, or block, the writer) whenever enough new rows were
 * committed, so the WAL stays small and the writer never pays.
 *
 * @example
 * ```ts
 * const cp = new Checkpointer('/data/lanchat.db')
 * cp.written(500)   // after a commit: checkpoints once CHECKPOINT_EVERY rows have piled up
 * cp.close()
 * ```
 */
import { Worker } from 'node:worker_threads'

/** Longest close() waits for the worker to let go of the file. */
const CLOSE_WAIT_MS = 2000
/** Rows committed after which the WAL is copied into the database file (about a thousand pages of ours). */
export const CHECKPOINT_EVERY = 2000
/**
 * Longest any other write (the book of peers at each new link, the state, receipts, a hub's
 * clients) waits for a checkpoint. Only messages counted toward one before: an office peer
 * that heard no message over a weekend grew its WAL by every link the mesh made and swapped.
 */
export const CHECKPOINT_WRITES_MS = 10_000

// CommonJS, evaluated in the worker: it imports only Node's own modules, so it needs no file of its own in a bundle.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { DatabaseSync } = require('node:sqlite')
const db = new DatabaseSync(workerData.path)
db.exec('PRAGMA busy_timeout = 5000')
parentPort.on('message', (m) => {
  if (m === 'check') {
    let damage = ''
    try {
      damage = db.prepare('PRAGMA quick_check').all().map((r) => r.quick_check).filter((r) => r !== 'ok').slice(0, 3).join('; ')
    } catch (err) { damage = String(err && err.message) }
    parentPort.postMessage({ kind: 'check', damage })
    return
  }
  if (m !== 'checkpoint') { db.close(); Atomics.store(m, 0, 1); Atomics.notify(m, 0); parentPort.close(); return }
  let error = ''
  try { db.exec('PRAGMA wal_checkpoint(PASSIVE)') } catch (err) { error = String(err && err.message) }
  parentPort.postMessage({ kind: 'checkpoint', error })
})
`

export class Checkpointer {
  readonly #path: string
  /** Started at the first checkpoint or check: a thread costs ~40 ms of CPU, and a short run may never need one. */
  #worker: Worker | undefined
  #pending = 0
  #busy = false
  #closed = false
  #writes: NodeJS.Timeout | undefined
  #checked: ((damage: string | undefined) => void) | undefined
  /** Checkpoints run, and the last one's error ('' when none): for tests and the log. */
  runs = 0
  lastError = ''

  constructor (path: string) {
    this.#path = path
  }

  #thread (): Worker {
    if (this.#worker !== undefined) return this.#worker
    const worker = new Worker(WORKER, { eval: true, workerData: { path: this.#path } })
    this.#worker = worker
    worker.unref()
    worker.on('message', (m: { kind: 'checkpoint', error: string } | { kind: 'check', damage: string }) => {
      if (m.kind === 'check') {
        const done = this.#checked
        this.#checked = undefined
        done?.(m.damage === '' ? undefined : m.damage)
        return
      }
      this.#busy = false
      this.runs++
      this.lastError = m.error
      if (this.#pending >= CHECKPOINT_EVERY) this.#run()
    })
    // A worker that cannot open the file (a full or read-only disk): the WAL keeps the data; SQLite checkpoints at close.
    worker.on('error', err => { this.lastError = err.message; this.#closed = true })
    return worker
  }

  /**
   * Run `PRAGMA quick_check` on the worker (it reads every page: seconds for
   * a large file, which must not hold up the start); `done` gets what is
   * wrong, or undefined when the file is sound.
   */
  check (done: (damage: string | undefined) => void): void {
    if (this.#closed) return
    this.#checked = done
    this.#thread().postMessage('check')
  }

  /** `rows` were committed. */
  written (rows: number): void {
    this.#pending += rows
    if (this.#pending >= CHECKPOINT_EVERY) this.#run()
  }

  /** Something other than messages was written: checkpointed within CHECKPOINT_WRITES_MS. */
  wrote (): void {
    if (this.#writes !== undefined || this.#closed) return
    this.#writes = setTimeout(() => {
      this.#writes = undefined
      // One under way may have begun before these writes: asked again after it.
      if (this.#busy) this.wrote()
      else this.#run()
    }, CHECKPOINT_WRITES_MS)
    this.#writes.unref()
  }

  /** Writes paused: copy what is there. */
  idle (): void {
    if (this.#pending > 0) this.#run()
  }

  #run (): void {
    if (this.#busy || this.#closed) return
    this.#busy = true
    this.#pending = 0
    this.#thread().postMessage('checkpoint')
  }

  /**
   * Close the worker's connection, and wait for it (at most CLOSE_WAIT_MS,
   * after a checkpoint under way): the database's own connection must close
   * last, so it folds the WAL in and removes it before anyone deletes the
   * directory.
   */
  close (): void {
    if (this.#closed) return
    this.#closed = true
    clearTimeout(this.#writes)
    // Never started: no connection of its own to let go of.
    if (this.#worker === undefined) return
    const done = new Int32Array(new SharedArrayBuffer(4))
    this.#worker.postMessage(done)
    Atomics.wait(done, 0, 0, CLOSE_WAIT_MS)
  }
}
