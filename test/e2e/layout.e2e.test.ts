/**
 * End to end, issue 10's layout and status defects: what the window shows
 * about the connection, the rooms and the panels, in real Chromium.
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { chooseName, connectByAddress, eventually, listenPort, openPeer, peerCount, send, shownMessages, texts, useSession } from './harness.js'

const session = useSession()
const { open, pair } = session

async function onePeer(name: string): Promise<Page> {
  const peer = await openPeer(session.browser)
  open.push(peer)
  await chooseName(peer.page, name)
  return peer.page
}

describe('the connection state', () => {
  it('the status bar and the banner agree when the server cannot be reached', async () => {
    const page = await onePeer('Ivy')
    await eventually(() => page.getByTestId('connection').textContent()).toBe('Online')
    await page.getByRole('button', { name: 'Settings' }).click()
    const dialog = page.getByRole('dialog', { name: 'Settings' })
    await dialog.getByLabel('Client–server').check()
    await dialog.getByLabel('Server address').fill('127.0.0.1:1')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await eventually(() => page.getByTestId('pending-banner').textContent()).toMatch(/^server unreachable/)
    await eventually(() => page.getByTestId('connection').textContent()).toBe('Server unreachable')
    expect(await page.locator('.chat-header').textContent()).toContain('hub unreachable')
    // "Try now" dials the address from Settings at once; it still does not answer, and nothing else changes.
    const tryNow = page.getByTestId('pending-banner').getByRole('button', { name: 'Try now' })
    await expect(tryNow.getAttribute('title')).resolves.toBe('Connect to 127.0.0.1:1 now, without waiting for the next try')
    await tryNow.click()
    await eventually(() => page.getByTestId('pending-banner').getByRole('button').textContent()).toBe('Trying…')
    await eventually(() => page.getByTestId('pending-banner').getByRole('button').textContent()).toBe('Try now')
    await expect(page.getByTestId('pending-banner').textContent()).resolves.toMatch(/^server unreachable, 0 pending/)
    await expect(page.getByTestId('try-failed').count()).resolves.toBe(0)
    await expect(page.getByTestId('connection').textContent()).resolves.toBe('Server unreachable')
  })
})

describe('rooms', () => {
  it('shows the room name as it will be while typing, and lists rooms one has not joined apart', async () => {
    const { a, b } = await pair()
    await a.page.getByRole('button', { name: 'Create or join a room' }).click()
    await a.page.getByLabel('Room name').pressSequentially('Design Team!')
    const preview = a.page.getByTestId('room-preview')
    await eventually(() => preview.textContent()).toMatch(/^Room names are lowercase, with - for spaces. You will join #design-team!/)
    await a.page.getByLabel('Room name').press('Enter')
    await eventually(() => a.page.getByRole('heading', { level: 1 }).textContent()).toBe('#design-team!')
    await send(a.page, 'Mockups are ready')

    // Bob did not join it: it is listed apart, with its unread count, not among his rooms.
    const others = b.page.getByRole('navigation', { name: 'Other rooms on the network' })
    const mine = b.page.getByRole('navigation', { name: 'Rooms', exact: true })
    await eventually(() => others.locator('[data-room="design-team!"]').getByLabel('1 unread').isVisible()).toBe(true)
    expect(await mine.locator('[data-room="design-team!"]').count()).toBe(0)
    // Opening it joins it.
    await others.locator('[data-room="design-team!"]').click()
    await eventually(async () => texts(await shownMessages(b.page))).toEqual(['Mockups are ready'])
    await eventually(() => mine.locator('[data-room="design-team!"]').count()).toBe(1)
    expect(await others.count()).toBe(0)
    // Still joined after a reload of the window.
    await b.page.locator('[data-room="lobby"]').click()
    await b.page.reload()
    await eventually(() => mine.locator('[data-room="design-team!"]').count()).toBe(1)
    expect(await others.count()).toBe(0)
  })
})

/** In the page: what a person would notice about the layout (a string: the Node world has no DOM types). */
const MEASURE = `(() => {
  const el = document.documentElement
  const panel = document.querySelector('.netpanel')
  // The toggle: the header's Network button, or the panel's own close button where the panel overlays the chat.
  const overlay = panel !== null && getComputedStyle(panel).zIndex !== 'auto'
  const button = overlay ? panel.querySelector('[aria-label="Close network panel"]')
    : [...document.querySelectorAll('.chat-header button')].find((b) => b.textContent.trim() === 'Network')
  const r = button.getBoundingClientRect()
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
  const reach = document.querySelector('.chat-header .reach')
  const lineHeight = parseFloat(getComputedStyle(reach).lineHeight)
  const inside = (sel) => {
    const box = document.querySelector(sel)?.getBoundingClientRect()
    return box === undefined || (box.left >= 0 && box.right <= innerWidth + 0.5)
  }
  return {
    sideways: el.scrollWidth > el.clientWidth,
    toggleReachable: hit === button || button.contains(hit),
    reachLines: Math.round(reach.getBoundingClientRect().height / lineHeight),
    sidebarInside: inside('.sidebar'),
    panelInside: inside('.netpanel'),
    // A panel over the conversation covers it, or leaves a usable part of it: never a strip too narrow to read.
    chatBeside: (() => {
      if (!overlay) return 'none'
      const chat = document.querySelector('.chat').getBoundingClientRect()
      const left = panel.getBoundingClientRect().left - chat.left
      return left < 1 ? 'covered' : left >= 240 ? 'usable' : left + ' px'
    })(),
    // Status dots stay round (a squeezed flex item became an upright oval), and one's own id stays one line.
    dotsRound: [...document.querySelectorAll('.dot')].every((d) => { const b = d.getBoundingClientRect(); return Math.abs(b.width - b.height) < 0.5 }),
    // The header's buttons (Members, Mute, Pinned, Search, Network) and the order switch stay together on one line, inside the header (they used to wrap one by one).
    toolsOneLine: (() => {
      const header = document.querySelector('.chat-header').getBoundingClientRect()
      const boxes = [...document.querySelectorAll('.header-tools > *')].map((t) => t.getBoundingClientRect())
      const middles = boxes.map((b) => b.top + b.height / 2)
      return boxes.length === 6 && Math.max(...middles) - Math.min(...middles) < 4 && boxes.every((b) => b.left >= header.left && b.right <= header.right + 0.5)
    })(),
    selfIdLines: (() => { const id = document.querySelector('.me-text .muted'); return Math.round(id.getBoundingClientRect().height / parseFloat(getComputedStyle(id).lineHeight)) })()
  }
})()`

