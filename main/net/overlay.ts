import { DIAL_SILENT_MS, MAX_SILENT_DIALS, MESH_MAX_CONNECTIONS, MESH_OUTBOUND, MESH_ROTATE_MS, RECONNECT_LONG_AFTER_MS, RECONNECT_LONG_MS, RECONNECT_MAX_MS, RECONNECT_MIN_MS } from './constants.js'

/** One of our connections, as the overlay needs to see it. */
export interface OverlayLink {
  peerId: string
  /** We dialed it (our share of the degree); an inbound one is the other end's. */
  outbound: boolean
  /** It carries more than chat (a file transfer): never rotated away. */
  busy: boolean
  /** When it opened (ms): rotation replaces the oldest. */
  openedAt: number
}

/** How the overlay follows one dial. */
export interface OverlayDialOptions {
  /** Called once the address answered (a TCP connection is up: the handshake runs). */
  answered: () => void
  /** Aborted when the dial is given up before its time ("Connect now" asked addresses it does not try). */
  signal: AbortSignal
}

/** What the overlay acts through: the mesh's libp2p node. */
export interface OverlayHost {
  links: () => OverlayLink[]
  /** Blocked, or cut by the partition lab. */
  refused: (peerId: string) => boolean
  dial: (peerId: string, addrs: string[], options: OverlayDialOptions) => Promise<void>
  /** A failed dial's error says the address answered and was not LAN Chat (another program holds the port). */
  notLanChat?: (err: unknown) => boolean
  /** Close our link to `peerId`, telling it we stay on the LAN (the rotation). */
  rotateAway: (peerId: string) => Promise<void>
  /** Our own id: peers with a smaller one dial first (so two do not dial each other at once). */
  self: string
}

export interface OverlayOptions {
  /** Links each peer dials and keeps (default MESH_OUTBOUND); inbound ones come on top. */
  outbound?: number
  /** Links of both kinds past which we dial nobody, not even to rotate (default MESH_MAX_CONNECTIONS). */
  maxLinks?: number
  /** How often one outbound link is swapped for a random other peer (default MESH_ROTATE_MS; 0: never). */
  rotateMs?: number
  /** The backoff of failed dials (defaults: the RECONNECT_* constants); tests shorten it. */
  retry?: Partial<RetryTimes>
  /** A peer told of again after this long a silence is back, and dialed at once (default SEEN_AGAIN_AFTER_MS); tests shorten it. */
  seenAgainMs?: number
}

/** How long a candidate waits after failed dials, ms. */
export interface RetryTimes {
  /** After the first failure; each failure doubles it. */
  min: number
  /** The ceiling of a peer down for a while. */
  max: number
  /** Down longer than this, a peer backs off on to `long`. */
  longAfter: number
  /** The ceiling of a peer down long, or whose address answered and was not LAN Chat. */
  long: number
}

/**
 * A peer we could dial. `hearsay`: only another peer told us of it (peer
 * exchange), never mDNS, our book or a link of our own: it is forgotten
 * after HEARSAY_TRIES failed dials, and at most MAX_HEARSAY are kept.
 */
interface Candidate {
  addrs: string[]
  failures: number
  retryAt: number
  hearsay: boolean
  /** The last wait, before jitter (0: none yet); the next failure doubles it. */
  wait: number
  /** The first failure of this run of them: down since. */
  downSince?: number
  /** When mDNS (or identify) last told of it; not our book, which tells of it at a start whether it is there or not. */
  seenAt?: number
  /** The last failed dial reached something that is not LAN Chat to us (not a peer that is away). */
  answeredElse?: boolean
  /**
   * Told of after a silence, taken as back (its backoff started again from the bottom), and not linked since:
   * told of after a silence again, that is its rhythm, not a return (an older build answers only libp2p's
   * generic tag, asked once a minute: each answer comes after a silence, and a refused port would be
   * dialed from the bottom of the backoff every minute, for ever).
   */
  returned?: boolean
  /** When a linked peer's word that it is linked to this one last dialed it at once (at most every SEEN_AGAIN_AFTER_MS). */
  toldAt?: number
  /**
   * Reached, and it is another libp2p program (its identify names no chat protocol: IPFS and the
   * like, which libp2p's generic mDNS tag finds): dialed every `long` only, whatever tells of it.
   */
  foreign?: boolean
}

