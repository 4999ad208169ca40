import type { AbortOptions, ComponentLogger, Logger, Startable, Stream, Connection } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import { Uint8ArrayList } from 'uint8arraylist'
import {
  FILE_IDLE_TIMEOUT_MS, FILE_OPEN_TIMEOUT_MS, FILE_PROTOCOL, FILE_PROTOCOLS, FILE_RESPONSE_TIMEOUT_MS, MAX_FILE_INBOUND_STREAMS,
  MAX_FILE_MESSAGE_BYTES, MAX_FILE_OUTBOUND_STREAMS, MAX_UPLOADS_PER_PEER
} from './constants.js'
import { FileTransferError, HolderSilentError, NotStartedError } from './errors.js'
import { loopBusyOver } from './loop-busy.js'
import { silenceSignal } from './silence.js'
import { FileRequest, FileResponse } from './pb/file.js'

/** Where a holder finds what it serves: complete files by their SHA-256 (hex). */
export interface FileSource {
  /** The chunk hashes of a file held in full here, or undefined. */
  hashes: (sha256: string) => Promise<Uint8Array[] | undefined>
  /** Read chunks of a file held here; undefined when it is not (or no longer). */
  open: (sha256: string) => Promise<ChunkReader | undefined>
  /**
   * Why a file is not here, in words for the downloader (a hub: over its size limit, or not got
   * yet from whoever shared it); `later`: it is being fetched, so the downloader should wait
   * (answered BUSY) rather than give up. Undefined: a plain NOT_FOUND.
   */
  absent?: (sha256: string) => { reason: string, later: boolean } | undefined
}

export interface ChunkReader {
  /**
   * Chunk `index`'s bytes, or `length` of them from `offset` in it; throws
   * when the index or the range is out of the file, or the file went away.
   */
  read: (index: number, offset?: number, length?: number) => Promise<Uint8Array>
  close: () => Promise<void>
}

export interface FileProtocolInit {
  /** What this node serves; none: every request is answered NOT_FOUND. */
  source?: FileSource
  maxUploadsPerPeer?: number
  maxInboundStreams?: number
  maxOutboundStreams?: number
  responseTimeoutMs?: number
  idleTimeoutMs?: number
}

export interface FileProtocolComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
const unhex = (s: string): Uint8Array<ArrayBuffer> => Buffer.from(s, 'hex') as Uint8Array<ArrayBuffer>

/**
 * The file protocol, a libp2p service: `/lanchat/file/1.1.0` (and
 * `/lanchat/file/1.0.0`, the same without pieces, for older builds), one stream per
 * transfer on the connection chat already uses (so a transfer and the chat
 * stream share one TCP socket through yamux). The downloader writes
 * requests (the chunk hash list, then chunks by index); the holder answers
 * each in order. Nothing here trusts anything: the downloader verifies.
 */
export class FileProtocol implements Startable {
  readonly #components: FileProtocolComponents
  readonly #log: Logger
  #source: FileSource | undefined
  readonly #maxUploadsPerPeer: number
  readonly #maxInbound: number
  readonly #maxOutbound: number
  readonly #responseTimeoutMs: number
  readonly #idleTimeoutMs: number
  /** Open uploads per peer id. */
  readonly #uploads = new Map<string, number>()
  #running = false
  /** How busy this process's event loop was over its last quarter second, stamped on each chunk sent (the downloader's pacer reads it). */
  readonly #busy = loopBusyOver(250)

  constructor (components: FileProtocolComponents, init: FileProtocolInit = {}) {
    this.#components = components
    this.#log = components.logger.forComponent('lanchat:file')
    this.#source = init.source
    this.#maxUploadsPerPeer = init.maxUploadsPerPeer ?? MAX_UPLOADS_PER_PEER
    this.#maxInbound = init.maxInboundStreams ?? MAX_FILE_INBOUND_STREAMS
    this.#maxOutbound = init.maxOutboundStreams ?? MAX_FILE_OUTBOUND_STREAMS
    this.#responseTimeoutMs = init.responseTimeoutMs ?? FILE_RESPONSE_TIMEOUT_MS
    this.#idleTimeoutMs = init.idleTimeoutMs ?? FILE_IDLE_TIMEOUT_MS
  }

  readonly [Symbol.toStringTag] = 'lanchat/file'

