/**
 * Summarises a V8 CPU profile (from `node --cpu-prof`) by self time: the top
 * functions, and the same time grouped by package or project directory, which
 * is what BENCHMARKS.md quotes for a missed target.
 *
 *   npm run bench:profile -- --only=lanchat-p2p     # writes bench/results/*.cpuprofile
 *   npx tsx bench/profile-summary.ts bench/results/<file>.cpuprofile [top=25] [from-to]
 *
 * from-to (seconds since the profile began, e.g. 40-60) keeps only the samples
 * of one phase; the bench prints t= on every log line for this.
 */
import { readFileSync } from 'node:fs'

interface CallFrame { functionName: string, url: string, lineNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame, children?: number[] }
interface Profile { nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number }

/** Where a frame's code lives: an npm package, a project folder, or the runtime. */
function owner (url: string): string {
  if (url === '') return '(native / V8)'
  if (url.startsWith('node:')) return 'node: built-ins'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg != null) return pkg[1] as string
  const local = /\/(main\/[^/]+|bench)\//.exec(url)
  return local != null ? local[1] as string : url
}

function short (url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*\/(main|bench)\//, '$1/')
}

const [file, topArg, windowArg] = process.argv.slice(2)
if (file === undefined) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top]')
  process.exit(2)
}
const top = Number(topArg ?? 25)
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map<number, number>()
const [from, to] = (windowArg ?? '0-1e9').split('-').map((x) => Number(x) * 1000) as [number, number]
let total = 0
let at = 0
for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000
  at += dt
  if (at < from || at > to) continue
  const id = profile.samples[i] as number
  self.set(id, (self.get(id) ?? 0) + dt)
  total += dt
}

const byFunction = new Map<string, number>()
const byOwner = new Map<string, number>()
for (const [id, ms] of self) {
  const f = byId.get(id)?.callFrame
  if (f === undefined) continue
  const key = `${f.functionName === '' ? '(anonymous)' : f.functionName}  ${f.url === '' ? '' : `${short(f.url)}:${f.lineNumber + 1}`}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
  const o = ['(idle)', '(program)', '(garbage collector)'].includes(f.functionName) ? f.functionName : owner(f.url)
  byOwner.set(o, (byOwner.get(o) ?? 0) + ms)
}

const pct = (ms: number): string => `${(100 * ms / total).toFixed(1).padStart(5)}%`
console.log(`total sampled ${(total / 1000).toFixed(2)} s\n\nself time by owner:`)
for (const [o, ms] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(ms)}  ${Math.round(ms).toString().padStart(7)} ms  ${o}`)
console.log(`\ntop ${top} functions by self time:`)
for (const [k, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(ms)}  ${Math.round(ms).toString().padStart(7)} ms  ${k}`)
