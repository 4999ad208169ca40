/**
 * A client allowed bigger files than its hub: the hub says its largest file in
 * its hello, and the client refuses to share one over it (FileTooLargeError,
 * naming the server's limit) before hashing anything, and sends nothing — rather
 * than a message whose file nobody can download through the hub. A file under
 * it still goes; a hub's limit changed while a client is linked reaches the
 * client at once; an older hub's hello says nothing and nothing changes. Real
 * hub, real clients, loopback TCP.
 */
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeHubFrame, encodeHubFrame } from '../main/net/hub-codec.js'
import { cleanupHubs, startClient, startHub, stopClient, stopHub } from './helpers/hub.js'
import { cleanup, tempDir, until } from './helpers/peers.js'

afterEach(async () => { await cleanupHubs(); await cleanup() })

const KiB = 1024

function shareable (name: string, bytes: number): string {
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, randomBytes(bytes))
  return path
}

describe('a file over the hub\'s largest file', () => {
  it('is refused by the client, in words naming the server\'s limit, and nothing is sent; one under it goes', async () => {
    const h = await startHub({ maxFileBytes: 512 * KiB })
    // Ann allows 8 MiB herself: the hub's limit is the smaller.
    const ann = await startClient('ann', h.addr(), { files: { maxFileBytes: 8 * 1024 * KiB } })
    const ben = await startClient('ben', h.addr())
    await until('both joined', () => ann.engine.connected && ben.engine.connected)

    const small = await ann.engine.sendFile('lobby', shareable('small.bin', 400 * KiB))
    await until('ben has the small file\'s message', () => ben.engine.history('lobby').some(m => m.id === small.id))

    const words = 'The file is 800 KiB; the server does not keep files over 512 KiB, so nobody could download it through the server'
    const err = await ann.engine.sendFile('lobby', shareable('big.bin', 800 * KiB)).then(() => undefined, (e: Error) => e)
    expect(err?.name).toBe('FileTooLargeError')
    expect(err?.message).toBe(words)
    // A window declaring the file's size before sending its bytes is refused at once, the same way.
    const upload = await ann.engine.upload(undefined, new Uint8Array(16), 800 * KiB).then(() => undefined, (e: Error) => e)
    expect(upload?.name).toBe('FileTooLargeError')
    expect(upload?.message).toBe(words)

    // Nothing was numbered between the small file and the next message.
    const after = await ann.engine.send('lobby', 'after')
    await until('ben has the next message', () => ben.engine.history('lobby').some(m => m.id === after.id))
    expect(ben.engine.history('lobby').map(m => m.id)).toEqual([small.id, after.id])
    expect(ann.engine.history('lobby').map(m => m.id)).toEqual([small.id, after.id])
  }, 30_000)

  it('follows the hub\'s limit changed while the client is linked', async () => {
    const h = await startHub({ maxFileBytes: 512 * KiB })
    const ann = await startClient('ann', h.addr())
    await until('ann joined', () => ann.engine.connected)
    const first = await ann.engine.send('lobby', 'hi')
    await until('ann has her message numbered', () => ann.delivered().some(m => m.id === first.id && m.seq !== undefined))
    await expect(ann.engine.sendFile('lobby', shareable('big.bin', 800 * KiB))).rejects.toMatchObject({ name: 'FileTooLargeError' })

    h.hub.setMaxFileBytes(1024 * KiB)
    // The hub's hello with its new limit comes before this message's numbering, on the same link.
    const second = await ann.engine.send('lobby', 'raised')
    await until('ann has it numbered', () => ann.delivered().some(m => m.id === second.id && m.seq !== undefined))
    const big = await ann.engine.sendFile('lobby', shareable('big.bin', 800 * KiB))
    await until('the hub numbered the file\'s message', () => ann.delivered().some(m => m.id === big.id && m.seq !== undefined))
  }, 30_000)

  it('an older hub, whose hello says no limit: the client keeps to its own', () => {
    const hello = decodeHubFrame(encodeHubFrame({ type: 'hello', name: 'old', version: 1, seq: 3 }))
    expect(hello).toEqual({ type: 'hello', name: 'old', version: 1, seq: 3 })
    const told = decodeHubFrame(encodeHubFrame({ type: 'hello', name: 'new', version: 1, seq: 3, maxFileBytes: 512 * KiB }))
    expect(told).toEqual({ type: 'hello', name: 'new', version: 1, seq: 3, maxFileBytes: 512 * KiB })
  })
})

describe('the hub\'s largest file, remembered', () => {
  it('a client restarted while its hub is down refuses a file over the hub\'s last said limit, until a new hello says otherwise', async () => {
    const h = await startHub({ maxFileBytes: 512 * KiB })
    const addr = h.addr()
    const files = { maxFileBytes: 8 * 1024 * KiB }
    const ann = await startClient('ann', addr, { files })
    await until('ann joined', () => ann.engine.connected)
    const hi = await ann.engine.send('lobby', 'hi')
    await until('ann has her message numbered', () => ann.delivered().some(m => m.id === hi.id && m.seq !== undefined))
    await stopClient(ann)
    await stopHub(h)

    // Restarted with the hub down: the limit is the one the hub last said, refused before anything is hashed.
    const again = await startClient('ann', addr, { dataDir: ann.dataDir, files })
    expect(again.engine.connected).toBe(false)
    const err = await again.engine.sendFile('lobby', shareable('big.bin', 800 * KiB)).then(() => undefined, (e: Error) => e)
    expect(err?.name).toBe('FileTooLargeError')
    expect(err?.message).toBe('The file is 800 KiB; the server does not keep files over 512 KiB, so nobody could download it through the server')
    expect(again.events.filter(e => e.type === 'pending')).toEqual([])

    // The hub comes back at its address with a larger limit: its hello replaces the one kept.
    const port = /\/tcp\/(\d+)/.exec(addr)![1]
    await startHub({ dataDir: h.dataDir, maxFileBytes: 1024 * KiB, listen: [`/ip4/127.0.0.1/tcp/${port}`] })
    await until('ann is back on the hub', () => again.engine.connected, 30_000)
    const raised = await again.engine.send('lobby', 'raised')
    await until('ann has it numbered', () => again.delivered().some(m => m.id === raised.id && m.seq !== undefined))
    const big = await again.engine.sendFile('lobby', shareable('big.bin', 800 * KiB))
    await until('the hub numbered the file\'s message', () => again.delivered().some(m => m.id === big.id && m.seq !== undefined))
  }, 60_000)
})
