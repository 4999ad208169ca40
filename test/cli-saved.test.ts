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
  it('/save takes the last message, N or a short id; /saved lists them with their conversation and author; /unsave takes one off, and says one not saved was not; JSON save and saved', async () => {
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
    // Taken off already: it is not said to be taken off again.
    a.child.stdin.write(`/unsave ${wifi}\n`)
    await until('not saved', () => saw(a, new RegExp(`^\\[${wifi}\\] was not saved: nothing to take off \\(/saved lists yours\\)$`)))
    expect(lines(a).filter(l => l === `* [${wifi}] is no longer saved`)).toHaveLength(1)
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
    // Taken off already: refused, as /unsave says it, not answered "done" again.
    b.send({ cmd: 'save', id: own.id, on: false, ref: 44 })
    expect(await b.waitFor('not saved', e => e.ref === 44)).toEqual({ type: 'error', code: 'NotSavedError', message: `The message ${own.id} is not saved: nothing to take off.`, ref: 44 })
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

  it('/unsave takes off a saved message this mode cannot list (an invite-only room left); JSON saved-ids lists them by id and when alone', async () => {
    const a = lanchat(['peer', '--name', 'gus', '--data', tempDir('lanchat-gus-'), ...LOOP])
    await until('address', () => saw(a, /^ {2}127\.0\.0\.1:\d+$/))
    const addr = lines(a).find(l => /^ {2}127\.0\.0\.1:\d+$/.test(l))!.trim()
    const b = lanchat(['peer', '--json', '--name', 'hal', '--data', tempDir('lanchat-hal-'), ...LOOP, '--dial', addr])
    const gus = await b.waitFor('gus linked', e => e.type === 'peer:connect')
    await until('hal joined', () => saw(a, /^\* hal joined/))
    // Hal's room, gus invited into it.
    b.send({ cmd: 'create-private', name: 'Crew', ref: 1 })
    const { room } = await b.waitFor('made', e => e.type === 'private-room' && e.ref === 1) as unknown as { room: string }
    b.send({ cmd: 'invite', room, to: gus.peerId, ref: 2 })
    await until('invited', () => saw(a, /invites you to the private room "Crew": type \/accept/))
    a.child.stdin.write('/accept\n')
    b.send({ cmd: 'create-private', name: 'Other', ref: 3 })
    const other = await b.waitFor('made', e => e.type === 'private-room' && e.ref === 3) as unknown as { room: string }
    b.send({ cmd: 'invite', room: other.room, to: gus.peerId, ref: 4 })
    await until('invited', () => saw(a, /invites you to the private room "Other": type \/accept/))
    a.child.stdin.write('/accept\n')
    let ref = 100
    const members = async (r: string): Promise<number> => {
      const asked = ++ref
      b.send({ cmd: 'members', room: r, ref: asked })
      return ((await b.waitFor('members', e => e.type === 'members' && e.ref === asked)) as unknown as { members: unknown[] }).members.length
    }
    for (let tries = 0; !(await members(room) === 2 && await members(other.room) === 2); tries++) {
      if (tries > 100) throw new Error('gus never joined both rooms')
      await new Promise(resolve => setTimeout(resolve, 200))
    }
    b.send({ cmd: 'send', room, text: 'the crew meets at noon' })
    b.send({ cmd: 'send', room: other.room, text: 'the others meet at one' })
    await until('both shown', () => saw(a, /\] .*hal: the crew meets at noon$/) && saw(a, /\] .*hal: the others meet at one$/))
    const noon = lines(a).map(l => /([0-9a-f]{8})\] .*hal: the crew meets/.exec(l)?.[1]).find(id => id !== undefined)!
    const one = lines(a).map(l => /([0-9a-f]{8})\] .*hal: the others meet/.exec(l)?.[1]).find(id => id !== undefined)!
    a.child.stdin.write(`/save ${noon}\n`)
    a.child.stdin.write(`/save ${one}\n`)
    await until('saved', () => saw(a, new RegExp(`^\\* saved \\[${noon}\\]`)) && saw(a, new RegExp(`^\\* saved \\[${one}\\]`)))

    // Gus leaves both rooms: their words no longer open here, so /saved lists neither; taking them off still works.
    a.child.stdin.write('/leave\n')
    a.child.stdin.write(`/leave ${room}\n`)
    await until('left both', () => lines(a).filter(l => /^\* you left private room/.test(l)).length === 2, 20_000)
    a.child.stdin.write('/saved\n')
    await until('none listed', () => saw(a, /^\* nothing saved yet/))
    a.child.stdin.write(`/unsave ${noon}\n`)
    a.child.stdin.write(`/unsave ${one}\n`)
    await until('unsaved', () => saw(a, new RegExp(`^\\* \\[${noon}\\] is no longer saved$`)) && saw(a, new RegExp(`^\\* \\[${one}\\] is no longer saved$`)))
    expect(lines(a).some(l => /UnknownMessageError|no message .* here to unsave/.test(l))).toBe(false)

    // Hal saves his own message: saved-ids has its id and time, no words; and his JSON unsave of one he cannot list.
    const own = await b.waitFor('his own message', e => e.type === 'message' && e.text === 'the crew meets at noon')
    b.send({ cmd: 'save', id: own.id, ref: 7 })
    await b.waitFor('saved', e => e.type === 'done' && e.ref === 7)
    b.send({ cmd: 'saved-ids', ref: 8 })
    const ids = await b.waitFor('ids', e => e.type === 'saved-ids' && e.ref === 8) as unknown as { saved: Array<{ id: string, savedAt: number }> }
    expect(ids.saved).toEqual([{ id: own.id, savedAt: expect.any(Number) }])
    b.send({ cmd: 'saved-ids', id: own.id, ref: 9 })
    expect(await b.waitFor('no fields', e => e.type === 'error' && e.ref === 9)).toMatchObject({ type: 'error' })
    a.child.stdin.write('/quit\n')
    b.send({ cmd: 'quit' })
    expect(await a.exited).toBe(0)
  })
})
