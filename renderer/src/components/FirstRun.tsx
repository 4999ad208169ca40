import { useState, type FormEvent } from 'react'
import { MAX_NAME_LENGTH } from '../../../preload/contract'
import { call, describe } from '../api'
// The app's own icon (the one in the dock and the taskbar), not an emoji a system may have no font for.
import appIcon from '../../../build/icon.svg'

/** The first screen: nobody chats before choosing how others will see them. */
export function FirstRun() {
  const [name, setName] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await call('setName', { name })
    } catch (err) {
      setError(describe(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="first-run">
      <form className="card" onSubmit={(e) => void submit(e)}>
        <img className="logo" src={appIcon} alt="" width={64} height={64} />
        <h1>Welcome to LAN Chat</h1>
        <p className="muted">Chat with people on your local network, with no server in between. Choose the name others will see.</p>
        <label htmlFor="first-run-name">Display name</label>
        <input id="first-run-name" autoFocus maxLength={MAX_NAME_LENGTH} value={name} placeholder="e.g. Ada" onChange={(e) => setName(e.target.value)} />
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <button className="primary" type="submit" disabled={busy || name.trim() === ''}>{busy ? 'Starting…' : 'Start chatting'}</button>
      </form>
    </main>
  )
}
