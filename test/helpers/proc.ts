import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

const root = resolve(import.meta.dirname, '../..')
const bin = join(root, 'bin/lanchat')

function newest (dir: string): number {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

/** bin/lanchat runs out/main/cli.js: rebuild it when main/ changed since (npm test always builds). */
export function ensureBuilt (): void {
  let built = 0
  try { built = statSync(join(root, 'out/main/cli.js')).mtimeMs } catch { /* not built yet */ }
  if (built >= newest(join(root, 'main'))) return
  const r = spawnSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`)
}

export interface Proc {
  child: ChildProcessWithoutNullStreams
  /** Every JSON event it printed, in order. */
  events: Array<Record<string, unknown> & { type: string }>
  stderr: string[]
  send: (cmd: object) => void
  /** Wait for an event matching `test` (searching from index `from`). */
  waitFor: (what: string, test: (e: Record<string, unknown> & { type: string }) => boolean, ms?: number) => Promise<Record<string, unknown> & { type: string }>
  kill: (signal?: NodeJS.Signals) => Promise<void>
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
}

const running = new Set<Proc>()

/** Whether `prlimit` (util-linux) is here to run a process under a file size limit. */
export const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0

/** Whether this process may give a child a tmpfs of its own (`unshare -m` and `mount`: root on Linux). */
export function canMountTmpfs (): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'lanchat-tmpfs-probe-'))
  try {
    return spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0"', dir]).status === 0
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Run bin/lanchat, inside network namespace `netns` when given (see
 * netns.ts), with `env` added to the environment; with `fileSizeLimit`,
 * under that RLIMIT_FSIZE (bytes): a write past it fails with EFBIG, the way
 * a full disk fails one with ENOSPC (Node ignores SIGXFSZ).
 */
export function lanchat (args: string[], opts: { netns?: string, env?: Record<string, string>, fileSizeLimit?: number, tmpfs?: { dir: string, size: string } } = {}): Proc {
  return run([bin, ...args], opts)
}

/** Another program (`command`: its path and arguments) run as `lanchat` runs bin/lanchat: its JSON lines read as events. */
export function run (command: string[], opts: { netns?: string, env?: Record<string, string>, fileSizeLimit?: number, tmpfs?: { dir: string, size: string } } = {}): Proc {
  const env = { ...process.env, ...opts.env }
  let cmd = opts.fileSizeLimit === undefined ? command : ['prlimit', `--fsize=${opts.fileSizeLimit}`, ...command]
  // A small disk of its own: a tmpfs mounted on `dir` in a private mount namespace (root only; see canMountTmpfs).
  if (opts.tmpfs !== undefined) cmd = ['unshare', '-m', 'sh', '-c', `mount -t tmpfs -o size=${opts.tmpfs.size} tmpfs "$0" && exec "$@"`, opts.tmpfs.dir, ...cmd]
  return jsonProc(cmd, { netns: opts.netns, env })
}

/** Run `cmd` (inside network namespace `netns` when given), reading each line it prints as a JSON event. */
export function jsonProc (cmd: string[], opts: { netns?: string | undefined, env?: NodeJS.ProcessEnv } = {}): Proc {
  const env = opts.env ?? process.env
  const child = opts.netns === undefined
    ? spawn(cmd[0]!, cmd.slice(1), { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env })
    : spawn('ip', ['netns', 'exec', opts.netns, ...cmd], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env })
  const events: Proc['events'] = []
  const stderr: string[] = []
  createInterface({ input: child.stdout }).on('line', line => {
    try { events.push(JSON.parse(line)) } catch { events.push({ type: 'not-json', line }) }
  })
  createInterface({ input: child.stderr }).on('line', line => { stderr.push(line) })
  // Commands still queued for a child a test killed fail with EPIPE: what the child did is what tests check.
  child.stdin.on('error', err => { stderr.push(`(stdin of the test: ${err.message})`) })
  const exited = new Promise<number | null>(resolve => { child.on('exit', code => { resolve(code) }) })
  const proc: Proc = {
    child,
    exited,
    events,
    stderr,
    send: cmd => { child.stdin.write(JSON.stringify(cmd) + '\n') },
    waitFor: async (what, test, ms = 20_000) => {
      const end = Date.now() + ms
      for (;;) {
        const hit = events.find(test)
        if (hit !== undefined) return hit
        if (child.exitCode !== null) throw new Error(`${what}: process exited ${child.exitCode}\n${stderr.slice(-20).join('\n')}`)
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${stderr.slice(-20).join('\n')}`)
        await new Promise(resolve => setTimeout(resolve, 25))
      }
    },
    kill: async (signal = 'SIGKILL') => {
      running.delete(proc)
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal)
        await exited
      }
    }
  }
  running.add(proc)
  return proc
}

export async function killAll (): Promise<void> {
  await Promise.all([...running].map(async p => { await p.kill('SIGKILL') }))
}
