import { FrameError } from './errors.js'

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
export interface DecodedBody {
  room: string
  author: string
  name: string
  text: string
  lamport: number
  sentAt: number
  seq: number
  /** Hex; '' when absent. */
  prev: string
  deps: string[]
  /** Hex; '' when absent. */
  replyTo: string
}

export function decodeBody (bytes: Uint8Array, maxDeps: number): DecodedBody {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const end = buf.byteLength
  let at = 0
  const fail = (why: string): never => { throw new FrameError(`undecodable message body: ${why}`) }

  const varint = (): number => {
    let value = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      if (at >= end) fail('truncated varint')
      const b = buf[at++]!
      value += (b & 0x7f) * scale
      if (b < 0x80) return value
      scale *= 128
    }
    return fail('varint too long')
  }
  /** Start and end of a length-delimited field's bytes. */
  const span = (): [number, number] => {
    const len = varint()
    if (len > end - at) fail('truncated field')
    const start = at
    at += len
    return [start, at]
  }
  const str = (): string => { const [a, b] = span(); return buf.toString('utf8', a, b) }
  const hex = (): string => { const [a, b] = span(); return buf.toString('hex', a, b) }

  const out: DecodedBody = { room: '', author: '', name: '', text: '', lamport: 0, sentAt: 0, seq: 0, prev: '', deps: [], replyTo: '' }
  while (at < end) {
    const tag = varint()
    const field = Math.floor(tag / 8)
    const wire = tag % 8
    if (field === 0) fail('field number 0')
    const want = field >= 5 && field <= 7 ? 0 : field >= 1 && field <= 10 ? 2 : -1
    if (want !== -1 && wire !== want) fail(`field ${field} has wire type ${wire}`)
    switch (field) {
      case 1: out.room = str(); break
      case 2: out.author = str(); break
      case 3: out.name = str(); break
      case 4: out.text = str(); break
      case 5: out.lamport = varint(); break
      case 6: out.sentAt = varint(); break
      case 7: out.seq = varint(); break
      case 8: out.prev = hex(); break
      case 9:
        if (out.deps.length >= maxDeps) fail(`more than ${maxDeps} deps`)
        out.deps.push(hex())
        break
      case 10: out.replyTo = hex(); break
      default:
        // Unknown field: skip it by its wire type, as protobuf does.
        switch (wire) {
          case 0: varint(); break
          case 1: if (end - at < 8) fail('truncated field'); at += 8; break
          case 2: span(); break
          case 5: if (end - at < 4) fail('truncated field'); at += 4; break
          default: fail(`wire type ${wire}`)
        }
    }
  }
  return out
}
