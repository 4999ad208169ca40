import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent, FileView } from '../main/chat/index.js'
import { cleanup, connect, startPeer, stopPeer, tempDir, until, type TestPeer } from './helpers/peers.js'
import { FileHolder, type HolderBehaviour } from './helpers/file-holder.js'
import { Attacker } from './helpers/attacker.js'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { FileRequest, FileResponse } from '../main/net/pb/file.js'
import { FILE_PROTOCOL, FILE_PROTOCOL_WHOLE } from '../main/net/constants.js'
import { chunkResponse } from '../main/net/file-protocol.js'
import { chunkSizeFor, VIEWABLE_IMAGE } from '../main/core/file.js'
import { fileKind } from '../main/core/file-kind.js'
import { Terminal } from '../main/app/terminal.js'
import { latitudeBytes, MAKER_SERIAL, orientationOf, phoneJpeg, SERIAL } from './helpers/jpeg-exif.js'
import { app13, IPTC_KEPT, IPTC_SECRETS, JPEG_COMMENT, jpegSegment, phoneHeic, photoshopBlocks, withSegments, XMP_SECRETS } from './helpers/photo-containers.js'
import { png } from './helpers/png.js'
import { bombPng } from './helpers/pictures.js'
import { DNG_SERIAL, numberOf, olympusOrf, panasonicRw2, phoneDng, photoTiff, tiffDirectories } from './helpers/tiff-file.js'

