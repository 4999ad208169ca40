/**
 * Typing and presence through the headless host: the JSON commands `typing`
 * and `presence` between two `bin/lanchat peer --json` processes, and the
 * terminal's /away, /back and how it prints them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Terminal } from '../main/app/terminal.js'
import { cleanup, tempDir } from './helpers/peers.js'
import { ensureBuilt, killAll, lanchat, type Proc } from './helpers/proc.js'

beforeAll(() => { ensureBuilt() }, 120_000)
afterAll(async () => { await killAll(); await cleanup() })

const LOOP = ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
const peer = (name: string): Proc => lanchat(['peer', '--json', '--name', name, '--data', tempDir(`lanchat-${name}-`), ...LOOP])

describe('bin/lanchat peer --json: typing and presence', () => {
  it('sends typing, sets away, and lists everyone\'s presence', async () => {
    const alice = peer('alice')
    const ready = await alice.waitFor('ready', e => e.type === 'ready')
    const bob = peer('bob')
    const bobReady = await bob.waitFor('bob ready', e => e.type === 'ready')
    bob.send({ cmd: 'dial', addr: (ready.addrs as string[])[0] })
    await alice.waitFor('alice sees bob', e => e.type === 'peer:connect' && e.name === 'bob')

    bob.send({ cmd: 'typing', room: 'lobby' })
    expect(await alice.waitFor('typing', e => e.type === 'peer:typing')).toMatchObject({ room: 'lobby', peer: bobReady.peerId, name: 'bob' })

    alice.send({ cmd: 'presence', state: 'away' })
    expect(await alice.waitFor('own presence', e => e.type === 'peer:presence' && e.peerId === ready.peerId)).toMatchObject({ state: 'away' })
    expect(await bob.waitFor('alice away', e => e.type === 'peer:presence' && e.state === 'away')).toMatchObject({ peerId: ready.peerId, name: 'alice' })
    bob.send({ cmd: 'presence' })
    const list = await bob.waitFor('presence list', e => e.type === 'presence')
    expect(list.people).toEqual([expect.objectContaining({ peerId: ready.peerId, name: 'alice', state: 'away' })])

    alice.send({ cmd: 'presence', state: 'gone fishing' })
    expect(await alice.waitFor('refused', e => e.type === 'error')).toMatchObject({ code: 'InvalidRequestError' })
  })
})

describe('the terminal', () => {
  it('has /away and /back, and prints typing in the current room and presence changes', () => {
    const term = new Terminal(() => 'me')
    expect(term.command('/away')).toMatchObject({ run: { operation: 'setPresence', payload: { state: 'away' } } })
    expect(term.command('/back')).toMatchObject({ run: { operation: 'setPresence', payload: { state: 'online' } } })
    expect(term.format({ type: 'peer:typing', room: 'lobby', peer: 'b', name: 'bob' })).toBe('… bob is typing')
    expect(term.format({ type: 'peer:typing', room: 'elsewhere', peer: 'b', name: 'bob' })).toBeUndefined()
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'away' })).toBe('* bob is away')
    expect(term.format({ type: 'peer:presence', peerId: 'me', name: 'me', state: 'away' })).toBe('* you are away')
    expect(term.format({ type: 'peer:presence', peerId: 'me', name: 'me', state: 'online' })).toBe('* you are back')
    expect(term.format({ type: 'peer:presence', peerId: 'b', name: 'bob', state: 'offline', lastSeen: Date.UTC(2026, 0, 1, 10, 42) })).toMatch(/^\* bob is offline \(last seen .+\)$/)
  })

  it('takes an emoji to react with, not a word; says one\'s name; confirms closing a conversation', () => {
    const term = new Terminal(() => 'me', () => 'ann')
    const id = 'ab'.repeat(32)
    term.format({ type: 'message', id, room: 'lobby', author: 'b', name: 'bob', text: 'hi', lamport: 1, sentAt: 0, deps: [] })
    expect(() => term.command('/react 1 hello')).toThrow('"hello" is not an emoji: /react 1 👍')
    for (const emoji of ['👍', '❤️', '☺', '🇫🇷', '1️⃣', '👩‍💻']) expect(term.command(`/react 1 ${emoji}`)).toMatchObject({ run: { operation: 'react', payload: { id, emoji } } })
    expect(term.command('/name')).toEqual({ say: 'you are "ann": /name NAME changes it' })
    const close = term.command('/close bob')
    if (!('run' in close)) throw new Error('not a command')
    expect(term.confirm(close.run, 'ann')).toBe('* closed the conversation with bob: its history stays, and /dm opens it again')
  })
})
