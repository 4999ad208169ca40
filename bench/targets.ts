/** The issue's targets, checked against the rows of the same run. */
import type { Results, TargetRow } from './lib/report.js'

function fmt (n: number, digits = 3): string {
  return n.toFixed(digits)
}

export function checkTargets (res: Omit<Results, 'targets'>): TargetRow[] {
  const rows: TargetRow[] = []
  const one = (system: string, bytes: number): Results['oneToOne'][number] | undefined =>
    res.oneToOne.find((r) => r.system === system && r.bytes === bytes && r.na == null)

  for (const bytes of new Set(res.oneToOne.map((r) => r.bytes))) {
    const raw = one('raw-tcp', bytes)
    const p2p = one('lanchat-p2p', bytes)
    const gs = one('gossipsub', bytes)
    const label = bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`
    if (raw?.msgsPerSec != null && p2p?.msgsPerSec != null) {
      const r = p2p.msgsPerSec / raw.msgsPerSec
      rows.push({ target: `P2P throughput ≥ 50% of raw TCP (${label})`, measured: `${(r * 100).toFixed(1)}%`, met: r >= 0.5 })
    } else rows.push({ target: `P2P throughput ≥ 50% of raw TCP (${label})`, measured: 'n/a', met: null })
    if (p2p?.p50Ms != null) {
      const below = gs?.p50Ms != null ? p2p.p50Ms < gs.p50Ms : null
      rows.push({
        target: `P2P p50 latency ≤ 0.3 ms and below gossipsub's (${label})`,
        measured: `${fmt(p2p.p50Ms)} ms vs gossipsub ${gs?.p50Ms != null ? fmt(gs.p50Ms) : 'n/a'} ms`,
        met: p2p.p50Ms <= 0.3 && below !== false
      })
    } else rows.push({ target: `P2P p50 latency ≤ 0.3 ms and below gossipsub's (${label})`, measured: 'n/a', met: null })
  }

  rows.push(...classroomTargets(res))

  const cu = res.catchup.find((r) => r.system === 'lanchat-p2p' && r.k === 100_000 && r.na == null)
  rows.push(cu?.ms != null
    ? { target: 'catch-up of 100k < 1.5 s', measured: `${(cu.ms / 1000).toFixed(2)} s`, met: cu.ms < 1500 }
    : { target: 'catch-up of 100k < 1.5 s', measured: 'n/a', met: null })

  // Catch-up against the floor of the same run: libp2p alone moving the same bytes in the same batches.
  const floor = res.catchup.find((r) => r.system === 'libp2p-floor' && r.k === cu?.k && r.na == null)
  rows.push(cu?.ms != null && floor?.ms != null
    ? { target: 'catch-up streaming ≥ 50% of the libp2p floor (same K, bytes, batches)', measured: `${(floor.ms / cu.ms * 100).toFixed(1)}% (${(cu.k / cu.ms * 1000).toFixed(0)} against ${(floor.k / floor.ms * 1000).toFixed(0)} msg/s)`, met: floor.ms / cu.ms >= 0.5 }
    : { target: 'catch-up streaming ≥ 50% of the libp2p floor (same K, bytes, batches)', measured: 'n/a', met: null })

  // Start an engine on a directory and show the newest page.
  for (const [n, label, limitMs, limitMB] of [[100_000, '100k', 300, 150], [1_000_000, '1M', 1000, 200]] as const) {
    const target = `open a ${label}-message directory, newest page < ${limitMs >= 1000 ? `${limitMs / 1000} s` : `${limitMs} ms`}, RSS < ${limitMB} MB`
    const h = res.history.find((r) => r.system === 'lanchat-p2p' && r.messages === n && r.na == null)
    rows.push(h?.ms != null && h.rssMB != null
      ? { target, measured: `${Math.round(h.ms)} ms, ${Math.round(h.rssMB)} MB`, met: h.ms < limitMs && h.rssMB < limitMB }
      : { target, measured: 'n/a', met: null })
  }
  const search = res.search.find((r) => r.messages === 1_000_000 && r.na == null && r.what === undefined)
  rows.push(search?.p50Ms != null
    ? { target: 'full-text search over 1M p50 < 50 ms', measured: `${search.p50Ms.toFixed(1)} ms (p99 ${search.p99Ms?.toFixed(1) ?? 'n/a'} ms, ${search.queries} queries)`, met: search.p50Ms < 50 }
    : { target: 'full-text search over 1M p50 < 50 ms', measured: 'n/a', met: null })
  // Peers are processes of their own (on a LAN, computers of their own): the two-process row, then both ends in one process.
  for (const [setup, pick] of [
    ['two processes', (r: Results['files'][number]) => r.what.startsWith('two processes: LAN Chat')],
    ['two hosts on a 1 Gbit/s link, a core each', (r: Results['files'][number]) => r.what.startsWith('two hosts on a 1 Gbit/s link: LAN Chat')],
    ['two hosts on a 100 Mbit/s link, a core each', (r: Results['files'][number]) => r.what.startsWith('two hosts on a 100 Mbit/s link: LAN Chat')],
    ['one process', (r: Results['files'][number]) => r.what === 'LAN Chat, one sender, one receiver']
  ] as const) {
    const target = `file transfer ≥ 50% of a raw TCP copy (${setup})`
    const file = res.files.find((r) => r.vsRaw != null && pick(r))
    // The same stack with no file protocol on it, in the same run: how much of the gap is the stack's.
    const stack = setup === 'two processes' ? res.files.find((r) => r.vsRaw != null && r.what.startsWith('two processes: the network stack alone')) : undefined
    const alone = stack?.vsRaw != null ? `; the network stack alone: ${(stack.vsRaw * 100).toFixed(0)}%` : ''
    rows.push(file?.vsRaw != null
      ? { target, measured: `${(file.vsRaw * 100).toFixed(0)}% (${file.mbps?.toFixed(0)} MiB/s, ${(file.bytes / 2 ** 20).toFixed(0)} MiB${alone})`, met: file.vsRaw >= 0.5 }
      : { target, measured: 'n/a', met: null })
  }
  for (const [setup, what] of [
    ['two processes, engine to engine in whole ms', 'two processes: chat during a transfer (engine to engine, whole ms)'],
    ['two hosts on a 1 Gbit/s link, engine to engine in whole ms', 'two hosts on a 1 Gbit/s link: chat during a transfer (engine to engine, whole ms)'],
    ['two hosts on a 100 Mbit/s link, engine to engine in whole ms', 'two hosts on a 100 Mbit/s link: chat during a transfer (engine to engine, whole ms)'],
    ['one process', 'chat between the same two peers during a transfer']
  ] as const) {
    const target = `chat p99 ≤ 5 ms during a transfer (${setup})`
    const chat = res.files.find((r) => r.p99Ms != null && r.what === what)
    rows.push(chat?.p99Ms != null
      ? { target, measured: `${chat.p99Ms.toFixed(2)} ms${chat.chatSamples != null ? ` over ${chat.chatSamples} messages` : ''}`, met: chat.p99Ms <= 5 }
      : { target, measured: 'n/a', met: null })
  }
  return rows
}

