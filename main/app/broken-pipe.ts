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
