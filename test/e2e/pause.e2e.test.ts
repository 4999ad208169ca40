/**
 * End to end, pausing notifications (do not disturb) through the real UI in Chromium: the
 * notifications are what the test host's notifier records, as Electron's main would show them
 * with its window in the background (main/app/notifier.ts).
 */
import { AxeBuilder } from '@axe-core/playwright'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { LAUNCHER, chooseName, eventually, openPeer, shownMessages, texts, useSession } from './harness.js'
import { selfId } from './views.js'

const session = useSession()

/** The violations axe finds on what the page shows now, light and dark, as "scheme: rule at target" lines. */
async function audit(page: Page, view: string): Promise<string[]> {
  const found: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    const { violations } = await new AxeBuilder({ page }).analyze()
    found.push(...violations.flatMap((v) => v.nodes.map((n) => `${view}, ${colorScheme}: ${v.id} at ${n.target.join(' ')}`)))
  }
  return found
}

/** Whether the keyboard is on `target`. */
const focused = (target: Locator): Promise<boolean> => target.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)

/**
 * On how many lines `time` shows inside `box`: the boxes of its characters as laid out, whatever
 * elements hold them (so the same measure before and after the time had a box of its own).
 */
const linesOf = (box: Locator, time: string): Promise<number> => box.evaluate((el, time) => {
  type Text = { data: string }
  type Doc = { createTreeWalker: (root: unknown, show: number) => { nextNode: () => Text | null }, createRange: () => { setStart: (n: Text, i: number) => void, setEnd: (n: Text, i: number) => void, getClientRects: () => ArrayLike<{ top: number, width: number }> } }
  const doc = (el as unknown as { ownerDocument: Doc }).ownerDocument
  const walker = doc.createTreeWalker(el, 4 /* text nodes */)
  const nodes: Array<{ node: Text, start: number }> = []
  let text = ''
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    nodes.push({ node: n, start: text.length })
    text += n.data
  }
  const at = text.indexOf(time)
  if (at < 0) throw new Error(`"${time}" is not in "${text}"`)
  const place = (i: number): [Text, number] => {
    const n = nodes.findLast((x) => x.start <= i)!
    return [n.node, i - n.start]
  }
  const range = doc.createRange()
  range.setStart(...place(at))
  range.setEnd(...place(at + time.length))
  return new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top))).size
}, time)

