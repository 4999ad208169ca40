import type { ChatMessage } from '../core/message.js'
import { wireBytes } from '../net/codec.js'
import type { MessageView } from './types.js'

/** Most messages one signature vouches for. */
export const RUN_MESSAGES = 256
/**
 * And at most this many bytes as sent, counted by wireBytes (text, sealed text, thumbnail, every
 * field), or one message alone (its body ≤ MAX_BODY_BYTES): a run always fits one 1 MiB frame, as
 * the hub needs (it takes an unsigned message only with its voucher in the same frame).
 */
export const RUN_BYTES = 384 * 1024

export interface Queued {
  message: ChatMessage
  view: MessageView
  resolve: (view: MessageView) => void
  reject: (err: Error) => void
}

/**
 * Own messages between `send()` and the wire. Everything sent in one tick
 * leaves together, cut into runs of at most RUN_MESSAGES / RUN_BYTES; the
 * engine signs only the newest message of each run (the hash chain makes
 * that signature vouch for the others), writes them all in one append, then
 * sends each run as one frame. A lone message is a run of one: signed as
 * before. Signing was half the sender's CPU; a burst now pays one signature.
 */
export class Outbox {
  #queue: Queued[] = []
  #scheduled = false

  constructor (private readonly flush: (runs: Queued[][]) => Promise<void>) {}

  push (message: ChatMessage, view: MessageView): Promise<MessageView> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ message, view, resolve, reject })
      if (this.#scheduled) return
      this.#scheduled = true
      queueMicrotask(() => { void this.#flushNow() })
    })
  }

  async #flushNow (): Promise<void> {
    this.#scheduled = false
    const queue = this.#queue
    this.#queue = []
    const runs: Queued[][] = []
    let run: Queued[] = []
    let bytes = 0
    for (const q of queue) {
      if (run.length > 0 && (run.length >= RUN_MESSAGES || bytes + wireBytes(q.message) > RUN_BYTES)) {
        runs.push(run)
        run = []
        bytes = 0
      }
      run.push(q)
      bytes += wireBytes(q.message)
    }
    if (run.length > 0) runs.push(run)
    try {
      await this.flush(runs)
    } catch (err) {
      for (const q of queue) q.reject(err as Error)
    }
  }
}
