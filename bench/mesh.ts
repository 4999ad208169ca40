/**
 * The classroom rows: N peers on one LAN, as the app really builds them.
 *
 * P2P: N engines in this process, each hearing of every other through an
 * in-process discovery module (test/helpers/directory.ts: libp2p's own
 * peer:discovery path, as mDNS feeds it), so the overlay (main/net/overlay.ts)
 * picks its links as it would on a LAN. Client–server: one hub and N
 * clients. Both: default rate limits and sync interval.
 *
 * Measured, side by side: connections per peer; for messages from random
 * peers at 5 a second in all, envelopes and bytes on the wire per message
 * (every TCP byte in the process, Noise and yamux included, and the
 * digests, receipts and presence that go with them), the time until all N−1
 * others delivered each one (p50/p99), CPU per message (every peer in this
 * process together); then, idle, bytes a second per peer and CPU — with
 * `authors` authors in every peer's history, copied into each data directory
 * before it starts.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Engine } from '../main/chat/index.js'
import type { HubServer } from '../main/server/index.js'
import { DB_FILE } from '../main/store/db.js'
import { RELAY_TICK_MS, summaryDelay } from '../main/chat/delivery-summary.js'
import { LanDirectory } from '../test/helpers/directory.js'
import type { BenchConfig } from './config.js'
import type { MeshRow } from './lib/report.js'
import { median, percentile, sleep } from './lib/stats.js'
import { bytesWritten, pruneClosed } from './lib/wire.js'
import { writeDirectory } from './million.js'
import { ROOM, startEngine, tempRoot } from './systems/lanchat.js'
import { startClient, startHub } from './systems/lanchat-cs.js'

/** What one arrangement of N peers offers the measuring loop. */
interface Room {
  system: MeshRow['system']
  /** The chatting peers (P2P: every engine; C–S: the clients). */
  peers: Engine[]
  /** Envelopes every node put on the wire so far (the hub's included). */
  envelopes: () => number
  /** Connections per chatting peer. */
  connections: () => number[]
  close: () => Promise<void>
}

function rng (seed: number): () => number {
  let x = seed
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 2 ** 32 }
}

