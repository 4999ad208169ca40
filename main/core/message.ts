import { InvalidMessageError, InvalidRoomError, TextTooLongError } from './errors.js'
import { validateManifest, type FileManifest } from './file.js'
import { DM_ROOM_PREFIX, PRIVATE_ROOM_PREFIX, MAX_DEPS, MAX_LAMPORT, MAX_NAME_LENGTH, MAX_ROOM_LENGTH, MAX_STATUS_LENGTH, MAX_SEALED_BYTES, MAX_TEXT_BYTES, SEAL_OVERHEAD } from './limits.js'

/**
 * A chat message as the engine keeps it. `id` is the hash of everything but
 * `sig`; `sig` is the author's signature of the id. Each author numbers its
 * messages 1, 2, 3… (`seq`) across all rooms and links each to the previous
 * one (`prev`), so an author's messages form a hash chain: a verified later
 * message vouches for every earlier one.
 */
export interface ChatMessage {
  id: string
  room: string
  author: string
  name: string
  text: string
  lamport: number
  sentAt: number
  seq: number
  /** Id of the author's message `seq - 1`; '' when `seq` is 1. */
  prev: string
  /** Heads of the author's delivered history when it sent this (prev excluded). */
  deps: string[]
  /** The message this one answers; always also in `deps` or equal to `prev`. */
  replyTo?: string
  /** A file or image the message shares (its bytes travel apart); `text` then names it. */
  file?: FileManifest
  /**
   * A private message's text, sealed (chat/private.ts): `text` is then ''.
   * Only the people it is for can open it; everyone else keeps and relays
   * these bytes, which the signature covers.
   */
  sealed?: Uint8Array
  /** A direct message's recipient (its room is the pair's DM room). */
  to?: string
  /**
   * An edit, a delete or a reaction (core/edits.ts) of the message `target`,
   * which is also `prev` or among `deps`: causal delivery holds the event
   * until its target is there. An edit's new text is `text`; a reaction's
   * emoji is `emoji`, and its `text` too (what a peer unaware of events shows).
   * A reaction in a DM or an invite-only room has its emoji only in its sealed
   * text: `emoji` is SEALED_EMOJI there, so nobody outside reads it.
   */
  action?: WireAction
  /**
   * A tombstone: a message its author deleted, kept without its text, sealed
   * text and file so the author's chain stays whole. Its body no longer
   * hashes to `id` (the original's), and it is never signed: the author's
   * chain (a later message naming it as `prev`) vouches for the id.
   */
  redacted?: true
  /**
   * The author's Ed25519 signature of the body, or empty: an author signs only
   * the newest message of a burst, and that signature vouches for the earlier
   * ones through the hash chain. An unsigned message is never delivered before
   * a verified successor links to it.
   */
  sig: Uint8Array
}

/** `pin` and `unpin` go on the wire as a Body field of their own (15), never in `action` (14): see net/body.ts. */
export type WireActionKind = 'edit' | 'delete' | 'react' | 'unreact' | 'pin' | 'unpin'
export interface WireAction { kind: WireActionKind, target: string, emoji?: string }

/** An emoji is short text: at most this many UTF-8 bytes (a flag or a family sequence fits). */
export const MAX_EMOJI_BYTES = 32

/** A pictograph, a flag's regional indicator or a keycap: what makes an emoji one. */
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u
/**
 * What an emoji is made of: pictographs, regional indicators, skin tones, the joiner of a family or
 * a profession, variation selectors, a keycap and the digit or sign under it, a flag's tag letters.
 */
