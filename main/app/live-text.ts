/**
 * Typing, presence and who is in a room in the terminal: "… bob is typing" for the room being
 * typed into, "* bob is away", "* bob is back", "* bob is offline (last seen
 * 10:42:01)". A person reads these; the JSON host prints the events as they are.
 *
 * @example
 * ```ts
 * liveText({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'away' }, 'lobby', 'me', names)   // '* bob is away'
 * ```
 */
import type { ChatEventOf, PresenceView } from '../chat/types.js'

export function liveText (e: ChatEventOf<'peer:typing' | 'peer:presence' | 'presence' | 'members'>, room: string, self: string, names: Map<string, string>, where: (room: string) => string = r => `#${r}`): string | undefined {
  const time = (ms: number): string => new Date(ms).toLocaleTimeString()
  const line = (p: PresenceView): string => `${p.state === 'online' ? '●' : p.state === 'away' ? '◐' : '○'} ${p.peerId === self ? 'you' : p.name || p.peerId} ${p.state}${p.state === 'offline' && p.lastSeen !== undefined ? `, last seen ${time(p.lastSeen)}` : ''}`
  switch (e.type) {
    case 'peer:typing':
      return e.room === room ? `… ${e.name || names.get(e.peer) || e.peer} is typing` : undefined
    case 'peer:presence': {
      const who = e.peerId === self ? 'you are' : `${e.name || names.get(e.peerId) || e.peerId} is`
      if (e.name !== '' && e.peerId !== self) names.set(e.peerId, e.name)
      if (e.state === 'away') return `* ${who} away`
      if (e.state === 'online') return e.peerId === self ? '* you are back' : undefined
      return `* ${who} offline${e.lastSeen !== undefined ? ` (last seen ${time(e.lastSeen)})` : ''}`
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
