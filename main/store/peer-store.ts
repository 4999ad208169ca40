import { join } from 'node:path'
import type { ChatMessage } from '../core/message.js'
import { decodeEnvelope, encodeRecord } from '../net/codec.js'
import { RecordLog } from './log.js'
import { StateFile, type KnownPeer, type State } from './state.js'

const MESSAGE_RECORD = 1
const MESSAGE_PREFIX = Uint8Array.of(MESSAGE_RECORD)

export const MESSAGES_FILE = 'messages.log'

/**
 * What a P2P peer keeps in its data directory beside its identity key (identity.ts): the
 * state file (clock, name, rooms, known and blocked peers) and the
 * append-only log of delivered messages (in delivery order, so replaying it
 * delivers them again without waiting on anything).
 */
export class PeerStore {
  private constructor (
    readonly file: StateFile,
    readonly log: RecordLog,
    readonly messages: ChatMessage[]
  ) {}

  static async open (dataDir: string, warn: (msg: string) => void): Promise<PeerStore> {
    const file = new StateFile(dataDir, reason => { warn(`state reset: ${reason}`) })
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
    return new PeerStore(file, log, messages)
  }

  get state (): State { return this.file.state }

  changed (): void { this.file.changed() }

  rememberPeer (peerId: string, peer: KnownPeer): void {
    this.state.peers[peerId] = peer
    this.changed()
  }

  forgetPeer (peerId: string): void {
    if (this.state.peers[peerId] === undefined) return
    const { [peerId]: _gone, ...rest } = this.state.peers
    this.state.peers = rest
    this.changed()
  }

  setBlocked (peerIds: string[]): void {
    this.state.blocked = peerIds
    this.changed()
  }

  async appendMessage (m: ChatMessage): Promise<void> {
    await this.log.append(encodeRecord(MESSAGE_PREFIX, m))
  }

  /** Write these messages to the log before returning (own messages, batched by the outbox). */
  appendMessagesNow (messages: ChatMessage[]): void {
    this.log.appendNow(messages.map(m => encodeRecord(MESSAGE_PREFIX, m)))
  }

  close (): void {
    this.log.close()
    this.file.flush()
  }
}
