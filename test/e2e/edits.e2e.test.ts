/**
 * End to end: edits, deletes and reactions through the UI in Chromium, across
 * two peers. The row's menu edits in place (Enter saves), deletes after a
 * confirm, and reacts from the picker; the other peer's row changes live,
 * a chip toggles one's own reaction, and axe finds nothing on the new parts.
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { WebSocketRoute } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { LAUNCHER, chooseName, eventually, openPeer, send, useSession } from './harness.js'

const session = useSession()

describe('edits, deletes and reactions', () => {
  it('Up in the empty message box edits one\'s last message; Enter saves and the keyboard is back in the box', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'first')
    await send(a.page, 'see you at 3')
    await send(b.page, 'ok')
    await eventually(() => a.page.getByTestId('message').filter({ hasText: 'ok' }).count()).toBe(1)
    const composer = a.page.getByRole('textbox', { name: 'Message #lobby' })
    const focused = (): Promise<boolean> => composer.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)

    // With text in the box, Up is only the caret's: nothing opens.
    await composer.fill('draft')
    await composer.press('ArrowUp')
    expect(await a.page.getByRole('textbox', { name: 'Edit message' }).count()).toBe(0)
    await composer.fill('')

    // Empty: Up opens Alice's newest own message (not Bob's newer one) with its text.
    await composer.press('ArrowUp')
    const box = a.page.getByRole('textbox', { name: 'Edit message' })
    await eventually(() => box.inputValue()).toBe('see you at 3')
    await box.press('End')
    await a.page.keyboard.type(':30')
    await box.press('Enter')
    await eventually(() => focused()).toBe(true)
    const edited = b.page.getByTestId('message').filter({ hasText: 'see you at 3:30' })
    await eventually(() => edited.getByRole('button', { name: '(edited)' }).count()).toBe(1)

    // Again, and Escape: nothing changes, and the keyboard is back in the box.
    await composer.press('ArrowUp')
    await eventually(() => box.inputValue()).toBe('see you at 3:30')
    await box.press('Escape')
    await eventually(() => box.count()).toBe(0)
    expect(await focused()).toBe(true)
  })

  it('edit, delete and react on one peer show live on the other', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'teh plan is ready')
    await send(a.page, 'wrong room, sorry')
    const row = (page: typeof a.page, text: string | RegExp) => page.getByTestId('message').filter({ hasText: text })
    await eventually(() => row(b.page, 'wrong room, sorry').count()).toBe(1)

    // Edit in place: Escape cancels, Enter saves.
    const mine = row(a.page, 'teh plan is ready')
    await mine.hover()
    await mine.getByRole('button', { name: 'Edit message' }).click()
    const box = a.page.getByRole('textbox', { name: 'Edit message' })
    await box.fill('not this')
    await box.press('Escape')
    await eventually(() => a.page.getByRole('textbox', { name: 'Edit message' }).count()).toBe(0)
    await mine.hover()
    await mine.getByRole('button', { name: 'Edit message' }).click()
    await a.page.getByRole('textbox', { name: 'Edit message' }).fill('the plan is ready')
    await a.page.getByRole('textbox', { name: 'Edit message' }).press('Enter')
    for (const page of [a.page, b.page]) {
      await eventually(() => row(page, 'the plan is ready').getByRole('button', { name: '(edited)' }).count()).toBe(1)
    }
    // Others may not edit or delete: their rows have no such buttons.
    const theirs = row(b.page, 'the plan is ready')
    await theirs.hover()
    await expect(theirs.getByRole('button', { name: 'Edit message' }).count()).resolves.toBe(0)
    await expect(theirs.getByRole('button', { name: 'Delete message' }).count()).resolves.toBe(0)
    // The earlier version is a click away.
    await theirs.getByRole('button', { name: '(edited)' }).click()
    await eventually(() => theirs.getByRole('list', { name: 'Earlier versions' }).textContent()).toBe('teh plan is ready')

    // React from the picker on b; a sees the chip; a's click on it adds a's own.
    await theirs.getByRole('button', { name: /^React to / }).click()
    await b.page.getByRole('button', { name: 'React with 🎉' }).click()
    const chip = (page: typeof a.page) => row(page, 'the plan is ready').getByRole('button', { name: /^🎉/ })
    await eventually(() => chip(a.page).textContent()).toBe('🎉 1')
    await expect(chip(a.page).getAttribute('title')).resolves.toBe('Bob')
    await chip(a.page).click()
    await eventually(() => chip(b.page).textContent()).toBe('🎉 2')
    // a's own chip follows a's engine, which may tell it a moment after b has the reaction.
    await eventually(() => chip(a.page).getAttribute('aria-pressed')).toBe('true')
    // A second click takes it off again.
    await chip(a.page).click()
    await eventually(() => chip(b.page).textContent()).toBe('🎉 1')

    // Delete, after a confirm: both show the placeholder, the text is gone.
    const wrong = row(a.page, 'wrong room, sorry')
    await wrong.hover()
    await wrong.getByRole('button', { name: 'Delete message' }).click()
    await a.page.getByRole('group', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete', exact: true }).click()
    for (const page of [a.page, b.page]) {
      await eventually(() => page.getByTestId('message-text').filter({ hasText: 'message deleted' }).count()).toBe(1)
      await eventually(() => row(page, 'wrong room, sorry').count()).toBe(0)
    }

    // The new parts pass axe (the open picker and versions list included).
    await theirs.hover()
    await theirs.getByRole('button', { name: /^React to / }).click()
    const { violations } = await new AxeBuilder({ page: b.page }).analyze()
    expect(violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`))).toEqual([])
    expect([...a.errors, ...b.errors]).toEqual([])
  })

  it('the delete confirm asks on one line, with Cancel and a Delete in the colour of danger, in both themes', async () => {
    const peer = await openPeer(session.browser)
    session.open.push(peer)
    const { page } = peer
    await chooseName(page, 'Dee')
    await send(page, 'Line one\nLine two')
    const row = page.getByTestId('message').filter({ hasText: 'Line one' })
    await eventually(() => row.getAttribute('data-state')).toBe('delivered')
    await row.hover()
    await row.getByRole('button', { name: 'Delete message' }).click()
    const ask = page.getByRole('group', { name: 'Delete this message?' })
    await eventually(() => ask.isVisible()).toBe(true)
    // The question and both buttons on one line: Cancel sat under the rest, alone.
    const tops = await ask.locator('span:first-child, button').evaluateAll((els) => els.map((e) => Math.round((e as unknown as { getBoundingClientRect(): { top: number; height: number } }).getBoundingClientRect().top + (e as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height / 2)))
    expect(tops.length).toBe(3)
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(2)
    expect(await ask.getByRole('button').allTextContents()).toEqual(['Cancel', 'Delete'])
    // Delete is drawn in the error colour (the app's red), not the blue of an everyday action; axe finds its contrast enough.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      const [drawn, red] = await ask.getByRole('button', { name: 'Delete', exact: true }).evaluate((b) => {
        const doc = (b as unknown as { ownerDocument: { createElement(t: string): { style: { color: string }; remove(): void }; body: { append(e: unknown): void } }; }).ownerDocument
        const probe = doc.createElement('span')
        probe.style.color = 'var(--error)'
        doc.body.append(probe)
        const style = (e: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(e).color
        const both = [style(b), style(probe)]
        probe.remove()
        return both
      })
      expect({ colorScheme, drawn }).toEqual({ colorScheme, drawn: red })
      const { violations } = await new AxeBuilder({ page }).include('.confirm-delete').analyze()
      expect(violations.flatMap((v) => v.nodes.map((n) => `${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual([])
    }
  })

  it('a quick double click on a reaction chip puts ours on and takes it off again, as two clicks do', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'pizza friday?')
    const row = (page: typeof a.page) => page.getByTestId('message').filter({ hasText: 'pizza friday?' })
    await eventually(() => row(b.page).count()).toBe(1)
    await row(b.page).hover()
    await row(b.page).getByRole('button', { name: /^React to / }).click()
    await b.page.getByRole('button', { name: 'React with 🎉' }).click()
    const chip = (page: typeof a.page) => row(page).getByRole('button', { name: /^🎉/ })
    await eventually(() => chip(a.page).textContent()).toBe('🎉 1')

    // Both clicks come before the engine answers the first: the second takes Alice's off, it does not ask "on" again.
    await chip(a.page).dblclick()
    // A reaction picked after them reaches the engine after them: once it shows, so has what the double click did.
    await row(a.page).hover()
    await row(a.page).getByRole('button', { name: /^React to / }).click()
    await a.page.getByRole('button', { name: 'React with 👍' }).click()
    await eventually(() => row(b.page).getByRole('button', { name: /^👍/ }).textContent()).toBe('👍 1')
    await eventually(() => row(a.page).getByRole('button', { name: /^👍/ }).textContent()).toBe('👍 1')
    const [said] = (await a.host.call('history', { room: 'lobby' })).filter((m) => m.text === 'pizza friday?')
    expect(said?.reactions?.find((r) => r.emoji === '🎉')?.by.length).toBe(1)
    await eventually(() => chip(b.page).textContent()).toBe('🎉 1')
    await eventually(() => chip(a.page).getAttribute('aria-pressed')).toBe('false')
    expect([...a.errors, ...b.errors]).toEqual([])
  })

  // The answer is held back on the test host's bridge: the Electron app has IPC there.
  it.skipIf(LAUNCHER === 'electron')('a reaction chip being taken off reads as such until the engine answers, not "0" with no one, and comes back if the change fails', async () => {
    const { a, b } = await session.pair()
    // Alice's window reaches her app through its bridge, where the test holds back her "take it off" requests: an engine slow to answer.
    let release: (() => void) | undefined
    let bridge: WebSocketRoute | undefined
    await a.page.routeWebSocket(/\/__bridge$/, (ws) => {
      bridge = ws
      const app = ws.connectToServer()
      ws.onMessage((data) => {
        const request = JSON.parse(String(data)) as { channel?: string; payload?: { on?: boolean } }
        if (request.channel === 'lanchat:react' && request.payload?.on === false) release = () => app.send(data)
        else app.send(data)
      })
    })
    await a.page.reload()
    await send(b.page, 'lunch at noon?')
    const row = a.page.getByTestId('message').filter({ hasText: 'lunch at noon?' })
    await eventually(() => row.count()).toBe(1)
    const putOn = async (): Promise<void> => {
      await row.hover()
      await row.getByRole('button', { name: /^React to / }).click()
      await a.page.getByRole('button', { name: 'React with 👍' }).click()
      await eventually(() => row.getByRole('button', { name: /^👍/ }).getAttribute('aria-label')).toBe('👍 1: you')
    }
    const chip = row.getByRole('button', { name: /^👍/ })
    await putOn()

    // Taken off, the engine not answered yet: the chip stays where it was (a second click lands on it) and says what is going on.
    await chip.click()
    await eventually(() => release !== undefined).toBe(true)
    await eventually(() => chip.getAttribute('aria-label')).toBe('👍: taking yours off')
    expect(await chip.textContent()).toBe('👍')
    expect(await chip.getAttribute('aria-pressed')).toBe('false')
    // Once it answers, the chip goes.
    release!()
    await eventually(() => chip.count()).toBe(0)

    // Taken off again, and the app never answers (its window lost the bridge): the chip comes back as it was, with why.
    release = undefined
    await putOn()
    await chip.click()
    await eventually(() => release !== undefined).toBe(true)
    await eventually(() => chip.getAttribute('aria-label')).toBe('👍: taking yours off')
    await bridge!.close()
    await eventually(() => chip.getAttribute('aria-label')).toBe('👍 1: you')
    expect(await chip.getAttribute('aria-pressed')).toBe('true')
    await eventually(() => row.getByRole('alert').textContent()).toMatch(/connection/i)
  })

  it('the reaction picker searches every emoji by name, as the composer\'s does', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'shipping tonight')
    const theirs = b.page.getByTestId('message').filter({ hasText: 'shipping tonight' })
    await eventually(() => theirs.count()).toBe(1)
    await theirs.hover()
    await theirs.getByRole('button', { name: /^React to / }).click()
    // The search field has the keyboard; a name finds the emoji, Enter takes the first.
    await b.page.keyboard.type('rocket')
    await eventually(() => b.page.getByRole('group', { name: 'Pick a reaction' }).getByRole('button').first().getAttribute('aria-label')).toBe('React with 🚀 rocket')
    await b.page.keyboard.press('Enter')
    const chip = a.page.getByTestId('message').filter({ hasText: 'shipping tonight' }).getByRole('button', { name: /^🚀/ })
    await eventually(() => chip.textContent()).toBe('🚀 1')
    expect(await b.page.getByRole('group', { name: 'Pick a reaction' }).count()).toBe(0)
  })

  it('from the keyboard, a reaction picked or a tool cancelled gives the focus back to its button, a delete to the message box', async () => {
    const peer = await openPeer(session.browser)
    session.open.push(peer)
    const page = peer.page
    await chooseName(page, 'Kim')
    await send(page, 'first words')
    const row = page.getByTestId('message').filter({ hasText: 'first words' })
    await eventually(() => row.getAttribute('data-state')).toBe('delivered')
    const focused = (): Promise<string> => page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? ''")
    const react = row.getByRole('button', { name: 'React to your message' })
    // A reaction picked with Enter: the keyboard is on React again, in the same row, not on the page's top.
    await react.focus()
    await page.keyboard.press('Enter')
    await eventually(focused).toBe('Search emoji')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await eventually(() => row.getByRole('button', { name: /^👍 1/ }).count()).toBe(1)
    expect(await focused()).toBe('React to your message')
    // The picker left with Escape: the same.
    await page.keyboard.press('Enter')
    await eventually(focused).toBe('Search emoji')
    await page.keyboard.press('Escape')
    await eventually(() => page.getByRole('group', { name: 'Pick a reaction' }).count()).toBe(0)
    expect(await focused()).toBe('React to your message')
    // Delete, then Cancel (or Escape): back on Delete.
    const del = row.getByRole('button', { name: 'Delete message' })
    for (const key of ['Enter', 'Escape']) {
      await del.focus()
      await page.keyboard.press('Enter')
      await eventually(focused).toBe('Cancel')
      await page.keyboard.press(key)
      await eventually(() => page.getByRole('group', { name: 'Delete this message?' }).count()).toBe(0)
      expect(`${key}: ${await focused()}`).toBe(`${key}: Delete message`)
    }
    // Delete confirmed: the row has no tools left; the keyboard is in the message box.
    await del.focus()
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await eventually(() => page.getByTestId('message').last().getByTestId('message-text').textContent()).toBe('message deleted')
    expect(await focused()).toBe('Message #lobby')
  })

  it('from the keyboard, one\'s reaction taken off on its chip leaves the focus on the next chip, or on React once none is left', async () => {
    const peer = await openPeer(session.browser)
    session.open.push(peer)
    const page = peer.page
    await chooseName(page, 'Kim')
    await send(page, 'vote here')
    const row = page.getByTestId('message').filter({ hasText: 'vote here' })
    await eventually(() => row.getAttribute('data-state')).toBe('delivered')
    const focused = (): Promise<string> => page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? ''")
    for (const emoji of ['👍', '🎉']) await peer.host.call('react', { room: 'lobby', id: (await peer.host.call('history', { room: 'lobby' })).at(-1)!.id, emoji })
    await eventually(() => row.locator('.reactions button').count()).toBe(2)
    // The first chip, pressed: ours taken off, it goes, and the keyboard is on the one left.
    await row.getByRole('button', { name: /^👍 1/ }).focus()
    await page.keyboard.press('Enter')
    await eventually(() => row.locator('.reactions button').count()).toBe(1)
    await eventually(focused).toMatch(/^🎉 1/)
    // The last one: the keyboard goes to React, in the same row, not to the page's top.
    await page.keyboard.press('Enter')
    await eventually(() => row.locator('.reactions button').count()).toBe(0)
    await eventually(focused).toBe('React to your message')
  })

  it('a message deleted, or edited to mention you no more, before you read it leaves the unread and mention counts', async () => {
    const { a, b } = await session.pair()
    // Alice reads the lobby while Bob writes in #random.
    const standup = await b.host.call('send', { room: 'random', text: '@Alice standup now' })
    const notes = await b.host.call('send', { room: 'random', text: '@Alice bring the notes' })
    await b.host.call('send', { room: 'random', text: 'fyi the room moved' })
    const random = a.page.locator('button[data-room="random"]')
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@2')
    await eventually(() => random.locator('.unread').textContent()).toBe('3')

    // Edited not to mention her: still unread, no longer a mention.
    await b.host.call('edit', { id: notes.id, text: 'bring the notes' })
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@1')
    await expect(random.locator('.unread').textContent()).resolves.toBe('3')
    // Deleted ("wrong room"): neither unread nor a mention (a start, counting from the history, counts no deleted one).
    await b.host.call('delete', { id: standup.id })
    await eventually(() => random.locator('.unread').textContent()).toBe('2')
    await eventually(() => random.getByTestId('mention-count').count()).toBe(0)
  })

  it('the earlier versions, while open, take in another edit as it arrives', async () => {
    const { a, b } = await session.pair()
    const said = await a.host.call('send', { room: 'lobby', text: 'meet at 3' })
    await a.host.call('edit', { id: said.id, text: 'meet at 4' })
    const row = b.page.getByTestId('message').filter({ hasText: /meet at/ })
    await eventually(() => row.getByTestId('message-text').textContent()).toContain('meet at 4')
    await row.getByRole('button', { name: '(edited)' }).click()
    const versions = row.getByRole('list', { name: 'Earlier versions' }).getByRole('listitem')
    await eventually(() => versions.allTextContents()).toEqual(['meet at 3'])

    // Alice changes it again while Bob has the list open: the words just replaced join it, without a click.
    await a.host.call('edit', { id: said.id, text: 'meet at 5' })
    await eventually(() => row.getByTestId('message-text').textContent()).toContain('meet at 5')
    await eventually(() => versions.allTextContents()).toEqual(['meet at 3', 'meet at 4'])
    expect(await row.getByRole('button', { name: '(edited)' }).getAttribute('aria-expanded')).toBe('true')
    expect([...a.errors, ...b.errors]).toEqual([])
  })

  it('a message edited to mention you before you read it counts as a mention then, once', async () => {
    const { a, b } = await session.pair()
    // Alice reads the lobby while Bob writes in #random.
    const standup = await b.host.call('send', { room: 'random', text: 'standup soon' })
    await b.host.call('send', { room: 'random', text: 'fyi the room moved' })
    const random = a.page.locator('button[data-room="random"]')
    await eventually(() => random.locator('.unread').textContent()).toBe('2')
    expect(await random.getByTestId('mention-count').count()).toBe(0)

    // Bob adds her name: a mention now, as a start would count it from the history.
    await b.host.call('edit', { id: standup.id, text: '@Alice standup soon' })
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@1')
    // Edited again, still naming her: the same mention, not a second one.
    await b.host.call('edit', { id: standup.id, text: '@Alice standup now' })
    await b.host.call('send', { room: 'random', text: '@Alice and bring the notes' })
    await eventually(() => random.locator('.unread').textContent()).toBe('3')
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@2')
    // Her name taken out and put back before she looks: it goes and comes back.
    await b.host.call('edit', { id: standup.id, text: 'standup now' })
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@1')
    await b.host.call('edit', { id: standup.id, text: 'standup now, @Alice' })
    await eventually(() => random.getByTestId('mention-count').textContent()).toBe('@2')

    // Read: an edit naming her in a message she has seen is no new mention.
    await random.click()
    await eventually(() => random.getByTestId('mention-count').count()).toBe(0)
    await a.page.locator('button[data-room="lobby"]').click()
    const moved = (await a.host.call('history', { room: 'random' })).find((m) => m.text === 'fyi the room moved')
    await b.host.call('edit', { id: moved!.id, text: 'fyi @Alice the room moved' })
    await b.host.call('send', { room: 'random', text: 'one more thing' })
    await eventually(() => random.locator('.unread').textContent()).toBe('1')
    await expect(random.getByTestId('mention-count').count()).resolves.toBe(0)
    expect([...a.errors, ...b.errors]).toEqual([])
  })

  it('text edited into an invitation says it was edited, with what it said before', async () => {
    const { a, b } = await session.pair()
    const made = await a.host.call('createPrivateRoom', { name: 'Crew' })
    const said = await a.host.call('send', { room: 'lobby', text: 'the lunch menu' })
    await eventually(() => b.page.getByTestId('message').filter({ hasText: 'the lunch menu' }).count()).toBe(1)
    await a.host.call('edit', { id: said.id, text: made.invite })
    const row = b.page.getByTestId('message').filter({ hasText: 'Crew' })
    await eventually(() => row.getByRole('button', { name: '(edited)' }).count()).toBe(1)
    await row.getByRole('button', { name: '(edited)' }).click()
    await eventually(() => row.getByText('the lunch menu').count()).toBe(1)
  })
})
