import type { EngineOptions } from '../../main/chat/index.js'
import { connect, startPeer, until, type TestPeer } from './peers.js'

/** A peer whose diagnostics are captured, plus an honest friend connected to it: the hostile-input tests' set-up. */
export async function victim (opts: Partial<EngineOptions> = {}): Promise<{ v: TestPeer, friend: TestPeer, logs: string[] }> {
  const logs: string[] = []
  const v = await startPeer('victim', { log: line => { logs.push(line) }, ...opts })
  const friend = await startPeer('friend')
  await connect(friend, v)
  return { v, friend, logs }
}

/** The victim still chats with its friend both ways. */
export async function stillWorks (v: TestPeer, friend: TestPeer, tag: string): Promise<void> {
  await friend.engine.send('lobby', `ping ${tag}`)
  await until('victim still receives', () => v.delivered().includes(`ping ${tag}`))
  await v.engine.send('lobby', `pong ${tag}`)
  await until('friend still receives', () => friend.delivered().includes(`pong ${tag}`))
}
