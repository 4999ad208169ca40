/**
 * The one place that finds and launches the Chromium the UI tests, the
 * screenshot scripts and the rendering benchmark drive (through
 * playwright-core, which never downloads a browser itself). In order:
 *
 * 1. `LANCHAT_CHROMIUM`, if set: any Chromium or Chrome executable.
 * 2. On Linux (x64, arm64), the Chromium inside the `@sparticuz/chromium` dev
 *    dependency, unpacked once per checkout into node_modules/.cache.
 * 3. The system's `chromium` (or `chromium-browser`, `google-chrome`) on PATH.
 *
 * ```ts
 * const browser = await launchChromium()
 * const page = await browser.newPage()
 * ```
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { chromium, type Browser } from 'playwright-core'

/** What a test browser needs: no sandbox (containers), no GPU, nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CACHE = join(ROOT, 'node_modules', '.cache', 'lanchat-chromium')

/** Resolves the executable as described above; throws with what to do when there is none. */
export async function chromiumPath(): Promise<string> {
  const fromEnv = process.env.LANCHAT_CHROMIUM
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`LANCHAT_CHROMIUM=${fromEnv}: no such file`)
    return fromEnv
  }
  if (process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64') && existsSync(join(ROOT, 'node_modules', '@sparticuz', 'chromium'))) {
    return await unpackedChromium()
  }
  const onPath = findOnPath(['chromium', 'chromium-browser', 'google-chrome'])
  if (onPath !== undefined) return onPath
  throw new Error(
    'No Chromium found for the UI tests: set LANCHAT_CHROMIUM to a Chrome or Chromium executable ' +
    '(on macOS e.g. "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"), or put `chromium` on PATH'
  )
}

/** Headless Chromium with the test flags. */
export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({ executablePath: await chromiumPath(), headless: true, args: CHROMIUM_ARGS })
}

function findOnPath(names: string[]): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      const file = join(dir, name)
      if (dir !== '' && existsSync(file)) return file
    }
  }
  return undefined
}

/**
 * @sparticuz/chromium unpacks into os.tmpdir() with no care for a second
 * process doing the same (a half-written binary looks present). So unpack in a
 * child whose TMPDIR is this checkout's own cache folder, one process at a
 * time (a lock folder), and mark the folder complete only at the end.
 */
async function unpackedChromium(): Promise<string> {
  const exe = join(CACHE, 'chromium')
  const complete = join(CACHE, '.complete')
  if (existsSync(complete)) return exe
  const lock = `${CACHE}.lock`
  mkdirSync(dirname(CACHE), { recursive: true })
  await acquire(lock)
  try {
    if (existsSync(complete)) return exe
    rmSync(CACHE, { recursive: true, force: true })
    mkdirSync(CACHE, { recursive: true })
    const script = "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath())"
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: CACHE },
      timeout: 120_000
    })
    if (stdout !== exe) throw new Error(`@sparticuz/chromium unpacked to ${stdout}, expected ${exe}`)
    writeFileSync(complete, '')
    return exe
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** mkdir is atomic: whoever creates the folder holds the lock. A lock older than 3 minutes is a crashed holder's. */
async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > 180_000) rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`waited 3 minutes for ${lock}: another process is unpacking Chromium`, { cause: err })
      await new Promise((done) => setTimeout(done, 200))
    }
  }
}
