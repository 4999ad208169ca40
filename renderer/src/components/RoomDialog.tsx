import { useState, type FormEvent } from 'react'
import { MAX_ROOM_LENGTH } from '../../../preload/contract'
import { call, describe } from '../api'
import { normaliseRoom } from '../format'
import { Dialog } from './Dialog'

/** Create and join are one act: a room exists once someone speaks in it. */
export function RoomDialog({ onClose, onJoined }: { onClose: () => void; onJoined: (room: string) => void }) {
  const [room, setRoom] = useState('')
  const [error, setError] = useState<string>()
  const name = normaliseRoom(room)

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault()
    setError(undefined)
    try {
      await call('joinRoom', { room: name })
      onJoined(name)
    } catch (err) {
      setError(describe(err))
    }
  }

  return (
    <Dialog title="Create or join a room" label="Create or join a room" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label htmlFor="room-name">Room name</label>
        <input id="room-name" autoFocus maxLength={MAX_ROOM_LENGTH + 1} value={room} placeholder="e.g. design" onChange={(e) => setRoom(e.target.value)} />
        {name === '' ? (
          <p className="hint">Everyone who joins the same name is in the same room.</p>
        ) : (
          <p className="hint" data-testid="room-preview" aria-live="polite">
            {name !== room.trim() && <>Room names are lowercase, with - for spaces. </>}
            You will join <strong className="room-preview">#{name}</strong>; its history arrives from the peers who have it.
          </p>
        )}
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button className="primary" type="submit" disabled={name === ''}>Join room</button>
        </div>
      </form>
    </Dialog>
  )
}
