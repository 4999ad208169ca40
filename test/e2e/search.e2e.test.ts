/**
 * End to end: search through the UI in Chromium. Ctrl+F opens the search,
 * hits come from the engine's full-text index with the matched words marked,
 * and choosing a hit opens its room scrolled to that message.
 */
import { describe, expect, it } from 'vitest'
import { eventually, leftRandom, send, shownMessages, useSession } from './harness.js'

const session = useSession()

describe('searching the history', () => {
  it('Ctrl+F finds a message in another room and jumps to it in its context', async () => {
    const { a, b } = await session.pair()
    await a.page.getByRole('button', { name: 'Create or join a room' }).click()
    await a.page.getByLabel('Room name').fill('kitchen')
    await a.page.getByRole('button', { name: 'Join room' }).click()
    // Typed into #kitchen, once the window is there (the join is a round trip to the engine's process).
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#kitchen')
    await send(a.page, 'the pineapple is ripe')
    // Enough after it that the hit is far above the bottom of the room.
    for (let i = 0; i < 60; i++) await a.host.call('send', { room: 'kitchen', text: `filler ${i}` })
    await eventually(async () => (await b.host.call('history', { room: 'kitchen' })).length).toBe(61)

    await b.page.keyboard.press('Control+f')
    const dialog = b.page.getByRole('dialog', { name: 'Search messages' })
    await expect(dialog.isVisible()).resolves.toBe(true)
    await b.page.getByLabel('Words to find').fill('pineapp')
    const hits = dialog.getByTestId('search-hit')
    await eventually(() => hits.count()).toBe(1)
    await expect(hits.first().locator('mark').textContent()).resolves.toBe('pineapple')
    await expect(hits.first().textContent()).resolves.toContain('#kitchen')
    // When it was written (today: its time), and what the search does not cover.
    const sentAt = (await b.host.call('history', { room: 'kitchen' })).find((m) => m.text === 'the pineapple is ripe')!.sentAt
    await expect(hits.first().locator('time').getAttribute('datetime')).resolves.toBe(new Date(sentAt).toISOString())
    await expect(hits.first().locator('time').textContent()).resolves.toMatch(/^\d{1,2}:\d{2}/)
    await expect(dialog.getByText(/Direct messages and private rooms are searched here, on this computer/).isVisible()).resolves.toBe(true)

    await hits.first().click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#kitchen')
    const shown = b.page.locator('[data-testid="message"][aria-current="true"]')
    await eventually(() => shown.isVisible()).toBe(true)
    await expect(shown.getByTestId('message-text').textContent()).resolves.toBe('the pineapple is ripe')
    // In context: it is not the newest row, and some of the room around it is on screen too.
    expect((await shownMessages(b.page)).map((m) => m.text)).toContain('filler 0')
    // The keyboard stayed where it was: a screen reader is told which message was brought into view.
    const said = b.page.getByTestId('shown-said')
    await expect(said.getAttribute('role')).resolves.toBe('status')
    await eventually(() => said.textContent()).toMatch(/^Shown: Alice, \d{1,2}:\d{2}.*: the pineapple is ripe$/)

    // Typed and Enter at once, before the words are even asked: the newest hit opens, from another room.
    await b.page.getByRole('navigation', { name: 'Rooms', exact: true }).locator('[data-room="lobby"]').click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    await b.page.keyboard.press('Control+f')
    await b.page.getByLabel('Words to find').fill('pineapp')
    await b.page.getByLabel('Words to find').press('Enter')
    await eventually(() => dialog.isVisible()).toBe(false)
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#kitchen')
    await eventually(() => shown.getByTestId('message-text').textContent()).toBe('the pineapple is ripe')

    // Words with no hit: Enter opens nothing, the dialog stays with its answer.
    await b.page.keyboard.press('Control+f')
    await b.page.getByLabel('Words to find').fill('banana')
    await b.page.getByLabel('Words to find').press('Enter')
    await eventually(() => b.page.getByText('No message matches \u201cbanana\u201d.').isVisible()).toBe(true)
    await expect(dialog.isVisible()).resolves.toBe(true)
  })

  it('a hit in a room one left opens it read only with "You left #random" and Join, not joined again; Join joins', async () => {
    const { a, b } = await session.pair()
    const { heading, rooms, joinedKept } = await leftRandom(a, b)

    await b.page.keyboard.press('Control+f')
    const dialog = b.page.getByRole('dialog', { name: 'Search messages' })
    await b.page.getByLabel('Words to find').fill('projector')
    const hits = dialog.getByTestId('search-hit')
    await eventually(() => hits.count()).toBe(1)
    await hits.first().click()
    // The room's history, at the hit, read only: a bar says Bob left it, with Join, where the message box was.
    await eventually(heading).toBe('#random')
    const shown = b.page.locator('[data-testid="message"][aria-current="true"]')
    await eventually(() => shown.getByTestId('message-text').textContent()).toBe('who has the projector key?')
    const bar = b.page.getByTestId('not-joined')
    await eventually(() => bar.textContent()).toMatch(/^You left #random: /)
    expect(await b.page.getByRole('textbox', { name: 'Message #random' }).count()).toBe(0)
    // Not joined: not listed under his rooms, not kept as joined, nothing to react or reply with.
    await shown.hover()
    expect(await shown.getByRole('button', { name: /^React to / }).count()).toBe(0)
    expect(await rooms.locator('[data-room="random"]').count()).toBe(0)
    expect(await joinedKept()).toBe(false)
    // Alice writes on there meanwhile: Bob reads it, still not joined.
    await a.host.call('send', { room: 'random', text: 'in the top drawer' })
    await eventually(async () => (await shownMessages(b.page)).map((m) => m.text)).toContain('in the top drawer')
    expect(await joinedKept()).toBe(false)

    // Join joins: listed again, kept, and the message box is back; what he writes reaches Alice.
    await bar.getByRole('button', { name: 'Join #random' }).click()
    await eventually(() => rooms.locator('[data-room="random"]').count()).toBe(1)
    await eventually(joinedKept).toBe(true)
    expect(await bar.count()).toBe(0)
    await send(b.page, 'thanks, got it')
    await eventually(async () => (await a.host.call('history', { room: 'random' })).map((m) => m.text)).toContain('thanks, got it')
  })

  it('a hit stays in view when the room\'s newest page comes after the hit was shown', async () => {
    // The room's rows came live, so the hit is shown at once; the newest page asked for as the room
    // opens comes after and starts the list anew. That list, too, stays at the hit: it had followed
    // the bottom, on a slow computer, where the list's first look says it is at the bottom.
    const { a, b } = await session.pair()
    await a.host.call('joinRoom', { room: 'kitchen' })
    await a.host.call('send', { room: 'kitchen', text: 'the pineapple is ripe' })
    for (let i = 0; i < 60; i++) await a.host.call('send', { room: 'kitchen', text: `filler ${i}` })
    await eventually(async () => (await b.host.call('history', { room: 'kitchen' })).length).toBe(61)
    const cdp = await b.page.context().newCDPSession(b.page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 10 })
    const shown = b.page.locator('[data-testid="message"][aria-current="true"]')
    // Each round opens the room from elsewhere at the hit: a new list each time.
    for (let round = 0; round < 4; round++) {
      await b.page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: /lobby/ }).click()
      await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
      await b.page.keyboard.press('Control+f')
      await b.page.getByLabel('Words to find').fill('pineapple')
      const hits = b.page.getByRole('dialog', { name: 'Search messages' }).getByTestId('search-hit')
      await eventually(() => hits.count()).toBe(1)
      await hits.first().click()
      await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('#kitchen')
      await eventually(() => shown.isVisible()).toBe(true)
      // Held there: the list does not go on to the bottom once its rows settle.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await expect(shown.isVisible()).resolves.toBe(true)
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
  })

  it('a formatted message\'s hit reads as the message does: no markers, no cut-off fence', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'Run `npm test` before you **push**:\n```sh\nnpm test\n```')
    await eventually(async () => (await b.host.call('history', { room: 'lobby' })).length).toBe(1)
    await b.page.keyboard.press('Control+f')
    await b.page.getByLabel('Words to find').fill('push')
    const hits = b.page.getByRole('dialog', { name: 'Search messages' }).getByTestId('search-hit')
    await eventually(() => hits.count()).toBe(1)
    await expect(hits.first().locator('mark').textContent()).resolves.toBe('push')
    await expect(hits.first().textContent()).resolves.toMatch(/Run npm test before you push: npm test$/)
    // A long message is cut to a few words around the match: a code span or bold cut in two shows no marker either.
    await send(a.page, 'Has anyone seen the projector remote? It was in room `B-204` this morning, next to the **spare cables and the** whiteboard pens.')
    await b.page.getByLabel('Words to find').fill('projector')
    await eventually(() => hits.first().textContent()).toMatch(/projector remote\?/)
    const shown = await hits.first().textContent()
    expect(shown).toMatch(/B-204/)
    expect(shown).not.toMatch(/[`*]/)
  })

  it('an open search finds what arrives while it is open, and drops what its author deletes', async () => {
    const { a, b } = await session.pair()
    await b.page.keyboard.press('Control+f')
    await b.page.getByLabel('Words to find').fill('standup')
    const dialog = b.page.getByRole('dialog', { name: 'Search messages' })
    await eventually(() => dialog.getByText('No message matches \u201cstandup\u201d.').isVisible()).toBe(true)
    // Alice writes while Bob's search is open: the hit appears without Bob typing again.
    const sent = await a.host.call('send', { room: 'lobby', text: 'standup moved to 10:30' })
    const hits = dialog.getByTestId('search-hit')
    await eventually(() => hits.count()).toBe(1)
    await expect(hits.first().locator('mark').textContent()).resolves.toBe('standup')
    // She deletes it: the hit goes, as the message does.
    await a.host.call('delete', { room: 'lobby', id: sent.id })
    await eventually(() => dialog.getByText('No message matches \u201cstandup\u201d.').isVisible()).toBe(true)
  })

  it('searches one room when chosen under "Search in", or with in:#room among the words', async () => {
    const { a, b } = await session.pair()
    await a.host.call('joinRoom', { room: 'kitchen' })
    await a.host.call('send', { room: 'kitchen', text: 'pineapple in the kitchen' })
    await a.host.call('send', { room: 'lobby', text: 'pineapple in the lobby' })
    await b.host.call('joinRoom', { room: 'kitchen' })
    await eventually(async () => (await b.host.call('search', { q: 'pineapple' })).length).toBe(2)
    await b.page.keyboard.press('Control+f')
    const dialog = b.page.getByRole('dialog', { name: 'Search messages' })
    const hits = dialog.getByTestId('search-hit')
    const rooms = async (): Promise<string[]> => (await hits.allTextContents()).map((t) => t.split(' ')[0]!).sort()
    await b.page.getByLabel('Words to find').fill('pineapple')
    await eventually(rooms).toEqual(['#kitchen', '#lobby'])
    // The keyboard alone: the arrow keys go from the words down into the hits, along them, and back up.
    const focused = (): Promise<string> => b.page.evaluate<string>("document.activeElement?.id || (document.activeElement?.textContent ?? '')")
    await b.page.keyboard.press('ArrowDown')
    await expect(focused()).resolves.toBe(await hits.first().textContent())
    await b.page.keyboard.press('ArrowDown')
    await expect(focused()).resolves.toBe(await hits.nth(1).textContent())
    await b.page.keyboard.press('ArrowUp')
    await b.page.keyboard.press('ArrowUp')
    await expect(focused()).resolves.toBe('search-q')
    await dialog.getByLabel('Search in').selectOption('kitchen')
    await eventually(rooms).toEqual(['#kitchen'])
    await dialog.getByLabel('Search in').selectOption('')
    await eventually(rooms).toEqual(['#kitchen', '#lobby'])
    // Typed among the words, the room wins over the choice (shown there, and not changeable while typed).
    await b.page.getByLabel('Words to find').fill('in:#lobby pineapple')
    await eventually(rooms).toEqual(['#lobby'])
    await expect(dialog.getByLabel('Search in').inputValue()).resolves.toBe('lobby')
    await expect(dialog.getByLabel('Search in').isDisabled()).resolves.toBe(true)
    // An invite-only room of his typed by its name is shown as that room, not as a public #q3-planning.
    const { room: planning } = await b.host.call('createPrivateRoom', { name: 'Q3 Planning' })
    await b.host.call('send', { room: planning, text: 'pineapple budget' })
    await b.page.getByLabel('Words to find').fill('in:#q3-planning pineapple')
    await eventually(rooms).toEqual(['Q3'])
    await expect(dialog.getByLabel('Search in').inputValue()).resolves.toBe(planning)
  })

  it('takes has:link and a date alone, and says in words what a date it cannot read should be', async () => {
    const { a, b } = await session.pair()
    await a.host.call('send', { room: 'lobby', text: 'the plan is at https://example.com/plan' })
    await a.host.call('send', { room: 'lobby', text: 'the plan is ready' })
    await eventually(async () => (await b.host.call('search', { q: 'plan' })).length).toBe(2)
    await b.page.keyboard.press('Control+f')
    const dialog = b.page.getByRole('dialog', { name: 'Search messages' })
    const hits = dialog.getByTestId('search-hit')
    await b.page.getByLabel('Words to find').fill('has:link')
    await eventually(() => hits.allTextContents()).toEqual([expect.stringContaining('the plan is at https://example.com/plan')])
    await b.page.getByLabel('Words to find').fill('plan -example on:today')
    await eventually(() => hits.allTextContents()).toEqual([expect.stringContaining('is ready')])
    await b.page.getByLabel('Words to find').fill('before:yesterdayish')
    await eventually(() => dialog.getByRole('alert').textContent()).toMatch(/^before: takes a date like 2026-12-01/)
    // The hits of the words before are not left under it as if they were this search's.
    await expect(hits.count()).resolves.toBe(0)
    await expect(dialog.getByRole('status').textContent()).resolves.toBe('')
  })

  it('finds a direct message, named by the person, and opens the conversation at it, closed or not; "Search in" offers the conversation', async () => {
    const { a, b } = await session.pair()
    await b.page.getByTestId('peer').filter({ hasText: /^Alice/ }).getByRole('button', { name: /privately/ }).click()
    await eventually(() => b.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Alice')
    // A conversation with one person is muted as such, not as a room.
    expect(await b.page.getByRole('button', { name: 'Mute conversation' }).count()).toBe(1)
    await send(b.page, 'the mango is for you only')
    const dms = a.page.getByRole('navigation', { name: 'Direct messages' })
    await eventually(() => dms.getByRole('button', { name: /^Private Bob/ }).count()).toBe(1)

    await a.page.keyboard.press('Control+f')
    const dialog = a.page.getByRole('dialog', { name: 'Search messages' })
    await a.page.getByLabel('Words to find').fill('mango')
    const hits = dialog.getByTestId('search-hit')
    await eventually(() => hits.count()).toBe(1)
    await expect(hits.first().textContent()).resolves.toMatch(/^@Bob Bob /)
    // Named after a drawn lock (an emoji one is an empty box where the system has no emoji font).
    await expect(hits.first().getByRole('img', { name: 'Private' }).locator('svg').count()).resolves.toBe(1)
    await expect(hits.first().locator('mark').textContent()).resolves.toBe('mango')
    // "Search in" lists it under its kind: an option holds text only.
    await expect(dialog.getByLabel('Search in').locator('optgroup[label="Direct messages"] option').allTextContents()).resolves.toEqual(['@Bob'])
    // in:@bob among the words: that conversation, shown under "Search in"; someone with no conversation is said so.
    await a.page.getByLabel('Words to find').fill('in:@bob mango')
    await eventually(() => dialog.getByLabel('Search in').evaluate((s) => { const el = s as unknown as { selectedOptions: Array<{ textContent: string }> }; return el.selectedOptions[0]?.textContent })).toBe('@Bob')
    await eventually(() => hits.count()).toBe(1)
    await a.page.getByLabel('Words to find').fill('in:@carol mango')
    await eventually(() => dialog.getByRole('alert').textContent()).toBe('in:@carol: you have no direct messages with anyone called "carol"')
    await a.page.getByLabel('Words to find').fill('mango')
    await eventually(() => hits.count()).toBe(1)
    await hits.first().click()
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    await eventually(() => a.page.locator('[data-testid="message"][aria-current="true"]').textContent()).toContain('the mango is for you only')

    // Closed from the list, the conversation's history is still found, and the hit lists it again.
    // The × shows on the row's hover, as a pointer brings it.
    await dms.getByRole('button', { name: /^Private Bob/ }).hover()
    await dms.getByRole('button', { name: 'Close the conversation with Bob' }).click()
    await eventually(() => dms.getByRole('button', { name: /^Private Bob/ }).count()).toBe(0)
    await a.page.keyboard.press('Control+f')
    await a.page.getByLabel('Words to find').fill('mango')
    await eventually(() => hits.count()).toBe(1)
    await expect(hits.first().textContent()).resolves.toMatch(/^@Bob Bob /)
    await expect(hits.first().getByRole('img', { name: 'Private' }).count()).resolves.toBe(1)
    await hits.first().click()
    await eventually(() => dms.getByRole('button', { name: /^Private Bob/ }).count()).toBe(1)
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('@Bob')
    await eventually(() => a.page.locator('[data-testid="message"][aria-current="true"]').textContent()).toContain('the mango is for you only')
  })
  it('a hit shows the text\'s own brackets as brackets, only the words found marked; a Chinese word is found inside its sentence, in public and in a DM', async () => {
    const { a, b } = await session.pair()
    await send(a.page, 'see [1] and array[0] for the budget')
    await send(a.page, '明天的会议在三点')
    await a.host.call('send', { to: (await a.host.call('peers'))[0]!.peerId, text: '会议记录 [draft]' })
    await eventually(async () => (await b.host.call('history', { room: 'lobby' })).length).toBe(2)
    await b.page.keyboard.press('Control+f')
    const dialog = b.page.getByRole('dialog', { name: 'Search messages' })
    const hits = dialog.getByTestId('search-hit')
    // The polite status a screen reader hears is there before any answer (a live region added with its words is often not read), empty.
    const status = dialog.getByRole('status')
    await expect(status.textContent()).resolves.toBe('')
    await b.page.getByLabel('Words to find').fill('budget')
    await eventually(() => hits.count()).toBe(1)
    await eventually(() => status.textContent()).toBe('1 message found for \u201cbudget\u201d')
    // Other words with as many hits: what is said changes with them, so a screen reader says it again.
    await b.page.getByLabel('Words to find').fill('budget array')
    await eventually(() => status.textContent()).toBe('1 message found for \u201cbudget array\u201d')
    await b.page.getByLabel('Words to find').fill('budget')
    await eventually(() => status.textContent()).toBe('1 message found for \u201cbudget\u201d')
    await expect(hits.first().textContent()).resolves.toContain('see [1] and array[0] for the budget')
    await expect(hits.first().locator('mark').allTextContents()).resolves.toEqual(['budget'])
    await b.page.getByLabel('Words to find').fill('会议')
    await eventually(() => hits.count()).toBe(2)
    await eventually(() => status.textContent()).toBe('2 messages found for \u201c会议\u201d')
    await expect(hits.locator('mark').allTextContents()).resolves.toEqual(['会议', '会议'])
    await expect(hits.first().textContent()).resolves.toContain('会议记录 [draft]')
    await expect(hits.nth(1).textContent()).resolves.toContain('明天的会议在三点')
    // Such words alone are looked for only so far back, and the window says how to look further.
    await b.page.getByLabel('Words to find').fill('预算')
    await eventually(() => dialog.getByTestId('no-hits').textContent()).toBe('No message matches \u201c预算\u201d. Emoji and words written without spaces (Chinese, Japanese, Thai…) are looked for in the newest 100,000 messages; add a word written with spaces to search all of them.')
    // So it is with operators or a word left out beside them: nothing there brings in the index.
    await b.page.getByLabel('Words to find').fill('预算 on:today -draft')
    await eventually(() => dialog.getByTestId('no-hits').textContent()).toMatch(/^No message matches \u201c预算 on:today -draft\u201d\. Emoji and words written without spaces/)
    await b.page.getByLabel('Words to find').fill('预算 budget')
    await eventually(() => dialog.getByTestId('no-hits').textContent()).toBe('No message matches \u201c预算 budget\u201d.')
  })
})
