/**
 * The headless host behind `bin/lanchat`.
 *
 *   bin/lanchat peer [--json] [--name NAME] [--data DIR] [--listen ADDR]... [--dial ADDR]... [--no-mdns]
 *   bin/lanchat peer --mode client [--server ADDR] [--json] [--name NAME] [--data DIR] [--no-mdns]
 *   bin/lanchat server [--json] [--name NAME] [--data DIR] [--listen ADDR]... [--no-mdns]
 *   bin/lanchat network-key
 *   bin/lanchat help [SUBCOMMAND]        (or SUBCOMMAND --help)
 *
 * peer and server take --network-key KEY (or --network-key-file FILE): only
 * computers with the same key can connect; and --max-file-mb N, the largest
 * file to send, fetch or (the server) store.
 * With --json: one JSON command a line on stdin, one JSON event a line on
 * stdout and nothing else; diagnostics go to stderr. Without: a terminal chat.
 */
import { existsSync, readFileSync } from 'node:fs'
import { homedir, networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { clearScreenDown, createInterface, cursorTo, moveCursor } from 'node:readline'
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { dispatchOver } from './app/handlers.js'
import { headlessOperations } from './app/headless.js'
import { toMultiaddr } from './app/address.js'
import { takenPort, unavailableAddress } from './app/errors.js'
import { tuneHeapForEngine } from './app/heap.js'
import { RoomPrefs } from './app/room-prefs.js'
import { answerOf, helpAnswer, nearest, parseLine, refOfLine, roomsNamed, withRef, type RoomNames } from './app/lines.js'
import { keepRowsTrue, Lines, MAX_LINE_BYTES, nullInput, PASTED_BREAK, pastedAsOne, type RowsOfLine, stopOn, whenReaderGone } from './app/stdio.js'
import { COMMAND_WAIT_BYTES, Output, type Dropped } from './app/output.js'
import { ASLEEP_MS, printable, Terminal, type Typed } from './app/terminal.js'
import { Engine, type ChatEvent, type EngineEvent } from './chat/index.js'
import { normalizeName } from './core/message.js'
import { DataDirInUseError, StoreError } from './store/errors.js'
import { DB_FILE } from './store/db.js'
import { runServer } from './app/hub-cli.js'
import { generateNetworkKey, parseNetworkKey } from './net/network-key.js'
import { onStall } from './net/silence.js'
import { MAX_FILE_MB_CEILING, MAX_KEEP_OTHERS_GB } from '../preload/contract.js'

const PEER_USAGE = `  lanchat peer [--json] [--name NAME] [--data DIR] [--listen ADDR]... [--dial ADDR]... [--no-mdns]
               [--mode client [--server ADDR]] [--network-key KEY | --network-key-file F]
               [--downloads D] [--max-file-mb N] [--keep-others-gb N]

  --json        JSON lines: commands on stdin, events on stdout
  --name NAME   display name (default: the stored one)
  --data DIR    data directory (default: ~/.lanchat/<name or "default">)
  --listen ADDR where to listen, a multiaddr or ip:port (default: the last run's port on all interfaces, else a
                free one; port 0 too); repeatable
  --dial ADDR   peer to dial at start (a multiaddr or ip:port), tried again until it answers; repeatable
  --no-mdns     do not discover or announce peers on the LAN
  --mode MODE   p2p (default) or client: dial only a hub, listen on nothing
  --server ADDR client mode: the hub's address, a multiaddr or ip:port (default: find one by mDNS)
  --network-key KEY       only computers with this key can connect (64 hex digits)
  --network-key-file F    the same, read from a file (a swarm key file works too)
  --downloads D where downloaded files go (default: ~/Downloads)
  --max-file-mb N         largest file to send or download, in MB (MiB): 1 to 65536 (default 2048)
  --keep-others-gb N      copies of others' files kept to serve them, in GB (GiB): 1 to 65536; past it the least recently
                          used go (default 5)
`

const SERVER_USAGE = `  lanchat server [--json] [--name NAME] [--data DIR] [--listen ADDR]... [--no-mdns]
                 [--network-key KEY | --network-key-file F] [--max-file-mb N] [--keep-files-gb N]

  The hub of client-server mode: numbers, stores and relays every message.
  --json        JSON lines: commands on stdin, events on stdout
  --name NAME   the hub's display name, as clients list it
  --data DIR    data directory (default: ~/.lanchat/server)
  --listen ADDR a multiaddr or ip:port (default: the last run's port on all interfaces, else a free one); repeatable
  --no-mdns     do not announce the hub on the LAN
  --network-key KEY, --network-key-file F   as for peer: only key holders connect
  --max-file-mb N         largest file the hub stores for its clients, in MB (MiB): 1 to 65536 (default 2048)
  --keep-files-gb N       files kept for the clients, in GB (GiB): 1 to 65536; past it the least recently used
                          are dropped, and one a client asks for is fetched again from a client that has it
                          (default: no limit)
`

const KEY_USAGE = `  lanchat network-key

  Print a new random network key to share with the computers that may connect.
`

const USAGE = `usage:
${PEER_USAGE}
${SERVER_USAGE}
${KEY_USAGE}`

/** Commands read and not run yet past which a script's input is held until the peer catches up. */
const MAX_WAITING = 1000

/** The terminal's line for events it did not print, its reader far behind (output.ts). */
function droppedText (d: Dropped): string {
  const rooms = d.rooms.length > 0 ? ` (${d.rooms.map(r => `#${r}`).join(', ')}: /history shows them)` : ''
  return `* ${d.events} line(s) were not printed, ${d.messages} of them messages${rooms}: nothing read this output for a while`
}

/** `--help` (or -h) among a subcommand's arguments: its usage, on stdout, and a clean exit. */
function helpAsked (args: string[], usage: string): boolean {
  if (!args.includes('--help') && !args.includes('-h')) return false
  process.stdout.write(`usage:\n${usage}`)
  return true
}

function fail (message: string): never {
  process.stderr.write(`lanchat: ${message}\n\n${USAGE}`)
  process.exit(2)
}

/** A `--dial`, `--server` or `--listen` value read as the Connect dialog and /dial read an address (ip:port too); a bad one stops the start. */
function addressOption (flag: string, raw: string): string {
  try {
    return toMultiaddr(raw, { listen: flag === '--listen' })
  } catch (err) {
    fail(`${flag}: ${(err as Error).message}`)
  }
}

/** The options `peer` and `server` share. */
const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  name: { type: 'string' },
  data: { type: 'string' },
  listen: { type: 'string', multiple: true },
  'no-mdns': { type: 'boolean', default: false },
  'network-key': { type: 'string' },
  'network-key-file': { type: 'string' },
  'max-file-mb': { type: 'string' }
} as const satisfies ParseArgsOptionsConfig

