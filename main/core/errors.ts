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
