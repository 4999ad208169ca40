/**
 * from:NAME, from:@NAME and from:me, and in:#room and in:@NAME, in a search (core/search-query.ts), over
 * real engines: only what those people wrote, in public rooms (the index) and
 * in a DM and a private room (sealed, opened in memory), with words or alone.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { searchFilters, whoIs } from '../main/core/search-query.js'
import { cleanup, connect, startPeer, until } from './helpers/peers.js'

afterEach(async () => { await cleanup() })

describe('from: and in: in a search', () => {
  it('takes the names out of the words; a name is matched whole, case, accents and separators aside, else as a beginning', () => {
    expect(searchFilters('budget from:@ann friday')).toEqual({ words: 'budget friday', from: ['ann'] })
    expect(searchFilters('from:me')).toEqual({ words: '', from: ['me'] })
    expect(searchFilters('wherefrom:x')).toEqual({ words: 'wherefrom:x', from: [] })
    expect(searchFilters('budget in:#Design from:me')).toEqual({ words: 'budget', from: ['me'], room: 'Design' })
    const people = [{ peerId: 'p1', name: 'Zoë Lee' }, { peerId: 'p2', name: 'Zoe' }, { peerId: 'p3', name: 'Bob' }]
    expect(whoIs('zoe-lee', people)).toEqual(['p1'])
    expect(whoIs('ZOE', people)).toEqual(['p2'])
    expect(whoIs('zo', people)).toEqual(['p1', 'p2'])
    expect(whoIs('p3', people)).toEqual(['p3'])
    expect(whoIs('carol', people)).toEqual([])
  })

  it('finds only what they wrote, in public rooms, a DM and a private room, with words or without, newest first', async () => {
    const a = await startPeer('Ann')
    const b = await startPeer('Bob')
    await connect(a, b)
    const { room } = await a.engine.createPrivateRoom('Board')
    await b.engine.joinInvite(a.engine.invite(room))
    const sent = [
      await a.engine.send('lobby', 'budget from ann'),
      await b.engine.send('lobby', 'budget from bob'),
      await b.engine.send('design', 'mockups are ready'),
      await b.engine.send('', 'budget in a dm', { to: a.engine.peerId }),
      await b.engine.send(room, 'budget in the board room'),
      await a.engine.send(room, 'budget noted')
    ]
    await until('ann has them all', () => sent.every(m => a.engine.ordering!.isDelivered(m.id)))
    const [ann, bob, mockups, dm, board, noted] = sent.map(m => m.id)

    expect(a.engine.search('budget from:@bob').map(h => h.id)).toEqual([board, dm, bob])
    expect(a.engine.search('from:BOB budget').map(h => h.id)).toEqual([board, dm, bob])
    expect(a.engine.search('budget from:me').map(h => h.id)).toEqual([noted, ann])
    // Alone: all they wrote, newest first, each with how it begins.
    expect(a.engine.search('from:@bob').map(h => [h.id, h.snippet])).toEqual([
      [board, 'budget in the board room'], [dm, 'budget in a dm'], [mockups, 'mockups are ready'], [bob, 'budget from bob']
    ])
    // With one room asked for.
    expect(a.engine.search('from:@bob', 'lobby').map(h => h.id)).toEqual([bob])
    expect(a.engine.search('from:@bob in:#Lobby').map(h => h.id)).toEqual([bob])
    expect(a.engine.search('from:@bob budget', room).map(h => h.id)).toEqual([board])
    // Someone no one here knows: nothing, not everyone's.
    expect(a.engine.search('budget from:@carol')).toEqual([])
    // in:@NAME: the direct messages with that person, whoever wrote them, and nothing public (the window asks with the room).
    const mine = await a.engine.send('', 'budget reply in the dm', { to: b.engine.peerId })
    expect(a.engine.search('budget in:@bob').map(h => h.id)).toEqual([mine.id, dm])
    expect(a.engine.search('budget', '@Bob').map(h => h.id)).toEqual([mine.id, dm])
    expect(a.engine.search('from:me in:@bob').map(h => h.id)).toEqual([mine.id])
    // No direct messages with anyone of that name: said, not an empty answer that reads as "not found there".
    expect(() => a.engine.search('budget in:@carol')).toThrow('in:@carol: you have no direct messages with anyone called "carol"')
    expect(() => a.engine.search('budget in:@')).toThrow('in:@ takes a name')
  })

  it('in:#NAME reaches an invite-only room of ours by its shown name, and a public room of that name too', async () => {
    const a = await startPeer('Ann')
    const { room: plans } = await a.engine.createPrivateRoom('Q3 Planning')
    const { room: board } = await a.engine.createPrivateRoom('Board')
    const inPlans = await a.engine.send(plans, 'budget for the quarter')
    const inBoard = await a.engine.send(board, 'budget approved')
    const publicBoard = await a.engine.send('board', 'budget on the public board')
    const lobby = await a.engine.send('lobby', 'budget in the lobby')
    await until('all delivered', () => [inPlans, inBoard, publicBoard, lobby].every(m => a.engine.ordering!.isDelivered(m.id)))

    expect(a.engine.search('budget in:#q3-planning').map(h => [h.room, h.id])).toEqual([[plans, inPlans.id]])
    // The window's dialog takes in:#Board out of the words and asks for that room.
    expect(a.engine.search('budget', 'q3-planning').map(h => h.id)).toEqual([inPlans.id])
    expect(a.engine.search('budget in:#Board').map(h => h.id).sort()).toEqual([inBoard.id, publicBoard.id].sort())
    expect(a.engine.search('budget', plans).map(h => h.id)).toEqual([inPlans.id])
    expect(a.engine.search('budget in:#lobby').map(h => h.id)).toEqual([lobby.id])
    expect(a.engine.search('budget in:#q3')).toEqual([])
  })
})