describe('layout', () => {
  it('no sideways scroll, the Network button uncovered, the header\'s reach, its tools and one\'s id each on one line and round dots, from the minimum width up, panel open or not', async () => {
    const page = await onePeer('Jo')
    // Measure once the header says who is reachable (the engine, in its own process, has reported).
    await eventually(async () => ((await page.locator('.chat-header .reach').textContent()) ?? '').trim().length).toBeGreaterThan(0)
    const expected = { sideways: false, toggleReachable: true, reachLines: 1, sidebarInside: true, panelInside: true, dotsRound: true, toolsOneLine: true, selfIdLines: 1 }
    // Where the panel lies over the conversation (below 1,100 px), what is left of it beside the panel.
    const beside: Record<string, string> = { '640x480 with panel': 'covered', '800x600 with panel': 'covered', '1000x800 with panel': 'usable' }
    const found: Record<string, unknown> = {}
    for (const [width, height] of [[640, 480], [700, 900], [800, 600], [1000, 800], [1280, 800], [1600, 900]] as const) {
      await page.setViewportSize({ width, height })
      for (const panel of [false, true]) {
        const isOpen = (await page.getByRole('tablist', { name: 'Network views' }).count()) > 0
        if (isOpen !== panel) await page.getByRole('button', { name: panel ? 'Network' : 'Close network panel', exact: true }).click()
        await eventually(async () => (await page.getByRole('tablist', { name: 'Network views' }).count()) > 0).toBe(panel)
        found[`${width}x${height}${panel ? ' with panel' : ''}`] = await page.evaluate(MEASURE)
      }
    }
    for (const [view, measured] of Object.entries(found)) {
      const { chatBeside, ...rest } = measured as { chatBeside: string }
      expect({ view, ...rest }).toEqual({ view, ...expected })
      if (beside[view] !== undefined) expect({ view, chatBeside }).toEqual({ view, chatBeside: beside[view] })
    }
  })

  it('text zoomed to 200% in a 960 px window (480 px of page): no sideways scroll, and every button above the messages inside the window', async () => {
    const page = await onePeer('Zoe')
    // 200% zoom halves the page's width in CSS pixels, as a 480 px viewport has it.
    await page.setViewportSize({ width: 480, height: 360 })
    const measured = (): Promise<{ sideways: boolean; outside: string[] }> => page.evaluate<{ sideways: boolean; outside: string[] }>(`(() => ({
      sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      outside: [...document.querySelectorAll('.header-tools button, .header-tools select')]
        .filter((b) => b.getBoundingClientRect().right > innerWidth || b.getBoundingClientRect().left < 0)
        .map((b) => b.getAttribute('aria-label') ?? b.textContent)
    }))()`)
    await eventually(measured).toEqual({ sideways: false, outside: [] })
  })

  it('at 200% zoom in a small window (400 px of page) the conversation takes the width, and the list of conversations opens over it from the keyboard; its button says what waits elsewhere', async () => {
    const { a, b } = await pair()
    const page = b.page
    await page.getByRole('button', { name: 'Create or join a room' }).click()
    await page.keyboard.type('design')
    await page.keyboard.press('Enter')
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('#design')
    await page.setViewportSize({ width: 400, height: 600 })
    const widths = (): Promise<{ chat: number, list: boolean }> => page.evaluate<{ chat: number, list: boolean }>(`(() => ({
      chat: Math.round(document.querySelector('.chat').getBoundingClientRect().width),
      list: document.getElementById('sidebar').checkVisibility()
    }))()`)
    // Beside a 220 px list the conversation had 180 px: now it has the window.
    await eventually(widths).toEqual({ chat: 400, list: false })
    const toggle = page.getByRole('button', { name: /^Conversations/ })
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false')
    await expect(page.getByTestId('elsewhere').count()).resolves.toBe(0)
    // The list is out of sight: the button says that the lobby has news, and then that it mentions Bob.
    await send(a.page, 'lunch at noon')
    await eventually(() => page.getByTestId('elsewhere').textContent()).toBe('new messages elsewhere')
    await send(a.page, '@Bob are you coming?')
    await eventually(() => page.getByTestId('elsewhere').textContent()).toBe('@1 mention of you elsewhere')
    await toggle.focus()
    await page.keyboard.press('Enter')
    await eventually(widths).toEqual({ chat: 400, list: true })
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true')
    // The keyboard is in the list, on the conversation open now; Escape closes it and gives the keyboard back.
    await eventually(() => page.evaluate('document.activeElement.closest("#sidebar") !== null && document.activeElement.getAttribute("aria-current") === "page"')).toBe(true)
    await page.keyboard.press('Escape')
    await eventually(widths).toEqual({ chat: 400, list: false })
    await eventually(() => page.evaluate('document.activeElement.getAttribute("aria-expanded")')).toBe('false')
    // Choosing another conversation opens it, closes the list and gives the keyboard to its message box; what waited there is read.
    await toggle.click()
    await page.locator('#sidebar').getByRole('button', { name: /lobby/ }).first().click()
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('#lobby')
    await eventually(widths).toEqual({ chat: 400, list: false })
    await eventually(() => page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Message #lobby')
    await eventually(() => page.getByTestId('elsewhere').count()).toBe(0)
    // A click beside the open list closes it.
    await toggle.click()
    await eventually(widths).toEqual({ chat: 400, list: true })
    await page.mouse.click(380, 300)
    await eventually(widths).toEqual({ chat: 400, list: false })
    // The Network panel covers the conversation there, with no sideways scroll.
    await page.getByRole('button', { name: 'Network', exact: true }).click()
    await eventually(() => page.evaluate(`(() => { const p = document.querySelector('.netpanel').getBoundingClientRect(); return [Math.round(p.left), Math.round(p.width), document.documentElement.scrollWidth > document.documentElement.clientWidth] })()`)).toEqual([0, 400, false])
    await page.keyboard.press('Escape')
    // Wider, the list is beside the conversation again and the button is gone.
    await page.setViewportSize({ width: 800, height: 600 })
    await eventually(widths).toEqual({ chat: 800 - 264, list: true })
    await expect(toggle.isVisible()).resolves.toBe(false)
  })

  it('in the list opened over the conversation, a dialog opened from it (a pause, a status) gives the keyboard back to what opened it, not to the conversation open now', async () => {
    const page = await onePeer('Bob')
    await page.setViewportSize({ width: 400, height: 600 })
    await page.getByRole('button', { name: /^Conversations/ }).click()
    const active = (): Promise<unknown> => page.evaluate('document.activeElement.getAttribute("aria-label") ?? document.activeElement.textContent')
    // Gone from the page, not only closed by the browser (Escape), and the window's effects run after it: the next key is for what is left.
    const gone = async (): Promise<void> => {
      await eventually(() => page.locator('dialog').count()).toBe(0)
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))')
    }
    await eventually(active).toBe('#lobby')
    // Pause notifications from the keyboard: Escape, then a choice.
    const pause = page.getByRole('button', { name: 'Pause notifications' })
    await pause.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Pause notifications' })
    await eventually(() => dialog.isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    await gone()
    await eventually(active).toBe('Pause notifications')
    await page.keyboard.press('Enter')
    await dialog.getByRole('button', { name: 'For 1 hour' }).focus()
    await page.keyboard.press('Enter')
    await gone()
    await eventually(active).toMatch(/^Notifications paused until /)
    // The same for one's status.
    await page.getByRole('button', { name: 'Set a status' }).focus()
    await page.keyboard.press('Enter')
    await eventually(() => page.getByRole('dialog').count()).toBe(1)
    await page.keyboard.press('Escape')
    await gone()
    await eventually(active).toBe('Set a status')
    // The list stayed open throughout; Escape still closes it.
    await page.keyboard.press('Escape')
    await eventually(() => page.evaluate('document.activeElement.getAttribute("aria-expanded")')).toBe('false')
  })

  it('in the list opened over the conversation, Saved gives the keyboard back to its button, the list still open; a saved message chosen there is shown with the list closed', async () => {
    const { a } = await pair()
    const page = a.page
    await send(page, 'keep this one')
    await page.setViewportSize({ width: 400, height: 600 })
    const said = page.getByTestId('message').filter({ hasText: 'keep this one' })
    await said.hover()
    await said.getByRole('button', { name: 'Save message for later' }).click()
    await eventually(() => said.getByTestId('saved-mark').count()).toBe(1)
    const toggle = page.getByRole('button', { name: /^Conversations/ })
    await toggle.click()
    const active = (): Promise<unknown> => page.evaluate('document.activeElement.getAttribute("aria-label") ?? document.activeElement.textContent')
    const gone = async (): Promise<void> => {
      await eventually(() => page.locator('dialog').count()).toBe(0)
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))')
    }
    await eventually(active).toBe('#lobby')
    const savedButton = page.getByTestId('saved-button')
    await savedButton.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Saved messages' })
    await eventually(() => dialog.getByTestId('saved-item').count()).toBe(1)
    await page.keyboard.press('Escape')
    await gone()
    await eventually(active).toBe('Saved1 saved')
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true')
    // Again, and the message chosen: shown in its conversation (the one open here), the list out of its way.
    await page.keyboard.press('Enter')
    await dialog.getByRole('button', { name: /keep this one/ }).focus()
    await page.keyboard.press('Enter')
    await gone()
    await eventually(() => toggle.getAttribute('aria-expanded')).toBe('false')
    await eventually(() => page.locator('[data-testid="message"][aria-current="true"]').getByTestId('message-text').textContent()).toBe('keep this one')
  })

  it('in the narrowest window one\'s own name, Connect to address… and the address others need show whole', async () => {
    const page = await onePeer('Ada Lovelace')
    // The longest thing the status bar says: the address of the server hosted here.
    await page.getByRole('button', { name: 'Settings' }).click()
    const settings = page.getByRole('dialog', { name: 'Settings' })
    await settings.getByLabel('Host a server on this computer').check()
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => page.getByTestId('listen-addrs').textContent()).toMatch(/^the server hosted here listens on [\d.]+:\d+$/)
    const measure = () => page.evaluate(`(() => {
      const cut = (sel) => { const el = document.querySelector(sel); const r = el.getBoundingClientRect(); return el.scrollWidth > el.clientWidth || r.left < 0 || r.right > innerWidth + 0.5 }
      const connect = [...document.querySelectorAll('.sidebar button')].find((b) => b.textContent.trim() === 'Connect to address…')
      const lines = Math.round((connect.clientHeight - parseFloat(getComputedStyle(connect).paddingTop) - parseFloat(getComputedStyle(connect).paddingBottom)) / parseFloat(getComputedStyle(connect).lineHeight))
      return { nameCut: cut('[data-testid="self-name"]'), connectLines: lines, addressCut: cut('[data-testid="listen-addrs"]') }
    })()`)
    // The desktop app's smallest window (MIN_SIZE), and narrower, as a browser tab can be.
    for (const width of [640, 600]) {
      await page.setViewportSize({ width, height: 480 })
      expect({ width, ...(await measure() as object) }).toEqual({ width, nameCut: false, connectLines: 1, addressCut: false })
    }
  })

  it('the Network panel\'s tabs share one row and stay where they are whichever one is chosen', async () => {
    const page = await onePeer('Kit')
    await page.getByRole('button', { name: 'Network', exact: true }).click()
    const labels = ['Sockets', 'Space-time', 'Contrast', 'Partition lab', 'Walkthrough']
    for (const width of [1100, 1280, 1600]) {
      await page.setViewportSize({ width, height: 800 })
      const boxes: string[] = []
      for (const label of labels) {
        // Found by its name alone: the width kept for the bold label adds nothing a screen reader says.
        const tab = page.getByRole('tab', { name: label, exact: true })
        await tab.click()
        await eventually(() => tab.getAttribute('aria-selected')).toBe('true')
        boxes.push(JSON.stringify(await page.getByRole('tab').evaluateAll((tabs) => tabs.map((t) => {
          const r = t.getBoundingClientRect()
          return [Math.round(r.left), Math.round(r.top), Math.round(r.width)]
        }))))
      }
      // Choosing a tab moves none of them (a bold chosen tab once widened it and moved the ones after it).
      expect({ width, layouts: new Set(boxes).size }).toEqual({ width, layouts: 1 })
      // And the five share one row, from the 1,100 px the window opens at (they wrapped onto two there).
      expect({ width, rows: new Set((JSON.parse(boxes[0]!) as number[][]).map((b) => b[1])).size }).toEqual({ width, rows: 1 })
    }
  })
})

