import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { homedir } from 'node:os'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EngineEvent } from '../main/chat/index.js'
import { cleanupHubs, startClient, startHub, stopClient, stopHub } from './helpers/hub.js'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, hasPrlimit, killAll, lanchat, type Proc } from './helpers/proc.js'
import { FileHolder } from './helpers/file-holder.js'
import { parseLine } from '../main/app/lines.js'
import { Terminal } from '../main/app/terminal.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterEach(async () => { await cleanupHubs(); await cleanup() })
afterAll(async () => { await killAll() })

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']

function peer (name: string, dataDir: string, downloads: string, fileSizeLimit?: number): Proc {
  return lanchat(['peer', '--json', '--name', name, '--data', dataDir, '--downloads', downloads, ...LOOP], { fileSizeLimit })
}

describe('files through every host', () => {
  it('bin/lanchat --json: {"cmd":"file"} shares, {"cmd":"download"} fetches with progress events', async () => {
    const src = join(tempDir('lanchat-src-'), 'notes.txt')
    const bytes = randomBytes(3 * 1024 * 1024)
    writeFileSync(src, bytes)
    const alice = peer('alice', tempDir('lanchat-alice-'), tempDir('lanchat-dl-'))
    const ready = await alice.waitFor('alice ready', e => e.type === 'ready')
    const bobDownloads = tempDir('lanchat-dl-')
    const bob = peer('bob', tempDir('lanchat-bob-'), bobDownloads)
    await bob.waitFor('bob ready', e => e.type === 'ready')
    bob.send({ cmd: 'dial', addr: (ready.addrs as string[])[0] })
    await alice.waitFor('alice sees bob', e => e.type === 'peer:connect')
    alice.send({ cmd: 'file', room: 'lobby', path: src })
    const msg = await bob.waitFor('the file message', e => e.type === 'message' && e.file !== undefined)
    expect(msg.file).toMatchObject({ name: 'notes.txt', size: bytes.byteLength, mime: 'text/plain', sha256: sha(bytes) })
    bob.send({ cmd: 'download', id: msg.id })
    expect(await bob.waitFor('the answer', e => e.type === 'download')).toMatchObject({ id: msg.id, name: 'notes.txt', size: bytes.byteLength })
    const done = await bob.waitFor('file:done', e => e.type === 'file:done')
    expect(dirname(done.path as string)).toBe(bobDownloads)
    expect(sha(readFileSync(done.path as string))).toBe(sha(bytes))
    expect(bob.events.some(e => e.type === 'file:progress' && e.done === bytes.byteLength)).toBe(true)
    // Bad input is an error event, and the peer goes on.
    alice.send({ cmd: 'file', room: 'lobby', path: join(dirname(src), 'missing.bin') })
    await alice.waitFor('an error', e => e.type === 'error')
    bob.send({ cmd: 'download', id: 'f'.repeat(64) })
    await bob.waitFor('an unknown message', e => e.type === 'error' && e.code === 'UnknownMessageError')
    await alice.kill('SIGTERM'); await bob.kill('SIGTERM')
  })

  it('bin/lanchat killed with -9 mid-download resumes from the verified chunks when it starts again', async () => {
    const dataDir = tempDir('lanchat-bob-')
    const downloads = tempDir('lanchat-dl-')
    const content = randomBytes(2 * 1024 * 1024)
    let bob = peer('bob', dataDir, downloads)
    let ready = await bob.waitFor('bob ready', e => e.type === 'ready')
    const slow = await FileHolder.start((ready.addrs as string[])[0]!, content, 64 * 1024, { delayMs: 15 })
    await slow.announce()
    const msg = await bob.waitFor('the file message', e => e.type === 'message' && e.file !== undefined)
    bob.send({ cmd: 'download', id: msg.id })
    await bob.waitFor('a third arrived', e => e.type === 'file:progress' && (e.done as number) >= 10 * 64 * 1024)
    await bob.kill('SIGKILL')
    await slow.stop()
    // The copy for the downloads folder, written as the chunks came, is left half done by the kill (hidden, never under the file's name).
    expect(readdirSync(downloads).every(f => f.startsWith('.') && f.endsWith('.lanchat-download'))).toBe(true)
    bob = peer('bob', dataDir, downloads)
    ready = await bob.waitFor('bob ready again', e => e.type === 'ready')
    const holder = await FileHolder.start((ready.addrs as string[])[0]!, content, 64 * 1024)
    const done = await bob.waitFor('file:done', e => e.type === 'file:done', 30_000)
    const first = bob.events.find(e => e.type === 'file:progress')!
    expect(first.resumedFrom).toBeGreaterThanOrEqual(10 * 64 * 1024)
    expect(sha(readFileSync(done.path as string))).toBe(sha(content))
    // The resumed run removed what the killed one left.
    expect(readdirSync(downloads)).toEqual([basename(done.path as string)])
    expect(holder.served).toBeLessThanOrEqual(32 - 10)
    await holder.stop()
    await bob.kill('SIGTERM')
  })

  it.skipIf(!hasPrlimit)('a write that fails mid-download (here past a file size limit, as a full disk would) stops it at once, saying so; a retry keeps what was written', async () => {
    const dataDir = tempDir('lanchat-bob-')
    const downloads = tempDir('lanchat-dl-')
    const content = randomBytes(4 * 1024 * 1024)
    // Files of this process may not grow past 1.5 MiB: its database stays far below, the download does not.
    let bob = peer('bob', dataDir, downloads, 1.5 * 1024 * 1024)
    let ready = await bob.waitFor('bob ready', e => e.type === 'ready')
    let holder = await FileHolder.start((ready.addrs as string[])[0]!, content, 64 * 1024)
    await holder.announce()
    const msg = await bob.waitFor('the file message', e => e.type === 'message' && e.file !== undefined)
    bob.send({ cmd: 'download', id: msg.id })
    const failed = await bob.waitFor('file:failed', e => e.type === 'file:failed')
    expect(failed).toMatchObject({ code: 'FileWriteError', error: 'could not write the download: the file is larger than this system lets a process write' })
    expect(readdirSync(downloads)).toEqual([])
    // The peer goes on: it still sends.
    bob.send({ cmd: 'send', room: 'lobby', text: 'still here' })
    await bob.waitFor('its own message', e => e.type === 'message' && e.text === 'still here')
    await bob.kill('SIGTERM')
    await holder.stop()
    // Space again: asked once more, the download goes on from the chunks that were written.
    bob = peer('bob', dataDir, downloads)
    ready = await bob.waitFor('bob ready again', e => e.type === 'ready')
    holder = await FileHolder.start((ready.addrs as string[])[0]!, content, 64 * 1024)
    bob.send({ cmd: 'download', id: msg.id })
    const done = await bob.waitFor('file:done', e => e.type === 'file:done')
    expect(sha(readFileSync(done.path as string))).toBe(sha(content))
    const first = bob.events.find(e => e.type === 'file:progress')!
    expect(first.resumedFrom).toBeGreaterThanOrEqual(16 * 64 * 1024)
    expect(holder.served).toBeLessThanOrEqual(64 - 16)
    await holder.stop()
    await bob.kill('SIGTERM')
  })

  it('the terminal: /file shares, the line shows name, size and a short id, /download takes it, or N, or nothing for the last', () => {
    const term = new Terminal(() => 'me')
    expect(term.command('/file /tmp/a b.txt')).toEqual({ run: parseLine(JSON.stringify({ cmd: 'file', room: 'lobby', path: '/tmp/a b.txt' })) })
    // As a shell reads it: ~ is the home, and a path dropped on the terminal comes quoted.
    expect(term.command('/file ~/a b.txt')).toEqual({ run: parseLine(JSON.stringify({ cmd: 'file', room: 'lobby', path: join(homedir(), 'a b.txt') })) })
    expect(term.command("/file '/tmp/a b.txt'")).toEqual({ run: parseLine(JSON.stringify({ cmd: 'file', room: 'lobby', path: '/tmp/a b.txt' })) })
    expect(term.command('/file "/tmp/a b.txt"')).toEqual({ run: parseLine(JSON.stringify({ cmd: 'file', room: 'lobby', path: '/tmp/a b.txt' })) })
    expect(() => term.command('/file')).toThrow('usage: /file PATH')
    // Words after the path are the file's caption: after a quoted path, or after the longest start of the line that is a file here.
    const dir = tempDir('lanchat-src-')
    const notes = join(dir, 'My Notes.pdf')
    writeFileSync(notes, 'x')
    const file = (text?: string): { run: ReturnType<typeof parseLine> } => ({ run: parseLine(JSON.stringify({ cmd: 'file', room: 'lobby', path: notes, ...(text !== undefined ? { text } : {}) })) })
    expect(term.command(`/file ${notes}`)).toEqual(file())
    expect(term.command(`/file ${notes} the minutes of Monday`)).toEqual(file('the minutes of Monday'))
    expect(term.command(`/file '${notes}' the minutes`)).toEqual(file('the minutes'))
    expect(term.command(`/file ${notes.replaceAll(' ', '\\ ')} the minutes`)).toEqual(file('the minutes'))
    expect(term.command(`/file ${join(dir, 'nope.pdf')} hi`)).toEqual({ run: parseLine(JSON.stringify({ cmd: 'file', room: 'lobby', path: join(dir, 'nope.pdf hi') })) })
    const id = 'ab'.repeat(32)
    const line = term.format({ type: 'message', id, room: 'lobby', author: 'x', name: 'ann', text: '📎 a.txt', lamport: 3, sentAt: 0, deps: [], file: { name: 'a.txt', size: 2048, mime: 'text/plain', sha256: 'c'.repeat(64) } })
    // The file is named once: after the paperclip, or in the brackets after a caption.
    expect(line).toMatch(/ abababab\] ann: 📎 a\.txt \[2\.0 KiB, Text\] \/download abababab$/)
    expect(new Terminal(() => 'me').format({ type: 'message', id: 'ef'.repeat(32), room: 'lobby', author: 'x', name: 'ann', text: 'the minutes', lamport: 4, sentAt: 0, deps: [], file: { name: 'a.txt', size: 2048, mime: 'text/plain', sha256: 'c'.repeat(64) } }))
      .toMatch(/ efefefef\] ann: the minutes \[a\.txt, 2\.0 KiB, Text\] \/download efefefef$/)
    expect(term.command('/download abababab')).toEqual({ run: parseLine(JSON.stringify({ cmd: 'download', id })) })
    expect(() => term.command('/download nope')).toThrow(expect.objectContaining({ name: 'CommandError' }))
    // As /reply takes N: the Nth newest file shown; alone, the last one.
    const other = 'cd'.repeat(32)
    term.format({ type: 'message', id: other, room: 'lobby', author: 'x', name: 'ann', text: '📎 b.png', lamport: 5, sentAt: 0, deps: [], file: { name: 'b.png', size: 10, mime: 'image/png', sha256: 'd'.repeat(64) } })
    expect(term.command('/download')).toEqual({ run: parseLine(JSON.stringify({ cmd: 'download', id: other })) })
    expect(term.command('/download 1')).toEqual({ run: parseLine(JSON.stringify({ cmd: 'download', id: other })) })
    expect(term.command('/download 2')).toEqual({ run: parseLine(JSON.stringify({ cmd: 'download', id })) })
    expect(() => term.command('/download 3')).toThrow(expect.objectContaining({ name: 'CommandError' }))
    expect(() => new Terminal(() => 'me').command('/download')).toThrow(expect.objectContaining({ name: 'CommandError' }))
  })

  it('the terminal: a download prints its progress once a second from a second on, so a small one is two lines', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const term = new Terminal(() => 'me')
      const id = 'ef'.repeat(32)
      const progress = (done: number, holders: number): string | undefined => term.format({ type: 'file:progress', id, room: 'lobby', sha256: 'e'.repeat(64), name: 'big.iso', done, size: 4096, bytesPerSecond: done, secondsLeft: null, holders, dropped: [], resumedFrom: 0, waiting: false })
      expect(term.format({ type: 'download', id, name: 'big.iso', size: 4096, sha256: 'e'.repeat(64) })).toBe('* downloading big.iso (4.0 KiB)')
      expect(progress(0, 0)).toBeUndefined()
      vi.advanceTimersByTime(1_000)
      expect(progress(1024, 1)).toBe('* big.iso: 25% at 1.0 KiB/s from 1 peer')
      vi.advanceTimersByTime(500)
      expect(progress(2048, 1)).toBeUndefined()
      vi.advanceTimersByTime(1_000)
      // The end is "saved" (file:done), not a "100%" line just before it.
      expect(progress(4096, 1)).toBeUndefined()
      expect(term.format({ type: 'file:done', id, room: 'lobby', sha256: 'e'.repeat(64), name: 'big.iso', size: 4096, path: '/tmp/big.iso', fetched: true })).toBe('* saved big.iso to /tmp/big.iso')
      // A client's downloads come from its hub.
      const client = new Terminal(() => 'me')
      client.format({ type: 'ready', mode: 'client', peerId: 'me', name: 'me', addrs: [] })
      client.format({ type: 'download', id, name: 'big.iso', size: 4096, sha256: 'e'.repeat(64) })
      vi.advanceTimersByTime(1_000)
      expect(client.format({ type: 'file:progress', id, room: 'lobby', sha256: 'e'.repeat(64), name: 'big.iso', done: 1024, size: 4096, bytesPerSecond: 1024, secondsLeft: 3, holders: 1, dropped: [], resumedFrom: 0, waiting: false })).toBe('* big.iso: 25% at 1.0 KiB/s from the hub, 3 s left')
      // A stall is said at once, in words, not as "0 B/s": what it waits for.
      const stall: Extract<EngineEvent, { type: 'file:progress' }> = { type: 'file:progress', id, room: 'lobby', sha256: 'e'.repeat(64), name: 'big.iso', done: 2048, size: 4096, bytesPerSecond: 0, secondsLeft: null, holders: 0, dropped: [], resumedFrom: 0, waiting: true }
      expect(client.format(stall)).toBe('* big.iso: 50%, waiting for the hub to connect (what came is kept)')
      expect(term.format(stall)).toBe('* big.iso: 50%, waiting for someone who has it to connect (what came is kept)')
      expect(term.format({ ...stall, holders: 1 })).toBe('* big.iso: 50%, waiting: nothing has come for a few seconds')
      // A download a restart left unfinished: said once as it goes on, then as any other.
      const resumed = new Terminal(() => 'me')
      const again = { ...stall, id: 'fa'.repeat(32), waiting: false, holders: 1, done: 3072, resumedFrom: 2048, bytesPerSecond: 0 }
      expect(resumed.format(again)).toBe('* going on with big.iso (4.0 KiB) where it stopped: 50% was kept')
      expect(resumed.format({ ...again, done: 3584, bytesPerSecond: 512 })).toBeUndefined()
      // Going on again: the first chunk has no pace yet, so no "at 0 bytes/s"; the next one says it.
      vi.advanceTimersByTime(1_000)
      expect(term.format({ ...stall, waiting: false, holders: 1, done: 2560 })).toBeUndefined()
      expect(term.format({ ...stall, waiting: false, holders: 1, done: 3072, bytesPerSecond: 1024, secondsLeft: 1 })).toBe('* big.iso: 75% at 1.0 KiB/s from 1 peer, 1 s left')
    } finally {
      vi.useRealTimers()
    }
  })

  it('client-server: the hub stores a submitted file and serves it after its author has left', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-') } })
    const benDownloads = tempDir('lanchat-dl-')
    const ben = await startClient('ben', h.addr(), { files: { downloadsDir: benDownloads, stallMs: 5_000 } })
    await until('both joined', () => ann.engine.connected && ben.engine.connected)
    const bytes = randomBytes(3 * 1024 * 1024 + 7)
    const src = join(tempDir('lanchat-src-'), 'slides.pdf')
    writeFileSync(src, bytes)
    const sent = await ann.engine.sendFile('lobby', src)
    await until('the hub stored the file', () => h.hub.hasFile(sha(bytes)))
    await stopClient(ann)
    // A restart of the hub keeps it (it is on disk, by hash).
    const dataDir = h.dataDir
    const port = h.addr().split('/')[4]
    await stopHub(h)
    const again = await startHub({ dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    expect(again.hub.hasFile(sha(bytes))).toBe(true)
    await until('ben has the message and the hub again', () => ben.engine.connected && ben.engine.history('lobby').some(m => m.id === sent.id), 15_000)
    const path = await ben.engine.download(sent.id)
    expect(dirname(path)).toBe(benDownloads)
    expect(sha(readFileSync(path))).toBe(sha(bytes))
    const done = ben.events.find((e): e is Extract<EngineEvent, { type: 'file:done' }> => e.type === 'file:done')
    expect(done).toMatchObject({ fetched: true, name: 'slides.pdf' })
  })

  it('client-server: a file whose message its author deletes leaves the hub and its clients; a download of it stops saying why', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-') } })
    const ben = await startClient('ben', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-') } })
    await until('both joined', () => ann.engine.connected && ben.engine.connected)
    const bytes = randomBytes(1024 * 1024)
    const src = join(tempDir('lanchat-src-'), 'wrong.pdf')
    writeFileSync(src, bytes)
    const sent = await ann.engine.sendFile('lobby', src)
    await until('the hub stored the file', () => h.hub.hasFile(sha(bytes)))
    await until('ben has the message', () => ben.engine.history('lobby').some(m => m.id === sent.id))
    await ann.engine.delete('lobby', sent.id)
    // Nothing of it is left in the hub's data directory, nor in its author's.
    const left = (dir: string): string[] => readdirSync(join(dir, 'files')).filter(f => f.startsWith(sha(bytes)))
    await until('the hub and ann no longer keep it', () => left(h.dataDir).length === 0 && left(ann.dataDir).length === 0)
    expect([h.hub.hasFile(sha(bytes)), ann.engine.hasFile(sha(bytes))]).toEqual([false, false])
    await until('ben sees it deleted', () => ben.engine.history('lobby').some(m => m.id === sent.id && m.deleted === true))
    await expect(ben.engine.download(sent.id)).rejects.toMatchObject({ name: 'NoFileError', message: 'whoever shared that file deleted its message: it is not shared any more' })
  })
})
