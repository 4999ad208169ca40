import { createContext, useContext } from 'react'
import { buildHint, type PeerBuild, type PresenceView } from '../../../preload/contract'
import { untilLabel } from '../format'
import { presenceLabel, typingText, useTyping } from '../people'

/** The peers this person blocked: their messages show folded, and count toward nothing. Provided by App. */
export const Blocked = createContext<ReadonlySet<string>>(new Set())

/** Everyone's presence (people.ts), for a dot next to any name; provided by App. */
export const Presence = createContext<Map<string, PresenceView>>(new Map())

/** A dot saying online, away or offline (with when last seen), labelled for screen readers. */
export function PresenceDot({ peerId, connected = false }: { peerId: string; connected?: boolean }) {
  const p = useContext(Presence).get(peerId)
  const state = p?.state ?? (connected ? 'online' : 'offline')
  return <Dot state={state} label={presenceLabel(p, connected)} />
}

/** Our own dot in a members list: online, or away (idle, or set by hand). */
export function OwnDot({ away }: { away: boolean }) {
  const state = away ? 'away' : 'online'
  return <Dot state={state} label={state} />
}

function Dot({ state, label }: { state: string; label: string }) {
  return <span className={`presence ${state}`} role="img" aria-label={label} title={label} data-presence={state} />
}

/**
 * Someone's status in their own words, next to their name; nothing when they set none. `kind`
 * names where (its class and test id). When they set it to clear itself: in the tooltip, and after
 * the words in a direct conversation's header, which has the room.
 */
export function StatusWords({ of, kind = 'member-status' }: { of: { status?: string; statusUntil?: number } | undefined; kind?: 'member-status' | 'peer-status' | 'dm-status' }) {
  const status = of?.status
  if (status === undefined || status === '') return null
  const until = of?.statusUntil !== undefined ? untilLabel(of.statusUntil) : undefined
  return (
    <span className={`${kind} small`} data-testid={kind} title={until !== undefined ? `${status} (${until})` : status}>
      {status}
      {kind === 'dm-status' && until !== undefined && <span className="status-until"> · {until}</span>}
    </span>
  )
}

/**
 * The tag of someone on another LAN Chat ("older", "newer"; nothing on this one), as the people
 * list and a room's members show it, its words in the tooltip. The tooltip is for a mouse: a click
 * or Enter on the tag asks (`onToggle`) for the same words shown as text (BuildWords, `shown`),
 * for the keyboard and a screen reader. `hub`: the client's hub, said as a server (buildHint).
 */
export function BuildTag({ build, shown, onToggle, testId, hub = false }: { build: PeerBuild | undefined; shown: boolean; onToggle: () => void; testId: 'peer-build' | 'member-build'; hub?: boolean }) {
  if (build === undefined || build.compared === 'same') return null
  return (
    <button type="button" className="tag" data-testid={testId} aria-label={`${build.compared} LAN Chat`} aria-expanded={shown} title={buildHint(build, hub)} onClick={onToggle}>
      {build.compared}
    </button>
  )
}

/** BuildTag's words, shown as text once it was clicked (`hub`: the words about a hub, not a person). */
export function BuildWords({ build, shown, testId, hub = false }: { build: PeerBuild | undefined; shown: boolean; testId: 'peer-build-hint' | 'member-build-hint'; hub?: boolean }) {
  if (build === undefined || build.compared === 'same' || !shown) return null
  return <span className="muted small peer-build-hint" data-testid={testId}>{buildHint(build, hub)}</span>
}

/** "Bob is typing…" under the list of the open room; empty (but there, for screen readers) when nobody is. */
export function TypingLine({ room }: { room: string }) {
  const text = typingText(useTyping(room, useContext(Blocked)))
  return (
    <div className="typing small muted" role="status" aria-live="polite" data-testid="typing">
      {text}
    </div>
  )
}