/** Whether a click at the middle of each composer button reaches that button (nothing laid over it). */
const COMPOSER_BUTTONS_CLEAR = `(() => {
  const toasts = [...document.querySelectorAll('.toast')].map((t) => t.getBoundingClientRect())
  const composer = document.querySelector('.composer').getBoundingClientRect()
  const clear = ['Send', 'Attach a file', 'Insert an emoji'].map((name) => {
    const button = document.querySelector('.composer button[aria-label^="' + name + '"]')
    if (button === null) return name + ': missing'
    const r = button.getBoundingClientRect()
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
    return hit === button || button.contains(hit) ? name + ': clear' : name + ': covered'
  })
  return { toasts: toasts.length, aboveComposer: toasts.every((t) => t.bottom <= composer.top), clear }
})()`

describe('toasts', () => {
  it('show under the header, never over the composer\'s buttons, and each leaves 8 s after it came, whatever came after it', async () => {
    const a = await onePeer('Ada')
    const b = await onePeer('Ben')
    await b.clock.install()
    const port = await listenPort(a)
    const toasts = b.locator('.toast')
    await connectByAddress(b, `127.0.0.1:${port}`)
    await eventually(() => toasts.count()).toBe(1)
    // It names whom it reached, and the address as it was typed, not the multiaddr the engine dialed.
    expect(await toasts.textContent()).toBe(`ConnectedAda (127.0.0.1:${port})✕`)
    // So does the status bar, each address once (the multiaddrs, peer id and all, in its tooltip).
    expect(await a.getByTestId('listen-addrs').textContent()).toBe(`Listening on 127.0.0.1:${port}`)
    expect(await a.getByTestId('listen-addrs').getAttribute('title')).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/${port}/p2p/12D3Koo`))
    await eventually(() => peerCount(b)).toBe('1 peer connected')
    for (const [width, height] of [[640, 480], [1280, 800]] as const) {
      await b.setViewportSize({ width, height })
      expect(await b.evaluate(COMPOSER_BUTTONS_CLEAR)).toEqual({ toasts: 1, aboveComposer: true, clear: ['Send: clear', 'Attach a file: clear', 'Insert an emoji: clear'] })
    }
    // Send is clicked, not covered, while the toast shows.
    await b.getByRole('textbox', { name: 'Message #lobby' }).fill('sent past a toast')
    await b.getByRole('button', { name: 'Send', exact: true }).click({ timeout: 2000 })
    await eventually(async () => texts(await shownMessages(a))).toEqual(['sent past a toast'])

    // Time stands still from here but for the test's steps: a second toast 5 s after a first
    // does not keep the first one for another 8 s.
    await b.getByRole('button', { name: 'Dismiss' }).click()
    await eventually(() => toasts.count()).toBe(0)
    await b.clock.pauseAt(Date.now() + 1000)
    await connectByAddress(b, `127.0.0.1:${port}`)
    await eventually(() => toasts.count()).toBe(1)
    await b.clock.runFor(5000)
    await connectByAddress(b, `127.0.0.1:${port}`)
    await eventually(() => toasts.count()).toBe(2)
    await b.clock.runFor(3500)
    await eventually(() => toasts.count()).toBe(1)
    await b.clock.runFor(4000)
    expect(await toasts.count()).toBe(1)
    await b.clock.runFor(1000)
    await eventually(() => toasts.count()).toBe(0)
  })
})

describe('message rows', () => {
  it('the text uses the row up to the stamps; the hover tools take no width of their own, and Tab still reaches them', async () => {
    const { a } = await pair()
    await a.page.setViewportSize({ width: 640, height: 480 })
    await send(a.page, 'a line long enough to wrap in a narrow window, '.repeat(3))
    const row = a.page.getByTestId('message').first()
    await a.page.mouse.move(0, 0)
    const widths = await row.evaluate((el) => {
      type Box = { getBoundingClientRect(): { width: number; right: number; left: number }; className: string; children: ArrayLike<Box>; querySelector(s: string): Box }
      const meta = (el as unknown as Box).querySelector('.meta')
      const stamps = Array.from(meta.children).filter((c) => !String(c.className).includes('actions'))
      const sum = stamps.reduce((w, c) => w + c.getBoundingClientRect().width, 0)
      return { meta: Math.round(meta.getBoundingClientRect().width), stamps: Math.round(sum + 6 * (stamps.length - 1)) }
    })
    expect(widths.meta).toBeLessThanOrEqual(widths.stamps + 1)
    // The keyboard reaches the tools, and they show while they have it.
    await row.getByRole('button', { name: /^Reply to / }).focus()
    const opacity = await row.locator('.actions').evaluate((el) => {
      const view = (el as unknown as { ownerDocument: { defaultView: { getComputedStyle(e: unknown): { opacity: string } } } }).ownerDocument.defaultView
      return view.getComputedStyle(el).opacity
    })
    expect(opacity).toBe('1')
  })

  it('every one of a message\'s tools (Reply … Save, Copy text) is inside the conversation, from the narrowest one beside the list up and at 200% zoom', async () => {
    const { a } = await pair()
    // One's own message in a public room has the most tools: Reply, React, Edit, Delete, Forward…, Pin, Save, Copy text.
    await send(a.page, 'short')
    const row = a.page.getByTestId('message').filter({ hasText: 'short' })
    await eventually(() => row.getAttribute('data-state')).toBe('delivered')
    const found: Record<string, string[]> = {}
    // 540 px: the narrowest window with the list beside the conversation; 400 and 480: an 800 and a 960 px window at 200%.
    for (const [width, height] of [[540, 600], [640, 480], [760, 600], [1000, 700], [400, 600], [480, 360]] as const) {
      await a.page.setViewportSize({ width, height })
      await a.page.mouse.move(0, 0)
      await row.getByRole('button', { name: /^Reply to / }).focus()
      found[width] = await row.evaluate((el) => {
        type Box = { left: number; right: number; top: number }
        type El = { getBoundingClientRect(): Box; getAttribute(n: string): string | null; closest(s: string): El; querySelectorAll(s: string): ArrayLike<El> }
        const list = (el as unknown as El).closest('.messages').getBoundingClientRect()
        const tools = Array.from((el as unknown as El).querySelectorAll('.actions button'))
        const outside = tools.filter((b) => { const r = b.getBoundingClientRect(); return r.left < list.left - 0.5 || r.right > list.right + 0.5 })
        // On one line where there is room; on two, not cut off, where there is not.
        const lines = new Set(tools.map((b) => Math.round(b.getBoundingClientRect().top))).size
        return [...outside.map((b) => b.getAttribute('aria-label') ?? ''), `${lines} line${lines === 1 ? '' : 's'}`]
      })
    }
    expect(found).toEqual({ 540: ['2 lines'], 640: ['1 line'], 760: ['1 line'], 1000: ['1 line'], 400: ['1 line'], 480: ['1 line'] })
  })

  it('a long paste folds after about 20 lines under "Show more", on the other page too; a short one does not', async () => {
    const { a, b } = await pair()
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`)
    await send(a.page, lines.join('\n'))
    await send(a.page, 'short and sweet')
    for (const page of [a.page, b.page]) {
      const long = page.getByTestId('message').filter({ hasText: 'line 60' })
      const text = long.getByTestId('message-text')
      // Folded: the start shows, the rest is cut off (the box is shorter than its text), and a button says so.
      await eventually(() => long.getByRole('button', { name: 'Show more' }).isVisible()).toBe(true)
      const folded = await text.evaluate((el) => ({ shown: el.clientHeight, whole: el.scrollHeight }))
      expect(folded.shown).toBeLessThan(folded.whole / 2)
      expect(folded.shown).toBeGreaterThan(0)
      await expect(long.getByRole('button', { name: 'Show more' }).getAttribute('aria-expanded')).resolves.toBe('false')
      // The whole text is still there for copying and for screen readers.
      await expect(text.textContent()).resolves.toContain('line 60')
      await long.getByRole('button', { name: 'Show more' }).click()
      await eventually(() => text.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1)
      await expect(long.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).resolves.toBe('true')
      await long.getByRole('button', { name: 'Show less' }).click()
      await eventually(() => long.getByRole('button', { name: 'Show more' }).isVisible()).toBe(true)
      // A message that fits has nothing to unfold.
      expect(await page.getByTestId('message').filter({ hasText: 'short and sweet' }).getByRole('button', { name: /^Show / }).count()).toBe(0)
    }
    const found = (await new AxeBuilder({ page: b.page }).include('[data-testid="message"]').analyze()).violations.map((v) => v.id)
    expect(found).toEqual([])
  })
})

