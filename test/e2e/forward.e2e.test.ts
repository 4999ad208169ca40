/**
 * End to end: Forward… on a message in Chromium. A public message goes on to a person as the
 * forwarder's direct message, quoting whose words and from where; a direct message forwarded into
 * a room asks first, saying who will read it, and nothing leaves before "Forward anyway". A file
 * not on this computer offers Forward… only once it is downloaded.
 */
import { AxeBuilder } from '@axe-core/playwright'
import { describe, expect, it } from 'vitest'
import { eventually, useSession } from './harness.js'

const session = useSession()

describe('forwarding a message', () => {
  it('a public message forwarded to a person from the dialog reaches them with the quote and attribution; no confirm', async () => {
    const { a, b } = await session.pair()
    const bob = (await b.host.call('snapshot')).status
    if (bob.state !== 'running') throw new Error('not running')
    await a.host.call('send', { room: 'lobby', text: 'cake in the kitchen' })
    // A file Bob has not downloaded: its Forward… says why it cannot go yet.
    const { upload } = await a.host.call('uploadFile', { data: Buffer.from('the minutes').toString('base64'), size: 11 })
    await a.host.call('sendFile', { room: 'lobby', upload, name: 'minutes.txt' })
    const file = b.page.getByTestId('message').filter({ hasText: 'minutes.txt' })
    await eventually(() => file.isVisible()).toBe(true)
    await file.hover()
    const notHere = file.getByRole('button', { name: 'Forward… (download it first)' })
    expect(await notHere.getAttribute('aria-disabled')).toBe('true')
    await notHere.click({ force: true })
    expect(await b.page.getByRole('dialog', { name: 'Forward message' }).count()).toBe(0)

    const row = b.page.getByTestId('message').filter({ hasText: 'cake in the kitchen' })
    await eventually(() => row.isVisible()).toBe(true)
    await row.hover()
    await row.getByRole('button', { name: 'Forward…' }).click()
    const dialog = b.page.getByRole('dialog', { name: 'Forward message' })
    // From the keyboard: the box has it, a name picks the person, Enter chooses, Tab reaches the comment.
    await dialog.getByRole('combobox', { name: 'Forward to' }).fill('Ali')
    await b.page.keyboard.press('Enter')
    await eventually(() => dialog.getByTestId('forward-to').textContent()).toBe('Forwarding to Alice.')
    await dialog.getByRole('textbox', { name: 'Your comment' }).fill('are you coming?')
    // The dialog passes axe-core: every control named, the list a listbox of options.
    const { violations } = await new AxeBuilder({ page: b.page }).include('dialog').analyze()
    expect(violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`))).toEqual([])
    await dialog.getByRole('button', { name: 'Forward', exact: true }).click()
    await eventually(() => dialog.count()).toBe(0)
    expect(await b.page.getByTestId('forward-confirm').count()).toBe(0)

    // Alice has it from Bob, in their direct conversation, sealed for her.
    await eventually(async () => (await a.host.call('dms')).length).toBe(1)
    const room = (await a.host.call('dms'))[0]!.room
    await eventually(async () => (await a.host.call('history', { room })).map((m) => [m.author, m.text, m.private])).toEqual([
      [bob.peerId, 'are you coming?\n\nForwarded from Alice in #lobby:\ncake in the kitchen', true]
    ])
    const shown = a.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Bob/ })
    await eventually(() => shown.isVisible()).toBe(true)

    // Once Bob has the file, Forward… is offered on it.
    const shared = (await b.host.call('history', { room: 'lobby' })).find((m) => m.file !== undefined)!
    await b.host.call('download', { id: shared.id })
    await file.hover()
    await eventually(() => file.getByRole('button', { name: 'Forward…', exact: true }).getAttribute('aria-disabled')).toBe('false')
  })

  it('a direct message forwarded into a room shows who will read it, and nothing goes before "Forward anyway"', async () => {
    const { a, b } = await session.pair()
    const bob = (await b.host.call('snapshot')).status
    if (bob.state !== 'running') throw new Error('not running')
    await a.host.call('send', { to: bob.peerId, text: 'the door code is 4417' })
    const alice = b.page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ })
    await eventually(() => alice.isVisible()).toBe(true)
    await alice.click()
    const row = b.page.getByTestId('message').filter({ hasText: 'the door code is 4417' })
    await eventually(() => row.isVisible()).toBe(true)
    await row.hover()
    await row.getByRole('button', { name: 'Forward…' }).click()
    const dialog = b.page.getByRole('dialog', { name: 'Forward message' })
    await dialog.getByRole('combobox', { name: 'Forward to' }).fill('lobby')
    await dialog.getByRole('option', { name: /lobby/ }).click()
    await dialog.getByRole('button', { name: 'Forward', exact: true }).click()
    const confirm = dialog.getByRole('group', { name: 'Forward this private message?' })
    await eventually(() => confirm.getByRole('alert').textContent()).toBe('People in #lobby will read what Alice wrote to you privately.')
    // Cancel first: still nothing in the lobby, the dialog open to choose again.
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await dialog.getByRole('button', { name: 'Forward', exact: true }).click()
    await eventually(() => confirm.isVisible()).toBe(true)
    await b.host.call('send', { room: 'lobby', text: 'marker' })
    await eventually(async () => (await a.host.call('history', { room: 'lobby' })).map((m) => m.text)).toEqual(['marker'])

    await confirm.getByRole('button', { name: 'Forward anyway' }).click()
    await eventually(() => dialog.count()).toBe(0)
    await eventually(async () => (await a.host.call('history', { room: 'lobby' })).map((m) => m.text)).toEqual(['marker', 'Forwarded from Alice in a direct message:\nthe door code is 4417'])
  })
})
