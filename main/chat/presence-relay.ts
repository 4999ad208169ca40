/**
 * Presence beyond one's links. In a bounded-degree mesh (net/overlay.ts) most
 * peers of a classroom are not linked to each other, yet everyone should see
 * who is on the LAN. So each peer signs a short claim about itself — name,
 * online/away/offline, its clock — and says it to its links now and then and
 * whenever it changes; every peer passes a claim newer than the one it had to
 * its other links, once. A claim is good for a lease: someone whose claims
 * stop coming (a crash, a cable) reads as offline, last seen when the last
 * claim came; a peer that quits says "offline" itself, and everyone hears it
 * at once. In a large room renewals come less often and the lease grows with
 * them (announceDelay). A link the mesh swaps for another (net/overlay.ts) closes with
 * `staying` set, and is not read as leaving.
 *
 * A laptop whose lid closes says no goodbye, and only the peers linked to it
 * find out, when their pings go unanswered; the rest would read it online
 * until its lease ran out, minutes later. So a peer that loses a link without
 * a goodbye, and hears nothing newer of its peer within LINK_LOSS_GRACE_MS,
 * says so in a fresh claim of its own ("lost: X, whose last claim was stamped
 * T"). Whoever hears of X only through the mesh and holds that same claim of
 * it reads X as offline twice SUSPECT_MS later, unless X refutes it meanwhile: X hears
 * the loss through its other links and says a fresh claim at once, newer than
 * T, which clears the suspicion everywhere (and is how a woken laptop comes
 * back). Unrefuted after SUSPECT_MS, it says the loss in a claim of its own
 * first: the one that said it may have had it reach us alone (not when it came
 * over two links or more: it is spreading). A peer linked to X leaves it to its own link. A false loss, said by
 * a hostile peer or over a link that alone went bad, costs X one claim and
 * shows it offline nowhere while X can be heard.
 *
 * A claim also says its peer's LAN Chat build, so everyone can tell who runs
 * an older or newer one, not only its links.
 *
 * Claims are signed by their peer, so a relay cannot make someone appear or
 * vanish (nor say another's build); a peer that floods its own claims has all but one in RELAY_GAP_MS
 * dropped (a goodbye always goes through), and the table of people is bounded.
 *
 * @example
 * ```ts
 * const relay = new PresenceRelay({ self, sign, transport, people, own: () => 'online' })
 * relay.start()                         // announce now and every announceDelay(peers present)
 * relay.heard(from, frame)              // a presence-news frame: check, apply, pass on
 * relay.linkUp(peerId)                  // the new link hears every claim we hold
 * ```
 */
import type { PresenceClaimView, PresenceLoss, PresenceNewsFrame, PresenceState, SignedClaim } from '../net/live-codec.js'
import { MAX_CLAIMS_PER_FRAME, MAX_CLAIM_BYTES, PRESENCE_SIGNED_PREFIX, encodeClaim } from '../net/live-codec.js'
import type { Frame } from '../net/codec.js'
import { onSilence, type SilenceTimer } from '../net/silence.js'
import type { LivePeople, OwnPresence } from './live.js'
import { verifyBy } from './verify.js'
import { growWithRoom } from '../core/limits.js'
import { APP_VERSION, FEATURE_LEVEL } from '../net/constants.js'

/** How often a peer says it is still here, ms (in a room of up to 40; see announceDelay). */
export const PRESENCE_ANNOUNCE_MS = 60_000
/** A claim is good this long after it is heard, ms: two announcements may be lost before someone reads as offline. */
export const PRESENCE_LEASE_MS = 150_000
/**
 * Every peer's "still here" crosses every link of the mesh, so a peer's idle
 * traffic grows with the room: at 100 peers, renewals were 92% of it (3.9 of
 * 4.2 KB/s). So in a larger room a peer waits PRESENCE_PER_PEER_MS for each
 * peer it knows to be present, at most PRESENCE_ANNOUNCE_MAX_MS, and the
 * lease grows in proportion: each peer handles about one renewal every
 * 1.5 s, whatever the room's size. A crash is seen later in a large room (up
 * to 2.5 intervals); a peer that quits says so, and is seen at once.
 */
