/**
 * End to end: axe-core on every view of the real UI, in light and dark mode,
 * first run included. Zero violations, whatever their impact.
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { LAUNCHER, chooseName, eventually, listenPort, openPeer, send, useSession } from './harness.js'
import { openTab, selfId } from './views.js'
import { Attacker } from '../helpers/attacker.js'

const session = useSession()
const { open, pair } = session

/** The violations axe finds on what the page shows now, as "rule: target" lines. */
async function audit(page: Page, view: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations.flatMap((v) => v.nodes.map((n) => `${view}: ${v.id} (${v.impact ?? ''}) at ${n.target.join(' ')}`))
}

const SCHEMES = ['light', 'dark'] as const

/** What a screen reader reads after a field's name: the text of the elements its aria-describedby names, in order. */
async function description(field: Locator): Promise<string> {
  return field.evaluate((el) => {
    const e = el as unknown as { getAttribute(name: string): string | null; ownerDocument: { getElementById(id: string): { textContent: string | null } | null } }
    return (e.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '').map((id) => e.ownerDocument.getElementById(id)?.textContent ?? '').join(' ')
  })
}

/** Whether the focus is on `target` (keyboard flows check where Tab and Enter left it). */
const focused = (target: Locator): Promise<boolean> => target.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)

describe('accessibility (axe-core)', () => {
  it('the first-run screen has no violations', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await eventually(() => peer.page.getByRole('heading', { name: 'Welcome to LAN Chat' }).isVisible()).toBe(true)
    // The app's icon is drawn (the CSP lets it in), decorative to screen readers.
    const logo = peer.page.locator('.first-run img.logo')
    await eventually(() => logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0)
    await expect(logo.getAttribute('alt')).resolves.toBe('')
    const found: string[] = []
    for (const colorScheme of SCHEMES) {
      await peer.page.emulateMedia({ colorScheme })
      found.push(...await audit(peer.page, `first run, ${colorScheme}`))
    }
    expect(found).toEqual([])
    await chooseName(peer.page, 'Axel')
  })

  it('the Network panel\'s tabs are one Tab stop, and the arrow keys, Home and End move between them and choose', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Tabitha')
    await openTab(peer.page, 'Sockets')
    const page = peer.page
    const focusedTab = () => page.evaluate<string>("document.activeElement?.getAttribute('role') === 'tab' ? document.activeElement.textContent ?? '' : ''")
    const chosen = () => page.getByRole('tab', { selected: true }).textContent()
    await page.getByRole('tab', { name: 'Sockets' }).focus()
    for (const [key, tab] of [['ArrowRight', 'Space-time'], ['End', 'Walkthrough'], ['ArrowRight', 'Sockets'], ['ArrowLeft', 'Walkthrough'], ['Home', 'Sockets']] as const) {
      await page.keyboard.press(key)
      await eventually(chosen).toBe(tab)
      expect({ key, focused: await focusedTab() }).toEqual({ key, focused: tab })
    }
    // One stop for the row: Tab from the chosen tab leaves the tabs.
    await page.keyboard.press('Tab')
    expect(await focusedTab()).toBe('')
  })

  it('the walkthrough\'s Next concept on the last concept, and Start, Run step and Stop of the story, keep the keyboard where it was', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    const page = peer.page
    await chooseName(page, 'Walter')
    await openTab(page, 'Walkthrough')
    const next = page.getByRole('button', { name: 'Next concept' })
    await next.focus()
    const concepts = await page.getByRole('navigation', { name: 'Concepts' }).getByRole('button').count()
    // One press past the last concept: the button has nothing left to do, and says so without letting go of the focus.
    for (let i = 0; i < concepts; i++) await page.keyboard.press('Enter')
    await expect(page.getByRole('navigation', { name: 'Concepts' }).getByRole('button', { name: String(concepts), exact: true }).getAttribute('aria-current')).resolves.toBe('step')
    expect(await focused(next)).toBe(true)
    expect(await next.getAttribute('aria-disabled')).toBe('true')

    await page.getByRole('navigation', { name: 'Concepts' }).getByRole('button', { name: '7', exact: true }).click()
    // Start from the keyboard: the story opens #causal-demo, and the keyboard stays on the button, now Run step 1
    // (it went to the conversation's message box, or nowhere).
    const run = page.getByTestId('demo').getByRole('button').first()
    await page.getByRole('button', { name: 'Start Sally, James and Henry' }).focus()
    await page.keyboard.press('Enter')
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('#causal-demo')
    await eventually(() => run.textContent()).toBe('Run step 1')
    expect(await focused(run)).toBe(true)
    for (const step of [1, 2]) {
      await page.keyboard.press('Enter')
      await eventually(() => page.locator('.demo-steps li.done').count()).toBe(step)
      // Busy while the engines played the step, then the next one's button: the same one, still focused.
      await eventually(() => run.getAttribute('aria-disabled')).toBe('false')
      expect(await focused(run)).toBe(true)
    }
    await page.getByRole('button', { name: 'Stop the three engines' }).focus()
    await page.keyboard.press('Enter')
    await eventually(() => run.textContent()).toBe('Start Sally, James and Henry')
    await eventually(() => focused(run)).toBe(true)
  })

  it('the partition lab\'s Cut off and Heal keep the keyboard where it was, and what they did is said as a status', async () => {
    const { a } = await pair()
    const page = a.page
    await openTab(page, 'Partition lab')
    const cut = page.getByRole('button', { name: 'Cut off', exact: true })
    const heal = page.getByRole('button', { name: 'Heal' })
    const said = page.getByTestId('lab').getByRole('status')
    await cut.focus()
    await page.keyboard.press('Enter')
    await eventually(() => said.textContent()).toBe('Partitioned from everyone')
    // Busy while the engine cut the links, then done: the focus stayed on the button pressed (it fell to the page's top).
    await eventually(() => cut.getAttribute('aria-disabled')).toBe('false')
    expect(await focused(cut)).toBe(true)
    await page.keyboard.press('Tab')
    expect(await focused(heal)).toBe(true)
    await page.keyboard.press('Enter')
    await eventually(() => said.textContent()).toMatch(/^Connected: no partition\. · merged 0 messages$|^No partition; no peer is connected right now\. · merged 0 messages$/)
    // Nothing left to heal: Heal says it is unavailable, keeps the focus, and a second press does nothing.
    await eventually(() => heal.getAttribute('aria-disabled')).toBe('true')
    expect(await focused(heal)).toBe(true)
    await page.keyboard.press('Enter')
    expect(await said.textContent()).toMatch(/merged 0 messages$/)
    await page.keyboard.press('Shift+Tab')
    expect(await focused(cut)).toBe(true)
  })

  it('the chat, every dialog and every Network view have no violations, light and dark', async () => {
    const { a, b } = await pair()
    await send(a.page, 'Hello')
    await send(b.page, 'Hi there')
    // Formatted text (inline code, struck, a code block) has its own colours: audited too.
    await send(b.page, 'Run `npm test`, ~~not this~~, **and**:\n```\nconst x = 1\n```')
    await eventually(() => a.page.locator('pre.code-block').count()).toBe(1)
    // A pinned message: its row's mark, and the header's Pinned list, audited too.
    const hi = (await a.host.call('history', { room: 'lobby' })).find((m) => m.text === 'Hi there')!
    await a.host.call('pin', { room: 'lobby', id: hi.id, on: true })
    await eventually(() => a.page.getByTestId('pinned-mark').textContent()).toMatch(/Pinned by you$/)
    const page = a.page
    const found: string[] = []
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme })
      found.push(...await audit(page, `chat, ${colorScheme}`))
      for (const [button, dialog] of [['Connect to address…', 'Connect to address'], ['Settings', 'Settings'], ['Create or join a room', 'Create or join a room']] as const) {
        await page.getByRole('button', { name: button, exact: true }).click()
        await eventually(() => page.getByRole('dialog', { name: dialog }).isVisible()).toBe(true)
        found.push(...await audit(page, `${dialog} dialog, ${colorScheme}`))
        await page.keyboard.press('Escape')
        await eventually(() => page.getByRole('dialog').count()).toBe(0)
      }
      // The keyboard shortcuts (no button: Ctrl+/ and the desktop app's Help menu).
      await page.keyboard.press('Control+/')
      await eventually(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true)
      found.push(...await audit(page, `Keyboard shortcuts dialog, ${colorScheme}`))
      await page.keyboard.press('Escape')
      await eventually(() => page.getByRole('dialog').count()).toBe(0)
      // Go to a conversation (Ctrl+K), with what it lists for a name typed.
      await page.keyboard.press('Control+k')
      await eventually(() => page.getByRole('dialog', { name: 'Go to a conversation' }).isVisible()).toBe(true)
      await page.keyboard.type('lob')
      await eventually(() => page.getByRole('dialog', { name: 'Go to a conversation' }).getByRole('option').count()).toBe(2)
      found.push(...await audit(page, `Go to a conversation dialog, ${colorScheme}`))
      // A person first, highlighted: "new direct message" on the highlight's colour.
      await page.keyboard.press('Control+a')
      await page.keyboard.type('bob')
      await eventually(() => page.getByRole('dialog', { name: 'Go to a conversation' }).getByRole('option', { selected: true }).textContent()).toMatch(/new direct message/)
      found.push(...await audit(page, `Go to a conversation dialog, a person highlighted, ${colorScheme}`))
      await page.keyboard.press('Escape')
      await eventually(() => page.getByRole('dialog').count()).toBe(0)
      // The conversation's pinned messages.
      await page.getByRole('button', { name: /^Pinned/ }).click()
      await eventually(() => page.getByRole('dialog', { name: 'Pinned messages' }).getByTestId('pin').count()).toBe(1)
      found.push(...await audit(page, `Pinned messages dialog, ${colorScheme}`))
      await page.keyboard.press('Escape')
      await eventually(() => page.getByRole('dialog').count()).toBe(0)
      // The search dialog with a hit in it (marked words and all).
      await page.getByRole('button', { name: 'Search', exact: true }).click()
      await page.getByLabel('Words to find').fill('hello')
      await eventually(() => page.getByTestId('search-hit').count()).toBe(1)
      found.push(...await audit(page, `Search dialog, ${colorScheme}`))
      await page.keyboard.press('Escape')
      await eventually(() => page.getByRole('dialog').count()).toBe(0)
      for (const tab of ['Sockets', 'Space-time', 'Contrast', 'Partition lab', 'Walkthrough'] as const) {
        await openTab(page, tab)
        await page.waitForTimeout(300)
        found.push(...await audit(page, `Network ${tab}, ${colorScheme}`))
      }
      await page.getByRole('button', { name: 'Close network panel' }).click()
    }
    expect(found).toEqual([])
  }, 180_000)
})