describe.skipIf(LAUNCHER === 'electron')('pausing notifications', () => {
  it('shows no notification while paused, the unread count rising all the same; kept across a reload; resumed in one click, the next message notifies', async () => {
    const { a, b } = await session.pair()
    const bob = await selfId(b)
    const page = b.page
    const notified = (): string[] => b.host.notified!().map((n) => `${n.title}: ${n.body}`)

    // From the keyboard: the link under one's status opens the choices.
    const pause = page.getByRole('button', { name: 'Pause notifications' })
    await pause.focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Pause notifications' })
    await eventually(() => dialog.isVisible()).toBe(true)
    // (This morning's 08:00 too in the small hours: see the next test; 08:00 as the page's locale says a time.)
    const smallHours = await page.evaluate(() => new Date().getHours() < 8)
    const eight = await page.evaluate(() => new Date(2026, 0, 1, 8).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }))
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['✕', 'For 30 minutes', 'For 1 hour', 'For 2 hours', ...(smallHours ? [`Until this morning (${eight})`] : []), `Until tomorrow (${eight})`, 'Until I turn them back on', 'Cancel'])
    const found = await audit(page, 'pause dialog')
    // It opens on the first choice, not on ✕: Enter makes it.
    await eventually(() => page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('For 30 minutes')
    await page.keyboard.press('Enter')
    await eventually(() => dialog.count()).toBe(0)
    const line = page.getByTestId('notify-paused')
    await eventually(() => line.isVisible()).toBe(true)
    const change = line.getByRole('button', { name: /^Notifications paused until (\w{3} )?\d\d?:\d\d( [AP]M)?$/ })
    await expect(change.textContent()).resolves.toMatch(/^Paused until (\w{3} )?\d\d?:\d\d( [AP]M)?$/)
    const until = (await b.host.call('snapshot')).settings.notifyPausedUntil
    expect(typeof until === 'number' && Math.abs(until - (Date.now() + 30 * 60_000)) < 60_000).toBe(true)
    found.push(...await audit(page, 'sidebar, paused'))
    expect(found).toEqual([])

    // Alice writes to Bob directly and calls on him in the lobby: nothing notifies, the counts rise.
    await a.host.call('send', { to: bob, text: 'are you free at 3?' })
    await a.host.call('send', { room: 'lobby', text: '@Bob the projector?' })
    const alice = page.getByRole('navigation', { name: 'Direct messages' }).getByRole('button', { name: /^Private Alice/ })
    await eventually(() => alice.getByLabel('1 unread').isVisible()).toBe(true)
    await eventually(async () => JSON.stringify(texts(await shownMessages(page)))).toContain('@Bob the projector?')
    await eventually(() => page.title()).toBe('(1) LAN Chat — #lobby')
    await eventually(() => b.host.badge()).toBe(1)
    expect(notified()).toEqual([])

    // A restart of the window finds it paused still (the settings keep it); nothing held back shows.
    await page.reload()
    await eventually(() => line.getByRole('button', { name: /^Notifications paused until/ }).isVisible()).toBe(true)
    expect(notified()).toEqual([])

    // One click (here Enter on it) resumes: the link to pause is back, and the next message notifies, only it.
    const resume = line.getByRole('button', { name: 'Resume notifications' })
    await resume.focus()
    expect(await focused(resume)).toBe(true)
    await page.keyboard.press('Enter')
    await eventually(() => line.count()).toBe(0)
    await eventually(() => pause.isVisible()).toBe(true)
    // The keyboard is on the link that pauses again, not lost with the Resume that went.
    await eventually(() => focused(pause)).toBe(true)
    expect((await b.host.call('snapshot')).settings).not.toHaveProperty('notifyPausedUntil')
    await a.host.call('send', { to: bob, text: 'or at 4?' })
    await eventually(notified).toEqual(['Alice (direct message, end-to-end encrypted): or at 4?'])
    await eventually(() => alice.getByLabel('2 unread').isVisible()).toBe(true)
  })

  it('after midnight, quiet until this morning is offered beside tomorrow, which is a whole working day away; their times said as the sidebar says them', async () => {
    // A window in Berlin whose clock reads 00:30 on Monday 7 December, still up after a late evening,
    // in a locale whose clocks have 12 hours: 08:00 is "08:00 AM" in the choices as on the line.
    const peer = await openPeer(session.browser, { fakeClock: true, timezoneId: 'Europe/Berlin', locale: 'en-US' })
    session.open.push(peer)
    const page = peer.page
    await page.clock.setSystemTime(new Date('2026-12-06T23:30:00Z'))
    await chooseName(page, 'Bob')
    await page.getByRole('button', { name: 'Pause notifications' }).click()
    const dialog = page.getByRole('dialog', { name: 'Pause notifications' })
    const choices = () => dialog.getByRole('group').getByRole('button').allTextContents()
    // "Until tomorrow" alone was Tuesday 08:00 then: 31 hours, Monday's whole day without a notification.
    expect(await choices()).toEqual(['For 30 minutes', 'For 1 hour', 'For 2 hours', 'Until this morning (08:00 AM)', 'Until tomorrow (08:00 AM)', 'Until I turn them back on'])
    await dialog.getByRole('button', { name: 'Until this morning (08:00 AM)' }).click()
    await eventually(() => dialog.count()).toBe(0)
    // 08:00 in Berlin that Monday, said as a time of today: no day before it.
    expect((await peer.host.call('snapshot')).settings.notifyPausedUntil).toBe(Date.parse('2026-12-07T07:00:00Z'))
    const change = page.getByTestId('notify-paused').getByRole('button', { name: /^Notifications paused/ })
    await expect(change.textContent()).resolves.toBe('Paused until 08:00 AM')
    // Tomorrow still means the next day's 08:00.
    await change.click()
    await dialog.getByRole('button', { name: 'Until tomorrow (08:00 AM)' }).click()
    await eventually(() => dialog.count()).toBe(0)
    expect((await peer.host.call('snapshot')).settings.notifyPausedUntil).toBe(Date.parse('2026-12-08T07:00:00Z'))
    // In the day (14:00), this morning is past: not offered.
    await page.clock.setSystemTime(new Date('2026-12-07T13:00:00Z'))
    await change.click()
    expect(await choices()).toEqual(['For 30 minutes', 'For 1 hour', 'For 2 hours', 'Until tomorrow (08:00 AM)', 'Until I turn them back on'])
    expect(peer.errors).toEqual([])
  })

  it('a 12-hour time stays on one line where the words wrap: "08:00 AM" in a narrow sidebar\'s pause line, the choices and Settings', async () => {
    const peer = await openPeer(session.browser, { fakeClock: true, timezoneId: 'Europe/Berlin', locale: 'en-US' })
    session.open.push(peer)
    const page = peer.page
    await page.clock.setSystemTime(new Date('2026-12-07T13:00:00Z'))
    await chooseName(page, 'Bob')
    await page.getByRole('button', { name: 'Pause notifications' }).click()
    const dialog = page.getByRole('dialog', { name: 'Pause notifications' })
    const tomorrow = dialog.getByRole('button', { name: 'Until tomorrow (08:00 AM)' })
    // 280 px: a 560 px window at 200% zoom, where a dialog is as narrow as it gets.
    await page.setViewportSize({ width: 280, height: 700 })
    expect(await linesOf(tomorrow, '08:00 AM')).toBe(1)
    await page.setViewportSize({ width: 1100, height: 720 })
    await tomorrow.click()
    await eventually(() => dialog.count()).toBe(0)
    // The desktop app's smallest windows: the sidebar at its narrowest, where "Paused until Tue 08:00 AM" takes two lines.
    const change = page.getByTestId('notify-paused').getByRole('button', { name: /^Notifications paused/ })
    for (const width of [640, 600, 540]) {
      await page.setViewportSize({ width, height: 700 })
      expect({ width, text: await change.textContent(), lines: await linesOf(change, '08:00 AM') }).toEqual({ width, text: 'Paused until Tue 08:00 AM', lines: 1 })
    }
    // The dialog again, saying the pause, and Settings saying it, at 280 px.
    await page.setViewportSize({ width: 1100, height: 720 })
    await change.click()
    await page.setViewportSize({ width: 280, height: 700 })
    expect(await linesOf(dialog.getByTestId('pause-now'), '08:00 AM')).toBe(1)
    await page.keyboard.press('Escape')
    await page.setViewportSize({ width: 1100, height: 720 })
    await page.getByRole('button', { name: 'Settings' }).click()
    const paused = page.getByRole('dialog', { name: 'Settings' }).getByTestId('settings-paused')
    await eventually(() => paused.textContent()).toBe('Paused until Tue 08:00 AM · Resume')
    await page.setViewportSize({ width: 280, height: 700 })
    expect(await linesOf(paused, '08:00 AM')).toBe(1)
    expect(peer.errors).toEqual([])
  })

  it('the choices left open past 08:00 follow the clock: this morning goes, and a click on it just as it became past pauses nothing', async () => {
    const peer = await openPeer(session.browser, { fakeClock: true, timezoneId: 'Europe/Berlin', locale: 'en-GB' })
    session.open.push(peer)
    const page = peer.page
    // 07:59 in Berlin: this morning is a minute away.
    await page.clock.setSystemTime(new Date('2026-12-07T06:59:00Z'))
    await chooseName(page, 'Bob')
    await page.getByRole('button', { name: 'Pause notifications' }).click()
    const dialog = page.getByRole('dialog', { name: 'Pause notifications' })
    const morning = dialog.getByRole('button', { name: 'Until this morning (08:00)' })
    expect(await morning.count()).toBe(1)
    // The clock jumps to 08:00:30 under the open dialog (the page woke after a nap); before it reads the choices again, the click comes.
    await page.clock.setSystemTime(new Date('2026-12-07T07:00:30Z'))
    await morning.click()
    // Nothing paused at a time already past; the dialog stays, its choices those of now.
    expect((await peer.host.call('snapshot')).settings.notifyPausedUntil).toBeUndefined()
    await eventually(() => morning.count()).toBe(0)
    expect(await dialog.count()).toBe(1)
    // Left open a while longer, the list is read again on its own too.
    await page.keyboard.press('Escape')
    await page.clock.setSystemTime(new Date('2026-12-08T06:59:00Z'))
    await page.getByRole('button', { name: 'Pause notifications' }).click()
    expect(await morning.count()).toBe(1)
    await page.clock.runFor(70_000)
    await eventually(() => morning.count()).toBe(0)
    expect(peer.errors).toEqual([])
  })

  it('a 24-hour locale says 08:00 in both places', async () => {
    const peer = await openPeer(session.browser, { fakeClock: true, timezoneId: 'Europe/Berlin', locale: 'en-GB' })
    session.open.push(peer)
    const page = peer.page
    await page.clock.setSystemTime(new Date('2026-12-07T13:00:00Z'))
    await chooseName(page, 'Bob')
    await page.getByRole('button', { name: 'Pause notifications' }).click()
    await page.getByRole('dialog', { name: 'Pause notifications' }).getByRole('button', { name: 'Until tomorrow (08:00)' }).click()
    await expect(page.getByTestId('notify-paused').getByRole('button', { name: /^Notifications paused/ }).textContent()).resolves.toBe('Paused until Tue 08:00')
    expect(peer.errors).toEqual([])
  })

  it('with notifications off in Settings there is nothing to pause: no pause line; Settings says a pause and resumes it at once', async () => {
    const peer = await openPeer(session.browser, { locale: 'en-GB' })
    session.open.push(peer)
    const page = peer.page
    await chooseName(page, 'Bob')
    const pause = page.getByRole('button', { name: 'Pause notifications' })
    const line = page.getByTestId('notify-paused')
    await pause.click()
    await page.getByRole('dialog', { name: 'Pause notifications' }).getByRole('button', { name: 'Until I turn them back on' }).click()
    await eventually(() => line.isVisible()).toBe(true)

    // Settings → Notifications says so, with Resume: at once, not with Save.
    await page.getByRole('button', { name: 'Settings' }).click()
    const settings = page.getByRole('dialog', { name: 'Settings' })
    const paused = settings.getByTestId('settings-paused')
    await eventually(() => paused.textContent()).toBe('Paused until you resume them · Resume')
    const found = await audit(page, 'settings, paused')
    await paused.getByRole('button', { name: 'Resume notifications' }).click()
    await eventually(() => paused.count()).toBe(0)
    await eventually(async () => (await peer.host.call('snapshot')).settings.notifyPausedUntil).toBeUndefined()
    await eventually(() => pause.isVisible()).toBe(true)
    // Paused again from the dialog still open, the line comes back there, a time in the locale's way.
    await settings.getByRole('button', { name: 'Cancel' }).click()
    await pause.click()
    await page.getByRole('dialog', { name: 'Pause notifications' }).getByRole('button', { name: 'For 2 hours' }).click()
    await eventually(() => line.isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Settings' }).click()
    // Two hours from late evening end tomorrow: then the day is said before the time.
    const until = (await peer.host.call('snapshot')).settings.notifyPausedUntil as number
    const sameDay = new Date(until).toDateString() === new Date().toDateString()
    await eventually(() => paused.textContent()).toMatch(sameDay ? /^Paused until \d\d:\d\d · Resume$/ : /^Paused until \p{L}+\.? \d\d:\d\d · Resume$/u)

    // "None" chosen: the pause says nothing more there, and once saved the sidebar offers no pause either.
    await settings.getByRole('radio', { name: 'None' }).check()
    expect(await paused.count()).toBe(0)
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => settings.count()).toBe(0)
    await eventually(async () => (await peer.host.call('snapshot')).settings.notify).toBe('off')
    await eventually(() => line.count()).toBe(0)
    expect(await pause.count()).toBe(0)
    found.push(...await audit(page, 'sidebar, notifications off'))
    expect(found).toEqual([])

    // Notifications on again: the pause, kept all along, shows again.
    await page.getByRole('button', { name: 'Settings' }).click()
    await settings.getByRole('radio', { name: /^Every new message/ }).check()
    await settings.getByRole('button', { name: 'Save' }).click()
    await eventually(() => line.isVisible()).toBe(true)
    expect(peer.errors).toEqual([])
  })

  it('Resume in Settings from the keyboard leaves the keyboard in Settings, on the notifications\' choice, not on the page\'s start; so does the pause ending by itself there', async () => {
    const peer = await openPeer(session.browser, { fakeClock: true })
    session.open.push(peer)
    const page = peer.page
    await chooseName(page, 'Bob')
    const settings = page.getByRole('dialog', { name: 'Settings' })
    const paused = settings.getByTestId('settings-paused')
    const choice = settings.getByRole('radio', { name: /^Every new message/ })
    for (const ending of ['Resume', 'time up'] as const) {
      await page.getByRole('button', { name: 'Pause notifications' }).click()
      await page.getByRole('dialog', { name: 'Pause notifications' }).getByRole('button', { name: 'For 1 hour' }).click()
      await eventually(() => page.getByTestId('notify-paused').isVisible()).toBe(true)
      await page.getByRole('button', { name: 'Settings' }).click()
      const resume = paused.getByRole('button', { name: 'Resume notifications' })
      await resume.focus()
      if (ending === 'Resume') await page.keyboard.press('Enter')
      else await page.clock.fastForward('01:01:00')
      await eventually(() => paused.count()).toBe(0)
      await eventually(() => focused(choice)).toBe(true)
      // The keyboard goes on from there, in Settings.
      await page.keyboard.press('Tab')
      expect(await settings.evaluate((el) => el.contains((el as unknown as { ownerDocument: { activeElement: never } }).ownerDocument.activeElement))).toBe(true)
      await settings.getByRole('button', { name: 'Cancel' }).click()
      await eventually(() => settings.count()).toBe(0)
    }
    expect(peer.errors).toEqual([])
  })

  it('the window stops saying paused when the pause\'s time is up, with no click', async () => {
    const peer = await openPeer(session.browser, { fakeClock: true })
    session.open.push(peer)
    await chooseName(peer.page, 'Bob')
    const page = peer.page
    await page.getByRole('button', { name: 'Pause notifications' }).click()
    await page.getByRole('dialog', { name: 'Pause notifications' }).getByRole('button', { name: 'For 1 hour' }).click()
    const line = page.getByTestId('notify-paused')
    await eventually(() => line.isVisible()).toBe(true)
    // A minute before its end it still says so; a minute after, the link to pause is back.
    await page.clock.fastForward('59:00')
    expect(await line.isVisible()).toBe(true)
    await page.clock.fastForward('02:00')
    await eventually(() => line.count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Pause notifications' }).isVisible()).toBe(true)
  })

  it('the keyboard on Resume when the pause ends by itself goes on to the link that pauses again, not to nowhere', async () => {
    const peer = await openPeer(session.browser, { fakeClock: true })
    session.open.push(peer)
    const page = peer.page
    await chooseName(page, 'Bob')
    const pause = page.getByRole('button', { name: 'Pause notifications' })
    await pause.click()
    await page.getByRole('dialog', { name: 'Pause notifications' }).getByRole('button', { name: 'For 30 minutes' }).focus()
    await page.keyboard.press('Enter')
    // Tab from "Paused until …" to Resume, and wait there.
    const line = page.getByTestId('notify-paused')
    await eventually(() => focused(line.getByRole('button', { name: /^Notifications paused/ }))).toBe(true)
    await page.keyboard.press('Tab')
    expect(await focused(line.getByRole('button', { name: 'Resume notifications' }))).toBe(true)
    await page.clock.fastForward('31:00')
    await eventually(() => line.count()).toBe(0)
    await eventually(() => focused(pause)).toBe(true)
    expect(peer.errors).toEqual([])
  })

  it('a window shown again after the computer slept past the pause\'s end says it is over, not "Paused until" a time gone by', async () => {
    const peer = await openPeer(session.browser, { fakeClock: true, timezoneId: 'Europe/Berlin' })
    session.open.push(peer)
    const page = peer.page
    // 10:00 on a Monday in Berlin (the day stays the same throughout: a new day redraws the window anyway).
    await page.clock.setSystemTime(new Date('2026-12-07T09:00:00Z'))
    await chooseName(page, 'Bob')
    await page.getByRole('button', { name: 'Pause notifications' }).click()
    await page.getByRole('dialog', { name: 'Pause notifications' }).getByRole('button', { name: 'For 1 hour' }).click()
    const line = page.getByTestId('notify-paused')
    await eventually(() => line.isVisible()).toBe(true)
    // At 10:10 the lid closes for three hours: the clock moves on, a timer's wait does not (it does not count the sleep).
    await page.clock.pauseAt(new Date('2026-12-07T09:10:00Z'))
    await page.clock.setSystemTime(new Date('2026-12-07T12:10:00Z'))
    // The lid opens and the window shows again: at once, not a minute or the pause's remaining wait later.
    await page.evaluate(() => { const doc = (globalThis as unknown as { document: { dispatchEvent: (e: unknown) => void } }).document; doc.dispatchEvent(new Event('visibilitychange')) })
    await eventually(() => line.count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Pause notifications' }).isVisible()).toBe(true)
    expect(peer.errors).toEqual([])
  })
})
