import { renameSync } from 'node:fs'
import { join } from 'node:path'
import type { Receipt } from '../net/codec.js'
import { RecordLog } from './log.js'

export const RECEIPTS_FILE = 'receipts.log'

/** Record: id (32 bytes), lamport (f64), at (f64), then the peer id in UTF-8. */
function encode (r: Receipt): Uint8Array {
  const by = Buffer.from(r.by, 'utf8')
  const rec = Buffer.alloc(48 + by.byteLength)
  Buffer.from(r.id, 'hex').copy(rec, 0)
  rec.writeDoubleBE(r.lamport, 32)
  rec.writeDoubleBE(r.at, 40)
  by.copy(rec, 48)
  return rec
}

function decode (rec: Uint8Array): Receipt | undefined {
  if (rec.byteLength < 49 || rec.byteLength > 48 + 128) return undefined
  const b = Buffer.from(rec.buffer, rec.byteOffset, rec.byteLength)
  return { id: b.toString('hex', 0, 32), lamport: b.readDoubleBE(32), at: b.readDoubleBE(40), by: b.toString('utf8', 48) }
}

/**
 * Who delivered which message, kept beside the P2P history so "delivered to
 * k of n" and the space-time diagram's arrows survive a restart and a round
 * trip through client mode. Only the newest `keep` receipts matter (the
 * engine tracks as many); the file is rewritten with those when it grows past
 * twice that.
 */
export class ReceiptLog {
  private constructor (readonly log: RecordLog, readonly receipts: Receipt[]) {}

  static open (dataDir: string, keep: number): ReceiptLog {
    const path = join(dataDir, RECEIPTS_FILE)
    const opened = RecordLog.open(path)
    const receipts = opened.records.map(decode).filter((r): r is Receipt => r !== undefined).slice(-keep)
    if (opened.records.length <= 2 * keep) return new ReceiptLog(opened.log, receipts)
    opened.log.close()
    const tmp = `${path}.compact`
    const fresh = RecordLog.open(tmp).log
    fresh.appendNow(receipts.map(encode))
    fresh.close()
    renameSync(tmp, path)
    return new ReceiptLog(RecordLog.open(path).log, receipts)
  }

  append (r: Receipt): void { void this.log.append(encode(r)) }

  close (): void { this.log.close() }
}
