import type { PrivateKey } from '@libp2p/interface'
import { CONTROL, isPrivateRoom, parseControl, type PrivateRooms } from './private-rooms.js'
import { NotAMemberError, UnknownRecipientError, UnreadableMessageError } from './errors.js'
import { InvalidMessageError, InvalidRoomError } from '../core/errors.js'
import { DM_ROOM_PREFIX } from '../core/limits.js'
import { normalizeRoom, SEALED_EMOJI, SEALED_EMOJI_KEPT, type WireAction } from '../core/message.js'
import { associatedData, dmRoom, isDmRoom, Keyring, NO_READERS, open, seal, type Readers } from './private.js'
import type { DirectView, MessageView } from './types.js'
import { fileText, fileView, fingerprint } from './views.js'
import { decodeSealedFile, isSealedFile, plainManifest, type SealedFile } from './sealed-file.js'

/** What a new own message becomes when it is private: its room, recipient and sealed text. */
export interface Sealed { room: string, to: string, text: '', sealed: Uint8Array }

/**
 * The engine's side of private conversations: seals what we write to one
 * peer, and opens what is for us as it is shown — in events and in history
 * alike. Messages stay sealed in the store and on the wire; a peer that is
 * not a party keeps and relays them but never shows them, not even that they
 * exist. A message for us that does not open (sealed to another key, or its
 * room not the pair's) is not shown either, and said once as an error.
 */
/** How many messages that did not open are remembered as said, and DM rooms noted and not yet looked at (junk from one peer must not grow either without end). */
const MAX_SAID = 10_000

export class Conversations {
  readonly #keys: Keyring
  readonly #self: string
  /** DM rooms we are a party of: room → the other peer and the name it last wrote under. */
  readonly #directs = new Map<string, { peerId: string, name: string }>()
  /** DM rooms found in a store or on the wire, not yet looked at. */
  readonly #unseen = new Set<string>()
  /** Messages whose failure to open was said (each once); forgotten past MAX_SAID, when at worst one is said again. */
  readonly #said = new Set<string>()

  /**
   * `server`: in client mode the hub's peer id: a server that numbers and relays, never a
   * person, so no direct message is sealed for it (it would be read by nobody).
   * `readers`: whose build opens a padded text (a DM to anyone else goes unpadded).
   */
  constructor (self: string, key: PrivateKey, readonly rooms: PrivateRooms, readonly complain: (err: Error) => void, readonly server: () => string | undefined = () => undefined, private readonly readers: Readers = NO_READERS) {
    this.#self = self
    this.#keys = new Keyring(self, key)
  }

  /**
   * What a new message becomes: sealed for one peer (`to`; UnknownRecipientError
   * if it cannot be) in the pair's room, sealed with an invite-only room's key
   * (NotAMemberError without one), or a public room's plain text.
   */
  content (room: string, text: string, to: string | undefined): { room: string, text: string, to?: string, sealed?: Uint8Array } {
    if (text.startsWith(CONTROL)) throw new InvalidMessageError('A message cannot start with a NUL character.')
    if (to !== undefined) return this.seal(to, text)
    const name = normalizeRoom(room)
    return isPrivateRoom(name) ? this.rooms.seal(name, text) : { room: publicRoom(name), text }
  }

  /** What a new message in a room we already write in becomes (an edit or a reaction goes where its target is). */
  contentIn (room: string, text: string): { room: string, text: string, to?: string, sealed?: Uint8Array } {
    const peer = this.peerOf(room)
    if (peer !== undefined) return this.seal(peer, text)
    return isPrivateRoom(room) ? this.rooms.seal(room, text) : { room: publicRoom(room), text }
  }

  /**
   * An edit, delete or reaction as it goes out in `room`: in a DM or an
   * invite-only room a reaction's emoji is sealed with its text and the plain
   * field says only SEALED_EMOJI (relays and the hub would read it otherwise),
   * or, for a removal that leaves another of the author's reactions on
   * (`othersOn`), SEALED_EMOJI_KEPT: an older peer keeps showing the lock.
   */
  wireAction (room: string, action: WireAction, othersOn = false): WireAction {
    if (action.emoji === undefined || !(isDmRoom(room) || isPrivateRoom(room))) return action
    return { ...action, emoji: action.kind === 'unreact' && othersOn ? SEALED_EMOJI_KEPT : SEALED_EMOJI }
  }

