import { describe, expect, it } from 'vitest'
import { initialState, reducer, type State } from '../renderer/src/store.js'

/** How the window tells the engine's complaints: titled by what they are about, once each while shown, and not at all when a room says it itself. */

const error = (s: State, e: { message: string; code?: string; room?: string }): State => reducer(s, { type: 'event', event: { type: 'error', ...e } })
const crew = { room: 'pr:0123456789abcdef01234567', name: 'Crew', creator: 'ann', members: ['ann', 'bob'], removed: false }

describe('engine complaints in the window', () => {
  it('a toast titled by the error\'s code; an unknown code is an engine error', () => {
    const s = error(initialState, { message: 'bob joined "Crew" with an invite from before its last change of members', code: 'OldInviteError' })
    expect(s.toasts.map((t) => t.title)).toEqual(['Joined with an old invite'])
    expect(error(initialState, { message: 'x', code: 'SomethingNew' }).toasts.map((t) => t.title)).toEqual(['Engine error'])
  })

  it('the same complaint while it still shows is not stacked again; another is', () => {
    let s = initialState
    for (let i = 0; i < 5; i++) s = error(s, { message: 'a private message that does not open with our key', code: 'UnreadableMessageError' })
    expect(s.toasts).toHaveLength(1)
    s = error(s, { message: 'cat tried to rename "Crew", which only its creator can do: ignored', code: 'NotRoomOwnerError' })
    expect(s.toasts).toHaveLength(2)
    // Dismissed, the same complaint shows again when it comes again.
    s = reducer(s, { type: 'dismiss', id: s.toasts[0]!.id })
    expect(error(s, { message: 'a private message that does not open with our key', code: 'UnreadableMessageError' }).toasts).toHaveLength(2)
  })

  it('a message no key of a private room we are in opens: the room says so, no toast; in a room we do not know of, a toast', () => {
    const known = reducer(initialState, { type: 'privateRooms', rooms: [crew] })
    const complaint = { message: 'a message in "Crew" that no key of the room we hold opens', code: 'UnreadableMessageError', room: crew.room }
    expect(error(known, complaint).toasts).toEqual([])
    expect(error(initialState, complaint).toasts).toHaveLength(1)
  })

  it('a reaction of ours told waiting that the hub refuses quietly (its message is gone) no longer counts as pending', () => {
    const action = { kind: 'react' as const, target: 'aa'.repeat(32), emoji: '🎉' }
    const waiting = reducer(initialState, { type: 'event', event: { type: 'pending', id: 'bb'.repeat(32), room: 'lobby', action } })
    expect(waiting.pendingIds).toEqual(['bb'.repeat(32)])
    expect(reducer(waiting, { type: 'event', event: { type: 'pending:dropped', id: 'bb'.repeat(32), room: 'lobby' } }).pendingIds).toEqual([])
  })
})
