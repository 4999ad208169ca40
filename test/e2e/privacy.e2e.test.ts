/**
 * End to end, issue 16 ("Private conversations") through the real UI in
 * Chromium: the network key in Settings.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openTab, selfId } from './views.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { chooseName, connectByAddress, eventually, leftRandom, listenPort, openPeer, peerCount, send, shownMessages, texts, useSession } from './harness.js'

const session = useSession()

/** Open the conversation with `name` from the peer list, and wait until it is on screen (what is typed then goes to it). */
async function startDm(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Message ${name} privately` }).click()
  await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`@${name}`)
  // Marked private by a drawn lock, which every system shows (an emoji is an empty box without an emoji font).
  await expect(page.getByRole('heading', { level: 1 }).getByRole('img', { name: 'Private' }).locator('svg').count()).resolves.toBe(1)
}

/** Create a private room through its dialog; the dialog that says it is ready (with its invite code). */
async function createPrivateRoom(page: Page, name: string) {
  await page.getByRole('button', { name: 'Create or join a private room' }).click()
  const dialog = page.getByRole('dialog', { name: 'Private room' })
  await dialog.getByLabel('New private room').fill(name)
  await dialog.getByRole('button', { name: 'Create' }).click()
  return page.getByRole('dialog', { name: 'Private room created' })
}
const { open } = session

/** Alice's new private room, its invite sent to Bob from the ready dialog, and Bob in it from his DMs. */
async function inviteAndJoin(a: Page, b: Page, name: string): Promise<void> {
  const ready = await createPrivateRoom(a, name)
  await eventually(() => ready.getByRole('button', { name: 'Send the invite' }).isEnabled()).toBe(true)
  await ready.getByRole('button', { name: 'Send the invite' }).click()
  await eventually(() => ready.getByRole('status').isVisible()).toBe(true)
  await ready.getByRole('button', { name: 'Open the room' }).click()
  await b.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ }).click()
  await b.getByRole('group', { name: `Invitation to the private room ${name}` }).getByRole('button', { name: 'Join the room' }).click()
  await eventually(() => b.getByRole('heading', { level: 1 }).textContent()).toBe(`${name}`)
  // Its message box names it as the header does: "#" is for rooms everyone reads.
  await eventually(() => b.getByRole('textbox', { name: `Message ${name}` }).count()).toBe(1)
  // A long name ends in "…" in the header: the whole of it is in the tooltip.
  await expect(b.getByRole('heading', { level: 1 }).getAttribute('title')).resolves.toMatch(new RegExp(`^${name}: invite-only`))
}

/** The notes of a private room's timeline on the page (who joined, left, was removed), top to bottom. */
const notes = (page: Page): Promise<string[]> => page.locator('[data-testid="note"] > span').allTextContents()

/** The room's timeline on the page: each message's text and each note, in the order shown. */
const timeline = (page: Page): Promise<string[]> => page.locator('[data-testid="note"] > span, [data-testid="message-text"]').allTextContents()

async function onePeer(name: string): Promise<Page> {
  const peer = await openPeer(session.browser)
  open.push(peer)
  await chooseName(peer.page, name)
  return peer.page
}

async function openSettings(page: Page): Promise<ReturnType<Page['getByRole']>> {
  await page.getByRole('button', { name: 'Settings' }).click()
  return page.getByRole('dialog', { name: 'Settings' })
}

describe('the network key', () => {
  it('a malformed key is refused and nothing changes; a generated key keeps out a peer without it, and the same key pasted lets it in', async () => {
    const a = await onePeer('Ada')
    const b = await onePeer('Bea')
    const portBefore = await listenPort(a)

    let dialog = await openSettings(a)
    await dialog.getByLabel('Only computers with this network key can connect').check()
    await dialog.getByLabel('Network key (64 hex digits)').fill('not a key')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.getByRole('alert').textContent()).toMatch(/network key/i)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    dialog = await openSettings(a)
    expect(await dialog.getByLabel('Only computers with this network key can connect').isChecked()).toBe(false)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(await listenPort(a)).toBe(portBefore)

    dialog = await openSettings(a)
    await dialog.getByLabel('Only computers with this network key can connect').check()
    await dialog.getByRole('button', { name: 'Generate' }).click()
    const key = await dialog.getByLabel('Network key (64 hex digits)').inputValue()
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.isVisible()).toBe(false)

    // Bea has no key: the handshake fails, neither side shows a peer, and Bea is told a key may be why.
    const port = await listenPort(a)
    await connectByAddress(b, `127.0.0.1:${port}`)
    const connect = b.getByRole('dialog', { name: 'Connect to address' })
    await eventually(() => connect.getByRole('alert').textContent()).toMatch(/^127\.0\.0\.1:\d+ answered, but the two could not talk: it is not LAN Chat, or one of you uses a network key the other does not/)
    await b.keyboard.press('Escape')
    expect(await peerCount(a)).not.toBe('1 peer connected')

    dialog = await openSettings(b)
    await dialog.getByLabel('Only computers with this network key can connect').check()
    await dialog.getByLabel('Network key (64 hex digits)').fill(key.toUpperCase())
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => dialog.isVisible()).toBe(false)
    await connectByAddress(b, `127.0.0.1:${port}`)
    await eventually(() => peerCount(a)).toBe('1 peer connected')
    await eventually(() => peerCount(b)).toBe('1 peer connected')
  })
})

describe('direct messages', () => {
  it('start a DM from the peer list; the other page lists it under Direct messages with an unread count; both read it with a lock; rooms stay apart', async () => {
    const { a, b } = await session.pair()
    expect(await a.page.getByRole('textbox', { name: 'Message #lobby' }).count()).toBe(1)
    await startDm(a.page, 'Bob')
    expect(await a.page.getByRole('textbox', { name: 'Message @Bob' }).count()).toBe(1)
    // Its members are the two of them, though neither wrote yet.
    await a.page.getByRole('button', { name: 'Members' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => members.getByTestId('member').allTextContents()).toEqual([expect.stringMatching(/^\s*You /), expect.stringMatching(/^\s*Bob /)])
    await expect(members.textContent()).resolves.toContain('The two of you: nobody else can read this conversation.')
    await a.page.keyboard.press('Escape')
    await eventually(() => members.count()).toBe(0)
    await send(a.page, 'just between us')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['just between us'])

    const dms = b.page.getByRole('navigation', { name: 'Direct messages' })
    const alice = dms.getByRole('button', { name: /^Private Alice/ })
    await eventually(() => alice.isVisible()).toBe(true)
    await eventually(() => alice.getByLabel('1 unread').isVisible()).toBe(true)
    // The lobby stays as it was, and the DM is no room.
    expect(await b.page.locator('[data-room]').allTextContents()).toEqual(['#lobby'])
    expect(await shownMessages(b.page)).toEqual([])

    await alice.click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Alice')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['just between us'])
    // Polled: the row shown from the live message is laid out again when the conversation's first page comes.
    await eventually(() => b.page.getByTestId('message').getByRole('img', { name: 'End-to-end encrypted' }).count()).toBe(1)
    expect(await alice.getByLabel(/unread/).count()).toBe(0)
    // The DM view, its lock and the Direct messages list pass axe-core, light and dark.
    for (const colorScheme of ['light', 'dark'] as const) {
      await b.page.emulateMedia({ colorScheme })
      const { violations } = await new AxeBuilder({ page: b.page }).analyze()
      expect(violations.flatMap((v) => v.nodes.map((n) => `${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    }
    await send(b.page, 'agreed')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['just between us', 'agreed'])

    // Back in the lobby, a public message is not sealed.
    await b.page.locator('[data-room="lobby"]').click()
    await send(b.page, 'hello all')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['hello all'])
    expect(await b.page.getByTestId('message').getByRole('img', { name: 'End-to-end encrypted' }).count()).toBe(0)

    // The walkthrough says what the encryption hides and what a relay still sees.
    await openTab(b.page, 'Walkthrough')
    await b.page.getByRole('navigation', { name: 'Concepts' }).getByRole('button', { name: '8' }).click()
    await eventually(() => b.page.getByRole('heading', { name: 'What encryption hides, and what a relay still sees' }).isVisible()).toBe(true)
    expect(await b.page.getByTestId('walkthrough').textContent()).toMatch(/who wrote to whom/)
  })
})

