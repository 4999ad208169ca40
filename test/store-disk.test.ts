import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'

afterEach(cleanup)

const PROBE = join(import.meta.dirname, 'helpers', 'db-probe.ts')
const ENGINES = join(import.meta.dirname, 'helpers', 'disk-engines.ts')

/** Root can write anywhere, so a read-only or full disk needs a real mount: a small tmpfs in a private mount namespace. */
const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0

function probe (mount: string, what: 'open' | 'fill' | 'fill-old'): Record<string, unknown> & { error?: { name: string, message: string } } {
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

  it('a full disk at the first start after the update that adds the search indexes: the history still opens, to be read', () => {
    const r = probe('mount -t tmpfs -o size=1m tmpfs "$0"', 'fill-old')
    expect(r.error?.message).toMatch(/full/)
    expect(r.reopened).toBeUndefined()
    expect(Number(r.committed)).toBeGreaterThan(0)
    expect(r.stored).toBe(r.committed)
    // The indexes could not be made; has:link and has:reply read the rows themselves: the link and the reply are found, no error.
    expect(r.indexes).toEqual([])
    expect(r.found).toEqual({ link: [expect.stringContaining('https://example.org/notes')], reply: ['thanks'] })
  })

  it('a disk that fills up while peers chat: sending and receiving wait, nothing is lost, all goes through once there is room', () => {
    const dir = tempDir('lanchat-disk-')
    const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=4m tmpfs "$0" && exec "$1" --import tsx "$2" "$0"', dir, process.execPath, ENGINES], { encoding: 'utf8', timeout: 90_000 })
    if (r.status !== 0) throw new Error(`engines failed: ${r.stderr}`)
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { errors: string[], resumed: number, total: number, sentWhileFull: boolean, storedWhenFull: string[], shownWhileFull: string[], pausedAt: number, shownLive: string[], a: string[], b: string[], texts: string[] }
    expect(out.errors[0]).toMatch(/full/)
    // Told once that writes wait (a banner while they do), once that they go on again.
    expect(out.errors).toHaveLength(1)
    expect(out.resumed).toBe(1)
    // While full: the own message waits (not shown as sent), nothing of B's is shown unwritten: the history
    // stays what was stored when the disk filled, and the window is told of no message until there is room.
    expect(out.sentWhileFull).toBe(false)
    expect(out.storedWhenFull[0]).toBe('before')
    expect(out.shownWhileFull).toEqual(out.storedWhenFull)
    expect(out.shownLive).toHaveLength(out.pausedAt)
    expect(out.shownLive).toEqual(out.storedWhenFull)
    // Then: one history, every message once.
    expect(out.a).toEqual(out.b)
    expect(new Set(out.a).size).toBe(out.total)
    expect(out.texts).toContain('while full')
  }, 120_000)
})
