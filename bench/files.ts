/**
 * The files section: one file on loopback through LAN Chat's file protocol
 * next to a raw `node:net` copy of the same file in the same run, one seeder
 * to three downloaders and three seeders to one, and chat latency between two
 * peers while a transfer runs between them; then the sender and receivers
 * as separate processes (files-procs.ts), and as two hosts joined by a
 * gigabit link where this machine allows it (files-lan.ts). Every engine is real (its own
 * data directory, Noise, yamux, every chunk hashed and verified).
 */
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import type { Engine } from '../main/chat/index.js'
import type { BenchConfig } from './config.js'
import type { FileRow } from './lib/report.js'
import { percentile, waitUntil } from './lib/stats.js'
import { connected, startEngine, tempRoot } from './systems/lanchat.js'
import { twoProcessRows } from './files-procs.js'
import { lanLinkRows } from './files-lan.js'
import { rawCopy } from './lib/raw-copy.js'
import { tuneHeapForEngine } from '../main/app/heap.js'

type Log = (line: string) => void

/** Peak RSS growth over a phase, sampled every 20 ms. */
function rssWatch (): { stop: () => number } {
  const start = process.memoryUsage.rss()
  let peak = start
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 20)
  return { stop: () => { clearInterval(timer); peak = Math.max(peak, process.memoryUsage.rss()); return (peak - start) / 2 ** 20 } }
}

async function makeFile (path: string, bytes: number): Promise<void> {
  const fh = await open(path, 'w')
  const block = randomBytes(4 * 1024 * 1024)
  for (let at = 0; at < bytes; at += block.length) {
    // Each block differs a little, so chunks are not all the same.
    block.writeUInt32LE(at >>> 0, 0)
    await fh.write(block, 0, Math.min(block.length, bytes - at), at)
  }
  await fh.close()
}

const rate = (bytes: number, ms: number): number => bytes / 2 ** 20 / (ms / 1000)

/**
 * The copy as a plain Node process (lib/raw-copy.ts: Node's defaults, none
 * of the V8 flags an engine sets), three times: the median. This is what
 * every "vs raw" divides by. A single copy moved 2.5x between runs here, and
 * inside this process, after an engine's V8 flags, it once ran 2.4x slower
 * than as a plain process (BENCHMARKS.md, "a floor that moved").
 */
async function plainRawCopy (src: string, dst: string): Promise<{ ms: number, all: number[] }> {
  const all: number[] = []
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, 'lib/raw-copy.ts'), src, dst], { encoding: 'utf8' })
    rmSync(dst, { force: true })
    const ms = Number(r.stdout.trim())
    if (r.status !== 0 || !Number.isFinite(ms)) throw new Error(`raw copy failed: ${r.stderr}`)
    all.push(ms)
  }
  return { ms: percentile(all, 0.5), all }
}

const rawRow = (what: string, size: number, r: { ms: number, all: number[] }): FileRow =>
  ({ what: `${what} (${r.all.map((ms) => rate(size, ms).toFixed(0)).join(', ')} MiB/s)`, bytes: size, ms: r.ms, mbps: rate(size, r.ms) })

async function link (a: Engine, b: Engine): Promise<void> {
  const joined = connected(b, 1)
  await b.dial(a.addrs()[0]!)
  await joined
}

async function fileMessage (e: Engine, id: string): Promise<void> {
  await waitUntil(() => e.history('bench').some((m) => m.id === id), 'the file message', 60_000)
}

