import { copyFileSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { StoreError } from './errors.js'
import { writeFileAtomic, writeFileAtomicAsync } from './files.js'

/**
 * What a load found: the value, and why the file on disk could not be used (it was set aside);
 * `dropped`: the keys whose bad values were left out alone, the rest of the file used (a copy of it as it was kept aside).
 */
export interface Loaded<T> { value: T; problem?: string; dropped?: string[] }

/**
 * A small settings file (JSON checked by a schema) in a data directory,
 * replaced atomically on every save: a crash mid-write leaves the old
 * settings, never half a file. An unreadable or invalid file is set aside
 * under a new name, never overwritten, and the defaults are used.
 */
export class SettingsFile<S extends z.ZodType<Record<string, unknown>>> {
  readonly file: string

  /**
   * `droppable`: keys whose bad value (a hand edit, say) is dropped alone, the rest of the file kept:
   * only those whose default harms nothing. Not every key: a bad network key or hub address dropped
   * alone would quietly join another network, so any other bad value still sets the whole file aside.
   */
  constructor (dir: string, name: string, readonly schema: S, readonly droppable: readonly string[] = []) {
    this.file = join(dir, name)
  }

  load (defaults: z.infer<S>): Loaded<z.infer<S>> {
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { value: { ...defaults } }
      throw new StoreError(`Cannot read ${this.file}: ${(err as Error).message}`)
    }
    let reason: string
    try {
      // Fields added in later versions fall back to their defaults.
      const raw = { ...defaults, ...(JSON.parse(text) as object) } as Record<string, unknown>
      const parsed = this.schema.safeParse(raw)
      if (parsed.success) return { value: parsed.data }
      reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
      const kept = this.#withoutBad(raw, parsed.error.issues)
      if (kept !== undefined) {
        const aside = `${this.file}.unreadable-${Date.now()}`
        copyFileSync(this.file, aside)
        // Written again without them: the next start neither copies it aside again nor warns again.
        const left = JSON.parse(text) as Record<string, unknown>
        for (const k of kept.dropped) Reflect.deleteProperty(left, k)
        try { writeFileAtomic(this.file, JSON.stringify(left, null, 2) + '\n') } catch { /* read-only: said again at the next start */ }
        return { value: kept.value, dropped: kept.dropped, problem: `${reason}; the file as it was is kept as ${aside}` }
      }
    } catch (err) {
      reason = (err as Error).message
    }
    const aside = `${this.file}.unreadable-${Date.now()}`
    renameSync(this.file, aside)
    return { value: { ...defaults }, problem: `${reason}; it was kept as ${aside}` }
  }

  /** `raw` without its bad droppable keys, when that is all that was wrong with it. */
  #withoutBad (raw: Record<string, unknown>, issues: ReadonlyArray<{ path: readonly PropertyKey[] }>): { value: z.infer<S>; dropped: string[] } | undefined {
    const keys = [...new Set(issues.map((i) => i.path[0]))]
    if (keys.some((k) => typeof k !== 'string' || !this.droppable.includes(k))) return undefined
    const rest = { ...raw }
    for (const k of keys as string[]) Reflect.deleteProperty(rest, k)
    const parsed = this.schema.safeParse(rest)
    return parsed.success ? { value: parsed.data, dropped: (keys as string[]).sort() } : undefined
  }

  /** Throws (zod) on an invalid value before anything is written. */
  save (value: z.infer<S>): void {
    writeFileAtomic(this.file, JSON.stringify(this.schema.parse(value), null, 2) + '\n')
  }

  #writing: Promise<void> = Promise.resolve()

  /**
   * save off the event loop: checked at once (throws before anything is written), then written
   * through the thread pool, one write at a time and in the order asked, so the file ends as the
   * last call left it. For what is saved while chat runs (a draft, where a room was read): an
   * fsync behind a file being downloaded can take hundreds of ms, and chat would wait for it.
   */
  saveAsync (value: z.infer<S>): Promise<void> {
    const text = JSON.stringify(this.schema.parse(value), null, 2) + '\n'
    const write = this.#writing.then(async () => { await writeFileAtomicAsync(this.file, text) })
    this.#writing = write.catch(() => undefined)
    return write
  }

  /** Resolves once every saveAsync asked so far is on disk (or failed): what a close waits for. */
  async flush (): Promise<void> { await this.#writing }
}