/** --max-file-mb N in bytes, checked as the setting is (a whole number of MB, 1 to the ceiling); absent: the default. */
function maxFileBytesOf (given: string | undefined): number | undefined {
  if (given === undefined) return undefined
  const mb = Number(given)
  if (!/^\d+$/.test(given.trim()) || !Number.isSafeInteger(mb) || mb < 1 || mb > MAX_FILE_MB_CEILING) fail(`--max-file-mb is a whole number of MB from 1 to ${MAX_FILE_MB_CEILING}, not "${given}"`)
  return mb * 2 ** 20
}

/** --name NAME checked as the engine and the hub check a display name: a bad one stops here with what is wrong, not with their stack. */
function checkName (given: string | undefined): void {
  if (given === undefined) return
  try {
    normalizeName(given)
  } catch (err) {
    fail(`--name: ${(err as Error).message}`)
  }
}

/** --keep-others-gb N (or the server's --keep-files-gb N) in bytes, checked as the setting is (a whole number of GB, 1 to the most); absent: the default. */
function keepBytesOf (flag: string, given: string | undefined): number | undefined {
  if (given === undefined) return undefined
  const gb = Number(given)
  if (!/^\d+$/.test(given.trim()) || !Number.isSafeInteger(gb) || gb < 1 || gb > MAX_KEEP_OTHERS_GB) fail(`${flag} is a whole number of GB from 1 to ${MAX_KEEP_OTHERS_GB}, not "${given}"`)
  return gb * 2 ** 30
}

