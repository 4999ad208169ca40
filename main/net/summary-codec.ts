/**
 * The wire shape of a delivery summary (DeliverySummary in chat.proto): a
 * peer's signed word on what it delivered lately, compact enough to flood
 * through the whole mesh. Each delivery costs 8 bytes of the message's id and
 * two small varints (the Lamport time and the wall clock then, as differences
 * from the delivery before): about 11 bytes, against ~50 for a Receipt.
 *
 * @example
 * ```ts
 * const bytes = encodeSummary({ by, serial: Date.now(), entries: [{ prefix: id.slice(0, 16), lamport: 42, at: Date.now() }] })
 * const view = decodeSummary(bytes, reason => new FrameError(reason))   // the same, checked
 * ```
 */
import { DeliverySummary } from './pb/chat.js'

/** Bytes of a message id a summary names it by (16 hex characters). */
export const ID_PREFIX_BYTES = 8
/** Most deliveries in one summary; a summary that names more is refused whole. */
export const MAX_SUMMARY_ENTRIES = 4096
/** Put before a summary's bytes when signing, so it can never pass for another signed thing (a message body, receipts, a presence claim). */
export const SUMMARY_SIGNED_PREFIX = new TextEncoder().encode('lanchat delivery summary v1\n')

/** "Peer `by` delivered the message whose id starts with `prefix` at Lamport time `lamport` (wall clock `at`)." */
export interface SummaryEntry { prefix: string; lamport: number; at: number }
export interface SummaryView { by: string; serial: number; entries: SummaryEntry[] }

/** A peer's signed summary, passed on unchanged: `sig` signs SUMMARY_SIGNED_PREFIX + `summary`, and `view` was decoded from `summary`. */
export interface SignedSummary { summary: Uint8Array; sig: Uint8Array; view: SummaryView }

/** Summaries of one or many peers in one frame. */
export interface DeliverySummaryFrame { type: 'delivery-summaries'; summaries: SignedSummary[] }

/** Most summaries in one frame (a classroom's worth, many times over). */
export const MAX_SUMMARIES_PER_FRAME = 1024

type Refuse = (reason: string) => Error

const zigzag = (v: number): number => v >= 0 ? 2 * v : -2 * v - 1
const unzigzag = (z: number): number => z % 2 === 0 ? z / 2 : -(z + 1) / 2

/** Appends `v` (0 ≤ v < 2^54) as an unsigned varint; arithmetic, not bit operations, so values past 2^31 survive. */
function putVarint (out: number[], v: number): void {
  while (v >= 128) {
    out.push((v % 128) + 128)
    v = Math.floor(v / 128)
  }
  out.push(v)
}

export function encodeSummary (s: SummaryView): Uint8Array {
  const ids = Buffer.alloc(s.entries.length * ID_PREFIX_BYTES)
  const times: number[] = []
  let lamport = 0
  let at = 0
  s.entries.forEach((e, i) => {
    ids.write(e.prefix, i * ID_PREFIX_BYTES, ID_PREFIX_BYTES, 'hex')
    putVarint(times, zigzag(e.lamport - lamport))
    putVarint(times, zigzag(e.at - at))
    lamport = e.lamport
    at = e.at
  })
  return DeliverySummary.encode({ by: s.by, serial: s.serial, ids: ids as Uint8Array<ArrayBuffer>, times: Uint8Array.from(times) })
}

export function decodeSummary (bytes: Uint8Array, refuse: Refuse): SummaryView {
  // Refused by size before decoding: a summary of more than MAX_SUMMARY_ENTRIES is junk, however it is built.
  if (bytes.byteLength > 256 + MAX_SUMMARY_ENTRIES * (ID_PREFIX_BYTES + 18)) throw refuse('oversized delivery summary')
  let s: DeliverySummary
  try {
    s = DeliverySummary.decode(bytes)
  } catch (err) {
    throw refuse(`undecodable delivery summary: ${(err as Error).message}`)
  }
  const n = s.ids.byteLength / ID_PREFIX_BYTES
  if (s.by.length === 0 || s.by.length > 128 || !Number.isSafeInteger(s.serial) || s.serial <= 0) throw refuse('bad delivery summary')
  if (!Number.isInteger(n) || n === 0) throw refuse('bad ids in a delivery summary')
  if (n > MAX_SUMMARY_ENTRIES) throw refuse('oversized delivery summary')
  const hex = Buffer.from(s.ids.buffer, s.ids.byteOffset, s.ids.byteLength).toString('hex')
  const t = s.times
  let pos = 0
  const next = (): number => {
    let v = 0
    let scale = 1
    for (let k = 0; k < 8; k++) {
      const b = t[pos++]
      if (b === undefined) throw refuse('short times in a delivery summary')
      v += (b & 127) * scale
      if (b < 128) return unzigzag(v)
      scale *= 128
    }
    throw refuse('overlong varint in a delivery summary')
  }
  const entries: SummaryEntry[] = new Array(n)
  let lamport = 0
  let at = 0
  for (let i = 0; i < n; i++) {
    lamport += next()
    at += next()
    if (!Number.isSafeInteger(lamport) || lamport < 0 || !Number.isSafeInteger(at) || at < 0) throw refuse('bad time in a delivery summary')
    entries[i] = { prefix: hex.slice(i * 2 * ID_PREFIX_BYTES, (i + 1) * 2 * ID_PREFIX_BYTES), lamport, at }
  }
  if (pos !== t.byteLength) throw refuse('trailing bytes in a delivery summary')
  return { by: s.by, serial: s.serial, entries }
}

/** The bytes a summary's signature covers. */
export function summarySigned (summary: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(SUMMARY_SIGNED_PREFIX.byteLength + summary.byteLength)
  bytes.set(SUMMARY_SIGNED_PREFIX)
  bytes.set(summary, SUMMARY_SIGNED_PREFIX.byteLength)
  return bytes
}