const EMOJI_PARTS = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0e|\ufe0f|\u20e3|[0-9#*]|[\u{e0020}-\u{e007f}]/gu

/**
 * Whether `text` is an emoji one may put on a message, not a word that would show as a reaction
 * on everyone's screen: the one rule for the window, a script and the terminal (main/app/schemas.ts
 * applies it to every request; every emoji the window's picker offers passes). A peer's reaction
 * received is not held to it (core/edits.ts takes any short text), so one of an older build still shows.
 */
export const isEmoji = (text: string): boolean => PICTOGRAPH.test(text) && text.replace(EMOJI_PARTS, '') === ''

/**
 * What a private reaction's plain `emoji` field says: the emoji itself is in
 * the sealed text, which those who can read the message open. Older peers,
 * which read the field, show a lock there; they still take the message in.
 */
export const SEALED_EMOJI = '\u{1F512}'

/**
 * What the plain field of a private reaction's removal says when its author
 * still has another reaction on that message: older peers, which keep one
 * SEALED_EMOJI per person, would take that lock off with a removal naming it,
 * though a reaction of theirs is still on. This one they hold no reaction
 * under, so they change nothing; peers that open the sealed text ignore it.
 */
export const SEALED_EMOJI_KEPT = '\u{1F513}'

export type UnsignedMessage = Omit<ChatMessage, 'id' | 'sig'>

const encoder = new TextEncoder()
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

export function utf8Length (text: string): number {
  return encoder.encode(text).byteLength
}

/** Room names are case-insensitive and trimmed: "Lobby " is "lobby". */
export function normalizeRoom (room: string): string {
  const name = room.trim().toLowerCase()
  if (name.length === 0) throw new InvalidRoomError('A room needs a name')
  if (name.length > MAX_ROOM_LENGTH) throw new InvalidRoomError(`A room name is at most ${MAX_ROOM_LENGTH} characters`)
  if (CONTROL.test(name)) throw new InvalidRoomError('A room name cannot contain control characters')
  return name
}

/**
 * Characters that change how a name looks without showing themselves:
 * bidirectional embeddings, overrides, isolates and marks (they can make
 * "evilbob" read as "bob"), zero-width spaces and joiners, word joiners,
 * invisible operators, the BOM, soft hyphens, the combining grapheme joiner
 * and the Hangul fillers that render as blanks.
 */
// The combining ones stand alone, outside the class: next to another they would read as one character.
const INVISIBLE = /[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]|\u034f|\u17b4|\u17b5/g

/**
 * A display name as others may show it: without invisible and direction
 * changing characters, and trimmed. Names from the network go through it
 * before anyone sees them (the signed bytes keep what the author sent).
 */
export function cleanName (name: string): string {
  return name.replace(INVISIBLE, '').trim()
}

export function normalizeName (name: string): string {
  const trimmed = cleanName(name)
  if (trimmed.length === 0) throw new InvalidMessageError('A display name cannot be empty')
  if (trimmed.length > MAX_NAME_LENGTH) throw new InvalidMessageError(`A display name is at most ${MAX_NAME_LENGTH} characters`)
  if (CONTROL.test(trimmed)) throw new InvalidMessageError('A display name cannot contain control characters')
  return trimmed
}

/**
 * A status as the user typed it, checked: one line of at most MAX_STATUS_LENGTH characters, or
 * empty (no status). Surrounding spaces and invisible characters go, as in a name.
 */
export function normalizeStatus (status: string): string {
  const trimmed = cleanName(status)
  if (trimmed.length > MAX_STATUS_LENGTH) throw new InvalidMessageError(`A status is at most ${MAX_STATUS_LENGTH} characters`)
  if (CONTROL.test(trimmed)) throw new InvalidMessageError('A status is one line, without control characters')
  return trimmed
}

export function checkText (text: string): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4): short texts need no count.
  if (text.length * 3 > MAX_TEXT_BYTES) {
    const bytes = utf8Length(text)
    if (bytes > MAX_TEXT_BYTES) throw new TextTooLongError(`The text is ${bytes} bytes; the limit is ${MAX_TEXT_BYTES} (64 KiB)`)
  }
  if (text.trim().length === 0) throw new InvalidMessageError('The text is empty')
}

/**
 * Structural checks on a message from the wire, before its signature is
 * verified. Throws InvalidMessageError (or a subclass's sibling) with the reason.
 */
