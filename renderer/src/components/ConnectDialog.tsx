import { useState, type FormEvent } from 'react'
import { call, describe } from '../api'
import { Dialog } from './Dialog'

/** Connect to a peer by ip:port or multiaddr; main checks and converts the address. */
export function ConnectDialog({ onClose, onConnected }: { onClose: () => void; onConnected: (multiaddr: string) => void }) {
  const [address, setAddress] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const { multiaddr } = await call('dial', { address })
      onConnected(multiaddr)
    } catch (err) {
      setError(describe(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog title="Connect to address" label="Connect to address" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p className="muted">Peers on your network usually appear by themselves. If one does not, ask for the address shown in its status bar.</p>
        <label htmlFor="connect-address">Address</label>
        <input id="connect-address" autoFocus spellCheck={false} value={address} placeholder="192.168.1.20:4001 or /ip4/…/tcp/…/p2p/…" onChange={(e) => setAddress(e.target.value)} />
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button className="primary" type="submit" disabled={busy || address.trim() === ''}>{busy ? 'Connecting…' : 'Connect'}</button>
        </div>
      </form>
    </Dialog>
  )
}
