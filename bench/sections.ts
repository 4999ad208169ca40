/**
 * The sections that only LAN Chat has (catch-up and history; raw TCP and
 * gossipsub keep no history), and the Chromium rendering row (the UI showing
 * the P2P history).
 */
import type { BenchConfig } from './config.js'
import type { CatchupRow, HistoryRow, RenderRow } from './lib/report.js'
import type { System } from './systems/index.js'
import { lanchatHistory } from './systems/lanchat-history.js'
import { lanchatCsHistory } from './systems/lanchat-cs-history.js'
import { ROOM } from './systems/lanchat.js'
import { measureRender } from './render.js'
import { libp2pFloor } from './systems/libp2p-floor.js'

const HISTORY_SYSTEMS = new Set(['lanchat-p2p', 'lanchat-cs'])

function reason (err: unknown): string {
  return `failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 160)
}

/**
 * The floor under LAN Chat's catch-up (issue 15): the same K, the same bytes per message as LAN
 * Chat's row put on the wire, the same frame size, over libp2p alone (bench/systems/libp2p-floor.ts).
 */
async function floorRows (lanchat: CatchupRow[], cfg: BenchConfig, log: (line: string) => void): Promise<CatchupRow[]> {
  const measured = lanchat.flatMap(r => r.bytes != null && r.na == null ? [{ k: r.k, messageBytes: Math.max(1, Math.round(r.bytes / r.k)) }] : [])
  if (measured.length === 0) return []
  try {
    log(`libp2p floor: catch-up streaming of ${measured.map(m => m.k).join(', ')} messages`)
    return (await libp2pFloor(measured, cfg.catchupReps)).map(r => ({ system: 'libp2p-floor' as const, k: r.k, history: cfg.catchupHistory, ms: r.ms, bytes: r.bytes }))
  } catch (err) {
    log(`libp2p floor ${reason(err)}`)
    return measured.map(m => ({ system: 'libp2p-floor' as const, k: m.k, history: cfg.catchupHistory, na: reason(err) }))
  }
}

/** Catch-up and history-load rows of every system that keeps a history. */
export async function historySections (systems: System[], cfg: BenchConfig, log: (line: string) => void): Promise<{ catchup: CatchupRow[], history: HistoryRow[], render: RenderRow[] }> {
  const catchup: CatchupRow[] = []
  const history: HistoryRow[] = []
  const what = `UI, ${cfg.historyMessages.toLocaleString('en-US')}-message room`
  let render: RenderRow = { what, na: 'needs the P2P history section (lanchat-p2p)' }
  // The P2P author's directory holds the history: the UI renders it before it is deleted.
  const renderIt = async (dir: string): Promise<void> => {
    try {
      render = await measureRender(dir, ROOM, cfg.historyMessages, cfg.renderReps, cfg.renderScrollMs, log)
    } catch (err) {
      log(`render ${reason(err)}`)
      render = { what, na: reason(err) }
    }
  }
  for (const system of systems.filter((s) => HISTORY_SYSTEMS.has(s.id))) {
    const unmeasured = (na: string): void => {
      for (const k of cfg.catchupKs) catchup.push({ system: system.id, k, history: cfg.catchupHistory, na })
      history.push({ system: system.id, messages: cfg.historyMessages, na })
    }
    if (system.star == null) { unmeasured(system.na ?? 'not built'); continue }
    try {
      const res = system.id === 'lanchat-p2p'
        ? await lanchatHistory(cfg.catchupHistory, cfg.catchupKs, cfg.catchupReps, cfg.historyReps, log, renderIt)
        : await lanchatCsHistory(cfg.catchupHistory, cfg.catchupKs, cfg.catchupReps, cfg.historyReps, log)
      catchup.push(...res.catchup)
      history.push(...res.history)
      if (system.id === 'lanchat-p2p') catchup.push(...await floorRows(res.catchup, cfg, log))
    } catch (err) {
      log(`${system.id} history ${reason(err)}`)
      unmeasured(reason(err))
    }
  }
  return { catchup, history, render: [render] }
}
