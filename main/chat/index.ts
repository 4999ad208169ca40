/**
 * The chat engine that every host drives.
 *
 * @example
 * ```ts
 * const engine = await createChatEngine({ dataDir: '/tmp/alice', name: 'alice', mdns: false, listen: ['/ip4/127.0.0.1/tcp/0'] })
 * engine.on(e => { if (e.type === 'message') console.log(e.lamport, e.name, e.text) })
 * await engine.start()
 * await engine.send('lobby', 'hello')
 * ```
 */
import { P2PEngine, type EngineOptions } from './engine.js'

export type { EngineOptions } from './engine.js'
export type * from './types.js'
export { P2PEngine } from './engine.js'

export async function createChatEngine (options: EngineOptions): Promise<P2PEngine> {
  return new P2PEngine(options)
}
export { SwitchableEngine, createSwitchableEngine, type SwitchableOptions, type UserMode } from './switchable.js'
export type { EngineStats, FailureState, LinkStats, Figures, OrderedBy } from './stats.js'
