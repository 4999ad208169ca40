/**
 * End to end: "Connect now" on the row of a peer that is down, through the UI in Chromium. Alice's
 * redials of a peer that left wait minutes here (as they do for one gone a while); Bob, back on
 * his address, dials nobody. Only her click links them.
 */
import { AxeBuilder } from '@axe-core/playwright'
import { describe, expect, it } from 'vitest'
import { eventually, listenPort, openPeer, peerCount, useSession } from './harness.js'
import { cleanup, startPeer, stopPeer } from '../helpers/peers.js'

const session = useSession()

/** Her redials of a peer that is down: five minutes apart, and on for ten. */
const MINUTES = { min: 5 * 60_000, max: 5 * 60_000, longAfter: 10 * 60_000, long: 10 * 60_000 }
/** Bob never dials (no share of the degree, no rotation): a link is Alice's doing. */
const DIALS_NOBODY = { outbound: 0, rotateMs: 0 }

describe('Connect now', () => {
  it('is offered on the row of a peer that is down, says why when nobody answers, and links at once when he is back', async () => {
    const a = await openPeer(session.browser, { defaults: { name: 'Alice' }, redialRetry: MINUTES })
    session.open.push(a)
    try {
      let b = await startPeer('Bob', { overlay: DIALS_NOBODY })
      await b.engine.dial(`/ip4/127.0.0.1/tcp/${await listenPort(a.page)}`)
      const row = a.page.getByTestId('peer').filter({ hasText: /^Bob/ })
      await eventually(() => peerCount(a.page)).toBe('1 peer connected')
      const connectNow = row.getByRole('button', { name: 'Connect now to Bob' })
      // Linked: nothing to connect.
      await row.hover()
      await expect(connectNow.count()).resolves.toBe(0)

      // Bob's laptop closes. Alice's one redial finds nobody; the next is minutes away.
      const listen = [b.addr().replace(/\/p2p\/.*$/, '')]
      await stopPeer(b)
      await eventually(() => peerCount(a.page)).toBe('0 peers connected')
      await row.hover()
      await eventually(() => connectNow.count()).toBe(1)
      // Nobody answers yet: said on his row, in the words of a failed dial.
      await connectNow.click()
      const failed = row.getByTestId('connect-failed')
      await eventually(() => failed.textContent()).toMatch(/^Could not connect to Bob: Nothing is listening at 127\.0\.0\.1:\d+/)
      await expect(failed.getAttribute('role')).resolves.toBe('alert')
      // The words and the button (shown while they are) pass axe, the pointer elsewhere.
      await a.page.getByTestId('self-name').hover()
      await expect(connectNow.isVisible()).resolves.toBe(true)
      const found = await new AxeBuilder({ page: a.page }).include('[aria-label="Peers"]').analyze()
      expect(found.violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`))).toEqual([])
      // And with the pointer on his row: an offline name on the hovered row stays readable.
      await row.hover()
      const hovered = await new AxeBuilder({ page: a.page }).include('[aria-label="Peers"]').analyze()
      expect(hovered.violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`))).toEqual([])

      // He is back on the same address, and dials nobody: nothing links them by itself.
      b = await startPeer('Bob', { dataDir: b.dataDir, listen, overlay: DIALS_NOBODY })
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      await expect(peerCount(a.page)).resolves.toBe('0 peers connected')
      // From the keyboard: the row's Message button, then Connect now.
      await row.getByRole('button', { name: 'Message Bob privately' }).focus()
      await a.page.keyboard.press('Tab')
      await expect(connectNow.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).resolves.toBe(true)
      await a.page.keyboard.press('Enter')
      // Linked: online on his row, counted, and neither the button nor the old failure is shown any more.
      await eventually(() => peerCount(a.page)).toBe('1 peer connected')
      await eventually(() => row.getByRole('img', { name: 'online' }).count()).toBe(1)
      await eventually(() => row.getByRole('button', { name: /^Connect(ing)? / }).count()).toBe(0)
      await expect(failed.count()).resolves.toBe(0)
      await expect(b.engine.peers().find((p) => p.peerId !== b.engine.peerId && p.connected)?.name).toBe('Alice')
    } finally {
      await cleanup()
    }
  }, 90_000)
})
