/**
 * Who is in a room, for every host (the app's member list, `members` in the
 * JSON contract, `/members` in the terminal): an invite-only room's members
 * as its keys list them; the lobby's everyone known (nobody can leave it); a
 * direct conversation's other person; any other room's people who posted in
 * it; and us (but in an invite-only room that removed us).
 * Each with presence as the engine knows it: what they said (online, away),
 * else connected or not, offline with when they were last seen.
 *
 * @example
 * ```ts
 * roomMembers(engine, 'lobby')
 * // [{ peerId: me, name: 'Ann', state: 'online', self: true, … }, { peerId: bob, name: 'Bob', state: 'offline', lastSeen: 1764… }]
 * ```
 */
import type { Engine } from '../chat/engine.js'
import type { MemberView } from '../chat/types.js'
import { fingerprint } from '../chat/views.js'
import { normalizeRoom } from '../core/message.js'
import { DEFAULT_ROOM, DM_ROOM_PREFIX, PRIVATE_ROOM_PREFIX } from '../core/limits.js'
import { authorsOf } from './room-authors.js'

const RANK = { online: 0, away: 1, offline: 2 } as const

export function roomMembers (engine: Engine, room: string): MemberView[] {
  const name = normalizeRoom(room)
  const presence = new Map(engine.presence().map(p => [p.peerId, p]))
  const peers = new Map(engine.peers().map(p => [p.peerId, p]))
  const authors = new Map(authorsOf(engine).of(name).map(a => [a.peerId, a.name]))
  const ids = name.startsWith(PRIVATE_ROOM_PREFIX)
    // Throws NotAMemberError for a room we do not know: its members are not ours to list.
    ? engine.privateRoom(name).members
    // Nobody can leave the lobby: everyone known is in it, whether they wrote there or not.
    : name === DEFAULT_ROOM ? [...authors.keys(), ...presence.keys()]
    // A direct conversation is the two of us, whoever wrote yet.
    : name.startsWith(DM_ROOM_PREFIX) ? [...engine.dms().filter(d => d.room === name).map(d => d.peerId), ...authors.keys()]
    : [...authors.keys()]
  // Us, but in an invite-only room that removed us (no longer among its members).
  const removed = name.startsWith(PRIVATE_ROOM_PREFIX) && engine.privateRoom(name).removed
  const members = [...new Set([...removed ? [] : [engine.peerId], ...ids])].map((peerId): MemberView => {
    const live = presence.get(peerId)
    const peer = peers.get(peerId)
    const self = peerId === engine.peerId
    const state = self ? (live?.state ?? 'online') : live?.state ?? peer?.presence ?? (peer?.connected === true ? 'online' : 'offline')
    const lastSeen = state === 'offline' ? live?.lastSeen ?? peer?.lastSeen : undefined
    const status = self ? engine.status : live?.status ?? ''
    const statusUntil = self ? engine.statusUntil : live?.statusUntil
    // The build the people list tags them by (its view by presence, else the peer's): one rule for both lists.
    const build = self ? undefined : live?.build ?? peer?.build
    return {
      peerId,
      name: self ? engine.name : live?.name || peer?.name || authors.get(peerId) || '',
      fingerprint: fingerprint(peerId),
      state,
      ...(lastSeen !== undefined ? { lastSeen } : {}),
      ...(status !== '' ? { status, ...(statusUntil !== undefined ? { statusUntil } : {}) } : {}),
      ...(build !== undefined ? { build } : {}),
      ...(self ? { self: true } : {})
    }
  })
  // Us first, then who can answer now, then by name.
  return members.sort((a, b) => Number(b.self === true) - Number(a.self === true) || RANK[a.state] - RANK[b.state] || a.name.localeCompare(b.name))
}
