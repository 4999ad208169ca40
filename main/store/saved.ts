/**
 * Messages a person saved for later: their own bookmarks, one list per data directory for both
 * modes (a message's id is the same whichever way it came, so one saved in peer to peer mode is
 * still saved when a hub delivers it too). Only ids and when: never a message's words (a sealed
 * one's text is opened from the history when the list is shown, as history is). Nothing of it goes
 * on the wire.
 *
 * @example
 * ```ts
 * saveMessage(db, id, Date.now())      // false: it was saved already
 * savedMessages(db)                    // [{ id, at }], newest saved first
 * savedAt(db, id); savedCount(db)      // one look-up, not the whole list
 * unsaveMessage(db, id)
 * ```
 */
import type { ChatDb } from './db.js'

export interface SavedRow { id: string, at: number }

/** The saved messages, newest saved first (ties by id). */
export function savedMessages (db: ChatDb): SavedRow[] {
  return db.sql('SELECT id, at FROM saved ORDER BY at DESC, id').all() as unknown as SavedRow[]
}

/** When `id` was saved (ms), or undefined: one look-up by key, not a read of the list. */
export function savedAt (db: ChatDb, id: string): number | undefined {
  return (db.sql('SELECT at FROM saved WHERE id = ?').get(id) as { at: number } | undefined)?.at
}

/** How many are kept, whichever mode's history has them. */
export function savedCount (db: ChatDb): number {
  return Number((db.sql('SELECT count(*) AS n FROM saved').get() as { n: number }).n)
}

/** Save `id` at `at` (ms); false when it was saved already (its time is kept). */
export function saveMessage (db: ChatDb, id: string, at: number): boolean {
  return Number(db.sql('INSERT OR IGNORE INTO saved (id, at) VALUES (?, ?)').run(id, at).changes) > 0
}

/** Take `id` off the list; false when it was not on it. */
export function unsaveMessage (db: ChatDb, id: string): boolean {
  return Number(db.sql('DELETE FROM saved WHERE id = ?').run(id).changes) > 0
}
