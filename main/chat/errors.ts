/** Errors the engine reports to hosts. Tests assert `name`, never the wording. */

export class NotStartedError extends Error {
  static override readonly name = 'NotStartedError'
  override readonly name = 'NotStartedError'
}

export class UnknownMessageError extends Error {
  static override readonly name = 'UnknownMessageError'
  override readonly name = 'UnknownMessageError'
}
