import { useContext, useEffect, useRef, useState, type FormEvent } from 'react'
import QRCode from 'qrcode'
import type { PeerView, PrivateRoomView } from '../../../preload/contract'
import { MAX_NAME_LENGTH } from '../../../preload/contract'
import { call, describe } from '../api'
import { shortId } from '../format'
import { COPY_WORDS, useCopy } from '../copy'
import { Dialog } from './Dialog'
import { BuildTag, BuildWords, OwnDot, Presence, PresenceDot, StatusWords } from './People'
import { HeaderLockIcon } from './icons'

/** The invite code with a Copy button and as a QR code (to scan off the screen): what the creator hands to the people it invites. */
function InviteCode({ code, takeFocus = false }: { code: string; takeFocus?: boolean }) {
  const { state, copy } = useCopy()
  const [qr, setQr] = useState<string>()
  // Shown in place of the button that asked for it (Members): the keyboard goes to the code, else to the page behind.
  const field = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (takeFocus) field.current?.focus()
  }, [takeFocus])
  useEffect(() => {
    let current = true
    QRCode.toString(code, { type: 'svg', margin: 1, errorCorrectionLevel: 'L' }).then(
      (svg) => current && setQr(`data:image/svg+xml;base64,${btoa(svg)}`),
      () => undefined
    )
    return () => {
      current = false
    }
  }, [code])
  return (
    <>
      <label htmlFor="invite-code">Invite code</label>
      <div className="key-row">
        <input id="invite-code" ref={field} className="mono" readOnly value={code} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={() => copy(code)}>{COPY_WORDS[state]}</button>
      </div>
      {qr !== undefined && <img className="invite-qr" src={qr} alt="The invite code as a QR code" data-testid="invite-qr" />}
      <p className="hint">Whoever has this code can join and read the room: share it only with the people you invite.</p>
    </>
  )
}

/**
 * Send the room's invite code to someone in a direct message (sealed for them alone), where it
 * shows as an invitation with a Join button (Invitation.tsx): the people this window knows who
 * are not members yet, the hub and blocked peers aside. Those the creator removed are offered to
 * the creator alone, to invite back (a new key the invite carries: what was said while they were
 * out stays closed to them). Those sent one who have not joined (the engine notes them: `invited`)
 * are said so, and offered last, to send again.
 */
function SendInvite({ room, self, peers }: { room: PrivateRoomView; self: string; peers: PeerView[] }) {
  // Whom this dialog sent the invite to: not offered again (the next one is chosen), and said so.
  const [sent, setSent] = useState<string[]>([])
  // Sent one before (this dialog was closed since, or another window sent it), not joined yet.
  const earlier = (room.invited ?? []).filter((id) => !sent.includes(id))
  const owner = room.creator === self
  const gone = (id: string): boolean => room.gone?.includes(id) === true
  const open = peers.filter((p) => p.peerId !== self && p.hub !== true && p.blocked !== true && !room.members.includes(p.peerId) && (owner || !gone(p.peerId)) && !sent.includes(p.peerId))
  const choices = [...open.filter((p) => !earlier.includes(p.peerId)), ...open.filter((p) => earlier.includes(p.peerId))]
  const [to, setTo] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  // The button is disabled while the invite goes, which takes the keyboard off it (to the page behind the
  // dialog): once it went, back on the button while there are others to invite (the next one chosen, or
  // the same again after a failure); sent to the last one, the choice and its button go, and the line
  // saying it was sent takes it.
  const said = useRef<HTMLParagraphElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const now = document.activeElement
    if (busy || (sent.length === 0 && error === undefined) || (now !== null && now !== document.body)) return
    ;(button.current ?? said.current)?.focus()
  }, [sent.length, busy, error])
  const chosen = choices.some((p) => p.peerId === to) ? to : choices[0]?.peerId ?? ''
  const nameOf = (id: string): string => peers.find((p) => p.peerId === id)?.name || shortId(id)
  async function send(e: FormEvent): Promise<void> {
    e.preventDefault()
    if (chosen === '') return
    setBusy(true)
    setError(undefined)
    try {
      await call('invite', { room: room.room, to: chosen })
      setSent((s) => [...s, chosen])
    } catch (err) {
      setError(describe(err))
    } finally {
      setBusy(false)
    }
  }
  if (choices.length === 0 && sent.length === 0) {
    const others = peers.some((p) => p.peerId !== self && p.hub !== true && p.blocked !== true && !gone(p.peerId))
    return <p className="hint">{others ? 'Everyone LAN Chat knows of is in the room already: more people to invite show up once they are on the network.' : 'Nobody else to invite here yet: the people you can invite show up once they are on the LAN.'}</p>
  }
  return (
    <form className="stack" onSubmit={(e) => void send(e)}>
      {choices.length > 0 && (
        <>
          <label htmlFor="invite-to">Invite someone</label>
          <div className="key-row">
            <select id="invite-to" value={chosen} onChange={(e) => setTo(e.target.value)}>
              {choices.map((p) => (
                <option key={p.peerId} value={p.peerId}>
                  {p.name || shortId(p.peerId)}{p.fingerprint !== undefined ? ` (${p.fingerprint})` : ''}{gone(p.peerId) ? ', removed: invite back' : earlier.includes(p.peerId) ? ', invited already' : ''}
                </option>
              ))}
            </select>
            <button type="submit" ref={button} disabled={busy}>{gone(chosen) ? 'Invite back' : earlier.includes(chosen) ? 'Send it again' : 'Send the invite'}</button>
          </div>
        </>
      )}
      {earlier.length > 0 && <p className="hint" data-testid="invited">Invited, not joined yet: {earlier.map(nameOf).join(', ')}.</p>}
      {sent.length > 0 && <p className="hint" role="status" id="invite-sent" tabIndex={-1} ref={said}>Invite sent to {sent.map(nameOf).join(', ')}, in your direct messages: only they can read it, and they join with one click.</p>}
      {error !== undefined && <p className="error" role="alert">{error}</p>}
    </form>
  )
}

