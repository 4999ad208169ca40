/**
 * Running on with the window closed. A peer that quits with its window stops
 * relaying, drops off everyone's list and misses what is said meanwhile (it
 * catches up, but nobody can reach it). With Settings → "Keep running when
 * the window is closed", closing the window hides it and an icon in the
 * system tray (the menu bar on macOS) opens it again or quits; notifications
 * go on. Off by default: some Linux desktops show no tray icons, and an app
 * with no window and no icon is one a user cannot find (starting LAN Chat
 * again shows its window: main's second-instance handler).
 *
 * Pure (no Electron): main/index.ts applies it.
 */

export interface Closing {
  /** Settings → Keep running when the window is closed. */
  keepRunning: boolean
  /** The app is quitting (the menu's Quit, the tray's, the system's): windows close for real. */
  quitting: boolean
  /** A tray icon is up to bring the window back. */
  tray: boolean
}

/** What closing the window does: hide it (the app runs on) or close it. */
export function onClose(c: Closing): 'hide' | 'close' {
  return c.keepRunning && c.tray && !c.quitting ? 'hide' : 'close'
}

/** Whether the app quits when its last window is closed: not on macOS (the dock keeps it), as apps there do. */
export function quitsWithLastWindow(platform: string): boolean {
  return platform !== 'darwin'
}

export interface TrayState {
  /** The engine's state: 'running' with how many peers are connected, or not running. */
  running: boolean
  peers: number
  name?: string
}

/** How connected, in words: for the tray's tooltip and menu. */
export function connection(s: TrayState): string {
  if (!s.running) return 'not connected'
  return s.peers === 0 ? 'no peers connected' : s.peers === 1 ? '1 peer connected' : `${s.peers} peers connected`
}

/** The tray icon's tooltip: the app, who we are and how connected. */
export function trayTooltip(s: TrayState): string {
  const who = s.name === undefined || s.name === '' ? '' : ` — ${s.name}`
  return `LAN Chat${who}: ${connection(s)}`
}

export interface TrayItem {
  label?: string
  type?: 'separator'
  enabled?: boolean
  click?: () => void
}

/** The tray icon's menu: open the window, how connected (not a button), quit. */
export function trayMenu(s: TrayState, actions: { open: () => void, quit: () => void }): TrayItem[] {
  return [
    { label: 'Open LAN Chat', click: actions.open },
    { label: connection(s), enabled: false },
    { type: 'separator' },
    { label: 'Quit LAN Chat', click: actions.quit }
  ]
}
