/**
 * End to end: two real engines on loopback, each behind a UI test host, each
 * driven through the real UI in Chromium. What one user types, the other sees.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import type { LanChatApi } from '../../preload/contract.js'
import { describe, expect, it } from 'vitest'
import {
  allowClipboard, chooseName, clipboardOf, connectByAddress, eventually, freePort, listenPort, openPeer, peerCount,
  LAUNCHER, belowView, hiddenBelowList, listState, send, shownMessages, texts, useSession
} from './harness.js'

const session = useSession()
const { open, pair } = session

describe('two peers in two windows', () => {
  it('a line names the day above its first message: Today, and Yesterday once the reader\'s clock has passed midnight', async () => {
    const { a, b } = await pair()
    await send(a.page, 'morning all')
    await send(a.page, 'coffee?')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['morning all', 'coffee?'])
    const days = b.page.getByTestId('day-divider')
    expect(await days.allTextContents()).toEqual(['Today'])
    // The line sits above the day's first message, which shows its author again.
    expect(await b.page.locator('[data-testid="day-divider"] + [data-testid="message"]').getAttribute('data-author')).toBe('Alice')

    // Bob reads on the next day: the old messages are yesterday's.
    await b.page.clock.setFixedTime(Date.now() + 86_400_000)
    await send(a.page, 'still there?')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['morning all', 'coffee?', 'still there?'])
    await eventually(() => days.allTextContents()).toEqual(['Yesterday'])
  })

  it('formatting shows on the other page as its author meant it: a code block with its spacing, inline code, bold, italic, struck, a link in bold; the rest as typed', async () => {
    const { a, b } = await pair()
    const code = 'for (let i = 0; i < n; i++) {\n    total += values[i] * weight // ' + 'long '.repeat(60) + '\n}'
    await send(a.page, 'Run `npm test` before you **push**, *never* on ~~Fridays~~ main.\nsnake_case and 2*3*4 stay. **See https://example.com/a_b**')
    await send(a.page, 'The loop:\n```ts\n' + code + '\n```\nThoughts?')
    const rows = b.page.getByTestId('message-text')
    await eventually(() => rows.count()).toBe(2)
    const first = rows.nth(0)
    expect(await first.locator('code').allTextContents()).toEqual(['npm test'])
    expect(await first.locator('strong').allTextContents()).toEqual(['push', 'See https://example.com/a_b'])
    expect(await first.locator('em').allTextContents()).toEqual(['never'])
    expect(await first.locator('del').allTextContents()).toEqual(['Fridays'])
    expect(await first.locator('strong a').getAttribute('href')).toBe('https://example.com/a_b')
    expect(await first.textContent()).toBe('Run npm test before you push, never on Fridays main.\nsnake_case and 2*3*4 stay. See https://example.com/a_b')

    const block = rows.nth(1).locator('pre code')
    expect(await block.textContent()).toBe(code)
    expect(await rows.nth(1).textContent()).toBe('The loop:' + code + 'Thoughts?')
    // The block keeps its lines (no wrapping) and scrolls inside itself; the window never scrolls sideways.
    const sizes = await rows.nth(1).locator('pre').evaluate((el) => {
      const pre = el as unknown as { scrollWidth: number; clientWidth: number; ownerDocument: { documentElement: { scrollWidth: number; clientWidth: number } } }
      return { inside: pre.scrollWidth > pre.clientWidth, page: pre.ownerDocument.documentElement.scrollWidth <= pre.ownerDocument.documentElement.clientWidth }
    })
    expect(sizes).toEqual({ inside: true, page: true })
  })

  it('a screen reader is told what others write: in the open conversation, a direct message from elsewhere, a burst as a count', async () => {
    const { a, b } = await pair()
    // What Alice's screen reader says: the lines of the page's live log (drawn for nobody else).
    const log = a.page.getByRole('log', { name: 'New messages' })
    const said = (): Promise<string[]> => log.locator('p').allTextContents()
    await send(b.page, 'see you at 3')
    await eventually(said).toEqual(['Bob: see you at 3'])
    // Her own message is not read back to her.
    await send(a.page, 'fine by me')
    await eventually(async () => texts(await shownMessages(a.page))).toContain('fine by me')
    // In another room: the lobby's messages are not said there, a direct message is.
    await a.page.getByRole('button', { name: 'Create or join a room' }).click()
    await a.page.keyboard.type('quiet')
    await a.page.keyboard.press('Enter')
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#quiet')
    await send(b.page, 'anyone in the lobby?')
    const alice = (await a.host.call('snapshot')).status
    await b.host.call('send', { to: alice.state === 'running' ? alice.peerId : '', text: 'a word in private' })
    await eventually(said).toEqual(['Bob: see you at 3', 'Direct message from Bob: a word in private'])
    // Twelve at once (catch-up after a reconnect is like it): one count, not twelve readings.
    await a.page.getByRole('button', { name: /lobby/ }).first().click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    await Promise.all(Array.from({ length: 12 }, (_, i) => b.host.call('send', { room: 'lobby', text: `burst ${i}` })))
    await eventually(said).toEqual(['Bob: see you at 3', 'Direct message from Bob: a word in private', '12 new messages'])
  })

  it('choose names on first run, connect by ip:port, and show the same messages in the same order with Lamport stamps', async () => {
    const { a, b } = await pair()
    await send(a.page, 'Hi Bob')
    await send(a.page, 'Lunch at noon?')
    // Bob answers what he has read: his message comes after Alice's in every window (causally, so in Lamport order).
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['Hi Bob', 'Lunch at noon?'])
    await send(b.page, 'Sure!\nSee you there')

    const expected = ['Hi Bob', 'Lunch at noon?', 'Sure!\nSee you there']
    await eventually(async () => texts(await shownMessages(a.page)).sort()).toEqual([...expected].sort())
    await eventually(async () => texts(await shownMessages(b.page)).sort()).toEqual([...expected].sort())
    // Own messages leave the pending state once the engine has them.
    await eventually(async () => (await shownMessages(a.page)).map((m) => m.state)).toEqual(['delivered', 'delivered', 'delivered'])

    const onA = await shownMessages(a.page)
    const onB = await shownMessages(b.page)
    expect(onB).toEqual(onA)
    const stamps = onA.map((m) => Number(m.lamport))
    expect(stamps.every((l) => l > 0)).toBe(true)
    expect([...stamps].sort((x, y) => x - y)).toEqual(stamps)
    expect(onA.slice(0, 2).map((m) => m.author)).toEqual(['Alice', 'Alice'])
    expect(onA.find((m) => m.text.startsWith('Sure'))?.author).toBe('Bob')
    // The Lamport badge is what the user sees, not only a data attribute.
    await expect(a.page.getByTestId('lamport').first().textContent()).resolves.toBe(`L${onA[0]!.lamport}`)
  })

  it('Copy puts a message\'s text, or one\'s own address, on the clipboard and says so; a refused clipboard says it could not', async () => {
    const { a, b } = await session.pair()
    const text = 'the meeting is in room **4.12** at 3'
    await send(a.page, text)
    const row = b.page.getByTestId('message').filter({ hasText: 'the meeting is in room' })
    await eventually(() => row.count()).toBe(1)
    if (LAUNCHER === 'host') {
      // Chromium refuses the page until it is allowed to write, as the desktop app's window was refused
      // (every permission denied): said, not swallowed.
      await row.hover()
      await row.getByRole('button', { name: 'Copy text' }).click()
      await eventually(() => row.getByRole('button', { name: 'Could not copy' }).count()).toBe(1)
      await eventually(() => row.getByRole('button', { name: 'Copy text' }).count()).toBe(1)
    }
    await allowClipboard(b)
    await row.hover()
    await row.getByRole('button', { name: 'Copy text' }).click()
    // As typed, markers and all, and the button says it worked, then goes back to what it does.
    await eventually(() => row.getByRole('button', { name: 'Copied' }).count()).toBe(1)
    expect(await clipboardOf(b)).toBe(text)
    await eventually(() => row.getByRole('button', { name: 'Copy text' }).count()).toBe(1)
    // The address to give to another computer, from the Connect dialog.
    await b.page.getByRole('button', { name: 'Connect to address…' }).click()
    const dialog = b.page.getByRole('dialog', { name: 'Connect to address' })
    const own = (await dialog.getByTestId('own-address').first().textContent())!
    await dialog.getByRole('button', { name: `Copy ${own}` }).click()
    await eventually(() => dialog.getByRole('button', { name: 'Copied' }).count()).toBe(1)
    expect(await clipboardOf(b)).toBe(own)
  })

  it('a room created on one peer shows up unread on the other, who can join it and read its history', async () => {
    const { a, b } = await pair()
    await a.page.getByRole('button', { name: 'Create or join a room' }).click()
    await a.page.getByLabel('Room name').fill('Design Review')
    await a.page.getByRole('button', { name: 'Join room' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#design-review')
    await send(a.page, 'Mockups are ready')

    const roomOnB = b.page.locator('[data-room="design-review"]')
    await eventually(() => roomOnB.getByLabel('1 unread').isVisible()).toBe(true)
    // The unread total reaches the window title and the dock badge.
    await eventually(() => b.page.title()).toBe('(1) LAN Chat — #lobby')
    await eventually(() => b.host.badge()).toBe(1)

    await b.page.getByRole('button', { name: 'Create or join a room' }).click()
    await b.page.getByLabel('Room name').fill('design-review')
    await b.page.getByRole('button', { name: 'Join room' }).click()
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['Mockups are ready'])
    await eventually(() => roomOnB.getByLabel('1 unread').count()).toBe(0)
    await eventually(() => b.page.title()).toBe('LAN Chat — #design-review')
    await eventually(() => b.host.badge()).toBe(0)
    await send(b.page, 'Looks great')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['Mockups are ready', 'Looks great'])
    // The lobby stayed separate.
    await a.page.locator('[data-room="lobby"]').click()
    await eventually(() => a.page.getByText('No messages in #lobby yet').isVisible()).toBe(true)
  })

  it('keeps a long room virtualized, and offers a jump to new messages when scrolled up', async () => {
    const { a, b } = await pair()
    // 300 messages from Bob's real engine, straight through its host (typing them would take minutes).
    for (let i = 0; i < 300; i++) await b.host.call('send', { room: 'lobby', text: `message ${i}` })
    const last = async (): Promise<string | undefined> => texts(await shownMessages(a.page)).at(-1)
    await eventually(last).toBe('message 299')
    const rendered = (await shownMessages(a.page)).length
    expect(rendered).toBeGreaterThan(3)
    expect(rendered).toBeLessThan(100)

    // Scroll up like a user, with the mouse wheel over the list.
    const box = (await a.page.locator('.virtuoso').boundingBox())!
    await a.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await eventually(async () => {
      await a.page.mouse.wheel(0, -20_000)
      return texts(await shownMessages(a.page))[0]
    }).toBe('message 0')
    await send(b.page, 'are you there?')
    await send(b.page, 'news at the bottom')
    const jump = a.page.getByRole('button', { name: /new messages/ })
    await eventually(() => jump.textContent()).toBe('2 new messages ↓')
    expect(texts(await shownMessages(a.page))[0]).toBe('message 0')
    await jump.click()
    await eventually(last).toBe('news at the bottom')
    await eventually(() => jump.count()).toBe(0)
  }, 60_000)

  it('a burst of rows of very different heights ends at the bottom, the newest in view', async () => {
    const { a, b } = await pair()
    // Every fifth message a long one (many lines), all sent at once: rows measured far from the list's estimate as they land.
    const long = (i: number): string => `long ${i} ${'word '.repeat(400)}`
    await Promise.all(Array.from({ length: 120 }, (_, i) => a.host.call('send', { room: 'lobby', text: i % 5 === 0 ? long(i) : `short ${i}` })))
    await eventually(async () => (await b.host.call('history', { room: 'lobby', limit: 500 })).length).toBe(120)
    const newest = b.page.getByTestId('message').filter({ hasText: 'short 119' })
    await eventually(() => newest.isVisible()).toBe(true).catch(async (err: unknown) => {
      throw new Error(`${(err as Error).message}\n${await listState(b.page)}`)
    })
    // Still at the bottom once the rows have settled, and nothing offers a jump: the user never scrolled.
    await eventually(() => belowView(b.page)).toBeLessThan(120)
    await expect(b.page.locator('button.jump').count()).resolves.toBe(0)
  })

  it('a newest row that grows after the list followed it is still brought fully into view', async () => {
    const { a, b } = await pair()
    for (let i = 0; i < 20; i++) await a.host.call('send', { room: 'lobby', text: `line ${i}` })
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'line 19' }).isVisible()).toBe(true)
    // The next row's text is hidden while it lands (as a row measured before its content is there), then
    // shown: the row grows by a few lines, less than the list's "near the bottom" allowance.
    const next = Math.max(...(await b.page.locator('.virtuoso [data-index]').evaluateAll((rows) => rows.map((r) => Number((r as unknown as { dataset: { index: string } }).dataset.index))))) + 1
    await b.page.addStyleTag({ content: `[data-index="${next}"] [data-testid="message-text"] { display: none }` })
    await a.host.call('send', { room: 'lobby', text: `grows ${'word '.repeat(40)}` })
    await eventually(() => b.page.locator(`[data-index="${next}"]`).count()).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await b.page.evaluate('document.querySelectorAll("style").forEach((s) => { if (s.textContent.includes("data-index")) s.remove() })')
    // All of its text in view, its last line too (the row's padding below it may stay under the edge).
    await eventually(() => hiddenBelowList(b.page, `[data-index="${next}"] [data-testid="message-text"]`)).toBe(0)
  })

  it('history survives a restart of the host, and what was missed meanwhile catches up', async () => {
    const { a, b } = await pair()
    await send(a.page, 'before restart 1')
    await send(b.page, 'before restart 2')
    // Both delivered (Bob's own row reads "sending" until Alice has it), so the rows kept are final.
    await eventually(async () => (await shownMessages(b.page)).map((m) => m.state)).toEqual(['delivered', 'delivered'])
    const before = await shownMessages(b.page)

    await b.close()
    open.splice(open.indexOf(b), 1)
    await send(a.page, 'while you were away')

    const again = await openPeer(session.browser, { dataDir: b.dataDir })
    open.push(again)
    // No first-run screen: the name was kept.
    await eventually(() => again.page.getByTestId('self-name').textContent()).toBe('Bob')
    await eventually(async () => texts(await shownMessages(again.page))).toEqual([...texts(before), 'while you were away'])
    expect((await shownMessages(again.page)).slice(0, 2)).toEqual(before)
    // Bob came back on another port (0 picks one each start): Alice's peer list says where he is now.
    const port = await listenPort(again.page)
    await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Bob/ }).textContent()).toContain(`127.0.0.1:${port}`)
  })
})

describe('one window', () => {
  it('settings persist across a restart and a new port takes effect', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Carol')
    const port = await freePort()

    await peer.page.getByRole('button', { name: 'Settings' }).click()
    const dialog = peer.page.getByRole('dialog', { name: 'Settings' })
    // A port of 0 picked one: the hint says which, as the status bar does.
    await expect(dialog.getByLabel('Listen port').inputValue()).resolves.toBe('0')
    const picked = await listenPort(peer.page)
    await expect(dialog.getByTestId('port-hint').textContent()).resolves.toMatch(new RegExp(`^Listening on ${picked} now\\. 0: a free port`))
    await dialog.getByLabel('Display name').fill('Caroline')
    await dialog.getByLabel('Listen port').fill(String(port))
    await expect(dialog.getByTestId('port-hint').textContent()).resolves.toMatch(new RegExp(`^Listening on ${picked} now\\.`))
    await dialog.getByLabel('Listen port').fill(String(picked))
    await expect(dialog.getByTestId('port-hint').textContent()).resolves.toMatch(/^0: a free port/)
    await dialog.getByLabel('Listen port').fill(String(port))
    // Without discovery, the dialog says how peers are met then: one by address, the rest through it.
    const withoutMdns = dialog.getByText('Without it, connect to one peer by address (Connect to address…): the peers it is linked to come with it.')
    await dialog.getByLabel('Discover peers on the LAN (mDNS)').check()
    await expect(withoutMdns.count()).resolves.toBe(0)
    await dialog.getByLabel('Discover peers on the LAN (mDNS)').uncheck()
    await expect(withoutMdns.isVisible()).resolves.toBe(true)
    await expect(dialog.getByLabel('Largest file to send or download, in MB').inputValue()).resolves.toBe('2048')
    await dialog.getByLabel('Largest file to send or download, in MB').fill('500')
    await expect(dialog.getByLabel('Keep copies of others\' files up to this many GB').inputValue()).resolves.toBe('5')
    await dialog.getByLabel('Keep copies of others\' files up to this many GB').fill('12')
    await expect(dialog.getByRole('radio', { name: /^Every new message/ }).isChecked()).resolves.toBe(true)
    await dialog.getByRole('radio', { name: 'Only direct messages and mentions' }).check()
    await expect(dialog.getByLabel('Show the message\'s words in a notification').isChecked()).resolves.toBe(true)
    await dialog.getByLabel('Show the message\'s words in a notification').uncheck()
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.isVisible()).toBe(false)
    await eventually(() => listenPort(peer.page)).toBe(port)
    await eventually(() => peer.page.getByTestId('self-name').textContent()).toBe('Caroline')

    await peer.close()
    open.pop()
    const again = await openPeer(session.browser, { dataDir: peer.dataDir })
    open.push(again)
    await eventually(() => again.page.getByTestId('self-name').textContent()).toBe('Caroline')
    await eventually(() => listenPort(again.page)).toBe(port)
    await again.page.getByRole('button', { name: 'Settings' }).click()
    const reopened = again.page.getByRole('dialog', { name: 'Settings' })
    await expect(reopened.getByLabel('Display name').inputValue()).resolves.toBe('Caroline')
    await expect(reopened.getByLabel('Listen port').inputValue()).resolves.toBe(String(port))
    await expect(reopened.getByLabel('Discover peers on the LAN (mDNS)').isChecked()).resolves.toBe(false)
    await expect(reopened.getByLabel('Peer to peer').isChecked()).resolves.toBe(true)
    await expect(reopened.getByLabel('Largest file to send or download, in MB').inputValue()).resolves.toBe('500')
    await expect(reopened.getByLabel('Keep copies of others\' files up to this many GB').inputValue()).resolves.toBe('12')
    await expect(reopened.getByRole('radio', { name: 'Only direct messages and mentions' }).isChecked()).resolves.toBe(true)
    await expect(reopened.getByLabel('Show the message\'s words in a notification').isChecked()).resolves.toBe(false)
    const onDisk = JSON.parse(await readFile(join(peer.dataDir, 'app-settings.json'), 'utf8')) as unknown
    expect(onDisk).toEqual({ name: 'Caroline', listenPort: port, mdns: false, mode: 'p2p', server: '', hostServer: false, serverPort: 0, downloadsDir: '', autoDownloadImagesMB: 10, maxFileMB: 500, keepOthersGB: 12, theme: 'system', notify: 'mentions', notifyPreview: false, joined: ['lobby'] })
  })

  it('the connect dialog rejects bad addresses with a readable error and keeps the dialog open; one nobody answers yet can be kept trying until it does, listed with Stop', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Dave')
    const dialog = peer.page.getByRole('dialog', { name: 'Connect to address' })
    const alert = dialog.getByRole('alert')

    await connectByAddress(peer.page, 'not an address')
    await eventually(() => alert.textContent()).toMatch(/"not an address" is not an address LAN Chat understands\. Use ip:port/)
    await dialog.getByRole('textbox', { name: 'Address', exact: true }).fill('10.0.0.1:70000')
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click()
    await eventually(() => alert.textContent()).toMatch(/port is a number from 1 to 65535/)
    await dialog.getByRole('textbox', { name: 'Address', exact: true }).fill('/ip4/300.1.2.3/tcp/4001')
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click()
    await eventually(() => alert.textContent()).toMatch(/is not a valid multiaddr/)
    // A malformed address is not worth trying again.
    expect(await dialog.getByRole('button', { name: 'Keep trying' }).count()).toBe(0)
    // Well formed but nobody listens there: the engine's failure is shown, not swallowed.
    const port = await freePort()
    await dialog.getByRole('textbox', { name: 'Address', exact: true }).fill(`127.0.0.1:${port}`)
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click()
    await eventually(() => alert.textContent()).toBe(`Nothing is listening at 127.0.0.1:${port}. Is LAN Chat running there, and is the port right?`)
    expect(await dialog.isVisible()).toBe(true)
    expect(await peerCount(peer.page)).toBe('0 peers connected')
    // Not started there yet: Keep trying, and the app connects once it is.
    await dialog.getByRole('button', { name: 'Keep trying' }).click()
    await eventually(() => dialog.count()).toBe(0)
    await eventually(() => peer.page.getByText('Trying in the background').isVisible()).toBe(true)
    // The dialog lists what is being tried, each with Stop: a second address kept trying, then stopped.
    const other = await freePort()
    await connectByAddress(peer.page, `127.0.0.1:${other}`)
    await dialog.getByRole('button', { name: 'Keep trying' }).click()
    await eventually(() => dialog.count()).toBe(0)
    await peer.page.getByRole('button', { name: 'Connect to address…' }).click()
    const trying = dialog.getByTestId('trying-address')
    await eventually(() => trying.allTextContents()).toEqual([`127.0.0.1:${port}Stop`, `127.0.0.1:${other}Stop`])
    await dialog.getByRole('button', { name: `Stop trying 127.0.0.1:${other}` }).click()
    await eventually(() => trying.allTextContents()).toEqual([`127.0.0.1:${port}Stop`])
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    // The one still tried links once a peer starts there, and is no longer listed.
    const later = await openPeer(session.browser, { defaults: { name: 'Eve', listenPort: port } })
    open.push(later)
    await eventually(() => peerCount(peer.page)).toBe('1 peer connected')
    await eventually(() => peerCount(later.page)).toBe('1 peer connected')
    await peer.page.getByRole('button', { name: 'Connect to address…' }).click()
    await eventually(() => trying.count()).toBe(0)
    await expect(peer.host.call('stopDialing', { address: `127.0.0.1:${other}` })).resolves.toEqual({ stopped: false, dialing: [] })
  })

  it('the emoji button puts an emoji where the cursor is; Escape closes it and gives the keyboard back', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Emma')
    const box = peer.page.getByRole('textbox', { name: 'Message #lobby' })
    await box.fill('see you there')
    // The cursor after "see you": the emoji goes in there, not at the end.
    for (let i = 0; i < ' there'.length; i++) await box.press('ArrowLeft')
    await peer.page.getByRole('button', { name: 'Insert an emoji' }).click()
    await peer.page.getByRole('button', { name: 'Insert 🚀' }).click()
    await eventually(() => box.inputValue()).toBe('see you🚀 there')
    await eventually(() => peer.page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? ''")).toBe('Message #lobby')
    await peer.page.getByRole('button', { name: 'Insert an emoji' }).click()
    await eventually(() => peer.page.getByRole('group', { name: 'Insert an emoji' }).isVisible()).toBe(true)
    // Escape gives the keyboard back before anything else can happen (not a frame later): the very
    // next key goes into the box, where the cursor was, after "see you🚀" (9 UTF-16 units).
    const next = await peer.page.evaluate<string>(`(() => {
      document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
      const el = document.activeElement
      return el instanceof HTMLTextAreaElement ? (el.getAttribute('aria-label') ?? '') + ' at ' + el.selectionStart : (el?.tagName ?? 'nothing') + ' has the keyboard'
    })()`)
    expect(next).toBe('Message #lobby at 9')
    await peer.page.keyboard.insertText(',')
    await eventually(() => peer.page.getByRole('group', { name: 'Insert an emoji' }).count()).toBe(0)
    await eventually(() => box.inputValue()).toBe('see you🚀, there')
    await send(peer.page, (await box.inputValue()) + '!')
    await eventually(async () => (await shownMessages(peer.page)).map((m) => m.text)).toEqual(['see you🚀, there!'])
    // The one just used comes first next time.
    await peer.page.getByRole('button', { name: 'Insert an emoji' }).click()
    expect(await peer.page.getByRole('group', { name: 'Insert an emoji' }).getByRole('button').first().getAttribute('aria-label')).toBe('Insert 🚀')
  })

  it('emoji by name: ":ta" offers 🎉 first (a common one, before 🍊 :tangerine:), ":+1:" typed whole becomes 👍, and the picker searches every emoji', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Enzo')
    const box = peer.page.getByRole('textbox', { name: 'Message #lobby' })
    await box.pressSequentially('well done :ta')
    const list = peer.page.getByRole('listbox', { name: 'Emoji' })
    await eventually(() => list.getByRole('option').first().textContent()).toBe('🎉 :tada:')
    // The box points at the offered emoji, as it does for @names.
    expect(await box.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').first().getAttribute('id'))
    await box.press('Enter')
    await eventually(() => box.inputValue()).toBe('well done 🎉')
    expect(await list.count()).toBe(0)
    await box.pressSequentially(' :+1: at 12:30:')
    // Only a name that is one turns into its emoji; a time stays a time.
    await eventually(() => box.inputValue()).toBe('well done 🎉 👍 at 12:30:')

    // The picker's search: every emoji by name, Enter takes the first.
    await peer.page.getByRole('button', { name: 'Insert an emoji' }).click()
    await peer.page.getByRole('textbox', { name: 'Search emoji' }).fill('rocket')
    await eventually(() => peer.page.getByRole('group', { name: 'Insert an emoji' }).getByRole('button').first().getAttribute('aria-label')).toBe('Insert 🚀 rocket')
    await peer.page.keyboard.press('Enter')
    await eventually(() => box.inputValue()).toBe('well done 🎉 👍 at 12:30:🚀')
    await peer.page.getByRole('button', { name: 'Insert an emoji' }).click()
    await peer.page.getByRole('textbox', { name: 'Search emoji' }).fill('qqqzz')
    await eventually(() => peer.page.getByRole('status').filter({ hasText: 'No emoji by that name.' }).isVisible()).toBe(true)
    await peer.page.keyboard.press('Escape')
    await send(peer.page, (await box.inputValue()))
    // What is sent is the emoji themselves, not their names.
    await eventually(async () => (await shownMessages(peer.page)).map((m) => m.text)).toEqual(['well done 🎉 👍 at 12:30:🚀'])
  })

  it('an emoji picked by name is offered first the next time, and in the picker', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Tess')
    const box = peer.page.getByRole('textbox', { name: 'Message #lobby' })
    const first = () => peer.page.getByRole('listbox', { name: 'Emoji' }).getByRole('option').first().textContent()
    await box.pressSequentially('a :tax')
    await eventually(first).toBe('🚕 :taxi:')
    await box.press('Enter')
    await eventually(() => box.inputValue()).toBe('a 🚕')
    // ":ta" offered 🎉 before; now the taxi just used comes first.
    await box.pressSequentially(' :ta')
    await eventually(first).toBe('🚕 :taxi:')
    await box.press('Escape')
    await peer.page.getByRole('button', { name: 'Insert an emoji' }).click()
    await eventually(() => peer.page.getByRole('group', { name: 'Insert an emoji' }).getByRole('button').first().getAttribute('aria-label')).toBe('Insert 🚕')
  })

  it('shows the 64 KiB limit before sending, and main refuses an oversized request from the page', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Erin')
    const box = peer.page.getByRole('textbox', { name: 'Message #lobby' })
    await box.fill('é'.repeat(33_000))
    await eventually(() => peer.page.getByTestId('size').textContent()).toMatch(/66,000 bytes — over the 64 KiB limit/)
    expect(await peer.page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true)
    await box.press('Enter')
    expect(await shownMessages(peer.page)).toEqual([])

    // A page that skips the UI still meets main's schema check.
    const answer = await peer.page.evaluate(() => (globalThis as unknown as { lanchat: LanChatApi }).lanchat.send({ room: 'lobby', text: 'x'.repeat(70_000) }))
    expect(answer.ok).toBe(false)
    expect(answer.ok ? '' : answer.error.name).toBe('InvalidRequestError')
    expect(answer.ok ? '' : answer.error.message).toMatch(/at most 64 KiB/)
  })

  // The test host's own page server and IPC bridge: the Electron app has app:// and ipcMain instead (main/app tests).
  it.skipIf(LAUNCHER === 'electron')('serves the page with a script-src self CSP, and its IPC bridge refuses other origins', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    const response = await fetch(peer.host.url)
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
    const outcome = (origin: string): Promise<string> => new Promise((resolve) => {
      const ws = new WebSocket(`${peer.host.url.replace('http', 'ws')}/__bridge`, { headers: { origin } })
      ws.on('open', () => {
        ws.close()
        resolve('open')
      })
      ws.on('error', () => resolve('refused'))
    })
    expect(await outcome('http://evil.example')).toBe('refused')
    expect(await outcome(peer.host.url)).toBe('open')
  })
})
