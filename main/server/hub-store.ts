import type { PrivateKey } from '@libp2p/interface'
import { ChatDb } from '../store/db.js'
import { loadOrCreateIdentity } from '../store/identity.js'
import type { MessageTable } from '../store/messages.js'
import type { SequencedMessage } from '../net/hub-codec.js'
import type { SequencedIndex } from './sequencer.js'

const SCOPE = 'hub'

export interface HubState { name?: string; port?: number }

/**
 * The hub's data directory: its identity key (so its peer id, and with it
 * every client's saved server address, survives a restart), and its part of
 * the directory's database: a small state (name, last port) and the numbered
 * messages. Appends made in one tick are committed in one transaction, and
 * each promise settles only then: the hub relays only what is committed.
 */
export class HubStore {
  readonly messages: MessageTable
  #queue: SequencedMessage[] = []
  #flushing: Promise<void> | undefined

  private constructor (
    readonly key: PrivateKey,
    readonly db: ChatDb,
    public state: HubState
  ) {
    this.messages = db.messages(SCOPE)
  }

  static async open (dataDir: string, warn: (msg: string) => void): Promise<HubStore> {
    const key = await loadOrCreateIdentity(dataDir)
    const { db, problems } = ChatDb.open(dataDir, warn)
    for (const p of problems) warn(p)
    const raw = (db.getJson(SCOPE, 'state') ?? {}) as HubState
    const state: HubState = {
      ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
      ...(Number.isInteger(raw.port) ? { port: raw.port } : {})
    }
    return new HubStore(key, db, state)
  }

  /** The numbered messages as the sequencer reads them back: by number, by id, each author's newest. */
  index (): SequencedIndex {
    const m = this.messages
    return {
      lastSeq: () => m.maxNum(''),
      lasts: () => m.lasts(),
      byId: id => {
        const s = m.get(id)
        return s === undefined ? undefined : { seq: s.num!, message: s.message, ...(s.clockOff !== undefined ? { clockOff: s.clockOff } : {}) }
      },
      after: (seq, limit) => m.byNum(seq, limit).map(s => ({ seq: s.num!, message: s.message, ...(s.clockOff !== undefined ? { clockOff: s.clockOff } : {}) }))
    }
  }

  /** Resolves once the record is committed (with the others of its tick). */
  async append (item: SequencedMessage): Promise<void> {
    this.#queue.push(item)
    await this.#flushSoon()
  }

  /**
   * Commits again what a failed commit left queued (a write error, a full disk): resolves once it is.
   * Without it a hub nobody writes to holds those numbers, and every one after them, uncommitted.
   */
  async flush (): Promise<void> {
    if (this.#queue.length > 0) await this.#flushSoon()
  }

  async #flushSoon (): Promise<void> {
    this.#flushing ??= new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.#flushing = undefined
        try {
          this.#commit()
          resolve()
        } catch (err) {
          reject(err)
        }
      })
    })
    await this.#flushing
  }

  #commit (): void {
    const queue = this.#queue
    this.#queue = []
    if (queue.length === 0 || !this.db.isOpen) return
    try {
      this.db.transaction(() => { this.messages.insert(queue.map(i => ({ message: i.message, num: i.seq, ...(i.clockOff !== undefined ? { clockOff: i.clockOff } : {}) }))) })
    } catch (err) {
      // Numbers are given in order: what failed goes first in the next commit, so none is skipped.
      this.#queue = queue.concat(this.#queue)
      throw err
    }
  }

  saveState (): void {
    this.db.setJson(SCOPE, 'state', this.state)
  }

  /** Commits what is queued and closes; the database is closed even when that last commit fails (then thrown). */
  close (): void {
    if (!this.db.isOpen) return
    try {
      this.#commit()
      this.saveState()
    } finally {
      this.db.close()
    }
  }
}
