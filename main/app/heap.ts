/**
 * When V8 starts a full collection, tuned for an engine process: called once
 * at the start of every process that runs the engine (main/engine.ts for the
 * desktop app's utilityProcess and the test host, main/cli.ts for
 * `bin/lanchat`), never by the engine itself, which may share a process.
 *
 * An engine's heap is small (~13 MB) and a file transfer moves buffers fast
 * through Noise, yamux and the file stream. V8's default starts incremental
 * marking as soon as the room left under its old-generation limit is smaller
 * than the young generation, which with so small a heap is almost always: both
 * ends of a transfer ran a full mark-compact every ~150 ms, pausing the event
 * loop 9–25 ms each time, with V8's helper threads spending as much CPU as the
 * main thread. These two thresholds make marking start once 80% of that room
 * is used (and at once at 95%), whatever the heap's size. V8 reads them each
 * time it decides, so they can be set here, after start: Electron's utility
 * process takes no V8 flags on its command line (BENCHMARKS.md, "The engine's
 * heap"). `bin/lanchat` also puts a 128 MiB floor under that limit, which only
 * a command line can. A V8 without these flags prints that it does not know
 * them and goes on as before.
 */
import { setFlagsFromString } from 'node:v8'

export const MARKING_TRIGGERS = '--incremental-marking-soft-trigger=80 --incremental-marking-hard-trigger=95'

export function tuneHeapForEngine (): void {
  setFlagsFromString(MARKING_TRIGGERS)
}
