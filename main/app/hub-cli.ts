import { createInterface } from 'node:readline'
import type { ChatEvent } from '../chat/types.js'
import { dispatchOver, pageOf, type Implementations } from './handlers.js'
import { answerOf, CommandError, parseLine } from './lines.js'
import { HubServer, type HubOptions } from '../server/hub.js'

/** What the hub answers: its figures, a room's history in its order, its clients. */
function hubOperations (hub: HubServer): Partial<Implementations> {
  return {
    stats: () => ({ current: hub.stats(), byMode: {}, hub: null }),
    history: ({ room, ...page }) => hub.history(room, pageOf(page)),
    peers: () => hub.peers()
  }
}

/**
 * `bin/lanchat server`: the hub as a headless process. Same JSON-lines
 * contract as the peer: events on stdout (`ready` with "mode":"server",
 * `peer:connect`/`peer:disconnect` for clients, `message` with "seq" for each
 * message it numbers), commands on stdin — `stats`, `history`, `peers` and
 * `quit`; the others are peer commands and get an `error`.
 */
export async function runServer (opts: HubOptions, json: boolean): Promise<void> {
  const hub = new HubServer(opts)
  const emit = (e: ChatEvent): void => { process.stdout.write((json ? JSON.stringify(e) : hubLine(e)) + '\n') }
  hub.on(emit)

  let quitting = false
  const quit = async (): Promise<void> => {
    if (quitting) return
    quitting = true
    await hub.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => { void quit() })
  process.on('SIGTERM', () => { void quit() })
  await hub.start()
  const operations = hubOperations(hub)
  const dispatch = dispatchOver(operations)

  const rl = createInterface({ input: process.stdin, terminal: false })
  rl.on('line', line => {
    if (quitting || line.trim() === '') return
    void (async () => {
      try {
        const cmd = json ? parseLine(line) : parseLine(JSON.stringify({ cmd: line.trim().replace(/^\//, '') }))
        if (cmd.operation === 'quit') { void quit(); return }
        if (operations[cmd.operation] === undefined) throw new CommandError(`"${cmd.cmd}" is a peer command; the server takes stats, history, peers and quit`)
        const answer = answerOf(cmd, await dispatch(cmd.operation, cmd.payload))
        if (answer !== undefined) emit(answer)
      } catch (err) {
        emit({ type: 'error', message: (err as Error).message, code: (err as Error).name })
      }
    })()
  })
  // A server outlives its stdin (it may run detached); only quit or a signal stops it.
}

/** What the hub's console prints for a person: its clients coming and going, and each message it numbers (an edit or a reaction as such). */
export function hubLine (e: ChatEvent): string {
  switch (e.type) {
    case 'ready': return `LAN Chat server "${e.name}" (${e.peerId})\nclients connect with: lanchat peer --mode client --server <one of>\n  ${e.addrs.join('\n  ')}`
    case 'peer:connect': return `* client ${e.name} joined (${e.local} <-> ${e.remote})`
    case 'peer:disconnect': return `* client ${e.peerId} left`
    case 'message': return messageLine(e)
    case 'error': return `! ${e.message}`
    default: return JSON.stringify(e)
  }
}

/** `[#3 L5 71d6252d] ann: hello`; an edit, a delete or a reaction says what it does to which message. */
function messageLine (e: Extract<ChatEvent, { type: 'message' }>): string {
  const head = `[#${e.seq ?? '?'} L${e.lamport} ${e.id.slice(0, 8)}] ${e.name}`
  if (e.private === true) return `${head}: (sealed, in ${e.to !== undefined ? 'a direct message' : e.room})`
  const a = e.action
  if (a === undefined) return `${head}: ${e.text}`
  const target = `[${a.target.slice(0, 8)}]`
  switch (a.kind) {
    case 'edit': return `${head} edited ${target}: ${e.text}`
    case 'delete': return `${head} deleted ${target}`
    case 'react': return `${head} reacted ${a.emoji ?? ''} to ${target}`
    case 'unreact': return `${head} took back ${a.emoji ?? ''} from ${target}`
  }
}
