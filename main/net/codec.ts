import { hash } from 'node:crypto'
import type { ChatMessage, UnsignedMessage, WireAction } from '../core/message.js'
import { cleanName, validateMessage } from '../core/message.js'
import { cleanAppVersion, cleanLevel, type AppBuild } from '../core/build.js'
import type { VersionVector } from '../core/causal.js'
import { HEAD_CHARS, MAX_FORK_ENTRIES, type ForkDigests, type HeadIds } from '../core/forks.js'
import { decodeBody } from './body.js'
import { BUCKETS, BUCKET_DIGEST_BYTES } from './sync-shape.js'
import { FrameError } from './errors.js'
import { MAX_BODY_BYTES, MAX_FRAME_BYTES, MAX_MESSAGES_PER_FRAME, MAX_SHARED_ADDRS, MAX_SHARED_PEERS, MAX_SYNC_PARTS, MAX_VECTOR_ENTRIES, MAX_WANT_IDS } from './constants.js'
import { Action, Body, Envelope, Frame as PbFrame, ReceiptBatch } from './pb/chat.js'
import { MAX_CLAIMS_PER_FRAME, MAX_CLAIM_BYTES, decodeClaim, presenceFromPb, presenceToPb, typingFromPb, typingToPb, type PresenceFrame, type PresenceNewsFrame, type TypingFrame } from './live-codec.js'
import { MAX_SUMMARIES_PER_FRAME, decodeSummary, type DeliverySummaryFrame } from './summary-codec.js'

/** A message on the wire with the number of relays it passed. */
/** A message as a link passes it on: relays it went through, and `late` when a catch-up brought it on its way (not live: stats only). */
export interface Relayed { message: ChatMessage; hops: number; late?: boolean }

export type Frame =
  /** `app`: the sender's build (core/build.ts); absent from a build from before hellos said it. */
  | { type: 'hello'; name: string; version: number; app?: AppBuild }
  | { type: 'messages'; messages: Relayed[]; answer?: boolean }
  /** `buckets`: our digests per bucket (chat/sync-buckets.ts); `scope`: the vector covers only these buckets (a bitmap). */
  | { type: 'sync'; vector: VersionVector; forks?: ForkDigests; heads?: HeadIds; digest?: string; part?: SyncPart; buckets?: Uint8Array; scope?: Uint8Array }
  | { type: 'want'; ids: string[] }
  | { type: 'receipts'; receipts: Receipt[] }
  /** Receipts by one peer (`by`), signed by it: `sig` over `batch`, which `receipts` were decoded from. */
  | { type: 'signed-receipts'; by: string; receipts: Receipt[]; batch: Uint8Array; sig: Uint8Array }
  /** Ephemeral (live-codec.ts): never stored, never relayed, never synced. */
  | TypingFrame
  | PresenceFrame
  /** Someone's signed presence, relayed through the mesh (chat/presence-relay.ts); never stored. */
  | PresenceNewsFrame
  /** A peer's signed word on what it delivered lately, flooded through the mesh (chat/delivery-summary.ts); never stored as is. */
  | DeliverySummaryFrame
  /** Peer exchange: the peers the sender is linked to and where they listen (mesh.ts); never relayed. */
  | PeersFrame

/** A peer a sender is linked to, and its TCP listen addresses as it told the sender; nothing here is checked yet. */
export interface SharedPeer { id: string; addrs: string[] }
export interface PeersFrame { type: 'peers'; peers: SharedPeer[] }

/** One slice of a vector too long for one frame: part `index` of `count`, in series `series`. */
export interface SyncPart { series: number; index: number; count: number }

/** "Peer `by` delivered message `id` at Lamport time `lamport` (wall clock `at`)." */
export interface Receipt { id: string; by: string; lamport: number; at: number }

// Buffer's native hex codec: multiformats' base16 was a visible share of catch-up time.
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')
// Both helpers hand protons plain ArrayBuffer-backed arrays; its types want that said.
const unhex = (s: string): Uint8Array<ArrayBuffer> => Buffer.from(s, 'hex') as Uint8Array<ArrayBuffer>
const plain = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>

/**
 * One string per distinct author / name / room: protobuf decoding makes a new
 * copy of each for every message, which a 100k history kept 300k times.
 */
