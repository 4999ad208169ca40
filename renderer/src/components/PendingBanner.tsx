import type { EngineStatus, PeerView } from '../../../preload/contract'

/**
 * Client mode's one failure: with the hub unreachable nothing is delivered,
 * to anyone. Own messages wait on disk and go out when the hub is back.
 */
export function PendingBanner({ status, peers, pending }: { status: EngineStatus; peers: PeerView[]; pending: number }) {
  if (status.state !== 'running' || status.mode !== 'client') return null
  if (peers.some((p) => p.connected)) {
    return pending > 0 ? <div className="banner info" role="status" data-testid="pending-banner">connected to the server, sending {pending} pending</div> : null
  }
  return (
    <div className="banner warn" role="alert" data-testid="pending-banner">
      server unreachable, {pending} pending
      <span className="muted small">Nothing is delivered until the hub is back; your messages are kept and sent then.</span>
    </div>
  )
}
