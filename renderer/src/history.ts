import { useCallback, useEffect, useRef, type Dispatch } from 'react'
import type { MessageView } from '../../preload/contract'
import { call, describe } from './api'
import { PAGE, type Action, type RoomState, type Window } from './store'

export interface Paging {
  /** Put the page before the window's first message in front of it (scrolled to the top). */
  older: () => void
  /** Put the page after the window's last message behind it (scrolled to the bottom of a hit's context). */
  newer: () => void
  /** Back to the newest page (leaving a search hit's context). */
  newest: () => void
}

/**
 * The open room's history, a page at a time: the newest page when the room
 * opens or the engine (re)starts, the context of a search hit when one is to
 * be shown and is not in the window, and older or newer pages as the user
 * scrolls. One request per direction at a time.
 */
export function useHistory(dispatch: Dispatch<Action>, opts: { room: string; data: RoomState | undefined; reveal: string | null; running: boolean; engineKey: string }): Paging {
  const { room, data, reveal, running, engineKey } = opts
  const busy = useRef(new Set<string>())
  const state = useRef({ room, data, reveal })
  state.current = { room, data, reveal }

  const load = useCallback(
    (window: Window, req: { before?: string; after?: string; around?: string }) => {
      const key = `${room}/${window}`
      if (busy.current.has(key)) return
      busy.current.add(key)
      call('history', { room, limit: PAGE, ...req }).then(
        (messages: MessageView[]) => {
          busy.current.delete(key)
          if (state.current.room === room) dispatch({ type: 'history', room, messages, window })
        },
        (err: unknown) => {
          busy.current.delete(key)
          dispatch({ type: 'toast', title: `Cannot load #${room}`, message: describe(err) })
        }
      )
    },
    [room, dispatch]
  )

  // The room opens, or the engine (re)starts: its newest page, or the context of the hit to show.
  useEffect(() => {
    if (!running) return
    const { reveal: hit, data: d } = state.current
    if (hit !== null && !(d?.entries.some((e) => e.message.id === hit) ?? false)) load('around', { around: hit })
    else load('newest', {})
  }, [room, running, engineKey, load])

  // A search hit in this room that is not in the window: load its context.
  const missing = reveal !== null && data?.loaded === true && !data.entries.some((e) => e.message.id === reveal) ? reveal : null
  useEffect(() => {
    if (running && missing !== null) load('around', { around: missing })
  }, [missing, running, load])

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
  return { older, newer, newest }
}
