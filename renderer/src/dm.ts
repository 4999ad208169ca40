import { createContext } from 'react'

/**
 * Start (or reopen) a direct conversation with a peer, from wherever its
 * name is shown: the peer list, or an author's name on a message (the only
 * way to reach another client in client–server mode, whose peer list is the
 * hub). Provided by App; null where no engine runs.
 */
export const OpenDm = createContext<((peerId: string, name?: string) => void) | null>(null)
