/**
 * Who posted in each room, read from the database once per room and then
 * kept up to date from the engine's `message` events: the member list is
 * asked for again at every presence change while it is open, and the read
 * is one pass over the room's index (about 150 ms for 300,000 messages), so
 * it is paid once, not each time. Memory grows with the authors of the rooms
 * asked about, never with their history. A new ordering (the architecture
 * switched, or the engine restarted) starts afresh.
 *
 * @example
 * ```ts
 * authorsOf(engine).of('lobby')   // [{ peerId, name, lamport }, …], the latest first
 * ```
 */
import type { Engine } from '../chat/engine.js'
import type { RoomAuthor } from '../chat/types.js'

export class RoomAuthors {
  readonly #rooms = new Map<string, Map<string, RoomAuthor>>()
  #ordering: unknown

  constructor (private readonly engine: Engine) {
    engine.on(e => {
      if (e.type === 'message') this.#note(e.room, { peerId: e.author, name: e.name, lamport: e.lamport })
    })
  }

  /** A room's authors (a normalized room name), the latest first. */
  of (room: string): RoomAuthor[] {
    this.#fresh()
    let known = this.#rooms.get(room)
    if (known === undefined) {
      const read = this.engine.authors(room)
      // Nothing yet is not kept: a client may not know its hub's history yet.
      if (read.length === 0) return []
      known = new Map(read.map(a => [a.peerId, a]))
      this.#rooms.set(room, known)
    }
    return [...known.values()].sort((a, b) => b.lamport - a.lamport)
  }

  #note (room: string, author: RoomAuthor): void {
    this.#fresh()
    const known = this.#rooms.get(room)
    const before = known?.get(author.peerId)
    if (known !== undefined && (before === undefined || author.lamport >= before.lamport)) known.set(author.peerId, author)
  }

  #fresh (): void {
    if (this.engine.ordering === this.#ordering) return
    this.#rooms.clear()
    this.#ordering = this.engine.ordering
  }
}

const kept = new WeakMap<Engine, RoomAuthors>()

/** The one RoomAuthors of an engine (every host's dispatch asks through here). */
export function authorsOf (engine: Engine): RoomAuthors {
  let authors = kept.get(engine)
  if (authors === undefined) {
    authors = new RoomAuthors(engine)
    kept.set(engine, authors)
  }
  return authors
}
