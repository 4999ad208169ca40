/**
 * Typing, presence and who is in a room in the terminal: "… bob is typing" for the room being
 * typed into, "* bob is away", "* bob is back", "* bob is online" (someone not linked to us:
 * a hub's other client, a peer heard of through the mesh), "* bob is offline (last seen
 * 10:42:01)" (likewise: the end of a link to bob says "* bob left"). A person reads these; the
 * JSON host prints the events as they are.
 *
 * @example
 * ```ts
 * liveText({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'away' }, { room: 'lobby', self: 'me', names })   // '* bob is away'
 * ```
 */
import type { PresenceState } from '../net/live-codec.js'
import type { ChatEventOf, PresenceView } from '../chat/types.js'
import { untilLabel } from '../../preload/contract.js'
import { buildLabel } from '../core/build.js'

/**
 * When a message was written, or someone last seen, as a line shows it: the time today; the day and the time before
 * (`Dec 2 3:12:34 PM`), the year too when it is not this one. History and catch-up bring old ones.
 */
export function stamp (ms: number, now = Date.now()): string {
  const at = new Date(ms)
  const today = new Date(now)
  const clock = at.toLocaleTimeString()
  if (at.toDateString() === today.toDateString()) return clock
  const day = at.toLocaleDateString(undefined, at.getFullYear() === today.getFullYear() ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' })
  return `${day} ${clock}`
}

/** What the terminal knows around an event: where it types, who it is, the names met, and (for presence) what came before. */
export interface LiveContext {
  room: string
  self: string
  names: Map<string, string>
  where?: (room: string) => string
  /** The person's presence before this event, as last printed or heard (none: first heard of). */
  before?: PresenceState
  /**
   * A link to them is up, or ended just now: its "joined" line already said they are here, and
   * its "left" line says they went (a goodbye comes just before the link's end, or just after).
   */
  linked?: boolean
  /** Right after the first link came up or the last one went: a crowd's comings and goings are one line elsewhere. */
  quiet?: boolean
  /** Their status as last printed ('' for none); absent the first time we hear of them. */
  statusBefore?: string
}

export function liveText (e: ChatEventOf<'peer:typing' | 'peer:presence' | 'presence' | 'members'>, ctx: LiveContext): string | undefined {
  const { room, self, names } = ctx
  const where = ctx.where ?? ((r: string) => `#${r}`)
  // " (until 13:30)" after a status set to clear itself.
  const until = (at: number | undefined): string => (at !== undefined ? ` (${untilLabel(at)})` : '')
  const line = (p: PresenceView): string => `${p.state === 'online' ? '●' : p.state === 'away' ? '◐' : '○'} ${p.peerId === self ? 'you' : p.name || p.peerId} ${p.state}${p.state === 'offline' && p.lastSeen !== undefined ? `, last seen ${stamp(p.lastSeen)}` : ''}${p.build !== undefined && p.build.compared !== 'same' ? ` [${buildLabel(p.build)}]` : ''}${p.status !== undefined && p.status !== '' ? ` — ${p.status}${until(p.statusUntil)}` : ''}`
  switch (e.type) {
    case 'peer:typing':
      return e.room === room ? `… ${e.name || names.get(e.peer) || e.peer} is typing` : undefined
    case 'peer:presence': {
      const state = presenceLine(e, ctx)
      // Someone else's new status (ours is confirmed by /status), unless it is a crowd's arrival.
      const words = e.status ?? ''
      const changed = e.peerId !== self && ctx.quiet !== true && words !== (ctx.statusBefore ?? '')
      const name = e.name || names.get(e.peerId) || e.peerId
      const status = !changed ? undefined : words === '' ? `* ${name} has no status now` : `* ${name}: "${words}"${until(e.statusUntil)}`
      return state === undefined ? status : status === undefined ? state : `${state}\n${status}`
    }
    case 'presence':
      return e.people.map(line).join('\n') || '(nobody known yet)'
    case 'members':
      for (const m of e.members) if (m.name !== '' && m.peerId !== self) names.set(m.peerId, m.name)
      return `in ${where(e.room)}:\n${e.members.map(m => `  ${line(m)}`).join('\n')}`
    default: {
      const never: never = e
      return never
    }
  }
}

/** What changed of someone's presence (online, away, offline), once; undefined when nothing a person needs to read. */
function presenceLine (e: ChatEventOf<'peer:presence'>, ctx: LiveContext): string | undefined {
  const { self, names } = ctx
  const me = e.peerId === self
  const who = me ? 'you are' : `${e.name || names.get(e.peerId) || e.peerId} is`
  if (e.name !== '' && !me) names.set(e.peerId, e.name)
  // Said once per change: the same state heard again (a goodbye, then the link's end) is not news.
  if (e.state === ctx.before) return undefined
  if (e.state === 'away') return `* ${who} away`
  if (e.state === 'online') {
    if (ctx.before === 'away') return `* ${who} back`
    // Our own presence is told when we set a status too: online then is no news.
    if (me) return undefined
    return ctx.linked === true || ctx.quiet === true ? undefined : `* ${who} online`
  }
  if (ctx.quiet === true || ctx.linked === true) return undefined
  return `* ${who} offline${e.lastSeen !== undefined ? ` (last seen ${stamp(e.lastSeen)})` : ''}`
}
