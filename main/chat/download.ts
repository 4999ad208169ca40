import { chunkCount, chunkLength, type FileManifest } from '../core/file.js'
import { FILE_INFLIGHT_BYTES, FILE_REQUEST_CHUNKS } from '../net/constants.js'
import { FileTransferError } from '../net/errors.js'
import type { FileProtocol, FileSession } from '../net/file-protocol.js'
import { FileResponse } from '../net/pb/file.js'
import { rootOf, type Partial } from '../store/blobs.js'
import { NoHolderError } from './errors.js'

/** How a download is going, for progress events. */
export interface Progress { done: number, size: number, holders: number, dropped: string[], resumedFrom: number }

export interface DownloadOptions {
  /** The file protocol of the running node (it changes across a mode switch). */
  files: () => FileProtocol | undefined
  /** Peers connected now: each is asked whether it holds the file. */
  peers: () => string[]
  /** Called after every written chunk (and once at the start). */
  onProgress: (p: Progress) => void
  log: (line: string) => void
  /** Give up when no peer has served anything for this long, ms. */
  stallMs: number
  signal: AbortSignal
}

const POLL_MS = 250
/** A peer that said it lacks the file is asked again after this long (it may be downloading it). */
const RETRY_NOT_FOUND_MS = 2_000

/**
 * Fetch the chunks of one file from every peer that holds it, at once. Each
 * holder gets a stream and is asked for chunks from one shared queue of
 * missing chunks, a bounded number of bytes ahead (a new request as each
 * chunk arrives); the hash list is checked against the manifest's
 * root and each chunk against its hash before it is written. A holder that
 * serves anything wrong is dropped for this file (its chunks go back to the
 * queue); one that stalls or leaves is asked again later.
 */
export async function fetchChunks (m: FileManifest, part: Partial, opts: DownloadOptions): Promise<Progress> {
  const missing: number[] = []
  for (let i = 0; i < chunkCount(m); i++) if (!part.have.has(i)) missing.push(i)
  const progress: Progress = { done: part.bytesDone, size: m.size, holders: 0, dropped: [], resumedFrom: part.bytesDone }
  const dropped = new Set<string>()
  const active = new Map<string, Promise<void>>()
  const retryAt = new Map<string, number>()
  let lastServed = Date.now()
  opts.onProgress(progress)

  const worker = async (peer: string): Promise<void> => {
    const files = opts.files()
    if (files === undefined) return
    let session: FileSession | undefined
    const asked: number[] = []
    /** A chunk received and being written: back to the queue if that fails. */
    let writing: number | undefined
    let counted = false
    try {
      session = await files.open(peer, m.sha256, { signal: AbortSignal.any([opts.signal, AbortSignal.timeout(10_000)]) })
      if (part.hashes === undefined) {
        await session.requestHashes({ signal: opts.signal })
        const r = await session.next({ signal: opts.signal })
        if (r.status !== FileResponse.Status.OK) { retryAt.set(peer, Date.now() + RETRY_NOT_FOUND_MS); return }
        if (r.hashes.length !== chunkCount(m) || r.hashes.some(h => h.byteLength !== 32) || rootOf(r.hashes) !== m.chunksRoot) {
          throw new BadHolder('its chunk hash list does not match the manifest')
        }
        if (part.hashes === undefined) await part.setHashes(r.hashes.map(h => Uint8Array.from(h)))
      }
      // Chunks asked of this holder and not yet received, in the order asked; at most
      // FILE_INFLIGHT_BYTES of them (always at least one), so a chat frame on the same
      // connection never queues behind more file data than that.
      let askedBytes = 0
      const topUp = (): void => {
        const batch: number[] = []
        while (missing.length > 0 && batch.length < FILE_REQUEST_CHUNKS &&
          (asked.length === 0 || askedBytes + chunkLength(m, missing[0]!) <= FILE_INFLIGHT_BYTES)) {
          const i = missing.shift()!
          batch.push(i)
          asked.push(i)
          askedBytes += chunkLength(m, i)
        }
        if (batch.length > 0) void session!.requestChunks(batch, { signal: opts.signal }).catch(() => {})
      }
      topUp()
      while (asked.length > 0) {
        const r = await session.next({ signal: opts.signal })
        if (r.status !== FileResponse.Status.OK) {
          retryAt.set(peer, Date.now() + RETRY_NOT_FOUND_MS)
          return
        }
        const index = asked[0]!
        if (r.index !== index) throw new BadHolder(`it sent chunk ${r.index} for ${index}`)
        if (!part.verify(index, r.data)) throw new BadHolder(`chunk ${index} does not match its hash`)
        if (!counted) { counted = true; progress.holders++ }
        asked.shift()
        askedBytes -= chunkLength(m, index)
        // Ask for more before writing this one: the holder reads and sends while we write.
        topUp()
        if (part.have.has(index)) continue
        writing = index
        await part.write(index, r.data)
        writing = undefined
        lastServed = Date.now()
        progress.done += chunkLength(m, index)
        opts.onProgress(progress)
      }
    } catch (err) {
      if (err instanceof BadHolder) {
        dropped.add(peer)
        progress.dropped.push(peer)
        opts.onProgress(progress)
        opts.log(`file ${m.sha256.slice(0, 12)}: dropped holder ${peer}: ${err.message}`)
        session?.abort(err)
        session = undefined
      } else if (!opts.signal.aborted) {
        retryAt.set(peer, Date.now() + RETRY_NOT_FOUND_MS)
        opts.log(`file ${m.sha256.slice(0, 12)}: ${peer}: ${(err as Error).message}`)
      }
    } finally {
      // What this holder was asked for and did not deliver goes back for the others.
      for (const i of [...(writing !== undefined ? [writing] : []), ...asked].reverse()) if (!part.have.has(i)) missing.unshift(i)
      if (counted) progress.holders--
      await session?.close()
    }
  }

  while (part.have.size < chunkCount(m)) {
    opts.signal.throwIfAborted()
    const now = Date.now()
    for (const peer of opts.peers()) {
      if (active.has(peer) || dropped.has(peer) || (retryAt.get(peer) ?? 0) > now || missing.length === 0) continue
      const run = worker(peer).finally(() => { active.delete(peer) })
      active.set(peer, run)
    }
    if (active.size === 0 && now - lastServed > opts.stallMs) {
      throw new NoHolderError(dropped.size > 0
        ? `no holder left: ${dropped.size} served bad data and no other peer has the file`
        : 'no connected peer has the file')
    }
    await Promise.race([new Promise(resolve => setTimeout(resolve, POLL_MS)), ...active.values()])
  }
  await Promise.allSettled(active.values())
  return progress
}

class BadHolder extends FileTransferError {}
