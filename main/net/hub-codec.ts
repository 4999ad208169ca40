import { fromString, toString } from 'uint8arrays'
import { cleanName, type ChatMessage } from '../core/message.js'
import { MAX_LAMPORT } from '../core/limits.js'
import type { AppBuild } from '../core/build.js'
import { clockOffTaken } from '../core/written-at.js'
import { appFromPb, appToPb, bodyOf, decodeEnvelope, messageFromBody, missingCase, redactedField } from './codec.js'
import { DELIVER_BATCH, HELLO_TIMEOUT_MS, MAX_FRAME_BYTES, MAX_QUEUED_BYTES, MAX_SUBMIT_PER_FRAME } from './constants.js'
import type { LinkRules } from './frame-links.js'
import { HubFrame as PbHubFrame } from './pb/chat.js'
import { HubFrameError } from './errors.js'
import { presenceFromPb, presenceToPb, typingFromPb, typingToPb, type PresenceFrame, type TypingFrame } from './live-codec.js'

/**
 * A message with its place in the hub's total order. `clockOff`: how far its author's clock ran
 * behind the hub's when it submitted it (ms; negative: ahead), as its hello showed; absent: not off.
 */
export interface SequencedMessage { seq: number; message: ChatMessage; clockOff?: number }

/** An author's newest message a hub accepted: its number, id and Lamport time. */
export interface OwnChain { seq: number; head: string; lamport: number }

/** Frames of the hub stream (see HubFrame in chat.proto). */
export type HubFrame =
  /**
   * `own`, hub to client only: the client's own chain as far as the hub accepted it.
   * `maxFileBytes`, hub to client only: the largest file the hub stores (an older hub does not say).
   * `app`: the sender's build (core/build.ts); an older one does not say.
   * `now`: the sender's wall clock (ms) when it said hello; an older one does not say.
   * `seqId`, client to hub only: the id of the message it holds under `seq` (an older client does not say).
   * `fromStart`, hub to client only: the hub sends its whole history again, for it has another message (or none) under that number.
   */
  | { type: 'hello'; name: string; version: number; seq: number; own?: OwnChain; maxFileBytes?: number; app?: AppBuild; now?: number; maxLamport?: number; seqId?: string; fromStart?: true }
  | { type: 'submit'; messages: ChatMessage[] }
  | { type: 'deliver'; items: SequencedMessage[] }
  | { type: 'rejected'; id: string; reason: string }
  /** Ephemeral (live-codec.ts): the hub forwards them to the other clients and stores nothing. */
  | TypingFrame
  | PresenceFrame

const plain = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>
const envelope = (m: ChatMessage): { body: Uint8Array<ArrayBuffer>, sig: Uint8Array<ArrayBuffer>, hops: number, redacted: Uint8Array<ArrayBuffer>, late: boolean } =>
  ({ body: plain(bodyOf(m)), sig: plain(m.sig), hops: 0, redacted: redactedField(m), late: false })

export function encodeHubFrame (frame: HubFrame): Uint8Array {
  switch (frame.type) {
    case 'hello':
      return PbHubFrame.encode({
        hello: {
          name: frame.name,
          version: frame.version,
          seq: frame.seq,
          authorSeq: frame.own?.seq ?? 0,
          authorHead: plain(frame.own === undefined ? new Uint8Array(0) : fromString(frame.own.head, 'base16')),
          authorLamport: frame.own?.lamport ?? 0,
          maxFileBytes: frame.maxFileBytes ?? 0,
          ...appToPb(frame.app),
          now: frame.now ?? 0,
          ...(frame.maxLamport !== undefined ? { maxLamport: frame.maxLamport } : {}),
          seqId: plain(frame.seqId === undefined ? new Uint8Array(0) : fromString(frame.seqId, 'base16')),
          fromStart: frame.fromStart === true
        },
        submit: [],
        deliver: []
      })
    case 'submit':
      return PbHubFrame.encode({ submit: frame.messages.map(envelope), deliver: [] })
    case 'deliver':
      return PbHubFrame.encode({ submit: [], deliver: frame.items.map(i => ({ seq: i.seq, message: envelope(i.message), clockOff: i.clockOff ?? 0 })) })
    case 'rejected':
      return PbHubFrame.encode({ submit: [], deliver: [], rejected: { id: plain(fromString(frame.id, 'base16')), reason: frame.reason } })
    case 'typing':
      return PbHubFrame.encode({ submit: [], deliver: [], typing: typingToPb(frame) })
    case 'presence':
      return PbHubFrame.encode({ submit: [], deliver: [], presence: presenceToPb(frame) })
    default:
      return missingCase(frame)
  }
}

/**
 * Decode one hub frame. Throws HubFrameError for junk, an oversized frame, a
 * frame with no or several kinds of content, or a malformed message: on the
 * hub stream every message comes from its author or from the hub, so unlike
 * P2P relaying there is no innocent forwarder to spare.
 */
