import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import type { ChatMessage } from '../core/message.js'
import { decodeEnvelope, encodeEnvelope } from '../net/codec.js'
import { loadOrCreateIdentity } from '../store/identity.js'
import { RecordLog } from '../store/log.js'
import { StateFile } from '../store/state.js'

const MESSAGE_RECORD = 1

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
        messages.push(decodeEnvelope(r.subarray(1)))
      } catch (err) {
        warn(`message log: skipped an unreadable record (${(err as Error).message})`)
      }
    }
    return new PeerStore(key, state, log, messages)
  }

  async appendMessage (m: ChatMessage): Promise<void> {
    const env = encodeEnvelope(m)
    const rec = new Uint8Array(env.byteLength + 1)
    rec[0] = MESSAGE_RECORD
    rec.set(env, 1)
    await this.log.append(rec)
  }

  close (): void {
    this.log.close()
    this.state.flush()
  }
}
