/**
 * The largest file, wherever it is set: `--max-file-mb N` for bin/lanchat peer
 * and server, and the app's "largest file" setting for a hub hosted inside the
 * app (which it follows at once, without a restart).
 */
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { HubHost } from '../main/app/hub-host.js'
import { DEFAULT_SETTINGS } from '../main/app/settings.js'
import { cleanupHubs, startClient } from './helpers/hub.js'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
const hosts: HubHost[] = []
afterEach(async () => {
  await cleanupHubs()
  await Promise.all(hosts.splice(0).map(async h => { await h.stop() }))
  await killAll()
  await cleanup()
})

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
const MiB = 2 ** 20

function fileOf (bytes: number, name: string): { path: string, content: Buffer } {
  const content = randomBytes(bytes)
  const path = join(tempDir('lanchat-src-'), name)
  writeFileSync(path, content)
  return { path, content }
}

describe('--max-file-mb', () => {
  it('is listed in --help; a peer started with it refuses a bigger file and shares a smaller one', async () => {
    const help = lanchat(['--help'])
    await help.exited
    const usage = help.events.map(e => String((e as { line?: string }).line ?? '')).join('\n')
    expect(usage).toMatch(/--max-file-mb N/)

    const peer = lanchat(['peer', '--json', '--no-mdns', '--name', 'ann', '--data', tempDir(), '--listen', '/ip4/127.0.0.1/tcp/0', '--max-file-mb', '1'])
    await peer.waitFor('ready', e => e.type === 'ready')
    peer.send({ cmd: 'file', room: 'lobby', path: fileOf(MiB + 1, 'big.bin').path })
    await peer.waitFor('refused', e => e.type === 'error' && e.code === 'FileTooLargeError')
    peer.send({ cmd: 'file', room: 'lobby', path: fileOf(MiB, 'small.bin').path })
    const shared = await peer.waitFor('shared', e => e.type === 'message' && e.file !== undefined)
    expect(shared.file).toMatchObject({ name: 'small.bin', size: MiB })
    await peer.kill('SIGTERM')
  })

  it('anything but a whole number of MB from 1 to 65536 exits 2 saying why, for peer and server alike, a negative one too', async () => {
    // A negative number given as its own argument is the value, not the parser's "ambiguous" option.
    for (const [sub, value] of [['peer', '0'], ['peer', '1.5'], ['server', 'lots'], ['server', '65537'], ['server', '-1']] as const) {
      const p = lanchat([sub, '--json', '--no-mdns', '--data', tempDir(), '--max-file-mb', value])
      expect(await p.exited).toBe(2)
      expect(p.stderr.join('\n')).toMatch(/--max-file-mb is a whole number of MB from 1 to 65536/)
      expect(p.events).toEqual([])
    }
  })
})

