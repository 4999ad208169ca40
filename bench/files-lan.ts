/**
 * The files section's LAN rows: the sender and the receiver as two hosts
 * joined by a link of a given rate (lib/lan-link.ts: network namespaces, a
 * shaped veth pair, a core each), the raw copy between the same two hosts
 * next to them. On loopback both ends and the kernel share this machine's two cores
 * and the raw copy is as fast as memory; here each end has its own core and
 * the wire sets the raw copy's pace, as between two computers on a LAN.
 */
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { BenchConfig } from './config.js'
import { downloadAndChatRows, lanchat, rate } from './files-procs.js'
import { shapedLink, type Host } from './lib/lan-link.js'
import type { FileRow } from './lib/report.js'
import { percentile } from './lib/stats.js'

const script = join(import.meta.dirname, 'lib/raw-copy.ts')

/** One raw node:net copy of `src` from host `a` to `dst` on host `b`: the receiver's ms. */
async function rawAcross (a: Host, b: Host, src: string, dst: string): Promise<number> {
  const serveCmd = a.wrap([process.execPath, script, 'serve', src, a.ip])
  const server = spawn(serveCmd[0]!, serveCmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const port = (await createInterface({ input: server.stdout })[Symbol.asyncIterator]().next()).value as string | undefined
    if (port === undefined) throw new Error('the raw copy\'s sender printed no port')
    const fetchCmd = b.wrap([process.execPath, script, 'fetch', a.ip, port, dst])
    const fetcher = spawn(fetchCmd[0]!, fetchCmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
    const out = (await createInterface({ input: fetcher.stdout })[Symbol.asyncIterator]().next()).value as string | undefined
    const ms = Number(out)
    if (!Number.isFinite(ms)) throw new Error('the raw copy across the link failed')
    return ms
  } finally {
    server.kill()
    rmSync(dst, { force: true })
  }
}

/** `speed`: tc's rate ('1gbit', '100mbit'); the rows are named "two hosts on a `label` link: ...". */
export async function lanLinkRows (cfg: BenchConfig, dir: string, src: string, size: number, speed: string, label: string): Promise<FileRow[]> {
  const name = `two hosts on a ${label} link`
  const link = shapedLink(speed)
  if (typeof link === 'string') return [{ what: name, bytes: size, na: `not run: ${link}` }]
  const rows: FileRow[] = []
  try {
    const all: number[] = []
    for (let i = 0; i < cfg.fileReps; i++) all.push(await rawAcross(link.a, link.b, src, join(dir, 'lan-raw.bin')))
    const rawMs = percentile(all, 0.5)
    rows.push({ what: `${name}: raw TCP copy (median of ${all.length}: ${all.map((t) => rate(size, t).toFixed(0)).join(', ')} MiB/s)`, bytes: size, ms: rawMs, mbps: rate(size, rawMs) })

    const seeder = lanchat('l-seeder', join(dir, 'l-seeder'), join(dir, 'l-seeder-dl'), { host: link.a })
    const one = lanchat('l-one', join(dir, 'l-one'), join(dir, 'l-one-dl'), { host: link.b })
    const talk = lanchat('l-talk', join(dir, 'l-talk'), join(dir, 'l-talk-dl'), { host: link.b })
    try {
      rows.push(...await downloadAndChatRows(name, { seeder, one, talk }, cfg, src, size, rawMs, false))
    } finally {
      await Promise.all([seeder, one, talk].map(async (p) => { await p.quit() }))
    }
  } finally {
    link.close()
  }
  return rows
}
