import { FrameError } from './errors.js'
import type { UnsignedMessage, WireAction } from '../core/message.js'
import type { FileManifest } from '../core/file.js'
import { Action as PbAction, FileManifest as PbFileManifest, Pin as PbPin } from './pb/chat.js'

/**
 * A hand-written decoder for `Body` (pb/chat.proto), the signed part of a
 * message. protons' generic one made a Buffer view per bytes field and
 * decoded strings in JavaScript, a quarter of the time to load a 100k
 * history and a good part of catch-up; this one reads strings and hex ids
 * straight out of the buffer with Node's native codecs. It accepts what
 * protobuf accepts (fields in any order, unknown fields skipped, the last of
 * a repeated scalar wins) and throws FrameError on anything truncated or
 * malformed. The generated `Body.encode` still writes bodies.
 */
/** The unsigned message fields, as on the wire: `replyTo` is '' when absent (as `prev` is). */
export type DecodedBody = Omit<UnsignedMessage, 'replyTo' | 'sealed' | 'to' | 'file' | 'action'> & { replyTo: string, sealed: Uint8Array | undefined, to: string, file?: FileManifest, action?: WireAction }

/** A cursor over one body; methods, not closures, so decoding a message allocates nothing but its fields. */
class Reader {
  at = 0
  readonly end: number
  constructor (readonly buf: Buffer) { this.end = buf.byteLength }

  fail (why: string): never { throw new FrameError(`undecodable message body: ${why}`) }

  varint (): number {
    let value = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) this.fail('truncated varint')
      const b = this.buf[this.at++]!
      value += (b & 0x7f) * scale
      if (b < 0x80) return value
      scale *= 128
    }
    return this.fail('varint too long')
  }

  /** Skip a length-delimited field's bytes and return where they start (they end at `at`). */
  span (): number {
    const len = this.varint()
    if (len > this.end - this.at) this.fail('truncated field')
    const start = this.at
    this.at += len
    return start
  }

  str (): string { const a = this.span(); return this.buf.toString('utf8', a, this.at) }
  hex (): string { const a = this.span(); return this.buf.toString('hex', a, this.at) }

  skip (n: number): void {
    if (this.end - this.at < n) this.fail('truncated field')
    this.at += n
  }
}

export function decodeBody (bytes: Uint8Array, maxDeps: number): DecodedBody {
  const r = new Reader(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  const out: DecodedBody = { room: '', author: '', name: '', text: '', lamport: 0, sentAt: 0, seq: 0, prev: '', deps: [], replyTo: '', sealed: undefined, to: '' }
  let pinned = false
  while (r.at < r.end) {
    const tag = r.varint()
    const field = Math.floor(tag / 8)
    const wire = tag % 8
    if (field === 0) r.fail('field number 0')
    const want = field >= 5 && field <= 7 ? 0 : field >= 1 && field <= 15 ? 2 : -1
    if (want !== -1 && wire !== want) r.fail(`field ${field} has wire type ${wire}`)
    switch (field) {
      case 1: out.room = r.str(); break
      case 2: out.author = r.str(); break
      case 3: out.name = r.str(); break
      case 4: out.text = r.str(); break
      case 5: out.lamport = r.varint(); break
      case 6: out.sentAt = r.varint(); break
      case 7: out.seq = r.varint(); break
      case 8: out.prev = r.hex(); break
      case 9:
        if (out.deps.length >= maxDeps) r.fail(`more than ${maxDeps} deps`)
        out.deps.push(r.hex())
        break
      case 10: out.replyTo = r.hex(); break
      case 11: { const a = r.span(); out.sealed = r.buf.subarray(a, r.at); break }
      case 12: out.to = r.str(); break
      case 13: { const a = r.span(); out.file = decodeManifest(r.buf.subarray(a, r.at)); break }
      case 14: {
        const a = r.span()
        if (pinned) r.fail('both an action and a pin')
        out.action = decodeAction(r.buf.subarray(a, r.at))
        break
      }
      // A pin is an action of its own kind, in a field older peers skip: one body carries one action or one pin, never both.
      case 15: {
        const a = r.span()
        if (out.action !== undefined) r.fail('both an action and a pin')
        out.action = decodePin(r.buf.subarray(a, r.at))
        pinned = true
        break
      }
      default:
        // Unknown field: skip it by its wire type, as protobuf does.
        switch (wire) {
          case 0: r.varint(); break
          case 1: r.skip(8); break
          case 2: r.span(); break
          case 5: r.skip(4); break
          default: r.fail(`wire type ${wire}`)
        }
    }
  }
  return out
}

const KINDS = { [PbAction.Kind.EDIT]: 'edit', [PbAction.Kind.DELETE]: 'delete', [PbAction.Kind.REACT]: 'react', [PbAction.Kind.UNREACT]: 'unreact' } as const

/** An edit, delete or reaction (field 14): rare and small, protons' decoder is fine. A kind this peer does not know is refused. */
function decodeAction (bytes: Uint8Array): WireAction {
  let a: PbAction
  try {
    a = PbAction.decode(bytes)
  } catch (err) {
    throw new FrameError(`undecodable action: ${(err as Error).message}`)
  }
  const kind = a.kind === PbAction.Kind.KIND_UNSPECIFIED ? undefined : KINDS[a.kind]
  if (kind === undefined) throw new FrameError('an action of an unknown kind')
  const target = Buffer.from(a.target.buffer, a.target.byteOffset, a.target.byteLength).toString('hex')
  return { kind, target, ...(a.emoji !== '' ? { emoji: a.emoji } : {}) }
}

/** A pin or an unpin (field 15): its target must be a message id (32 bytes). */
function decodePin (bytes: Uint8Array): WireAction {
  let p: PbPin
  try {
    p = PbPin.decode(bytes)
  } catch (err) {
    throw new FrameError(`undecodable pin: ${(err as Error).message}`)
  }
  if (p.target.byteLength !== 32) throw new FrameError('a pin of no message')
  return { kind: p.on ? 'pin' : 'unpin', target: Buffer.from(p.target.buffer, p.target.byteOffset, p.target.byteLength).toString('hex') }
}

/** The file manifest (field 13): rare and small, so protons' own decoder is fine here. */
function decodeManifest (bytes: Uint8Array): FileManifest {
  let f: PbFileManifest
  try {
    f = PbFileManifest.decode(bytes)
  } catch (err) {
    throw new FrameError(`undecodable file manifest: ${(err as Error).message}`)
  }
  const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
  return {
    name: f.name,
    size: f.size,
    mime: f.mime,
    sha256: hex(f.sha256),
    chunkSize: f.chunkSize,
    chunksRoot: hex(f.chunksRoot),
    ...(f.thumbnail.byteLength > 0 ? { thumbnail: Uint8Array.from(f.thumbnail), thumbnailMime: f.thumbnailMime } : {})
  }
}