export async function fileSection (cfg: BenchConfig, log: Log): Promise<FileRow[]> {
  // The engines below share this process: give it V8's marking triggers as every engine process has them (main/app/heap.ts).
  tuneHeapForEngine()
  const rows: FileRow[] = []
  const root = tempRoot('files')
  const engines: Engine[] = []
  const start = async (name: string): Promise<Engine> => {
    const e = await startEngine(join(root, name), { name, files: { downloadsDir: join(root, `${name}-downloads`), stallMs: 60_000 } })
    engines.push(e)
    return e
  }
  try {
    const size = cfg.fileBytes
    const src = join(root, 'source.bin')
    log(`files: making a ${size} byte file`)
    await makeFile(src, size)

    log('files: raw node:net copies')
    const plain = await plainRawCopy(src, join(root, 'raw-copy.bin'))
    const rawMs = plain.ms
    rows.push(rawRow('raw TCP copy (plain node:net process, no encryption; median of 3)', size, plain))
    const rawRss = rssWatch()
    const hereMs = await rawCopy(src, join(root, 'raw-copy.bin'))
    rmSync(join(root, 'raw-copy.bin'), { force: true })
    rows.push({ what: 'raw TCP copy in this process (V8 flags as an engine\'s)', bytes: size, ms: hereMs, mbps: rate(size, hereMs), rssGrowthMB: rawRss.stop() })

    const seeder = await start('seeder')
    const t0 = performance.now()
    const sent = await seeder.sendFile('bench', src)
    const shareMs = performance.now() - t0
    rows.push({ what: 'sharing: hash and copy into the data directory', bytes: size, ms: shareMs, mbps: rate(size, shareMs) })

    log('files: one sender, one receiver')
    const one = await start('one')
    await link(seeder, one)
    await fileMessage(one, sent.id)
    const rss = rssWatch()
    const t1 = performance.now()
    await one.download(sent.id)
    const ms = performance.now() - t1
    rows.push({ what: 'LAN Chat, one sender, one receiver', bytes: size, ms, mbps: rate(size, ms), vsRaw: rate(size, ms) / rate(size, rawMs), rssGrowthMB: rss.stop() })

    log('files: chat while a transfer runs between the same two peers')
    const talk = await start('talk')
    await link(seeder, talk)
    await fileMessage(talk, sent.id)
    const samples: number[] = []
    const sentAt = new Map<string, number>()
    talk.on((e) => {
      if (e.type !== 'message' || !e.text.startsWith('ping ')) return
      const at = sentAt.get(e.text)
      if (at !== undefined) samples.push(performance.now() - at)
    })
    // The floor: the same pings with no transfer, so the row below can be read against this machine as it is now.
    const quietStart = performance.now()
    for (let i = 0; i < cfg.fileChatSamples; i++) {
      const text = `ping quiet ${i}`
      sentAt.set(text, performance.now())
      await seeder.send('bench', text)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await waitUntil(() => samples.length >= cfg.fileChatSamples, 'quiet chat deliveries', 10_000).catch(() => {})
    rows.push({ what: 'chat between the same two peers, no transfer', bytes: 0, ms: performance.now() - quietStart, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99), chatSamples: samples.length })
    samples.length = 0
    sentAt.clear()
    let transferring = true
    const t2 = performance.now()
    const transfer = talk.download(sent.id).finally(() => { transferring = false })
    for (let i = 0; transferring || i < cfg.fileChatSamples; i++) {
      const text = `ping ${i}`
      sentAt.set(text, performance.now())
      await seeder.send('bench', text)
      await new Promise((resolve) => setTimeout(resolve, 5))
      if (!transferring && samples.length >= cfg.fileChatSamples) break
    }
    await transfer
    const duringMs = performance.now() - t2
    await waitUntil(() => samples.length >= Math.min(sentAt.size, cfg.fileChatSamples), 'chat deliveries', 10_000).catch(() => {})
    rows.push({ what: 'chat between the same two peers during a transfer', bytes: size, ms: duringMs, mbps: rate(size, duringMs), p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99), chatSamples: samples.length })

    log('files: one seeder, three downloaders at once')
    const swarm = cfg.swarmBytes
    const src2 = join(root, 'swarm.bin')
    await makeFile(src2, swarm)
    const shared = await seeder.sendFile('bench', src2)
    const three: Engine[] = []
    for (const n of ['d1', 'd2', 'd3']) {
      const e = await start(n)
      await link(seeder, e)
      await fileMessage(e, shared.id)
      three.push(e)
    }
    const t3 = performance.now()
    await Promise.all(three.map((e) => e.download(shared.id)))
    const fanMs = performance.now() - t3
    rows.push({ what: 'one seeder, three downloaders at once (total)', bytes: 3 * swarm, ms: fanMs, mbps: rate(3 * swarm, fanMs) })

    log('files: three seeders, one downloader')
    const last = await start('last')
    for (const s of [seeder, three[0]!, three[1]!]) await link(s, last)
    await fileMessage(last, shared.id)
    const t4 = performance.now()
    await last.download(shared.id)
    const inMs = performance.now() - t4
    rows.push({ what: 'three seeders, one downloader', bytes: swarm, ms: inMs, mbps: rate(swarm, inMs) })

    log('files: the same two peers as two processes')
    await Promise.all(engines.splice(0).map(async (e) => { await e.stop() }))
    // The floor again, next to the rows it is compared with: on a shared machine it moved 2.5x between runs of this section.
    const plainAgain = await plainRawCopy(src, join(root, 'raw-copy.bin'))
    rows.push(rawRow('raw TCP copy again, before the two-process rows (plain process; median of 3)', size, plainAgain))
    rows.push(...await twoProcessRows(cfg, root, src, size, plainAgain.ms))
    log('files: two hosts on a 1 Gbit/s link')
    rows.push(...await lanLinkRows(cfg, root, src, size, '1gbit', '1 Gbit/s'))
    // A slower link (an old switch, Wi-Fi), where the wire, not the CPU, is what a chat frame waits behind.
    log('files: two hosts on a 100 Mbit/s link')
    const slow = join(root, 'slow.bin')
    await makeFile(slow, cfg.slowLinkBytes)
    rows.push(...await lanLinkRows(cfg, root, slow, cfg.slowLinkBytes, '100mbit', '100 Mbit/s'))
  } catch (err) {
    log(`files failed: ${(err as Error).stack ?? String(err)}`)
    rows.push({ what: 'files', bytes: cfg.fileBytes, na: `failed: ${(err as Error).message}`.slice(0, 160) })
  } finally {
    await Promise.all(engines.map((e) => e.stop()))
    rmSync(root, { recursive: true, force: true })
  }
  return rows
}
