/**
 * Starting at login (main/desktop/login.ts): the Linux autostart entry
 * written where the desktop reads it, with the executable quoted as the
 * freedesktop.org spec wants, and removed; Windows' and macOS' login items
 * asked of Electron with the right arguments; nothing registered when run
 * from source; a login start hidden only when the tray icon can bring the
 * window back. (Electron's login items and a real login run in the desktop
 * workflow's smoke run of the installed app on Windows and Linux only.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { applyOpenAtLogin, autostartEntry, autostartPath, execArg, HIDDEN_FLAG, startsHidden, type LoginHost } from '../main/desktop/login.js'

const homes: string[] = []
afterAll(() => { for (const home of homes) rmSync(home, { recursive: true, force: true }) })

function host (platform: string, over: Partial<LoginHost> = {}): { host: LoginHost, asked: unknown[] } {
  const asked: unknown[] = []
  const home = mkdtempSync(join(tmpdir(), 'lanchat-login-'))
  homes.push(home)
  return { asked, host: { platform, packaged: true, exec: '/opt/LAN Chat/lanchat', env: {}, home, setLoginItem: (s) => { asked.push(s) }, ...over } }
}

describe('start at login on Linux: the autostart entry', () => {
  it('is written under ~/.config/autostart (or $XDG_CONFIG_HOME) with the executable and --hidden, and removed when turned off', () => {
    const { host: linux, asked } = host('linux')
    const file = join(linux.home, '.config', 'autostart', 'lanchat.desktop')
    expect(applyOpenAtLogin(true, linux)).toBe(`starts at login: ${file}`)
    const entry = readFileSync(file, 'utf8')
    expect(entry.split('\n')).toContain('Exec="/opt/LAN Chat/lanchat" --hidden')
    expect(entry.startsWith('[Desktop Entry]\nType=Application\nName=LAN Chat\n')).toBe(true)
    expect(applyOpenAtLogin(false, linux)).toBe('does not start at login')
    expect(existsSync(file)).toBe(false)
    // Turning off what was never on is not an error.
    expect(applyOpenAtLogin(false, linux)).toBe('does not start at login')
    expect(asked).toEqual([])
    expect(autostartPath({ XDG_CONFIG_HOME: '/x/conf' }, '/home/ada')).toBe('/x/conf/autostart/lanchat.desktop')
    expect(autostartPath({ XDG_CONFIG_HOME: '' }, '/home/ada')).toBe('/home/ada/.config/autostart/lanchat.desktop')
  })

  it('quotes what the spec reserves and doubles a percent sign', () => {
    expect(execArg('/usr/bin/lanchat')).toBe('/usr/bin/lanchat')
    expect(execArg('/home/ada/Apps/LAN Chat.AppImage')).toBe('"/home/ada/Apps/LAN Chat.AppImage"')
    // Quoting's backslashes are doubled by the string escape: a literal backslash is four.
    expect(execArg('/tmp/a"b$c`d\\e')).toBe('"/tmp/a\\\\"b\\\\$c\\\\`d\\\\\\\\e"')
    expect(execArg('/tmp/a\tb')).toBe('"/tmp/a\\tb"')
    expect(execArg('/tmp/100%')).toBe('/tmp/100%%')
    expect(autostartEntry('/a b/lanchat', [HIDDEN_FLAG])).toContain('\nExec="/a b/lanchat" --hidden\n')
  })
})

describe('start at login elsewhere', () => {
  it('asks Electron for a login item: with --hidden on Windows, without arguments on macOS', () => {
    const win = host('win32')
    applyOpenAtLogin(true, win.host)
    applyOpenAtLogin(false, win.host)
    expect(win.asked).toEqual([{ openAtLogin: true, args: ['--hidden'] }, { openAtLogin: false, args: ['--hidden'] }])
    const mac = host('darwin')
    applyOpenAtLogin(true, mac.host)
    expect(mac.asked).toEqual([{ openAtLogin: true }])
  })

  it('registers nothing when LAN Chat runs from source (the executable would be Electron alone)', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      const { host: h, asked } = host(platform, { packaged: false })
      expect(applyOpenAtLogin(true, h)).toBe('not registered: LAN Chat runs from source')
      expect(asked).toEqual([])
      expect(existsSync(autostartPath(h.env, h.home))).toBe(false)
    }
  })
})

describe('a start at login', () => {
  it('stays out of sight only when it was one and a tray icon can bring the window back', () => {
    expect(startsHidden(['lanchat', '--hidden'], true)).toBe(true)
    expect(startsHidden(['lanchat', '--hidden'], false)).toBe(false)
    expect(startsHidden(['lanchat'], true)).toBe(false)
  })
})
