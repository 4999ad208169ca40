import { useEffect, useState } from 'react'
import { DEFAULT_ROOM, type MemberView, type PeerView } from '../../../preload/contract'
import { call, describe } from '../api'
import { shortId } from '../format'
import { presenceLabel } from '../people'
import { Dialog } from './Dialog'
import { BuildTag, BuildWords, StatusWords } from './People'

/** What the list is, as the engine makes it (main/app/members.ts). */
function whoIsIn(room: string): string {
  if (room === DEFAULT_ROOM) return 'Everyone on the network: nobody leaves the lobby.'
  if (room.startsWith('dm:')) return 'The two of you: nobody else can read this conversation.'
  return 'Who posted here, and you.'
}

/**
 * Who is in a room — whoever posted in it (in the lobby everyone, in a direct conversation the other person), and you — each with a dot for
 * online, away or offline (with when last seen). Asked of the engine again
 * whenever the peer list moves (connections, presence) or a message comes, so it stays
 * true while open.
 */
export function RoomMembersDialog({ room, label, peers, count, onClose }: { room: string; label: string; peers: PeerView[]; count: number; onClose: () => void }) {
  const [members, setMembers] = useState<MemberView[]>()
  const [error, setError] = useState<string>()
  /** Whose older/newer tag shows its words (one at a time, as in the people list). */
  const [buildShown, setBuildShown] = useState<string | null>(null)
  useEffect(() => {
    call('members', { room }).then(setMembers, (err: unknown) => setError(describe(err)))
  }, [room, peers, count])
  return (
    <Dialog title={`${label}: members`} label="Members" onClose={onClose}>
      <div className="stack">
        <p className="muted small">{whoIsIn(room)}</p>
        {members === undefined && error === undefined && <p className="muted">Loading…</p>}
        {members !== undefined && (
          <ul className="members" aria-label="Members">
            {members.map((m) => {
              const state = presenceLabel(m, false)
              return (
                <li key={m.peerId} data-testid="member" data-state={m.state}>
                  <span>
                    <span className={`presence ${m.state}`} role="img" aria-label={state} title={state} />{' '}
                    {m.self === true ? 'You' : m.name || shortId(m.peerId)} <span className="muted small">{m.fingerprint}</span>
                    <BuildTag build={m.build} shown={buildShown === m.peerId} onToggle={() => setBuildShown(buildShown === m.peerId ? null : m.peerId)} testId="member-build" />
                    <StatusWords of={m} />
                    <BuildWords build={m.build} shown={buildShown === m.peerId} testId="member-build-hint" />
                  </span>
                  <span className="muted small">{state}</span>
                </li>
              )
            })}
          </ul>
        )}
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Close</button>
        </div>
      </div>
    </Dialog>
  )
}
