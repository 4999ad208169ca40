/**
 * The headless peer's room choices, kept in the data directory (`rooms.json`,
 * replaced atomically like the app's settings, whose `muted` and `joined`
 * lists it shares the schema of): the public rooms joined (the terminal prints their messages;
 * another room's print as one "new messages" line) and the muted ones (printed
 * only when they mention you or it is the room being typed into). The desktop
 * app keeps both in its settings (room-state.ts), with the same rules.
 *
 * @example
 * ```ts
 * const prefs = new RoomPrefs(dataDir)
 * prefs.mute('random', true)   // ['random'], and so after a restart
 * prefs.join('design')         // ['lobby', 'design']
 * ```
 */
import { SettingsFile } from '../store/settings.js'
import { DEFAULT_ROOM } from '../core/limits.js'
import { settingsFileSchema } from './schemas.js'
import { joinedList, withMuted } from './room-state.js'

export const ROOM_PREFS_FILE = 'rooms.json'

const prefsSchema = settingsFileSchema.pick({ muted: true, joined: true })

export class RoomPrefs {
  readonly #file: SettingsFile<typeof prefsSchema>
  #muted: string[]
  #joined: string[] | undefined

  constructor (dir: string) {
    this.#file = new SettingsFile(dir, ROOM_PREFS_FILE, prefsSchema)
    // An unreadable file is set aside by SettingsFile and nothing is muted.
    const { value } = this.#file.load({ muted: [] })
    this.#muted = value.muted ?? []
    this.#joined = value.joined
  }

  get muted (): string[] { return [...this.#muted] }

  /**
   * The public rooms joined, the lobby first. Undefined until something was joined or left with
   * a version that keeps them: the caller decides what an older data directory had joined.
   */
  get joined (): string[] | undefined { return this.#joined === undefined ? undefined : [...this.#joined] }

  /** Mute (or unmute) a room; answers every muted room. */
  mute (room: string, on: boolean): string[] {
    const next = withMuted({ muted: this.#muted }, room, on)
    this.#save({ muted: next.muted ?? [] })
    return this.muted
  }

  /** Join a public room (no change if joined); answers every joined room. */
  join (room: string): string[] { return this.setJoined([...(this.#joined ?? [DEFAULT_ROOM]), room]) }

  /** Leave a public room; answers every joined room. The lobby stays. */
  leave (room: string): string[] { return this.setJoined((this.#joined ?? [DEFAULT_ROOM]).filter(r => r !== room)) }

  /** Set the joined rooms at once (the lobby always among them, first). */
  setJoined (rooms: readonly string[]): string[] {
    const joined = joinedList(rooms)
    if (JSON.stringify(joined) !== JSON.stringify(this.#joined)) this.#save({ joined })
    return this.joined ?? []
  }

  #save (change: { muted?: string[], joined?: string[] }): void {
    const next = { muted: this.#muted, ...(this.#joined !== undefined ? { joined: this.#joined } : {}), ...change }
    this.#file.save(next)
    this.#muted = next.muted
    this.#joined = next.joined
  }
}