describe('delivery in a direct message', () => {
  it('counts its one reader: Carol, who carries Alice\'s DM to Bob sealed and says she delivered it, is not counted', async () => {
    const { a, b, c } = await session.trio()
    await startDm(a.page, 'Bob')
    await send(a.page, 'for Bob alone')
    const row = a.page.getByTestId('message').filter({ hasText: 'for Bob alone' })
    // Both receipts have reached Alice's engine: Bob's, and Carol's for the sealed copy she holds.
    const [bob, carol] = [await selfId(b), await selfId(c)]
    const dm = (await a.host.call('dms')).find((d) => d.peerId === bob)?.room ?? ''
    await eventually(async () => (await a.host.call('trace', { room: dm })).messages.find((m) => m.text === 'for Bob alone')?.receipts.map((r) => r.by).filter((by) => by === bob || by === carol).sort()).toEqual([bob, carol].sort())
    await eventually(() => row.getByTestId('delivered-to').textContent()).toBe('1/1')
    expect(await row.getByRole('img', { name: /^Sent, / }).getAttribute('aria-label')).toBe('Sent, delivered to Bob')
    // A screen reader hears the conversation by whom it is with, not by its internal id.
    expect(await a.page.getByRole('region', { name: /^(Messages in|Direct messages)/ }).getAttribute('aria-label')).toBe('Direct messages with Bob')
  })
})

describe('drafts stay with their conversation', () => {
  it('closing a conversation takes it off the list and back to the lobby; it comes back, unread, when the other writes again', async () => {
    const { a, b } = await session.pair()
    await startDm(a.page, 'Bob')
    await send(a.page, 'are you free at 3?')
    const dms = b.page.getByRole('navigation', { name: 'Direct messages' })
    const alice = dms.getByRole('button', { name: /^Private Alice/ })
    await eventually(() => alice.isVisible()).toBe(true)
    await alice.click()
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['are you free at 3?'])
    await alice.hover()
    await dms.getByRole('button', { name: 'Close the conversation with Alice' }).click()
    await eventually(() => alice.count()).toBe(0)
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    // Alice's list is hers: still there.
    expect(await a.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Bob/ }).count()).toBe(1)

    await send(a.page, 'or at 4?')
    await eventually(() => alice.getByLabel('1 unread').isVisible()).toBe(true)
    await alice.click()
    // Its history stayed.
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['are you free at 3?', 'or at 4?'])
  })

  it('the conversation with the newest message is listed first, and moves up when written in', async () => {
    const { a, b } = await session.pair()
    await startDm(a.page, 'Bob')
    await send(a.page, 'one')
    const dms = b.page.getByRole('navigation', { name: 'Direct messages' })
    const listed = (): Promise<string[]> => dms.locator('[data-dm]').evaluateAll((all) => all.map((e) => e.getAttribute('data-dm') ?? ''))
    await eventually(listed).toEqual([await selfId(a)])
    // Bob writes to someone not on the LAN now (any peer id can be written to; it waits to be delivered): on top.
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    await b.host.call('send', { to: stranger, text: 'are you around?' })
    await eventually(listed).toEqual([stranger, await selfId(a)])
    // Alice answers: her conversation goes back on top, also after a reload (the engine lists it so).
    await send(a.page, 'two')
    await eventually(listed).toEqual([await selfId(a), stranger])
    await b.page.reload()
    await eventually(listed).toEqual([await selfId(a), stranger])
  })

  it('a click on a message\'s notification opens its conversation at that message', async () => {
    const { a, b } = await session.pair()
    await startDm(a.page, 'Bob')
    await send(a.page, 'the code is on the whiteboard')
    await eventually(async () => (await b.host.call('dms')).length).toBe(1)
    const dm = (await b.host.call('dms'))[0]!.room
    await eventually(async () => (await b.host.call('history', { room: dm })).length).toBe(1)
    const message = (await b.host.call('history', { room: dm }))[0]!
    expect(await b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    // What Electron's main sends the window when its notification is clicked (main/index.ts).
    await b.host.emit({ type: 'open', room: dm, id: message.id })
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Alice')
    const shown = b.page.getByTestId('message').filter({ hasText: 'the code is on the whiteboard' })
    await eventually(() => shown.getAttribute('aria-current')).toBe('true')
  })

  it('a click on the notification of a message in a room one left opens it read only, with Join, not joined again', async () => {
    const { a, b } = await session.pair()
    const { heading, rooms, joinedKept } = await leftRandom(a, b)
    // Alice answers there; Bob's notification for it was up before he left, and he clicks it now.
    const answer = await a.host.call('send', { room: 'random', text: 'in the top drawer' })
    await eventually(async () => (await b.host.call('history', { room: 'random' })).map((m) => m.id)).toContain(answer.id)
    // What Electron's main sends the window when its notification is clicked (main/index.ts).
    await b.host.emit({ type: 'open', room: 'random', id: answer.id })
    await eventually(heading).toBe('#random')
    const shown = b.page.locator('[data-testid="message"][aria-current="true"]')
    await eventually(() => shown.getByTestId('message-text').textContent()).toBe('in the top drawer')
    // Read only, as a search hit there opens it: the bar with Join where the box was, not listed, not kept as joined.
    const bar = b.page.getByTestId('not-joined')
    await eventually(() => bar.textContent()).toMatch(/^You left #random: /)
    expect(await b.page.getByRole('textbox', { name: 'Message #random' }).count()).toBe(0)
    expect(await rooms.locator('[data-room="random"]').count()).toBe(0)
    expect(await joinedKept()).toBe(false)
    await bar.getByRole('button', { name: 'Join #random' }).click()
    await eventually(joinedKept).toBe(true)
  })

  it('what is typed to Bob never follows Alice into the lobby, where Enter would post it; each box gets the keyboard when its conversation opens', async () => {
    const { a, b } = await session.pair()
    const box = a.page.getByRole('textbox', { name: /^Message [#@]/ })
    await a.page.getByRole('textbox', { name: 'Message #lobby' }).fill('half a thought for everyone')

    await startDm(a.page, 'Bob')
    // A new DM says who can read it (not the room's internal name), and the keyboard is in its box, empty.
    expect(await a.page.getByText('No messages with @Bob yet. Only the two of you can read what you write here.').isVisible()).toBe(true)
    await eventually(() => box.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true)
    expect(await box.inputValue()).toBe('')
    await a.page.keyboard.type('my PIN is 4711')

    // Into the lobby: its own draft comes back, not the DM's; Enter posts only that.
    await a.page.locator('[data-room="lobby"]').click()
    await eventually(() => box.getAttribute('aria-label')).toBe('Message #lobby')
    expect(await box.inputValue()).toBe('half a thought for everyone')
    await eventually(() => box.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true)
    await a.page.keyboard.type('!')
    await a.page.keyboard.press('Enter')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['half a thought for everyone!'])

    // Back to Bob: the private draft waits there, caret at its end.
    await a.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Bob/ }).click()
    await eventually(() => box.getAttribute('aria-label')).toBe('Message @Bob')
    expect(await box.inputValue()).toBe('my PIN is 4711')
    await a.page.keyboard.type(', do not share')
    expect(await box.inputValue()).toBe('my PIN is 4711, do not share')
    expect(texts(await shownMessages(b.page))).toEqual(['half a thought for everyone!'])

    // Alt+Down and Alt+Up step through the sidebar's conversations, wrapping at the ends; each keeps its draft.
    await a.page.keyboard.press('Alt+ArrowDown')
    await eventually(() => box.getAttribute('aria-label')).toBe('Message #lobby')
    expect(await box.inputValue()).toBe('')
    await a.page.keyboard.press('Alt+ArrowUp')
    await eventually(() => box.getAttribute('aria-label')).toBe('Message @Bob')
    expect(await box.inputValue()).toBe('my PIN is 4711, do not share')
    // On a drop-down, Alt+Down is the system's key that opens it: the conversation stays, the key not taken from it.
    const order = a.page.getByRole('combobox', { name: 'Message order' })
    await order.focus()
    // A page script as a string: the Node world has no DOM types.
    const taken = await a.page.evaluate<boolean>("(() => { const key = new KeyboardEvent('keydown', { key: 'ArrowDown', altKey: true, bubbles: true, cancelable: true }); document.activeElement.dispatchEvent(key); return key.defaultPrevented })()")
    expect(taken).toBe(false)
    await a.page.keyboard.press('Alt+ArrowDown')
    await a.page.waitForTimeout(300)
    expect(await box.getAttribute('aria-label')).toBe('Message @Bob')
  })
})

