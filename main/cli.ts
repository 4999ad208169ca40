/**
 * The headless host behind `bin/lanchat`.
 *
 *   bin/lanchat peer [--json] [--name NAME] [--data DIR] [--listen MULTIADDR] [--dial MULTIADDR]... [--no-mdns]
 *   bin/lanchat peer --mode client [--server MULTIADDR] [--json] [--name NAME] [--data DIR] [--no-mdns]
 *   bin/lanchat server [--json] [--name NAME] [--data DIR] [--listen MULTIADDR]... [--no-mdns]
 *
 * With --json: one JSON command a line on stdin, one JSON event a line on
 * stdout and nothing else; diagnostics go to stderr. Without: a terminal chat.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { dispatchOver } from './app/handlers.js'
import { headlessOperations } from './app/headless.js'
import { answerOf, parseLine, type Command } from './app/lines.js'
import { Engine, type ChatEvent, type EngineEvent } from './chat/index.js'
import { runServer } from './app/hub-cli.js'

const USAGE = `usage:
  lanchat peer [--json] [--name NAME] [--data DIR] [--listen MULTIADDR] [--dial MULTIADDR]... [--no-mdns]

  --json        JSON lines: commands on stdin, events on stdout
  --name NAME   display name (default: the stored one)
  --data DIR    data directory (default: ~/.lanchat/<name or "default">)
  --listen MA   listen multiaddr (default /ip4/0.0.0.0/tcp/0); repeatable
  --dial MA     peer to dial at start; repeatable
  --no-mdns     do not discover or announce peers on the LAN
  --mode MODE   p2p (default) or client: dial only a hub, listen on nothing
  --server MA   client mode: the hub's multiaddr (default: find one by mDNS)

  lanchat server [--json] [--name NAME] [--data DIR] [--listen MULTIADDR]... [--no-mdns]

  The hub of client-server mode: numbers, stores and relays every message.
  --data DIR    data directory (default: ~/.lanchat/server)
  --listen MA   default: the last run's port on all interfaces, else a free one
  --no-mdns     do not announce the hub on the LAN
`

function fail (message: string): never {
  process.stderr.write(`lanchat: ${message}\n\n${USAGE}`)
  process.exit(2)
}

/** The options `peer` and `server` share. */
const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  name: { type: 'string' },
  data: { type: 'string' },
  listen: { type: 'string', multiple: true },
  'no-mdns': { type: 'boolean', default: false }
} as const satisfies ParseArgsOptionsConfig

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[], options: O, strict: true }>>['values']

/** A subcommand's options, strictly: a mistake prints the usage and exits 2. */
function parseOptions<const O extends ParseArgsOptionsConfig> (args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, strict: true }).values
  } catch (err) {
    fail((err as Error).message)
  }
}

async function main (): Promise<void> {
  const [sub, ...rest] = process.argv.slice(2)
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(USAGE)
    return
  }
  if (sub === 'server') return await server(rest)
  if (sub !== 'peer') fail(`unknown subcommand "${sub}"`)
  const args = parseOptions(rest, {
    ...COMMON_OPTIONS,
    dial: { type: 'string', multiple: true },
    mode: { type: 'string', default: 'p2p' },
    server: { type: 'string' }
  })
  const mode = args.mode
  if (mode !== 'p2p' && mode !== 'client') fail(`--mode is p2p or client, not "${mode}"`)
  if (mode === 'client' && (args.listen !== undefined || args.dial !== undefined)) fail('a client listens on nothing and dials only its server: use --server, not --listen or --dial')
  if (mode === 'p2p' && args.server !== undefined) fail('--server needs --mode client')
  const json = args.json
  const dataDir = args.data ?? join(homedir(), '.lanchat', args.name ?? 'default')
  const log = (line: string): void => { process.stderr.write(`[lanchat] ${line}\n`) }
  const engine = new Engine({
    dataDir,
    mode,
    ...(args.server !== undefined ? { server: args.server } : {}),
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args.listen !== undefined ? { listen: args.listen } : {}),
    ...(args.dial !== undefined ? { dial: args.dial } : {}),
    mdns: !args['no-mdns'],
    log
  })

  const emit = json
    ? (e: ChatEvent): void => { process.stdout.write(JSON.stringify(e) + '\n') }
    : (e: ChatEvent): void => { process.stdout.write(human(e, engine.peerId) + '\n') }
  // Receipts are for scripts and the networking views; a person at a terminal does not want n lines per message.
  engine.on((e: EngineEvent) => { if (json || e.type !== 'receipt') emit(e) })

  let quitting = false
  const quit = async (code = 0): Promise<void> => {
    if (quitting) return
    quitting = true
    await engine.stop()
    process.exit(code)
  }
  process.on('SIGINT', () => { void quit() })
  process.on('SIGTERM', () => { void quit() })

  await engine.start()
  // The same operations, validation and errors as the desktop app's IPC.
  const dispatch = dispatchOver(headlessOperations(engine))

  const rl = createInterface({ input: process.stdin, terminal: false })
  // Commands run one after another, in the order they were typed.
  let queue = Promise.resolve()
  rl.on('line', line => {
    queue = queue.then(async () => {
      if (quitting || line.trim() === '') return
      try {
        const cmd = json ? parseLine(line) : humanCommand(line)
        if (cmd.operation === 'quit') return await quit()
        const answer = answerOf(cmd, await dispatch(cmd.operation, cmd.payload))
        if (answer !== undefined) emit(answer)
      } catch (err) {
        const e = err as Error
        emit({ type: 'error', message: e.message, code: e.name })
      }
    })
  })
  rl.on('close', () => { void queue.then(async () => { await quit() }) })
}

