import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, SETTINGS_FILE, SettingsStore } from './settings.js'

const dirs: string[] = []
async function dir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'lanchat-settings-'))
  dirs.push(d)
  return d
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

describe('SettingsStore', () => {
  it('gives defaults for a new data dir and reads back what it saved', async () => {
    const d = await dir()
    const store = new SettingsStore(d)
    expect((await store.load()).settings).toEqual(DEFAULT_SETTINGS)
    const saved = { name: 'Ada', listenPort: 4001, mdns: false, mode: 'client-server', server: '127.0.0.1:4002', hostServer: true, serverPort: 4002 } as const
    await store.save(saved)
    expect((await new SettingsStore(d).load()).settings).toEqual(saved)
    // The temp file was renamed over the real one, nothing left behind.
    expect(await readdir(d)).toEqual([SETTINGS_FILE])
  })

  it('keeps the last of many quick saves, written one at a time off the event loop', async () => {
    const d = await dir()
    const store = new SettingsStore(d)
    await Promise.all([1, 2, 3, 4, 5].map((n) => store.save({ ...DEFAULT_SETTINGS, name: `n${n}`, listenPort: 4000 + n })))
    expect((await store.load()).settings).toMatchObject({ name: 'n5', listenPort: 4005 })
    // One temporary file at a time, each renamed over the real one: none is left.
    expect(await readdir(d)).toEqual([SETTINGS_FILE])
  })

  it('sets an unreadable file aside instead of overwriting it, and says where', async () => {
    const d = await dir()
    await writeFile(join(d, SETTINGS_FILE), '{"name": "Ada", "listenPort": "not a port"')
    const loaded = await new SettingsStore(d).load()
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
    expect(loaded.problem?.name).toBe('SettingsError')
    const aside = (await readdir(d)).find((f) => f.includes('unreadable'))
    expect(aside).toBeDefined()
    expect(loaded.problem?.message).toContain(aside)
    expect(await readFile(join(d, aside!), 'utf8')).toContain('not a port')
  })

  it('keeps a pause of notifications with its end, or until resumed, and refuses anything else there', async () => {
    const d = await dir()
    const store = new SettingsStore(d)
    const until = Date.UTC(2026, 2, 3, 8)
    await store.save({ ...DEFAULT_SETTINGS, name: 'Ada', notifyPausedUntil: until })
    expect((await new SettingsStore(d).load()).settings.notifyPausedUntil).toBe(until)
    await store.save({ ...DEFAULT_SETTINGS, name: 'Ada', notifyPausedUntil: 'resume' })
    expect((await new SettingsStore(d).load()).settings.notifyPausedUntil).toBe('resume')
    // A time long past is kept as it is (it is no pause: see notifyPaused).
    await store.save({ ...DEFAULT_SETTINGS, name: 'Ada', notifyPausedUntil: 1 })
    expect((await new SettingsStore(d).load()).settings.notifyPausedUntil).toBe(1)
    for (const bad of [-1, 1.5, Number.NaN, 9e15, 'tomorrow', '', true]) {
      expect(() => store.save({ ...DEFAULT_SETTINGS, notifyPausedUntil: bad as number })).toThrow()
    }
    // A file edited by hand to something else is set aside, as any unreadable one.
    await writeFile(join(d, SETTINGS_FILE), JSON.stringify({ ...DEFAULT_SETTINGS, name: 'Ada', notifyPausedUntil: 'forever' }))
    const loaded = await new SettingsStore(d).load()
    expect(loaded.problem?.name).toBe('SettingsError')
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS)
  })

  it('refuses to save invalid settings', async () => {
    const store = new SettingsStore(await dir())
    expect(() => store.save({ ...DEFAULT_SETTINGS, listenPort: 70000 })).toThrow()
    expect(() => store.save({ ...DEFAULT_SETTINGS, spellcheck: 'yes' as unknown as boolean })).toThrow()
  })
})
