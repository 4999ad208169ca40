import { closeSync, ftruncateSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { crc32 } from 'node:zlib'

/**
 * An append-only file of records, each framed as
 *   [u32 length][u32 crc32 of payload][payload]
 * Appends queued in one tick go out in one write. On open, records are read
 * until the first one that is short or fails its checksum — what a crash in
 * the middle of a write leaves — and the file is cut back to the last good
 * record, so a kill -9 loses at most the record being written.
 */
export class RecordLog {
  readonly path: string
  #fd: number
  #queue: Uint8Array[] = []
  #flushing: Promise<void> | undefined
  #size = 0

  private constructor (path: string, fd: number, size: number) {
    this.path = path
    this.#fd = fd
    this.#size = size
  }

  /**
   * Open (creating if needed) and return the log with its intact records.
   * `onTruncate` hears how many bytes of a torn tail were dropped.
   */
  static open (path: string, onTruncate?: (bytes: number, reason: string) => void): { log: RecordLog; records: Uint8Array[] } {
    mkdirSync(dirname(path), { recursive: true })
    const fd = openSync(path, 'a+', 0o600)
    const size = fstatSync(fd).size
    const data = Buffer.allocUnsafe(size)
    let read = 0
    while (read < size) read += readSync(fd, data, read, size - read, read)
    const records: Uint8Array[] = []
    let at = 0
    let reason = ''
    while (at < size) {
      if (size - at < 8) { reason = 'torn header'; break }
      const len = data.readUInt32BE(at)
      const sum = data.readUInt32BE(at + 4)
      if (at + 8 + len > size) { reason = 'torn record'; break }
      const payload = data.subarray(at + 8, at + 8 + len)
      if (crc32(payload) !== sum) { reason = 'checksum mismatch'; break }
      // A view, not a copy: one buffer for the whole file instead of one per record.
      records.push(payload)
      at += 8 + len
    }
    if (at < size) {
      ftruncateSync(fd, at)
      onTruncate?.(size - at, reason)
    }
    return { log: new RecordLog(path, fd, at), records }
  }

  get bytes (): number { return this.#size }

  /** Queue a record; the returned promise settles once it is written to the file. */
  append (payload: Uint8Array): Promise<void> {
    this.#queue.push(payload)
    this.#flushing ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.#flushing = undefined
        try {
          this.#writeQueued()
          resolve()
        } catch (err) {
          reject(err)
        }
      })
    })
    return this.#flushing
  }

  /**
   * Write these records now, after whatever is queued (so the file keeps the
   * order of the calls). For a caller that already batched a tick's records
   * and must not announce them before they are in the file: it saves the
   * event-loop turn that append() waits for.
   */
  appendNow (payloads: Uint8Array[]): void {
    for (const p of payloads) this.#queue.push(p)
    this.#writeQueued()
  }

  #writeQueued (): void {
    const queue = this.#queue
    this.#queue = []
    let total = 0
    for (const p of queue) total += 8 + p.byteLength
    const buf = Buffer.allocUnsafe(total)
    let at = 0
    for (const p of queue) {
      buf.writeUInt32BE(p.byteLength, at)
      buf.writeUInt32BE(crc32(p), at + 4)
      buf.set(p, at + 8)
      at += 8 + p.byteLength
    }
    let written = 0
    while (written < total) written += writeSync(this.#fd, buf, written, total - written)
    this.#size += total
  }

  /** Write what is queued now (on shutdown) and close. */
  close (): void {
    if (this.#fd < 0) return
    if (this.#queue.length > 0) this.#writeQueued()
    closeSync(this.#fd)
    this.#fd = -1
  }
}
