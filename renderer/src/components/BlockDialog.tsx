import { useState } from 'react'
import type { PeerView } from '../../../preload/contract'
import { call, describe } from '../api'
import { shortId } from '../format'
import { Dialog } from './Dialog'

/**
 * Block a peer, asked first: its messages fold to one line each (Show opens one), count toward
 * no unread number, mention or notification, and nothing new is written to it privately; peer
 * to peer this computer refuses its connection, and a client does not show it typing. Others (or
 * the hub) still relay what it writes, so the folded lines keep the conversation's order.
 */
export function BlockDialog({ peer, client, onClose }: { peer: PeerView; client: boolean; onClose: () => void }) {
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const name = peer.name || shortId(peer.peerId)
  async function block(): Promise<void> {
    setBusy(true)
    setError(undefined)
    try {
      await call('block', { peerId: peer.peerId })
      onClose()
    } catch (err) {
      setError(describe(err))
      setBusy(false)
    }
  }
  return (
    <Dialog title={`Block ${name}?`} label="Block" onClose={onClose}>
      <div className="stack">
        <p>Their messages, direct ones included, will show as one folded line each, which you can open, and will not count as unread, mention you or notify you. You cannot write to them privately while they are blocked, and rooms only they write in are no longer offered unless you opened them. {client ? 'You will not see them typing.' : 'Your computer refuses their connection.'}</p>
        <p className="muted small">They are not told. {client ? 'The server still relays what they write' : 'Others still pass on what they write'}, so you see where it was said. Unblock from the peer list or from your conversation with them.</p>
        {error !== undefined && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void block()}>Block</button>
        </div>
      </div>
    </Dialog>
  )
}
