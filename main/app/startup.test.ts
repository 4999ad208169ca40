import { describe, expect, it } from 'vitest'
import type { AppEvent } from '../../preload/contract.js'
import { SettingsError, StartupError, StartupTimeoutError } from './errors.js'
import { Startup, type OpenedApp } from './startup.js'

class FakeApp implements OpenedApp {
  readonly listeners = new Set<(event: AppEvent) => void>()
  closed = false
  on(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  async close(): Promise<void> {
    this.closed = true
  }
  emit(event: AppEvent): void {
    for (const l of this.listeners) l(event)
  }
}

const echo = (app: FakeApp) => async (operation: string) => ({ ok: true as const, value: { operation, app: app === undefined ? 'none' : 'fake' } })

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('Startup', () => {
  it('holds calls until the app is open, then dispatches them and relays its events', async () => {
    const opening = deferred<FakeApp>()
    const startup = new Startup({ open: () => opening.promise, dispatch: echo, where: '/data' })
    const events: AppEvent[] = []
    startup.on((e) => events.push(e))
    void startup.start()
    const answer = startup.dispatch('snapshot', undefined)
    let answered = false
    void answer.then(() => (answered = true))
    await new Promise((r) => setTimeout(r, 20))
    expect(answered).toBe(false)

    const app = new FakeApp()
    opening.resolve(app)
    expect(await answer).toEqual({ ok: true, value: { operation: 'snapshot', app: 'fake' } })
    app.emit({ type: 'rooms', rooms: ['lobby'] })
    expect(events).toEqual([{ type: 'rooms', rooms: ['lobby'] }])
    expect(startup.app).toBe(app)
  })

  it('answers a failed opening with a StartupError that says where and what to do, for every call', async () => {
    const startup = new Startup({
      open: () => Promise.reject(new SettingsError('Cannot read /data/app-settings.json: EISDIR: illegal operation on a directory, read')),
      dispatch: echo,
      where: '/data'
    })
    expect(await startup.start()).toBeUndefined()
    const result = await startup.dispatch('send', { room: 'lobby', text: 'hi' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.name).toBe(StartupError.name)
    expect(result.error.message).toMatch(/^LAN Chat could not open its data in \/data: Cannot read .*EISDIR.*\. Check that this folder .* then press Try again\.$/)
    expect(startup.failure).toEqual(result.error)
  })

  it('opens again when the page asks for a snapshot after a failure (the Try again button)', async () => {
    let attempts = 0
    const startup = new Startup({
      open: async () => {
        attempts++
        if (attempts === 1) throw new Error('disk on fire')
        return new FakeApp()
      },
      dispatch: echo,
      where: '/data'
    })
    await startup.start()
    expect((await startup.dispatch('peers', undefined)).ok).toBe(false)
    expect(attempts).toBe(1)
    expect(await startup.dispatch('snapshot', undefined)).toEqual({ ok: true, value: { operation: 'snapshot', app: 'fake' } })
    expect(attempts).toBe(2)
  })

  it('does not hang: a call that waits longer than waitMs answers StartupTimeoutError', async () => {
    const startup = new Startup({ open: () => new Promise<FakeApp>(() => {}), dispatch: echo, where: '/data', waitMs: 50 })
    void startup.start()
    const result = await startup.dispatch('snapshot', undefined)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.name).toBe(StartupTimeoutError.name)
  })

  it('close waits for an opening under way and closes what it opened', async () => {
    const opening = deferred<FakeApp>()
    const startup = new Startup({ open: () => opening.promise, dispatch: echo, where: '/data' })
    void startup.start()
    const app = new FakeApp()
    const closed = startup.close()
    opening.resolve(app)
    await closed
    expect(app.closed).toBe(true)
    const after = await startup.dispatch('snapshot', undefined)
    expect(after.ok).toBe(false)
  })
})
