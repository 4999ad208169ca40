import { Lines, MAX_LINE_BYTES, nullInput, onHangup, onInputEnd, whenReaderGone } from './stdio.js'
import { COMMAND_WAIT_BYTES, Output } from './output.js'
import type { ChatEvent, FileStorage } from '../chat/types.js'
import { dispatchOver, pageOf, type Implementations } from './handlers.js'
import { answerOf, CommandError, HELP_HINT, helpAnswer, parseLine, refOfLine, withRef } from './lines.js'
import { indentLines, peersText, printable, reactionsText, statsText, type Typed } from './terminal.js'
import type { EngineStats } from '../chat/stats.js'
import { DEFAULT_ROOM } from '../core/limits.js'
import { formatBytes } from '../core/file.js'
import { hostPorts, lostListenText } from '../net/connect-errors.js'
import { roomFromInput } from '../../preload/contract.js'
import { HubServer, type HubOptions } from '../server/hub.js'

/** What the hub answers: its figures, a room's history in its order, its clients. */
function hubOperations (hub: HubServer): Partial<Implementations> {
  return {
    stats: () => ({ current: hub.stats(), byMode: {}, hub: null }),
    history: ({ room, ...page }) => hub.history(room, pageOf(page)),
    peers: () => hub.peers(),
    fileStorage: () => hub.fileStorage(),
    freeFileStorage: () => { throw new CommandError('the hub keeps the files its clients shared, for them to fetch: nothing here is a copy to free (--keep-files-gb N sets how much it keeps)') }
  }
}

/**
 * `bin/lanchat server`: the hub as a headless process. Same JSON-lines
 * contract as the peer: events on stdout (`ready` with "mode":"server",
 * `peer:connect`/`peer:disconnect` for clients, `message` with "seq" for each
 * message it numbers), commands on stdin — `stats`, `history`, `peers`,
 * `storage` and `quit`; the others are peer commands and get an `error`.
 */
export async function runServer (opts: HubOptions, json: boolean): Promise<void> {
  const hub = new HubServer(opts)
  const hubConsole = new HubConsole()
  // A reader behind or stuck (a log collector): answers always, events dropped past a bound and counted (output.ts).
  const out = new Output(process.stdout, {
    notice: d => json ? JSON.stringify({ type: 'dropped', ...d }) : `* ${d.events} line(s) were not printed, ${d.messages} of them messages: nothing read this output for a while`
  })
  /** `answer`: it answers a command (never dropped). */
  const emit = (e: ChatEvent, answer = false): void => {
    const line = json ? JSON.stringify(e) : printable(hubConsole.line(e))
    if (answer) out.answer(line)
    else out.event(line, { room: 'room' in e && typeof e.room === 'string' ? e.room : undefined, message: e.type === 'message' })
  }
  hub.on(e => { emit(e) })

  let quitting = false
  /** `farewell`: the answer to a script's {"cmd":"quit","ref":…}, said once the hub has stopped. */
  const quit = async (farewell?: ChatEvent): Promise<void> => {
    if (quitting) return
    quitting = true
    await hub.stop()
    if (farewell !== undefined) emit(farewell, true)
    // What was written is read first (Node's exit drops what a pipe has not taken yet).
    await out.flush()
    process.exit(0)
  }
  process.on('SIGINT', () => { void quit() })
  process.on('SIGTERM', () => { void quit() })
  // A hangup stops a hub at a terminal and not one run as a service (stdin from /dev/null: nohup, systemd),
  // from the start: one that came just after `ready` killed the hub, the handler not set yet.
  const service = nullInput()
  onHangup(service, () => { void quit() })
  // A hub is a service: its output's reader going away (a log collector restarted) does not stop it.
  whenReaderGone(process.stdout, () => {})
  whenReaderGone(process.stderr, () => {})
  await hub.start()
  const operations = hubOperations(hub)
  const dispatch = dispatchOver(operations)

  const rl = new Lines(process.stdin)
  // The end of its input, or input that cannot be read, does not stop a hub (its console is optional).
  onInputEnd(rl, service, () => {})
  // Commands run one after another and answer in the order they came, as the peer's do (cli.ts):
  // a script reads its answers in order, and quit comes after what was typed before it.
  let queue = Promise.resolve()
  const run = (task: () => Promise<void>): void => {
    queue = queue.then(async () => {
      await out.below(COMMAND_WAIT_BYTES)
      await task()
    })
  }
  rl.on('long', (bytes, start) => {
    run(async () => { emit({ type: 'error', code: 'CommandError', message: `a line is at most ${MAX_LINE_BYTES / 2 ** 20} MiB: one of ${bytes} bytes was skipped (it began ${JSON.stringify(start.slice(0, 40))})` }, true) })
  })
  rl.on('line', line => {
    run(async () => {
      if (quitting || line.trim() === '') return
      try {
        const typed = json ? { run: parseHubLine(line) } : hubConsole.command(line)
        if ('say' in typed) { out.answer(typed.say); return }
        const cmd = typed.run
        if (cmd.operation === 'quit') return await quit(json && cmd.ref !== undefined ? withRef({ type: 'done', cmd: 'quit' }, cmd.ref) : undefined)
        if (cmd.operation === 'help') { emit(withRef(helpAnswer(['stats', 'history', 'peers', 'storage', 'help', 'quit']), cmd.ref), true); return }
        if (operations[cmd.operation] === undefined) throw new CommandError(`"${cmd.cmd}" is a peer command; the server takes stats, history, peers, storage, help and quit`)
        const answer = answerOf(cmd, await dispatch(cmd.operation, cmd.payload))
        if (answer !== undefined) emit(answer, true)
      } catch (err) {
        emit(withRef({ type: 'error', message: (err as Error).message, code: (err as Error).name }, json ? refOfLine(line) : undefined), true)
      }
    })
  })
  // A server outlives its stdin (it may run detached); only quit or a signal stops it.
}

