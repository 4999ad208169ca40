import type { EngineStats, UserMode } from '../../../preload/contract'
import { call } from '../api'
import { localTime } from '../format'
import { useLive } from '../live'

const EXPLAIN: Record<UserMode, { title: string; orders: string; connections: string; failure: string }> = {
  p2p: {
    title: 'Peer to peer',
    orders: 'Nobody: each peer sorts by (Lamport time, author) and all reach the same order on their own.',
    connections: 'Every peer listens and dials, to peers found by mDNS or told of by a peer it is linked to. Under 5 peers all are linked to all; beyond, each dials 4 at random and takes the links others dial to it (about 8 each, at most 20), whatever n. Messages are flooded over those links: each peer passes each message to its other links, about 6 envelopes a peer, 6n a message in all, not (n−1)² as in a full mesh.',
    failure: 'One peer down: the others go on (partial failure). A partition: both sides keep chatting and merge on heal.'
  },
  client: {
    title: 'Client–server',
    orders: 'The hub: it numbers messages in the order they reach it (seq), and every client shows that order.',
    connections: 'Clients only dial (active sockets); the hub only accepts (passive): n clients, n sockets, all at the hub. Every message passes one relay, the hub (1 hop, as counted below): one envelope to the hub, then one from it to each client (its author learns its number).',
    failure: 'The hub down: nobody delivers anything, every client shows "server unreachable, N pending". One point of failure.'
  }
}

const fig = (v: number | null, unit = ''): string => (v === null ? '—' : `${v}${unit}`)

function Column({ mode, stats, live }: { mode: UserMode; stats: (EngineStats & { at?: number }) | undefined; live: boolean }) {
  const e = EXPLAIN[mode]
  return (
    <section className={live ? 'contrast-col live' : 'contrast-col'} data-testid={`contrast-${mode}`} aria-label={e.title}>
      <h3>{e.title} {live ? <span className="tag">running</span> : stats?.at !== undefined ? <span className="muted small">as of {localTime(stats.at)}</span> : null}</h3>
      <dl>
        <dt>Who orders</dt><dd>{e.orders}</dd>
        <dt>Connections</dt><dd>{e.connections}</dd>
        <dt>One failure</dt><dd>{e.failure}</dd>
      </dl>
      {stats === undefined ? (
        <p className="muted small">Not run in this session yet: switch the architecture in Settings to fill this column.</p>
      ) : (
        <table className="figures">
          <tbody>
            <tr><th>Ordered by</th><td data-testid="ordered-by">{stats.orderedBy}</td></tr>
            <tr><th>Open sockets</th><td data-testid="connections">{stats.connections.length}</td></tr>
            <tr><th>Sent / received / relayed</th><td>{stats.sent} / {stats.received} / {stats.relayed}</td></tr>
            <tr><th title="Relays a message passed on its way here: 0 straight from its author">Hops (avg, max)</th><td data-testid="hops">{fig(stats.hops.avg)}, {fig(stats.hops.max)}</td></tr>
            <tr><th>Latency (p50, max)</th><td data-testid="latency">{fig(stats.latencyMs.p50, ' ms')}, {fig(stats.latencyMs.max, ' ms')}{stats.clockOff > 0 ? <span className="muted small" title="A clock hours ahead or days behind would make the figures read in hours or years: they say how the clocks differ, not how the network carries a message"> ({stats.clockOff} left out: the author's clock is more than 5 min off this one's)</span> : null}</td></tr>
            <tr>
              <th>Messages it put on the wire, per message</th>
              <td data-testid="envelopes-per-message" title="Its own, relays and answers (P2P); its submits (a client)">{fig(stats.wire?.perMessage.envelopes ?? null)}</td>
            </tr>
            <tr><th>Bytes it sent, per message</th><td data-testid="bytes-per-message">{fig(stats.wire?.perMessage.bytes ?? null, ' B')}</td></tr>
            <tr><th>Failure state</th><td data-testid="failure" className={stats.failure.state}>{stats.failure.summary}</td></tr>
          </tbody>
        </table>
      )}
    </section>
  )
}

/** P2P and client–server side by side: the running mode live, the other as it was when it last ran. */
export function ContrastPanel() {
  const live = useLive(() => call('stats'), ['message', 'peers', 'ready', 'pending'], 1500, 'stats')
  const report = live.data
  if (report === undefined) return <p className="muted">{live.error ?? 'Loading…'}</p>
  const running = report.current.mode === 'client' ? 'client' : 'p2p'
  return (
    <div className="contrast" data-testid="contrast-panel">
      <div className="contrast-cols">
        {(['p2p', 'client'] as const).map((m) => (
          <Column key={m} mode={m} live={m === running} stats={m === running ? report.current : report.byMode[m]} />
        ))}
      </div>
      {report.hub !== null && (
        <p className="small" data-testid="hub-stats">
          The hub hosted here: {report.hub.clients} client socket{report.hub.clients === 1 ? '' : 's'}, {report.hub.lastSeq} messages numbered,
          {' '}{report.hub.relayed} relayed.
        </p>
      )}
    </div>
  )
}
