/**
 * The Chromium rendering row: the real UI (the built renderer, the real
 * preload and IPC handlers through the UI test host, see test/host) showing a
 * room of H messages from a real engine's data directory, in Debian's
 * Chromium (headless, no GPU), driven by playwright-core.
 *
 * - First paint: from the click on the room in the sidebar until its newest
 *   message row is in the DOM and two animation frames have passed (the
 *   browser painted it). That includes engine.history() for H messages, the
 *   IPC bridge (JSON over a WebSocket here, structured clone in Electron) and
 *   React rendering the virtualized list.
 * - Scroll frames: then the list scrolls up by 400 px every animation frame
 *   for `scrollMs` (2 s in the full run: thousands of messages go by); the intervals between
 *   frames are the frame times (16.7 ms = 60 fps kept).
 * Repeated `reps` times on fresh pages; medians of the per-run figures.
 */
import type { Page } from 'playwright-core'
import { launchChromium } from '../test/browser.js'
import { startTestHost } from '../test/host/host.js'
import type { RenderRow } from './lib/report.js'
import { median, now, percentile } from './lib/stats.js'


// Page scripts are strings: under tsx, functions get esbuild's __name() helper,
// which does not exist in the page. CDP evaluation is not subject to the page's CSP.

/** In the page: resolves after two animation frames, i.e. once what is in the DOM has been painted. */
const PAINTED = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))'

/** In the page: scroll the message list up 400 px every frame for `ms`, return the frame intervals. */
const scrollFramesScript = (ms: number): string => `(async () => {
  const scroller = document.querySelector('[data-testid="virtuoso-scroller"]')
  if (scroller === null) throw new Error('no message list')
  const frames = []
  await new Promise((resolve) => {
    let last = 0
    let start = 0
    const step = (t) => {
      frames.push(t - last)
      last = t
      scroller.scrollTop = Math.max(0, scroller.scrollTop - 400)
      if (t - start < ${ms}) requestAnimationFrame(step)
      else resolve()
    }
    requestAnimationFrame((t) => { last = t; start = t; requestAnimationFrame(step) })
  })
  return frames
})()`

async function painted (page: Page): Promise<void> {
  await page.evaluate(PAINTED)
}

async function scrollFrames (page: Page, ms: number): Promise<number[]> {
  return await page.evaluate(scrollFramesScript(ms)) as number[]
}

export async function measureRender (dataDir: string, room: string, messages: number, reps: number, scrollMs: number, log: (l: string) => void): Promise<RenderRow> {
  const what = `UI, ${messages.toLocaleString('en-US')}-message room`
  const host = await startTestHost({ dataDir, defaults: { name: 'bench', mdns: false } })
  const browser = await launchChromium()
  try {
    const paints: number[] = []
    const p50s: number[] = []
    const p99s: number[] = []
    for (let r = 0; r < reps; r++) {
      log(`render rep ${r + 1}/${reps}`)
      const context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
      const page = await context.newPage()
      await page.goto(host.url)
      const button = page.locator(`[data-room="${room}"]`)
      await button.waitFor({ timeout: 30_000 })
      // Start from another (empty) room, so the rows that appear are this room's.
      if (await button.getAttribute('aria-current') === 'page') await page.locator('[data-room="lobby"]').click()
      await page.locator('.empty-room').waitFor({ timeout: 30_000 })
      await painted(page)
      const t0 = now()
      await button.click()
      // The newest message is the last row: the list opens at the bottom.
      await page.locator(`[data-testid="message"]`).last().waitFor({ timeout: 60_000 })
      await painted(page)
      paints.push(now() - t0)
      const rows = await page.locator('[data-testid="message"]').count()
      if (rows === 0 || rows > 500) throw new Error(`expected a virtualized list, found ${rows} rows in the DOM`)
      const frames = await scrollFrames(page, scrollMs)
      p50s.push(percentile(frames, 0.5))
      p99s.push(percentile(frames, 0.99))
      await context.close()
    }
    return { what, firstPaintMs: median(paints), frameP50Ms: median(p50s), frameP99Ms: median(p99s) }
  } finally {
    await browser.close()
    await host.close()
  }
}
