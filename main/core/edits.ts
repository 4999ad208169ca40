/**
 * The state of edits, deletes and reactions: events that point at a message
 * (their `target`) and change how it shows, never what it was. Every peer
 * ends in the same state whatever order the events came in:
 *
 * - an edit or a delete counts only when its author wrote the target;
 * - a delete is final: a deleted message shows no text, whatever edits exist;
 * - of the edits, the greatest in the display order (Lamport, author, id) wins;
 * - a reaction is one person's emoji on a message: of that person's events
 *   for that emoji, the greatest in (Lamport, id) says whether it is on;
 * - a pin is anyone's, for everyone in the conversation: of the pin events on
 *   a message written in the message's own room (one naming a message of
 *   another room counts nowhere), the greatest in (Lamport, author, id) says
 *   whether it is pinned, and by whom; a deleted message is never pinned.
 *
 * Each rule picks a maximum or tests for existence over a set, so the result
 * is the same for every order of arrival and for duplicates. So the state
 * keeps only what can still win: each person's latest edit of a message, who
 * deleted it, and each person's latest event per emoji; the earlier versions
 * are read from the store when asked for (`versionsOf`). An author editing one
 * message without end costs no memory here. Events for a message not seen yet
 * are kept (the target may come later, or be on an older page of the history)
 * and count once it is known.
 *
 * @example
 * ```ts
 * const s = new EditState()
 * s.add({ id: 'e1', author: 'ann', lamport: 5, action: { kind: 'edit', target: 'm1', text: 'hello!' } })
 * s.add({ id: 'r1', author: 'bob', lamport: 6, action: { kind: 'react', target: 'm1', emoji: '👍', on: true } })
 * s.view({ id: 'm1', author: 'ann', text: 'hello' })
 * // { text: 'hello!', edited: true, deleted: false, reactions: [{ emoji: '👍', by: ['bob'] }] }
 * versionsOf({ id: 'm1', author: 'ann' }, storedEvents)  // ann's edits of m1, oldest first
 * ```
 */
import { InvalidMessageError } from './errors.js'
import { compareMessages, checkText, utf8Length, MAX_EMOJI_BYTES, type ChatMessage } from './message.js'

/** What an event does to its target. */
export type MessageAction =
  | { kind: 'edit', target: string, text: string }
  | { kind: 'delete', target: string }
  | { kind: 'react', target: string, emoji: string, on: boolean }
  | { kind: 'pin', target: string, on: boolean }

/** An event as the state needs it: who sent it, when (Lamport), and what it does. */
export interface ActionEvent {
  id: string
  author: string
  lamport: number
  action: MessageAction
  /** A pin's: the room it was written in (it counts only for a message of that room) and when (ms), which its `pinned` shows. */
  room?: string
  sentAt?: number
}

/** Who pinned a message: the author of the pin that decides it, when that pin was sent (ms), and its Lamport time (what orders a room's pins alike everywhere). */
export interface Pinned { by: string, at: number, lamport: number }

/** What a pin message says as its text: what a peer that knows no pins shows as a line of its own. */
export const PIN_TEXT = '\u{1F4CC} pinned a message'
export const UNPIN_TEXT = '\u{1F4CC} unpinned a message'
/** How many messages one conversation keeps pinned at most (the engine refuses more, and lists no more). */
export const MAX_PINNED = 50
/**
 * What a look at a room's pins weighs: the messages of its newest PIN_ROWS_READ pins, at most PIN_TARGETS_READ
 * of them, the one pinned last first (each is then judged by its own pins and unpins). A room where pins come
 * and go for years keeps an old pin listed until a thousand other messages were pinned after it; a peer that
 * pins and unpins thousands costs each look no more, and can only push older pins out of the list.
 */
export const PIN_TARGETS_READ = 1_000
export const PIN_ROWS_READ = 5_000

/** One emoji on a message and who put it there (sorted, so every peer lists them alike). */
export interface Reaction { emoji: string, by: string[] }

/** How a message shows once its events are applied. */
export interface Visible {
  text: string
  edited: boolean
  deleted: boolean
  reactions: Reaction[]
  /** Pinned in its room (absent: not pinned, or deleted). */
  pinned?: Pinned
}

export { MAX_EMOJI_BYTES }
/** How many different emoji one person may put on one message (the engine refuses more). */
export const MAX_REACTIONS_PER_PERSON = 20

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\s]/

/** Structural checks on an action from the wire; throws InvalidMessageError with the reason. */
export function validateAction (a: MessageAction): void {
  const fail = (why: string): never => { throw new InvalidMessageError(why) }
  if (!/^[0-9a-f]{64}$/.test(a.target)) fail('bad target id')
  switch (a.kind) {
    case 'edit': checkText(a.text); break
    case 'delete': break
    case 'react':
      if (a.emoji.length === 0 || utf8Length(a.emoji) > MAX_EMOJI_BYTES || CONTROL.test(a.emoji)) fail('bad emoji')
      break
    case 'pin': break
    default: return missing(a)
  }
}

