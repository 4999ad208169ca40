/**
 * A hub with a limit on the files it keeps (`bin/lanchat server --keep-files-gb N`,
 * and the app's own limit for a hub it hosts): past it the files used longest
 * ago are dropped, and one a client asks for is fetched again from the client
 * that shared it, so the client's download still completes; and a fetch that
 * failed is tried again without waiting for a client to join. Real hub, real
 * clients, loopback TCP.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HUB_FETCHES_AT_ONCE, HUB_MOST_MISSING, HubFiles } from '../main/server/hub-files.js'
import type { ChatMessage } from '../main/core/message.js'
import type { FileProtocol } from '../main/net/file-protocol.js'
import { ChatDb } from '../main/store/db.js'
import { cleanupHubs, startClient, startHub, stopHub, type TestClient } from './helpers/hub.js'
import { cleanup, tempDir, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const KiB = 1024

async function share (c: TestClient, name: string, bytes: number): Promise<{ id: string, content: Buffer, sha: string }> {
  const content = randomBytes(bytes)
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, content)
  const sent = await c.engine.sendFile('lobby', path)
  return { id: sent.id, content, sha: sha(content) }
}

describe('a hub that keeps files within a limit', () => {
  it('drops the file used longest ago, fetches it again from its author when a client asks, and does not fetch dropped files again on a restart', async () => {
    const log: string[] = []
    // Room for two of the 600 KiB files (and their chunk lists), not three.
    const h = await startHub({ keepFilesBytes: 1_300 * KiB, log: line => { log.push(line) } })
    const ann = await startClient('ann', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-') } })
    const benDownloads = tempDir('lanchat-dl-')
    const ben = await startClient('ben', h.addr(), { files: { downloadsDir: benDownloads, stallMs: 15_000 } })
    await until('both joined', () => ann.engine.connected && ben.engine.connected)

    const a = await share(ann, 'a.bin', 600 * KiB)
    await until('the hub stored a', () => h.hub.hasFile(a.sha))
    const b = await share(ann, 'b.bin', 600 * KiB)
    await until('the hub stored b', () => h.hub.hasFile(b.sha))
    const c = await share(ann, 'c.bin', 600 * KiB)
    await until('the hub stored c', () => h.hub.hasFile(c.sha))
    // Three would be over: the one stored longest ago went.
    await until('the hub dropped a', () => !h.hub.hasFile(a.sha))
    expect([h.hub.hasFile(b.sha), h.hub.hasFile(c.sha)]).toEqual([true, true])
    expect(readdirSync(join(h.dataDir, 'files-dropped'))).toEqual([a.sha])
    expect(await h.hub.fileStorage()).toMatchObject({ others: { files: 2 }, keepBytes: 1_300 * KiB })
    expect((await h.hub.fileStorage()).others.bytes).toBeLessThanOrEqual(1_300 * KiB)
    await until('the hub said why', () => log.some(l => /dropped the 1 used longest ago/.test(l)))

    // Ben asks the hub for a: it fetches a from ann again, and ben's download completes.
    await until('ben has the messages', () => ben.engine.history('lobby').some(m => m.id === c.id))
    const path = await ben.engine.download(a.id)
    expect(sha(readFileSync(path))).toBe(a.sha)
    expect(log.some(l => l === 'fetching a.bin again: a client asked for it')).toBe(true)
    expect(h.hub.hasFile(a.sha)).toBe(true)
    // Within the limit again: b, now the one used longest ago, went.
    await until('the hub dropped b', () => !h.hub.hasFile(b.sha))

    // A restart reads what was dropped: b is not fetched again at start, though ann, who has it, is back.
    // The hub's database is made as LAN Chat left it before the files index (schema 4, the index empty):
    // the message sharing b is found by a scan of the older rows.
    const dataDir = h.dataDir
    const port = h.addr().split('/')[4]
    await stopHub(h)
    const { db } = ChatDb.open(dataDir)
    db.sql('DELETE FROM files').run()
    db.sql("DELETE FROM meta WHERE scope = 'files'").run()
    db.sql('PRAGMA user_version = 4').run()
    db.close()
    const log2: string[] = []
    const again = await startHub({ dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`], keepFilesBytes: 1_300 * KiB, log: line => { log2.push(line) } })
    await until('both back', () => ann.engine.connected && ben.engine.connected, 15_000)
    const d = await share(ann, 'd.bin', 100 * KiB)
    await until('the hub stored d', () => again.hub.hasFile(d.sha))
    expect(again.hub.hasFile(b.sha)).toBe(false)
    expect(log2.some(l => l.startsWith('stored b.bin'))).toBe(false)
    // Asked for, it is fetched again.
    const pathB = await ben.engine.download(b.id)
    expect(sha(readFileSync(pathB))).toBe(b.sha)
    expect(log2).toContain('fetching b.bin again: a client asked for it')
  })

  it('a lowered limit drops files at once; a dropped file whose message is deleted is forgotten', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-') } })
    await until('ann joined', () => ann.engine.connected)
    const a = await share(ann, 'a.bin', 300 * KiB)
    await until('the hub stored a', () => h.hub.hasFile(a.sha))
    const b = await share(ann, 'b.bin', 300 * KiB)
    await until('the hub stored b', () => h.hub.hasFile(b.sha))
    // No limit by default: both kept. Lowered to one file's room: the older goes, marked as dropped.
    h.hub.setKeepFilesBytes(400 * KiB)
    await until('the hub dropped a', () => !h.hub.hasFile(a.sha))
    expect(h.hub.hasFile(b.sha)).toBe(true)
    const dropped = (): string[] => readdirSync(join(h.dataDir, 'files-dropped'))
    expect(dropped()).toEqual([a.sha])
    // Its author deletes the message: nothing asks for it any more, and the hub forgets it.
    await ann.engine.delete('lobby', a.id)
    await until('the hub forgot a', () => dropped().length === 0)

    // A hub stopped between marking a file and removing it finds the file still there on its next start: kept, not dropped.
    const dataDir = h.dataDir
    await stopHub(h)
    writeFileSync(join(dataDir, 'files-dropped', b.sha), '')
    const again = await startHub({ dataDir, keepFilesBytes: 400 * KiB })
    expect(again.hub.hasFile(b.sha)).toBe(true)
    expect(readdirSync(join(dataDir, 'files-dropped'))).toEqual([])
  })

  it('a file being served is not dropped; once its transfer ends, the limit is kept', async () => {
    const dir = tempDir('lanchat-hubfiles-')
    const files = new HubFiles(dir, { files: () => undefined, clients: () => [], sharing: () => undefined, log: () => {} })
    await files.load()
    const src = join(tempDir('lanchat-src-'), 'a.bin')
    writeFileSync(src, randomBytes(300 * KiB))
    const { sha256 } = await files.blobs.add(src, 2 ** 30)
    const reader = await files.open(sha256)
    expect(reader).toBeDefined()
    files.keepBytes = 0
    await files.trim()
    expect(files.has(sha256)).toBe(true)
    await reader!.close()
    await until('dropped once no longer served', () => !files.has(sha256))
    await files.stop()
  })
})

describe('a hub fetching its clients\' files', () => {
  it('a file it could not fetch is tried again on its own, without waiting for a client to join', async () => {
    const log: string[] = []
    const h = await startHub({ log: line => { log.push(line) } })
    const ann = await startClient('ann', h.addr(), { files: { downloadsDir: tempDir('lanchat-dl-') } })
    await until('ann joined', () => ann.engine.connected)
    const port = h.addr().split('/')[4]
    await stopHub(h)
    await until('ann lost the hub', () => !ann.engine.connected)
    // Shared while the hub is down; then Ann's copy is moved away, so the hub's first fetch finds nobody with it.
    const a = await share(ann, 'a.bin', 100 * KiB)
    const files = join(ann.dataDir, 'files')
    const aside = tempDir('lanchat-aside-')
    for (const name of readdirSync(files).filter(n => n.startsWith(a.sha))) renameSync(join(files, name), join(aside, name))
    const again = await startHub({ dataDir: h.dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`], log: line => { log.push(line) } })
    await until('the hub numbered the message', () => again.hub.history('lobby').some(m => m.id === a.id), 15_000)
    await until('the hub could not fetch it', () => log.some(l => l.startsWith('could not fetch a.bin')), 20_000)
    for (const name of readdirSync(aside)) renameSync(join(aside, name), join(files, name))
    // Nobody joins: the hub tries again by itself and stores it.
    await until('the hub stored it', () => again.hub.hasFile(a.sha), 20_000)
  }, 60_000)

  it('files whose holders never serve them: fetched a few at a time, and past a thousand waiting the one waiting longest is given up', async () => {
    const log: string[] = []
    // A holder that answers nothing until the fetch is given up: each fetch under way holds a stream here.
    let open = 0
    let most = 0
    const protocol = {
      open: async (_peer: string, _sha: string, { signal }: { signal: AbortSignal }) => {
        open++
        most = Math.max(most, open)
        await new Promise<void>((resolve) => { signal.addEventListener('abort', () => { resolve() }, { once: true }) })
        open--
        throw new Error('the holder went away')
      }
    } as unknown as FileProtocol
    const files = new HubFiles(tempDir('lanchat-hubfiles-'), { files: () => protocol, clients: () => ['mallory'], sharing: () => undefined, log: (line) => { log.push(line) } })
    await files.load()
    const fileMessage = (i: number): ChatMessage => {
      const hex = createHash('sha256').update(`junk ${i}`).digest('hex')
      return { author: 'mallory', file: { name: `junk-${i}.bin`, size: 1024, mime: 'application/octet-stream', sha256: hex, chunkSize: 256 * KiB, chunksRoot: hex, thumbnail: new Uint8Array(16 * KiB), thumbnailMime: 'image/png' } } as unknown as ChatMessage
    }
    try {
      for (let i = 0; i < HUB_MOST_MISSING + 5; i++) files.note(fileMessage(i))
      await until('fetches under way', () => open === HUB_FETCHES_AT_ONCE)
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(most).toBe(HUB_FETCHES_AT_ONCE)
      // The four under way stay; the five waiting longest behind them were given up, each said once.
      const gaveUp = log.filter(l => l.startsWith('gave up fetching'))
      expect(gaveUp).toHaveLength(5)
      expect(gaveUp[0]).toMatch(/^gave up fetching junk-4\.bin/)
    } finally {
      await files.stop()
    }
  })
})
