/**
 * Files in direct messages and invite-only rooms, end to end encrypted
 * (issue 17), over real engines on loopback: the recipient gets the same
 * bytes under the real name; relays and the hub hold and serve only
 * ciphertext, and neither their disks nor what they saw on the wire hold
 * the file's bytes or its name.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent, MessageView } from '../main/chat/index.js'
import { encryptFile, newFileSecret, TAG_BYTES } from '../main/chat/file-crypt.js'
import { associatedData, dmRoom, Keyring, seal } from '../main/chat/private.js'
import { encodeSealedFile } from '../main/chat/sealed-file.js'
import { encodeHubFrame, type HubFrame } from '../main/net/hub-codec.js'
import { cleanupHubs, startClient, startHub, stopClient } from './helpers/hub.js'
import { FileHolder } from './helpers/file-holder.js'
import { png } from './helpers/png.js'
import { capture, filesOf, holds } from './helpers/plaintext.js'
import { cleanup, startPeer, stopPeer, tempDir, until, type TestPeer, lineUp } from './helpers/peers.js'

afterEach(async () => {
  await cleanupHubs()
  await cleanup()
})

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const MARK = 'PINEAPPLE-PLAINTEXT-MARK'
const NAME = 'tax-return-2026.pdf'

/** A file whose plaintext is easy to find: the mark, repeated between random bytes. */
function secretBytes (size: number): Buffer {
  const b = randomBytes(size)
  for (let at = 0; at + MARK.length < size; at += 4096) b.write(MARK, at)
  return b
}

function fileOf (bytes: Buffer, name = NAME): string {
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, bytes)
  return path
}

async function filePeer (name: string, extra: Record<string, unknown> = {}): Promise<TestPeer & { downloads: string }> {
  const downloads = tempDir(`lanchat-dl-${name}-`)
  const p = await startPeer(name, { files: { downloadsDir: downloads, stallMs: 10_000, ...extra } })
  return Object.assign(p, { downloads })
}

const fileMessage = (events: EngineEvent[], self: string): MessageView | undefined =>
  events.find((e): e is Extract<EngineEvent, { type: 'message' }> => e.type === 'message' && e.file !== undefined && e.author !== self)

/** Nothing of the file in these bytes: not its plaintext, not its real name. */
function expectNothingOf (bytes: Buffer, what: string): void {
  expect(holds(bytes, MARK), `${what}: the file's bytes`).toBe(false)
  expect(holds(bytes, NAME), `${what}: the file's name`).toBe(false)
  expect(holds(bytes, 'tax-return'), `${what}: the file's name`).toBe(false)
}