describe('--keep-others-gb', () => {
  it('is listed in --help with its range; anything but a whole number of GB from 1 to 65536 exits 2 saying why, a negative one too', async () => {
    const help = lanchat(['--help'])
    await help.exited
    const usage = help.events.map(e => String((e as { line?: string }).line ?? '')).join('\n')
    expect(usage).toMatch(/--keep-others-gb N +copies of others' files kept to serve them, in GB \(GiB\): 1 to 65536;/)
    // The server's size options say theirs too.
    expect(usage).toMatch(/--max-file-mb N +largest file the hub stores for its clients, in MB \(MiB\): 1 to 65536 /)
    expect(usage).toMatch(/--keep-files-gb N +files kept for the clients, in GB \(GiB\): 1 to 65536;/)
    for (const value of ['0', '2.5', 'all', '65537', '-1']) {
      const p = lanchat(['peer', '--json', '--no-mdns', '--data', tempDir(), '--keep-others-gb', value])
      expect(await p.exited).toBe(2)
      expect(p.stderr.join('\n')).toMatch(/--keep-others-gb is a whole number of GB from 1 to 65536/)
      expect(p.events).toEqual([])
    }
  })
})

describe('--keep-files-gb', () => {
  it('is listed in the server\'s --help; anything but a whole number of GB from 1 to 65536 exits 2 saying why', async () => {
    const help = lanchat(['--help'])
    await help.exited
    expect(help.events.map(e => String((e as { line?: string }).line ?? '')).join('\n')).toMatch(/--keep-files-gb N +files kept for the clients/)
    for (const value of ['0', '1.5', 'all', '65537', '-1']) {
      const p = lanchat(['server', '--json', '--no-mdns', '--data', tempDir(), '--keep-files-gb', value])
      expect(await p.exited).toBe(2)
      expect(p.stderr.join('\n')).toMatch(/--keep-files-gb is a whole number of GB from 1 to 65536/)
      expect(p.events).toEqual([])
    }
  })
})

describe('a hub hosted in the app', () => {
  it('keeps every file of its clients unless "keep the server\'s files" gives a limit, apart from the app\'s own copies, and follows a change at once', async () => {
    const host = new HubHost()
    hosts.push(host)
    const settings = { ...DEFAULT_SETTINGS, name: 'Ann', hostServer: true, mode: 'client-server' as const }
    const where = { dataDir: tempDir('lanchat-app-'), host: '127.0.0.1', mdns: false }
    await host.apply(settings, where)
    const hub = host.server!
    // As bin/lanchat server without --keep-files-gb: the hub is where a file whose sharer left is still found.
    expect(hub.keepFilesBytes).toBe(Infinity)
    expect(await hub.fileStorage()).not.toHaveProperty('keepBytes')
    // The app's limit on its own copies of others' files is not the hub's.
    await host.apply({ ...settings, keepOthersGB: 2 }, where)
    expect(hub.keepFilesBytes).toBe(Infinity)
    await host.apply({ ...settings, serverKeepFilesGB: 3 }, where)
    expect(host.server).toBe(hub)
    expect(hub.keepFilesBytes).toBe(3 * 2 ** 30)
    expect(await hub.fileStorage()).toMatchObject({ keepBytes: 3 * 2 ** 30 })
    await host.apply({ ...settings, serverKeepFilesGB: 0 }, where)
    expect(hub.keepFilesBytes).toBe(Infinity)
  })

  it('stores files up to the "largest file" setting, and follows a change at once', async () => {
    const host = new HubHost()
    hosts.push(host)
    const settings = { ...DEFAULT_SETTINGS, name: 'Ann', hostServer: true, mode: 'client-server' as const, maxFileMB: 1 }
    const where = { dataDir: tempDir('lanchat-app-'), host: '127.0.0.1', mdns: false }
    const plan = await host.apply(settings, where)
    const hub = host.server!
    // A client allowed bigger files than the hub.
    const ben = await startClient('ben', plan.server!, { files: { maxFileBytes: 8 * MiB } })
    await until('ben joined', () => ben.engine.connected)

    const big = fileOf(2 * MiB, 'big.bin')
    const small = fileOf(MiB, 'small.bin')
    await ben.engine.sendFile('lobby', small.path)
    await until('the hub stored the small file', () => hub.hasFile(sha(small.content)))
    // The hub said its limit in its hello: ben refuses the big one rather than share what the hub would not store.
    await expect(ben.engine.sendFile('lobby', big.path)).rejects.toMatchObject({ name: 'FileTooLargeError', message: expect.stringMatching(/the server does not keep files over 1\.0 MiB/) })

    // The setting rises; the same hub (no restart) says so to ben at once, and stores the next big file.
    const again = await host.apply({ ...settings, maxFileMB: 4 }, where)
    expect(host.server).toBe(hub)
    expect(again.server).toBe(plan.server)
    const said = await ben.engine.send('lobby', 'after the change')
    await until('ben has it numbered', () => ben.engine.history('lobby').some(m => m.id === said.id && m.seq !== undefined))
    const big2 = fileOf(3 * MiB, 'big2.bin')
    await ben.engine.sendFile('lobby', big2.path)
    await until('the hub stored the bigger file', () => hub.hasFile(sha(big2.content)))
  })
})
