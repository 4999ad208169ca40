/**
 * Makes docs/screenshot-private.png: three UI test hosts (three real engines
 * on loopback) in Chromium. Alice makes a private room, invites Bob and Carol
 * in direct messages, they talk, and she removes Carol: her page shows the
 * room with its locks, its members and the notes of its timeline. Run with
 * `npm run screenshot:private`.
 */
import type { Page } from 'playwright-core'
import type { TestHost } from './host.js'
import { say, withPeers } from './screenshot.js'

const ROOM = 'Design team'

async function peerIdOf(host: TestHost): Promise<{ peerId: string; port: string }> {
  const { status } = await host.call('snapshot')
  if (status.state !== 'running') throw new Error(`engine ${status.state}`)
  return { peerId: status.peerId, port: /\/tcp\/(\d+)/.exec(status.addrs[0] ?? '')?.[1] ?? '' }
}

/** Wait until `page` shows `n` messages and `notes` notes. */
async function shows(page: Page, n: number, notes: number): Promise<void> {
  // Runs in the page (as a function: a string would need 'unsafe-eval', which the CSP forbids).
  await page.waitForFunction(
    ([m, k]) => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document
      return doc.querySelectorAll('[data-testid="message"][data-state="delivered"]').length === m && doc.querySelectorAll('[data-testid="note"]').length === k
    },
    [n, notes] as const,
    { timeout: 15_000 }
  )
}

export async function makePrivateShot(out: string): Promise<void> {
  await withPeers(['Alice Martin', 'Bob Okafor', 'Carol Diaz'], async (peers) => {
    const [alice] = peers.map((p) => p.page) as [Page]
    const hosts = peers.map((p) => p.host)
    const [a, b, c] = hosts as [TestHost, TestHost, TestHost]
    const ids = await Promise.all(hosts.map(peerIdOf))
    for (const other of [b, c]) await other.call('dial', { address: `127.0.0.1:${ids[0]!.port}` })
    await alice.getByTestId('peer-count').filter({ hasText: '2 peers connected' }).waitFor({ timeout: 15_000 })

    // Alice's room; its invite goes to each of the others in a direct message, and each joins with it.
    const made = await a.call('createPrivateRoom', { name: ROOM })
    for (const [host, id] of [[b, ids[1]!], [c, ids[2]!]] as const) {
      const { code } = await a.call('invite', { room: made.room, to: id.peerId })
      await host.call('joinInvite', { code })
    }
    await alice.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: new RegExp(`^Private ${ROOM}`) }).click()
    await shows(alice, 0, 2)
    await say(alice, 'Kick-off notes are in the shared folder. Budget first, then the mock-ups.')
    await shows(alice, 1, 2)
    await b.call('send', { room: made.room, text: 'Thanks! I will add the budget figures tonight.' })
    await shows(alice, 2, 2)
    await c.call('send', { room: made.room, text: 'I am off to the Lisbon project from Monday, good luck!' })
    await shows(alice, 3, 2)
    await a.call('removeMember', { room: made.room, peerId: ids[2]!.peerId })
    await shows(alice, 3, 3)
    await say(alice, 'From here on only Bob and I read this room: Carol keeps what came before.')
    await shows(alice, 4, 3)
    await b.call('send', { room: made.room, text: 'Got it. Mock-ups by Thursday?' })
    await shows(alice, 5, 3)
    // The receipts (a batch every quarter of a second) say who has each of Alice's messages: Bob and
    // Carol the first, Bob alone the one after Carol was removed.
    await alice.getByText('2/2').first().waitFor({ timeout: 15_000 })
    await alice.getByText('1/1').first().waitFor({ timeout: 15_000 })
    await alice.waitForTimeout(1_000)
    await alice.mouse.move(1000, 640)
    await alice.screenshot({ path: out })
  })
}
