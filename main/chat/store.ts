import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import type { ChatMessage } from '../core/message.js'
import { decodeEnvelope, encodeRecord } from '../net/codec.js'
import { loadOrCreateIdentity } from '../store/identity.js'
import { RecordLog } from '../store/log.js'
import { StateFile } from '../store/state.js'

const MESSAGE_RECORD = 1
const MESSAGE_PREFIX = Uint8Array.of(MESSAGE_RECORD)

export const MESSAGES_FILE = 'messages.log'

/**
 * Everything a peer keeps in its data directory: identity key, state file,
 * and the append-only log of delivered messages (in delivery order, so
 * replaying it delivers them again without waiting on anything).
 */
export class PeerStore {
  private constructor (
    readonly key: PrivateKey,
    readonly state: StateFile,
    readonly log: RecordLog,
    readonly messages: ChatMessage[]
  ) {}

  static async open (dataDir: string, warn: (msg: string) => void): Promise<PeerStore> {
    const key = await loadOrCreateIdentity(dataDir)
    const state = new StateFile(dataDir, reason => { warn(`state reset: ${reason}`) })
    const { log, records } = RecordLog.open(join(dataDir, MESSAGES_FILE), (bytes, reason) => {
      warn(`message log: dropped a ${reason} of ${bytes} bytes at the end (an interrupted write)`)
    })
    const messages: ChatMessage[] = []
    for (const r of records) {
      if (r[0] !== MESSAGE_RECORD) continue
      try {
        // Trusted: only messages verified and delivered were ever appended, and the CRC
        // vouches the bytes are those. The id is still the hash of the body.
        messages.push(decodeEnvelope(r.subarray(1), true))
      } catch (err) {
        warn(`message log: skipped an unreadable record (${(err as Error).message})`)
      }
    }
    return new PeerStore(key, state, log, messages)
  }

  async appendMessage (m: ChatMessage): Promise<void> {
    await this.log.append(encodeRecord(MESSAGE_PREFIX, m))
  }

  /** Write these messages to the log before returning (own messages, batched by the engine's outbox). */
  appendMessagesNow (messages: ChatMessage[]): void {
    this.log.appendNow(messages.map(m => encodeRecord(MESSAGE_PREFIX, m)))
  }

  close (): void {
    this.log.close()
    this.state.flush()
  }
}
