/**
 * The window's web preferences, read from the built main bundle (Electron
 * itself cannot start here): what Electronegativity checks.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const main = readFileSync(new URL('../out/main/index.js', import.meta.url), 'utf8')
const prefs = /webPreferences:\s*\{([^}]*)\}/.exec(main)?.[1] ?? ''

describe('the window', () => {
  it('is sandboxed, isolated and without Node', () => {
    expect(prefs).toMatch(/contextIsolation:\s*true/)
    expect(prefs).toMatch(/sandbox:\s*true/)
    expect(prefs).toMatch(/nodeIntegration:\s*false/)
  })

  it('has auxclick (middle click on links) disabled', () => {
    expect(prefs).toMatch(/disableBlinkFeatures:\s*["']Auxclick["']/)
  })
})
