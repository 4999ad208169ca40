/**
 * Starting LAN Chat when the user logs in (Settings, off by default), so the
 * peer is up, reachable and catching up before anyone opens it. It starts
 * with `--hidden`: the window stays closed when the tray icon can bring it
 * back (Settings → Keep running), and shows otherwise.
 *
 * Windows and macOS register a login item through Electron
 * (`app.setLoginItemSettings`); Electron has none on Linux, where the
 * freedesktop.org autostart entry is a file: `$XDG_CONFIG_HOME/autostart/
 * lanchat.desktop` (`~/.config` when unset), which GNOME, KDE, Xfce and the
 * others read at login. Only the installed app registers itself: run from
 * source, the executable is Electron's, which would start without LAN Chat.
 *
 * No Electron import: main/index.ts passes what it needs.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeDirs } from '../store/files.js'

/** The flag a login start carries: start with the window hidden if the tray can bring it back. */
export const HIDDEN_FLAG = '--hidden'

const AUTOSTART_FILE = 'lanchat.desktop'

/**
 * One argument of a desktop entry's Exec key, as the file holds it: quoted
 * when it must be (inside double quotes `"`, `` ` ``, `$` and `\` take a
 * backslash), `%` written `%%` (the spec's field codes), then escaped as any
 * string value is (a backslash doubled, so a literal one is four, and line
 * breaks and tabs as `\n`, `\t`, `\r`), which readers undo first.
 */
export function execArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%')
  const quoted = /[\s"'\\><~|&;$*?#()`]/.test(arg) ? `"${escaped.replace(/(["`$\\])/g, '\\$1')}"` : escaped
  return quoted.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')
}

/** The autostart entry that starts `exec` with `args` at login. */
export function autostartEntry(exec: string, args: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=LAN Chat',
    'Comment=Peer-to-peer chat on your local network',
    `Exec=${[exec, ...args].map(execArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    ''
  ].join('\n')
}

/** Where the autostart entry lives on Linux. */
export function autostartPath(env: NodeJS.ProcessEnv, home: string): string {
  const config = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(home, '.config')
  return join(config, 'autostart', AUTOSTART_FILE)
}

export interface LoginHost {
  platform: string
  /** The installed app (false: run from source, which registers nothing). */
  packaged: boolean
  /** The executable to start: on Linux an AppImage's own path (`$APPIMAGE`), not the mounted copy's. */
  exec: string
  env: NodeJS.ProcessEnv
  home: string
  /** Electron's `app.setLoginItemSettings` (Windows and macOS). */
  setLoginItem: (settings: { openAtLogin: boolean, args?: string[] }) => void
}

/**
 * Register or remove the start at login. Returns what was done, for the
 * log; throws what the system refused (a file that cannot be written).
 */
export function applyOpenAtLogin(on: boolean, host: LoginHost): string {
  if (!host.packaged) return 'not registered: LAN Chat runs from source'
  if (host.platform === 'linux') {
    const file = autostartPath(host.env, host.home)
    if (on) {
      makeDirs(join(file, '..'))
      writeFileSync(file, autostartEntry(host.exec, [HIDDEN_FLAG]))
      return `starts at login: ${file}`
    }
    rmSync(file, { force: true })
    return 'does not start at login'
  }
  // macOS starts it as a login item with no arguments: the window shows.
  host.setLoginItem(host.platform === 'win32' ? { openAtLogin: on, args: [HIDDEN_FLAG] } : { openAtLogin: on })
  return on ? 'starts at login (login item)' : 'does not start at login'
}

/** Started with the window hidden: only with the flag, and only while a tray icon can bring the window back. */
export function startsHidden(argv: readonly string[], trayUp: boolean): boolean {
  return argv.includes(HIDDEN_FLAG) && trayUp
}
