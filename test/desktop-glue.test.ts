// Facts about the desktop glue that hold in the sources and the build, checked
// without Electron: one CSP, written into the built page; the AppUserModelId
// equal to electron-builder's appId; every engine process tunes V8's marking
// before it starts an engine.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../main/app/csp.js'
import { APP_ID } from '../main/desktop/app-id.js'
import { growingPercentFor, HEAP_FLOOR_BYTES, MAX_GROWING_PERCENT } from '../main/app/heap.js'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.(ts|tsx|html)$/.test(name) ? [path] : []
  })
}

describe('the Content-Security-Policy', () => {
  it('is defined in main/app/csp.ts only: no policy string is written anywhere else', () => {
    const files = ['main', 'preload', 'renderer', 'test/host'].flatMap((dir) => sources(join(root, dir))).filter((f) => !f.endsWith('.test.ts'))
    const copies = files.filter((file) => /script-src\s+'/.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file))
    expect(copies).toEqual([])
    expect(readFileSync(join(root, 'main/app/csp.ts'), 'utf8')).toMatch(/'script-src': \["'self'"\]/)
  })

  it('is in the built index.html as a meta tag, before any script', () => {
    const html = readFileSync(join(root, 'out/renderer/index.html'), 'utf8')
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)
    expect(meta?.[1]?.replaceAll('&#39;', "'")).toBe(contentSecurityPolicy('meta'))
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'))
  })
})

describe('Windows notifications', () => {
  it('use an AppUserModelId equal to the appId electron-builder packs', () => {
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8')
    expect(/^appId:\s*(\S+)\s*$/m.exec(yml)?.[1]).toBe(APP_ID)
  })
})

describe("V8's heap settings for an engine (main/app/heap.ts)", () => {
  it('give a small live heap room up to the floor after a full collection, and leave a large one to V8', () => {
    const MB = 2 ** 20
    // 15 MB live, an engine's usual: the next limit is the 128 MiB floor (within the percent's rounding).
    const p = growingPercentFor(15 * MB)
    expect(15 * MB * (1 + p / 100)).toBeGreaterThanOrEqual(HEAP_FLOOR_BYTES)
    expect(15 * MB * (1 + (p - 1) / 100)).toBeLessThan(HEAP_FLOOR_BYTES)
    // Tiny heaps get at most ten times their size; half the floor and more, V8's own factor (0).
    expect(growingPercentFor(1 * MB)).toBe(MAX_GROWING_PERCENT)
    expect(growingPercentFor(HEAP_FLOOR_BYTES / 2)).toBe(0)
    expect(growingPercentFor(HEAP_FLOOR_BYTES / 2 - 1)).toBeGreaterThan(0)
    expect(growingPercentFor(1024 * MB)).toBe(0)
    expect(growingPercentFor(0)).toBe(0)
    expect(growingPercentFor(Number.NaN)).toBe(0)
  })


  // The flags themselves cannot be read back from V8; what they do is measured by the bench (BENCHMARKS.md, "The engine's heap").
  it('are set first thing by every process that runs an engine: the desktop app\'s and test host\'s (engine.js) and bin/lanchat\'s (cli.js)', () => {
    for (const [file, start] of [['main/engine.ts', 'const channel = parentChannel()'], ['main/cli.ts', 'const [sub, ...rest] = process.argv.slice(2)']] as const) {
      const text = readFileSync(join(root, file), 'utf8')
      expect(text, file).toContain(`tuneHeapForEngine()\n${file.endsWith('cli.ts') ? '  ' : ''}${start}`)
    }
  })
})
