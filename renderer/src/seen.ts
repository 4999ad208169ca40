/**
 * Where the user left off in a room, and the "New messages" divider: on
 * opening a room, the divider goes above the first message from someone
 * else after the one last seen there (kept by main in the settings, so it
 * survives a restart), and stays put for the visit. While the window has the
 * focus, what the room shows is marked seen, so leaving and coming back with
 * nothing new shows no divider; while it is in the background nothing is, and
 * what arrives then gets a divider too — so does what catch-up brings in the
 * first seconds after the engine starts, in the room on screen (until the
 * user opens another: a room one opens is being read).
 *
 *   const { divider, onOpen } = useNewDivider({ room, data, seen: settings.seen, focused, running, waiting })
 *   // divider: a message id or null; onOpen: it was there when the room opened (the list may start at it)
 */
import { useEffect, useRef, useState } from 'react'
import type { SeenMark, Settings } from '../../preload/contract'
import { call } from './api'
import type { Entry, RoomState } from './store'

/** Marks wait this long for more messages, so a burst is one write of the settings. */
const MARK_AFTER_MS = 500
/**
 * After the engine starts, this long belongs to catch-up: what arrives then was not seen before,
 * even in the room on screen (the window cannot tell catch-up from live messages).
 */
const CATCH_UP_MS = 5_000

/** Whose row is real: sent or received, not an optimistic row without an id yet. */
const settled = (e: Entry): boolean => e.state === 'delivered' || e.state === 'pending'

/**
 * Whether the room's window starts after where the user left off, with older messages not loaded:
 * back after a long absence (more new messages than a page), the newest page holds only the end of
 * what is new, and a divider above its first row would say the rest was seen. The window is then
 * loaded around the mark instead (history.ts), and the divider waits for it.
 */
export function markBehind(data: Pick<RoomState, 'entries' | 'older' | 'loaded'> | undefined, mark: SeenMark | undefined): boolean {
  if (mark === undefined || data === undefined || !data.loaded || !data.older) return false
  if (data.entries.some((e) => e.message.id === mark.id)) return false
  const first = data.entries.find(settled)
  return first !== undefined && first.message.lamport > mark.lamport
}

/**
 * The first message from someone else after `mark` (by id in the window, else by Lamport time), or among
 * `arrived` (counted unread as they came: one written by a peer back from away sorts before what was read
 * since); null: none, or nothing seen yet.
 */
export function firstUnseen(entries: readonly Entry[], mark: SeenMark | undefined, arrived: ReadonlySet<string> = new Set()): string | null {
  if (mark === undefined) return null
  const at = entries.findIndex((e) => e.message.id === mark.id)
  const after = (e: Entry, i: number): boolean => (at >= 0 ? i > at : e.message.lamport > mark.lamport) || arrived.has(e.message.id)
  return entries.find((e, i) => after(e, i) && !e.own && settled(e) && e.message.note === undefined)?.message.id ?? null
}

export function useNewDivider({ room, data, seen, focused, running, waiting = false }: {
  room: string
  data: RoomState | undefined
  seen: Settings['seen']
  focused: boolean
  running: boolean
  /** The window is being moved to where the user left off (history.ts): decide nothing yet. */
  waiting?: boolean
}): { divider: string | null; onOpen: boolean } {
  // The divider of this visit: undefined until the room's messages are there. `onOpen`: decided then, not
  // put above messages that came later while the room was on screen (the list never jumps to that one).
  const [visit, setVisit] = useState<{ room: string; divider: string | null | undefined; onOpen: boolean }>({ room, divider: undefined, onOpen: true })
  if (visit.room !== room) setVisit({ room, divider: undefined, onOpen: true })
  const entries = data?.entries
  const loaded = running && data?.loaded === true && !waiting
  const decided = visit.room === room && visit.divider !== undefined
  const [startCaughtUp, setCaughtUp] = useState(false)
  // The room on screen when the engine started: catch-up lands there unasked. One the user opens
  // is being read, catch-up or not (a DM opened and closed within seconds was read).
  const roomNow = useRef(room)
  roomNow.current = room
  const [startRoom, setStartRoom] = useState<string | null>(null)
  useEffect(() => {
    setCaughtUp(false)
    setStartRoom(roomNow.current)
    if (!running) return
    const timer = setTimeout(() => setCaughtUp(true), CATCH_UP_MS)
    return () => clearTimeout(timer)
  }, [running])
  const caughtUp = startCaughtUp || (startRoom !== null && room !== startRoom)
  // With the window in the background, or while catching up, nothing is seen: a line may still come above what arrives.
  const open = !decided || (visit.divider === null && (!focused || !caughtUp))
  const mark = seen?.[room]
  // Counted unread as they came: when the room was opened, and since while the window is in the background.
  const arrived = data?.arrived
  const unreadIds = data?.unreadIds
  useEffect(() => {
    if (!loaded || !open || entries === undefined) return
    const divider = firstUnseen(entries, mark, new Set([...arrived ?? [], ...unreadIds ?? []]))
    if (!decided || divider !== null) setVisit({ room, divider, onOpen: !decided })
  }, [room, loaded, open, decided, entries, mark, arrived, unreadIds])

  // Seen: the newest the room shows (not a search hit's context, which ends before the newest), once the divider is decided.
  const newest = data?.newer === true ? undefined : entries?.filter(settled).at(-1)?.message
  const newestId = newest?.id
  const newestLamport = newest?.lamport
  useEffect(() => {
    if (!loaded || !decided || !focused || !caughtUp || newestId === undefined || newestLamport === undefined || mark?.id === newestId) return
    const timer = setTimeout(() => {
      call('markSeen', { room, id: newestId, lamport: newestLamport }).catch(() => undefined)
    }, MARK_AFTER_MS)
    return () => clearTimeout(timer)
  }, [room, loaded, decided, focused, caughtUp, newestId, newestLamport, mark?.id])

  return visit.room === room ? { divider: visit.divider ?? null, onOpen: visit.onOpen } : { divider: null, onOpen: true }
}
