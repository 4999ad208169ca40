import { join } from 'node:path'
import type { PrivateKey } from '@libp2p/interface'
import { loadOrCreateIdentity } from '../store/identity.js'
import { RecordLog } from '../store/log.js'
import { readJson, writeFileAtomic } from '../store/files.js'
import { decodeSequencedRecord, encodeSequencedRecord, type SequencedMessage } from '../net/hub-codec.js'

const SEQUENCED_RECORD = 2
export const HUB_LOG_FILE = 'hub.log'
export const HUB_STATE_FILE = 'hub.json'

export interface HubState { name?: string; port?: number }

/**
 * The hub's data directory: its identity key (so its peer id, and with it
 * every client's saved server address, survives a restart), a small state file
 * (name, last port), and the append-only log of sequenced messages. Each
 * record carries its number, so a log that lost its tail to a crash is still
 * read correctly up to the last whole record.
 */
export class HubStore {
  private constructor (
    readonly key: PrivateKey,
    readonly statePath: string,
    public state: HubState,
    readonly log: RecordLog,
    readonly items: SequencedMessage[]
  ) {}

  static async open (dataDir: string, warn: (msg: string) => void): Promise<HubStore> {
    const key = await loadOrCreateIdentity(dataDir)
    const statePath = join(dataDir, HUB_STATE_FILE)
    let state: HubState = {}
    try {
      const raw = readJson(statePath) as HubState | undefined
      if (raw !== undefined && typeof raw === 'object') {
        state = {
          ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
          ...(Number.isInteger(raw.port) ? { port: raw.port } : {})
        }
      }
    } catch (err) {
      warn(`${statePath} unreadable, starting afresh: ${(err as Error).message}`)
    }
    const { log, records } = RecordLog.open(join(dataDir, HUB_LOG_FILE), (bytes, reason) => {
      warn(`hub log: dropped a ${reason} of ${bytes} bytes at the end (an interrupted write)`)
    })
    const items: SequencedMessage[] = []
    for (const r of records) {
      if (r[0] !== SEQUENCED_RECORD || r.byteLength < 9) continue
      try {
        items.push(decodeSequencedRecord(r))
      } catch (err) {
        warn(`hub log: skipped an unreadable record (${(err as Error).message})`)
      }
    }
    return new HubStore(key, statePath, state, log, items)
  }

  /** Resolves once the record is in the file (the hub relays only after that). */
  async append (item: SequencedMessage): Promise<void> {
    await this.log.append(encodeSequencedRecord(SEQUENCED_RECORD, item))
  }

  saveState (): void {
    writeFileAtomic(this.statePath, JSON.stringify(this.state))
  }

  close (): void {
    this.log.close()
    this.saveState()
  }
}
