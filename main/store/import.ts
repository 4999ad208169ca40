/**
 * The one-time importer of the stores that came before SQLite: CRC-framed
 * message logs and JSON state files (P2P: messages.log + state.json; client:
 * client/messages.log + client/state.json and the histories of earlier hubs,
 * client/messages-<hub>.log; hub: hub.log + hub.json). Everything found is
 * imported in one transaction; only after it committed are the old files
 * renamed `*.imported` (kept, never deleted). A crash between the two leaves
 * the files in place and a mark in the database, so the next start only
 * renames them: nothing is imported twice.
 */
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { toString } from 'uint8arrays'
import type { ChatMessage } from '../core/message.js'
import { decodeEnvelope } from '../net/codec.js'
import { decodeSequencedRecord } from '../net/hub-codec.js'
import type { ChatDb } from './db.js'
import type { StoredMessage } from './messages.js'

const DONE = 'imported'

/** Records of a log up to the first torn or damaged one (what a crash mid-write left). */
function readRecords (path: string): Uint8Array[] {
  const data = readFileSync(path)
  const out: Uint8Array[] = []
  for (let at = 0; at + 8 <= data.length;) {
    const len = data.readUInt32BE(at)
    if (at + 8 + len > data.length) break
    const payload = data.subarray(at + 8, at + 8 + len)
    if (crc32(payload) !== data.readUInt32BE(at + 4)) break
    out.push(payload)
    at += 8 + len
  }
  return out
}

function readJsonObject (path: string): Record<string, unknown> {
  if (!existsSync(path)) return {}
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {}
  } catch {
    return {}
  }
}

const str = (v: unknown): string | undefined => typeof v === 'string' ? v : undefined
const int = (v: unknown): number => Number.isSafeInteger(v) ? v as number : 0
const strings = (v: unknown, fallback: string[]): string[] => Array.isArray(v) ? v.filter(x => typeof x === 'string') : fallback

/** What one group of old files holds, imported into `db` (inside the caller's transaction). */
type Importer = (db: ChatDb, files: string[]) => string

const p2p: Importer = (db, [log, state]) => {
  const s = readJsonObject(state!)
  const messages: StoredMessage[] = []
  if (existsSync(log!)) for (const r of readRecords(log!)) if (r[0] === 1) messages.push({ message: decodeEnvelope(r.subarray(1), true) })
  db.messages('p2p').insert(messages)
  db.setJson('p2p', 'state', { ...(str(s.name) !== undefined ? { name: s.name } : {}), clock: int(s.clock), rooms: strings(s.rooms, ['lobby']) })
  const peers = typeof s.peers === 'object' && s.peers !== null ? s.peers as Record<string, { addrs?: unknown, name?: unknown, lastSeen?: unknown }> : {}
  for (const [id, p] of Object.entries(peers)) {
    db.sql('INSERT OR REPLACE INTO peers (peer_id, addrs, name, last_seen) VALUES (?, ?, ?, ?)').run(id, JSON.stringify(strings(p.addrs, [])), str(p.name) ?? '', int(p.lastSeen))
  }
  for (const id of strings(s.blocked, [])) db.sql('INSERT OR IGNORE INTO blocked (peer_id) VALUES (?)').run(id)
  return `${messages.length} P2P messages`
}

const client: Importer = (db, [log, state, ...older]) => {
  const s = readJsonObject(state!)
  const hub = str(s.serverId) ?? ''
  const table = db.messages('client')
  const pending = new Map<string, ChatMessage>()
  let delivered = 0
  const logs: Array<[string, string]> = [...older.map(f => [f, /messages-(.+)\.log$/.exec(f)![1]!] as [string, string]), [log!, hub]]
  for (const [file, from] of logs) {
    if (!existsSync(file)) continue
    for (const r of readRecords(file)) {
      if (r[0] === 1) {
        const item = decodeSequencedRecord(r)
        table.insert([{ message: item.message, hub: from, num: item.seq }])
        pending.delete(item.message.id)
        delivered++
      } else if (r[0] === 2) {
        const m = decodeEnvelope(r.subarray(1), true)
        if (!table.has(m.id, from)) pending.set(m.id, m)
      } else if (r[0] === 3) {
        pending.delete(toString(r.subarray(1), 'base16'))
      }
    }
  }
  table.insert([...pending.values()].map(message => ({ message, pending: true })))
  db.setJson('client', 'state', {
    ...(hub !== '' ? { serverId: hub } : {}),
    ...(str(s.serverAddr) !== undefined ? { serverAddr: s.serverAddr } : {}),
    ...(str(s.name) !== undefined ? { name: s.name } : {}),
    clock: int(s.clock), chainSeq: int(s.chainSeq), chainId: str(s.chainId) ?? '', rooms: strings(s.rooms, ['lobby'])
  })
  return `${delivered} client messages and ${pending.size} pending`
}

const hub: Importer = (db, [log, state]) => {
  const s = readJsonObject(state!)
  const items = existsSync(log!) ? readRecords(log!).filter(r => r[0] === 2 && r.byteLength >= 9).map(decodeSequencedRecord) : []
  db.messages('hub').insert(items.map(i => ({ message: i.message, num: i.seq })))
  db.setJson('hub', 'state', { ...(str(s.name) !== undefined ? { name: s.name } : {}), ...(Number.isInteger(s.port) ? { port: s.port } : {}) })
  return `${items.length} hub messages`
}

/** Import the old files of `dataDir` into `db` once; returns what it did, in words, for the log. */
export function importLegacy (db: ChatDb, dataDir: string): string[] {
  const clientDir = join(dataDir, 'client')
  const older = existsSync(clientDir) ? readdirSync(clientDir).filter(f => /^messages-.+\.log$/.test(f)).map(f => join(clientDir, f)) : []
  const groups: Array<{ name: string, files: string[], run: Importer }> = [
    { name: 'p2p', files: [join(dataDir, 'messages.log'), join(dataDir, 'state.json')], run: p2p },
    { name: 'client', files: [join(clientDir, 'messages.log'), join(clientDir, 'state.json'), ...older], run: client },
    { name: 'hub', files: [join(dataDir, 'hub.log'), join(dataDir, 'hub.json')], run: hub }
  ].filter(g => g.files.some(f => existsSync(f)))
  if (groups.length === 0) return []
  const said: string[] = []
  db.transaction(() => {
    for (const g of groups) {
      if (db.getJson(g.name, DONE) !== undefined) continue
      said.push(`imported ${g.run(db, g.files)} from ${g.files.filter(f => existsSync(f)).join(', ')}`)
      db.setJson(g.name, DONE, Date.now())
    }
  })
  // Committed: now the old files may step aside (kept, renamed).
  for (const f of groups.flatMap(g => g.files)) if (existsSync(f)) renameSync(f, `${f}.imported`)
  return said
}
