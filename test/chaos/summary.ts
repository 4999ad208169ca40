/** The printed summary of a chaos run, and whether a checker found something. */
import { FAULTS, type ChaosReport } from './run.js'

export function summary (r: ChaosReport): string {
  const v = r.verdict
  const rows: Array<[string, string]> = [
    ['seed / peers', `${r.seed} / ${r.architecture === 'client-server' ? `a hub and ${r.peers} clients` : r.peers}`],
    ['faults survived', `${FAULTS.reduce((n, k) => n + r.faults[k], 0)} (${FAULTS.map(k => `${k} ${r.faults[k]}`).join(', ')})`],
    ['messages sent / confirmed', `${r.sent} / ${r.confirmed}`],
    ['direct messages confirmed', `${r.directs.messages} in ${r.directs.conversations} conversations`],
    ['in the invite-only room', String(r.privateRoom)],
    ['its members: removed, left', `${r.membership.removed === undefined ? 'none' : `${r.membership.removed.name} after fault ${r.membership.removed.atFault}`}, ${r.membership.left === undefined ? 'none' : `${r.membership.left.name} after fault ${r.membership.left.atFault}`}; ${r.membership.findings.length} findings`],
    ['edits, deletes, reactions asked', `${r.actions.edit}, ${r.actions.delete}, ${r.actions.react}`],
    ['pins, unpins asked', `${r.actions.pin}, ${r.actions.unpin}`],
    ['pinned at the end (lobby, invite-only room, direct)', `${r.pinned.lobby}, ${r.pinned.privateRoom}, ${r.pinned.direct}`],
    ['sent, never confirmed, not killed', String(r.lostByLiveProcess.length)],
    ['direct, refused: its sender blocks the recipient', String(r.refusedAsBlocked)],
    ...(r.architecture === 'client-server' ? [['taken while the hub was away', String(r.pending)] as [string, string]] : []),
    ['errors told, by code', Object.entries(r.errors).map(([code, n]) => `${code} ${n}`).join(', ') || 'none'],
    ['history length (every peer)', String(r.historyLength)],
    ['lost (confirmed, missing on a peer)', String(v.lost.length)],
    ['duplicate ids in a history', String(v.duplicates.length)],
    ['delivered twice in one run', String(r.duplicateDeliveries.length)],
    ['announced again after a restart', String(r.reannouncedAfterRestart)],
    ['peers whose order differs', String(v.orderDiffs.length)],
    ['messages shown otherwise (edits, deletes, reactions, pins)', String(v.stateDiffs.length)],
    ['pins listed otherwise', String(r.pinDiffs.length)],
    ['causal order violations', `${v.causal.length} (of ${r.depsChecked} deps on each peer)`],
    ['converged after the heal', r.converged ? `yes, in ${r.convergenceMs} ms` : `NO (gave up after ${r.convergenceMs} ms)`],
    ['run time', `${(r.durationMs / 1000).toFixed(1)} s`]
  ]
  const w = Math.max(...rows.map(([k]) => k.length))
  const detail = [...r.lostByLiveProcess.slice(0, 5), ...v.lost.slice(0, 5), ...v.duplicates.slice(0, 5), ...v.orderDiffs, ...v.causal.slice(0, 5), ...v.stateDiffs.slice(0, 5), ...r.pinDiffs.slice(0, 5), ...r.duplicateDeliveries.slice(0, 5), ...r.membership.findings, ...r.refusedByHub.slice(0, 5)]
  return rows.map(([k, val]) => `${k.padEnd(w)}  ${val}`).join('\n') + (detail.length > 0 ? `\n\nfirst findings:\n  ${detail.join('\n  ')}` : '')
}

export function failed (r: ChaosReport): boolean {
  const v = r.verdict
  return !r.converged || r.lostByLiveProcess.length + v.lost.length + v.duplicates.length + v.orderDiffs.length + v.causal.length + v.stateDiffs.length + r.pinDiffs.length + r.duplicateDeliveries.length + r.membership.findings.length + r.refusedByHub.length > 0
}
