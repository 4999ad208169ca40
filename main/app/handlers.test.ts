/**
 * The IPC handlers over a real engine in a temp dir (loopback, no mDNS):
 * every request is checked before it reaches the engine, and the answer says
 * what was wrong.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatEngine } from '../chat/index.js'
import { createServer } from 'node:net'
import type { AppEvent, Result, Settings, Snapshot } from '../../preload/contract.js'
import { createDispatch } from './handlers.js'
import { ChatApp } from './service.js'
import { answerOf, parseLine, type Command } from './lines.js'
import { Terminal, type Typed } from './terminal.js'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

async function open(defaults: Partial<Settings> = {}): Promise<{ app: ChatApp; dispatch: ReturnType<typeof createDispatch>; events: AppEvent[]; badge: () => number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-handlers-'))
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
  const app = await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults })
  cleanup.push(() => app.close())
  const events: AppEvent[] = []
  app.on((e) => events.push(e))
  let badge = 0
  return { app, dispatch: createDispatch(app, { setUnread: (n) => void (badge = n) }), events, badge: () => badge }
}

const errorOf = (r: Result<unknown>): { name: string; message: string } => (r.ok ? { name: '', message: '' } : r.error)

describe('IPC handlers', () => {
  it('wait for a name before the engine runs, then start it', async () => {
    const { dispatch, events } = await open()
    expect(errorOf(await dispatch('send', { room: 'lobby', text: 'too early' }))).toMatchObject({ name: 'EngineNotReadyError', message: expect.stringMatching(/choose a display name/) })
    const snap = await dispatch('setName', { name: '  Ada  ' })
    expect(snap.ok && snap.value).toMatchObject({ settings: { name: 'Ada' }, status: { state: 'running', name: 'Ada' } })
    const sent = await dispatch('send', { room: 'lobby', text: 'hello' })
    expect(sent.ok && sent.value).toMatchObject({ room: 'lobby', text: 'hello', name: 'Ada', lamport: 1 })
    expect(events.some((e) => e.type === 'message' && e.text === 'hello')).toBe(true)
    const history = await dispatch('history', { room: 'lobby' })
    expect(history.ok && (history.value as Array<{ text: string }>).map((m) => m.text)).toEqual(['hello'])
  })

  it.each([
    ['send', { room: 'lobby', text: '   ' }, /cannot be empty/],
    ['send', { room: 'lobby', text: 'x'.repeat(64 * 1024 + 1) }, /at most 64 KiB/],
    ['send', { room: 'lobby', text: 'hi', extra: true }, /^"extra" is not known here\.$/],
    ['send', 'lobby: hi', /^The request should be an object\.$/],
    ['joinRoom', { room: 'a\u0007b' }, /control characters/],
    ['setName', { name: '' }, /cannot be empty/],
    ['saveSettings', { listenPort: 70000 }, /0 \(any\) or 1 to 65535/],
    ['saveSettings', { mode: 'mesh' }, /mode/],
    ['saveSettings', { downloadsDir: 'relative/folder' }, /whole path of the folder/],
    ['saveSettings', { autoDownloadImagesMB: -1 }, /0 \(never\)/],
    ['saveSettings', { maxFileMB: 0 }, /at least 1 MB/],
    ['saveSettings', { maxFileMB: 65537 }, /at most 65536 MB/],
    ['saveSettings', { maxFileMB: 1.5 }, /whole number of MB/],
    ['saveSettings', { keepOthersGB: 0 }, /at least 1 GB/],
    ['saveSettings', { keepOthersGB: 65537 }, /At most 65536 GB/],
    ['saveSettings', { keepOthersGB: 2.5 }, /whole number of GB/],
    ['saveSettings', { serverKeepFilesGB: -1 }, /0 \(no limit\)/],
    ['saveSettings', { serverKeepFilesGB: 65537 }, /At most 65536 GB/],
    ['saveSettings', { serverKeepFilesGB: 2.5 }, /whole number of GB/],
    ['fetchFile', { id: '../x' }, /id/],
    ['uploadFile', { data: '', size: -1 }, /size/],
    ['setUnread', { count: -1 }, /count/]
  ])('refuse a bad %s request with InvalidRequestError', async (op, payload, message) => {
    const { dispatch } = await open()
    expect(errorOf(await dispatch(op, payload))).toMatchObject({ name: 'InvalidRequestError', message: expect.stringMatching(message) })
  })

  it('says what is wrong in words a person reads, naming the field as a command types it, never the operation', async () => {
    const { dispatch } = await open()
    await dispatch('setName', { name: 'Ada' })
    expect(errorOf(await dispatch('setName', { name: '' }))).toEqual({ name: 'InvalidRequestError', message: 'A display name cannot be empty.' })
    // What a script (a JSON line) and a person at the terminal see, as the error event prints.
    const said = async (typed: Command | Typed): Promise<string | undefined> => {
      const cmd = 'run' in typed ? typed.run : 'say' in typed ? undefined : typed
      if (cmd === undefined) throw new Error('not a command')
      const answer = answerOf(cmd, await dispatch(cmd.operation, cmd.payload))
      expect(answer).toMatchObject({ type: 'error', code: 'InvalidRequestError' })
      return new Terminal(() => 'me').format(answer!)
    }
    const term = new Terminal(() => 'me')
    expect(await said(term.command(`/status ${'x'.repeat(90)}`))).toBe('! A status has at most 80 characters.')
    expect(await said(parseLine('{"cmd":"mode","mode":"foo"}'))).toBe('! "mode" is p2p or client.')
    expect(await said(parseLine('{"cmd":"presence","state":"gone fishing"}'))).toBe('! "state" is online or away.')
    expect(await said(parseLine('{"cmd":"join"}'))).toBe('! "room" is missing.')
    expect(await said(parseLine('{"cmd":"send","text":"hi","replyTo":""}'))).toBe('! "replyTo" cannot be empty.')
    expect(await said(parseLine('{"cmd":"dial"}'))).toBe('! "addr" is missing.')
    expect(await said(parseLine('{"cmd":"dial","addr":7}'))).toBe('! "addr" should be text.')
    // An invite-only room's name is a room's, not a person's.
    expect(await said(parseLine(`{"cmd":"rename-private","room":"pr:${'a'.repeat(32)}","name":""}`))).toBe('! A room name cannot be empty.')
    expect(await said(parseLine('{"cmd":"create-private","name":" "}'))).toBe('! A room name cannot be empty.')
    // The terminal gives its usage instead of sending what cannot be right.
    expect(() => term.command('/mode')).toThrow(/^usage: \/mode p2p, or \/mode client \[ADDR\]/)
    expect(() => term.command('/mode foo')).toThrow(/^usage: \/mode p2p/)
    expect(term.command('/mode client 10.0.0.5:4001')).toMatchObject({ run: { operation: 'switchMode', payload: { mode: 'client', server: '10.0.0.5:4001' } } })
  })

  it('refuse an unknown operation and a bad address by name', async () => {
    const { dispatch } = await open()
    expect(errorOf(await dispatch('shell', {})).name).toBe('UnknownOperationError')
    await dispatch('setName', { name: 'Ada' })
    expect(errorOf(await dispatch('dial', { address: 'nowhere' })).name).toBe('BadAddressError')
  })

  it('pass the unread count to the host and rooms to the UI; mute only a conversation the window lists', async () => {
    const { app, dispatch, events, badge } = await open()
    await dispatch('setName', { name: 'Ada' })
    expect((await dispatch('setUnread', { count: 3 })).ok).toBe(true)
    expect(badge()).toBe(3)
    const rooms = await dispatch('joinRoom', { room: ' Design ' })
    expect(rooms.ok && rooms.value).toEqual(['lobby', 'design'])
    expect(events.some((e) => e.type === 'rooms' && e.rooms.includes('design'))).toBe(true)
    // A room listed is muted; one not listed, an invite-only room not ours, a direct conversation not had: refused, not kept muted.
    expect((await dispatch('muteRoom', { room: 'design', muted: true })).ok).toBe(true)
    expect(errorOf(await dispatch('muteRoom', { room: 'random', muted: true }))).toEqual({ name: 'NotListedError', message: 'You have not joined #random: join it before muting it.' })
    expect(errorOf(await dispatch('muteRoom', { room: `pr:${'5'.repeat(24)}`, muted: true })).name).toBe('NotAMemberError')
    expect(errorOf(await dispatch('muteRoom', { room: `dm:${'5'.repeat(40)}`, muted: true })).name).toBe('NotListedError')
    expect(app.settings.muted).toEqual(['design'])
    // A muted list saved whole (JSON, IPC) is held to the same rule, naming what it refuses; what is muted stays.
    expect(errorOf(await dispatch('saveSettings', { muted: ['design', 'random'] }))).toEqual({ name: 'NotListedError', message: 'You have not joined #random: join it before muting it.' })
    expect(errorOf(await dispatch('saveSettings', { muted: [`dm:${'5'.repeat(40)}`] })).name).toBe('NotListedError')
    expect(app.settings.muted).toEqual(['design'])
    expect((await dispatch('saveSettings', { muted: ['lobby', 'design'] })).ok).toBe(true)
    expect((await dispatch('saveSettings', { muted: [] })).ok).toBe(true)
    expect(app.settings.muted).toEqual([])
  })

  it('report a taken port as a failed status with the reason, and recover when the port changes', async () => {
    const blocker = createServer()
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done))
    cleanup.push(() => new Promise((done) => blocker.close(() => done())))
    const taken = (blocker.address() as { port: number }).port
    const { app, dispatch } = await open({ name: 'Ada', listenPort: taken })
    expect(app.status).toMatchObject({ state: 'failed', error: { message: expect.stringMatching(/EADDRINUSE|in use/i) } })
    expect(errorOf(await dispatch('peers', undefined)).name).toBe('EngineNotReadyError')
    const snap = await dispatch('saveSettings', { listenPort: 0 })
    expect(snap.ok && (snap.value as Snapshot).status.state).toBe('running')
  })
})