/** Create an invite-only room (and get its code), or join one with a code someone gave you. */
export function PrivateRoomDialog({ self, peers, onClose, onOpen }: { self: string; peers: PeerView[]; onClose: () => void; onOpen: (room: PrivateRoomView) => void }) {
  const [name, setName] = useState('')
  const [code, setCode] = useState('')
  const [created, setCreated] = useState<PrivateRoomView & { invite: string }>()
  const [error, setError] = useState<string>()

  async function create(e: FormEvent): Promise<void> {
    e.preventDefault()
    setError(undefined)
    try {
      setCreated(await call('createPrivateRoom', { name: name.trim() }))
    } catch (err) {
      setError(describe(err))
    }
  }

  async function join(e: FormEvent): Promise<void> {
    e.preventDefault()
    setError(undefined)
    try {
      onOpen(await call('joinInvite', { code: code.trim() }))
    } catch (err) {
      setError(describe(err))
    }
  }

  if (created !== undefined) {
    // Its own dialog (a key of its own), not the form's with new contents: it opens anew, on its first field,
    // where the form's Create button, gone with the form, would have left the keyboard on the page behind.
    return (
      <Dialog key="created" title={<><span className="lock" aria-hidden="true"><HeaderLockIcon /></span>{created.name} is ready</>} label="Private room created" onClose={() => onOpen(created)}>
        <div className="stack">
          <SendInvite room={created} self={self} peers={peers} />
          <InviteCode code={created.invite} />
          <div className="actions">
            <button className="primary" type="button" onClick={() => onOpen(created)}>Open the room</button>
          </div>
        </div>
      </Dialog>
    )
  }
  return (
    <Dialog title="Private room" label="Private room" onClose={onClose}>
      <form onSubmit={(e) => void create(e)} className="stack">
        <label htmlFor="private-name">New private room</label>
        <input id="private-name" maxLength={MAX_NAME_LENGTH} value={name} placeholder="e.g. Design team" onChange={(e) => setName(e.target.value)} />
        <p className="hint">Only people you give its invite code can read it; everyone else, relays and the hub included, holds only ciphertext.</p>
        <div className="actions">
          <button className="primary" type="submit" disabled={name.trim() === ''}>Create</button>
        </div>
      </form>
      <form onSubmit={(e) => void join(e)} className="stack">
        <label htmlFor="private-code">Join with an invite code</label>
        <input id="private-code" className="mono" value={code} placeholder="lanchat-invite:…" onChange={(e) => setCode(e.target.value)} />
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button className="primary" type="submit" disabled={code.trim() === ''}>Join</button>
        </div>
      </form>
    </Dialog>
  )
}

