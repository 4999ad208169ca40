/** Errors of the pure core. Tests assert `name`, never the wording. */

export class InvalidMessageError extends Error {
  static override readonly name = 'InvalidMessageError'
  override readonly name = 'InvalidMessageError'
}

export class ClockJumpError extends Error {
  static override readonly name = 'ClockJumpError'
  override readonly name = 'ClockJumpError'
}

export class TextTooLongError extends Error {
  static override readonly name = 'TextTooLongError'
  override readonly name = 'TextTooLongError'
}

export class InvalidRoomError extends Error {
  static override readonly name = 'InvalidRoomError'
  override readonly name = 'InvalidRoomError'
}

/** A manifest that cannot describe a real file (bad sizes, hashes, name). */
export class InvalidManifestError extends Error {
  static override readonly name = 'InvalidManifestError'
  override readonly name = 'InvalidManifestError'
}

/** A file over the size limit, to send or to fetch. */
export class FileTooLargeError extends Error {
  static override readonly name = 'FileTooLargeError'
  override readonly name = 'FileTooLargeError'
}

/** A search the user typed that cannot be read (a date that is not one, has: something unknown): says what it takes. */
export class InvalidSearchError extends Error {
  static override readonly name = 'InvalidSearchError'
  override readonly name = 'InvalidSearchError'
}
