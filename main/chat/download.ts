import { chunkCount, chunkLength, type FileManifest } from '../core/file.js'
import { FILE_REQUEST_CHUNKS, FILE_REQUEST_PIECES, FILE_RESPONSE_TIMEOUT_MS } from '../net/constants.js'
import { FileTransferError, HolderSilentError } from '../net/errors.js'
import type { FileProtocol, FileSession } from '../net/file-protocol.js'
import { FileResponse } from '../net/pb/file.js'
import { rootOf, type Partial } from '../store/blobs.js'
import { FileWriteError, NoHolderError } from './errors.js'
import { Pacer } from './pacer.js'
import { libp2pLog } from '../net/log.js'

const debugLog = libp2pLog('lanchat:files')

/** How a download is going, for progress events; `waiting`: nothing has arrived for RATE_WINDOW_MS. */
export interface Progress { done: number, size: number, holders: number, dropped: string[], resumedFrom: number, waiting: boolean }

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
  /** How busy this process was since the last call, for the pacer (default: its own measure). */
  busy?: (() => number) | undefined
  /**
   * Awaited once, before the first chunk is written: a chunk that matched its hash proves a holder
   * has the file. A hub makes room on its disk then, so a manifest nobody serves drops none of its
   * files. What it throws stops the download as it is.
   */
  beforeFirstWrite?: () => Promise<void>
  signal: AbortSignal
}

const POLL_MS = 250
/**
 * A download's rate is what arrived over this long (files.ts); when nothing
 * has arrived for this long, progress is reported once anyway, so a window
 * shows "waiting" (rate 0, and 0 holders when none is connected) instead of
 * the last speed and time left until the stall ends or fails it.
 */
export const RATE_WINDOW_MS = 3_000
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
 *
 * The end game: once the queue is empty, a holder with room asks for chunks
 * still awaited from another (each at most twice), so a holder that went
 * silent holds the download up no longer than a fast one takes to send them;
 * the first copy to arrive is written, and when every chunk is here the
 * streams still waiting are dropped.
 */
