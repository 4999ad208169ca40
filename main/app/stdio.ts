/**
 * The headless peer's and the hub's stdio as a terminal, a script or a
 * service gives it: stdin from /dev/null (systemd's default, `docker run`
 * without -i, nohup at a terminal, which opens it write-only), output whose
 * reader went away, and a terminal that hangs up.
 */
import { fstatSync, statSync } from 'node:fs'
import type { Interface } from 'node:readline'

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
export function stopOn (rl: Interface, service: boolean, stop: () => void, ended: () => void): void {
  onHangup(service, stop)
  onInputEnd(rl, service, ended)
}

/** stopOn's hangup half, for a process that must not die of one before its input is read (set it before starting). */
export function onHangup (service: boolean, stop: () => void): void {
  process.on('SIGHUP', service ? () => {} : stop)
}

/** stopOn's input half. */
export function onInputEnd (rl: Interface, service: boolean, ended: () => void): void {
  let done = false
  const end = (): void => { if (!done && !service) { done = true; ended() } }
  rl.on('close', end)
  rl.on('error', end)
}
