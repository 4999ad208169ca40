/**
 * The engine process's side of engine-link.ts: it opens ChatApp behind
 * Startup (calls wait while it opens; a failure answers what to do), answers
 * the host's calls through the one dispatch and passes the app's events up.
 */
import type { RetryTimes } from '../net/overlay.js'
import { createChatEngine } from '../chat/index.js'
import type { Settings } from '../../preload/contract.js'
import type { Channel, FromEngine, ToEngine } from './engine-link.js'
import { createDispatch } from './handlers.js'
import { ChatApp } from './service.js'
import { Startup } from './startup.js'

/** What a host tells its engine process (as JSON after `--options`). */
export interface EngineProcessOptions {
  dataDir: string
  profile?: string
  /** Interface to listen on; the test host uses 127.0.0.1. */
  listenHost?: string
  mdnsAvailable?: boolean
  defaults?: Partial<Settings>
  dial?: string[]
  /** Where downloads go (the app passes the system's Downloads folder; the test host a temporary one). */
  downloadsDir?: string
  /** How long a download waits with nobody serving it before it stops, ms (the test host shortens it). */
  stallMs?: number
  /** The backoff of redials of a peer that is down (the test host lengthens it). */
  redialRetry?: Partial<RetryTimes>
}

export function serveEngine(channel: Channel<FromEngine, ToEngine>, options: EngineProcessOptions, exit: (code: number) => void): void {
  const startup = new Startup<ChatApp>({
    open: () => ChatApp.open({
      dataDir: options.dataDir,
      createEngine: createChatEngine,
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.listenHost !== undefined ? { listenHost: options.listenHost } : {}),
      ...(options.mdnsAvailable !== undefined ? { mdnsAvailable: options.mdnsAvailable } : {}),
      ...(options.defaults !== undefined ? { defaults: options.defaults } : {}),
      ...(options.dial !== undefined ? { dial: options.dial } : {}),
      ...(options.downloadsDir !== undefined ? { downloadsDir: options.downloadsDir } : {}),
      ...(options.stallMs !== undefined ? { stallMs: options.stallMs } : {}),
      ...(options.redialRetry !== undefined ? { redialRetry: options.redialRetry } : {})
    }),
    // The badge is the host's: it answers setUnread itself and never sends it here.
    dispatch: (app) => createDispatch(app, { setUnread: () => undefined }),
    where: options.dataDir
  })
  startup.on((event) => { channel.send({ type: 'event', event }) })
  let announced = false
  const announce = (): void => {
    if (startup.app !== undefined && !announced) {
      announced = true
      channel.send({ type: 'opened' })
    } else if (startup.failure !== undefined) {
      channel.send({ type: 'failed', error: startup.failure })
    }
  }
  let closing = false
  channel.onMessage((m) => {
    switch (m.type) {
      case 'call':
        void startup.dispatch(m.op, m.payload).then((result) => {
          // An app that opened on this call (Try again) is announced before the answer arrives.
          if (!announced) announce()
          channel.send({ type: 'result', id: m.id, result })
        })
        return
      case 'close':
        if (closing) return
        closing = true
        void startup.close().finally(() => {
          channel.send({ type: 'closed' })
          exit(0)
        })
        return
      default: {
        const never: never = m
        void never
      }
    }
  })
  channel.send({ type: 'hello' })
  void startup.start().then(announce)
}