/** The network key the flags give, checked: a malformed one stops here with NetworkKeyError's sentence. */
function networkKeyOf (args: { 'network-key'?: string | undefined, 'network-key-file'?: string | undefined }): { networkKey?: string } {
  const given = args['network-key']
  const file = args['network-key-file']
  if (given !== undefined && file !== undefined) fail('give --network-key or --network-key-file, not both')
  let text = given
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      fail(`cannot read the network key file: ${(err as Error).message}`)
    }
  }
  if (text === undefined) return {}
  try {
    return { networkKey: parseNetworkKey(text) }
  } catch (err) {
    fail((err as Error).message)
  }
}

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[], options: O, strict: true }>>['values']

/** The options that take a number: a negative one given to them is their value, checked for its range (maxFileBytesOf, keepBytesOf). */
const NUMBER_OPTIONS = new Set(['--max-file-mb', '--keep-others-gb', '--keep-files-gb'])

/** A subcommand's options, strictly: a mistake prints the usage and exits 2. */
function parseOptions<const O extends ParseArgsOptionsConfig> (args: string[], options: O): Parsed<O> {
  // `--keep-others-gb -1`: the parser reads -1 as an option of its own and says only that the value is ambiguous;
  // taken as the value, the check says what is wrong with it and the range.
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1]
    if (NUMBER_OPTIONS.has(args[i]!) && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${args[i]!}=${next}`)
      i++
    } else joined.push(args[i]!)
  }
  try {
    return parseArgs({ args: joined, options, strict: true }).values
  } catch (err) {
    const unknown = (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(--?[^']+)'/.exec((err as Error).message)?.[1] : undefined
    const near = unknown === undefined ? undefined : nearest(unknown.replace(/^-+/, '').split('=')[0]!, Object.keys(options))
    fail((err as Error).message + (near !== undefined ? ` (did you mean --${near}?)` : ''))
  }
}

async function main (): Promise<void> {
  tuneHeapForEngine()
  const [sub, ...rest] = process.argv.slice(2)
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    // `help peer`: that subcommand's alone (looked up as its own key: `help constructor` printed Object's source).
    const usages = new Map([['peer', PEER_USAGE], ['server', SERVER_USAGE], ['network-key', KEY_USAGE]])
    const asked = sub === 'help' ? rest[0] : undefined
    if (asked !== undefined && !usages.has(asked)) fail(`help: there is no subcommand "${asked}" (peer, server or network-key)`)
    process.stdout.write(asked !== undefined ? `usage:\n${usages.get(asked)!}` : USAGE)
    return
  }
  if (sub === 'server') {
    if (helpAsked(rest, SERVER_USAGE)) return
    return await server(rest)
  }
  if (sub === 'network-key') {
    if (helpAsked(rest, KEY_USAGE)) return
    if (rest.length > 0) fail(`network-key takes nothing after it, not "${rest.join(' ')}"`)
    process.stdout.write(generateNetworkKey() + '\n')
    return
  }
  if (sub !== 'peer') fail(`unknown subcommand "${sub}" (peer, server, network-key or help)`)
  if (helpAsked(rest, PEER_USAGE)) return
  const args = parseOptions(rest, {
    ...COMMON_OPTIONS,
    dial: { type: 'string', multiple: true },
    mode: { type: 'string', default: 'p2p' },
    server: { type: 'string' },
    downloads: { type: 'string' },
    'keep-others-gb': { type: 'string' }
  })
  checkName(args.name)
  const mode = args.mode
  if (mode !== 'p2p' && mode !== 'client') fail(`--mode is p2p or client, not "${mode}"`)
  if (mode === 'client' && (args.listen !== undefined || args.dial !== undefined)) fail('a client listens on nothing and dials only its server: use --server, not --listen or --dial')
  if (mode === 'p2p' && args.server !== undefined) fail('--server needs --mode client')
  // An empty folder is none: files would land in whatever folder the peer was started from.
  if (args.downloads?.trim() === '') fail('--downloads needs a folder, not an empty one (without --downloads, files go to ~/Downloads)')
  const json = args.json
  const dataDir = args.data ?? join(homedir(), '.lanchat', args.name ?? 'default')
  // At a terminal, read in raw mode (readline's own line editing): the kernel's canonical
  // mode cuts a pasted line at 4095 bytes. Raw from before the banner, so no early paste is cut.
  // Pipes and --json read plain lines, and so does a terminal whose output goes elsewhere (`> chat.log`,
  // `| tee chat.log`): readline echoes what is typed to the output, so the person typed blind (or saw it
  // only through tee) and the log took their keystrokes; the terminal's own line editing echoes to it.
  const tty = !json && process.stdin.isTTY && process.stdout.isTTY
  // A paste of several lines is one message, as in the window, not a message (or a command) a line.
  const keys = tty ? pastedAsOne(process.stdin, process.stdout) : undefined
  const rl = keys !== undefined ? createInterface({ input: keys, output: process.stdout, terminal: true }) : undefined
  rl?.setPrompt('')
  if (rl !== undefined && keys !== undefined) keepRowsTrue(rl as unknown as RowsOfLine, keys)
  // A script's lines, each at most MAX_LINE_BYTES (a longer one is skipped, said as an error, not held whole).
  const piped = rl === undefined ? new Lines(process.stdin) : undefined
  const input = (rl ?? piped)!
  // A line printed while the person is typing goes above what they typed, which is drawn again below it
  // (written straight out, it landed in the middle of their sentence and hid the start of it).
  const redraw = tty
  // Ctrl+C or Ctrl+D closes readline first; the engine's last words while it stops (links ending) are then plain lines.
  let typing = true
  rl?.on('close', () => { typing = false })
  // Back from Ctrl+Z (fg): readline pauses its input then and reads nothing more until resumed (typed lines went nowhere).
  rl?.on('SIGCONT', () => { rl.resume() })
  // What a reader that is behind, stuck or gone gets (output.ts): answers always, events dropped past a bound
  // and then counted in one line, and everything written before the process ends.
  const out = new Output(process.stdout, { notice: d => json ? JSON.stringify({ type: 'dropped', ...d }) : droppedText(d) })
  const diagnostics = new Output(process.stderr, { maxUnread: 2 ** 20, notice: d => `[lanchat] ${d.events} line(s) of diagnostics were not written: nothing read them` })
  /** `event`: something that happened, not asked for (dropped while the reader is far behind); else an answer. */
  const print = (text: string, how: { to?: Output, event?: { room?: string | undefined, message?: boolean } } = {}): void => {
    const again = redraw && typing && rl !== undefined
    if (again) {
      // A half-typed line longer than the terminal is wide takes several rows: all of them go, from the
      // first (the cursor's row alone left the others above the message, and readline, drawing the line
      // again from as many rows up as it last knew, wrote over the message itself).
      const { rows } = rl.getCursorPos()
      if (rows > 0) moveCursor(process.stdout, 0, -rows)
      cursorTo(process.stdout, 0)
      clearScreenDown(process.stdout)
    }
    // What others wrote is in it: their control characters are shown, never obeyed by the terminal.
    const to = how.to ?? out
    if (how.event !== undefined) to.event(printable(text), how.event)
    else to.answer(printable(text))
    if (again) {
      // Drawn from here, the row below what was printed: readline's own count of rows to go up is stale now.
      (rl as unknown as { prevRows: number }).prevRows = 0
      rl.prompt(true)
    }
  }
  const log = (line: string): void => { print(`[lanchat] ${line}`, { to: diagnostics, event: {} }) }
  const maxFileBytes = maxFileBytesOf(args['max-file-mb'])
  const keepOthersBytes = keepBytesOf('--keep-others-gb', args['keep-others-gb'])
  const engine = new Engine({
    dataDir,
    mode,
    ...(args.server !== undefined ? { server: addressOption('--server', args.server) } : {}),
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args.listen !== undefined ? { listen: args.listen.map(a => addressOption('--listen', a)) } : {}),
    ...(args.dial !== undefined ? { dial: args.dial.map(a => addressOption('--dial', a)) } : {}),
    mdns: !args['no-mdns'],
    ...networkKeyOf(args),
    // A key on one side only fails a dial as "could not talk": named as it is set here, not as the app's Settings.
    networkKeySetting: '--network-key KEY or --network-key-file F',
    files: {
      ...(args.downloads !== undefined ? { downloadsDir: args.downloads } : {}),
      ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
      ...(keepOthersBytes !== undefined ? { keepOthersBytes } : {})
    },
    log
  })

  const term = new Terminal(() => engine.peerId, () => engine.name, {
    refusal: code => {
      try { return engine.checkInvite(code).refused } catch { return undefined }
    },
    blocked: peerId => engine.isBlocked(peerId),
    onlyBlocked: room => engine.writtenOnlyByBlocked(room),
    knownRoom: room => engine.rooms().includes(room),
    privateRoomName: room => {
      try { return engine.privateRoom(room).name } catch { return undefined }
    },
    // A client's newest page ends with every message of its own still waiting for the hub, opened.
    pendingMessage: (id, room) => {
      try { return engine.history(room, { limit: 1 }).find(m => m.id === id && m.pending === true) } catch { return undefined }
    },
    dmListed: peerId => engine.dms().some(d => d.peerId === peerId),
    saved: id => engine.isSaved(id),
    unsent: () => engine.unsent().length
  })
  term.lanDiscovery = !args['no-mdns']
  if (maxFileBytes !== undefined) term.maxFileMb = maxFileBytes / 2 ** 20
  // A laptop that slept wakes to links the others ended meanwhile: said as that, not as each of them leaving.
  const stall = json ? undefined : onStall(ASLEEP_MS, ms => { term.woke(ms) })
  // A data directory with history from before joined rooms were kept: every room it lists was printed then, and stays so.
  const upgrading = existsSync(join(dataDir, DB_FILE)) || existsSync(join(dataDir, 'messages.log'))
  const prefs = new RoomPrefs(dataDir)
  for (const room of prefs.muted) term.muted.add(room)
  for (const room of prefs.joined ?? []) term.joined.add(room)
  /** An event (`answer`: one that answers a command, never dropped) as a JSON line or as the terminal says it. */
  const emit = (e: ChatEvent, answer = false): void => {
    const event = answer ? undefined : { room: 'room' in e && typeof e.room === 'string' ? e.room : undefined, message: e.type === 'message' }
    if (json) {
      const line = JSON.stringify(e)
      if (event === undefined) out.answer(line)
      else out.event(line, event)
      return
    }
    const text = term.format(e)
    if (text !== undefined) print(text, { ...(event !== undefined ? { event } : {}) })
  }
  let quitting = false
  /** While /mode switches: the old mode's links end, and the new mode's banner says what happened. */
  let switching = false
  // Receipts are for scripts and the networking views; a person at a terminal does not want n lines per message.
  engine.on((e: EngineEvent) => {
    // Our own links ending as we quit or switch mode are not others leaving ("* ben left: the 1 other … reads as offline"); a script still gets them.
    if (!json && (quitting || switching) && e.type === 'peer:disconnect') return
    // Nor, as we quit, the others reading as offline because we stop (a client: the hub's link goes): "* ben is offline" of someone still there.
    if (!json && quitting && e.type === 'peer:presence') return
    // A link that ended while this process did not run: said as the sleep it was, not as someone leaving.
    if (e.type === 'peer:disconnect') stall?.check()
    if (json || e.type !== 'receipt') emit(e)
  })
  // Our messages written while no peer was linked (P2P): they reach the others by a catch-up once a link
  // is up. A script that sends and ends at once (a `--dial` still being tried) is told at quit that they did not.
  let unlinked = 0
  engine.on((e: EngineEvent) => {
    if (e.type === 'peer:connect') unlinked = 0
    else if (e.type === 'message' && e.author === engine.peerId && engine.mode === 'p2p' && !engine.connected) unlinked++
  })

  /** `farewell`: the answer to a script's {"cmd":"quit","ref":…}, said once the engine has stopped. */
  const quit = async (code = 0, farewell?: ChatEvent): Promise<void> => {
    if (quitting) return
    quitting = true
    if (unlinked > 0 && !engine.connected) {
      log(`${unlinked} message(s) written here reached no peer (none was linked): they go out when this peer next runs linked to one. ` +
        `Dial first to send at once: ${json ? '{"cmd":"dial","addr":"ip:port"} is answered once the link is up' : '/dial ip:port says when it is linked'}`)
    }
    // A graceful stop: what is queued for connected peers is written first (bounded), and what
    // we wrote is read before we go (Node's exit drops what a pipe has not taken yet).
    await engine.stop()
    if (farewell !== undefined) emit(farewell, true)
    await Promise.all([out.flush(), diagnostics.flush()])
    process.exit(code)
  }
  process.on('SIGINT', () => { void quit() })
  process.on('SIGTERM', () => { void quit() })
  // Whoever read our output is gone: a script that stopped reading ends the session (a graceful quit);
  // a service (stdin from /dev/null, see stopOn) keeps running, its output going nowhere.
  const service = nullInput()
  whenReaderGone(process.stdout, () => { if (!service) void quit() })
  whenReaderGone(process.stderr, () => {})

  // The same operations, validation and errors as the desktop app's IPC.
  const dispatch = dispatchOver(headlessOperations(engine, prefs))
  // A script may name one of its invite-only rooms as it is called, as the terminal does (lines.ts, readRoom).
  const privateNames: RoomNames = {
    privateNamed: name => {
      try { return roomsNamed(engine.privateRooms().map(r => [r.room, r] as const), name) } catch { return [] }
    }
  }
  // Commands run one after another, in the order they were typed, once the engine runs.
  const started = engine.start()
  let queue = started.catch(() => {})
  // Commands read and not yet run: past MAX_WAITING the input is held (the script's writes wait), so a
  // script that writes faster than the peer answers, or never reads the answers, is not held in memory.
  let waiting = 0
  const run = (task: () => Promise<void>): void => {
    if (++waiting > MAX_WAITING) piped?.pause()
    queue = queue.then(async () => {
      // The reader is behind: the answers wait for it, and the commands behind them.
      await out.below(COMMAND_WAIT_BYTES)
      await task()
    }).finally(() => { if (--waiting <= MAX_WAITING / 2) piped?.resume() })
  }
  piped?.on('long', (bytes, start) => {
    run(async () => {
      if (quitting) return
      emit({ type: 'error', code: 'CommandError', message: `a line is at most ${MAX_LINE_BYTES / 2 ** 20} MiB: one of ${bytes} bytes was skipped (it began ${JSON.stringify(start.slice(0, 40))})` }, true)
    })
  })
  input.on('line', (typed: string) => {
    const line = rl !== undefined ? typed.replaceAll(PASTED_BREAK, '\n') : typed
    run(async () => {
      if (quitting || line.trim() === '') return
      try {
        const typed: Typed = json ? { run: parseLine(line, privateNames) } : term.command(line)
        if ('say' in typed) { print(typed.say); return }
        const cmd = typed.run
        // Asked with a ref, a script's quit is answered (`done`) once everything has stopped: it knows it may go on.
        if (cmd.operation === 'quit') return await quit(0, json && cmd.ref !== undefined ? withRef({ type: 'done', cmd: 'quit' }, cmd.ref) : undefined)
        if (cmd.operation === 'help') { emit(withRef(helpAnswer(), cmd.ref), true); return }
        switching = cmd.operation === 'switchMode'
        const result = await dispatch(cmd.operation, cmd.payload).finally(() => { switching = false })
        const answer = answerOf(cmd, result)
        if (answer !== undefined) emit(answer, true)
        const hint = !json && !result.ok ? term.hint(cmd, result.error) : undefined
        if (hint !== undefined) print(hint)
        const next = !json && result.ok ? term.followUp(cmd) : undefined
        const confirmation = !json && result.ok ? term.confirm(cmd, engine.name, result.value) : undefined
        if (confirmation !== undefined) print(confirmation)
        // A room just joined shows what its one-line notice announced.
        const more = next !== undefined ? answerOf(next, await dispatch(next.operation, next.payload)) : undefined
        if (more !== undefined) emit(more, true)
      } catch (err) {
        const e = err as Error
        emit(withRef({ type: 'error', message: e.message, code: e.name }, json ? refOfLine(line) : undefined), true)
      }
    })
  })
  // The end of what a script or a person typed ends the peer (after what was typed before it); stdin
  // from /dev/null has nothing to end: the peer runs until it is stopped (stdio.ts).
  stopOn(input, service, () => { void quit() }, () => { void queue.then(async () => { await quit() }) })
  // A start that fails (a data directory in use, a bad key file) ends here with its message.
  await started
  if (service) log('reading commands from /dev/null: running until stopped (SIGTERM, or Ctrl+C)')
  // The terminal knows from the start whom and which invite-only rooms it may be typed at by name (/dm Ann, /room Board).
  if (!json) {
    term.format({ type: 'peers', peers: engine.peers() })
    term.format({ type: 'private-rooms', rooms: engine.privateRooms() })
  }
  if (prefs.joined === undefined) {
    for (const room of prefs.setJoined(upgrading ? engine.rooms() : [])) term.joined.add(room)
  }
}

/** `lanchat server`: the hub, headless. */
async function server (rest: string[]): Promise<void> {
  const args = parseOptions(rest, { ...COMMON_OPTIONS, 'keep-files-gb': { type: 'string' } })
  checkName(args.name)
  const log = (line: string): void => { process.stderr.write(`[lanchat server] ${line}\n`) }
  const maxFileBytes = maxFileBytesOf(args['max-file-mb'])
  const keepFilesBytes = keepBytesOf('--keep-files-gb', args['keep-files-gb'])
  await runServer({
    dataDir: args.data ?? join(homedir(), '.lanchat', 'server'),
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args.listen !== undefined ? { listen: args.listen.map(a => addressOption('--listen', a)) } : {}),
    mdns: !args['no-mdns'],
    ...networkKeyOf(args),
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    ...(keepFilesBytes !== undefined ? { keepFilesBytes } : {}),
    log
  }, args.json)
}

main().catch(err => {
  // Our own errors are written for people (a data directory in use, a bad key file); others show where they came from.
  const e = err as Error
  const ours = e instanceof DataDirInUseError || e instanceof StoreError
  // A port another program holds (another lanchat, often): libp2p's words are about its own configuration.
  const taken = takenPort(e)
  // An address no interface of this computer has: libp2p's words are about its configuration too.
  const notMine = unavailableAddress(e)
  const said = taken !== undefined
    ? `port ${taken} is already in use by another program on this computer (another lanchat?): choose another with --listen, e.g. --listen 0.0.0.0:0 for any free port, or stop the other program`
    : notMine !== undefined
      ? `${notMine.ip} is not an address of this computer, so nothing can listen there: give --listen one of its own (this computer's: ${ownAddresses().join(', ')}), or ${notMine.ip.includes(':') ? '[::]' : '0.0.0.0'}:${notMine.port} for all of them`
      : ours ? e.message : e.stack ?? String(err)
  process.stderr.write(`lanchat: ${said}\n`)
  process.exit(1)
})

/** This computer's IP addresses, as `--listen` takes them (IPv4 first). */
function ownAddresses (): string[] {
  const all = Object.values(networkInterfaces()).flatMap(list => list ?? []).filter(a => !a.address.startsWith('fe80'))
  return [...all.filter(a => a.family === 'IPv4'), ...all.filter(a => a.family !== 'IPv4')].map(a => a.address)
}
