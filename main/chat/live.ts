/**
 * Typing and presence: what is live about people, never chat history. The
 * engine keeps one of these whatever the architecture; the orderings hand it
 * the ephemeral frames they get (the link says who, or the hub does) and send
 * what it asks them to. Nothing here is written to the database except a
 * peer's last-seen time, which the mesh keeps in its peers table.
 *
 * @example
 * ```ts
 * const live = new LivePeople(self, e => { events.emit(e) })
 * if (live.mayType()) ordering.live({ type: 'typing', room: 'lobby' })   // at most one every 3 s
 * live.typing('bob-id', 'Bob', 'lobby')      // emits peer:typing, or drops it when Bob is too fast
 * live.connected('bob-id', 'Bob')            // emits peer:presence online
 * ```
 */
import type { PresenceState } from '../net/live-codec.js'
import { peerBuild, type AppBuild, type PeerBuild } from '../core/build.js'
import { FEATURE_LEVEL } from '../net/constants.js'
import type { EngineEvent } from './types.js'
import { MAX_KEPT_DIRECTS } from '../core/limits.js'
import { clockOffTaken } from '../core/written-at.js'
import { MAX_PEOPLE } from './presence-relay.js'
import { fingerprint } from './views.js'

/** A sender says "typing" at most once in this long (per peer, whatever the room). */
export const TYPING_INTERVAL_MS = 3_000
/** A receiver drops typing frames from one peer closer together than this (the interval less some network jitter). */
export const TYPING_MIN_GAP_MS = 2_500

/** A peer's presence changes closer together than this are coalesced: the latest is told once the gap is over (a flood of away/online would flood the hosts). */
export const PRESENCE_MIN_GAP_MS = 1_000

/** An offline word about a peer already offline tells of a new departure only when its last-seen time is this much later: told once. */
export const SAME_DEPARTURE_MS = 60_000

/**
 * A table of when each peer was last heard, for a rate limit: only the last `gap` counts, so
 * past MAX_PEOPLE entries the older ones go (frames relayed from ever new keys must not grow it).
 */
function keepRecent (heard: Map<string, number>, now: number, gap: number): void {
  if (heard.size <= MAX_PEOPLE) return
  for (const [id, at] of heard) if (now - at >= gap) heard.delete(id)
}

/** What hosts see of someone's presence. */
export interface PresenceView {
  peerId: string
  name: string
  /** Their key as people compare it ("3f9a·c21e"): where two go by one name, what tells them apart. */
  fingerprint?: string
  state: PresenceState
  /** When they were last connected (ms), for someone offline. */
  lastSeen?: number
  /** Their status in their own words ("In a meeting until 3"); absent when they set none. */
  status?: string
  /** When that status clears itself (ms, as they said it): it is gone from here then too, whether they are online or not. */
  statusUntil?: number
  /**
   * Their LAN Chat as last heard (their hello, their signed claim, or a hub telling its clients of one
   * another), compared with ours; absent when none said it. What marks them older or newer where
   * people are listed by presence (a client's fellow clients, the terminal's /who).
   */
  build?: PeerBuild
}

/** The longest a timer waits before looking again whether a status's time came (a timer cannot wait 25 days). */
const STATUS_CHECK_MS = 24 * 3_600_000

/** The furthest time to clear a peer's status that is taken as said: an app sets a week at most; more is a wrong clock or a made-up frame. */
const STATUS_UNTIL_HELD_MS = 31 * 86_400_000

/**
 * A peer's clock off ours by less than this is taken as it says (a claim passed on at a new link
 * is up to a renewal interval old); by more, the times it gives (when its status clears itself,
 * when it left) are read on our clock, ms.
 */
export const CLOCK_SLACK_MS = 2 * 60_000

/**
 * How far a clock that read `theirs` when ours read `ours` runs behind ours (ms; negative: ahead),
 * read off a hello said just now; 0 within CLOCK_SLACK_MS, or when it did not say.
 */
