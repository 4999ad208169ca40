/**
 * What only this window knows about itself: whether it has the focus (what
 * counts as unread, and as seen), and which rooms this person joined, kept
 * per profile in localStorage.
 *
 *   useWindowFocus(dispatch)
 *   useJoinedRooms(state, dispatch)
 */
import { useEffect, type Dispatch } from 'react'
import type { Action, State } from './store'

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

export function useJoinedRooms(state: Pick<State, 'phase' | 'profile' | 'joined'>, dispatch: Dispatch<Action>): void {
  const { phase, profile, joined } = state
  useEffect(() => {
    if (phase !== 'ready') return
    try {
      const saved: unknown = JSON.parse(localStorage.getItem(`lanchat.joined.${profile}`) ?? '[]')
      if (Array.isArray(saved)) dispatch({ type: 'joined', rooms: saved.filter((r): r is string => typeof r === 'string') })
    } catch {
      // A damaged entry: start from the lobby.
    }
  }, [phase, profile, dispatch])
  useEffect(() => {
    if (phase === 'ready') localStorage.setItem(`lanchat.joined.${profile}`, JSON.stringify(joined))
  }, [phase, profile, joined])
}
