/**
 * Edits, deletes and reactions as the engine shows them, in either
 * architecture. The events are ordinary signed messages carrying an action
 * (core/edits.ts decides what they add up to); this book takes them in as
 * they are delivered — never showing them as chat lines — and dresses every
 * message the engine shows with its latest text, `edited`, `deleted` and
 * `reactions`. Nothing is kept on the side: after a restart the events are
 * read back from the store, a page's worth at a time, for the messages shown.
 *
 * @example
 * ```ts
 * const book = new EditBook(self, () => store, view => conversations.reveal(view))
 * book.delivered(view)      // an action: { updated: target's new view, cause: { kind, by, id } }; else { shown: the view dressed }
 * book.page(history)        // actions left out, the rest dressed
 * book.versions(id)         // the original text and each edit, oldest first
 * ```
 */
import { actionOf, EditState, MAX_REACTIONS_PER_PERSON, PIN_TEXT, UNPIN_TEXT, validateAction, versionsOf, type ActionEvent, type MessageAction } from '../core/edits.js'
import { InvalidMessageError } from '../core/errors.js'
import type { ChatMessage, WireAction } from '../core/message.js'
import { MessageDeletedError, NotAuthorError, TooManyReactionsError, UnknownMessageError } from './errors.js'
import type { EngineStore } from './ordering.js'
import type { MessageVersion, MessageView, Page, SearchHit, UpdateCause } from './types.js'
import { messageView } from './views.js'
import { bracketed } from '../core/snippet.js'

/** What the book reads and blanks: the running mode's store. */
export type EditSource = Pick<EngineStore, 'message' | 'actionsOn' | 'redact'>

/** Messages whose stored events were read in; past this the book starts over (it reloads what it needs). */
const MAX_LOADED = 50_000
/**
 * Events taken in; past this too. Many events on few messages (a peer editing
 * or reacting to one message without end) would otherwise keep every id.
 */
const MAX_APPLIED = 100_000
/** Messages whose events one look of `preload` asks for. */
const PRELOAD_AT_ONCE = 500
/** Batches smaller than this are not preloaded: a catch-up's are hundreds, live chat's a few. */
const PRELOAD_FROM = 32

/** What a delete of a message sends as its text: what a peer that knows no actions shows. */
export const DELETE_TEXT = '(message deleted)'

export class EditBook {
  #state = new EditState()
  /** Messages whose stored events are in the state. */
  #loaded = new Set<string>()
  /** Events taken in, so a second delivery of one (own, then numbered by the hub) announces nothing. */
  #applied = new Set<string>()

  constructor (
    private readonly self: string,
    private readonly source: () => EditSource | undefined,
    private readonly reveal: (view: MessageView) => MessageView | undefined
  ) {}

  /** A new mode, a new history: start over. */
  forget (): void {
    this.#state = new EditState()
    this.#loaded.clear()
    this.#applied.clear()
  }

