/**
 * `--smoke`: the packaged app's self-test on CI. Opens the window, waits for
 * the UI to load, round-trips IPC calls through the real preload (snapshot,
 * then setName, which saves settings and starts the engine), checks the data
 * folder was written, that Noise runs a native cipher (libsodium's addon
 * in Electron), that spell checking follows Settings and that closing the
 * window hides it to the tray when Settings say so (and, installed, that the
 * start at login is registered and removed), and quits with 0; anything else exits 1 with the reason
 * on stderr. Runs under its own profile ("smoke") unless --profile is given.
 *
 *   "LAN Chat" --smoke        (or: electron out/main/index.js --smoke)
 */
import type { BrowserWindow } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { SETTINGS_FILE } from '../app/settings.js'
import { spellcheckDownloads, spellcheckOn } from './spellcheck.js'

export const SMOKE_FLAG = '--smoke'
const TIMEOUT_MS = 60_000

export const isSmoke = (argv: readonly string[]): boolean => argv.includes(SMOKE_FLAG)

interface Answer {
  ok: boolean
  value?: { status?: { state?: string } }
  error?: { name: string; message: string }
}

function loaded(win: BrowserWindow): Promise<void> {
  if (!win.webContents.isLoading()) return Promise.resolve()
  return new Promise((resolve, reject) => {
    win.webContents.once('did-finish-load', () => resolve())
    win.webContents.once('did-fail-load', (_e, code, description) => reject(new Error(`the page did not load: ${description} (${code})`)))
  })
}

async function call(win: BrowserWindow, expression: string): Promise<Answer> {
  const answer = (await win.webContents.executeJavaScript(expression, true)) as Answer
  if (!answer.ok) throw new Error(`${expression} answered ${answer.error?.name ?? 'an error'}: ${answer.error?.message ?? ''}`)
  return answer
}

async function steps(win: BrowserWindow, dataDir: string, desktop: DesktopHooks): Promise<void> {
  await loaded(win)
  console.log(`smoke: window loaded ${win.webContents.getURL()}`)
  const snapshot = await call(win, 'window.lanchat.snapshot()')
  console.log(`smoke: IPC snapshot answered, engine ${snapshot.value?.status?.state ?? '?'}`)
  const named = await call(win, "window.lanchat.setName({ name: 'Smoke test' })")
  console.log(`smoke: IPC setName answered, engine ${named.value?.status?.state ?? '?'}`)
  const settings = join(dataDir, SETTINGS_FILE)
  if (!existsSync(settings)) throw new Error(`the data folder was not written: no ${settings}`)
  console.log(`smoke: data folder written (${settings})`)
  // Noise's cipher in the engine process: Electron's crypto has no ChaCha20-Poly1305, so it must be
  // libsodium's addon (unpacked beside app.asar), not the ~15x slower WebAssembly fallback.
  const sockets = (await call(win, 'window.lanchat.sockets()')) as Answer & { value?: { cipher?: string } }
  const cipher = sockets.value?.cipher ?? '?'
  console.log(`smoke: Noise cipher: ${cipher}`)
  if (!cipher.includes('(native')) throw new Error(`Noise runs ${cipher}: libsodium's addon did not load in the engine process`)
  // Spell checking: off by default where it would fetch dictionaries from Google (Windows, Linux), on on macOS; Settings turn it on.
  const spelling = (): boolean => win.webContents.session.isSpellCheckerEnabled()
  const expected = spellcheckOn(spellcheckDownloads(process.platform), undefined)
  if (spelling() !== expected) throw new Error(`spell checking is ${spelling() ? 'on' : 'off'} on ${process.platform} before Settings say anything`)
  await call(win, 'window.lanchat.saveSettings({ spellcheck: true })')
  await until(spelling, 'Settings turned spell checking on')
  console.log(`smoke: spell checking ${expected ? 'on' : 'off'} by default on ${process.platform}, on once Settings say so`)
  // Keep running with the window closed: a tray icon, the window hidden (not closed) and brought back, no icon once off.
  if (desktop.trayUp()) throw new Error('a tray icon is up before Settings ask for one')
  await call(win, 'window.lanchat.saveSettings({ keepRunning: true })')
  await until(desktop.trayUp, 'Settings put up the tray icon')
  win.close()
  await until(() => !win.isDestroyed() && !win.isVisible(), 'closing the window hid it')
  desktop.open()
  await until(() => win.isVisible(), "the tray's Open brought the window back")
  await call(win, 'window.lanchat.saveSettings({ keepRunning: false })')
  await until(() => !desktop.trayUp(), 'the tray icon went with the setting')
  console.log('smoke: kept running with the window closed: tray icon, window hidden and shown again')
  // Start at login: only the installed app registers itself; macOS (a login item through SMAppService, which an
  // unsigned app on a CI runner may not be allowed) is left out here.
  if (!desktop.packaged || process.platform === 'darwin') {
    console.log(`smoke: start at login not tried (${desktop.packaged ? 'macOS' : 'run from source'})`)
    return
  }
  if (desktop.loginRegistered()) throw new Error('LAN Chat starts at login before Settings ask for it')
  await call(win, 'window.lanchat.saveSettings({ openAtLogin: true })')
  await until(desktop.loginRegistered, 'Settings registered the start at login')
  await call(win, 'window.lanchat.saveSettings({ openAtLogin: false })')
  await until(() => !desktop.loginRegistered(), 'the start at login went with the setting')
  console.log('smoke: start at login registered and removed')
}

/** What main lends the smoke test of the tray (main/desktop/background.ts). */
export interface DesktopHooks {
  trayUp: () => boolean
  /** The tray menu's Open LAN Chat. */
  open: () => void
  /** The installed app (app.asar), not run from source. */
  packaged: boolean
  /** The system starts LAN Chat at login (the autostart entry on Linux, the login item elsewhere). */
  loginRegistered: () => boolean
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50))
  if (!check()) throw new Error(`not within 5 s: ${what}`)
}

/** Resolves when every step passed; rejects with the first failure, or after a minute. */
export async function runSmoke(win: BrowserWindow, dataDir: string, desktop: DesktopHooks): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)
  })
  try {
    await Promise.race([steps(win, dataDir, desktop), timeout])
  } finally {
    clearTimeout(timer)
  }
}
