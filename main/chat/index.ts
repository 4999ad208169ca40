/**
 * The chat engine that every host drives, in either architecture.
 *
 * @example
 * ```ts
 * const engine = new Engine({ dataDir: '/tmp/alice', name: 'alice', mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'] })
 * engine.on(e => { if (e.type === 'message') console.log(e.lamport, e.name, e.text) })
 * await engine.start()
 * await engine.send('lobby', 'hello')
 * await engine.switchMode('client', '/ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…')
 * ```
 */
import { Engine, type EngineOptions } from './engine.js'

export { Engine, type EngineOptions } from './engine.js'
export type * from './types.js'
export type { UserMode } from './ordering.js'
export type { EngineStats, FailureState, LinkStats, Figures, OrderedBy } from './stats.js'

export async function createChatEngine (options: EngineOptions): Promise<Engine> {
  return new Engine(options)
}
