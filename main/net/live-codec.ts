/**
 * The ephemeral frames both chat protocols carry: "typing" and presence. They
 * are never chat history — not signed, not stored, not part of a sync — so
 * they have a wire shape of their own (Typing and Presence in chat.proto),
 * shared by the mesh's Frame and the hub's HubFrame.
 *
 * @example
 * ```ts
 * const pb = typingToPb({ type: 'typing', room: 'lobby' })   // { room: 'lobby', to: '', peer: '', name: '' }
 * typingFromPb(pb)                                         // { type: 'typing', room: 'lobby' }
 * ```
 */
import { cleanName, normalizeRoom } from '../core/message.js'
import { MAX_NAME_LENGTH } from '../core/limits.js'
import { Presence as PbPresence, type Typing as PbTyping } from './pb/chat.js'

/** Online (connected), away (idle, or set by hand) or offline (no link; `lastSeen` says since when). */
export type PresenceState = 'online' | 'away' | 'offline'

/**
 * Someone is typing in `room` (a DM: only `to` is told). Between mesh peers
 * the link says who; a hub fills in `peer` and `name` when it forwards.
 */
export interface TypingFrame { type: 'typing'; room: string; to?: string; peer?: string; name?: string }

/** A peer's presence; a hub fills in who and, for offline, `lastSeen` (ms). */
export interface PresenceFrame { type: 'presence'; state: PresenceState; peer?: string; name?: string; lastSeen?: number }

const STATES: Record<PresenceState, PbPresence.State> = { online: PbPresence.State.ONLINE, away: PbPresence.State.AWAY, offline: PbPresence.State.OFFLINE }

/** Why an ephemeral frame is junk; the protocol's own error class wraps it. */
export type Refuse = (reason: string) => Error

export function typingToPb (f: TypingFrame): PbTyping {
  return { room: f.room, to: f.to ?? '', peer: f.peer ?? '', name: f.name ?? '' }
}

export function typingFromPb (t: PbTyping, refuse: Refuse): TypingFrame {
  let room: string
  try {
    room = normalizeRoom(t.room)
  } catch {
    throw refuse('bad room in typing')
  }
  if (t.to.length > 128 || t.peer.length > 128) throw refuse('bad peer id in typing')
  return {
    type: 'typing', room,
    ...(t.to !== '' ? { to: t.to } : {}),
    ...(t.peer !== '' ? { peer: t.peer } : {}),
    ...(t.name !== '' ? { name: cleanName(t.name.slice(0, MAX_NAME_LENGTH)) } : {})
  }
}

export function presenceToPb (f: PresenceFrame): PbPresence {
  return { state: STATES[f.state], peer: f.peer ?? '', name: f.name ?? '', lastSeen: f.lastSeen ?? 0 }
}

export function presenceFromPb (p: PbPresence, refuse: Refuse): PresenceFrame {
  const state = (Object.keys(STATES) as PresenceState[]).find(k => STATES[k] === p.state)
  if (state === undefined) throw refuse('unknown presence state')
  if (p.peer.length > 128 || !Number.isSafeInteger(p.lastSeen) || p.lastSeen < 0) throw refuse('bad presence')
  return {
    type: 'presence', state,
    ...(p.peer !== '' ? { peer: p.peer } : {}),
    ...(p.name !== '' ? { name: cleanName(p.name.slice(0, MAX_NAME_LENGTH)) } : {}),
    ...(p.lastSeen > 0 ? { lastSeen: p.lastSeen } : {})
  }
}
