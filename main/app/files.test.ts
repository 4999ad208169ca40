/**
 * The file operations of the IPC layer over a real engine in a temp dir:
 * a window uploads bytes in pieces and shares them; it can never name a path;
 * every request is checked by its schema before it reaches the engine.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatEngine } from '../chat/index.js'
import { MAX_STAGED_BYTES, type MessageView, type Result, type StagedFile } from '../../preload/contract.js'
import { createDispatch } from './handlers.js'
import { ChatApp } from './service.js'
import { png } from '../../test/helpers/png.js'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

/** A ChatApp on `dataDir` (default: a new temporary one, removed after the test) and its dispatch. */
async function open(dataDir?: string): Promise<ReturnType<typeof createDispatch> & { close: () => Promise<void>; app: ChatApp }> {
  if (dataDir === undefined) {
    const made = await mkdtemp(join(tmpdir(), 'lanchat-files-'))
    cleanup.push(() => rm(made, { recursive: true, force: true }))
    dataDir = made
  }
  const app = await ChatApp.open({ dataDir, createEngine: createChatEngine, listenHost: '127.0.0.1', mdnsAvailable: false, defaults: { name: 'Ada' }, downloadsDir: join(dataDir, 'dl') })
  cleanup.push(() => app.close())
  return Object.assign(createDispatch(app, { setUnread: () => undefined }), { close: () => app.close(), app })
}

const files = async (dir: string): Promise<string[]> => await readdir(dir).catch(() => [])

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
    const thumb = png(24, 16).toString('base64')
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

  it('holds uploads to the largest file Settings allow, from the moment they are saved and after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-files-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    const dispatch = await open(dataDir)
    const snapshot = valueOf<{ settings: { maxFileMB?: number } }>(await dispatch('snapshot', undefined))
    expect(snapshot.settings.maxFileMB).toBeUndefined() // the default, 2048 MB
    // The declared size of a 3 GiB file is refused on its first piece, before anything is taken.
    expect(errorOf(await dispatch('uploadFile', { data: '', size: 3 * 1024 ** 3 }))).toMatchObject({ name: 'FileTooLargeError' })
    expect(await files(join(dataDir, 'files', 'uploads'))).toEqual([])

    valueOf(await dispatch('saveSettings', { maxFileMB: 1 }))
    expect(errorOf(await dispatch('uploadFile', { data: '', size: 1024 * 1024 + 1 }))).toMatchObject({ name: 'FileTooLargeError', message: 'The file is 1,048,577 bytes; the limit is 1,048,576 bytes (1.0 MiB)' })
    // A page that leaves out the size (or lies) is stopped by the bytes it sends.
    const piece = randomBytes(512 * 1024).toString('base64')
    let upload = valueOf<{ upload: string }>(await dispatch('uploadFile', { data: piece, size: 1 })).upload
    upload = valueOf<{ upload: string }>(await dispatch('uploadFile', { upload, data: piece })).upload
    expect(errorOf(await dispatch('uploadFile', { upload, data: randomBytes(1).toString('base64') }))).toMatchObject({ name: 'FileTooLargeError' })
    expect(await files(join(dataDir, 'files', 'uploads'))).toEqual([])
    const ok = valueOf<{ upload: string }>(await dispatch('uploadFile', { data: piece, size: 512 * 1024 })).upload
    expect(valueOf<MessageView>(await dispatch('sendFile', { room: 'lobby', upload: ok, name: 'half.bin' })).file?.size).toBe(512 * 1024)

    // The limit is kept: the next start holds to it too.
    await dispatch.close()
    const again = await open(dataDir)
    expect(valueOf<{ settings: { maxFileMB?: number } }>(await again('snapshot', undefined)).settings.maxFileMB).toBe(1)
    expect(errorOf(await again('uploadFile', { data: '', size: 2 * 1024 * 1024 }))).toMatchObject({ name: 'FileTooLargeError' })
  })
})

