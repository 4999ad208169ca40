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
  await eventually(() => page.getByTestId('lab-state').textContent()).toMatch(/^Partitioned from/)
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