/** Who is in a private room, with their presence; its creator can remove someone (the room then gets a new key the removed member never sees). */
export function MembersDialog({ room, self, selfAway, peers, onClose, onChanged }: { room: PrivateRoomView; self: string; selfAway: boolean; peers: PeerView[]; onClose: () => void; onChanged: (room: PrivateRoomView) => void }) {
  const [error, setError] = useState<string>()
  const [invite, setInvite] = useState<string>()
  const nameOf = (id: string): string => (id === self ? 'You' : peers.find((p) => p.peerId === id)?.name || shortId(id))
  const owner = room.creator === self
  const presence = useContext(Presence)
  // Someone on another LAN Chat is tagged as the people list and a room's Members panel tag them (its view by presence, else the peer's).
  const buildOf = (id: string) => (id === self ? undefined : presence.get(id)?.build ?? peers.find((p) => p.peerId === id)?.build)
  /** Whose older/newer tag shows its words (one at a time, as in the people list). */
  const [buildShown, setBuildShown] = useState<string | null>(null)
  // Members change while the window is elsewhere (joins, a removal): ask the engine afresh on opening.
  useEffect(() => {
    call('privateRoom', { room: room.room }).then(onChanged, () => undefined)
  }, [room.room])

  // A removal is asked first, on the member's row (only the creator's invite back lets them in again).
  const [confirming, setConfirming] = useState<string>()
  // A button pressed here goes as the dialog changes (Remove gives way to its question, the question
  // to Remove again, a removed member's row with its buttons): the keyboard would fall to the page
  // behind. It goes to the question's Cancel, back to the Remove it asked for, else to Close.
  // Only when the members or the question change: the room is asked afresh (and renamed) while the keyboard
  // is elsewhere or let go by Rename, whose own effect gives it back to the name.
  const list = useRef<HTMLUListElement>(null)
  const asked = useRef<string>(undefined)
  const membersNow = room.members.join(' ')
  const oldInvitesNow = room.oldInvite?.join(' ')
  useEffect(() => {
    const now = document.activeElement
    const ul = list.current
    if (ul === null || (now !== null && now !== document.body)) return
    const back = asked.current === undefined ? null : ul.querySelector<HTMLElement>(`[data-remove="${CSS.escape(asked.current)}"]`)
    const to = confirming !== undefined ? ul.querySelector<HTMLElement>('.confirm-remove button') : back ?? ul.closest('.dialog-body')?.querySelector<HTMLElement>(':scope > .stack > .actions button')
    to?.focus()
  }, [confirming, membersNow, oldInvitesNow])
  async function act(operation: 'removeMember' | 'giveRoomKeys', peerId: string): Promise<void> {
    setError(undefined)
    setConfirming(undefined)
    try {
      onChanged(await call(operation, { room: room.room, peerId }))
    } catch (err) {
      setError(describe(err))
    }
  }

  return (
    <Dialog title={<><span className="lock" aria-hidden="true"><HeaderLockIcon /></span>{room.name}: members</>} label="Members" onClose={onClose}>
      <div className="stack">
        {room.removed && <p className="error">You were removed from this room: you keep what was said before, and see nothing new.</p>}
        {owner && !room.removed && <RenameRoom room={room} onRenamed={onChanged} />}
        <ul className="members" aria-label="Members" ref={list}>
          {room.members.map((id) => {
            const oldInvite = owner && room.oldInvite?.includes(id) === true
            return (
              <li key={id} data-testid="member" className={confirming === id || oldInvite ? 'member-wide' : undefined}>
                <span>
                  {/* Our own dot as well, as a public room's members list has it: as we are, online or away. */}
                  {id === self ? <OwnDot away={selfAway} /> : <PresenceDot peerId={id} connected={peers.some((p) => p.peerId === id && p.connected)} />}{' '}
                  {nameOf(id)}{id === room.creator && <span className="tag">creator</span>}
                  <BuildTag build={buildOf(id)} shown={buildShown === id} onToggle={() => setBuildShown(buildShown === id ? null : id)} testId="member-build" />
                  {id !== self && <StatusWords of={presence.get(id)} />}
                  <BuildWords build={buildOf(id)} shown={buildShown === id} testId="member-build-hint" />
                </span>
                {oldInvite && confirming !== id && (
                  <p className="hint" data-testid="old-invite">
                    Joined with an invite from before the room&apos;s last change of members: reads nothing written since. Give them the room&apos;s key if you meant to let them in; otherwise remove them.
                  </p>
                )}
                {owner && id !== self && confirming !== id && (
                  <span className="member-actions">
                    {oldInvite && <button type="button" aria-label={`Give the key to ${nameOf(id)}`} onClick={() => void act('giveRoomKeys', id)}>Give the key</button>}
                    <button type="button" aria-label={`Remove ${nameOf(id)}`} data-remove={id} onClick={() => { asked.current = id; setConfirming(id) }}>Remove</button>
                  </span>
                )}
                {confirming === id && (
                  <div className="confirm-remove" role="group" aria-label={`Remove ${nameOf(id)}?`}>
                    <p>Remove {nameOf(id)}? They keep what was said before and read nothing written from now on, unless you invite them back.</p>
                    <div className="actions">
                      <button type="button" onClick={() => setConfirming(undefined)}>Cancel</button>
                      <button type="button" className="danger" onClick={() => void act('removeMember', id)}>Remove {nameOf(id)}</button>
                    </div>
                  </div>
                )}
              </li>
            )
          })}
        </ul>
        {!room.removed && <SendInvite room={room} self={self} peers={peers} />}
        {!room.removed && (invite === undefined
          ? <button type="button" onClick={() => void call('invite', { room: room.room }).then((r) => setInvite(r.code), (err: unknown) => setError(describe(err)))}>Show the invite code</button>
          : <InviteCode code={invite} takeFocus />)}
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Close</button>
        </div>
      </div>
    </Dialog>
  )
}

