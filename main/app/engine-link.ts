/**
 * The engine runs in a child process of its host — Electron's utilityProcess
 * in the app, a Node child_process in the UI test host — so signatures,
 * libp2p and disk writes never block the window's process. This is the one
 * protocol between them, over whatever message channel the host has:
 *
 *   host → engine   { type: 'call', id, op, payload } | { type: 'close' }
 *   engine → host   { type: 'hello' } (listening) | { type: 'result', id, result }
 *                   | { type: 'event', event } | { type: 'opened' } | { type: 'failed', error } | { type: 'closed' }
 *
 * The engine side opens ChatApp behind Startup (calls wait while it opens, a
 * failure answers what to do); the host side is an EngineLink with the same
 * `dispatch` and `on` as Startup, so the hosts route IPC to it unchanged.
 *
 * @example
 * ```ts
 * // host
 * const link = new EngineLink(nodeChannel(fork('out/main/engine.js', ['--options', json])))
 * link.on(event => window.webContents.send(EVENT_CHANNEL, event))
 * await link.dispatch('snapshot', undefined)
 * ```
 */
import type { ChildProcess, Serializable } from 'node:child_process'
import type { AppEvent, ErrorInfo, Result } from '../../preload/contract.js'
import { Listeners } from '../chat/listeners.js'
import { EngineStoppedError, toErrorInfo } from './errors.js'

export type ToEngine = { type: 'call'; id: number; op: string; payload: unknown } | { type: 'close' }
export type FromEngine =
  | { type: 'hello' }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: AppEvent }
  | { type: 'opened' }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'closed' }

/** A message channel to the other side, whatever carries it. */
export interface Channel<Out, In> {
  send: (message: Out) => void
  onMessage: (listener: (message: In) => void) => void
  /** The other side went away (its process exited); `code` when known. */
  onGone: (listener: (code: number | null) => void) => void
}

/** A Node child process's IPC channel, from the parent's side. */
export function childChannel<Out, In>(child: ChildProcess): Channel<Out, In> {
  return {
    send: (m) => { child.send(m as Serializable) },
    onMessage: (l) => { child.on('message', (m) => { l(m as In) }) },
    onGone: (l) => { child.on('exit', (code) => { l(code) }) }
  }
}

/**
 * The host's side: calls go to the engine process and their answers come
 * back; events are passed on. Until the engine says hello, calls wait; if the
 * engine process goes away, every call answers EngineStoppedError.
 */
export class EngineLink {
  readonly #channel: Channel<ToEngine, FromEngine>
  readonly #listeners = new Listeners<AppEvent>()
  readonly #pending = new Map<number, (result: Result<unknown>) => void>()
  readonly #queue: ToEngine[] = []
  #nextId = 1
  #ready = false
  #gone: ErrorInfo | undefined
  #failure: ErrorInfo | undefined
  #opened = false
  readonly #settled: Promise<void>
  #settle!: () => void
  #closed!: () => void
  readonly #whenClosed = new Promise<void>((resolve) => { this.#closed = resolve })

  constructor(channel: Channel<ToEngine, FromEngine>) {
    this.#channel = channel
    this.#settled = new Promise((resolve) => { this.#settle = resolve })
    channel.onMessage((m) => { this.#receive(m) })
    channel.onGone((code) => {
      this.#gone = toErrorInfo(new EngineStoppedError(`The chat engine stopped${code === null ? '' : ` (exit code ${code})`}. Quit LAN Chat and start it again.`))
      for (const answer of this.#pending.values()) answer({ ok: false, error: this.#gone })
      this.#pending.clear()
      this.#settle()
      this.#closed()
    })
  }

  /** Whether the app opened, once it has opened or failed to. */
  get opened(): boolean { return this.#opened }
  /** Why the app could not open, as the page is told. */
  get failure(): ErrorInfo | undefined { return this.#failure ?? this.#gone }

  /** Resolves once the engine's app has opened or failed to (or its process is gone). */
  async started(): Promise<void> { await this.#settled }

  on(listener: (event: AppEvent) => void): () => void { return this.#listeners.on(listener) }

  dispatch(op: string, payload: unknown): Promise<Result<unknown>> {
    if (this.#gone !== undefined) return Promise.resolve({ ok: false, error: this.#gone })
    const id = this.#nextId++
    return new Promise((resolve) => {
      this.#pending.set(id, resolve)
      this.#post({ type: 'call', id, op, payload })
    })
  }

  /** Ask the engine to stop (history flushed); resolves when it has, or after `ms`. */
  async close(ms = 10_000): Promise<void> {
    if (this.#gone !== undefined) return
    this.#post({ type: 'close' })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.#whenClosed, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms) })])
    clearTimeout(timer)
  }

  #post(message: ToEngine): void {
    if (this.#ready) this.#channel.send(message)
    else this.#queue.push(message)
  }

  #receive(m: FromEngine): void {
    switch (m.type) {
      case 'hello':
        this.#ready = true
        for (const q of this.#queue.splice(0)) this.#channel.send(q)
        return
      case 'result': {
        const answer = this.#pending.get(m.id)
        this.#pending.delete(m.id)
        answer?.(m.result)
        return
      }
      case 'event':
        this.#listeners.emit(m.event)
        return
      case 'opened':
        this.#opened = true
        this.#failure = undefined
        this.#settle()
        return
      case 'failed':
        this.#failure = m.error
        this.#settle()
        return
      case 'closed':
        this.#closed()
        return
      default: {
        const never: never = m
        void never
      }
    }
  }
}
