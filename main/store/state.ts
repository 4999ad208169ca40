import { join } from 'node:path'
import { z } from 'zod'
import { readJson, writeFileAtomic } from './files.js'

const KnownPeer = z.object({
  addrs: z.array(z.string()).max(32),
  name: z.string().max(64).default(''),
  lastSeen: z.number().default(0)
})
export type KnownPeer = z.infer<typeof KnownPeer>

const State = z.object({
  clock: z.number().int().nonnegative().default(0),
  name: z.string().max(64).optional(),
  rooms: z.array(z.string().max(64)).max(1000).default(['lobby']),
  blocked: z.array(z.string()).default([]),
  peers: z.record(z.string(), KnownPeer).default({}),
  /** The port the mesh listened on last, so addresses others saved stay good (unless --listen says otherwise). */
  port: z.number().int().min(1).max(65535).optional()
})
export type State = z.infer<typeof State>

export const STATE_FILE = 'state.json'

/**
 * Small mutable state (Lamport clock, name, joined rooms, blocked and known
 * peers) in one JSON file, replaced atomically. Writes are coalesced: many
 * changes in a burst cost one write.
 */
export class StateFile {
  readonly path: string
  state: State
  #timer: NodeJS.Timeout | undefined

  constructor (dataDir: string, onCorrupt?: (reason: string) => void) {
    this.path = join(dataDir, STATE_FILE)
    let raw: unknown
    try {
      raw = readJson(this.path)
    } catch (err) {
      onCorrupt?.(`${this.path} unreadable: ${(err as Error).message}`)
    }
    const parsed = State.safeParse(raw ?? {})
    if (!parsed.success) onCorrupt?.(`${this.path} invalid: ${parsed.error.message}`)
    this.state = parsed.success ? parsed.data : State.parse({})
  }

  /** Schedule a write of the current state. */
  changed (): void {
    this.#timer ??= setTimeout(() => { this.flush() }, 200)
  }

  flush (): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    writeFileAtomic(this.path, JSON.stringify(this.state, null, 2))
  }
}