  /**
   * A delivered message (opened when private). An action is taken in, and the
   * new view of its target comes back as `updated` (none when the target is
   * not here, or the event was known); any other message comes back dressed.
   */
  delivered (view: MessageView): { updated?: MessageView, cause?: UpdateCause } | { shown: MessageView } {
    if (view.action === undefined) {
      const shown = this.dress(view)
      // Deleted before it got here (a client's own message, numbered after its delete): blank it now it is stored.
      if (shown.deleted === true && view.deleted !== true) this.#strip(view.id)
      return { shown }
    }
    const target = view.action.target
    if (this.#applied.size >= MAX_APPLIED) this.forget()
    // Taken in before the stored ones are read: the store holds this one already (committed before it is announced).
    if (!this.#add(view)) return {}
    this.#load([target])
    // A delete blanks its message and the message's edits on disk; an edit of a message deleted already, itself.
    // (Not a read of every event on the message for each one that comes: a flood of them would cost its square.)
    if (view.action.kind === 'delete') this.#strip(target)
    else if (view.action.kind === 'edit') this.#stripEdit(target, view)
    const updated = this.view(target)
    if (updated === undefined) return {}
    const kind = view.action.kind
    // A pin written in another room than its message's counts nowhere (core/edits.ts): nothing to tell.
    if ((kind === 'pin' || kind === 'unpin') && view.room !== updated.room) return {}
    // Its id once it is numbered (not our own, still pending): what was told waiting for the hub waits no more.
    return { updated, cause: { kind, by: view.author, ...(view.pending !== true ? { id: view.id } : {}) } }
  }

  /** A page of history: the actions left out, every other message dressed. */
  page (views: MessageView[]): MessageView[] {
    const shown = views.filter(v => v.action === undefined)
    this.#load(shown.map(v => v.id))
    return shown.map(v => this.dress(v))
  }

  /**
   * Read in the stored events on messages about to be delivered, in one look
   * (as they are delivered, each is then known): what `delivered` would read
   * one message at a time. Only after they are committed, with whatever of
   * their events came in the same batch, so it reads what those calls would.
   * A small batch (live chat) is left to those calls: one look of a few ids
   * costs more than their own look-ups (4 KiB one-to-one ran about a tenth
   * slower with every batch preloaded).
   */
  preload (ids: readonly string[]): void {
    if (ids.length < PRELOAD_FROM) return
    for (let i = 0; i < ids.length; i += PRELOAD_AT_ONCE) this.#load(ids.slice(i, i + PRELOAD_AT_ONCE))
  }

  /**
   * Read the events on these messages in again, as they count now (a change of a private room's
   * members: one written by a member after its removal no longer does). Only messages whose events
   * were read in can read otherwise; the ones that do come back, as shown now, wherever they are in
   * their room's history. The rest of the book is kept.
   */
  retake (targets: Iterable<string>): MessageView[] {
    const ids = [...targets].filter(id => this.#loaded.has(id))
    const before = new Map(ids.flatMap(id => { const v = this.view(id); return v === undefined ? [] : [[id, v] as const] }))
    for (const m of this.source()?.actionsOn(ids) ?? []) this.#applied.delete(m.id)
    for (const id of ids) {
      this.#state.drop(id)
      this.#loaded.delete(id)
    }
    return ids.flatMap(id => {
      const was = before.get(id)
      const now = this.view(id)
      return was !== undefined && now !== undefined && shownDiffers(was, now) ? [now] : []
    })
  }

  /**
   * Of these messages, those whose events, as they count now, delete them no more (a delete taken back:
   * retake), though their words were wiped here: each one stored as a tombstone, and its author's edits of
   * it stored so. Their words are asked for again.
   */
  wiped (ids: Iterable<string>): string[] {
    return [...ids].flatMap(id => {
      const m = this.source()?.message(id)
      // Edits are wiped only with their message: a message stored whole has none wiped.
      if (m?.redacted !== true || m.action !== undefined || this.deletes(id)) return []
      // Its author's edits were wiped with it: they read again as they were written.
      return [id, ...[...this.source()?.actionsOn([id]) ?? []].filter(e => e.redacted === true && e.action?.kind === 'edit').map(e => e.id)]
    })
  }

  /** Whether the events of message `id`, as they count now, delete it. */
  deletes (id: string): boolean {
    const m = this.source()?.message(id)
    if (m === undefined) return false
    this.#load([id])
    return this.#state.view({ id: m.id, author: m.author, text: '' }).deleted
  }

  /** Whether the event `id` (an edit, delete or reaction) was taken in. */
  took (id: string): boolean { return this.#applied.has(id) }

  /** A message with its events applied. */
  dress (view: MessageView): MessageView {
    this.#load([view.id])
    const { action: _action, pinned: _pinned, ...rest } = view
    const v = this.#state.view({ id: view.id, author: view.author, text: view.text, room: view.room })
    // A tombstone (a deleted message kept without its words) is deleted even before its delete is read in.
    if (view.deleted === true && !v.deleted) return { ...rest, text: '', edited: false, deleted: true, reactions: v.reactions }
    return { ...rest, text: v.text, edited: v.edited, deleted: v.deleted, reactions: v.reactions, ...(v.pinned !== undefined ? { pinned: v.pinned } : {}) }
  }

  /** A stored message as shown now (undefined: not here, not ours to see, or itself an action). */
  view (id: string): MessageView | undefined {
    const m = this.source()?.message(id)
    const shown = m === undefined ? undefined : this.reveal(messageView(m))
    return shown === undefined || shown.action !== undefined ? undefined : this.dress(shown)
  }

  /**
   * Search hits as users read them: a hit on an edit is a hit on the message
   * it edited (unless that was deleted since), a hit on a delete or a
   * reaction (their text is for peers that know no actions) is none. The
   * index holds every version's words, so an edited message is matched again
   * on its text as it reads now (`match`: sealed-search's sealedMatcher):
   * found by its new words with them marked, never by words edited away.
   */
  hits (hits: SearchHit[], match?: (text: string) => string | undefined): SearchHit[] {
    const seen = new Set<string>()
    return hits.flatMap(h => {
      const action = this.source()?.message(h.id)?.action
      if (action !== undefined && action.kind !== 'edit') return []
      const target = this.view(action?.target ?? h.id)
      if (target === undefined || target.deleted === true || seen.has(target.id)) return []
      if (action === undefined && !target.edited) {
        seen.add(target.id)
        return [h]
      }
      const again = target.edited && match !== undefined
      const marked = again ? match(target.text) : h.marked
      if (again && marked === undefined) return []
      seen.add(target.id)
      const { seq: _seq, deliveredAt: _at, clockOff: _off, ...rest } = h
      return [{ ...rest, id: target.id, lamport: target.lamport, sentAt: target.sentAt, ...(target.deliveredAt !== undefined ? { deliveredAt: target.deliveredAt } : {}), ...(target.clockOff !== undefined ? { clockOff: target.clockOff } : {}), ...(target.seq !== undefined ? { seq: target.seq } : {}), ...(marked !== undefined ? { snippet: bracketed(marked), marked } : {}) }]
    })
  }

  /** The original text and each edit of a message, oldest first; [] when deleted (no text is kept for it). */
  versions (id: string): MessageVersion[] {
    const target = this.view(id)
    if (target === undefined) throw new UnknownMessageError(`no message ${id}`)
    if (target.deleted === true) return []
    const original = this.reveal(messageView(this.source()!.message(id)!))!
    const stored = this.#editsOn(id)
    const sentAt = new Map(stored.map(({ event, sentAt }) => [event.id, sentAt]))
    return [
      { id, lamport: original.lamport, sentAt: original.sentAt, text: original.text },
      ...versionsOf(target, stored.map(s => s.event)).map(e => ({ ...e, sentAt: sentAt.get(e.id) ?? 0 }))
    ]
  }

  /** The edits of `target` in the store, opened as this peer sees them (ours that reached nobody left out), with when each was sent. */
  #editsOn (target: string): Array<{ event: ActionEvent, sentAt: number }> {
    const out: Array<{ event: ActionEvent, sentAt: number }> = []
    for (const m of this.source()?.actionsOn([target]) ?? []) {
      const shown = this.reveal(messageView(m))
      if (shown?.action === undefined || shown.refused === true) continue
      const event = actionOf({ ...shown, action: shown.action })
      // Only edits are asked for here (the versions, the words to blank): a reaction is not held.
      if (event?.action.kind === 'edit') out.push({ event, sentAt: shown.sentAt })
    }
    return out
  }

  /**
   * Check an action of ours before it is sent and return it as it goes on the
   * wire with its text: only the author edits or deletes (NotAuthorError), a
   * deleted message takes nothing more (MessageDeletedError), one person puts
   * at most MAX_REACTIONS_PER_PERSON emoji on a message (TooManyReactionsError).
   */
  prepare (room: string, action: MessageAction): { room: string, text: string, wire: WireAction } {
    validateAction(action)
    const target = this.view(action.target)
    if (target === undefined) throw new UnknownMessageError(`no message ${action.target} to ${action.kind}`)
    if (room !== '' && target.room !== room) throw new UnknownMessageError(`message ${action.target} is not in ${room}`)
    if (target.deleted === true) throw new MessageDeletedError('That message was deleted.')
    switch (action.kind) {
      case 'edit':
      case 'delete':
        if (target.author !== this.self) throw new NotAuthorError(`Only its author can ${action.kind} a message.`)
        return action.kind === 'edit'
          ? { room: target.room, text: action.text, wire: { kind: 'edit', target: action.target } }
          : { room: target.room, text: DELETE_TEXT, wire: { kind: 'delete', target: action.target } }
      case 'react': {
        const mine = (target.reactions ?? []).filter(r => r.by.includes(this.self)).map(r => r.emoji)
        if (action.on && !mine.includes(action.emoji) && mine.length >= MAX_REACTIONS_PER_PERSON) {
          throw new TooManyReactionsError(`At most ${MAX_REACTIONS_PER_PERSON} different reactions on one message.`)
        }
        return { room: target.room, text: action.emoji, wire: { kind: action.on ? 'react' : 'unreact', target: action.target, emoji: action.emoji } }
      }
      // Anyone who writes in the conversation pins (the engine counts the limit).
      case 'pin': return { room: target.room, text: action.on ? PIN_TEXT : UNPIN_TEXT, wire: { kind: action.on ? 'pin' : 'unpin', target: action.target } }
      default: return action satisfies never
    }
  }

  /** Read in the stored events on these messages (once each). */
  #load (ids: readonly string[]): void {
    const fresh = ids.filter(id => !this.#loaded.has(id))
    const source = this.source()
    if (fresh.length === 0 || source === undefined) return
    if (this.#loaded.size + fresh.length > MAX_LOADED || this.#applied.size >= MAX_APPLIED) this.forget()
    for (const id of fresh) this.#loaded.add(id)
    const touched = new Set<string>()
    for (const m of source.actionsOn(fresh)) {
      const shown = this.reveal(messageView(m))
      if (shown !== undefined && this.#add(shown)) touched.add(shown.action!.target)
    }
    // A delete whose text was not yet blanked on disk (a crash between the two): blank it now.
    for (const t of touched) this.#strip(t)
  }

  /**
   * Take in one event; false when it was known, is malformed, or reached
   * nobody (ours, in a room that had removed us: `refused`), which shows here
   * as the others show it.
   */
  #add (view: MessageView): boolean {
    if (this.#applied.has(view.id) || view.refused === true) return false
    const event = actionOf({ ...view, action: view.action! } satisfies Pick<ChatMessage, 'id' | 'author' | 'lamport' | 'text' | 'action' | 'room' | 'sentAt'>)
    if (event === undefined) return false
    try {
      validateAction(event.action)
    } catch (err) {
      if (err instanceof InvalidMessageError) return false
      throw err
    }
    this.#applied.add(view.id)
    this.#state.add(event)
    return true
  }

  /** An edit by the author of a message it deleted: it leaves the store's searchable text too. */
  #stripEdit (target: string, edit: MessageView): void {
    const m = this.source()?.message(target)
    if (m === undefined || m.author !== edit.author || !this.#state.view({ id: m.id, author: m.author, text: '' }).deleted) return
    this.source()?.redact([target, edit.id])
  }

  /** A message its author deleted: its text and its edits' leave the store's searchable text. */
  #strip (target: string): void {
    const m = this.source()?.message(target)
    if (m === undefined) return
    const v = this.#state.view({ id: m.id, author: m.author, text: '' })
    if (!v.deleted) return
    this.source()?.redact([target, ...versionsOf(m, this.#editsOn(target).map(s => s.event)).map(e => e.id)])
  }
}

/** Whether two views of a message read differently: its words, edited or deleted, its reactions, its pin. */
function shownDiffers (a: MessageView, b: MessageView): boolean {
  return a.text !== b.text || a.edited !== b.edited || a.deleted !== b.deleted ||
    JSON.stringify(a.reactions ?? []) !== JSON.stringify(b.reactions ?? []) || JSON.stringify(a.pinned) !== JSON.stringify(b.pinned)
}

/**
 * A page holds `limit` messages as shown: what a page read from the store
 * does not show (edits, reactions, others' sealed messages) is made up from
 * further on, in the page's direction. `read` answers a page as stored and as
 * shown.
 */
export function fillPage (read: (page?: Page) => { raw: MessageView[], shown: MessageView[] }, page?: Page): MessageView[] {
  if (page?.around !== undefined) return fillAround(read, page.around, page.limit ?? AROUND_DEFAULT)
  let { raw, shown } = read(page)
  const limit = page?.limit
  if (limit === undefined) return shown
  const forward = page?.after !== undefined
  let last: string | undefined
  for (let asked = limit; raw.length >= asked && shown.length < limit;) {
    asked = limit - shown.length
    // A client's page that reaches the newest ends with its pending messages, which have no place in
    // the store's order: going forward, there is nothing after them.
    if (forward && raw.some(v => v.pending === true)) break
    const edge = forward ? raw.at(-1) : raw.find(v => v.pending !== true)
    // No edge, or the same one again (a page the store answers from elsewhere: the read moved nowhere): as filled as it gets.
    if (edge === undefined || edge.id === last) break
    last = edge.id
    const more = read(forward ? { after: edge.id, limit: asked } : { before: edge.id, limit: asked })
    raw = more.raw
    shown = forward ? [...shown, ...more.shown] : [...more.shown, ...shown]
  }
  return shown
}

/** A window around a message asked for without a limit (the store's own default). */
const AROUND_DEFAULT = 200

/**
 * `limit` shown messages around `around`: it, about half of the rest before it
 * and the others after, each side filled as fillPage fills a page. Where one
 * side runs out (the room's start or its newest), the other gives more, so
 * the window is `limit` long whenever the room is. Rows a page does not show
 * (a reaction, an edit) never make it shorter.
 */
function fillAround (read: (page?: Page) => { raw: MessageView[], shown: MessageView[] }, around: string, limit: number): MessageView[] {
  const found = read({ around, limit: 1 })
  // Unknown here (or in another room): no window, as the store answers.
  if (!found.raw.some(v => v.id === around)) return []
  // The message alone: a client's window at the newest also holds its pending messages, which the later side brings.
  const it = found.shown.filter(v => v.id === around)
  const half = Math.floor((limit - 1) / 2)
  let before = half > 0 ? fillPage(read, { before: around, limit: half }) : []
  const afterWanted = limit - it.length - before.length
  const after = afterWanted > 0 ? fillPage(read, { after: around, limit: afterWanted }) : []
  // Near the newest: what the later side lacks, the earlier one gives.
  const more = limit - it.length - before.length - after.length
  if (more > 0 && before.length === half) before = fillPage(read, { before: around, limit: half + more })
  return [...before, ...it, ...after]
}
