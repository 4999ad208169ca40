/**
 * Muting a room from bin/lanchat: `/mute #room` in the terminal keeps that
 * room's messages off the screen unless they mention you (or it is the room
 * being typed into), and the choice survives a restart; `/unmute` prints
 * them again. As JSON, `mute`/`unmute` answer the muted rooms (events are
 * never held back from a script). `/leave #room` leaves another room.
 * A room never joined prints one line when someone writes there (a mention
 * of you prints whole); joining it prints what that line announced.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, tempDir, until } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat, type Proc } from './helpers/proc.js'
import { Terminal } from '../main/app/terminal.js'
import { parseLine } from '../main/app/lines.js'
import { normaliseRoom } from '../renderer/src/format'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
const lines = (p: Proc): string[] => p.events.filter(e => e.type === 'not-json').map(e => String(e.line))
const saw = (p: Proc, re: RegExp): boolean => lines(p).some(l => re.test(l))

async function jsonPeer (name: string): Promise<{ proc: Proc, addr: string }> {
  const proc = lanchat(['peer', '--json', '--name', name, '--data', tempDir(`lanchat-${name}-`), ...LOOP])
  const ready = await proc.waitFor('ready', e => e.type === 'ready')
  return { proc, addr: (ready.addrs as string[])[0]! }
}

describe('muting a room in bin/lanchat', () => {
  it('/mute #random prints only mentions from there, also after a restart; /unmute prints everything again', async () => {
    const ann = await jsonPeer('ann')
    const dir = tempDir('lanchat-bob-')
    const start = (): Proc => lanchat(['peer', '--name', 'bob', '--data', dir, ...LOOP, '--dial', ann.addr])
    let bob = start()
    await until('bob connected', () => saw(bob, /^\* ann joined/), 20_000)
    bob.child.stdin.write('/join random\n/room lobby\n')
    await until('joined', () => saw(bob, /^\* typing in #lobby$/))
    bob.child.stdin.write('/mute #random\n')
    await until('muted', () => saw(bob, /^\* muted \(only mentions of you print\): #random$/))
    ann.proc.send({ cmd: 'send', room: 'random', text: 'plain chatter' })
    ann.proc.send({ cmd: 'send', room: 'random', text: '@bob look at this' })
    ann.proc.send({ cmd: 'send', room: 'lobby', text: 'in the lobby' })
    await until('lobby and mention printed', () => saw(bob, /ann: in the lobby$/) && saw(bob, /#random ann: @bob look at this$/))
    expect(lines(bob).filter(l => l.includes('plain chatter'))).toEqual([])
    // Typing into the muted room shows it whole: /history and new lines alike.
    bob.child.stdin.write('/history random\n')
    await until('history has it', () => saw(bob, /ann: plain chatter$/))

    // Restarted, bob still has #random muted.
    bob.child.stdin.write('/quit\n')
    expect(await bob.exited).toBe(0)
    bob = start()
    await until('bob back', () => saw(bob, /^\* ann joined/), 20_000)
    ann.proc.send({ cmd: 'send', room: 'random', text: 'still quiet' })
    ann.proc.send({ cmd: 'send', room: 'lobby', text: 'after the restart' })
    await until('lobby printed', () => saw(bob, /ann: after the restart$/))
    expect(lines(bob).filter(l => l.includes('still quiet'))).toEqual([])

    bob.child.stdin.write('/unmute random\n')
    await until('unmuted', () => saw(bob, /^\* no room is muted$/))
    ann.proc.send({ cmd: 'send', room: 'random', text: 'loud again' })
    await until('printed', () => saw(bob, /#random ann: loud again$/))
    bob.child.stdin.write('/quit\n')
    expect(await bob.exited).toBe(0)
  })

  it('a room not joined prints one notice, mentions whole; /join shows what was missed, /leave quiets it again', async () => {
    const ann = await jsonPeer('ann')
    const dir = tempDir('lanchat-bob-')
    const start = (): Proc => lanchat(['peer', '--name', 'bob', '--data', dir, ...LOOP, '--dial', ann.addr])
    let bob = start()
    await until('bob connected', () => saw(bob, /^\* ann joined/), 20_000)
    for (const text of ['first chatter', 'second chatter', '@bob a question for you', 'third chatter']) ann.proc.send({ cmd: 'send', room: 'random', text })
    ann.proc.send({ cmd: 'send', room: 'lobby', text: 'in the lobby' })
    await until('lobby and mention printed', () => saw(bob, /ann: in the lobby$/) && saw(bob, /#random ann: @bob a question for you$/))
    expect(lines(bob).filter(l => l.includes('chatter'))).toEqual([])
    expect(lines(bob).filter(l => l.includes('#random'))).toEqual([
      '* new messages in #random, a room you have not joined: /join random to read them',
      expect.stringMatching(/#random ann: @bob a question for you$/)
    ])
    bob.child.stdin.write('/rooms\n')
    await until('listed as not joined', () => saw(bob, /^ {2}#random \(not joined: 3 new\)$/))

    // Joining prints the messages the notice was about, then the room's new ones as they come.
    bob.child.stdin.write('/join #random\n')
    await until('missed ones printed', () => saw(bob, /^\* typing in #random \(3 messages since you heard of it: the newest below\)$/) && saw(bob, /ann: third chatter$/))
    expect(lines(bob).filter(l => /ann: (first|second|third) chatter$/.test(l))).toHaveLength(3)
    bob.child.stdin.write('/room lobby\n')
    await until('back in the lobby', () => saw(bob, /^\* typing in #lobby$/))
    ann.proc.send({ cmd: 'send', room: 'random', text: 'now bob reads this' })
    await until('printed as joined', () => saw(bob, /#random ann: now bob reads this$/))

    // Joined survives a restart; /leave makes it a notice again.
    bob.child.stdin.write('/quit\n')
    expect(await bob.exited).toBe(0)
    bob = start()
    await until('bob back', () => saw(bob, /^\* ann joined/), 20_000)
    ann.proc.send({ cmd: 'send', room: 'random', text: 'after the restart' })
    await until('printed after restart', () => saw(bob, /#random ann: after the restart$/))
    bob.child.stdin.write('/leave #random\n')
    await until('left', () => saw(bob, /^\* left #random; typing in #lobby$/))
    ann.proc.send({ cmd: 'send', room: 'random', text: 'after leaving' })
    await until('a notice again', () => saw(bob, /^\* new messages in #random, a room you have not joined/))
    ann.proc.send({ cmd: 'send', room: 'lobby', text: 'lobby still prints' })
    await until('lobby printed', () => saw(bob, /ann: lobby still prints$/))
    expect(lines(bob).filter(l => l.includes('after leaving'))).toEqual([])
    bob.child.stdin.write('/quit\n')
    expect(await bob.exited).toBe(0)
  })

  it('a data directory from before joined rooms were kept prints every room it had', async () => {
    const ann = await jsonPeer('ann')
    const dir = tempDir('lanchat-bob-')
    const json = lanchat(['peer', '--json', '--name', 'bob', '--data', dir, ...LOOP, '--dial', ann.addr])
    await json.waitFor('connected', e => e.type === 'peer:connect', 20_000)
    ann.proc.send({ cmd: 'send', room: 'design', text: 'a room bob has heard of' })
    await json.waitFor('heard', e => e.type === 'message' && e.room === 'design')
    json.send({ cmd: 'quit' })
    expect(await json.exited).toBe(0)
    // An older version wrote no list of joined rooms (and none at all until something was muted).
    rmSync(join(dir, 'rooms.json'), { force: true })

    const bob = lanchat(['peer', '--name', 'bob', '--data', dir, ...LOOP, '--dial', ann.addr])
    await until('bob connected', () => saw(bob, /^\* ann joined/), 20_000)
    ann.proc.send({ cmd: 'send', room: 'design', text: 'still printed' })
    await until('printed', () => saw(bob, /#design ann: still printed$/))
    expect(JSON.parse(readFileSync(join(dir, 'rooms.json'), 'utf8'))).toMatchObject({ joined: ['lobby', 'design'] })
    bob.child.stdin.write('/quit\n')
    expect(await bob.exited).toBe(0)
  })

  it('/mute, /unmute and /leave take one of your invite-only rooms by its name, as /room does; #NAME is the public room', async () => {
    const ann = await jsonPeer('ann')
    ann.proc.send({ cmd: 'create-private', name: 'Board' })
    const code = String((await ann.proc.waitFor('made', e => e.type === 'private-room' && typeof e.invite === 'string')).invite)
    const bob = lanchat(['peer', '--name', 'bob', '--data', tempDir('lanchat-bob-'), ...LOOP])
    await until('banner', () => saw(bob, /type a line to chat/))
    // A public #board joined too: the name is both, and the invite-only room is meant, as /room means it.
    bob.child.stdin.write(`/join board\n/accept ${code}\n/room lobby\n`)
    await until('in the lobby', () => lines(bob).filter(l => l === '* typing in #lobby').length === 1 && saw(bob, /typing in private room "Board"/))
    bob.child.stdin.write('/mute Board\n')
    await until('muted', () => saw(bob, /^\* muted \(only mentions of you print\): \(private "Board"\)$/))
    bob.child.stdin.write('/mute #board\n')
    await until('both muted', () => saw(bob, /^\* muted \(only mentions of you print\): \(private "Board"\), #board$/))
    bob.child.stdin.write('/unmute Board\n')
    await until('one left', () => saw(bob, /^\* muted \(only mentions of you print\): #board$/))
    bob.child.stdin.write('/leave Board\n')
    await until('left', () => saw(bob, /^\* you left private room "Board": its keys are forgotten here/))
    // The public #board is still joined: /rooms lists it as such.
    bob.child.stdin.write('/rooms\n')
    await until('listed', () => saw(bob, /^ {2}#board$/))
    bob.child.stdin.write('/quit\n')
    expect(await bob.exited).toBe(0)
  })

  it('as JSON: mute and unmute answer the muted rooms; a bad room, one not joined, a direct conversation not had, or an invite-only one not ours, is refused', async () => {
    const { proc } = await jsonPeer('cat')
    // Not a conversation of hers (the window offers mute only on those it lists): refused, named, and not kept muted.
    proc.send({ cmd: 'mute', room: 'Random', ref: 'unjoined' })
    expect(await proc.waitFor('not joined', e => e.ref === 'unjoined')).toEqual({ type: 'error', code: 'NotListedError', message: 'You have not joined #random: join it before muting it.', ref: 'unjoined' })
    const dm = `dm:${'5'.repeat(40)}`
    proc.send({ cmd: 'mute', room: dm, ref: 'dm' })
    expect(await proc.waitFor('no such conversation', e => e.ref === 'dm')).toEqual({ type: 'error', code: 'NotListedError', message: `You have no direct conversation ${dm} listed: nothing to mute.`, ref: 'dm' })
    proc.send({ cmd: 'join', room: 'random' })
    proc.send({ cmd: 'join', room: 'dev' })
    proc.send({ cmd: 'mute', room: 'Random' })
    expect(await proc.waitFor('muted', e => e.type === 'muted')).toEqual({ type: 'muted', rooms: ['random'] })
    proc.send({ cmd: 'mute', room: 'dev' })
    await proc.waitFor('two muted', e => e.type === 'muted' && (e.rooms as string[]).length === 2)
    proc.send({ cmd: 'unmute', room: 'random' })
    await proc.waitFor('one left', e => e.type === 'muted' && JSON.stringify(e.rooms) === '["dev"]')
    proc.send({ cmd: 'mute', room: '', ref: 'empty' })
    expect(await proc.waitFor('refused', e => e.ref === 'empty')).toMatchObject({ type: 'error', code: 'InvalidRequestError' })
    // An invite-only room one is not in: refused as the room is everywhere else, and not kept muted.
    const stranger = `pr:${'5'.repeat(24)}`
    proc.send({ cmd: 'mute', room: stranger, ref: 'pr' })
    expect(await proc.waitFor('not a member', e => e.ref === 'pr')).toEqual({ type: 'error', code: 'NotAMemberError', message: `You are not in ${stranger}: join it with an invite code.`, ref: 'pr' })
    proc.send({ cmd: 'unmute', room: 'random', ref: 'after' })
    expect(await proc.waitFor('still only dev', e => e.ref === 'after')).toMatchObject({ type: 'muted', rooms: ['dev'] })
    proc.send({ cmd: 'quit' })
    expect(await proc.exited).toBe(0)
  })
})

/** What a typed line asks the engine for, or an error when it is not a command. */
const payloadOf = (term: Terminal) => (line: string): unknown => {
  const typed = term.command(line)
  if (!('run' in typed)) throw new Error(`not a command: ${line}`)
  return typed.run.payload
}