describe('a name stacked with accent marks', () => {
  it('keeps to its line in the message list: what the marks draw past it is cut there, not drawn over the rows around', async () => {
    const { a, b } = await pair()
    const zalgo = 'Z' + '\u0336\u0351\u0314\u0300\u0301\u0346\u034a\u0357\u0311\u0352\u030e\u030b\u0316\u0317\u0318\u0319\u031c\u031d\u031e\u031f\u0320\u0324\u0325\u0326'.repeat(2) + 'algo'
    await send(a.page, 'the row above')
    await b.host.call('setName', { name: zalgo })
    await send(b.page, 'written under a stacked name')
    await eventually(async () => texts(await shownMessages(a.page))).toEqual(['the row above', 'written under a stacked name'])
    const author = a.page.locator('.message .author').filter({ hasText: 'algo' })
    await eventually(() => author.count()).toBe(1)
    // The marks are ink past the glyphs' boxes, which no layout figure measures: what keeps them in is
    // that the name's box cuts what is drawn beyond it, at the height of one line.
    const drawn = await author.evaluate((el) => {
      const e = el as unknown as { getBoundingClientRect(): { height: number }; ownerDocument: { defaultView: { getComputedStyle(x: unknown): { overflowY: string; fontSize: string } } } }
      const style = e.ownerDocument.defaultView.getComputedStyle(el)
      return { cut: style.overflowY !== 'visible', oneLine: e.getBoundingClientRect().height <= 2 * parseFloat(style.fontSize) }
    })
    expect(drawn).toEqual({ cut: true, oneLine: true })
  })
})

