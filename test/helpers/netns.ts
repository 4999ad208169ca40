import { spawnSync } from 'node:child_process'

/**
 * A network namespace with only a loopback interface, multicast on, so mDNS
 * between processes on this host stays inside it and never reaches a real LAN.
 * Needs root and iproute2 (CI and the dev machines run as root).
 */
export function canIsolate (): boolean {
  return process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0
}

/** Runs iproute2's `ip` with `args`; throws what it said when it fails. */
export function ip (...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`)
}

export function isolatedNetwork (tag: string): { name: string, remove: () => void } {
  const name = `lanchat-${tag}-${process.pid}`
  spawnSync('ip', ['netns', 'del', name])
  ip('netns', 'add', name)
  ip('-n', name, 'link', 'set', 'lo', 'up')
  ip('-n', name, 'link', 'set', 'lo', 'multicast', 'on')
  ip('-n', name, 'route', 'add', '224.0.0.0/4', 'dev', 'lo')
  return { name, remove: () => { spawnSync('ip', ['netns', 'del', name]) } }
}

/**
 * Two computers on one LAN: namespaces `lanchat-{tag}lap-PID` and `lanchat-{tag}desk-PID` joined by a
 * virtual cable (veth; the laptop's end `wlan0`, the desk's `eth0`), with the addresses given (CIDR).
 * `multicast`: routed over the cable, so mDNS crosses it.
 */
export function cabledPair (tag: string, addrs: { lap: string, desk: string }, multicast = false): { lap: string, desk: string, remove: () => void } {
  const lap = `lanchat-${tag}lap-${process.pid}`
  const desk = `lanchat-${tag}desk-${process.pid}`
  for (const ns of [lap, desk]) { spawnSync('ip', ['netns', 'del', ns]); ip('netns', 'add', ns); ip('-n', ns, 'link', 'set', 'lo', 'up') }
  ip('-n', lap, 'link', 'add', 'wlan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', desk)
  ip('-n', lap, 'addr', 'add', addrs.lap, 'dev', 'wlan0')
  ip('-n', desk, 'addr', 'add', addrs.desk, 'dev', 'eth0')
  ip('-n', lap, 'link', 'set', 'wlan0', 'up')
  ip('-n', desk, 'link', 'set', 'eth0', 'up')
  if (multicast) {
    ip('-n', lap, 'route', 'add', '224.0.0.0/4', 'dev', 'wlan0')
    ip('-n', desk, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0')
  }
  return { lap, desk, remove: () => { for (const ns of [lap, desk]) spawnSync('ip', ['netns', 'del', ns]) } }
}
