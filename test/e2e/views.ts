/**
 * Helpers for the networking-view tests: open the Network panel on a tab,
 * read what the panel shows, and drive the partition lab through the UI.
 */
import type { Page } from 'playwright-core'
import { eventually } from './harness.js'
import type { TestHost } from '../host/host.js'

export async function openTab(page: Page, tab: 'Sockets' | 'Space-time' | 'Contrast' | 'Partition lab' | 'Walkthrough'): Promise<void> {
  if ((await page.getByRole('tablist', { name: 'Network views' }).count()) === 0) {
    await page.getByRole('button', { name: 'Network' }).click()
  }
  await page.getByRole('tab', { name: tab }).click()
}

/** The sockets the panel lists, as "local ↔ remote" with who dialed. */
export async function shownSockets(page: Page, within = '[data-testid="socket-panel"]'): Promise<Array<{ local: string; remote: string; direction: string }>> {
  return page.locator(`${within} [data-testid="socket"]`).evaluateAll((rows) =>
    rows.map((row) => {
      const el = row as unknown as { dataset: Record<string, string | undefined> }
      return { local: el.dataset.local ?? '', remote: el.dataset.remote ?? '', direction: el.dataset.direction ?? '' }
    })
  )
}

export async function cutOff(page: Page, peerId: string | '*'): Promise<void> {
  await openTab(page, 'Partition lab')
  const select = page.getByLabel('Cut off from')
  if (await select.count() > 0) await select.selectOption(peerId)
  await page.getByRole('button', { name: /^Cut off/ }).click()
  await eventually(() => page.getByTestId('lab-state').textContent()).toMatch(/^(Partitioned|Cut off) from/)
}

export async function heal(page: Page): Promise<void> {
  await openTab(page, 'Partition lab')
  await page.getByRole('button', { name: 'Heal' }).click()
  await eventually(() => page.getByTestId('lab-state').textContent()).toMatch(/^Connected: no partition/)
}

export async function chooseOrder(page: Page, order: 'lamport' | 'arrival' | 'sent'): Promise<void> {
  await page.getByLabel('Message order').selectOption(order)
}

export async function selfId(page: { host: TestHost }): Promise<string> {
  const { status } = await page.host.call('snapshot')
  return status.state === 'running' ? status.peerId : ''
}

/**
 * What the space-time diagram draws badly, measured on the drawn page: a send
 * event's label under an arrow (unless `underArrows` is false), two labels on
 * each other, or a label past the drawing's edges. Empty when every label can be read.
 */
export async function unreadableLabels(page: Page, { underArrows = true } = {}): Promise<string[]> {
  return page.locator('.spacetime svg').evaluate((svg, underArrows) => {
    type Box = { x: number; y: number; width: number; height: number }
    type Node = { getBBox: () => Box; textContent: string | null; getAttribute: (n: string) => string | null }
    const el = svg as unknown as { getAttribute: (n: string) => string | null; querySelectorAll: (s: string) => ArrayLike<Node> }
    const width = Number(el.getAttribute('width'))
    const labels = Array.from(el.querySelectorAll('[data-testid="send-event"] text')).map((t) => ({ text: t.textContent, box: t.getBBox() }))
    const lines = Array.from(el.querySelectorAll('[data-testid="arrow"] line')).map((l) => ['x1', 'y1', 'x2', 'y2'].map((n) => Number(l.getAttribute(n))))
    const found: string[] = []
    labels.forEach(({ text, box }, i) => {
      if (box.x < 0) found.push(`${text} past the left edge`)
      if (box.x + box.width > width) found.push(`${text} past the right edge`)
      for (const [x1, y1, x2, y2] of underArrows ? lines : []) {
        for (let k = 0; k <= 100; k++) {
          const x = x1! + ((x2! - x1!) * k) / 100
          const y = y1! + ((y2! - y1!) * k) / 100
          if (x > box.x + 1 && x < box.x + box.width - 1 && y > box.y + 1 && y < box.y + box.height - 1) { found.push(`${text} under an arrow`); break }
        }
      }
      for (const other of labels.slice(i + 1)) {
        const b = other.box
        if (box.x < b.x + b.width - 1 && b.x < box.x + box.width - 1 && box.y < b.y + b.height - 1 && b.y < box.y + box.height - 1) found.push(`${text} on ${other.text}`)
      }
    })
    return found
  }, underArrows)
}