describe('attached files kept across a restart', () => {
  it('sends a kept file only as it was attached (not one changed since), keeps only public rooms\' files, within bounds, and drops a pasted file half written', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-staged-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    const picked = join(dataDir, 'picked.txt')
    await writeFile(picked, 'the first version')
    let dispatch = await open(dataDir)
    const kept = valueOf<StagedFile>(await dispatch('stageFile', { room: 'Lobby', path: picked }))
    expect(kept).toMatchObject({ room: 'lobby', name: 'picked.txt', size: 17 })
    // A private conversation's, a relative path, a pasted file over the limit: refused before anything is kept.
    for (const [op, bad] of [
      ['stageFile', { room: 'dm:abc', path: picked }],
      ['stageFile', { room: 'pr:abc', path: picked }],
      ['stageFile', { room: 'lobby', path: 'picked.txt' }],
      ['stageBytes', { room: 'lobby', name: 'big.png', size: MAX_STAGED_BYTES + 1, data: '' }],
      ['stageBytes', { room: 'lobby', data: 'AAAA' }]
    ] as const) expect(errorOf(await dispatch(op, bad)).name, JSON.stringify(bad)).toBe('InvalidRequestError')
    // A pasted file whose second piece never came (the app closed) is not listed after the restart, nor kept.
    const half = valueOf<{ id: string; received: number }>(await dispatch('stageBytes', { room: 'lobby', name: 'pasted-image.png', size: 8, data: Buffer.from('abcd').toString('base64') }))
    expect(half.received).toBe(4)
    await dispatch.close()

    // Changed since it was attached (same name and place, other words): said so, and not sent.
    await writeFile(picked, 'a second version, longer')
    dispatch = await open(dataDir)
    const listed = valueOf<StagedFile[]>(await dispatch('stagedFiles', undefined))
    expect(listed).toEqual([{ ...kept, gone: 'it changed since it was attached' }])
    expect(await files(join(dataDir, 'staged'))).toEqual(['staged.json'])
    expect(errorOf(await dispatch('sendStaged', { room: 'lobby', id: kept.id }))).toMatchObject({ name: 'StagedFileGoneError' })
    // Sent only in its own room; taken off, it is no longer kept.
    expect(errorOf(await dispatch('sendStaged', { room: 'random', id: kept.id }))).toMatchObject({ name: 'StagedFileGoneError' })
    valueOf(await dispatch('unstage', { id: kept.id }))
    expect(valueOf<StagedFile[]>(await dispatch('stagedFiles', undefined))).toEqual([])
  })

  it('a file whose message went out just before the app stopped is not attached again after the restart, nor sent twice', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lanchat-staged-'))
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }))
    const picked = join(dataDir, 'minutes.txt')
    await writeFile(picked, 'the minutes of the meeting')
    let dispatch = await open(dataDir)
    // Sent before, the same file: that one is not taken for the kept one's.
    valueOf<MessageView>(await dispatch('sendStaged', { room: 'lobby', id: valueOf<StagedFile>(await dispatch('stageFile', { room: 'lobby', path: picked })).id }))
    const kept = valueOf<StagedFile>(await dispatch('stageFile', { room: 'lobby', path: picked }))
    const pasted = valueOf<StagedFile & { received: number }>(await dispatch('stageBytes', { room: 'lobby', name: 'pasted-image.png', size: 8, data: Buffer.from('abcdefgh').toString('base64') }))
    const fileMessages = (views: MessageView[]): string[] => views.filter((v) => v.file !== undefined).map((v) => v.file!.name)
    // The app stops once the message is out, before the file is taken off the box.
    dispatch.app.staged.afterSend = async () => {
      dispatch.app.staged.afterSend = undefined
      await dispatch.close()
      throw new Error('stopped')
    }
    expect(errorOf(await dispatch('sendStaged', { room: 'lobby', id: kept.id })).message).toBe('stopped')

    dispatch = await open(dataDir)
    const history = (): MessageView[] => dispatch.app.engine().history('lobby')
    expect(fileMessages(history())).toEqual(['minutes.txt', 'minutes.txt'])
    // Not back on the box; the pasted one, never sent, is.
    expect(valueOf<StagedFile[]>(await dispatch('stagedFiles', undefined)).map((f) => f.id)).toEqual([pasted.id])
    // A window still showing it and pressing Send gets no second message.
    expect(errorOf(await dispatch('sendStaged', { room: 'lobby', id: kept.id }))).toMatchObject({ name: 'StagedFileGoneError' })
    expect(fileMessages(history())).toEqual(['minutes.txt', 'minutes.txt'])
    // One not sent yet still goes.
    valueOf<MessageView>(await dispatch('sendStaged', { room: 'lobby', id: pasted.id }))
    expect(fileMessages(history())).toEqual(['minutes.txt', 'minutes.txt', 'pasted-image.png'])
    expect(valueOf<StagedFile[]>(await dispatch('stagedFiles', undefined))).toEqual([])
  })
})
