/**
 * A hub whose largest file was raised (restarted with a bigger --max-file-mb, or the hosting
 * app's setting changed while it runs) stores the files it refused for size before: a client
 * that asks for one gets it through the hub, its sharer online or back later. Real hub, real
 * clients, loopback TCP.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupHubs, startClient, startHub, stopClient, stopHub, type TestHub } from './helpers/hub.js'
import { cleanup, sha, shareable, tempDir, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

const KiB = 1024

/** Ann shares an 800 KiB file while the hub (512 KiB at most) is down, so she has not heard its limit; the hub numbers it and refuses its file. */
async function refusedShare (more = 0): Promise<{ hub: TestHub, addr: string, port: string, annDir: string, id: string, content: Buffer }> {
  const first = await startHub({ maxFileBytes: 512 * KiB })
  const addr = first.addr()
  const port = addr.split('/')[4]!
  await stopHub(first)
  const ann = await startClient('ann', addr)
  const big = shareable('big.bin', 800 * KiB)
  const sent = await ann.engine.sendFile('lobby', big.path)
  const hub = await startHub({ dataDir: first.dataDir, listen: [`/ip4/127.0.0.1/tcp/${port}`], maxFileBytes: 512 * KiB })
  await until('the hub numbered it and refused its file', () => hub.events.some(e => e.type === 'message' && e.id === sent.id), 15_000)
  await new Promise(resolve => setTimeout(resolve, 500))
  expect(hub.hub.hasFile(sha(big.content))).toBe(false)
  // Messages after it, as time goes on.
  for (let i = 0; i < more; i++) {
    const m = await ann.engine.send('lobby', `later ${i}`)
    await until('the hub numbered it', () => hub.events.some(e => e.type === 'message' && e.id === m.id))
  }
  await stopClient(ann)
  return { hub, addr, port, annDir: ann.dataDir, id: sent.id, content: big.content }
}

describe('a hub whose largest file was raised', () => {
  it('restarted with a bigger limit, serves a file it refused before: the download waits for its sharer and completes', async () => {
    const r = await refusedShare()
    const downloads = tempDir('lanchat-dl-')
    const benDir = tempDir('lanchat-ben-')
    let ben = await startClient('ben', r.addr, { dataDir: benDir, files: { downloadsDir: downloads, stallMs: 3_000 } })
    await until('ben has the message', () => ben.engine.history('lobby').some(m => m.id === r.id), 15_000)
    await expect(ben.engine.download(r.id)).rejects.toThrow('the server does not keep files over 512 KiB, and this one is 800 KiB: it cannot be downloaded through the server')
    await stopClient(ben)

    await stopHub(r.hub)
    const hub = await startHub({ dataDir: r.hub.dataDir, listen: [`/ip4/127.0.0.1/tcp/${r.port}`], maxFileBytes: 1024 * KiB })
    ben = await startClient('ben', r.addr, { dataDir: benDir, files: { downloadsDir: downloads, stallMs: 3_000 } })
    await until('ben is back', () => ben.engine.connected, 15_000)
    let result: string | Error | undefined
    ben.engine.download(r.id).then(p => { result = p }, (e: Error) => { result = e })
    // Its sharer is away: the hub says it will have it, and the download waits rather than fail.
    await until('ben sees it waiting', () => ben.events.some(e => e.type === 'file:progress' && e.id === r.id && e.waiting), 15_000)
    expect(result).toBeUndefined()
    await startClient('ann', r.addr, { dataDir: r.annDir })
    await until('the download completed', () => result !== undefined, 30_000)
    expect(result).toBeTypeOf('string')
    expect(sha(readFileSync(result as string))).toBe(sha(r.content))
    expect(hub.hub.hasFile(sha(r.content))).toBe(true)
  }, 90_000)

  it('restarted with a bigger limit, fetches a refused file older than the messages it rechecks at start once a client asks for it', async () => {
    const r = await refusedShare(2)
    await stopHub(r.hub)
    // Only the newest message's file is looked at on start: the refused one is older.
    const hub = await startHub({ dataDir: r.hub.dataDir, listen: [`/ip4/127.0.0.1/tcp/${r.port}`], maxFileBytes: 1024 * KiB, filesRechecked: 1 })
    await startClient('ann', r.addr, { dataDir: r.annDir })
    const downloads = tempDir('lanchat-dl-')
    const ben = await startClient('ben', r.addr, { files: { downloadsDir: downloads, stallMs: 3_000 } })
    await until('ben has the message', () => ben.engine.history('lobby').some(m => m.id === r.id), 15_000)
    expect(hub.hub.hasFile(sha(r.content))).toBe(false)
    const path = await ben.engine.download(r.id)
    expect(sha(readFileSync(path))).toBe(sha(r.content))
    expect(hub.hub.hasFile(sha(r.content))).toBe(true)
  }, 90_000)

  it('raised while it runs (the hosting app\'s setting), fetches a file it refused before from its sharer online, and a client gets it', async () => {
    const r = await refusedShare()
    await startClient('ann', r.addr, { dataDir: r.annDir })
    const downloads = tempDir('lanchat-dl-')
    const ben = await startClient('ben', r.addr, { files: { downloadsDir: downloads, stallMs: 3_000 } })
    await until('ben has the message', () => ben.engine.history('lobby').some(m => m.id === r.id), 15_000)
    r.hub.hub.setMaxFileBytes(1024 * KiB)
    // Its sharer is online: the hub fetches it at once, before anyone asks.
    await until('the hub stored it', () => r.hub.hub.hasFile(sha(r.content)), 15_000)
    const path = await ben.engine.download(r.id)
    expect(sha(readFileSync(path))).toBe(sha(r.content))
    expect(r.hub.hub.hasFile(sha(r.content))).toBe(true)
  }, 90_000)
})