/** Issue 15's targets for a classroom (bench/mesh.ts), P2P rows. */
function classroomTargets (res: Omit<Results, 'targets'>): TargetRow[] {
  const p2p = (n: number): Results['mesh'][number] | undefined => res.mesh.find((r) => r.system === 'lanchat-p2p' && r.n === n && r.na == null)
  const row = (target: string, value: number | undefined, show: (v: number) => string, met: (v: number) => boolean): TargetRow =>
    value == null ? { target, measured: 'n/a', met: null } : { target, measured: show(value), met: met(value) }
  const n100 = p2p(100)
  const n30 = p2p(30)
  const oneToOne = res.oneToOne.find((r) => r.system === 'lanchat-p2p' && r.bytes === 100 && r.na == null)
  const idle = res.mesh.filter((r) => r.system === 'lanchat-p2p' && r.na == null && r.idleBytesPerPeerPerS != null)
  const worstIdle = idle.length > 0 ? Math.max(...idle.map((r) => r.idleBytesPerPeerPerS!)) : undefined
  return [
    row('N = 100: envelopes per message ≤ 10·N (1,000)', n100?.envelopesPerMsg, (v) => v.toFixed(0), (v) => v <= 1000),
    row('N = 100: all delivered p50 ≤ 50 ms', n100?.p50Ms, (v) => `${fmt(v, 1)} ms`, (v) => v <= 50),
    row('N = 100: all delivered p99 ≤ 250 ms', n100?.p99Ms, (v) => `${fmt(v, 1)} ms`, (v) => v <= 250),
    row('N = 30: all delivered p99 ≤ 60 ms', n30?.p99Ms, (v) => `${fmt(v, 1)} ms`, (v) => v <= 60),
    row(`idle per peer ≤ 2 KB/s (${(idle[0]?.authors ?? 0).toLocaleString('en-US')} authors in history, worst N)`, worstIdle, (v) => `${v.toFixed(0)} B/s`, (v) => v <= 2000),
    row('N = 100: connections per peer ≤ 20', n100?.connectionsMax, (v) => `max ${v}`, (v) => v <= 20),
    row('live one-to-one ≥ 10,000 msg/s (100 B)', oneToOne?.msgsPerSec, (v) => `${v.toFixed(0)} msg/s`, (v) => v >= 10_000)
  ]
}
