/**
 * The sections that only LAN Chat has (catch-up and history; raw TCP and
 * gossipsub keep no history), and the Chromium rendering row.
 */
import type { BenchConfig } from './config.js'
import type { CatchupRow, HistoryRow, RenderRow } from './lib/report.js'
import type { System } from './systems/index.js'

const HISTORY_SYSTEMS = new Set(['lanchat-p2p', 'lanchat-cs'])

export async function catchupRows (systems: System[], cfg: BenchConfig, _log: (line: string) => void): Promise<CatchupRow[]> {
  const rows: CatchupRow[] = []
  for (const system of systems.filter((s) => HISTORY_SYSTEMS.has(s.id))) {
    for (const k of cfg.catchupKs) rows.push({ system: system.id, k, history: cfg.catchupHistory, na: system.na ?? 'not built' })
  }
  return rows
}

export async function historyRows (systems: System[], cfg: BenchConfig, _log: (line: string) => void): Promise<HistoryRow[]> {
  return systems
    .filter((s) => HISTORY_SYSTEMS.has(s.id))
    .map((s) => ({ system: s.id, messages: cfg.historyMessages, na: s.na ?? 'not built' }))
}

export function renderRows (cfg: BenchConfig): RenderRow[] {
  return [{ what: `UI, ${cfg.historyMessages.toLocaleString('en-US')}-message room`, na: 'needs the UI test host, from another developer' }]
}
