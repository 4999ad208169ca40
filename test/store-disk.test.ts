import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'

afterEach(cleanup)

const PROBE = join(import.meta.dirname, 'helpers', 'db-probe.ts')

/** Root can write anywhere, so a read-only or full disk needs a real mount: a small tmpfs in a private mount namespace. */
const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0

function probe (mount: string, what: 'open' | 'fill'): Record<string, unknown> & { error?: { name: string, message: string } } {
  const dir = tempDir('lanchat-disk-')
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `${mount} && exec "$1" --import tsx "$2" "$0" "$3"`, dir, process.execPath, PROBE, what], { encoding: 'utf8', timeout: 60_000 })
  if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`)
  return { dir, ...JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown> }
}

describe.skipIf(!canMount)('the message database on a disk that refuses writes', () => {
  it('a read-only directory: a StoreError that names the database file', () => {
    const r = probe('mount -t tmpfs -o size=1m tmpfs "$0" && mount -o remount,ro "$0"', 'open')
    expect(r.opened).toBe(false)
    expect(r.error?.name).toBe('StoreError')
    expect(r.error?.message).toContain(join(String(r.dir), 'lanchat.db'))
    expect(r.error?.message).toMatch(/writable/)
  })

  it('a full disk: a StoreError that names the file, and everything committed before is still there', () => {
    const r = probe('mount -t tmpfs -o size=512k tmpfs "$0"', 'fill')
    expect(r.error?.name).toBe('StoreError')
    expect(r.error?.message).toContain(join(String(r.dir), 'lanchat.db'))
    expect(r.error?.message).toMatch(/full/)
    expect(Number(r.committed)).toBeGreaterThan(0)
    expect(r.stored).toBe(r.committed)
  })
})
