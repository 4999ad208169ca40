/**
 * A seeded chaos run of real `bin/lanchat` processes: a sparse mesh, random
 * kill -9 and restarts, partitions (block/unblock), pauses (SIGSTOP/SIGCONT)
 * and sends; then a heal, a bounded wait for convergence, and the checkers.
 *
 * const r = await runChaos({ seed: 7, peers: 5, faults: 25 })
 * r.verdict.lost      // [] when nothing confirmed was lost
 * r.convergenceMs     // from the start of the heal to identical histories
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkHistories, duplicateDeliveries, type HeldMessage, type Verdict } from './check.js'
import { ChaosPeer } from './cluster.js'
import { Rng } from './prng.js'

export const FAULTS = ['kill', 'restart', 'partition', 'split', 'unblock', 'pause'] as const
export type FaultKind = typeof FAULTS[number]
const WEIGHTS: Record<FaultKind, number> = { kill: 3, restart: 2, partition: 2, split: 1, unblock: 2, pause: 3 }

export interface ChaosOptions {
  seed: number
  peers: number
  faults: number
  /** Bound on the wait for convergence after the heal. */
  convergeMs?: number
  log?: (line: string) => void
}

export interface ChaosReport {
  seed: number
  peers: number
  faults: Record<FaultKind, number>
  sent: number
  confirmed: number
  verdict: Verdict
  /** Delivered twice by one process run (a failure) and again after a restart (reported). */
  duplicateDeliveries: string[]
  reannouncedAfterRestart: number
  converged: boolean
  convergenceMs: number
  historyLength: number
  /** How many (message, dep) pairs the causal checker saw on one peer: 0 would mean it checked nothing. */
  depsChecked: number
  durationMs: number
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

export async function runChaos (opts: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now()
  const log = opts.log ?? (() => {})
  const rng = new Rng(opts.seed)
  const root = mkdtempSync(join(tmpdir(), `lanchat-chaos-${opts.seed}-`))
  const peers = Array.from({ length: opts.peers }, (_, i) => new ChaosPeer(`p${i}`, join(root, `p${i}`)))
  const faults = Object.fromEntries(FAULTS.map(k => [k, 0])) as Record<FaultKind, number>
  const blocks = new Set<string>() // "a>b": peer a blocks peer b
  const sends: Array<{ peer: ChaosPeer, text: string }> = []
  try {
    await Promise.all(peers.map(async p => { await p.start() }))
    const edges = sparseMesh(rng, peers.length)
    for (const [a, b] of edges) peers[a]!.command({ cmd: 'dial', addr: peers[b]!.addr() })
    await waitFor('the mesh', () => peers.every(p => p.runs[0]!.some(e => e.type === 'peer:connect')), 20_000)
    log(`mesh of ${peers.length}: ${edges.map(([a, b]) => `p${a}-p${b}`).join(' ')}`)

    for (let f = 0; f < opts.faults; f++) {
      // A fault with nothing to act on (no open block, no one to pause) is drawn again, a few times at most.
      for (let tries = 0; tries < 5; tries++) {
        const kind = chooseFault(rng, peers)
        const what = await applyFault(kind, rng, peers, blocks)
        if (what === undefined) continue
        faults[kind]++
        log(`fault ${f + 1}/${opts.faults}: ${what}`)
        break
      }
      // Mostly a few sends; now and then a burst from one peer with no pause after it, so the next fault
      // (a kill -9 above all) lands while messages are being written, relayed and announced.
      const burst = rng.next() < 0.15
      for (let s = burst ? rng.between(10, 40) : rng.int(4); s > 0; s--) {
        const ready = peers.filter(p => p.usable)
        if (ready.length === 0) break
        const p = burst && sends.length > 0 && sends[sends.length - 1]!.peer.usable ? sends[sends.length - 1]!.peer : rng.pick(ready)
        const text = `s${opts.seed}-${sends.length} from ${p.name}`
        p.command({ cmd: 'send', room: 'lobby', text })
        sends.push({ peer: p, text })
      }
      await sleep(burst ? rng.int(30) : rng.between(50, 400))
    }

    // Heal: resume, restart, unblock every pair, redial the mesh.
    const healStart = Date.now()
    for (const p of peers) p.resume()
    await Promise.all(peers.map(async p => { await p.start() }))
    for (const a of peers) for (const b of peers) if (a !== b) a.command({ cmd: 'unblock', peerId: b.peerId })
    blocks.clear()
    for (const [a, b] of edges) peers[a]!.command({ cmd: 'dial', addr: peers[b]!.addr() })
    log(`healed in ${Date.now() - healStart} ms; waiting for convergence`)

    const confirmed = new Map<string, string>()
    const end = healStart + (opts.convergeMs ?? 60_000)
    let histories = new Map<string, HeldMessage[]>()
    let converged = false
    for (;;) {
      const own = new Map(peers.map(p => [p, p.ownMessages()]))
      for (const s of sends) {
        const id = own.get(s.peer)!.get(s.text)
        if (id !== undefined) confirmed.set(s.text, id)
      }
      histories = await allHistories(peers)
      const v = checkHistories(histories, confirmed.values())
      if (v.lost.length === 0 && v.orderDiffs.length === 0) { converged = true; break }
      if (Date.now() > end) break
      await sleep(250)
    }
    const convergenceMs = Date.now() - healStart
    const deliveries = peers.map(p => duplicateDeliveries(p.name, p.deliveries()))
    return {
      seed: opts.seed,
      peers: opts.peers,
      faults,
      sent: sends.length,
      confirmed: confirmed.size,
      verdict: checkHistories(histories, confirmed.values()),
      duplicateDeliveries: deliveries.flatMap(d => d.withinRun),
      reannouncedAfterRestart: deliveries.reduce((n, d) => n + d.acrossRuns.length, 0),
      converged,
      convergenceMs,
      historyLength: histories.get('p0')?.length ?? 0,
      depsChecked: (histories.get('p0') ?? []).reduce((n, m) => n + m.deps.length, 0),
      durationMs: Date.now() - started
    }
  } finally {
    await Promise.all(peers.map(async p => { await p.kill() }))
    rmSync(root, { recursive: true, force: true })
  }
}

/** A connected sparse mesh: a random spanning tree, then one or two more edges per peer (2–3 each on average). */
function sparseMesh (rng: Rng, n: number): Array<[number, number]> {
  const order = rng.sample([...Array(n).keys()], n)
  const edges: Array<[number, number]> = []
  const has = (a: number, b: number): boolean => edges.some(([x, y]) => (x === a && y === b) || (x === b && y === a))
  for (let i = 1; i < n; i++) edges.push([order[i]!, order[rng.int(i)]!])
  for (let a = 0; a < n; a++) {
    for (let k = rng.int(2); k >= 0 && n > 3; k--) {
      const b = rng.int(n)
      if (b !== a && !has(a, b) && edges.length < n * 3 / 2) edges.push([a, b])
    }
  }
  return edges
}

function chooseFault (rng: Rng, peers: ChaosPeer[]): FaultKind {
  const dead = peers.filter(p => !p.alive).length
  const total = FAULTS.reduce((s, k) => s + WEIGHTS[k], 0)
  let r = rng.int(total)
  let kind: FaultKind = 'pause'
  for (const k of FAULTS) {
    if (r < WEIGHTS[k]) { kind = k; break }
    r -= WEIGHTS[k]
  }
  // At most all but two down at once, so there is someone to talk to.
  if (kind === 'kill' && dead >= peers.length - 2) return 'restart'
  if (kind === 'restart' && dead === 0) return 'kill'
  return kind
}

async function applyFault (kind: FaultKind, rng: Rng, peers: ChaosPeer[], blocks: Set<string>): Promise<string | undefined> {
  const usable = peers.filter(p => p.usable)
  switch (kind) {
    case 'kill': {
      const p = rng.pick(peers.filter(q => q.alive))
      await p.kill()
      return `kill -9 ${p.name}`
    }
    case 'restart': {
      const p = rng.pick(peers.filter(q => !q.alive))
      await p.start()
      return `restart ${p.name}`
    }
    case 'partition': {
      if (usable.length < 2) return undefined
      const [a, b] = rng.sample(usable, 2) as [ChaosPeer, ChaosPeer]
      a.command({ cmd: 'block', peerId: b.peerId })
      blocks.add(`${a.name}>${b.name}`)
      return `${a.name} blocks ${b.name}`
    }
    case 'split': {
      const side = rng.sample(peers, rng.between(1, Math.floor(peers.length / 2)))
      for (const a of peers.filter(p => p.usable)) {
        for (const b of peers) {
          if (side.includes(a) === side.includes(b)) continue
          a.command({ cmd: 'block', peerId: b.peerId })
          blocks.add(`${a.name}>${b.name}`)
        }
      }
      return `split {${side.map(p => p.name).join(',')}} from the rest`
    }
    case 'unblock': {
      const open = [...blocks].filter(k => peers.find(p => p.name === k.split('>')[0])!.usable)
      if (open.length === 0) return undefined
      const [an, bn] = rng.pick(open).split('>') as [string, string]
      const a = peers.find(p => p.name === an)!
      const b = peers.find(p => p.name === bn)!
      a.command({ cmd: 'unblock', peerId: b.peerId })
      blocks.delete(`${an}>${bn}`)
      return `${an} unblocks ${bn}`
    }
    case 'pause': {
      if (usable.length === 0) return undefined
      const p = rng.pick(usable)
      const ms = rng.between(200, 3000)
      p.pause(ms)
      return `SIGSTOP ${p.name} for ${ms} ms`
    }
    default: {
      const never: never = kind
      throw new Error(`unknown fault ${String(never)}`)
    }
  }
}

async function allHistories (peers: ChaosPeer[]): Promise<Map<string, HeldMessage[]>> {
  const out = new Map<string, HeldMessage[]>()
  for (const p of peers) {
    const h = await p.request({ cmd: 'history', room: 'lobby' }, 'history')
    out.set(p.name, (h.messages as Array<{ id: string, deps?: string[] }>).map(m => ({ id: m.id, deps: m.deps ?? [] })))
  }
  return out
}

async function waitFor (what: string, check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`chaos: timed out waiting for ${what}`)
    await sleep(50)
  }
}