afterEach(cleanup)

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** This process's open descriptors on `path` (Linux's /proc: a deleted file's link reads "PATH (deleted)"; elsewhere none are seen). */
function openOn (path: string): string[] {
  if (!existsSync('/proc/self/fd')) return []
  return readdirSync('/proc/self/fd').flatMap(fd => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`)
      return target === path || target === `${path} (deleted)` ? [target] : []
    } catch {
      return [] // closed while listed
    }
  })
}

function fileOf (bytes: Buffer, name = 'data.bin'): string {
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, bytes)
  return path
}

async function filePeer (name: string, extra: Record<string, unknown> = {}): Promise<TestPeer & { downloads: string }> {
  const downloads = tempDir(`lanchat-dl-${name}-`)
  const p = await startPeer(name, { files: { downloadsDir: downloads, stallMs: 3_000, ...extra } })
  return Object.assign(p, { downloads })
}

const fileMessage = (p: TestPeer): Extract<EngineEvent, { type: 'message' }> | undefined =>
  p.events.find((e): e is Extract<EngineEvent, { type: 'message' }> => e.type === 'message' && e.file !== undefined && e.author !== p.engine.peerId)
const progressOf = (p: TestPeer): Array<Extract<EngineEvent, { type: 'file:progress' }>> =>
  p.events.filter((e): e is Extract<EngineEvent, { type: 'file:progress' }> => e.type === 'file:progress')

/**
 * A peer downloads `content` from one holder on a stock libp2p node that behaves as `how`, and
 * gets the same bytes; the holder, still running, says what it was asked for.
 */
async function fromOneHolder (content: Buffer, chunkSize: number, how: HolderBehaviour, name: string, extra: Record<string, unknown> = {}): Promise<FileHolder> {
  const carol = await filePeer('carol', extra)
  const holder = await FileHolder.start(carol.addr(), content, chunkSize, how, name)
  await holder.announce()
  await until('carol has the file message', () => fileMessage(carol) !== undefined)
  const path = await carol.engine.download(fileMessage(carol)!.id)
  expect(sha(readFileSync(path))).toBe(sha(content))
  return holder
}

/**
 * Alice shares a 300 kB file; a stock libp2p peer opens her file protocol at `protocol` and speaks
 * it by hand. `file`: the file's SHA-256 as requests carry it; `chunkSize`: what the sender picks
 * for a file this size (the message shows only what a user sees of it).
 */
async function rawFileStream (protocol: string): Promise<{ bytes: Buffer, file: Buffer<ArrayBuffer>, chunkSize: number, peer: Attacker, protocol: string, lp: ReturnType<typeof lpStream> }> {
  const alice = await filePeer('alice')
  const bytes = randomBytes(300_000)
  const sent = await alice.engine.sendFile('lobby', fileOf(bytes))
  const peer = await Attacker.connect(alice.addr())
  const stream = await peer.node.dialProtocol(multiaddr(alice.addr()), protocol)
  const lp = lpStream(stream, { maxDataLength: 4 * 1024 * 1024 })
  return { bytes, file: Buffer.from(sent.file!.sha256, 'hex'), chunkSize: chunkSizeFor(bytes.byteLength), peer, protocol: stream.protocol, lp }
}

describe('files between real peers on loopback', () => {
  it('sends a file: the other peer sees name, size and type, downloads it and gets the same bytes', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const bytes = randomBytes(5 * 1024 * 1024 + 123)
    const sent = await alice.engine.sendFile('lobby', fileOf(bytes, 'report.pdf'))
    expect(sent.file).toMatchObject({ name: 'report.pdf', size: bytes.byteLength, mime: 'application/pdf', sha256: sha(bytes) })
    await until('bob has the file message', () => fileMessage(bob) !== undefined)
    const msg = fileMessage(bob)!
    expect(msg.text).toContain('report.pdf')
    const path = await bob.engine.download(msg.id)
    expect(dirname(path)).toBe(bob.downloads)
    expect(basename(path)).toBe('report.pdf')
    expect(sha(readFileSync(path))).toBe(sha(bytes))
    const progress = progressOf(bob)
    expect(progress.at(-1)).toMatchObject({ done: bytes.byteLength, size: bytes.byteLength })
    expect(bob.events.some(e => e.type === 'file:done' && e.path === path && e.fetched)).toBe(true)
    // Now bob holds it too, and asking again fetches nothing.
    expect(bob.engine.hasFile(sha(bytes))).toBe(true)
    expect(await bob.engine.download(msg.id)).toBe(path)
    expect(readdirSync(bob.downloads)).toEqual(['report.pdf'])
  })

  it('a phone photo goes out without where it was taken or the camera\'s serial, upright as it was; the original on disk is untouched; in a DM too; an iPhone\'s HEIC too; an edited JPEG\'s IPTC place and by-line and its comment too', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const photo = phoneJpeg('II', 6)
    const original = fileOf(photo, 'IMG_2041.jpg')
    const got: Buffer[] = []
    for (const to of [undefined, bob.engine.peerId]) {
      const sent = await alice.engine.sendFile(to === undefined ? 'lobby' : '', original, to === undefined ? {} : { to })
      await until('bob has it', () => bob.events.some(e => e.type === 'message' && e.id === sent.id))
      got.push(readFileSync(await bob.engine.download(sent.id)))
    }
    for (const bytes of got) {
      expect(bytes.length).toBe(photo.length)
      expect(bytes.includes(latitudeBytes('II'))).toBe(false)
      expect(bytes.includes(Buffer.from(SERIAL))).toBe(false)
      expect(bytes.includes(Buffer.from(MAKER_SERIAL))).toBe(false) // the maker note's
      expect(orientationOf(bytes)).toBe(6)
    }
    expect(readFileSync(original)).toEqual(photo)
    // An iPhone's HEIC: its Exif and XMP items lose the same.
    const heic = phoneHeic()
    const sent = await alice.engine.sendFile('lobby', fileOf(heic, 'IMG_2042.HEIC'))
    await until('bob has the HEIC', () => bob.events.some(e => e.type === 'message' && e.id === sent.id))
    const bytes = readFileSync(await bob.engine.download(sent.id))
    expect(bytes.length).toBe(heic.length)
    expect(bytes.includes(latitudeBytes('MM'))).toBe(false)
    for (const secret of [SERIAL, MAKER_SERIAL, ...XMP_SECRETS]) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false)
    // An edited JPEG: its IPTC (the place, the photographer) and its comment go blank, its caption stays.
    const edited = withSegments(phoneJpeg('MM', 3), jpegSegment(0xfe, Buffer.from(JPEG_COMMENT, 'latin1')), ...app13(photoshopBlocks()))
    const sentEdited = await alice.engine.sendFile('lobby', fileOf(edited, 'DSC_0042.jpg'))
    await until('bob has the edited JPEG', () => bob.events.some(e => e.type === 'message' && e.id === sentEdited.id))
    const editedBytes = readFileSync(await bob.engine.download(sentEdited.id))
    expect(editedBytes.length).toBe(edited.length)
    for (const secret of [...Object.values(IPTC_SECRETS), JPEG_COMMENT]) expect(editedBytes.includes(Buffer.from(secret, 'latin1')), secret).toBe(false)
    expect(editedBytes.includes(Buffer.from(IPTC_KEPT['2:120'], 'latin1'))).toBe(true)
    expect(orientationOf(editedBytes)).toBe(3)
  })

  it('a TIFF, a phone\'s raw DNG, an Olympus ORF and a Panasonic RW2 go out without their GPS block, serials, artist and XMP location; their pixels, orientation and size as they were; the originals untouched; each named as the photo it is', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    // The DNG twice: typed by its name (the terminal, a script), and with the type a Linux desktop gives it.
    const cases = [
      ['scan.tif', photoTiff('MM'), 'MM', undefined, 'image/tiff'], ['PXL_20260504.dng', phoneDng('II'), 'II', undefined, 'image/x-adobe-dng'],
      ['PXL_20260505.dng', phoneDng('MM'), 'MM', 'image/x-adobe-dng', 'image/x-adobe-dng'],
      ['P1010042.ORF', olympusOrf('MMOR'), 'MM', undefined, 'image/x-olympus-orf'], ['P1010043.RW2', panasonicRw2(), 'II', 'image/x-panasonic-rw2', 'image/x-panasonic-rw2']
    ] as const
    const labels: Record<string, string> = { 'image/tiff': 'TIFF image', 'image/x-adobe-dng': 'DNG raw photo', 'image/x-olympus-orf': 'ORF raw photo', 'image/x-panasonic-rw2': 'RW2 raw photo' }
    for (const [name, file, order, claimed, mime] of cases) {
      const original = fileOf(file, name)
      const sent = await alice.engine.sendFile('lobby', original, claimed !== undefined ? { mime: claimed } : {})
      await until(`bob has ${name}`, () => bob.events.some(e => e.type === 'message' && e.id === sent.id))
      // A photo, though not one the window draws: a file card with Save and Open, never fetched to be shown.
      const shown = bob.events.find((e): e is Extract<EngineEvent, { type: 'message' }> => e.type === 'message' && e.id === sent.id)!
      expect(shown.file?.mime, name).toBe(mime)
      expect(VIEWABLE_IMAGE.test(shown.file!.mime), name).toBe(false)
      expect(fileKind(shown.file!.mime, name), name).toEqual({ kind: 'image', label: labels[mime] })
      const bytes = readFileSync(await bob.engine.download(sent.id))
      expect(bytes.length, name).toBe(file.length)
      for (const secret of [SERIAL, MAKER_SERIAL, DNG_SERIAL, 'Ann Artist Photo', ...XMP_SECRETS]) expect(bytes.includes(Buffer.from(secret)), `${name}: ${secret}`).toBe(false)
      expect(bytes.includes(latitudeBytes(order)), name).toBe(false)
      expect(bytes.includes(latitudeBytes('MM')), `${name}: a preview's own EXIF block`).toBe(false)
      const image = (f: Buffer): Array<number | undefined> => {
        const ifd0 = tiffDirectories(f)[0]!
        return [0x0112, 0x0100, 0x0111, 0x0117].map(tag => numberOf(f, ifd0.values.get(tag)))
      }
      expect(image(bytes), name).toEqual(image(file))
      const [, , strip = 0, length = 0] = image(file)
      expect(length, name).toBeGreaterThan(0)
      expect(bytes.subarray(strip, strip + length).equals(file.subarray(strip, strip + length)), name).toBe(true)
      expect(readFileSync(original).equals(file), name).toBe(true)
    }
  })

  it('a name that hides its real extension behind a right-to-left override ("invoice\\u202Efdp.exe" reads "invoiceexe.pdf") is shown and saved as it is, in public and in a DM; other scripts stay', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const rlo = 'invoice\u202Efdp.exe'
    await alice.engine.sendFile('lobby', fileOf(Buffer.from('MZ'), rlo))
    await alice.engine.sendFile('lobby', fileOf(Buffer.from('hello'), 'Отчёт 資料 تقرير.txt'))
    await alice.engine.sendFile('', fileOf(Buffer.from('MZ2'), rlo), { to: bob.engine.peerId })
    const files = (): Array<Extract<EngineEvent, { type: 'message' }>> => bob.events.filter((e): e is Extract<EngineEvent, { type: 'message' }> => e.type === 'message' && e.file !== undefined)
    await until('bob has the three files', () => files().length === 3)
    const [exe, other, dm] = files()
    const saved: string[] = []
    for (const m of [exe!, dm!]) {
      expect(m.file!.name).toBe('invoicefdp.exe')
      expect(m.text).toBe('📎 invoicefdp.exe')
      // As the terminal prints it, too.
      expect(new Terminal(() => bob.engine.peerId).format(m)).toMatch(/alice: 📎 invoicefdp\.exe \[\d bytes, /)
      saved.push(basename(await bob.engine.download(m.id)))
    }
    expect(saved).toEqual(['invoicefdp.exe', 'invoicefdp (1).exe'])
    expect(dm!.private).toBe(true)
    expect(other!.file!.name).toBe('Отчёт 資料 تقرير.txt')
    expect(basename(await bob.engine.download(other!.id))).toBe('Отчёт 資料 تقرير.txt')
  })

  it('files shared one after the other go out in that order, whichever is hashed first; one that fails holds up none', async () => {
    const alice = await startPeer('alice')
    const room = (await alice.engine.createPrivateRoom('pictures')).room
    for (const where of ['lobby', room]) {
      // A large file first, then a missing one (refused), then a tiny one, asked for at once: the tiny one is hashed long before.
      const big = alice.engine.sendFile(where, fileOf(randomBytes(24 * 1024 * 1024), 'big.bin'))
      const gone = alice.engine.sendFile(where, join(tempDir('lanchat-src-'), 'gone.png'))
      const small = alice.engine.sendFile(where, fileOf(randomBytes(10), 'small.png'))
      await expect(gone).rejects.toThrow()
      expect((await big).lamport).toBeLessThan((await small).lamport)
      expect(alice.engine.history(where).map(m => m.file?.name)).toEqual(['big.bin', 'small.png'])
    }
  })

  it('a file in a private conversation goes out encrypted: the signed manifest names only an encrypted file of the ciphertext\'s size', async () => {
    const alice = await startPeer('alice')
    const room = (await alice.engine.createPrivateRoom('secrets')).room
    const bytes = randomBytes(1000)
    const sent = await alice.engine.sendFile(room, fileOf(bytes, 'secret.pdf'))
    expect(sent).toMatchObject({ private: true, file: { name: 'secret.pdf', size: 1000, mime: 'application/pdf' } })
    // What the ordering holds and sends, before this peer opens it.
    const stored = alice.engine.ordering!.history(room).find(m => m.id === sent.id)!
    expect(stored.text).toBe('')
    expect(stored.sealed).toBeDefined()
    expect(stored.file).toEqual({ name: 'encrypted file', mime: 'application/octet-stream', size: 1016, sha256: expect.not.stringMatching(sha(bytes)) })
  })

  it('a path with no file, or a folder, is refused in words, in a public room and an invite-only one alike; nothing is sent', async () => {
    const alice = await startPeer('alice')
    const room = (await alice.engine.createPrivateRoom('secrets')).room
    const missing = join(tempDir('lanchat-src-'), 'nope.pdf')
    for (const where of ['lobby', room]) {
      await expect(alice.engine.sendFile(where, missing)).rejects.toMatchObject({ name: 'NoFileError', message: `there is no file at ${missing}` })
      await expect(alice.engine.sendFile(where, dirname(missing))).rejects.toMatchObject({ name: 'NoFileError', message: `${dirname(missing)} is not a file` })
      expect(alice.engine.history(where).filter(m => m.file !== undefined)).toEqual([])
    }
  })

  it('carries a thumbnail in the signed message and shows it as an image', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const thumb = png(120, 90)
    await alice.engine.sendFile('lobby', fileOf(randomBytes(40_000), 'cat.png'), { thumbnail: thumb, thumbnailMime: 'image/png' })
    await until('bob has the image message', () => fileMessage(bob) !== undefined)
    expect(fileMessage(bob)!.file).toMatchObject({ mime: 'image/png', thumbnail: `data:image/png;base64,${thumb.toString('base64')}` })
    // It is in the history after a restart too (it is part of the stored, signed body).
    expect(bob.engine.history('lobby').find(m => m.file !== undefined)?.file?.thumbnail).toContain('base64')
  })

  it('a file is typed by its name, as the system that opens it will: an .exe sent as a PNG picture is an EXE file, with no picture on it; in a DM too', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const thumb = png(120, 90)
    const lie = { mime: 'image/png', thumbnail: thumb, thumbnailMime: 'image/png' }
    await alice.engine.sendFile('lobby', fileOf(Buffer.from('MZ'), 'holiday.exe'), lie)
    await alice.engine.sendFile('', fileOf(Buffer.from('MZ'), 'holiday.exe'), { ...lie, to: bob.engine.peerId })
    await alice.engine.sendFile('lobby', fileOf(Buffer.from('%PDF'), 'minutes.pdf'), lie)
    await alice.engine.sendFile('lobby', fileOf(randomBytes(100), 'beach.png'), lie)
    const files = (): FileView[] => bob.events.flatMap(e => e.type === 'message' && e.file !== undefined ? [e.file] : [])
    await until('bob has the four', () => files().length === 4)
    const [exe, dm, pdf, picture] = files()
    for (const f of [exe!, dm!]) {
      expect(f.mime).toBe('application/octet-stream')
      expect(f.thumbnail).toBeUndefined()
      expect(fileKind(f.mime, f.name)).toEqual({ kind: 'other', label: 'EXE file' })
    }
    expect(pdf).toMatchObject({ mime: 'application/pdf' })
    expect(pdf!.thumbnail).toBeUndefined()
    // An honest picture keeps its type and its thumbnail.
    expect(picture).toMatchObject({ mime: 'image/png', thumbnail: `data:image/png;base64,${thumb.toString('base64')}` })
    // As its own sender sees it too.
    expect(alice.engine.history('lobby').find(m => m.file?.name === 'holiday.exe')?.file?.mime).toBe('application/octet-stream')
  })

  it('hands the window a saved picture to show full size, and says in words why not for anything else', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const picture = randomBytes(50_000)
    const shared = await alice.engine.sendFile('lobby', fileOf(picture, 'cat.png'))
    const pdf = await alice.engine.sendFile('lobby', fileOf(randomBytes(1_000), 'minutes.pdf'))
    const svg = await alice.engine.sendFile('lobby', fileOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'logo.svg'))
    await until('bob has the three', () => bob.engine.history('lobby').filter(m => m.file !== undefined).length === 3)
    // The sender's own picture comes from what she shared; nothing was saved to her downloads.
    expect(await alice.engine.image(shared.id)).toMatchObject({ name: 'cat.png', mime: 'image/png', bytes: picture })
    // Someone else's: once downloaded, not before.
    await expect(bob.engine.image(shared.id)).rejects.toThrow(/cat\.png has not been downloaded .*: download it to see it/)
    await bob.engine.download(shared.id)
    expect((await bob.engine.image(shared.id)).bytes.equals(picture)).toBe(true)
    // Not a picture, or one that could carry more than pixels: the computer's own app opens it.
    await expect(alice.engine.image(pdf.id)).rejects.toMatchObject({ name: 'NoFileError', message: expect.stringMatching(/^minutes\.pdf \(application\/pdf\) is not a picture LAN Chat shows/) })
    await expect(alice.engine.image(svg.id)).rejects.toMatchObject({ name: 'NoFileError', message: expect.stringMatching(/^logo\.svg \(image\/svg\+xml\)/) })
    // Shared by path (the terminal's /file), typed by its extension: an AVIF is a picture the window shows, an iPhone's HEIC a picture it does not.
    const avif = await alice.engine.sendFile('lobby', fileOf(randomBytes(2_000), 'sunrise.avif'))
    expect(avif.file?.mime).toBe('image/avif')
    expect((await alice.engine.image(avif.id)).mime).toBe('image/avif')
    const heic = await alice.engine.sendFile('lobby', fileOf(randomBytes(2_000), 'IMG_0001.HEIC'))
    expect(heic.file?.mime).toBe('image/heic')
    await expect(alice.engine.image(heic.id)).rejects.toMatchObject({ name: 'NoFileError', message: expect.stringMatching(/^IMG_0001\.HEIC \(image\/heic\) is not a picture LAN Chat shows/) })
    // A picture whose header says more pixels than a window should decode (31 KB that says 16,000 × 16,000): Open's, not the window's.
    const bomb = await alice.engine.sendFile('lobby', fileOf(bombPng(16_000, 16_000), 'wide.png'))
    await until('bob has it', () => bob.engine.history('lobby').some(m => m.id === bomb.id))
    await bob.engine.download(bomb.id)
    await expect(bob.engine.image(bomb.id)).rejects.toMatchObject({ name: 'NoFileError', message: 'wide.png is 16,000 × 16,000 pixels, more than LAN Chat shows: Open shows it with the computer\'s own app' })
    // Nor is an .exe sent as a PNG picture handed to the window as one.
    const exe = await alice.engine.sendFile('lobby', fileOf(png(10, 10), 'holiday.exe'), { mime: 'image/png' })
    await expect(alice.engine.image(exe.id)).rejects.toMatchObject({ name: 'NoFileError', message: expect.stringMatching(/^holiday\.exe \(application\/octet-stream\) is not a picture LAN Chat shows/) })
  })

  it('a file whose message its author deleted is offered to nobody: no file in the view, a download refused in words', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const kept = await alice.engine.sendFile('lobby', fileOf(randomBytes(20_000), 'kept.pdf'))
    const gone = await alice.engine.sendFile('lobby', fileOf(randomBytes(20_000), 'oops.pdf'))
    await until('bob has both', () => bob.engine.history('lobby').filter(m => m.file !== undefined).length === 2)
    await alice.engine.delete('lobby', gone.id)
    await until('bob sees it deleted', () => bob.engine.history('lobby').some(m => m.id === gone.id && m.deleted === true))
    for (const p of [alice, bob]) {
      const views = p.engine.history('lobby')
      expect(views.find(m => m.id === gone.id)).not.toHaveProperty('file')
      expect(views.find(m => m.id === kept.id)?.file?.name).toBe('kept.pdf')
    }
    await expect(bob.engine.download(gone.id)).rejects.toMatchObject({ name: 'NoFileError', message: 'whoever shared that file deleted its message: it is not shared any more' })
    expect(readdirSync(bob.downloads)).toEqual([])
    // The terminal prints it as deleted, with nothing to download.
    const term = new Terminal(() => bob.engine.peerId)
    expect(term.format({ type: 'history', room: 'lobby', messages: bob.engine.history('lobby') })).not.toMatch(/oops|\(message deleted\).*\/download/)
  })

  it('deleting a file\'s message takes the file off every holder: not served (not even on a stream already open), not kept; a saved copy stays, and bytes another message shares stay', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const once = randomBytes(300_000)
    const twice = randomBytes(200_000)
    const gone = await alice.engine.sendFile('lobby', fileOf(once, 'draft.pdf'))
    const twin = await alice.engine.sendFile('lobby', fileOf(twice, 'a.bin'))
    const kept = await alice.engine.sendFile('lobby', fileOf(twice, 'b.bin'))
    await until('bob has the three', () => bob.engine.history('lobby').filter(m => m.file !== undefined).length === 3)
    const saved = await bob.engine.download(gone.id)
    await bob.engine.download(twin.id)
    expect([bob.engine.hasFile(sha(once)), bob.engine.hasFile(sha(twice))]).toEqual([true, true])
    // Someone is fetching the file from alice on a stream of its own: the first chunk comes.
    const peer = await Attacker.connect(alice.addr())
    const lp = lpStream(await peer.node.dialProtocol(multiaddr(alice.addr()), FILE_PROTOCOL), { maxDataLength: 4 * 1024 * 1024 })
    const file = Buffer.from(sha(once), 'hex')
    await lp.write(FileRequest.encode({ file, hashes: true, chunks: [0], pieces: [] }))
    expect(FileResponse.decode(await lp.read()).status).toBe(FileResponse.Status.OK)
    expect(FileResponse.decode(await lp.read()).status).toBe(FileResponse.Status.OK)

    await alice.engine.delete('lobby', gone.id)
    await alice.engine.delete('lobby', twin.id)
    await until('bob sees both deleted', () => bob.engine.history('lobby').filter(m => m.deleted === true).length === 2)
    // Nothing of it is left in either data directory; what bob saved is his.
    const left = (p: TestPeer): string[] => readdirSync(join(p.dataDir, 'files')).filter(f => f.startsWith(sha(once)))
    await until('alice and bob no longer keep the deleted file', () => left(alice).length === 0 && left(bob).length === 0)
    expect([alice.engine.hasFile(sha(once)), bob.engine.hasFile(sha(once))]).toEqual([false, false])
    // The next chunk on the open stream is refused, and so is a new stream.
    await lp.write(FileRequest.encode({ file, hashes: false, chunks: [1], pieces: [] }))
    expect(FileResponse.decode(await lp.read())).toMatchObject({ status: FileResponse.Status.NOT_FOUND, reason: 'the file is no longer here' })
    // And its holder let go of it: no descriptor of this process is left on the deleted file, whose space is then free.
    expect(openOn(join(alice.dataDir, 'files', sha(once)))).toEqual([])
    const again = lpStream(await peer.node.dialProtocol(multiaddr(alice.addr()), FILE_PROTOCOL), { maxDataLength: 4 * 1024 * 1024 })
    await again.write(FileRequest.encode({ file, hashes: true, chunks: [], pieces: [] }))
    expect(FileResponse.decode(await again.read()).status).toBe(FileResponse.Status.NOT_FOUND)
    await peer.stop()
    expect(sha(readFileSync(saved))).toBe(sha(once))
    // The same bytes, still shared by the message not deleted, stay with both.
    expect([alice.engine.hasFile(sha(twice)), bob.engine.hasFile(sha(twice))]).toEqual([true, true])
    expect(bob.engine.history('lobby').find(m => m.id === kept.id)?.file?.name).toBe('b.bin')
  })

  it('a delete of someone else\'s file message, signed by a peer who is not its author, removes nothing: the message keeps its file, its author and who downloaded it keep the bytes', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const bytes = randomBytes(200_000)
    const sent = await alice.engine.sendFile('lobby', fileOf(bytes, 'plan.pdf'))
    await until('bob has it', () => bob.engine.history('lobby').some(m => m.id === sent.id))
    await bob.engine.download(sent.id)
    const mallory = await Attacker.connect(bob.addr())
    // Mallory's own chain, then a "delete" of alice's message: its target named in deps, as an action needs.
    const first = await mallory.message('hello')
    await mallory.send(first, await mallory.message('(message deleted)', { action: { kind: 'delete', target: sent.id }, deps: [sent.id] }))
    await mallory.send(await mallory.message('after the delete'))
    await until('bob has mallory\'s last message', () => bob.engine.history('lobby').some(m => m.text === 'after the delete'))
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(bob.engine.history('lobby').find(m => m.id === sent.id)).toMatchObject({ deleted: false, file: { name: 'plan.pdf' } })
    expect([alice.engine.hasFile(sha(bytes)), bob.engine.hasFile(sha(bytes))]).toEqual([true, true])
    await mallory.stop()
  })

  it('a download under way stops when the file\'s author deletes its message, saying why; nothing of it is left or resumed', async () => {
    const carol = await filePeer('carol')
    const content = randomBytes(2 * 1024 * 1024)
    const holder = await FileHolder.start(carol.addr(), content, 64 * 1024, { delayMs: 40 }, 'dave')
    const shared = await holder.announce()
    await until('carol has the file message', () => fileMessage(carol) !== undefined)
    const download = carol.engine.download(shared.id)
    await until('some chunks came', () => progressOf(carol).some(p => p.done >= 2 * 64 * 1024))
    // The holder is its author: its next message (whose prev is the file's) deletes it.
    await holder.attacker.send(await holder.attacker.message('(message deleted)', { action: { kind: 'delete', target: shared.id } }))
    await expect(download).rejects.toMatchObject({ name: 'NoFileError', message: 'whoever shared that file deleted its message: it is not shared any more' })
    expect(carol.events.filter(e => e.type === 'file:failed')).toMatchObject([{ id: shared.id, code: 'NoFileError', error: 'whoever shared that file deleted its message: it is not shared any more' }])
    expect(readdirSync(carol.downloads)).toEqual([])
    expect(readdirSync(join(carol.dataDir, 'files')).filter(f => f.startsWith(sha(content)))).toEqual([])
    expect(JSON.parse(readFileSync(join(carol.dataDir, 'files', 'downloads.json'), 'utf8')).downloads).toEqual([])
    await holder.stop()
  })

  it('a history page marks a file this peer saved, after a restart too, and not once the saved copy is gone', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    const kept = await alice.engine.sendFile('lobby', fileOf(randomBytes(20_000), 'kept.pdf'))
    const moved = await alice.engine.sendFile('lobby', fileOf(randomBytes(20_000), 'moved.pdf'))
    await alice.engine.sendFile('lobby', fileOf(randomBytes(20_000), 'never.pdf'))
    await until('bob has the three', () => bob.engine.history('lobby').filter(m => m.file !== undefined).length === 3)
    const saved = (p: TestPeer): Record<string, boolean> => Object.fromEntries(p.engine.history('lobby').map(m => [m.file!.name, m.file!.saved === true]))
    expect(saved(bob)).toEqual({ 'kept.pdf': false, 'moved.pdf': false, 'never.pdf': false })
    await bob.engine.download(kept.id)
    const path = await bob.engine.download(moved.id)
    expect(saved(bob)).toEqual({ 'kept.pdf': true, 'moved.pdf': true, 'never.pdf': false })
    await stopPeer(bob)
    rmSync(path)
    const again = await startPeer('bob', { dataDir: bob.dataDir, files: { downloadsDir: bob.downloads } })
    expect(saved(again)).toEqual({ 'kept.pdf': true, 'moved.pdf': false, 'never.pdf': false })
    // The sender's own copy is not a download of hers.
    expect(saved(alice)).toEqual({ 'kept.pdf': false, 'moved.pdf': false, 'never.pdf': false })
  })

  it('resumes after the downloader is stopped mid-transfer: verified chunks on disk are kept', async () => {
    const bob = await filePeer('bob')
    const content = randomBytes(2 * 1024 * 1024)
    const slow = await FileHolder.start(bob.addr(), content, 64 * 1024, { delayMs: 15 })
    await slow.announce()
    await until('bob has the file message', () => fileMessage(bob) !== undefined)
    const id = fileMessage(bob)!.id
    void bob.engine.download(id).catch(() => {})
    await until('a third of the file arrived', () => (progressOf(bob).at(-1)?.done ?? 0) >= 10 * 64 * 1024)
    await stopPeer(bob)
    await slow.stop()
    const before = progressOf(bob).at(-1)!.done
    // The same data directory, a new engine (a new process would do the same): the download goes on by itself.
    const again = await startPeer('bob', { dataDir: bob.dataDir, files: { downloadsDir: bob.downloads, stallMs: 5_000 } })
    const holder = await FileHolder.start(again.addr(), content, 64 * 1024)
    await until('the download finished', () => again.events.some(e => e.type === 'file:done'), 20_000)
    const first = again.events.find((e): e is Extract<EngineEvent, { type: 'file:progress' }> => e.type === 'file:progress')!
    expect(first.resumedFrom).toBeGreaterThanOrEqual(10 * 64 * 1024)
    // What was written after the last progress event shown is kept too; the file was not complete.
    expect(first.resumedFrom).toBeGreaterThanOrEqual(before)
    expect(first.resumedFrom).toBeLessThan(content.byteLength)
    const done = again.events.find((e): e is Extract<EngineEvent, { type: 'file:done' }> => e.type === 'file:done')!
    expect(sha(readFileSync(done.path))).toBe(sha(content))
    // Only what was missing came over the network.
    expect(holder.served).toBeLessThanOrEqual(32 - first.resumedFrom / (64 * 1024))
    await holder.stop()
  })

  it('downloads from a holder of a build from before pieces of chunks: it is asked for whole chunks only', async () => {
    const old = await fromOneHolder(randomBytes(3 * 256 * 1024 + 777), 256 * 1024, { beforePieces: true }, 'old')
    expect([old.served, old.pieces]).toEqual([4, 0])
    await old.stop()
  })

  it('fetches the rest from a second holder when the first quits', async () => {
    const carol = await filePeer('carol')
    const content = randomBytes(1024 * 1024)
    const first = await FileHolder.start(carol.addr(), content, 64 * 1024, { delayMs: 20 }, 'first')
    await first.announce()
    await until('carol has the file message', () => fileMessage(carol) !== undefined)
    const download = carol.engine.download(fileMessage(carol)!.id)
    await until('some chunks came from the first holder', () => first.served >= 4)
    await first.stop()
    const second = await FileHolder.start(carol.addr(), content, 64 * 1024, {}, 'second')
    const path = await download
    expect(sha(readFileSync(path))).toBe(sha(content))
    expect(second.served).toBeGreaterThan(0)
    expect(second.served).toBeLessThan(16)
    await second.stop()
  })

  it('a download whose only holder quits says once that it waits (rate 0, no holder), waits past the stall time, and goes on when one is back', async () => {
    // Connected peers that do not send would fail it after 2 s; one that served and left is waited for.
    const carol = await filePeer('carol', { stallMs: 2_000 })
    const content = randomBytes(1024 * 1024)
    const first = await FileHolder.start(carol.addr(), content, 64 * 1024, { delayMs: 20 }, 'first')
    await first.announce()
    await until('carol has the file message', () => fileMessage(carol) !== undefined)
    const download = carol.engine.download(fileMessage(carol)!.id)
    await until('some chunks came', () => progressOf(carol).some(p => p.done >= 4 * 64 * 1024))
    const moving = progressOf(carol).at(-1)!
    expect(moving).toMatchObject({ waiting: false, holders: 1 })
    expect(moving.bytesPerSecond).toBeGreaterThan(0)
    await first.stop()
    await until('the stall is said', () => progressOf(carol).some(p => p.waiting), 10_000)
    const waiting = progressOf(carol).filter(p => p.waiting)
    // Said once, with nothing running on: no speed, no time left, nobody serving, what came kept.
    expect(waiting).toHaveLength(1)
    expect(waiting[0]).toMatchObject({ holders: 0, bytesPerSecond: 0, secondsLeft: null })
    expect(waiting[0]!.done).toBeGreaterThanOrEqual(moving.done)
    // Twice the stall time later it still waits, failed by nothing.
    await new Promise(resolve => setTimeout(resolve, 4_000))
    expect(carol.events.filter(e => e.type === 'file:failed')).toEqual([])
    const second = await FileHolder.start(carol.addr(), content, 64 * 1024, {}, 'second')
    const path = await download
    expect(sha(readFileSync(path))).toBe(sha(content))
    expect(progressOf(carol).filter(p => p.waiting)).toHaveLength(1)
    await second.stop()
  })

  it('asks a holder on a slow link for pieces of chunks, and the file still arrives whole', async () => {
    // 256 KiB every 40 ms: about 6 MiB/s, a slow Wi-Fi's pace.
    const slow = await fromOneHolder(randomBytes(2 * 1024 * 1024), 256 * 1024, { delayMs: 40 }, 'slow')
    // Pieces from the start (a transfer starts with a little asked ahead) and once the pace showed the link is slow. Not
    // necessarily all of the file: a test machine busy enough to keep this process's event loop busy nearly all the time
    // gets whole chunks while it is (pacer.ts, CPU_BOUND), which test/pacer.test.ts covers.
    expect(slow.pieces).toBeGreaterThan(0)
    await slow.stop()
  })

  it('asks a holder that says its CPU is what limits it for whole chunks, though it is slow', async () => {
    // As slow as the holder above, but busy: a holder serving many downloaders at once, each getting a share.
    // The downloader counts itself idle, so only what the holder says can send it to whole chunks.
    const busy = await fromOneHolder(randomBytes(2 * 1024 * 1024), 256 * 1024, { delayMs: 40, busy: 970 }, 'busy', { busy: () => 0 })
    // Pieces while the transfer starts (its first 50 ms), whole chunks from the first sample that says the holder is busy.
    expect(busy.wholeChunks).toBeGreaterThanOrEqual(5)
    await busy.stop()
  })

  it('drops a holder that serves a bad chunk and takes the chunks from another', async () => {
    const carol = await filePeer('carol')
    const content = randomBytes(1024 * 1024)
    const honest = await FileHolder.start(carol.addr(), content, 64 * 1024, { delayMs: 30 }, 'honest')
    const bad = await FileHolder.start(carol.addr(), content, 64 * 1024, { corrupt: i => i % 2 === 1 }, 'mallory')
    await honest.announce()
    await until('carol has the file message', () => fileMessage(carol) !== undefined)
    const path = await carol.engine.download(fileMessage(carol)!.id)
    expect(sha(readFileSync(path))).toBe(sha(content))
    expect(progressOf(carol).some(p => p.dropped.includes(bad.peerId))).toBe(true)
    expect(progressOf(carol).some(p => p.dropped.includes(honest.peerId))).toBe(false)
    await honest.stop(); await bad.stop()
  })

  it('fails clearly when the only holder serves bad data, leaving nothing under the final name', async () => {
    const carol = await filePeer('carol', { stallMs: 1_000 })
    const content = randomBytes(256 * 1024)
    const bad = await FileHolder.start(carol.addr(), content, 64 * 1024, { badHashes: true }, 'mallory')
    await bad.announce()
    await until('carol has the file message', () => fileMessage(carol) !== undefined)
    await expect(carol.engine.download(fileMessage(carol)!.id)).rejects.toMatchObject({ name: 'NoHolderError' })
    expect(carol.events.some(e => e.type === 'file:failed' && e.code === 'NoHolderError')).toBe(true)
    expect(readdirSync(carol.downloads)).toEqual([])
    await bad.stop()
  })

  it('saves under a safe name: no path separators, no "..", no Windows device names, never over a file', async () => {
    const bob = await filePeer('bob')
    const content = randomBytes(100_000)
    const holder = await FileHolder.start(bob.addr(), content, 64 * 1024)
    for (const name of ['../../.bashrc', 'CON', 'a/b\\c.txt', '..', 'nul.txt', 'same.txt', 'same.txt']) await holder.announce('lobby', name)
    await until('bob has 7 file messages', () => bob.events.filter(e => e.type === 'message' && e.file !== undefined).length === 7)
    const ids = bob.events.flatMap(e => e.type === 'message' && e.file !== undefined ? [e.id] : [])
    const paths: string[] = []
    for (const id of ids.slice(0, 5)) paths.push(await bob.engine.download(id))
    // Two messages sharing the same bytes, downloaded at once: one fetch, two files.
    paths.push(...await Promise.all(ids.slice(5).map(async id => await bob.engine.download(id))))
    for (const path of paths) expect(dirname(path)).toBe(bob.downloads)
    expect(paths.map(p => basename(p)).slice(0, 5)).toEqual(['_bashrc', '_CON', 'c.txt', 'file', '_nul.txt'])
    expect(paths.map(p => basename(p)).slice(5).sort()).toEqual(['same (1).txt', 'same.txt'])
    for (const path of paths) expect(sha(readFileSync(path))).toBe(sha(content))
    // The content was fetched once; the copies came from the store.
    expect(holder.served).toBe(2)
    await holder.stop()
  })

  it('the same bytes in two messages, downloaded at once: the second shows the one fetch going, and its Cancel stops it at once, saving nothing and sparing the first', async () => {
    const bob = await filePeer('bob')
    const content = randomBytes(640 * 1024)
    const holder = await FileHolder.start(bob.addr(), content, 64 * 1024, { delayMs: 150 })
    for (const name of ['first.bin', 'again.bin']) await holder.announce('lobby', name)
    await until('bob has both', () => bob.events.filter(e => e.type === 'message' && e.file !== undefined).length === 2)
    const [first, again] = bob.events.flatMap(e => e.type === 'message' && e.file !== undefined ? [e.id] : [])
    let firstDone = false
    const fetching = bob.engine.download(first!).finally(() => { firstDone = true })
    const riding = bob.engine.download(again!)
    riding.catch(() => {})
    // Not "0 B, measuring speed…" until the other is done: what came, as it comes.
    await until('the second shows progress', () => progressOf(bob).some(e => e.id === again && e.done > 0))
    await bob.engine.cancelDownload(again!)
    expect(firstDone).toBe(false)
    await expect(riding).rejects.toThrow()
    expect(bob.events.find(e => e.type === 'file:failed' && e.id === again)).toMatchObject({ code: 'CancelledError' })
    expect(sha(readFileSync(await fetching))).toBe(sha(content))
    expect(bob.events.some(e => e.type === 'file:done' && e.id === again)).toBe(false)
    expect(readdirSync(bob.downloads)).toEqual(['first.bin'])
    await holder.stop()
  })

  it('a name as long as a file name may be (255 bytes), saved twice: the second is "… (1).pdf", not refused for want of a free name', async () => {
    const bob = await filePeer('bob')
    const content = randomBytes(10_000)
    const holder = await FileHolder.start(bob.addr(), content, 64 * 1024)
    const long = `${'Minutes of the staff meeting '.repeat(9).slice(0, 251)}.pdf`
    expect(Buffer.byteLength(long)).toBe(255)
    for (let i = 0; i < 3; i++) await holder.announce('lobby', long)
    await until('bob has 3 file messages', () => bob.events.filter(e => e.type === 'message' && e.file !== undefined).length === 3)
    const ids = bob.events.flatMap(e => e.type === 'message' && e.file !== undefined ? [e.id] : [])
    const names: string[] = []
    for (const id of ids) names.push(basename(await bob.engine.download(id)))
    expect(names[0]).toBe(long)
    expect(names.slice(1)).toEqual([`${long.slice(0, 247)} (1).pdf`, `${long.slice(0, 247)} (2).pdf`])
    for (const name of names) expect(sha(readFileSync(join(bob.downloads, name)))).toBe(sha(content))
    await holder.stop()
  })

  it('a downloads folder that cannot be written says so in words; the same download into a good one then works', async () => {
    const bob = await filePeer('bob')
    const content = randomBytes(20_000)
    const holder = await FileHolder.start(bob.addr(), content, 64 * 1024)
    await holder.announce('lobby', 'minutes.pdf')
    await until('bob has the file message', () => fileMessage(bob) !== undefined)
    const id = fileMessage(bob)!.id
    // Settings name a folder where a file now is (a disk mounted elsewhere, a typo): it cannot be made.
    const blocked = join(fileOf(Buffer.from('x'), 'Downloads'), 'LAN Chat')
    await expect(bob.engine.download(id, blocked)).rejects.toMatchObject({ name: 'FileWriteError', message: `could not save to the downloads folder ${blocked}: it is not a folder` })
    const failed = bob.events.find(e => e.type === 'file:failed')
    expect(failed).toMatchObject({ code: 'FileWriteError', error: `could not save to the downloads folder ${blocked}: it is not a folder` })
    expect(readFileSync(await bob.engine.download(id)).equals(content)).toBe(true)
    await holder.stop()
  })

  it('cancels a download: a clear event, and nothing of it left on disk', async () => {
    const bob = await filePeer('bob')
    const content = randomBytes(1024 * 1024)
    const slow = await FileHolder.start(bob.addr(), content, 64 * 1024, { delayMs: 20 })
    await slow.announce()
    await until('bob has the file message', () => fileMessage(bob) !== undefined)
    const id = fileMessage(bob)!.id
    const download = bob.engine.download(id)
    await until('some chunks arrived', () => (progressOf(bob).at(-1)?.done ?? 0) > 0)
    expect(await bob.engine.cancelDownload(id)).toBe(true)
    await expect(download).rejects.toBeDefined()
    expect(bob.events.some(e => e.type === 'file:failed' && e.code === 'CancelledError')).toBe(true)
    expect(readdirSync(join(bob.dataDir, 'files')).filter(f => f.endsWith('.part') || f.endsWith('.have'))).toEqual([])
    expect(readdirSync(bob.downloads)).toEqual([])
    expect(await bob.engine.cancelDownload(id)).toBe(false)
    await slow.stop()
  })

  it('refuses a file over the size limit, to send and to fetch, with a named error', async () => {
    const small = await filePeer('small', { maxFileBytes: 1024 * 1024 })
    await expect(small.engine.sendFile('lobby', fileOf(randomBytes(1024 * 1024 + 1)))).rejects.toMatchObject({ name: 'FileTooLargeError' })
    expect(small.events.some(e => e.type === 'message')).toBe(false)
    const holder = await FileHolder.start(small.addr(), randomBytes(2 * 1024 * 1024), 256 * 1024)
    await holder.announce()
    await until('the file message arrived', () => fileMessage(small) !== undefined)
    await expect(small.engine.download(fileMessage(small)!.id)).rejects.toMatchObject({ name: 'FileTooLargeError' })
    expect(holder.served).toBe(0)
    expect(readdirSync(small.downloads)).toEqual([])
    await holder.stop()
  })

  it('holds to 2 GiB by default and to a new limit at once: a file over it is neither read to send nor asked for to fetch', async () => {
    const alice = await filePeer('alice')
    const bob = await filePeer('bob')
    await connect(alice, bob)
    // 3 GiB that take no disk (sparse): refused on its size alone, nothing copied into the data directory.
    const huge = fileOf(Buffer.alloc(0), 'huge.iso')
    truncateSync(huge, 3 * 1024 ** 3)
    await expect(alice.engine.sendFile('lobby', huge)).rejects.toMatchObject({ name: 'FileTooLargeError', message: expect.stringMatching(/limit is 2\.0 GiB/) })
    expect(readdirSync(join(alice.dataDir, 'files'))).toEqual([])

    const bytes = randomBytes(2 * 1024 * 1024)
    await alice.engine.sendFile('lobby', fileOf(bytes, 'two.bin'))
    await until('bob has the file message', () => fileMessage(bob) !== undefined)
    const id = fileMessage(bob)!.id
    bob.engine.setMaxFileBytes(1024 * 1024)
    await expect(bob.engine.download(id)).rejects.toMatchObject({ name: 'FileTooLargeError' })
    expect(bob.events.find(e => e.type === 'file:failed')).toMatchObject({ code: 'FileTooLargeError', error: expect.stringMatching(/2\.0 MiB.*limit is 1\.0 MiB/) })
    expect(progressOf(bob)).toEqual([])
    expect(readdirSync(bob.downloads)).toEqual([])
    expect(readdirSync(join(bob.dataDir, 'files')).filter(f => f !== 'downloads.json')).toEqual([])
    // Alice too: a smaller limit stops her next file, not the one she already shares.
    alice.engine.setMaxFileBytes(1024 * 1024)
    await expect(alice.engine.sendFile('lobby', fileOf(randomBytes(1024 * 1024 + 1)))).rejects.toMatchObject({ name: 'FileTooLargeError' })

    bob.engine.setMaxFileBytes(4 * 1024 * 1024)
    expect(sha(readFileSync(await bob.engine.download(id)))).toBe(sha(bytes))
    expect(() => { bob.engine.setMaxFileBytes(0) }).toThrow(RangeError)
  })
})