describe('today\'s window features, with the keyboard and a screen reader', () => {
  it('words the search refuses are announced and mark the field, described by what is wrong', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Sara')
    const page = peer.page
    // Ctrl+F opens the search once the engine runs (its address shown).
    await listenPort(page)
    await page.keyboard.press('Control+f')
    const field = page.getByLabel('Words to find')
    await eventually(() => focused(field)).toBe(true)
    await page.keyboard.type('before:someday hello')
    const alert = page.getByRole('dialog', { name: 'Search messages' }).getByRole('alert')
    await eventually(() => alert.textContent()).toMatch(/^before: takes a date like 2026-12-01/)
    // Tied to the field: a screen reader on it hears that it is invalid and why, before the hint.
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true')
    await expect(description(field)).resolves.toMatch(/^before: takes a date like 2026-12-01.* Type in:#room among the words/)
    expect(await audit(page, 'search error')).toEqual([])
    // Put right, the field is no longer marked and says the hint only.
    await field.fill('before:today hello')
    await eventually(() => alert.count()).toBe(0)
    await expect(field.getAttribute('aria-invalid')).resolves.toBe(null)
    await expect(description(field)).resolves.toMatch(/^Type in:#room among the words/)
  })

  it('what the "older" tag on a person means is a Tab stop away, opened with Enter, not on hover only', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Teacher')
    const page = peer.page
    // A build from before hellos said their version: a stock node whose hello says none.
    const olga = await Attacker.connect(`/ip4/127.0.0.1/tcp/${await listenPort(page)}/p2p/${await selfId(peer)}`, 'Olga')
    try {
      const row = page.getByTestId('peer').filter({ hasText: /^Olga/ })
      const tag = row.getByRole('button', { name: 'older LAN Chat' })
      await eventually(() => tag.count()).toBe(1)
      // In the Tab order, just before the row's direct message button.
      await row.getByRole('button', { name: 'Message Olga privately' }).focus()
      await page.keyboard.press('Shift+Tab')
      await eventually(() => focused(tag)).toBe(true)
      await expect(tag.getAttribute('aria-expanded')).resolves.toBe('false')
      await page.keyboard.press('Enter')
      const hint = row.getByTestId('peer-build-hint')
      await eventually(() => hint.textContent()).toMatch(/^Runs an older LAN Chat: reactions in private conversations show to them as 🔒/)
      await expect(tag.getAttribute('aria-expanded')).resolves.toBe('true')
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme })
        expect(await audit(page, `older tag opened, ${colorScheme}`)).toEqual([])
      }
      await page.keyboard.press('Space')
      await eventually(() => hint.count()).toBe(0)
    } finally {
      await olga.stop()
    }
  })

  it('how far the author\'s clock was behind is a Tab stop away: Enter on the Lamport stamp shows its details in the row', async () => {
    const peer = await openPeer(session.browser)
    open.push(peer)
    await chooseName(peer.page, 'Bob')
    const page = peer.page
    const greta = await Attacker.connect(`/ip4/127.0.0.1/tcp/${await listenPort(page)}`, 'Greta')
    try {
      await greta.send(await greta.message('from a clock behind', { name: 'Greta', sentAt: Date.now() - 3 * 86_400_000 }))
      const row = page.getByTestId('message').filter({ hasText: 'from a clock behind' })
      await eventually(() => row.count()).toBe(1)
      // In the Tab order, after the row's actions.
      await row.getByRole('button', { name: 'Copy text' }).focus()
      await page.keyboard.press('Tab')
      const stamp = row.getByRole('button', { name: /^L\d+, details$/ })
      await eventually(() => focused(stamp)).toBe(true)
      await expect(stamp.getAttribute('aria-expanded')).resolves.toBe('false')
      await page.keyboard.press('Enter')
      const shown = row.getByTestId('message-details')
      await eventually(() => shown.textContent()).toMatch(/their clock was 3 days behind this one's: shown at /)
      await expect(stamp.getAttribute('aria-expanded')).resolves.toBe('true')
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme })
        expect(await audit(page, `message details, ${colorScheme}`)).toEqual([])
      }
      await page.keyboard.press('Enter')
      await eventually(() => shown.count()).toBe(0)
    } finally {
      await greta.stop()
    }
  })
})

