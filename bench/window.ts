/**
 * A room left on screen through a long session: the window (the built renderer, the real preload and
 * IPC handlers through the UI test host, a real engine in its own process) shows the lobby while N
 * messages from another peer (an engine in this process, linked over loopback TCP) arrive live at a
 * steady rate, as a busy classroom's day would, compressed.
 *
 * Measured in the page, through the DevTools protocol, after each quarter of the messages: the
 * renderer's JavaScript heap after a full collection (what the window holds), and how far the window
 * is behind (the newest message sent against the newest row it shows). At the end: how long after
 * the last send the window shows it.
 *
 *   npm run bench -- --sections=window
 */
import type { CDPSession, Page } from 'playwright-core'
import { launchChromium } from '../test/browser.js'
import { startTestHost } from '../test/host/host.js'
import { connected, startEngine, tempRoot } from './systems/lanchat.js'
import { now, sleep } from './lib/stats.js'

export interface WindowRow {
  /** Messages sent so far. */
  messages: number
  /** The renderer's heap after a full collection, MB. */
  heapMB: number
  /** Messages sent that the window did not show yet. */
  behind: number
  /** The renderer's main thread since the messages started: running JavaScript, and busy in all (script, style, layout, paint), ms. */
  scriptMs: number
  taskMs: number
}

export interface WindowResult {
  rate: number
  rows: WindowRow[]
  /** From the last send until the window shows it, ms. */
  drainMs: number
}

/** The renderer main thread's time so far, s: running JavaScript (ScriptDuration), and busy at all (TaskDuration). */
async function busy (cdp: CDPSession): Promise<{ script: number, task: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics')
  const of = (name: string): number => metrics.find(m => m.name === name)?.value ?? 0
  return { script: of('ScriptDuration'), task: of('TaskDuration') }
}

async function heap (cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize
}

const text = (n: number): string => `message ${n}: a line of ordinary chat, about as long as people write in a busy room`

/** The number of the newest message the list shows (its last row). */
async function newestShown (page: Page): Promise<number> {
  const last = await page.locator('[data-testid="message"]').last().textContent({ timeout: 10_000 }).catch(() => null)
  return Number(/message (\d+):/.exec(last ?? '')?.[1] ?? 0)
}

export async function windowSection (messages: number, rate: number, log: (l: string) => void): Promise<WindowResult> {
  const root = tempRoot('window')
  const host = await startTestHost({ dataDir: `${root}/window`, defaults: { name: 'bench', mdns: false } })
  const peer = await startEngine(`${root}/peer`, { name: 'Alice' })
  const browser = await launchChromium()
  try {
    const linked = connected(peer, 1)
    await host.call('dial', { address: peer.addrs()[0] as string })
    await linked
    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } })
    const page = await context.newPage()
    await page.goto(host.url)
    await page.locator('.empty-room').waitFor({ timeout: 30_000 })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    const start = await busy(cdp)
    const rows: WindowRow[] = []
    const quarter = Math.ceil(messages / 4)
    const t0 = now()
    for (let i = 1; i <= messages; i++) {
      await peer.send('lobby', text(i))
      // Paced: message i is due at i / rate seconds.
      const early = t0 + (i / rate) * 1000 - now()
      if (early > 0) await sleep(early)
      if (i % quarter === 0 || i === messages) {
        const behind = i - await newestShown(page)
        const used = await heap(cdp)
        const spent = await busy(cdp)
        const scriptMs = (spent.script - start.script) * 1000
        const taskMs = (spent.task - start.task) * 1000
        rows.push({ messages: i, heapMB: used / 2 ** 20, behind, scriptMs, taskMs })
        log(`window: ${i} sent, ${behind} not shown yet, heap ${(used / 2 ** 20).toFixed(1)} MB, renderer JS ${scriptMs.toFixed(0)} ms, busy ${taskMs.toFixed(0)} ms`)
      }
    }
    const sent = now()
    await page.locator('[data-testid="message"]').last().filter({ hasText: `message ${messages}:` }).waitFor({ timeout: 600_000 })
    const drainMs = now() - sent
    await context.close()
    return { rate, rows, drainMs }
  } finally {
    await browser.close()
    await host.close()
    await peer.stop()
  }
}

export function windowTable (r: WindowResult): string {
  const lines = [
    '| messages sent | renderer heap MB | not shown yet | renderer JS ms so far | renderer busy ms so far |',
    '|---|---|---|---|---|',
    ...r.rows.map(w => `| ${w.messages.toLocaleString('en-US')} | ${w.heapMB.toFixed(1)} | ${w.behind.toLocaleString('en-US')} | ${Math.round(w.scriptMs).toLocaleString('en-US')} | ${Math.round(w.taskMs).toLocaleString('en-US')} |`)
  ]
  return `${lines.join('\n')}\n\nThe last message showed ${Math.round(r.drainMs).toLocaleString('en-US')} ms after it was sent (${r.rate} messages a second).`
}
