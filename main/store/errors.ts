/** Errors of the on-disk store. Tests assert `name`, never the wording. */

export class StoreError extends Error {
  static override readonly name = 'StoreError'
  override readonly name = 'StoreError'
}

/** Another running engine holds this data directory. */
export class DataDirInUseError extends Error {
  static override readonly name = 'DataDirInUseError'
  override readonly name = 'DataDirInUseError'
}