describe.skipIf(LAUNCHER === 'electron')('a toast someone is reading', () => {
  it('stays while the pointer is on it or the focus in it, and goes its time after', async () => {
    const a = await openPeer(session.browser, { fakeClock: true })
    session.open.push(a)
    await chooseName(a.page, 'Alice')
    const toast = a.page.getByRole('alert').filter({ hasText: 'a word to read slowly' })
    await a.host.emit({ type: 'error', message: 'a word to read slowly' })
    await eventually(() => toast.count()).toBe(1)
    // Pointed at: it stays past its 8 s.
    await toast.hover()
    await a.page.clock.runFor(20_000)
    await expect(toast.count()).resolves.toBe(1)
    // Let go: it goes within what was left of its time.
    await a.page.mouse.move(1, 1)
    await a.page.clock.runFor(9_000)
    await eventually(() => toast.count()).toBe(0)
    // With the focus in it (a keyboard or screen-reader user on its Dismiss button): it stays too, and Dismiss takes it.
    await a.host.emit({ type: 'error', message: 'another word to read slowly' })
    const other = a.page.getByRole('alert').filter({ hasText: 'another word to read slowly' })
    await eventually(() => other.count()).toBe(1)
    await other.getByRole('button', { name: 'Dismiss' }).focus()
    await a.page.clock.runFor(20_000)
    await expect(other.count()).resolves.toBe(1)
    await a.page.keyboard.press('Enter')
    await eventually(() => other.count()).toBe(0)
  })
})
