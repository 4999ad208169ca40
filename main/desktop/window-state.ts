/**
 * The window opens where it was left: its size, its place and whether it was
 * maximized, kept in the profile's data dir (`window-state.json`, replaced
 * atomically; an unreadable file is set aside and the defaults are used).
 * A place on a display that is gone (a laptop off its dock) is dropped, so
 * the window never opens out of reach; a size larger than every display
 * shrinks to fit.
 *
 *   const saved = loadWindowState(dataDir)
 *   const place = placeWindow(saved, screen.getAllDisplays().map(d => d.workArea))
 *   new BrowserWindow({ ...place, minWidth: MIN_SIZE.width, … })
 *   win.on('close', () => saveWindowState(dataDir, { ...win.getNormalBounds(), maximized: win.isMaximized() }))
 */
import { z } from 'zod'
import { SettingsFile } from '../store/settings.js'

export const WINDOW_STATE_FILE = 'window-state.json'
export const DEFAULT_SIZE = { width: 1100, height: 720 } as const
export const MIN_SIZE = { width: 640, height: 420 } as const
/** How much of the window's top edge (where it is dragged from) must be on a display to keep its place. */
const GRIP = { width: 120, height: 32 } as const

const coordinate = z.number().int().min(-100_000).max(100_000)
const length = z.number().int().min(1).max(100_000)
const windowStateSchema = z.object({
  x: coordinate.optional(),
  y: coordinate.optional(),
  width: length,
  height: length,
  maximized: z.boolean()
}).strict()

export type WindowState = z.infer<typeof windowStateSchema>
export interface Area { x: number; y: number; width: number; height: number }

const DEFAULTS: WindowState = { ...DEFAULT_SIZE, maximized: false }
const file = (dataDir: string): SettingsFile<typeof windowStateSchema> => new SettingsFile(dataDir, WINDOW_STATE_FILE, windowStateSchema)

/** The state left by the last run, or the defaults (also when the file could not be used: `problem` says why). */
export function loadWindowState(dataDir: string): { state: WindowState; problem?: string } {
  const loaded = file(dataDir).load(DEFAULTS)
  return { state: loaded.value, ...(loaded.problem !== undefined ? { problem: loaded.problem } : {}) }
}

/** Keep the window's normal (not maximized) bounds and whether it was maximized. */
export function saveWindowState(dataDir: string, state: WindowState): void {
  const round = (n: number): number => Math.round(n)
  file(dataDir).save({
    ...(state.x !== undefined ? { x: round(state.x) } : {}),
    ...(state.y !== undefined ? { y: round(state.y) } : {}),
    width: Math.max(MIN_SIZE.width, round(state.width)),
    height: Math.max(MIN_SIZE.height, round(state.height)),
    maximized: state.maximized
  })
}

/** How many pixels two areas share. */
function overlap(a: Area, b: Area): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

/**
 * Where and how large to open the window on the displays there are now (their work areas):
 * the saved size, no smaller than the minimum and no larger than the largest display; the saved
 * place only while enough of the window's top edge is on a display to grab it, else none (the
 * system centres the window).
 */
export function placeWindow(saved: WindowState, workAreas: readonly Area[]): WindowState {
  // No display reported (it happens while a session starts): the default size is the bound.
  const largest = workAreas.length === 0 ? { x: 0, y: 0, ...DEFAULT_SIZE } : workAreas.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a))
  const width = Math.max(MIN_SIZE.width, Math.min(saved.width, largest.width))
  const height = Math.max(MIN_SIZE.height, Math.min(saved.height, largest.height))
  const sized: WindowState = { width, height, maximized: saved.maximized }
  if (saved.x === undefined || saved.y === undefined) return sized
  const grip: Area = { x: saved.x + (width - Math.min(width, GRIP.width)) / 2, y: saved.y, width: Math.min(width, GRIP.width), height: GRIP.height }
  const reachable = workAreas.some((area) => overlap(grip, area) >= grip.width * grip.height * 0.75)
  return reachable ? { ...sized, x: saved.x, y: saved.y } : sized
}
