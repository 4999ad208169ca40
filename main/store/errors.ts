/** Errors of the on-disk store. Tests assert `name`, never the wording. */

export class StoreError extends Error {
  static override readonly name = 'StoreError'
  override readonly name = 'StoreError'
}
