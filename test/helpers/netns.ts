import { spawnSync } from 'node:child_process'

/**
 * A network namespace with only a loopback interface, multicast on, so mDNS
 * between processes on this host stays inside it and never reaches a real LAN.
 * Needs root and iproute2 (CI and the dev machines run as root).
 */
export function canIsolate (): boolean {
  return process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0
}

function ip (...args: string[]): void {
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
