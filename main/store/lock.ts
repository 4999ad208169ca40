import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { resolve } from 'node:path'
import { DataDirInUseError, StoreError } from './errors.js'
import { makeDirs } from './files.js'

export const LOCK_FILE = 'lanchat.lock'

/**
 * Who holds a directory: its process, and on Linux that process's start (in
 * clock ticks since boot, from /proc) and the boot's id, so that a pid given
 * to another process since (after a reboot, or a container started again,
 * where the new engine often gets the very pid the old one had) is not
 * mistaken for the holder.
 */
interface Holder { pid: number; what: string; since: number; boot?: string; start?: string }

/** Linux's id of this boot. */
function bootId (): string | undefined {
  try { return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined } catch { return undefined }
}

/** A process's state letter and start time from Linux's /proc, or undefined (no such process, or not Linux). */
function procStat (pid: number): { state: string, start: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // After "pid (name) ": the state is the first field, the start time the twentieth (fields 3 and 22 of proc(5)).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[0] !== undefined && fields[19] !== undefined ? { state: fields[0], start: fields[19] } : undefined
  } catch {
    return undefined
  }
}

/** When a holder took the directory: its time today, else its date and time. */
function sinceText (since: number): string {
  const at = new Date(since)
  return at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString()
}

/** Directories this process holds: a lock naming our pid that is not among them was left by an earlier process with our pid. */
const held = new Set<string>()

function alive (holder: Holder, path: string): boolean {
  if (holder.pid === process.pid) return held.has(path)
  const boot = bootId()
  if (holder.boot !== undefined && boot !== undefined && holder.boot !== boot) return false
  const stat = procStat(holder.pid)
  // Dead but not reaped yet (a zombie: its parent has not waited for it, as a script that kill -9s the hub and starts it again may not).
  if (stat !== undefined && (stat.state === 'Z' || stat.state === 'X')) return false
  if (stat !== undefined && holder.start !== undefined && stat.start !== holder.start) return false
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
    return typeof h.pid === 'number' ? { pid: h.pid, what: String(h.what ?? ''), since: Number(h.since ?? 0), ...(typeof h.boot === 'string' ? { boot: h.boot } : {}), ...(typeof h.start === 'string' ? { start: h.start } : {}) } : undefined
  } catch {
    return undefined
  }
}

/**
 * A data directory is used by one running engine at a time: two peers on one
 * directory would share an identity, never connect, and write over each
 * other's history. The lock is a file naming the holder's process (see
 * Holder); one left by a process that died (kill -9, a crash, a reboot since)
 * is taken over.
 */
export class DataDirLock {
  private constructor (readonly path: string) {}

  /** Take the directory for `what` (shown to whoever finds it taken), or throw DataDirInUseError. */
  static acquire (dataDir: string, what: string): DataDirLock {
    // Its owner's alone (as the directories it makes on the way): it holds the history, the identity and the keys.
    try {
      makeDirs(dataDir, 0o700)
    } catch (err) {
      throw new StoreError(`Cannot create the data directory ${dataDir}: ${(err as Error).message}`)
    }
    const path = resolve(dataDir, LOCK_FILE)
    for (let attempt = 0; attempt < 3; attempt++) {
      let fd: number
      try {
        fd = openSync(path, 'wx', 0o600)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
        const holder = holderOf(path)
        if (holder !== undefined && alive(holder, path)) {
          throw new DataDirInUseError(`${dataDir} is in use by process ${holder.pid} (${holder.what}, since ${sinceText(holder.since)}). ` +
            'Run a second peer with its own directory: --name NAME (it uses ~/.lanchat/NAME) or --data DIR.')
        }
        // The holder died without unlocking (or left half a file): take over.
        try { unlinkSync(path) } catch { /* another starter took it over first */ }
        continue
      }
      try {
        const boot = bootId()
        const start = procStat(process.pid)?.start
        writeSync(fd, JSON.stringify({ pid: process.pid, what, since: Date.now(), ...(boot !== undefined ? { boot } : {}), ...(start !== undefined ? { start } : {}) } satisfies Holder))
      } finally {
        closeSync(fd)
      }
      held.add(path)
      return new DataDirLock(path)
    }
    throw new DataDirInUseError(`${dataDir}: could not take its lock file ${path}`)
  }

  release (): void {
    held.delete(this.path)
    if (holderOf(this.path)?.pid !== process.pid) return
    try { unlinkSync(this.path) } catch { /* already gone */ }
  }
}
