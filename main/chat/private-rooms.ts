import { createHash, randomBytes } from 'node:crypto'
import { PRIVATE_ROOM_PREFIX } from '../core/limits.js'
import { normalizeName } from '../core/message.js'
import { readInvite, writeInvite, type Invite } from '../core/invite.js'
import { INVITED_MAX, type KeyChange, type RoomKeys, type RoomKeyStore } from '../store/room-keys.js'
import { InvalidInviteError, NotAMemberError, NotRoomOwnerError, OldInviteError, UnreadableMessageError } from './errors.js'
import { associatedData, NO_READERS, openBytes, seal, textOf, type Readers } from './private.js'
import type { MessageView, RoomNote } from './types.js'
import { isSealedFile } from './sealed-file.js'

/**
 * Invite-only rooms. A room is `pr:` and a random id, with a random 32-byte
 * key; its name, creator and keys travel only in invite codes, so whoever
 * has a code can join and nobody else can read a word. Messages are sealed
 * with the room's newest key (XChaCha20-Poly1305, see private.ts), bound to
 * the room and their author.
 *
 * Membership is said inside the room, sealed: a `join` when someone enters,
 * a `remove` when the creator removes someone. After a removal the creator
 * makes a new key and hands it to each remaining member in a direct message
 * (a `rekey`, sealed for that member alone), and seals what it writes with
 * it; the removed member keeps the old keys, so it still reads what came
 * before and nothing after. Only the creator's removals and rekeys count: a
 * member's, or a stranger's, is refused with NotRoomOwnerError. A member
 * who leaves says so (a `leave`) and the creator rekeys the same way; had it
 * kept its keys, what it seals with them afterwards is refused, and only a
 * key made after it left (a new invite) brings it back on the list. The
 * creator may rename the room (a `rename`; the latest by Lamport time wins).
 * "Afterwards" is never a Lamport time, which is its author's own say: it is
 * the hub's numbers in client–server mode, and in P2P the author's own chain
 * (its messages numbered 1, 2, 3…): a removal names the highest number of the
 * removed member's the creator had, and a leave is in the leaver's chain.
 *
 * Control messages are texts that start with a NUL character followed by
 * JSON; people cannot send such a text, and they are never shown.
 */

export const CONTROL = '\u0000'
/** Room messages held until a key opens them (PrivateRooms.#waiting), at most, and their sealed bytes. */
export const WAITING_MAX = 1000
export const WAITING_MAX_BYTES = 4 * 1024 * 1024

export type Control =
  | { t: 'join' }
  | { t: 'leave' }
  /** `upTo`: the highest number of the removed member's own chain the creator had (RoomKeys.goneUpTo). */
  | { t: 'remove', peer: string, upTo?: number }
  | { t: 'rekey', room: string, name: string, creator: string, keys: string[] }
  | { t: 'rename', name: string }
  /** The creator invites `peer`, whom it had removed, back in: sealed with the key it made for that, which only the members and `peer`'s invite carry. */
  | { t: 'back', peer: string }

export function isPrivateRoom (room: string): boolean { return room.startsWith(PRIVATE_ROOM_PREFIX) }

import type { PrivateRoomView } from './types.js'
export type { PrivateRoomView }

export function encodeInvite (room: string, k: RoomKeys): string {
  return writeInvite({ v: 1, room, name: k.name, creator: k.creator, keys: k.keys })
}

/** The creator's invite for `peer`, whom it removed and lets back (RoomKeys.back): the keys from the one made for that on, none from while it was out. */
export function encodeReinvite (room: string, k: RoomKeys, peer: string): string {
  const from = k.back?.[peer]?.key ?? k.keys.length - 1
  return writeInvite({ v: 1, room, name: k.name, creator: k.creator, keys: k.keys.slice(from), back: peer })
}

export function decodeInvite (code: string): Invite {
  const invite = readInvite(code)
  if (typeof invite === 'string') throw new InvalidInviteError(`That is not a LAN Chat invite code: ${invite}.`)
  return invite
}

const hexKey = (k: string): Uint8Array => Buffer.from(k, 'hex')
/** What is noted of a key of a room we left (LeftRoom): its SHA-256, which tells it again and opens nothing. */
const keyPrint = (k: string): string => createHash('sha256').update(hexKey(k)).digest('hex')

/** What PrivateRooms tells its engine, each as it happens (none: ignored). */
export interface RoomSignals {
  /** Bad input from a member (a forged removal, a message that does not open). */
  complain?: (err: Error) => void
  /**
   * A member left a room we created. The creator then hands the others a new
   * key (Memberships.rekey), so the member list stays who can read what is
   * written next, whether or not the one who left forgot its keys.
   */
  left?: (room: string, peer: string) => void
  /** A room's name or members changed. */
  changed?: (room: string) => void
  /** The creator removed `peer` (another member than us): heard now, told before `changed`. */
  removed?: (room: string, peer: string) => void
  /** A room we created owes newer keys to a member heard of only after a change, who was in before it (`keysOwed`, Memberships.handOver). */
  late?: (room: string) => void
  /**
   * New keys (`fresh`) of a room arrived while something there waited for
   * one: what no key opened before may open now, held in memory
   * (`takeWaiting`) or, held before a restart, found again in the room's
   * history (`sealedWith`).
   */
  keyed?: (room: string, fresh: readonly string[]) => void
  /**
   * The creator's invite back of `peer` (another member than us), heard now: what `peer` wrote on
   * its return and we heard first was refused then; the engine hands it to `rejoined`.
   */
  back?: (room: string, peer: string) => void
}

export class PrivateRooms {
  readonly #on: Required<RoomSignals>