const interned = new Map<string, string>()
function intern (s: string): string {
  const known = interned.get(s)
  if (known !== undefined) return known
  if (interned.size >= 10_000) interned.clear()
  interned.set(s, s)
  return s
}

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
    replyTo: m.replyTo === undefined ? new Uint8Array(0) : unhex(m.replyTo),
    // Empty when absent, so not written: a public message's body (and id) is what it was before.
    sealed: m.sealed === undefined ? new Uint8Array(0) : plain(m.sealed),
    to: m.to ?? '',
    ...(m.file !== undefined
      ? {
          file: {
            name: m.file.name,
            size: m.file.size,
            mime: m.file.mime,
            sha256: unhex(m.file.sha256),
            chunkSize: m.file.chunkSize,
            chunksRoot: unhex(m.file.chunksRoot),
            thumbnail: m.file.thumbnail === undefined ? new Uint8Array(0) : plain(m.file.thumbnail),
            thumbnailMime: m.file.thumbnailMime ?? ''
          }
        }
      : {}),
    ...actionField(m.action)
  })
}

const ACTION_KINDS = { edit: Action.Kind.EDIT, delete: Action.Kind.DELETE, react: Action.Kind.REACT, unreact: Action.Kind.UNREACT } as const

/** An edit, delete or reaction goes in field 14; a pin or an unpin in field 15, which older peers skip (net/body.ts). */
function actionField (a: WireAction | undefined): Pick<Body, 'action' | 'pin'> {
  if (a === undefined) return {}
  if (a.kind === 'pin' || a.kind === 'unpin') return { pin: { target: unhex(a.target), on: a.kind === 'pin' } }
  return { action: { target: unhex(a.target), kind: ACTION_KINDS[a.kind], emoji: a.emoji ?? '' } }
}

export function hashBody (body: Uint8Array): string {
  // One-shot hash: no Hash object per message (history load hashes 100k bodies).
  return hash('sha256', body, 'hex')
}

/**
 * Most bytes a message's envelope adds on the wire around its body and signature, wherever it
 * goes: lengths and tags, `hops`, `late`, a tombstone's id, a hub's number and clock offset.
 */
export const ENVELOPE_BYTES = 96

/**
 * What a message takes in a frame, at most: its body as signed (kept, so this costs nothing), its
 * signature and ENVELOPE_BYTES. Every batch of messages (a relay, a sync answer, a run under one
 * signature, a client's submit, a hub's delivery) is cut by it: a private message's sealed bytes,
 * a thumbnail and fields this build does not know are all counted, so no batch passes a frame.
 */
export function wireBytes (m: ChatMessage): number {
  return bodyOf(m).byteLength + m.sig.byteLength + ENVELOPE_BYTES
}

/** The signature of an unsigned message (one vouched for by its author's next signed message). */
export const UNSIGNED: Uint8Array = new Uint8Array(0)

