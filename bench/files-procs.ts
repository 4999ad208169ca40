/**
 * The files section's two-process rows: the sender and the receiver as two
 * `bin/lanchat peer --json` processes, as on a LAN where each peer has its
 * own event loop and CPU (here they still share this machine's cores). The
 * bench process only writes commands and reads events.
 *
 * Chat latency is given two ways: from the line written to the sender's stdin
 * to the receiver's `message` line read here (both pipes and the CLI's JSON
 * included: an upper bound), and engine to engine, the receiver's
 * `deliveredAt` minus the sender's `sentAt` (one clock, whole milliseconds).
 * Pings go every 10 ms: 100 a second, under the CLI's default per-author rate
 * limit (200 a second), which the one-process rows raise.
 */
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import type { BenchConfig } from './config.js'
import type { Host } from './lib/lan-link.js'
import type { FileRow } from './lib/report.js'
import { percentile } from './lib/stats.js'
import { ensureBuilt } from '../test/helpers/proc.js'

type Ev = Record<string, unknown> & { type: string }
export interface Proc { events: Ev[], send: (c: object) => void, on: (f: (e: Ev) => void) => () => void, quit: () => Promise<void> }

const root = resolve(import.meta.dirname, '..')

/** Node options that give a process Noise's cipher as in the desktop app (lib/as-electron.mjs). */
const AS_ELECTRON = `--import=${pathToFileURL(join(root, 'bench/lib/as-electron.mjs')).href}`

/**
 * A `bin/lanchat peer --json` process. `asElectron`: Noise's cipher as in the
 * desktop app (lib/as-electron.mjs), and the built engine started without
 * bin/lanchat's V8 flag (on the Node running the bench, the project's under
 * npm), as Electron starts a utility process: no heap floor on a command line
 * (main/app/heap.ts). `host`: run inside one host of lib/lan-link.ts,
 * listening on its address there.
 */
