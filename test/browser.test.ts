/**
 * A fresh clone needs nothing but `npm ci && npm test`: the UI tests find a
 * Chromium themselves, the README says what other systems need, and the Node
 * the README and package.json ask for runs the project's `.ts` scripts.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { chromiumPath, launchChromium } from './browser.js'

const read = (file: string): string => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')

describe('finding Chromium', () => {
  const saved = process.env.LANCHAT_CHROMIUM
  afterEach(() => {
    if (saved === undefined) delete process.env.LANCHAT_CHROMIUM
    else process.env.LANCHAT_CHROMIUM = saved
  })

  it('takes LANCHAT_CHROMIUM first, and names it when it is wrong', async () => {
    process.env.LANCHAT_CHROMIUM = process.execPath
    await expect(chromiumPath()).resolves.toBe(process.execPath)
    process.env.LANCHAT_CHROMIUM = '/nonexistent/chrome'
    await expect(chromiumPath()).rejects.toThrow('LANCHAT_CHROMIUM=/nonexistent/chrome')
  })

  it.runIf(process.platform === 'linux')('launches a Chromium with no browser installed on the system (Linux)', async () => {
    delete process.env.LANCHAT_CHROMIUM
    const browser = await launchChromium()
    try {
      const page = await browser.newPage()
      await page.setContent('<h1>hello</h1>')
      expect(await page.locator('h1').textContent()).toBe('hello')
    } finally {
      await browser.close()
    }
  }, 120_000)

  it('CI installs no browser, and the README tells macOS and Windows what to set', () => {
    const commands = read('.ci/run').split('\n').filter((line) => !line.trimStart().startsWith('#'))
    expect(commands.filter((line) => /chromium/i.test(line))).toEqual([])
    const readme = read('README.md')
    expect(readme).not.toContain('/usr/bin/chromium')
    expect(readme).toMatch(/macOS[^]*LANCHAT_CHROMIUM/)
  })
})

describe('the Node a developer needs', () => {
  it('is the same in package.json and the README, and strips types by default (22.18+)', () => {
    const range = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node
    const [, major, minor] = /^>=(\d+)\.(\d+)$/.exec(range) ?? []
    expect(Number(major) * 1000 + Number(minor)).toBeGreaterThanOrEqual(22_018)
    const readme = read('README.md')
    expect(readme).toContain(`Node.js ${major}.${minor} or newer`)
    expect(readme).not.toMatch(new RegExp(`Node\\.js (?!${major}\\.${minor}\\b)\\d+\\.\\d+ or newer`))
  })
})