export async function fetchChunks (m: FileManifest, part: Partial, opts: DownloadOptions): Promise<Progress> {
  const missing: number[] = []
  for (let i = 0; i < chunkCount(m); i++) if (!part.have.has(i)) missing.push(i)
  const progress: Progress = { done: part.bytesDone, size: m.size, holders: 0, dropped: [], resumedFrom: part.bytesDone, waiting: false }
  const dropped = new Set<string>()
  /** Holders that answered OK at least once in this fetch, and those whose last stream ended in silence. */
  const answered = new Set<string>()
  const silent = new Set<string>()
  /**
   * Holders that said they will have the file later (BUSY: a hub fetching it from whoever shared
   * it, a peer at its most uploads): the download waits for them. And why the others that lack it
   * do (a hub over its size limit), for the words when it fails.
   */
  const later = new Set<string>()
  const reasons = new Map<string, string>()
  const active = new Map<string, Promise<void>>()
  const retryAt = new Map<string, number>()
  /** Chunks asked for and not yet received, with how many holders were asked; chunks being written. */
  const awaited = new Map<number, number>()
  const writing = new Set<number>()
  /** Aborted once every chunk is here: the streams still waiting (end-game duplicates) are dropped. */
  const finished = new AbortController()
  const signal = AbortSignal.any([opts.signal, finished.signal])
  // A holder silent for half the stall time counts as stalled for what it was asked (at most the protocol's own limit).
  const answerMs = Math.min(FILE_RESPONSE_TIMEOUT_MS, Math.max(500, Math.floor(opts.stallMs / 2)))
  let lastServed = Date.now()
  /** Whether the stall under way (nothing written for RATE_WINDOW_MS) was reported. */
  let stallSaid = false
  /** Set when a chunk could not be written (or the room for it not made): the download stops with it. */
  let fatal: Error | undefined
  let room: Promise<void> | undefined
  opts.onProgress(progress)

  const release = (i: number): void => {
    const n = (awaited.get(i) ?? 1) - 1
    if (n <= 0) awaited.delete(i)
    else awaited.set(i, n)
  }

  /** A holder answered that it does not have the file (now): asked again later; what it said is kept. */
  const absent = (peer: string, r: FileResponse): void => {
    retryAt.set(peer, Date.now() + RETRY_NOT_FOUND_MS)
    if (r.status === FileResponse.Status.BUSY) later.add(peer)
    else later.delete(peer)
    // Another's words, shown as the download's failure: one line, no control or direction-changing characters, short.
    const reason = r.reason.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim().slice(0, 300)
    if (reason !== '') reasons.set(peer, reason)
    else reasons.delete(peer)
  }

  const worker = async (peer: string): Promise<void> => {
    const files = opts.files()
    if (files === undefined) return
    let session: FileSession | undefined
    const asked: number[] = []
    let counted = false
    try {
      session = await files.open(peer, m.sha256, { signal })
      if (part.hashes === undefined) {
        await session.requestHashes({ signal })
        const r = await session.next({ signal, timeoutMs: answerMs })
        if (r.status !== FileResponse.Status.OK) { absent(peer, r); return }
        if (r.hashes.length !== chunkCount(m) || r.hashes.some(h => h.byteLength !== 32) || rootOf(r.hashes) !== m.chunksRoot) {
          throw new BadHolder('its chunk hash list does not match the manifest')
        }
        answered.add(peer)
        later.delete(peer)
        reasons.delete(peer)
        if (part.hashes === undefined) await part.setHashes(r.hashes.map(h => Uint8Array.from(h)))
      }
      // Chunks given to this holder and not yet received whole, in order; of them, the bytes asked for
      // and not yet received (`flight`), at most the pacer's window (always at least one piece), so a
      // chat frame on the same connection never queues behind more file data than that. A chunk is
      // asked for whole, or on a slow link in pieces (pacer.ts), one chunk after another.
      const pacer = new Pacer(m.chunkSize, { pieces: session.pieces, busy: opts.busy })
      const flight: Array<{ index: number, offset: number, length: number, at: number }> = []
      let flightBytes = 0
      /** How much of the last chunk in `asked` has been asked for. */
      let tailAsked = 0
      /** The pieces of the first chunk in `asked` received so far. */
      let pieces: Uint8Array[] = []
      /** End game: a chunk awaited from one other holder only, that this one was not asked. */
      const spare = (): number | undefined => {
        for (const [i, n] of awaited) if (n === 1 && !asked.includes(i) && !part.have.has(i) && !writing.has(i)) return i
        return undefined
      }
      const topUp = (): void => {
        const whole: number[] = []
        const parts: Array<{ index: number, offset: number, length: number }> = []
        while (whole.length < FILE_REQUEST_CHUNKS && parts.length < FILE_REQUEST_PIECES) {
          let index = asked.at(-1)
          if (index === undefined || tailAsked >= chunkLength(m, index)) {
            const i = missing[0] ?? spare()
            if (i === undefined || (flight.length > 0 && flightBytes + Math.min(pacer.piece, chunkLength(m, i)) > pacer.window)) break
            if (missing[0] === i) missing.shift()
            asked.push(i)
            awaited.set(i, (awaited.get(i) ?? 0) + 1)
            tailAsked = 0
            index = i
          }
          const size = chunkLength(m, index)
          const length = Math.min(pacer.piece, size - tailAsked)
          if (flight.length > 0 && flightBytes + length > pacer.window) break
          // Whole chunks and pieces are answered in separate lists: one kind per request keeps the order.
          const isWhole = tailAsked === 0 && length === size
          if ((isWhole && parts.length > 0) || (!isWhole && whole.length > 0)) break
          if (isWhole) whole.push(index)
          else parts.push({ index, offset: tailAsked, length })
          flight.push({ index, offset: tailAsked, length, at: performance.now() })
          flightBytes += length
          tailAsked += length
        }
        if (whole.length > 0) void session!.requestChunks(whole, { signal }).catch(() => {})
        if (parts.length > 0) void session!.requestPieces(parts, { signal }).catch(() => {})
        if (whole.length + parts.length > 0 && flightBytes < pacer.window) topUp()
      }
      topUp()
      while (flight.length > 0) {
        const r = await session.next({ signal, timeoutMs: answerMs })
        if (r.status !== FileResponse.Status.OK) { absent(peer, r); return }
        const wanted = flight[0]!
        const index = wanted.index
        if (r.index !== index || r.offset !== wanted.offset) throw new BadHolder(`it sent chunk ${r.index}${r.offset > 0 ? ` at ${r.offset}` : ''} for ${index}${wanted.offset > 0 ? ` at ${wanted.offset}` : ''}`)
        if (r.data.byteLength !== wanted.length) {
          throw new BadHolder(wanted.offset === 0 && wanted.length === chunkLength(m, index)
            ? `chunk ${index} came with ${r.data.byteLength} bytes, not ${wanted.length}`
            : `a piece of chunk ${index} came with ${r.data.byteLength} bytes, not ${wanted.length}`)
        }
        flight.shift()
        flightBytes -= wanted.length
        pacer.received(wanted.length, performance.now() - wanted.at, r.busy / 1000)
        pieces.push(r.data)
        const want = chunkLength(m, index)
        if (wanted.offset + wanted.length < want) { topUp(); continue }
        const data = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces)
        pieces = []
        if (!part.verify(index, data)) throw new BadHolder(`chunk ${index} does not match its hash`)
        answered.add(peer)
        silent.delete(peer)
        if (!counted) { counted = true; progress.holders++ }
        asked.shift()
        release(index)
        // Another holder's copy (end game) got here first; if not, this one is claimed before asking for more.
        const copy = part.have.has(index) || writing.has(index)
        if (!copy) writing.add(index)
        // Ask for more before writing this one: the holder reads and sends while we write.
        topUp()
        if (copy) continue
        try {
          room ??= opts.beforeFirstWrite?.().catch((err: unknown) => { fatal ??= err as Error; throw err })
          await room
          await part.write(index, data)
        } catch (err) {
          missing.unshift(index)
          // Not the holder's fault, and no other holder would do better: the whole download stops.
          fatal ??= writeError(err as NodeJS.ErrnoException)
          throw fatal
        } finally {
          writing.delete(index)
        }
        lastServed = Date.now()
        stallSaid = false
        progress.done += want
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
      } else if (!signal.aborted && fatal === undefined) {
        if (err instanceof HolderSilentError) silent.add(peer)
        retryAt.set(peer, Date.now() + RETRY_NOT_FOUND_MS)
        // A holder that quits or goes quiet is the download's ordinary weather ("waiting…" tells the person): a debug line.
        debugLog(`file ${m.sha256.slice(0, 12)}: ${peer}: ${(err as Error).message}`)
      }
    } finally {
      // What this holder was asked for and did not deliver goes back for the others (unless another holder was asked too).
      for (const i of asked) release(i)
      for (const i of [...asked].reverse()) if (!part.have.has(i) && !writing.has(i) && !awaited.has(i) && !missing.includes(i)) missing.unshift(i)
      if (counted) progress.holders--
      // A stream still waiting when every chunk is here is dropped, not closed: its holder may never answer.
      if (finished.signal.aborted) session?.abort(new Error('every chunk came from elsewhere'))
      else await session?.close()
    }
  }

  while (part.have.size < chunkCount(m)) {
    opts.signal.throwIfAborted()
    if (fatal !== undefined) {
      finished.abort()
      await Promise.allSettled(active.values())
      throw fatal
    }
    const now = Date.now()
    for (const peer of opts.peers()) {
      if (active.has(peer) || dropped.has(peer) || (retryAt.get(peer) ?? 0) > now || (missing.length === 0 && awaited.size === 0)) continue
      const run = worker(peer).finally(() => { active.delete(peer) })
      active.set(peer, run)
    }
    if (!stallSaid && now - lastServed > RATE_WINDOW_MS) {
      stallSaid = true
      progress.waiting = true
      opts.onProgress(progress)
      progress.waiting = false
    }
    // A holder that served this download and then left (quit, a partition, its hub down) is waited for as long as it
    // takes (the person sees "waiting…" and may cancel); connected peers that do not send it fail it after the stall time.
    // So is one that said it will have it later (a hub fetching it from whoever shared it), while it is connected.
    const peers = opts.peers()
    if (active.size === 0 && now - lastServed > opts.stallMs && !awaitedBack(answered, dropped, peers) && !peers.some(p => later.has(p) && !dropped.has(p))) {
      const said = peers.map(p => reasons.get(p)).find(r => r !== undefined)
      throw new NoHolderError(noHolder(dropped.size, [...silent].some(p => answered.has(p) && !dropped.has(p)), opts.stallMs, said))
    }
    await Promise.race([new Promise(resolve => setTimeout(resolve, POLL_MS)), ...active.values()])
  }
  finished.abort()
  await Promise.allSettled(active.values())
  return progress
}

/** Whether a holder that served this download has left (and not been dropped): it is waited for. */
function awaitedBack (answered: ReadonlySet<string>, dropped: ReadonlySet<string>, peers: string[]): boolean {
  const connected = new Set(peers)
  for (const p of answered) if (!connected.has(p) && !dropped.has(p)) return true
  return false
}

function writeError (err: NodeJS.ErrnoException): FileWriteError {
  const why = err.code === 'ENOSPC' ? 'the disk is full' : err.code === 'EFBIG' ? 'the file is larger than this system lets a process write' : err.message
  return new FileWriteError(`could not write the download: ${why}`)
}

/** Why a download stopped with no holder serving: bad data, silence, or nobody has it. */
function noHolder (badHolders: number, wentSilent: boolean, stallMs: number, said?: string): string {
  if (wentSilent) return `the peers that have the file stopped sending: nothing came for ${Math.round(stallMs / 1000)} s (what arrived is kept)`
  if (badHolders > 0) return `no holder left: ${badHolders} served bad data and no other peer has the file`
  // What a connected peer said of why it lacks the file (a hub: over its size limit).
  if (said !== undefined) return said
  return 'no connected peer has the file'
}

class BadHolder extends FileTransferError {}
