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
 * const bursts = new NotificationBursts()
 * bursts.next(message, ctx, Date.now())   // the first of a burst as above; the next ones replace it: "12 new messages in #lobby"
 * bursts.retracted(updated)               // 'lobby' when that message was deleted or edited since: close its notification
 * bursts.recounted(updated)               // an earlier one of the burst deleted: show this in its place ("11 new messages…")
 * ```
 */
import { notifyPaused, type AppEvent, type NotifyLevel, type Settings } from '../../preload/contract.js'
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
  /** false: a notification says who wrote and where, not what (Settings → Notifications; absent: true). */
  preview?: boolean
  /** Notifications paused until then, or until resumed (Settings' `notifyPausedUntil`): nothing notifies, a mention or a direct message included. */
  pausedUntil?: Settings['notifyPausedUntil']
}

/** What a notification says in place of the words when they are not to be shown. */
export const HIDDEN_BODY = 'New message: open LAN Chat to read it'

/** What a notification says, and the message a click on it opens (`room`, `id`). */
export interface Notification { title: string; body: string; mention: boolean; room: string; id: string }

export function notification(event: AppEvent, ctx: NotifyContext): Notification | undefined {
  if (event.type !== 'message' || event.author === ctx.self || ctx.blocked?.has(event.author) === true) return undefined
  // Deleted before it reached us (catch-up brings it so): nothing to read, no news.
  if (event.deleted === true) return undefined
  const muted = ctx.muted.includes(event.room)
  const mention = mentionOf(event.text, ctx.name, muted, ctx.others)
  // A muted room stays quiet but for your name ("@everyone" does not get through a mute).
  if (mention !== 'you' && muted) return undefined
  const level = ctx.level ?? 'all'
  if (level === 'off' || (level === 'mentions' && mention === undefined && event.to === undefined)) return undefined
  const where = whereOf(event)
  const title = mention !== undefined ? `${event.name} mentioned ${mention} ${where}` : `${event.name} ${where}`
  // The text as it reads in the window: formatting markers and code fences are not shown as typed.
  return { title, body: ctx.preview === false ? HIDDEN_BODY : previewText(event.text).slice(0, 200), mention: mention !== undefined, room: event.room, id: event.id }
}

function whereOf(event: Extract<AppEvent, { type: 'message' }>): string {
  return event.to !== undefined ? '(direct message, end-to-end encrypted)' : event.private === true ? 'in a private room' : `in #${event.room}`
}

/**
 * How long after a conversation's last notified message the next one joins its burst. A class
 * answering a question at once, a flood or a catch-up come within it; a reply a minute later
 * notifies afresh.
 */
export const BURST_MS = 10_000

/** A notification to show: `replaces` the one shown before for its conversation; `silent`: no sound. */
export interface BurstNotification extends Notification { replaces: boolean; silent: boolean; count: number }

/**
 * One notification per conversation per burst, as Slack and Teams group them: thirty students
 * answering at once are one notification that keeps count ("30 new messages in #lobby", the
 * latest under it), not thirty popups and thirty sounds. The first of a burst sounds, and so does
 * the first mention of you in it; the others replace it quietly. A burst ends after `burstMs`
 * without a message notified there, or when the window gets the focus (`seen`). While
 * notifications are paused nothing notifies nor counts, and every burst ends: once the pause is
 * over, the next message notifies afresh, with its sound, and nothing held back comes with it.
 */
export class NotificationBursts {
  /** Each conversation's burst: when its last message came, the messages it counts, and whether it is over (the window had the focus). */
  readonly #bursts = new Map<string, { last: number, count: number, ids: Set<string>, mentioned: boolean, ended: boolean }>()
  /** The message each conversation's notification on screen is about, the words it was notified with, and how it read alone. */
  readonly #shown = new Map<string, { id: string, text: string, alone: Notification, name: string, where: string, preview: boolean }>()
  readonly #burstMs: number
  constructor(burstMs = BURST_MS) {
    this.#burstMs = burstMs
  }

