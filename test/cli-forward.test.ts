/**
 * `{"cmd":"forward"}` through bin/lanchat peer --json, two real processes on loopback: a direct
 * message forwarded into a room is refused until `"confirm":true`, and then reaches the room's
 * readers as the forwarder's message quoting it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']

describe('bin/lanchat forward', () => {
  it('a DM forwarded into a room waits for "confirm": true, then the room reads it with its attribution', async () => {
    const ann = lanchat(['peer', '--json', '--name', 'Ann', '--data', tempDir('lanchat-ann-'), ...LOOP])
    const ready = await ann.waitFor('ann ready', e => e.type === 'ready')
    const ben = lanchat(['peer', '--json', '--name', 'Ben', '--data', tempDir('lanchat-ben-'), ...LOOP, '--dial', (ready.addrs as string[])[0]!])
    const benReady = await ben.waitFor('ben ready', e => e.type === 'ready')
    await ann.waitFor('linked', e => e.type === 'peer:connect')
    ann.send({ cmd: 'send', to: benReady.peerId, text: 'the door code is 4417' })
    const dm = await ben.waitFor('ben has the DM', e => e.type === 'message' && e.text === 'the door code is 4417')

    ben.send({ cmd: 'forward', id: dm.id, room: '#General', ref: 1 })
    expect(await ben.waitFor('refused', e => e.ref === 1)).toMatchObject({ type: 'error', code: 'ForwardConfirmError', message: 'People in #general will read what Ann wrote to you privately.' })
    ben.send({ cmd: 'forward', id: dm.id, room: 'general', comment: 'heads up', confirm: true, ref: 2 })
    expect(await ben.waitFor('sent', e => e.ref === 2)).toMatchObject({ type: 'done', cmd: 'forward', room: 'general' })
    const got = await ann.waitFor('ann reads it in #general', e => e.type === 'message' && e.room === 'general')
    expect(got).toMatchObject({ author: benReady.peerId, name: 'Ben', text: 'heads up\n\nForwarded from Ann in a direct message:\nthe door code is 4417' })
    // Only the confirmed one went.
    expect(ann.events.filter(e => e.type === 'message' && e.room === 'general')).toHaveLength(1)
  })
})