describe('files in direct messages over the mesh', () => {
  it('A sends C a file through B (A–B–C): C sees the real name, size and type and gets the same bytes; B holds and serves only ciphertext', async () => {
    const a = await filePeer('ann')
    const b = await filePeer('ben')
    const c = await filePeer('cat')
    const bFrames = capture(b)
    await lineUp(a, b, c)

    const bytes = secretBytes(700_000)
    const room = dmRoom(a.engine.peerId, c.engine.peerId)
    const sent = await a.engine.sendFile('', fileOf(bytes), { to: c.engine.peerId, text: 'my return, privately' })
    expect(sent).toMatchObject({ room, private: true, text: 'my return, privately', file: { name: NAME, size: bytes.byteLength, mime: 'application/pdf' } })
    expect(sent).not.toHaveProperty('sealed')

    await until('c has the file message', () => fileMessage(c.events, c.engine.peerId) !== undefined)
    const msg = fileMessage(c.events, c.engine.peerId)!
    expect(msg).toMatchObject({ id: sent.id, room, private: true, text: 'my return, privately', file: { name: NAME, size: bytes.byteLength, mime: 'application/pdf' } })
    expect(c.engine.history(room)[0]?.file).toMatchObject({ name: NAME, size: bytes.byteLength })
    // The public manifest is the ciphertext's: B (no key) sees no message, and cannot download it as a file...
    expect(b.events.some(e => e.type === 'message' && e.file !== undefined)).toBe(false)
    await expect(b.engine.download(sent.id)).rejects.toMatchObject({ name: 'NoFileError' })
    // ...but holds its ciphertext, to serve C (who is not linked to A).
    await b.engine.hold(sent.id)
    expect(b.engine.hasFile(msg.file!.sha256)).toBe(true)
    expect(msg.file!.sha256).not.toBe(sha(bytes))

    const path = await c.engine.download(msg.id)
    expect(basename(path)).toBe(NAME)
    expect(readFileSync(path).equals(bytes)).toBe(true)
    expect(readdirSync(c.downloads)).toEqual([NAME])
    // Its real size throughout, as the card and the download's answer say it, not the ciphertext's: no "23 bytes of 7 bytes".
    expect(c.events.find(e => e.type === 'file:done')).toMatchObject({ name: NAME, path, fetched: true, size: bytes.byteLength })
    const progress = c.events.filter(e => e.type === 'file:progress')
    expect(progress.every(e => e.size === bytes.byteLength && e.done <= bytes.byteLength)).toBe(true)
    expect(progress.at(-1)).toMatchObject({ done: bytes.byteLength })

    // Whatever B saw and kept: ciphertext, and nothing of the name.
    await stopPeer(b)
    expectNothingOf(filesOf(b.dataDir), 'B disk')
    expect(holds(Buffer.concat(bFrames), 'encrypted file'), 'the file message went through B').toBe(true)
    expectNothingOf(Buffer.concat(bFrames), 'B frames')
    expect(readdirSync(b.downloads)).toEqual([])
    // The sender's store holds only the ciphertext too (the original stays where it was).
    expect(holds(filesOf(join(a.dataDir, 'files')), MARK)).toBe(false)
  })

  it('a DM room of ours names the recipient; an image keeps its thumbnail sealed; a file of 0 bytes works', async () => {
    const a = await filePeer('ann')
    const c = await filePeer('cat')
    await c.engine.dial(a.addr())
    await until('linked', () => a.engine.peers().some(p => p.connected))
    const dm = a.engine.openDm(c.engine.peerId)
    // A real picture (the engine reads its header) with the mark after its end, where a decoder never looks.
    const thumb = Buffer.concat([png(120, 90), Buffer.from(MARK), randomBytes(1000)])
    const sent = await a.engine.sendFile(dm.room, fileOf(secretBytes(50_000), 'beach.png'), { thumbnail: thumb, thumbnailMime: 'image/png' })
    expect(sent.file).toMatchObject({ name: 'beach.png', mime: 'image/png', thumbnail: `data:image/png;base64,${thumb.toString('base64')}` })
    await until('c has it', () => fileMessage(c.events, c.engine.peerId) !== undefined)
    expect(fileMessage(c.events, c.engine.peerId)!.file).toMatchObject({ name: 'beach.png', thumbnail: `data:image/png;base64,${thumb.toString('base64')}` })
    expect(fileMessage(c.events, c.engine.peerId)!.text).toBe('📎 beach.png')

    const empty = await a.engine.sendFile(dm.room, fileOf(Buffer.alloc(0), 'empty.txt'))
    await until('c has the empty one', () => c.engine.history(dm.room).length === 2)
    const path = await c.engine.download(empty.id)
    expect(readFileSync(path).byteLength).toBe(0)
  })

  it('a hostile holder serving altered ciphertext is dropped by the chunk hashes; the file still arrives whole from an honest one', async () => {
    const a = await filePeer('ann')
    const c = await filePeer('cat')
    const bytes = secretBytes(1_200_000)
    const sent = await a.engine.sendFile('', fileOf(bytes), { to: c.engine.peerId })
    // Mallory has the real ciphertext (it is public) and serves every chunk altered.
    const stored = storedFile(a)
    expect(stored.sha256).toBe(sent.file!.sha256)
    const mallory = await FileHolder.start(c.addr(), stored.bytes, stored.chunkSize, { corrupt: () => true }, 'mallory')
    await c.engine.dial(a.addr())
    await until('c has the message', () => fileMessage(c.events, c.engine.peerId) !== undefined)
    await a.engine.cut(c.engine.peerId)
    await until('only mallory is linked', () => c.engine.peers().filter(p => p.connected).map(p => p.peerId).join() === mallory.peerId)

    const download = c.engine.download(sent.id)
    await until('mallory dropped', () => c.events.some(e => e.type === 'file:progress' && e.dropped.includes(mallory.peerId)))
    a.engine.heal()
    await c.engine.dial(a.addr())
    const path = await download
    expect(readFileSync(path).equals(bytes)).toBe(true)
    await mallory.stop()
  })

  it('a file whose sealed key is wrong fails to authenticate (FileDecryptError) and leaves nothing in the downloads folder', async () => {
    const c = await filePeer('cat')
    const dir = tempDir('lanchat-src-')
    const plain = secretBytes(100_000)
    writeFileSync(join(dir, 'plain'), plain)
    const right = newFileSecret()
    await encryptFile(join(dir, 'plain'), join(dir, 'cipher'), right, 16 * 1024)
    const cipher = readFileSync(join(dir, 'cipher'))
    const holder = await FileHolder.start(c.addr(), cipher, 16 * 1024, {}, 'mallory')
    // A correctly signed and sealed DM from the holder, whose description carries another key.
    const to = c.engine.peerId
    const room = dmRoom(holder.peerId, to)
    const described = encodeSealedFile({ text: 'here', name: 'x.bin', mime: 'application/octet-stream', size: plain.byteLength, ...newFileSecret() })
    const key = new Keyring(holder.peerId, holder.attacker.key).dmKey(to)
    const m = await holder.attacker.message('', { room, to, sealed: seal(key, described, associatedData({ room, author: holder.peerId, to })), file: holder.manifest })
    await holder.attacker.send(m)
    await until('c shows it', () => c.engine.history(room).length === 1)
    expect(c.engine.history(room)[0]!.file).toMatchObject({ name: 'x.bin' })
    await expect(c.engine.download(m.id)).rejects.toMatchObject({ name: 'FileDecryptError' })
    expect(c.events.find(e => e.type === 'file:failed')).toMatchObject({ code: 'FileDecryptError' })
    expect(readdirSync(c.downloads)).toEqual([])
    await holder.stop()
  })
  it('a private download stopped mid-transfer resumes by itself after a restart and still decrypts', async () => {
    const c = await filePeer('cat')
    const dir = tempDir('lanchat-src-')
    const plain = secretBytes(1_500_000)
    writeFileSync(join(dir, 'plain'), plain)
    const secret = newFileSecret()
    await encryptFile(join(dir, 'plain'), join(dir, 'cipher'), secret, 64 * 1024)
    const cipher = readFileSync(join(dir, 'cipher'))
    const slow = await FileHolder.start(c.addr(), cipher, 64 * 1024, { delayMs: 15 }, 'dave')
    const to = c.engine.peerId
    const room = dmRoom(slow.peerId, to)
    const described = encodeSealedFile({ text: 'the scan', name: NAME, mime: 'application/pdf', size: plain.byteLength, ...secret })
    const key = new Keyring(slow.peerId, slow.attacker.key).dmKey(to)
    const m = await slow.attacker.message('', { room, to, sealed: seal(key, described, associatedData({ room, author: slow.peerId, to })), file: slow.manifest })
    await slow.attacker.send(m)
    await until('c shows it', () => c.engine.history(room).length === 1)
    void c.engine.download(m.id).catch(() => {})
    await until('some chunks arrived', () => c.events.some(e => e.type === 'file:progress' && e.done >= 5 * 64 * 1024))
    await stopPeer(c)
    await slow.stop()
    const again = await startPeer('cat', { dataDir: c.dataDir, files: { downloadsDir: c.downloads, stallMs: 10_000 } })
    const holder = await FileHolder.start(again.addr(), cipher, 64 * 1024)
    await until('the download finished', () => again.events.some(e => e.type === 'file:done'), 20_000)
    const done = again.events.find((e): e is Extract<EngineEvent, { type: 'file:done' }> => e.type === 'file:done')!
    expect(basename(done.path)).toBe(NAME)
    expect(readFileSync(done.path).equals(plain)).toBe(true)
    expect(again.events.find(e => e.type === 'file:progress')).toMatchObject({ resumedFrom: expect.any(Number) })
    expect((again.events.find(e => e.type === 'file:progress') as { resumedFrom: number }).resumedFrom).toBeGreaterThan(0)
    await holder.stop()
  })

  it('a private download left waiting is told in the real file\'s bytes: what of it is here, and its size when cancelled or freed', async () => {
    const c = await filePeer('cat', { stallMs: 2_000 })
    const dir = tempDir('lanchat-src-')
    const plain = secretBytes(600_000)
    writeFileSync(join(dir, 'plain'), plain)
    const secret = newFileSecret()
    const CHUNK = 64 * 1024
    await encryptFile(join(dir, 'plain'), join(dir, 'cipher'), secret, CHUNK)
    // The sender sends five chunks and leaves for good: two messages share the scan (the same bytes).
    const gone = await FileHolder.start(c.addr(), readFileSync(join(dir, 'cipher')), CHUNK, { stallAfter: 5 }, 'dave')
    const to = c.engine.peerId
    const room = dmRoom(gone.peerId, to)
    const key = new Keyring(gone.peerId, gone.attacker.key).dmKey(to)
    const ids: string[] = []
    for (const text of ['the scan', 'the scan again']) {
      const described = encodeSealedFile({ text, name: NAME, mime: 'application/pdf', size: plain.byteLength, ...secret })
      const m = await gone.attacker.message('', { room, to, sealed: seal(key, described, associatedData({ room, author: gone.peerId, to })), file: gone.manifest })
      await gone.attacker.send(m)
      ids.push(m.id)
    }
    await until('c shows both', () => c.engine.history(room).length === 2)
    for (const id of ids) await expect(c.engine.download(id)).rejects.toMatchObject({ name: 'NoHolderError' })
    await gone.stop()
    // A window opened now reads "X of Y here" in the file's bytes, not its ciphertext's (five sealed chunks, less their tags).
    const here = 5 * (CHUNK - TAG_BYTES)
    expect(c.engine.history(room).map(v => [v.file?.size, v.file?.waiting?.done])).toEqual([[plain.byteLength, here], [plain.byteLength, here]])
    // Cancel gives one up, Free space the other: each told by the file's real name and size.
    expect(await c.engine.cancelDownload(ids[0]!)).toBe(true)
    await c.engine.freeFileStorage()
    const failed = c.events.filter((e): e is Extract<EngineEvent, { type: 'file:failed' }> => e.type === 'file:failed' && e.code === 'CancelledError')
    expect(failed.map(e => [e.id, e.name, e.size])).toEqual([[ids[0], NAME, plain.byteLength], [ids[1], NAME, plain.byteLength]])
  })
})