export function clockOffAt (theirs: number | undefined, ours: number): number {
  if (theirs === undefined) return 0
  const lag = ours - theirs
  // A hello from the year 285,000 (or 1970) tells nothing of a clock: not taken (core/written-at.ts).
  return Math.abs(lag) > CLOCK_SLACK_MS && clockOffTaken(lag) ? lag : 0
}

/** Our own presence as we say it: online unless idle or set away by hand. */
export type OwnPresence = Exclude<PresenceState, 'offline'>

/** What presence news says of a peer (LivePeople.presence's arguments); `status` absent: not said, kept as it was. */
export interface PresenceNews { name: string, state: PresenceState, lastSeen?: number | undefined, status?: string | undefined, statusUntil?: number | undefined }

export class LivePeople {
  #own: OwnPresence = 'online'
  #status = ''
  #statusUntil: number | undefined
  /** Clears a peer's status when its time comes. */
  readonly #statusEnds = new Map<string, ReturnType<typeof setTimeout>>()
  #typingSent = -Infinity
  readonly #typingHeard = new Map<string, number>()
  readonly #presenceHeard = new Map<string, number>()
  readonly #presenceLater = new Map<string, { news: PresenceNews, timer: ReturnType<typeof setTimeout> }>()
  readonly #people = new Map<string, PresenceView>()
  /** Each peer's last known build, from its hello or its own signed claim (oldest heard first); kept past its link. */
  readonly #builds = new Map<string, AppBuild>()
  #buildsChanged: () => void = () => {}
  /** Whether a peer ever showed itself real here (linked to us, or wrote something delivered), as of now: its build is let go last. */
  #vouched: () => (peerId: string) => boolean = () => () => false
  /** How far each peer's clock runs behind ours (negative: ahead), ms, where its claims (or live messages) showed it off by more than CLOCK_SLACK_MS. */
  readonly #clockOff = new Map<string, number>()
  /** People the user forgot, and when (ms): not listed again on word that they are offline, only on word that they are here. */
  readonly #forgotten = new Map<string, number>()
  #keepForgotten: (forgotten: Record<string, number>) => void = () => {}

  constructor (
    /** `previousName`: with a presence whose name changed, the name it replaces. */
    private readonly emit: (e: EngineEvent, previousName?: string) => void,
    private readonly now: () => number = () => Date.now(),
    /** Our own id: our status's time is the engine's to keep (it clears it, keeps that and tells the network), not a timer's here. */
    private readonly self: () => string = () => ''
  ) {}

