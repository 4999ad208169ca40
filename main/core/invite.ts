/**
 * Invite codes to invite-only rooms, read the same way by the engine (which
 * takes the keys in one: chat/private-rooms.ts) and by the window (which
 * shows a code sent in a conversation as an invitation to join). No Node
 * APIs: the renderer imports this through preload/contract.ts.
 *
 * @example
 * ```ts
 * readInvite('lanchat-invite:eyJ2Ijox…')   // { v: 1, room: 'pr:…', name: 'design', creator: '12D3Koo…', keys: ['…'] }
 * readInvite('hello')                      // 'it starts with "lanchat-invite:"' (why it is not one)
 * invitation('  lanchat-invite:eyJ…  ')    // { room, name, creator }: the whole text is one code
 * ```
 */
import { PRIVATE_ROOM_PREFIX } from './limits.js'
import { normalizeName } from './message.js'

export const INVITE_PREFIX = 'lanchat-invite:'

/**
 * What an invite code carries: the room, its name and creator, and its keys
 * (whoever has them reads the room). `back`: the creator invites a member it
 * had removed back in (that peer's id), with only the key it made for that:
 * the one removed takes no other code (an older build ignores the field).
 */
export interface Invite { v: 1, room: string, name: string, creator: string, keys: string[], back?: string }

/** What an invitation shows: never the keys. */
export type Invitation = Pick<Invite, 'room' | 'name' | 'creator'>

const ROOM = new RegExp(`^${PRIVATE_ROOM_PREFIX}[0-9a-f]{24}$`)
const KEY = /^[0-9a-f]{64}$/
/** A code and nothing else. */
const CODE = new RegExp(`^${INVITE_PREFIX}[A-Za-z0-9_-]+$`)

/** The code for `invite`: the prefix, then its JSON in base64url. */
export function writeInvite (invite: Invite): string {
  const bytes = new TextEncoder().encode(JSON.stringify(invite))
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return INVITE_PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Quotes, brackets and a sentence's punctuation copied round a code ("(its
 * code: lanchat-invite:…)", a code in quotes): never part of one, since a
 * code ends in base64url.
 */
const AROUND = /^["'`(<[{]+|["'`)>\]}.,;!?]+$/g

/** The invite in `code`, or why it is not one (the end of a sentence: "That is not an invite code: …"). */
export function readInvite (code: string): Invite | string {
  const text = code.trim().replace(AROUND, '')
  if (!text.startsWith(INVITE_PREFIX)) return `it starts with "${INVITE_PREFIX}"`
  let x: Partial<Invite>
  try {
    const b64 = text.slice(INVITE_PREFIX.length).replace(/-/g, '+').replace(/_/g, '/')
    const binary = atob(b64 + '='.repeat((4 - b64.length % 4) % 4))
    x = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, c => c.charCodeAt(0)))) as Partial<Invite>
  } catch {
    return 'it is damaged (copied only in part?)'
  }
  if (x === null || typeof x !== 'object' || x.v !== 1) return 'unknown version'
  if (typeof x.room !== 'string' || !ROOM.test(x.room)) return 'no room in it'
  if (typeof x.name !== 'string' || typeof x.creator !== 'string' || x.creator.length === 0) return 'no name or creator in it'
  if (!Array.isArray(x.keys) || x.keys.length === 0 || !x.keys.every(k => typeof k === 'string' && KEY.test(k))) return 'no key in it'
  let name: string
  try { name = normalizeName(x.name) } catch { return 'no name or creator in it' }
  return { v: 1, room: x.room, name, creator: x.creator, keys: x.keys, ...(typeof x.back === 'string' && x.back.length > 0 ? { back: x.back } : {}) }
}

/** The invitation a message's whole text is (a code and nothing else, spaces aside), or undefined. */
export function invitation (text: string): Invitation | undefined {
  if (!CODE.test(text.trim())) return undefined
  const invite = readInvite(text)
  return typeof invite === 'string' ? undefined : { room: invite.room, name: invite.name, creator: invite.creator }
}
