import { ChatDb } from './db.js'
import type { MessageTable, StoredMessage } from './messages.js'

export interface KnownPeer { addrs: string[], name: string, lastSeen: number }

export interface State {
  clock: number
  name?: string
  rooms: string[]
  blocked: string[]
  peers: Record<string, KnownPeer>
}

const SCOPE = 'p2p'

/**
 * What a P2P peer keeps in its data directory's database beside its identity
 * key (identity.ts): the delivered messages with their signed bytes (in
 * delivery order, so replaying them delivers them again without waiting on
 * anything), a small state (clock, name, rooms) and the known and blocked
 * peers. Messages are written in one transaction per batch, before anyone
 * hears of them; the state is written at most every 200 ms (the clock is
 * also recomputed from the messages on open, so a lagging state loses nothing).
 */
export class PeerStore {
  readonly messages: MessageTable
  #timer: NodeJS.Timeout | undefined

  private constructor (readonly db: ChatDb, readonly state: State) {
    this.messages = db.messages(SCOPE)
  }

  /** Open the store; `problems` are for the user (a damaged database set aside, old files imported). */
  static open (dataDir: string): { store: PeerStore, problems: string[] } {
    const { db, problems } = ChatDb.open(dataDir)
    const raw = db.getJson(SCOPE, 'state') as Partial<State> | undefined
    const peers: Record<string, KnownPeer> = {}
    for (const r of db.sql('SELECT peer_id, addrs, name, last_seen FROM peers').all() as Array<{ peer_id: string, addrs: string, name: string, last_seen: number }>) {
      peers[r.peer_id] = { addrs: JSON.parse(r.addrs) as string[], name: r.name, lastSeen: r.last_seen }
    }
    const blocked = (db.sql('SELECT peer_id FROM blocked').all() as Array<{ peer_id: string }>).map(r => r.peer_id)
    const state: State = {
      clock: Number.isSafeInteger(raw?.clock) ? raw!.clock! : 0,
      ...(typeof raw?.name === 'string' ? { name: raw.name } : {}),
      rooms: Array.isArray(raw?.rooms) ? raw.rooms.filter(r => typeof r === 'string').slice(0, 1000) : ['lobby'],
      blocked,
      peers
    }
    return { store: new PeerStore(db, state), problems }
  }

  /** Schedule a write of the state (name, clock, rooms). */
  changed (): void {
    this.#timer ??= setTimeout(() => { this.flush() }, 200)
  }

  flush (): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    const { clock, name, rooms } = this.state
    this.db.setJson(SCOPE, 'state', { clock, ...(name !== undefined ? { name } : {}), rooms })
  }

  rememberPeer (peerId: string, peer: KnownPeer): void {
    this.state.peers[peerId] = peer
    this.db.sql('INSERT OR REPLACE INTO peers (peer_id, addrs, name, last_seen) VALUES (?, ?, ?, ?)').run(peerId, JSON.stringify(peer.addrs), peer.name, peer.lastSeen)
  }

  forgetPeer (peerId: string): void {
    if (this.state.peers[peerId] === undefined) return
    const { [peerId]: _gone, ...rest } = this.state.peers
    this.state.peers = rest
    this.db.sql('DELETE FROM peers WHERE peer_id = ?').run(peerId)
  }

  setBlocked (peerIds: string[]): void {
    this.state.blocked = peerIds
    this.db.transaction(() => {
      this.db.sql('DELETE FROM blocked').run()
      for (const id of peerIds) this.db.sql('INSERT OR IGNORE INTO blocked (peer_id) VALUES (?)').run(id)
    })
  }

  /** Commit these messages (one transaction) before returning: only then may they be announced. */
  insert (items: readonly StoredMessage[]): void {
    this.db.transaction(() => { this.messages.insert(items) })
  }

  /** Every stored message in delivery order. */
  * replay (): Generator<StoredMessage> { yield * this.messages.all() }

  close (): void {
    if (!this.db.isOpen) return
    this.flush()
    this.db.close()
  }
}
