import { useEffect, useState } from 'react'
import type { EngineStatus, PeerView } from '../../../preload/contract'
import { call, describe } from '../api'
import { connection } from '../connection'

/** How long "Trying…" shows after a click: the dial's answer comes as the banner going away. */
const TRYING_MS = 2_000

/**
 * Client mode's one failure: with the hub unreachable nothing is delivered,
 * to anyone. Own messages wait on disk and go out when the hub is back.
 * The app tries the hub again by itself, waiting longer each time (up to four
 * seconds); "Try now" dials it at once, for whoever knows it is back.
 */
export function PendingBanner({ status, peers, pending, server }: {
  status: EngineStatus
  peers: PeerView[]
  pending: number
  /** Settings' server address ('' when the hub is found by mDNS): dialled when no hub is known yet. */
  server: string
}) {
  const { state } = connection(status, peers)
  const [trying, setTrying] = useState(false)
  const [failed, setFailed] = useState<string | null>(null)
  useEffect(() => {
    if (!trying) return
    const timer = window.setTimeout(() => setTrying(false), TRYING_MS)
    return () => window.clearTimeout(timer)
  }, [trying])
  if (state === 'hub') {
    return pending > 0 ? <div className="banner info" role="status" data-testid="pending-banner">connected to the server, sending {pending} pending</div> : null
  }
  if (state !== 'hub-unreachable') return null
  // The address the link dials (the hub's, once known), else the one typed in Settings; none while mDNS looks for one.
  const address = peers.find((p) => p.hub === true)?.addrs?.[0] ?? (server !== '' ? server : undefined)
  const tryNow = (): void => {
    if (address === undefined) return
    setTrying(true)
    setFailed(null)
    call('dial', { address }).catch((err: unknown) => {
      setTrying(false)
      setFailed(describe(err))
    })
  }
  return (
    <div className="banner warn with-action" role="alert" data-testid="pending-banner">
      <div className="banner-text">
        server unreachable, {pending} pending
        <span className="muted small">Nothing is delivered until the hub is back; your messages are kept and sent then.</span>
        {failed !== null && <span className="small" data-testid="try-failed">{failed}</span>}
      </div>
      {address !== undefined && (
        <button onClick={tryNow} disabled={trying} title={`Connect to ${address} now, without waiting for the next try`}>
          {trying ? 'Trying…' : 'Try now'}
        </button>
      )}
    </div>
  )
}
