/**
 * Startup that cannot hang or lie: a host shows its window (or page) first and
 * routes every IPC call through here while the app opens. Calls wait for the
 * opening (the UI shows "Loading…" meanwhile); if it fails, every call answers
 * a StartupError saying what went wrong and what to do, which the UI shows in
 * its error screen, and the next `snapshot` (the "Try again" button reloads
 * the page) opens again. A call that would wait longer than `waitMs` answers a
 * StartupTimeoutError instead of hanging the window.
 *
 *   const startup = new Startup({ open: () => ChatApp.open(options), dispatch: (app) => createDispatch(app, hooks), where: dataDir })
 *   startup.on((event) => window.webContents.send(EVENT_CHANNEL, event))
 *   ipcMain.handle(channel, (_e, payload) => startup.dispatch(op, payload))
 *   startup.start()
 */
import type { AppEvent, ErrorInfo, Result } from '../../preload/contract.js'
import { StartupError, StartupTimeoutError, toErrorInfo } from './errors.js'
import type { Dispatch } from './handlers.js'
import { Listeners } from '../chat/listeners.js'

/** What Startup needs of the app it opens (ChatApp in the hosts, a fake in tests). */
export interface OpenedApp {
  on(listener: (event: AppEvent) => void): () => void
  close(): Promise<void>
}

export interface StartupOptions<A extends OpenedApp> {
  open: () => Promise<A>
  dispatch: (app: A) => Dispatch
  /** The data dir, named in the failure message. */
  where: string
  /** Longest an IPC call waits for the app to open; default 60 s. */
  waitMs?: number
}

type State<A> =
  | { phase: 'idle' }
  | { phase: 'opening'; opened: Promise<A> }
  | { phase: 'open'; app: A; dispatch: Dispatch }
  | { phase: 'failed'; error: ErrorInfo }
  | { phase: 'closed' }

export class Startup<A extends OpenedApp> {
  readonly #options: StartupOptions<A>
  readonly #listeners = new Listeners<AppEvent>()
  #state: State<A> = { phase: 'idle' }
  #unsubscribe: (() => void) | undefined

  constructor(options: StartupOptions<A>) {
    this.#options = options
  }

  /** The app once open. */
  get app(): A | undefined {
    return this.#state.phase === 'open' ? this.#state.app : undefined
  }

  /** Why the last opening failed, as the UI is told. */
  get failure(): ErrorInfo | undefined {
    return this.#state.phase === 'failed' ? this.#state.error : undefined
  }

  /** Begins opening (again, after a failure); resolves when it has succeeded or failed, never rejects. */
  start(): Promise<A | undefined> {
    const state = this.#state
    if (state.phase === 'open') return Promise.resolve(state.app)
    if (state.phase === 'opening') return state.opened.then((app) => app, () => undefined)
    if (state.phase === 'closed') return Promise.resolve(undefined)
    const opened = this.#options.open()
    this.#state = { phase: 'opening', opened }
    return opened.then(
      (app) => {
        // close() during the opening closes the app itself, once it is here.
        if (this.#state.phase === 'closed') return undefined
        this.#unsubscribe = app.on((event) => this.#emit(event))
        this.#state = { phase: 'open', app, dispatch: this.#options.dispatch(app) }
        return app
      },
      (err: unknown) => {
        if (this.#state.phase !== 'closed') this.#state = { phase: 'failed', error: this.#explain(err) }
        return undefined
      }
    )
  }

  /** Subscribes to the app's events, including those of an app that opens later. */
  on(listener: (event: AppEvent) => void): () => void {
    return this.#listeners.on(listener)
  }

  /** Routes one IPC call: waits for the opening, retries a failed one on `snapshot`. */
  async dispatch(operation: string, payload: unknown): Promise<Result<unknown>> {
    if (this.#state.phase === 'failed' && operation === 'snapshot') this.#state = { phase: 'idle' }
    if (this.#state.phase === 'idle') void this.start()
    const state = this.#state
    if (state.phase === 'opening') await this.#wait(state.opened)
    const now = this.#state
    switch (now.phase) {
      case 'open':
        return now.dispatch(operation, payload)
      case 'failed':
        return { ok: false, error: now.error }
      case 'opening':
        return {
          ok: false,
          error: toErrorInfo(new StartupTimeoutError(`LAN Chat is still starting after ${Math.round(this.#waitMs / 1000)} s (its data is in ${this.#options.where}). Press Try again to keep waiting; if this keeps happening, quit LAN Chat and start it again.`))
        }
      case 'idle':
      case 'closed':
        return { ok: false, error: toErrorInfo(new StartupError('LAN Chat is shutting down.')) }
      default: {
        const never: never = now
        return never
      }
    }
  }

  /** Closes the app, waiting for an opening under way; later calls answer an error. */
  async close(): Promise<void> {
    const state = this.#state
    this.#state = { phase: 'closed' }
    this.#unsubscribe?.()
    this.#listeners.clear()
    if (state.phase === 'open') await state.app.close()
    if (state.phase === 'opening') await state.opened.then((app) => app.close(), () => undefined)
  }

  get #waitMs(): number {
    return this.#options.waitMs ?? 60_000
  }

  async #wait(opened: Promise<A>): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#waitMs)
    })
    await Promise.race([opened.then(() => undefined, () => undefined), timeout])
    clearTimeout(timer)
    // Let start()'s own handlers record the outcome first.
    await Promise.resolve()
  }

  #explain(err: unknown): ErrorInfo {
    const cause = toErrorInfo(err)
    const said = /[.!?]$/.test(cause.message) ? cause.message : `${cause.message}.`
    const error = new StartupError(
      `LAN Chat could not open its data in ${this.#options.where}: ${said} ` +
      'Check that this folder and the files in it can be read and written by you (move a damaged file out of the way), ' +
      'or start another profile with --profile NAME; then press Try again.'
    )
    return { ...toErrorInfo(error), ...(cause.code !== undefined ? { code: cause.code } : {}) }
  }

  #emit(event: AppEvent): void {
    this.#listeners.emit(event)
  }
}
