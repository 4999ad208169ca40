/**
 * The hub's part in deletes: it numbers an author's delete like any message,
 * and once it is durable makes the deleted message, and the author's edits
 * of it, tombstones — in its database and in the sequencer's memory — so a
 * client that catches up later is sent the tombstone, never the words. The
 * hub checks only what it can see: the delete is signed by the target's
 * author (someone else's delete is numbered and relayed, and changes
 * nothing, as on every client). Answers the file the deleted message
 * shared, if any: the hub then stops storing and serving it.
 *
 * @example
 * ```ts
 * forgetDeleted(store.messages, id => sequencer.byId(id)?.message, item.message)
 * ```
 */
import type { ChatMessage } from '../core/message.js'
import { redact } from '../net/codec.js'
import type { MessageTable } from '../store/messages.js'

export function forgetDeleted (messages: MessageTable, byId: (id: string) => ChatMessage | undefined, m: ChatMessage): { sha256: string } | undefined {
  if (m.action?.kind !== 'delete') return undefined
  const target = byId(m.action.target)
  if (target === undefined || target.author !== m.author) return undefined
  const file = target.file !== undefined ? { sha256: target.file.sha256 } : undefined
  const edits: ChatMessage[] = []
  for (const e of messages.actionsOn([target.id])) if (e.author === m.author && e.action?.kind === 'edit') edits.push(e)
  const ids = [target.id, ...edits.map(e => e.id)]
  messages.redact(ids)
  for (const id of ids) {
    const held = byId(id)
    if (held !== undefined) redact(held)
  }
  // The file it shared: the hub removes its copy unless another message shares the same bytes (hub.ts).
  return file
}
