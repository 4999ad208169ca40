/**
 * A hub on a disk that fills up with its clients' files: it drops the files
 * used longest ago to make room for a new one (they are fetched again when
 * asked for), never takes the last of the disk from its messages' database,
 * and refuses a file that cannot fit even then, while it goes on numbering
 * messages. bin/lanchat server runs on a tmpfs of its own (root only).
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cleanupHubs, startClient } from './helpers/hub.js'
import { rawHubClient, stopRawHubClients } from './helpers/raw-hub-client.js'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { canMountTmpfs, ensureBuilt, killAll, lanchat } from './helpers/proc.js'

const tmpfs = canMountTmpfs()
beforeAll(() => { if (tmpfs) ensureBuilt() }, 120_000)
afterEach(async () => { await stopRawHubClients(); await cleanupHubs(); await cleanup() })
afterAll(async () => { await killAll() })

const MiB = 2 ** 20
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

describe.skipIf(!tmpfs)('a hub whose disk fills up', () => {
  it('drops the file used longest ago to make room, refuses one that cannot fit, and goes on numbering messages', async () => {
    const data = tempDir('lanchat-hub-disk-')
    // 16 MiB: room for three 4 MiB files beside the database and a tenth kept free, not four.
    const server = lanchat(['server', '--json', '--no-mdns', '--data', data, '--listen', '/ip4/127.0.0.1/tcp/0'], { tmpfs: { dir: data, size: '16m' } })
    const ready = await server.waitFor('ready', e => e.type === 'ready')
    const said = (re: RegExp): boolean => server.stderr.some(l => re.test(l))
    const ann = await startClient('ann', (ready.addrs as string[])[0]!, { files: { downloadsDir: tempDir('lanchat-dl-') } })
    const benDownloads = tempDir('lanchat-dl-')
    const ben = await startClient('ben', (ready.addrs as string[])[0]!, { files: { downloadsDir: benDownloads, stallMs: 15_000 } })
    await until('both joined', () => ann.engine.connected && ben.engine.connected)

    const share = async (name: string, bytes: number): Promise<{ id: string, sha: string }> => {
      const content = randomBytes(bytes)
      const path = join(tempDir('lanchat-src-'), name)
      writeFileSync(path, content)
      const sent = await ann.engine.sendFile('lobby', path)
      return { id: sent.id, sha: sha(content) }
    }
    const a = await share('a.bin', 4 * MiB)
    await until('a stored', () => said(/stored a\.bin/), 20_000)
    await share('b.bin', 4 * MiB)
    await until('b stored', () => said(/stored b\.bin/), 20_000)
    await share('c.bin', 4 * MiB)
    await until('c stored', () => said(/stored c\.bin/), 20_000)
    await share('d.bin', 4 * MiB)
    await until('d stored', () => said(/stored d\.bin/), 20_000)
    // The disk could not hold all four: the oldest went to make room.
    expect(said(/made room for (c|d)\.bin on a full disk: dropped the file used longest ago \(4\.0 MiB\)/)).toBe(true)

    // A file bigger than the whole disk: nothing it can drop makes room, so it is not fetched; it says why.
    await share('huge.bin', 24 * MiB)
    await until('huge refused', () => said(/could not fetch huge\.bin: not enough free space for it: .* free and 12 MiB of other files it could drop, and it needs 24 MiB with .* left for the messages/), 20_000)
    // ...and nothing was dropped for a file that would not have fitted anyway.
    expect(said(/made room for huge\.bin/)).toBe(false)

    // A client that shares a file it never serves (a manifest made up: nobody has its bytes): the hub drops none
    // of the files it keeps for it, though it would have to for a real one of that size.
    const liar = await rawHubClient((ready.addrs as string[])[0]!)
    const ghost = { name: 'ghost.bin', size: 4 * MiB, mime: 'application/octet-stream', sha256: 'ab'.repeat(32), chunkSize: 256 * 1024, chunksRoot: 'cd'.repeat(32) }
    liar.link.send({ type: 'submit', messages: [await liar.make('📎 ghost.bin', 1, '', 1, { file: ghost })] })
    await until('ghost numbered', () => server.events.some(e => e.type === 'message' && e.text === '📎 ghost.bin'))
    await until('ghost not fetched', () => said(/could not fetch ghost\.bin yet: no connected peer has the file/), 20_000)
    expect(said(/made room for ghost\.bin/)).toBe(false)
    // Messages are still numbered: the database kept its room.
    await ann.engine.send('lobby', 'still here')
    await until('numbered', () => server.events.some(e => e.type === 'message' && e.text === 'still here' && typeof e.seq === 'number'))
    // Tried again when a client joins, it does not say the same again.
    const carl = await startClient('carl', (ready.addrs as string[])[0]!)
    await until('carl joined', () => carl.engine.connected)
    await ann.engine.send('lobby', 'after carl')
    await until('numbered after carl', () => server.events.some(e => e.type === 'message' && e.text === 'after carl'))
    expect(server.stderr.filter(l => /could not fetch huge\.bin/.test(l))).toHaveLength(1)

    // The file dropped first is fetched again from ann when ben asks for it.
    await until('ben has the messages', () => ben.engine.history('lobby').some(m => m.id === a.id))
    const path = await ben.engine.download(a.id)
    expect(sha(readFileSync(path))).toBe(a.sha)
    expect(said(/fetching a\.bin again: a client asked for it/)).toBe(true)
    await server.kill('SIGTERM')
  }, 90_000)
})
