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
import { MAX_NAME_LENGTH, MAX_STATUS_LENGTH } from '../core/limits.js'
import { cleanAppVersion, cleanLevel, type AppBuild } from '../core/build.js'
import { Presence as PbPresence, PresenceClaim as PbClaim, type Typing as PbTyping } from './pb/chat.js'

/** Online (connected), away (idle, or set by hand) or offline (no link; `lastSeen` says since when). */
export type PresenceState = 'online' | 'away' | 'offline'

/**
 * Someone is typing in `room` (a DM: only `to` is told; an invite-only room:
 * only `among`, its other members). Between mesh peers the link says who; a
 * hub fills in `peer` and `name` when it forwards.
 */
export interface TypingFrame { type: 'typing'; room: string; to?: string; peer?: string; name?: string; among?: string[] }

/** At most this many peers in a typing frame's `among` (an invite-only room's members). */
export const MAX_TYPING_AMONG = 1000

/**
 * A peer's presence; a hub fills in who and, for offline, `lastSeen` (ms).
 * `staying`, between mesh peers: the link is closing but its peer stays on the LAN.
 * `status`, the peer's words on how it is: absent when the frame does not change it, '' for none;
 * `statusUntil`, with a status: when it clears itself (ms, the peer's clock), absent for never.
 * `app`, hub to client when a client joins: that client's build as its own hello to the hub said it
 * (`{ level: 0 }`: a hello that said none); absent when not said (older hubs, every other frame).
 */
export interface PresenceFrame { type: 'presence'; state: PresenceState; peer?: string; name?: string; lastSeen?: number; staying?: boolean; status?: string; statusUntil?: number; app?: AppBuild }

/**
 * What a peer says of itself in a signed presence claim (relayed through the mesh); no `status`, or '', for none; `statusUntil` as in PresenceFrame.
 * `lost`: peers it lost its link to without a goodbye (see PresenceLoss).
 * `app`: its LAN Chat build, as its hello says it (cleaned and cut as a hello's); absent from builds before claims said it.
 */
export interface PresenceClaimView { peer: string; name: string; state: PresenceState; at: number; status?: string; statusUntil?: number; lost?: PresenceLoss[]; app?: AppBuild }

/** "My link to `peer` died": `at`, the stamp of its last claim I heard; `seen`, when I lost it (my clock). */
export interface PresenceLoss { peer: string; at: number; seen: number }

/** A claim's most bytes, as every build takes it: older ones refuse a frame with a longer one. */
export const MAX_CLAIM_BYTES = 512

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f]+/g

/**
 * A status from the network as others may show it: invisible characters and line breaks gone,
 * at most MAX_STATUS_LENGTH characters. A longer one is refused whole (the sender's own app never
 * makes one), so nobody shows words its author did not send.
 */
function statusFrom (status: string, refuse: Refuse): string {
  const clean = cleanName(status).replace(CONTROLS, ' ')
  if (clean.length > MAX_STATUS_LENGTH) throw refuse(`status longer than ${MAX_STATUS_LENGTH} characters`)
  return clean
}

/** A status's time to clear itself from the network (0 on the wire: never); only with words. */
function untilFrom (until: number, words: string, refuse: Refuse): { statusUntil?: number } {
  // Past the last time a Date can hold (year 275760) is nothing a clock says.
  if (!Number.isSafeInteger(until) || until < 0 || until > 8.64e15) throw refuse('bad status time')
  return until > 0 && words !== '' ? { statusUntil: until } : {}
}

/**
 * A peer's signed word on its presence, passed on unchanged: `sig` signs
 * PRESENCE_SIGNED_PREFIX + `claim`, and `news` was decoded from `claim`.
 */
export interface SignedClaim { claim: Uint8Array; sig: Uint8Array; news: PresenceClaimView }

/** Claims of one or many peers in one frame. */
export interface PresenceNewsFrame { type: 'presence-news'; claims: SignedClaim[] }

/** Most claims in one frame (a classroom's worth, many times over). */
export const MAX_CLAIMS_PER_FRAME = 1024

/** Put before a claim's bytes when signing, so a signed claim can never pass for another signed thing (a message body, receipts). */
export const PRESENCE_SIGNED_PREFIX = new TextEncoder().encode('lanchat presence claim v1\n')

/** A claim's state as a number (the claim is signed bytes: a plain uint32 where Presence has its enum). */
const CLAIM_STATES: readonly PresenceState[] = ['online', 'away', 'offline']

export function encodeClaim (c: PresenceClaimView): Uint8Array {
  return PbClaim.encode({ peer: c.peer, name: c.name, state: CLAIM_STATES.indexOf(c.state), at: c.at, status: c.status ?? '', statusUntil: c.status !== undefined && c.status !== '' ? c.statusUntil ?? 0 : 0, lost: c.lost ?? [], appVersion: c.app?.version ?? '', featureLevel: c.app?.level ?? 0 })
}