  /** Serve from `source` from now on (undefined: serve nothing). */
  serve (source: FileSource | undefined): void { this.#source = source }

  /** Both versions, one handler: a downloader of a build from before pieces never asks for any. */
  async start (): Promise<void> {
    for (const protocol of FILE_PROTOCOLS) {
      await this.#components.registrar.handle(protocol, (stream, connection) => {
        this.#handle(stream, connection).catch(err => { stream.abort(err as Error) })
      }, { maxInboundStreams: this.#maxInbound, maxOutboundStreams: this.#maxOutbound })
    }
    this.#running = true
  }

  async stop (): Promise<void> {
    for (const protocol of FILE_PROTOCOLS) await this.#components.registrar.unhandle(protocol)
    this.#running = false
  }

  isStarted (): boolean { return this.#running }

  /** Serve one stream: requests in, responses out, until the downloader closes it. */
  async #handle (stream: Stream, connection: Connection): Promise<void> {
    const peer = connection.remotePeer.toString()
    const log = stream.log.newScope('serve')
    const lp = lpStream(stream, { maxDataLength: 64 * 1024 })
    const busy = (this.#uploads.get(peer) ?? 0) >= this.#maxUploadsPerPeer
    this.#uploads.set(peer, (this.#uploads.get(peer) ?? 0) + 1)
    let reader: ChunkReader | undefined
    let file = ''
    try {
      while (true) {
        let req: FileRequest
        try {
          const idle = silenceSignal(this.#idleTimeoutMs)
          const bytes = await lp.read({ signal: idle.signal }).finally(idle.clear)
          req = FileRequest.decode(bytes, { limits: { chunks: 64, pieces: 256 } })
        } catch {
          break // closed, idle or junk: the stream ends here
        }
        const sha = hex(req.file)
        if (busy) { await this.#answer(lp, { status: FileResponse.Status.BUSY, reason: `at most ${this.#maxUploadsPerPeer} uploads per peer` }); break }
        if (reader === undefined || sha !== file) {
          await reader?.close()
          file = sha
          reader = await this.#source?.open(sha)
        }
        if (reader === undefined) { await this.#answer(lp, this.#absent(sha)); continue }
        if (req.hashes) {
          const hashes = await this.#source?.hashes(sha)
          if (hashes === undefined) { await this.#answer(lp, this.#absent(sha)); continue }
          await this.#answer(lp, { status: FileResponse.Status.OK, hashes: hashes as Array<Uint8Array<ArrayBuffer>> })
        }
        // Whole chunks, then pieces of chunks, each answered in the order asked.
        const wanted: Array<{ index: number, offset: number, length?: number }> = [...req.chunks.map((index) => ({ index, offset: 0 })), ...req.pieces]
        for (const { index, offset, length } of wanted) {
          let data: Uint8Array
          try {
            data = await reader.read(index, offset, length)
          } catch (err) {
            log('could not read chunk %d of %s: %e', index, sha, err)
            // Asked for what the file does not have (a bad index or range), or the file went away.
            const asked = err instanceof RangeError
            if (!asked) {
              // A file gone is let go of at once: its handle, left to the garbage collector, kept
              // the file's disk space taken (an unlinked file open is still on the disk) and a
              // descriptor open until a collection came.
              await reader.close()
              reader = undefined
            }
            await this.#answer(lp, { status: FileResponse.Status.NOT_FOUND, index, offset, reason: asked ? 'no such chunk or range in the file' : 'the file is no longer here' })
            break
          }
          await lp.write(chunkResponse(index, data, offset, Math.round(this.#busy() * 1000)))
        }
      }
      await stream.close().catch(() => {})
    } finally {
      await reader?.close()
      const n = (this.#uploads.get(peer) ?? 1) - 1
      if (n <= 0) this.#uploads.delete(peer)
      else this.#uploads.set(peer, n)
    }
  }

  /** The answer for a file not held here: NOT_FOUND, with the source's reason if it gives one; BUSY if it will have it later. */
  #absent (sha: string): Partial<FileResponse> {
    const why = this.#source?.absent?.(sha)
    if (why === undefined) return { status: FileResponse.Status.NOT_FOUND }
    return { status: why.later ? FileResponse.Status.BUSY : FileResponse.Status.NOT_FOUND, reason: why.reason }
  }

  async #answer (lp: LengthPrefixedStream, r: Partial<FileResponse>): Promise<void> {
    await lp.write(FileResponse.encode({ status: FileResponse.Status.OK, hashes: [], index: 0, data: new Uint8Array(0), reason: '', offset: 0, busy: 0, ...r }))
  }

  /**
   * Open a transfer of file `sha256` from `peerId`, on a connection we
   * already have (a client has only its hub's; nothing is dialed here).
   */
  async open (peerId: string, sha256: string, options: AbortOptions = {}): Promise<FileSession> {
    if (!this.#running) throw new NotStartedError('the file protocol is not running')
    const conn = this.#components.connectionManager.getConnections(peerIdFromString(peerId)).find(c => c.status === 'open')
    if (conn === undefined) throw new FileTransferError(`not connected to ${peerId}`)
    const silent = silenceSignal(FILE_OPEN_TIMEOUT_MS)
    const signal = options.signal !== undefined ? AbortSignal.any([options.signal, silent.signal]) : silent.signal
    // The holder picks the newest version it speaks (multistream-select, in the order offered).
    try {
      const stream = await conn.newStream([...FILE_PROTOCOLS], { signal })
      return new FileSession(stream, sha256, this.#responseTimeoutMs, this.#log)
    } finally {
      silent.clear()
    }
  }
}

/**
 * One transfer stream, the downloader's end. Requests go out as they are
 * made; responses come back in order. At most the chunks asked for can be in
 * flight, so what is buffered stays bounded however big the file.
 */
export class FileSession {
  readonly #lp: LengthPrefixedStream
  readonly #file: Uint8Array<ArrayBuffer>
  #closed = false
  /** Whether the holder answers pieces of chunks (it is not a build from before them). */
  readonly pieces: boolean

  constructor (readonly stream: Stream, sha256: string, readonly timeoutMs: number, readonly log: Logger) {
    // Room for several of the largest chunks: a downloader asks for FILE_INFLIGHT_BYTES (or one chunk) at a time.
    this.#lp = lpStream(stream, { maxDataLength: MAX_FILE_MESSAGE_BYTES, maxBufferSize: 9 * MAX_FILE_MESSAGE_BYTES })
    this.#file = unhex(sha256)
    this.pieces = stream.protocol === FILE_PROTOCOL
  }

  /** Ask for the chunk hash list (answered before any chunk asked in the same call). */
  async requestHashes (options: AbortOptions = {}): Promise<void> {
    await this.#lp.write(FileRequest.encode({ file: this.#file, hashes: true, chunks: [], pieces: [] }), options)
  }

  async requestChunks (indices: number[], options: AbortOptions = {}): Promise<void> {
    await this.#lp.write(FileRequest.encode({ file: this.#file, hashes: false, chunks: indices, pieces: [] }), options)
  }

  /** Ask for parts of chunks, each answered on its own (its `index` and `offset` say which). */
  async requestPieces (pieces: Array<{ index: number, offset: number, length: number }>, options: AbortOptions = {}): Promise<void> {
    if (!this.pieces) throw new FileTransferError(`the holder speaks ${this.stream.protocol}, which has no pieces`)
    await this.#lp.write(FileRequest.encode({ file: this.#file, hashes: false, chunks: [], pieces }), options)
  }

  /**
   * The next response; throws FileTransferError when the holder stalls (no
   * answer within `timeoutMs`, by default the protocol's), closes or sends junk.
   */
  async next (options: AbortOptions & { timeoutMs?: number } = {}): Promise<FileResponse> {
    const ms = options.timeoutMs ?? this.timeoutMs
    const timeout = silenceSignal(ms)
    const signal = options.signal !== undefined ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal
    try {
      const bytes = await this.#lp.read({ signal })
      return FileResponse.decode(bytes, { limits: { hashes: 1 << 16 } })
    } catch (err) {
      if (options.signal?.aborted === true) throw err
      if (timeout.signal.aborted) throw new HolderSilentError(`no answer in ${ms} ms`)
      throw new FileTransferError(`bad or closed stream: ${(err as Error).message}`)
    } finally {
      timeout.clear()
    }
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.stream.close({ signal: AbortSignal.timeout(1_000) }).catch(() => { this.stream.abort(new Error('closed')) })
  }

  abort (err: Error): void {
    this.#closed = true
    this.stream.abort(err)
  }
}

/**
 * An OK response carrying chunk `index` (or its piece from `offset`) and the holder's `busy`
 * share in thousandths, without copying the chunk: the
 * encoded header, then the data field (4, length-delimited) as a tag, a
 * length and the chunk itself (protobuf fields may come in any order). The
 * generated encoder would copy every chunk once more into a new buffer.
 */
export function chunkResponse (index: number, data: Uint8Array, offset = 0, busy = 0): Uint8ArrayList {
  const head = FileResponse.encode({ status: FileResponse.Status.OK, hashes: [], index, data: new Uint8Array(0), reason: '', offset, busy })
  const tag = [0x22]
  for (let n = data.byteLength; ; n = Math.floor(n / 128)) {
    if (n < 128) { tag.push(n); break }
    tag.push((n % 128) | 0x80)
  }
  return new Uint8ArrayList(head, Uint8Array.from(tag), data)
}

export function files (init: FileProtocolInit = {}): (components: FileProtocolComponents) => FileProtocol {
  return (components) => new FileProtocol(components, init)
}