/** Attach the body bytes a message was built from, so they are never encoded again. */
export function withBody (m: ChatMessage, body: Uint8Array): ChatMessage {
  bodies.set(m, body)
  return m
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

/**
 * Assemble a message from a signed body; the signature is not checked here.
 * The id is always the body's hash. `trusted` skips the structural checks for
 * bytes this peer validated itself before storing them (its own CRC-checked
 * log); anything from the network must leave it false.
 */
export function messageFromBody (body: Uint8Array, sig: Uint8Array, trusted = false, redacted?: string): ChatMessage {
  if (!trusted && body.byteLength > MAX_BODY_BYTES) throw new FrameError(`message body of ${body.byteLength} bytes exceeds ${MAX_BODY_BYTES}`)
  const b = decodeBody(body, 64)
  const m: ChatMessage = {
    // A tombstone's id is its original's (the hash of the body as signed), which it names.
    id: redacted ?? hashBody(body),
    room: intern(b.room),
    author: intern(b.author),
    name: intern(b.name),
    text: b.text,
    lamport: b.lamport,
    sentAt: b.sentAt,
    seq: b.seq,
    prev: b.prev,
    deps: b.deps,
    sig
  }
  if (b.replyTo !== '') m.replyTo = b.replyTo
  if (b.sealed !== undefined && b.sealed.byteLength > 0) m.sealed = b.sealed
  if (b.to !== '') m.to = intern(b.to)
  if (b.file !== undefined) m.file = b.file
  if (b.action !== undefined) m.action = b.action
  if (redacted !== undefined) {
    if (!trusted && !/^[0-9a-f]{64}$/.test(redacted)) throw new FrameError('bad tombstone id')
    m.redacted = true
  }
  if (!trusted) validateMessage(m)
  bodies.set(m, body)
  return m
}

/**
 * Make `m` the tombstone of itself, in place (every holder of the object
 * then has it): no text, no sealed text, no file, no signature, and a body
 * to match, which no longer hashes to its id. Kept for a message its author
 * deleted, so the author's chain stays whole without the words.
 */
export function redact (m: ChatMessage): void {
  if (m.redacted === true) return
  m.text = ''
  delete m.sealed
  delete m.file
  m.sig = UNSIGNED
  m.redacted = true
  bodies.set(m, encodeBody(m))
}

/**
 * Make the tombstone `m` its original again, in place (every holder of the
 * object then has it): `original`, whose body hashes to `m`'s id, gives back
 * its text, sealed text, file and signature. What redact undid, for a delete
 * that no longer counts (chat/refetch.ts).
 */
export function unredact (m: ChatMessage, original: ChatMessage): void {
  if (m.redacted !== true || original.redacted === true || original.id !== m.id) return
  m.text = original.text
  if (original.sealed !== undefined) m.sealed = original.sealed
  if (original.file !== undefined) m.file = original.file
  m.sig = original.sig
  delete m.redacted
  bodies.set(m, bodyOf(original))
}

/** The tombstone field of an envelope: the original id for a tombstone, empty otherwise. */
export function redactedField (m: ChatMessage): Uint8Array<ArrayBuffer> {
  return m.redacted === true ? unhex(m.id) : new Uint8Array(0)
}

export function encodeEnvelope (m: ChatMessage): Uint8Array {
  return Envelope.encode({ body: plain(bodyOf(m)), sig: plain(m.sig), hops: 0, redacted: redactedField(m) })
}

/** `trusted`: see messageFromBody — only for this peer's own store. */
export function decodeEnvelope (bytes: Uint8Array, trusted = false): ChatMessage {
  const env = Envelope.decode(bytes)
  return messageFromBody(env.body, env.sig, trusted, env.redacted.byteLength > 0 ? hex(env.redacted) : undefined)
}

/** A build as either protocol's hello carries it (empty and 0: not said). */
export function appToPb (app: AppBuild | undefined): { appVersion: string, featureLevel: number } {
  return { appVersion: app?.version ?? '', featureLevel: app?.level ?? 0 }
}

/** The build a hello says, its version made safe to show; undefined when it says none (an older build). */
export function appFromPb (h: { appVersion: string, featureLevel: number }): AppBuild | undefined {
  if (h.appVersion === '' && h.featureLevel === 0) return undefined
  const version = cleanAppVersion(h.appVersion)
  return { ...(version !== undefined ? { version } : {}), level: cleanLevel(h.featureLevel) }
}

/** The bytes a peer signs for a batch of its own receipts. */
export function encodeReceiptBatch (by: string, receipts: Receipt[]): Uint8Array {
  return ReceiptBatch.encode({ by, receipts: receipts.map(r => ({ id: unhex(r.id), by: '', lamport: r.lamport, at: r.at })) })
}

function receiptOf (r: { id: Uint8Array, by: string, lamport: number, at: number }, by: string): Receipt | undefined {
  if (r.id.byteLength !== 32 || by.length === 0 || by.length > 128 || !Number.isSafeInteger(r.lamport) || !Number.isSafeInteger(r.at)) return undefined
  return { id: hex(r.id), by, lamport: r.lamport, at: r.at }
}

export function encodeFrame (frame: Frame): Uint8Array {
  switch (frame.type) {
    case 'hello':
      return PbFrame.encode({ hello: { name: frame.name, version: frame.version, ...appToPb(frame.app) }, messages: [], receipts: [] })
    case 'messages':
      return PbFrame.encode({
        messages: frame.messages.map(({ message, hops, late }) => ({ body: plain(bodyOf(message)), sig: plain(message.sig), hops, redacted: redactedField(message), late: late === true })),
        receipts: [],
        answer: frame.answer === true
      })
    case 'sync':
      return PbFrame.encode({
        messages: [],
        receipts: [],
        sync: {
          vector: [...frame.vector].map(([author, seq]) => {
            const f = frame.forks?.get(author)
            const h = frame.heads?.get(author)
            const head = h === undefined ? new Uint8Array(0) : unhex(h)
            return f === undefined
              ? { author, seq, forkFloor: 0, forkCount: 0, forkDigest: new Uint8Array(0), head }
              : { author, seq, forkFloor: f.floor, forkCount: f.count, forkDigest: unhex(f.digest), head }
          }),
          digest: frame.digest === undefined ? new Uint8Array(0) : unhex(frame.digest),
          series: frame.part?.series ?? 0,
          part: frame.part?.index ?? 0,
          parts: frame.part?.count ?? 0,
          buckets: frame.buckets === undefined ? new Uint8Array(0) : plain(frame.buckets),
          scope: frame.scope === undefined ? new Uint8Array(0) : plain(frame.scope)
        }
      })
    case 'want':
      return PbFrame.encode({ messages: [], want: { ids: frame.ids.map(unhex) }, receipts: [] })
    case 'receipts':
      return PbFrame.encode({ messages: [], receipts: frame.receipts.map(r => ({ id: unhex(r.id), by: r.by, lamport: r.lamport, at: r.at })) })
    case 'signed-receipts':
      return PbFrame.encode({ messages: [], receipts: [], signedReceipts: { batch: plain(frame.batch), sig: plain(frame.sig) } })
    case 'typing':
      return PbFrame.encode({ messages: [], receipts: [], typing: typingToPb(frame) })
    case 'presence':
      return PbFrame.encode({ messages: [], receipts: [], presence: presenceToPb(frame) })
    case 'presence-news':
      return PbFrame.encode({ messages: [], receipts: [], presenceNews: frame.claims.map(c => ({ claim: plain(c.claim), sig: plain(c.sig) })) })
    case 'delivery-summaries':
      return PbFrame.encode({ messages: [], receipts: [], presenceNews: [], deliverySummaries: frame.summaries.map(s => ({ summary: plain(s.summary), sig: plain(s.sig) })) })
    case 'peers':
      return PbFrame.encode({ messages: [], receipts: [], presenceNews: [], deliverySummaries: [], peers: frame.peers.map(p => ({ id: p.id, addrs: p.addrs })) })
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
      limits: { messages: MAX_MESSAGES_PER_FRAME, receipts: MAX_MESSAGES_PER_FRAME, presenceNews: MAX_CLAIMS_PER_FRAME, deliverySummaries: MAX_SUMMARIES_PER_FRAME, peers: MAX_SHARED_PEERS, peers$: { addrs: MAX_SHARED_ADDRS }, sync$: { vector: MAX_VECTOR_ENTRIES }, want$: { ids: MAX_WANT_IDS } }
    })
  } catch (err) {
    throw new FrameError(`undecodable frame: ${(err as Error).message}`)
  }
  const set = [f.hello !== undefined, f.messages.length > 0, f.sync !== undefined, f.want !== undefined, f.receipts.length > 0, f.signedReceipts !== undefined, f.typing !== undefined, f.presence !== undefined, f.presenceNews.length > 0, f.deliverySummaries.length > 0, f.peers.length > 0].filter(Boolean).length
  if (set !== 1) throw new FrameError(`a frame must carry exactly one kind of content, it carries ${set}`)
  if (f.typing !== undefined) return typingFromPb(f.typing, reason => new FrameError(reason))
  if (f.presence !== undefined) return presenceFromPb(f.presence, reason => new FrameError(reason))
  if (f.presenceNews.length > 0) {
    return {
      type: 'presence-news',
      claims: f.presenceNews.map(({ claim, sig }) => {
        if (sig.byteLength !== 64 || claim.byteLength > MAX_CLAIM_BYTES) throw new FrameError('bad presence news')
        return { claim, sig, news: decodeClaim(claim, reason => new FrameError(reason)) }
      })
    }
  }
  if (f.deliverySummaries.length > 0) {
    return {
      type: 'delivery-summaries',
      summaries: f.deliverySummaries.map(({ summary, sig }) => {
        if (sig.byteLength !== 64) throw new FrameError('bad signature on a delivery summary')
        return { summary, sig, view: decodeSummary(summary, reason => new FrameError(reason)) }
      })
    }
  }
  if (f.peers.length > 0) {
    // Lengths only: the mesh parses what it would dial, and skips what does not parse.
    if (f.peers.some(p => p.id.length > 128 || p.addrs.some(a => a.length > 256))) throw new FrameError('bad peer in a peer exchange')
    return { type: 'peers', peers: f.peers.map(p => ({ id: p.id, addrs: p.addrs })) }
  }
  if (f.hello !== undefined) {
    const app = appFromPb(f.hello)
    return { type: 'hello', name: cleanName(f.hello.name.slice(0, 64)), version: f.hello.version, ...(app !== undefined ? { app } : {}) }
  }
  if (f.sync !== undefined) {
    const vector: VersionVector = new Map()
    const forks: ForkDigests = new Map()
    const heads: HeadIds = new Map()
    for (const e of f.sync.vector) {
      if (!Number.isSafeInteger(e.seq) || e.seq < 0) throw new FrameError('bad sequence number in version vector')
      vector.set(e.author, e.seq)
      if (e.head.byteLength === HEAD_CHARS / 2) heads.set(e.author, hex(e.head))
      else if (e.head.byteLength !== 0) throw new FrameError('bad head id in version vector')
      if (e.forkFloor === 0) continue
      if (!Number.isSafeInteger(e.forkFloor) || e.forkFloor > e.seq || !Number.isSafeInteger(e.forkCount) || e.forkDigest.byteLength !== 32) {
        throw new FrameError('bad fork entry in version vector')
      }
      if (forks.size < MAX_FORK_ENTRIES) forks.set(e.author, { floor: e.forkFloor, count: e.forkCount, digest: hex(e.forkDigest) })
    }
    if (f.sync.digest.byteLength !== 0 && f.sync.digest.byteLength !== 32) throw new FrameError('bad state digest in sync')
    const digest = f.sync.digest.byteLength === 32 ? { digest: hex(f.sync.digest) } : {}
    const { series, part: index, parts: count } = f.sync
    if (count > MAX_SYNC_PARTS || (count > 1 && index >= count)) throw new FrameError('bad part of a parted sync')
    const part = count > 1 ? { part: { series, index, count } } : {}
    const { buckets, scope } = f.sync
    if (buckets.byteLength !== 0 && buckets.byteLength !== BUCKETS * BUCKET_DIGEST_BYTES) throw new FrameError('bad bucket digests in sync')
    if (scope.byteLength !== 0 && scope.byteLength !== BUCKETS / 8) throw new FrameError('bad scope in sync')
    const extra = { ...(buckets.byteLength > 0 ? { buckets } : {}), ...(scope.byteLength > 0 ? { scope } : {}) }
    return { type: 'sync', vector, ...(forks.size > 0 ? { forks } : {}), ...(heads.size > 0 ? { heads } : {}), ...digest, ...part, ...extra }
  }
  if (f.want !== undefined) {
    if (f.want.ids.some(id => id.byteLength !== 32)) throw new FrameError('bad id in want')
    return { type: 'want', ids: f.want.ids.map(hex) }
  }
  if (f.receipts.length > 0) {
    const receipts: Receipt[] = []
    for (const r of f.receipts) {
      const receipt = receiptOf(r, r.by)
      if (receipt === undefined) onBadMessage(new FrameError('malformed receipt'))
      else receipts.push(receipt)
    }
    return { type: 'receipts', receipts }
  }
  if (f.signedReceipts !== undefined) {
    const { batch, sig } = f.signedReceipts
    let b: ReceiptBatch
    try {
      b = ReceiptBatch.decode(batch, { limits: { receipts: MAX_MESSAGES_PER_FRAME } })
    } catch (err) {
      throw new FrameError(`undecodable receipt batch: ${(err as Error).message}`)
    }
    const receipts = b.receipts.map(r => receiptOf(r, b.by))
    // Signed as a whole: one bad part makes the whole batch unusable.
    if (receipts.some(r => r === undefined)) throw new FrameError('malformed receipt in a signed batch')
    return { type: 'signed-receipts', by: b.by, receipts: receipts as Receipt[], batch, sig }
  }
  const messages: Relayed[] = []
  for (const env of f.messages) {
    try {
      messages.push({ message: messageFromBody(env.body, env.sig, false, env.redacted.byteLength > 0 ? hex(env.redacted) : undefined), hops: env.hops, ...(env.late ? { late: true } : {}) })
    } catch (err) {
      onBadMessage(err as Error)
    }
  }
  return f.answer ? { type: 'messages', messages, answer: true } : { type: 'messages', messages }
}

export function missingCase (x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`)
}
