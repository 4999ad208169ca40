/**
 * End to end: saved for later through the UI in Chromium, real engines. A message's actions save
 * it for oneself alone, in any conversation; its row says so (the other end's does not); the
 * sidebar's Saved counts them and lists them, newest saved first, with their conversation: a click
 * shows the message in its context (as a search hit), one its author deleted since reads "message
 * deleted", and Remove takes one off, the keyboard going on to the next Remove. What the page reads
 * stays small: a save or an unsave is not answered by the whole list, which is read only when
 * opened; a pending message the hub refuses leaves the count at once.
 */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { IDENTITY_FILE } from '../../main/store/identity.js'
import { cleanupHubs, startClient, startHub, stopClient, stopHub } from '../helpers/hub.js'
import { LAUNCHER, eventually, openPeer, send, tempDir, useSession } from './harness.js'

const session = useSession()

const row = (page: Page, text: string) => page.getByTestId('message').filter({ hasText: text })
const savedButton = (page: Page) => page.getByTestId('saved-button')
const marked = async (page: Page, text: string): Promise<boolean> => (await row(page, text).getByTestId('saved-mark').count()) > 0

async function audit(page: Page, view: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations.flatMap((v) => v.nodes.map((n) => `${view}: ${v.id} at ${n.target.join(' ')}`))
}

