/**
 * Our own messages a hub refused for good (client–server mode): it will never deliver them, and the
 * window showed each as *Not sent* with why, offering to send its words again or discard it. Kept
 * here so they are still there after a reload or a restart, until the person does one or the other:
 * the message itself left the history when it was refused (hub-order.ts), and with it the only copy
 * of what they wrote. Kept as signed (a private one sealed, as the history keeps it: its words are
 * opened when listed, never written down in the clear), one list for both modes. Nothing of it goes
 * on the wire.
 *
 * @example
 * ```ts
 * keepUnsent(db, message, 'the hub refused your message "hi": …')
 * unsentMessages(db)   // [{ message, reason }], oldest first
 * dropUnsent(db, id)   // sent again or discarded
 * ```
 */
import type { ChatMessage } from '../core/message.js'
import { bodyOf, messageFromBody } from '../net/codec.js'
import type { ChatDb } from './db.js'

export interface UnsentRow { message: ChatMessage, reason: string }

/** At most this many are kept (the oldest go): a hub refusing everything a script sends must not fill the disk. */
export const MAX_UNSENT = 500

/** Keep one the hub refused (a second refusal of the same id keeps the first). */
export function keepUnsent (db: ChatDb, m: ChatMessage, reason: string): void {
  db.sql('INSERT OR IGNORE INTO unsent (id, body, sig, sent_at, reason) VALUES (?, ?, ?, ?, ?)').run(m.id, bodyOf(m), m.sig, m.sentAt, reason)
  db.sql('DELETE FROM unsent WHERE id IN (SELECT id FROM unsent ORDER BY sent_at DESC, id LIMIT -1 OFFSET ?)').run(MAX_UNSENT)
}

/** Those kept, oldest first (as they were written). */
export function unsentMessages (db: ChatDb): UnsentRow[] {
  const rows = db.sql('SELECT body, sig, reason FROM unsent ORDER BY sent_at, id').all() as unknown as Array<{ body: Uint8Array, sig: Uint8Array, reason: string }>
  return rows.map(r => ({ message: messageFromBody(r.body, r.sig, true), reason: r.reason }))
}

/** Sent again, or discarded: false when it was not kept. */
export function dropUnsent (db: ChatDb, id: string): boolean {
  return Number(db.sql('DELETE FROM unsent WHERE id = ?').run(id).changes) > 0
}
