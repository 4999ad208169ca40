import { createContext } from 'react'
import type { InviteCheck, PrivateRoomView } from '../../preload/contract'

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
  /** Whether the code would let us in, its keys not taken: `refused` is why not (a room we left since, or one that removed us). */
  check: (code: string) => Promise<InviteCheck>
  open: (room: string) => void
}

export const Invites = createContext<InviteActions | null>(null)
