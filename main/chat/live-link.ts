/**
 * Between the engine and the running ordering for what is live: it says
 * "typing" and our presence through the ordering (the mesh broadcasts, a
 * client tells its hub), and checks what arrives before LivePeople tells the
 * hosts — a direct message's typing only from its other end, an invite-only
 * room's only for a room we are in. Typing in an invite-only room is said to
 * its other members alone (the mesh tells those it is linked to, a hub those
 * it serves): that someone is in the room is not for anyone else to hear.
 *
 * @example
 * ```ts
 * const link = new LiveLink(people, { self: () => me, ordering: () => running, dmPeer, inPrivate })
 * link.typing('lobby')              // true: sent; false: too soon, or nowhere to send it
 * link.setPresence('away')          // the network hears it; hosts get our own peer:presence
 * ```
 */
import { isPrivateRoom } from './private-rooms.js'
import { MAX_TYPING_AMONG, type PresenceFrame, type TypingFrame } from '../net/live-codec.js'
import { NotStartedError } from './errors.js'
import type { LivePeople, OwnPresence } from './live.js'
import { dmRoom, isDmRoom } from './private.js'

/** What the link needs of the engine: who we are, the ordering running now, and our conversations. */
export interface LiveContext {
  self: () => { peerId: string, name: string }
  ordering: () => { sendLive: (frame: TypingFrame | PresenceFrame) => boolean } | undefined
  /** The other end of one of our DM rooms. */
  dmPeer: (room: string) => string | undefined
  /** Whether we are a member of this invite-only room. */
  inPrivate: (room: string) => boolean
  /** The members of an invite-only room we are in (us among them). */
  membersOf: (room: string) => readonly string[]
}

export class LiveLink {
  constructor (readonly people: LivePeople, private readonly ctx: LiveContext) {}

  /** Say we are typing in `room` (a normalized room): at most once every 3 s; false when nothing went out (too soon, or no one to tell). */
  typing (room: string): boolean {
    const ordering = this.ctx.ordering()
    if (ordering === undefined) throw new NotStartedError('the engine is not running')
    let to: string | undefined
    let among: string[] | undefined
    if (isDmRoom(room)) {
      to = this.ctx.dmPeer(room)
      if (to === undefined) return false
    } else if (isPrivateRoom(room)) {
      if (!this.ctx.inPrivate(room)) return false
      const self = this.ctx.self().peerId
      among = this.ctx.membersOf(room).filter(id => id !== self).slice(0, MAX_TYPING_AMONG)
      if (among.length === 0) return false
    }
    if (!this.people.mayType()) return false
    return ordering.sendLive({ type: 'typing', room, ...(to !== undefined ? { to } : {}), ...(among !== undefined ? { among } : {}) })
  }

  /** Online or away (idle, or by hand): the network is told when it changes. */
  setPresence (state: OwnPresence): void {
    if (!this.people.setOwn(state)) return
    this.ctx.ordering()?.sendLive({ type: 'presence', state, ...this.people.said })
    const { peerId, name } = this.ctx.self()
    this.people.presence(peerId, name, state)
  }

  /** Our status in our own words ('' for none), and when it clears itself: the network is told when it changes. */
  setStatus (status: string, until?: number): void {
    if (!this.people.setStatus(status, until)) return
    this.ctx.ordering()?.sendLive({ type: 'presence', state: this.people.own, ...this.people.said })
    const { peerId, name } = this.ctx.self()
    this.people.presence(peerId, name, this.people.own, undefined, this.people.status, this.people.statusUntil)
  }

  /** A typing frame from `peerId` (the link's peer, or who the hub says): told on when it is for us. */
  heardTyping (peerId: string, name: string, frame: TypingFrame): void {
    const self = this.ctx.self().peerId
    if (peerId === self) return
    if (isDmRoom(frame.room) ? frame.to !== self || frame.room !== dmRoom(self, peerId) : frame.to !== undefined) return
    if (isPrivateRoom(frame.room) && !this.ctx.inPrivate(frame.room)) return
    this.people.typing(peerId, name, frame.room)
  }

  /** A presence frame from `peerId`: only online and away are said; offline is a closed link. */
  heardPresence (peerId: string, name: string, frame: PresenceFrame): void {
    if (peerId === this.ctx.self().peerId) return
    this.people.throttled(peerId, { name, state: frame.state, lastSeen: frame.lastSeen, status: frame.status, statusUntil: frame.statusUntil })
  }

  /** A link came up: if we are away or have a status, it hears so (online and no status is what a link means). */
  greet (send: (frame: PresenceFrame) => void): void {
    if (this.people.own !== 'online' || this.people.status !== '') send({ type: 'presence', state: this.people.own, ...(this.people.status !== '' ? this.people.said : {}) })
  }
}
