/** Errors of the client-server mode. Tests assert `name`, never the wording. */

export class HubFrameError extends Error {
  static override readonly name = 'HubFrameError'
  override readonly name = 'HubFrameError'
}

/** A submitted message the hub refuses (bad order, replay, unknown reply target, clock). */
export class SequenceError extends Error {
  static override readonly name = 'SequenceError'
  override readonly name = 'SequenceError'
}

/** A command that has no meaning in this mode (e.g. block in client mode). */
export class ModeError extends Error {
  static override readonly name = 'ModeError'
  override readonly name = 'ModeError'
}

export class NoServerError extends Error {
  static override readonly name = 'NoServerError'
  override readonly name = 'NoServerError'
}
