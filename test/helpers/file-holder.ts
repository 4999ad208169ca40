import { createHash } from 'node:crypto'
import type { Libp2p } from 'libp2p'
import { lpStream } from '@libp2p/utils'
import { FILE_PROTOCOL, FILE_PROTOCOL_WHOLE } from '../../main/net/constants.js'
import { FileRequest, FileResponse } from '../../main/net/pb/file.js'
import { Attacker } from './attacker.js'
import type { FileManifest } from '../../main/core/file.js'
import type { ChatMessage } from '../../main/core/message.js'
import { rootOf } from '../../main/store/blobs.js'

/** The manifest an honest author would sign for `content`. */
export function manifestOf (content: Buffer, chunkSize: number, name = 'data.bin'): FileManifest {
  const hashes: Buffer[] = []
  for (let at = 0; at < content.byteLength; at += chunkSize) hashes.push(createHash('sha256').update(content.subarray(at, at + chunkSize)).digest())
  return {
    name, size: content.byteLength, mime: 'application/octet-stream', chunkSize,
    sha256: createHash('sha256').update(content).digest('hex'), chunksRoot: rootOf(hashes)
  }
}

export interface HolderBehaviour {
  /** Wait this long before each chunk, and its share of it before a piece (a slow holder, so a test can act mid-transfer). */
  delayMs?: number
  /** Serve chunk `i` with its bytes altered. */
  corrupt?: (i: number) => boolean
  /** Serve a hash list that does not match the manifest. */
  badHashes?: boolean
  /** Serve chunk `i` with its last bytes cut off (`piece`: it was asked for in pieces, and this is the last). */
  truncate?: (i: number, piece: boolean) => boolean
  /** Answer requests for this SHA-256 (hex) instead of the content's own: a holder backing a manifest that lies about it. */
  servesAs?: string
  /** Answer this many chunks, then nothing more: the stream and the connection stay open (a peer that hangs). */
  stallAfter?: number
  /**
   * Speak the file protocol as builds from before pieces of chunks did: only `/lanchat/file/1.0.0`,
   * and a request's pieces dropped unread (its decoder had no such field), so nothing answers them.
   */
  beforePieces?: boolean
  /** Say on every chunk and piece that its event loop was busy this share of the time, in thousandths. */
  busy?: number
}

/**
 * A holder built on a stock libp2p node: it says hello on the chat stream
 * (so the engine counts it as a connected peer) and answers the file
 * protocol for one file from memory — honestly, slowly or with bad bytes.
 */
export class FileHolder {
  served = 0
  /** Pieces of chunks asked of it (a downloader on a slow link asks for those). */
  pieces = 0
  /** Chunks asked of it whole. */
  wholeChunks = 0
  private constructor (readonly attacker: Attacker, readonly manifest: FileManifest) {}

  /** Share the file in a message signed by this holder (it is then its author). */
  async announce (room = 'lobby', name = this.manifest.name, lie: Partial<FileManifest> = {}): Promise<ChatMessage> {
    const m = await this.attacker.message(`📎 ${name}`, { room, file: { ...this.manifest, name, ...lie } })
    await this.attacker.send(m)
    return m
  }

  get peerId (): string { return this.attacker.node.peerId.toString() }

  static async start (addr: string, content: Buffer, chunkSize: number, how: HolderBehaviour = {}, name = 'holder'): Promise<FileHolder> {
    const attacker = await Attacker.connect(addr, name)
    const holder = new FileHolder(attacker, manifestOf(content, chunkSize))
    await serveFile(attacker.node, content, chunkSize, how, () => { holder.served++ }, () => { holder.pieces++ }, () => { holder.wholeChunks++ })
    return holder
  }

  async stop (): Promise<void> { await this.attacker.stop() }
}

async function serveFile (node: Libp2p, content: Buffer, chunkSize: number, how: HolderBehaviour, onChunk: () => void, onPiece: () => void, onWhole: () => void): Promise<void> {
  const sha = how.servesAs ?? createHash('sha256').update(content).digest('hex')
  const hashes: Uint8Array<ArrayBuffer>[] = []
  for (let at = 0; at < content.byteLength; at += chunkSize) {
    hashes.push(createHash('sha256').update(content.subarray(at, at + chunkSize)).digest() as Uint8Array<ArrayBuffer>)
  }
  if (how.badHashes === true) hashes.reverse()
  let served = 0
  await node.handle(how.beforePieces === true ? FILE_PROTOCOL_WHOLE : FILE_PROTOCOL, async (stream) => {
    const lp = lpStream(stream)
    const answer = async (r: Partial<FileResponse>): Promise<void> => {
      await lp.write(FileResponse.encode({ status: FileResponse.Status.OK, hashes: [], index: 0, data: new Uint8Array(0), reason: '', offset: 0, busy: 0, ...r }))
    }
    try {
      while (true) {
        const req = FileRequest.decode(await lp.read())
        if (Buffer.from(req.file).toString('hex') !== sha) { await answer({ status: FileResponse.Status.NOT_FOUND }); continue }
        if (req.hashes) await answer({ hashes })
        for (let n = 0; n < req.pieces.length; n++) onPiece()
        for (let n = 0; n < req.chunks.length; n++) onWhole()
        // Whole chunks, then pieces of chunks (a downloader on a slow link asks for those), as the real holder answers.
        const wanted = [...req.chunks.map((index) => ({ index, offset: 0, length: undefined as number | undefined })), ...(how.beforePieces === true ? [] : req.pieces)]
        for (const { index: i, offset, length } of wanted) {
          if (how.stallAfter !== undefined && served >= how.stallAfter) await new Promise(() => {})
          const chunk = Buffer.from(content.subarray(i * chunkSize, (i + 1) * chunkSize))
          if (how.delayMs !== undefined) await new Promise(resolve => setTimeout(resolve, how.delayMs! * (length ?? chunk.byteLength) / chunk.byteLength))
          if (how.corrupt?.(i) === true) chunk[0] = chunk[0]! ^ 0xff
          const end = length === undefined ? chunk.byteLength : offset + length
          // Truncation cuts the chunk's last bytes, so only the piece that ends it.
          const cut = how.truncate?.(i, length !== undefined) === true && end === chunk.byteLength ? 100 : 0
          await answer({ index: i, offset, data: chunk.subarray(offset, end - cut) as Uint8Array<ArrayBuffer>, busy: how.busy ?? 0 })
          if (end === chunk.byteLength) {
            served++
            onChunk()
          }
        }
      }
    } catch { /* the downloader closed the stream */ }
  }, { force: true })
}