/**
 * A script's line, read as the peer reads one; a command the contract does not have is refused
 * naming the few the server takes, as its console and a peer command's refusal name them.
 */
function parseHubLine (line: string): ReturnType<typeof parseLine> {
  try {
    return parseLine(line)
  } catch (err) {
    if (err instanceof CommandError && err.message.startsWith('unknown command ')) throw new CommandError(`${err.message.replace(HELP_HINT, '')}: the server takes stats, history, peers, storage, help and quit`)
    throw err
  }
}

const HUB_HELP = `commands (a slash is optional):
  stats            what the hub sees: clients, numbers given, latency
  history [ROOM]   a room's newest 50 in the hub's order, as clients show them (the lobby without one)
  peers            the clients linked now, with their sockets
  storage          the files the hub keeps for its clients, and what it is still fetching
  help             this list                quit         stop the server (Ctrl+C too)`

/**
 * The hub's console for a person: its clients coming and going by name, each
 * message it numbers, and its few commands typed as words (`history design`).
 */
export class HubConsole {
  readonly #names = new Map<string, string>()

  /** A typed line: a command to run, or words for the person right away. */
  command (line: string): Typed {
    const [word = '', ...rest] = line.trim().replace(/^\//, '').split(/\s+/)
    if (word === 'help' || word === '?') return { say: HUB_HELP }
    if (word === 'history') return { run: parseLine(JSON.stringify({ cmd: 'history', room: rest.length > 0 ? roomFromInput(rest.join(' ')) : DEFAULT_ROOM, limit: 50 })) }
    if (!['stats', 'peers', 'storage', 'quit'].includes(word)) throw new CommandError(`unknown command "${word}": the server takes stats, history [ROOM], peers, storage, help and quit`)
    return { run: parseLine(JSON.stringify({ cmd: word })) }
  }

  /** One event or answer as the lines a person reads. */
  line (e: ChatEvent): string {
    switch (e.type) {
      case 'peer:connect':
        this.#names.set(e.peerId, e.name)
        return hubLine(e)
      case 'peer:disconnect': {
        const name = this.#names.get(e.peerId)
        this.#names.delete(e.peerId)
        return `* client ${name ?? e.peerId} left`
      }
      case 'storage': return storageText(e)
      case 'stats': {
        const hub = e as unknown as EngineStats & { lastSeq?: number, clients?: number, droppedClients?: number, rejectedMessages?: number }
        return `${statsText(hub)}\nclients ${hub.clients ?? 0}, messages numbered ${hub.lastSeq ?? 0}, links dropped (a broken protocol, a queue too long) ${hub.droppedClients ?? 0}, messages refused ${hub.rejectedMessages ?? 0}`
      }
      case 'peers': return peersText(e.peers, this.#names)
      // The room as clients show it: a message edited, deleted or reacted to says so on its line.
      case 'history': return e.messages.map(m => {
        if (m.private === true) return messageLine({ type: 'message', ...m })
        const line = messageLine({ type: 'message', ...m, text: m.deleted === true ? 'message deleted' : `${m.text}${m.edited === true ? ' (edited)' : ''}` })
        return `${line}${reactionsText(m)}`
      }).join('\n') || `(no messages in #${e.room})`
      default: return hubLine(e)
    }
  }
}

/** What the hub's console prints for a person: its clients coming and going, and each message it numbers (an edit or a reaction as such). */
export function hubLine (e: ChatEvent): string {
  switch (e.type) {
    // ip:port, as people type it (--server, the app's Server address); the multiaddrs are in --json's ready event.
    case 'ready': return `LAN Chat server "${e.name}" (${e.peerId})\nclients connect with one of these addresses (lanchat peer --mode client --server ADDRESS, or in the app: Settings, Client–server, Server address):\n  ${hostPorts(e.addrs).join('\n  ')}\ntype help for the console's commands`
    // A client on another build: said once a client a run, what that means for it.
    // The server's computer changed networks: the address clients were given may be gone.
    case 'addresses': {
      const lost = e.lost !== undefined && e.lost.length > 0 ? lostListenText(e.lost, 'clients') : undefined
      const now = e.addrs.length === 0
        ? (lost !== undefined ? undefined : '* this computer has no network address now: no client can reach the server until it is back on a network')
        : `* this computer's network changed: clients connect with one of these addresses now:\n  ${hostPorts(e.addrs).join('\n  ')}`
      return [lost, now].filter(l => l !== undefined).join('\n')
    }
    case 'peer:connect': return `* client ${e.name} joined (${e.local} <-> ${e.remote})${e.notice !== undefined ? `\n! ${e.notice}` : ''}`
    case 'peer:disconnect': return `* client ${e.peerId} left`
    case 'message': return messageLine(e)
    case 'error': return `! ${e.message}`
    default: return JSON.stringify(e)
  }
}

/** `[#3 L5 71d6252d] ann: hello`; an edit, a delete, a reaction or a pin says what it does to which message. */
function messageLine (e: Extract<ChatEvent, { type: 'message' }>): string {
  const head = `[#${e.seq ?? '?'} L${e.lamport} ${e.id.slice(0, 8)}] ${e.name}`
  if (e.private === true) return `${head}: (sealed, in ${e.to !== undefined ? 'a direct message' : e.room})`
  const a = e.action
  if (a === undefined) return `${head}: ${indentLines(e.text)}`
  const target = `[${a.target.slice(0, 8)}]`
  switch (a.kind) {
    case 'edit': return `${head} edited ${target}: ${indentLines(e.text)}`
    case 'delete': return `${head} deleted ${target}`
    case 'react': return `${head} reacted ${a.emoji ?? ''} to ${target}`
    case 'unreact': return `${head} took back ${a.emoji ?? ''} from ${target}`
    case 'pin': return `${head} pinned ${target}`
    case 'unpin': return `${head} unpinned ${target}`
  }
}

/** What the hub keeps of files, in words: what it holds, what it waits for, the largest it stores and its disk's room. */
function storageText (e: FileStorage): string {
  const kept = `* files kept for the clients: ${e.others.files}, ${formatBytes(e.others.bytes)}${e.keepBytes !== undefined ? ` (at most ${formatBytes(e.keepBytes)}: the ones used longest ago are dropped, and fetched again when asked for)` : ''}`
  // Files it waits for (their authors offline, or no room): by their full sizes, with what of them is here.
  const waiting = e.waiting !== undefined
    ? (e.waiting.files > 0 ? `; waiting to fetch ${e.waiting.files} from whoever shared ${e.waiting.files === 1 ? 'it' : 'them'} (${formatBytes(e.waiting.bytes)}${e.partial.bytes > 0 ? `, ${formatBytes(e.partial.bytes)} of it here so far` : ''})` : '')
    : (e.partial.files > 0 ? `; still fetching ${e.partial.files} (${formatBytes(e.partial.bytes)} so far)` : '')
  const limits = [
    ...(e.maxFileBytes !== undefined ? [`files over ${formatBytes(e.maxFileBytes)} are not stored (nobody can download them through the server)`] : []),
    ...(e.disk !== undefined ? [`the disk has ${formatBytes(e.disk.free)} free of ${formatBytes(e.disk.size)}`] : [])
  ]
  return kept + waiting + (limits.length > 0 ? `\n* ${limits.join('; ')}` : '')
}