  /**
   * `forkFloor`: where an author's chain forked (the lowest number two of its
   * messages share), if it did (P2P: Ordering.forkFloor). `readers`: whose
   * build opens a padded text (a room with any other member, or anyone invited, is sealed unpadded).
   */
  constructor (private readonly self: string, private readonly store: RoomKeyStore, on: RoomSignals = {}, private readonly forkFloor: (author: string) => number | undefined = () => undefined, private readonly readers: Readers = NO_READERS) {
    const signals = { complain: () => {}, left: () => {}, changed: () => {}, removed: () => {}, late: () => {}, keyed: () => {}, back: () => {}, ...on }
    // While a late joiner learns the room's past (`learn`), nothing of it is news: no complaint, no change, no taking back.
    this.#on = {
      ...signals,
      complain: err => { if (!this.#learning) signals.complain(err) },
      changed: room => { if (!this.#learning) signals.changed(room) },
      removed: (room, peer) => { if (!this.#learning) signals.removed(room, peer) }
    }
  }

  #learning = false

  /**
   * A room we just joined, as it was before we held its keys: its messages
   * (stored sealed, oldest first) taken in as if heard as they came, so the
   * members who joined or wrote are listed, and the creator's removals and
   * members' leaves are known (an invite carries the old keys too, so what a
   * removed member seals with one later is refused here as everywhere).
   */
  learn (room: string, views: Iterable<MessageView>): void {
    if (this.store.get(room) === undefined) return
    this.#learning = true
    try {
      for (const view of views) {
        if (view.room === room && view.to === undefined && view.sealed !== undefined) this.open(view, view.sealed, true)
      }
    } finally {
      this.#learning = false
    }
    this.#on.changed(room)
  }

  /**
   * Room messages no key of ours opened, as they arrived, newest last: a key
   * handed over later (a member heard of late, Memberships.handOver) opens
   * them, and they are announced then. Bounded (WAITING_MAX, WAITING_MAX_BYTES;
   * the oldest go first): what falls out is still in the history.
   */
  readonly #waiting = new Map<string, MessageView[]>()
  #waitingCount = 0
  #waitingBytes = 0

  create (name: string): string {
    const room = PRIVATE_ROOM_PREFIX + randomBytes(12).toString('hex')
    this.store.set(room, { name: normalizeName(name), creator: this.self, keys: [randomBytes(32).toString('hex')] })
    return room
  }

  /** Take an invite's keys; an invite to a room that removed us, or one made before we left it, is refused. */
  accept (code: string): string {
    const invite = decodeInvite(code)
    const refused = this.refusal(invite)
    if (refused !== undefined) throw new NotAMemberError(refused)
    const known = this.store.get(invite.room)
    const left = known === undefined ? this.store.leftRoom(invite.room) : undefined
    if (left !== undefined) this.store.clearLeft(invite.room)
    // Back after leaving a room we had been invited back into: as before we left (refusal saw the code holds the key we came back with).
    const wasBack = left?.back !== undefined ? invite.keys.findIndex(key => keyPrint(key) === left.back!.key) : -1
    if (left?.back !== undefined && wasBack >= 0) {
      const { key: _print, ...removal } = left.back
      const keys = invite.keys.filter((key, i) => i >= wasBack || left.keys.includes(keyPrint(key)))
      this.store.set(invite.room, { name: invite.name, creator: invite.creator, keys, removedBack: keys.indexOf(invite.keys[wasBack]!), ...removal })
      return invite.room
    }
    const keys = [...new Set([...(known?.keys ?? []), ...this.#takeable(known, invite.keys)])]
    if (known?.removed === true) {
      // The creator's invite back (refusal let it through): what we seal with its key from now on is ours again; the removal stays on record.
      const { removed: _back, ...rest } = known
      this.store.set(invite.room, { ...rest, keys, removedBack: known.keys.length })
      this.#on.changed(invite.room)
      return invite.room
    }
    if (known === undefined) {
      this.store.set(invite.room, { name: invite.name, creator: invite.creator, keys })
      return invite.room
    }
    // A room we are in, and a code with keys we lacked: what we knew of it stays (whom we sent its invite, who is in, left or was
    // removed, our invite back, else the room's past, learnt again, would remove us anew); the keys come after ours. What waited
    // for a key is tried again with them, as when the creator hands keys over (and held again, and noted, if it still does not open).
    const { waitingForKey: _tried, ...kept } = known
    this.store.set(invite.room, { ...kept, keys })
    const fresh = keys.filter(key => !known.keys.includes(key))
    if (fresh.length > 0 && (this.#waiting.has(invite.room) || known.waitingForKey === true)) this.#on.keyed(invite.room, fresh)
    return invite.room
  }

  /** The keys of `invite` we lack and would take (#takeable): none, and a room we are in changes nothing. */
  fresh (invite: Invite): string[] {
    const known = this.store.get(invite.room)
    return this.#takeable(known, invite.keys).filter(key => known?.keys.includes(key) !== true)
  }

  /**
   * Of `keys` (a code's or a handover's, oldest first), those we may take:
   * all, but once the creator invited us back (RoomKeys.removedBack) only
   * those from the key it did so with on. The ones listed before it we had
   * before our removal, or were made while we were out: another member's
   * code, or the creator's next handover, carries them, and the creator
   * chose that we should not read what was said then.
   */
  #takeable (k: RoomKeys | undefined, keys: readonly string[]): readonly string[] {
    const back = k?.removedBack !== undefined ? k.keys[k.removedBack] : undefined
    if (back === undefined) return keys
    const from = keys.indexOf(back)
    return from < 0 ? [] : keys.slice(from)
  }

  /**
   * Why `invite` would not let us in, or undefined when it would: the room
   * removed us, or we left it after the invite was made (the creator refuses
   * what we seal with the keys we had then: only a newer key lets us back).
   */
  refusal (invite: Invite): string | undefined {
    const known = this.store.get(invite.room)
    // Only the creator's invite back, made for us after the removal (it brings a key we lack), lets a removed member in.
    const back = invite.back === this.self && invite.creator === (known?.creator ?? invite.creator)
    if (known?.removed === true && !(back && invite.keys.some(key => !known.keys.includes(key)))) return `You were removed from "${known.name}": this invite no longer lets you in.`
    const left = known === undefined ? this.store.leftRoom(invite.room) : undefined
    if (left === undefined) return undefined
    if (left.removed === true && !(back && invite.keys.some(key => !left.keys.includes(keyPrint(key))))) return `You were removed from "${left.name}": this invite no longer lets you in.`
    if (invite.keys.every(key => left.keys.includes(keyPrint(key)))) return `You left "${left.name}" after this invite was made, so it no longer lets you in: ask a member for a new one.`
    // Invited back before we left: a code without the key we came back with was made before that, while we were out.
    if (left.back !== undefined && !invite.keys.some(key => keyPrint(key) === left.back!.key)) return `This invite to "${left.name}" was made while you were out of it, so it does not let you in: ask a member for a new one.`
    return undefined
  }

  /**
   * The room's invite code; for `to`, one the creator removed and invited back, only the keys
   * from its return on (encodeReinvite), whoever sends it: it stays blind to what was said while it was out.
   */
  invite (room: string, to?: string): string {
    const k = this.#member(room)
    return to !== undefined && k.back?.[to] !== undefined ? encodeReinvite(room, k, to) : encodeInvite(room, k)
  }

  /**
   * We are sending `peer` the room's invite in a direct message: noted
   * before it goes (RoomKeys.invited), so the creator knows it let them in
   * however late it hears their join, and no window offers them another.
   */
  invited (room: string, peer: string): void {
    const k = this.#member(room)
    if (k.invited?.includes(peer) === true || k.seen?.includes(peer) === true && k.left?.[peer] === undefined) return
    this.store.set(room, { ...k, invited: [...k.invited ?? [], peer].slice(-INVITED_MAX) })
    this.#on.changed(room)
  }

  /** The invite to `peer` could not go (not a peer, the disk): not noted after all. */
  uninvite (room: string, peer: string): void {
    const k = this.store.get(room)
    if (k?.invited?.includes(peer) !== true) return
    this.store.set(room, withoutInvited(k, peer))
    this.#on.changed(room)
  }

  keysOf (room: string): RoomKeys | undefined { return this.store.get(room) }
  rooms (): string[] { return this.store.rooms() }

  /**
   * Seal a text (or a control) for a room we are in, with its newest key: padded when every
   * member and everyone we invited (who will read it once in) is known to open that.
   */
  seal (room: string, text: string): { room: string, text: '', sealed: Uint8Array } {
    const k = this.#member(room)
    const readers = new Set([...this.members(room), ...k.invited ?? []])
    readers.delete(this.self)
    const padded = [...readers].every(peer => this.readers.opensPadded(peer))
    return { room, text: '', sealed: seal(hexKey(k.keys[k.keys.length - 1]!), text, associatedData({ room, author: this.self }), padded) }
  }

  /** The creator will hand the members a new key: kept until `paid`, so a crash before that does not lose it. */
  owe (room: string): void {
    const k = this.#member(room)
    if (k.rekeyOwed !== true) this.store.set(room, { ...k, rekeyOwed: true })
  }

  /** Each member has been handed the new key (or it waits on disk to go). */
  paid (room: string): void {
    const k = this.store.get(room)
    if (k?.rekeyOwed !== true) return
    const { rekeyOwed: _paid, ...rest } = k
    this.store.set(room, rest)
  }

  /** The members of a room we created who are owed its newer keys (heard of late, in before a change). */
  keysOwed (room: string): string[] { return this.store.get(room)?.keysOwedTo ?? [] }

  /** Members of a room we created who joined with an invite from before a change of members, and read nothing since (RoomKeys.oldInvite). */
  oldInvites (room: string): string[] { return this.store.get(room)?.oldInvite ?? [] }

  /** The creator gives these members the room's keys: no longer marked, and owed them like a member heard of late (Memberships.handOver pays). */
  giveKeys (room: string, members: readonly string[]): void {
    const k = this.store.get(room)
    if (k === undefined) return
    const owed = [...new Set([...k.keysOwedTo ?? [], ...members])]
    this.store.set(room, { ...withoutOldInvite(k, members), keysOwedTo: owed })
  }

  /** The rooms that owe some member their newer keys. */
  owingKeys (): string[] { return this.store.rooms().filter(r => this.keysOwed(r).length > 0) }

  /** These members have been handed the keys (or they wait on disk to go). */
  keysSent (room: string, members: readonly string[]): void {
    const k = this.store.get(room)
    if (k?.keysOwedTo === undefined) return
    const rest = k.keysOwedTo.filter(m => !members.includes(m))
    const { keysOwedTo: _sent, ...other } = k
    this.store.set(room, rest.length > 0 ? { ...other, keysOwedTo: rest } : other)
  }

  /** The rooms whose creator (us) still owes their members a new key. */
  owed (): string[] { return this.store.rooms().filter(r => this.store.get(r)?.rekeyOwed === true && this.store.get(r)?.removed !== true) }

  /** A new key for the room (the creator only): sealed with from now on. */
  rekey (room: string): RoomKeys {
    const k = this.#member(room)
    if (k.creator !== this.self) throw new NotRoomOwnerError(`Only the creator of "${k.name}" can remove members.`)
    const next = { ...k, keys: [...k.keys, randomBytes(32).toString('hex')] }
    this.store.set(room, next)
    return next
  }

  /**
   * The creator names the room anew (InvalidMessageError for a blank or
   * overlong name): applied here now, and the control that tells the
   * members, sealed, to send. The creator's renames reach them in the order
   * it made them.
   */
  rename (room: string, name: string): { room: string, text: '', sealed: Uint8Array } {
    const k = this.#member(room)
    if (k.creator !== this.self) throw new NotRoomOwnerError(`Only the creator of "${k.name}" can rename it.`)
    const named = normalizeName(name)
    this.store.set(room, { ...k, name: named })
    return this.seal(room, controlText({ t: 'rename', name: named }))
  }

  /**
   * Open a room message: its text, a control (applied when `live`), or
   * undefined for a room we are not in or a message no key of ours opens.
   */
  open (view: MessageView, sealed: Uint8Array, live: boolean): { text: string, refused?: true } | { control: Control } | undefined {
    const k = this.store.get(view.room)
    if (k === undefined) return undefined
    const aad = associatedData({ room: view.room, author: view.author })
    for (let index = k.keys.length - 1; index >= 0; index--) {
      let plain: Uint8Array
      try { plain = openBytes(hexKey(k.keys[index]!), sealed, aad) } catch { continue }
      // A removed member still has the old keys: what it writes after its removal is refused (unless sealed with a key it was invited back with).
      if (this.#removedThen(k, view, index)) {
        if (live) this.#on.complain(new NotAMemberError(`${view.name} was removed from "${k.name}": a later message from them is refused`))
        return undefined
      }
      // One who left and kept the keys it had: what it writes later with them is refused; a new invite's key lets it back.
      if (this.#stale(k, view, index)) {
        if (live) this.#on.complain(new NotAMemberError(`${view.name} left "${k.name}": a later message sealed with a key from before is refused`))
        return undefined
      }
      // Sealed with a key of the room, so by a member, but no text (padded wrong, not UTF-8): refused as that, not held for a key that would never come.
      let text: string
      try {
        text = textOf(plain)
      } catch {
        if (live) this.#on.complain(new UnreadableMessageError(`a message in "${k.name}" from ${view.name} that opens with the room's key but is not a text: it is not shown`, view.room))
        return undefined
      }
      // A file's description (sealed-file.ts) is a control by its shape, but a message people see.
      if (!text.startsWith(CONTROL) || isSealedFile(text)) {
        if (live) this.#saw(view, index)
        // Ours, after our removal (we wrote it before we heard): the members refuse it, as above.
        if (view.author === this.self && ownAfterRemoval(view, k, this.forkFloor(view.author), index)) return { text, refused: true }
        return { text }
      }
      const control = parseControl(text)
      if (control === undefined) return undefined
      if (live) {
        if (control.t === 'join') this.#saw(view, index)
        this.#apply(view, control, index)
      }
      return { control }
    }
    // After a removal everything new is sealed with keys we never get: that is the point, not an error.
    // The room's past, learnt as we join, waits too (an invite from before a change of members lacks the newer
    // keys, which the creator may give), quietly; not for one invited back, who never gets those of while it was out.
    if (live && k.removed !== true && !(this.#learning && k.removedBack !== undefined)) {
      this.#hold(view, sealed.length)
      this.#on.complain(new UnreadableMessageError(`a message in "${k.name}" that no key of the room we hold opens: it shows if its key reaches us; otherwise it was not sealed by a member`, view.room))
    }
    return undefined
  }

  /**
   * The note of the timeline a room's control is (RoomNote), when the room
   * took it: a join or a leave by anyone but the creator, a removal, an
   * invite back or a rename by the creator; undefined for one it refused (a member's forged
   * removal) or never shows (a key handed over).
   */
  noteOf (view: MessageView, control: Control): RoomNote | undefined {
    const creator = this.store.get(view.room)?.creator
    if (creator === undefined) return undefined
    switch (control.t) {
      case 'join': return { t: 'join' }
      case 'leave': return view.author === creator ? undefined : { t: 'leave' }
      case 'remove': return view.author === creator && control.peer !== creator ? { t: 'remove', peer: control.peer } : undefined
      case 'rename': return view.author === creator ? { t: 'rename', name: control.name } : undefined
      case 'back': return view.author === creator && control.peer !== creator ? { t: 'back', peer: control.peer } : undefined
      default: return undefined
    }
  }

  /**
   * The authors of `room` whose words the room judges by when they wrote them (every member the creator
   * removed, also one invited back since, and every one who left), each with what it is judged by, as
   * one string. Only their edits, deletes, reactions and pins can count differently after a change of
   * members, and only those of an author whose string changed (the engine reads those in again:
   * Engine#retake); a rename, an invite or a new key judges nobody anew.
   */
  judged (room: string): Map<string, string> {
    const k = this.store.get(room)
    const out = new Map<string, string>()
    if (k === undefined) return out
    for (const a of new Set([...Object.keys(k.gone ?? {}), ...Object.keys(k.earlier ?? {}), ...Object.keys(k.left ?? {})])) {
      out.set(a, JSON.stringify([k.gone?.[a], k.goneAt?.[a], k.goneUpTo?.[a], k.back?.[a], k.earlier?.[a], k.left?.[a], k.leftKey?.[a], k.leftSeq?.[a], this.forkFloor(a)]))
    }
    return out
  }

  /** Whether a room message is from a member the room removed, written after the removal: the members refuse it. */
  afterRemoval (view: MessageView): boolean {
    const k = this.store.get(view.room)
    if (k === undefined || (k.gone?.[view.author] === undefined && k.earlier?.[view.author] === undefined)) return false
    // When it was written first, read from the message itself: one from before every removal (most of what a removed
    // member wrote, all read when a removal is heard: Engine#refuseLater) is judged without trying the room's keys on it.
    // The oldest key index, -1, is the one that makes a removal count the most.
    if (!this.#removedThen(k, view, -1)) return false
    return this.#removedThen(k, view, this.#keyIndex(k, view))
  }

  /**
   * Whether `view`, sealed with key `index`, is from a member the room had
   * removed when it wrote it: after its removal, and sealed with a key older
   * than the one the creator invited it back with (if it did); or so for an
   * earlier removal of it.
   */
  #removedThen (k: RoomKeys, view: MessageView, index: number): boolean {
    const author = view.author
    const floor = this.forkFloor(author)
    const gone = k.gone?.[author]
    const back = k.back?.[author]
    if (gone !== undefined && (back === undefined || index < back.key) && afterRemoval(view, gone, k.goneAt?.[author], k.goneUpTo?.[author], floor)) return true
    return (k.earlier?.[author] ?? []).some(w => index < w.key && afterRemoval(view, w.lamport, w.at, w.upTo, floor))
  }

  /** The index of the key that opens a room message (-1: none of ours, read as the oldest). */
  #keyIndex (k: RoomKeys, view: MessageView): number {
    if (view.sealed === undefined) return -1
    const aad = associatedData({ room: view.room, author: view.author })
    for (let index = k.keys.length - 1; index >= 0; index--) {
      try { openBytes(hexKey(k.keys[index]!), view.sealed, aad); return index } catch { /* an older key, perhaps */ }
    }
    return -1
  }

  /**
   * Whether a room message is sealed with one of `keys` (hex): with keys
   * only just given, one no key of ours opened before, so never shown.
   */
  sealedWith (view: MessageView, keys: readonly string[]): boolean {
    if (view.sealed === undefined || view.to !== undefined || !isPrivateRoom(view.room)) return false
    const aad = associatedData({ room: view.room, author: view.author })
    return keys.some(key => {
      try { openBytes(hexKey(key), view.sealed!, aad); return true } catch { return false }
    })
  }

  /** What no key of `room` opened since the last call (see #waiting), to try again with its new keys. */
  takeWaiting (room: string): MessageView[] {
    const held = this.#waiting.get(room) ?? []
    this.#waiting.delete(room)
    this.#waitingCount -= held.length
    for (const v of held) this.#waitingBytes -= v.sealed?.length ?? 0
    return held
  }

  /** Whether some message of `room` waits for a key we do not hold (#waiting, or noted before a restart). */
  unreadable (room: string): boolean { return this.#waiting.has(room) || this.store.get(room)?.waitingForKey === true }

  #hold (view: MessageView, bytes: number): void {
    const held = this.#waiting.get(view.room) ?? []
    held.push(view)
    this.#waiting.set(view.room, held)
    if (held.length === 1) {
      const k = this.store.get(view.room)
      if (k !== undefined && k.waitingForKey !== true) this.store.set(view.room, { ...k, waitingForKey: true })
      this.#on.changed(view.room)
    }
    this.#waitingCount++
    this.#waitingBytes += bytes
    while (this.#waitingCount > WAITING_MAX || this.#waitingBytes > WAITING_MAX_BYTES) {
      const [room, oldest] = this.#waiting.entries().next().value as [string, MessageView[]]
      const dropped = oldest.shift()!
      this.#waitingCount--
      this.#waitingBytes -= dropped.sealed?.length ?? 0
      if (oldest.length === 0) this.#waiting.delete(room)
    }
  }

  /**
   * Our own join or removal, as it went out: applied now, as a peer applies
   * it when it comes back from the mesh, rather than when a hub numbers it
   * (client-server), so the member list says what we did even while the
   * hub is away. Its return changes nothing (it is the same message).
   */
  applyOwn (view: MessageView, control: Control): void {
    const k = this.store.get(view.room)
    if (k === undefined || view.author !== this.self) return
    if (control.t === 'join') this.#saw(view, k.keys.length - 1)
    else if (control.t === 'remove' || control.t === 'back') this.#apply(view, control, k.keys.length - 1)
  }

  /** A control that came in a direct message (a rekey): taken from the room's creator only. */
  fromDirect (view: MessageView, control: Control): void {
    if (control.t !== 'rekey') return
    const k = this.store.get(control.room)
    if (k === undefined || k.removed === true) return
    if (view.author !== k.creator) {
      this.#on.complain(new NotRoomOwnerError(`${view.name} sent new keys for "${k.name}", which only its creator can do: ignored`))
      return
    }
    if (!Array.isArray(control.keys) || !control.keys.every(key => typeof key === 'string' && /^[0-9a-f]{64}$/.test(key))) return
    // The creator hands over every key it has: one it invited back takes those from its return on (#takeable).
    const taken = new Set([...k.keys, ...this.#takeable(k, control.keys)])
    const fresh = [...taken].filter(key => !k.keys.includes(key))
    if (fresh.length === 0) return
    // What waited is tried again with them (and held again, and noted, if it still does not open).
    const { waitingForKey: _tried, ...rest } = k
    this.store.set(control.room, inOrder(rest, [...new Set(control.keys)].filter(key => taken.has(key))))
    if (this.#waiting.has(control.room) || k.waitingForKey === true) this.#on.keyed(control.room, fresh)
    this.#on.changed(control.room)
  }

  /** A new name from the creator, newer than the one we have (a blank or overlong one is refused, as at creation). */
  #rename (view: MessageView, k: RoomKeys, name: unknown): void {
    if (view.author !== k.creator) {
      this.#on.complain(new NotRoomOwnerError(`${view.name} tried to rename "${k.name}", which only its creator can do: ignored`))
      return
    }
    if (view.author === this.self || typeof name !== 'string' || (k.renamed ?? -1) >= view.lamport) return
    let named: string
    try { named = normalizeName(name) } catch (err) { this.#on.complain(err as Error); return }
    this.store.set(view.room, { ...k, name: named, renamed: view.lamport })
    this.#on.changed(view.room)
  }

  /** Who is in: the creator and whoever joined or wrote, minus whom the creator removed (what they write later is refused) and who left. */
  members (room: string): string[] {
    const k = this.#member(room, true)
    const members = new Set([k.creator, ...k.seen ?? []])
    // One invited back is listed again once it joins (`seen` anew).
    for (const gone of Object.keys(k.gone ?? {})) if (gone !== k.creator && k.back?.[gone] === undefined) members.delete(gone)
    for (const left of Object.keys(k.left ?? {})) members.delete(left)
    return [...members]
  }

  /** Forget a room we leave: its keys go, so nothing in it opens here any more (a new invite lets us back in). */
  /** We left the room: its keys are forgotten, and which they were is noted (LeftRoom), so an invite from before is refused. */
  forget (room: string): void {
    const k = this.store.get(room)
    if (k === undefined) return
    const back = k.removed !== true && k.removedBack !== undefined
      ? {
          back: {
            key: keyPrint(k.keys[k.removedBack]!),
            ...(k.removedAt !== undefined ? { removedAt: k.removedAt } : {}),
            ...(k.removedSeq !== undefined ? { removedSeq: k.removedSeq } : {}),
            ...(k.removedUpTo !== undefined ? { removedUpTo: k.removedUpTo } : {})
          }
        }
      : {}
    this.store.noteLeft(room, { name: k.name, keys: k.keys.map(keyPrint), ...(k.removed === true ? { removed: true as const } : {}), ...back })
    this.store.delete(room)
  }

  /**
   * Someone joined or wrote (sealed with key `index`): a member from now on
   * (kept with the keys, written once per member); one who had left is back.
   * One the creator hears of only now, with a key a change retired, is owed
   * the newer keys if it was in before that change (#late).
   */
  #saw (view: MessageView, index: number): void {
    let k = this.store.get(view.room)
    if (k === undefined) return
    // Sent an invite by us: used now (vouched for, below, when we created the room).
    const invited = k.invited?.includes(view.author) === true
    if (invited) {
      k = withoutInvited(k, view.author)
      this.store.set(view.room, k)
    }
    const left = k.left?.[view.author]
    const leftSeq = k.leftSeq?.[view.author]
    if (left !== undefined && (leftSeq !== undefined && view.authorSeq !== undefined ? view.authorSeq > leftSeq : view.lamport > left)) {
      const { [view.author]: _back, ...others } = k.left!
      const { [view.author]: _key, ...otherKeys } = k.leftKey ?? {}
      const { [view.author]: _seq, ...otherSeqs } = k.leftSeq ?? {}
      k = { ...k, left: others, leftKey: otherKeys, leftSeq: otherSeqs }
      this.store.set(view.room, k)
    }
    if (k.seen?.includes(view.author) === true) {
      // One who joined with an old invite, now sealing with the newest key (a new invite): it reads the room.
      const keyed = k.oldInvite?.includes(view.author) === true && index === k.keys.length - 1
      if (keyed) this.store.set(view.room, withoutOldInvite(k, [view.author]))
      if (keyed || left !== k.left?.[view.author]) this.#on.changed(view.room)
      return
    }
    const late = this.#late(k, view, index, invited) ?? this.#afterOneBack(k, view)
    const owed = late === 'owed' ? { keysOwedTo: [...k.keysOwedTo ?? [], view.author] } : {}
    const old = late === 'old invite' ? { oldInvite: [...k.oldInvite ?? [], view.author] } : {}
    this.store.set(view.room, { ...k, seen: [...k.seen ?? [], view.author], ...owed, ...old })
    this.#on.changed(view.room)
    if (late === 'owed') this.#on.late(view.room)
    if (late === 'old invite') {
      this.#on.complain(new OldInviteError(`${view.name} joined "${k.name}" with an invite from before its last change of members, not one you sent them: they read nothing written since until you give them the room's keys, or remove them`))
    }
  }

  /**
   * A room we created, a member we hear of for the first time, sealing with
   * a key a later change retired. Owed the newer keys when we sent it the
   * invite ourselves (`invited`: we let it in, whenever it used it), or when
   * the hub's numbers put its join before the change: it was in when we
   * handed the others the new key. Otherwise it used an invite the change
   * made void, or one we cannot vouch for: a Lamport time is the joiner's
   * own say, so in P2P a code a removed member passed on, used while cut
   * off, would look early. The creator is asked (OldInviteError).
   */
  #late (k: RoomKeys, view: MessageView, index: number, invited: boolean): 'owed' | 'old invite' | undefined {
    if (k.creator !== this.self || k.removed === true || view.author === this.self || index >= k.keys.length - 1) return undefined
    const change = k.retired?.[String(index)]
    if (change === undefined || k.gone?.[view.author] !== undefined) return undefined
    return invited || numberedBefore(view, change) ? 'owed' : 'old invite'
  }

  /**
   * The creator, in a room it invited a removed member back into: a newcomer may have come with that
   * member's invite, which lacks the keys of while it was out (it never had them), and would read less
   * of the room than one invited by anyone else. It is handed them all, as one heard of late is; never
   * one removed or invited back.
   */
  #afterOneBack (k: RoomKeys, view: MessageView): 'owed' | undefined {
    if (k.creator !== this.self || k.removed === true || view.author === this.self) return undefined
    if (Object.keys(k.back ?? {}).length === 0 && Object.keys(k.earlier ?? {}).length === 0) return undefined
    const author = view.author
    return k.gone?.[author] === undefined && k.back?.[author] === undefined && k.earlier?.[author] === undefined ? 'owed' : undefined
  }

  /** The creator notes where the change that will retire its newest key stands (the first such change, until the new key is made). */
  #retiring (k: RoomKeys, view: MessageView): RoomKeys {
    const index = String(k.keys.length - 1)
    if (k.creator !== this.self || k.retired?.[index] !== undefined) return k
    const at: KeyChange = { lamport: view.lamport, author: view.author, ...(view.seq !== undefined ? { seq: view.seq } : {}), ...(view.pending === true ? { waiting: true } : {}) }
    return { ...k, retired: { ...k.retired, [index]: at } }
  }

  /** Our own removal of `peer` numbered by the hub: its place in the order, for #late and for what `peer` writes. */
  #numbered (k: RoomKeys, view: MessageView, peer: string): void {
    if (view.seq === undefined || k.creator !== this.self) return
    const next = k.goneAt?.[peer]?.seq === undefined ? { ...k, goneAt: { ...k.goneAt, [peer]: { seq: view.seq } } } : k
    const entry = Object.entries(k.retired ?? {}).find(([, c]) => c.seq === undefined && c.author === view.author && c.lamport === view.lamport)
    if (entry === undefined) {
      if (next !== k) this.store.set(view.room, next)
      return
    }
    const { waiting: _numbered, ...change } = entry[1]
    this.store.set(view.room, { ...next, retired: { ...k.retired, [entry[0]]: { ...change, seq: view.seq } } })
  }

  /**
   * A message from one who left, written after it left with a key it already
   * had then: numbered after its leave in its own chain (a Lamport time is
   * its own say, and could be set below the leave; see afterInChain). A leave
   * from before authors' numbers were kept is judged by Lamport time.
   */
  #stale (k: RoomKeys, view: MessageView, index: number): boolean {
    const left = k.left?.[view.author]
    const key = k.leftKey?.[view.author]
    if (left === undefined || key === undefined || index > key) return false
    const seq = k.leftSeq?.[view.author]
    if (seq !== undefined && view.authorSeq !== undefined) return afterInChain(view.authorSeq, seq, this.forkFloor(view.author))
    return view.lamport > left
  }

  #apply (view: MessageView, control: Control, index: number): void {
    if (control.t === 'leave') {
      // A member says it leaves (only for itself: the author is who leaves). Off the list until it writes again with a newer key.
      const k = this.store.get(view.room)!
      if (view.author === this.self || view.author === k.creator || (k.left?.[view.author] ?? -1) >= view.lamport) return
      const mine = k.creator === this.self && k.removed !== true
      const next = mine ? this.#retiring(k, view) : k
      const seq = view.authorSeq !== undefined ? { leftSeq: { ...k.leftSeq, [view.author]: view.authorSeq } } : {}
      this.store.set(view.room, { ...next, left: { ...k.left, [view.author]: view.lamport }, leftKey: { ...k.leftKey, [view.author]: index }, ...seq, ...(mine ? { rekeyOwed: true } : {}) })
      this.#on.changed(view.room)
      if (mine) this.#on.left(view.room, view.author)
      return
    }
    if (control.t === 'rename') {
      this.#rename(view, this.store.get(view.room)!, control.name)
      return
    }
    if (control.t === 'back') {
      this.#back(view, this.store.get(view.room)!, control.peer, index)
      return
    }
    if (control.t !== 'remove') return
    const k = this.store.get(view.room)!
    if (view.author !== k.creator) {
      this.#on.complain(new NotRoomOwnerError(`${view.name} tried to remove someone from "${k.name}", which only its creator can do: ignored`))
      return
    }
    const upTo = validUpTo(control.upTo)
    if (control.peer === this.self) {
      // A removal of us newer than the one we were invited back after (that one, heard again as we learn the room, changes nothing).
      if (k.removed !== true && (k.removedAt === undefined || view.lamport > k.removedAt)) {
        const { removedBack: _again, removedSeq: _seq, removedUpTo: _upTo, ...rest } = k
        this.store.set(view.room, {
          ...rest, removed: true, removedAt: view.lamport, ...(view.seq !== undefined ? { removedSeq: view.seq } : {}), ...(upTo !== undefined ? { removedUpTo: upTo } : {})
        })
      }
    } else if (k.gone?.[control.peer] === undefined || (k.back?.[control.peer] !== undefined && k.back[control.peer]!.lamport < view.lamport)) {
      const at = view.seq !== undefined ? { seq: view.seq } : view.pending === true ? { waiting: true as const } : undefined
      const peer = control.peer
      // Removed again after it was invited back: the first removal is kept, for what it sealed while out then.
      const was = k.back?.[peer]
      const earlier = was === undefined
        ? {}
        : { earlier: { ...k.earlier, [peer]: [...k.earlier?.[peer] ?? [], { lamport: k.gone![peer]!, ...(k.goneAt?.[peer] !== undefined ? { at: k.goneAt[peer] } : {}), ...(k.goneUpTo?.[peer] !== undefined ? { upTo: k.goneUpTo[peer] } : {}), key: was.key }] } }
      const { [peer]: _was, ...stillBack } = k.back ?? {}
      const { [peer]: _at, ...goneAt } = k.goneAt ?? {}
      const { [peer]: _upTo, ...goneUpTo } = k.goneUpTo ?? {}
      this.store.set(view.room, {
        ...this.#retiring(k, view),
        ...earlier,
        ...(was !== undefined ? { back: stillBack } : {}),
        gone: { ...k.gone, [peer]: view.lamport },
        goneAt: at !== undefined ? { ...goneAt, [peer]: at } : goneAt,
        goneUpTo: upTo !== undefined ? { ...goneUpTo, [peer]: upTo } : goneUpTo
      })
      this.#on.removed(view.room, peer)
    } else {
      // Applied as it went out; now back from the hub with its number.
      this.#numbered(k, view, control.peer)
      return
    }
    this.#on.changed(view.room)
  }

  /**
   * The creator invites `peer`, whom it removed, back (a `back`, sealed with
   * key `index`, made for that): what `peer` seals with that key or a later
   * one is no longer refused, and it is listed again once it joins. Said by
   * anyone else it is refused; heard again (a late joiner learning the room)
   * it changes nothing.
   */
  #back (view: MessageView, k: RoomKeys, peer: string, index: number): void {
    if (view.author !== k.creator) {
      this.#on.complain(new NotRoomOwnerError(`${view.name} tried to invite someone back into "${k.name}", which only its creator can do: ignored`))
      return
    }
    if (typeof peer !== 'string' || peer === this.self || peer === k.creator || k.gone?.[peer] === undefined || k.gone[peer]! >= view.lamport) return
    if (k.back?.[peer] !== undefined) return
    this.store.set(view.room, { ...k, back: { ...k.back, [peer]: { key: index, lamport: view.lamport } }, seen: (k.seen ?? []).filter(m => m !== peer) })
    this.#on.changed(view.room)
    this.#on.back(view.room, peer)
  }

  /**
   * The creator's invite back of `peer` was heard after what `peer` wrote on its return (a mesh can
   * bring that first; one who joins late learns the room in its order, where the member's words may
   * stand first): those messages, sealed with the key of its return or a later one, were refused
   * then. Taken in now as if heard after it (`views`: its messages of the room, oldest first), so
   * its join or words list it again, without its writing once more.
   * Returns those that open now, for hosts to be told of (none while the room's past is learnt:
   * a late joiner reads that from the history).
   */
  rejoined (room: string, peer: string, views: Iterable<MessageView>): MessageView[] {
    const from = this.store.get(room)?.back?.[peer]?.key
    if (from === undefined) return []
    const opened: MessageView[] = []
    for (const view of views) {
      if (view.author !== peer || view.room !== room || view.to !== undefined || view.sealed === undefined) continue
      const k = this.store.get(room)
      if (k === undefined || k.back?.[peer] === undefined) break
      if (this.#keyIndex(k, view) >= from && this.open(view, view.sealed, true) !== undefined) opened.push(view)
    }
    return this.#learning ? [] : opened
  }

  #member (room: string, evenRemoved = false): RoomKeys {
    const k = this.store.get(room)
    if (k === undefined) throw new NotAMemberError(`You are not in ${room}: join it with an invite code.`)
    if (k.removed === true && !evenRemoved) throw new NotAMemberError(`You were removed from "${k.name}".`)
    return k
  }
}

/**
 * Whether the hub's numbers put a member's first message before a change of
 * members (see PrivateRooms#late); a change said in client–server mode and
 * not numbered yet comes after whatever the hub numbered meanwhile. Without
 * numbers on both (P2P, or a change made in P2P mode before a switch) there
 * is no order but the members' own Lamport times, which vouch for nothing.
 */
function numberedBefore (view: MessageView, change: KeyChange): boolean {
  if (view.seq !== undefined && change.seq !== undefined) return view.seq < change.seq
  return view.seq !== undefined && change.waiting === true
}

/**
 * `k` with the keys `order` lists (the creator's, oldest first, holding every
 * key of `k` and new ones): the newest last, so what we seal next is sealed
 * with the room's newest key, as every member holding it opens it. One who
 * joined with the code of a member the creator invited back lacked the keys
 * of while that member was out, handed over later: appended, the oldest of
 * them would seal our words, which that member never reads. Each record that
 * names a key by its place follows it. Without every key of `k` in `order`,
 * the new ones are appended.
 */
function inOrder (k: RoomKeys, order: readonly string[]): RoomKeys {
  if (!k.keys.every(key => order.includes(key))) return { ...k, keys: [...k.keys, ...order.filter(key => !k.keys.includes(key))] }
  const at = (index: number): number => order.indexOf(k.keys[index]!)
  const each = <T>(r: Record<string, T>, f: (v: T) => T): Record<string, T> => Object.fromEntries(Object.entries(r).map(([p, v]) => [p, f(v)]))
  return {
    ...k,
    keys: [...order],
    ...(k.removedBack !== undefined ? { removedBack: at(k.removedBack) } : {}),
    ...(k.back !== undefined ? { back: each(k.back, b => ({ ...b, key: at(b.key) })) } : {}),
    ...(k.earlier !== undefined ? { earlier: each(k.earlier, list => list.map(w => ({ ...w, key: at(w.key) }))) } : {}),
    ...(k.leftKey !== undefined ? { leftKey: each(k.leftKey, at) } : {}),
    ...(k.retired !== undefined ? { retired: Object.fromEntries(Object.entries(k.retired).map(([i, c]) => [String(at(Number(i))), c])) } : {})
  }
}

function withoutInvited (k: RoomKeys, peer: string): RoomKeys {
  const rest = (k.invited ?? []).filter(m => m !== peer)
  const { invited: _used, ...other } = k
  return rest.length > 0 ? { ...other, invited: rest } : other
}

/**
 * Whether a removed member's message comes after its removal. The author's
 * Lamport time is its own say, so it decides only when nothing else can:
 * - client–server: the hub's numbers, when both have one (a removal not
 *   numbered yet comes after whatever the hub numbered meanwhile);
 * - P2P: the author's own chain (afterInChain), the removal naming the
 *   highest number of it the creator had (`upTo`);
 * - a removal from before the creator said `upTo`: Lamport time.
 */
function afterRemoval (view: MessageView, lamport: number, at: { seq?: number, waiting?: true } | undefined, upTo: number | undefined, forkFloor: number | undefined): boolean {
  if (view.seq !== undefined && at?.seq !== undefined) return view.seq > at.seq
  if (view.seq !== undefined && at?.waiting === true) return false
  if (upTo !== undefined && view.authorSeq !== undefined) return afterInChain(view.authorSeq, upTo, forkFloor)
  return view.lamport > lamport
}

/**
 * Whether a message numbered `seq` in its author's chain may have been
 * written after the author's message `upTo`: numbered above it, or, the
 * chain having forked at `forkFloor` or below, numbered from there up. A
 * chain cannot be numbered backwards, but a second message under a number
 * already used can be made at any time, and nobody can tell which of the two
 * came first; so what a fork makes ambiguous goes (the fork costs its
 * author), and what is below it stays.
 */
function afterInChain (seq: number, upTo: number, forkFloor: number | undefined): boolean {
  return seq > upTo || (forkFloor !== undefined && seq >= forkFloor)
}

/** Whether our own message comes after our removal, as the members judge it (afterRemoval); one still waiting for the hub will be numbered after it. */
function ownAfterRemoval (view: MessageView, k: RoomKeys, forkFloor: number | undefined, index: number): boolean {
  if (k.removedAt === undefined) return false
  // Sealed with the key the creator invited us back with, or a later one: after our return.
  if (k.removedBack !== undefined && index >= k.removedBack) return false
  if (k.removedSeq !== undefined && view.seq !== undefined) return view.seq > k.removedSeq
  if (k.removedSeq !== undefined && view.pending === true) return true
  if (k.removedUpTo !== undefined && view.authorSeq !== undefined) return afterInChain(view.authorSeq, k.removedUpTo, forkFloor)
  return view.lamport > k.removedAt
}

/** A removal's `upTo` when it is a chain number (a creator's own word: anything else is read as a removal without one). */
function validUpTo (upTo: unknown): number | undefined {
  return typeof upTo === 'number' && Number.isSafeInteger(upTo) && upTo >= 0 ? upTo : undefined
}

function withoutOldInvite (k: RoomKeys, members: readonly string[]): RoomKeys {
  const rest = (k.oldInvite ?? []).filter(m => !members.includes(m))
  const { oldInvite: _given, ...other } = k
  return rest.length > 0 ? { ...other, oldInvite: rest } : other
}

export function parseControl (text: string): Control | undefined {
  try {
    const c = JSON.parse(text.slice(CONTROL.length)) as Control
    if (c.t === 'join' || c.t === 'leave' || (c.t === 'remove' && typeof c.peer === 'string') || (c.t === 'rekey' && typeof c.room === 'string') || (c.t === 'rename' && typeof c.name === 'string') || (c.t === 'back' && typeof c.peer === 'string')) return c
  } catch { /* not a control after all */ }
  return undefined
}

export function controlText (c: Control): string { return CONTROL + JSON.stringify(c) }
