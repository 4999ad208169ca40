/**
 * The hub's side of typing and presence: it forwards a client's typing and
 * presence frames to the other clients, saying who sent them, and tells a
 * client who joins who is there (and who left, with when). Nothing here is
 * written anywhere: a restarted hub knows only who reconnects.
 *
 * @example
 * ```ts
 * const live = new HubLive({ send: (to, f) => endpoint.send(to, f), clients: () => [...ids] })
 * live.joined('alice', 'Alice')                                 // the others hear "Alice: online"
 * live.frame('alice', 'Alice', { type: 'typing', room: 'lobby' }) // the others hear it, with peer and name filled in
 * live.left('alice', 'Alice')                                   // "offline, last seen now"
 * ```
 */
import type { PresenceFrame, TypingFrame } from '../net/live-codec.js'
import type { OwnPresence } from '../chat/live.js'
import type { AppBuild } from '../core/build.js'
import { TYPING_MIN_GAP_MS } from '../chat/live.js'

/** Clients that left the hub remembers (for "last seen"), the oldest forgotten first. */
const GONE_KEPT = 1000
/**
 * A client's changes (presence, status, name) are passed on at most once in this long, ms, the newest at the gap's
 * end, as a mesh relay drops claims closer together than RELAY_GAP_MS: a client that floods them costs the
 * hub one frame per other client a gap, not per frame it sends.
 */
export const CHANGE_GAP_MS = 250

export interface HubLiveOptions {
  send: (peerId: string, frame: TypingFrame | PresenceFrame) => void
  /** The clients that have joined (said hello). */
  clients: () => string[]
  now?: () => number
}

/** A client's status as a forwarded frame says it: its words ('' for none) and, with words, when they clear themselves. */
function statusOf (p: { status: string, statusUntil?: number }): { status: string, statusUntil?: number } {
  return { status: p.status, ...(p.status !== '' && p.statusUntil !== undefined ? { statusUntil: p.statusUntil } : {}) }
}

interface Here {
  name: string
  state: OwnPresence
  status: string
  statusUntil?: number
  typedAt: number
  app: AppBuild
  /** When its last change was passed on, and the passing on of newer ones waiting for the gap's end. */
  toldAt: number
  timer?: ReturnType<typeof setTimeout>
}

export class HubLive {
  readonly #opts: HubLiveOptions
  /** Those joined; `app`: the build each one's own hello said (`{ level: 0 }` for none), told to the others once, when it joins. */
  readonly #here = new Map<string, Here>()
  /** Those that left (at most GONE_KEPT), with the build each one's hello said: a client joining later tags them too. */
  readonly #gone = new Map<string, { name: string, lastSeen: number, status: string, statusUntil?: number, app: AppBuild }>()
  #dropped = 0

  constructor (opts: HubLiveOptions) { this.#opts = opts }

  /** Typing frames dropped for coming faster than one per peer every few seconds (presence is coalesced by each receiver). */
  get dropped (): number { return this.#dropped }

  #now (): number { return (this.#opts.now ?? Date.now)() }

  #others (peerId: string): string[] { return this.#opts.clients().filter(id => id !== peerId) }

  /**
   * A client joined, running `app` as its own hello said (none said: `{ level: 0 }`): it hears who is here
   * and who left, with the build of each; the others hear it is online, and its build. The builds go
   * with these frames only (a client's build does not change while its link lasts): a few bytes a
   * client at each join, none on later presence.
   */
  joined (peerId: string, name: string, app: AppBuild = { level: 0 }): void {
    this.#gone.delete(peerId)
    clearTimeout(this.#here.get(peerId)?.timer)
    this.#here.set(peerId, { name, state: 'online', status: '', typedAt: -Infinity, app, toldAt: -Infinity })
    for (const [id, p] of this.#here) if (id !== peerId) this.#opts.send(peerId, { type: 'presence', state: p.state, peer: id, name: p.name, ...statusOf(p), app: p.app })
    for (const [id, g] of this.#gone) this.#opts.send(peerId, { type: 'presence', state: 'offline', peer: id, name: g.name, lastSeen: g.lastSeen, ...statusOf(g), app: g.app })
    for (const id of this.#others(peerId)) this.#opts.send(id, { type: 'presence', state: 'online', peer: peerId, name, app })
  }

  /** A client's link closed: the others hear it is offline, last seen now. */
  left (peerId: string): void {
    const here = this.#here.get(peerId)
    if (here === undefined) return
    clearTimeout(here.timer)
    this.#here.delete(peerId)
    const lastSeen = this.#now()
    this.#gone.set(peerId, { name: here.name, lastSeen, ...statusOf(here), app: here.app })
    if (this.#gone.size > GONE_KEPT) this.#gone.delete(this.#gone.keys().next().value!)
    for (const id of this.#others(peerId)) this.#opts.send(id, { type: 'presence', state: 'offline', peer: peerId, name: here.name, lastSeen })
  }

  /** A client renamed itself. */
  renamed (peerId: string, name: string): void {
    const here = this.#here.get(peerId)
    if (here === undefined || here.name === name) return
    here.name = name
    // The other clients know it by presence alone (their one link is the hub): told as a presence with the new name.
    this.#tell(peerId, here)
  }

  /** `here`'s presence, status and name as they are now, to the other clients: now, or at the end of CHANGE_GAP_MS after the last. */
  #tell (peerId: string, here: Here): void {
    if (here.timer !== undefined) return
    const wait = here.toldAt + CHANGE_GAP_MS - this.#now()
    const tell = (): void => {
      here.timer = undefined
      if (this.#here.get(peerId) !== here) return
      here.toldAt = this.#now()
      for (const id of this.#others(peerId)) this.#opts.send(id, { type: 'presence', state: here.state, peer: peerId, name: here.name, ...statusOf(here) })
    }
    if (wait <= 0) { tell(); return }
    here.timer = setTimeout(tell, wait)
    here.timer.unref?.()
  }

  /**
   * A client's typing or presence frame: forwarded with who sent it. Typing
   * faster than one per TYPING_MIN_GAP_MS is dropped; a DM's goes to its
   * other end only, an invite-only room's to the members it names (`among`).
   */
  frame (peerId: string, frame: TypingFrame | PresenceFrame): void {
    const here = this.#here.get(peerId)
    if (here === undefined) return
    const now = this.#now()
    if (frame.type === 'presence') {
      // A status comes with the presence frame that sets it (absent: unchanged).
      const said = frame.status !== undefined ? statusOf({ status: frame.status, ...(frame.statusUntil !== undefined ? { statusUntil: frame.statusUntil } : {}) }) : statusOf(here)
      if (frame.state === 'offline' || (frame.state === here.state && said.status === here.status && said.statusUntil === here.statusUntil)) return
      here.state = frame.state
      here.status = said.status
      if (said.statusUntil !== undefined) here.statusUntil = said.statusUntil
      else delete here.statusUntil
      this.#tell(peerId, here)
      return
    }
    if (now - here.typedAt < TYPING_MIN_GAP_MS) { this.#dropped++; return }
    here.typedAt = now
    const out: TypingFrame = { type: 'typing', room: frame.room, peer: peerId, name: here.name, ...(frame.to !== undefined ? { to: frame.to } : {}) }
    // An invite-only room's typing goes to its members alone (`among`, which is not passed on).
    const among = frame.to === undefined && frame.among !== undefined ? new Set(frame.among) : undefined
    const to = frame.to !== undefined ? this.#others(peerId).filter(id => id === frame.to) : among !== undefined ? this.#others(peerId).filter(id => among.has(id)) : this.#others(peerId)
    for (const id of to) this.#opts.send(id, out)
  }
}
