/**
 * `npm start` / `npm run dev`: make sure Electron's binary is there, then hand
 * over to electron-vite.
 *
 *   node scripts/ensure-electron.ts preview [app args…]   (npm start -- --profile bob)
 *   node scripts/ensure-electron.ts dev [app args…]
 *
 * Why: since Electron 45 the `electron` npm package downloads its binary on the
 * first `require('electron')`, not on install; electron-vite never requires it
 * (it reads node_modules/electron/path.txt) and fails with "Electron uninstall"
 * on every fresh clone. So this runs the package's own installer (install.js)
 * when path.txt or the binary it names is missing, printing what it is doing,
 * and offline stops with one sentence saying what is missing.
 *
 * Resolves both packages from the working directory, so the test can run it
 * against a stand-in layout. Plain Node (type stripping): erasable syntax only.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const COMMANDS = new Set(['preview', 'dev'])
/** Errors that mean "no network", not "the download is broken". */
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|fetch failed|socket hang up/

interface Electron {
  dir: string
  version: string
}

function fail(sentence: string, code = 1): never {
  console.error(`\n${sentence}\n`)
  process.exit(code)
}

function findPackage(name: string): string {
  const require = createRequire(join(process.cwd(), 'package.json'))
  try {
    return dirname(require.resolve(`${name}/package.json`))
  } catch {
    return fail(`LAN Chat cannot start: the "${name}" package is missing; run \`npm ci\` first.`)
  }
}

/** Installed as electron/index.js would see it: path.txt names a binary that exists in dist/. */
function installed(electron: Electron): boolean {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH !== undefined || process.env.ELECTRON_EXEC_PATH !== undefined) return true
  const pathFile = join(electron.dir, 'path.txt')
  if (!existsSync(pathFile)) return false
  return existsSync(join(electron.dir, 'dist', readFileSync(pathFile, 'utf8').trim()))
}

/** Bytes of the archive being downloaded: @electron/get writes it under os.tmpdir()/electron-download-*. */
function downloadedBytes(tempDir: string): number {
  let total = 0
  for (const sub of readdirSync(tempDir)) {
    const path = join(tempDir, sub)
    try {
      if (statSync(path).isDirectory()) for (const file of readdirSync(path)) total += statSync(join(path, file)).size
    } catch {
      // the installer moved or removed it between the two calls
    }
  }
  return total
}

async function install(electron: Electron): Promise<void> {
  console.log(`Electron ${electron.version} is not installed yet: downloading it once (about 100 MB) into ${join(electron.dir, 'dist')}…`)
  // Our own temp dir, so the download's progress can be read from the file's size.
  const tempDir = mkdtempSync(join(tmpdir(), 'lanchat-electron-'))
  const child = spawn(process.execPath, [join(electron.dir, 'install.js')], {
    cwd: electron.dir,
    env: { ...process.env, TMPDIR: tempDir, TMP: tempDir, TEMP: tempDir, ELECTRON_GET_NO_PROGRESS: '1' },
    stdio: ['ignore', 'inherit', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += String(chunk)
  })
  const started = Date.now()
  let last = -1
  const ticker = setInterval(() => {
    const mb = Math.floor(downloadedBytes(tempDir) / 1e6)
    if (mb === last) return
    last = mb
    console.log(`  downloading Electron ${electron.version}: ${mb} MB (${Math.round((Date.now() - started) / 1000)} s)`)
  }, 1000)
  const code = await exited(child)
  clearInterval(ticker)
  rmSync(tempDir, { recursive: true, force: true })
  if (code === 0 && installed(electron)) {
    console.log(`Electron ${electron.version} installed.`)
    return
  }
  if (process.env.LANCHAT_VERBOSE !== undefined) console.error(stderr)
  const cause = /(?:Error|error):? (.*)/.exec(stderr)?.[1]?.trim() ?? `the installer exited with ${code}`
  if (OFFLINE.test(stderr)) {
    fail(`LAN Chat cannot start: Electron ${electron.version} is not installed and could not be downloaded because this machine cannot reach github.com (${cause}); connect to the internet and run the command again.`)
  }
  fail(`LAN Chat cannot start: installing Electron ${electron.version} failed (${cause}); delete node_modules/electron, run \`npm ci\` and try again (LANCHAT_VERBOSE=1 shows the installer's output).`)
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.on('error', () => resolve(1))
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)))
  })
}

/** electron-vite's own CLI, run by this Node (no .cmd shim on Windows). */
function electronViteBin(): string {
  const dir = findPackage('electron-vite')
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> }
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['electron-vite']
  if (bin === undefined) return fail('LAN Chat cannot start: the electron-vite package has no command line; run `npm ci` again.')
  return join(dir, bin)
}

async function main(): Promise<void> {
  const [command, ...appArgs] = process.argv.slice(2)
  if (command === undefined || !COMMANDS.has(command)) {
    fail('usage: node scripts/ensure-electron.ts preview|dev [app arguments…]', 2)
  }
  const dir = findPackage('electron')
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }
  const electron = { dir, version }
  if (!installed(electron)) await install(electron)

  // Everything after `--` goes to the app (electron-vite passes it to Electron).
  const args = [electronViteBin(), command, ...(appArgs.length > 0 ? ['--', ...appArgs.filter((a, i) => !(i === 0 && a === '--'))] : [])]
  const child = spawn(process.execPath, args, { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  process.exit(await exited(child))
}

await main()
