/**
 * Peers whose wall clocks are wrong, as separate `bin/lanchat` processes (each
 * process's clock shifted by test/helpers/wall-clock.mjs): what they write still
 * reaches everyone, in Lamport order.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat, type Proc } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
const shifted = pathToFileURL(resolve(import.meta.dirname, 'helpers/wall-clock.mjs')).href
const peer = (name: string, shiftMs = 0): Proc =>
  lanchat(['peer', '--json', '--name', name, '--data', tempDir(`lanchat-${name}-`), ...LOOP], shiftMs === 0 ? {} : { env: { NODE_OPTIONS: `--import=${shifted}`, LANCHAT_TEST_CLOCK_SHIFT_MS: String(shiftMs) } })

describe('a peer whose clock is wrong', () => {
  it('one whose clock reads before 1970 (a dead clock battery) is heard, its later messages too', async () => {
    const ann = peer('ann')
    const ready = await ann.waitFor('ann ready', e => e.type === 'ready')
    // An hour before 1970 began.
    const old = peer('old', -Date.now() - 3_600_000)
    await old.waitFor('old ready', e => e.type === 'ready')
    old.send({ cmd: 'dial', addr: (ready.addrs as string[])[0], ref: 'dial' })
    await old.waitFor('linked', e => e.type === 'done' && e.ref === 'dial')
    old.send({ cmd: 'send', text: 'hello from an old clock' })
    old.send({ cmd: 'send', text: 'and again' })
    const first = await ann.waitFor('first', e => e.type === 'message' && e.text === 'hello from an old clock')
    expect(first.sentAt).toBe(0)
    await ann.waitFor('second', e => e.type === 'message' && e.text === 'and again')
    ann.send({ cmd: 'quit' })
    old.send({ cmd: 'quit' })
    expect(await ann.exited).toBe(0)
    expect(await old.exited).toBe(0)
  })
})
