import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs'
import { mkdir, open, rename } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Replace a small file atomically: write a temporary file, flush it, rename it
 * over the old one. A crash leaves either the old or the new file, never half.
 */
export function writeFileAtomic (path: string, data: string | Uint8Array, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, data, { mode })
  const fd = openSync(tmp, 'r')
  try { fsyncSync(fd) } finally { closeSync(fd) }
  renameSync(tmp, path)
}

/**
 * writeFileAtomic off the event loop: the same steps through the thread
 * pool. For what is saved while transfers run: an fsync on a disk busy
 * with a file being written can take hundreds of ms, and the synchronous
 * one held every chat message up for as long. Callers run one at a time
 * per path (the temporary name is per process).
 */
export async function writeFileAtomicAsync (path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  const fh = await open(tmp, 'w', mode)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
}

/** Read a JSON file, or undefined when it is missing or unreadable (logged by the caller). */
export function readJson (path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