export const PRESENCE_PER_PEER_MS = 1_500
export const PRESENCE_ANNOUNCE_MAX_MS = 300_000

/** How long a peer that knows `present` others to be on the LAN waits between renewals, ms (`base`: PRESENCE_ANNOUNCE_MS). */
export function announceDelay (present: number, base = PRESENCE_ANNOUNCE_MS): number {
  return growWithRoom(present, PRESENCE_PER_PEER_MS, base, PRESENCE_ANNOUNCE_MAX_MS)
}
/** Claims of one peer closer together than this are dropped (not applied, not passed on), ms. */
export const RELAY_GAP_MS = 250
/**
 * A link that closed without a word is read as its peer leaving only after
 * this long, ms, and only if no newer claim of it came meanwhile: a peer that
 * loses a link says it is still here at once (through its other links), so a
 * link dropped by the connection manager or a swap whose goodbye was lost is
 * no departure. A crashed peer says nothing and goes offline after the wait.
 */
export const LINK_LOSS_GRACE_MS = 5_000
/** Own claims after lost links are at most one this often, ms (less than the grace: the last one still vouches). */
const LOST_LINK_ANNOUNCE_GAP_MS = 3_000
/**
 * A peer heard of only through the mesh reads as offline twice this long after a
 * neighbour of it said it lost it, ms (saying the loss itself after once), if nothing newer of it came meanwhile:
 * time for the peer, if it is still here, to refute it (NEWS_GAP_MS and a
 * flood across the LAN).
 */
export const SUSPECT_MS = 3_000
/**
 * Our refutations are at most one this often, ms (a hostile peer saying we are gone over and over costs one
 * claim a second), and they and our claims saying a loss come that long after our last claim at least: a
 * relay drops a claim that reaches it less than RELAY_GAP_MS after the one before, which may have been slow.
 */
const NEWS_GAP_MS = 1_000
/** People whose claims we keep at most; the least recently heard go first. */
export const MAX_PEOPLE = 10_000

export interface RelayContext {
  self: () => { peerId: string, name: string }
  sign: (bytes: Uint8Array) => Uint8Array
  transport: {
    broadcast: (frame: Frame, except?: string) => number
    send: (peerId: string, frame: Frame) => boolean
    connectedPeers: () => string[]
  }
  people: LivePeople
  own: () => OwnPresence
  log: (line: string) => void
}

/**
 * `unvouched`: heard before we were cut off from everyone, so shown offline since; the same claim heard again counts.
 * `lost`: a neighbour of its peer lost it after this claim, and it did not refute: shown offline since; only a newer claim counts.
 */
interface Held { claim: SignedClaim, heardAt: number, unvouched?: true, lost?: true }

function sameBytes (a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && a.byteLength === b.byteLength && a.every((x, i) => x === b[i])
}

function signed (claim: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(PRESENCE_SIGNED_PREFIX.byteLength + claim.byteLength)
  bytes.set(PRESENCE_SIGNED_PREFIX)
  bytes.set(claim, PRESENCE_SIGNED_PREFIX.byteLength)
  return bytes
}

export class PresenceRelay {
  /** Each peer's newest claim, in the order they were last heard (oldest first). */
  readonly #held = new Map<string, Held>()
  #lastAt = 0
  /** Our own last claim. */
  #mine: SignedClaim | undefined
  #lostAnnouncedAt = -Infinity
  readonly #suspects = new Map<string, SilenceTimer>()
  /** Links we lost without a goodbye, said in our claims until their peer says something newer or the lease passes. */
  readonly #lost = new Map<string, PresenceLoss>()
  /** Our claims since #lost last changed have not said it. */
  #lostChanged = false
  #lossAnnounce: ReturnType<typeof setTimeout> | undefined
  /**
   * Peers heard of through the mesh that a neighbour of theirs said it lost: read as offline when these fire.
   * `links`: the links the loss came over (at most two are counted; see #doubt).
   */
  readonly #doubted = new Map<string, { at: number, timer?: ReturnType<typeof setTimeout>, links: Set<string> }>()
  #refuting: ReturnType<typeof setTimeout> | undefined
  #refutedAt = -Infinity
  /** Our news that waits for NEWS_GAP_MS after our last claim (see news()). */
  #newsLater: ReturnType<typeof setTimeout> | undefined
  /** The next renewal; undefined when stopped. */
  #announce: ReturnType<typeof setTimeout> | undefined
  #expire: ReturnType<typeof setInterval> | undefined

