/** Errors of the hub. Tests assert `name`, never the wording. */

/** A submitted message the hub refuses (bad order, replay, unknown reply target, clock). */
export class SequenceError extends Error {
  static override readonly name = 'SequenceError'
  override readonly name = 'SequenceError'
}
