/**
 * npm run chaos -- --seed S --peers N --faults F [--client-server] [--quiet]
 *
 * Runs one seeded chaos run (see run.ts), prints its faults as they happen and
 * a summary; exits 1 when a checker found something.
 */
import { ensureBuilt } from '../helpers/proc.js'
import { runChaos } from './run.js'
import { failed, summary } from './summary.js'

function flag (name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return fallback
  const n = Number(process.argv[i + 1])
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a whole number`)
  return n
}

const quiet = process.argv.includes('--quiet')
ensureBuilt()
const report = await runChaos({
  seed: flag('seed', Date.now() % 100_000),
  peers: flag('peers', 5),
  faults: flag('faults', 25),
  architecture: process.argv.includes('--client-server') ? 'client-server' : 'p2p',
  convergeMs: flag('converge-ms', 60_000),
  log: quiet ? undefined : line => { console.log(line) }
})
console.log('\n' + summary(report))
process.exitCode = failed(report) ? 1 : 0
