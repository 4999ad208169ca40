import { createContext } from 'react'
import type { PrivateRoomView } from '../../preload/contract'

/**
 * What an invitation in a conversation needs (an invite code sent as a
 * message: components/Invitation.tsx): the private rooms this window is in,
 * joining with a code, and opening a room. Provided by App; null where no
 * engine runs.
 */
export interface InviteActions {
  rooms: PrivateRoomView[]
  /** Take the code's keys and open the room; rejects with the engine's error (a room that removed us, a damaged code). */
  join: (code: string) => Promise<void>
  open: (room: string) => void
}

export const Invites = createContext<InviteActions | null>(null)
