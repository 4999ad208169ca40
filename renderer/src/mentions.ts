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
export function useMentionCounts(active: string, focused: boolean, self: { id: string; name: string }, muted: readonly string[] = [], blocked: ReadonlySet<string> = new Set(), others: readonly string[] = []): [Record<string, number>, (read: Record<string, number>) => void, (authors: ReadonlySet<string>, recount?: { read: Record<string, number>; rooms: readonly string[] }) => void] {
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
  // Who wrote each of them: one blocked later is uncounted (forget).
  const authors = useRef(new Map<string, string>())
  /**
   * Someone blocked: what they wrote no longer counts. Those counted as they came are taken off; the
   * counts a start read from the history are lowered to a count read again (`recount`: the engine's,
   * which leaves out the blocked, for the rooms it counted), never raised.
   */
  const forget = useCallback((gone: ReadonlySet<string>, recount?: { read: Record<string, number>; rooms: readonly string[] }) => {
    const off = new Map<string, number>()
    for (const [id, author] of authors.current) {
      if (!gone.has(author)) continue
      authors.current.delete(id)
      const room = counted.current.get(id)
      if (room === undefined) continue
      counted.current.delete(id)
      off.set(room, (off.get(room) ?? 0) + 1)
    }
    setCounts((all) => {
      const next = { ...all }
      for (const [room, n] of off) next[room] = Math.max(0, (next[room] ?? 0) - n)
      for (const room of recount?.rooms ?? []) next[room] = Math.min(next[room] ?? 0, recount!.read[room] ?? 0)
      return Object.fromEntries(Object.entries(next).filter(([, n]) => n > 0))
    })
  }, [])
  // The others that came unread and do not mention us, by id: one edited to mention us before it is read counts then,
  // as a start counting from the history would count it.
  const unmentioned = useRef(new Map<string, string>())
  useEffect(() => {
    const remember = (ids: Map<string, string>, id: string, room: string): void => {
      if (ids.size >= MAX_COUNTED) ids.delete(ids.keys().next().value!)
      ids.set(id, room)
    }
    const count = (id: string, room: string, author: string): void => {
      remember(counted.current, id, room)
      remember(authors.current, id, author)
      setCounts((all) => ({ ...all, [room]: (all[room] ?? 0) + 1 }))
    }
    return bridge().onEvent((event: AppEvent) => {
      if (event.type === 'message:updated') {
        const mentions = event.deleted !== true && mentionOf(event.text, self.name, muted.includes(event.room), others) !== undefined
        const waiting = unmentioned.current.get(event.id)
        if (waiting !== undefined) {
          if (event.deleted === true) unmentioned.current.delete(event.id)
          if (!mentions || blocked.has(event.author)) return
          unmentioned.current.delete(event.id)
          count(event.id, waiting, event.author)
          return
        }
        const room = counted.current.get(event.id)
        if (room === undefined || mentions) return
        counted.current.delete(event.id)
        if (event.deleted !== true) remember(unmentioned.current, event.id, room)
        setCounts((all) => ((all[room] ?? 0) > 1 ? { ...all, [room]: all[room]! - 1 } : Object.fromEntries(Object.entries(all).filter(([r]) => r !== room))))
        return
      }
      if (event.type !== 'message' || event.author === self.id || self.name === '' || blocked.has(event.author)) return
      if (event.room === active && focused) return
      if (counted.current.has(event.id)) return
      // Your name always counts; "@everyone" and "@here" where the room is not muted.
      if (mentionOf(event.text, self.name, muted.includes(event.room), others) === undefined) { remember(unmentioned.current, event.id, event.room); return }
      count(event.id, event.room, event.author)
    })
  }, [active, focused, self.id, self.name, muted, blocked, others])
  // Looking at the room reads them.
  useEffect(() => {
    if (!focused) return
    for (const ids of [counted.current, unmentioned.current]) for (const [id, room] of ids) if (room === active) ids.delete(id)
    setCounts((all) => (all[active] === undefined ? all : Object.fromEntries(Object.entries(all).filter(([room]) => room !== active))))
  }, [active, focused])
  return [counts, raise, forget]
}

/** The names one can mention here: peers, people presence knows, authors seen in the room (not ours), then everyone and here. */
export function mentionable(peers: readonly PeerView[], people: ReadonlyMap<string, PresenceView>, authors: readonly string[], own: string): string[] {
  const names = [...peers.map((p) => p.name), ...[...people.values()].map((p) => p.name), ...authors]
  return [...new Set(names.filter((n) => n.trim() !== '' && n !== own)), ...EVERYONE]
}
