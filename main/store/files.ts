import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, statSync, type Stats } from 'node:fs'
import { mkdir, open, rename, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code

/** `path` is there but not a directory: as mkdir says it. */
function notDirectory (path: string): Error {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), { code: 'ENOTDIR', path })
}

/**
 * The walk of `mkdir -p` (makeDirs, makeDirsAsync), sync or async as its driver is: it yields each
 * path to look at, takes back what is there (undefined: nothing), and returns the directories to
 * make, outermost first.
 */
function * missingDirs (dir: string): Generator<string, string[], Stats | undefined> {
  const missing: string[] = []
  for (let at = resolve(dir); ;) {
    const found = yield at
    if (found !== undefined) {
      if (missing.length === 0 && !found.isDirectory()) throw notDirectory(at)
      break
    }
    missing.push(at)
    if (dirname(at) === at) break
    at = dirname(at)
  }
  return missing.reverse()
}

/** What is at `path` (undefined: nothing); any other error than its absence is thrown. */
function statOrNone (look: () => Stats): Stats | undefined {
  try { return look() } catch (err) { if (codeOf(err) !== 'ENOENT') throw err }
  return undefined
}

/** mkdir of one directory: one there already (made meanwhile) is no error. */
function made (err: unknown): void {
  if (codeOf(err) !== 'EEXIST') throw err
}

/**
 * `dir` and the directories above it that are missing (`mkdir -p`), each made once. Node's own
 * recursive mkdir never returns where a directory exists but answers ENOENT for a child that cannot
 * be made (under /proc, an automounter's directory): it reads that as a missing parent, finds the
 * parent there, and tries the child again, forever, at full CPU (the synchronous one deaf to
 * SIGTERM too). Here the child's ENOENT is thrown, as for any directory that cannot be made.
 */
export function makeDirs (dir: string, mode?: number): void {
  const walk = missingDirs(dir)
  let step = walk.next()
  while (step.done !== true) step = walk.next(statOrNone(() => statSync(step.value as string)))
  for (const path of step.value) {
    try { mkdirSync(path, mode) } catch (err) { made(err) }
  }
}

/** makeDirs off the event loop. */
export async function makeDirsAsync (dir: string, mode?: number): Promise<void> {
  const walk = missingDirs(dir)
  let step = walk.next()
  while (step.done !== true) {
    const at = step.value
    let found: Stats | undefined
    try { found = await stat(at) } catch (err) { if (codeOf(err) !== 'ENOENT') throw err }
    step = walk.next(found)
  }
  for (const path of step.value) {
    try { await mkdir(path, mode) } catch (err) { made(err) }
  }
}

/**
 * Replace a small file atomically: write a temporary file, flush it, rename it
 * over the old one. A crash leaves either the old or the new file, never half.
 */
export function writeFileAtomic (path: string, data: string | Uint8Array, mode = 0o600): void {
  makeDirs(dirname(path), 0o700)
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
  await makeDirsAsync(dirname(path), 0o700)
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
