import { existsSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { fromString, toString } from 'uint8arrays'
import type { ChatMessage } from '../core/message.js'
import { decodeEnvelope, encodeEnvelope } from '../net/codec.js'
import { decodeSequencedRecord, encodeSequencedRecord, type SequencedMessage } from '../net/hub-codec.js'
import { readJson, writeFileAtomic } from './files.js'
import { RecordLog } from './log.js'

const DELIVERED = 1
const PENDING = 2
const CANCELLED = 3

export const CLIENT_DIR = 'client'

export interface ClientState {
  /** The hub whose numbers `lastSeq` and the delivered records refer to. */
  serverId?: string
  /** Last server address that worked, to redial after a restart. */
  serverAddr?: string
  name?: string
  clock: number
  /** Our newest own message (number and id): the next one chains on it. */
  chainSeq: number
  chainId: string
  rooms: string[]
}

/**
 * What a client keeps, in `<data>/client/` next to the P2P store (the two
 * modes share the identity key and nothing else): the hub's messages with
 * their numbers, own messages still pending, and a small state file. Records:
 * delivered (seq + envelope), pending (envelope), cancelled (id of a pending
 * message the hub refused). Pending = pending records not since delivered
 * or cancelled, so a kill -9 at any point loses no pending message.
 */
export class ClientStore {
  readonly dir: string
  #log: RecordLog
  #timer: NodeJS.Timeout | undefined

  private constructor (
    dir: string,
    log: RecordLog,
    public state: ClientState,
    readonly delivered: SequencedMessage[],
    readonly pending: ChatMessage[]
  ) {
    this.dir = dir
    this.#log = log
  }

  /** Open `<dataDir>/client/` for the client whose peer id is `self`. */
  static async open (dataDir: string, self: string, warn: (msg: string) => void): Promise<ClientStore> {
    const dir = join(dataDir, CLIENT_DIR)
    const state = ClientStore.#readState(dir, warn)
    const { log, records } = RecordLog.open(join(dir, 'messages.log'), (bytes, reason) => {
      warn(`client log: dropped a ${reason} of ${bytes} bytes at the end (an interrupted write)`)
    })
    const delivered: SequencedMessage[] = []
    const pending = new Map<string, ChatMessage>()
    const done = new Set<string>()
    for (const r of records) {
      try {
        switch (r[0]) {
          case DELIVERED: {
            const item = decodeSequencedRecord(r)
            const message = item.message
            delivered.push(item)
            done.add(message.id)
            pending.delete(message.id)
            break
          }
          case PENDING: {
            const message = decodeEnvelope(r.subarray(1), true)
            if (!done.has(message.id)) pending.set(message.id, message)
            break
          }
          case CANCELLED: {
            const id = toString(r.subarray(1), 'base16')
            done.add(id)
            pending.delete(id)
            break
          }
          default:
            warn(`client log: skipped a record of unknown kind ${r[0]}`)
        }
      } catch (err) {
        warn(`client log: skipped an unreadable record (${(err as Error).message})`)
      }
    }
    // The log is the truth for the chain and the clock; the state file may lag it.
    for (const m of [...delivered.map(d => d.message), ...pending.values()]) {
      state.clock = Math.max(state.clock, m.lamport)
      if (m.author === self && m.seq > state.chainSeq) {
        state.chainSeq = m.seq
        state.chainId = m.id
      }
    }
    return new ClientStore(dir, log, state, delivered, [...pending.values()])
  }

  static #readState (dir: string, warn: (msg: string) => void): ClientState {
    const fresh: ClientState = { clock: 0, chainSeq: 0, chainId: '', rooms: ['lobby'] }
    try {
      const raw = readJson(join(dir, 'state.json')) as Partial<ClientState> | undefined
      if (raw === undefined) return fresh
      return {
        ...(typeof raw.serverId === 'string' ? { serverId: raw.serverId } : {}),
        ...(typeof raw.serverAddr === 'string' ? { serverAddr: raw.serverAddr } : {}),
        ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
        clock: Number.isSafeInteger(raw.clock) ? raw.clock! : 0,
        chainSeq: Number.isSafeInteger(raw.chainSeq) ? raw.chainSeq! : 0,
        chainId: typeof raw.chainId === 'string' ? raw.chainId : '',
        rooms: Array.isArray(raw.rooms) ? raw.rooms.filter(r => typeof r === 'string').slice(0, 1000) : ['lobby']
      }
    } catch (err) {
      warn(`client state unreadable, starting afresh: ${(err as Error).message}`)
      return fresh
    }
  }

  changed (): void {
    this.#timer ??= setTimeout(() => { this.flush() }, 200)
  }

  flush (): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    writeFileAtomic(join(this.dir, 'state.json'), JSON.stringify(this.state, null, 2))
  }

  async appendDelivered (item: SequencedMessage): Promise<void> {
    await this.#log.append(encodeSequencedRecord(DELIVERED, item))
  }

  async appendPending (m: ChatMessage): Promise<void> {
    const env = encodeEnvelope(m)
    const rec = new Uint8Array(env.byteLength + 1)
    rec[0] = PENDING
    rec.set(env, 1)
    await this.#log.append(rec)
  }

  async appendCancelled (id: string): Promise<void> {
    const rec = new Uint8Array(33)
    rec[0] = CANCELLED
    rec.set(fromString(id, 'base16'), 1)
    await this.#log.append(rec)
  }

  /**
   * A different hub: its numbers mean nothing next to the old one's. Set the
   * old history aside (kept on disk, named after its hub) and start a new log
   * holding only what is still pending.
   */
  async switchServer (serverId: string, pending: ChatMessage[]): Promise<void> {
    const old = this.state.serverId
    this.#log.close()
    const path = join(this.dir, 'messages.log')
    if (old !== undefined && existsSync(path)) renameSync(path, join(this.dir, `messages-${old}.log`))
    this.#log = RecordLog.open(path).log
    for (const m of pending) void this.appendPending(m)
    this.state.serverId = serverId
    this.flush()
  }

  close (): void {
    this.#log.close()
    this.flush()
  }
}