describe('drafts across a restart', () => {
  it('a public room\'s draft comes back after a restart, a sent one does not, and a DM\'s never reaches the disk', async () => {
    const { a } = await session.pair()
    const settingsFile = join(a.dataDir, 'app-settings.json')
    const onDisk = async (): Promise<string> => readFile(settingsFile, 'utf8').catch(() => '')
    const box = a.page.getByRole('textbox', { name: /^Message [#@]/ })
    await a.page.getByRole('button', { name: 'Message Bob privately' }).click()
    await eventually(() => box.getAttribute('aria-label')).toBe('Message @Bob')
    await a.page.keyboard.type('my PIN is 4711')
    await a.page.locator('[data-room="lobby"]').click()
    await eventually(() => box.getAttribute('aria-label')).toBe('Message #lobby')
    await a.page.keyboard.type('notes for the retro')
    // Written a moment after the typing stops, as the settings are.
    await eventually(async () => (JSON.parse(await onDisk() || '{}') as { drafts?: unknown }).drafts).toEqual({ lobby: 'notes for the retro' })
    // The DM's draft was typed first and is long past its moment: it is not there, in any form.
    expect(await onDisk()).not.toContain('4711')

    await a.close()
    open.splice(open.indexOf(a), 1)
    const again = await openPeer(session.browser, { dataDir: a.dataDir })
    open.push(again)
    const box2 = again.page.getByRole('textbox', { name: /^Message [#@]/ })
    await eventually(() => box2.inputValue()).toBe('notes for the retro')
    // Sending it drops it from the disk at once: after the next restart the box is empty.
    await box2.press('Enter')
    await eventually(async () => texts(await shownMessages(again.page))).toContain('notes for the retro')
    await eventually(async () => (JSON.parse(await onDisk()) as { drafts?: unknown }).drafts).toEqual({})
    // The DM's draft went with the run that held it.
    await again.page.getByRole('button', { name: 'Message Bob privately' }).click()
    await eventually(() => box2.getAttribute('aria-label')).toBe('Message @Bob')
    expect(await box2.inputValue()).toBe('')
    // And the settings refuse a DM's draft from a window that would try.
    const dm = (await again.host.call('dms')).find((d) => d.name === 'Bob')!.room
    await expect(again.host.call('saveDraft', { room: dm, text: 'my PIN is 4711' })).rejects.toThrow(/never written to disk unsealed/)
  })
})

/** Alice hosts a hub in her app, Bob joins it by address: both are its clients, and each one's peer list is the hub. */
async function hubPair(): ReturnType<typeof session.pair> {
  const pair = await session.pair()
  const settings = async (page: Page, change: (d: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> => {
    await page.getByRole('button', { name: 'Settings' }).click()
    const d = page.getByRole('dialog', { name: 'Settings' })
    await change(d)
    await d.getByRole('button', { name: 'Save' }).click()
    await eventually(() => d.isVisible()).toBe(false)
  }
  await settings(pair.a.page, (d) => d.getByLabel('Host a server on this computer').check())
  await eventually(() => pair.a.page.getByTestId('architecture').textContent()).toBe('Client–server')
  const hub = (await pair.a.host.call('snapshot')).hub!
  await settings(pair.b.page, async (d) => {
    await d.getByLabel('Client–server').check()
    await d.getByLabel('Server address').fill(hub.addrs[0]!)
  })
  await eventually(() => pair.b.page.getByTestId('architecture').textContent()).toBe('Client–server')
  return pair
}

describe('direct messages in client–server mode', () => {
  it('a client starts a DM from an author\'s name (its peer list is the hub) and the other client reads it', async () => {
    const { a, b } = await hubPair()
    // Opened from the peer list, where a fellow client is known by presence alone: named, not by its id.
    await a.page.getByTestId('peer').filter({ hasText: /^Bob/ }).getByRole('button', { name: 'Message Bob privately' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    await a.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /lobby/ }).click()
    await send(a.page, 'ask me anything')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['ask me anything'])

    // The hub tells each client who else is there: Alice is in Bob's peer list, online.
    await eventually(() => b.page.getByTestId('peer').filter({ hasText: /^Alice/ }).getByRole('img', { name: 'online' }).count()).toBe(1)
    // The hub is listed as the server, with no way to write to it privately (nobody would read it).
    const hubRow = b.page.getByTestId('peer').filter({ hasText: 'server' })
    await eventually(() => hubRow.count()).toBe(1)
    expect(await hubRow.getByRole('button', { name: /privately/ }).count()).toBe(0)
    // From her name on her message (the peer list offers it too now: presence lists the hub's other clients).
    await b.page.getByTestId('message').getByRole('button', { name: 'Message Alice privately' }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Alice')
    await send(b.page, 'through a hub that cannot read it')
    const alice = a.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Bob/ })
    await eventually(() => alice.getByLabel('1 unread').isVisible()).toBe(true)
    await alice.click()
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['through a hub that cannot read it'])
    const room = (await a.host.call('dms'))[0]!.room
    expect((await a.host.call('history', { room })).map((m) => [m.text, m.seq !== undefined, m.private])).toEqual([['through a hub that cannot read it', true, true]])
  })
})

describe('invite-only rooms', () => {
  it('create a private room, copy the invite, join it from the other page, remove a member', async () => {
    const { a, b } = await session.pair()
    const ready = await createPrivateRoom(a.page, 'Design')
    const code = await ready.getByLabel('Invite code').inputValue()
    expect(code).toMatch(/^lanchat-invite:/)
    // The same code as a QR code, to scan off the screen.
    await eventually(() => ready.getByRole('img', { name: 'The invite code as a QR code' }).getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/)
    await ready.getByRole('button', { name: 'Open the room' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('Design')
    // Alice waits in the lobby while Bob joins.
    await a.page.locator('[data-room="lobby"]').click()
    await eventually(() => a.page.getByRole('textbox', { name: 'Message #lobby' }).count()).toBe(1)

    await b.page.getByRole('button', { name: 'Create or join a private room' }).click()
    const dialog = b.page.getByRole('dialog', { name: 'Private room' })
    await dialog.getByLabel('Join with an invite code').fill('lanchat-invite:garbage')
    await dialog.getByRole('button', { name: 'Join' }).click()
    await eventually(() => dialog.getByRole('alert').textContent()).toMatch(/invite code/)
    await dialog.getByLabel('Join with an invite code').fill(code)
    await dialog.getByRole('button', { name: 'Join' }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Design')
    expect(await b.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Design/ }).count()).toBe(1)
    await eventually(() => notes(b.page)).toEqual(['You joined the room'])

    // Bob's join reaches Alice as a line of the room's timeline, not as an unread message.
    await eventually(async () => (await a.host.call('privateRooms')).find((r) => r.name === 'Design')?.members.length).toBe(2)
    const design = a.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Design/ })
    expect(await design.getByLabel(/unread/).count()).toBe(0)
    await design.click()
    await eventually(() => notes(a.page)).toEqual(['Bob joined the room'])
    await send(a.page, 'for the team only')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['for the team only'])
    expect(await b.page.getByTestId('message').getByRole('img', { name: 'End-to-end encrypted' }).count()).toBe(1)

    await a.page.getByRole('button', { name: 'Members' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => members.getByTestId('member').count()).toBe(2)
    // Each other member with their presence, as in the peer list.
    await eventually(() => members.getByTestId('member').filter({ hasText: 'Bob' }).getByRole('img', { name: 'online' }).count()).toBe(1)
    for (const colorScheme of ['light', 'dark'] as const) {
      await a.page.emulateMedia({ colorScheme })
      const { violations } = await new AxeBuilder({ page: a.page }).analyze()
      expect(violations.flatMap((v) => v.nodes.map((n) => `members, ${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    }
    // A removal is for good: asked first, on Bob's row; Cancel keeps him.
    await members.getByRole('button', { name: 'Remove Bob' }).click()
    const sure = members.getByRole('group', { name: 'Remove Bob?' })
    await eventually(() => sure.getByText(/unless you invite them back/).isVisible()).toBe(true)
    for (const colorScheme of ['light', 'dark'] as const) {
      await a.page.emulateMedia({ colorScheme })
      const { violations } = await new AxeBuilder({ page: a.page }).analyze()
      expect(violations.flatMap((v) => v.nodes.map((n) => `asked to remove, ${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    }
    await sure.getByRole('button', { name: 'Cancel' }).click()
    expect(await members.getByTestId('member').count()).toBe(2)
    await members.getByRole('button', { name: 'Remove Bob' }).click()
    await members.getByRole('group', { name: 'Remove Bob?' }).getByRole('button', { name: 'Remove Bob' }).click()
    await eventually(() => members.getByTestId('member').count()).toBe(1)
    // Only Alice's invite back lets Bob in again: offered as that.
    await eventually(() => members.getByLabel('Invite someone').locator('option').allTextContents()).toEqual([expect.stringMatching(/^Bob.*, removed: invite back$/)])
    expect(await members.getByRole('button', { name: 'Invite back' }).count()).toBe(1)
    await members.getByRole('button', { name: 'Close' }).last().click()
    await send(a.page, 'after Bob left')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['for the team only', 'after Bob left'])
    await eventually(() => a.page.getByTestId('reach').textContent()).toBe('only you')
    // The removal is said in its place in the timeline; the lines pass axe-core in both themes.
    expect(await timeline(a.page)).toEqual(['Bob joined the room', 'for the team only', 'You removed Bob', 'after Bob left'])
    for (const colorScheme of ['light', 'dark'] as const) {
      await a.page.emulateMedia({ colorScheme })
      const { violations } = await new AxeBuilder({ page: a.page }).include('[data-testid="note"]').analyze()
      expect(violations.flatMap((v) => v.nodes.map((n) => `notes, ${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    }

    // Bob, reading the room, is told as it happens: no message box that could reach nobody.
    const removed = b.page.getByRole('status').filter({ hasText: 'You were removed from Design' })
    await eventually(() => removed.isVisible()).toBe(true)
    await eventually(() => b.page.getByTestId('reach').textContent()).toBe('you were removed: read only')
    // The box he was in went from under his keyboard: the room's messages have it, not the page's body.
    const list = b.page.getByRole('region', { name: 'Messages in Design' })
    await eventually(() => list.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)).toBe(true)
    // The lock is drawn, not an emoji a system without an emoji font shows as an empty box.
    expect(await removed.getByRole('img', { name: 'the private room' }).locator('svg').count()).toBe(1)
    expect(await b.page.getByRole('textbox', { name: /^Message/ }).count()).toBe(0)
    await b.page.getByRole('button', { name: 'Members' }).click()
    await eventually(() => b.page.getByRole('dialog', { name: 'Members' }).getByText(/You were removed/).isVisible()).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(texts(await shownMessages(b.page))).toEqual(['for the team only'])
    expect(await timeline(b.page)).toEqual(['You joined the room', 'for the team only', 'Alice removed you'])
    await b.page.keyboard.press('Escape')
    // Nothing he writes there reaches anyone: no Reply (no box to reply in) nor React, each refused; his own copy and list stay.
    await b.page.getByTestId('message').first().hover()
    await expect(b.page.getByTestId('message').first().locator('.actions button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).resolves.toEqual(['Forward…', 'Save message for later', 'Copy text'])
    // The × on its row stops listing it, asked first in words that fit a removal.
    const privates = b.page.getByRole('navigation', { name: 'Private rooms' })
    await privates.locator('[data-private]').hover()
    await privates.getByRole('button', { name: 'Leave Design' }).click()
    const ask = b.page.getByRole('dialog', { name: 'Leave the private room' })
    await eventually(() => ask.getByText(/^You were removed from it/).isVisible()).toBe(true)
    await ask.getByRole('button', { name: 'Leave the room' }).click()
    await eventually(() => privates.locator('[data-private]').count()).toBe(0)
  })

  it('Bob joins with an invite from before a removal: Alice is told and her list says so, Bob\'s room says what it waits for; Alice gives him the key and he reads on', async () => {
    const { a, b } = await session.pair()
    const cat = await openPeer(session.browser)
    open.push(cat)
    await chooseName(cat.page, 'Cat')
    await cat.host.call('dial', { address: `127.0.0.1:${await listenPort(a.page)}` })
    const idOf = async (p: typeof a): Promise<string> => {
      const status = (await p.host.call('snapshot')).status
      if (status.state !== 'running') throw new Error(`engine ${status.state}`)
      return status.peerId
    }
    const made = await a.host.call('createPrivateRoom', { name: 'Crew' })
    await cat.host.call('joinInvite', { code: made.invite })
    await eventually(async () => (await a.host.call('privateRoom', { room: made.room })).members.length).toBe(2)
    await a.host.call('removeMember', { room: made.room, peerId: await idOf(cat) })
    // Bob hears of the removal (a lobby message after it reaches him), then uses the code from before it.
    await a.host.call('send', { room: 'lobby', text: 'after the removal' })
    await eventually(async () => texts(await shownMessages(b.page))).toContain('after the removal')
    await b.host.call('joinInvite', { code: made.invite })
    await eventually(() => a.page.getByRole('alert').filter({ hasText: 'Joined with an old invite' }).filter({ hasText: 'Bob joined "Crew"' }).isVisible()).toBe(true)
    await a.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Crew/ }).click()
    await eventually(() => a.page.getByTestId('reach').textContent()).toBe('2 members · 2 online')
    await send(a.page, 'written since')
    // Bob's room says it holds messages his keys do not open, and whom to ask.
    await b.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Crew/ }).click()
    const waits = b.page.getByTestId('waits-for-key')
    await eventually(() => waits.textContent()).toMatch(/ask Alice, who created it, to give you its key/)
    expect(texts(await shownMessages(b.page))).not.toContain('written since')
    // Said by the room, not by a toast for each message.
    expect(await b.page.getByRole('alert').filter({ hasText: 'no key of the room' }).count()).toBe(0)
    // One click to ask her: the conversation with Alice opens; back to the room, it still says so.
    await waits.getByRole('button', { name: 'Message Alice' }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Alice')
    await b.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Crew/ }).click()
    await eventually(() => waits.isVisible()).toBe(true)
    for (const colorScheme of ['light', 'dark'] as const) {
      await b.page.emulateMedia({ colorScheme })
      const { violations } = await new AxeBuilder({ page: b.page }).analyze()
      expect(violations.flatMap((v) => v.nodes.map((n) => `waits for a key, ${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    }
    // Bob restarts, after a lobby message (so his start has nothing sealed to take in again): his room still says it waits.
    await a.host.call('send', { room: 'lobby', text: 'in the open' })
    await eventually(async () => (await b.host.call('history', { room: 'lobby' })).map((m) => m.text)).toContain('in the open')
    await b.close()
    open.splice(open.indexOf(b), 1)
    const again = await openPeer(session.browser, { dataDir: b.dataDir })
    open.push(again)
    await again.host.call('dial', { address: `127.0.0.1:${await listenPort(a.page)}` })
    await again.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Crew/ }).click()
    const stillWaits = again.page.getByTestId('waits-for-key')
    await eventually(() => stillWaits.isVisible()).toBe(true)
    expect(texts(await shownMessages(again.page))).not.toContain('written since')
    await a.page.getByRole('button', { name: 'Members' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    const bob = members.getByTestId('member').filter({ hasText: 'Bob' })
    await eventually(() => bob.getByTestId('old-invite').isVisible()).toBe(true)
    for (const colorScheme of ['light', 'dark'] as const) {
      await a.page.emulateMedia({ colorScheme })
      const { violations } = await new AxeBuilder({ page: a.page }).analyze()
      expect(violations.flatMap((v) => v.nodes.map((n) => `old invite, ${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    }
    await bob.getByRole('button', { name: 'Give the key to Bob' }).click()
    await eventually(() => bob.getByTestId('old-invite').count()).toBe(0)
    // What waited shows without a reload, though the restart lost what the engine held to announce.
    await eventually(async () => texts(await shownMessages(again.page))).toContain('written since')
    await eventually(() => stillWaits.count()).toBe(0)
  })

  it('removed while cut off: what Bob wrote meanwhile, which Alice refuses, is marked on his page as reaching nobody', async () => {
    const { a, b } = await session.pair()
    const idOf = async (p: typeof a): Promise<string> => {
      const status = (await p.host.call('snapshot')).status
      if (status.state !== 'running') throw new Error(`engine ${status.state}`)
      return status.peerId
    }
    const [alice, bob] = [await idOf(a), await idOf(b)]
    const made = await a.host.call('createPrivateRoom', { name: 'Night shift' })
    await b.host.call('joinInvite', { code: made.invite })
    await eventually(async () => (await a.host.call('privateRoom', { room: made.room })).members.length).toBe(2)
    await b.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Night shift/ }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Night shift')
    // Bob is cut off from Alice, who removes him; he goes on writing, not knowing.
    await b.host.call('block', { peerId: alice })
    await a.host.call('removeMember', { room: made.room, peerId: bob })
    for (const text of ['one', 'two', 'three']) await send(b.page, text)
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['one', 'two', 'three'])
    expect(await b.page.getByTestId('refused').count()).toBe(0)
    await b.host.call('unblock', { peerId: alice })
    await b.host.call('dial', { address: `127.0.0.1:${await listenPort(a.page)}` })
    await eventually(() => b.page.getByRole('status').filter({ hasText: 'You were removed from Night shift' }).isVisible()).toBe(true)
    // Marked on Bob's page: exactly what Alice does not show.
    await eventually(() => b.page.getByTestId('refused').count()).toBeGreaterThan(0)
    const shownByAlice = new Set((await a.host.call('history', { room: made.room })).map((m) => m.text))
    const marked = await b.page.getByTestId('message').filter({ has: b.page.getByTestId('refused') }).getByTestId('message-text').allTextContents()
    expect(marked).toEqual(['one', 'two', 'three'].filter((t) => !shownByAlice.has(t)))
    expect(await b.page.getByTestId('refused').first().textContent()).toBe('Not delivered: you had been removed from this room before it reached the others')
    const { violations } = await new AxeBuilder({ page: b.page }).analyze()
    expect(violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`))).toEqual([])
  })

  it('a member who saw what a removed member wrote before hearing of the removal stops showing it once it hears', async () => {
    const { a, b, c } = await session.trio()
    const [alice, bob, carol] = [await selfId(a), await selfId(b), await selfId(c)]
    const made = await a.host.call('createPrivateRoom', { name: 'Late news' })
    await b.host.call('joinInvite', { code: made.invite })
    await c.host.call('joinInvite', { code: made.invite })
    await eventually(async () => (await b.host.call('privateRoom', { room: made.room })).members.length).toBe(3)
    const earlier = await c.host.call('send', { room: made.room, text: 'carol earlier' })
    await b.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Late news/ }).click()
    const shown = async (): Promise<string[]> => texts(await shownMessages(b.page))
    await eventually(shown).toEqual(['carol earlier'])
    // Alice is cut off from both and removes Carol; Carol, not knowing, edits and writes, and Bob sees it.
    for (const [p, q] of [[a, bob], [a, carol], [b, alice], [c, alice]] as const) await p.host.call('partition', { peerId: q })
    await eventually(() => peerCount(a.page)).toBe('0 peers connected')
    await a.host.call('removeMember', { room: made.room, peerId: carol })
    await c.host.call('edit', { room: made.room, id: earlier.id, text: 'carol edited while removed' })
    await c.host.call('send', { room: made.room, text: 'carol unaware' })
    await eventually(shown).toEqual(['carol edited while removed (edited)', 'carol unaware'])
    // Healed: Bob hears of the removal and shows the room as Alice does.
    for (const p of [a, b, c]) await p.host.call('heal')
    await eventually(async () => (await b.host.call('privateRoom', { room: made.room })).members.length).toBe(2)
    await eventually(shown).toEqual(['carol earlier'])
    expect((await a.host.call('history', { room: made.room })).map((m) => m.text)).toEqual(['carol earlier'])
  })

  it('invite someone from the room\'s dialog: the invite goes in a DM, shows as an invitation there, and one click joins', async () => {
    const { a, b } = await session.pair()
    const ready = await createPrivateRoom(a.page, 'Launch')
    // Bob is the one person to invite (Alice is a member); sending it says where it went.
    await eventually(() => ready.getByLabel('Invite someone').locator('option').allTextContents()).toEqual([expect.stringMatching(/^Bob \(/)])
    await ready.getByRole('button', { name: 'Send the invite' }).click()
    await eventually(() => ready.getByRole('status').textContent()).toMatch(/^Invite sent to Bob, in your direct messages/)
    // Bob is not offered again (a second click would send him a second invite).
    expect(await ready.getByLabel('Invite someone').count()).toBe(0)
    await ready.getByRole('button', { name: 'Open the room' }).click()
    await send(a.page, 'launch on Friday')
    // Opened again before Bob joins, the room's dialog still knows he was sent one: it says so, and offers only to send it again.
    await a.page.getByRole('button', { name: 'Members' }).click()
    const before = a.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => before.getByTestId('invited').textContent()).toBe('Invited, not joined yet: Bob.')
    expect(await before.getByLabel('Invite someone').locator('option').allTextContents()).toEqual([expect.stringMatching(/^Bob \(.+\), invited already$/)])
    expect(await before.getByRole('button', { name: 'Send it again' }).count()).toBe(1)
    await before.getByRole('button', { name: 'Close', exact: true }).last().click()

    // Bob: a DM from Alice whose message is an invitation, not a code to copy.
    const dms = b.page.getByRole('navigation', { name: 'Direct messages' })
    await eventually(() => dms.getByRole('button', { name: /^Private Alice/ }).count()).toBe(1)
    await dms.getByRole('button', { name: /^Private Alice/ }).click()
    const card = b.page.getByRole('group', { name: 'Invitation to the private room Launch' })
    await eventually(() => card.isVisible()).toBe(true)
    expect(await card.textContent()).toContain('Alice invites you to this private room')
    for (const colorScheme of ['light', 'dark'] as const) {
      await b.page.emulateMedia({ colorScheme })
      const { violations } = await new AxeBuilder({ page: b.page }).include('[data-testid="invitation"]').analyze()
      expect(violations.flatMap((v) => v.nodes.map((n) => `invitation, ${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    }
    expect(await b.page.getByTestId('message').filter({ hasText: 'lanchat-invite:' }).count()).toBe(0)
    expect(await b.page.getByRole('navigation', { name: 'Private rooms' }).getByRole('button', { name: /^Private Launch/ }).count()).toBe(0)
    await card.getByRole('button', { name: 'Join the room' }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Launch')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['launch on Friday'])

    // Back in the DM the invitation now opens the room; on Alice's side her own says she sent it.
    await dms.getByRole('button', { name: /^Private Alice/ }).click()
    await eventually(() => card.getByRole('button', { name: 'Open the room' }).isVisible()).toBe(true)
    await a.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Bob/ }).click()
    const mine = a.page.getByRole('group', { name: 'Invitation to the private room Launch' })
    // Bob has joined since: it says so.
    await eventually(() => mine.textContent()).toContain('You invited Bob to this private room: they joined.')
    await mine.getByRole('button', { name: 'Open the room' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('Launch')
    // Bob is a member now: nobody is left to invite.
    await a.page.getByRole('button', { name: 'Members' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => members.getByTestId('member').count()).toBe(2)
    await eventually(() => members.getByText(/^Everyone LAN Chat knows of is in the room already/).isVisible()).toBe(true)
    // Each member with a presence dot that shows (not a sliver): it has the size it has in the peer list.
    const dot = await members.getByTestId('member').filter({ hasText: 'Bob' }).getByRole('img', { name: 'online' }).boundingBox()
    expect([Math.round(dot!.width), Math.round(dot!.height)]).toEqual([9, 9])
  })

  it('an invite code about to go into a public room is held back with a warning; Send anyway posts it, and it shows as an invitation', async () => {
    const { a, b } = await session.pair()
    const ready = await createPrivateRoom(a.page, 'Budget')
    const code = await ready.getByLabel('Invite code').inputValue()
    await ready.getByRole('button', { name: 'Close' }).click()
    await a.page.locator('[data-room="lobby"]').click()
    const box = a.page.getByRole('textbox', { name: 'Message #lobby' })
    await box.fill(code)
    await box.press('Enter')
    const warning = a.page.getByRole('alert').filter({ hasText: 'This is the invite to the private room Budget' })
    await eventually(() => warning.isVisible()).toBe(true)
    expect(await warning.textContent()).toContain('everyone who reads #lobby could join it')
    // Nothing went: the text is still in the box; Cancel keeps it there.
    expect(await box.inputValue()).toBe(code)
    await warning.getByRole('button', { name: 'Cancel' }).click()
    await eventually(() => warning.count()).toBe(0)
    expect(await box.inputValue()).toBe(code)
    expect(await shownMessages(a.page)).toEqual([])
    // Asked again on the next Enter; Send anyway posts it.
    await box.press('Enter')
    await eventually(() => warning.isVisible()).toBe(true)
    await warning.getByRole('button', { name: 'Send anyway' }).click()
    await eventually(() => box.inputValue()).toBe('')
    await eventually(() => b.page.getByRole('group', { name: 'Invitation to the private room Budget' }).isVisible()).toBe(true)
    // Ordinary text is not held back.
    await send(a.page, 'the budget room is open to all')
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'the budget room is open to all' }).count()).toBe(1)
  })

  it('a member leaves a private room from its row, asked first; the creator has no such button; the others see one member fewer; the invitation it joined by no longer lets it back, a new one does', async () => {
    const { a, b } = await session.pair()
    await inviteAndJoin(a.page, b.page, 'Offsite')
    await send(a.page, 'agenda attached')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['agenda attached'])

    const privates = (p: Page) => p.getByRole('navigation', { name: 'Private rooms' })
    expect(await privates(a.page).getByRole('button', { name: 'Leave Offsite' }).count()).toBe(0)
    await privates(b.page).locator('[data-private]').hover()
    await privates(b.page).getByRole('button', { name: 'Leave Offsite' }).click()
    const ask = b.page.getByRole('dialog', { name: 'Leave the private room' })
    await eventually(() => ask.isVisible()).toBe(true)
    // Cancel changes nothing.
    await ask.getByRole('button', { name: 'Cancel' }).click()
    await eventually(() => ask.count()).toBe(0)
    expect(await privates(b.page).locator('[data-private]').count()).toBe(1)
    await privates(b.page).locator('[data-private]').hover()
    await privates(b.page).getByRole('button', { name: 'Leave Offsite' }).click()
    await ask.getByRole('button', { name: 'Leave the room' }).click()
    await eventually(() => privates(b.page).locator('[data-private]').count()).toBe(0)
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')

    // Alice's header: nobody else in it now, though someone was ("so far" would say nobody ever joined).
    await eventually(() => a.page.getByTestId('reach').textContent()).toBe('only you')
    await a.page.getByRole('button', { name: 'Members' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => members.getByTestId('member').count()).toBe(1)
    // Alice's timeline says it where it happened.
    expect(await timeline(a.page)).toEqual(['Bob joined the room', 'agenda attached', 'Bob left the room'])

    // The invitation Bob joined by is from before he left: it says why it no longer lets him in and offers no Join (had
    // it let him back, Alice would refuse what he wrote with its key, and he would not know).
    const dms = b.page.getByRole('navigation', { name: 'Direct messages' })
    await dms.getByRole('button', { name: /^Private Alice/ }).click()
    const cards = b.page.getByRole('group', { name: 'Invitation to the private room Offsite' })
    await eventually(() => cards.locator('.hint').textContent()).toBe('Alice invited you to this private room. You left "Offsite" after this invite was made, so it no longer lets you in: ask a member for a new one.')
    expect(await cards.getByRole('button').count()).toBe(0)
    expect(await privates(b.page).locator('[data-private]').count()).toBe(0)
    // Alice sends him a new one; with it he is back.
    await members.getByRole('button', { name: 'Send the invite' }).click()
    await eventually(() => members.getByRole('status').textContent()).toMatch(/^Invite sent to Bob/)
    await members.getByRole('button', { name: 'Close', exact: true }).last().click()
    await eventually(() => cards.count()).toBe(2)
    // The new card offers Join; the old one still does not.
    await eventually(() => cards.last().getByRole('button', { name: 'Join the room' }).count()).toBe(1)
    expect(await cards.first().getByRole('button').count()).toBe(0)
    await cards.last().getByRole('button', { name: 'Join the room' }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Offsite')
    await eventually(() => a.page.getByTestId('reach').textContent()).toBe('2 members · 2 online')
    // Back in, both cards open the room.
    await dms.getByRole('button', { name: /^Private Alice/ }).click()
    await eventually(() => cards.getByRole('button', { name: 'Open the room' }).count()).toBe(2)
  })

  it('the creator invites a removed member back from its Members dialog: his old invitation stays shut, the new one lets him in, and he reads what comes next, not what was said while he was out', async () => {
    const { a, b } = await session.pair()
    await inviteAndJoin(a.page, b.page, 'Studio')
    await send(a.page, 'before')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['before'])
    await a.page.getByRole('button', { name: 'Members' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    await members.getByRole('button', { name: 'Remove Bob' }).click()
    await members.getByRole('group', { name: 'Remove Bob?' }).getByRole('button', { name: 'Remove Bob' }).click()
    await eventually(() => members.getByTestId('member').count()).toBe(1)
    await members.getByRole('button', { name: 'Close', exact: true }).last().click()
    await eventually(() => b.page.getByTestId('reach').textContent()).toBe('you were removed: read only')
    await send(a.page, 'while Bob was out')

    // Alice invites him back: the invite goes in a DM, as any other.
    await a.page.getByRole('button', { name: 'Members' }).click()
    await members.getByRole('button', { name: 'Invite back' }).click()
    await eventually(() => members.getByRole('status').textContent()).toMatch(/^Invite sent to Bob/)
    await members.getByRole('button', { name: 'Close', exact: true }).last().click()

    // Bob: the invitation he first joined by stays shut; the new one offers Join, and says what he will read.
    await b.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ }).click()
    const cards = b.page.getByRole('group', { name: 'Invitation to the private room Studio' })
    await eventually(() => cards.count()).toBe(2)
    await eventually(() => cards.last().getByRole('button', { name: 'Join the room' }).count()).toBe(1)
    expect(await cards.last().locator('.hint').textContent()).toBe('Alice invites you back to this private room. You read what is written from now on, not what was said while you were out.')
    expect(await cards.first().getByRole('button').count()).toBe(0)
    expect(await cards.first().locator('.hint').textContent()).toBe('Alice invited you to this private room, which has since removed you.')
    await cards.last().getByRole('button', { name: 'Join the room' }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Studio')
    await eventually(() => b.page.getByRole('textbox', { name: 'Message Studio' }).count()).toBe(1)
    await eventually(() => a.page.getByTestId('reach').textContent()).toBe('2 members · 2 online')
    await send(b.page, 'glad to be back')
    await send(a.page, 'welcome back')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['before', 'while Bob was out', 'glad to be back', 'welcome back'])
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['before', 'glad to be back', 'welcome back'])
    // The room says so in its place, as it says the removal: on both sides.
    const backLine = (p: Page) => p.getByTestId('note').filter({ hasText: / invited / }).locator('span').first()
    await eventually(() => backLine(a.page).textContent()).toBe('You invited Bob back')
    await eventually(() => backLine(b.page).textContent()).toBe('Alice invited you back')
  })

  it('a note line\'s details are one Tab stop away: Enter on its time shows them in the line, as the tooltip had them', async () => {
    const { a, b } = await session.pair()
    await inviteAndJoin(a.page, b.page, 'Retro')
    const note = a.page.getByTestId('note').filter({ hasText: 'Bob joined the room' })
    await eventually(() => note.count()).toBe(1)
    const focusedIn = (where: ReturnType<Page['locator']>): Promise<boolean> => where.evaluate((el) => {
      const e = el as unknown as { contains(other: unknown): boolean; ownerDocument: { activeElement: unknown } }
      return e.contains(e.ownerDocument.activeElement)
    })
    // The first line of the room: Tab from the message list lands on its time, a button.
    await a.page.locator('.virtuoso').focus()
    await a.page.keyboard.press('Tab')
    const time = note.getByRole('button', { name: /^\d{1,2}:\d{2}.*, details$/ })
    await eventually(() => time.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)).toBe(true)
    await expect(time.getAttribute('aria-expanded')).resolves.toBe('false')
    await a.page.keyboard.press('Enter')
    const shown = note.getByTestId('note-details')
    await eventually(() => shown.textContent()).toMatch(/^Lamport \d+\nid \S+\nsent .+ \(sender's clock\)/)
    await expect(time.getAttribute('aria-expanded')).resolves.toBe('true')
    const { violations } = await new AxeBuilder({ page: a.page }).include('[data-testid="note"]').analyze()
    expect(violations.flatMap((v) => v.nodes.map((n) => `note details: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    // One Tab stop a line: the next Tab leaves it.
    await a.page.keyboard.press('Tab')
    expect(await focusedIn(note)).toBe(false)
    await a.page.keyboard.press('Shift+Tab')
    await a.page.keyboard.press('Enter')
    await eventually(() => shown.count()).toBe(0)
  })

  it('the creator renames a private room from its Members dialog; the other page\'s list and heading change as it happens', async () => {
    const { a, b } = await session.pair()
    await inviteAndJoin(a.page, b.page, 'Offsite')
    const privates = (p: Page) => p.getByRole('navigation', { name: 'Private rooms' })
    // Only the creator is offered the name.
    await b.page.getByRole('button', { name: 'Members' }).click()
    const theirs = b.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => theirs.getByTestId('member').count()).toBe(2)
    expect(await theirs.getByLabel('Room name').count()).toBe(0)
    await b.page.keyboard.press('Escape')

    await a.page.getByRole('button', { name: 'Members' }).click()
    const dialog = a.page.getByRole('dialog', { name: 'Members' })
    const field = dialog.getByLabel('Room name')
    await expect(field.inputValue()).resolves.toBe('Offsite')
    await expect(dialog.getByRole('button', { name: 'Rename' }).isEnabled()).resolves.toBe(false)
    await field.fill('Offsite in Lisbon')
    await field.press('Enter')
    await eventually(() => dialog.getByRole('heading').textContent()).toBe('Offsite in Lisbon: members')
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('Offsite in Lisbon')
    // Its messages are named to a screen reader as the room is called, not by its internal id.
    expect(await a.page.getByRole('region', { name: /^Messages in/ }).getAttribute('aria-label')).toBe('Messages in Offsite in Lisbon')
    // Bob did nothing: his list and the room he is reading follow.
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('Offsite in Lisbon')
    await eventually(() => privates(b.page).locator('[data-private]').textContent()).toContain('Offsite in Lisbon')
    await eventually(() => notes(b.page)).toEqual(['You joined the room', 'Alice renamed the room \u201cOffsite in Lisbon\u201d'])
    // The invitation he joined by, in his DMs, names the room as it is called now.
    await b.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ }).click()
    await eventually(() => b.page.getByRole('group', { name: 'Invitation to the private room Offsite in Lisbon' }).count()).toBe(1)
  })

  it('a peer with a long name to invite pushes nothing out of the room\'s dialogs: every button shows whole, inside the dialog', async () => {
    const { a, b } = await session.pair()
    await inviteAndJoin(a.page, b.page, 'Design team')
    const max = await openPeer(session.browser)
    open.push(max)
    await chooseName(max.page, 'Maximilian Alexander von Humboldt-Fitzgerald III')
    await connectByAddress(max.page, `127.0.0.1:${await listenPort(a.page)}`)
    await eventually(() => peerCount(a.page)).toBe('2 peers connected')
    /** The dialog's buttons that lie partly outside its box (or are cut by it), and how far its content reaches past its width. */
    const spill = (dialog: ReturnType<Page['getByRole']>) => dialog.evaluate((d) => {
      const el = d as unknown as { scrollWidth: number; clientWidth: number; getBoundingClientRect(): { left: number; right: number }; querySelectorAll(s: string): ArrayLike<{ textContent: string | null; scrollWidth: number; clientWidth: number; getBoundingClientRect(): { left: number; right: number } }> }
      const box = el.getBoundingClientRect()
      const out = Array.from(el.querySelectorAll('button')).filter((b) => {
        const r = b.getBoundingClientRect()
        return r.left < box.left || r.right > box.right || b.scrollWidth > b.clientWidth
      }).map((b) => b.textContent)
      return { out, wider: el.scrollWidth - el.clientWidth }
    })

    await a.page.getByRole('button', { name: 'Members' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => members.getByLabel('Invite someone').locator('option').allTextContents()).toEqual([expect.stringMatching(/^Maximilian Alexander von Humboldt-Fitzgerald III \(/)])
    for (const name of ['Rename', 'Remove Bob', 'Send the invite', 'Show the invite code']) expect(await members.getByRole('button', { name }).isVisible()).toBe(true)
    expect(await spill(members)).toEqual({ out: [], wider: 0 })
    await members.getByRole('button', { name: 'Close', exact: true }).last().click()

    // The same form where a new room says it is ready.
    const ready = await createPrivateRoom(a.page, 'Another room')
    await eventually(() => ready.getByLabel('Invite someone').locator('option').count()).toBe(2)
    expect(await ready.getByRole('button', { name: 'Send the invite' }).isVisible()).toBe(true)
    expect(await spill(ready)).toEqual({ out: [], wider: 0 })
  })

  it('in client–server mode the invite goes to a fellow client, whom only presence lists (the peer list is the hub), and the members dialog names him', async () => {
    const { a, b } = await hubPair()
    await eventually(() => a.page.getByTestId('peer').filter({ hasText: /^Bob/ }).count()).toBe(1)
    await inviteAndJoin(a.page, b.page, 'Hub room')
    await a.page.getByRole('button', { name: 'Members' }).click()
    const members = a.page.getByRole('dialog', { name: 'Members' })
    await eventually(() => members.getByTestId('member').filter({ hasText: 'Bob' }).getByRole('img', { name: 'online' }).count()).toBe(1)
    await a.page.keyboard.press('Escape')
    await send(a.page, 'numbered by a hub that cannot read it')
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['numbered by a hub that cannot read it'])
  })
})
