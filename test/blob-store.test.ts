/**
 * The file store's own count of what it keeps: read from the disk once, then kept as files come
 * and go through it, and still right when a person adds or deletes files in the data directory
 * by hand. Real files in a temporary directory.
 */
import { randomBytes } from 'node:crypto'
import { copyFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BlobStore } from '../main/store/blobs.js'
import type { FileManifest } from '../main/core/file.js'
import { cleanup, tempDir } from './helpers/peers.js'

afterEach(cleanup)

const CHUNK = 64 * 1024

function source (bytes: Buffer): string {
  const path = join(tempDir('lanchat-src-'), 'file.bin')
  writeFileSync(path, bytes)
  return path
}

/** What inventory says, as [sha, bytes] pairs in a stable order. */
async function complete (store: BlobStore): Promise<Array<[string, number]>> {
  return (await store.inventory()).complete.map((k): [string, number] => [k.sha256, k.bytes]).sort()
}

describe('the file store\'s inventory', () => {
  it('counts each file by its own bytes (not its chunk list), follows files added, fetched and removed, and what a person did by hand', async () => {
    const store = new BlobStore(tempDir('lanchat-blobs-'))
    const a = await store.add(source(randomBytes(200_000)), 1 << 30, CHUNK)
    expect(await complete(store)).toEqual([[a.sha256, 200_000]])

    // Added after the first listing, and one downloaded into the store: both counted.
    const b = await store.add(source(randomBytes(70_000)), 1 << 30, CHUNK)
    const other = new BlobStore(tempDir('lanchat-blobs-'))
    const c = await other.add(source(randomBytes(130_000)), 1 << 30, CHUNK)
    const m: FileManifest = { name: 'c.bin', size: c.size, mime: 'application/octet-stream', sha256: c.sha256, chunkSize: c.chunkSize, chunksRoot: c.chunksRoot }
    const part = await store.partial(m)
    await part.setHashes(c.hashes)
    const reader = (await other.open(c.sha256))!
    for (let i = 0; i < c.hashes.length; i++) await part.write(i, await reader.read(i))
    await reader.close()
    await part.finish()
    const want = [[a.sha256, 200_000], [b.sha256, 70_000], [c.sha256, 130_000]].sort()
    expect(await complete(store)).toEqual(want)

    // Removed through the store, and deleted by hand: both gone.
    await store.remove(a.sha256)
    unlinkSync(store.path(b.sha256))
    expect(await complete(store)).toEqual([[c.sha256, 130_000]])

    // Copied in by hand (a file and its list): counted from the disk.
    copyFileSync(other.path(c.sha256), store.path(b.sha256))
    copyFileSync(`${other.path(c.sha256)}.hashes`, `${store.path(b.sha256)}.hashes`)
    expect(await complete(store)).toEqual([[b.sha256, 130_000], [c.sha256, 130_000]].sort())
  })

  it('orders files by their last use, a file shown or served counting as used, also for a store opened again', async () => {
    const dir = tempDir('lanchat-blobs-')
    const store = new BlobStore(dir)
    const first = await store.add(source(randomBytes(1000)), 1 << 30)
    await store.inventory()
    await new Promise(resolve => setTimeout(resolve, 20))
    const second = await store.add(source(randomBytes(1000)), 1 << 30)
    const order = async (s: BlobStore): Promise<string[]> => (await s.inventory()).complete.sort((x, y) => x.used - y.used).map(k => k.sha256)
    expect(await order(store)).toEqual([first.sha256, second.sha256])
    await new Promise(resolve => setTimeout(resolve, 20))
    await store.touch(first.sha256)
    expect(await order(store)).toEqual([second.sha256, first.sha256])
    // The next start reads the same order from the disk.
    expect(await order(new BlobStore(dir))).toEqual([second.sha256, first.sha256])
    // Served to a peer (a reader opened on it) is used too.
    await new Promise(resolve => setTimeout(resolve, 20))
    const reader = (await store.open(second.sha256))!
    await reader.close()
    expect(await order(store)).toEqual([first.sha256, second.sha256])
  })
})