/** Dials of a peer we only heard of before we forget it (it may be told us again, or come by mDNS). */
const HEARSAY_TRIES = 3
/** Peers only heard of, at most: a classroom's worth twice over; a peer that tells us of more costs itself nothing of ours. */
const MAX_HEARSAY = 256
/**
 * Other libp2p programs kept (each redialed every RECONNECT_LONG_MS) that nothing told us of but
 * their dialing us, at most: one program making up ids as it dials us must not grow the list, nor
 * our dials, without end. Past it the one marked longest ago is let go.
 */
export const MAX_FOREIGN = 64
/**
 * Other libp2p programs kept in all, at most, those mDNS tells of too: more than a LAN has. One let
 * go is a new candidate when mDNS tells of it again, every few seconds, and dialed at once: were
 * those told of let go at MAX_FOREIGN, a LAN of 100 would have us dial them over and over.
 */
export const MAX_FOREIGN_ON_LAN = 256
/** Addresses kept per candidate when hearsay adds to what we knew. */
const MAX_ADDRS = 8

/** How often the overlay looks again at its degree, failed dials and rotation, ms. */
const TICK_MS = 1_000
/**
 * Dials in flight at once: a handshake is Noise and yamux on both ends, and a
 * class that starts together should not make every computer do four at once
 * (nor a hundred engines sharing one machine in the benchmark).
 */
const MAX_DIALING = 2
/** A peer with the smaller id dials first; we wait this long before dialing it ourselves. */
const DEFER_TO_SMALLER_MS = 2_000
/**
 * mDNS tells of a peer every few seconds while it is there: told again after
 * a silence this long, it is back (a laptop that returned), and a peer we
 * failed to dial is dialed at once. One it keeps telling of meanwhile (a
 * firewall refuses its port) backs off as any other.
 */
const SEEN_AGAIN_AFTER_MS = 30_000

/**
 * The mesh's shape: a bounded-degree random graph instead of everyone dialing
 * everyone. mDNS, the book of known peers and peer exchange (what a linked
 * peer tells of its own links, mesh.ts) offer candidates; each peer
 * keeps `outbound` links it dialed to random candidates, and accepts the
 * links others dial to it (the connection manager caps the total). The
 * average degree is about twice `outbound` whatever the number of peers, so
 * flooding a message costs O(N · degree) envelopes, not O(N²), and a random
 * k-out graph with k ≥ 2 is connected with high probability.
 *
 * Every `rotateMs` one outbound link is swapped for a link to a random peer
 * we are not connected to: the graph keeps mixing, and two halves that a
 * partition left each well connected inside find each other again after it
 * heals (their links would otherwise never need to cross). A link carrying a
 * file transfer is never the one swapped away.
 *
 * Failed dials back off per candidate (RECONNECT_MIN_MS doubling to
 * RECONNECT_MAX_MS), so a peer that left costs a dial now and then, not a loop;
 * down for over RECONNECT_LONG_AFTER_MS, or answering as something else than
 * LAN Chat, on up to RECONNECT_LONG_MS. What says it is back dials it at once:
 * our book at the start, mDNS seeing it again after a silence, a new address
 * (mDNS, identify or peer exchange), a link to it (its dialing us, a /dial),
 * a linked peer telling of it (peer exchange: at most every
 * SEEN_AGAIN_AFTER_MS, and not where something else answered), a heal.
 * With fewer peers than `outbound`, everyone is connected to everyone, as before.
 *
 * Two dials run at a time (MAX_DIALING): a dial whose address has not
 * answered within DIAL_SILENT_MS waits on outside that count, so addresses a
 * firewall silently drops do not hold every turn for 10 s each.
 */