  get own (): OwnPresence { return this.#own }
  /** Our status in our own words, '' for none. */
  get status (): string { return this.#status }
  /** When our status clears itself (ms), if it was set to. */
  get statusUntil (): number | undefined { return this.#statusUntil }
  /** Our status as frames and claims say it: its words ('' for none) and, with words, when they clear themselves. */
  get said (): { status: string, statusUntil?: number } {
    return { status: this.#status, ...(this.#statusUntil !== undefined ? { statusUntil: this.#statusUntil } : {}) }
  }

  /** Whether a typing frame may go out now (and if so, counts it as sent). */
  mayType (): boolean {
    const t = this.now()
    if (t - this.#typingSent < TYPING_INTERVAL_MS) return false
    this.#typingSent = t
    return true
  }

  /** Our presence changed: true when it is news (the caller tells the network). */
  setOwn (state: OwnPresence): boolean {
    if (state === this.#own) return false
    this.#own = state
    return true
  }

  /** Our status changed (or the time it clears itself): true when it is news (the caller tells the network). */
  setStatus (status: string, until?: number): boolean {
    const end = status === '' ? undefined : until
    if (status === this.#status && end === this.#statusUntil) return false
    this.#status = status
    this.#statusUntil = end
    return true
  }

  /** `peerId` says it is typing in `room`: told on, unless it is faster than one per TYPING_MIN_GAP_MS. */
  typing (peerId: string, name: string, room: string): boolean {
    const t = this.now()
    const last = this.#typingHeard.get(peerId)
    if (last !== undefined && t - last < TYPING_MIN_GAP_MS) return false
    this.#typingHeard.set(peerId, t)
    keepRecent(this.#typingHeard, t, TYPING_MIN_GAP_MS)
    this.emit({ type: 'peer:typing', room, peer: peerId, name: name || this.#people.get(peerId)?.name || '' })
    return true
  }

  /**
   * Take presence news about `peerId` at most once per PRESENCE_MIN_GAP_MS:
   * now, or (when too soon) the latest of what came meanwhile, once the gap
   * is over. The last word always wins; only the flood in between is lost.
   * News that does not say a status (a frame about being away, a hub's word of
   * a rename) keeps the status said by the news it overtakes.
   */
  throttled (peerId: string, news: PresenceNews): void {
    const t = this.now()
    const last = this.#presenceHeard.get(peerId)
    if (last === undefined || t - last >= PRESENCE_MIN_GAP_MS) {
      this.#presenceHeard.set(peerId, t)
      keepRecent(this.#presenceHeard, t, PRESENCE_MIN_GAP_MS)
      this.#take(peerId, news)
      return
    }
    const waiting = this.#presenceLater.get(peerId)
    if (waiting !== undefined) {
      const said = waiting.news.status
      waiting.news = news.status === undefined && said !== undefined ? { ...news, status: said, ...(waiting.news.statusUntil !== undefined ? { statusUntil: waiting.news.statusUntil } : {}) } : news
      return
    }
    const later = {
      news,
      timer: setTimeout(() => {
        this.#presenceLater.delete(peerId)
        this.#presenceHeard.set(peerId, this.now())
        this.#take(peerId, later.news)
      }, PRESENCE_MIN_GAP_MS - (t - last))
    }
    later.timer.unref?.()
    this.#presenceLater.set(peerId, later)
  }

  #take (peerId: string, n: PresenceNews): void { this.presence(peerId, n.name, n.state, n.lastSeen, n.status, n.statusUntil) }

  /**
   * A claim of `peerId`'s that it is here came: stamped `lag` ms before our clock says it came.
   * A claim is at most `oldest` ms old when heard (it is renewed, and passed on only while good),
   * so one stamped in the future, or longer ago than that, shows its peer's clock to be off by
   * about `lag`: from then on the times it gives are read on ours (a status "until 17:30" set on a
   * clock three hours ahead clears at 14:30 here, when its half hour is over). A goodbye teaches
   * nothing: one heard late (passed on at a new link) is old for real.
   */
  heardClock (peerId: string, lag: number, oldest: number): void {
    // A claim stamped past any real clock (the year 285,000) is not taken for one (core/written-at.ts).
    if (!clockOffTaken(lag)) return
    const off = lag < -CLOCK_SLACK_MS || lag > oldest + CLOCK_SLACK_MS ? lag : 0
    // Renewals come a few ms apart in lag: only a change past the slack (a clock set right, or wrong again) counts.
    if (Math.abs(off - (this.#clockOff.get(peerId) ?? 0)) <= CLOCK_SLACK_MS) return
    if (off === 0) this.#clockOff.delete(peerId)
    else this.#clockOff.set(peerId, off)
    if (this.#clockOff.size > MAX_PEOPLE) this.#clockOff.delete(this.#clockOff.keys().next().value!)
  }

  /**
   * A message of `peerId`'s came live straight from it (not caught up on, not passed on late),
   * `lag` ms after the time its clock gave it: such a message left within seconds of being written,
   * so a lag past the slack shows its clock off by about that much, as a claim would (a laptop
   * whose battery died, back in 2025, is heard so before its first claim is renewed). Within the
   * slack it agrees: an offset taken earlier is dropped (the clock was set right).
   */
  heardWritten (peerId: string, lag: number): void {
    if (!Number.isSafeInteger(lag)) return
    this.heardClock(peerId, lag, 0)
  }

  /** How far `peerId`'s clock runs behind ours, ms (negative: ahead), as its claims and live messages showed; 0 when it agrees (within CLOCK_SLACK_MS) or is not known. */
  clockOff (peerId: string): number { return this.#clockOff.get(peerId) ?? 0 }

  /**
   * `peerId` runs `app`, as its hello or its own signed claim said: kept (for at most MAX_PEOPLE
   * peers, the least recently heard let go) so that the list tags it whether or not we are linked.
   */
  heardBuild (peerId: string, app: AppBuild): void {
    const before = this.#builds.get(peerId)
    this.#builds.delete(peerId)
    this.#builds.set(peerId, app)
    if (this.#builds.size > MAX_PEOPLE) this.#builds.delete(this.#letGo())
    if (before?.version === app.version && before?.level === app.level) return
    this.#buildsChanged()
    // Someone listed: the hosts hear their new build now, not at their next change of presence.
    const view = this.#people.get(peerId)
    if (view !== undefined) this.emit({ type: 'peer:presence', ...this.#shown(view) })
  }

  /** A view as hosts see it: with the build last heard of its peer. */
  #shown (view: PresenceView): PresenceView {
    const app = this.#builds.get(view.peerId)
    return app === undefined ? view : { ...view, build: peerBuild(app, FEATURE_LEVEL) }
  }

  /**
   * Whose build goes to make room: the least recently heard of the keys that never showed themselves
   * real here (the one just heard at the latest, when it is such a key), else the least recently heard.
   */
  #letGo (): string {
    const vouched = this.#vouched()
    for (const peerId of this.#builds.keys()) if (!vouched(peerId)) return peerId
    return this.#builds.keys().next().value!
  }

  /**
   * Builds kept from before (a restart; older than any heard since), and what to call when one is new or changed.
   */
  keepBuilds (saved: Record<string, AppBuild>, changed: () => void): void {
    const heard = [...this.#builds]
    this.#builds.clear()
    for (const [peerId, app] of [...Object.entries(saved), ...heard]) this.#builds.set(peerId, app)
    this.#buildsChanged = changed
  }

  /**
   * How to tell whether a peer ever showed itself real here (linked to us, or wrote something
   * delivered): `vouched()` is asked once for each choice of whom to let go, and those it vouches
   * for (their presence, their build) go last. Keys cost nothing to make; a link or a message does.
   */
  vouchBy (vouched: () => (peerId: string) => boolean): void { this.#vouched = vouched }

  /**
   * The mode's store is closing: builds heard from now on stay in memory only, and no one is vouched
   * for, until the next mode hooks its own (keepBuilds, vouchBy). A write to the closed store fails.
   */
  unhook (): void {
    this.#buildsChanged = () => {}
    this.#vouched = () => () => false
  }

  /**
   * The `most` builds to keep, in the order heard: those of peers vouched for first, the most recently
   * heard of them, then the most recently heard of the rest. Keys cost nothing to make: claims signed
   * under a thousand fresh ones must not push out the builds of the people who were really here.
   */
  builds (most: number): Record<string, AppBuild> {
    const all = [...this.#builds]
    if (all.length <= most) return Object.fromEntries(all)
    const real = this.#vouched()
    const vouched = all.filter(([peerId]) => real(peerId))
    const rest = vouched.length >= most ? [] : all.filter(([peerId]) => !real(peerId)).slice(-(most - vouched.length))
    const kept = new Set([...vouched.slice(-most), ...rest].map(([peerId]) => peerId))
    return Object.fromEntries(all.filter(([peerId]) => kept.has(peerId)))
  }

  /** `peerId`'s last known build, if it said one. */
  buildOf (peerId: string): AppBuild | undefined { return this.#builds.get(peerId) }

  /** A peer's link is up: online (an away frame may follow). */
  connected (peerId: string, name: string): void { this.presence(peerId, name, 'online') }

  /** A peer's link is gone: offline, last seen now (or `at`). */
  disconnected (peerId: string, name?: string, at: number = this.now()): void {
    this.#typingHeard.delete(peerId)
    this.#presenceHeard.delete(peerId)
    // News that waited for the gap is older than the link's end.
    const waiting = this.#presenceLater.get(peerId)
    if (waiting !== undefined) clearTimeout(waiting.timer)
    this.#presenceLater.delete(peerId)
    this.presence(peerId, name ?? this.#people.get(peerId)?.name ?? '', 'offline', at)
  }

  /**
   * A peer said (or a hub said of it) how it is; emitted only when something changed. `status`:
   * its words on how it is, '' for none; undefined when this news does not say (the last word stays).
   * `statusUntil`, with `status`: when it clears itself (ms); one whose time has come is none.
   */
  presence (peerId: string, name: string, state: PresenceState, lastSeen?: number, status?: string, statusUntil?: number): void {
    // Someone forgotten: others still tell of their departure (a relay, a hub's roster, our own link's end); only their return lists them.
    if (this.#forgotten.has(peerId)) {
      if (state === 'offline') return
      this.#forgotten.delete(peerId)
      this.#keepForgotten(Object.fromEntries(this.#forgotten))
    }
    const before = this.#people.get(peerId)
    // Its time on our clock, where its clock is known to be off (a status of half an hour is half an hour here too).
    const ours = statusUntil !== undefined ? statusUntil + this.clockOff(peerId) : undefined
    // A time to clear past any a status is set for (a week; a month allows for a wrong clock) is none: shown as set for good.
    const until = ours !== undefined && ours - this.now() <= STATUS_UNTIL_HELD_MS ? ours : undefined
    const said = status !== undefined ? { words: status, until } : { words: before?.status ?? '', until: before?.statusUntil }
    const over = said.until !== undefined && said.until <= this.now()
    const words = over ? '' : said.words
    const view: PresenceView = {
      peerId, name: name || before?.name || '', fingerprint: fingerprint(peerId), state,
      ...(state === 'offline' ? { lastSeen: lastSeen ?? before?.lastSeen ?? this.now() } : {}),
      ...(words !== '' ? { status: words, ...(said.until !== undefined ? { statusUntil: said.until } : {}) } : {})
    }
    if (before !== undefined && before.state === view.state && before.name === view.name && before.lastSeen === view.lastSeen && before.status === view.status && before.statusUntil === view.statusUntil) return
    // One departure heard twice (its goodbye, then the link's end a moment later; a hub's word after ours), or
    // older news of it (a sleeping peer's claim running out after its link was dropped, with when the claim came):
    // the later time is kept, and told only when someone would read a later "last seen", never an earlier one.
    if (before?.state === 'offline' && view.state === 'offline' && before.name === view.name && before.status === view.status && before.statusUntil === view.statusUntil &&
      (view.lastSeen ?? 0) - (before.lastSeen ?? 0) < SAME_DEPARTURE_MS) {
      this.#people.set(peerId, { ...view, lastSeen: Math.max(view.lastSeen ?? 0, before.lastSeen ?? 0) })
      return
    }
    this.#people.set(peerId, view)
    if (before === undefined) this.#trim()
    this.#endStatusLater(peerId, view.statusUntil)
    const renamed = before !== undefined && before.name !== '' && before.name !== view.name
    this.emit({ type: 'peer:presence', ...this.#shown(view) }, renamed ? before.name : undefined)
  }

  /** A status set to clear itself goes from here when its time comes, even if its peer is not there to say so. */
  #endStatusLater (peerId: string, until: number | undefined): void {
    clearTimeout(this.#statusEnds.get(peerId))
    this.#statusEnds.delete(peerId)
    if (until === undefined || peerId === this.self()) return
    const timer = setTimeout(() => {
      this.#statusEnds.delete(peerId)
      const view = this.#people.get(peerId)
      if (view?.statusUntil !== until) return
      if (until <= this.now()) this.presence(peerId, view.name, view.state, view.lastSeen, '')
      else this.#endStatusLater(peerId, until)
    }, Math.min(Math.max(0, until - this.now()), STATUS_CHECK_MS))
    timer.unref?.()
    this.#statusEnds.set(peerId, timer)
  }

  /** Someone known from before (the peers table): offline since `lastSeen`, without an event. */
  remembered (peerId: string, name: string, lastSeen: number): void {
    if (this.#people.has(peerId) || this.#forgotten.has(peerId)) return
    this.#people.set(peerId, { peerId, name, state: 'offline', lastSeen })
    this.#trim()
  }

  /** Someone the book let go of, not seen for half a year: no longer listed while offline (as after a restart), unless word of them comes again. */
  agedOut (peerId: string): void {
    if (this.#people.get(peerId)?.state !== 'offline') return
    this.#drop(peerId)
  }

  /**
   * At most MAX_PEOPLE known, as the relay keeps claims of: past it the one
   * offline the longest goes (signed claims of keys minted for it must not grow
   * this without end), with what was kept about it. Word of them lists them again.
   * Keys never vouched for go first: made-up keys all claiming to be here would
   * otherwise push out the real people who went home, their builds with them.
   */
  #trim (): void {
    if (this.#people.size <= MAX_PEOPLE) return
    const vouched = this.#vouched()
    const gone = this.#longestGone(p => !vouched(p.peerId)) ?? this.#longestGone(() => true) ?? this.#people.values().next().value
    if (gone === undefined) return
    this.#drop(gone.peerId)
  }

  /** Of the people `among` (never ourselves), the one offline the longest, else the one listed first. */
  #longestGone (among: (p: PresenceView) => boolean): PresenceView | undefined {
    let gone: PresenceView | undefined
    let first: PresenceView | undefined
    for (const p of this.#people.values()) {
      if (p.peerId === this.self() || !among(p)) continue
      first ??= p
      if (p.state === 'offline' && (gone === undefined || (p.lastSeen ?? 0) < (gone.lastSeen ?? 0))) gone = p
    }
    return gone ?? first
  }

  /** Let go of someone listed, with what was kept about them. */
  #drop (peerId: string): void {
    this.#people.delete(peerId)
    this.#builds.delete(peerId)
    this.#clockOff.delete(peerId)
    this.#endStatusLater(peerId, undefined)
    this.#typingHeard.delete(peerId)
    this.#presenceHeard.delete(peerId)
    const waiting = this.#presenceLater.get(peerId)
    if (waiting !== undefined) clearTimeout(waiting.timer)
    this.#presenceLater.delete(peerId)
  }

  of (peerId: string): PresenceView | undefined {
    const view = this.#people.get(peerId)
    return view === undefined ? undefined : this.#shown(view)
  }

  /**
   * Someone the user forgot: not listed any more, nor again on word that they are offline (kept
   * through `keep` given to `forgotten`, the oldest dropped past MAX_KEPT_DIRECTS); a link to them,
   * or word that they are online or away, lists them again.
   */
  forget (peerId: string): void {
    this.#forgotten.delete(peerId)
    this.#forgotten.set(peerId, this.now())
    for (const id of this.#forgotten.keys()) {
      if (this.#forgotten.size <= MAX_KEPT_DIRECTS) break
      this.#forgotten.delete(id)
    }
    this.#keepForgotten(Object.fromEntries(this.#forgotten))
    this.#people.delete(peerId)
    this.#clockOff.delete(peerId)
    this.#endStatusLater(peerId, undefined)
    this.#typingHeard.delete(peerId)
    this.#presenceHeard.delete(peerId)
  }

  list (): PresenceView[] { return [...this.#people.values()].map(v => this.#shown(v)) }

  /** Whom the user forgot, as the data directory keeps them (one list for both modes), and where to keep them when that changes. */
  forgotten (kept: Record<string, number>, keep: (forgotten: Record<string, number>) => void): void {
    this.#forgotten.clear()
    for (const [peerId, at] of Object.entries(kept)) {
      this.#forgotten.set(peerId, at)
      this.#people.delete(peerId)
    }
    this.#keepForgotten = keep
  }

  /** A new architecture: whom we knew there says nothing about here. */
  clear (): void {
    this.#people.clear()
    this.#clockOff.clear()
    this.#typingHeard.clear()
    this.#presenceHeard.clear()
    for (const { timer } of this.#presenceLater.values()) clearTimeout(timer)
    this.#presenceLater.clear()
    for (const timer of this.#statusEnds.values()) clearTimeout(timer)
    this.#statusEnds.clear()
    this.#typingSent = -Infinity
  }
}
