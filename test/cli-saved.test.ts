/**
 * Saved for later through real bin/lanchat processes: /save, /unsave and /saved at a terminal, and
 * the JSON "save" and "saved" commands, each validated; nothing of it reaches the other peer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat, type Proc } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
const lines = (p: Proc): string[] => p.events.filter(e => e.type === 'not-json').map(e => String(e.line))
const saw = (p: Proc, re: RegExp): boolean => lines(p).some(l => re.test(l))

describe('saved for later in bin/lanchat', () => {
  it('/save takes the last message, N or a short id; /saved lists them with their conversation and author; /unsave takes one off; JSON save and saved', async () => {
    const a = lanchat(['peer', '--name', 'eve', '--data', tempDir('lanchat-eve-'), ...LOOP])
    await until('address', () => saw(a, /^ {2}127\.0\.0\.1:\d+$/))
    const addr = lines(a).find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim()
    const b = lanchat(['peer', '--json', '--name', 'fay', '--data', tempDir('lanchat-fay-'), ...LOOP, '--dial', addr])
    const eve = await b.waitFor('eve linked', e => e.type === 'peer:connect')
    await until('fay joined', () => saw(a, /^\* fay joined/))
    b.send({ cmd: 'send', text: 'the wifi password is on the fridge' })
    await until('fay\'s message', () => saw(a, /\] fay: the wifi password is on the fridge$/))
    const wifi = lines(a).map(l => /([0-9a-f]{8})\] fay: the wifi/.exec(l)?.[1]).find(id => id !== undefined)!

    // None: the last message shown.
    a.child.stdin.write('/save\n')
    await until('saved', () => saw(a, new RegExp(`^\\* saved \\[${wifi}\\] for later, for you alone`)))
    b.send({ cmd: 'send', to: eve.peerId, text: 'the gate code is 8812' })
    await until('fay\'s DM', () => saw(a, /\] \(dm\) fay: the gate code is 8812$/))
    const gate = lines(a).map(l => /([0-9a-f]{8})\] \(dm\) fay: the gate/.exec(l)?.[1]).find(id => id !== undefined)!
    a.child.stdin.write('/save 1\n')
    await until('the DM saved', () => saw(a, new RegExp(`^\\* saved \\[${gate}\\] for later`)))

    a.child.stdin.write('/saved\n')
    await until('listed, newest saved first', () => {
      const all = lines(a)
      const first = all.findIndex(l => l === `* 🔖 [${gate}] dm with fay, fay: the gate code is 8812`)
      return first >= 0 && all[first + 1] === `* 🔖 [${wifi}] #lobby, fay: the wifi password is on the fridge`
    })
    a.child.stdin.write(`/unsave ${wifi}\n`)
    await until('unsaved', () => saw(a, new RegExp(`^\\* \\[${wifi}\\] is no longer saved$`)))
    a.child.stdin.write('/unsave\n')
    await until('usage', () => saw(a, /^! usage: \/unsave ID/))
    a.child.stdin.write('/save 99\n')
    await until('no such message', () => saw(a, /^! no message 99 seen yet/))
    a.child.stdin.write('/help\n')
    await until('help lists them', () => saw(a, /^ {2}\/save \[ID\] .*\/unsave ID/) && saw(a, /^ {2}\/saved /))

    // Fay's list is hers: nothing of eve's reached her. Her JSON save and saved, validated.
    b.send({ cmd: 'saved', ref: 1 })
    expect(await b.waitFor('fay\'s list', e => e.type === 'saved' && e.ref === 1)).toMatchObject({ saved: [] })
    const own = await b.waitFor('her own message', e => e.type === 'message' && e.text === 'the wifi password is on the fridge')
    b.send({ cmd: 'save', id: own.id, ref: 2 })
    expect(await b.waitFor('saved', e => e.type === 'done' && e.ref === 2)).toMatchObject({ cmd: 'save', id: own.id })
    b.send({ cmd: 'saved', ref: 3 })
    const listed = await b.waitFor('listed', e => e.type === 'saved' && e.ref === 3) as unknown as { saved: Array<{ id: string, text: string, savedAt: number }> }
    expect(listed.saved.map(m => m.id)).toEqual([own.id])
    expect(listed.saved[0]!.savedAt).toBeGreaterThan(0)
    b.send({ cmd: 'save', id: own.id, on: false, ref: 4 })
    await b.waitFor('unsaved', e => e.type === 'done' && e.ref === 4)
    b.send({ cmd: 'save', id: '0'.repeat(64), ref: 5 })
    expect(await b.waitFor('unknown', e => e.type === 'error' && e.ref === 5)).toMatchObject({ code: 'UnknownMessageError' })
    b.send({ cmd: 'save', id: 'nope', ref: 6 })
    expect(await b.waitFor('not an id', e => e.type === 'error' && e.ref === 6)).toMatchObject({ code: 'InvalidRequestError' })
    b.send({ cmd: 'save', id: own.id, on: 'yes', ref: 7 })
    expect(await b.waitFor('on is a boolean', e => e.type === 'error' && e.ref === 7)).toMatchObject({ code: 'InvalidRequestError' })
    b.send({ cmd: 'saved', ref: 8 })
    expect(await b.waitFor('empty again', e => e.type === 'saved' && e.ref === 8)).toMatchObject({ saved: [] })
    // Eve still has hers (the DM), after all that.
    a.child.stdin.write('/saved\n')
    await until('still hers', () => lines(a).filter(l => l === `* 🔖 [${gate}] dm with fay, fay: the gate code is 8812`).length === 2)

    a.child.stdin.write('/quit\n')
    b.send({ cmd: 'quit' })
    expect(await a.exited).toBe(0)
  })
})