  /** Seal a text for `to`: the pair's room, the recipient and the ciphertext (padded when `to`'s build opens that). */
  seal (to: string, text: string): Sealed {
    this.#person(to)
    const room = dmRoom(this.#self, to)
    const sealed = seal(this.#keys.dmKey(to), text, associatedData({ room, author: this.#self, to }), this.readers.opensPadded(to))
    return { room, to, text: '', sealed }
  }

  /** A message as this peer may show it: opened, untouched (public), or undefined (not ours to see). */
  reveal (view: MessageView, live = false, notes = false): MessageView | undefined {
    const { sealed, ...rest } = view
    if (sealed === undefined) {
      // A tombstone of a private message lost its sealed text: shown only to those who could read it.
      if (view.deleted === true && view.to !== undefined && view.author !== this.#self && view.to !== this.#self) return undefined
      if (view.deleted === true && isPrivateRoom(view.room) && this.rooms.keysOf(view.room) === undefined) return undefined
      return view
    }
    const to = view.to
    if (to === undefined) {
      // An invite-only room's message: opened with the room's keys, if we have them; controls are never shown.
      if (!isPrivateRoom(view.room)) return undefined
      const opened = this.rooms.open(view, sealed, live)
      if (opened === undefined) return undefined
      if ('control' in opened) {
        // With `notes`, a change of members or name, as the room took it, is a line of the timeline.
        const note = notes ? this.rooms.noteOf(view, opened.control) : undefined
        return note === undefined ? undefined : { ...rest, text: '', private: true, note }
      }
      if (blank(rest, opened.text)) {
        if (live) this.complain(blankError(view))
        return undefined
      }
      const shown = dress(rest, opened.text)
      return shown !== undefined && opened.refused === true ? { ...shown, refused: true } : shown
    }
    if (view.author !== this.#self && to !== this.#self) return undefined
    const other = view.author === this.#self ? to : view.author
    try {
      if (view.room !== dmRoom(this.#self, other)) throw new UnreadableMessageError('a direct message outside its conversation')
      const text = open(this.#keys.dmKey(other), sealed, associatedData({ room: view.room, author: view.author, to }))
      if (text.startsWith(CONTROL) && !isSealedFile(text)) {
        // A room's new key, handed over in a DM: taken (from the room's creator only), never shown.
        const control = parseControl(text)
        if (live && control !== undefined) this.rooms.fromDirect(view, control)
        return undefined
      }
      if (blank(rest, text)) throw blankError(view)
      const shown = dress(rest, text)
      if (shown !== undefined) this.#remember(view.room, other, view.author === other ? view.name : undefined)
      return shown
    } catch (err) {
      if (live && !this.#said.has(view.id)) {
        if (this.#said.size >= MAX_SAID) this.#said.clear()
        this.#said.add(view.id)
        this.complain(err as Error)
      }
      return undefined
    }
  }

  /**
   * The sealed description of the file a private message shares (its real
   * name, size and key), when it is ours to open; undefined otherwise.
   */
  sealedFile (view: MessageView): SealedFile | undefined {
    const { sealed, to } = view
    if (sealed === undefined) return undefined
    let text: string
    try {
      if (to === undefined) {
        if (!isPrivateRoom(view.room)) return undefined
        const opened = this.rooms.open(view, sealed, false)
        if (opened === undefined || !('text' in opened)) return undefined
        text = opened.text
      } else {
        if (view.author !== this.#self && to !== this.#self) return undefined
        const other = view.author === this.#self ? to : view.author
        if (view.room !== dmRoom(this.#self, other)) return undefined
        text = open(this.#keys.dmKey(other), sealed, associatedData({ room: view.room, author: view.author, to }))
      }
    } catch {
      return undefined
    }
    return decodeSealedFile(text)
  }

  /** A DM room named by a store or a delivery: looked at when the conversations are listed. */
  noteRoom (room: string): void {
    if (!isDmRoom(room) || this.#directs.has(room) || this.#unseen.has(room)) return
    this.#unseen.add(room)
    // Other pairs' rooms pass through a mesh too, and a host may never list: past MAX_SAID, the one noted longest ago goes
    // (ours are kept in the data directory's list of conversations, and one of ours said anew opens as it arrives).
    if (this.#unseen.size > MAX_SAID) this.#unseen.delete(this.#unseen.values().next().value!)
  }

  /**
   * Our conversations. Rooms not yet looked at are opened through `latest`
   * (a room's newest messages: the newest may be a key handed over, which is
   * never shown); those we are no party of are dropped for good.
   */
  list (latest: (room: string) => MessageView[], nameOf: (peerId: string) => string | undefined): DirectView[] {
    for (const room of this.#unseen) {
      this.#unseen.delete(room)
      const views = latest(room)
      for (let i = views.length - 1; i >= 0 && !this.#directs.has(room); i--) this.reveal(views[i]!)
    }
    return [...this.#directs].map(([room, d]) => ({
      peerId: d.peerId, name: nameOf(d.peerId) ?? d.name, fingerprint: fingerprint(d.peerId), room
    }))
  }

  /** Our conversation with `peerId`, started if it is new (UnknownRecipientError for a peer that cannot have one). */
  open (peerId: string, name: string | undefined): DirectView {
    this.#person(peerId)
    this.#keys.dmKey(peerId)
    const room = dmRoom(this.#self, peerId)
    this.#remember(room, peerId, name)
    return { peerId, name: name ?? this.#directs.get(room)!.name, fingerprint: fingerprint(peerId), room }
  }

  #person (peerId: string): void {
    if (peerId === this.server()) throw new UnknownRecipientError('That is the hub: a server that numbers and relays messages, not a person. Write to another client.')
  }

  /** The peer a DM room is with, when it is one of ours. */
  peerOf (room: string): string | undefined { return this.#directs.get(room)?.peerId }

  #remember (room: string, peerId: string, name: string | undefined): void {
    const known = this.#directs.get(room)
    if (known === undefined) this.#directs.set(room, { peerId, name: name ?? '' })
    else if (name !== undefined && name !== '') known.name = name
    this.#unseen.delete(room)
  }

  forget (): void {
    this.#directs.clear()
    this.#unseen.clear()
  }
}

/** A room a user may name (send to, join): DM rooms are reached through `to`, invite-only ones with an invite. */
export function publicRoom (room: string): string {
  const name = normalizeRoom(room)
  if (isPrivateRoom(name)) throw new NotAMemberError(`You are not in ${name}: join it with an invite code.`)
  if (isDmRoom(name)) throw new InvalidRoomError(`room names starting with "${DM_ROOM_PREFIX}" are kept for direct messages: send with "to" instead`)
  return name
}

/**
 * An opened private message as it is shown: its text, or for a file its
 * caption and the file's real name, type, size and thumbnail (the public
 * manifest describes only ciphertext). A file description without a file,
 * or a malformed one, is not shown.
 */
/**
 * A private text that opens blank (empty, or spaces alone; padded, it seals to a whole bucket like
 * any other): never sent (checkText refuses it), so not shown either, as a blank public text is
 * dropped on the wire. Only a relay cannot tell, so it is kept and passed on like any ciphertext.
 * An action's text is checked as the action (validateAction), a file's description is no text.
 */
function blank (rest: Omit<MessageView, 'sealed'>, text: string): boolean {
  return rest.action === undefined && text.trim().length === 0 && !isSealedFile(text)
}

function blankError (view: MessageView): InvalidMessageError {
  return new InvalidMessageError(`a private message from ${view.name || view.author.slice(-8)} that opens to a blank text: it is not shown`)
}

function dress (rest: Omit<MessageView, 'sealed'>, text: string): MessageView | undefined {
  // A reaction's emoji is its sealed text: the plain field says SEALED_EMOJI (older peers put the emoji in both).
  if (rest.action?.emoji !== undefined) return { ...rest, action: { ...rest.action, emoji: text }, text, private: true }
  if (!isSealedFile(text)) return { ...rest, text, private: true }
  const f = decodeSealedFile(text)
  if (f === undefined || rest.file === undefined) return undefined
  return { ...rest, text: fileText(f.text, f.name), file: fileView({ ...plainManifest(f), sha256: rest.file.sha256 }), private: true }
}