export class Overlay {
  readonly #candidates = new Map<string, Candidate>()
  readonly #dialing = new Set<string>()
  /**
   * Dials of #dialing whose address has not answered after DIAL_SILENT_MS: no handshake runs, so
   * they hold none of the MAX_DIALING slots (at most MAX_SILENT_DIALS of them), and a peer that is
   * there is not kept waiting behind addresses a firewall drops (each would hold a slot for 10 s).
   */
  readonly #silent = new Set<string>()
  /** Each dial under way (of #dialing): the addresses it tries, what it came to (no `failed` when it reached the peer), and how to give it up; `dialNow` waits on one or cuts it short. */
  readonly #attempts = new Map<string, Attempt>()
  readonly #outbound: number
  readonly #maxLinks: number
  readonly #rotateMs: number
  readonly #retry: RetryTimes
  readonly #seenAgainMs: number
  #timer: ReturnType<typeof setInterval> | undefined
  #nextRotation = Infinity
  #soon = false

  constructor (
    private readonly host: OverlayHost,
    opts: OverlayOptions = {},
    private readonly random: () => number = Math.random,
    // A monotonic clock: a wall clock stepped back an hour (NTP at a wake, a clock set right by hand) would hold every redial an hour.
    private readonly now: () => number = () => performance.now()
  ) {
    this.#outbound = opts.outbound ?? MESH_OUTBOUND
    this.#maxLinks = opts.maxLinks ?? MESH_MAX_CONNECTIONS
    this.#rotateMs = opts.rotateMs ?? MESH_ROTATE_MS
    this.#seenAgainMs = opts.seenAgainMs ?? SEEN_AGAIN_AFTER_MS
    this.#retry = { min: RECONNECT_MIN_MS, max: RECONNECT_MAX_MS, longAfter: RECONNECT_LONG_AFTER_MS, long: RECONNECT_LONG_MS, ...opts.retry }
  }

