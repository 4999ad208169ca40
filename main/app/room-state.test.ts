/**
 * Per-room state in the app's settings through the dispatch, over a real
 * engine: muting, where the user left off in a room — checked on the way
 * in, never moved back by an older mark, and there again after a restart —
 * and public rooms' drafts (never a private conversation's).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatEngine } from '../chat/index.js'
import type { MessageView, Result, Snapshot } from '../../preload/contract.js'
import { createDispatch } from './handlers.js'
import { MAX_DRAFT_ROOMS } from './schemas.js'
import { readFile } from 'node:fs/promises'
import { ChatApp } from './service.js'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

async function open(dataDir: string): Promise<{ app: ChatApp; dispatch: ReturnType<typeof createDispatch> }> {
  const app = await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name: 'Ada' } })
  return { app, dispatch: createDispatch(app, { setUnread: () => undefined }) }
}

const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`)
  return r.value
}

describe('per-room state in the settings', () => {
  it('keeps where the user left off in each room across a restart; an older mark does not move it back', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-room-state-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    let { app, dispatch } = await open(dataDir)
    const first = value(await dispatch('send', { room: 'lobby', text: 'one' })) as MessageView
    const second = value(await dispatch('send', { room: 'lobby', text: 'two' })) as MessageView
    value(await dispatch('markSeen', { room: 'lobby', id: second.id, lamport: second.lamport }))
    value(await dispatch('markSeen', { room: 'lobby', id: first.id, lamport: first.lamport }))
    expect(app.settings.seen).toEqual({ lobby: { id: second.id, lamport: second.lamport } })

    // Checked before anything is saved: a message id, a Lamport time, nothing else.
    for (const bad of [{ room: 'lobby', id: 'nope', lamport: 1 }, { room: 'lobby', id: second.id, lamport: -1 }, { room: 'lobby', id: second.id, lamport: 1, extra: true }, { room: '', id: second.id, lamport: 1 }]) {
      const r = await dispatch('markSeen', bad)
      expect(r.ok ? '' : r.error.name).toBe('InvalidRequestError')
    }
    // A room the window lists (muting one it does not is refused: handlers.test.ts).
    value(await dispatch('joinRoom', { room: 'random' }))
    expect(value(await dispatch('muteRoom', { room: 'Random', muted: true }))).toEqual(['random'])

    await app.close()
    ;({ app, dispatch } = await open(dataDir))
    cleanup.push(() => app.close())
    const snapshot = app.snapshot()
    expect(snapshot.settings.seen).toEqual({ lobby: { id: second.id, lamport: second.lamport } })
    expect(snapshot.settings.muted).toEqual(['random'])
    expect(value(await dispatch('muteRoom', { room: 'random', muted: false }))).toEqual([])
  })

  it('keeps public rooms\' drafts across a restart, forgets a cleared one, refuses a private conversation\'s and the oversized', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-drafts-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    const { app, dispatch } = await open(dataDir)
    value(await dispatch('saveDraft', { room: 'Lobby', text: 'half a thought' }))
    value(await dispatch('saveDraft', { room: 'random', text: 'lunch?' }))
    value(await dispatch('saveDraft', { room: 'random', text: '' }))
    expect(app.settings.drafts).toEqual({ lobby: 'half a thought' })

    for (const bad of [
      { room: 'dm:abc', text: 'my PIN is 4711' },
      { room: 'pr:0123', text: 'the plan' },
      { room: 'lobby', text: 'x'.repeat(64 * 1024 + 1) },
      { room: 'lobby', text: 'ok', extra: true }
    ]) {
      const r = await dispatch('saveDraft', bad)
      expect(r.ok ? '' : r.error.name).toBe('InvalidRequestError')
    }
    // Only the newest MAX_DRAFT_ROOMS rooms' drafts are kept.
    for (let i = 0; i < MAX_DRAFT_ROOMS; i++) value(await dispatch('saveDraft', { room: `room-${i}`, text: `draft ${i}` }))
    expect(Object.keys(app.settings.drafts ?? {})).toHaveLength(MAX_DRAFT_ROOMS)
    expect(app.settings.drafts?.lobby).toBeUndefined()
    expect(await readFile(join(dataDir, 'app-settings.json'), 'utf8')).not.toContain('4711')

    await app.close()
    const again = (await open(dataDir)).app
    cleanup.push(() => again.close())
    expect(again.snapshot().settings.drafts?.[`room-${MAX_DRAFT_ROOMS - 1}`]).toBe(`draft ${MAX_DRAFT_ROOMS - 1}`)
  })

  it('keeps the public rooms joined across a restart, the lobby first, until left; never a private conversation nor the walkthrough\'s room', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-joined-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    let { app, dispatch } = await open(dataDir)
    expect(app.settings.joined).toBeUndefined()
    value(await dispatch('joinRoom', { room: 'Design-Team' }))
    value(await dispatch('joinRoom', { room: 'random' }))
    value(await dispatch('joinRoom', { room: 'design-team' }))
    value(await dispatch('joinRoom', { room: 'causal-demo' }))
    expect(app.settings.joined).toEqual(['lobby', 'design-team', 'random'])
    value(await dispatch('leaveRoom', { room: 'random' }))
    value(await dispatch('leaveRoom', { room: 'lobby' }))
    expect(app.settings.joined).toEqual(['lobby', 'design-team'])
    // A DM's room is not joined by name: refused before anything is saved.
    expect((await dispatch('joinRoom', { room: 'dm:abc' })).ok).toBe(false)
    expect(app.settings.joined).toEqual(['lobby', 'design-team'])

    await app.close()
    ;({ app, dispatch } = await open(dataDir))
    cleanup.push(() => app.close())
    expect(app.snapshot().settings.joined).toEqual(['lobby', 'design-team'])
    // What a window of an older version kept for itself is handed over as a whole list.
    expect((value(await dispatch('saveSettings', { joined: ['lobby', 'kitchen', 'design-team'] })) as Snapshot).settings.joined).toEqual(['lobby', 'kitchen', 'design-team'])
    expect((await dispatch('saveSettings', { joined: Array.from({ length: 1001 }, (_, i) => `room-${i}`) })).ok).toBe(false)
  })

  it('a setting saved just before the app closes is on disk when it has closed: where the user was, a draft', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-close-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    const { app } = await open(dataDir)
    // Not awaited: the window's last save as the app quits.
    void app.saveSettings({ lastRoom: 'standup', drafts: { standup: 'see you at' } })
    await app.close()
    const onDisk = JSON.parse(await readFile(join(dataDir, 'app-settings.json'), 'utf8')) as Snapshot['settings']
    expect(onDisk.lastRoom).toBe('standup')
    expect(onDisk.drafts).toEqual({ standup: 'see you at' })
  })
})

