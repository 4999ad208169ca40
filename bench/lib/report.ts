/**
 * The results of one run: their shape (also the JSON written to bench/results/)
 * and their rendering as Markdown tables, printed as they are and pasted into
 * BENCHMARKS.md. A row that could not be measured carries `na` with the reason,
 * so the table always has every slot and says why one is empty.
 */
import type { FloorRow } from './floor.js'
import type { MachineInfo } from './machine.js'

export type SystemId = 'raw-tcp' | 'gossipsub' | 'lanchat-p2p' | 'lanchat-cs' | 'libp2p-floor'

export const SYSTEM_LABEL: Record<SystemId, string> = {
  'raw-tcp': '(a) raw TCP, JSON lines',
  gossipsub: '(b) gossipsub',
  'lanchat-p2p': '(c) LAN Chat P2P',
  'lanchat-cs': '(d) LAN Chat client-server',
  'libp2p-floor': '(e) libp2p alone: tcp + Noise + yamux, same bytes and batches'
}

/** `lost`: deliveries that never came (counted, never hidden in the rates). */
export interface OneToOneRow { system: SystemId, bytes: number, msgsPerSec?: number, p50Ms?: number, p99Ms?: number, messages?: number, lost?: number, na?: string }
/**
 * A classroom of N (bench/mesh.ts): links per peer, what a message costs and
 * how long until all others have it, and the idle cost with `authors` in history.
 */
export interface MeshRow {
  system: 'lanchat-p2p' | 'lanchat-cs'
  n: number
  authors: number
  connectionsAvg?: number
  connectionsMax?: number
  envelopesPerMsg?: number
  bytesPerMsg?: number
  p50Ms?: number
  p99Ms?: number
  cpuMsPerMsg?: number
  idleBytesPerPeerPerS?: number
  idleCpuPct?: number
  lost?: number
  na?: string
}
export interface CatchupRow { system: SystemId, k: number, history: number, ms?: number, bytes?: number, na?: string }
export interface HistoryRow { system: SystemId, messages: number, ms?: number, rssMB?: number, na?: string }
export interface RenderRow { what: string, firstPaintMs?: number, frameP50Ms?: number, frameP99Ms?: number, na?: string }
/** A row of the files section: a transfer (or sharing) of `bytes`, and chat latency during one. */
export interface FileRow { what: string, bytes: number, ms?: number, mbps?: number, vsRaw?: number, rssGrowthMB?: number, p50Ms?: number, p99Ms?: number, chatSamples?: number, na?: string }
/** `what`: the kind of query, where it is not the usual words (a row of its own). */
export interface SearchRow { system: SystemId, what?: string, messages: number, queries: number, p50Ms?: number, p99Ms?: number, hits?: number, na?: string }
/** Search over a direct conversation (sealed on disk, opened in memory) next to a public room's index, one run. */
export interface SealedSearchRow { what: string, messages: number, queries: number, p50Ms?: number, p99Ms?: number, na?: string }
/** What a delete of a file's message costs a node that holds the file: searching the stored messages for others that share it. */
export interface FileDeleteRow { how?: string, messages: number, runs: number, p50Ms?: number, maxMs?: number, na?: string }
/** Opening with XChaCha20-Poly1305: libsodium (in use) next to @noble/ciphers (the fallback), same inputs, one run. */
export interface AeadRow { what: string, bytes: number, ops: number, sodiumUs?: number, nobleUs?: number, na?: string }
export interface TargetRow { target: string, measured: string, met: boolean | null }

export interface Results {
  startedAt: string
  mode: 'full' | 'smoke'
  durationS: number
  machine: MachineInfo
  oneToOne: OneToOneRow[]
  /** The per-message floor of the same run (lib/floor.ts), when the one-to-one section ran. */
  floor?: FloorRow
  mesh: MeshRow[]
  catchup: CatchupRow[]
  history: HistoryRow[]
  search: SearchRow[]
  /** Absent in results written before this section existed. */
  sealedSearch?: SealedSearchRow[]
  /** Absent in results written before this section existed. */
  aead?: AeadRow[]
  /** Absent in results written before this section existed. */
  fileDelete?: FileDeleteRow[]
  render: RenderRow[]
  files: FileRow[]
  targets: TargetRow[]
}

const NA = 'n/a'

