import { createHash } from 'node:crypto'
import { fromString, toString } from 'uint8arrays'
import type { ChatMessage, UnsignedMessage } from '../core/message.js'
import { validateMessage } from '../core/message.js'
import type { VersionVector } from '../core/causal.js'
import { FrameError } from './errors.js'
import { MAX_FRAME_BYTES, MAX_MESSAGES_PER_FRAME, MAX_VECTOR_ENTRIES, MAX_WANT_IDS } from './constants.js'
import { Body, Envelope, Frame as PbFrame } from './pb/chat.js'

/** A message on the wire with the number of relays it passed. */
export interface Relayed { message: ChatMessage; hops: number }

export type Frame =
  | { type: 'hello'; name: string; version: number }
  | { type: 'messages'; messages: Relayed[]; answer?: boolean }
  | { type: 'sync'; vector: VersionVector }
  | { type: 'want'; ids: string[] }
  | { type: 'receipts'; receipts: Receipt[] }

/** "Peer `by` delivered message `id` at Lamport time `lamport` (wall clock `at`)." */
export interface Receipt { id: string; by: string; lamport: number; at: number }

const hex = (b: Uint8Array): string => toString(b, 'base16')
// Both helpers allocate plain ArrayBuffer-backed arrays; protons' types want that said.
const unhex = (s: string): Uint8Array<ArrayBuffer> => fromString(s, 'base16') as Uint8Array<ArrayBuffer>
const plain = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>

/** Body bytes of messages we built or decoded, so relaying never re-encodes. */
const bodies = new WeakMap<ChatMessage, Uint8Array>()

export function encodeBody (m: UnsignedMessage): Uint8Array {
  return Body.encode({
    room: m.room,
    author: m.author,
    name: m.name,
    text: m.text,
    lamport: m.lamport,
    sentAt: m.sentAt,
    seq: m.seq,
    prev: m.prev === '' ? new Uint8Array(0) : unhex(m.prev),
    deps: m.deps.map(unhex),
    replyTo: m.replyTo === undefined ? new Uint8Array(0) : unhex(m.replyTo)
  })
}

export function hashBody (body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex')
}

/** The bytes the author signed. */
export function bodyOf (m: ChatMessage): Uint8Array {
  let body = bodies.get(m)
  if (body === undefined) {
    body = encodeBody(m)
    bodies.set(m, body)
  }
  return body
}

/** Assemble a message from a signed body; the signature is not checked here. */
export function messageFromBody (body: Uint8Array, sig: Uint8Array): ChatMessage {
  let b: Body
  try {
    b = Body.decode(body, { limits: { deps: 64 } })
  } catch (err) {
    throw new FrameError(`undecodable message body: ${(err as Error).message}`)
  }
  const m: ChatMessage = {
    id: hashBody(body),
    room: b.room,
    author: b.author,
    name: b.name,
    text: b.text,
    lamport: b.lamport,
    sentAt: b.sentAt,
    seq: b.seq,
    prev: b.prev.byteLength === 0 ? '' : hex(b.prev),
    deps: b.deps.map(hex),
    sig
  }
  if (b.replyTo.byteLength > 0) m.replyTo = hex(b.replyTo)
  validateMessage(m)
  bodies.set(m, body)
  return m
}

export function encodeEnvelope (m: ChatMessage): Uint8Array {
  return Envelope.encode({ body: plain(bodyOf(m)), sig: plain(m.sig), hops: 0 })
}

export function decodeEnvelope (bytes: Uint8Array): ChatMessage {
  const env = Envelope.decode(bytes)
  return messageFromBody(env.body, env.sig)
}

export function encodeFrame (frame: Frame): Uint8Array {
  switch (frame.type) {
    case 'hello':
      return PbFrame.encode({ hello: { name: frame.name, version: frame.version }, messages: [], receipts: [] })
    case 'messages':
      return PbFrame.encode({
        messages: frame.messages.map(({ message, hops }) => ({ body: plain(bodyOf(message)), sig: plain(message.sig), hops })),
        receipts: [],
        answer: frame.answer === true
      })
    case 'sync':
      return PbFrame.encode({
        messages: [],
        receipts: [],
        sync: { vector: [...frame.vector].map(([author, seq]) => ({ author, seq })) }
      })
    case 'want':
      return PbFrame.encode({ messages: [], want: { ids: frame.ids.map(unhex) }, receipts: [] })
    case 'receipts':
      return PbFrame.encode({ messages: [], receipts: frame.receipts.map(r => ({ id: unhex(r.id), by: r.by, lamport: r.lamport, at: r.at })) })
    default:
      return missingCase(frame)
  }
}

/**
 * Decode one frame. Throws FrameError for junk, an oversized frame, or a frame
 * that sets no field or several. A bad message inside a batch is reported
 * through `onBadMessage` and skipped, so one forgery does not sink its batch.
 */
export function decodeFrame (bytes: Uint8Array, onBadMessage: (err: Error) => void = () => {}): Frame {
  if (bytes.byteLength > MAX_FRAME_BYTES) throw new FrameError(`frame of ${bytes.byteLength} bytes exceeds ${MAX_FRAME_BYTES}`)
  let f: PbFrame
  try {
    f = PbFrame.decode(bytes, {
      limits: { messages: MAX_MESSAGES_PER_FRAME, receipts: MAX_MESSAGES_PER_FRAME, sync$: { vector: MAX_VECTOR_ENTRIES }, want$: { ids: MAX_WANT_IDS } }
    })
  } catch (err) {
    throw new FrameError(`undecodable frame: ${(err as Error).message}`)
  }
  const set = [f.hello !== undefined, f.messages.length > 0, f.sync !== undefined, f.want !== undefined, f.receipts.length > 0].filter(Boolean).length
  if (set !== 1) throw new FrameError(`a frame must carry exactly one kind of content, it carries ${set}`)
  if (f.hello !== undefined) return { type: 'hello', name: f.hello.name.slice(0, 64), version: f.hello.version }
  if (f.sync !== undefined) {
    const vector: VersionVector = new Map()
    for (const e of f.sync.vector) {
      if (!Number.isSafeInteger(e.seq) || e.seq < 0) throw new FrameError('bad sequence number in version vector')
      vector.set(e.author, e.seq)
    }
    return { type: 'sync', vector }
  }
  if (f.want !== undefined) {
    if (f.want.ids.some(id => id.byteLength !== 32)) throw new FrameError('bad id in want')
    return { type: 'want', ids: f.want.ids.map(hex) }
  }
  if (f.receipts.length > 0) {
    const receipts: Receipt[] = []
    for (const r of f.receipts) {
      if (r.id.byteLength !== 32 || r.by.length === 0 || r.by.length > 128 || !Number.isSafeInteger(r.lamport) || !Number.isSafeInteger(r.at)) {
        onBadMessage(new FrameError('malformed receipt'))
        continue
      }
      receipts.push({ id: hex(r.id), by: r.by, lamport: r.lamport, at: r.at })
    }
    return { type: 'receipts', receipts }
  }
  const messages: Relayed[] = []
  for (const env of f.messages) {
    try {
      messages.push({ message: messageFromBody(env.body, env.sig), hops: env.hops })
    } catch (err) {
      onBadMessage(err as Error)
    }
  }
  return f.answer ? { type: 'messages', messages, answer: true } : { type: 'messages', messages }
}

export function missingCase (x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`)
}
