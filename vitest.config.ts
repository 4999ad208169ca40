import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * Longest files first within each project, from the seconds each took in a recent full run
 * (test/durations.json; files not listed keep vitest's order, ahead of the listed ones). With two
 * files at a time, a long file started last keeps one worker busy alone at the end: on a clean clone
 * vitest has no timings of its own and orders by file size, which ran the 67 s accessibility file
 * last. Refresh: npx vitest run --reporter=json --outputFile=/tmp/v.json && node scripts/test-durations.ts /tmp/v.json
 */
class LongestFirst extends BaseSequencer {
  override async sort (files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files)
    let seconds: Record<string, number> = {}
    try { seconds = JSON.parse(readFileSync('test/durations.json', 'utf8')) as Record<string, number> } catch { return base }
    const known = (f: TestSpecification): number => seconds[relative(process.cwd(), f.moduleId)] ?? Infinity
    // Stable: the projects stay in vitest's order (engine, then ui), and so do files with the same figure.
    const rank = new Map(base.map((f, i) => [f, i]))
    const firstOf = new Map<string, number>()
    base.forEach((f, i) => { if (!firstOf.has(f.project.name)) firstOf.set(f.project.name, i) })
    const group = (f: TestSpecification): number => firstOf.get(f.project.name)!
    return [...base].sort((a, b) => group(a) - group(b) || known(b) - known(a) || rank.get(a)! - rank.get(b)!)
  }
}

// The UI tests (a real engine and a real Chromium per page) run after the engine tests, two files
// at a time: on a 2-core machine that took the UI part from about 530 to 420 s, each file 1.3–2×
// slower than alone (every step waits on a poll of up to 15 s, so none came near a timeout). The
// engine tests spend much of their time waiting on sockets, timers and child processes: on the
// same 2 cores, three files at once took that part from about 410 to 350 s, each file 14% slower
// on average than two at a time (four: 290 s, but 25% slower, and CPU-bound files such as the
// server-scale test 2.4×, too near their waits). vitest's default there is one: the cores minus one.
const ui = ['test/e2e/**/*.test.ts', 'test/browser.test.ts']

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    sequence: { sequencer: LongestFirst },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          include: ['test/**/*.test.ts', 'main/**/*.test.ts'],
          exclude: ui,
          maxWorkers: 3,
          // A worker runs its files one after the other in one module cache, not a fresh one per file:
          // each file re-importing the engine (libp2p and ~90 packages) cost about half a second to two
          // seconds of CPU, on cores the tests already fill. In runs one after the other on this machine the
          // engine part took 462 s this way against 539 and 565 s isolated, every test passing. Each file still
          // stops what it started (afterEach cleanup), and fake timers are put back in afterEach/finally.
          isolate: false,
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: {
          name: 'ui',
          include: ui,
          maxWorkers: 2,
          // Two files at a time stretch a test 1.3-2x (22 s was the longest seen): room for a busier machine.
          testTimeout: 60_000,
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
