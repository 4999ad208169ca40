/**
 * Issue 13, defect 11: how long does a message between two peers take while a
 * third floods? A triangle of bin/lanchat processes a–b–c on loopback; a sends
 * FLOOD messages as fast as it can while b sends a probe every 50 ms; we time
 * each probe from b's stdin to c's `message` event.
 *
 * node --import tsx bench/flood-fairness.ts [FLOOD] [--prof DIR]   (DIR: c's CPU profile)
 * node --import tsx bench/flood-fairness.ts [FLOOD] --against DIR [--reps N]
 *   before/after in one run: DIR is another checkout, built (its out/ and bin/lanchat); the two
 *   alternate, N runs each, and a Markdown table of both comes out (BENCHMARKS.md).
 * FLOOD_DEBUG=1 also prints where each probe landed among c's deliveries and which link brought it.
 * `npm run bench` runs it once as its "flood" section.
 *
 * First figures (4,000-message flood, shared 2-core machine): probes p50 3.3–4.1 s, p99 4.1–5.2 s.
 * Probes reach c after (nearly) the whole flood: the ones b sent directly sit behind b's relays of
 * a's flood on the b→c link (some overtook it via a), and each probe depends causally on the flood
 * messages b had delivered when it was sent. c's CPU profile: 23 % (1.96 s) in Ed25519 verification
 * from verifyMessages in onFrame, one verification per frame head.
 * The deps decide it: b had the whole flood about 1 s in (probe 20 depends on "flood 3999") while c
 * had delivered ~3,360 of it, so no ordering of b's link can show probe 20 at c before c has
 * delivered the whole flood. Per-author queues on the wire alone cannot meet a p99 of 50 ms; the
 * flooder has to be slowed where its messages are delivered (per author, at every peer), so that
 * what an honest peer depends on is what its neighbours have too.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

const here = resolve(import.meta.dirname, '..')
type Ev = Record<string, unknown> & { type: string }

interface P { send: (c: object) => void, events: Ev[], on: (f: (e: Ev) => void) => void, quit: () => Promise<void> }

function start (root: string, name: string, dir: string, env: NodeJS.ProcessEnv = {}): P {
  const child = spawn(join(root, 'bin/lanchat'), ['peer', '--json', '--no-mdns', '--name', name, '--data', dir, '--listen', '/ip4/127.0.0.1/tcp/0'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] })
  const events: Ev[] = []
  const hooks: Array<(e: Ev) => void> = []
  createInterface({ input: child.stdout }).on('line', l => {
    let e: Ev
    try { e = JSON.parse(l) as Ev } catch { return } // a line cut by a kill at the end
    events.push(e)
    for (const h of hooks) h(e)
  })
  const exited = new Promise<void>(r => child.on('exit', () => { r() }))
  return {
    events,
    send: c => { child.stdin.write(JSON.stringify(c) + '\n') },
    on: f => { hooks.push(f) },
    quit: async () => { child.stdin.write('{"cmd":"quit"}\n'); await Promise.race([exited, new Promise(r => setTimeout(r, 20_000))]); child.kill('SIGKILL') }
  }
}

const sleep = async (ms: number): Promise<void> => { await new Promise(r => setTimeout(r, ms)) }
async function until (check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms
  while (!check()) { if (Date.now() > end) throw new Error(`timed out: ${what}`); await sleep(20) }
}

/** Each probe's time from b's stdin to c's `message` event, ms. `root`: the checkout whose bin/lanchat runs. */
export async function floodFairness (flood: number, profDir?: string, root = here): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lanchat-flood-'))
  const a = start(root, 'a', join(dir, 'a'))
  const b = start(root, 'b', join(dir, 'b'))
  const c = start(root, 'c', join(dir, 'c'), profDir === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir}` })
  try {
    for (const p of [a, b, c]) await until(() => p.events.some(e => e.type === 'ready'), 20_000, 'ready')
    const addr = (p: P): string => String((p.events[0]!.addrs as string[])[0])
    b.send({ cmd: 'dial', addr: addr(a) })
    c.send({ cmd: 'dial', addr: addr(a) })
    c.send({ cmd: 'dial', addr: addr(b) })
    await until(() => c.events.filter(e => e.type === 'peer:connect').length >= 2 && b.events.filter(e => e.type === 'peer:connect').length >= 2, 20_000, 'triangle')
    const sentAt = new Map<string, number>()
    const took: number[] = []
    // Wall-clock stages of each probe, for FLOOD_DEBUG: stdin → b numbers it (sentAt) → c delivers (deliveredAt) → we read it.
    const stages: Array<[number, number, number]> = []
    const wallSent = new Map<string, number>()
    c.on(e => {
      const t = sentAt.get(String(e.text))
      if (e.type === 'message' && t !== undefined) {
        took.push(performance.now() - t)
        const w = wallSent.get(String(e.text))!
        stages.push([Number(e.sentAt) - w, Number(e.deliveredAt) - Number(e.sentAt), Date.now() - Number(e.deliveredAt)])
      }
    })
    for (let i = 0; i < flood; i++) a.send({ cmd: 'send', room: 'lobby', text: `flood ${i}` })
    const probes = 60
    for (let i = 0; i < probes; i++) {
      sentAt.set(`probe ${i}`, performance.now())
      wallSent.set(`probe ${i}`, Date.now())
      b.send({ cmd: 'send', room: 'lobby', text: `probe ${i}` })
      await sleep(50)
    }
    await until(() => took.length === probes, 60_000, 'probes at c')
    await until(() => c.events.filter(e => e.type === 'message').length >= flood + probes, 120_000, 'flood at c')
    if (process.env.FLOOD_DEBUG !== undefined) {
      const ms = c.events.filter(e => e.type === 'message')
      const pos = ms.flatMap((e, i) => String(e.text).startsWith('probe') ? [`${i}:${String(e.via).slice(-4)}`] : [])
      console.log(`probes at c by position among ${ms.length}: ${pos.join(' ')}`)
      const text = new Map(ms.map(e => [String(e.id), String(e.text)]))
      const deps = ms.filter(e => String(e.text).startsWith('probe')).map(e => `${String(e.text)} after ${(e.deps as string[]).map(d => text.get(d) ?? '?').join('+')}`)
      console.log(deps.filter((_, i) => i % 10 === 0).join('\n'))
      const med = (k: number): string => q(stages.map(s => s[k]!), 0.5).toFixed(0) + '/' + q(stages.map(s => s[k]!), 0.9).toFixed(0)
      console.log(`probe stages p50/p90 ms: stdin→b numbers it ${med(0)}, b→c delivered ${med(1)}, c's event→read here ${med(2)}`)
    }
    return took
  } finally {
    await Promise.all([a, b, c].map(async p => { await p.quit() }))
    rmSync(dir, { recursive: true, force: true })
  }
}

