/**
 * How much to measure. `full` is `npm run bench` (about five minutes on two
 * cores); `smoke` runs every code path with tiny counts in a few seconds, so CI
 * notices when the harness or an API it drives breaks. Smoke numbers mean nothing.
 */
import type { Plan } from './lib/harness.js'

export interface BenchConfig {
  mode: 'full' | 'smoke'
  sizes: number[]
  oneToOne: Plan
  /** The classroom rows (bench/mesh.ts): sizes, messages measured, idle seconds, authors in every peer's history. */
  meshNs: number[]
  meshMessages: number
  meshIdleSeconds: number
  /**
   * The waits that let a classroom's numbers settle: no new link for this long before measuring
   * (twice it at the end), and the pause after the warm-up. Smoke keeps them short: its numbers mean nothing.
   */
  meshQuietMs: number
  /** Wait for the last delivery summaries to cross the mesh before its costs are read (full runs). */
  meshSummaryWait: boolean
  meshAuthors: number
  /** Catch-up: K messages missed out of a history of `catchupHistory`. */
  catchupKs: number[]
  catchupHistory: number
  catchupReps: number
  /** History load reuses the catch-up author's directory, so it holds `catchupHistory` messages. */
  historyMessages: number
  historyReps: number
  /** The Chromium rendering row: repetitions on fresh pages. */
  renderReps: number
  /** How long each rendering repetition scrolls, ms. */
  renderScrollMs: number
  /** The files section: the one-to-one file, the file of the three-peer rows, chat samples during a transfer. */
  fileBytes: number
  swarmBytes: number
  /** The file of the 100 Mbit/s link rows (about 6 s a transfer at full size). */
  slowLinkBytes: number
  fileChatSamples: number
  /** Repetitions of the two-process stack row and of each link's raw copy (their median is the row). */
  fileReps: number
  /** Catch-up with several authors next to one (bench/authors.ts): history, messages missed, repetitions. */
  authorsHistory: number
  authorsMissed: number
  authorsReps: number
  /** A room on screen through a long session (bench/window.ts): messages that arrive live, and how many a second. */
  windowMessages: number
  windowRate: number
  /** The million-message rows: how many messages the directory holds, and searches per load. */
  millionMessages: number
  searchQueries: number
}

export const FULL: BenchConfig = {
  mode: 'full',
  sizes: [100, 4096],
  oneToOne: { reps: 5, targetSeconds: 0.5, warmupMessages: 1000, latencySamples: 1000, latencyWarmup: 200, window: 64 },
  meshNs: [10, 30, 100],
  meshMessages: 50,
  meshIdleSeconds: 60,
  meshQuietMs: 1_000,
  meshSummaryWait: true,
  meshAuthors: 10_000,
  catchupKs: [1_000, 10_000, 100_000],
  catchupHistory: 100_000,
  catchupReps: 3,
  historyMessages: 100_000,
  historyReps: 3,
  renderReps: 3,
  renderScrollMs: 2000,
  fileBytes: 1024 ** 3,
  swarmBytes: 256 * 1024 ** 2,
  slowLinkBytes: 64 * 1024 ** 2,
  fileChatSamples: 500,
  fileReps: 3,
  millionMessages: 1_000_000,
  searchQueries: 100,
  authorsHistory: 20_000,
  authorsMissed: 10_000,
  authorsReps: 3,
  windowMessages: 20_000,
  windowRate: 500
}

export const SMOKE: BenchConfig = {
  mode: 'smoke',
  sizes: [100, 4096],
  oneToOne: { reps: 1, targetSeconds: 0.05, warmupMessages: 100, latencySamples: 50, latencyWarmup: 10, window: 64 },
  meshNs: [4],
  meshMessages: 5,
  meshIdleSeconds: 1,
  meshQuietMs: 200,
  meshSummaryWait: false,
  meshAuthors: 100,
  catchupKs: [100],
  catchupHistory: 500,
  catchupReps: 1,
  historyMessages: 500,
  historyReps: 1,
  renderReps: 1,
  renderScrollMs: 300,
  fileBytes: 1024 ** 2,
  swarmBytes: 1024 ** 2,
  slowLinkBytes: 1024 ** 2,
  fileChatSamples: 20,
  fileReps: 1,
  millionMessages: 2_000,
  searchQueries: 5,
  authorsHistory: 300,
  authorsMissed: 200,
  authorsReps: 1,
  windowMessages: 200,
  windowRate: 200
}
