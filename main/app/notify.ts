/**
 * Which messages notify, and how: a message from someone else notifies
 * unless its room is muted; one that mentions you notifies even then, and
 * says so. Settings may narrow that to direct messages and mentions, or turn
 * notifications off. Electron's main shows what this answers; the rule lives
 * here so it is tested without Electron.
 *
 * @example
 * ```ts
 * notification(message, { self: me, name: 'Ann', muted: ['random'] })
 * // { title: 'Bob mentioned you in #random', body: 'hi @Ann', mention: true, room: 'random', id: '…' }, or undefined
 * ```
 */
import type { AppEvent, NotifyLevel } from '../../preload/contract.js'
import { previewText } from '../core/markup.js'
import { mentionOf } from '../core/mentions.js'

export interface NotifyContext {
  /** Our peer id and display name (a mention is "@" and this name). */
  self: string
  name: string
  /** Rooms muted in Settings. */
  muted: readonly string[]
  /** What notifies at all (Settings): every message, only DMs and mentions, or nothing. Absent: 'all'. */
  level?: NotifyLevel
  /** Peers blocked: nothing of theirs notifies, a mention or a direct message included. */
  blocked?: ReadonlySet<string>
  /** The names of the others known: "@Anna K." is a mention of Anna K., not of Anna. */
  others?: readonly string[]
}

/** What a notification says, and the message a click on it opens (`room`, `id`). */
export interface Notification { title: string; body: string; mention: boolean; room: string; id: string }

export function notification(event: AppEvent, ctx: NotifyContext): Notification | undefined {
  if (event.type !== 'message' || event.author === ctx.self || ctx.blocked?.has(event.author) === true) return undefined
  const muted = ctx.muted.includes(event.room)
  const mention = mentionOf(event.text, ctx.name, muted, ctx.others)
  // A muted room stays quiet but for your name ("@everyone" does not get through a mute).
  if (mention !== 'you' && muted) return undefined
  const level = ctx.level ?? 'all'
  if (level === 'off' || (level === 'mentions' && mention === undefined && event.to === undefined)) return undefined
  const where = event.to !== undefined ? '(direct message, end-to-end encrypted)' : event.private === true ? 'in a private room' : `in #${event.room}`
  const title = mention !== undefined ? `${event.name} mentioned ${mention} ${where}` : `${event.name} ${where}`
  // The text as it reads in the window: formatting markers and code fences are not shown as typed.
  return { title, body: previewText(event.text).slice(0, 200), mention: mention !== undefined, room: event.room, id: event.id }
}
