/**
 * Errors the app layer raises. The UI branches on `name` (it survives IPC in
 * the Result envelope), and shows `message`, which is written for users.
 */
import type { ErrorInfo } from '../../preload/contract.js'

export class InvalidRequestError extends Error {
  static override readonly name = 'InvalidRequestError'
  override readonly name = 'InvalidRequestError'
}

/** A cancel of a file that is not downloading (never started, finished, or already stopped). */
export class NotDownloadingError extends Error {
  static override readonly name = 'NotDownloadingError'
  override readonly name = 'NotDownloadingError'
}

export class BadAddressError extends Error {
  static override readonly name = 'BadAddressError'
  override readonly name = 'BadAddressError'
}

/** An operation needs the engine, which is not running (no name yet, restarting, or failed). */
export class EngineNotReadyError extends Error {
  static override readonly name = 'EngineNotReadyError'
  override readonly name = 'EngineNotReadyError'
}

export class SettingsError extends Error {
  static override readonly name = 'SettingsError'
  override readonly name = 'SettingsError'
}

export class UnknownOperationError extends Error {
  static override readonly name = 'UnknownOperationError'
  override readonly name = 'UnknownOperationError'
}

/** The IPC message did not come from our own page. */
export class ForbiddenSenderError extends Error {
  static override readonly name = 'ForbiddenSenderError'
  override readonly name = 'ForbiddenSenderError'
}

/** Turns anything thrown (ours, the engine's, libp2p's) into what crosses IPC. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    const info: ErrorInfo = { name: err.name || 'Error', message: err.message || String(err) }
    if (typeof code === 'string') info.code = code
    return info
  }
  return { name: 'Error', message: String(err) }
}

export { ConnectError, hostPort, toConnectError, type ConnectProblem } from '../net/connect-errors.js'

/** The port another program holds, when that is why listening failed. */
export function takenPort(err: unknown): string | undefined {
  return /EADDRINUSE.*?:(\d+)\b/.exec(toErrorInfo(err).message)?.[1]
}

/**
 * The `ip:port` asked to listen on when no interface of this computer has that address (a `--listen`
 * typed for another computer, or an address the network gave this one yesterday): `{ ip, port }`.
 */
export function unavailableAddress(err: unknown): { ip: string; port: string } | undefined {
  const message = toErrorInfo(err).message
  // libp2p names the multiaddr it failed on: read there, as Node's own words leave the port out when it
  // is 0 (`address not available 198.51.100.77`) and run an IPv6 address into its port (`fd00::99:4001`).
  const listed = /\/ip[46]\/([^/\s]+)\/tcp\/(\d+)[^\n]*EADDRNOTAVAIL/.exec(message)
  if (listed !== null) return { ip: listed[1]!, port: listed[2]! }
  const m = /EADDRNOTAVAIL[^\n]*?(\S+):(\d+)\b/.exec(message)
  return m === null ? undefined : { ip: m[1]!, port: m[2]! }
}

/** Why the network could not start, in words a person can act on (a taken port, above all). */
export function toStartError(err: unknown): ErrorInfo {
  const info = toErrorInfo(err)
  const taken = takenPort(err)
  if (taken !== undefined) return { ...info, message: `Port ${taken} is already in use by another program on this computer. Choose another port in Settings (0 picks a free one), or close the other program.` }
  if (/EACCES.*listen|listen.*EACCES/.test(info.message)) return { ...info, message: `${info.message}. Ports below 1024 need administrator rights: choose a port above 1024 in Settings.` }
  return info
}

/** The app could not open (its settings or data dir are unusable); says what to do. */
export class StartupError extends Error {
  static override readonly name = 'StartupError'
  override readonly name = 'StartupError'
}

/** The app took too long to open; the window says so rather than wait forever. */
export class StartupTimeoutError extends Error {
  static override readonly name = 'StartupTimeoutError'
  override readonly name = 'StartupTimeoutError'
}

/** The engine's process went away (it crashed, or was killed): nothing can be answered. */
export class EngineStoppedError extends Error {
  static override readonly name = 'EngineStoppedError'
  override readonly name = 'EngineStoppedError'
}

/** A window asked for something only a person at the host may do (name a file on disk to share). */
export class ForbiddenRequestError extends Error {
  static override readonly name = 'ForbiddenRequestError'
  override readonly name = 'ForbiddenRequestError'
}
