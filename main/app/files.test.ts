/**
 * The file operations of the IPC layer over a real engine in a temp dir:
 * a window uploads bytes in pieces and shares them; it can never name a path;
 * every request is checked by its schema before it reaches the engine.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatEngine } from '../chat/index.js'
import type { MessageView, Result } from '../../preload/contract.js'
import { createDispatch } from './handlers.js'
import { ChatApp } from './service.js'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

async function open(): Promise<ReturnType<typeof createDispatch>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-files-'))
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
  const app = await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name: 'Ada' }, downloadsDir: join(dataDir, 'dl') })
  cleanup.push(() => app.close())
  return createDispatch(app, { setUnread: () => undefined })
}

const errorOf = (r: Result<unknown>): { name: string; message: string } => (r.ok ? { name: '', message: '' } : r.error)
const valueOf = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`)
  return r.value as T
}

describe('file operations over IPC', () => {
  it('shares bytes uploaded in pieces, with the thumbnail the page made', async () => {
    const dispatch = await open()
    const bytes = randomBytes(1024 * 1024 + 5)
    let upload: string | undefined
    for (let at = 0; at < bytes.byteLength; at += 512 * 1024) {
      const piece = bytes.subarray(at, at + 512 * 1024).toString('base64')
      upload = valueOf<{ upload: string; size: number }>(await dispatch('uploadFile', { ...(upload !== undefined ? { upload } : {}), data: piece })).upload
    }
    const thumb = randomBytes(100).toString('base64')
    const m = valueOf<MessageView>(await dispatch('sendFile', { room: 'lobby', upload, name: 'photo.png', thumbnail: thumb, thumbnailMime: 'image/png' }))
    expect(m.file).toMatchObject({ name: 'photo.png', size: bytes.byteLength, mime: 'image/png', sha256: createHash('sha256').update(bytes).digest('hex'), thumbnail: `data:image/png;base64,${thumb}` })
    expect(m.text).toBe('📎 photo.png')
    // The upload is used up.
    expect(errorOf(await dispatch('sendFile', { room: 'lobby', upload, name: 'again.png' }))).toMatchObject({ name: 'NoFileError' })
  })

  it('refuses a path from a window, pieces that are too big or not base64, and unknown downloads', async () => {
    const dispatch = await open()
    expect(errorOf(await dispatch('shareFile', { room: 'lobby', path: '/etc/passwd' }))).toMatchObject({ name: 'ForbiddenRequestError' })
    expect(errorOf(await dispatch('uploadFile', { data: 'A'.repeat(800 * 1024) }))).toMatchObject({ name: 'InvalidRequestError' })
    expect(errorOf(await dispatch('uploadFile', { data: 'not base64!' }))).toMatchObject({ name: 'InvalidRequestError' })
    expect(errorOf(await dispatch('uploadFile', { upload: '../../etc', data: '' }))).toMatchObject({ name: 'InvalidRequestError' })
    expect(errorOf(await dispatch('sendFile', { room: 'lobby', upload: 'a'.repeat(32), name: 'x' }))).toMatchObject({ name: 'NoFileError' })
    expect(errorOf(await dispatch('download', { id: 'a'.repeat(64) }))).toMatchObject({ name: 'UnknownMessageError' })
    expect(errorOf(await dispatch('download', { id: '../x' }))).toMatchObject({ name: 'InvalidRequestError' })
    expect(errorOf(await dispatch('reveal', { id: 'a'.repeat(64), action: 'open' }))).toMatchObject({ name: 'NoFileError' })
    expect(errorOf(await dispatch('reveal', { id: 'a'.repeat(64), action: 'run' }))).toMatchObject({ name: 'InvalidRequestError' })
    const sent = valueOf<MessageView>(await dispatch('send', { room: 'lobby', text: 'no file here' }))
    expect(errorOf(await dispatch('download', { id: sent.id }))).toMatchObject({ name: 'NoFileError' })
  })
})
