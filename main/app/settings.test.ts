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
  })

  it('drops a bad pause (or theme, last room, fold) alone, keeping the rest and a copy of the file as it was; any other bad value sets the whole file aside', async () => {
    const d = await dir()
    const ada = { ...DEFAULT_SETTINGS, name: 'Ada', listenPort: 4001, mode: 'client-server', server: '127.0.0.1:4002', networkKey: 'k1', notify: 'mentions' } as const
    // A file edited by hand to a pause that is no time: the pause goes, not Ada's name, hub or network key.
    const edited = JSON.stringify({ ...ada, notifyPausedUntil: 'forever' })
    await writeFile(join(d, SETTINGS_FILE), edited)
    const loaded = await new SettingsStore(d).load()
    expect(loaded.settings).toEqual(ada)
    expect(loaded.problem?.name).toBe('SettingsError')
    expect(loaded.problem?.message).toContain('notifyPausedUntil')
    const aside = (await readdir(d)).find((f) => f.includes('unreadable'))
    expect(aside).toBeDefined()
    expect(loaded.problem?.message).toContain(aside)
    expect(await readFile(join(d, aside!), 'utf8')).toBe(edited)
    // The file itself is written again without it: the next start keeps everything, warns of nothing and copies nothing aside.
    const next = await new SettingsStore(d).load()
    expect(next).toEqual({ settings: ada })
    expect((await readdir(d)).filter((f) => f.includes('unreadable'))).toEqual([aside])
    // Two of the droppable ones at once: both go, alone.
    await rm(join(d, aside!))
    await writeFile(join(d, SETTINGS_FILE), JSON.stringify({ ...ada, notifyPausedUntil: -5, theme: 'purple', foldOtherRooms: true }))
    const two = await new SettingsStore(d).load()
    expect(two.settings).toEqual({ ...ada, foldOtherRooms: true })
    expect(two.problem?.message).toMatch(/notifyPausedUntil, theme were left out/)
    // A bad network key beside it: nothing is trusted, as before (dropped alone it would join the open network).
    for (const f of await readdir(d)) if (f.includes('unreadable')) await rm(join(d, f))
    await writeFile(join(d, SETTINGS_FILE), JSON.stringify({ ...ada, notifyPausedUntil: 'forever', networkKey: 'x'.repeat(500) }))
    const whole = await new SettingsStore(d).load()
    expect(whole.settings).toEqual(DEFAULT_SETTINGS)
    expect(whole.problem?.message).toMatch(/unreadable .*defaults are used/)
    expect(await readdir(d)).toEqual([expect.stringContaining('unreadable')])
  })

  it('drops the muted entries that name no conversation (an older build\'s file, or one edited by hand), keeping the others, each once, and every other setting', async () => {
    const d = await dir()
    const ada = { ...DEFAULT_SETTINGS, name: 'Ada', mode: 'client-server', server: '127.0.0.1:4002', networkKey: 'k1' } as const
    // An invite-only room and a DM muted before they are listed again (they need not exist at start-up).
    const pr = `pr:${'0a'.repeat(12)}`
    const dm = `dm:${'b'.repeat(40)}`
    const muted = ['random', 42, null, '', '   ', 'Random', ' design ', 'random', 'x'.repeat(5000), 'a\u0007b', { room: 'x' }, pr, 'pr:not-a-room', dm, `dm:${'b'.repeat(39)}`, pr]
    await writeFile(join(d, SETTINGS_FILE), JSON.stringify({ ...ada, muted }))
    expect((await new SettingsStore(d).load()).settings).toEqual({ ...ada, muted: ['random', 'design', pr, dm] })
    // Too many (a hand edit): the newest muted kept, up to the limit a mute keeps to.
    const many = Array.from({ length: 1001 }, (_, i) => `room-${i}`)
    await writeFile(join(d, SETTINGS_FILE), JSON.stringify({ ...ada, muted: many }))
    expect((await new SettingsStore(d).load()).settings).toEqual({ ...ada, muted: many.slice(1) })
    // No list at all there: it alone is left out, said so, the rest used.
    await writeFile(join(d, SETTINGS_FILE), JSON.stringify({ ...ada, muted: 'random' }))
    const notList = await new SettingsStore(d).load()
    expect(notList.settings).toEqual(ada)
    expect(notList.problem?.message).toMatch(/muted was left out/)
  })

  it('refuses to save invalid settings', async () => {
    const store = new SettingsStore(await dir())
    expect(() => store.save({ ...DEFAULT_SETTINGS, listenPort: 70000 })).toThrow()
    expect(() => store.save({ ...DEFAULT_SETTINGS, spellcheck: 'yes' as unknown as boolean })).toThrow()
  })
})
