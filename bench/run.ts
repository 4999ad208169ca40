/**
 * `npm run bench` — every system on loopback in one run, one table.
 *
 *   npm run bench                      # full run, ~5 min on 2 cores
 *   npm run bench:smoke                # every code path, tiny counts, under a minute
 *   npm run bench -- --only=gossipsub  # some systems only (comma list of ids)
 *   npm run bench -- --sections=history  # some sections only: one, mesh, history, authors, million, sealed, files, flood
 *   npm run bench -- --sections=flood    # not in the default run (~1 min): issue 13's flood fairness, bench/flood-fairness.ts
 *
 * Prints Markdown tables and writes the same results as JSON to
 * bench/results/<timestamp>.json (git-ignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FULL, SMOKE } from './config.js'
import type { BenchConfig } from './config.js'
import { measureLatency, measureThroughput } from './lib/harness.js'
import type { Topology } from './lib/harness.js'
import { machineInfo } from './lib/machine.js'
import { renderResults } from './lib/report.js'
import type { OneToOneRow, Results } from './lib/report.js'
import { installWireCounter, pruneClosed } from './lib/wire.js'
import { meshSection } from './mesh.js'
import { SYSTEMS } from './systems/index.js'
import type { System } from './systems/index.js'
import { historySections } from './sections.js'
import { millionSection } from './million.js'
import { fileSection } from './files.js'
import { sealedSearchSection } from './sealed-search.js'
import { aeadSection } from './aead.js'
import { messageFloor } from './lib/floor.js'
import { checkTargets } from './targets.js'
import { FLOOD_TABLE_HEAD, floodFairness, probeFigures } from './flood-fairness.js'
import { authorsSection, authorsTable } from './authors.js'
import { windowSection, windowTable } from './window.js'

function log (line: string): void {
  // t= is seconds since process start, for profile-summary.ts --window.
  process.stderr.write(`[bench t=${(performance.now() / 1000).toFixed(1)}s] ${line}\n`)
}

function reason (err: unknown): string {
  return `failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 160)
}

async function withTopology<T> (system: System, receivers: number, fn: (top: Topology) => Promise<T>): Promise<T> {
  if (system.star == null) throw new Error('no topology')
  const top = await system.star(receivers)
  try {
    return await fn(top)
  } finally {
    await top.close()
    pruneClosed()
  }
}

async function oneToOne (system: System, cfg: BenchConfig): Promise<OneToOneRow[]> {
  if (system.star == null) return cfg.sizes.map((bytes) => ({ system: system.id, bytes, na: system.na ?? 'not built' }))
  try {
    return await withTopology(system, 1, async (top) => {
      const rows: OneToOneRow[] = []
      for (const bytes of cfg.sizes) {
        log(`${system.id} one-to-one ${bytes} B`)
        const tp = await measureThroughput(top, bytes, cfg.oneToOne)
        const lat = await measureLatency(top, bytes, cfg.oneToOne)
        rows.push({ system: system.id, bytes, msgsPerSec: tp.msgsPerSec, messages: tp.messages, p50Ms: lat.p50Ms, p99Ms: lat.p99Ms, lost: tp.lost + lat.lost })
      }
      return rows
    })
  } catch (err) {
    log(`${system.id} one-to-one ${reason(err)}`)
    return cfg.sizes.map((bytes) => ({ system: system.id, bytes, na: reason(err) }))
  }
}

async function main (): Promise<void> {
  const args = process.argv.slice(2)
  const meshNs = args.find((a) => a.startsWith('--mesh-ns='))?.slice('--mesh-ns='.length).split(',').map(Number)
  const cfg = { ...(args.includes('--smoke') ? SMOKE : FULL), ...(meshNs !== undefined ? { meshNs } : {}) }
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')
  const systems = SYSTEMS.filter((s) => only == null || only.includes(s.id))
  const sections = args.find((a) => a.startsWith('--sections='))?.slice('--sections='.length).split(',') ?? ['one', 'mesh', 'history', 'authors', 'window', 'million', 'sealed', 'files']
  installWireCounter()
  const startedAt = new Date()
  const t0 = performance.now()
  log(`${cfg.mode} run of ${systems.map((s) => s.id).join(', ')}`)

  const oneRows: OneToOneRow[] = []
  if (sections.includes('one')) for (const system of systems) oneRows.push(...await oneToOne(system, cfg))
  const floor = sections.includes('one') ? await messageFloor(cfg.mode === 'smoke' ? 200 : 20_000) : undefined
  const meshRows = sections.includes('mesh') ? await meshSection(cfg, log, only) : []

  const { catchup, history, render } = sections.includes('history') ? await historySections(systems, cfg, log) : { catchup: [], history: [], render: [] }
  const authors = sections.includes('authors') ? await authorsSection(cfg.authorsHistory, cfg.authorsMissed, cfg.authorsReps, log) : []
  const onScreen = sections.includes('window') ? await windowSection(cfg.windowMessages, cfg.windowRate, log) : undefined
  const million = sections.includes('million') ? await millionSection(cfg, log) : { history: [], search: [], fileDelete: [] }
  const sealedSearch = sections.includes('sealed') ? await sealedSearchSection(cfg.mode === 'smoke' ? 200 : 5_000, cfg.mode === 'smoke' ? 5 : 50, log) : []
  const aead = sections.includes('sealed') ? aeadSection(cfg.mode === 'smoke', log) : []
  const files = sections.includes('files') ? await fileSection(cfg, log) : []
  // Three bin/lanchat processes (needs out/: electron-vite build); a floods, b's probes to c are timed.
  const floodMessages = cfg.mode === 'smoke' ? 200 : 10_000
  if (sections.includes('flood')) log(`flood fairness: ${floodMessages} messages`)
  const flood = sections.includes('flood') ? probeFigures(await floodFairness(floodMessages)) : undefined
  const partial = {
    startedAt: startedAt.toISOString(),
    mode: cfg.mode,
    machine: machineInfo(),
    oneToOne: oneRows,
    ...(floor !== undefined ? { floor } : {}),
    mesh: meshRows,
    catchup,
    history: [...history, ...million.history],
    search: million.search,
    fileDelete: million.fileDelete,
    sealedSearch,
    aead,
    render,
    files,
    durationS: 0
  }
  partial.durationS = (performance.now() - t0) / 1000
  const results: Results = { ...partial, targets: checkTargets(partial) }

  process.stdout.write(renderResults(results) + '\n')
  if (authors.length > 0) process.stdout.write(`\n### Catch-up with several authors (the follower missed ${cfg.authorsMissed.toLocaleString('en-US')} of ${cfg.authorsHistory.toLocaleString('en-US')}, from one peer; alternating, median of ${cfg.authorsReps})\n\n${authorsTable(authors)}\n`)
  if (onScreen !== undefined) process.stdout.write(`\n### A room on screen through a long session (${cfg.windowMessages.toLocaleString('en-US')} messages from another peer arrive live, ${cfg.windowRate} a second, in the room the window shows)\n\n${windowTable(onScreen)}\n`)
  if (flood !== undefined) {
    process.stdout.write(`\n### Flood fairness (a floods ${floodMessages.toLocaleString('en-US')} messages; b→c probes every 50 ms)\n\n${FLOOD_TABLE_HEAD}\n`)
    process.stdout.write(`| this checkout | 60 | ${flood.p50.toFixed(1)} | ${flood.p90.toFixed(1)} | ${flood.p99.toFixed(1)} | ${flood.max.toFixed(1)} |\n`)
  }
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}${cfg.mode === 'smoke' ? '-smoke' : ''}.json`)
  writeFileSync(file, JSON.stringify({ ...results, ...(authors.length > 0 ? { authors } : {}), ...(flood === undefined ? {} : { flood: { messages: floodMessages, ...flood } }) }, null, 2) + '\n')
  log(`wrote ${file}`)
}

main().then(
  // libp2p leaves timers behind after stop(); the run is over, so leave explicitly.
  () => process.exit(0),
  (err: unknown) => { console.error(err); process.exit(1) }
)
