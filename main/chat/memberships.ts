import type { Conversations } from './conversations.js'
import { parsePeerId } from '../net/addr.js'
import { AlreadyMemberError, InvalidInviteError, NotAMemberError, NotRoomOwnerError } from './errors.js'
import { controlText, decodeInvite, encodeReinvite, type PrivateRooms } from './private-rooms.js'
import type { InviteCheck, MessageView, PrivateRoomView } from './types.js'
import type { RoomKeys } from '../store/room-keys.js'

/** What the engine lends to membership changes: a way to send a (sealed) message. */
export interface Outlet {
  readonly self: string
  send: (content: { room: string, text: string, to?: string, sealed?: Uint8Array }) => Promise<MessageView>
  /** P2P: the highest number of a peer's own chain we have (Ordering.lastOf). */
  lastOf?: (peer: string) => number | undefined
  /** The name a peer goes by here, if known: what a refusal calls them (else their id). */
  nameOf?: (peer: string) => string | undefined
  /** A room's stored messages as they came (sealed), oldest first: what a late joiner learns the room from. */
  past?: (room: string) => Iterable<MessageView>
}

/**
 * The acts on invite-only rooms that send messages: joining (a sealed
 * `join`), removing (a sealed `remove`, a new key, a `rekey` DM to each
 * remaining member), and the member list.
 *
 * @example
 * ```ts
 * const m = new Memberships(conversations, { self, send })
 * const room = (await m.create('Design')).room
 * await m.remove(room, bob)   // bob reads nothing written from now on
 * ```
 */
export class Memberships {
  readonly #rooms: PrivateRooms

  constructor (private readonly conversations: Conversations, private readonly out: Outlet) {
    this.#rooms = conversations.rooms
  }