describe('files in invite-only rooms', () => {
  it('a member downloads the file; a relay that is not a member cannot read its name and holds only ciphertext', async () => {
    const a = await filePeer('ann')
    const b = await filePeer('ben')
    const c = await filePeer('cat')
    const bFrames = capture(b)
    await lineUp(a, b, c)
    const { room } = await a.engine.createPrivateRoom('Accounts')
    await c.engine.joinInvite(a.engine.invite(room))
    const bytes = secretBytes(300_000)
    const sent = await a.engine.sendFile(room, fileOf(bytes))
    expect(sent.file).toMatchObject({ name: NAME, size: bytes.byteLength })
    await until('c has it', () => c.engine.history(room).some(m => m.file !== undefined))
    expect(c.engine.history(room).find(m => m.file !== undefined)!.file).toMatchObject({ name: NAME, size: bytes.byteLength, mime: 'application/pdf' })
    await b.engine.hold(sent.id)
    await a.engine.cut('*')
    const path = await c.engine.download(sent.id)
    expect(basename(path)).toBe(NAME)
    expect(readFileSync(path).equals(bytes)).toBe(true)
    // B, not a member: nothing shown, no name, no bytes.
    expect(b.events.some(e => e.type === 'message' && e.file !== undefined)).toBe(false)
    await expect(b.engine.download(sent.id)).rejects.toMatchObject({ name: 'NoFileError' })
    await stopPeer(b)
    expectNothingOf(filesOf(b.dataDir), 'B disk')
    expect(holds(Buffer.concat(bFrames), 'encrypted file'), 'the file message went through B').toBe(true)
    expectNothingOf(Buffer.concat(bFrames), 'B frames')
  })
})

