import { z } from 'zod'
import type { ChatEngine, ChatEvent } from './types.js'

/**
 * The command language of the headless host (one JSON object a line), checked
 * with a schema before anything runs. Hosts share it so every command means
 * the same thing everywhere.
 */
export const Command = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('send'), room: z.string().default('lobby'), text: z.string(), replyTo: z.string().optional() }),
  z.object({ cmd: z.literal('dial'), addr: z.string().min(1) }),
  z.object({ cmd: z.literal('block'), peerId: z.string().min(1) }),
  z.object({ cmd: z.literal('unblock'), peerId: z.string().min(1) }),
  z.object({ cmd: z.literal('history'), room: z.string().default('lobby') }),
  z.object({ cmd: z.literal('peers') }),
  z.object({ cmd: z.literal('rooms') }),
  z.object({ cmd: z.literal('join'), room: z.string() }),
  z.object({ cmd: z.literal('name'), name: z.string() }),
  z.object({ cmd: z.literal('stats') }),
  z.object({ cmd: z.literal('mode'), mode: z.enum(['p2p', 'client']), server: z.string().min(1).optional() }),
  z.object({ cmd: z.literal('quit') })
])
export type Command = z.infer<typeof Command>

export class CommandError extends Error {
  static override readonly name = 'CommandError'
  override readonly name = 'CommandError'
}

/** Parse one input line into a command, or throw CommandError saying what is wrong. */
export function parseCommand (line: string): Command {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    throw new CommandError(`not JSON: ${line.length > 80 ? line.slice(0, 80) + '…' : line}`)
  }
  const parsed = Command.safeParse(json)
  if (!parsed.success) {
    const cmd = (json as { cmd?: unknown } | null)?.cmd
    if (typeof cmd === 'string' && !Command.options.some(o => o.shape.cmd.value === cmd)) {
      throw new CommandError(`unknown command "${cmd}"`)
    }
    throw new CommandError(`invalid command: ${parsed.error.issues.map(i => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ')}`)
  }
  return parsed.data
}

export interface StatsSource {
  stats?: () => Record<string, unknown>
  /** The live switch between architectures (SwitchableEngine). */
  switchMode?: (mode: 'p2p' | 'client', server?: string) => Promise<void>
}

/** Run a command; the answer event, if the command has one. `quit` is the host's to handle. */
export async function runCommand (engine: ChatEngine & StatsSource, cmd: Command): Promise<ChatEvent | undefined> {
  switch (cmd.cmd) {
    case 'send':
      await engine.send(cmd.room, cmd.text, cmd.replyTo !== undefined ? { replyTo: cmd.replyTo } : {})
      return undefined
    case 'dial':
      await engine.dial(cmd.addr)
      return undefined
    case 'block':
      await engine.block(cmd.peerId)
      return undefined
    case 'unblock':
      await engine.unblock(cmd.peerId)
      return undefined
    case 'history':
      return { type: 'history', room: cmd.room, messages: engine.history(cmd.room) }
    case 'peers':
      return { type: 'peers', peers: engine.peers() }
    case 'rooms':
      return { type: 'rooms', rooms: engine.rooms() }
    case 'join':
      engine.joinRoom(cmd.room)
      return { type: 'rooms', rooms: engine.rooms() }
    case 'name':
      await engine.setName(cmd.name)
      return undefined
    case 'stats':
      return { type: 'stats', ...(engine.stats?.() ?? {}) }
    case 'mode':
      // The new engine announces itself with a `ready` event carrying its mode.
      if (engine.switchMode === undefined) throw new CommandError('this host cannot switch modes')
      await engine.switchMode(cmd.mode, cmd.server)
      return undefined
    case 'quit':
      return undefined
    default:
      return cmd satisfies never
  }
}
