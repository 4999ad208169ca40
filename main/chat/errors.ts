/** Errors the engine reports to hosts. Tests assert `name`, never the wording. */

export { NotStartedError } from '../net/errors.js'

export class UnknownMessageError extends Error {
  static override readonly name = 'UnknownMessageError'
  override readonly name = 'UnknownMessageError'
}

/** A command that has no meaning in this mode (e.g. block in client mode). */
export class ModeError extends Error {
  static override readonly name = 'ModeError'
  override readonly name = 'ModeError'
}
