/**
 * What a peer keeps of files in its data directory, and freeing it (Settings → Files, `/storage`):
 * real engines on loopback. Freeing takes others' files this peer keeps to serve them, never
 * what it shared, what a download is using, or what was saved to the downloads folder.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../main/chat/index.js'
import { cleanup, connect, startPeer, stopPeer, tempDir, until, type TestPeer } from './helpers/peers.js'

afterEach(cleanup)

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

function fileOf (bytes: Buffer, name: string): string {
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, bytes)
  return path
}

async function filePeer (name: string): Promise<TestPeer & { downloads: string }> {
  const downloads = tempDir(`lanchat-dl-${name}-`)
  const p = await startPeer(name, { files: { downloadsDir: downloads, stallMs: 2_000 } })
  return Object.assign(p, { downloads })
}

const fileMessages = (p: TestPeer): Array<Extract<EngineEvent, { type: 'message' }>> =>
  p.events.filter((e): e is Extract<EngineEvent, { type: 'message' }> => e.type === 'message' && e.file !== undefined)
const messageOf = (p: TestPeer, name: string): Extract<EngineEvent, { type: 'message' }> | undefined => fileMessages(p).find(m => m.file?.name === name)

describe('the files a peer keeps, and freeing them', () => {
  it('counts what it shared apart from copies of others\' files; freeing takes only the copies, which it then serves no more', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    const carol = await filePeer('carol')
    await connect(alice, bob)
    await connect(carol, bob)
    const slides = randomBytes(1_500_000)
    const notes = randomBytes(300_000)
    await alice.engine.sendFile('lobby', fileOf(slides, 'slides.pdf'))
    await bob.engine.sendFile('lobby', fileOf(notes, 'notes.txt'))
    await until('bob has the slides\' message', () => messageOf(bob, 'slides.pdf') !== undefined)
    const saved = await bob.engine.download(messageOf(bob, 'slides.pdf')!.id)

    const before = await bob.engine.fileStorage()
    expect(before.shared.files).toBe(1)
    expect(before.shared.bytes).toBeGreaterThanOrEqual(notes.byteLength)
    expect(before.others.files).toBe(1)
    expect(before.others.bytes).toBeGreaterThanOrEqual(slides.byteLength)
    expect(before.partial).toEqual({ files: 0, bytes: 0 })
    // Alice shared one file and holds nobody else's.
    expect(await alice.engine.fileStorage()).toMatchObject({ shared: { files: 1 }, others: { files: 0, bytes: 0 } })

    const { freed, storage } = await bob.engine.freeFileStorage()
    expect(freed).toEqual(before.others)
    expect(storage).toEqual({ shared: before.shared, others: { files: 0, bytes: 0 }, partial: { files: 0, bytes: 0 } })
    // What Bob saved is his: still there, whole, and still shown as saved.
    expect(sha(readFileSync(saved))).toBe(sha(slides))
    expect(bob.engine.history('lobby').find(m => m.file?.name === 'slides.pdf')?.file?.saved).toBe(true)
    expect(bob.engine.downloadedPath(messageOf(bob, 'slides.pdf')!.id)).toBe(saved)

    // With Alice gone, Carol (linked to Bob alone) gets Bob's own file from him, but not the copy he freed.
    await stopPeer(alice)
    await until('carol has both messages', () => messageOf(carol, 'notes.txt') !== undefined && messageOf(carol, 'slides.pdf') !== undefined)
    expect(sha(readFileSync(await carol.engine.download(messageOf(carol, 'notes.txt')!.id)))).toBe(sha(notes))
    await expect(carol.engine.download(messageOf(carol, 'slides.pdf')!.id)).rejects.toMatchObject({ name: 'NoHolderError' })
    // Freeing again finds nothing more of Bob's to take.
    expect((await bob.engine.freeFileStorage()).freed).toEqual({ files: 0, bytes: 0 })
  })

  it('keeps a download under way, and the chunks of one that waits to resume', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const video = randomBytes(24 * 1024 * 1024)
    await alice.engine.sendFile('lobby', fileOf(video, 'video.mp4'))
    await until('bob has the message', () => messageOf(bob, 'video.mp4') !== undefined)
    const id = messageOf(bob, 'video.mp4')!.id
    const download = bob.engine.download(id)
    await until('some of it came', () => bob.events.some(e => e.type === 'file:progress' && e.id === id && e.done > 0 && e.done < e.size))
    const during = await bob.engine.freeFileStorage()
    expect(during.freed).toEqual({ files: 0, bytes: 0 })
    expect(sha(readFileSync(await download))).toBe(sha(video))

    // A download whose only holder left waits for it: its chunks are kept.
    const big = randomBytes(40 * 1024 * 1024)
    await alice.engine.sendFile('lobby', fileOf(big, 'big.iso'))
    await until('bob has the second message', () => messageOf(bob, 'big.iso') !== undefined)
    const bigId = messageOf(bob, 'big.iso')!.id
    const cut = bob.engine.download(bigId).catch((err: unknown) => err as Error)
    await until('some of it came', () => bob.events.some(e => e.type === 'file:progress' && e.id === bigId && e.done > 0))
    await stopPeer(alice)
    await until('bob waits for alice', () => bob.events.some(e => e.type === 'file:progress' && e.id === bigId && e.waiting))
    const waiting = await bob.engine.fileStorage()
    expect(waiting.partial.files).toBe(1)
    expect(waiting.partial.bytes).toBeGreaterThan(0)
    expect(waiting.others.files).toBe(1) // the video
    const { freed, storage } = await bob.engine.freeFileStorage()
    expect(freed).toEqual(waiting.others)
    expect(storage.partial).toEqual(waiting.partial)
    // Cancelled, it goes: Cancel drops what a download fetched.
    bob.engine.cancelDownload(bigId)
    await cut
    expect(bob.events.some(e => e.type === 'file:failed' && e.id === bigId && e.code === 'CancelledError')).toBe(true)
    expect((await bob.engine.fileStorage()).partial).toEqual({ files: 0, bytes: 0 })
  })
})
