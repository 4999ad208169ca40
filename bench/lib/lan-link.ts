/**
 * Two hosts on one machine, joined as by an Ethernet cable: two Linux
 * network namespaces, a veth pair between them shaped to a rate each way
 * (1 Gbit/s, or 100 Mbit/s as an old switch or a good Wi-Fi gives; tc's
 * token bucket, with a queue of at most 2 ms at that rate, as a NIC's),
 * and each host's processes held to a core of their own
 * (taskset). What loopback on a shared 2-core machine cannot show: each end
 * with its own CPU, and a wire that sets the pace.
 *
 * Needs root, iproute2 (`ip`, `tc`) and taskset; `shapedLink()` says why
 * not when any is missing, and the files section leaves these rows out.
 *
 *   const link = shapedLink('1gbit')   // tc's rate syntax; a Link, or why not
 *   spawn(...link.a.wrap(['node', 'server.js']))   // (a list: command first)
 *   link.close()
 */
import { spawnSync } from 'node:child_process'
import { cpus } from 'node:os'

export interface Host {
  /** The host's address on the link. */
  ip: string
  /** `cmd` run inside this host: its namespace, its core. */
  wrap: (cmd: string[]) => string[]
}

export interface Link { a: Host, b: Host, rate: string, close: () => void }

function run (args: string[]): string | undefined {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' })
  if (r.error !== undefined) return r.error.message
  return r.status === 0 ? undefined : `${args.join(' ')}: ${r.stderr.trim() || `exit ${r.status}`}`
}

/** The link, or why it cannot be made here. */
export function shapedLink (rate: string): Link | string {
  if (process.platform !== 'linux') return 'needs Linux network namespaces'
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)'
  if (cpus().length < 2) return 'needs two cores, one a host'
  const tag = `lcb${process.pid % 100_000}`
  const [nsA, nsB, ifA, ifB] = [`${tag}a`, `${tag}b`, `${tag}x`, `${tag}y`]
  const close = (): void => { for (const ns of [nsA, nsB]) run(['ip', 'netns', 'del', ns]) }
  const steps = [
    ['ip', 'netns', 'add', nsA],
    ['ip', 'netns', 'add', nsB],
    ['ip', 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB],
    ['ip', 'link', 'set', ifA, 'netns', nsA],
    ['ip', 'link', 'set', ifB, 'netns', nsB],
    ['ip', '-n', nsA, 'addr', 'add', '10.231.0.1/24', 'dev', ifA],
    ['ip', '-n', nsB, 'addr', 'add', '10.231.0.2/24', 'dev', ifB],
    ['ip', '-n', nsA, 'link', 'set', ifA, 'up'],
    ['ip', '-n', nsB, 'link', 'set', ifB, 'up'],
    ['ip', '-n', nsA, 'link', 'set', 'lo', 'up'],
    ['ip', '-n', nsB, 'link', 'set', 'lo', 'up'],
    // `rate` out of each end; a 2 ms queue at that rate (250 kB at 1 Gbit/s) before tc drops, as a NIC's ring would.
    ['ip', 'netns', 'exec', nsA, 'tc', 'qdisc', 'add', 'dev', ifA, 'root', 'tbf', 'rate', rate, 'burst', '64kb', 'latency', '2ms'],
    ['ip', 'netns', 'exec', nsB, 'tc', 'qdisc', 'add', 'dev', ifB, 'root', 'tbf', 'rate', rate, 'burst', '64kb', 'latency', '2ms']
  ]
  for (const s of steps) {
    const why = run(s)
    if (why !== undefined) { close(); return why }
  }
  const host = (ns: string, ip: string, cpu: number): Host => ({ ip, wrap: (cmd) => ['ip', 'netns', 'exec', ns, 'taskset', '-c', String(cpu), ...cmd] })
  const why = run(host(nsA, '', 0).wrap(['true']))
  if (why !== undefined) { close(); return why }
  process.once('exit', close)
  return { a: host(nsA, '10.231.0.1', 0), b: host(nsB, '10.231.0.2', 1), rate, close }
}