export function validateMessage (m: ChatMessage): void {
  const fail = (why: string): never => { throw new InvalidMessageError(why) }
  if (!/^[0-9a-f]{64}$/.test(m.id)) fail('bad id')
  if (normalizeRoom(m.room) !== m.room) fail('room name is not normalized')
  if (m.author.length === 0 || m.author.length > 128) fail('bad author')
  if (m.name.length > MAX_NAME_LENGTH || CONTROL.test(m.name)) fail('bad display name')
  if (m.redacted === true) {
    if (m.text !== '' || m.sealed !== undefined || m.file !== undefined) fail('a tombstone keeps no text')
    if (m.sig.byteLength !== 0) fail('a tombstone is not signed')
  } else if (m.sealed === undefined) checkText(m.text)
  else {
    if (m.text !== '') fail('a sealed message carries no plain text')
    if (m.sealed.byteLength <= SEAL_OVERHEAD || m.sealed.byteLength > MAX_SEALED_BYTES) fail('bad sealed text length')
  }
  // A tombstone of a private message lost its sealed text with the rest.
  const sealed = m.sealed !== undefined || m.redacted === true
  if (m.to !== undefined) {
    if (!sealed) fail('a direct message must be sealed')
    if (m.to.length === 0 || m.to.length > 128 || m.to === m.author) fail('bad recipient')
    if (!m.room.startsWith(DM_ROOM_PREFIX)) fail('a direct message belongs in a DM room')
  } else if (m.room.startsWith(DM_ROOM_PREFIX)) fail('only direct messages go in DM rooms')
  if (m.room.startsWith(PRIVATE_ROOM_PREFIX) && !sealed) fail('an invite-only room takes only sealed messages')
  if (m.sealed !== undefined && m.to === undefined && !m.room.startsWith(PRIVATE_ROOM_PREFIX)) fail('a sealed message belongs in a DM or an invite-only room')
  if (!Number.isSafeInteger(m.lamport) || m.lamport < 1 || m.lamport >= MAX_LAMPORT) fail(`Lamport time ${m.lamport} out of range`)
  if (!Number.isSafeInteger(m.sentAt) || m.sentAt < 0) fail('bad sentAt')
  if (!Number.isSafeInteger(m.seq) || m.seq < 1) fail('bad seq')
  if ((m.seq === 1) !== (m.prev === '')) fail('prev does not match seq')
  if (m.prev !== '' && !/^[0-9a-f]{64}$/.test(m.prev)) fail('bad prev')
  if (m.deps.length > MAX_DEPS) fail(`too many dependencies (${m.deps.length} > ${MAX_DEPS})`)
  const deps = new Set(m.deps)
  if (deps.size !== m.deps.length) fail('duplicate dependency')
  for (const d of m.deps) {
    if (!/^[0-9a-f]{64}$/.test(d)) fail('bad dependency id')
    if (d === m.id || d === m.prev) fail('dependency repeats itself or prev')
  }
  if (m.replyTo !== undefined && m.replyTo !== m.prev && !deps.has(m.replyTo)) fail('replyTo is not among the dependencies')
  if (m.file !== undefined) validateManifest(m.file)
  if (m.action !== undefined) {
    const a = m.action
    if (!/^[0-9a-f]{64}$/.test(a.target)) fail('bad action target')
    if (a.target !== m.prev && !deps.has(a.target)) fail('the action\'s target is not among the dependencies')
    if (m.file !== undefined) fail('an action shares no file')
    const reaction = a.kind === 'react' || a.kind === 'unreact'
    if (reaction !== (a.emoji !== undefined)) fail('an emoji goes with a reaction, and only with one')
    if (a.emoji !== undefined && (a.emoji.length === 0 || utf8Length(a.emoji) > MAX_EMOJI_BYTES || CONTROL.test(a.emoji) || /\s/.test(a.emoji))) fail('bad emoji')
  }
  // An empty sig is allowed: the author's next signed message vouches for it (chat/verify.ts).
  if (m.sig.byteLength > 256) fail('bad signature length')
}

/** The total display order every peer agrees on: (lamport, author), then id. */
export function compareMessages (a: Pick<ChatMessage, 'lamport' | 'author' | 'id'>, b: Pick<ChatMessage, 'lamport' | 'author' | 'id'>): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport
  if (a.author !== b.author) return a.author < b.author ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
