/**
 * Who is in a room, through the JSON contract and the terminal over real
 * engines: whoever posted in a public room (us first), each with presence —
 * online while connected, away when they say so, offline with when they were
 * last seen once gone — in P2P and in client–server mode; an invite-only
 * room lists its members, not whoever a relay says posted there. Someone
 * who posts after the list was first read is on it the next time.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { answerOf, parseLine } from '../main/app/lines.js'
import { dispatchOver } from '../main/app/handlers.js'
import { headlessOperations } from '../main/app/headless.js'
import { Terminal } from '../main/app/terminal.js'
import { roomMembers } from '../main/app/members.js'
import type { Engine } from '../main/chat/engine.js'
import type { MemberView } from '../main/chat/types.js'
import { cleanup, connect, keepApart, startPeer, stopPeer, texts, until } from './helpers/peers.js'
import { cleanupHubs, startClient, startHub, stopClient } from './helpers/hub.js'

afterEach(async () => {
  await cleanup()
  await cleanupHubs()
})

async function members (engine: Engine, room: string): Promise<MemberView[]> {
  const cmd = parseLine(JSON.stringify({ cmd: 'members', room }))
  const event = answerOf(cmd, await dispatchOver(headlessOperations(engine))(cmd.operation, cmd.payload))
  if (event?.type !== 'members') throw new Error(`not a members event: ${JSON.stringify(event)}`)
  expect(event.room).toBe(room)
  return event.members
}

const brief = (ms: MemberView[]): Array<[string, string]> => ms.map(m => [m.name, m.state])

describe('members of a room', () => {
  it('P2P: whoever posted, with presence as it changes; the terminal prints them', async () => {
    const ann = await startPeer('ann')
    const bob = await startPeer('bob')
    const cat = await startPeer('cat')
    // Cat is reached through ann only (peer exchange would link bob and cat).
    await keepApart(bob, cat)
    await connect(bob, ann)
    await connect(cat, ann)
    await ann.engine.send('design', 'sketches are up')
    await cat.engine.send('lobby', 'only in the lobby')
    await until('bob has the design message', () => texts(bob, 'design').includes('sketches are up'))
    await until('bob has the lobby message', () => texts(bob, 'lobby').includes('only in the lobby'))
    // Cat posted in the lobby only: not a member of #design. Bob asked, so he is listed, first.
    await until('ann online for bob', () => bob.engine.peers().some(p => p.peerId === ann.engine.peerId && p.connected))
    expect(brief(await members(bob.engine, 'design'))).toEqual([['bob', 'online'], ['ann', 'online']])
    // Nobody leaves the lobby: everyone known is in it, ann too, who never wrote there.
    await until('cat online for bob', () => bob.engine.presence().some(p => p.name === 'cat' && p.state === 'online'))
    expect(brief(await members(bob.engine, 'lobby'))).toEqual([['bob', 'online'], ['ann', 'online'], ['cat', 'online']])
    expect((await members(bob.engine, 'design'))[0]).toMatchObject({ peerId: bob.engine.peerId, self: true })
    // Once cat posts there, cat is a member too (the list read once is kept up to date): online to bob,
    // though cat is reached only through ann (presence travels through the mesh).
    await cat.engine.send('design', 'me too')
    await until('bob has cat\'s design message', () => texts(bob, 'design').includes('me too'))
    await until('cat online for bob', () => roomMembers(bob.engine, 'design').some(m => m.name === 'cat' && m.state === 'online'))
    expect(brief(await members(bob.engine, 'design'))).toEqual([['bob', 'online'], ['ann', 'online'], ['cat', 'online']])

    ann.engine.setPresence('away')
    await until('ann away', () => bob.engine.presence().some(p => p.name === 'ann' && p.state === 'away'))
    // Online before away (the list's order).
    expect(brief(await members(bob.engine, 'design'))).toEqual([['bob', 'online'], ['cat', 'online'], ['ann', 'away']])

    const term = new Terminal(() => bob.engine.peerId)
    const typed = term.command('/room design')
    const listed = term.command('/members')
    if (!('run' in typed) || !('run' in listed)) throw new Error('not commands')
    expect(listed.run.payload).toEqual({ room: 'design' })

    await stopPeer(ann)
    await until('ann offline', () => roomMembers(bob.engine, 'design').some(m => m.name === 'ann' && m.state === 'offline'))
    const gone = (await members(bob.engine, 'design')).find(m => m.name === 'ann')!
    expect(gone.lastSeen).toBeGreaterThan(Date.now() - 60_000)
    const event = answerOf(listed.run, await dispatchOver(headlessOperations(bob.engine))(listed.run.operation, listed.run.payload))
    // Cat was heard only through ann: with no link left, bob cannot hear cat leave, so cat reads as offline too.
    expect(term.format(event!)).toMatch(/^in #design:\n {2}● you online\n {2}○ ann offline, last seen \d[^\n]*\n {2}○ cat offline, last seen \d[^\n]*$/)
  })

  it('client–server: the hub\'s clients who posted, with the presence the hub relays', async () => {
    const h = await startHub()
    const ann = await startClient('ann', h.addr())
    const bob = await startClient('bob', h.addr())
    await until('connected', () => ann.engine.connected && bob.engine.connected)
    await ann.engine.send('design', 'from a client')
    await until('bob has it', () => bob.engine.history('design').some(m => m.text === 'from a client'))
    await until('ann listed online', () => brief(roomMembers(bob.engine, 'design')).some(([n, s]) => n === 'ann' && s === 'online'))
    expect(brief(await members(bob.engine, 'design'))).toEqual([['bob', 'online'], ['ann', 'online']])
    await stopClient(ann)
    await until('ann offline', () => roomMembers(bob.engine, 'design').some(m => m.name === 'ann' && m.state === 'offline'))
  })

  it('a direct conversation is the two of us, before either wrote', async () => {
    const ann = await startPeer('ann')
    const bob = await startPeer('bob')
    await connect(bob, ann)
    await until('bob known to ann', () => ann.engine.peers().some(p => p.peerId === bob.engine.peerId && p.name === 'bob'))
    const dm = ann.engine.openDm(bob.engine.peerId)
    expect(brief(await members(ann.engine, dm.room))).toEqual([['ann', 'online'], ['bob', 'online']])
    await ann.engine.send(dm.room, 'lunch?', { to: bob.engine.peerId })
    await until('bob has it', () => bob.engine.dms().some(d => d.room === dm.room))
    expect(brief(await members(bob.engine, dm.room))).toEqual([['bob', 'online'], ['ann', 'online']])
  })

  it('an invite-only room lists its members (and refuses a room we are not in)', async () => {
    const ann = await startPeer('ann')
    const cat = await startPeer('cat')
    await connect(cat, ann)
    const { room } = await ann.engine.createPrivateRoom('Board')
    expect(brief(await members(ann.engine, room))).toEqual([['ann', 'online']])
    await cat.engine.joinInvite(ann.engine.invite(room))
    await until('ann sees cat', () => ann.engine.privateRoom(room).members.length === 2)
    expect(brief(await members(ann.engine, room))).toEqual([['ann', 'online'], ['cat', 'online']])
    const cmd = parseLine(JSON.stringify({ cmd: 'members', room: 'pr:nosuchroom' }))
    expect(answerOf(cmd, await dispatchOver(headlessOperations(ann.engine))(cmd.operation, cmd.payload))).toMatchObject({ type: 'error' })
  })
})