  start (): void {
    if (this.#timer !== undefined) return
    this.#scheduleRotation()
    this.#timer = setInterval(() => { this.#tick() }, TICK_MS)
    this.#timer.unref?.()
  }

  stop (): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /**
   * A peer we could link to (found by mDNS, known from before): `soon` skips
   * the smaller-id courtesy. `hearsay`: another peer told us of it; its
   * addresses are added after those we know, never in their place (a peer
   * lying about them must not cut us off from a peer we reach). A peer we
   * failed to dial is dialed at once when it is back: at a new address, or
   * told of (not hearsay) after a silence.
   */
  offer (peerId: string, addrs: string[], soon = false, hearsay = false): void {
    if (peerId === this.host.self) return
    const known = this.#candidates.get(peerId)
    const t = this.now()
    if (known?.foreign === true) {
      // Another program: what mDNS or a peer says of it changes nothing (mDNS tells of it every few seconds).
      if (!hearsay && addrs.length > 0) known.addrs = addrs.slice(0, MAX_ADDRS)
      if (!hearsay && !soon) known.seenAt = t
      return
    }
    if (known !== undefined) {
      const before = known.addrs
      let back = false
      if (hearsay) {
        known.addrs = [...new Set([...known.addrs, ...addrs])].slice(0, MAX_ADDRS)
        // Peer exchange tells only of peers the teller is linked to now: one that was away may be back. Where mDNS does
        // not reach, this is how a computer that nobody can dial (its firewall) hears it, as the one back cannot dial it.
        // Dialed once now, its backoff kept: two computers the Wi-Fi keeps apart are told of each other again and again.
        if (known.failures > 0 && known.answeredElse !== true && (known.toldAt === undefined || t - known.toldAt > this.#seenAgainMs)) {
          known.toldAt = t
          known.retryAt = 0
        }
      } else {
        if (addrs.length > 0) known.addrs = addrs
        known.hearsay = false
        if (!soon) {
          back = known.returned !== true && (known.seenAt === undefined || t - known.seenAt > this.#seenAgainMs)
          known.seenAt = t
          if (back && known.failures > 0) known.returned = true
        }
      }
      // An address said with the peer's id (mDNS) or without (identify) is the same address.
      const was = new Set(before.map(bareAddr))
      const moved = known.addrs.some(a => !was.has(bareAddr(a)))
      if (soon || (known.failures > 0 && (back || moved))) fresh(known)
    } else {
      if (hearsay && this.#hearsay >= MAX_HEARSAY) return
      const defer = !soon && peerId < this.host.self ? DEFER_TO_SMALLER_MS * (0.5 + this.random()) : 0
      this.#candidates.set(peerId, { addrs: addrs.slice(0, MAX_ADDRS), failures: 0, retryAt: t + defer, hearsay, wait: 0, ...(hearsay || soon ? {} : { seenAt: t }) })
    }
    this.#maintainSoon()
  }

  get #hearsay (): number {
    let n = 0
    for (const c of this.#candidates.values()) if (c.hearsay) n++
    return n
  }

  /**
   * `peerId` turned out to be no LAN Chat peer once reached (another libp2p program): not dialed
   * again for `long` (RECONNECT_LONG_MS), as an address where another program answers, and nothing
   * that tells of it brings that forward.
   */
  foreign (peerId: string): void {
    if (peerId === this.host.self) return
    let c = this.#candidates.get(peerId)
    if (c === undefined) this.#candidates.set(peerId, c = { addrs: [], failures: 0, retryAt: 0, hearsay: false, wait: 0 })
    c.foreign = true
    c.hearsay = false
    c.failures++
    this.#backOff(c, true)
    // The one marked now goes last (a Map keeps insertion order): past the bound, the oldest go first.
    this.#candidates.delete(peerId)
    this.#candidates.set(peerId, c)
    // Those only known for dialing us past MAX_FOREIGN, and any past MAX_FOREIGN_ON_LAN.
    let foreign = 0
    let untold = 0
    for (const x of this.#candidates.values()) {
      if (x.foreign !== true) continue
      foreign++
      if (x.seenAt === undefined) untold++
    }
    for (const [id, x] of this.#candidates) {
      if (foreign <= MAX_FOREIGN_ON_LAN && untold <= MAX_FOREIGN) break
      if (x.foreign !== true || (foreign <= MAX_FOREIGN_ON_LAN && x.seenAt !== undefined)) continue
      this.#candidates.delete(id)
      foreign--
      if (x.seenAt === undefined) untold--
    }
  }

  /** Not a candidate any more (forgotten, blocked). */
  drop (peerId: string): void { this.#candidates.delete(peerId) }

  /** A link is up: its backoff starts again from the bottom, and it is no hearsay now. */
  linkUp (peerId: string): void {
    const c = this.#candidates.get(peerId)
    if (c !== undefined) { fresh(c); c.hearsay = false; delete c.returned }
  }

  /** The peer let our link go and stays on the LAN (a rotation, or it is full): dial others before it again. */
  later (peerId: string): void {
    const c = this.#candidates.get(peerId)
    if (c !== undefined) c.retryAt = Math.max(c.retryAt, this.now() + this.#retry.max * (0.8 + this.random() * 0.4))
  }

  /** A link is gone: dial another (or the same, if it is back) to keep the degree. */
  linkDown (_peerId: string): void { this.#maintainSoon() }

  /** After a heal: rotate now rather than at the next turn, so the halves link up again at once. */
  mix (): void {
    for (const c of this.#candidates.values()) if (c.foreign !== true) fresh(c)
    this.#nextRotation = 0
    this.#maintainSoon()
  }

  /** Peers we could dial now: known, not linked, not being dialed, not refused, not backing off. */
  #eligible (linked: Set<string>): string[] {
    const t = this.now()
    const out: string[] = []
    for (const [peerId, c] of this.#candidates) {
      if (c.retryAt <= t && !linked.has(peerId) && !this.#dialing.has(peerId) && !this.host.refused(peerId)) out.push(peerId)
    }
    return out
  }

  #pick (from: string[]): string | undefined {
    if (from.length === 0) return undefined
    const i = Math.floor(this.random() * from.length)
    const [peerId] = from.splice(i, 1)
    return peerId
  }

  #maintainSoon (): void {
    if (this.#soon || this.#timer === undefined) return
    this.#soon = true
    setTimeout(() => { this.#soon = false; this.maintain() }, 0).unref?.()
  }

  /** Dial random candidates until `outbound` links we dialed are up or being dialed. */
  maintain (): void {
    if (this.#timer === undefined) return
    const links = this.host.links()
    // Full with links others dialed (a teacher everyone typed the address of): they are our degree.
    if (links.length >= this.#maxLinks) return
    const linked = new Set(links.map(l => l.peerId))
    const outbound = links.filter(l => l.outbound).length
    const eligible = this.#eligible(linked)
    const handshaking = this.#dialing.size - this.#silent.size
    const room = MAX_DIALING + MAX_SILENT_DIALS - this.#dialing.size
    for (let missing = Math.min(this.#outbound - outbound, MAX_DIALING, handshaking + room) - handshaking; missing > 0; missing--) {
      const peerId = this.#pick(eligible)
      if (peerId === undefined) return
      void this.#dial(peerId)
    }
  }

  /**
   * A person asked to link to `peerId` now (they know it is back: it said so across the room, its laptop
   * woke): dialed at once at every address known of it (`addrs`, the book's, added to what mDNS or peer
   * exchange told), whatever its backoff, the degree or the dials under way. A dial of it under way that
   * tries every one of `addrs` is waited on; one that does not (it had only where others said the peer
   * was: an address it left, which may take a dial's whole timeout to give nothing) is given up at once,
   * not counted as a failure, and every address is dialed. Resolves once it is reached; rejects with the
   * dial's error (backed off as any failed dial). False, with no dial, when no address of it is known.
   */
  async dialNow (peerId: string, addrs: string[]): Promise<boolean> {
    const running = this.#attempts.get(peerId)
    if (running !== undefined) {
      if (!tries(running, addrs)) running.abort.abort()
      const { failed } = await running.result
      if (failed === undefined) return true
      if (!running.abort.signal.aborted) throw failed
    }
    let c = this.#candidates.get(peerId)
    if (c === undefined && addrs.length === 0) return false
    if (c === undefined) this.#candidates.set(peerId, c = { addrs: addrs.slice(0, MAX_ADDRS), failures: 0, retryAt: 0, hearsay: false, wait: 0 })
    // The book's first: where it listened when we were last linked, before what others told of it.
    else c.addrs = [...new Set([...addrs, ...c.addrs])].slice(0, MAX_ADDRS)
    if (c.addrs.length === 0) return false
    // Known from a link of our own: no longer only heard of. With no address of ours, what others said is all it is.
    if (addrs.length > 0) c.hearsay = false
    // One the overlay began meanwhile is waited on when it tries all these too.
    const now = this.#attempts.get(peerId)
    const { failed } = await (now !== undefined && tries(now, c.addrs) ? now : this.#attempt(peerId, c)).result
    if (failed !== undefined) throw failed
    return true
  }

  async #dial (peerId: string): Promise<boolean> {
    const c = this.#candidates.get(peerId)
    if (c === undefined) return false
    const { failed } = await this.#attempt(peerId, c).result
    return failed === undefined
  }

  /** Dial candidate `c` (its backoff on a failure); kept in #attempts while it runs. */
  #attempt (peerId: string, c: Candidate): Attempt {
    const abort = new AbortController()
    const attempt = { addrs: [...c.addrs], abort, result: this.#run(peerId, c, abort.signal) }
    this.#attempts.set(peerId, attempt)
    void attempt.result.finally(() => { if (this.#attempts.get(peerId) === attempt) this.#attempts.delete(peerId) })
    return attempt
  }

  async #run (peerId: string, c: Candidate, signal: AbortSignal): Promise<{ failed?: unknown }> {
    this.#dialing.add(peerId)
    let answered = false
    // Nothing answered yet (a SYN on a LAN is answered in a millisecond): its slot goes to the next candidate.
    const quiet = setTimeout(() => {
      if (answered || !this.#dialing.has(peerId)) return
      this.#silent.add(peerId)
      this.#maintainSoon()
    }, DIAL_SILENT_MS)
    const heard = (): void => {
      answered = true
      clearTimeout(quiet)
      this.#silent.delete(peerId)
    }
    try {
      await this.host.dial(peerId, c.addrs, { answered: heard, signal })
      return {}
    } catch (err) {
      // Given up for a dial at more addresses ("Connect now"): no failure of the peer's.
      if (signal.aborted) return { failed: err }
      c.failures++
      if (c.hearsay && c.failures >= HEARSAY_TRIES) { this.#candidates.delete(peerId); return { failed: err } }
      this.#backOff(c, this.host.notLanChat?.(err) === true)
      return { failed: err }
    } finally {
      clearTimeout(quiet)
      this.#silent.delete(peerId)
      this.#dialing.delete(peerId)
      this.#maintainSoon()
    }
  }

  /**
   * After a failed dial: the wait doubles up to `max`, and on up to `long`
   * once the peer has been down for `longAfter`; an address that answered as
   * something else waits `long` at once (whoever holds that port now would
   * get a junk connection every `max` for ever). With jitter, so the LAN's
   * peers do not dial in step.
   */
  #backOff (c: Candidate, notLanChat: boolean): void {
    const t = this.now()
    const { min, max, longAfter, long } = this.#retry
    c.downSince ??= t
    c.answeredElse = notLanChat
    const ceiling = notLanChat || t - c.downSince >= longAfter ? long : max
    c.wait = notLanChat ? long : Math.min(ceiling, c.wait === 0 ? min : c.wait * 2)
    c.retryAt = t + c.wait * (0.8 + this.random() * 0.4)
  }

  #scheduleRotation (): void {
    this.#nextRotation = this.#rotateMs > 0 ? this.now() + this.#rotateMs * (0.75 + this.random() * 0.5) : Infinity
  }

  #tick (): void {
    this.maintain()
    if (this.now() < this.#nextRotation) return
    this.#scheduleRotation()
    void this.rotate()
  }

  /**
   * Swap one outbound link for a random peer we are not linked to: dial the
   * new one first, then close the oldest outbound link that carries only chat
   * (if we now have more than `outbound`). Resolves to the peer added, if any.
   */
  async rotate (): Promise<string | undefined> {
    const links = this.host.links()
    if (links.length >= this.#maxLinks) return undefined
    const linked = new Set(links.map(l => l.peerId))
    const peerId = this.#pick(this.#eligible(linked))
    if (peerId === undefined || !await this.#dial(peerId)) return undefined
    const ours = this.host.links().filter(l => l.outbound)
    if (ours.length <= this.#outbound) return peerId
    const oldest = ours.filter(l => !l.busy && l.peerId !== peerId).sort((a, b) => a.openedAt - b.openedAt)[0]
    if (oldest !== undefined) await this.host.rotateAway(oldest.peerId).catch(() => {})
    return peerId
  }
}

/** Back off from the bottom: the peer is back, or may be. */
/** A multiaddr without its trailing /p2p/ id. */
function bareAddr (addr: string): string { return addr.replace(/\/p2p\/[^/]+$/, '') }

function fresh (c: Candidate): void {
  c.failures = 0
  c.retryAt = 0
  c.wait = 0
  delete c.downSince
  delete c.answeredElse
}

/** A dial under way: the addresses it tries, what it came to, and its abort. */
interface Attempt {
  addrs: readonly string[]
  result: Promise<{ failed?: unknown }>
  abort: AbortController
}

/** Whether a dial under way tries every one of `addrs` (with the peer's id or without). */
function tries (attempt: { addrs: readonly string[] }, addrs: readonly string[]): boolean {
  const tried = new Set(attempt.addrs.map(bareAddr))
  return addrs.every(a => tried.has(bareAddr(a)))
}
