/**
 * The headless peer's muted rooms, kept in the data directory (`rooms.json`,
 * replaced atomically like the app's settings, whose `muted` list it shares
 * the schema of): the terminal then prints a muted room's messages only when
 * they mention you or it is the room being typed into. The desktop app keeps
 * its list in its settings (ChatApp.muteRoom).
 *
 * @example
 * ```ts
 * const prefs = new RoomPrefs(dataDir)
 * prefs.mute('random', true)   // ['random'], and so after a restart
 * ```
 */
import { SettingsFile } from '../store/settings.js'
import { settingsSchema } from './schemas.js'
import { withMuted } from './room-state.js'

export const ROOM_PREFS_FILE = 'rooms.json'

const prefsSchema = settingsSchema.pick({ muted: true })

export class RoomPrefs {
  readonly #file: SettingsFile<typeof prefsSchema>
  #muted: string[]

  constructor (dir: string) {
    this.#file = new SettingsFile(dir, ROOM_PREFS_FILE, prefsSchema)
    // An unreadable file is set aside by SettingsFile and nothing is muted.
    this.#muted = this.#file.load({ muted: [] }).value.muted ?? []
  }

  get muted (): string[] { return [...this.#muted] }

  /** Mute (or unmute) a room; answers every muted room. */
  mute (room: string, on: boolean): string[] {
    const next = withMuted({ muted: this.#muted }, room, on)
    this.#file.save(next)
    this.#muted = next.muted ?? []
    return this.muted
  }
}
