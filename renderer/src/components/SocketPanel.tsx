import type { PeerView } from '../../../preload/contract'
import { call } from '../api'
import { kib, shortId } from '../format'
import { useLive } from '../live'

type Connection = PeerView['connections'][number]

function transport(c: Connection): string {
  return c.remoteAddr.includes('/tcp/') ? 'TCP' : c.remoteAddr.split('/')[3] ?? '?'
}

function Socket({ peer, c, hub }: { peer: PeerView; c: Connection; hub: boolean }) {
  // The badge says which role; the words after it say what that role did, without saying the role twice.
  const role = c.direction === 'outbound' ? 'this side dialed (connect)' : 'this side accepted (listen/accept)'
  return (
    <article className="socket" data-testid="socket" data-local={c.local} data-remote={c.remote} data-direction={c.direction}>
      <div className="tuple mono" title="The 4-tuple: (source IP, source port, destination IP, destination port) names this socket">
        {transport(c)} {c.local} ↔ {c.remote}
      </div>
      <div className="small">
        <strong>{peer.name || shortId(peer.peerId)}</strong>
        {hub && <span className="tag">client</span>}
        <span className={`role ${c.direction}`}>{c.direction === 'outbound' ? 'active' : 'passive'}</span>
        <span className="muted" title={role}>{role}</span>
      </div>
      <div className="small muted">
        {c.encryption || 'no encryption'} · {c.multiplexer || 'no multiplexer'} · RTT {c.rtt === undefined ? '—' : `${c.rtt.toFixed(1)} ms`} ·
        in {kib(c.bytesIn ?? 0)} · out {kib(c.bytesOut ?? 0)}
      </div>
      <ul className="streams" aria-label="Streams on this connection">
        {c.streams.map((s, i) => (
          <li key={i} className="mono" data-testid="stream">{s.protocol || '(negotiating)'} <span className="muted">{s.direction === 'outbound' ? 'opened here' : 'opened there'}</span></li>
        ))}
        {c.streams.length === 0 && <li className="muted small">no streams open</li>}
      </ul>
    </article>
  )
}

function Sockets({ peers, hub }: { peers: PeerView[]; hub: boolean }) {
  const rows = peers.flatMap((p) => p.connections.map((c, i) => <Socket key={`${p.peerId}-${i}-${c.local}`} peer={p} c={c} hub={hub} />))
  return rows.length > 0 ? <>{rows}</> : <p className="muted small">No open connections.</p>
}

/**
 * Every connection as its socket: the 4-tuple, who dialed, Noise and yamux
 * over TCP, the streams multiplexed on it with their protocol ids, bytes, RTT.
 */
export function SocketPanel() {
  const live = useLive(() => call('sockets'), ['peers', 'peer:connect', 'peer:disconnect', 'ready', 'hub'], 1000, 'sockets')
  const report = live.data
  if (report === undefined) return <p className="muted">{live.error ?? 'Loading…'}</p>
  return (
    <div className="sockets" data-testid="socket-panel">
      <p className="hint">
        Each TCP socket is named by its 4-tuple. One socket carries several <em>streams</em> (yamux multiplexing),
        each speaking its own protocol; Noise encrypts them all, with <span data-testid="cipher">{report.cipher}</span>.
        {report.mode === 'client' ? ' In client mode this app has one socket: to the hub.' : ' Peer to peer, every peer both listens and dials.'}
      </p>
      <h3>This app</h3>
      <Sockets peers={report.self} hub={false} />
      {report.hub !== null && (
        <>
          <h3>The hub hosted here: one socket per client</h3>
          <div data-testid="hub-sockets"><Sockets peers={report.hub} hub /></div>
        </>
      )}
    </div>
  )
}
