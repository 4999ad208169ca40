import { useContext, useEffect, useState } from 'react'
import type { Invitation as InvitationView } from '../../../preload/contract'
import { describe } from '../api'
import { Invites } from '../invites'
import { LockIcon } from './icons'

/**
 * A message whose whole text is an invite code, shown as what it is: an
 * invitation to a private room, with Join (the code's keys are taken only on
 * that click), or Open once this window is in the room. An invitation to a
 * room we have left since (or that removed us) says so instead of offering
 * Join, unless it is the creator's invite back, made after the removal. The
 * code itself is not shown: whoever reads it can join.
 */
export function Invitation({ code, invite, own, from, to }: { code: string; invite: InvitationView; own: boolean; from: string; to?: { peerId: string; name: string } }) {
  const actions = useContext(Invites)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const known = actions?.rooms.find((r) => r.room === invite.room)
  const member = known !== undefined && !known.removed
  const removed = known?.removed === true
  // The room's name now, for a room we are in (its creator may have renamed it since the code was made).
  const name = known?.name ?? invite.name
  // Asked of the engine before Join is offered, and again when our rooms change (we left one, or joined it with a newer invite).
  const [refused, setRefused] = useState<string>()
  // For a room that removed us, no Join until the engine says this is the creator's invite back.
  const [checked, setChecked] = useState(false)
  const ask = !own && !member && actions !== null
  useEffect(() => {
    if (!ask) return
    let current = true
    actions.check(code).then(
      (c) => { if (current) { setRefused(c.refused); setChecked(true) } },
      () => { if (current) { setRefused(undefined); setChecked(true) } }
    )
    return () => { current = false }
  }, [ask, actions, code, removed])
  const shut = removed && (!checked || refused !== undefined)
  async function join(): Promise<void> {
    if (actions === null) return
    setBusy(true)
    setError(undefined)
    try {
      await actions.join(code)
    } catch (err) {
      setError(describe(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="invitation" data-testid="invitation" role="group" aria-label={`Invitation to the private room ${name}`}>
      <p className="invitation-room"><span className="lock" aria-hidden="true"><LockIcon /></span><strong>{name}</strong></p>
      <p className="hint">
        {own
          ? to !== undefined && known?.members.includes(to.peerId) === true
            ? `You invited ${to.name} to this private room: they joined.`
            : 'You sent an invitation to this private room. Whoever reads this message can join it.'
          : shut
            ? `${from} invited you to this private room, which has since removed you.`
            : removed
              ? `${from} invites you back to this private room. You read what is written from now on, not what was said while you were out.`
            : refused !== undefined && !member
              ? `${from} invited you to this private room. ${refused}`
              : `${from} invites you to this private room. Its members read what you write there; nobody else can.`}
      </p>
      {member
        ? <button type="button" disabled={actions === null} onClick={() => actions?.open(invite.room)}>Open the room</button>
        : !own && !shut && refused === undefined && <button type="button" className="primary" disabled={actions === null || busy} onClick={() => void join()}>{busy ? 'Joining…' : 'Join the room'}</button>}
      {error !== undefined && <p className="error small" role="alert">{error}</p>}
    </div>
  )
}
