import { useState } from 'react'
import type { LabState, PeerView } from '../../../preload/contract'
import { call, describe } from '../api'
import { shortId } from '../format'

/**
 * The partition lab: cut this app off from one peer or from everyone, keep
 * chatting, heal, and watch the histories merge. In client mode there is one
 * link to cut, the hub's, and what is sent meanwhile waits as pending.
 */
export function LabPanel({ peers, lab }: { peers: PeerView[]; lab: LabState }) {
  const [target, setTarget] = useState('*')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const client = lab.mode === 'client'
  const cut = lab.cut.length > 0
  // Peer to peer with nobody known, there is nobody to cut off; with nobody linked now, nothing says "connected".
  const alone = !client && peers.length === 0
  const linked = client || peers.some((p) => p.connected)
  const canCut = !busy && !(client && cut) && !(alone && !cut)
  const canHeal = !busy && cut
  const run = (f: () => Promise<unknown>) => {
    setBusy(true)
    setError(undefined)
    f().catch((err: unknown) => setError(describe(err))).finally(() => setBusy(false))
  }
  const nameOf = (id: string): string => (id === '*' ? (client ? 'the hub' : 'everyone') : peers.find((p) => p.peerId === id)?.name || shortId(id))
  const list = (names: string[]): string => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`)
  // Cut from some peers while linked to others: no partition, the mesh carries their messages around the cut links.
  const around = client || lab.cut.includes('*') ? [] : peers.filter((p) => p.connected && !lab.cut.includes(p.peerId)).map((p) => p.name || shortId(p.peerId))
  const cutText = around.length > 0
    ? `Cut off from ${list(lab.cut.map(nameOf))}, still linked to ${list(around)}: their messages reach you through ${around.length === 1 ? 'that link' : 'those links'}, since a mesh routes around a cut link. Cut off from everyone for a partition.`
    : `Partitioned from ${lab.cut.includes('*') ? nameOf('*') : list(lab.cut.map(nameOf))}`

  return (
    <div className="lab" data-testid="lab">
      <p className="hint">
        {client
          ? 'Client–server: cutting this app off from the hub stops all delivery here. What you send waits as pending and goes out, once, on heal.'
          : 'Peer to peer: a cut refuses the chosen connections (in this app only, until heal). Both sides keep chatting; on heal catch-up sync merges the two histories in Lamport order.'}
      </p>
      <div className="lab-controls">
        {!client && (
          <label>
            <span className="muted small">Cut off from</span>
            <select aria-label="Cut off from" value={target} onChange={(e) => setTarget(e.target.value)} disabled={busy}>
              <option value="*">everyone</option>
              {peers.filter((p) => p.blocked !== true).map((p) => (
                <option key={p.peerId} value={p.peerId}>{p.name || shortId(p.peerId)}</option>
              ))}
            </select>
          </label>
        )}
        {/* Unavailable, not disabled: a disabled button lets go of the focus, so a keyboard user who pressed
            Cut off (busy at once) or Heal (then nothing to heal) was sent back to the top of the window. */}
        <button className="primary" aria-disabled={!canCut} onClick={() => { if (canCut) run(() => call('partition', { peerId: client ? '*' : target })) }}>
          {client ? 'Cut off from the hub' : 'Cut off'}
        </button>
        <button aria-disabled={!canHeal} onClick={() => { if (canHeal) run(() => call('heal')) }}>Heal</button>
      </div>
      {/* A status: what a press of Cut off or Heal did is said to a screen reader, whose focus stays on the button. */}
      <p data-testid="lab-state" role="status" className={cut ? 'lab-state cut' : 'lab-state'}>
        {cut
          ? cutText
          : alone
            ? 'Nobody to cut off yet: connect to a peer first (Connect to address…, or wait for peers on the LAN).'
            : linked ? 'Connected: no partition.' : 'No partition; no peer is connected right now.'}
        {lab.merged !== null && !cut && <> · <strong data-testid="merged">merged {lab.merged.count} message{lab.merged.count === 1 ? '' : 's'}</strong></>}
      </p>
      {error !== undefined && <p className="error small" role="alert">{error}</p>}
      <p className="hint">
        CAP in one click: during a partition P2P stays <em>available</em> (everyone can write) and gives up <em>consistency</em> for a
        while (the sides disagree until heal). Client–server keeps one order (consistent) and gives up availability on the side
        that cannot reach the hub.
      </p>
    </div>
  )
}
