/**
 * The sections that only LAN Chat has (catch-up and history; raw TCP and
 * gossipsub keep no history), and the Chromium rendering row.
 */
import type { BenchConfig } from './config.js'
import type { CatchupRow, HistoryRow, RenderRow } from './lib/report.js'
import type { System } from './systems/index.js'
import { lanchatHistory } from './systems/lanchat-history.js'
import { lanchatCsHistory } from './systems/lanchat-cs-history.js'

const HISTORY_SYSTEMS = new Set(['lanchat-p2p', 'lanchat-cs'])

function reason (err: unknown): string {
  return `failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 160)
}

/** Catch-up and history-load rows of every system that keeps a history. */
export async function historySections (systems: System[], cfg: BenchConfig, log: (line: string) => void): Promise<{ catchup: CatchupRow[], history: HistoryRow[] }> {
  const catchup: CatchupRow[] = []
  const history: HistoryRow[] = []
  for (const system of systems.filter((s) => HISTORY_SYSTEMS.has(s.id))) {
    const unmeasured = (na: string): void => {
      for (const k of cfg.catchupKs) catchup.push({ system: system.id, k, history: cfg.catchupHistory, na })
      history.push({ system: system.id, messages: cfg.historyMessages, na })
    }
    if (system.star == null) { unmeasured(system.na ?? 'not built'); continue }
    try {
      const measure = system.id === 'lanchat-p2p' ? lanchatHistory : lanchatCsHistory
      const res = await measure(cfg.catchupHistory, cfg.catchupKs, cfg.catchupReps, cfg.historyReps, log)
      catchup.push(...res.catchup)
      history.push(...res.history)
    } catch (err) {
      log(`${system.id} history ${reason(err)}`)
      unmeasured(reason(err))
    }
  }
  return { catchup, history }
}

export function renderRows (cfg: BenchConfig): RenderRow[] {
  return [{ what: `UI, ${cfg.historyMessages.toLocaleString('en-US')}-message room`, na: 'needs the UI test host, from another developer' }]
}