/** The creator gives its room a new name: every member's list shows it. */
function RenameRoom({ room, onRenamed }: { room: PrivateRoomView; onRenamed: (room: PrivateRoomView) => void }) {
  const [name, setName] = useState(room.name)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const changed = name.trim() !== '' && name.trim() !== room.name
  const field = useRef<HTMLInputElement>(null)
  // Rename, pressed itself, lets go of the keyboard as it is disabled (and stays so once the name is the room's):
  // looked at once what the answer changes is drawn (the answer can come before the busy button was), never before.
  const [done, setDone] = useState(0)
  useEffect(() => {
    if (done === 0) return
    const now = document.activeElement
    if (now === null || now === document.body || (now instanceof HTMLButtonElement && now.disabled)) field.current?.focus()
  }, [done])
  async function rename(e: FormEvent): Promise<void> {
    e.preventDefault()
    if (!changed) return
    setBusy(true)
    setError(undefined)
    try {
      onRenamed(await call('renamePrivateRoom', { room: room.room, name: name.trim() }))
    } catch (err) {
      setError(describe(err))
    } finally {
      setBusy(false)
      setDone((n) => n + 1)
    }
  }
  return (
    <form className="stack" onSubmit={(e) => void rename(e)}>
      <label htmlFor="rename-room">Room name</label>
      <div className="key-row">
        <input id="rename-room" ref={field} maxLength={MAX_NAME_LENGTH} value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={!changed || busy}>Rename</button>
      </div>
      {error !== undefined && <p className="error" role="alert">{error}</p>}
    </form>
  )
}

/** Leaving a private room, asked first: its keys are forgotten, so its history no longer opens here; a new invite lets you back. */
export function LeavePrivateDialog({ room, onClose, onLeft }: { room: PrivateRoomView; onClose: () => void; onLeft: (rooms: PrivateRoomView[]) => void }) {
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  async function leave(): Promise<void> {
    setBusy(true)
    setError(undefined)
    try {
      onLeft(await call('leavePrivateRoom', { room: room.room }))
    } catch (err) {
      setError(describe(err))
      setBusy(false)
    }
  }
  return (
    <Dialog title={<>Leave <span className="lock" aria-hidden="true"><HeaderLockIcon /></span>{room.name}?</>} label="Leave the private room" onClose={onClose}>
      <div className="stack">
        {room.removed
          ? <p>You were removed from it. This computer forgets the room&apos;s keys, so what was said before no longer opens here either, and it is no longer listed.</p>
          : <p>Its members will see that you left. You will no longer read it, what was said before included: this computer forgets the room&apos;s keys. To come back you need a new invite.</p>}
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void leave()}>Leave the room</button>
        </div>
      </div>
    </Dialog>
  )
}
