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

/** No connected peer holds a file (or every one that did served bad data). */
export class NoHolderError extends Error {
  static override readonly name = 'NoHolderError'
  override readonly name = 'NoHolderError'
}

/** A download or send that is not there (an unknown message, no file in it). */
export class NoFileError extends Error {
  static override readonly name = 'NoFileError'
  override readonly name = 'NoFileError'
}

/** Not enough free disk space for a download (checked before anything is written). */
export class NoSpaceError extends Error {
  static override readonly name = 'NoSpaceError'
  override readonly name = 'NoSpaceError'
}
