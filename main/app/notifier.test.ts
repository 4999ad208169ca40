/**
 * Pausing notifications, over real engines on loopback: Ben's app events go to the notifier the
 * desktop app notifies with, on a clock the test moves. While paused nothing shows or sounds, a
 * mention or a direct message included, and the unread counts go on; once the pause is over (its
 * time passed, or resumed) the next message notifies afresh and nothing held back comes with it.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatEngine } from '../chat/index.js'
import type { MessageView, Result } from '../../preload/contract.js'
import { createDispatch } from './handlers.js'
import { Notifier } from './notifier.js'
import type { BurstNotification } from './notify.js'
import { ChatApp } from './service.js'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})
const eventually = <T>(fn: () => T) => expect.poll(fn, { timeout: 15_000, interval: 50 })
const MINUTE = 60_000

const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`)
  return r.value
}

async function open(name: string, dataDir?: string): Promise<{ app: ChatApp; dataDir: string; dispatch: ReturnType<typeof createDispatch> }> {
  if (dataDir === undefined) {
    const dir = dataDir = await mkdtemp(join(tmpdir(), 'lanchat-pause-'))
    cleanup.push(() => rm(dir, { recursive: true, force: true }))
  }
  const app = await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name } })
  cleanup.push(() => app.close())
  return { app, dataDir, dispatch: createDispatch(app, { setUnread: () => undefined }) }
}

/** Ben's desktop: his app's events into a notifier whose window is in the background, on a clock the test moves. */
function desktop(app: ChatApp, start: number): { shown: BurstNotification[]; clock: { now: number }; notifier: Notifier } {
  const shown: BurstNotification[] = []
  const clock = { now: start }
  const notifier = new Notifier({ screen: { show: (n) => shown.push(n), close: () => undefined, showing: () => false }, clock: () => clock.now, background: () => true })
  const snapshot = app.snapshot()
  notifier.settings(snapshot.settings)
  notifier.peers(snapshot.peers)
  notifier.event({ type: 'status', status: snapshot.status })
  app.on((event) => notifier.event(event))
  return { shown, clock, notifier }
}

const addr = (app: ChatApp): string => (app.status.state === 'running' ? app.status.addrs[0]! : '')

describe('notifications paused', () => {
  it('show and sound nothing until the pause ends, mentions and direct messages included, while the unread counts go on; then only the next message notifies, afresh', async () => {
    const { app: a } = await open('Ann')
    const { app: b, dispatch } = await open('Ben')
    await b.dial(addr(a))
    const { shown, clock } = desktop(b, Date.UTC(2026, 2, 2, 9))
    const arrived = (text: string) => eventually(() => b.history('lobby').some((m) => m.text === text)).toBe(true)

    await a.engine().send('lobby', 'before the pause')
    await eventually(() => shown.map((n) => n.body)).toEqual(['before the pause'])
    const seen = b.history('lobby').at(-1)!
    value(await dispatch('markSeen', { room: 'lobby', id: seen.id, lamport: seen.lamport }))

    // Paused for 30 minutes, a few seconds into the burst of the one before.
    clock.now += 2_000
    value(await dispatch('saveSettings', { notifyPausedUntil: clock.now + 30 * MINUTE }))
    await a.engine().send('lobby', 'chatter')
    await a.engine().send('lobby', '@Ben can you look?')
    await a.engine().send('', 'just for you', { to: b.engine().peerId })
    await arrived('@Ben can you look?')
    await eventually(() => b.engine().dms().length).toBe(1)
    clock.now += 29 * MINUTE
    await a.engine().send('lobby', 'still paused')
    await arrived('still paused')
    expect(shown).toHaveLength(1)
    // The unread counts (the title's, the badge's) count on as without a pause.
    const counts = value(await dispatch('unread', undefined)) as { unread: Record<string, number>; mentions: Record<string, number> }
    expect(counts.unread.lobby).toBe(3)
    expect(counts.mentions.lobby).toBe(1)
    expect(counts.unread[b.engine().dms()[0]!.room]).toBe(1)

    // Its time passed: the next message notifies, with its sound, as the first of a burst; nothing held back comes with it.
    clock.now += 2 * MINUTE
    await a.engine().send('lobby', 'after the pause')
    await eventually(() => shown.length).toBe(2)
    expect(shown[1]).toMatchObject({ title: 'Ann in #lobby', body: 'after the pause', replaces: false, silent: false, count: 1 })
  })

  it('until turned back on lasts through any time; resumed, the next message notifies, not those that came meanwhile', async () => {
    const { app: a } = await open('Ann')
    const { app: b, dispatch } = await open('Ben')
    await b.dial(addr(a))
    const { shown, clock, notifier } = desktop(b, Date.UTC(2026, 2, 2, 9))
    value(await dispatch('saveSettings', { notifyPausedUntil: 'resume' }))
    expect(notifier.paused).toBe(true)
    await a.engine().send('lobby', 'one')
    await a.engine().send('', '@Ben a direct word', { to: b.engine().peerId })
    clock.now += 30 * 24 * 60 * MINUTE
    const last = await a.engine().send('lobby', 'a month on')
    await eventually(() => b.history('lobby').some((m: MessageView) => m.id === last.id)).toBe(true)
    await eventually(() => b.engine().dms().length).toBe(1)
    expect(shown).toEqual([])

    // Resumed (Settings keep no pause at all then).
    value(await dispatch('saveSettings', { notifyPausedUntil: 0 }))
    expect(b.settings).not.toHaveProperty('notifyPausedUntil')
    expect(notifier.paused).toBe(false)
    await a.engine().send('lobby', 'welcome back')
    await eventually(() => shown.map((n) => n.body)).toEqual(['welcome back'])
    expect(shown[0]).toMatchObject({ silent: false, count: 1 })

    // A pause of a moment, in the midst of a burst: what comes after it is a notification of its own, with its sound, not "2 new messages".
    clock.now += 1_000
    value(await dispatch('saveSettings', { notifyPausedUntil: clock.now + 30 * MINUTE }))
    const quiet = await a.engine().send('lobby', 'while paused again')
    await eventually(() => b.history('lobby').some((m: MessageView) => m.id === quiet.id)).toBe(true)
    clock.now += 1_000
    value(await dispatch('saveSettings', { notifyPausedUntil: 0 }))
    await a.engine().send('lobby', 'and back')
    await eventually(() => shown.length).toBe(2)
    expect(shown[1]).toMatchObject({ title: 'Ann in #lobby', body: 'and back', replaces: false, silent: false, count: 1 })
  })

  it('is kept across a restart with its end; a pause whose time has passed is none', async () => {
    const { app: b, dataDir, dispatch } = await open('Ben')
    const until = Date.now() + 60 * MINUTE
    value(await dispatch('saveSettings', { notifyPausedUntil: until }))
    await b.close()
    const again = await open('Ben', dataDir)
    expect(again.app.settings.notifyPausedUntil).toBe(until)
    const { notifier, clock } = desktop(again.app, Date.now())
    expect(notifier.paused).toBe(true)
    clock.now = until
    expect(notifier.paused).toBe(false)
    // What the window may ask is checked: a time or 'resume', nothing else.
    for (const bad of [-1, 1.5, 'soon', '2026-03-02', null, true, 9e15]) {
      const r = await again.dispatch('saveSettings', { notifyPausedUntil: bad })
      expect(r.ok ? '' : r.error.name).toBe('InvalidRequestError')
    }
    expect(again.app.settings.notifyPausedUntil).toBe(until)
  })
})
