import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { HistoryRow, SystemId } from './report.js'
import { median } from './stats.js'

const run = promisify(execFile)
const SCRIPT = fileURLToPath(new URL('../history-load.ts', import.meta.url))

/** What one bench/history-load.ts child reports. */
export interface Load {
  messages: number
  pageMs: number
  pageRssMB: number
  walkMs: number
  walkRssMB: number
  rssBeforeMB: number
  searchMs: number[]
  hits: number
}

/** Open `dir` in a child process `reps` times (newest page, the room paged through, `search` timed). */
export async function loadHistory (dir: string, room: string, mode: 'p2p' | 'client', reps: number, log: (l: string) => void, label: string, search: string[] = []): Promise<Load[]> {
  const loads: Load[] = []
  for (let r = 0; r < reps; r++) {
    log(`${label} history load rep ${r + 1}/${reps}`)
    // Under `npm run bench:profile` the child is profiled too.
    const prof = process.execArgv.filter((a) => a.startsWith('--cpu-prof'))
    const searchArgs = search.length > 0 ? [`--search=${search.join(',')}`] : []
    const { stdout } = await run(process.execPath, [...prof, '--import', 'tsx', SCRIPT, dir, room, mode, ...searchArgs], { maxBuffer: 1 << 20 })
    const load = JSON.parse(stdout.trim().split('\n').pop() as string) as Load
    log(`  newest page ${load.pageMs.toFixed(0)} ms, ${load.pageRssMB.toFixed(0)} MB; whole room paged through ${load.walkMs.toFixed(0)} ms, ${load.walkRssMB.toFixed(0)} MB`)
    loads.push(load)
  }
  return loads
}

/** The history row: start and the newest page (medians), if the child found all `h` messages. */
export function historyRow (system: SystemId, h: number, loads: Load[]): HistoryRow {
  const messages = loads[0]?.messages ?? 0
  return messages === h
    ? { system, messages: h, ms: median(loads.map((l) => l.pageMs)), rssMB: median(loads.map((l) => l.pageRssMB)) }
    : { system, messages: h, na: `found ${messages} of ${h} messages` }
}
