import type { EngineStatus, PeerView, Settings } from '../../../preload/contract'

function label(status: EngineStatus): string {
  switch (status.state) {
    case 'setup':
      return 'Not started'
    case 'starting':
      return 'Starting…'
    case 'running':
      return 'Online'
    case 'stopped':
      return 'Stopped'
    case 'failed':
      return 'Network failed'
    default: {
      const never: never = status
      return never
    }
  }
}

/** Architecture, where we listen, and how many peers are connected. */
export function StatusBar({ status, peers, settings }: { status: EngineStatus; peers: PeerView[]; settings: Settings }) {
  const connected = peers.filter((p) => p.connected).length
  const mode = status.state === 'running' ? status.mode : settings.mode
  const addrs = status.state === 'running' ? status.addrs : []
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`dot ${status.state}`} aria-hidden="true" />
      <span>{label(status)}</span>
      <span className="sep" />
      <span title="Architecture" data-testid="architecture">{mode === 'p2p' ? 'Peer to peer' : mode === 'client-server' || mode === 'client' ? 'Client–server' : mode}</span>
      <span className="sep" />
      <span data-testid="peer-count">{connected} peer{connected === 1 ? '' : 's'} connected</span>
      <span className="sep" />
      <span className="addrs mono" data-testid="listen-addrs" title={addrs.join('\n')}>
        {addrs.length === 0 ? (mode === 'client' ? 'not listening (a client only dials the hub)' : 'not listening') : `Listening on ${addrs.join(', ')}`}
      </span>
    </footer>
  )
}
