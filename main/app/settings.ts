/**
 * The desktop app's own settings (display name, port, discovery, mode), kept
 * as JSON in the profile's data dir. Writes go to a temp file that is flushed
 * and renamed over the old one, so a crash mid-write leaves the old settings,
 * never half a file. An unreadable file is set aside, not overwritten.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Settings } from '../../preload/contract.js'
import { SettingsError } from './errors.js'
import { settingsSchema } from './schemas.js'

export const SETTINGS_FILE = 'app-settings.json'

export const DEFAULT_SETTINGS: Settings = { name: '', listenPort: 0, mdns: true, mode: 'p2p', server: '', hostServer: false, serverPort: 0 }

export interface LoadedSettings {
  settings: Settings
  /** Set when the file existed but could not be used; says where it was moved. */
  problem?: SettingsError
}

export class SettingsStore {
  readonly file: string
  #writes: Promise<void> = Promise.resolve()

  constructor(readonly dir: string) {
    this.file = join(dir, SETTINGS_FILE)
  }

  async load(defaults: Settings = DEFAULT_SETTINGS): Promise<LoadedSettings> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: { ...defaults } }
      throw new SettingsError(`Cannot read ${this.file}: ${(err as Error).message}`)
    }
    let reason: string
    try {
      // Fields added in later versions fall back to their defaults.
      const parsed = settingsSchema.safeParse({ ...defaults, ...(JSON.parse(text) as object) })
      if (parsed.success) return { settings: parsed.data }
      reason = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    } catch (err) {
      reason = (err as Error).message
    }
    const aside = `${this.file}.unreadable-${Date.now()}`
    await rename(this.file, aside)
    return {
      settings: { ...defaults },
      problem: new SettingsError(`The settings file was unreadable (${reason}); it was kept as ${aside} and defaults are used.`)
    }
  }

  /** Writes are queued so two quick saves cannot interleave their renames. */
  save(settings: Settings): Promise<void> {
    const valid = settingsSchema.parse(settings)
    const write = async (): Promise<void> => {
      await mkdir(this.dir, { recursive: true })
      const tmp = `${this.file}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(valid, null, 2) + '\n', { encoding: 'utf8', mode: 0o600, flush: true })
      await rename(tmp, this.file)
    }
    const next = this.#writes.then(write, write)
    this.#writes = next.catch(() => undefined)
    return next
  }
}
