/**
 * The desktop app's own settings (display name, port, discovery, mode), kept
 * as JSON in the profile's data dir by the store's SettingsFile (atomic
 * replace; an unreadable file is set aside, not overwritten).
 */
import type { Settings } from '../../preload/contract.js'
import { SettingsFile } from '../store/settings.js'
import { SettingsError } from './errors.js'
import { settingsFileSchema } from './schemas.js'

export const SETTINGS_FILE = 'app-settings.json'

/**
 * Settings whose bad value (a hand-edited file) is dropped alone, the rest of the file used: their
 * default harms nothing (no pause, the system's theme, the lobby first, Other rooms unfolded, nothing
 * muted). A muted list's bad entries are left out one by one (settingsFileSchema): it goes whole only
 * when it is no list, or too long a one. A bad value of any other key still sets the whole file
 * aside: dropped alone, a bad network key would join the open network, a bad hub address switch the
 * architecture, a bad preview setting show messages' words on a locked screen.
 */
export const DROPPABLE_SETTINGS = ['notifyPausedUntil', 'theme', 'lastRoom', 'foldOtherRooms', 'muted'] as const

export const DEFAULT_SETTINGS: Settings = { name: '', listenPort: 0, mdns: true, mode: 'p2p', server: '', hostServer: false, serverPort: 0 }

export interface LoadedSettings {
  settings: Settings
  /** Set when the file existed but could not be used; says where it was moved. */
  problem?: SettingsError
}

export class SettingsStore {
  readonly #file: SettingsFile<typeof settingsFileSchema>

  constructor(readonly dir: string) {
    this.#file = new SettingsFile(dir, SETTINGS_FILE, settingsFileSchema, DROPPABLE_SETTINGS)
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
    if (loaded.problem === undefined) return { settings: loaded.value }
    if (loaded.dropped !== undefined) {
      const which = loaded.dropped.join(', ')
      return { settings: loaded.value, problem: new SettingsError(`The settings file had a bad value (${loaded.problem}): ${which} ${loaded.dropped.length === 1 ? 'was' : 'were'} left out, the other settings are used.`) }
    }
    return { settings: loaded.value, problem: new SettingsError(`The settings file was unreadable (${loaded.problem}) and defaults are used.`) }
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