const q = (xs: number[], p: number): number => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]! }

/** p50/p90/p99/max of probe times, ms. */
export function probeFigures (took: number[]): { p50: number, p90: number, p99: number, max: number } {
  return { p50: q(took, 0.5), p90: q(took, 0.9), p99: q(took, 0.99), max: Math.max(...took) }
}

const row = (what: string, took: number[]): string => {
  const f = probeFigures(took)
  return `| ${what} | ${took.length} | ${f.p50.toFixed(1)} | ${f.p90.toFixed(1)} | ${f.p99.toFixed(1)} | ${f.max.toFixed(1)} |`
}
export const FLOOD_TABLE_HEAD = '| build | probes | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|---|'

if (process.argv[1] === import.meta.filename) {
  const flood = Number(process.argv[2] ?? 4000)
  const arg = (name: string): string | undefined => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined }
  const against = arg('--against')
  if (against === undefined) {
    const took = await floodFairness(flood, arg('--prof'))
    console.log(`flood ${flood}: probe b→c p50 ${q(took, 0.5).toFixed(1)} ms, p90 ${q(took, 0.9).toFixed(1)} ms, p99 ${q(took, 0.99).toFixed(1)} ms, max ${Math.max(...took).toFixed(1)} ms`)
  } else {
    // Alternate the two builds so both see the same load on a shared machine; probes of all runs pooled.
    const reps = Number(arg('--reps') ?? 2)
    const before: number[] = []
    const after: number[] = []
    for (let r = 0; r < reps; r++) {
      before.push(...await floodFairness(flood, undefined, resolve(against)))
      console.error(`rep ${r + 1}: before p99 so far ${q(before, 0.99).toFixed(0)} ms`)
      after.push(...await floodFairness(flood, undefined, here))
      console.error(`rep ${r + 1}: after p99 so far ${q(after, 0.99).toFixed(0)} ms`)
    }
    console.log(`flood of ${flood} messages from a; b sends a probe every 50 ms; time from b's stdin to c's event (${reps} runs each, alternating)\n`)
    console.log(`${FLOOD_TABLE_HEAD}\n${row(`before (${resolve(against)})`, before)}\n${row('after (this checkout)', after)}`)
  }
}