export function decodeHubFrame (bytes: Uint8Array): HubFrame {
  if (bytes.byteLength > MAX_FRAME_BYTES) throw new HubFrameError(`frame of ${bytes.byteLength} bytes exceeds ${MAX_FRAME_BYTES}`)
  let f: PbHubFrame
  try {
    f = PbHubFrame.decode(bytes, { limits: { submit: MAX_SUBMIT_PER_FRAME, deliver: DELIVER_BATCH } })
  } catch (err) {
    throw new HubFrameError(`undecodable frame: ${(err as Error).message}`)
  }
  const set = [f.hello !== undefined, f.submit.length > 0, f.deliver.length > 0, f.rejected !== undefined, f.typing !== undefined, f.presence !== undefined].filter(Boolean).length
  if (set !== 1) throw new HubFrameError(`a frame must carry exactly one kind of content, it carries ${set}`)
  if (f.typing !== undefined) return typingFromPb(f.typing, reason => new HubFrameError(reason))
  if (f.presence !== undefined) return presenceFromPb(f.presence, reason => new HubFrameError(reason))
  const message = (body: Uint8Array, sig: Uint8Array, redacted: Uint8Array): ChatMessage => {
    try {
      return messageFromBody(body, sig, false, redacted.byteLength > 0 ? Buffer.from(redacted).toString('hex') : undefined)
    } catch (err) {
      throw new HubFrameError(`bad message: ${(err as Error).message}`)
    }
  }
  if (f.hello !== undefined) {
    const h = f.hello
    if (!Number.isSafeInteger(h.seq) || h.seq < 0) throw new HubFrameError('bad sequence number in hello')
    // 0 (or nothing, from an older hub): the hub did not say its largest file.
    const limit = Number.isSafeInteger(h.maxFileBytes) && h.maxFileBytes > 0 ? { maxFileBytes: h.maxFileBytes } : {}
    const app = appFromPb(h)
    const now = Number.isSafeInteger(h.now) && h.now > 0 ? { now: h.now } : {}
    const maxLamport = h.maxLamport !== undefined && Number.isSafeInteger(h.maxLamport) && h.maxLamport >= 0 && h.maxLamport < MAX_LAMPORT ? { maxLamport: h.maxLamport } : {}
    // A message id is 32 bytes; under number 0 there is none (said anyway: not taken).
    if (h.seqId.byteLength !== 0 && h.seqId.byteLength !== 32) throw new HubFrameError('bad message id in hello')
    const seqId = h.seqId.byteLength === 32 && h.seq > 0 ? { seqId: toString(h.seqId, 'base16') } : {}
    const fromStart = h.fromStart ? { fromStart: true as const } : {}
    const hello = { type: 'hello' as const, name: cleanName(h.name.slice(0, 64)), version: h.version, seq: h.seq, ...limit, ...(app !== undefined ? { app } : {}), ...now, ...maxLamport, ...seqId, ...fromStart }
    if (h.authorSeq === 0) return hello
    if (!Number.isSafeInteger(h.authorSeq) || h.authorSeq < 0 || h.authorHead.byteLength !== 32 || !Number.isSafeInteger(h.authorLamport)) throw new HubFrameError('bad own chain in hello')
    return { ...hello, own: { seq: h.authorSeq, head: toString(h.authorHead, 'base16'), lamport: h.authorLamport } }
  }
  if (f.rejected !== undefined) {
    if (f.rejected.id.byteLength !== 32) throw new HubFrameError('bad id in rejected')
    return { type: 'rejected', id: toString(f.rejected.id, 'base16'), reason: f.rejected.reason.slice(0, 500) }
  }
  if (f.submit.length > 0) return { type: 'submit', messages: f.submit.map(e => message(e.body, e.sig, e.redacted)) }
  const items: SequencedMessage[] = []
  for (const d of f.deliver) {
    if (d.message === undefined || !Number.isSafeInteger(d.seq) || d.seq < 1) throw new HubFrameError('bad sequenced message')
    // An offset past any clock (over a century, or not a number) is not taken: the message is shown as its author dated it.
    const off = d.clockOff !== 0 && clockOffTaken(d.clockOff) ? { clockOff: d.clockOff } : {}
    items.push({ seq: d.seq, message: message(d.message.body, d.message.sig, d.message.redacted), ...off })
  }
  return { type: 'deliver', items }
}

/** How a hub-protocol link runs, at either end: a junk frame or a missing hello closes it, a newer link replaces an older one. */
export function hubLinkRules (hello: 'first' | 'reply'): LinkRules<HubFrame> {
  return {
    codec: { encode: encodeHubFrame, decode: decodeHubFrame },
    helloName: f => f.type === 'hello' ? f.name : undefined,
    helloApp: f => f.type === 'hello' ? f.app : undefined,
    onBadFrame: 'close',
    onePerPeer: true,
    helloTimeoutMs: HELLO_TIMEOUT_MS,
    hello,
    // The hub's links: a client that stops reading (its window shut) is cut off, not buffered for without end, as a
    // mesh peer is. It would otherwise hold the hub's memory with what others say and with the answer to each resend
    // of its own messages (free of the rate limit). A catch-up waits for each batch to drain, so no reader comes near it.
    // A client's own link has none: the backlog it sends after an outage waits on the hub's rate limit.
    ...(hello === 'reply' ? { maxQueuedBytes: MAX_QUEUED_BYTES } : {}),
    envelopes: f => f.type === 'submit' ? f.messages.length : f.type === 'deliver' ? f.items.length : 0
  }
}

/** Read a numbered message from the hub's or a client's log of before SQLite (kind byte, seq, envelope): the one-time importer. */
export function decodeSequencedRecord (rec: Uint8Array): SequencedMessage {
  const seq = Number(new DataView(rec.buffer, rec.byteOffset + 1, 8).getBigUint64(0))
  return { seq, message: decodeEnvelope(rec.subarray(9), true) }
}