  /** Whom a refusal names: by the name they go by here, else by their id. */
  #who (peer: string): string {
    const name = this.out.nameOf?.(peer)
    return name !== undefined && name !== '' ? name : peer
  }

  async create (name: string): Promise<PrivateRoomView> {
    return this.view(this.#rooms.create(name))
  }

  /** Take an invite's keys (InvalidInviteError, or NotAMemberError when the room removed us) and say so in the room; a member's code that adds no key changes nothing. */
  async join (code: string): Promise<PrivateRoomView> {
    // A code for a room we are in that brings no key we lack (a second invite, our own code pasted) or would take (PrivateRooms.fresh): nothing to take, nor to say in the room again.
    const invite = decodeInvite(code)
    const known = this.#rooms.keysOf(invite.room)
    if (known !== undefined && known.removed !== true && this.#rooms.fresh(invite).length === 0) return this.view(invite.room)
    const room = this.#rooms.accept(code)
    // Who is in, and whom the creator removed, from what the room said before we could read it.
    this.#rooms.learn(room, this.out.past?.(room) ?? [])
    const join = { t: 'join' } as const
    this.#rooms.applyOwn(await this.out.send(this.#rooms.seal(room, controlText(join))), join)
    return this.view(room)
  }

  /** Whether `code` would let us in, without taking its keys (InvalidInviteError when it is no code). */
  check (code: string): InviteCheck {
    const invite = decodeInvite(code)
    const refused = this.#rooms.refusal(invite)
    return { room: invite.room, name: invite.name, ...(refused !== undefined ? { refused } : {}) }
  }

  /** The room's invite code; with `to`, the one we send it to is noted first (PrivateRooms.invited), and `uninvite`d if it cannot go. */
  invite (room: string, to?: string): string {
    // Removed: only the creator's invite back (`inviteTo`) lets them in; any other code would only mislead them.
    const view = this.view(room)
    if (to !== undefined && view.gone?.includes(to) === true) {
      throw new InvalidInviteError(`${this.#who(to)} was removed from "${view.name}": only its creator can invite them back.`)
    }
    const code = this.#rooms.invite(room, to)
    if (to !== undefined) this.#rooms.invited(room, to)
    return code
  }

  /**
   * The code for `to` (noted as `invite` does): for one the creator removed,
   * the creator's invite back (`readmit`); for anyone else the room's code.
   * AlreadyMemberError for a member.
   */
  async inviteTo (room: string, to: string): Promise<string> {
    const view = this.view(room)
    // A member has the room already: nothing is sent (the window offers only those not in it).
    if (view.members.includes(to)) {
      const keys = view.oldInvite?.includes(to) === true ? ': they joined with an old invite, give them the keys instead' : ''
      throw new AlreadyMemberError(to === this.out.self ? `You are in "${view.name}" already: no invite sent.` : `${this.#who(to)} is in "${view.name}" already: no invite sent${keys}.`)
    }
    const back = this.#rooms.keysOf(room)?.back?.[to] !== undefined
    if (view.creator === this.out.self && (view.gone?.includes(to) === true || back)) return await this.readmit(room, to)
    return this.invite(room, to)
  }

  /**
   * The creator lets a member it removed back in: a new key, handed to each
   * member (as after a removal), then a `back` sealed with it, which tells
   * every member that what `peer` seals with that key from now on is its
   * own again; the code it gets carries that key and none from while it was
   * out, so it reads what is written from now on, not what was said
   * meanwhile. What it sealed with an older key after its removal stays
   * refused, and an invite from before its removal still lets it in nowhere.
   */
  async readmit (room: string, peer: string): Promise<string> {
    const view = this.view(room)
    if (view.creator !== this.out.self) throw new NotRoomOwnerError(`Only the creator of "${view.name}" can invite back someone it removed.`)
    if (this.#rooms.keysOf(room)?.back?.[peer] === undefined) {
      this.#rooms.owe(room)
      await this.rekey(room)
      const back = { t: 'back', peer } as const
      this.#rooms.applyOwn(await this.out.send(this.#rooms.seal(room, controlText(back))), back)
    }
    this.#rooms.invited(room, peer)
    return encodeReinvite(room, this.#rooms.keysOf(room)!, peer)
  }

  uninvite (room: string, peer: string): void { this.#rooms.uninvite(room, peer) }

  /**
   * The creator removes a member: says so in the room, makes a new key and
   * hands it to every remaining member in a direct message; what is written
   * afterwards is sealed with it, so the removed member reads nothing new.
   */
  async remove (room: string, peerId: string): Promise<PrivateRoomView> {
    const self = this.out.self
    const before = this.view(room)
    if (before.creator !== self) throw new NotRoomOwnerError(`Only the creator of "${before.name}" can remove members.`)
    if (peerId === self) throw new NotRoomOwnerError('The creator cannot remove itself.')
    parsePeerId(peerId)
    // A removal is said to the room and makes a new key: not for one already gone, nor for a stranger (one invited may be: it voids the invite).
    if (before.gone?.includes(peerId) === true) throw new NotAMemberError(`${this.#who(peerId)} was removed from "${before.name}" already.`)
    if (!before.members.includes(peerId) && before.invited?.includes(peerId) !== true) throw new NotAMemberError(`${this.#who(peerId)} is not a member of "${before.name}", nor invited to it.`)
    // P2P: what of theirs we have, by their own chain's numbers; anything of theirs numbered above it is refused (PrivateRooms).
    const upTo = this.out.lastOf?.(peerId)
    const removal = { t: 'remove', peer: peerId, ...(upTo !== undefined ? { upTo } : {}) } as const
    // Owed from before the removal goes out: a crash between the two still ends with a new key (Engine, at start).
    this.#rooms.owe(room)
    this.#rooms.applyOwn(await this.out.send(this.#rooms.seal(room, controlText(removal))), removal)
    // Everyone listed now, the removed member aside: one heard of while the removal went out is on it too.
    await this.rekey(room)
    return this.view(room)
  }

  /**
   * The creator makes a new key and hands it to each of `members` (itself
   * aside) in a direct message: after a removal, or when a member left. By
   * default every member but those who joined with an old invite, whom the
   * creator has not given the keys (`giveKeys`).
   */
  async rekey (room: string, members: readonly string[] = this.#keyed(room)): Promise<void> {
    const keys = this.#rooms.rekey(room)
    const handover = handoverText(room, keys)
    for (const member of members) {
      if (member !== this.out.self) await this.out.send(this.conversations.seal(member, handover))
    }
    this.#rooms.paid(room)
  }

  /**
   * Hand the room's keys to the members heard of only after a new key was
   * made, who were in before the change that made it (PrivateRooms.keysOwed):
   * the creator had not heard of them when it handed it over; and to those it
   * gave them after an old invite (`giveKeys`).
   */
  async handOver (room: string): Promise<void> {
    const owed = this.#rooms.keysOwed(room)
    if (owed.length === 0) return
    const keys = this.#rooms.keysOf(room)!
    const members = new Set(this.#rooms.members(room))
    const handover = handoverText(room, keys)
    for (const member of owed) {
      if (members.has(member)) await this.out.send(this.conversations.seal(member, handover))
    }
    this.#rooms.keysSent(room, owed)
  }

  /**
   * The creator gives the room's keys to a member who joined with an invite
   * from before a change of members (PrivateRooms.oldInvites): owed them from
   * now on, as a member heard of late, and handed them in a direct message
   * (`handOver`, paid at the next start if a crash comes first). It reads
   * what is written from now on, and what reached it sealed with them. The
   * alternative is `remove`.
   */
  async giveKeys (room: string, peerId: string): Promise<PrivateRoomView> {
    const view = this.view(room)
    if (view.creator !== this.out.self) throw new NotRoomOwnerError(`Only the creator of "${view.name}" can give its keys.`)
    if (!view.members.includes(peerId) || peerId === this.out.self) throw new NotAMemberError(`${this.#who(peerId)} is not a member of "${view.name}": send them an invite.`)
    this.#rooms.giveKeys(room, [peerId])
    await this.handOver(room)
    return this.view(room)
  }

  /** Whom a new key goes to: the members, but those who joined with an old invite and were not given the keys. */
  #keyed (room: string): string[] {
    const old = this.#rooms.oldInvites(room)
    return this.view(room).members.filter(m => !old.includes(m))
  }

  /** The rooms that owe a member heard of late their newer keys. */
  owingKeys (): string[] { return this.#rooms.owingKeys() }

  /** The rooms whose members we owe a new key (a removal or a leave a crash cut short). */
  owed (): string[] { return this.#rooms.owed() }

  /** The creator renames the room: every member's list shows the new name (an invite made from now on carries it). */
  async rename (room: string, name: string): Promise<PrivateRoomView> {
    await this.out.send(this.#rooms.rename(room, name))
    return this.view(room)
  }

  /**
   * Leave a room: say so in it (the others take us off its member list),
   * then forget its keys, so nothing in it opens here any more, its history
   * included; a new invite lets us back in. Its creator cannot leave: it is
   * the one who can remove members.
   */
  async leave (room: string): Promise<void> {
    const view = this.view(room)
    if (view.creator === this.out.self) throw new NotRoomOwnerError(`You created "${view.name}": you can remove its members, not leave it.`)
    if (!view.removed) await this.out.send(this.#rooms.seal(room, controlText({ t: 'leave' })))
    this.#rooms.forget(room)
  }

  /** An invite-only room we know: name, creator, current members, whether it removed us. */
  view (room: string): PrivateRoomView {
    const k = this.#rooms.keysOf(room)
    if (k === undefined) throw new NotAMemberError(`You are not in ${room}: join it with an invite code.`)
    // One invited back is no longer `gone`: listed again once it joins.
    const gone = Object.keys(k.gone ?? {}).filter(m => k.back?.[m] === undefined)
    // One the room removed is no longer in it, as the others see it: its own list does not count it either.
    const members = this.#rooms.members(room).filter(m => k.removed !== true || m !== this.out.self)
    const left = Object.keys(k.left ?? {}).filter(m => !members.includes(m) && k.gone?.[m] === undefined)
    const oldInvite = this.#rooms.oldInvites(room).filter(m => members.includes(m))
    const invited = (k.invited ?? []).filter(m => !members.includes(m))
    return {
      room,
      name: k.name,
      creator: k.creator,
      members,
      removed: k.removed === true,
      ...(gone.length > 0 ? { gone } : {}),
      ...(left.length > 0 ? { left } : {}),
      ...(oldInvite.length > 0 ? { oldInvite } : {}),
      ...(invited.length > 0 ? { invited } : {}),
      ...(this.#rooms.unreadable(room) ? { unreadable: true as const } : {})
    }
  }

  all (): PrivateRoomView[] { return this.#rooms.rooms().map(r => this.view(r)) }
}

/** The direct message that hands a member every key of a room we created (taken by PrivateRooms.fromDirect). */
function handoverText (room: string, keys: RoomKeys): string {
  return controlText({ t: 'rekey', room, name: keys.name, creator: keys.creator, keys: keys.keys })
}
