import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch } from 'react'
import type { MessageView, SeenMark } from '../../preload/contract'
import { call, describe } from './api'
import { markBehind } from './seen'
import { PAGE, type Action, type RoomState, type Window } from './store'

export interface Paging {
  /** Put the page before the window's first message in front of it (scrolled to the top). */
  older: () => void
  /** Put the page after the window's last message behind it (scrolled to the bottom of a hit's context). */
  newer: () => void
  /** Back to the newest page (leaving a search hit's context). */
  newest: () => void
  /** The window is being moved to where the user left off: the "New messages" line waits for it. */
  waiting: boolean
}

/**
 * The open room's history, a page at a time: the newest page when the room
 * opens or the engine (re)starts, the context of a search hit when one is to
 * be shown and is not in the window, the context of where the user left
 * off when more came since than a page holds, and older or newer pages as
 * the user scrolls. One request per direction at a time.
 */
export function useHistory(dispatch: Dispatch<Action>, opts: { room: string; data: RoomState | undefined; reveal: string | null; running: boolean; engineKey: string; seen?: SeenMark }): Paging {
  const { room, data, reveal, running, engineKey, seen } = opts
  const busy = useRef(new Set<string>())
  const state = useRef({ room, data, reveal })
  state.current = { room, data, reveal }

  // A page asked again while the same one is on its way (`again`: the history changed under it, history:moved) is
  // asked once more when that answer is in: read before the change, it may hold what went. Scrolling asks no twice.
  const afterThis = useRef(new Map<string, () => void>())
  const load = useCallback(
    (window: Window, req: { before?: string; after?: string; around?: string }, again = false) => {
      const key = `${room}/${window}`
      if (busy.current.has(key)) {
        if (again) afterThis.current.set(key, () => { load(window, req) })
        return
      }
      busy.current.add(key)
      const done = (): void => {
        busy.current.delete(key)
        const next = afterThis.current.get(key)
        afterThis.current.delete(key)
        next?.()
      }
      call('history', { room, limit: PAGE, notes: true, ...req }).then(
        (messages: MessageView[]) => {
          if (state.current.room === room) dispatch({ type: 'history', room, messages, window })
          done()
        },
        (err: unknown) => {
          dispatch({ type: 'toast', title: `Cannot load #${room}`, message: describe(err) })
          done()
        }
      )
    },
    [room, dispatch]
  )

  // The room opens, or the engine (re)starts: its newest page, or the context of the hit to show.
  useEffect(() => {
    if (!running) return
    const { reveal: hit, data: d } = state.current
    if (hit !== null && !(d?.entries.some((e) => e.message.id === hit) ?? false)) load('around', { around: hit }, true)
    else load('newest', {}, true)
  }, [room, running, engineKey, load])

  // A search hit in this room that is not in the window: load its context.
  const missing = reveal !== null && data?.loaded === true && !data.entries.some((e) => e.message.id === reveal) ? reveal : null
  useEffect(() => {
    if (running && missing !== null) load('around', { around: missing })
  }, [missing, running, load])

  // Back after more new messages than a page: the newest page starts after where the user left
  // off, so the room opens around that point instead (the "New messages" line and the list start
  // there; scrolling down pages on to the newest). Once per visit of the room ("Jump to newest"
  // stays there); a mark whose message is gone (deleted, or another mode's history) leaves the
  // newest page as it is.
  const visit = useRef({ room, n: 0 })
  if (visit.current.room !== room) visit.current = { room, n: visit.current.n + 1 }
  const visitKey = `${room}/${visit.current.n}/${engineKey}`
  // Only while the list has not let its oldest rows go: a list that followed the room on screen (the
  // window in the background) may have let the mark go too, and moving it back there would leave the
  // newest behind the reader's back (the "↑ N new messages" button still leads to the line).
  const behind = running && reveal === null && data?.trims === 0 && markBehind(data, seen)
  const asked = useRef<string | null>(null)
  const [answered, setAnswered] = useState<string | null>(null)
  useEffect(() => {
    if (!behind || seen === undefined || asked.current === visitKey) return
    asked.current = visitKey
    const generation = state.current.data?.generation
    call('history', { room, limit: PAGE, notes: true, around: seen.id }).then(
      (messages: MessageView[]) => {
        const { room: now, data: d } = state.current
        // Still this room's same window (no other page came meanwhile): else the answer is stale.
        if (now === room && d?.generation === generation && messages.some((m) => m.id === seen.id)) dispatch({ type: 'history', room, messages, window: 'around' })
        setAnswered(visitKey)
      },
      () => { setAnswered(visitKey) }
    )
  }, [behind, seen, visitKey, room, dispatch])
  const waiting = behind && answered !== visitKey

  const older = useCallback(() => {
    const d = state.current.data
    const first = d?.entries.find((e) => e.state !== 'sending' && e.state !== 'failed')
    if (d?.older === true && first !== undefined) load('older', { before: first.message.id })
  }, [load])
  const newer = useCallback(() => {
    const d = state.current.data
    const last = d?.entries.filter((e) => e.state !== 'sending' && e.state !== 'failed').at(-1)
    if (d?.newer === true && last !== undefined) load('newer', { after: last.message.id })
  }, [load])
  const newest = useCallback(() => load('newest', {}), [load])
  // The same object while nothing in it changed: what holds it (a send's callback, every row's actions) stays the same.
  return useMemo(() => ({ older, newer, newest, waiting }), [older, newer, newest, waiting])
}
