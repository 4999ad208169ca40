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

/** A direct message to someone who cannot receive one: not a peer id, or not an Ed25519 key. */
export class UnknownRecipientError extends Error {
  static override readonly name = 'UnknownRecipientError'
  override readonly name = 'UnknownRecipientError'
}

/** A private message meant for us that does not open: sealed to another key, or altered. It is not shown. */
export class UnreadableMessageError extends Error {
  static override readonly name = 'UnreadableMessageError'
  override readonly name = 'UnreadableMessageError'
}