/** The event a delivered message carries, if any (its text opened: a sealed edit's `text` is the opened one). */
export function actionOf (m: Pick<ChatMessage, 'id' | 'author' | 'lamport' | 'text' | 'action'> & Partial<Pick<ChatMessage, 'room' | 'sentAt'>>): ActionEvent | undefined {
  const a = m.action
  if (a === undefined) return undefined
  const base = { id: m.id, author: m.author, lamport: m.lamport }
  switch (a.kind) {
    case 'edit': return { ...base, action: { kind: 'edit', target: a.target, text: m.text } }
    case 'delete': return { ...base, action: { kind: 'delete', target: a.target } }
    case 'react': case 'unreact': return { ...base, action: { kind: 'react', target: a.target, emoji: a.emoji ?? '', on: a.kind === 'react' } }
    // Without its room a pin counts nowhere (view compares it with the target's).
    case 'pin': case 'unpin': return { ...base, room: m.room ?? '', sentAt: m.sentAt ?? 0, action: { kind: 'pin', target: a.target, on: a.kind === 'pin' } }
    default: return missing(a.kind)
  }
}

interface Targeted {
  /** Each person's greatest edit (only the target's author's counts, once the target is known). */
  edits: Map<string, ActionEvent>
  /** Who deleted it (only its author's counts). */
  deleters: Set<string>
  /** The winning event per `reactor\0emoji`. */
  reactions: Map<string, ActionEvent>
  /** The winning pin event per room it was written in (only the target's own room's counts, once the target is known). */
  pins: Map<string, ActionEvent>
}

/** The edits of `target` by its author among `events` (any events, any order, duplicates too), oldest first: its earlier versions. */
export function versionsOf (target: { id: string, author: string }, events: readonly ActionEvent[]): Array<{ id: string, lamport: number, text: string }> {
  const edits = new Map<string, ActionEvent>()
  for (const e of events) if (e.action.kind === 'edit' && e.action.target === target.id && e.author === target.author) edits.set(e.id, e)
  return [...edits.values()].sort(compareMessages).map(e => ({ id: e.id, lamport: e.lamport, text: e.action.kind === 'edit' ? e.action.text : '' }))
}

export class EditState {
  readonly #targets = new Map<string, Targeted>()

  /** Takes an event (a duplicate, or one that cannot win, changes nothing); returns the target's id. */
  add (e: ActionEvent): string {
    const target = e.action.target
    let t = this.#targets.get(target)
    if (t === undefined) this.#targets.set(target, t = { edits: new Map(), deleters: new Set(), reactions: new Map(), pins: new Map() })
    const a = e.action
    switch (a.kind) {
      case 'edit': {
        const held = t.edits.get(e.author)
        if (held === undefined || compareMessages(held, e) < 0) t.edits.set(e.author, e)
        break
      }
      case 'delete': t.deleters.add(e.author); break
      case 'react': {
        const key = `${e.author}\0${a.emoji}`
        const held = t.reactions.get(key)
        if (held === undefined || compareMessages(held, e) < 0) t.reactions.set(key, e)
        break
      }
      case 'pin': {
        const room = e.room ?? ''
        const held = t.pins.get(room)
        if (held === undefined || compareMessages(held, e) < 0) t.pins.set(room, e)
        break
      }
      default: return missing(a)
    }
    return target
  }

  /** Whether any event points at this message. */
  touches (id: string): boolean { return this.#targets.has(id) }

  /** Forget every event on this message (they are read in again as they count now). */
  drop (id: string): void { this.#targets.delete(id) }

  /** How a message shows: its latest text, or none when deleted, its reactions, and who pinned it (pins written in its `room` only). */
  view (target: { id: string, author: string, text: string, room?: string }): Visible {
    const t = this.#targets.get(target.id)
    if (t === undefined) return { text: target.text, edited: false, deleted: false, reactions: [] }
    const deleted = t.deleters.has(target.author)
    const edit = t.edits.get(target.author)
    const latest = edit?.action.kind === 'edit' ? { text: edit.action.text } : undefined
    const by = new Map<string, string[]>()
    for (const e of t.reactions.values()) {
      if (e.action.kind !== 'react' || !e.action.on) continue
      const who = by.get(e.action.emoji) ?? []
      who.push(e.author)
      by.set(e.action.emoji, who)
    }
    const reactions = [...by].map(([emoji, who]) => ({ emoji, by: who.sort() })).sort((a, b) => (a.emoji < b.emoji ? -1 : a.emoji > b.emoji ? 1 : 0))
    if (deleted) return { text: '', edited: false, deleted: true, reactions }
    const pin = target.room === undefined ? undefined : t.pins.get(target.room)
    const pinned = pin?.action.kind === 'pin' && pin.action.on ? { pinned: { by: pin.author, at: pin.sentAt ?? 0, lamport: pin.lamport } } : {}
    return { text: latest?.text ?? target.text, edited: latest !== undefined, deleted: false, reactions, ...pinned }
  }
}

function missing (x: never): never {
  throw new Error(`unhandled action ${JSON.stringify(x)}`)
}
