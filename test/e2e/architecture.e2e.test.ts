/**
 * End to end, issue 4: a running app switches from P2P to client–server and
 * back in Settings, without a restart, and the chat goes on. Alice hosts the
 * hub in her app ("Host a server on this computer"), Bob joins it by address;
 * with the hub down Bob's message waits under "server unreachable, 1 pending"
 * and is delivered once the hub is back.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { eventually, send, shownMessages, texts, twoConnectedPeers, useSession } from './harness.js'
import { cutOff, heal, openTab } from './views.js'

const session = useSession()
const { open } = session

async function settings(page: Page, change: (dialog: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click()
  const dialog = page.getByRole('dialog', { name: 'Settings' })
  await change(dialog)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await eventually(() => dialog.isVisible()).toBe(false)
}

const header = (page: Page) => page.locator('.chat-header .muted.small').first()

describe('the architecture switch', () => {
  it('switches a running app from P2P to client–server and back, and keeps chatting', async () => {
    const { a, b } = await twoConnectedPeers(session.browser)
    open.push(a, b)
    await send(a.page, 'hello over the mesh')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['hello over the mesh'])
    await expect(b.page.getByRole('combobox', { name: 'Message order' }).getAttribute('title')).resolves.toBe('Every peer shows this same order: (Lamport time, author).')

    // Alice hosts a hub in her app and becomes its client.
    await settings(a.page, (d) => d.getByLabel('Host a server on this computer').check())
    await eventually(() => a.page.getByTestId('architecture').textContent()).toBe('Client–server')
    const hub = (await a.host.call('snapshot')).hub
    expect(hub?.addrs.length).toBeGreaterThan(0)
    await eventually(() => header(a.page).textContent()).toBe('connected to the hub')
    // The client-server history is its own: the mesh's message is not in it.
    await eventually(() => a.page.getByText('No messages in #lobby yet').isVisible()).toBe(true)

    // Her app's own client listens on nothing; the status bar names where the server it hosts listens.
    await eventually(() => a.page.getByTestId('listen-addrs').textContent()).toBe(`the server hosted here listens on 127.0.0.1:${hub!.addrs[0]!.split('/')[4]!}`)
    // Settings shows Alice the address to give out, as ip:port with a Copy button, inside the dialog
    // (the long multiaddr it showed widened the dialog past its edge and cut every field off).
    await a.page.getByRole('button', { name: 'Settings' }).click()
    const dialog = a.page.getByRole('dialog', { name: 'Settings' })
    const given = (await dialog.getByTestId('hub-address').textContent()) ?? ''
    expect(given).toBe(`127.0.0.1:${hub!.addrs[0]!.split('/')[4]!}`)
    await expect(dialog.getByRole('button', { name: `Copy ${given}` }).isVisible()).resolves.toBe(true)
    expect(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true)
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    // Bob joins that hub by the address she gave him.
    await settings(b.page, async (d) => {
      await d.getByLabel('Client–server').check()
      await d.getByLabel('Server address').fill(given)
    })
    // The header counts the people on the hub (Alice, known by presence), not the one link.
    await eventually(() => header(b.page).textContent()).toBe('connected to the hub · 1 online')
    // The order switch names the hub's order, and its words (a tooltip, and what a screen reader says after the name) are the hub's, not Lamport's.
    const order = b.page.getByRole('combobox', { name: 'Message order' })
    await expect(order.locator('option:checked').textContent()).resolves.toBe('Hub order (seq)')
    await expect(order.getAttribute('title')).resolves.toBe('Every client shows this same order: the hub numbers each message as it reaches it (seq).')
    await expect(b.page.locator('label.order-switch').getAttribute('title')).resolves.toBe(await order.getAttribute('title'))
    await eventually(() => b.page.getByTestId('listen-addrs').textContent()).toBe('not listening (a client only dials the hub)')
    await send(b.page, 'numbered by the hub')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['numbered by the hub'])
    await eventually(() => b.page.getByTestId('delivered-to').first().textContent()).toBe('#1')
    // The hub's number is the order: Alice reads it on Bob's message too, as the terminal prints it.
    await eventually(() => a.page.getByTestId('hub-seq').first().textContent()).toBe('#1')

    // The hub goes away: Bob's message waits, and the banner says so.
    // Hosting off, no other server named: Alice's app is peer to peer again, not a client of the hub that stopped.
    await settings(a.page, (d) => d.getByLabel('Host a server on this computer').uncheck())
    await eventually(() => a.page.getByTestId('architecture').textContent()).toBe('Peer to peer')
    await eventually(() => b.page.getByTestId('pending-banner').textContent()).toMatch(/^server unreachable, 0 pending/)
    // Its "Try now" dials the hub Bob was on (the link's own address for it), not some other.
    const tryTitle = await b.page.getByTestId('pending-banner').getByRole('button', { name: 'Try now' }).getAttribute('title')
    expect(tryTitle).toMatch(new RegExp(`^Connect to \\S*/ip4/127\\.0\\.0\\.1/tcp/${given.split(':')[1]!}\\S* now`))
    await send(b.page, 'written while the hub is down')
    await eventually(() => b.page.getByTestId('pending-banner').textContent()).toMatch(/^server unreachable, 1 pending/)
    await eventually(async () => (await shownMessages(b.page)).map((m) => m.state)).toEqual(['delivered', 'pending'])
    expect(texts(await shownMessages(a.page))).not.toContain('written while the hub is down')
    // A file shared meanwhile shows in Bob's list at once too, pending like the text.
    await b.page.getByTestId('file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('kept until the hub is back') })
    await b.page.getByRole('textbox', { name: 'Message #lobby' }).press('Enter')
    await eventually(async () => (await shownMessages(b.page)).map((m) => m.state)).toEqual(['delivered', 'pending', 'pending'])
    await expect(b.page.getByTestId('file-name').textContent()).resolves.toBe('notes.txt')

    // Back on the same port: Bob reconnects by himself and his messages are delivered once.
    await settings(a.page, (d) => d.getByLabel('Host a server on this computer').check())
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['numbered by the hub', 'written while the hub is down', ''])
    await eventually(() => a.page.getByTestId('file-name').textContent()).toBe('notes.txt')
    await eventually(() => b.page.getByTestId('pending-banner').count()).toBe(0)
    await eventually(async () => (await shownMessages(b.page)).map((m) => m.state)).toEqual(['delivered', 'delivered', 'delivered'])
    // Settings → Files tells Alice what the server in her app keeps for its clients (Bob's file), apart
    // from her own copies; Bob, who hosts nothing, is told nothing of it.
    await a.page.getByRole('button', { name: 'Settings' }).click()
    const files = a.page.getByRole('dialog', { name: 'Settings' })
    // The file's own 26 bytes (its chunk hashes are the store's bookkeeping, not counted).
    await eventually(() => files.getByTestId('stored-hub').textContent()).toBe('1 file, 26 B (no limit)')
    await expect(files.getByTestId('stored-others').textContent()).resolves.toBe('None')
    // The server's own limit, beside the hosting switch: none unless given (as bin/lanchat server), apart from her own copies'.
    const serverKeep = files.getByLabel('Keep the server\'s files up to this many GB (empty: no limit)')
    await expect(serverKeep.inputValue()).resolves.toBe('')
    await serverKeep.fill('2.5')
    await files.getByRole('button', { name: 'Save' }).click()
    await eventually(() => files.getByRole('alert').textContent()).toBe('What the server keeps of its clients\' files is a whole number of GB, 1 to 65536, or empty for no limit.')
    await serverKeep.fill('3')
    await files.getByRole('button', { name: 'Save' }).click()
    await eventually(() => files.isVisible()).toBe(false)
    await a.page.getByRole('button', { name: 'Settings' }).click()
    await eventually(() => files.getByTestId('stored-hub').textContent()).toBe('1 file, 26 B (at most 3.0 GiB)')
    await expect(serverKeep.inputValue()).resolves.toBe('3')
    await expect(files.getByLabel(/Keep copies of others' files up to this many GB/).inputValue()).resolves.toBe('5')
    // The figures follow what happens while the dialog is open: Bob shares another file, the server fetches it.
    await b.page.getByTestId('file-input').setInputFiles({ name: 'more.txt', mimeType: 'text/plain', buffer: Buffer.from('shared while her Settings were open') })
    await b.page.getByRole('textbox', { name: 'Message #lobby' }).press('Enter')
    await eventually(() => files.getByTestId('stored-hub').textContent()).toMatch(/^2 files, [\d.]+ B \(at most 3\.0 GiB\)$/)
    await files.getByRole('button', { name: 'Cancel' }).click()
    await b.page.getByRole('button', { name: 'Settings' }).click()
    await eventually(() => b.page.getByTestId('stored-shared').textContent()).toMatch(/^2 files, /)
    await expect(b.page.getByTestId('stored-hub').count()).resolves.toBe(0)
    await b.page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Cancel' }).click()

    // The partition lab in client mode: cut Bob off from the hub, and what he writes queues as pending.
    await cutOff(b.page, '*')
    await send(b.page, 'written while cut off')
    await eventually(() => b.page.getByTestId('pending-banner').textContent()).toMatch(/^server unreachable, 1 pending/)
    await send(a.page, 'Alice meanwhile')
    await heal(b.page)
    await eventually(async () => texts(await shownMessages(a.page)).at(-1)).toBe('written while cut off')
    await eventually(async () => texts(await shownMessages(b.page)).slice(-2)).toEqual(['Alice meanwhile', 'written while cut off'])
    // Merged: Alice's message, written while Bob was away; not Bob's own pending one, which the hub just numbered late.
    await eventually(() => b.page.getByTestId('merged').textContent()).toBe('merged 1 message')
    // Cut off again, Bob reacts to Alice's message, edits his own and deletes another: each waits, counted by the banner,
    // and once the hub numbers them (Alice sees them) nothing waits any more: the banner goes.
    const lobby = await b.host.call('history', { room: 'lobby' })
    const idOf = (text: string): string => lobby.find((m) => m.text === text)!.id
    await cutOff(b.page, '*')
    await eventually(() => b.page.getByTestId('pending-banner').textContent()).toMatch(/^server unreachable, 0 pending/)
    await b.host.call('react', { id: idOf('Alice meanwhile'), emoji: '👍' })
    await b.host.call('edit', { id: idOf('written while cut off'), text: 'edited while cut off' })
    await b.host.call('delete', { id: idOf('written while the hub is down') })
    await eventually(() => b.page.getByTestId('pending-banner').textContent()).toMatch(/^server unreachable, 3 pending/)
    await heal(b.page)
    await eventually(async () => (await a.host.call('history', { room: 'lobby' })).map((m) => [m.text, m.deleted === true, m.reactions?.length ?? 0]))
      .toEqual([['numbered by the hub', false, 0], ['', true, 0], ['📎 notes.txt', false, 0], ['📎 more.txt', false, 0], ['Alice meanwhile', false, 1], ['edited while cut off', false, 0]])
    await eventually(() => b.page.getByTestId('pending-banner').count()).toBe(0)

    // The contrast panel shows both columns: client-server live, P2P as it was.
    await a.page.getByRole('button', { name: 'Network' }).click()
    await a.page.getByRole('tab', { name: 'Contrast' }).click()
    await eventually(() => a.page.getByTestId('contrast-client').getByTestId('ordered-by').textContent()).toBe('server-seq')
    await eventually(() => a.page.getByTestId('contrast-p2p').getByTestId('ordered-by').textContent()).toBe('lamport')
    await eventually(() => a.page.getByTestId('hub-stats').textContent()).toMatch(/^The hub hosted here: 2 client sockets/)
    // Hops count relays (0: straight from the author); what the column says of a message's path is what its figures show.
    const clientColumn = a.page.getByTestId('contrast-client')
    await eventually(() => clientColumn.getByTestId('hops').textContent()).toBe('1, 1')
    await expect(clientColumn.getByText(/one relay, the hub \(1 hop, as counted below\)/).count()).resolves.toBe(1)
    await expect(clientColumn.getByText(/2 hops/).count()).resolves.toBe(0)
    // Space-time as a client: its messages name only their author's earlier ones, and the diagram says that
    // is what a selection lights up, not a whole causal past, and marks nothing concurrent.
    await openTab(b.page, 'Space-time')
    await eventually(() => b.page.getByTestId('send-event').count()).toBeGreaterThan(2)
    // No receipts, so no arrows: but every message reached everyone, through the hub, and the count above the drawing says so, not "0 deliveries".
    await expect(b.page.locator('.spacetime .toolbar span').textContent()).resolves.toMatch(/^\d+ messages, each relayed to every client by the hub \(no receipts: no arrows\)$/)
    await b.page.getByTestId('send-event').last().locator('circle').click()
    await eventually(() => b.page.getByTestId('spacetime-hint').textContent()).toMatch(/drawn peer to peer only\. Selected: ".*" — green: its author's earlier messages \(\d+\)\.$/)
    await expect(b.page.getByTestId('spacetime-hint').textContent()).resolves.not.toMatch(/∥|orange/)

    // And back to P2P: the mesh history is there as it was, and the two chat directly again.
    await settings(a.page, async (d) => {
      await d.getByLabel('Host a server on this computer').uncheck()
      await d.getByLabel('Peer to peer').check()
    })
    await settings(b.page, (d) => d.getByLabel('Peer to peer').check())
    await eventually(() => a.page.getByTestId('architecture').textContent()).toBe('Peer to peer')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['hello over the mesh'])
    await eventually(() => header(a.page).textContent()).toBe('1 peer online')
    await send(b.page, 'back on the mesh')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['hello over the mesh', 'back on the mesh'])
    expect((await a.host.call('history', { room: 'lobby' })).map((m) => m.text)).toEqual(['hello over the mesh', 'back on the mesh'])
  }, 90_000)
})
