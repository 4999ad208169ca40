import { DEFAULT_ROOM, MAX_LISTED_ROOMS } from '../core/limits.js'

/** The rooms a host lists: the lobby first, then by name. */
export function sortRooms(rooms: Iterable<string>): string[] {
  return [...new Set([DEFAULT_ROOM, ...rooms])].sort((a, b) => (a === DEFAULT_ROOM ? -1 : b === DEFAULT_ROOM ? 1 : a.localeCompare(b)))
}

/**
 * The rooms the app's window lists: every room the engine is in, in either
 * architecture, since the app started (a switch keeps the other mode's rooms
 * in sight), plus rooms that live elsewhere for a while (the walkthrough's).
 */
export class RoomList {
  readonly #seen = new Set<string>()

  constructor(private readonly extra: () => string[]) {}

  /**
   * Note a room; true when it is new to the list (the window should hear of it). As many as
   * the engine lists, twice over (both modes'): past that the one noted longest ago goes.
   */
  note(room: string): boolean {
    if (this.#seen.has(room) || this.extra().includes(room)) return false
    this.#seen.add(room)
    if (this.#seen.size > 2 * MAX_LISTED_ROOMS) {
      for (const old of this.#seen) if (old !== DEFAULT_ROOM) { this.#seen.delete(old); break }
    }
    return true
  }

  forget(room: string): void {
    this.#seen.delete(room)
  }

  list(engineRooms: string[]): string[] {
    for (const room of engineRooms) this.#seen.add(room)
    return sortRooms([...this.#seen, ...this.extra()])
  }
}
