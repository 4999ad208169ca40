/**
 * A client downloads a file its hub does not have: one over the hub's size limit
 * (`bin/lanchat server --max-file-mb N`), which the hub never stores (a client refuses to
 * share one once the hub said its limit, test/hub-file-limit.test.ts; this one was shared
 * while the hub was unreachable), fails with words
 * that say so rather than "no connected peer has the file"; one whose author went
 * offline before the hub fetched it waits, and completes on its own once the author
 * is back — no Retry; one the hub has no room to store fails saying so, and Retry works
 * once there is room. Real hub, real clients, loopback TCP.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../main/chat/types.js'
import { HubConsole } from '../main/app/hub-cli.js'
import { cleanupHubs, startClient, startHub, stopClient, stopHub } from './helpers/hub.js'
import { cleanup, sha, shareable, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, hasPrlimit, killAll, lanchat } from './helpers/proc.js'

beforeAll(() => { if (hasPrlimit) ensureBuilt() }, 120_000)
afterEach(async () => { await cleanupHubs(); await cleanup() })
afterAll(async () => { await killAll() })

const KiB = 1024

describe('a file the hub does not have', () => {
  it('over the hub\'s size limit: the download fails saying the server does not keep files that large, and nothing is saved', async () => {
    // Ann shares the file while the hub is down: she has not heard its limit, so the message waits and goes once it is back.
    const first = await startHub({ maxFileBytes: 512 * KiB })
    const addr = first.addr()
    const port = addr.split('/')[4]
    await stopHub(first)
    const ann = await startClient('ann', addr)
    const big = shareable('big.bin', 800 * KiB)
    const sent = await ann.engine.sendFile('lobby', big.path)
    await startHub({ dataDir: first.dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`], maxFileBytes: 512 * KiB })
    const downloads = tempDir('lanchat-dl-')
    const ben = await startClient('ben', addr, { files: { downloadsDir: downloads, stallMs: 3_000 } })
    await until('both joined', () => ann.engine.connected && ben.engine.connected, 15_000)
    await until('ben has the message', () => ben.engine.history('lobby').some(m => m.id === sent.id))
    const err = await ben.engine.download(sent.id).then(() => undefined, (e: Error) => e)
    expect(err?.name).toBe('NoHolderError')
    expect(err?.message).toBe('the server does not keep files over 512 KiB, and this one is 800 KiB: it cannot be downloaded through the server')
    const failed = ben.events.find((e): e is Extract<EngineEvent, { type: 'file:failed' }> => e.type === 'file:failed' && e.id === sent.id)
    expect(failed?.error).toBe(err?.message)
    expect(readdirSync(downloads)).toEqual([])
  }, 30_000)

  it('its author went offline before the hub fetched it: the download waits, and completes once the author is back', async () => {
    const h = await startHub()
    const annDir = tempDir('lanchat-ann-')
    const ann = await startClient('ann', h.addr(), { dataDir: annDir })
    const downloads = tempDir('lanchat-dl-')
    const ben = await startClient('ben', h.addr(), { files: { downloadsDir: downloads, stallMs: 2_000 } })
    await until('both joined', () => ann.engine.connected && ben.engine.connected)

    const doc = shareable('report.bin', 4096 * KiB)
    const sent = await ann.engine.sendFile('lobby', doc.path)
    await stopClient(ann)
    // The hub did not get the file before its author left (the situation under test).
    expect(h.hub.hasFile(sha(doc.content))).toBe(false)
    await until('ben has the message', () => ben.engine.history('lobby').some(m => m.id === sent.id))

    let result: string | Error | undefined
    ben.engine.download(sent.id).then(p => { result = p }, (e: Error) => { result = e })
    await until('ben sees it waiting', () => ben.events.some(e => e.type === 'file:progress' && e.id === sent.id && e.waiting))
    // Well past the stall time (2 s), it has not failed: the hub said it will have it.
    await new Promise(resolve => setTimeout(resolve, 5_000))
    expect(result).toBeUndefined()
    expect(ben.events.some(e => e.type === 'file:failed')).toBe(false)
    // The server's console says what it waits for, the largest file it stores and its disk's room.
    const said = new HubConsole().line({ type: 'storage', ...await h.hub.fileStorage() }).split('\n')
    expect(said[0]).toMatch(/^\* files kept for the clients: 0, 0 bytes; waiting to fetch 1 from whoever shared it \(4\.0 MiB(, .* of it here so far)?\)$/)
    expect(said[1]).toMatch(/^\* files over 2\.0 GiB are not stored \(nobody can download them through the server\); the disk has .+ free of .+$/)

    await startClient('ann', h.addr(), { dataDir: annDir })
    await until('the download completed', () => result !== undefined, 30_000)
    expect(typeof result).toBe('string')
    expect(sha(readFileSync(result as string))).toBe(sha(doc.content))
  }, 60_000)

  it.skipIf(!hasPrlimit)('one the hub has no room for: the download fails saying the server could not store it, and Retry works once it can', async () => {
    const MiB = 2 ** 20
    // bin/lanchat server whose writes stop at 1 MiB a file (EFBIG, as a full disk stops them with ENOSPC).
    const data = tempDir('lanchat-hub-full-')
    const args = ['server', '--json', '--no-mdns', '--data', data, '--listen', '/ip4/127.0.0.1/tcp/0']
    let server = lanchat(args, { fileSizeLimit: MiB })
    let addr = ((await server.waitFor('ready', e => e.type === 'ready')).addrs as string[])[0]!
    const annDir = tempDir('lanchat-ann-')
    let ann = await startClient('ann', addr, { dataDir: annDir })
    const downloads = tempDir('lanchat-dl-')
    const benDir = tempDir('lanchat-ben-')
    let ben = await startClient('ben', addr, { dataDir: benDir, files: { downloadsDir: downloads, stallMs: 3_000 } })
    await until('both joined', () => ann.engine.connected && ben.engine.connected)

    const doc = shareable('plans.bin', 2 * MiB)
    const sent = await ann.engine.sendFile('lobby', doc.path)
    await until('the hub said why it could not store it', () => server.stderr.some(l => /could not fetch plans\.bin/.test(l)), 20_000)
    await until('ben has the message', () => ben.engine.history('lobby').some(m => m.id === sent.id))
    const err = await ben.engine.download(sent.id).then(() => undefined, (e: Error) => e)
    expect(err?.name).toBe('NoHolderError')
    expect(err?.message).toBe('the server could not store this file: the file is larger than its system lets it write')
    expect(readdirSync(downloads)).toEqual([])

    // The hub's disk has room again (here: restarted without the limit): Retry brings the file.
    await stopClient(ann); await stopClient(ben)
    await server.kill('SIGTERM')
    server = lanchat(args)
    addr = ((await server.waitFor('ready', e => e.type === 'ready')).addrs as string[])[0]!
    ann = await startClient('ann', addr, { dataDir: annDir })
    ben = await startClient('ben', addr, { dataDir: benDir, files: { downloadsDir: downloads, stallMs: 3_000 } })
    await until('both back', () => ann.engine.connected && ben.engine.connected, 15_000)
    const path = await ben.engine.download(sent.id)
    expect(sha(readFileSync(path))).toBe(sha(doc.content))
    expect(readdirSync(downloads)).toEqual(['plans.bin'])
    await server.kill('SIGTERM')
  }, 90_000)
})