  constructor (
    private readonly ctx: RelayContext,
    private readonly now: () => number = Date.now,
    private readonly announceMs = PRESENCE_ANNOUNCE_MS,
    private readonly leaseMs = PRESENCE_LEASE_MS
  ) {}

  start (): void {
    this.announce()
    this.#renewLater()
    this.#expire = setInterval(() => { this.expire() }, Math.min(5_000, this.leaseMs / 4))
    this.#expire.unref?.()
  }

  /** Our next renewal, after announceDelay for the peers we know to be here now. */
  #renewLater (): void {
    this.#announce = setTimeout(() => {
      this.announce()
      this.#renewLater()
    }, announceDelay(this.#present(), this.announceMs))
    this.#announce.unref?.()
  }

  /** Peers whose claim we hold and who did not say goodbye. */
  #present (): number {
    let n = 0
    for (const { claim } of this.#held.values()) if (claim.news.state !== 'offline') n++
    return n
  }

  /** How long a claim is good now: the lease, grown as the renewals' interval grows with the room. */
  #lease (): number {
    return this.leaseMs * announceDelay(this.#present(), this.announceMs) / this.announceMs
  }

  /** Say we are leaving (every link hears it before it closes), and stop. */
  stop (): void {
    if (this.#announce !== undefined) this.announce('offline')
    clearTimeout(this.#announce)
    clearInterval(this.#expire)
    for (const t of this.#suspects.values()) t.clear()
    this.#suspects.clear()
    for (const d of this.#doubted.values()) clearTimeout(d.timer)
    this.#doubted.clear()
    clearTimeout(this.#lossAnnounce)
    clearTimeout(this.#refuting)
    clearTimeout(this.#newsLater)
    this.#newsLater = undefined
    this.#lossAnnounce = undefined
    this.#refuting = undefined
    this.#lost.clear()
    this.#announce = undefined
    this.#expire = undefined
    this.#mine = undefined
    this.#held.clear()
  }

  /**
   * Our presence, name or status changed: a fresh claim now, or, when our last one went less than
   * NEWS_GAP_MS ago, one saying how we are then (a relay drops a claim that comes less than
   * RELAY_GAP_MS after the one before: a status set right after going away, or a name taken right
   * after a status, went unheard until the next renewal, a minute later).
   */
  news (): void {
    if (this.#announce === undefined || this.#newsLater !== undefined) return
    // Never more than the gap: after the wall clock was set back, #lastAt (kept ahead of it) is not when our last claim went.
    const wait = Math.min(NEWS_GAP_MS, this.#lastAt + NEWS_GAP_MS - this.now())
    if (wait <= 0) { this.announce(); return }
    this.#newsLater = setTimeout(() => {
      this.#newsLater = undefined
      if (this.#announce !== undefined) this.announce()
    }, wait)
    this.#newsLater.unref?.()
  }

  /**
   * Sign and send our own claim to every link: our presence now, or `state`. News waiting for its gap
   * (news()) goes with it: sent again right after, it would reach relays too soon after this one. Not
   * with a claim closer than RELAY_GAP_MS to our last (a renewal due just after news sent at once):
   * relays drop that one, and the news still waiting is what they hear.
   */
  announce (state: PresenceState = this.ctx.own()): void {
    if (this.now() - this.#lastAt >= RELAY_GAP_MS) {
      clearTimeout(this.#newsLater)
      this.#newsLater = undefined
    }
    this.ctx.transport.broadcast({ type: 'presence-news', claims: [this.#claim(state)] })
  }

  #claim (state: PresenceState): SignedClaim {
    const { peerId, name } = this.ctx.self()
    const at = Math.max(this.now(), this.#lastAt + 1)
    this.#lastAt = at
    const said = this.ctx.people.said
    // Our build, as our hellos say it (about 9 bytes): everyone hears it, not only our links. A claim too
    // long with it (a long name and status in wide characters) goes without: presence matters more.
    const plain: PresenceClaimView = { peer: peerId, name, state, at, ...(said.status !== '' ? said : {}) }
    const built: PresenceClaimView = { ...plain, app: { version: APP_VERSION, level: FEATURE_LEVEL } }
    const base = encodeClaim(built).byteLength <= MAX_CLAIM_BYTES ? built : plain
    // The newest losses that fit: a longer claim would be refused whole by every build.
    const lost = state === 'offline' ? [] : [...this.#lost.values()]
    let news = base
    let claim = encodeClaim(news)
    while (lost.length > 0) {
      news = { ...base, lost }
      claim = encodeClaim(news)
      if (claim.byteLength <= MAX_CLAIM_BYTES) break
      lost.shift()
      news = base
      claim = encodeClaim(news)
    }
    this.#lostChanged = false
    this.#mine = { claim, sig: this.ctx.sign(signed(claim)), news }
    return this.#mine
  }

  /**
   * Our last claim if it still says what a new one would (state, name, status) and is
   * younger than the renewals' interval; else a new one. A new link hears
   * this: a fresh claim there would be news to everyone and cross the whole
   * mesh — at every swap of every link in a classroom (a tenth of its idle CPU
   * at N = 100) — while the last one is news only to who has not heard it.
   */
  #current (): SignedClaim {
    const m = this.#mine
    const state = this.ctx.own()
    if (m !== undefined && !this.#lostChanged && m.news.state === state && m.news.name === this.ctx.self().name && (m.news.status ?? '') === this.ctx.people.status && m.news.statusUntil === this.ctx.people.statusUntil && this.now() - m.news.at < announceDelay(this.#present(), this.announceMs)) return m
    return this.#claim(state)
  }

  /** Claims from link `from`: each one newer than what we hold and truly signed by its peer is applied; those pass on in one frame. */
  heard (from: string, frame: PresenceNewsFrame): void {
    const fresh = frame.claims.filter(c => this.#take(from, c))
    if (fresh.length > 0) this.ctx.transport.broadcast({ type: 'presence-news', claims: fresh }, from)
    // After every claim of the frame is in: a loss weighs against the claim of its peer we hold, whatever the order.
    for (const c of fresh) for (const loss of c.news.lost ?? []) this.#doubt(c.news.peer, loss, from)
    // A claim saying a loss that we hold already, the very same, over another link: the loss is spreading (see #doubt).
    for (const c of frame.claims) {
      if (c.news.lost === undefined || fresh.includes(c) || !sameBytes(this.#held.get(c.news.peer)?.claim.claim, c.claim)) continue
      for (const loss of c.news.lost) this.#overLink(loss, from)
    }
  }

  /** `loss` reached us over link `from` too (in a claim we hold): counted against the doubt of its peer, if any. */
  #overLink (loss: PresenceLoss, from: string): void {
    const d = this.#doubted.get(loss.peer)
    if (d !== undefined && d.at === loss.at && d.links.size < 2) d.links.add(from)
  }

  /**
   * `by` lost its link to `loss.peer`. About us: refute it, unless our newer
   * claim already does. About a peer we are linked to: our link says more.
   * Else, if the claim of it we hold is no newer than the one `by` last heard,
   * it reads as offline in twice SUSPECT_MS unless something newer of it comes.
   */
  #doubt (by: string, loss: PresenceLoss, from: string): void {
    const { peer, at } = loss
    if (peer === this.ctx.self().peerId) {
      // One naming a claim we have not said (stamped ahead) fools nobody. One naming an older claim may still be
      // believed: our newer one may have been dropped on its way as too soon after the one before.
      if (at <= (this.#mine?.news.at ?? -Infinity)) this.#refute()
      return
    }
    if (this.ctx.transport.connectedPeers().includes(peer)) return
    const held = this.#held.get(peer)
    // Only against the very claim we hold: a newer one refutes it, and a loss named after a claim still to come
    // (a stamp made up ahead) would outlast every refutation.
    if (held === undefined || held.lost === true || held.unvouched === true || held.claim.news.state === 'offline' || held.claim.news.at !== at) return
    if (this.#doubted.has(peer)) { this.#overLink(loss, from); return }
    // When `by` lost it, on our clock.
    const lastSeen = Math.min(loss.seen + this.ctx.people.clockOff(by), this.now())
    // Not refuted in SUSPECT_MS: perhaps `peer` never heard it. `by`'s claim saying it may have reached us
    // alone (a newer claim of `by`'s, without it, reached everyone else first, and they dropped this one as
    // old news): we say the loss ourselves, in a claim of ours nobody can overtake, and wait as long again.
    // Not when it came over two links or more: then it is spreading, `peer` hears it if it can, and were every
    // peer of a classroom to say it again, one laptop closing would flood the LAN with 30 claims, not 8.
    const doubt: { at: number, timer?: ReturnType<typeof setTimeout>, links: Set<string> } = { at, links: new Set([from]) }
    const arm = (echoed: boolean): void => {
      doubt.timer = setTimeout(() => {
        const now = this.#held.get(peer)
        if (now === undefined || now.claim.news.at !== at || now.claim.news.state === 'offline' || now.unvouched === true || this.ctx.transport.connectedPeers().includes(peer)) {
          this.#doubted.delete(peer)
          return
        }
        if (!echoed) {
          if (doubt.links.size < 2) this.#sayLost({ peer, at, seen: lastSeen })
          arm(true)
          return
        }
        this.#doubted.delete(peer)
        now.lost = true
        this.ctx.log(`${peer} reads as offline: ${by} lost its link to it`)
        this.ctx.people.disconnected(peer, now.claim.news.name, Math.max(lastSeen, now.heardAt))
      }, SUSPECT_MS)
      doubt.timer.unref?.()
    }
    arm(false)
    this.#doubted.set(peer, doubt)
  }

  /**
   * Someone said they lost us: a fresh claim, newer than the one they last heard, through every link (see NEWS_GAP_MS).
   */
  #refute (): void {
    if (this.#refuting !== undefined || this.#announce === undefined) return
    const t = this.now()
    // At most NEWS_GAP_MS: our claims' times are kept ahead of a clock set back, and would hold it for as long.
    const wait = Math.min(NEWS_GAP_MS, Math.max(0, this.#refutedAt + NEWS_GAP_MS - t, this.#lastAt + NEWS_GAP_MS - t))
    this.#refuting = setTimeout(() => {
      this.#refuting = undefined
      this.#refutedAt = this.now()
      if (this.#announce !== undefined) this.announce()
    }, wait)
    this.#refuting.unref?.()
  }

  #take (from: string, c: SignedClaim): boolean {
    const { peer, name, state, at, status, statusUntil, app } = c.news
    if (peer === this.ctx.self().peerId) return false
    const t = this.now()
    const held = this.#held.get(peer)
    // Closer than RELAY_GAP_MS to the last one is dropped — but never a goodbye: "offline" is the last word,
    // and dropping it would leave the peer online everywhere past this one until its lease ran out.
    const goodbye = state === 'offline' && held?.claim.news.state !== 'offline'
    // One we stopped vouching for when cut off from everyone is news again, the same claim too, however soon:
    // the next link brings it back.
    if (held?.unvouched === true ? at < held.claim.news.at : held !== undefined && (at <= held.claim.news.at || (!goodbye && t - held.heardAt < RELAY_GAP_MS))) return false
    if (!verifyBy(peer, signed(c.claim), c.sig)) {
      this.ctx.log(`refused a presence claim from ${from} in the name of ${peer}: bad signature`)
      return false
    }
    this.#held.delete(peer)
    this.#held.set(peer, { claim: c, heardAt: t })
    // Newer word of it: whoever lost it, it is here (or said goodbye); a loss of ours need not be said any more.
    const doubt = this.#doubted.get(peer)
    if (doubt !== undefined && doubt.at < at) { clearTimeout(doubt.timer); this.#doubted.delete(peer) }
    if ((this.#lost.get(peer)?.at ?? Infinity) < at) this.#forgetLoss(peer)
    if (this.#held.size > MAX_PEOPLE) this.#held.delete(this.#held.keys().next().value!)
    const people = this.ctx.people
    // Its build, in its own signed words: a relay cannot say another's.
    if (app !== undefined) people.heardBuild(peer, app)
    // Its clock against ours, from a claim that it is here (a claim is renewed each interval, and passed on a lease at most).
    if (state !== 'offline') people.heardClock(peer, t - at, announceDelay(this.#present(), this.announceMs) + this.#lease())
    // A goodbye heard late (passed on at a new link, or again by a peer that restarted) was said when it was stamped,
    // however long ago: read as now, it would tell everyone it passes on to that its peer was here until now.
    // Stamped on a clock its earlier claims showed to be off, it is read on ours; one stamped in the future is read as now.
    const lastSeen = state === 'offline' ? Math.min(at + people.clockOff(peer), t) : undefined
    // A claim says all of its peer's presence: no status in it is no status.
    people.throttled(peer, { name, state, lastSeen, status: status ?? '', statusUntil })
    return true
  }

  /**
   * A new link hears, in one frame, every claim we hold that is still good,
   * ours included: a newcomer sees the whole LAN at once. Goodbyes heard
   * within the lease go too: a goodbye is flooded once, and a peer whose
   * links were being swapped just then missed it — this is how it hears it
   * at its next link rather than when the leaver's lease runs out there.
   */
  linkUp (peerId: string): void {
    if (this.#announce === undefined) return
    // Linked again: not lost, not in doubt. (Its claim, if it was shown offline for a loss, is passed on no more:
    // it would show it here to whoever links next; its own greeting brings a fresh one.)
    this.#forgetLoss(peerId)
    const d = this.#doubted.get(peerId)
    if (d !== undefined) { clearTimeout(d.timer); this.#doubted.delete(peerId) }
    const back = this.#held.get(peerId)
    if (back !== undefined) delete back.lost
    const t = this.now()
    const lease = this.#lease()
    const claims = [this.#current()]
    for (const { claim, heardAt, unvouched, lost } of this.#held.values()) {
      if (t - heardAt < lease && claim.news.peer !== peerId && unvouched !== true && lost !== true) claims.push(claim)
    }
    for (let i = 0; i < claims.length; i += MAX_CLAIMS_PER_FRAME) this.ctx.transport.send(peerId, { type: 'presence-news', claims: claims.slice(i, i + MAX_CLAIMS_PER_FRAME) })
  }

  /**
   * Our link to `peerId` closed without a goodbye. We tell the others we are
   * still here (one claim every 3 s at most), and read the peer as gone —
   * offline, last seen `lastSeen` — only if it says nothing newer within
   * LINK_LOSS_GRACE_MS and has not linked up again. With no other link there
   * is nobody to hear from: it is gone at once, and so is everyone whose
   * claims came through it — we can no longer hear them leave, so we no
   * longer say they are here (as a client does when it loses its hub). Their
   * claims are kept: the next link brings them back at once. Once stopped,
   * every link that closes is gone at once too.
   */
  linkLost (peerId: string, name: string, lastSeen: number): void {
    const t = this.now()
    const others = this.ctx.transport.connectedPeers().filter(p => p !== peerId)
    if (others.length > 0) this.stillHere()
    this.#suspects.get(peerId)?.clear()
    this.#suspects.delete(peerId)
    // Stopped (the mesh closing its links on a switch to a hub): gone at once, with no grace timer
    // that would outlive the mesh and later mark offline someone the hub now shows online.
    if (others.length === 0 || this.#announce === undefined) {
      this.ctx.people.disconnected(peerId, name, lastSeen)
      this.#cutOff(lastSeen)
      return
    }
    const since = t - LOST_LINK_ANNOUNCE_GAP_MS
    const timer = onSilence(LINK_LOSS_GRACE_MS, () => {
      this.#suspects.delete(peerId)
      const held = this.#held.get(peerId)
      // A newer claim came: still here. (Its goodbye is no such claim: a link that came up while it was
      // leaving showed it online again, and this loss is the end of that.)
      if (held !== undefined && held.heardAt >= since && held.claim.news.state !== 'offline') return
      if (this.ctx.transport.connectedPeers().includes(peerId)) return
      this.ctx.people.disconnected(peerId, name, lastSeen)
      // Those who hear of it only through the mesh would read it online until its lease ran out: tell them.
      if (held !== undefined && held.claim.news.state !== 'offline' && held.lost !== true) this.#sayLost({ peer: peerId, at: held.claim.news.at, seen: lastSeen })
    })
    this.#suspects.set(peerId, timer)
  }

  /**
   * We lost a link (or swapped it for another): tell the others we are still
   * here, at most one claim every LOST_LINK_ANNOUNCE_GAP_MS. The far end of a
   * swap whose goodbye did not arrive in time reads its loss as ours, and
   * this claim, through the other links, is what keeps us online there.
   */
  stillHere (): void {
    const t = this.now()
    // A clock set back since the last one (t before it) is no reason to stay quiet.
    if (this.#announce === undefined || (t >= this.#lostAnnouncedAt && t - this.#lostAnnouncedAt < LOST_LINK_ANNOUNCE_GAP_MS)) return
    this.#lostAnnouncedAt = t
    this.announce()
  }

  /** Say, in a fresh claim of ours, that we lost `loss.peer`: losses close together go in one claim. */
  #sayLost (loss: PresenceLoss): void {
    this.#lost.delete(loss.peer)
    this.#lost.set(loss.peer, loss)
    this.#lostChanged = true
    if (this.#lossAnnounce !== undefined || this.#announce === undefined) return
    // Not so close to our last claim that a relay would drop it (see NEWS_GAP_MS).
    const wait = Math.min(NEWS_GAP_MS, Math.max(0, this.#lastAt + NEWS_GAP_MS - this.now()))
    this.#lossAnnounce = setTimeout(() => {
      this.#lossAnnounce = undefined
      if (this.#announce !== undefined && this.#lostChanged) this.announce()
    }, wait)
    this.#lossAnnounce.unref?.()
  }

  /** `peer` is back, or said something newer: our claims no longer say we lost it. */
  #forgetLoss (peer: string): void {
    if (this.#lost.delete(peer)) this.#lostChanged = true
  }

  /** No link left: everyone we only heard of through the mesh reads as offline, last seen `at`. */
  #cutOff (at: number): void {
    // Our next link hears a fresh claim of ours, not the last one: if someone said they lost us meanwhile
    // (we were asleep), the fresh one, newer than what they lost, brings us back everywhere.
    this.#mine = undefined
    for (const [peer, held] of this.#held) {
      if (held.claim.news.state === 'offline' || held.unvouched === true || held.lost === true) continue
      held.unvouched = true
      this.ctx.people.disconnected(peer, held.claim.news.name, at)
    }
  }

  /** Everyone whose lease ran out and who is not linked to us reads as offline, last seen when their claim came. */
  expire (): void {
    const t = this.now()
    const linked = new Set(this.ctx.transport.connectedPeers())
    const lease = this.#lease()
    for (const [peer, { claim, heardAt, unvouched, lost }] of this.#held) {
      if (t - heardAt < lease) continue
      this.#held.delete(peer)
      if (claim.news.state !== 'offline' && unvouched !== true && lost !== true && !linked.has(peer)) this.ctx.people.disconnected(peer, claim.news.name, heardAt)
    }
    // A loss is said no longer than a claim is good: past it, everyone has let the lost one's claim go.
    for (const [peer, loss] of this.#lost) if (t - loss.seen >= lease) this.#forgetLoss(peer)
  }
}