async function until (check: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** A data directory that already holds the history (the template's database). */
function seeded (dir: string, template: string | undefined): string {
  mkdirSync(dir, { recursive: true })
  if (template !== undefined) copyFileSync(join(template, DB_FILE), join(dir, DB_FILE))
  return dir
}

async function p2pRoom (n: number, root: string, template: string | undefined, quietMs: number): Promise<Room> {
  const lan = new LanDirectory()
  const peers: Engine[] = []
  // The overlay dials as peers appear: measure the mesh once it has settled (no new link for `quiet` ms), as a class sees it.
  const settled = async (quiet: number): Promise<void> => {
    let lastChange = performance.now()
    let links = -1
    await until(() => {
      const now = peers.reduce((k, p) => k + p.peers().filter(v => v.connected).length, 0)
      if (now !== links) { links = now; lastChange = performance.now() }
      return performance.now() - lastChange > quiet
    }, 'the overlay to settle', 120_000)
  }
  // A class arrives ten at a time, each ten once the others have linked up (a hundred handshakes at
  // once on the one event loop all these engines share would time out, which a LAN of 100 computers would not).
  for (let i = 0; i < n; i += 10) {
    peers.push(...await Promise.all(Array.from({ length: Math.min(10, n - i) }, async (_, k) =>
      await startEngine(seeded(join(root, `p${i + k}`), template), { name: `p${i + k}`, peerDiscovery: [lan.discovery()] }))))
    await until(() => peers.every(p => p.peers().some(v => v.connected)) || peers.length === 1, 'every peer linked', 60_000)
    await settled(quietMs)
  }
  await settled(2 * quietMs)
  return {
    system: 'lanchat-p2p',
    peers,
    envelopes: () => peers.reduce((sum, p) => sum + p.stats().wire.envelopes, 0),
    connections: () => peers.map(p => p.peers().reduce((k, v) => k + v.connections.length, 0)),
    close: async () => { await Promise.all(peers.map(async p => { await p.stop() })) }
  }
}

async function csRoom (n: number, root: string, template: string | undefined, _quietMs: number): Promise<Room> {
  const hub: HubServer = await startHub(join(root, 'hub'))
  const peers: Engine[] = []
  for (let i = 0; i < n; i += 10) {
    peers.push(...await Promise.all(Array.from({ length: Math.min(10, n - i) }, async (_, k) =>
      await startClient(seeded(join(root, `c${i + k}`), template), hub, `c${i + k}`))))
  }
  return {
    system: 'lanchat-cs',
    peers,
    envelopes: () => hub.stats().wire.envelopes + peers.reduce((sum, p) => sum + p.stats().wire.envelopes, 0),
    connections: () => peers.map(p => p.peers().reduce((k, v) => k + v.connections.length, 0)),
    close: async () => {
      await Promise.all(peers.map(async p => { await p.stop() }))
      await hub.stop()
    }
  }
}

async function measure (room: Room, messages: number, cfg: BenchConfig, log: (l: string) => void): Promise<MeshRow> {
  const { meshIdleSeconds: idleS, meshAuthors: authors } = cfg
  const n = room.peers.length
  const sentAt = new Map<string, { at: number, author: string, got: number, doneMs?: number }>()
  const byText = new Map<string, string>()
  let linkUps = 0
  let linkDowns = 0
  const offs = room.peers.map(p => p.on(e => {
    if (e.type === 'peer:connect') linkUps++
    if (e.type === 'peer:disconnect') linkDowns++
    if (e.type !== 'message' || e.room !== ROOM || e.author === p.peerId) return
    const id = byText.get(e.text)
    const m = id !== undefined ? sentAt.get(id) : undefined
    if (m === undefined) return
    if (++m.got === n - 1) m.doneMs = performance.now() - m.at
  }))
  // One message first, not measured: the links are up and every peer has been reached once.
  const warm = await room.peers[0]!.send(ROOM, 'warm-up')
  sentAt.set(warm.id, { at: performance.now(), author: room.peers[0]!.peerId, got: 0 })
  byText.set('warm-up', warm.id)
  await until(() => sentAt.get(warm.id)!.doneMs !== undefined, 'the warm-up message everywhere', 60_000)
  log(`  ${room.system} N=${n}: warm-up everywhere in ${sentAt.get(warm.id)!.doneMs!.toFixed(0)} ms; ${messages} messages`)
  await sleep(cfg.meshQuietMs)
  sentAt.clear()

  const random = rng(n * 7919)
  const env0 = room.envelopes()
  const bytes0 = bytesWritten()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < messages; i++) {
    const sender = room.peers[Math.floor(random() * n)]!
    const text = `m${i} from ${sender.name}`
    const at = performance.now()
    const sent = await sender.send(ROOM, text)
    byText.set(text, sent.id)
    sentAt.set(sent.id, { at, author: sender.peerId, got: 0 })
    await sleep(Math.max(0, 200 - (performance.now() - at)))
  }
  try {
    await until(() => [...sentAt.values()].every(m => m.doneMs !== undefined), 'every message everywhere', 30_000)
  } catch { /* counted as lost below */ }
  // Receipts and relays of the last messages settle before the costs are read: they are the messages'
  // cost, not idle traffic. In P2P the last delivery summaries go out up to summaryDelay(N) after the last
  // delivery and take a relay tick or two to cross the mesh.
  if (cfg.meshSummaryWait) await sleep(room.system === 'lanchat-p2p' ? summaryDelay(n) + 2 * RELAY_TICK_MS : 1_000)
  const cpu = process.cpuUsage(cpu0)
  const envelopes = room.envelopes() - env0
  const bytes = bytesWritten() - bytes0
  const times = [...sentAt.values()].flatMap(m => m.doneMs !== undefined ? [m.doneMs] : [])
  const lost = messages - times.length
  log(`  ${room.system} N=${n}: ${linkUps} links up and ${linkDowns} down while measuring; p50 ${median(times).toFixed(0)} ms, p99 ${percentile(times, 0.99).toFixed(0)} ms`)
  for (const off of offs) off()

  log(`  ${room.system} N=${n}: idle for ${idleS} s`)
  const idleBytes0 = bytesWritten()
  const idleCpu0 = process.cpuUsage()
  const t0 = performance.now()
  await sleep(idleS * 1000)
  const idleMs = performance.now() - t0
  const idleCpu = process.cpuUsage(idleCpu0)
  const idleBytes = bytesWritten() - idleBytes0
  const links = room.connections()
  return {
    system: room.system,
    n,
    authors,
    connectionsAvg: links.reduce((a, b) => a + b, 0) / n,
    connectionsMax: Math.max(...links),
    envelopesPerMsg: envelopes / messages,
    bytesPerMsg: bytes / messages,
    p50Ms: median(times),
    p99Ms: percentile(times, 0.99),
    cpuMsPerMsg: (cpu.user + cpu.system) / 1000 / messages,
    idleBytesPerPeerPerS: idleBytes / n / (idleMs / 1000),
    idleCpuPct: (idleCpu.user + idleCpu.system) / 1000 / idleMs * 100,
    lost
  }
}

/** `only`: the systems to run (`lanchat-p2p`, `lanchat-cs`), both by default. */
export async function meshSection (cfg: BenchConfig, log: (l: string) => void, only?: string[]): Promise<MeshRow[]> {
  const rows: MeshRow[] = []
  const root = tempRoot('mesh')
  try {
    const template = join(root, 'template')
    log(`writing a history of ${cfg.meshAuthors.toLocaleString('en-US')} authors for every peer`)
    await writeDirectory(template, cfg.meshAuthors, log, cfg.meshAuthors)
    for (const n of cfg.meshNs) {
      for (const make of [p2pRoom, csRoom]) {
        const dir = join(root, `${make.name}-${n}`)
        const system = make === p2pRoom ? 'lanchat-p2p' : 'lanchat-cs'
        if (only !== undefined && !only.includes(system)) continue
        log(`${system} classroom N=${n}`)
        let room: Room | undefined
        try {
          const t0 = performance.now()
          room = await make(n, dir, template, cfg.meshQuietMs)
          log(`  ${system} N=${n}: ${n} peers up in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
          const messages = Math.max(cfg.meshMessages, 0)
          rows.push(await measure(room, messages, cfg, log))
        } catch (err) {
          log(`${system} N=${n} failed: ${(err as Error).message}`)
          rows.push({ system, n, authors: cfg.meshAuthors, na: `failed: ${(err as Error).message}`.slice(0, 160) })
        } finally {
          await room?.close()
          pruneClosed()
          rmSync(dir, { recursive: true, force: true })
        }
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
  return rows
}