export function lanchat (name: string, dir: string, downloads: string, opts: { asElectron?: boolean, host?: Host } = {}): Proc {
  const { asElectron = false, host } = opts
  const env = !asElectron ? process.env : { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${AS_ELECTRON}`.trim() }
  const listen = `/ip4/${host?.ip ?? '127.0.0.1'}/tcp/0`
  const args = ['peer', '--json', '--no-mdns', '--name', name, '--data', dir, '--downloads', downloads, '--listen', listen]
  const plain = asElectron ? [process.execPath, join(root, 'out/main/cli.js'), ...args] : [join(root, 'bin/lanchat'), ...args]
  const cmd = host?.wrap(plain) ?? plain
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['pipe', 'pipe', 'ignore'], env })
  const events: Ev[] = []
  const hooks = new Set<(e: Ev) => void>()
  createInterface({ input: child.stdout }).on('line', (l) => {
    let e: Ev
    try { e = JSON.parse(l) as Ev } catch { return }
    events.push(e)
    for (const h of hooks) h(e)
  })
  const exited = new Promise<void>((r) => child.on('exit', () => { r() }))
  return {
    events,
    send: (c) => { child.stdin.write(JSON.stringify(c) + '\n') },
    on: (f) => { hooks.add(f); return () => { hooks.delete(f) } },
    quit: async () => {
      // Once is enough (a second quit would write to a closed pipe).
      if (child.exitCode !== null || child.signalCode !== null || child.stdin.writableEnded) return
      child.stdin.end('{"cmd":"quit"}\n')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))])
      child.kill('SIGKILL')
    }
  }
}

async function event (p: Proc, test: (e: Ev) => boolean, what: string, ms = 600_000): Promise<Ev> {
  const end = Date.now() + ms
  for (;;) {
    const hit = p.events.find(test)
    if (hit?.type === 'file:failed') throw new Error(`two processes: ${what} failed: ${String(hit.message ?? hit.reason ?? '')}`)
    if (hit !== undefined) return hit
    if (Date.now() > end) throw new Error(`two processes: timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const sleep = async (ms: number): Promise<void> => { await new Promise((r) => setTimeout(r, ms)) }
export const rate = (bytes: number, ms: number): number => bytes / 2 ** 20 / (ms / 1000)

/** Pings from `from` to `to` every 10 ms while `going()` (and at least `count`): stdin-to-event and engine-to-engine times. */
async function pings (from: Proc, to: Proc, label: string, count: number, going: () => boolean): Promise<{ piped: number[], engine: number[] }> {
  const sentAt = new Map<string, number>()
  const piped: number[] = []
  const engine: number[] = []
  const off = to.on((e) => {
    const at = e.type === 'message' ? sentAt.get(String(e.text)) : undefined
    if (at === undefined) return
    piped.push(performance.now() - at)
    engine.push(Number(e.deliveredAt) - Number(e.sentAt))
  })
  for (let i = 0; i < count || going(); i++) {
    const text = `ping ${label} ${i}`
    sentAt.set(text, performance.now())
    from.send({ cmd: 'send', room: 'lobby', text })
    await sleep(10)
  }
  const end = Date.now() + 10_000
  while (piped.length < sentAt.size && Date.now() < end) await sleep(20)
  off()
  return { piped, engine }
}

/** The seeder shares `src` in the lobby once every receiver has dialed it; the file message's id, once all have it. */
async function shareWith (seeder: Proc, receivers: Proc[], src: string): Promise<string> {
  const ready = await event(seeder, (e) => e.type === 'ready', 'ready', 30_000)
  const addr = String((ready.addrs as string[])[0])
  for (const p of receivers) {
    await event(p, (e) => e.type === 'ready', 'ready', 30_000)
    p.send({ cmd: 'dial', addr })
    await event(p, (e) => e.type === 'peer:connect', 'connected', 30_000)
  }
  seeder.send({ cmd: 'file', room: 'lobby', path: src })
  const shared = await event(seeder, (e) => e.type === 'message' && e.file !== undefined, 'the file shared')
  const id = String(shared.id)
  for (const p of receivers) await event(p, (e) => e.type === 'message' && e.id === id, 'the file message', 60_000)
  return id
}

/** `to` downloads file message `id` while `from` pings it every 10 ms: how long it took, and the pings' times. */
async function downloadWhilePinging (from: Proc, to: Proc, id: string, label: string): Promise<{ ms: number, during: { piped: number[], engine: number[] } }> {
  let transferring = true
  const t0 = performance.now()
  to.send({ cmd: 'download', id })
  const done = event(to, (e) => e.type === 'file:done' || e.type === 'file:failed', 'the download').finally(() => { transferring = false })
  const during = await pings(from, to, label, 0, () => transferring)
  await done
  return { ms: performance.now() - t0, during }
}

/**
 * One run of lib/stack-pump.ts: `bytes` over one stream between two
 * processes on the app's network stack, no file protocol; the receiver's ms.
 */
async function stackPumpOnce (bytes: number): Promise<number> {
  const script = join(root, 'bench/lib/stack-pump.ts')
  const recv = spawn(process.execPath, ['--import', 'tsx', script, 'recv'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  const lines = createInterface({ input: recv.stdout })[Symbol.asyncIterator]()
  try {
    const addr = (await lines.next()).value as string | undefined
    if (addr === undefined) throw new Error('the pump\'s receiver printed no address')
    const sender = spawn(process.execPath, ['--import', 'tsx', script, 'send', addr, String(bytes)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
    const result = (await lines.next()).value as string | undefined
    sender.kill()
    const r = JSON.parse(result ?? '{}') as { bytes?: number, ms?: number }
    if (r.bytes !== bytes || typeof r.ms !== 'number') throw new Error(`the pump moved ${String(r.bytes)} of ${bytes} bytes`)
    return r.ms
  } finally {
    recv.kill()
  }
}

/** The network stack alone between two processes, `reps` times (three in a full run): the median, and each rate. */
async function stackPumpRow (size: number, rawMs: number, reps: number): Promise<FileRow> {
  const all: number[] = []
  for (let i = 0; i < reps; i++) all.push(await stackPumpOnce(size))
  const ms = percentile(all, 0.5)
  return {
    what: `two processes: the network stack alone (tcp + Noise + yamux as the app sets them up, one stream, no file protocol, no disk; median of ${all.length}: ${all.map((t) => rate(size, t).toFixed(0)).join(', ')} MiB/s)`,
    bytes: size,
    ms,
    mbps: rate(size, ms),
    vsRaw: rate(size, ms) / rate(size, rawMs)
  }
}

/**
 * One file from `seeder` to `one`, timed against `rawMs`; then, with `one`
 * gone (so only the two peers the row names exchange anything), chat pings
 * from `seeder` to `talk` with no transfer and while `talk` downloads the
 * same file. Rows named `label: ...`; `piped`: also the stdin-to-event times.
 */
export async function downloadAndChatRows (label: string, ps: { seeder: Proc, one: Proc, talk: Proc }, cfg: BenchConfig, src: string, size: number, rawMs: number, piped: boolean): Promise<FileRow[]> {
  const { seeder, one, talk } = ps
  const rows: FileRow[] = []
  const id = await shareWith(seeder, [one, talk], src)
  const t0 = performance.now()
  one.send({ cmd: 'download', id })
  await event(one, (e) => e.type === 'file:done' || e.type === 'file:failed', 'the download')
  const ms = performance.now() - t0
  rows.push({ what: `${label}: LAN Chat, one sender, one receiver`, bytes: size, ms, mbps: rate(size, ms), vsRaw: rate(size, ms) / rate(size, rawMs) })
  await one.quit()

  const quietStart = performance.now()
  const quiet = await pings(seeder, talk, `${label} quiet`, cfg.fileChatSamples, () => false)
  if (piped) rows.push({ what: `${label}: chat, no transfer (stdin to event)`, bytes: 0, ms: performance.now() - quietStart, p50Ms: percentile(quiet.piped, 0.5), p99Ms: percentile(quiet.piped, 0.99), chatSamples: quiet.piped.length })
  rows.push({ what: `${label}: chat, no transfer (engine to engine, whole ms)`, bytes: 0, p50Ms: percentile(quiet.engine, 0.5), p99Ms: percentile(quiet.engine, 0.99), chatSamples: quiet.engine.length })

  const { ms: duringMs, during } = await downloadWhilePinging(seeder, talk, id, `${label} during`)
  if (piped) rows.push({ what: `${label}: chat during a transfer (stdin to event)`, bytes: size, ms: duringMs, mbps: rate(size, duringMs), p50Ms: percentile(during.piped, 0.5), p99Ms: percentile(during.piped, 0.99), chatSamples: during.piped.length })
  rows.push({ what: `${label}: chat during a transfer (engine to engine, whole ms)`, bytes: size, ms: duringMs, mbps: rate(size, duringMs), p50Ms: percentile(during.engine, 0.5), p99Ms: percentile(during.engine, 0.99), chatSamples: during.engine.length })
  return rows
}

/** One file from one process to another, then the same pings with no transfer and during one. */
export async function twoProcessRows (cfg: BenchConfig, dir: string, src: string, size: number, rawMs: number): Promise<FileRow[]> {
  const rows: FileRow[] = []
  // bin/lanchat runs the built engine: build it if main/ changed since.
  ensureBuilt()
  // What any transfer over this stack is bounded by, before LAN Chat's own rows.
  rows.push(await stackPumpRow(size, rawMs, cfg.fileReps))
  const seeder = lanchat('seeder', join(dir, 'p-seeder'), join(dir, 'p-seeder-dl'))
  const one = lanchat('one', join(dir, 'p-one'), join(dir, 'p-one-dl'))
  const talk = lanchat('talk', join(dir, 'p-talk'), join(dir, 'p-talk-dl'))
  try {
    rows.push(...await downloadAndChatRows('two processes', { seeder, one, talk }, cfg, src, size, rawMs, true))
  } finally {
    await Promise.all([seeder, one, talk].map(async (p) => { await p.quit() }))
  }
  rows.push(...await asInElectronRows(dir, src, size, rawMs))
  return rows
}

/**
 * The same download and chat between two processes whose Noise uses the
 * cipher the desktop app has (WebAssembly ChaCha20-Poly1305: Electron's
 * BoringSSL has no native one) and whose V8 has no heap floor from a command
 * line: what the app, not the headless peer, gets.
 */
async function asInElectronRows (dir: string, src: string, size: number, rawMs: number): Promise<FileRow[]> {
  const rows: FileRow[] = []
  const seeder = lanchat('e-seeder', join(dir, 'e-seeder'), join(dir, 'e-seeder-dl'), { asElectron: true })
  const one = lanchat('e-one', join(dir, 'e-one'), join(dir, 'e-one-dl'), { asElectron: true })
  try {
    const id = await shareWith(seeder, [one], src)
    const { ms, during } = await downloadWhilePinging(seeder, one, id, 'electron')
    rows.push({ what: 'two processes as the desktop app (its Noise cipher, no heap floor): one sender, one receiver', bytes: size, ms, mbps: rate(size, ms), vsRaw: rate(size, ms) / rate(size, rawMs) })
    rows.push({ what: 'two processes as the desktop app: chat during it (engine to engine, whole ms)', bytes: size, p50Ms: percentile(during.engine, 0.5), p99Ms: percentile(during.engine, 0.99), chatSamples: during.engine.length })
  } finally {
    await Promise.all([seeder, one].map(async (p) => { await p.quit() }))
  }
  return rows
}
