/**
 * One engine per data directory (main/store/lock.ts): a lock left by a process
 * that is gone is taken over, one held by a live process is not. Real
 * processes: a live one, one whose pid is reused, and a dead one not yet
 * reaped by its parent.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { DataDirLock, LOCK_FILE } from '../main/store/lock.js'
import { cleanup, tempDir, until } from './helpers/peers.js'

const linux = process.platform === 'linux'
const started: ChildProcess[] = []
afterEach(() => { for (const p of started.splice(0)) p.kill('SIGKILL') })
afterAll(cleanup)

/** A live process that is not us. */
function sleeper (): ChildProcess {
  const p = spawn('sleep', ['30'], { stdio: 'ignore' })
  started.push(p)
  return p
}

const holderOf = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Record<string, unknown>
const lockAs = (dir: string, holder: Record<string, unknown>): void => { writeFileSync(join(dir, LOCK_FILE), JSON.stringify(holder)) }
const bootNow = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
/** What /proc says of a process: its state and its start (clock ticks since boot). */
const statOf = (pid: number): string[] => { const s = readFileSync(`/proc/${pid}/stat`, 'utf8'); return s.slice(s.lastIndexOf(')') + 2).split(' ') }
/** The lock another live process would have written: with its own start on Linux. */
const lockOf = (pid: number, what: string): Record<string, unknown> => ({ pid, what, since: Date.now(), ...(linux ? { boot: bootNow(), start: statOf(pid)[19] } : {}) })

describe('the data directory lock', () => {
  it('a live holder keeps it; once it lets go, the directory can be taken', async () => {
    const dir = tempDir('lanchat-lock-')
    const first = DataDirLock.acquire(dir, 'lanchat peer')
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, what: 'lanchat peer' })
    // A second engine of this process is refused as well.
    expect(() => DataDirLock.acquire(dir, 'lanchat peer')).toThrow(`is in use by process ${process.pid} (lanchat peer`)
    first.release()
    // Another live process holding it (as a second app on the same directory finds it).
    const other = sleeper()
    lockAs(dir, lockOf(other.pid!, 'lanchat peer'))
    expect(() => DataDirLock.acquire(dir, 'lanchat server')).toThrow(`is in use by process ${other.pid!} (lanchat peer`)
    other.kill('SIGKILL')
    // A dead one's is taken over.
    await until('gone', () => other.exitCode !== null || other.signalCode !== null)
    DataDirLock.acquire(dir, 'lanchat server').release()
  })

  it('a lock naming our own pid that this process does not hold (a container started again gives the new engine the old one\'s pid) is taken over', () => {
    const dir = tempDir('lanchat-lock-')
    lockAs(dir, { pid: process.pid, what: 'lanchat server', since: Date.now() - 60_000 })
    const lock = DataDirLock.acquire(dir, 'lanchat server')
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, what: 'lanchat server' })
    lock.release()
  })

  it.runIf(linux)('a holder killed and not yet reaped by its parent (its pid still taken) no longer holds it', async () => {
    const dir = tempDir('lanchat-lock-')
    // The shell starts a child, then becomes `sleep`, which never waits for it: the child, once done, stays a zombie.
    // (It lives a moment first: one done before the shell became sleep was reaped by the shell, and its pid was gone.)
    const parent = spawn('sh', ['-c', 'sleep 0.5 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] })
    started.push(parent)
    let out = ''
    parent.stdout!.on('data', (b: Buffer) => { out += b.toString() })
    await until('its pid', () => /^\d+\n/.test(out))
    const pid = Number(out.trim())
    await until('a zombie', () => statOf(pid)[0] === 'Z')
    // Its pid still answers kill(pid, 0): only its state says it is gone.
    expect(() => process.kill(pid, 0)).not.toThrow()
    lockAs(dir, lockOf(pid, 'lanchat server'))
    const lock = DataDirLock.acquire(dir, 'lanchat server')
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, boot: bootNow(), start: statOf(process.pid)[19] })
    lock.release()
  })

  it.runIf(linux)('a holder whose pid another process has now (started since, or in another boot) no longer holds it', () => {
    const dir = tempDir('lanchat-lock-')
    const other = sleeper()
    const real = lockOf(other.pid!, 'lanchat peer')
    lockAs(dir, real)
    expect(() => DataDirLock.acquire(dir, 'lanchat peer')).toThrow(`is in use by process ${other.pid!}`)
    // The holder started at another time than the process with its pid now.
    lockAs(dir, { ...real, start: String(Number(real.start) - 1) })
    DataDirLock.acquire(dir, 'lanchat peer').release()
    // The holder ran in another boot.
    lockAs(dir, { ...real, boot: '00000000-0000-4000-8000-000000000000' })
    DataDirLock.acquire(dir, 'lanchat peer').release()
    // A lock written before the start was recorded: the pid alone decides, as before.
    const { start: _, ...old } = real
    lockAs(dir, old)
    expect(() => DataDirLock.acquire(dir, 'lanchat peer')).toThrow(`is in use by process ${other.pid!}`)
    // Held since another day: the date is said, not only a time of day.
    const since = Date.now() - 3 * 86_400_000
    lockAs(dir, { ...real, since })
    expect(() => DataDirLock.acquire(dir, 'lanchat peer')).toThrow(`(lanchat peer, since ${new Date(since).toLocaleString()})`)
  })
})
