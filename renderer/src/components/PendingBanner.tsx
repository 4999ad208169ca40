import type { EngineStatus, PeerView } from '../../../preload/contract'
import { connection } from '../connection'

/**
 * Client mode's one failure: with the hub unreachable nothing is delivered,
 * to anyone. Own messages wait on disk and go out when the hub is back.
 */
export function PendingBanner({ status, peers, pending }: { status: EngineStatus; peers: PeerView[]; pending: number }) {
  const { state } = connection(status, peers)
  if (state === 'hub') {
    return pending > 0 ? <div className="banner info" role="status" data-testid="pending-banner">connected to the server, sending {pending} pending</div> : null
  }
  if (state !== 'hub-unreachable') return null
  return (
    <div className="banner warn" role="alert" data-testid="pending-banner">
      server unreachable, {pending} pending
      <span className="muted small">Nothing is delivered until the hub is back; your messages are kept and sent then.</span>
    </div>
  )
}
