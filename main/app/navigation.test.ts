import { describe, expect, it } from 'vitest'
import { CLIPBOARD_WRITE, isOurPage, mayNavigate, mayUse } from './navigation.js'

const PAGE = 'app://lanchat/index.html'
const DEV = 'http://localhost:5173/'

describe('the window only ever shows our page', () => {
  it('knows our page by scheme, host and document', () => {
    expect(isOurPage('app://lanchat/index.html', PAGE, false)).toBe(true)
    expect(isOurPage('app://lanchat/index.html?x=1#room', PAGE, false)).toBe(true)
    expect(isOurPage('app://lanchat/other.html', PAGE, false)).toBe(false)
    expect(isOurPage('app://evil/index.html', PAGE, false)).toBe(false)
    expect(isOurPage('file:///index.html', PAGE, false)).toBe(false)
    expect(isOurPage('https://lanchat/index.html', PAGE, false)).toBe(false)
    expect(isOurPage(undefined, PAGE, false)).toBe(false)
    expect(isOurPage('not a url', PAGE, false)).toBe(false)
  })

  it('in development trusts the dev server origin only', () => {
    expect(isOurPage('http://localhost:5173/src/x.tsx', DEV, true)).toBe(true)
    expect(isOurPage('http://localhost:5174/', DEV, true)).toBe(false)
  })

  it('allows reloading the page where it is (Try again) and refuses every other navigation', () => {
    expect(mayNavigate(PAGE, PAGE, PAGE, false)).toBe(true)
    expect(mayNavigate(`${PAGE}#lobby`, PAGE, PAGE, false)).toBe(true)
    expect(mayNavigate(`${PAGE}?x=1`, PAGE, PAGE, false)).toBe(false)
    expect(mayNavigate('https://example.com/', PAGE, PAGE, false)).toBe(false)
    expect(mayNavigate('app://lanchat/other.html', PAGE, PAGE, false)).toBe(false)
    expect(mayNavigate('http://localhost:5173/', 'http://localhost:5173/', DEV, true)).toBe(true)
    expect(mayNavigate('http://localhost:5173/elsewhere', 'http://localhost:5173/', DEV, true)).toBe(false)
  })

  it('lets our page, in its main frame, write to the clipboard (the Copy buttons), and nothing else', () => {
    const main = { requestingUrl: PAGE, isMainFrame: true }
    expect(mayUse(CLIPBOARD_WRITE, main, PAGE, false)).toBe(true)
    // Denied before: every Copy button of the desktop app failed without a word.
    for (const other of ['clipboard-read', 'notifications', 'media', 'geolocation', 'openExternal', 'fullscreen', 'unknown']) {
      expect(mayUse(other, main, PAGE, false)).toBe(false)
    }
    expect(mayUse(CLIPBOARD_WRITE, { requestingUrl: PAGE, isMainFrame: false }, PAGE, false)).toBe(false)
    expect(mayUse(CLIPBOARD_WRITE, { requestingUrl: 'https://example.com/', isMainFrame: true }, PAGE, false)).toBe(false)
    expect(mayUse(CLIPBOARD_WRITE, { requestingUrl: 'app://lanchat/other.html', isMainFrame: true }, PAGE, false)).toBe(false)
    expect(mayUse(CLIPBOARD_WRITE, { isMainFrame: true }, PAGE, false)).toBe(false)
    expect(mayUse(CLIPBOARD_WRITE, { requestingUrl: 'http://localhost:5173/', isMainFrame: true }, DEV, true)).toBe(true)
  })
})
