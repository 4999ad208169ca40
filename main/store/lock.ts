import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { DataDirInUseError } from './errors.js'

export const LOCK_FILE = 'lanchat.lock'

interface Holder { pid: number; what: string; since: number; boot?: string }

/** Linux's id of this boot: a holder written under another boot is gone, whatever process has its pid now. */
function bootId (): string | undefined {
  try { return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined } catch { return undefined }
}

/**
 * A process that has died but is not reaped yet (a zombie: its parent has not
 * waited for it, as a script that kill -9s the hub and starts it again may
 * not) still has its pid. Linux says so in /proc; elsewhere it is unknown.
 */
function zombie (pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state === 'Z' || state === 'X'
  } catch {
    return false
  }
}

function alive (holder: Holder): boolean {
  const boot = bootId()
  if (holder.boot !== undefined && boot !== undefined && holder.boot !== boot) return false
  if (zombie(holder.pid)) return false
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function holderOf (path: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>
    return typeof h.pid === 'number' ? { pid: h.pid, what: String(h.what ?? ''), since: Number(h.since ?? 0), ...(typeof h.boot === 'string' ? { boot: h.boot } : {}) } : undefined
  } catch {
    return undefined
  }
}

/**
 * A data directory is used by one running engine at a time: two peers on one
 * directory would share an identity, never connect, and write over each
 * other's history. The lock is a file naming the holder's process (and, on
 * Linux, the boot it ran in); one left by a process that died (kill -9, a
 * crash, a reboot since) is taken over.
 */
export class DataDirLock {
  private constructor (readonly path: string) {}

  /** Take the directory for `what` (shown to whoever finds it taken), or throw DataDirInUseError. */
  static acquire (dataDir: string, what: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true })
    const path = join(dataDir, LOCK_FILE)
    for (let attempt = 0; attempt < 3; attempt++) {
      let fd: number
      try {
        fd = openSync(path, 'wx', 0o600)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        const holder = holderOf(path)
        if (holder !== undefined && alive(holder)) {
          throw new DataDirInUseError(`${dataDir} is in use by process ${holder.pid} (${holder.what}, since ${new Date(holder.since).toLocaleTimeString()}). ` +
            'Run a second peer with its own directory: --name NAME (it uses ~/.lanchat/NAME) or --data DIR.')
        }
        // The holder died without unlocking (or left half a file): take over.
        try { unlinkSync(path) } catch { /* another starter took it over first */ }
        continue
      }
      try {
        const boot = bootId()
        writeSync(fd, JSON.stringify({ pid: process.pid, what, since: Date.now(), ...(boot !== undefined ? { boot } : {}) } satisfies Holder))
      } finally {
        closeSync(fd)
      }
      return new DataDirLock(path)
    }
    throw new DataDirInUseError(`${dataDir}: could not take its lock file ${path}`)
  }

  release (): void {
    if (holderOf(this.path)?.pid !== process.pid) return
    try { unlinkSync(this.path) } catch { /* already gone */ }
  }
}
