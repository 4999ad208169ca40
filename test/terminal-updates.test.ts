/**
 * The terminal of `bin/lanchat peer`, fed the events its engine emits: how a pin in an invite-only
 * room it was not told of names the room, and what an update that changes nothing prints (nothing).
 */
import { describe, expect, it } from 'vitest'
import { Terminal } from '../main/app/terminal.js'
import type { ChatEvent, MessageView } from '../main/chat/types.js'

const BOARD = 'pr:' + '5'.repeat(32)
const note: MessageView = { id: 'b'.repeat(64), room: BOARD, author: 'ben', name: 'ben', text: 'the locker code is 4711', lamport: 3, sentAt: Date.now(), deps: [] }
const pinnedByBen: ChatEvent = { type: 'message:updated', ...note, pinned: { by: 'ben', at: Date.now(), lamport: 4 }, cause: { kind: 'pin', by: 'ben' } }

function terminal (privateRoomName?: (room: string) => string | undefined): Terminal {
  const term = new Terminal(() => 'me', () => 'me', { privateRoomName })
  term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
  return term
}

describe('the terminal names an invite-only room it was not told of', () => {
  it('by the name the engine knows, as a room it was told of, not as a public "#pr:…" room', () => {
    // Printed before the terminal read the list of rooms (at the start, or while /accept runs): the engine knows it as Board.
    const term = terminal(room => (room === BOARD ? 'Board' : undefined))
    expect(term.format(pinnedByBen)).toBe(`* 📌 ben pinned ben's message [bbbbbbbb] in private room "Board" (${BOARD}), not shown here`)
  })

  it('as an invite-only room by its id when no name is known at all', () => {
    expect(terminal().format(pinnedByBen)).toBe(`* 📌 ben pinned ben's message [bbbbbbbb] in an invite-only room (${BOARD}), not shown here`)
  })
})

describe('an update that changes nothing one sees', () => {
  it('prints nothing: the same reaction again, one taken back that was not there; a change still prints', () => {
    const term = terminal()
    const lunch: MessageView = { id: 'c'.repeat(64), room: 'lobby', author: 'ann', name: 'ann', text: 'lunch?', lamport: 1, sentAt: Date.now(), deps: [] }
    expect(term.format({ type: 'message', ...lunch })).toMatch(/\] ann: lunch\?$/)
    const thumbs = { ...lunch, reactions: [{ emoji: '👍', by: ['me'] }] }
    expect(term.format({ type: 'message:updated', ...thumbs, cause: { kind: 'react', by: 'me' } })).toBe('* [cccccccc] ann: lunch?  👍 1')
    // The same reaction again, and a 🎉 taken back that was never on it: the message reads as it did.
    expect(term.format({ type: 'message:updated', ...thumbs, cause: { kind: 'react', by: 'me' } })).toBeUndefined()
    expect(term.format({ type: 'message:updated', ...thumbs, cause: { kind: 'unreact', by: 'me' } })).toBeUndefined()
    // An update with no cause that changes nothing (a hub numbering it, say) neither.
    expect(term.format({ type: 'message:updated', ...thumbs, seq: 7 })).toBeUndefined()
    // Ben's 👍 beside mine: a change, printed.
    expect(term.format({ type: 'message:updated', ...lunch, reactions: [{ emoji: '👍', by: ['me', 'ben'] }], cause: { kind: 'react', by: 'ben' } })).toBe('* [cccccccc] ann: lunch?  👍 2')
    // An edit to the same words is an edit all the same: "(edited)" shows.
    expect(term.format({ type: 'message:updated', ...lunch, edited: true, reactions: [{ emoji: '👍', by: ['me', 'ben'] }], cause: { kind: 'edit', by: 'ann' } })).toBe('* [cccccccc] ann: lunch? (edited)  👍 2')
  })
})

describe('a reaction from someone blocked', () => {
  it('prints nothing, and is left out of the counts when another reacts, as the window\'s chips leave it out', () => {
    const term = new Terminal(() => 'me', () => 'me', { blocked: id => id === 'cat' })
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    const mine: MessageView = { id: 'f'.repeat(64), room: 'lobby', author: 'me', name: 'me', text: 'lunch?', lamport: 1, sentAt: Date.now(), deps: [] }
    expect(term.format({ type: 'message', ...mine })).toMatch(/\] you: lunch\?$/)
    // Cat, blocked, reacts again and again: nothing one sees changed.
    expect(term.format({ type: 'message:updated', ...mine, reactions: [{ emoji: '👎', by: ['cat'] }], cause: { kind: 'react', by: 'cat' } })).toBeUndefined()
    expect(term.format({ type: 'message:updated', ...mine, reactions: [{ emoji: '👎', by: ['cat'] }, { emoji: '💩', by: ['cat'] }], cause: { kind: 'react', by: 'cat' } })).toBeUndefined()
    // Ben's 👍, and Cat's beside it: one, Ben's.
    expect(term.format({ type: 'message:updated', ...mine, reactions: [{ emoji: '👎', by: ['cat'] }, { emoji: '💩', by: ['cat'] }, { emoji: '👍', by: ['ben', 'cat'] }], cause: { kind: 'react', by: 'ben' } })).toBe('* [ffffffff] you: lunch?  👍 1')
  })
})

