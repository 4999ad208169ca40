/**
 * Forwarding a message to another conversation. No new wire field: a
 * forwarded message is an ordinary message of the forwarder's, whose text
 * says whose words it carries and where they were written, then the words, so
 * a peer of any version shows it sensibly. The markup has no quote syntax, so
 * the attribution is a plain line of its own. A comment of the forwarder's
 * goes first, in the same message.
 *
 * Pure: the engine builds what it sends with it, and the window previews it
 * (and says when the words must be shortened to fit) before anything goes.
 *
 * @example
 * ```ts
 * forwardText({ name: 'Ann', from: { kind: 'room', room: 'general' }, text: 'lunch at 1' })
 * // { text: 'Forwarded from Ann in #general:\nlunch at 1', truncated: false }
 * ```
 */
import { MAX_TEXT_BYTES } from './limits.js'
import { invitation } from './invite.js'

/** Where a message was written, or where it is forwarded to, as people name it. */
export type ForwardPlace =
  | { kind: 'room'; room: string }
  /** A direct conversation; `with`: the other person's name. */
  | { kind: 'dm'; with: string; peerId: string }
  /** An invite-only room by its name; `members`: their peer ids. */
  | { kind: 'private'; name: string; members: readonly string[] }

/** Longest comment of one's own sent with a forward, in UTF-8 bytes. */
export const MAX_FORWARD_COMMENT_BYTES = 4 * 1024
/**
 * A forwarded file's caption: a file's message also carries its description (a thumbnail of up to
 * 32 KiB, as base64, in a private one), so its text gets less of the message than a text does.
 */
export const MAX_FORWARD_CAPTION_BYTES = 8 * 1024

const encoder = new TextEncoder()
const bytes = (s: string): number => encoder.encode(s).length

/** The attribution line: `Forwarded from Ann in #general:`. */
export function forwardHeader (name: string, from: ForwardPlace): string {
  const where = from.kind === 'room' ? `in #${from.room}` : from.kind === 'dm' ? 'in a direct message' : `in ${from.name} (invite-only)`
  return `Forwarded from ${name.trim() === '' ? 'someone' : name} ${where}:`
}

/** `text` cut to at most `max` UTF-8 bytes, whole characters only, ending in "…" when cut. */
export function cutTo (text: string, max: number): { text: string; truncated: boolean } {
  if (bytes(text) <= max) return { text, truncated: false }
  const room = max - bytes('…')
  let used = 0
  let out = ''
  for (const ch of text) {
    const n = bytes(ch)
    if (used + n > room) break
    used += n
    out += ch
  }
  return { text: `${out.trimEnd()}…`, truncated: true }
}

/**
 * The text a forward sends: the comment (if any), a blank line, the attribution, then the words,
 * within `max` bytes (a text's limit, or a file caption's): the words are cut, with "…", when the
 * whole would not fit. The comment is never cut (MAX_FORWARD_COMMENT_BYTES bounds it).
 */
export function forwardText ({ name, from, text, comment, max = MAX_TEXT_BYTES }: { name: string; from: ForwardPlace; text: string; comment?: string; max?: number }): { text: string; truncated: boolean } {
  const said = comment?.trim() ?? ''
  const head = `${said === '' ? '' : `${said}\n\n`}${forwardHeader(name, from)}\n`
  const quoted = cutTo(text, Math.max(0, max - bytes(head)))
  return { text: head + quoted.text, truncated: quoted.truncated }
}

/**
 * Whether forwarding from `from` to `to` lets someone read it who could not before: a public
 * message never does; a private one does unless everyone who reads `to` could read `from`
 * (its own conversation, or a DM with one of a private room's members).
 */
export function widensAudience (from: ForwardPlace, to: ForwardPlace, self: string): boolean {
  if (from.kind === 'room') return false
  if (to.kind === 'room') return true
  const could = new Set(from.kind === 'dm' ? [self, from.peerId] : from.members)
  const will = to.kind === 'dm' ? [self, to.peerId] : to.members
  return will.some(p => !could.has(p))
}

/**
 * The confirm a private message's forward asks first, saying who will read it:
 * "People in #general will read what Ann wrote to you privately." Undefined when nobody new will.
 */
export function forwardWarning ({ from, to, self, author, name, text }: { from: ForwardPlace; to: ForwardPlace; self: string; author: string; name: string; text?: string }): string | undefined {
  if (!widensAudience(from, to, self)) return undefined
  // An invitation's code is the room's keys: whoever reads the forward can join and read the room, not only this message.
  const invite = text === undefined ? undefined : invitation(text)
  const opens = invite === undefined ? '' : ` It is an invitation: whoever reads it can join ${invite.name} and read what is said there.`
  const readers = to.kind === 'room' ? `People in #${to.room}` : to.kind === 'dm' ? to.with : `The members of ${to.name}`
  const who = author === self ? 'you' : name.trim() === '' ? 'someone' : name
  const where = from.kind === 'dm'
    ? (author === self ? `to ${from.with} privately` : 'to you privately')
    : from.kind === 'private' ? `in ${from.name}, an invite-only room` : ''
  return `${readers} will read what ${who} wrote ${where}.${opens}`
}
