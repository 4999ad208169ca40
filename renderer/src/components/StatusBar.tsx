import type { EngineStatus, HubInfo, PeerView, Settings } from '../../../preload/contract'
import { hostPorts } from '../../../preload/contract'
import { connection } from '../connection'

/** Architecture, where we listen (or the server hosted here does), and how many peers are connected. */
export function StatusBar({ status, peers, settings, hub = null }: { status: EngineStatus; peers: PeerView[]; settings: Settings; hub?: HubInfo | null }) {
  const now = connection(status, peers)
  const connected = peers.filter((p) => p.connected).length
  const mode = status.state === 'running' ? status.mode : settings.mode
  const addrs = status.state === 'running' ? status.addrs : []
  // A client listens on nothing; the server this app hosts does, and that is the address others need.
  const hosted = mode === 'client' && hub !== null && hub.addrs.length > 0 ? hub.addrs : undefined
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`dot ${now.tone}`} aria-hidden="true" />
      <span data-testid="connection">{now.label}</span>
      <span className="sep" />
      <span title="Architecture" data-testid="architecture">{mode === 'p2p' ? 'Peer to peer' : mode === 'client-server' || mode === 'client' ? 'Client–server' : mode}</span>
      <span className="sep" />
      <span data-testid="peer-count">{connected} peer{connected === 1 ? '' : 's'} connected</span>
      <span className="sep" />
      {/* ip:port, as others type it into Connect to address…; the tooltip has the multiaddrs, peer id and all. */}
      <span className="addrs mono" data-testid="listen-addrs" title={(hosted ?? addrs).join('\n')}>
        {hosted !== undefined
          ? `the server hosted here listens on ${hostPorts(hosted).join(', ')}`
          : addrs.length === 0
            ? mode === 'client'
              ? 'not listening (a client only dials the hub)'
              : 'not listening'
            : `Listening on ${hostPorts(addrs).join(', ')}`}
      </span>
    </footer>
  )
}