describe('a search hit from someone blocked', () => {
  it('is listed in its place, its words folded as the window folds them', () => {
    const term = new Terminal(() => 'me', () => 'me', { blocked: id => id === 'cat' })
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    const hit = { room: 'lobby', lamport: 5, sentAt: Date.now(), deps: [] }
    const found = term.format({ type: 'search', q: 'lunch', hits: [{ ...hit, id: 'a'.repeat(64), author: 'cat', name: 'cat', snippet: 'you [lunch] thief' }, { ...hit, id: 'b'.repeat(64), author: 'ben', name: 'ben', snippet: '[lunch] at noon' }] })
    expect(found).toMatch(/^#lobby L5 .+ cat: \(a message from someone you blocked\) \[aaaaaaaa\]\n#lobby L5 .+ ben: \[lunch\] at noon \[bbbbbbbb\]$/)
  })
})

describe('a pinned message from someone blocked', () => {
  it('is listed by /pins, its words folded as the window\'s Pinned list folds them', () => {
    const term = new Terminal(() => 'me', () => 'me', { blocked: id => id === 'cat' })
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    const pinned = { room: 'lobby', lamport: 5, sentAt: Date.now(), deps: [], pinned: { by: 'ben', at: Date.now(), lamport: 6 } }
    expect(term.format({ type: 'pins', room: 'lobby', messages: [{ ...pinned, id: 'a'.repeat(64), author: 'cat', name: 'cat', text: 'you lunch thief' }, { ...pinned, id: 'b'.repeat(64), author: 'ben', name: 'ben', text: 'lunch at noon' }] }))
      .toBe('* 📌 [aaaaaaaa] cat: (a message from someone you blocked) (pinned by ben)\n* 📌 [bbbbbbbb] ben: lunch at noon (pinned by ben)')
  })
})

describe('a mention of you from someone blocked, in a muted room', () => {
  it('does not get through the mute, as another\'s does', () => {
    const term = new Terminal(() => 'me', () => 'me', { blocked: id => id === 'cat' })
    term.format({ type: 'ready', peerId: 'me', name: 'me', mode: 'p2p', addrs: [] })
    term.joined.add('random')
    term.format({ type: 'muted', rooms: ['random'] })
    const said = { room: 'random', lamport: 5, sentAt: Date.now(), deps: [] }
    expect(term.format({ type: 'message', ...said, id: 'a'.repeat(64), author: 'cat', name: 'cat', text: '@me answer me' })).toBeUndefined()
    expect(term.format({ type: 'message', ...said, id: 'b'.repeat(64), author: 'ben', name: 'ben', text: '@me lunch?' })).toMatch(/ben: @me lunch\?$/)
  })
})

describe('a message deleted before it came (catch-up after being away brings it so)', () => {
  it('is no news of a room one has not joined: no "new messages" notice for it; the next message there is', () => {
    const term = terminal()
    const gone: MessageView = { id: 'd'.repeat(64), room: 'planning', author: 'ann', name: 'ann', text: '', deleted: true, lamport: 2, sentAt: Date.now(), deps: [] }
    expect(term.format({ type: 'message', ...gone })).toBeUndefined()
    expect(term.format({ type: 'message', ...gone, id: 'e'.repeat(64), text: 'plans', deleted: false })).toBe('* new messages in #planning, a room you have not joined: /join planning to read them')
  })
})

describe('the terminal says an invite by the room\'s name', () => {
  it('sent to someone, or its code asked for: private room "Board" (pr:…), not the id alone', () => {
    const term = terminal(room => (room === BOARD ? 'Board' : undefined))
    term.format({ type: 'peers', peers: [{ peerId: 'ben', name: 'Ben', connected: true, connections: [] }] })
    expect(term.format({ type: 'invite', room: BOARD, code: 'lanchat-invite:x', to: 'ben' })).toBe(`* invite to private room "Board" (${BOARD}) sent to Ben in a direct message`)
    expect(term.format({ type: 'invite', room: BOARD, code: 'lanchat-invite:x' })).toBe(`invite code for private room "Board" (${BOARD}):\nlanchat-invite:x`)
  })
})


describe('a history that changed under what was printed', () => {
  it('is said once a link to the server: a hub restored from an older backup lacks lines printed above', () => {
    const term = terminal()
    const said = term.format({ type: 'history:moved' })
    expect(said).toMatch(/^\* the server's history is not the one printed here .*\/history shows a room as it has it$/)
    // Each message it lacks, or each of ours it refused again, moves it again: not said again.
    expect(term.format({ type: 'history:moved' })).toBeUndefined()
    term.format({ type: 'peer:connect', peerId: 'hub', name: 'hub', local: '/ip4/127.0.0.1/tcp/1', remote: '/ip4/127.0.0.1/tcp/2' })
    expect(term.format({ type: 'history:moved' })).toBe(said)
  })
})