describe('files in direct messages through a hub', () => {
  it('the hub stores and serves the ciphertext; the recipient gets the same bytes; the hub and other clients hold nothing of the file', async () => {
    const h = await startHub()
    const downloads = tempDir('lanchat-dl-cat-')
    const a = await startClient('ann', h.addr())
    const b = await startClient('ben', h.addr())
    const c = await startClient('cat', h.addr(), { files: { downloadsDir: downloads, stallMs: 10_000 } })
    await until('all connected', () => [a, b, c].every(x => x.engine.connected))
    // Every frame the hub sent the recipient and the third client: the message as the hub holds it.
    const hubFrames: Buffer[] = []
    for (const x of [b, c]) {
      (x.engine.ordering!.transport as unknown as EventTarget).addEventListener('frame', (e) => {
        hubFrames.push(Buffer.from(encodeHubFrame((e as CustomEvent<{ frame: HubFrame }>).detail.frame)))
      })
    }
    const bytes = secretBytes(900_000)
    const sent = await a.engine.sendFile('', fileOf(bytes), { to: c.engine.peerId })
    await until('the hub has the ciphertext', () => h.hub.hasFile(sent.file!.sha256))
    await stopClient(a)
    await until('c has the message', () => c.engine.history(sent.room).length === 1)
    expect(c.engine.history(sent.room)[0]).toMatchObject({ text: `📎 ${NAME}`, file: { name: NAME, size: bytes.byteLength } })
    const path = await c.engine.download(sent.id)
    expect(readFileSync(path).equals(bytes)).toBe(true)
    expect(basename(path)).toBe(NAME)
    expect(b.engine.history(sent.room)).toEqual([])
    await h.hub.stop()
    expectNothingOf(filesOf(h.dataDir), 'hub disk')
    expectNothingOf(filesOf(b.dataDir), 'B disk')
    // The file's message did pass through them: its public manifest is there.
    expect(holds(Buffer.concat(hubFrames), 'encrypted file')).toBe(true)
    expectNothingOf(Buffer.concat(hubFrames), 'frames from the hub')
  })

  it('a direct file its sender deletes leaves the hub\'s store and the recipient\'s; the saved copy stays', async () => {
    const h = await startHub()
    const a = await startClient('ann', h.addr())
    const c = await startClient('cat', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-cat-') } })
    await until('both connected', () => [a, c].every(x => x.engine.connected))
    const bytes = secretBytes(300_000)
    const sent = await a.engine.sendFile('', fileOf(bytes), { to: c.engine.peerId })
    const cipher = sent.file!.sha256
    await until('the hub has the ciphertext', () => h.hub.hasFile(cipher))
    await until('c has the message', () => c.engine.history(sent.room).length === 1)
    const path = await c.engine.download(sent.id)
    expect(c.engine.hasFile(cipher)).toBe(true)
    await a.engine.delete(sent.room, sent.id)
    const left = (dir: string): string[] => readdirSync(join(dir, 'files')).filter(f => f.startsWith(cipher))
    await until('the hub, ann and cat keep nothing of it', () => [h.dataDir, a.dataDir, c.dataDir].every(d => left(d).length === 0))
    expect(c.engine.history(sent.room)[0]).toMatchObject({ id: sent.id, deleted: true })
    expect(readFileSync(path).equals(bytes)).toBe(true)
  })
})

/** Where a sender keeps the one file it shared: its (ciphertext) address and chunk size, as the store has them. */
function storedFile (p: TestPeer): { sha256: string, chunkSize: number, bytes: Buffer } {
  const dir = join(p.dataDir, 'files')
  const sha256 = readdirSync(dir).find(n => /^[0-9a-f]{64}$/.test(n))!
  return { sha256, chunkSize: readFileSync(join(dir, `${sha256}.hashes`)).readUInt32LE(0), bytes: readFileSync(join(dir, sha256)) }
}