describe('the file protocol on its own', () => {
  it('a chunk or a piece of one goes out without a copy, and decodes as the generated encoder\'s answer would', () => {
    for (const [index, size, offset, busy] of [[0, 1, 0, 0], [1, 127, 0, 1000], [7, 128, 0, 5], [5000, 16_384, 0, 0], [3, 256 * 1024 + 17, 0, 999], [2, 16_384, 32_768, 0], [9, 100, 1, 200]] as const) {
      const data = randomBytes(size)
      const wire = chunkResponse(index, data, offset, busy)
      // The same fields, so the same length; only their order differs.
      expect(wire.byteLength).toBe(FileResponse.encode({ status: FileResponse.Status.OK, hashes: [], index, data, reason: '', offset, busy }).byteLength)
      expect(FileResponse.decode(wire.subarray())).toEqual({ status: FileResponse.Status.OK, hashes: [], index, data: Uint8Array.from(data), reason: '', offset, busy })
    }
  })

  it('a holder serves a downloader of a build from before pieces, which speaks only /lanchat/file/1.0.0', async () => {
    const { bytes, file, chunkSize, peer, protocol, lp } = await rawFileStream(FILE_PROTOCOL_WHOLE)
    expect(protocol).toBe('/lanchat/file/1.0.0')
    await lp.write(FileRequest.encode({ file, hashes: true, chunks: [1, 0], pieces: [] }))
    expect(FileResponse.decode(await lp.read()).hashes).toHaveLength(2)
    expect(Buffer.from(FileResponse.decode(await lp.read()).data)).toEqual(bytes.subarray(chunkSize))
    expect(Buffer.from(FileResponse.decode(await lp.read()).data)).toEqual(bytes.subarray(0, chunkSize))
    await peer.stop()
  })

  it('a holder says on each chunk how busy its event loop was over the last quarter second', async () => {
    const { file, peer, lp } = await rawFileStream(FILE_PROTOCOL)
    const chunk0 = async (): Promise<FileResponse> => {
      await lp.write(FileRequest.encode({ file, hashes: false, chunks: [0], pieces: [] }))
      return FileResponse.decode(await lp.read())
    }
    await chunk0()
    // Idle (this process is alice's too), then busy for 400 ms straight.
    await new Promise(resolve => setTimeout(resolve, 400))
    expect((await chunk0()).busy).toBeLessThan(800)
    for (const end = performance.now() + 400; performance.now() < end;);
    expect((await chunk0()).busy).toBeGreaterThan(900)
    await peer.stop()
  })

  it('a holder answers pieces of chunks in the order asked, each on its own, and refuses a range the chunk does not have', async () => {
    const { bytes, file, chunkSize, peer, lp } = await rawFileStream(FILE_PROTOCOL)
    const wanted = [{ index: 0, offset: 0, length: 16_384 }, { index: 1, offset: 1_000, length: 20_000 }, { index: 0, offset: 16_384, length: chunkSize - 16_384 }]
    await lp.write(FileRequest.encode({ file, hashes: false, chunks: [], pieces: wanted }))
    for (const w of wanted) {
      const r = FileResponse.decode(await lp.read())
      expect([r.status, r.index, r.offset]).toEqual([FileResponse.Status.OK, w.index, w.offset])
      expect(Buffer.from(r.data)).toEqual(bytes.subarray(w.index * chunkSize + w.offset, w.index * chunkSize + w.offset + w.length))
    }
    // The last chunk is shorter than the others: a piece past its end is not there.
    const last = Math.ceil(bytes.byteLength / chunkSize) - 1
    await lp.write(FileRequest.encode({ file, hashes: false, chunks: [], pieces: [{ index: last, offset: 0, length: chunkSize }] }))
    expect(FileResponse.decode(await lp.read())).toMatchObject({ status: FileResponse.Status.NOT_FOUND, index: last, reason: 'no such chunk or range in the file' })
    // The stream still serves what the file has.
    await lp.write(FileRequest.encode({ file, hashes: false, chunks: [last], pieces: [] }))
    expect(Buffer.from(FileResponse.decode(await lp.read()).data)).toEqual(bytes.subarray(last * chunkSize))
    await peer.stop()
  })

  it('caps the uploads one peer may have open at once: the fifth stream is told BUSY', async () => {
    const alice = await filePeer('alice')
    const sent = await alice.engine.sendFile('lobby', fileOf(randomBytes(300_000)))
    const peer = await Attacker.connect(alice.addr())
    const answers: FileResponse.Status[] = []
    const streams = await Promise.all(Array.from({ length: 5 }, async () => await peer.node.dialProtocol(multiaddr(alice.addr()), FILE_PROTOCOL)))
    for (const stream of streams) {
      const lp = lpStream(stream)
      await lp.write(FileRequest.encode({ file: Buffer.from(sent.file!.sha256, 'hex'), hashes: true, chunks: [] }))
      answers.push(FileResponse.decode(await lp.read()).status)
    }
    expect(answers.filter(s => s === FileResponse.Status.OK)).toHaveLength(4)
    expect(answers.at(-1)).toBe(FileResponse.Status.BUSY)
    // Once its streams are closed the peer may open another; an unknown file is NOT_FOUND there.
    for (const s of streams.slice(0, 4)) await s.close()
    await new Promise(resolve => setTimeout(resolve, 100))
    const lp = lpStream(await peer.node.dialProtocol(multiaddr(alice.addr()), FILE_PROTOCOL))
    await lp.write(FileRequest.encode({ file: Buffer.alloc(32, 1), hashes: true, chunks: [] }))
    expect(FileResponse.decode(await lp.read()).status).toBe(FileResponse.Status.NOT_FOUND)
    await peer.stop()
  })
})
