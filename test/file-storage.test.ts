/**
 * What a peer keeps of files in its data directory: a picture fetched only to be shown (nothing in
 * the downloads folder until it is saved), and freeing what is kept (Settings → Files, `/storage`),
 * over real engines on loopback. Freeing takes others' files this peer keeps to serve them, never
 * what it shared, what a download is using, or what was saved to the downloads folder.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../main/chat/index.js'
import { ChatDb } from '../main/store/db.js'
import { cleanup, connect, startPeer, stopPeer, tempDir, until, type TestPeer } from './helpers/peers.js'
import { filesOf, holds } from './helpers/plaintext.js'
import { png } from './helpers/png.js'
import { FileHolder } from './helpers/file-holder.js'
import { Terminal } from '../main/app/terminal.js'

afterEach(cleanup)

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

function fileOf (bytes: Buffer, name: string): string {
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, bytes)
  return path
}

async function filePeer (name: string, extra: Record<string, unknown> = {}): Promise<TestPeer & { downloads: string }> {
  const downloads = tempDir(`lanchat-dl-${name}-`)
  const p = await startPeer(name, { files: { downloadsDir: downloads, stallMs: 2_000, ...extra } })
  return Object.assign(p, { downloads })
}

const fileMessages = (p: TestPeer): Array<Extract<EngineEvent, { type: 'message' }>> =>
  p.events.filter((e): e is Extract<EngineEvent, { type: 'message' }> => e.type === 'message' && e.file !== undefined)
const messageOf = (p: TestPeer, name: string): Extract<EngineEvent, { type: 'message' }> | undefined => fileMessages(p).find(m => m.file?.name === name)

describe('a picture fetched to be shown', () => {
  it('is fetched into the data directory only, shown from there, and saved to the downloads folder on request without fetching it again', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const picture = png(300, 200)
    await alice.engine.sendFile('lobby', fileOf(picture, 'roof.png'))
    await until('bob has the message', () => messageOf(bob, 'roof.png') !== undefined)
    const id = messageOf(bob, 'roof.png')!.id
    // Not here yet: there is nothing to show.
    await expect(bob.engine.image(id)).rejects.toMatchObject({ name: 'NoFileError' })
    expect(bob.engine.startFetch(id)).toMatchObject({ id, name: 'roof.png', size: picture.byteLength })
    await until('it is in', () => bob.events.some(e => e.type === 'file:held' && e.id === id))
    expect((await bob.engine.image(id)).bytes.equals(picture)).toBe(true)
    // Seen, not saved: the downloads folder is empty, the history says held (not saved), and it counts among others' files.
    expect(readdirSync(bob.downloads)).toEqual([])
    expect(bob.engine.history('lobby').find(m => m.id === id)?.file).toMatchObject({ held: true })
    expect(bob.engine.history('lobby').find(m => m.id === id)?.file?.saved).toBeUndefined()
    expect((await bob.engine.fileStorage()).others.files).toBe(1)
    // Alice's own message is not "held" for her: it is hers.
    expect(alice.engine.history('lobby').find(m => m.file?.name === 'roof.png')?.file?.held).toBeUndefined()
    // Saved on request: a copy of what is here, nothing fetched.
    const saved = await bob.engine.download(id)
    expect(readFileSync(saved).equals(picture)).toBe(true)
    expect(bob.events.find(e => e.type === 'file:done' && e.id === id)).toMatchObject({ fetched: false })
    expect(bob.engine.history('lobby').find(m => m.id === id)?.file).toMatchObject({ saved: true, held: true })
  })

  it('a private one is fetched as ciphertext and opened in memory: its bytes reach the window, and no plaintext touches the disk', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const MARK = 'SECRET-PICTURE-MARK'
    const picture = Buffer.concat([png(200, 100), Buffer.from(MARK.repeat(50))])
    await alice.engine.sendFile('', fileOf(picture, 'scan.png'), { to: bob.engine.peerId })
    await until('bob has the message', () => fileMessages(bob).some(m => m.author === alice.engine.peerId))
    const id = fileMessages(bob).find(m => m.author === alice.engine.peerId)!.id
    bob.engine.startFetch(id)
    await until('it is in', () => bob.events.some(e => e.type === 'file:held' && e.id === id))
    expect(bob.events.find(e => e.type === 'file:held' && e.id === id)).toMatchObject({ name: 'scan.png', size: expect.any(Number) })
    const shown = await bob.engine.image(id)
    expect(shown).toMatchObject({ name: 'scan.png', mime: 'image/png' })
    expect(shown.bytes.equals(picture)).toBe(true)
    expect(readdirSync(bob.downloads)).toEqual([])
    expect(holds(filesOf(bob.dataDir), MARK)).toBe(false)
  })

  it('a fetch is cancelled like a download, and fails like one when nobody has the file', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    await alice.engine.sendFile('lobby', fileOf(randomBytes(64 * 1024 * 1024), 'huge.png'))
    await until('bob has the message', () => messageOf(bob, 'huge.png') !== undefined)
    const id = messageOf(bob, 'huge.png')!.id
    bob.engine.startFetch(id)
    await until('some of it came', () => bob.events.some(e => e.type === 'file:progress' && e.id === id && e.done > 0))
    expect(await bob.engine.cancelDownload(id)).toBe(true)
    await until('cancelled', () => bob.events.some(e => e.type === 'file:failed' && e.id === id && e.code === 'CancelledError'))
    expect((await bob.engine.fileStorage()).partial).toEqual({ files: 0, bytes: 0 })
    await stopPeer(alice)
    await until('alice gone', () => !bob.engine.peers().some(p => p.connected))
    bob.engine.startFetch(id)
    await until('failed', () => bob.events.some(e => e.type === 'file:failed' && e.id === id && e.code === 'NoHolderError'))
  })
})

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
    // Each file by its own bytes, as a person counts them: the chunk hashes kept beside it are not the file's.
    expect(before.shared).toEqual({ files: 1, bytes: notes.byteLength })
    expect(before.others).toEqual({ files: 1, bytes: slides.byteLength })
    expect(before.partial).toEqual({ files: 0, bytes: 0 })
    // Alice shared one file and holds nobody else's.
    expect(await alice.engine.fileStorage()).toMatchObject({ shared: { files: 1 }, others: { files: 0, bytes: 0 } })

    const { freed, storage } = await bob.engine.freeFileStorage()
    expect(freed).toEqual(before.others)
    expect(storage).toEqual({ shared: before.shared, others: { files: 0, bytes: 0 }, partial: { files: 0, bytes: 0 }, keepBytes: before.keepBytes, partialWaiting: { files: 0, bytes: 0 } })
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
    await bob.engine.cancelDownload(bigId)
    await cut
    expect(bob.events.some(e => e.type === 'file:failed' && e.id === bigId && e.code === 'CancelledError')).toBe(true)
    expect((await bob.engine.fileStorage()).partial).toEqual({ files: 0, bytes: 0 })
  })

  it('keeps others\' files within the limit: past it the ones fetched or shown longest ago go, never the sharer\'s own nor what was saved', async () => {
    const MiB = 1024 * 1024
    const alice = await filePeer('alice', { keepOthersBytes: 0 })
    const bob = await filePeer('bob', { keepOthersBytes: 3 * MiB })
    await connect(alice, bob)
    const bytes = [0, 1, 2, 3].map(() => randomBytes(1.2 * MiB))
    for (const [i, b] of bytes.entries()) await alice.engine.sendFile('lobby', fileOf(b, `photo-${i}.png`))
    await until('bob has the four', () => [0, 1, 2, 3].every(i => messageOf(bob, `photo-${i}.png`) !== undefined))
    const ids = [0, 1, 2, 3].map(i => messageOf(bob, `photo-${i}.png`)!.id)
    const fetch = async (id: string): Promise<void> => {
      bob.engine.startFetch(id)
      await until('it is in', () => bob.events.some(e => e.type === 'file:held' && e.id === id))
    }
    // The first is saved to the downloads folder, the next two only fetched to be shown.
    const saved = await bob.engine.download(ids[0]!)
    await fetch(ids[1]!)
    await fetch(ids[2]!)
    // 3.6 MiB of copies is over 3 MiB: the one fetched first went, and its saved copy stays.
    await until('the oldest went', () => bob.engine.history('lobby').find(m => m.id === ids[0])?.file?.held !== true)
    const kept = (): Array<[string | undefined, boolean, boolean]> => bob.engine.history('lobby').filter(m => ids.includes(m.id)).map(m => [m.file?.name, m.file?.held ?? false, m.file?.saved ?? false])
    expect(kept()).toEqual([['photo-0.png', false, true], ['photo-1.png', true, false], ['photo-2.png', true, false], ['photo-3.png', false, false]])
    expect(sha(readFileSync(saved))).toBe(sha(bytes[0]!))
    expect((await bob.engine.fileStorage()).others.files).toBe(2)
    // Photo 1 is shown again; when photo 3 comes in, photo 2, the one used longest ago, goes instead.
    await new Promise(resolve => setTimeout(resolve, 20))
    expect((await bob.engine.image(ids[1]!)).bytes.equals(bytes[1]!)).toBe(true)
    await fetch(ids[3]!)
    await until('photo 2 went', () => kept()[2]![1] === false)
    expect(kept()).toEqual([['photo-0.png', false, true], ['photo-1.png', true, false], ['photo-2.png', false, false], ['photo-3.png', true, false]])
    // Lowered to nothing, the rest go at once; Alice, whose limit is nothing, keeps every file she shared.
    bob.engine.setKeepOthersBytes(0)
    await until('none left', () => bob.engine.history('lobby').every(m => m.file?.held !== true))
    expect((await alice.engine.fileStorage()).shared.files).toBe(4)
    // A picture that went is fetched again when it is to be shown.
    bob.engine.startFetch(ids[2]!)
    await until('back', () => bob.events.filter(e => e.type === 'file:held' && e.id === ids[2]).length === 2)
    expect((await bob.engine.image(ids[2]!)).bytes.equals(bytes[2]!)).toBe(true)
  })

  it('counts partial downloads within the limit on others\' files, and says which wait for someone who has the file', async () => {
    const MiB = 1024 * 1024
    const alice = await filePeer('alice', { keepOthersBytes: 0 })
    const bob = await filePeer('bob', { keepOthersBytes: 2 * MiB })
    await connect(alice, bob)
    const bytes = [0, 1].map(() => randomBytes(0.6 * MiB))
    for (const [i, b] of bytes.entries()) await alice.engine.sendFile('lobby', fileOf(b, `photo-${i}.png`))
    await until('bob has both', () => [0, 1].every(i => messageOf(bob, `photo-${i}.png`) !== undefined))
    const ids = [0, 1].map(i => messageOf(bob, `photo-${i}.png`)!.id)
    const fetch = async (id: string): Promise<void> => {
      bob.engine.startFetch(id)
      await until('it is in', () => bob.events.some(e => e.type === 'file:held' && e.id === id))
    }
    await fetch(ids[0]!)
    // A visitor's scan: 24 chunks of 64 KiB (1.5 MiB) come, then nothing; the download stops, its part kept to go on.
    const visitor = await FileHolder.start(bob.addr(), randomBytes(4 * MiB), 64 * 1024, { stallAfter: 24 }, 'visitor')
    await visitor.announce('lobby', 'scan.pdf')
    await until('bob has the scan\'s message', () => messageOf(bob, 'scan.pdf') !== undefined)
    await expect(bob.engine.download(messageOf(bob, 'scan.pdf')!.id)).rejects.toMatchObject({ name: 'NoHolderError' })
    await visitor.stop()
    const waiting = await bob.engine.fileStorage()
    expect(waiting.keepBytes).toBe(2 * MiB)
    expect(waiting.partial.files).toBe(1)
    expect(waiting.partial.bytes).toBe(1.5 * MiB)
    expect(waiting.partialWaiting).toEqual(waiting.partial)
    // Said at the terminal too: what the part is, and what it counts against.
    expect(new Terminal(() => bob.engine.peerId).format({ type: 'storage', ...waiting })).toMatch(/1 partly downloaded, 1\.\d MiB \(1 waiting for someone who has the file: \/storage free gives it up; with the copies of others', 2\.\d MiB of the 2\.0 MiB kept\)$/m)
    // The next picture fetched: with the part, the copies are over the limit, and the one fetched longest ago goes.
    await fetch(ids[1]!)
    await until('photo 0 went', () => bob.engine.history('lobby').find(m => m.id === ids[0])?.file?.held !== true)
    const after = await bob.engine.fileStorage()
    // What is left: the picture just fetched, and the part of the download that waits (Free space, or Cancel, gives it up).
    expect(after.others).toEqual({ files: 1, bytes: expect.any(Number) })
    expect(bob.engine.history('lobby').find(m => m.id === ids[1])?.file?.held).toBe(true)
    expect(after.partial).toEqual(waiting.partial)
  })

  it('a data directory from before the files index: what it shared stays its own, and a deleted message\'s file goes only when no other message shares it', async () => {
    const bob = await filePeer('bob')
    const notes = randomBytes(200_000)
    const photo = randomBytes(100_000)
    const first = await bob.engine.sendFile('lobby', fileOf(notes, 'notes.txt'))
    await bob.engine.sendFile('lobby', fileOf(notes, 'notes again.txt'))
    const single = await bob.engine.sendFile('lobby', fileOf(photo, 'photo.png'))
    expect((await bob.engine.fileStorage()).shared.files).toBe(2)
    // Made as LAN Chat before the index left it: schema 4, the index empty.
    await stopPeer(bob)
    const { db } = ChatDb.open(bob.dataDir)
    db.sql('DELETE FROM files').run()
    db.sql("DELETE FROM meta WHERE scope = 'files'").run()
    db.sql('PRAGMA user_version = 4').run()
    db.close()

    const again = await startPeer('bob', { dataDir: bob.dataDir, files: { downloadsDir: bob.downloads } })
    // Its own two files are still what it shared: Free space takes neither.
    expect((await again.engine.freeFileStorage()).freed).toEqual({ files: 0, bytes: 0 })
    expect((await again.engine.fileStorage()).shared.files).toBe(2)
    // One of the two messages with the notes deleted: the other still shares them. The photo's only one: it goes.
    await again.engine.delete('lobby', first.id)
    await again.engine.delete('lobby', single.id)
    await expect.poll(async () => (await again.engine.fileStorage()).shared.files).toBe(1)
    expect(again.engine.history('lobby').find(m => m.file?.name === 'notes again.txt')?.file).toBeDefined()
    // A file shared since is found by the index, and goes with its message.
    const later = await again.engine.sendFile('lobby', fileOf(randomBytes(50_000), 'later.bin'))
    expect((await again.engine.fileStorage()).shared.files).toBe(2)
    await again.engine.delete('lobby', later.id)
    await expect.poll(async () => (await again.engine.fileStorage()).shared.files).toBe(1)
    expect((await again.engine.freeFileStorage()).freed).toEqual({ files: 0, bytes: 0 })
  })
})