/** The terminal chat: a plain line goes to the lobby; /commands do the rest. */
async function server (rest: string[]): Promise<void> {
  const args = parseOptions(rest, COMMON_OPTIONS)
  const log = (line: string): void => { process.stderr.write(`[lanchat server] ${line}\n`) }
  await runServer({
    dataDir: args.data ?? join(homedir(), '.lanchat', 'server'),
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args.listen !== undefined ? { listen: args.listen } : {}),
    mdns: !args['no-mdns'],
    log
  }, args.json)
}

function humanCommand (line: string): Command {
  const [word, ...rest] = line.trim().split(/\s+/)
  const arg = rest.join(' ')
  const command = (c: Record<string, unknown>): Command => parseLine(JSON.stringify(c))
  switch (word) {
    case '/dial': return command({ cmd: 'dial', addr: arg })
    case '/peers': return command({ cmd: 'peers' })
    case '/history': return command({ cmd: 'history', room: arg || 'lobby' })
    case '/block': return command({ cmd: 'block', peerId: arg })
    case '/unblock': return command({ cmd: 'unblock', peerId: arg })
    case '/name': return command({ cmd: 'name', name: arg })
    case '/quit': return command({ cmd: 'quit' })
    case '/stats': return command({ cmd: 'stats' })
    case '/mode': return command({ cmd: 'mode', mode: rest[0], ...(rest[1] !== undefined ? { server: rest[1] } : {}) })
    default: return command({ cmd: 'send', room: 'lobby', text: line })
  }
}

function human (e: ChatEvent, self: string): string {
  const time = (ms: number): string => new Date(ms).toLocaleTimeString()
  switch (e.type) {
    case 'ready': if (e.mode === 'client') return `LAN Chat client "${e.name}" (${e.peerId}): talks to a hub only, listens on nothing\ntype a line to chat; /mode p2p, /stats, /history, /quit`
      return `LAN Chat peer "${e.name}" (${e.peerId})\nlistening on:\n  ${e.addrs.join('\n  ')}\ntype a line to chat; /dial ADDR, /peers, /history, /quit`
    case 'peer:connect': return `* ${e.name} joined (${e.local} <-> ${e.remote})`
    case 'peer:disconnect': return `* ${e.peerId} left`
    case 'message': return `[${e.seq !== undefined ? `#${e.seq} ` : ''}L${e.lamport} ${time(e.sentAt)}] ${e.author === self ? 'you' : e.name}: ${e.text}`
    case 'pending': return `… pending (server unreachable): ${e.id.slice(0, 12)}`
    case 'history': return e.messages.map(m => `[L${m.lamport}] ${m.name}: ${m.text}`).join('\n') || '(no messages)'
    case 'peers': return e.peers.map(p => `${p.connected ? '●' : '○'} ${p.name || '?'} ${p.peerId} ${p.connections.map(c => `${c.local}<->${c.remote}`).join(' ')}`).join('\n') || '(no peers)'
    case 'error': return `! ${e.message}`
    default: return JSON.stringify(e)
  }
}

main().catch(err => {
  process.stderr.write(`lanchat: ${(err as Error).stack ?? String(err)}\n`)
  process.exit(1)
})
