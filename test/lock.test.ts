/**
 * One engine per data directory (main/store/lock.ts): a lock left by a process
 * that is gone is taken over, one held by a live process is not. Real
 * processes: a live one, and a dead one not yet reaped by its parent.
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

/** A live process that is not us (a lock naming our own pid would prove nothing). */
function sleeper (): ChildProcess {
  const p = spawn('sleep', ['30'], { stdio: 'ignore' })
  started.push(p)
  return p
}

const holderOf = (dir: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Record<string, unknown>
const bootNow = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()

describe('the data directory lock', () => {
  it('a live holder keeps it; once it lets go, the directory can be taken', () => {
    const dir = tempDir('lanchat-lock-')
    const first = DataDirLock.acquire(dir, 'lanchat peer')
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, what: 'lanchat peer' })
    // Another live process named in the file (as a second app on the same directory would find it).
    const other = sleeper()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...holderOf(dir), pid: other.pid }))
    expect(() => DataDirLock.acquire(dir, 'lanchat server')).toThrow(`is in use by process ${other.pid!} (lanchat peer`)
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...holderOf(dir), pid: process.pid }))
    first.release()
    DataDirLock.acquire(dir, 'lanchat server').release()
  })

  it.runIf(linux)('a holder killed and not yet reaped by its parent (its pid still taken) no longer holds it', async () => {
    const dir = tempDir('lanchat-lock-')
    // The shell starts a child, then becomes `sleep`, which never waits for it: the child, once done, stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] })
    started.push(parent)
    let out = ''
    parent.stdout!.on('data', (b: Buffer) => { out += b.toString() })
    await until('its pid', () => /^\d+\n/.test(out))
    const pid = Number(out.trim())
    await until('a zombie', () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z'))
    // Its pid still answers kill(pid, 0): only its state says it is gone.
    expect(() => process.kill(pid, 0)).not.toThrow()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, what: 'lanchat server', since: Date.now(), boot: bootNow() }))
    const lock = DataDirLock.acquire(dir, 'lanchat server')
    expect(holderOf(dir)).toMatchObject({ pid: process.pid, boot: bootNow() })
    lock.release()
  })

  it.runIf(linux)('a holder from before a reboot no longer holds it, though another process has its pid now', () => {
    const dir = tempDir('lanchat-lock-')
    const other = sleeper()
    const lock = { pid: other.pid, what: 'lanchat peer', since: Date.now() - 86_400_000 }
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...lock, boot: bootNow() }))
    expect(() => DataDirLock.acquire(dir, 'lanchat peer')).toThrow(`is in use by process ${other.pid!}`)
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...lock, boot: '00000000-0000-4000-8000-000000000000' }))
    DataDirLock.acquire(dir, 'lanchat peer').release()
  })
})