function int (n: number | undefined): string {
  return n == null || Number.isNaN(n) ? NA : Math.round(n).toLocaleString('en-US')
}

function ms (n: number | undefined): string {
  if (n == null || Number.isNaN(n)) return NA
  return n < 1 ? n.toFixed(3) : n < 100 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')
}

function us (n: number | undefined): string {
  return n == null || Number.isNaN(n) ? NA : n < 10 ? n.toFixed(2) : n.toFixed(0)
}

function ratio (value: number | undefined, base: number | undefined): string {
  if (value == null || base == null || base === 0 || Number.isNaN(value)) return NA
  const r = value / base
  return `${r < 0.1 ? r.toPrecision(2) : r < 10 ? r.toFixed(2) : Math.round(r).toString()}×`
}

function size (bytes: number): string {
  return bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`
}

function bytesText (n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(n % 2 ** 30 === 0 ? 0 : 2)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(0)} MiB` : size(n)
}

/** A Markdown pipe table, columns padded so it also reads well in a terminal. */
export function markdownTable (headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string => '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |'
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n')
}

/** Row text for an unmeasured slot: the reason in the first value column, the rest blank. */
function naCells (reason: string, columns: number): string[] {
  return [`${NA} (${reason})`, ...Array<string>(columns - 1).fill('')]
}