describe('saved for later', () => {
  it('Alice saves Bob\'s message and one of her DM; only her rows are marked; Saved lists both, opens one in context, shows the deleted one so, and Remove keeps the keyboard in the list', async () => {
    const { a, b } = await session.pair()
    await send(b.page, 'the wifi password is on the fridge')
    await send(a.page, 'thanks')
    await eventually(() => row(a.page, 'the wifi password').getAttribute('data-state')).toBe('delivered')
    // Nothing saved: Saved has no count.
    await eventually(() => savedButton(a.page).textContent()).toBe('Saved')

    const theirs = row(a.page, 'the wifi password')
    await theirs.hover()
    await theirs.getByRole('button', { name: 'Save message for later' }).click()
    await eventually(() => marked(a.page, 'the wifi password')).toBe(true)
    await eventually(() => savedButton(a.page).textContent()).toBe('Saved1 saved')
    expect(await row(a.page, 'the wifi password').getByTestId('saved-mark').textContent()).toBe(' Saved for later')
    expect(await marked(a.page, 'thanks')).toBe(false)
    // Its actions now offer Unsave instead.
    await theirs.hover()
    expect(await theirs.getByRole('button', { name: 'Unsave message' }).count()).toBe(1)

    // In a direct conversation with Bob, her own message.
    await a.page.getByTestId('peer').getByRole('button', { name: 'Message Bob privately' }).click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    await send(a.page, 'my locker code is 4711')
    const mine = row(a.page, 'my locker code')
    await eventually(() => mine.getAttribute('data-state')).toBe('delivered')
    await mine.hover()
    await mine.getByRole('button', { name: 'Save message for later' }).click()
    await eventually(() => marked(a.page, 'my locker code')).toBe(true)
    await eventually(() => savedButton(a.page).textContent()).toBe('Saved2 saved')

    // Bob's side: nothing of it, neither a mark nor a list.
    expect(await b.host.call('saved')).toEqual([])
    expect(await marked(b.page, 'the wifi password')).toBe(false)
    await eventually(() => savedButton(b.page).textContent()).toBe('Saved')

    // Back in the lobby, her list: newest saved first, each with its conversation; axe finds nothing on it or the marked rows.
    await a.page.locator('[data-room="lobby"]').click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    const found: string[] = []
    for (const colorScheme of ['light', 'dark'] as const) {
      await a.page.emulateMedia({ colorScheme })
      found.push(...await audit(a.page, `saved row, ${colorScheme}`))
    }
    await savedButton(a.page).click()
    const dialog = a.page.getByRole('dialog', { name: 'Saved messages' })
    const items = dialog.getByTestId('saved-item')
    await eventually(() => items.count()).toBe(2)
    await expect(items.nth(0).textContent()).resolves.toMatch(/^@Bob · You .*my locker code is 4711/)
    await expect(items.nth(1).textContent()).resolves.toMatch(/^#lobby · Bob .*the wifi password is on the fridge/)
    for (const colorScheme of ['light', 'dark'] as const) {
      await a.page.emulateMedia({ colorScheme })
      found.push(...await audit(a.page, `saved list, ${colorScheme}`))
    }
    expect(found).toEqual([])
    // Escape closes it, and the keyboard is back on Saved.
    await a.page.keyboard.press('Escape')
    await eventually(() => dialog.count()).toBe(0)
    expect(await savedButton(a.page).evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true)

    // Enter opens it again; Enter on the DM's item shows it in its conversation, marked as a search hit is.
    await a.page.keyboard.press('Enter')
    await eventually(() => items.count()).toBe(2)
    await items.first().getByRole('button', { name: /my locker code/ }).focus()
    await a.page.keyboard.press('Enter')
    await eventually(() => dialog.count()).toBe(0)
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    const shown = a.page.locator('[data-testid="message"][aria-current="true"]')
    await eventually(() => shown.getByTestId('message-text').textContent()).toBe('my locker code is 4711')

    // Bob deletes his message for everyone: her list keeps it, as "message deleted".
    const wifi = (await b.host.call('history', { room: 'lobby' })).find((m) => m.text === 'the wifi password is on the fridge')!
    await b.host.call('delete', { room: 'lobby', id: wifi.id })
    await savedButton(a.page).click()
    await eventually(() => items.nth(1).textContent()).toMatch(/^#lobby · Bob .*message deleted/)

    // Remove from the keyboard: the keyboard goes on to the next item's Remove, then, the list empty, to Close.
    await items.first().getByRole('button', { name: 'Remove your message in @Bob from Saved' }).focus()
    await a.page.keyboard.press('Enter')
    await eventually(() => items.count()).toBe(1)
    const focused = () => a.page.evaluate(`document.activeElement?.textContent`)
    await eventually(focused).toBe('Remove Bob\'s message in #lobby from Saved')
    await a.page.keyboard.press('Enter')
    await eventually(() => dialog.getByTestId('no-saved').isVisible()).toBe(true)
    await eventually(focused).toBe('Close')
    await eventually(() => savedButton(a.page).textContent()).toBe('Saved')
    expect(await a.host.call('saved')).toEqual([])
  })
  it('an invite-only room left: its saved message leaves the open list too, with no restart (its keys are forgotten, its words no longer open)', async () => {
    const { a, b } = await session.pair()
    const made = await a.host.call('createPrivateRoom', { name: 'Crew' })
    await b.host.call('joinInvite', { code: made.invite })
    await eventually(async () => (await a.host.call('privateRoom', { room: made.room })).members.length).toBe(2)
    await a.host.call('send', { room: made.room, text: 'the crew meets at noon' })
    const privates = b.page.getByRole('navigation', { name: 'Private rooms' })
    await eventually(() => privates.locator('[data-private]').count()).toBe(1)
    await privates.locator('[data-private]').click()
    const said = row(b.page, 'the crew meets at noon')
    await eventually(() => said.count()).toBe(1)
    await said.hover()
    await said.getByRole('button', { name: 'Save message for later' }).click()
    await eventually(() => savedButton(b.page).textContent()).toBe('Saved1 saved')

    await privates.locator('[data-private]').hover()
    await privates.getByRole('button', { name: 'Leave Crew' }).click()
    await b.page.getByRole('dialog', { name: 'Leave the private room' }).getByRole('button', { name: 'Leave the room' }).click()
    await eventually(() => privates.locator('[data-private]').count()).toBe(0)
    expect(await b.host.call('saved')).toEqual([])
    // The window's list, as the engine's: the room's words are not shown after it was left.
    await eventually(() => savedButton(b.page).textContent()).toBe('Saved')
    await savedButton(b.page).click()
    const dialog = b.page.getByRole('dialog', { name: 'Saved messages' })
    await eventually(() => dialog.getByTestId('no-saved').isVisible()).toBe(true)
    expect(await dialog.getByText('the crew meets at noon').count()).toBe(0)
  })

  it('saving and unsaving read no message whole: only the open list reads them, once, and an edit of one listed is shown in place', async () => {
    const { a, b } = await session.pair()
    // A long message: a thousand of these saved is what a window must not read at each click.
    const long = `the long notes: ${'lorem ipsum dolor '.repeat(3_000)}`
    // Two more saved already: the list a click must not read again.
    for (const n of [1, 2]) {
      const other = await b.host.call('send', { room: 'lobby', text: `more notes ${n}: ${'lorem ipsum dolor '.repeat(3_000)}` })
      await eventually(async () => (await a.host.call('history', { room: 'lobby' })).some((m) => m.id === other.id)).toBe(true)
      await a.host.call('save', { id: other.id, on: true })
    }
    const sent = await b.host.call('send', { room: 'lobby', text: long })
    // What the page reads and asks from now on (its link to the engine made anew by a reload).
    const received: number[] = []
    const asked: string[] = []
    a.page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => { received.push(typeof f.payload === 'string' ? f.payload.length : f.payload.byteLength) })
      ws.on('framesent', (f) => { if (typeof f.payload === 'string') asked.push(f.payload) })
    })
    await a.page.reload()
    const theirs = row(a.page, 'the long notes')
    await eventually(() => theirs.count()).toBe(1)
    await eventually(() => savedButton(a.page).textContent()).toBe('Saved2 saved')
    const before = received.reduce((n, x) => n + x, 0)
    for (const [name, count] of [['Save message for later', 'Saved3 saved'], ['Unsave message', 'Saved2 saved'], ['Save message for later', 'Saved3 saved']] as const) {
      await theirs.hover()
      await theirs.getByRole('button', { name }).click()
      await eventually(() => savedButton(a.page).textContent()).toBe(count)
    }
    await eventually(() => marked(a.page, 'the long notes')).toBe(true)
    // Three clicks: each answered by the one message saved (its view), never by the three listed; the list was never asked for.
    expect(received.reduce((n, x) => n + x, 0) - before).toBeLessThan(4 * long.length)
    const wholeList = () => asked.filter((f) => (JSON.parse(f) as { channel?: string }).channel === 'lanchat:saved').length
    expect(wholeList()).toBe(0)

    // Opened, the list reads them whole, once; Bob's edit of it is shown there from its event, not read again.
    await savedButton(a.page).click()
    const dialog = a.page.getByRole('dialog', { name: 'Saved messages' })
    await eventually(() => dialog.getByTestId('saved-item').count()).toBe(3)
    expect(wholeList()).toBe(1)
    await b.host.call('edit', { room: 'lobby', id: sent.id, text: 'the short notes' })
    await eventually(() => dialog.getByTestId('saved-item').first().textContent()).toMatch(/the short notes/)
    await a.page.waitForTimeout(500)
    expect(wholeList()).toBe(1)
    // Remove in the list: the count follows, nothing read again.
    await dialog.getByTestId('saved-item').first().getByRole('button', { name: 'Remove Bob\'s message in #lobby from Saved' }).click()
    await eventually(() => dialog.getByTestId('saved-item').count()).toBe(2)
    await eventually(() => savedButton(a.page).textContent()).toBe('Saved2 saved')
    expect(wholeList()).toBe(1)
    expect((await a.host.call('savedIds')).map((m) => m.id)).not.toContain(sent.id)
  })
  // The answer is made to fail on the test host's bridge: the Electron app has IPC there.
  it.skipIf(LAUNCHER === 'electron')('the saved ids not read at first: Saved says why, not "Loading…" for ever, and Try again reads them', async () => {
    const a = await openPeer(session.browser, { defaults: { name: 'Ann' } })
    session.open.push(a)
    await send(a.page, 'the keys are in the drawer')
    // The page's send is on its way to the engine: its history has it once the engine took it.
    const said = async () => (await a.host.call('history', { room: 'lobby' })).find((m) => m.text === 'the keys are in the drawer')
    await eventually(async () => (await said()) !== undefined).toBe(true)
    await a.host.call('save', { id: (await said())!.id, on: true })
    // Her window reaches the app through its bridge, where the test answers the first read of the ids with an error.
    let refused = 0
    await a.page.routeWebSocket(/\/__bridge$/, (ws) => {
      const app = ws.connectToServer()
      ws.onMessage((data) => {
        const request = JSON.parse(String(data)) as { id: number; channel?: string }
        if (request.channel === 'lanchat:savedIds' && refused === 0) {
          refused++
          ws.send(JSON.stringify({ id: request.id, result: { ok: false, error: { name: 'EngineTimeoutError', message: 'The engine did not answer in time.' } } }))
        } else app.send(data)
      })
    })
    await a.page.reload()
    await eventually(() => row(a.page, 'the keys are in the drawer').count()).toBe(1)
    await eventually(() => refused).toBe(1)
    expect(await savedButton(a.page).textContent()).toBe('Saved')
    await savedButton(a.page).click()
    const dialog = a.page.getByRole('dialog', { name: 'Saved messages' })
    await eventually(() => dialog.getByRole('alert').textContent()).toBe('The engine did not answer in time.')
    expect(await dialog.getByText('Loading…').count()).toBe(0)
    // Try again reads the ids again: the count comes, the error goes, the list shows; the keyboard waits on Close meanwhile.
    await dialog.getByRole('button', { name: 'Try again' }).click()
    await eventually(() => savedButton(a.page).textContent()).toBe('Saved1 saved')
    await eventually(() => dialog.getByTestId('saved-item').count()).toBe(1)
    expect(await dialog.getByRole('alert').count()).toBe(0)
    expect(await dialog.getByRole('button', { name: 'Try again' }).count()).toBe(0)
    expect(await a.page.evaluate('document.activeElement?.textContent')).toBe('Close')
  })
  it('a pending message the hub refuses leaves the Saved count when the refusal comes, with no reload', async () => {
    const first = await startHub()
    try {
      const addr = first.addr()
      const a = await openPeer(session.browser, { defaults: { name: 'Ann', mode: 'client-server', server: addr } })
      session.open.push(a)
      const ben = await startClient('Ben', addr)
      await ben.engine.send('lobby', 'who has the key?')
      await eventually(() => row(a.page, 'who has the key?').count()).toBe(1)
      // Ben leaves: a Ben back on the restored hub first could bring it his message, and the reply would be numbered.
      await stopClient(ben)
      await stopHub(first)
      // Her reply, written while the hub is away: pending; she saves it.
      await eventually(() => a.page.getByTestId('pending-banner').count()).toBe(1)
      const asked = row(a.page, 'who has the key?')
      await asked.hover()
      await asked.getByRole('button', { name: /^Reply to / }).click()
      await send(a.page, 'I have it')
      const reply = row(a.page, 'I have it')
      await eventually(() => reply.getAttribute('data-state')).toBe('pending')
      await reply.hover()
      await reply.getByRole('button', { name: 'Save message for later' }).click()
      await eventually(() => savedButton(a.page).textContent()).toBe('Saved1 saved')
      // The hub comes back with its key but not its history: it lacks the message replied to, and refuses the reply.
      const dir = tempDir('lanchat-hub-')
      copyFileSync(join(first.dataDir, IDENTITY_FILE), join(dir, IDENTITY_FILE))
      await startHub({ listen: [`/ip4/127.0.0.1/tcp/${/\/tcp\/(\d+)/.exec(addr)![1]!}`], dataDir: dir })
      await a.host.call('dial', { address: addr })
      await eventually(() => a.page.getByText(/the hub refused your message "I have it"/).count()).toBeGreaterThan(0)
      await eventually(() => savedButton(a.page).textContent()).toBe('Saved')
      expect(await a.host.call('savedIds')).toEqual([])
      // In the conversation, the reply is no longer pending: it says it was not sent, and why; nothing waits to be sent.
      await eventually(() => reply.getAttribute('data-state')).toBe('failed')
      expect(await reply.getByText(/the hub refused your message "I have it"/).count()).toBe(1)
      expect(await reply.getByRole('img', { name: 'Not sent' }).count()).toBe(1)
      await eventually(() => a.page.getByTestId('pending-banner').count()).toBe(0)
    } finally {
      await cleanupHubs()
    }
  })
})
