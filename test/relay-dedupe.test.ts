import { afterEach, describe, expect, it } from 'vitest'
import type { Frame } from '../main/net/codec.js'
import { Attacker } from './helpers/attacker.js'
import { cleanup, startPeer, until } from './helpers/peers.js'

afterEach(cleanup)

/** Whether any frame `a` was sent carries the message `id`. */
const got = (a: Attacker, id: string): boolean =>
  a.received.some((f: Frame) => f.type === 'messages' && f.messages.some(r => r.message.id === id))

describe('relaying in a mesh', () => {
  it('a message is not relayed back to a link that sent a copy while it waited its turn', async () => {
    // The author's budget (1 now, then 2 a second) keeps its second message waiting about half a second.
    const v = await startPeer('relay', { ratePerSecond: 2, rateBurst: 1 })
    const x = await Attacker.connect(v.addr(), 'x')
    const y = await Attacker.connect(v.addr(), 'y')
    const z = await Attacker.connect(v.addr(), 'z')
    const one = await x.message('one')
    const two = await x.message('two')
    await x.send(one)
    await until('the first relayed', () => got(z, one.id))
    await x.send(two)
    // y heard x's message elsewhere and passes it on too, while the relay still holds it back.
    await y.send(two)
    await until('the second relayed to the link that lacks it', () => got(z, two.id), 10_000)
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(got(y, two.id)).toBe(false)
    expect(got(x, two.id)).toBe(false)
    // The first went to every link but its sender's, y included: y had not sent it.
    expect(got(y, one.id)).toBe(true)
    await Promise.all([x.stop(), y.stop(), z.stop()])
  })
})
