/**
 * The desktop app's own settings (display name, port, discovery, mode), kept
 * as JSON in the profile's data dir by the store's SettingsFile (atomic
 * replace; an unreadable file is set aside, not overwritten).
 */
import type { Settings } from '../../preload/contract.js'
import { SettingsFile } from '../store/settings.js'
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
  readonly #file: SettingsFile<typeof settingsSchema>

  constructor(readonly dir: string) {
    this.#file = new SettingsFile(dir, SETTINGS_FILE, settingsSchema)
  }

  get file(): string {
    return this.#file.file
  }

  async load(defaults: Settings = DEFAULT_SETTINGS): Promise<LoadedSettings> {
    let loaded
    try {
      loaded = this.#file.load(defaults)
    } catch (err) {
      throw new SettingsError((err as Error).message)
    }
    return loaded.problem === undefined
      ? { settings: loaded.value }
      : { settings: loaded.value, problem: new SettingsError(`The settings file was unreadable (${loaded.problem}) and defaults are used.`) }
  }

  /** Throws at once on invalid settings; the write itself is atomic, off the event loop, in order. */
  save(settings: Settings): Promise<void> {
    return this.#file.saveAsync(settings)
  }

  /** Every save asked so far is on disk: a change made just before the app quits is not lost. */
  flush(): Promise<void> {
    return this.#file.flush()
  }
}