  next(event: AppEvent, ctx: NotifyContext, now: number): BurstNotification | undefined {
    if (notifyPaused(ctx.pausedUntil, now)) {
      if (event.type === 'message') this.seen()
      return undefined
    }
    const shown = notification(event, ctx)
    if (shown === undefined || event.type !== 'message') return undefined
    // "@everyone" from a flood sounds once at most; your own name, once more.
    const you = shown.mention && mentionOf(event.text, ctx.name, ctx.muted.includes(event.room), ctx.others) === 'you'
    this.#shown.set(shown.room, { id: event.id, text: event.text, alone: shown, name: event.name, where: whereOf(event), preview: ctx.preview !== false })
    const burst = this.#bursts.get(shown.room)
    if (burst === undefined || burst.ended || now - burst.last > this.#burstMs) {
      this.#bursts.set(shown.room, { last: now, count: 1, ids: new Set([event.id]), mentioned: you, ended: false })
      return { ...shown, replaces: false, silent: false, count: 1 }
    }
    burst.last = now
    burst.count += 1
    burst.ids.add(event.id)
    const firstMention = you && !burst.mentioned
    burst.mentioned ||= you
    return { ...this.#render(shown.room)!, silent: !firstMention }
  }

  /** The notification on screen for `room` as it reads now: its latest message, with the count of its burst when more than one. */
  #render(room: string): BurstNotification | undefined {
    const shown = this.#shown.get(room)
    const count = this.#bursts.get(room)?.count ?? 1
    if (shown === undefined) return undefined
    const { alone } = shown
    if (count <= 1) return { ...alone, replaces: true, silent: true, count: 1 }
    const counted = `${count} new messages ${shown.where}`
    // A mention keeps its own title (who called on you), with the count after it.
    const title = alone.mention ? `${alone.title} (${counted})` : counted
    const body = shown.preview ? `${shown.name}: ${alone.body}`.slice(0, 200) : 'Open LAN Chat to read them'
    return { ...alone, title, body, replaces: true, silent: true, count }
  }

  /**
   * The notification to show in place of the one on screen when `event` deletes (or finds forged)
   * an earlier message of its burst: "3 new messages" becomes "2 new messages", or the latest alone
   * when one is left. Quiet, as it adds nothing. Undefined for anything else, the message the
   * notification is about included (`retracted` closes that one).
   *
   *   bursts.next(a, ctx, 0); bursts.next(b, ctx, 1)         // "2 new messages in #lobby"
   *   bursts.recounted({ ...deletedA, type: 'message:updated' })   // "Bob in #lobby", b's words
   */
  recounted(event: AppEvent): BurstNotification | undefined {
    if (event.type !== 'message:updated' || (event.deleted !== true && event.refused !== true)) return undefined
    const shown = this.#shown.get(event.room)
    const burst = this.#bursts.get(event.room)
    if (shown === undefined || shown.id === event.id || burst?.ids.delete(event.id) !== true) return undefined
    burst.count -= 1
    return this.#render(event.room)
  }

  /**
   * The conversation whose notification on screen is to close, if `event` deletes the message it
   * is about or changes its words (an edit, or a message found forged): a deleted message is not
   * left on screen, nor are words its author took back. A reaction, which leaves the words, closes
   * nothing. A deleted one no longer counts in its burst.
   *
   *   bursts.next(message, ctx, now)            // shown for 'lobby', about message.id
   *   bursts.retracted({ ...deletedView, type: 'message:updated' })   // 'lobby': close it
   */
  retracted(event: AppEvent): string | undefined {
    if (event.type !== 'message:updated') return undefined
    const shown = this.#shown.get(event.room)
    if (shown?.id !== event.id) return undefined
    const deleted = event.deleted === true || event.refused === true
    if (!deleted && event.text === shown.text) return undefined
    this.#shown.delete(event.room)
    const burst = this.#bursts.get(event.room)
    if (deleted && burst !== undefined) {
      burst.ids.delete(event.id)
      if (--burst.count === 0) this.#bursts.delete(event.room)
    }
    return event.room
  }

  /** The window got the focus: what was notified is seen, and the next message starts a new burst. */
  seen(): void {
    // Kept, ended: a notification still on screen is recounted when an earlier message of it is deleted.
    for (const burst of this.#bursts.values()) burst.ended = true
  }
}
