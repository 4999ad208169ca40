/**
 * What the desktop app does with the engine's events to notify, without Electron: it keeps what
 * the rule of ./notify.ts needs (who we are; Settings' muted rooms, level, words and pause; the
 * peers blocked and the names known) and shows, replaces or closes one notification per
 * conversation on a `NoteScreen`. Electron's main gives it the system's notifications; the UI test
 * host one that records them, so the end-to-end tests see what the app would show.
 *
 * @example
 * ```ts
 * const notifier = new Notifier({ screen, clock: Date.now, background: () => !window.isFocused() })
 * notifier.settings(snapshot.settings)      // then each engine event, settings and peers included:
 * engine.on((event) => notifier.event(event))
 * window.on('focus', () => notifier.seen()) // the next message starts a burst of its own
 * ```
 */
import type { AppEvent, EngineStatus, NotifyLevel, PeerView, Settings } from '../../preload/contract.js'
import { notifyPaused } from '../../preload/contract.js'
import { NotificationBursts, type BurstNotification, type NotifyContext } from './notify.js'

/** Where notifications show: the system's, or a test's record of them. */
export interface NoteScreen {
  /** Show one, in place of the one on screen for its conversation when it `replaces` it. */
  show(note: BurstNotification): void
  /** Take a conversation's notification off the screen, if one is there. */
  close(room: string): void
  /** Whether a notification of the conversation is on screen. */
  showing(room: string): boolean
}

export interface NotifierHost {
  screen: NoteScreen
  /** Now, in ms since 1970 (a test moves it). */
  clock: () => number
  /** The window is in the background (not focused) and the system shows notifications: only then does a message notify. */
  background: () => boolean
}

export class Notifier {
  readonly #host: NotifierHost
  readonly #bursts: NotificationBursts
  #status: EngineStatus = { state: 'starting' }
  #muted: readonly string[] = []
  #level: NotifyLevel = 'all'
  #preview = true
  #pausedUntil: Settings['notifyPausedUntil']
  #blocked: ReadonlySet<string> = new Set()
  #others: readonly string[] = []

  constructor(host: NotifierHost, bursts = new NotificationBursts()) {
    this.#host = host
    this.#bursts = bursts
  }

  /** What Settings say of notifications (from the snapshot, then each settings event). */
  settings(settings: Settings): void {
    this.#muted = settings.muted ?? []
    this.#level = settings.notify ?? 'all'
    this.#preview = settings.notifyPreview !== false
    this.#pausedUntil = settings.notifyPausedUntil
  }

  /** Who is blocked (nothing of theirs notifies) and the names known ("@Anna K." is not a mention of Anna). */
  peers(peers: readonly PeerView[]): void {
    this.#blocked = new Set(peers.filter((p) => p.blocked === true).map((p) => p.peerId))
    this.#others = peers.map((p) => p.name)
  }

  /** Notifications are paused now (Settings → Pause notifications). */
  get paused(): boolean {
    return notifyPaused(this.#pausedUntil, this.#host.clock())
  }

  event(event: AppEvent): void {
    if (event.type === 'status') this.#status = event.status
    if (event.type === 'peers') this.peers(event.peers)
    if (event.type === 'settings') this.settings(event.settings)
    const { screen } = this.#host
    // A notification about a message since deleted, or edited, is taken off the screen: it would show words no longer said.
    const retracted = this.#bursts.retracted(event)
    if (retracted !== undefined) screen.close(retracted)
    // An earlier message of a burst deleted: the notification on screen counts it no more ("2 new messages", not 3).
    // Shown again, it would pop up: not while paused.
    const recounted = this.#bursts.recounted(event)
    if (recounted !== undefined && screen.showing(recounted.room) && !this.paused) screen.show(recounted)
    if (this.#status.state !== 'running' || !this.#host.background()) return
    // One per conversation per burst: a class answering at once, a flood or a catch-up is one notification that keeps count.
    const { peerId: self, name } = this.#status
    const ctx: NotifyContext = { self, name, muted: this.#muted, level: this.#level, blocked: this.#blocked, others: this.#others, preview: this.#preview, pausedUntil: this.#pausedUntil }
    const shown = this.#bursts.next(event, ctx, this.#host.clock())
    if (shown !== undefined) screen.show(shown)
  }

  /** The window got the focus: what was notified is seen, and the next message starts a new burst. */
  seen(): void {
    this.#bursts.seen()
  }
}