export function renderResults (res: Results): string {
  const out: string[] = []
  const m = res.machine
  out.push(`Run ${res.startedAt} (${res.mode}, ${res.durationS.toFixed(0)} s) on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}, load ${m.loadavg.join(' ')}`)

  out.push('', '### One-to-one (one sender, one receiver)', '')
  const base = (bytes: number): OneToOneRow | undefined => res.oneToOne.find((r) => r.system === 'raw-tcp' && r.bytes === bytes && r.na == null)
  out.push(markdownTable(
    ['system', 'size', 'msg/s', 'vs (a)', 'p50 ms', 'vs (a)', 'p99 ms', 'vs (a)', 'lost'],
    res.oneToOne.map((r) => {
      const b = base(r.bytes)
      return [SYSTEM_LABEL[r.system], size(r.bytes), ...(r.na != null
        ? naCells(r.na, 7)
        : [int(r.msgsPerSec), ratio(r.msgsPerSec, b?.msgsPerSec), ms(r.p50Ms), ratio(r.p50Ms, b?.p50Ms), ms(r.p99Ms), ratio(r.p99Ms, b?.p99Ms), int(r.lost)])]
    })
  ))

  if (res.floor != null) {
    const f = res.floor
    out.push('', `What a message's unavoidable steps cost in this run (lib/floor.ts): an Ed25519 signature ${f.signUs.toFixed(0)} µs and its check ${f.verifyUs.toFixed(0)} µs (once per run of messages sent in one tick), one SQLite row ${f.rowUs.toFixed(0)} µs (twice per P2P message: author and receiver); the rows alone cap one thread at ${int(1e6 / (2 * f.rowUs))} msg/s, a run of one message at ${int(f.messagesPerS)}.`)
  }

  out.push('', '### A classroom of N (every peer hears of every other; 5 messages/s in all, from random peers; then idle)', '')
  out.push(markdownTable(
    ['system', 'N', 'links/peer avg', 'max', 'envelopes/msg', 'wire bytes/msg', 'all delivered p50 ms', 'p99 ms', 'CPU ms/msg (all peers)', 'authors in history', 'idle bytes/s per peer', 'idle CPU %', 'lost'],
    res.mesh.map((r) => [SYSTEM_LABEL[r.system], String(r.n), ...(r.na != null
      ? naCells(r.na, 11)
      : [r.connectionsAvg != null ? r.connectionsAvg.toFixed(1) : NA, int(r.connectionsMax), int(r.envelopesPerMsg), int(r.bytesPerMsg), ms(r.p50Ms), ms(r.p99Ms), ms(r.cpuMsPerMsg), int(r.authors), int(r.idleBytesPerPeerPerS), r.idleCpuPct != null ? r.idleCpuPct.toFixed(1) : NA, int(r.lost)])])
  ))

  out.push('', '### Catch-up (a peer missed K messages of a history)', '')
  out.push(markdownTable(
    ['system', 'K missed', 'history', 'time ms', 'wire bytes', 'bytes/missed msg'],
    res.catchup.map((r) => [SYSTEM_LABEL[r.system], int(r.k), int(r.history), ...(r.na != null
      ? naCells(r.na, 3)
      : [ms(r.ms), int(r.bytes), int(r.bytes != null ? r.bytes / r.k : undefined)])])
  ))

  out.push('', '### History load from disk (start an engine on the directory, show the newest page)', '')
  out.push(markdownTable(
    ['system', 'messages', 'time ms', 'RSS MB'],
    res.history.map((r) => [SYSTEM_LABEL[r.system], int(r.messages), ...(r.na != null ? naCells(r.na, 2) : [ms(r.ms), int(r.rssMB)])])
  ))

  out.push('', '### Full-text search (20 newest hits, any room)', '')
  out.push(markdownTable(
    ['system', 'messages', 'queries', 'p50 ms', 'p99 ms'],
    res.search.map((r) => [r.what === undefined ? SYSTEM_LABEL[r.system] : `${SYSTEM_LABEL[r.system]}: ${r.what}`, int(r.messages), int(r.queries), ...(r.na != null ? naCells(r.na, 2) : [ms(r.p50Ms), ms(r.p99Ms)])])
  ))

  if ((res.fileDelete ?? []).length > 0) {
    out.push('', '### A file\'s message deleted: a holder looks for other messages sharing the bytes', '')
    out.push(markdownTable(
      ['found by', 'messages', 'runs', 'p50 ms', 'max ms'],
      res.fileDelete!.map((r) => [r.how ?? 'a scan of the stored bodies', int(r.messages), int(r.runs), ...(r.na != null ? naCells(r.na, 2) : [ms(r.p50Ms), ms(r.maxMs)])])
    ))
  }

  if ((res.sealedSearch ?? []).length > 0) {
    out.push('', '### Searching direct messages (sealed on disk, opened in memory) next to a public room (20 newest hits)', '')
    out.push(markdownTable(
      ['what', 'messages', 'queries', 'p50 ms', 'p99 ms'],
      res.sealedSearch!.map((r) => [r.what, int(r.messages), int(r.queries), ...(r.na != null ? naCells(r.na, 2) : [ms(r.p50Ms), ms(r.p99Ms)])])
    ))
  }

  if ((res.aead ?? []).length > 0) {
    out.push('', '### XChaCha20-Poly1305, opening: libsodium (in use) next to @noble/ciphers (the fallback), same bytes', '')
    out.push(markdownTable(
      ['what', 'times', 'libsodium µs', '@noble/ciphers µs', 'noble / libsodium'],
      res.aead!.map((r) => [r.what, int(r.ops), ...(r.na != null ? naCells(r.na, 3) : [us(r.sodiumUs), us(r.nobleUs), ratio(r.nobleUs, r.sodiumUs)])])
    ))
  }

  out.push('', '### Rendering in Chromium', '')
  out.push(markdownTable(
    ['what', 'first paint ms', 'scroll frame p50 ms', 'p99 ms'],
    res.render.map((r) => [r.what, ...(r.na != null ? naCells(r.na, 3) : [ms(r.firstPaintMs), ms(r.frameP50Ms), ms(r.frameP99Ms)])])
  ))

  out.push('', '### Files (loopback; LAN Chat: Noise, yamux, every chunk verified)', '')
  out.push(markdownTable(
    ['what', 'size', 'time ms', 'MiB/s', 'vs raw TCP', 'RSS growth MiB', 'chat p50 ms', 'chat p99 ms'],
    res.files.map((r) => [r.what, bytesText(r.bytes), ...(r.na != null
      ? naCells(r.na, 6)
      : [ms(r.ms), r.mbps != null ? r.mbps.toFixed(0) : NA, r.vsRaw != null ? `${(r.vsRaw * 100).toFixed(0)}%` : '', r.rssGrowthMB != null ? r.rssGrowthMB.toFixed(0) : '', r.p50Ms != null ? ms(r.p50Ms) : '', r.p99Ms != null ? ms(r.p99Ms) : ''])])
  ))

  out.push('', '### Targets (issues #6, #14 and #17)', '')
  out.push(markdownTable(
    ['target', 'measured', 'met'],
    res.targets.map((t) => [t.target, t.measured, t.met == null ? NA : t.met ? 'yes' : 'NO'])
  ))
  return out.join('\n')
}
