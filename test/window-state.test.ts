/**
 * The desktop window opens where it was left (main/desktop/window-state.ts),
 * checked without Electron: the file on disk across a "restart", a garbled
 * or half-written file, and the place on displays that changed since.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_SIZE, loadWindowState, MIN_SIZE, placeWindow, saveWindowState, WINDOW_STATE_FILE } from '../main/desktop/window-state.js'

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })
const dataDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'lanchat-window-'))
  dirs.push(d)
  return d
}

const laptop = { x: 0, y: 0, width: 1440, height: 875 }
const monitorRight = { x: 1440, y: 0, width: 2560, height: 1400 }

describe('the window\'s place', () => {
  it('opens at the default size the first time, and where it was left after that', () => {
    const dir = dataDir()
    expect(loadWindowState(dir)).toEqual({ state: { ...DEFAULT_SIZE, maximized: false } })
    saveWindowState(dir, { x: 1600.4, y: 80, width: 1300, height: 900, maximized: true })
    expect(loadWindowState(dir).state).toEqual({ x: 1600, y: 80, width: 1300, height: 900, maximized: true })
    expect(placeWindow(loadWindowState(dir).state, [laptop, monitorRight])).toEqual({ x: 1600, y: 80, width: 1300, height: 900, maximized: true })
  })

  it('a garbled or half-written file is set aside and the defaults are used', () => {
    for (const text of ['{"x": 10, "y": 20, "wid', '{"width": "wide", "height": 700, "maximized": false}', '{"width": 900, "height": 700, "maximized": false, "x": 1e9}']) {
      const dir = dataDir()
      writeFileSync(join(dir, WINDOW_STATE_FILE), text)
      const loaded = loadWindowState(dir)
      expect(loaded.state).toEqual({ ...DEFAULT_SIZE, maximized: false })
      expect(loaded.problem).toMatch(/kept as .*window-state\.json\.unreadable-/)
      expect(readdirSync(dir).filter((f) => f.startsWith(`${WINDOW_STATE_FILE}.unreadable-`))).toHaveLength(1)
    }
  })

  it('drops a place on a display that is gone, and shrinks a size no display can hold', () => {
    // Left on the external monitor; the laptop is now alone: same size, no place (the system centres it).
    const onMonitor = { x: 2000, y: 100, width: 1200, height: 800, maximized: false }
    expect(placeWindow(onMonitor, [laptop])).toEqual({ width: 1200, height: 800, maximized: false })
    // Dragged mostly off the top of the screen: its title bar cannot be grabbed, so no place either.
    expect(placeWindow({ ...onMonitor, x: 100, y: -500 }, [laptop]).x).toBeUndefined()
    // Partly off the right edge, but the middle of its top edge is on the laptop: the place stays;
    // further right, where that middle is off it, not.
    expect(placeWindow({ ...onMonitor, x: 700 }, [laptop])).toMatchObject({ x: 700, y: 100 })
    expect(placeWindow({ ...onMonitor, x: 900 }, [laptop]).x).toBeUndefined()
    // A size for the big monitor, on the laptop alone: as large as the laptop, never below the minimum.
    expect(placeWindow({ width: 2400, height: 1300, maximized: false }, [laptop])).toEqual({ width: 1440, height: 875, maximized: false })
    expect(placeWindow({ width: 2400, height: 1300, maximized: false }, [{ x: 0, y: 0, width: 600, height: 400 }])).toEqual({ ...MIN_SIZE, maximized: false })
    // No displays reported at all: the saved size, no place.
    expect(placeWindow(onMonitor, [])).toEqual({ width: 1100, height: 720, maximized: false })
  })
})