export function decodeClaim (bytes: Uint8Array, refuse: Refuse): PresenceClaimView {
  let c: PbClaim
  try {
    c = PbClaim.decode(bytes)
  } catch (err) {
    throw refuse(`undecodable presence claim: ${(err as Error).message}`)
  }
  const state = CLAIM_STATES[c.state]
  if (state === undefined) throw refuse('unknown presence state')
  if (c.peer.length === 0 || c.peer.length > 128 || !Number.isSafeInteger(c.at) || c.at <= 0) throw refuse('bad presence claim')
  const status = statusFrom(c.status, refuse)
  if (c.lost.some(l => l.peer.length === 0 || l.peer.length > 128 || !Number.isSafeInteger(l.at) || l.at <= 0 || !Number.isSafeInteger(l.seen))) throw refuse('bad loss in a presence claim')
  const lost = c.lost.map(({ peer, at, seen }) => ({ peer, at, seen }))
  const app = appFrom(c)
  return { peer: c.peer, name: cleanName(c.name.slice(0, MAX_NAME_LENGTH)), state, at: c.at, status, ...untilFrom(c.statusUntil, status, refuse), ...(lost.length > 0 ? { lost } : {}), ...(app !== undefined ? { app } : {}) }
}

/** A claim's build, made safe to show as a hello's is (core/build.ts); undefined when it says none. */
function appFrom (c: { appVersion: string, featureLevel: number }): AppBuild | undefined {
  if (c.appVersion === '' && c.featureLevel === 0) return undefined
  return buildFrom(c.appVersion, c.featureLevel)
}

/** A build from the wire, made safe to show as a hello's is (core/build.ts). */
function buildFrom (rawVersion: string, level: number): AppBuild {
  const version = cleanAppVersion(rawVersion)
  return { ...(version !== undefined ? { version } : {}), level: cleanLevel(level) }
}

const STATES: Record<PresenceState, PbPresence.State> = { online: PbPresence.State.ONLINE, away: PbPresence.State.AWAY, offline: PbPresence.State.OFFLINE }

/** Why an ephemeral frame is junk; the protocol's own error class wraps it. */
export type Refuse = (reason: string) => Error

export function typingToPb (f: TypingFrame): PbTyping {
  return { room: f.room, to: f.to ?? '', peer: f.peer ?? '', name: f.name ?? '', among: f.among ?? [] }
}

export function typingFromPb (t: PbTyping, refuse: Refuse): TypingFrame {
  let room: string
  try {
    room = normalizeRoom(t.room)
  } catch {
    throw refuse('bad room in typing')
  }
  if (t.to.length > 128 || t.peer.length > 128) throw refuse('bad peer id in typing')
  if (t.among.length > MAX_TYPING_AMONG || t.among.some(id => id.length === 0 || id.length > 128)) throw refuse('bad peer ids in typing')
  return {
    type: 'typing', room,
    ...(t.to !== '' ? { to: t.to } : {}),
    ...(t.among.length > 0 ? { among: t.among } : {}),
    ...(t.peer !== '' ? { peer: t.peer } : {}),
    ...(t.name !== '' ? { name: cleanName(t.name.slice(0, MAX_NAME_LENGTH)) } : {})
  }
}

export function presenceToPb (f: PresenceFrame): PbPresence {
  return {
    state: STATES[f.state], peer: f.peer ?? '', name: f.name ?? '', lastSeen: f.lastSeen ?? 0, staying: f.staying ?? false,
    ...(f.status !== undefined ? { status: f.status } : {}), statusUntil: f.status !== undefined && f.status !== '' ? f.statusUntil ?? 0 : 0,
    // Level 0 is said too (a client whose hello said no build): the level's presence is what says a build was said.
    ...(f.app !== undefined ? { ...(f.app.version !== undefined ? { appVersion: f.app.version } : {}), featureLevel: f.app.level } : {})
  }
}

export function presenceFromPb (p: PbPresence, refuse: Refuse): PresenceFrame {
  const state = (Object.keys(STATES) as PresenceState[]).find(k => STATES[k] === p.state)
  if (state === undefined) throw refuse('unknown presence state')
  if (p.peer.length > 128 || !Number.isSafeInteger(p.lastSeen) || p.lastSeen < 0) throw refuse('bad presence')
  const status = p.status !== undefined ? statusFrom(p.status, refuse) : undefined
  return {
    type: 'presence', state,
    ...(p.peer !== '' ? { peer: p.peer } : {}),
    ...(p.name !== '' ? { name: cleanName(p.name.slice(0, MAX_NAME_LENGTH)) } : {}),
    ...(p.lastSeen > 0 ? { lastSeen: p.lastSeen } : {}),
    ...(p.staying ? { staying: true } : {}),
    ...(status !== undefined ? { status, ...untilFrom(p.statusUntil, status, refuse) } : {}),
    // A build, cleaned as a hello's; a version without a level says nothing.
    ...(p.featureLevel !== undefined ? { app: buildFrom(p.appVersion ?? '', p.featureLevel) } : {})
  }
}
