/**
 * What only this window knows about itself: whether it has the focus (what
 * counts as unread, and as seen), which rooms this person joined and which
 * conversation it showed last (both kept by main, in the settings).
 *
 *   useWindowFocus(dispatch)
 *   useJoinedRooms(state, dispatch)
 *   useLastRoom(state, running, dispatch)
 */
import { useEffect, useRef, type Dispatch } from 'react'
import { DEFAULT_ROOM, MAX_JOINED_ROOMS } from '../../preload/contract'
import { call } from './api'
import { isDmRoom, type Action, type State } from './store'

export function useWindowFocus(dispatch: Dispatch<Action>): void {
  useEffect(() => {
    const focus = (): void => dispatch({ type: 'focus', focused: true })
    const blur = (): void => dispatch({ type: 'focus', focused: false })
    window.addEventListener('focus', focus)
    window.addEventListener('blur', blur)
    dispatch({ type: 'focus', focused: document.hasFocus() })
    return () => {
      window.removeEventListener('focus', focus)
      window.removeEventListener('blur', blur)
    }
  }, [dispatch])
}

/**
 * The public rooms this person joined. Main keeps them in the settings (`joined`): a room joined
 * by name is noted there by `joinRoom`, one left by `leaveRoom`, and one opened from "Other rooms"
 * or written in is handed over here. Versions before kept the list in this window's localStorage:
 * the first start that finds no list in the settings moves that one there, once.
 */
export function useJoinedRooms(state: Pick<State, 'phase' | 'profile' | 'joined' | 'settings'>, dispatch: Dispatch<Action>): void {
  const { phase, profile, joined, settings } = state
  const kept = useRef(settings.joined)
  kept.current = settings.joined
  useEffect(() => {
    if (phase !== 'ready') return
    if (kept.current !== undefined) { dispatch({ type: 'joined', rooms: kept.current }); return }
    const key = `lanchat.joined.${profile}`
    let saved: string[] = []
    try {
      const value: unknown = JSON.parse(localStorage.getItem(key) ?? '[]')
      if (Array.isArray(value)) saved = value.filter((r): r is string => typeof r === 'string' && r !== DEFAULT_ROOM && !isDmRoom(r))
    } catch {
      // A damaged entry: start from the lobby.
    }
    const rooms = [DEFAULT_ROOM, ...saved.slice(-(MAX_JOINED_ROOMS - 1))]
    dispatch({ type: 'joined', rooms })
    call('saveSettings', { joined: rooms }).then(() => localStorage.removeItem(key), () => {
      // Not saved (a name the schema refuses, say): the old list stays for the next start.
    })
  }, [phase, profile, dispatch])

  // A room joined in this window (opened from "Other rooms", or written in) is noted by main.
  const before = useRef<readonly string[] | null>(null)
  useEffect(() => {
    const prev = before.current
    before.current = phase === 'ready' ? joined : null
    if (prev === null || kept.current === undefined) return
    for (const room of joined) {
      if (prev.includes(room) || kept.current.includes(room)) continue
      call('joinRoom', { room }).catch(() => {
        // Not running: listed here until the window closes, as before.
      })
    }
  }, [phase, joined])
}

/**
 * The conversation on screen is kept in the settings (`lastRoom`), and the next start opens it
 * again, as chat apps do: once the engine runs and still has it (a public room it lists, or a
 * direct conversation or invite-only room of the architecture running), unless the user opened
 * a conversation meanwhile, even the one on screen (a click on the lobby while the window is
 * still finding the kept room is a choice too). Nothing is saved before that, so the lobby a start shows first does not
 * overwrite it.
 */
export function useLastRoom(state: Pick<State, 'phase' | 'active' | 'opened' | 'settings' | 'rooms'>, running: boolean, dispatch: Dispatch<Action>): void {
  const { phase, active, opened, settings, rooms } = state
  // undefined: not tried yet; null: done (opened, gone, or the user was quicker).
  const pending = useRef<string | null | undefined>(undefined)
  const now = useRef(active)
  now.current = active
  // Any conversation opened meanwhile, the one on screen clicked again included, is the user's choice.
  const openedNow = useRef(opened)
  openedNow.current = opened
  const saved = useRef(settings.lastRoom)
  saved.current = settings.lastRoom
  // Before the opening below, so that in the commit which opens the kept room the lobby is not saved over it.
  useEffect(() => {
    if (phase !== 'ready' || pending.current !== null || active === saved.current) return
    call('saveSettings', { lastRoom: active }).catch(() => {
      // Not kept: the next start opens the lobby.
    })
  }, [phase, active])
  useEffect(() => {
    if (phase !== 'ready' || !running || pending.current !== undefined) return
    const last = saved.current
    const from = now.current
    const before = openedNow.current
    if (last === undefined || last === from) { pending.current = null; return }
    pending.current = last
    const open = (there: boolean): void => {
      pending.current = null
      if (there && openedNow.current === before) {
        dispatch({ type: 'select', room: last })
        return
      }
      // Gone, or the user chose meanwhile: what is on screen is kept from now on (the effect above waited for this).
      if (now.current !== saved.current) call('saveSettings', { lastRoom: now.current }).catch(() => undefined)
    }
    if (last.startsWith('dm:')) call('dms').then((dms) => open(dms.some((d) => d.room === last)), () => open(false))
    else if (last.startsWith('pr:')) call('privateRooms').then((all) => open(all.some((r) => r.room === last && !r.removed)), () => open(false))
    else open(rooms.includes(last))
  }, [phase, running, rooms, dispatch])
}
