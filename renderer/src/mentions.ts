/**
 * @mentions in the window: who may be mentioned (names the window knows), a
 * per-room count of messages that mention us while we were elsewhere, and
 * our own name for highlighting. Parsing and matching are main/core's
 * (through the contract), so main's notifications agree with what is shown.
 *
 *   const [counts, raise] = useMentionCounts(active, focused, self)   // { random: 2 }; raise(readAtStart)
 *   mentionable(peers, people, entries, self.name)           // ['Bob', 'Carol']
 */
import { createContext, useCallback, useEffect, useRef, useState } from 'react'
import { EVERYONE, mentionOf, nameKey, type AppEvent, type PeerView, type PresenceView } from '../../preload/contract'
import { bridge } from './api'

/** Our display name, for Message to highlight a mention of us; provided by App. */
export const SelfName = createContext('')

/** Other people's names the window knows, for Message to mark a mention of them too; provided by App. */
export const OtherNames = createContext<readonly string[]>([])

/** The names (as nameKey reads them) that two or more people the window knows go by: Message shows the key beside those. */
export const SharedNames = createContext<ReadonlySet<string>>(new Set())

/**
 * Which names two or more of `people` go by, read as people read them (nameKey: "Аlice" with a
 * Cyrillic А is Alice). One person listed twice counts once.
 *
 *   sharedNames([{ id: 'a', name: 'Ann' }, { id: 'b', name: 'ann ' }, { id: 'c', name: 'Bo' }])   // Set { 'ann' }
 */
export function sharedNames(people: Iterable<{ id: string; name: string }>): Set<string> {
  const ids = new Map<string, Set<string>>()
  for (const { id, name } of people) {
    const key = nameKey(name)
    if (key === '') continue
    let set = ids.get(key)
    if (set === undefined) ids.set(key, (set = new Set()))
    set.add(id)
  }
  return new Set([...ids].filter(([, set]) => set.size > 1).map(([key]) => key))
}

/** Mentions remembered by id, to uncount one deleted before it is read. */
const MAX_COUNTED = 1000

/** Messages that mention us, per room, since we last looked at it. */
export function useMentionCounts(active: string, focused: boolean, self: { id: string; name: string }, muted: readonly string[] = [], blocked: ReadonlySet<string> = new Set(), others: readonly string[] = []): [Record<string, number>, (read: Record<string, number>) => void] {
  const [counts, setCounts] = useState<Record<string, number>>({})
  // Counts read from the history at a start (the `unread` operation) raise these, never lower them;
  // the room being read in a window with the focus stays at none.
  const here = useRef({ active, focused })
  here.current = { active, focused }
  const raise = useCallback((read: Record<string, number>) => {
    setCounts((all) => {
      const next = { ...all }
      for (const [room, n] of Object.entries(read)) if (!(room === here.current.active && here.current.focused) && n > (next[room] ?? 0)) next[room] = n
      return next
    })
  }, [])
  // The messages counted as they came, by id: one deleted, or edited to mention us no more, before it is read is uncounted.
  const counted = useRef(new Map<string, string>())
  useEffect(() => {
    return bridge().onEvent((event: AppEvent) => {
      if (event.type === 'message:updated') {
        const room = counted.current.get(event.id)
        if (room === undefined || (event.deleted !== true && mentionOf(event.text, self.name, muted.includes(event.room), others) !== undefined)) return
        counted.current.delete(event.id)
        setCounts((all) => ((all[room] ?? 0) > 1 ? { ...all, [room]: all[room]! - 1 } : Object.fromEntries(Object.entries(all).filter(([r]) => r !== room))))
        return
      }
      if (event.type !== 'message' || event.author === self.id || self.name === '' || blocked.has(event.author)) return
      // Your name always counts; "@everyone" and "@here" where the room is not muted.
      if (mentionOf(event.text, self.name, muted.includes(event.room), others) === undefined) return
      if (event.room === active && focused) return
      if (counted.current.has(event.id)) return
      if (counted.current.size >= MAX_COUNTED) counted.current.delete(counted.current.keys().next().value!)
      counted.current.set(event.id, event.room)
      setCounts((all) => ({ ...all, [event.room]: (all[event.room] ?? 0) + 1 }))
    })
  }, [active, focused, self.id, self.name, muted, blocked, others])
  // Looking at the room reads them.
  useEffect(() => {
    if (!focused) return
    for (const [id, room] of counted.current) if (room === active) counted.current.delete(id)
    setCounts((all) => (all[active] === undefined ? all : Object.fromEntries(Object.entries(all).filter(([room]) => room !== active))))
  }, [active, focused])
  return [counts, raise]
}

/** The names one can mention here: peers, people presence knows, authors seen in the room (not ours), then everyone and here. */
export function mentionable(peers: readonly PeerView[], people: ReadonlyMap<string, PresenceView>, authors: readonly string[], own: string): string[] {
  const names = [...peers.map((p) => p.name), ...[...people.values()].map((p) => p.name), ...authors]
  return [...new Set(names.filter((n) => n.trim() !== '' && n !== own)), ...EVERYONE]
}