describe('room commands in the terminal', () => {
  it('/mute, /unmute and /leave take the current room, or #ROOM without moving from it', () => {
    const term = new Terminal(() => 'me')
    const payload = payloadOf(term)
    expect(payload('/mute')).toEqual({ room: 'lobby', muted: true })
    expect(term.command('/leave')).toEqual({ say: 'the lobby cannot be left; /room ROOM types elsewhere' })
    payload('/room design')
    expect(payload('/mute #Random')).toEqual({ room: 'random', muted: true })
    expect(payload('/unmute')).toEqual({ room: 'design', muted: false })
    // A room joined (not the one typed in) is left without moving; one never joined has nothing to leave.
    expect(term.command('/leave #random')).toMatchObject({ say: expect.stringMatching(/^you have not joined #random: nothing to leave/) })
    term.joined.add('random')
    expect(payload('/leave #random')).toEqual({ room: 'random' })
    expect(term.room).toBe('design')
    expect(payload('/leave')).toEqual({ room: 'design' })
    expect(term.room).toBe('lobby')
  })

  it('reads a typed room name as the window does, so both join the same room', () => {
    const term = new Terminal(() => 'me')
    const payload = payloadOf(term)
    for (const typed of ['Design Team', '#Design Team', '  design   team ', '# design team']) {
      expect(payload(`/join ${typed}`)).toEqual({ room: 'design-team' })
      // The window's room dialog and switcher read it with this rule.
      expect(normaliseRoom(typed)).toBe('design-team')
    }
    expect(payload('/history #Design Team')).toMatchObject({ room: 'design-team' })
    expect(payload('/mute Design Team')).toEqual({ room: 'design-team', muted: true })
    // Letters that look alike are one room: an accent typed composed or decomposed, a Turkish İ and i.
    for (const typed of ['Café', '#Cafe\u0301', 'CAFÉ', 'CAFE\u0301']) {
      expect(payload(`/join ${typed}`)).toEqual({ room: 'café' })
      expect(normaliseRoom(typed)).toBe('café')
      expect(parseLine(JSON.stringify({ cmd: 'join', room: typed })).payload).toEqual({ room: 'café' })
    }
    for (const typed of ['İzmir', 'izmir', 'IZMIR']) expect(normaliseRoom(typed)).toBe('izmir')
    expect(() => term.command('/join')).toThrow(/^usage: \/join ROOM/)
    expect(() => term.command('/room #')).toThrow('A room needs a name')
  })
})
