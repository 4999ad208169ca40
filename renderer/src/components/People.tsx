import { createContext, useContext } from 'react'
import type { PresenceView } from '../../../preload/contract'
import { presenceLabel, typingText, useTyping } from '../people'

/** Everyone's presence (people.ts), for a dot next to any name; provided by App. */
export const Presence = createContext<Map<string, PresenceView>>(new Map())

/** A dot saying online, away or offline (with when last seen), labelled for screen readers. */
export function PresenceDot({ peerId, connected = false }: { peerId: string; connected?: boolean }) {
  const p = useContext(Presence).get(peerId)
  const state = p?.state ?? (connected ? 'online' : 'offline')
  const label = presenceLabel(p, connected)
  return <span className={`presence ${state}`} role="img" aria-label={label} title={label} data-presence={state} />
}

/** Someone's status in their own words, next to their name; nothing when they set none. `kind` names where (its class and test id). */
export function StatusWords({ status, kind = 'member-status' }: { status: string | undefined; kind?: 'member-status' | 'peer-status' | 'dm-status' }) {
  if (status === undefined || status === '') return null
  return <span className={`${kind} small`} data-testid={kind} title={status}>{status}</span>
}

/** "Bob is typing…" under the list of the open room; empty (but there, for screen readers) when nobody is. */
export function TypingLine({ room }: { room: string }) {
  const text = typingText(useTyping(room))
  return (
    <div className="typing small muted" role="status" aria-live="polite" data-testid="typing">
      {text}
    </div>
  )
}