describe('right-to-left text', () => {
  /** Where a piece of a row's text is drawn, as left and right x of its first box; and where the text's box is. */
  const placeOf = (page: Page, hasText: string, piece: string) =>
    page.getByTestId('message-text').filter({ hasText }).evaluate((el, piece) => {
      type Rect = { left: number; right: number }
      type Doc = { createRange(): { setStart(n: unknown, o: number): void; setEnd(n: unknown, o: number): void; getClientRects(): ArrayLike<Rect> }; createTreeWalker(root: unknown, what: number): { nextNode(): { textContent: string } | null } }
      const doc = (el as unknown as { ownerDocument: Doc }).ownerDocument
      const walker = doc.createTreeWalker(el, 4)
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const at = node.textContent.indexOf(piece)
        if (at === -1) continue
        const range = doc.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + piece.length)
        const r = range.getClientRects()[0]!
        const box = (el as unknown as { getBoundingClientRect(): Rect }).getBoundingClientRect()
        return { left: r.left - box.left, right: box.right - r.right }
      }
      throw new Error(`no "${piece}" in the text`)
    }, piece)

  it('an Arabic or Hebrew line reads from the right, its English words and numbers in their places; an English line from the left', async () => {
    const { a, b } = await pair()
    const arabic = 'مرحبا! الاجتماع في الساعة 3:30 مع John في الغرفة 204.'
    await send(a.page, arabic)
    await send(a.page, 'English first, then عربي at the end.')
    await send(a.page, 'שלום, the meeting is at 10:00\nand this line is English')
    for (const page of [a.page, b.page]) {
      await eventually(async () => texts(await shownMessages(page)).length).toBe(3)
      // Read from the right: the greeting starts at the right edge, the time (said before John) is right of John, the period ends it at the left.
      const greeting = await placeOf(page, 'John', 'مرحبا')
      expect(greeting.right).toBeLessThan(4)
      const time = await placeOf(page, 'John', '3:30')
      const john = await placeOf(page, 'John', 'John')
      expect(time.left).toBeGreaterThan(john.left)
      expect((await placeOf(page, 'John', '.')).left).toBeLessThan(john.left)
      // An English sentence with an Arabic word stays left to right.
      expect((await placeOf(page, 'English first', 'English')).left).toBeLessThan(4)
      // Each line by its own first letter: the Hebrew line from the right, the English one under it from the left.
      expect((await placeOf(page, 'שלום', 'שלום')).right).toBeLessThan(4)
      expect((await placeOf(page, 'שלום', 'and this line')).left).toBeLessThan(4)
    }
    // The message box, too, turns to the right for Arabic as it is typed.
    const box = b.page.getByRole('textbox', { name: /^Message / })
    await box.fill(arabic)
    await expect(box.evaluate((el) => (el as unknown as { matches(s: string): boolean }).matches(':dir(rtl)'))).resolves.toBe(true)
  })

  it('a right-to-left override cannot turn the text after it around: it shows as a tag, the text reads as typed, in the message and in a reply\'s quote', async () => {
    const { a, b } = await pair()
    // Obeyed, the override would show "pay to 126543" and "reportexe.pdf".
    await send(a.page, 'pay to 12\u202E3456 and open report\u202Efdp.exe')
    for (const page of [a.page, b.page]) {
      await eventually(async () => texts(await shownMessages(page)).length).toBe(1)
      const text = page.getByTestId('message-text').filter({ hasText: 'pay to' })
      await expect(text.locator('abbr.override').allTextContents()).resolves.toEqual(['RLO', 'RLO'])
      await expect(text.locator('abbr.override').first().getAttribute('title')).resolves.toMatch(/right-to-left override/)
      await expect(text.textContent()).resolves.toBe('pay to 12RLO3456 and open reportRLOfdp.exe')
      // Drawn in the order typed: "3456" right of "12", "fdp" right of "report".
      expect((await placeOf(page, 'pay to', '3456')).left).toBeGreaterThan((await placeOf(page, 'pay to', '12')).left)
      expect((await placeOf(page, 'pay to', 'fdp')).left).toBeGreaterThan((await placeOf(page, 'pay to', 'report')).left)
    }
    await b.page.getByTestId('message').first().hover()
    await b.page.getByRole('button', { name: /^Reply to / }).first().click()
    await expect(b.page.getByText(/^Replying to/).locator('..').textContent()).resolves.toContain('pay to 12⟨RLO⟩3456 and open report⟨RLO⟩fdp.exe')
  })
})
